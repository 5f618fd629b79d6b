// The enrich stage: facts from outside the dependency files that rules read (git's view of the tree, known-bad
// versions, install commands in CI files, popular package names). Runs once per scanned root, before the rules.
import type { AiwardenConfig } from "../config/config.js";
import type { ContextFacts, GitFacts } from "../rules/rule.js";
import type { Assembly } from "./assemble.js";
import type { FileResult } from "./result.js";

/** What the enrich stage adds to the rules' context, plus statuses for the files it read (user blocklists, CI files). */
export interface Enrichment {
  facts: ContextFacts;
  git?: GitFacts;
  files: FileResult[];
}

/** Gathers the facts for one root. Each source degrades to "absent" rather than failing the scan. */
export async function enrich(_root: string, _assembly: Assembly, _config: AiwardenConfig): Promise<Enrichment> {
  return { facts: {}, files: [] };
}
