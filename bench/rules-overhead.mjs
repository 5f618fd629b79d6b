#!/usr/bin/env node
// Benchmark: what the offline rule pass adds to a scan. Times `aiwarden scan --format json` with and without
// `--no-checks` on the largest real projects (lockfile, manifest and, for cline, its 11 workflows) and prints the
// overhead as a percentage of the dependency-map scan. Target: at most +25%.
//
//   npm run build (at the root) && cd bench && node rules-overhead.mjs [--runs 10] [fixture ...]
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fail, line, measure, runsFrom } from "./lib/measure.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..");
const cli = join(repo, "dist", "cli.js");
const args = process.argv.slice(2);
const runs = runsFrom(args, 10);
const fixtures = args.length > 0 ? args : ["microsoft__vscode-copilot-chat", "cline__cline", "langfuse__langfuse"];
if (!existsSync(cli)) fail("dist/cli.js is missing: run `npm run build` at the repository root first");

for (const fixture of fixtures) {
  // A copy outside the repository, so git facts and the repository's own configuration do not apply.
  const work = mkdtempSync(join(tmpdir(), `aiwarden-rules-${fixture}-`));
  cpSync(join(repo, "fixtures", "realworld", fixture), work, { recursive: true });
  // An empty cache folder: the rule pass alone, without whatever earlier online scans left in the user's cache (an
  // offline scan reads the cache, and parsing cached packuments is the registry source's cost, not the rules').
  const cache = mkdtempSync(join(tmpdir(), `aiwarden-rules-cache-`));
  const base = [process.execPath, cli, "scan", work, "--format", "json", "--offline", "--cache-dir", cache, "--fail-on", "none"];
  const map = measure([...base, "--no-checks"], { cwd: work, runs });
  // The rules of issue 3 alone: the outside sources and the credential scan (later layers) switched off.
  const rulesOnly = measure([...base, "--no-osv", "--no-npm-advisories", "--no-registry", "--no-secrets"], { cwd: work, runs });
  const full = measure(base, { cwd: work, runs });
  console.log(`\n${fixture}: ${runs} runs each (after 2 warm-up runs)`);
  console.log(line("scan --no-checks", map));
  console.log(line("scan, rules only", rulesOnly));
  console.log(line("scan, everything offline", full));
  console.log(`  the rule pass adds ${(((rulesOnly.median - map.median) / map.median) * 100).toFixed(0)}% (ratio of medians; target ≤ 25%); everything offline (sources from an empty cache, credential scan) adds ${(((full.median - map.median) / map.median) * 100).toFixed(0)}%`);
}
