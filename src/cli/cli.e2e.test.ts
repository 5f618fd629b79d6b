// End-to-end: runs the built CLI (dist/cli.js) as a user would, on the bundled example and on bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../testing/fixtures.js";
import { startReplayServer } from "../testing/replay-server.js";
import { recordingsDir } from "../testing/registry.js";
import { gitIn, leakedKeys, materialize, plantedKey } from "../testing/secret-tree.js";
import type { ScanResult } from "../scan/result.js";

const cli = join(repoRoot, "dist", "cli.js");
const example = join(repoRoot, "examples", "ai-service");

// Each run gets an empty cache folder, and commands that read dependencies run with --offline: these tests never reach
// the network. The online path is tested below against the local replay server.
const OFFLINE_COMMANDS = new Set(["scan", "why", "manifest"]);

function run(args: string[], cwd = repoRoot, env: NodeJS.ProcessEnv = {}) {
  const command = args[0] ?? "";
  const argv = OFFLINE_COMMANDS.has(command) ? [command, "--offline", ...args.slice(1)] : args;
  const cache = mkdtempSync(join(tmpdir(), "aiwarden-e2e-cache-"));
  const out = spawnSync(process.execPath, [cli, ...argv], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", XDG_CACHE_HOME: cache, ...env }, maxBuffer: 1 << 30 });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** Like run, but without blocking the event loop: needed when this process serves the CLI (the replay server). */
function runAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cache = mkdtempSync(join(tmpdir(), "aiwarden-e2e-cache-"));
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1", XDG_CACHE_HOME: cache, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

function scratch(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "aiwarden-e2e-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

test("scan of the bundled example lists AI packages of both ecosystems with their chains", () => {
  const { code, stdout, stderr } = run(["scan", example]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^web\s+npm\s+web\/package-lock\.json, web\/package\.json/m);
  assert.match(stdout, /^worker\s+pypi\s+worker\/uv\.lock, worker\/pyproject\.toml/m);
  assert.match(stdout, /^\s+openai\s+4\.\d+\.\d+\s+direct\s+llm-sdk\s+OpenAI\s+root › openai/m);
  assert.match(stdout, /^\s+litellm\s+1\.74\.3\s+transitive\s+gateway\s+.*root › crewai › litellm/m);
  assert.match(stdout, /^\s+@anthropic-ai\/sdk\s+\S+\s+transitive \(dev\)\s+llm-sdk\s+.*root › promptfoo/m);
  assert.doesNotMatch(stdout, /^\s+express\s/m, "non-AI packages are listed only with --all");
  assert.match(run(["scan", example, "--all"]).stdout, /^\s+express\s+4\.21\.2\s+direct\s+-/m);
});

test("--format json prints the public contract with every package", () => {
  const { code, stdout } = run(["scan", example, "--format", "json"]);
  assert.equal(code, 0);
  const result = JSON.parse(stdout) as ScanResult;
  assert.equal(result.schemaVersion, 1);
  assert.equal(result.tool.name, "aiwarden");
  assert.ok(result.findings.every((f) => f.severity === "medium" || f.severity === "low"), "the example has nothing above medium");
  assert.ok(result.findings.some((f) => f.ruleId === "AIW-PIN-001" && f.file === "web/package.json" && f.package?.name === "openai"));
  assert.deepEqual(result.projects.map((p) => [p.path, p.ecosystem]), [["web", "npm"], ["worker", "pypi"]]);
  const web = result.projects[0];
  assert.ok((web?.packages.length ?? 0) > 500, "every package, not only AI ones");
  const express = web?.packages.find((p) => p.name === "express" && p.direct);
  assert.deepEqual(express && { ai: express.ai, source: express.source, purl: express.purl, dev: express.dev }, { ai: null, source: "registry", purl: "pkg:npm/express@4.21.2", dev: false });
  const litellm = result.projects[1]?.packages.find((p) => p.name === "litellm");
  assert.deepEqual(litellm?.paths[0], ["root", "crewai", "litellm"]);
  assert.deepEqual(litellm?.ai, { category: "gateway", provider: litellm?.ai?.provider });
  assert.ok(result.files.every((f) => f.status === "ok"), JSON.stringify(result.files));
  assert.ok(result.projects.every((p) => p.packages.every((pkg) => pkg.paths.length <= 5)));
});

test("why prints every chain that pulls a package in", () => {
  const { code, stdout } = run(["why", "LiteLLM", example]);
  assert.equal(code, 0);
  assert.match(stdout, /litellm 1\.74\.3/);
  assert.match(stdout, /root › crewai@\S+ › litellm@1\.74\.3/);
  const missing = run(["why", "left-pad-ai", example]);
  assert.equal(missing.code, 1);
  assert.match(missing.stdout, /not a dependency of any project/);
});

test("manifest writes a baseline and --check catches a new, changed or removed AI package", () => {
  const root = mkdtempSync(join(tmpdir(), "aiwarden-manifest-"));
  cpSync(example, root, { recursive: true });
  assert.equal(run(["manifest", root, "-o", join(root, "docs/ai-dependency-manifest.txt")]).code, 0);
  const written = readFileSync(join(root, "docs/ai-dependency-manifest.txt"), "utf8");
  assert.match(written, /^litellm 1\.74\.3 transitive gateway via crewai>litellm$/m);
  assert.equal(run(["manifest", root]).stdout, written, "printing and writing give the same bytes");
  const clean = run(["manifest", root, "--check"]);
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);

  writeFileSync(join(root, "docs/ai-dependency-manifest.txt"), written.replace(/^litellm 1\.74\.3 /m, "litellm 1.74.2 ").replace(/^openai .*\n/m, ""));
  const drift = run(["manifest", root, "--check"]);
  assert.equal(drift.code, 1);
  assert.match(drift.stdout, /~ litellm 1\.74\.2 .* → 1\.74\.3/);
  assert.match(drift.stdout, /\+ openai 4\.\d+\.\d+ direct llm-sdk/);
});

test("bad input: each file gets one status line naming it, no stack trace, and the scan goes on", () => {
  const root = scratch({
    "good/package.json": JSON.stringify({ name: "good", dependencies: { openai: "4.0.0" } }),
    "empty/package-lock.json": "",
    "wrong/package-lock.json": "lockfileVersion: 3\nthis is yaml, not json\n",
    "truncated-json/package-lock.json": '{"name":"x","lockfileVersion":3,"packages":{"":{"dependencies":{"a":"1"}},"node_modules/a":{"vers',
    "truncated-yaml/pnpm-lock.yaml": "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a: {specifier: 1.0.0, version: [1.0.0\n",
    "truncated-toml/poetry.lock": '[[package]]\nname = "litellm"\nversion = "1.82.6\n',
    "binary/yarn.lock": Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x01]),
    "cycle/requirements.txt": "-r requirements-dev.txt\nopenai==1.0.0\n",
    "cycle/requirements-dev.txt": "-r requirements.txt\npytest==8.0.0\n",
  });
  const { code, stdout, stderr } = run(["scan", root, "--fail-on", "none"]);
  assert.equal(code, 3, "some input could not be read");
  for (const path of ["empty/package-lock.json", "wrong/package-lock.json", "truncated-json/package-lock.json", "truncated-yaml/pnpm-lock.yaml", "truncated-toml/poetry.lock", "binary/yarn.lock"]) {
    assert.match(stdout, new RegExp(`^  failed  ${path.replace(/[./]/g, "\\$&")}: \\S`, "m"), path);
  }
  assert.match(stdout, /cycle\/requirements[-a-z]*\.txt: .*cycle/);
  assert.match(stdout, /^good\s+npm/m, "the readable project is still reported");
  assert.doesNotMatch(stdout + stderr, /\n\s+at \S+ \(/, "no stack trace");
});

test("a 50 MB lockfile is read or refused with a reason, never a crash", () => {
  const packages: Record<string, unknown> = { "": { name: "big", dependencies: { "pkg-0": "1.0.0" } } };
  const filler = "x".repeat(400);
  // A binary tree of dependencies: realistic depth (17), unrealistic size.
  const count = 110_000;
  for (let i = 0; i < count; i++) {
    const children = [2 * i + 1, 2 * i + 2].filter((c) => c < count);
    packages[`node_modules/pkg-${i}`] = { version: "1.0.0", integrity: `sha512-${filler}`, dependencies: Object.fromEntries(children.map((c) => [`pkg-${c}`, "1.0.0"])) };
  }
  const text = JSON.stringify({ name: "big", lockfileVersion: 3, packages });
  assert.ok(text.length > 50 * 1024 * 1024);
  const root = scratch({ "package-lock.json": text });
  const read = run(["scan", root, "--format", "json"]);
  assert.equal(read.code, 0, read.stderr);
  assert.equal((JSON.parse(read.stdout) as ScanResult).projects[0]?.packages.length, count);
  const refused = run(["scan", root, "--max-file-size", "10"]);
  assert.equal(refused.code, 3);
  assert.match(refused.stdout, /failed {2}package-lock\.json: file is \d+\.\d MB, over the 10\.0 MB limit/);
});

test("a scan that finds nothing usable says so and exits non-zero", () => {
  const empty = scratch({ "README.md": "# nothing here" });
  const none = run(["scan", empty]);
  assert.equal(none.code, 3);
  assert.match(none.stderr, /no dependency files found/);
  const unreadable = run(["scan", scratch({ "package-lock.json": "{" })]);
  assert.equal(unreadable.code, 3);
  assert.match(unreadable.stderr, /none of the dependency files found could be read/);
  assert.doesNotMatch(unreadable.stdout, /no issues/i);
});

test("--version, --help with examples on every command, and usage errors exit 2", () => {
  const version = run(["--version"]);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }).version);
  for (const command of ["scan", "why", "manifest"]) {
    const help = run([command, "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Examples:/, command);
    assert.match(help.stdout, /--offline/, command);
    assert.match(help.stdout, /--format/, command);
  }
  assert.equal(run(["scan", "--format", "xml"]).code, 2);
  assert.equal(run(["frobnicate"]).code, 2);
  const missing = run(["scan", "/no/such/dir"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^aiwarden: .*no such file or directory/m);
});

test("the configuration adds catalog entries and excludes paths; a bad configuration is a usage error", () => {
  const root = scratch({
    "package.json": JSON.stringify({ name: "svc", dependencies: { "@acme/llm-client": "1.2.3", openai: "4.0.0" } }),
    "test/fixtures/package.json": JSON.stringify({ name: "fixture", dependencies: { litellm: "1.0.0" } }),
    ".aiwarden.yml": "exclude: [test/fixtures/**]\ncatalog:\n  - ecosystem: npm\n    name: '@acme/llm-client'\n    category: gateway\n    provider: Acme\n    hosts: [llm.acme.internal]\n    env: [ACME_LLM_KEY]\n",
  });
  const { code, stdout } = run(["scan", root, "--fail-on", "none"]);
  assert.equal(code, 0);
  assert.match(stdout, /^\s+@acme\/llm-client\s+1\.2\.3\s+direct\s+gateway\s+Acme/m);
  assert.doesNotMatch(stdout, /fixtures/, "excluded by the configuration");
  assert.match(run(["scan", root, "--exclude", "package.json"]).stderr, /no dependency files found/);

  writeFileSync(join(root, ".aiwarden.yml"), "catalog:\n  - ecosystem: npm\n    name: x\n    category: chatbot\n");
  const bad = run(["scan", root]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^aiwarden: .*\.aiwarden\.yml: invalid catalog additions.*\/0\/category/m);
  assert.equal(bad.stderr.trim().split("\n").length, 1, "one line");
});

const incident = join(repoRoot, "examples", "incident");

test("findings: the incident example fails on a compromised litellm, with its chain, in every format", () => {
  const text = run(["scan", incident]);
  assert.equal(text.code, 1, "findings at or above high");
  assert.match(text.stdout, /^CRITICAL\s+AIW-BLOCK-001\s+Known-compromised package version$/m);
  assert.match(text.stdout, /requirements\.txt:9\s+litellm 1\.82\.8/);
  assert.match(text.stdout, /MAL-2026-2144/);
  assert.match(text.stdout, /via root › dspy › litellm/);
  assert.match(text.stdout, /^CRITICAL\s+AIW-ACTION-001/m, "the force-pushed trivy-action tag");

  const json = JSON.parse(run(["scan", incident, "--format", "json"]).stdout) as ScanResult;
  const blocked = json.findings.find((f) => f.ruleId === "AIW-BLOCK-001");
  assert.deepEqual(blocked && { severity: blocked.severity, file: blocked.file, line: blocked.line, paths: blocked.paths, purl: blocked.package?.purl },
    { severity: "critical", file: "requirements.txt", line: 9, paths: [["root", "dspy", "litellm"]], purl: "pkg:pypi/litellm@1.82.8" });
  assert.match(blocked?.fingerprint ?? "", /^[0-9a-f]{16}$/);
  assert.ok(blocked?.fix);

  const sarif = JSON.parse(run(["scan", incident, "--format", "sarif"]).stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
  assert.equal(sarif.version, "2.1.0");
  const result = sarif.runs[0]?.results.find((r) => r.ruleId === "AIW-BLOCK-001");
  assert.deepEqual(result?.locations[0]?.physicalLocation.artifactLocation.uri, "requirements.txt");
  assert.equal(result?.locations[0]?.physicalLocation.region.startLine, 9);
  assert.ok(sarif.runs[0]?.results.every((r) => (r.locations[0]?.physicalLocation.region.startLine ?? 0) >= 1));

  const markdown = run(["scan", incident, "--format", "markdown"]).stdout;
  assert.match(markdown, /AIW-BLOCK-001/);
  assert.match(markdown, /critical/i);
});

test("--fail-on and ignores with a reason and an expiry decide the exit code", () => {
  assert.equal(run(["scan", incident, "--fail-on", "none"]).code, 0);
  assert.equal(run(["scan", example, "--fail-on", "medium"]).code, 1, "the example has medium findings");
  assert.equal(run(["scan", example]).code, 0, "default threshold is high");
  const root = mkdtempSync(join(tmpdir(), "aiwarden-ignore-"));
  cpSync(incident, root, { recursive: true });
  const json = JSON.parse(run(["scan", root, "--format", "json"]).stdout) as ScanResult;
  const severe = json.findings.filter((f) => f.severity === "critical" || f.severity === "high");
  const ignore = severe.map((f) => `  - fingerprint: ${f.fingerprint}\n    reason: accepted in the incident drill\n    expires: 2999-01-01\n`).join("");
  writeFileSync(join(root, ".aiwarden.yml"), `ignore:\n${ignore}`);
  const quiet = run(["scan", root]);
  assert.equal(quiet.code, 0, quiet.stdout);
  assert.doesNotMatch(quiet.stdout, /AIW-BLOCK-001/);
  writeFileSync(join(root, ".aiwarden.yml"), `ignore:\n${ignore.replace(/2999-01-01/g, "2020-01-01")}`);
  const expired = run(["scan", root]);
  assert.equal(expired.code, 1);
  assert.match(expired.stdout, /AIW-BLOCK-001/);
  assert.match(expired.stdout, /AIW-CONFIG-001\s+Ignore entry has expired/);
  assert.match(expired.stdout, /\.aiwarden\.yml:2/);
});

test("a well-kept project (exact pins, hashes, npm ci, SHA-pinned actions) gives no finding above low", () => {
  const { code, stdout } = run(["scan", join(repoRoot, "src", "cli", "fixtures", "well-kept"), "--format", "json", "--fail-on", "low"]);
  const result = JSON.parse(stdout) as ScanResult;
  assert.deepEqual(result.findings.filter((f) => f.severity !== "low" && f.severity !== "info"), []);
  assert.equal(result.projects.length, 2, "both projects were read");
  assert.ok(result.files.some((f) => f.path === ".github/workflows/ci.yml" && f.status === "ok"), "the workflow was read");
  assert.equal(code, result.findings.length > 0 ? 1 : 0);
});

test("aiwarden's own repository scans clean", () => {
  const { code, stdout } = run(["scan", repoRoot, "--format", "json", "--fail-on", "low"]);
  const result = JSON.parse(stdout) as ScanResult;
  assert.deepEqual(result.findings.map((f) => `${f.ruleId} ${f.file}`), []);
  assert.equal(code, 0);
});

test("online sources through the replay server: a tampered integrity is critical, and said once when a source is unreachable", async () => {
  const server = await startReplayServer(recordingsDir("npmjs"));
  try {
    const root = mkdtempSync(join(tmpdir(), "aiwarden-e2e-online-"));
    cpSync(join(repoRoot, "src", "rules", "fixtures", "registry", "npm-tampered"), root, { recursive: true });
    // The project's own .npmrc names the registry, as a user's mirror would be configured.
    writeFileSync(join(root, ".npmrc"), `registry=${server.url}/\n`);
    const { code, stdout, stderr } = await runAsync(["scan", root, "--format", "json", "--no-secrets"], { AIWARDEN_OSV_API: "http://127.0.0.1:9" });
    const result = JSON.parse(stdout) as ScanResult;
    const mismatch = result.findings.filter((f) => f.ruleId === "AIW-HASH-004");
    assert.deepEqual(mismatch.map((f) => `${f.package?.name} ${f.severity}`), ["is-number critical"]);
    assert.equal(code, 1);
    assert.ok(server.requests.some((r) => r.path === "/is-number"), "the packument was asked at the configured registry");
    // One line for the unreachable OSV API, saying what was skipped and why (not a second "network unreachable" line).
    const notes = stderr.split("\n").filter((l) => l.includes("127.0.0.1:9"));
    assert.equal(notes.length, 1, `one note for the unreachable OSV API:\n${stderr}`);
    assert.match(notes[0] ?? "", /^aiwarden: note: osv: OSV not consulted \(127\.0\.0\.1:9 unreachable: .+; nothing cached\)/);
  } finally {
    await server.close();
  }
});

test("--offline --osv-db names MAL-2026-2144 for litellm 1.82.8 without the network", () => {
  const root = mkdtempSync(join(tmpdir(), "aiwarden-e2e-osv-"));
  cpSync(join(repoRoot, "src", "rules", "fixtures", "advisories", "uv-litellm"), root, { recursive: true });
  // With the shipped blocklist's rule on, AIW-BLOCK-001 reports this version and AIW-MALWARE-001 leaves it alone;
  // turned off, the OSV database alone must find it.
  writeFileSync(join(root, ".aiwarden.yml"), "rules:\n  AIW-BLOCK-001: \"off\"\n");
  const { stdout } = run(["scan", root, "--format", "json", "--osv-db", join(repoRoot, "src", "sources", "fixtures", "osv", "db")]);
  const result = JSON.parse(stdout) as ScanResult;
  assert.ok(!result.findings.some((f) => f.ruleId === "AIW-BLOCK-001"));
  const malware = result.findings.filter((f) => f.ruleId === "AIW-MALWARE-001");
  assert.equal(malware.length, 1);
  assert.match(malware[0]?.message ?? "", /MAL-2026-2144/);
  assert.equal(malware[0]?.severity, "critical");
});

test("secrets and keys: planted keys are found, shared keys reported, and no output format prints a key", () => {
  const base = mkdtempSync(join(tmpdir(), "aiwarden-e2e-secrets-"));
  const root = join(base, "repo");
  const planted = materialize(join(repoRoot, "src", "secrets", "fixtures", "tree"), root);
  gitIn(root, ["init", "-q"]);
  gitIn(root, ["add", "--all"]);
  gitIn(root, ["commit", "-q", "-m", "fixture"]);
  const outputs: string[] = [];
  for (const format of ["text", "json", "sarif", "markdown"]) {
    const out = run(["secrets", root, "--format", format, "--history"]);
    assert.equal(out.code, 1, `${format}: critical credentials fail the run\n${out.stderr}`);
    outputs.push(out.stdout, out.stderr);
  }
  const json = JSON.parse(run(["secrets", root, "--format", "json"]).stdout) as ScanResult;
  assert.ok(json.findings.some((f) => f.ruleId === "AIW-SECRET-001" && f.severity === "critical"));
  assert.ok(json.findings.every((f) => f.ruleId.startsWith("AIW-SECRET-")));
  const scanned = run(["scan", root, "--format", "json", "--fail-on", "none"]);
  outputs.push(scanned.stdout, scanned.stderr);
  assert.ok((JSON.parse(scanned.stdout) as ScanResult).findings.some((f) => f.ruleId === "AIW-SECRET-001"), "scan includes the credential rules");
  assert.ok(!(JSON.parse(run(["scan", root, "--format", "json", "--no-secrets"]).stdout) as ScanResult).findings.some((f) => f.ruleId.startsWith("AIW-SECRET-")));
  for (const args of [["keys", root], ["keys", root, "--format", "json"], ["keys", "rotate-plan", root, "--history"], ["keys", "rotate-plan", root, "--format", "json"]]) {
    const out = run(args);
    assert.equal(out.code, 0, `${args.join(" ")}\n${out.stderr}`);
    outputs.push(out.stdout, out.stderr);
  }
  const inventory = JSON.parse(run(["keys", root, "--format", "json"]).stdout) as { keys: Array<{ fingerprint: string; locations: unknown[] }> };
  assert.ok(inventory.keys.length >= 10 && inventory.keys.every((k) => /^[0-9a-f]{16}$/.test(k.fingerprint) && k.locations.length > 0));
  assert.deepEqual(leakedKeys(outputs.join("\n"), planted).map((k) => k.detector), []);
});

test("one key in two scanned repositories is reported once as shared, with both places", () => {
  const key = plantedKey("anthropic-api-key", "e2e-shared");
  const base = mkdtempSync(join(tmpdir(), "aiwarden-e2e-repos-"));
  for (const name of ["billing", "search"]) {
    mkdirSync(join(base, name, "config"), { recursive: true });
    writeFileSync(join(base, name, "config", "production.env"), `ANTHROPIC_API_KEY=${key.secret}\n`);
  }
  const out = run(["secrets", "billing", "search", "--format", "json"], base);
  const result = JSON.parse(out.stdout) as ScanResult;
  const shared = result.findings.filter((f) => f.ruleId === "AIW-SECRET-006");
  assert.equal(shared.length, 1, out.stdout);
  assert.match(shared[0]?.message ?? "", /billing.*search/);
  assert.equal(result.findings.filter((f) => f.ruleId === "AIW-SECRET-001").length, 2, "each repository's copy is a finding of its own");
  assert.deepEqual(leakedKeys(out.stdout + out.stderr, [key]), []);
  // Repositories reached through the same folders, each with its key at its root.
  for (const name of ["a", "b"]) {
    mkdirSync(join(base, "work", name), { recursive: true });
    writeFileSync(join(base, "work", name, ".env"), `ANTHROPIC_API_KEY=${key.secret}\n`);
  }
  const nested = run(["secrets", "work/a", "work/b", "--format", "json"], base);
  const reused = (JSON.parse(nested.stdout) as ScanResult).findings.filter((f) => f.ruleId === "AIW-SECRET-006");
  assert.equal(reused.length, 1, nested.stdout);
  assert.match(reused[0]?.message ?? "", /2 services \(work\/a, work\/b\)/);
  const keys = JSON.parse(run(["keys", "work/a", "work/b", "--format", "json"], base).stdout) as { keys: Array<{ services: string[] }> };
  assert.deepEqual(keys.keys.map((k) => k.services), [["work/a", "work/b"]]);
});

test("a reader that closes the pipe early (`aiwarden scan | head`) ends the run quietly", async () => {
  const cache = mkdtempSync(join(tmpdir(), "aiwarden-e2e-cache-"));
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolvePromise) => {
    const child = spawn(process.execPath, [cli, "scan", example, "--all", "--offline"], { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1", XDG_CACHE_HOME: cache } });
    // Nobody reads standard output: its pipe is closed before the report is written.
    child.stdout.destroy();
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
    child.on("close", (exit) => resolvePromise({ code: exit, stderr: err }));
  });
  assert.doesNotMatch(stderr, /EPIPE|Unhandled|at .*\.js:\d+/, stderr);
  assert.ok(code === 0 || code === 1, `exit code ${code}`);
});
