import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SecretFacts, SecretOccurrence } from "../secrets/facts.js";
import { fingerprintSecret } from "../secrets/redact.js";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { leakedKeys, scannedSecretFixture } from "../testing/secret-tree.js";
import type { SecretFixture } from "../testing/secret-tree.js";
import { runRules } from "./engine.js";
import type { FindingDraft } from "./rule.js";
import { secretInFile } from "./secret-in-file.js";
import { MARKER_WITHOUT_REASON } from "./support/secrets.js";

const FINGERPRINT = "[0-9a-f]{16}";

describe("AIW-SECRET-001 secret-in-file", () => {
  let fixture: SecretFixture;
  let drafts: FindingDraft[];

  before(async () => {
    fixture = await scannedSecretFixture({ untracked: ["services/worker/.env.staging", "services/api/.env"] });
    drafts = secretInFile.check(await contextFor(fixture.root, { facts: { secrets: fixture.scan.facts } as never }));
  });
  after(() => fixture.cleanup());

  const byFile = (path: string) => drafts.filter((d) => d.file === path);

  it("a high-confidence key in a tracked file: critical, with its place, variable and a rotation fix", () => {
    const key = fixture.planted.find((k) => k.path === "app/settings.py");
    const [draft] = byFile("app/settings.py");
    assert.equal(draft?.severity, "critical");
    assert.equal(draft?.line, 3);
    assert.match(draft?.message ?? "", new RegExp(`^app/settings\\.py:3 holds OpenAI project API key \`sk-proj-…\` \\(fingerprint ${FINGERPRINT}\\) assigned to \`OPENAI_API_KEY\`, committed to git: anyone who can read the repository can use it\\.$`));
    assert.match(draft?.fix ?? "", /^Revoke the OpenAI project API key with fingerprint [0-9a-f]{16} at the provider and issue a new one, then read `OPENAI_API_KEY` from the environment or a secret manager instead of writing it in app\/settings\.py; the old commits still hold it/);
    assert.deepEqual(draft?.key, ["app/settings.py", fingerprintSecret(key?.secret ?? "")]);
  });

  it("severity follows the detector's confidence: medium → high, low → medium", () => {
    assert.equal(byFile("config/settings.toml")[0]?.severity, "high", "Cohere key recognised by its variable");
    assert.equal(byFile("config/observability.yaml")[0]?.severity, "medium", "Langfuse public key");
  });

  it("says when the file is untracked but not ignored", () => {
    const [draft] = byFile("services/worker/.env.staging");
    assert.match(draft?.message ?? "", /^services\/worker\/\.env\.staging:1 holds Hugging Face .* assigned to `HF_TOKEN`, in a file git does not track but \.gitignore does not exclude either: anyone who can read the file can use it\.$/);
    assert.match(draft?.fix ?? "", /; add services\/worker\/\.env\.staging to \.gitignore if it is a local file\.$/);
  });

  it("names the notebook cell, and for a saved output says to clear outputs", () => {
    const [output, source] = byFile("notebooks/explore.ipynb");
    assert.match(output?.message ?? "", /^notebooks\/explore\.ipynb:21 \(saved output of cell 2\) holds Groq API key/);
    assert.match(output?.fix ?? "", /jupyter nbconvert --clear-output --inplace notebooks\/explore\.ipynb/);
    assert.match(source?.message ?? "", /^notebooks\/explore\.ipynb:38 \(cell 2\) holds OpenAI project API key/);
  });

  it("a marker without a reason does not suppress, and the finding says so; one with a reason does", () => {
    const [draft] = byFile("docs/no-reason.md");
    assert.ok(draft?.message.endsWith(MARKER_WITHOUT_REASON));
    assert.deepEqual(byFile("docs/incident.md"), []);
  });

  it("leaves deployment literals to AIW-SECRET-005 and never reads ignored files", () => {
    for (const path of ["Dockerfile", "k8s/deployment.yaml", "k8s/config.yaml", "docker-compose.yml", ".env.local", "logs/run.log"]) assert.deepEqual(byFile(path), [], path);
    assert.deepEqual(drafts.map((d) => d.file).sort(), [
      ".env", "app/settings.py", "config/app.json", "config/observability.yaml", "config/settings.toml", "docs/no-reason.md",
      "infra/main.tf", "infra/main.tf", "notebooks/explore.ipynb", "notebooks/explore.ipynb", "services/worker/.env.staging",
    ]);
  });

  it("no output carries a planted key: drafts and engine findings", async () => {
    const context = await contextFor(fixture.root, { facts: { secrets: fixture.scan.facts } as never });
    const text = JSON.stringify([drafts, runRules([secretInFile], context)]);
    assert.deepEqual(leakedKeys(text, fixture.planted).map((k) => k.detector), []);
  });

  it("one finding per key per file, counting the places", async () => {
    const occurrence = (line: number): SecretOccurrence => ({
      path: "a.py", line, column: 1, detector: { id: "groq-api-key", provider: "Groq", kind: "API key", confidence: "high" },
      fingerprint: "0123456789abcdef", redacted: "gsk_…", tracked: true, fileKind: "text",
    });
    const secrets: SecretFacts = { git: true, occurrences: [occurrence(9), occurrence(4)], suppressed: [], envFiles: [] };
    const result = secretInFile.check(await contextFor(fixturePath(import.meta.url, "secrets-clean"), { facts: { secrets } as never }));
    assert.equal(result.length, 1);
    assert.equal(result[0]?.line, 4);
    assert.match(result[0]?.message ?? "", /^a\.py:4 holds Groq API key `gsk_…` \(fingerprint 0123456789abcdef\) \(2 places in this file\), committed to git/);
  });

  it("stays silent on a clean repository and without secret facts", async () => {
    const clean = await scannedSecretFixture({ template: fixturePath(import.meta.url, "secrets-clean") });
    try {
      assert.deepEqual(secretInFile.check(await contextFor(clean.root, { facts: { secrets: clean.scan.facts } as never })), []);
      assert.deepEqual(secretInFile.check(await contextFor(clean.root)), []);
    } finally {
      clean.cleanup();
    }
  });
});
