// The enrich stage: facts from outside the dependency files that rules read (git's view of the tree, known-bad
// versions, install commands in CI files, popular package names). Runs once per scanned root, before the rules.
// Everything here is local (git, files shipped with aiwarden or named by the configuration), so it also runs offline.
import { isAbsolute, relative, sep } from "node:path";
import type { AiwardenConfig } from "../config/config.js";
import type { ContextFacts, GitFacts } from "../rules/rule.js";
import { loadBlocklist } from "../sources/blocklist.js";
import { ciFileKind } from "../ci/claims.js";
import { readGitFacts } from "../sources/git.js";
import { loadPopularNames, loadTyposquatFacts } from "../sources/popular.js";
import type { Ecosystem } from "../graph/package-node.js";
import type { Assembly } from "./assemble.js";
import type { FileResult } from "./result.js";

/** What the enrich stage adds to the rules' context, plus statuses for the files it read (user blocklists, CI files). */
export interface Enrichment {
  facts: ContextFacts;
  git?: GitFacts;
  files: FileResult[];
}

/** Gathers the facts for one root. Each source degrades to "absent" rather than failing the scan. */
export async function enrich(root: string, assembly: Assembly, config: AiwardenConfig, catalog: { has(ecosystem: Ecosystem, name: string): boolean }): Promise<Enrichment> {
  const [git, loaded] = await Promise.all([
    readGitFacts(root, assembly.files.map((f) => f.path)),
    loadBlocklist(config.blocklists),
  ]);
  const facts: ContextFacts = {
    blocklist: loaded.blocklist,
    popular: loadPopularNames(),
    // The scan's catalog, so the user's catalog additions count as AI names too.
    typosquats: loadTyposquatFacts(catalog),
  };
  // Blocklist files are named by absolute path; inside the root they are shown root-relative like every other file.
  const files = loaded.files.map((f) => ({ ...f, path: displayPath(root, f.path) }));
  const ciFiles = [...assembly.texts].flatMap(([path, text]) => {
    const kind = ciFileKind(path);
    return kind ? [{ path, kind, text }] : [];
  });
  if (ciFiles.length > 0) {
    // Loaded only when there are CI files: the readers need the YAML parser.
    const [{ extractCiFacts }, { loadCompromisedTags }] = await Promise.all([import("../ci/extract.js"), import("../ci/compromised-tags.js")]);
    const ci = extractCiFacts(ciFiles);
    facts.ci = { ...ci.facts, compromised: loadCompromisedTags() };
    files.push(...ci.files);
  }
  return { facts, ...(git ? { git } : {}), files };
}

function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel.split(sep).join("/");
}
