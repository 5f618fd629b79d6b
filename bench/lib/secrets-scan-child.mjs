#!/usr/bin/env node
// Runs aiwarden's secret scan of a working tree through the library (dist/secrets/scan-tree.js) and prints a JSON
// summary: the benchmark times this process from the outside (GNU time gives its peak RSS). Used when the
// `aiwarden secrets` command is not available, and for the CPU profile (`node --cpu-prof`).
//
//   node lib/secrets-scan-child.mjs <tree> [aiwarden checkout, default the one holding bench/]
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [root, checkout = join(dirname(fileURLToPath(import.meta.url)), "..", "..")] = process.argv.slice(2);
if (!root) {
  console.error("usage: secrets-scan-child.mjs <tree> [aiwarden checkout]");
  process.exit(2);
}
const { scanSecrets } = await import(pathToFileURL(join(resolve(checkout), "dist", "secrets", "scan-tree.js")).href);
// useGit false: the tree is walked as outside git (it is, but this also skips the `git rev-parse` probe).
const scan = await scanSecrets(root, { useGit: false });
process.stdout.write(JSON.stringify({
  files: scan.stats.files,
  binaryFiles: scan.stats.binaryFiles,
  bytes: scan.stats.bytes,
  milliseconds: scan.stats.milliseconds,
  notScanned: scan.files.map((f) => [f.path, f.status, f.reason]),
  occurrences: scan.facts.occurrences.map((o) => [o.path, o.line, o.detector.id]),
  suppressed: scan.facts.suppressed.length,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
}) + "\n");
