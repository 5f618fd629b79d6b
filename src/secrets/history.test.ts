import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gitIn, leakedKeys, plantedKey, plantedKeys, writeTree } from "../testing/secret-tree.js";
import type { PlantedKey } from "../testing/secret-tree.js";
import { loadDetectors } from "./detect.js";
import type { HistoryFacts } from "./facts.js";
import { scanHistory } from "./history.js";
import { fingerprintSecret } from "./redact.js";

const detectors = loadDetectors();

const JANUARY = "2026-01-05T10:00:00+00:00";
const FEBRUARY = "2026-02-05T10:00:00+00:00";
const MARCH = "2026-03-05T10:00:00+00:00";
const APRIL = "2026-04-05T10:00:00+00:00";

describe("scanHistory on a fixture repository", () => {
  let base: string;
  let repo: string;
  let everyDetector: Array<PlantedKey & { path: string }>;
  const app = plantedKey("openai-project-key", "history-app");
  const branchOnly = plantedKey("anthropic-api-key", "history-branch");
  const binary = plantedKey("groq-api-key", "history-binary");
  const large = plantedKey("groq-api-key", "history-large");
  const excluded = plantedKey("groq-api-key", "history-excluded");
  const accepted = plantedKey("github-personal-access-token", "history-accepted");
  const commits: Record<string, string> = {};
  let history: HistoryFacts;

  before(async () => {
    base = mkdtempSync(join(tmpdir(), "aiwarden-secrets-history-"));
    repo = join(base, "repo");
    mkdirSync(repo);
    gitIn(repo, ["init", "-q"]);
    // January: every detector's key in its own file, and one in the app.
    everyDetector = plantedKeys("history").map((key) => ({ ...key, path: `keys/${key.detector}.txt` }));
    writeTree(repo, {
      ...Object.fromEntries(everyDetector.map((k) => [k.path, `${k.text}\n`])),
      "src/app.py": `import os\n\nOPENAI_API_KEY = "${app.secret}"\n`,
      "vendor/fixtures/sample.txt": `token = "${excluded.secret}"\n`,
      "docs/incident.md": `    ${accepted.secret}  <!-- aiwarden-ignore: revoked in March, kept for the write-up -->\n`,
    });
    gitIn(repo, ["add", "--all"]);
    gitIn(repo, ["commit", "-q", "-m", "add keys"], JANUARY);
    commits.january = gitIn(repo, ["rev-parse", "HEAD"]).trim();
    // February: half of the key files deleted (their keys stay in history), the app edited (same key, new blob).
    everyDetector.forEach((k, i) => {
      if (i % 2 === 0) rmSync(join(repo, k.path));
    });
    writeTree(repo, { "src/app.py": `"""The app."""\nimport os\n\nOPENAI_API_KEY = "${app.secret}"\n` });
    gitIn(repo, ["add", "--all"]);
    gitIn(repo, ["commit", "-q", "-m", "remove half"], FEBRUARY);
    // March, on a branch that HEAD never merges: a key only that branch holds.
    gitIn(repo, ["checkout", "-q", "-b", "feature"]);
    writeTree(repo, { "feature/.env": `ANTHROPIC_API_KEY=${branchOnly.secret}\n` });
    gitIn(repo, ["add", "--all"]);
    gitIn(repo, ["commit", "-q", "-m", "feature"], MARCH);
    commits.march = gitIn(repo, ["rev-parse", "HEAD"]).trim();
    gitIn(repo, ["checkout", "-q", "main"]);
    // April: a binary blob and one over the size limit, each holding a key: counted as skipped, not read.
    writeTree(repo, {
      "assets/logo.png": Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(binary.secret)]),
      "data/big.txt": `${"lorem ipsum dolor sit amet\n".repeat(4000)}${large.secret}\n`,
    });
    gitIn(repo, ["add", "--all"]);
    gitIn(repo, ["commit", "-q", "-m", "assets"], APRIL);
    history = await scanHistory(repo, { detectors, maxFileBytes: 64 * 1024, exclude: ["vendor/**"] });
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it("recall: every planted key is found once, deleted ones included, with the commit that added it", () => {
    assert.equal(history.error, undefined);
    const byFingerprint = new Map(history.secrets.map((s) => [s.fingerprint, s]));
    everyDetector.forEach((key, i) => {
      const found = byFingerprint.get(fingerprintSecret(key.secret));
      assert.ok(found, `${key.detector} found in history`);
      assert.equal(found.detector.id, key.detector);
      assert.equal(found.commit, commits.january, key.detector);
      assert.equal(found.authorDate, JANUARY, key.detector);
      assert.equal(found.path, key.path);
      assert.equal(found.stillPresent, i % 2 === 1, `${key.detector}: ${i % 2 === 1 ? "still at HEAD" : "deleted, yet in history"}`);
    });
  });

  it("reports a key held by several versions of a file once, at its first commit and line", () => {
    const found = history.secrets.filter((s) => s.fingerprint === fingerprintSecret(app.secret));
    assert.equal(found.length, 1);
    assert.deepEqual({ ...found[0], detector: found[0]?.detector.id }, {
      fingerprint: fingerprintSecret(app.secret), detector: "openai-project-key", redacted: "sk-proj-…", variable: "OPENAI_API_KEY",
      commit: commits.january, authorDate: JANUARY, path: "src/app.py", line: 3, stillPresent: true, blobs: 2,
    });
  });

  it("finds keys on every ref, not only HEAD's ancestry", () => {
    const found = history.secrets.find((s) => s.fingerprint === fingerprintSecret(branchOnly.secret));
    assert.equal(found?.commit, commits.march);
    assert.equal(found?.path, "feature/.env");
    assert.equal(found?.stillPresent, false);
  });

  it("skips binary blobs and blobs over the size limit (counted), excluded paths, and accepted markers", () => {
    const fingerprints = new Set(history.secrets.map((s) => s.fingerprint));
    for (const key of [binary, large, excluded, accepted]) assert.ok(!fingerprints.has(fingerprintSecret(key.secret)), key.detector);
    assert.equal(history.skippedBinary, 1);
    assert.equal(history.skippedLarge, 1);
    assert.deepEqual(history.suppressed, [{ fingerprint: fingerprintSecret(accepted.secret), path: "docs/incident.md", reason: "revoked in March, kept for the write-up" }]);
    assert.equal(history.secrets.length, everyDetector.length + 2);
    assert.ok(history.blobs >= everyDetector.length + 4 && history.bytes > 0);
  });

  it("never holds a planted key", () => {
    assert.deepEqual(leakedKeys(JSON.stringify(history), [...everyDetector, app, branchOnly, binary, large, excluded, accepted]).map((k) => k.detector), []);
  });

  it("scanning a subfolder reads only blobs under it, with paths relative to it", async () => {
    const sub = await scanHistory(join(repo, "src"), { detectors });
    assert.deepEqual(sub.secrets.map((s) => [s.path, s.line, s.commit]), [["app.py", 3, commits.january]]);
  });

  it("outside a repository: an error, no secrets, no throw", async () => {
    const plain = mkdtempSync(join(tmpdir(), "aiwarden-secrets-nogit-"));
    try {
      const result = await scanHistory(plain, { detectors });
      assert.equal(result.error, "not a git repository (or git is not installed)");
      assert.deepEqual(result.secrets, []);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it("a repository without commits has no history and no error", async () => {
    const empty = mkdtempSync(join(tmpdir(), "aiwarden-secrets-empty-"));
    try {
      gitIn(empty, ["init", "-q"]);
      const result = await scanHistory(empty, { detectors });
      assert.equal(result.error, undefined);
      assert.deepEqual([result.secrets, result.blobs], [[], 0]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("scanHistory across merges", () => {
  it("places a merged key at the branch commit that added it, and a key added by a merge at the merge", async () => {
    const repo = mkdtempSync(join(tmpdir(), "aiwarden-secrets-merge-"));
    const branchKey = plantedKey("groq-api-key", "merge-branch");
    const mergeKey = plantedKey("xai-api-key", "merge-resolution");
    try {
      gitIn(repo, ["init", "-q"]);
      writeTree(repo, { "README.md": "hello\n" });
      gitIn(repo, ["add", "--all"]);
      gitIn(repo, ["commit", "-q", "-m", "root"], JANUARY);
      gitIn(repo, ["checkout", "-q", "-b", "topic"]);
      writeTree(repo, { "topic.env": `GROQ_API_KEY=${branchKey.secret}\n` });
      gitIn(repo, ["add", "--all"]);
      gitIn(repo, ["commit", "-q", "-m", "topic"], FEBRUARY);
      const topic = gitIn(repo, ["rev-parse", "HEAD"]).trim();
      gitIn(repo, ["checkout", "-q", "main"]);
      gitIn(repo, ["merge", "-q", "--no-ff", "--no-commit", "topic"], MARCH);
      // An "evil merge": the merge commit itself adds a file neither parent has.
      writeTree(repo, { "merge.env": `XAI_API_KEY=${mergeKey.secret}\n` });
      gitIn(repo, ["add", "--all"]);
      gitIn(repo, ["commit", "-q", "-m", "merge topic"], MARCH);
      const merge = gitIn(repo, ["rev-parse", "HEAD"]).trim();
      const result = await scanHistory(repo, { detectors });
      const byKey = new Map(result.secrets.map((s) => [s.fingerprint, s]));
      assert.deepEqual([byKey.get(fingerprintSecret(branchKey.secret))?.commit, byKey.get(fingerprintSecret(branchKey.secret))?.authorDate], [topic, FEBRUARY]);
      assert.deepEqual([byKey.get(fingerprintSecret(mergeKey.secret))?.commit, byKey.get(fingerprintSecret(mergeKey.secret))?.path], [merge, "merge.env"]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe("keyOccurrences", () => {
  it("lists tree occurrences and history-only keys for key hygiene, without key text", async () => {
    const { keyOccurrences } = await import("./facts.js");
    const detector = { id: "groq-api-key", provider: "Groq", kind: "API key", confidence: "high" as const };
    const listed = keyOccurrences({
      git: true,
      occurrences: [{ path: ".env.production", line: 2, column: 14, detector, fingerprint: "a".repeat(16), redacted: "gsk_…", variable: "GROQ_API_KEY", tracked: true, fileKind: "env" }],
      suppressed: [],
      envFiles: [],
      history: {
        secrets: [
          { fingerprint: "a".repeat(16), detector, redacted: "gsk_…", path: ".env.production", line: 2, stillPresent: true, blobs: 1 },
          { fingerprint: "b".repeat(16), detector, redacted: "gsk_…", path: "old/.env.staging", line: 1, stillPresent: false, blobs: 1, commit: "c".repeat(40) },
        ],
        suppressed: [], blobs: 2, bytes: 10, skippedLarge: 0, skippedBinary: 0,
      },
    });
    assert.deepEqual(listed, [
      { fingerprint: "a".repeat(16), redacted: "gsk_…", provider: "Groq", detector: "groq-api-key", path: ".env.production", line: 2, variable: "GROQ_API_KEY" },
      { fingerprint: "b".repeat(16), redacted: "gsk_…", provider: "Groq", detector: "groq-api-key", path: "old/.env.staging", line: 1, historyOnly: true },
    ]);
  });
});
