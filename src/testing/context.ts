// Test-only: builds the rules' ScanContext for a fixture folder the way a scan does (real discovery, extraction and
// AI catalog), with the enrich-stage facts a test wants to supply.
import { loadCatalog } from "../catalog/catalog.js";
import { DEFAULT_CONFIG } from "../config/config.js";
import type { AiwardenConfig } from "../config/config.js";
import { discover } from "../discover/discover.js";
import type { ContextFacts, FindingDraft, GitFacts, Rule, ScanContext } from "../rules/rule.js";
import { assemble } from "../scan/assemble.js";
import { buildContext } from "../scan/context.js";
import { describeProject } from "../scan/scan.js";

/** What a test may set besides the folder. */
export interface ContextOptions {
  config?: Partial<AiwardenConfig>;
  facts?: ContextFacts;
  git?: GitFacts;
  today?: string;
}

/** The ScanContext of a folder (or file), as `aiwarden scan` would build it before running rules. */
export async function contextFor(path: string, options: ContextOptions = {}): Promise<ScanContext> {
  const catalog = loadCatalog();
  const config: AiwardenConfig = { ...DEFAULT_CONFIG, ...options.config };
  const discovery = await discover(path, { exclude: config.exclude });
  const assembly = await assemble(discovery);
  return buildContext({
    projects: assembly.projects.map((assembled) => ({ assembled, result: describeProject(assembled, "", catalog) })),
    files: assembly.files,
    texts: assembly.texts,
    config,
    catalog,
    ...(options.facts ? { facts: options.facts } : {}),
    ...(options.git ? { git: options.git } : {}),
    today: options.today ?? "2026-11-22",
  });
}

/** Runs one rule's check on a folder's context. */
export async function check(rule: Rule, path: string, options: ContextOptions = {}): Promise<FindingDraft[]> {
  return rule.check(await contextFor(path, options));
}
