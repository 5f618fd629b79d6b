import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../config/config.js";
import { fixturePath, realworldPath, repoRoot } from "../testing/fixtures.js";
import { gitIn, leakedKeys, materialize, plantedKeys, writeTree } from "../testing/secret-tree.js";
import type { PlantedKey } from "../testing/secret-tree.js";
import { loadDetectors } from "./detect.js";
import { fingerprintSecret } from "./redact.js";
import { scanFile, scanSecrets } from "./scan-tree.js";
import type { SecretScan } from "./scan-tree.js";

const detectors = loadDetectors();

/** Files of the fixture tree left untracked (and not ignored). */
const UNTRACKED = ["services/worker/.env.staging", "services/api/.env"];

/** The fixture tree as a git repository: everything committed except an untracked .env and the ignored files. */
function buildRepository(root: string): { planted: Array<PlantedKey & { path: string }>; everyDetector: Array<PlantedKey & { path: string }> } {
  const planted = materialize(fixturePath(import.meta.url, "tree"), root);
  // One file per shipped detector, holding its sample text (with the assignment that context detectors need).
  const everyDetector = plantedKeys().map((key) => ({ ...key, path: `keys/${key.detector}.txt` }));
  writeTree(root, Object.fromEntries(everyDetector.map((k) => [k.path, `${k.text}\n`])));
  gitIn(root, ["init", "-q"]);
  gitIn(root, ["add", "--all", "--", ".", ...UNTRACKED.map((p) => `:!${p}`)]);
  gitIn(root, ["commit", "-q", "-m", "fixture"]);
  return { planted, everyDetector };
}

describe("scanSecrets on a fixture tree with planted keys", () => {
  let base: string;
  let root: string;
  let planted: Array<PlantedKey & { path: string }>;
  let everyDetector: Array<PlantedKey & { path: string }>;
  let scan: SecretScan;

  before(async () => {
    base = mkdtempSync(join(tmpdir(), "aiwarden-secrets-tree-"));
    root = join(base, "repo");
    ({ planted, everyDetector } = buildRepository(root));
    // Not committed: a binary file and one over the size limit, each holding a key.
    writeTree(root, {
      "assets/blob.bin": Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(planted[0]?.secret ?? "")]),
      "data/big.txt": `${"lorem ipsum dolor sit amet\n".repeat(4000)}${planted[0]?.secret}\n`,
    });
    scan = await scanSecrets(root, { detectors, maxFileBytes: 64 * 1024 });
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it("recall: finds every key planted for every shipped detector, with the right detector and fingerprint", () => {
    assert.ok(everyDetector.length >= 40, "one file per shipped detector");
    const found = new Set(scan.facts.occurrences.map((o) => `${o.path} ${o.detector.id} ${o.fingerprint}`));
    const missing = everyDetector.filter((k) => !found.has(`${k.path} ${k.detector} ${fingerprintSecret(k.secret)}`));
    assert.deepEqual(missing.map((k) => k.detector), []);
  });

  it("recall and precision: exactly the planted keys, minus ignored files and accepted markers", () => {
    const notScanned = new Set([".env.local", "logs/run.log"]);
    const expected = [...planted, ...everyDetector]
      .filter((k) => !notScanned.has(k.path) && k.path !== "docs/incident.md")
      .map((k) => `${k.path} ${k.detector} ${fingerprintSecret(k.secret)}`)
      .sort();
    const actual = scan.facts.occurrences.map((o) => `${o.path} ${o.detector.id} ${o.fingerprint}`).sort();
    assert.deepEqual(actual, expected);
  });

  it("places each key: line, variable, tracked flag, deployment setting, notebook cell", () => {
    const at = (path: string) => scan.facts.occurrences.filter((o) => o.path === path).map((o) => ({
      line: o.line, detector: o.detector.id, variable: o.variable, tracked: o.tracked, deploy: o.deploy, notebook: o.notebook, marker: o.markerWithoutReason,
    }));
    const none = { variable: undefined, deploy: undefined, notebook: undefined, marker: undefined };
    assert.deepEqual(at("app/settings.py"), [{ ...none, line: 3, detector: "openai-project-key", variable: "OPENAI_API_KEY", tracked: true }]);
    assert.deepEqual(at(".env"), [{ ...none, line: 3, detector: "groq-api-key", variable: "GROQ_API_KEY", tracked: true }]);
    assert.deepEqual(at("services/worker/.env.staging"), [{ ...none, line: 1, detector: "huggingface-token", variable: "HF_TOKEN", tracked: false }]);
    assert.deepEqual(at("Dockerfile"), [
      { ...none, line: 2, detector: "huggingface-token", variable: "HF_TOKEN", tracked: true, deploy: { kind: "dockerfile-arg", name: "HF_TOKEN" } },
      { ...none, line: 3, detector: "openai-project-key", variable: "OPENAI_API_KEY", tracked: true, deploy: { kind: "dockerfile-env", name: "OPENAI_API_KEY" } },
    ]);
    assert.deepEqual(at("k8s/deployment.yaml").map((o) => [o.line, o.detector, o.deploy]), [[13, "anthropic-api-key", { kind: "kubernetes-env", name: "ANTHROPIC_API_KEY" }]]);
    assert.deepEqual(at("docker-compose.yml").map((o) => [o.line, o.detector, o.deploy]), [
      [5, "xai-api-key", { kind: "compose-environment", name: "XAI_API_KEY" }],
      [11, "huggingface-token", { kind: "compose-build-arg", name: "HF_TOKEN" }],
    ]);
    assert.deepEqual(at("k8s/config.yaml").map((o) => [o.line, o.detector, o.deploy]), [
      [6, "mistral-api-key", { kind: "kubernetes-configmap", name: "MISTRAL_API_KEY" }],
      [13, "perplexity-api-key", { kind: "kubernetes-secret-manifest", name: "PERPLEXITY_API_KEY" }],
    ]);
    assert.deepEqual(at("config/observability.yaml").map((o) => [o.line, o.detector, o.deploy]), [[3, "langfuse-public-key", undefined]]);
    assert.deepEqual(at("infra/main.tf").map((o) => [o.line, o.detector]), [[3, "aws-access-key-id"], [4, "aws-secret-access-key"]]);
    assert.deepEqual(at("config/app.json").map((o) => [o.line, o.detector]), [[3, "replicate-api-token"]]);
    assert.deepEqual(at("config/settings.toml").map((o) => [o.line, o.detector, o.variable]), [[3, "cohere-api-key", "cohere_api_key"]]);
    assert.deepEqual(at("docs/no-reason.md").map((o) => [o.line, o.detector, o.marker]), [[2, "npm-access-token", true]]);
    // Lines of the .ipynb file: the stream output's text line and the source line.
    assert.deepEqual(at("notebooks/explore.ipynb").map((o) => [o.line, o.detector, o.notebook]), [
      [21, "groq-api-key", { cell: 1, part: "output" }],
      [38, "openai-project-key", { cell: 1, part: "source" }],
    ]);
  });

  it("an aiwarden-ignore marker with a reason suppresses the line, and says why", () => {
    assert.deepEqual(scan.facts.suppressed.map((s) => [s.occurrence.path, s.occurrence.line, s.occurrence.detector.id, s.reason, s.markerLine]), [
      ["docs/incident.md", 5, "github-personal-access-token", "revoked in the March incident, kept for the write-up", 5],
    ]);
  });

  it("records env files: tracked or not, template or not, how many values, which look like credentials", () => {
    assert.deepEqual(scan.facts.envFiles, [
      { path: ".env", tracked: true, template: false, values: 3, secretLike: [{ variable: "GROQ_API_KEY", line: 3 }, { variable: "DATABASE_URL", line: 4 }], firstValueLine: 2 },
      { path: ".env.example", tracked: true, template: true, values: 1, secretLike: [], firstValueLine: 4 },
      { path: "services/api/.env", tracked: false, template: false, values: 1, secretLike: [], firstValueLine: 1 },
      { path: "services/worker/.env.staging", tracked: false, template: false, values: 2, secretLike: [{ variable: "HF_TOKEN", line: 1 }], firstValueLine: 1 },
      { path: "tools/.env.template", tracked: true, template: true, values: 1, secretLike: [{ variable: "SERVICE_TOKEN", line: 2 }], firstValueLine: 2 },
      { path: "web/.env.development", tracked: true, template: false, values: 2, secretLike: [], firstValueLine: 1 },
    ]);
    assert.equal(scan.facts.git, true);
  });

  it("reports files over the size limit instead of skipping them silently, and counts binary files", () => {
    assert.deepEqual(scan.files, [
      { path: "data/big.txt", status: "unsupported", reason: "over the size limit (106 KB > 64 KB): not scanned for secrets" },
    ]);
    assert.equal(scan.stats.binaryFiles, 1, "assets/blob.bin");
    assert.ok(scan.stats.files > 60 && scan.stats.bytes > 0);
  });

  it("reads through the thread pool (concurrency > 1) with the same outcome", async () => {
    const parallel = await scanSecrets(root, { detectors, maxFileBytes: 64 * 1024, concurrency: 8 });
    assert.deepEqual(parallel.facts, scan.facts);
    assert.deepEqual(parallel.files, scan.files);
  });

  it("scans on worker threads with the same outcome", async () => {
    const threaded = await scanSecrets(root, { detectors, maxFileBytes: 64 * 1024, threads: 3 });
    assert.deepEqual(threaded.facts, scan.facts);
    assert.deepEqual(threaded.files, scan.files);
    assert.deepEqual({ ...threaded.stats, milliseconds: 0 }, { ...scan.stats, milliseconds: 0 });
  });

  it("never holds a planted key in its facts, statuses or counters", () => {
    assert.deepEqual(leakedKeys(JSON.stringify(scan), [...planted, ...everyDetector]).map((k) => k.detector), []);
  });

  it("honours the configuration's exclude globs (files and whole folders)", async () => {
    const excluded = await scanSecrets(root, { detectors, exclude: ["keys/**", "config", "**/*.ipynb"] });
    const paths = new Set(excluded.facts.occurrences.map((o) => o.path));
    assert.ok(![...paths].some((p) => p.startsWith("keys/") || p.startsWith("config/") || p.endsWith(".ipynb")));
    assert.ok(paths.has("app/settings.py"));
  });

  it("a detector that throws on one file fails that file only, without quoting the error", async () => {
    const throwing = { detectors: detectors.detectors, prefilterPlan: detectors.prefilterPlan, detect: (text: string, path: string) => {
      if (path === "app/settings.py") throw new Error(`cannot parse ${text}`);
      return detectors.detect(text, path);
    } };
    const result = await scanSecrets(root, { detectors: throwing, maxFileBytes: 64 * 1024 });
    assert.deepEqual(result.files.filter((f) => f.status === "failed"), [{ path: "app/settings.py", status: "failed", reason: "the secret scan failed on this file (an aiwarden bug: please report it)" }]);
    assert.ok(result.facts.occurrences.some((o) => o.path === ".env"), "the other files are scanned");
    assert.deepEqual(leakedKeys(JSON.stringify(result), planted).map((k) => k.detector), []);
  });

  it("outside git (or with git switched off) every file under the root is read, ignored ones included", async () => {
    const walked = await scanSecrets(root, { detectors, useGit: false });
    assert.equal(walked.facts.git, false);
    const paths = new Set(walked.facts.occurrences.map((o) => o.path));
    assert.ok(paths.has(".env.local") && paths.has("logs/run.log"));
    assert.ok(walked.facts.occurrences.every((o) => !o.tracked));
  });
});

describe("the synchronous reader (no fstat for most files)", () => {
  let root: string;
  const key = plantedKeys().find((k) => k.detector === "openai-project-key") as PlantedKey;
  const line = `OPENAI_API_KEY=${key.secret}\n`;
  before(() => {
    root = mkdtempSync(join(tmpdir(), "aiwarden-secrets-reader-"));
    writeTree(root, {
      // Larger than any buffer a thread has grown to before: read to the end, in the prefilter's area and the scratch buffer.
      "big.txt": `${"const value = compute(input);\n".repeat(100_000)}${line}`,
      ".env": `${"# a long comment in an env file\n".repeat(100_000)}${line}`,
      "exact.txt": `${"#".repeat(400)}\n${line}`,
      "empty.py": "",
    });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("reads files larger than its buffer to their end, with or without the prefilter", async () => {
    const scan = await scanSecrets(root, { detectors, useGit: false, maxFileBytes: 4 * 1024 * 1024 });
    assert.deepEqual(scan.facts.occurrences.map((o) => `${o.path}:${o.line}`), [".env:100001", "big.txt:100001", "exact.txt:2"]);
    assert.deepEqual(scan.files, []);
    assert.equal(scan.stats.files, 4, "the empty file counts as read");
  });

  it("reads a file exactly at the size limit, and reports one a byte over it with its size", async () => {
    const size = statSync(join(root, "exact.txt")).size;
    const target = { path: "exact.txt", absolutePath: join(root, "exact.txt"), tracked: false };
    const atLimit = await scanFile(root, target, size, detectors, true);
    assert.ok(atLimit && typeof atLimit === "object" && "found" in atLimit && atLimit.found.length === 1);
    assert.deepEqual(await scanFile(root, target, size - 1, detectors, true), {
      path: "exact.txt", status: "unsupported", reason: `over the size limit (${size} bytes > ${size - 1} bytes): not scanned for secrets`,
    });
  });

  it("does not wait on a named pipe: it is reported as not a regular file", { skip: process.platform === "win32" }, async () => {
    execFileSync("mkfifo", [join(root, "pipe")]);
    for (const sync of [true, false]) {
      const outcome = await scanFile(root, { path: "pipe", absolutePath: join(root, "pipe"), tracked: false }, 1024, detectors, sync);
      assert.deepEqual(outcome, { path: "pipe", status: "unsupported", reason: "not a regular file: not scanned for secrets" }, sync ? "synchronous reads" : "through the thread pool");
    }
  });
});

describe("precision on real-world trees", () => {
  it("finds nothing in fixtures/realworld (lockfile integrity hashes, manifests, READMEs of AI projects)", async () => {
    const scan = await scanSecrets(realworldPath(), { detectors });
    assert.deepEqual(scan.facts.occurrences.map((o) => `${o.path}:${o.line} ${o.detector.id}`), []);
    assert.ok(scan.stats.files > 100, "the corpus was read");
  });

  it("aiwarden's own repository is clean with its configuration's excludes", async () => {
    const config = await loadConfig(undefined, [repoRoot]);
    assert.ok(config.exclude.includes("src/**/fixtures/**"));
    const scan = await scanSecrets(repoRoot, { detectors, exclude: config.exclude });
    assert.deepEqual(scan.facts.occurrences.map((o) => `${o.path}:${o.line} ${o.detector.id}`), []);
  });
});
