#!/usr/bin/env node
// Benchmark: aiwarden's secret scan against secretlint (recommended preset) and ripgrep on the same tree, as MB/s and
// ratios of medians. Targets (from the issue): at least 10× secretlint's throughput, within 3× of `rg` searching for
// the same literal prefixes the detectors start from, with bounded memory.
//
//   npm run build (at the root) && cd bench && npm ci && npm run secrets-throughput
//   node secrets-throughput.mjs [--runs 5] [--secretlint-runs 3] [--size-mb 200] [--subset-mb 20] [--seed 1]
//                               [--secretlint-subset] [--no-secretlint] [--profile] [--json] [--cache-dir DIR] [--repo DIR]
//
// The tree (built once, cached under $TMPDIR/aiwarden-bench-cache, outside any git repository, deterministic by seed):
// --size-mb of generated source (TypeScript, JavaScript and bundles, Python, YAML workflows and manifests, JSON,
// Markdown, shell, TOML, CSS, npm and uv lockfiles, a few binary files; varied line lengths, base64 blobs, UUIDs,
// hex hashes, integrity strings), copies of the repository's real fixtures (src/**/fixtures, examples/, fixtures/)
// and credentials planted at generation time from the detectors' own sample templates (no key is written here).
//
// What is timed (each tool in a fresh process, wall time, after warm-up runs so every file is in the page cache):
// - aiwarden: `aiwarden secrets <tree> --format json` when the command exists, else the library's scanSecrets() in a
//   child process (lib/secrets-scan-child.mjs) with useGit false. Both split the files over worker threads, one per
//   core (up to 8), the main thread included.
// - rg: `rg --no-ignore --hidden -c -F -e <prefix> …` with every literal prefix and anchor of
//   data/secret-detectors.json: the floor for reading the tree and finding the literals, on all cores (and -j1).
// - secretlint: `secretlint "**/*"` with @secretlint/secretlint-rule-preset-recommend on the same tree (about 20 s a
//   run for 220 MB on 2 cores). --secretlint-subset times it on the subset instead (see below) for slow machines; the
//   ratio is then taken against aiwarden on that subset, and the output says so.
// - The subset: --subset-mb of the generated packages (they hold every planted key) plus the real fixtures. aiwarden
//   is always timed on it too (peak RSS against the whole tree's).
// - Bounded memory: one more run of each aiwarden engine on the whole tree with V8's old space capped at 64 MB; it
//   must finish with the same findings.
//   secretlint 13 declares Node >= 22; it runs on Node 20 here (npm ci warns EBADENGINE). 12.0.0, the last release
//   declaring Node 20, was 25-35× slower on a 33 MB tree of this kind, so comparing with it would flatter aiwarden.
// MB are MiB (2^20 bytes) of every regular file in the tree, binary ones included: the same numerator for each tool.
// Timings vary with the machine; the ratios are what to compare. Nothing here asserts a timing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { summariseProfile, shortUrl } from "./lib/cpuprofile.mjs";
import { fail, measure, runsFrom } from "./lib/measure.mjs";
import { ensureTree } from "./lib/secrets-tree.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
// --repo: another built checkout (its dist/, data/ and fixtures), e.g. to compare a change with the current build.
const repo = resolve(stringOption(args, "--repo", join(here, "..")));
const cli = join(repo, "dist", "cli.js");
const child = join(here, "lib", "secrets-scan-child.mjs");
const secretlintBin = join(here, "node_modules", "secretlint", "bin", "secretlint.js");
const runs = runsFrom(args, 5);
const secretlintRuns = numberOption(args, "--secretlint-runs", 3);
const sizeMb = numberOption(args, "--size-mb", 200);
const subsetMb = numberOption(args, "--subset-mb", 20);
const seed = numberOption(args, "--seed", 1);
const cacheDir = stringOption(args, "--cache-dir", join(tmpdir(), "aiwarden-bench-cache"));
const secretlintSubset = flag(args, "--secretlint-subset");
const noSecretlint = flag(args, "--no-secretlint");
const profile = flag(args, "--profile");
const asJson = flag(args, "--json");
if (args.length > 0) fail(`unknown arguments: ${args.join(" ")}`);
// With --json the summary alone goes to standard output; the table and progress go to standard error.
const print = asJson ? (s = "") => process.stderr.write(`${s}\n`) : (s = "") => process.stdout.write(`${s}\n`);
const progress = (s) => process.stderr.write(`bench: ${s}\n`);
const loadAtStart = loadavg();

if (!existsSync(join(repo, "dist", "secrets", "scan-tree.js"))) fail("dist/ is missing: run `npm run build` at the repository root first");
if (!noSecretlint && !existsSync(secretlintBin)) fail("secretlint is missing: run `npm ci` in bench/ first");
const rgVersion = spawnSync("rg", ["--version"], { encoding: "utf8" });
if (rgVersion.status !== 0) fail("rg (ripgrep) is not on PATH: apt-get install -y ripgrep");

// ---------------------------------------------------------------------------------------------------------------
// The tree

const { tree, subset, manifest } = ensureTree({ repo, cacheDir, seed, sizeMb, subsetMb, log: progress });
const mib = (bytes) => bytes / (1024 * 1024);
const sizes = { tree: manifest.tree, subset: manifest.subset };
const planted = manifest.planted;

// ---------------------------------------------------------------------------------------------------------------
// The commands

const cliWorks = spawnSync(process.execPath, [cli, "secrets", "--help"], { encoding: "utf8" }).status === 0;
const cacheForCli = mkdtempSync(join(tmpdir(), "aiwarden-bench-cli-cache-"));
const document = JSON.parse(readFileSync(join(repo, "data", "secret-detectors.json"), "utf8"));
const literals = [...new Set(document.detectors.flatMap((d) => [...(d.prefixes ?? []), ...(d.anchor ? [d.anchor.literal] : [])]))].sort();
const rgCommand = (threads) => ["rg", "--no-ignore", "--hidden", "--no-messages", "-c", "-F", ...(threads ? ["-j", String(threads)] : []), ...literals.flatMap((l) => ["-e", l]), "."];
const rcDir = mkdtempSync(join(tmpdir(), "aiwarden-bench-secretlintrc-"));
const rc = join(rcDir, ".secretlintrc.json");
writeFileSync(rc, JSON.stringify({ rules: [{ id: "@secretlint/secretlint-rule-preset-recommend" }] }));
// Colour off and the one-line-per-finding formatter: the cheapest output to produce and to count.
const secretlintCommand = [process.execPath, secretlintBin, "**/*", "--secretlintrc", rc, "--format", "unix", "--no-color", "--no-terminalLink"];

progress(`aiwarden ${cliWorks ? "`secrets` command and library" : "library (no `secrets` command in dist/cli.js)"}, ${rgVersion.stdout.split("\n")[0]}, ${literals.length} literals, ${cpus().length} cores`);

// ---------------------------------------------------------------------------------------------------------------
// Runs

const results = [];
/** Times a command and reads its findings from the last run's output (`parse(stdout, root)`). */
const record = (name, tool, where, command, runCount, parse, warmups = 2) => {
  const root = where === "tree" ? tree : subset;
  const stats = measure(command, { cwd: root, runs: runCount, warmups });
  const bytes = sizes[where].bytes;
  const entry = { name, tool, tree: where, mb: mib(bytes), runs: runCount, medianMs: stats.median, minMs: stats.min, cpuMs: stats.cpuMs, mbPerS: mib(bytes) / (stats.median / 1000), peakRssMb: stats.peakMb, timesMs: stats.times, ...parse(stats.stdout, root) };
  results.push(entry);
  return entry;
};

// aiwarden's engines: the `secrets` command when dist/cli.js has it (the headline), and always the library scan alone
// (no configuration, discovery or rules), which shows where the command's extra time goes.
const engines = [
  ...(cliWorks ? [{ name: "aiwarden secrets (CLI)", command: (root) => [process.execPath, cli, "secrets", root, "--format", "json", "--fail-on", "none", "--offline", "--cache-dir", cacheForCli], parse: (out, root) => aiwardenFindings(out, root, true) }] : []),
  { name: "aiwarden scanSecrets (lib)", command: (root) => [process.execPath, child, root, repo], parse: (out, root) => aiwardenFindings(out, root, false) },
];
const timed = {};
for (const engine of engines) {
  progress(`timing ${engine.name} on the tree (${runs} runs)`);
  timed[engine.name] = { tree: record(engine.name, "aiwarden", "tree", engine.command(tree), runs, engine.parse) };
}
progress(`timing rg on the tree (${runs} runs, all cores and -j1)`);
const rg = record("rg (all cores)", "rg", "tree", rgCommand(0), runs, rgFindings);
const rg1 = record("rg -j1", "rg", "tree", rgCommand(1), runs, rgFindings);
const rgListed = spawnSync("rg", ["--files", "--no-ignore", "--hidden", "."], { cwd: tree, encoding: "utf8", maxBuffer: 1 << 30 }).stdout.split("\n").filter(Boolean).length;

// Bounded memory: the whole tree again with V8's old space capped (--max-old-space-size). Peak RSS alone grows
// slowly with the tree because V8 lets its heap and the external file buffers grow before collecting them; a scan
// that completes under a small cap with the same findings holds no per-byte state.
const HEAP_CAP_MB = 64;
for (const engine of engines) {
  progress(`${engine.name} on the tree with --max-old-space-size=${HEAP_CAP_MB} (once)`);
  const [node, ...rest] = engine.command(tree);
  const start = process.hrtime.bigint();
  const run = spawnSync("/usr/bin/time", ["-f", "%M", node, `--max-old-space-size=${HEAP_CAP_MB}`, ...rest], { cwd: tree, encoding: "utf8", maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let findings;
  try {
    findings = engine.parse(run.stdout, tree).findings;
  } catch {
    findings = undefined;
  }
  const t = timed[engine.name].tree;
  timed[engine.name].capped = { ok: (run.status === 0 || run.status === 1) && findings === t.findings, status: run.status, ms, peakRssMb: Number(run.stderr.trim().split("\n").pop()) / 1024, findings };
}

let sl;
let coverage;
const slWhere = secretlintSubset ? "subset" : "tree";
for (const engine of engines) {
  progress(`timing ${engine.name} on the subset (${runs} runs)`);
  timed[engine.name].subset = record(engine.name, "aiwarden", "subset", engine.command(subset), runs, engine.parse);
}
if (!noSecretlint) {
  progress(`timing secretlint on the ${slWhere} (${secretlintRuns} runs after one warm-up)`);
  sl = record("secretlint (recommend)", "secretlint", slWhere, secretlintCommand, secretlintRuns, secretlintFindings, 1);
  progress("checking which files secretlint reads (one untimed JSON run on the subset)");
  coverage = secretlintCoverage(subset);
}

// ---------------------------------------------------------------------------------------------------------------
// Findings

/** aiwarden's findings and the planted credentials among them (by path and line). */
function aiwardenFindings(stdout, root, fromCli = cliWorks) {
  const out = JSON.parse(stdout);
  let places;
  if (fromCli) {
    // The scan result: findings carry their location somewhere inside; collect every {path, line} pair.
    places = [];
    const walk = (value) => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") {
        const where = typeof value.file === "string" ? value.file : value.path;
        if (typeof where === "string" && typeof value.line === "number") places.push([where, value.line]);
        else Object.values(value).forEach(walk);
      }
    };
    walk(out.findings ?? []);
    return { findings: (out.findings ?? []).length, plantedFound: plantedAmong(places, root), unreadable: (out.files ?? []).filter((f) => f.status === "failed").length };
  }
  places = out.occurrences.map(([path, line]) => [path, line]);
  return {
    findings: out.occurrences.length,
    plantedFound: plantedAmong(places, root),
    filesRead: out.files,
    binaryFiles: out.binaryFiles,
    notScanned: out.notScanned.length,
    scanMs: out.milliseconds,
  };
}

/** rg: lines with a literal (summed `-c` counts) and files with one. */
function rgFindings(stdout) {
  let lines = 0;
  let files = 0;
  for (const row of stdout.split("\n")) {
    const at = row.lastIndexOf(":");
    if (at < 0) continue;
    lines += Number(row.slice(at + 1));
    files++;
  }
  return { findings: lines, note: `lines with a literal, in ${files} files` };
}

/** secretlint's findings (one `path:line:column: … [Error/… > @secretlint/secretlint-rule-x]` line each). */
function secretlintFindings(stdout, root) {
  const places = [];
  const byRule = {};
  for (const row of stdout.split("\n")) {
    const m = /^(.+?):(\d+):(\d+): .*@secretlint\/secretlint-rule-([\w-]+)\]$/.exec(row);
    if (!m) continue;
    places.push([relative(root, m[1]), Number(m[2])]);
    byRule[m[4]] = (byRule[m[4]] ?? 0) + 1;
  }
  return { findings: places.length, plantedFound: plantedAmong(places, root), byRule };
}

/** Which planted credentials a tool reported: a finding on the planted line of the planted file. */
function plantedAmong(places, root) {
  const seen = new Set(places.map(([path, line]) => `${path}:${line}`));
  const inTree = planted.filter((p) => existsSync(join(root, ...p.path.split("/"))));
  const found = inTree.filter((p) => seen.has(`${p.path}:${p.line}`));
  const missed = {};
  for (const p of inTree) if (!found.includes(p)) missed[p.detector] = (missed[p.detector] ?? 0) + 1;
  return { found: found.length, of: inTree.length, missed };
}

/** What secretlint reads: one run with the JSON formatter (it lists every file it linted, with its content type). */
function secretlintCoverage(root) {
  const output = join(rcDir, "coverage.json");
  const run = spawnSync(process.execPath, [...secretlintCommand.slice(1, 5), "--format", "json", "--output", output], { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
  if (run.status !== 0 && run.status !== 1) return { error: run.stderr.slice(-300) };
  const linted = JSON.parse(readFileSync(output, "utf8"));
  const types = {};
  for (const r of linted) types[r.sourceContentType] = (types[r.sourceContentType] ?? 0) + 1;
  rmSync(output, { force: true });
  return { files: linted.length, of: sizes.subset.files, types };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const fmt = (n, digits = 0) => (n === undefined ? "-" : n.toFixed(digits));
const headline = engines[0].name;
const library = timed["aiwarden scanSecrets (lib)"];
const verdicts = {};
for (const engine of engines) {
  const t = timed[engine.name];
  const vsSecretlint = sl ? sl.medianMs / t[slWhere].medianMs : undefined;
  const vsRg = t.tree.medianMs / rg.medianMs;
  verdicts[engine.name] = {
    secretlintTimeOverAiwarden: vsSecretlint,
    aiwardenMbPerSOverSecretlint: sl ? t.tree.mbPerS / sl.mbPerS : undefined,
    aiwardenTimeOverRg: vsRg,
    aiwardenTimeOverRgOneThread: t.tree.medianMs / rg1.medianMs,
    peakRssMb: { tree: t.tree.peakRssMb, subset: t.subset.peakRssMb, treeWithHeapCap: t.capped.peakRssMb },
    heapCap: { mb: HEAP_CAP_MB, ...t.capped },
    targets: {
      atLeast10xSecretlint: vsSecretlint === undefined ? undefined : vsSecretlint >= 10,
      within3xRg: vsRg <= 3,
      boundedMemory: t.capped.ok,
    },
  };
}
const summary = {
  machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadAverage: { start: loadAtStart, end: loadavg() }, rg: rgVersion.stdout.split("\n")[0], secretlint: noSecretlint ? undefined : packageVersion("secretlint"), preset: noSecretlint ? undefined : packageVersion("@secretlint/secretlint-rule-preset-recommend") },
  tree: { path: tree, seed, mb: mib(sizes.tree.bytes), files: sizes.tree.files, realFixturesMb: mib(manifest.real.bytes), realFixtureFiles: manifest.real.files, planted: planted.length, rgListedFiles: rgListed },
  subset: { path: subset, mb: mib(sizes.subset.bytes), files: sizes.subset.files },
  headline,
  results,
  verdicts,
  secretlintCoverage: coverage,
};

print(`\nSecret scan throughput: ${fmt(mib(sizes.tree.bytes))} MB in ${sizes.tree.files} files (seed ${seed}; ${fmt(mib(manifest.real.bytes), 1)} MB of it the real fixtures; ${planted.length} planted credentials)`);
print(`  ${tree}`);
print(`  subset: ${fmt(mib(sizes.subset.bytes), 1)} MB in ${sizes.subset.files} files (${manifest.subset.packages} generated packages holding every planted credential, and the real fixtures)${sl && secretlintSubset ? ": secretlint is timed on it alone" : ""}`);
print(`  ${cpus().length} cores, Node ${process.version}, load average ${loadAtStart[0].toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (other work skews timings); medians of ${runs} runs (secretlint ${secretlintRuns}) after warm-ups; MB = MiB\n`);
const header = ["tool", "tree", "MB", "median s", "min s", "CPU s", "MB/s", "peak RSS MB", "findings", "planted found"];
const rows = results.map((r) => [
  r.name, r.tree, fmt(r.mb), fmt(r.medianMs / 1000, 2), fmt(r.minMs / 1000, 2), fmt(r.cpuMs / 1000, 2), fmt(r.mbPerS, 1), fmt(r.peakRssMb), String(r.findings),
  r.plantedFound ? `${r.plantedFound.found}/${r.plantedFound.of}` : "-",
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const row = (cells) => `  ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")}`;
print(row(header));
print(row(widths.map((w) => "-".repeat(w))));
for (const r of rows) print(row(r));
print();
print(`  rg findings are lines holding one of the ${literals.length} literals (its -c), not credentials: the floor for reading the tree and finding the prefixes.`);
for (const r of results) {
  const missed = r.plantedFound && Object.entries(r.plantedFound.missed).map(([d, n]) => `${d} ×${n}`).join(", ");
  if (missed) print(`  ${r.name} on the ${r.tree} missed planted: ${missed}`);
}
const libTree = library.tree;
print(`  files: aiwarden read ${libTree.filesRead} text files and skipped ${libTree.binaryFiles} binary ones (${libTree.notScanned} not scanned), rg lists ${rgListed}, the tree holds ${sizes.tree.files}`);
if (sl) {
  print(`  secretlint findings by rule: ${Object.entries(sl.byRule).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}`);
  if (coverage?.files !== undefined) print(`  secretlint read ${coverage.files} of the subset's ${coverage.of} files (${Object.entries(coverage.types).map(([k, v]) => `${v} ${k}`).join(", ")})`);
  else if (coverage) print(`  secretlint coverage check failed: ${coverage.error}`);
}
if (!cliWorks) print("  `aiwarden secrets` is not in dist/cli.js: only the library scan is timed.");
print();
for (const engine of engines) {
  const v = verdicts[engine.name];
  print(`  ${engine.name}${engine.name === headline ? " (headline)" : ""}:`);
  if (sl) print(`    vs secretlint: ${fmt(v.secretlintTimeOverAiwarden, 1)}× faster on the same ${slWhere} (ratio of medians)${secretlintSubset ? `, ${fmt(v.aiwardenMbPerSOverSecretlint, 1)}× its MB/s (aiwarden on the whole tree, secretlint on the subset)` : ""}. Target ≥ 10×: ${v.targets.atLeast10xSecretlint ? "met" : "NOT met"}`);
  print(`    vs rg: ${fmt(v.aiwardenTimeOverRg, 1)}× rg's time on all cores, ${fmt(v.aiwardenTimeOverRgOneThread, 1)}× rg -j1 (ratios of medians). Target ≤ 3×: ${v.targets.within3xRg ? "met" : "NOT met"}`);
  print(`    memory: peak RSS ${fmt(v.peakRssMb.tree)} MB on the tree, ${fmt(v.peakRssMb.subset)} MB on the subset (${fmt(sizes.tree.bytes / sizes.subset.bytes, 1)}× fewer bytes); with the old space capped at ${HEAP_CAP_MB} MB the tree ${v.heapCap.ok ? `still scans with the same findings (${fmt(v.heapCap.ms / 1000, 1)} s, peak RSS ${fmt(v.peakRssMb.treeWithHeapCap)} MB): bounded` : `does NOT finish the same (exit ${v.heapCap.status}, ${v.heapCap.findings ?? "no"} findings): it needs more heap than that, so bounded memory is not shown`}`);
}

if (profile) {
  progress("profiling the library scan of the tree (node --cpu-prof)");
  const dir = mkdtempSync(join(tmpdir(), "aiwarden-bench-prof-"));
  const run = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", dir, child, tree, repo], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (run.status !== 0) fail(`profiled scan failed: ${run.stderr.slice(-500)}`);
  // One profile per thread (CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile; the main thread is 0): the duration is
  // the main thread's, function times are summed over all threads (so they can add up to more than the duration).
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).sort();
  const file = files.find((f) => f.split(".")[4] === "0") ?? files[0];
  const { durationMs } = summariseProfile(join(dir, file));
  const merged = new Map();
  for (const f of files) {
    for (const fn of summariseProfile(join(dir, f)).functions) {
      const key = `${fn.name}\0${fn.url}\0${fn.line}`;
      const sum = merged.get(key) ?? { ...fn, selfMs: 0, totalMs: 0 };
      sum.selfMs += fn.selfMs;
      sum.totalMs += fn.totalMs;
      merged.set(key, sum);
    }
  }
  const functions = [...merged.values()].sort((a, b) => b.selfMs - a.selfMs);
  const show = (list) => {
    // Lines are those of the built dist/*.js (the function names are the source's).
    for (const f of list) print(`    ${fmt(f.selfMs).padStart(6)} ms ${fmt((f.selfMs / durationMs) * 100, 1).padStart(5)}%  total ${fmt(f.totalMs).padStart(6)} ms  ${f.name}  ${shortUrl(f.url, repo)}${f.url ? (f.url.includes("/dist/") ? ` (dist line ${f.line})` : `:${f.line}`) : ""}`);
  };
  print(`\n  CPU profile of the library scan (${fmt(durationMs)} ms profiled on the main thread, ${files.length} thread${files.length === 1 ? "" : "s"}: times summed over them; ${dir})`);
  print("  top self time, all functions:");
  show(functions.slice(0, 15));
  print("  top self time in src/secrets:");
  show(functions.filter((f) => f.url.includes("/dist/secrets/")).slice(0, 15));
  summary.profile = { dir, threads: files.length, durationMs, top: functions.slice(0, 25).map((f) => ({ ...f, url: shortUrl(f.url, repo) })) };
}

if (asJson) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
rmSync(cacheForCli, { recursive: true, force: true });
rmSync(rcDir, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------------------------

function numberOption(list, name, fallback) {
  const at = list.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(list.splice(at, 2)[1]);
  if (!Number.isFinite(value) || value <= 0) fail(`${name} needs a positive number`);
  return value;
}

function stringOption(list, name, fallback) {
  const at = list.indexOf(name);
  return at < 0 ? fallback : list.splice(at, 2)[1];
}

function flag(list, name) {
  const at = list.indexOf(name);
  if (at < 0) return false;
  list.splice(at, 1);
  return true;
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(join(here, "node_modules", ...name.split("/"), "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}
