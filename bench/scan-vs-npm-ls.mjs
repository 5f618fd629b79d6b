#!/usr/bin/env node
// Benchmark: `aiwarden scan --format json` against `npm ls --all --package-lock-only --json` on the largest real
// lockfiles in fixtures/realworld. Prints medians, their ratio and peak memory (max RSS) of each tool.
//
//   cd bench && npm ci && npm run scan-vs-npm-ls            (build aiwarden first: npm run build at the root)
//   node scan-vs-npm-ls.mjs --runs 15 microsoft__vscode-copilot-chat
//
// Timings vary with the machine; the ratio is what to compare. Nothing here asserts a timing.
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fail, line, measure, runsFrom } from "./lib/measure.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..");
const cli = join(repo, "dist", "cli.js");
const npmCli = join(here, "node_modules", "npm", "bin", "npm-cli.js");
const args = process.argv.slice(2);
const runs = runsFrom(args, 10);
const fixtures = args.length > 0 ? args : ["microsoft__vscode-copilot-chat", "cline__cline"];

if (!existsSync(cli)) fail("dist/cli.js is missing: run `npm run build` at the repository root first");
if (!existsSync(npmCli)) fail("the pinned npm is missing: run `npm ci` in bench/ first");

for (const fixture of fixtures) {
  const source = join(repo, "fixtures", "realworld", fixture);
  const work = mkdtempSync(join(tmpdir(), `aiwarden-bench-${fixture}-`));
  // Only the lockfile and manifest: npm ls and aiwarden read the same two files.
  for (const file of ["package-lock.json", "package.json"]) cpSync(join(source, file), join(work, file));
  const packages = Object.keys(JSON.parse(readFileSync(join(work, "package-lock.json"), "utf8")).packages ?? {}).length - 1;

  const tools = {
    // --no-checks: the dependency map alone, which is what npm ls computes (rules are timed in rules-overhead.mjs).
    aiwarden: [process.execPath, cli, "scan", work, "--format", "json", "--offline", "--no-checks"],
    "npm ls": [process.execPath, npmCli, "ls", "--all", "--package-lock-only", "--json"],
  };
  const stats = {};
  for (const [name, command] of Object.entries(tools)) stats[name] = measure(command, { cwd: work, runs });
  const ratio = stats["npm ls"].median / stats.aiwarden.median;
  console.log(`\n${fixture}: ${packages} packages in package-lock.json, ${runs} runs each (after 2 warm-up runs)`);
  for (const [name, s] of Object.entries(stats)) console.log(line(name, s));
  console.log(`  aiwarden is ${ratio.toFixed(1)}× faster than npm ls (ratio of medians); target ≥ 10×, peak < 200 MB`);
}
