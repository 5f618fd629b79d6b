// Test-only: the rules' context for a fixture folder with the CI facts a scan's enrich stage would add (every CI file
// discovery found, read by extractCiFacts, plus the shipped compromised-tag list).
import type { ContextOptions } from "./context.js";
import { contextFor } from "./context.js";
import type { FindingDraft, Rule, ScanContext } from "../rules/rule.js";
import { ciFileKind } from "../ci/claims.js";
import type { CiFileKind } from "../ci/claims.js";
import { loadCompromisedTags } from "../ci/compromised-tags.js";
import { extractCiFacts } from "../ci/extract.js";
import type { CiExtraction } from "../ci/extract.js";

/** The CI files among a context's texts, as the enrich stage passes them to extractCiFacts. */
export function ciFilesOf(texts: ReadonlyMap<string, string>): Array<{ path: string; kind: CiFileKind; text: string }> {
  const files: Array<{ path: string; kind: CiFileKind; text: string }> = [];
  for (const [path, text] of texts) {
    const kind = ciFileKind(path);
    if (kind) files.push({ path, kind, text });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A folder's context with `facts.ci` filled in, and the extraction (for its file statuses). */
export async function ciContextFor(path: string, options: ContextOptions = {}): Promise<{ context: ScanContext; extraction: CiExtraction }> {
  const base = await contextFor(path, options);
  const extraction = extractCiFacts(ciFilesOf(base.texts));
  const context: ScanContext = { ...base, facts: { ...base.facts, ci: { ...extraction.facts, compromised: loadCompromisedTags() } as typeof extraction.facts } };
  return { context, extraction };
}

/** Runs one rule on a folder with its CI facts. */
export async function checkCi(rule: Rule, path: string, options: ContextOptions = {}): Promise<FindingDraft[]> {
  return rule.check((await ciContextFor(path, options)).context);
}
