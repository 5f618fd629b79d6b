import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { leakedKeys, scannedSecretFixture } from "../testing/secret-tree.js";
import type { SecretFixture } from "../testing/secret-tree.js";
import { envFileCommitted } from "./env-file-committed.js";
import type { FindingDraft } from "./rule.js";

describe("AIW-SECRET-003 env-file-committed", () => {
  let fixture: SecretFixture;
  let drafts: FindingDraft[];

  before(async () => {
    fixture = await scannedSecretFixture({ untracked: ["services/worker/.env.staging", "services/api/.env"] });
    drafts = envFileCommitted.check(await contextFor(fixture.root, { facts: { secrets: fixture.scan.facts } as never }));
  });
  after(() => fixture.cleanup());

  it("a committed .env holding credentials: high, at the first credential", () => {
    const draft = drafts.find((d) => d.file === ".env");
    assert.equal(draft?.severity, "high");
    assert.equal(draft?.line, 3);
    assert.equal(draft?.message, ".env is committed to git and holds 3 values, including credentials in `GROQ_API_KEY`, `DATABASE_URL`: everyone with the repository has them.");
    assert.equal(draft?.fix, "`git rm --cached .env`, add `.env` to .gitignore, and commit `.env.example` with placeholders instead; rotate `GROQ_API_KEY`, `DATABASE_URL`, which stay in the repository history.");
    assert.deepEqual(draft?.key, [".env"]);
  });

  it("a committed .env of settings only: low", () => {
    const draft = drafts.find((d) => d.file === "web/.env.development");
    assert.equal(draft?.severity, "low");
    assert.equal(draft?.line, 1);
    assert.equal(draft?.message, "web/.env.development is committed to git and holds 2 values (none looks like a credential): a secret added to it later is committed with it.");
    assert.equal(draft?.fix, "`git rm --cached web/.env.development`, add `.env.development` to .gitignore, and commit `web/.env.example` with placeholders instead.");
  });

  it("a template holding a generated-looking credential instead of a placeholder: high", () => {
    const draft = drafts.find((d) => d.file === "tools/.env.template");
    assert.equal(draft?.severity, "high");
    assert.equal(draft?.line, 2);
    assert.equal(draft?.message, "tools/.env.template is a committed template, yet `SERVICE_TOKEN` holds a real-looking credential rather than a placeholder.");
    assert.match(draft?.fix ?? "", /^Replace the value of `SERVICE_TOKEN` in tools\/\.env\.template with placeholders/);
  });

  it("stays silent on templates with placeholders, untracked files and ignored ones", () => {
    assert.deepEqual(drafts.map((d) => d.file).sort(), [".env", "tools/.env.template", "web/.env.development"]);
    assert.deepEqual(leakedKeys(JSON.stringify(drafts), fixture.planted), []);
  });

  it("stays silent on a clean repository, outside git, and without secret facts", async () => {
    const clean = await scannedSecretFixture({ template: fixturePath(import.meta.url, "secrets-clean") });
    try {
      assert.deepEqual(envFileCommitted.check(await contextFor(clean.root, { facts: { secrets: clean.scan.facts } as never })), []);
      assert.deepEqual(envFileCommitted.check(await contextFor(fixture.root, { facts: { secrets: { ...fixture.scan.facts, git: false } } as never })), []);
      assert.deepEqual(envFileCommitted.check(await contextFor(clean.root)), []);
    } finally {
      clean.cleanup();
    }
  });
});
