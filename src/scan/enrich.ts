// The enrich stage: facts from outside the dependency files that rules read (git's view of the tree, known-bad
// versions, install commands in CI files, popular package names, advisories, registry metadata, cooldown settings,
// credentials in the tree and in git history). Runs once per scanned root, before the rules. Every source degrades to
// "absent" with a one-line notice rather than failing the scan; online sources go through the run's one HTTP client,
// which `--offline` restricts to its cache.
import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { AiwardenConfig } from "../config/config.js";
import type { ContextFacts, GitFacts } from "../rules/rule.js";
import { ciFileKind } from "../ci/claims.js";
import { readGitFacts } from "../sources/git.js";
import type { HttpClient, SourceNotice } from "../sources/http/types.js";
import type { RegistryConfig } from "../sources/registry/config.js";
import type { Ecosystem } from "../graph/package-node.js";
import type { Assembly } from "./assemble.js";
import type { FileResult } from "./result.js";

/** Which outside facts to gather; what the rules that will run need. */
export interface EnrichOptions {
  /** Dependency facts: blocklist, CI files, popular names, cooldown settings (local, cheap). */
  dependencies: boolean;
  /** Online (or cached) sources; each needs `http` (or, for OSV, an `osvDb` folder). */
  sources: { osv: boolean; npmAdvisories: boolean; registry: boolean };
  /** The run's HTTP client, shared by every root and source. */
  http?: HttpClient;
  /** The cache folder of the client, where OSV database indexes and each root's registry facts are kept. */
  cacheDir?: string;
  /** An OSV database folder (osv-scanner layout); replaces online OSV. */
  osvDb?: string;
  /** Base URL of an OSV API mirror (AIWARDEN_OSV_API); the public API when omitted. */
  osvApi?: string;
  /** The credential scan: off, or with history and a size limit. */
  secrets: false | { history: boolean; maxFileBytes?: number; exclude: readonly string[] };
  /** Environment (registry settings, proxies) and home folder (user .npmrc, pip.conf). */
  env: NodeJS.ProcessEnv;
  home?: string;
  /** Working directory the configuration file's path is relative to. */
  cwd: string;
  /** The scan's "now" (release ages); the current time when omitted. */
  now?: Date;
}

/** What the enrich stage adds to the rules' context, plus statuses for the files it read and notices for the user. */
export interface Enrichment {
  facts: ContextFacts;
  git?: GitFacts;
  files: FileResult[];
  /** One line per source problem (network unreachable, a source that answered partly), each said once. */
  notices: SourceNotice[];
  /** The statuses of files the credential scan could not read (also in `files`). */
  secretFiles: FileResult[];
  /** Texts the rules read besides the dependency and CI files (the key registry), by root-relative path. */
  texts: Map<string, string>;
}

/** The catalog, as the enrich stage needs it: AI names (typosquats) and the variables holding each provider's keys. */
export interface EnrichCatalog {
  has(ecosystem: Ecosystem, name: string): boolean;
  /** Provider → environment variable names that hold its keys (the catalog's `env` lists), for context detectors. */
  keyVariables?(): Record<string, string[]>;
}

/** Gathers the facts for one root. Each source degrades to "absent" rather than failing the scan. */
export async function enrich(root: string, assembly: Assembly, config: AiwardenConfig, catalog: EnrichCatalog, options: EnrichOptions): Promise<Enrichment> {
  const facts: ContextFacts = {};
  const files: FileResult[] = [];
  const notices: SourceNotice[] = [];
  const secretFiles: FileResult[] = [];
  const texts = new Map<string, string>();
  const projectDirs = [...new Set(assembly.projects.map((p) => p.dir || "."))];
  const graphs = assembly.projects.map((p) => ({ ecosystem: p.ecosystem, graph: p.graph }));
  const tasks: Array<Promise<void>> = [];

  const git = readGitFacts(root, assembly.files.map((f) => f.path));
  if (options.dependencies) {
    // The dependency sources load here, so the credential commands (secrets, keys) never pay for their modules.
    tasks.push(import("../sources/blocklist.js").then(async ({ loadBlocklist }) => {
      const loaded = await loadBlocklist(config.blocklists);
      facts.blocklist = loaded.blocklist;
      // Blocklist files are named by absolute path; inside the root they are shown root-relative like every other file.
      files.push(...loaded.files.map((f) => ({ ...f, path: displayPath(root, f.path) })));
    }));
    tasks.push(import("../sources/popular.js").then(({ loadPopularNames, loadTyposquatFacts }) => {
      facts.popular = loadPopularNames();
      // The scan's catalog, so the user's catalog additions count as AI names too.
      facts.typosquats = loadTyposquatFacts(catalog);
    }));
    tasks.push(loadCi(assembly, facts, files));
    tasks.push(import("../sources/cooldown.js").then(async ({ loadCooldownFacts }) => {
      facts.cooldown = await loadCooldownFacts(root, projectDirs);
    }));
  }
  const { osv, npmAdvisories, registry } = options.sources;
  if (graphs.length > 0 && ((osv && (options.http || options.osvDb)) || (npmAdvisories && options.http) || (registry && options.http))) {
    // Registry settings decide where npm packuments and advisories are asked, so they come first.
    tasks.push((async () => {
      const { loadRegistryConfig } = await import("../sources/registry/config.js");
      const registries = await loadRegistryConfig({
        projectDirs: projectDirs.map((dir) => resolve(root, dir)), env: options.env, ...(options.home ? { home: options.home } : {}),
      });
      for (const problem of registries.problems) notices.push({ source: "registry settings", message: problem });
      await Promise.all([
        (osv || npmAdvisories) ? loadAdvisoryFacts(graphs, registries.config.npm.registry, options, facts, files, notices) : undefined,
        registry && options.http ? loadRegistryFactsFor(root, graphs, registries.config, options, facts, notices) : undefined,
      ]);
    })());
  }
  if (options.secrets) tasks.push(loadSecretFacts(root, config, catalog, options, options.secrets, facts, secretFiles, texts));
  const [gitFacts] = await Promise.all([git, ...tasks]);
  return { facts, ...(gitFacts ? { git: gitFacts } : {}), files: [...files, ...secretFiles], notices, secretFiles, texts };
}

/** Install commands and action references in CI files; the readers (and the YAML parser) load only when there are any. */
async function loadCi(assembly: Assembly, facts: ContextFacts, files: FileResult[]): Promise<void> {
  const ciFiles = [...assembly.texts].flatMap(([path, text]) => {
    const kind = ciFileKind(path);
    return kind ? [{ path, kind, text }] : [];
  });
  if (ciFiles.length === 0) return;
  const [{ extractCiFacts }, { loadCompromisedTags }] = await Promise.all([import("../ci/extract.js"), import("../ci/compromised-tags.js")]);
  const ci = extractCiFacts(ciFiles);
  facts.ci = { ...ci.facts, compromised: loadCompromisedTags() };
  files.push(...ci.files);
}

async function loadAdvisoryFacts(
  graphs: Array<{ ecosystem: Ecosystem; graph: Assembly["projects"][number]["graph"] }>, npmRegistry: string, options: EnrichOptions,
  facts: ContextFacts, files: FileResult[], notices: SourceNotice[],
): Promise<void> {
  const { loadAdvisories, lockedPackages } = await import("../sources/advisories.js");
  const loaded = await loadAdvisories(lockedPackages(graphs), {
    ...(options.http ? { http: options.http } : {}),
    ...(options.osvDb ? { osvDb: options.osvDb } : {}),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    ...(options.osvApi ? { osvApi: options.osvApi } : {}),
    npmRegistry,
    sources: { osv: options.sources.osv, npmAdvisories: options.sources.npmAdvisories },
  });
  facts.advisories = loaded.facts;
  files.push(...loaded.files);
  notices.push(...loaded.notices);
}

async function loadRegistryFactsFor(
  root: string, graphs: Array<{ graph: Assembly["projects"][number]["graph"] }>, registries: RegistryConfig,
  options: EnrichOptions, facts: ContextFacts, notices: SourceNotice[],
): Promise<void> {
  const [{ loadRegistryFacts, lockedPackagesOf }, { fileSnapshotStore }] = await Promise.all([import("../sources/registry/facts.js"), import("../sources/registry/snapshot.js")]);
  const loaded = await loadRegistryFacts(lockedPackagesOf(graphs.map((g) => g.graph)), {
    http: options.http as HttpClient,
    registries,
    ...(options.now ? { now: options.now } : {}),
    // One file of facts per scan root: what its lockfiles hold is what the next scan of it asks for.
    ...(options.cacheDir ? { snapshot: fileSnapshotStore(join(options.cacheDir, "registry-facts"), resolve(root)) } : {}),
  });
  facts.registry = loaded.facts;
  notices.push(...loaded.notices);
}

async function loadSecretFacts(
  root: string, config: AiwardenConfig, catalog: EnrichCatalog, options: EnrichOptions,
  settings: { history: boolean; maxFileBytes?: number; exclude: readonly string[] }, facts: ContextFacts, files: FileResult[],
  texts: Map<string, string>,
): Promise<void> {
  const [{ scanSecrets }, { loadDetectors }, { loadKeyRegistry }] = await Promise.all([
    import("../secrets/scan-tree.js"), import("../secrets/detect.js"), import("../secrets/key-registry.js"),
  ]);
  const variables = catalog.keyVariables?.();
  const [scanned, registry] = await Promise.all([
    scanSecrets(root, {
      exclude: settings.exclude,
      detectors: loadDetectors(variables ? { extraVariableNames: variables } : {}),
      history: settings.history,
      ...(settings.maxFileBytes !== undefined ? { maxFileBytes: settings.maxFileBytes } : {}),
    }),
    loadKeyRegistry(root, config, options.cwd),
  ]);
  facts.secrets = scanned.facts;
  if (registry) {
    const absolute = resolve(options.cwd, registry.file);
    facts.keyRegistry = { ...registry, file: displayPath(root, absolute) };
    // The rules point at the entry's line, so the registry's text joins the texts they read (a config-only registry
    // is already there when the configuration file is).
    const text = await readFile(absolute, "utf8").catch(() => undefined);
    if (text !== undefined) texts.set(facts.keyRegistry.file, text);
  }
  files.push(...scanned.files);
  if (scanned.facts.history?.error) files.push({ path: ".git", status: "unsupported", reason: `history not scanned: ${scanned.facts.history.error}` });
}

function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel.split(sep).join("/");
}
