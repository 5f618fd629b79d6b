// Writes docs/rules.md from the registered rules: `node dist/report/write-rule-docs.js` (npm run docs). The only
// module in src/report that writes a file; every renderer stays pure. rule-docs.test.ts fails when the committed page
// and the rules disagree.
// eslint-disable-next-line no-restricted-imports -- the docs generator's whole job is writing docs/rules.md.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { rules } from "../rules/index.js";
import { RULES_DOC_PATH, renderRuleDocs } from "./rule-docs.js";

/** The repository root: two levels above this compiled file (dist/report/). */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Writes the rules page into the repository at `root` and returns its absolute path. */
export function writeRuleDocs(root: string = repoRoot): string {
  const path = join(root, ...RULES_DOC_PATH.split("/"));
  writeFileSync(path, renderRuleDocs(rules));
  return path;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = writeRuleDocs();
  console.log(`wrote ${path} (${rules.length} rule${rules.length === 1 ? "" : "s"})`);
}
