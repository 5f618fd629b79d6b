import { realpath, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, relative, resolve, sep } from "node:path";
import { ConfigError, loadConfig } from "../config/config.js";
import type { AiwardenConfig } from "../config/config.js";
import type { DiscoverOptions } from "../discover/discover.js";
import { ROOT_ID } from "../graph/dependency-graph.js";
import type { DependencyGraph } from "../graph/dependency-graph.js";
import type { Ecosystem, PackageNode } from "../graph/package-node.js";
import { TOOL } from "../version.js";
import { runRules } from "../rules/engine.js";
import type { RuleRun } from "../rules/engine.js";
import { keyReused } from "../rules/key-reused.js";
import type { SecretFacts } from "../secrets/facts.js";
import type { KeyRegistry } from "../secrets/hygiene.js";
import type { Client } from "../sources/http/client.js";
import type { HttpClient, SourceNotice } from "../sources/http/types.js";
import { mergeNotices } from "../sources/http/notices.js";
import type { Finding, Rule } from "../rules/rule.js";
import { sortFindings } from "../rules/engine.js";
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
  /** Provider → variables holding its keys (the secret scan's context detectors); none when absent. */
  keyVariables?(): Record<string, string[]>;
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
  /** Never touch the network: online sources answer from the cache only (`--offline`). */
  offline?: boolean;
  /** Cache folder for online sources (default: $XDG_CACHE_HOME/aiwarden or the platform's cache folder). */
  cacheDir?: string;
  /** An OSV database folder (osv-scanner layout) that replaces online OSV (`--osv-db`; or `sources.osvDb` in config). */
  osvDb?: string;
  /** Switch outside sources off (command line); the configuration's `sources` is read too, and `false` anywhere wins. */
  sources?: { osv?: boolean; npmAdvisories?: boolean; registry?: boolean };
  /** Scan for credentials (default: yes when rules run, unless the configuration says `secrets.enabled: false`). */
  secrets?: boolean;
  /** Also scan git history for credentials (`--history`, or `secrets.history` in the configuration). */
  history?: boolean;
  /** Environment: proxies, registry settings, AIWARDEN_OSV_API, the cache folder (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Home folder for the user's .npmrc and pip.conf (default os.homedir()). */
  home?: string;
  /** An HTTP client to use instead of creating one (tests, embedding); it is not closed. */
  http?: HttpClient;
  /** Read dependency files (default true); false for credential-only runs (`aiwarden secrets`, `aiwarden keys`). */
  dependencies?: boolean;
}

/** The public result plus the graphs behind it and what the rule engine noted besides findings. */
export interface Analysis {
  result: ScanResult;
  projects: AnalyzedProject[];
  suppressed: RuleRun["suppressed"];
  ruleErrors: RuleRun["errors"];
  /** The configuration in effect (its failOn decides the exit code unless --fail-on is given). */
  config: AiwardenConfig;
  /** One line per outside-source problem (network unreachable, partial answers), each once. */
  notices: SourceNotice[];
  /** The credential facts per scanned root (paths already prefixed), for `aiwarden keys`. */
  secrets: Array<{ facts: SecretFacts; files: FileResult[]; keyRegistry?: KeyRegistry }>;
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
  const notices: SourceNotice[] = [];
  const secrets: Analysis["secrets"] = [];
  // Every rule's module loads only when the caller did not choose (the secrets and mapping commands do).
  const ruleSet = options.rules ?? (await import("../rules/index.js")).rules;
  const plan = enrichPlan(options, config, ruleSet);
  const ownClient = plan.online && !options.http ? await createClient(options, cwd) : undefined;
  const http = options.http ?? ownClient;
  // Key reuse across repositories is only visible with every root's keys together: it runs once, after the loop.
  const crossRoot = targets.length > 1 && ruleSet.includes(keyReused);
  const perRootRules = crossRoot ? ruleSet.filter((r) => r !== keyReused) : ruleSet;
  try {
    for (const target of targets) {
      // Commands about credentials alone (secrets, keys) do not read dependency files: the walk and the lockfile
      // parsing would cost more than the credential scan itself on a large tree.
      const discovery = options.dependencies === false
        ? { root: await rootOf(resolve(cwd, target)), files: [], skipped: [] }
        : await (await import("../discover/discover.js")).discover(resolve(cwd, target), { ...options, exclude: [...config.exclude, ...(options.exclude ?? [])] });
      const prefix = targets.length > 1 ? toPosix(relative(cwd, discovery.root)) : "";
      const assembly = options.dependencies === false
        ? { projects: [], files: [], texts: new Map<string, string>() }
        : await (await import("./assemble.js")).assemble(discovery, { ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}) });
      // Rules see root-relative paths; the prefix is added when results from several roots are merged.
      const pairs = assembly.projects.map((assembled) => ({ assembled, result: describeProject(assembled, "", catalog) }));
      // Commands that only map dependencies (why, manifest) pass no rules: then no outside facts are needed either.
      const enrichment = ruleSet.length > 0 || plan.secrets
        ? await enrich(discovery.root, assembly, config, {
          has: (ecosystem, name) => catalog.lookup(ecosystem, name) !== undefined,
          ...(catalog.keyVariables ? { keyVariables: () => (catalog.keyVariables as () => Record<string, string[]>)() } : {}),
        }, {
          dependencies: plan.dependencies,
          sources: plan.sources,
          ...(http ? { http } : {}),
          ...(plan.cacheDir ? { cacheDir: plan.cacheDir } : {}),
          ...(plan.osvDb ? { osvDb: plan.osvDb } : {}),
          ...(plan.osvApi ? { osvApi: plan.osvApi } : {}),
          secrets: plan.secrets ? { history: plan.history, exclude: [...config.exclude, ...(options.exclude ?? [])], ...(plan.maxSecretFileBytes ? { maxFileBytes: plan.maxSecretFileBytes } : {}) } : false,
          env: plan.env,
          home: options.home ?? homedir(),
          cwd,
        })
        : { facts: {}, files: [], notices: [], secretFiles: [], texts: new Map<string, string>() };
      notices.push(...enrichment.notices);
      if (enrichment.facts.secrets) {
        secrets.push({
          facts: prefixSecretFacts(enrichment.facts.secrets, prefix),
          files: enrichment.secretFiles.map((f) => ({ ...f, path: joinDisplay(prefix, f.path) })),
          ...(enrichment.facts.keyRegistry ? { keyRegistry: enrichment.facts.keyRegistry } : {}),
        });
      }
      const fileResults = [...assembly.files, ...enrichment.files];
      // Findings about the configuration point at it relative to the root, like every other file.
      const rootConfig = config.file ? { ...config, file: toPosix(relative(discovery.root, resolve(cwd, config.file))) } : config;
      const context = buildContext({
        projects: pairs, files: fileResults, texts: enrichment.texts.size > 0 ? new Map([...assembly.texts, ...enrichment.texts]) : assembly.texts, config: rootConfig, catalog, facts: enrichment.facts,
        ...(enrichment.git ? { git: enrichment.git } : {}), ...(options.today ? { today: options.today } : {}),
      });
      const run = runRules(perRootRules, context);
      for (const { assembled, result } of pairs) projects.push({ graph: assembled.graph, result: prefixProject(result, prefix) });
      for (const file of fileResults) files.push({ ...file, path: joinDisplay(prefix, file.path) });
      for (const finding of run.findings) findings.push({ ...finding, file: joinDisplay(prefix, finding.file) });
      suppressed.push(...run.suppressed);
      ruleErrors.push(...run.errors);
    }
  } finally {
    ownClient?.close();
  }
  if (crossRoot) {
    const merged = mergeSecretFacts(secrets.map((s) => s.facts));
    if (merged) {
      const run = runRules([keyReused], buildContext({ projects: [], files: [], texts: new Map(), config, catalog, facts: { secrets: merged }, ...(options.today ? { today: options.today } : {}) }));
      findings.push(...run.findings);
      suppressed.push(...run.suppressed);
      ruleErrors.push(...run.errors);
    }
  }
  if (ownClient) notices.push(...ownClient.notices);
  projects.sort((a, b) => compare(a.result.path, b.result.path) || compare(a.result.files[0] ?? "", b.result.files[0] ?? ""));
  return {
    projects,
    result: {
      schemaVersion: SCHEMA_VERSION,
      tool: { ...TOOL },
      projects: projects.map((p) => p.result),
      findings: targets.length > 1 || crossRoot ? sortFindings(findings) : findings,
      files,
    },
    suppressed,
    ruleErrors,
    config,
    notices: mergeNotices(notices, { offline: options.offline === true }),
    secrets,
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

/** The symlink-resolved folder a target names (itself, or a file's folder), as discovery computes its root. */
async function rootOf(path: string): Promise<string> {
  const info = await stat(path);
  return realpath(info.isDirectory() ? path : dirname(path));
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

/** What the enrich stage gathers for this run, from the options, the configuration and the rules that will run. */
interface EnrichPlan {
  dependencies: boolean;
  online: boolean;
  sources: { osv: boolean; npmAdvisories: boolean; registry: boolean };
  osvDb?: string;
  osvApi?: string;
  cacheDir?: string;
  secrets: boolean;
  history: boolean;
  maxSecretFileBytes?: number;
  env: NodeJS.ProcessEnv;
}

/** Rules whose ids start with these read the credential scan; the other rules read dependency facts. */
const SECRET_RULE_PREFIX = "AIW-SECRET-";

function enrichPlan(options: ScanOptions, config: AiwardenConfig, ruleSet: readonly Rule[]): EnrichPlan {
  const env = options.env ?? process.env;
  const dependencyRules = ruleSet.some((r) => !r.id.startsWith(SECRET_RULE_PREFIX));
  const secretRules = ruleSet.some((r) => r.id.startsWith(SECRET_RULE_PREFIX));
  // A source runs unless the command line or the configuration switches it off, and only when rules will read it.
  const on = (name: "osv" | "npmAdvisories" | "registry") => dependencyRules && options.sources?.[name] !== false && config.sources[name] !== false;
  const sources = { osv: on("osv"), npmAdvisories: on("npmAdvisories"), registry: on("registry") };
  const osvDb = options.osvDb !== undefined ? resolve(options.cwd ?? process.cwd(), options.osvDb) : config.sources.osvDb;
  const secrets = options.secrets ?? (secretRules && config.secrets.enabled !== false);
  const maxMb = config.secrets.maxFileMB;
  return {
    dependencies: dependencyRules,
    // With an OSV database folder, OSV needs no network; the other sources still do.
    online: sources.npmAdvisories || sources.registry || (sources.osv && osvDb === undefined),
    sources,
    ...(osvDb !== undefined ? { osvDb } : {}),
    ...(env.AIWARDEN_OSV_API ? { osvApi: env.AIWARDEN_OSV_API } : {}),
    ...(options.cacheDir !== undefined ? { cacheDir: resolve(options.cwd ?? process.cwd(), options.cacheDir) } : {}),
    secrets,
    history: secrets && (options.history ?? config.secrets.history ?? false),
    ...(maxMb !== undefined ? { maxSecretFileBytes: Math.round(maxMb * 1024 * 1024) } : {}),
    env,
  };
}

/** The run's one HTTP client: cache, concurrency, retries and the offline switch shared by every source. */
async function createClient(options: ScanOptions, cwd: string): Promise<Client> {
  const { createHttpClient, DEFAULT_USER_AGENT } = await import("../sources/http/client.js");
  return createHttpClient({
    offline: options.offline === true,
    ...(options.cacheDir !== undefined ? { cacheDir: resolve(cwd, options.cacheDir) } : {}),
    userAgent: `${DEFAULT_USER_AGENT}/${TOOL.version}`,
    env: options.env ?? process.env,
  });
}

/** Secret facts with every path under a root's display prefix (multi-root scans). */
function prefixSecretFacts(facts: SecretFacts, prefix: string): SecretFacts {
  if (!prefix) return facts;
  const at = (path: string) => joinDisplay(prefix, path);
  // Each key also names its root, so key hygiene can tell repositories apart whatever folders lead to them.
  return {
    ...facts,
    occurrences: facts.occurrences.map((o) => ({ ...o, path: at(o.path), repository: prefix })),
    suppressed: facts.suppressed.map((s) => ({ ...s, occurrence: { ...s.occurrence, path: at(s.occurrence.path), repository: prefix } })),
    envFiles: facts.envFiles.map((e) => ({ ...e, path: at(e.path) })),
    ...(facts.history ? { history: { ...facts.history, secrets: facts.history.secrets.map((h) => ({ ...h, path: at(h.path), repository: prefix })), suppressed: facts.history.suppressed.map((h) => ({ ...h, path: at(h.path) })) } } : {}),
  };
}

/** Every root's credential facts as one (for key reuse across repositories). */
function mergeSecretFacts(all: readonly SecretFacts[]): SecretFacts | undefined {
  if (all.length === 0) return undefined;
  const histories = all.flatMap((f) => (f.history ? [f.history] : []));
  return {
    git: all.some((f) => f.git),
    occurrences: all.flatMap((f) => f.occurrences),
    suppressed: all.flatMap((f) => f.suppressed),
    envFiles: all.flatMap((f) => f.envFiles),
    ...(histories.length > 0 ? {
      history: {
        secrets: histories.flatMap((h) => h.secrets), suppressed: histories.flatMap((h) => h.suppressed),
        blobs: sum(histories.map((h) => h.blobs)), bytes: sum(histories.map((h) => h.bytes)),
        skippedLarge: sum(histories.map((h) => h.skippedLarge)), skippedBinary: sum(histories.map((h) => h.skippedBinary)),
      },
    } : {}),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
