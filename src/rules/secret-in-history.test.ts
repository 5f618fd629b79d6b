import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadDetectors } from "../secrets/detect.js";
import { fingerprintSecret } from "../secrets/redact.js";
import { scanSecrets } from "../secrets/scan-tree.js";
import type { SecretScan } from "../secrets/scan-tree.js";
import { contextFor } from "../testing/context.js";
import { gitIn, leakedKeys, plantedKey, writeTree } from "../testing/secret-tree.js";
import { runRules } from "./engine.js";
import type { FindingDraft } from "./rule.js";
import { secretInHistory } from "./secret-in-history.js";

describe("AIW-SECRET-002 secret-in-history", () => {
  let base: string;
  let repo: string;
  let scan: SecretScan;
  let drafts: FindingDraft[];
  let first: string;
  const deleted = plantedKey("openai-project-key", "rule-history-deleted");
  const kept = plantedKey("cohere-api-key", "rule-history-kept");

  before(async () => {
    base = mkdtempSync(join(tmpdir(), "aiwarden-rule-history-"));
    repo = join(base, "repo");
    mkdirSync(repo);
    gitIn(repo, ["init", "-q"]);
    writeTree(repo, { "app.py": `client = OpenAI(api_key="${deleted.secret}")\n`, "settings.toml": `COHERE_API_KEY = "${kept.secret}"\n` });
    gitIn(repo, ["add", "--all"]);
    gitIn(repo, ["commit", "-q", "-m", "first"], "2026-01-05T10:00:00+00:00");
    first = gitIn(repo, ["rev-parse", "HEAD"]).trim();
    writeTree(repo, { "app.py": "client = OpenAI()\n" });
    gitIn(repo, ["commit", "-q", "-am", "read the key from the environment"], "2026-02-05T10:00:00+00:00");
    scan = await scanSecrets(repo, { detectors: loadDetectors(), history: true });
    drafts = secretInHistory.check(await contextFor(repo, { facts: { secrets: scan.facts } as never }));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it("a key deleted from the tree is still a finding, with its first commit, date and place", () => {
    const draft = drafts.find((d) => d.file === "app.py");
    assert.equal(draft?.severity, "critical");
    assert.equal(draft?.line, 1);
    assert.equal(draft?.message, `OpenAI project API key \`sk-proj-…\` (fingerprint ${fingerprintSecret(deleted.secret)}) assigned to \`api_key\` was committed in ${first.slice(0, 12)} (2026-01-05) at app.py:1 and was removed from the tree later, yet stays in every clone's history: it must be rotated.`);
    assert.match(draft?.fix ?? "", /^Revoke the OpenAI project API key with fingerprint [0-9a-f]{16} at the provider and issue a new one; deleting it from the files does not remove it from history\. To purge the old commits, run `git filter-repo --replace-text/);
    assert.deepEqual(draft?.key, [fingerprintSecret(deleted.secret)]);
  });

  it("a key still at HEAD says so, and ranks by its detector's confidence", () => {
    const draft = drafts.find((d) => d.file === "settings.toml");
    assert.equal(draft?.severity, "high");
    assert.match(draft?.message ?? "", /^Cohere API key .* assigned to `COHERE_API_KEY` was committed in [0-9a-f]{12} \(2026-01-05\) at settings\.toml:1 and is still in HEAD: it must be rotated\.$/);
    assert.match(draft?.fix ?? "", /so after rotating also remove it from settings\.toml\./);
    assert.equal(drafts.length, 2);
  });

  it("no output carries a planted key", async () => {
    const context = await contextFor(repo, { facts: { secrets: scan.facts } as never });
    assert.deepEqual(leakedKeys(JSON.stringify([drafts, runRules([secretInHistory], context)]), [deleted, kept]), []);
  });

  it("stays silent without history facts and on a history without keys", async () => {
    assert.deepEqual(secretInHistory.check(await contextFor(repo, { facts: { secrets: { ...scan.facts, history: undefined } } as never })), []);
    const clean = mkdtempSync(join(tmpdir(), "aiwarden-rule-history-clean-"));
    try {
      gitIn(clean, ["init", "-q"]);
      writeTree(clean, { "app.py": "import os\nkey = os.environ['OPENAI_API_KEY']\n" });
      gitIn(clean, ["add", "--all"]);
      gitIn(clean, ["commit", "-q", "-m", "clean"]);
      const cleanScan = await scanSecrets(clean, { detectors: loadDetectors(), history: true });
      assert.deepEqual(secretInHistory.check(await contextFor(clean, { facts: { secrets: cleanScan.facts } as never })), []);
    } finally {
      rmSync(clean, { recursive: true, force: true });
    }
  });
});
