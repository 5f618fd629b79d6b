// Helpers shared by the supply-chain rules (integrity hashes, pins, install scripts, sources): where a package is
// recorded, what host or scheme a resolved URL names, whether a git reference is a commit, and the requirements files
// pip installs together. Pure functions of the context; the few that parse text memoise per context so that several
// rules reading the same requirements file parse it once.
import { dirOf, joinPath } from "../../ecosystems/extractor.js";
import { interpretRequirement } from "../../ecosystems/pip/requirement-target.js";
import type { RequirementTarget } from "../../ecosystems/pip/requirement-target.js";
import { parseRequirementsFile } from "../../ecosystems/pip/requirements-file.js";
import type { RequirementLine, RequirementsFile } from "../../ecosystems/pip/requirements-file.js";
import type { Location, PackageNode } from "../../graph/package-node.js";
import type { BlastRadius, ContextProject, FindingDraft, ScanContext } from "../rule.js";

/** Blast radii from narrowest to widest. */
const RADIUS_RANK: Readonly<Record<BlastRadius, number>> = { other: 0, "ai-subtree": 1, ai: 2 };

/** The wider of two blast radii (an AI package beats its subtree, which beats the rest). */
export function widerRadius(a: BlastRadius, b: BlastRadius): BlastRadius {
  return RADIUS_RANK[a] >= RADIUS_RANK[b] ? a : b;
}

/** The `package` part of a finding about a node. */
export function packageOf(project: ContextProject, node: PackageNode): NonNullable<FindingDraft["package"]> {
  return { ecosystem: project.ecosystem, name: node.name, version: node.version, id: node.id };
}

/** `name@version`, or the name alone when the version is unknown. */
export function nameVersion(node: Pick<PackageNode, "name" | "version">): string {
  return node.version === "" ? node.name : `${node.name}@${node.version}`;
}

/**
 * Where the project's own lockfile records a node: its first location in the primary file. Undefined for packages
 * the lockfile does not lock (a Pipfile.lock keeps declared-but-unlocked packages at their Pipfile line).
 */
export function lockEntry(project: ContextProject, node: PackageNode): Location | undefined {
  const primary = project.files[0];
  return node.locations.find((l) => l.file === primary);
}

/** A finding's `file`/`line` from a location. */
export function site(location: Location | undefined, fallbackFile: string): { file: string; line?: number } {
  const file = location?.file ?? fallbackFile;
  return location?.line !== undefined ? { file, line: location.line } : { file };
}

/** A list of names for a message: the first `max`, then "and N more". */
export function listSome(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

/** "1 package" / "3 packages". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------------------------
// URLs as lockfiles write them.

/**
 * The scheme of a URL or git reference, lower-case: `https`, `http`, `git`, `git+ssh`, `ssh` (scp-like
 * `git@host:path`), `file`; undefined for plain paths and registry specs.
 */
export function schemeOf(url: string): string | undefined {
  const colon = url.indexOf(":");
  if (colon <= 0) return undefined;
  const scheme = url.slice(0, colon).toLowerCase();
  if (url.startsWith("//", colon + 1)) return /^[a-z][a-z0-9+.-]*$/.test(scheme) ? scheme : undefined;
  // scp-like `user@host:path`: git over SSH.
  return /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+$/.test(url.slice(0, colon)) ? "ssh" : undefined;
}

/** The host (lower-case, with its port when one is written) of a URL or scp-like git reference, or undefined. */
export function hostOf(url: string): string | undefined {
  const scheme = schemeOf(url);
  if (scheme === undefined) return undefined;
  const colon = url.indexOf(":");
  let rest = scheme === "ssh" && !url.startsWith("//", colon + 1) ? url.slice(0, colon) : url.slice(colon + 3);
  let end = rest.length;
  for (const c of ["/", "?", "#"]) {
    const i = rest.indexOf(c);
    if (i >= 0 && i < end) end = i;
  }
  rest = rest.slice(0, end);
  const at = rest.lastIndexOf("@");
  const host = (at >= 0 ? rest.slice(at + 1) : rest).toLowerCase();
  return host === "" || host.includes("${") ? undefined : host;
}

/** Schemes that fetch without transport security (no TLS, no SSH): anyone on the path can swap the code. */
const INSECURE_SCHEMES: ReadonlySet<string> = new Set(["http", "git", "svn", "ftp", "git+http", "hg+http", "svn+http", "bzr+http", "bzr+ftp", "git+git", "svn+svn"]);

/** True when a URL is fetched over an unencrypted, unauthenticated transport (`http://`, `git://`, …). */
export function isInsecureUrl(url: string): boolean {
  const scheme = schemeOf(url);
  return scheme !== undefined && INSECURE_SCHEMES.has(scheme);
}

/**
 * True when a git reference names a commit: a 7–40 hex fragment (`#<sha>`, npm, yarn, pnpm, poetry, uv), a
 * `#commit=<sha>` fragment parameter (yarn berry), or a hex `@<rev>` after the repository path (pip, Pipfile).
 * A branch or tag can be moved to other code; a commit cannot.
 */
export function gitCommitPinned(resolved: string): boolean {
  const hash = resolved.indexOf("#");
  if (hash >= 0) {
    for (const part of resolved.slice(hash + 1).split("&")) {
      const eq = part.indexOf("=");
      const key = eq < 0 ? "" : part.slice(0, eq);
      const value = eq < 0 ? part : part.slice(eq + 1);
      if ((key === "" || key === "commit") && isCommit(value)) return true;
    }
  }
  const base = hash < 0 ? resolved : resolved.slice(0, hash);
  const slash = base.lastIndexOf("/");
  const at = base.lastIndexOf("@");
  return at > slash && slash >= 0 && isCommit(base.slice(at + 1));
}

function isCommit(text: string): boolean {
  return text.length >= 7 && text.length <= 40 && /^[0-9a-f]+$/i.test(text);
}

/** The registry hosts packages may resolve from when the configuration names none. */
export const DEFAULT_REGISTRIES: readonly string[] = ["registry.npmjs.org", "registry.yarnpkg.com", "pypi.org", "files.pythonhosted.org"];

/**
 * True when a host is allowed by one of the patterns: an exact host (`npm.corp.example`), a host with port, or a
 * leading `*.` for any subdomain (`*.corp.example` allows `npm.corp.example`, not `corp.example`). Patterns written
 * as URLs count by their host.
 */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const bare = host.replace(/:\d+$/, "");
  for (const raw of patterns) {
    const pattern = (raw.includes("://") ? (hostOf(raw) ?? raw) : raw).trim().toLowerCase();
    if (pattern === "") continue;
    if (pattern.startsWith("*.")) {
      const suffix = pattern.slice(1);
      if (host.endsWith(suffix) || bare.endsWith(suffix)) return true;
    } else if (pattern === host || pattern === bare) return true;
  }
  return false;
}

/** A relative or absolute path from a lockfile, without `file:`/`link:`/`portal:` prefixes, POSIX separators. */
function plainPath(resolved: string): string {
  let path = resolved.replace(/^(file|link|portal):/, "").replace(/\\/g, "/");
  if (path.startsWith("//")) path = path.slice(2);
  return path;
}

/**
 * Where a path dependency points relative to the scanned root: `inside` (a folder or file of the repository),
 * `outside` (above the root, absolute, or in the home folder), or `self` (the project's own folder: `-e .`).
 */
export function pathPlace(project: ContextProject, resolved: string): "inside" | "outside" | "self" {
  const path = plainPath(resolved);
  if (path.startsWith("/") || path.startsWith("~") || /^[A-Za-z]:\//.test(path)) return "outside";
  const projectDir = project.path === "." ? "" : project.path;
  const joined = joinPath(projectDir, path);
  if (joined === undefined) return "outside";
  return joined === projectDir ? "self" : "inside";
}

// ---------------------------------------------------------------------------------------------------------------
// yarn berry entries

/**
 * True when the yarn.lock entry starting at `line` (1-based) carries a `conditions:` field (`os=darwin & cpu=arm64`).
 * Yarn berry records checksums only for packages it fetched, and skips the packages of other platforms, so such an
 * entry has no checksum by design. Reads only the entry's own lines.
 */
export function berryConditional(lines: readonly string[], line: number): boolean {
  for (let i = line; i < lines.length; i++) {
    const text = lines[i] as string;
    if (text.trim() === "" || (text[0] !== " " && text[0] !== "\t")) return false;
    if (text.startsWith("  conditions:")) return true;
  }
  return false;
}

/** Lines of a text, split once per context and file. */
export function textLines(context: ScanContext, path: string): readonly string[] | undefined {
  let cache = linesCache.get(context);
  if (!cache) linesCache.set(context, (cache = new Map()));
  let lines = cache.get(path);
  if (lines === undefined) {
    const text = context.texts.get(path);
    if (text === undefined) return undefined;
    lines = text.split(/\r?\n/);
    cache.set(path, lines);
  }
  return lines;
}

const linesCache = new WeakMap<ScanContext, Map<string, readonly string[]>>();

// ---------------------------------------------------------------------------------------------------------------
// Requirements files installed together

/** One requirement line of a requirements file, with what it asks for. */
export interface RequirementEntry {
  file: string;
  line: RequirementLine;
  /** The interpreted requirement, or undefined when the line cannot be read (the extractor reports it). */
  target?: RequirementTarget;
}

/** A requirements file as rules see it. */
export interface RequirementsFileView {
  path: string;
  parsed: RequirementsFile;
}

/**
 * What `pip install -r <primary>` reads: the primary file and every file its `-r` lines include, recursively
 * (`-c` constraint files add no requirements and are left out), in include order, each once.
 */
export interface RequirementsSet {
  project: ContextProject;
  primary: string;
  files: RequirementsFileView[];
  requirements: RequirementEntry[];
  /** A file of the set says `--require-hashes`. */
  requireHashes: boolean;
}

/** Every requirements file of the context's texts, parsed once per context. */
export function parsedRequirements(context: ScanContext, path: string): RequirementsFile | undefined {
  let cache = requirementsCache.get(context);
  if (!cache) requirementsCache.set(context, (cache = new Map()));
  if (cache.has(path)) return cache.get(path) ?? undefined;
  const text = context.texts.get(path);
  const parsed = text === undefined || text.includes("\u0000") ? undefined : parseRequirementsFile(text);
  cache.set(path, parsed ?? null);
  return parsed;
}

const requirementsCache = new WeakMap<ScanContext, Map<string, RequirementsFile | null>>();
const setsCache = new WeakMap<ScanContext, RequirementsSet[]>();

/** The install set of every pip requirements project (see {@link RequirementsSet}), computed once per context. */
export function requirementsSets(context: ScanContext): RequirementsSet[] {
  const cached = setsCache.get(context);
  if (cached) return cached;
  const sets: RequirementsSet[] = [];
  for (const project of context.projects) {
    if (project.extractorId !== "pip-requirements") continue;
    const primary = project.files[0];
    if (primary === undefined) continue;
    const files: RequirementsFileView[] = [];
    const seen = new Set<string>();
    const visit = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      const parsed = parsedRequirements(context, path);
      if (!parsed) return;
      files.push({ path, parsed });
      for (const include of parsed.includes) {
        if (include.mode !== "requirement") continue;
        const target = joinPath(dirOf(path), include.target);
        if (target !== undefined && target !== "") visit(target);
      }
    };
    visit(primary);
    const requirements: RequirementEntry[] = [];
    for (const { path, parsed } of files) {
      for (const line of parsed.requirements) {
        const target = interpretRequirement(line.text, line.editable);
        requirements.push({ file: path, line, ...("error" in target ? {} : { target }) });
      }
    }
    const requireHashes = files.some((f) => f.parsed.options.some((o) => o.name === "require-hashes"));
    sets.push({ project, primary, files, requirements, requireHashes });
  }
  setsCache.set(context, sets);
  return sets;
}

/** True for pip-compile inputs (`requirements.in`): loose by intent, never hashed. */
export function isCompileInput(path: string): boolean {
  return path.toLowerCase().endsWith(".in");
}

// ---------------------------------------------------------------------------------------------------------------
// Where packages are fetched from

/** One URL a project fetches packages from: a package's resolved URL, or a pip index/find-links option. */
export interface FetchUrl {
  project: ContextProject;
  url: string;
  file: string;
  line?: number;
  /** The package fetched from it (resolved URLs). */
  node?: PackageNode;
  /** The pip option naming it (`index-url`, `extra-index-url`, `find-links`, `trusted-host`). */
  option?: string;
}

const fetchCache = new WeakMap<ScanContext, FetchUrl[]>();

/** pip options that name where packages come from (their values are URLs, or a host for `trusted-host`). */
const PIP_SOURCE_OPTIONS: ReadonlySet<string> = new Set(["index-url", "extra-index-url", "find-links", "trusted-host"]);

/**
 * Every URL the projects fetch packages from, computed once per context: the `resolved` URL of each package that
 * records one (npm/yarn classic tarballs, pnpm tarballs of other registries, uv and Poetry index URLs, git and URL
 * sources), and the index options of requirements files. Formats that do not record where a registry package came
 * from (yarn berry, pnpm for the default registry, Poetry for PyPI) contribute nothing.
 */
export function fetchUrls(context: ScanContext): FetchUrl[] {
  const cached = fetchCache.get(context);
  if (cached) return cached;
  const out: FetchUrl[] = [];
  for (const project of context.projects) {
    const primary = project.files[0] ?? project.path;
    for (const node of project.graph.packages()) {
      if (node.workspace || node.resolved === undefined || schemeOf(node.resolved) === undefined) continue;
      const where = lockEntry(project, node) ?? node.locations[0];
      out.push({ project, url: node.resolved, ...site(where, primary), node });
    }
  }
  for (const set of requirementsSets(context)) {
    for (const { path, parsed } of set.files) {
      for (const option of parsed.options) {
        if (!PIP_SOURCE_OPTIONS.has(option.name) || option.value === undefined) continue;
        out.push({ project: set.project, url: option.value, file: path, line: option.line, option: option.name });
      }
    }
  }
  fetchCache.set(context, out);
  return out;
}

/** Fetch URLs grouped by a key (file and host, say), groups and their members in first-seen order. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
