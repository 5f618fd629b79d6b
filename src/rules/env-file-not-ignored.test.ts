import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { leakedKeys, scannedSecretFixture } from "../testing/secret-tree.js";
import type { SecretFixture } from "../testing/secret-tree.js";
import { envFileNotIgnored } from "./env-file-not-ignored.js";
import type { FindingDraft } from "./rule.js";

describe("AIW-SECRET-004 env-file-not-ignored", () => {
  let fixture: SecretFixture;
  let drafts: FindingDraft[];

  before(async () => {
    fixture = await scannedSecretFixture({ untracked: ["services/worker/.env.staging", "services/api/.env"] });
    drafts = envFileNotIgnored.check(await contextFor(fixture.root, { facts: { secrets: fixture.scan.facts } as never }));
  });
  after(() => fixture.cleanup());

  it("an untracked, unignored env file holding a credential: high", () => {
    const draft = drafts.find((d) => d.file === "services/worker/.env.staging");
    assert.equal(draft?.severity, "high");
    assert.equal(draft?.line, 1);
    assert.equal(draft?.message, "services/worker/.env.staging holds credentials (`HF_TOKEN`) and is neither tracked nor ignored by git: the next `git add -A` commits it.");
    assert.equal(draft?.fix, "Add `.env.*` to .gitignore (and `!.env.example` to keep a template committed); `git check-ignore -v services/worker/.env.staging` should then name the rule.");
    assert.deepEqual(draft?.key, ["services/worker/.env.staging"]);
  });

  it("one holding settings only: medium", () => {
    const draft = drafts.find((d) => d.file === "services/api/.env");
    assert.equal(draft?.severity, "medium");
    assert.equal(draft?.message, "services/api/.env holds 1 value and is neither tracked nor ignored by git: the next `git add -A` commits it.");
    assert.match(draft?.fix ?? "", /^Add `\.env` and `\.env\.\*` to \.gitignore/);
  });

  it("stays silent on ignored files (never listed), tracked ones (AIW-SECRET-003) and templates", () => {
    assert.deepEqual(drafts.map((d) => d.file).sort(), ["services/api/.env", "services/worker/.env.staging"]);
    assert.deepEqual(leakedKeys(JSON.stringify(drafts), fixture.planted), []);
  });

  it("stays silent on a clean repository whose .gitignore covers .env, and outside git", async () => {
    const clean = await scannedSecretFixture({ template: fixturePath(import.meta.url, "secrets-clean") });
    try {
      assert.deepEqual(envFileNotIgnored.check(await contextFor(clean.root, { facts: { secrets: clean.scan.facts } as never })), []);
      assert.deepEqual(envFileNotIgnored.check(await contextFor(fixture.root, { facts: { secrets: { ...fixture.scan.facts, git: false } } as never })), []);
    } finally {
      clean.cleanup();
    }
  });
});
