#!/usr/bin/env node
// Benchmark: the online sources (registry metadata, npm bulk advisories, OSV) on a real 1,677-package lockfile,
// against a local replay server. Targets (issue 4): a cold online scan completes in under 5 s with at most 32
// requests in flight; a warm (cached) scan adds under 20% to the offline scan.
//
//   npm run build (at the root) && cd bench && node online-sources.mjs [--runs 5] [--latency 0,30] [--profile]
//                                                                       [--keys recorded|empty] [--npm-times] [--cli path] [fixture]
//
// How: the fixture's package.json and package-lock.json are copied to a temporary project whose .npmrc points the
// npm registry at the replay server (`registry=http://127.0.0.1:PORT/`), and AIWARDEN_OSV_API at its second port.
// Recordings: the first run fetches the REAL full packument (`Accept: application/json`) of every package in the
// lockfile from https://registry.npmjs.org, 16 at a time, once, into bench/.cache/online-sources/ (gzipped, with an
// index.json; outside git). That host is a GET-only mirror: dist has no signatures, `/-/npm/v1/keys` answers 404
// (recorded and served as is; `--keys empty` serves the documented `{"keys":[]}` instead: both mean "this registry
// signs nothing") and POSTs answer 405, so the POST endpoints are answered in their documented formats: OSV
// querybatch `{"results":[{}, …]}` (one empty result per query, i.e. no vulnerabilities) and npm bulk advisories
// `{}`. The server (lib/replay-server.mjs) runs in a child process, so aiwarden can be timed with spawnSync; it adds
// a fixed delay per answer (`--latency`, ms, a comma list: each value is one round) to resemble the internet, and
// counts requests, bytes and the most requests in flight at once. The mirror also writes packument times unlike
// registry.npmjs.org (`…19.438000+00:00`, not `…19.438Z`) and lacks `_npmUser`, signatures and attestations;
// `--npm-times` serves the times in npm's format (converted once, kept beside the recordings).
//
// Modes, each the median of --runs runs after 2 warm-up runs (lib/measure.mjs):
//   cold           online, a new empty --cache-dir for every run
//   warm           online, a cache primed by one cold run (every answer within its cache lifetime)
//   offline        --offline with an empty cache: the baseline the warm scan is compared with (measured each round)
//   offline+cache  --offline with the warm cache
// Also checked: the cold and the warm scans report the same findings. `--profile` adds one cold run under
// `node --cpu-prof` and prints the functions with the most self time. Nothing here asserts a timing.
import { Buffer } from "node:buffer";
import { execFile, fork } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve as absolute } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { fail, line, measure, runsFrom } from "./lib/measure.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..");
const args = process.argv.slice(2);
// --cli: another build of aiwarden (e.g. a copy of dist/, data/ and package.json, so a rebuild cannot change it mid-run).
const cli = absolute(option("--cli", join(repo, "dist", "cli.js")));
const recordings = join(here, ".cache", "online-sources");
const UPSTREAM = "https://registry.npmjs.org";
const runs = runsFrom(args, 5);
const latencies = option("--latency", "0,30").split(",").map(Number);
const keysMode = option("--keys", "recorded");
const profile = flag("--profile");
const npmTimes = flag("--npm-times");
const fixture = args[0] ?? "microsoft__vscode-copilot-chat";
if (!existsSync(cli)) fail(`${cli} is missing: run \`npm run build\` at the repository root first`);
if (!["recorded", "empty"].includes(keysMode)) fail("--keys is recorded or empty");

function option(name, fallback) {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
}

function flag(name) {
  const at = args.indexOf(name);
  if (at >= 0) args.splice(at, 1);
  return at >= 0;
}

// --- the project ----------------------------------------------------------------------------------------------------
const source = join(repo, "fixtures", "realworld", fixture);
const lock = JSON.parse(readFileSync(join(source, "package-lock.json"), "utf8"));
const lockedCount = Object.keys(lock.packages ?? {}).length - 1;
/** Every registry package name in the lockfile (aliases under their real name, and their folder name too). */
const names = new Set();
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  if (path === "" || entry.link || !path.includes("node_modules/")) continue;
  if (entry.resolved !== undefined && !entry.resolved.startsWith(`${UPSTREAM}/`)) continue;
  names.add(path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length));
  if (typeof entry.name === "string") names.add(entry.name);
}

// --- recordings -----------------------------------------------------------------------------------------------------
await record([...names].sort());

async function record(wanted) {
  mkdirSync(join(recordings, "packuments"), { recursive: true });
  const indexPath = join(recordings, "index.json");
  const index = existsSync(indexPath) ? JSON.parse(readFileSync(indexPath, "utf8")) : { recordedFrom: UPSTREAM, packages: {} };
  const missing = wanted.filter((name) => index.packages[name] === undefined);
  if (index.keys === undefined) {
    const response = await fetchRetrying(`${UPSTREAM}/-/npm/v1/keys`);
    index.keys = { status: response.status, body: await response.text() };
  }
  if (missing.length > 0) {
    console.log(`recording ${missing.length} packuments from ${UPSTREAM} (once; kept in ${recordings}) …`);
    const started = Date.now();
    let next = 0;
    let done = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < missing.length) {
        const name = missing[next++];
        const escaped = name.startsWith("@") ? name.replace("/", "%2f") : name;
        const response = await fetchRetrying(`${UPSTREAM}/${escaped}`);
        const body = Buffer.from(await response.arrayBuffer());
        if (response.status === 200) {
          const file = join("packuments", `${createHash("sha256").update(name).digest("hex").slice(0, 32)}.json.gz`);
          writeFileSync(join(recordings, file), gzipSync(body));
          const etag = response.headers.get("etag") ?? `"${createHash("sha1").update(body).digest("hex")}"`;
          index.packages[name] = { status: 200, file, size: body.length, etag };
        } else {
          index.packages[name] = { status: response.status, body: body.toString("utf8").slice(0, 2000) };
        }
        if (++done % 200 === 0) console.log(`  ${done}/${missing.length}`);
      }
    }));
    console.log(`  recorded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  if (npmTimes) {
    // The mirror writes times as `2025-12-11T02:49:19.438000+00:00`; registry.npmjs.org as `2025-12-11T02:49:19.438Z`.
    let converted = 0;
    for (const name of wanted) {
      const entry = index.packages[name];
      if (entry?.status !== 200 || entry.npmTimesFile !== undefined) continue;
      const doc = JSON.parse(gunzipSync(readFileSync(join(recordings, entry.file))).toString("utf8"));
      for (const [key, value] of Object.entries(doc.time ?? {})) {
        const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
        if (!Number.isNaN(ms)) doc.time[key] = new Date(ms).toISOString();
      }
      const body = Buffer.from(JSON.stringify(doc));
      entry.npmTimesFile = entry.file.replace(/\.json\.gz$/, ".npm-times.json.gz");
      entry.npmTimesSize = body.length;
      writeFileSync(join(recordings, entry.npmTimesFile), gzipSync(body));
      converted++;
    }
    if (converted > 0) console.log(`rewrote the times of ${converted} recorded packuments in npm's format (--npm-times)`);
  }
  writeFileSync(indexPath, JSON.stringify(index, null, 1));
}

async function fetchRetrying(url) {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await globalThis.fetch(url, { headers: { accept: "application/json", "user-agent": "aiwarden-bench (recording)" } });
      if (response.status < 500 && response.status !== 429) return response;
      if (attempt >= 4) return response;
    } catch (error) {
      if (attempt >= 4) throw error;
    }
    await sleep(500 * 2 ** attempt);
  }
}

// --- the replay server ----------------------------------------------------------------------------------------------
const server = fork(join(here, "lib", "replay-server.mjs"), [recordings, keysMode, npmTimes ? "npm-times" : "recorded"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
const replies = [];
server.on("message", (message) => replies.shift()?.(message));
const ready = await new Promise((resolve, reject) => {
  replies.push(resolve);
  server.once("exit", (code) => reject(new Error(`replay server exited ${code}`)));
});
const tell = (message) => server.send(message);
const ask = () => new Promise((resolve) => {
  replies.push((message) => resolve(message.stats));
  server.send({ type: "stats" });
});

// A clean environment for aiwarden (measure() spawns with process.env): no proxies, no npm_config_* from `npm run`,
// a throw-away HOME (no user .npmrc, no default cache), the OSV API at the replay server.
for (const key of Object.keys(process.env)) {
  if (/^(npm_config_|NPM_CONFIG_)|^(https?|no|all)_proxy$/i.test(key) || key === "AIWARDEN_CACHE_DIR" || key === "XDG_CACHE_HOME") delete process.env[key];
}
const scratch = mkdtempSync(join(tmpdir(), `aiwarden-online-${fixture}-`));
process.env.HOME = join(scratch, "home");
mkdirSync(process.env.HOME);
process.env.AIWARDEN_OSV_API = `http://127.0.0.1:${ready.osvPort}`;
const work = join(scratch, "project");
mkdirSync(work);
for (const file of ["package-lock.json", "package.json"]) cpSync(join(source, file), join(work, file));
writeFileSync(join(work, ".npmrc"), `registry=http://127.0.0.1:${ready.registryPort}/\n`);

const scan = [process.execPath, cli, "scan", work, "--format", "json", "--no-secrets", "--fail-on", "none"];
const coldCache = join(scratch, "cache-cold");
const warmCache = join(scratch, "cache-warm");
const emptyCache = join(scratch, "cache-empty");
/**
 * The scan with a new, empty cache folder under `base` per run (named after the shell's pid, which `exec` hands to the
 * scan: the timed process is the scan itself, and deleting the last run's cache is not timed).
 */
const freshCache = (base, command) => ["sh", "-c", 'exec "$@" --cache-dir "$0/run-$$"', base, ...command];

/** One scan with the server's counters around it (async, so this process stays responsive). */
async function probe(extra, nodeFlags = []) {
  tell({ type: "reset" });
  const started = process.hrtime.bigint();
  const stdout = await new Promise((resolve, reject) => {
    execFile(process.execPath, [...nodeFlags, ...scan.slice(1), ...extra], { cwd: work, maxBuffer: 1 << 30 }, (error, out, err) => {
      if ((error && error.code !== 1) || !out.startsWith("{")) reject(new Error(`scan exited ${error?.code ?? 0}: ${err.slice(-500)}`));
      else resolve(out);
    });
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, stats: await ask(), report: JSON.parse(stdout) };
}

/** measure(), plus the server's counters over all its runs (warm-ups included). */
async function timed(command) {
  tell({ type: "reset" });
  const s = measure(command, { cwd: work, runs });
  const stats = await ask();
  const n = runs + 2;
  return { ...s, requests: stats.requests / n, wireMb: stats.wireBytes / n / 2 ** 20, bodyMb: stats.bodyBytes / n / 2 ** 20, maxInFlight: stats.maxInFlight, maxConnections: stats.maxConnections, misses: stats.misses };
}

const fingerprint = (report) => JSON.stringify(report.findings.map(({ ruleId, file, message, fingerprint: f }) => ({ ruleId, file, message, f })));
const byRule = (report) => Object.entries(report.findings.reduce((acc, f) => ({ ...acc, [f.ruleId]: (acc[f.ruleId] ?? 0) + 1 }), {})).sort().map(([id, n]) => `${id}×${n}`).join(" ");
const extra = (s) => `   ${String(Math.round(s.requests)).padStart(5)} req  ${s.wireMb.toFixed(1).padStart(6)} MB wire (${s.bodyMb.toFixed(0)} MB JSON)  max in flight ${String(s.maxInFlight).padStart(2)}`;

try {
  const index = JSON.parse(readFileSync(join(recordings, "index.json"), "utf8"));
  const found = [...names].filter((name) => index.packages[name]?.status === 200).length;
  console.log(`\n${fixture}: ${lockedCount} packages in package-lock.json, ${names.size} registry names; ${runs} runs per mode (after 2 warm-up runs), ${cpus().length} CPUs`);
  console.log(`  replay: packuments recorded from ${UPSTREAM} (${found} of ${names.size} found), keys ${keysMode === "empty" ? 'served as {"keys":[]}' : `as recorded (HTTP ${index.keys.status})`}, OSV and npm advisories answered "nothing known"; times ${npmTimes ? "rewritten in npm's format (--npm-times)" : "as the mirror writes them"}`);

  console.log(`  load average before: ${loadavg().map((l) => l.toFixed(1)).join(" ")} (other work on the machine skews every figure)`);
  const offlineProbe = await probe(["--offline", "--cache-dir", emptyCache]);

  for (const latency of latencies) {
    tell({ type: "latency", ms: latency });
    console.log(`\n  latency ${latency} ms per answer`);
    // The offline baseline does not touch the network, but is measured in every round: ratios compare neighbours.
    const offlineEmpty = await timed(freshCache(emptyCache, [...scan, "--offline"]));
    rmSync(emptyCache, { recursive: true, force: true });
    const cold = await timed(freshCache(coldCache, scan));
    rmSync(coldCache, { recursive: true, force: true });
    // Priming run: the warm cache, and the cold scan's report for the sanity check.
    rmSync(warmCache, { recursive: true, force: true });
    const coldProbe = await probe(["--cache-dir", warmCache]);
    const cacheSize = Object.fromEntries(readdirSync(warmCache).map((entry) => [entry, folderSize(join(warmCache, entry))]));
    const warm = await timed([...scan, "--cache-dir", warmCache]);
    const warmProbe = await probe(["--cache-dir", warmCache]);
    const offlineWarm = await timed([...scan, "--offline", "--cache-dir", warmCache]);

    console.log(line("cold (empty cache)", cold) + extra(cold));
    console.log(line("warm (primed cache)", warm) + extra(warm));
    console.log(line("offline (empty cache)", offlineEmpty) + extra(offlineEmpty));
    console.log(line("offline (warm cache)", offlineWarm) + extra(offlineWarm));
    const routes = Object.entries(coldProbe.stats.routes).map(([r, n]) => `${r} ${n}`).join(", ");
    console.log(`  cold scan's requests: ${routes}; most keep-alive connections open (both ports) ${cold.maxConnections}`);
    console.log(`  cache written by a cold scan: ${Object.entries(cacheSize).map(([k, v]) => `${k}/ ${v.files} files, ${(v.bytes / 2 ** 20).toFixed(1)} MB`).join("; ")}`);
    const misses = [...new Set(cold.misses)];
    if (misses.length > 0) console.log(`  not recorded (answered 404): ${misses.slice(0, 10).join(", ")}${misses.length > 10 ? " …" : ""}`);
    const same = fingerprint(coldProbe.report) === fingerprint(warmProbe.report);
    console.log(`  findings: cold ${coldProbe.report.findings.length}, warm ${warmProbe.report.findings.length} (${same ? "identical" : "DIFFERENT"}), offline ${offlineProbe.report.findings.length}`);
    if (!same) console.log(`    cold: ${byRule(coldProbe.report)}\n    warm: ${byRule(warmProbe.report)}`);
    console.log(`    online: ${byRule(coldProbe.report)}\n    offline: ${byRule(offlineProbe.report)}`);
    const added = ((warm.median - offlineEmpty.median) / offlineEmpty.median) * 100;
    console.log(`  cold scan ${(cold.median / 1000).toFixed(2)} s (target < 5 s: ${cold.median < 5000 ? "met" : "NOT met"}); max in flight ${cold.maxInFlight} (target ≤ 32: ${cold.maxInFlight <= 32 ? "met" : "NOT met"}${latency === 0 ? "; at 0 ms the server answers at once, so few requests are ever seen in flight" : ""})`);
    console.log(`  warm scan adds ${added.toFixed(0)}% to the offline scan (ratio of medians ${(warm.median / offlineEmpty.median).toFixed(2)}; target < 20%: ${added < 20 ? "met" : "NOT met"}); cold is ${(cold.median / offlineEmpty.median).toFixed(1)}× the offline scan`);
  }

  console.log(`\n  load average after: ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);

  if (profile) {
    // One cold and one warm scan under the profiler, at the first latency.
    tell({ type: "latency", ms: latencies[0] });
    rmSync(warmCache, { recursive: true, force: true });
    for (const mode of ["cold", "warm"]) {
      const dir = join(scratch, `profile-${mode}`);
      const run = await probe(["--cache-dir", warmCache], ["--cpu-prof", "--cpu-prof-dir", dir]);
      const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
      console.log(`\n  CPU profile of one ${mode} scan (latency ${latencies[0]} ms, ${(run.ms / 1000).toFixed(2)} s wall): ${join(dir, file)}`);
      summarize(JSON.parse(readFileSync(join(dir, file), "utf8")));
    }
  }
} finally {
  server.disconnect();
  server.kill();
  // The caches are hundreds of MB; the profiles are kept when asked for.
  for (const entry of readdirSync(scratch)) if (!entry.startsWith("profile-")) rmSync(join(scratch, entry), { recursive: true, force: true });
  if (!profile) rmSync(scratch, { recursive: true, force: true });
}

/** Files and bytes under a folder. */
function folderSize(dir) {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += statSync(join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return { files, bytes };
}

/** Self time per function and per dist/ file from a .cpuprofile. */
function summarize(cpuProfile) {
  const self = new Map(cpuProfile.nodes.map((n) => [n.id, 0]));
  const deltas = cpuProfile.timeDeltas;
  for (let i = 0; i < cpuProfile.samples.length; i++) self.set(cpuProfile.samples[i], (self.get(cpuProfile.samples[i]) ?? 0) + (deltas[i] ?? 0) / 1000);
  const byFunction = new Map();
  const byFile = new Map();
  let total = 0;
  for (const node of cpuProfile.nodes) {
    const ms = self.get(node.id) ?? 0;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.includes("/dist/") ? url.slice(url.indexOf("/dist/") + 1) : url.includes("node_modules/") ? url.slice(url.lastIndexOf("node_modules/")) : url || "(native)";
    const key = `${functionName || "(anonymous)"}  ${where}${url ? `:${lineNumber + 1}` : ""}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    const bucket = where.startsWith("dist/") ? where : where.startsWith("node:") ? "node: internals" : where.startsWith("node_modules/") ? "node_modules" : functionName.startsWith("(") ? functionName : "native / other";
    byFile.set(bucket, (byFile.get(bucket) ?? 0) + ms);
  }
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`  self time, total ${total.toFixed(0)} ms; by file or bucket:`);
  for (const [k, ms] of top(byFile, 14)) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
  console.log("  by function:");
  for (const [k, ms] of top(byFunction, 20)) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}
