import { stat } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import { ConfigError, loadConfig } from "../config/config.js";
import type { AiwardenConfig } from "../config/config.js";
import { discover } from "../discover/discover.js";
import type { DiscoverOptions } from "../discover/discover.js";
import { ROOT_ID } from "../graph/dependency-graph.js";
import type { DependencyGraph } from "../graph/dependency-graph.js";
import type { Ecosystem, PackageNode } from "../graph/package-node.js";
import { TOOL } from "../version.js";
import { runRules } from "../rules/engine.js";
import type { RuleRun } from "../rules/engine.js";
import { rules } from "../rules/index.js";
import type { Finding, Rule } from "../rules/rule.js";
import { sortFindings } from "../rules/engine.js";
import { assemble } from "./assemble.js";
import { buildContext } from "./context.js";
import { enrich } from "./enrich.js";
import type { AssembledProject } from "./assemble.js";
import { SCHEMA_VERSION } from "./result.js";
import type { AiInfo, AnalyzedProject, FileResult, PackageResult, ProjectResult, ScanResult } from "./result.js";

/** Chains per package in the JSON result. */
export const PATHS_PER_PACKAGE = 5;

/** What the scan needs from the AI catalog. */
export interface AiLookup {
  lookup(ecosystem: Ecosystem, name: string): AiInfo | undefined;
}

/** Options for {@link analyze} and {@link scan}. */
export interface ScanOptions extends DiscoverOptions {
  /** Directories or files to scan; default the current directory. */
  paths?: string[];
  /** The AI catalog; the bundled one plus the configuration's additions when omitted. */
  catalog?: AiLookup;
  /** The configuration; when omitted it is loaded from `configFile`, or found in the first path or the cwd. */
  config?: AiwardenConfig;
  configFile?: string;
  maxFileBytes?: number;
  /** Working directory that multi-root output paths are relative to. */
  cwd?: string;
  /** The rules to run; all of them when omitted. */
  rules?: readonly Rule[];
  /** YYYY-MM-DD used for ignore expiry; today when omitted. */
  today?: string;
}

/** The public result plus the graphs behind it and what the rule engine noted besides findings. */
export interface Analysis {
  result: ScanResult;
  projects: AnalyzedProject[];
  suppressed: RuleRun["suppressed"];
  ruleErrors: RuleRun["errors"];
  /** The configuration in effect (its failOn decides the exit code unless --fail-on is given). */
  config: AiwardenConfig;
}

/**
 * Discovers, reads and maps every dependency file under the given paths. With one path, output paths are relative to
 * it; with several, relative to the working directory so they stay distinguishable.
 */
export async function analyze(options: ScanOptions): Promise<Analysis> {
  const targets = options.paths && options.paths.length > 0 ? options.paths : ["."];
  const cwd = options.cwd ?? process.cwd();
  const config = options.config ?? (await loadConfig(options.configFile && resolve(cwd, options.configFile), [await directoryOf(resolve(cwd, targets[0] as string)), cwd]));
  const catalog = options.catalog ?? (await defaultCatalog(config));
  const projects: AnalyzedProject[] = [];
  const files: FileResult[] = [];
  const findings: Finding[] = [];
  const suppressed: RuleRun["suppressed"] = [];
  const ruleErrors: RuleRun["errors"] = [];
  for (const target of targets) {
    const discovery = await discover(resolve(cwd, target), { ...options, exclude: [...config.exclude, ...(options.exclude ?? [])] });
    const prefix = targets.length > 1 ? toPosix(relative(cwd, discovery.root)) : "";
    const assembly = await assemble(discovery, { ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}) });
    // Rules see root-relative paths; the prefix is added when results from several roots are merged.
    const pairs = assembly.projects.map((assembled) => ({ assembled, result: describeProject(assembled, "", catalog) }));
    const ruleSet = options.rules ?? rules;
    // Commands that only map dependencies (why, manifest) pass no rules: then no outside facts are needed either.
    const enrichment = ruleSet.length > 0 ? await enrich(discovery.root, assembly, config, { has: (ecosystem, name) => catalog.lookup(ecosystem, name) !== undefined }) : { facts: {}, files: [] };
    const fileResults = [...assembly.files, ...enrichment.files];
    // Findings about the configuration point at it relative to the root, like every other file.
    const rootConfig = config.file ? { ...config, file: toPosix(relative(discovery.root, resolve(cwd, config.file))) } : config;
    const context = buildContext({
      projects: pairs, files: fileResults, texts: assembly.texts, config: rootConfig, catalog, facts: enrichment.facts,
      ...(enrichment.git ? { git: enrichment.git } : {}), ...(options.today ? { today: options.today } : {}),
    });
    const run = runRules(ruleSet, context);
    for (const { assembled, result } of pairs) projects.push({ graph: assembled.graph, result: prefixProject(result, prefix) });
    for (const file of fileResults) files.push({ ...file, path: joinDisplay(prefix, file.path) });
    for (const finding of run.findings) findings.push({ ...finding, file: joinDisplay(prefix, finding.file) });
    suppressed.push(...run.suppressed);
    ruleErrors.push(...run.errors);
  }
  projects.sort((a, b) => compare(a.result.path, b.result.path) || compare(a.result.files[0] ?? "", b.result.files[0] ?? ""));
  return {
    projects,
    result: {
      schemaVersion: SCHEMA_VERSION,
      tool: { ...TOOL },
      projects: projects.map((p) => p.result),
      findings: targets.length > 1 ? sortFindings(findings) : findings,
      files,
    },
    suppressed,
    ruleErrors,
    config,
  };
}

/** Scans the given paths and returns the public result (the object `aiwarden scan --format json` prints). */
export async function scan(options: ScanOptions = {}): Promise<ScanResult> {
  return (await analyze(options)).result;
}

/** The public description of an assembled project (paths prefixed for multi-root output). */
export function describeProject(project: AssembledProject, prefix: string, catalog: AiLookup): ProjectResult {
  const graph = project.graph;
  const chains = graph.shortestChains(PATHS_PER_PACKAGE);
  return {
    path: joinDisplay(prefix, project.dir) || ".",
    ecosystem: project.ecosystem,
    files: project.files.map((f) => joinDisplay(prefix, f)),
    packages: graph.packages().map((node) => describePackage(graph, node, catalog, chains.get(node.id) ?? [])),
  };
}

function describePackage(graph: DependencyGraph, node: PackageNode, catalog: AiLookup, chains: PackageNode[][]): PackageResult {
  const declared = node.declared;
  return {
    name: node.name,
    version: node.version,
    purl: node.purl,
    direct: graph.isDirect(node.id),
    dev: node.dev,
    optional: node.optional,
    source: node.source,
    ...(declared !== undefined ? { declared } : {}),
    ai: aiInfo(catalog.lookup(graph.ecosystem, node.name)),
    paths: uniqueNameChains(chains),
  };
}

/** Only the category and provider go into the result; hosts and key names stay in the catalog. */
function aiInfo(match: AiInfo | undefined): AiInfo | null {
  return match ? { category: match.category, provider: match.provider } : null;
}

/** Chains as lists of names ("root" first), without repeats (two versions of one package name the same). */
function uniqueNameChains(nodeChains: PackageNode[][]): string[][] {
  const seen = new Set<string>();
  const chains: string[][] = [];
  for (const chain of nodeChains) {
    const names = chain.map(displayName);
    const key = names.join("\u0000");
    if (seen.has(key)) continue;
    seen.add(key);
    chains.push(names);
  }
  return chains;
}

/** How a node appears in a chain: "root" for the project, the package name otherwise. */
export function displayName(node: PackageNode): string {
  if (node.id === ROOT_ID) return "root";
  return node.name || node.resolved || node.id;
}

async function defaultCatalog(config: AiwardenConfig): Promise<AiLookup> {
  const { loadCatalog } = await import("../catalog/catalog.js");
  const bundled = loadCatalog();
  if (config.catalog.length === 0) return bundled;
  try {
    return bundled.withAdditions(config.catalog, config.file ?? "configuration");
  } catch (error) {
    throw new ConfigError((error as Error).message.split("\n").map((l) => l.trim()).join(" "));
  }
}

/** The directory a scan target names: itself, or the folder of a file. A missing path is left to discovery. */
async function directoryOf(path: string): Promise<string> {
  try {
    return (await stat(path)).isDirectory() ? path : dirname(path);
  } catch {
    return path;
  }
}

function prefixProject(result: ProjectResult, prefix: string): ProjectResult {
  if (!prefix) return result;
  return { ...result, path: joinDisplay(prefix, result.path === "." ? "" : result.path) || ".", files: result.files.map((f) => joinDisplay(prefix, f)) };
}

function joinDisplay(prefix: string, path: string): string {
  if (!prefix || prefix === ".") return path;
  return path ? `${prefix}/${path}` : prefix;
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
