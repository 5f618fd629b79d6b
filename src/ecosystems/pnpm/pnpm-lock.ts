// pnpm-lock.yaml, lockfile versions 5.x (pnpm 5–7), 6.x (pnpm 8) and 9.x (pnpm 9+).
// Format: https://github.com/pnpm/spec/tree/master/lockfile and https://pnpm.io/lockfile (two-document files).
// `importers` (or, for a single project, top-level sections) hold each project's direct dependencies; `packages`
// (5/6: with their dependencies; 9: metadata only) and `snapshots` (9: dependencies per peer variant) the rest.
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import { GraphBuilder, ROOT_ID } from "../../graph/dependency-graph.js";
import type { EdgeKind, Hash, Location, SourceKind } from "../../graph/package-node.js";
import type { ExtractContext, Extraction, Extractor, FileProblem, SourceFile } from "../extractor.js";
import { dirOf, failed, joinPath, lineIndex, unsupported } from "../extractor.js";
import { declarationLine, dependencyKeyLines, isObject, parsePackageJson } from "../npm/package-json.js";
import type { PackageManifest } from "../npm/package-json.js";
import { parseIntegrity } from "../shared/integrity.js";
import { textCache } from "../shared/memo.js";
import { conflictLine } from "../shared/text.js";
import type { KeyStyle } from "./lock-keys.js";
import { candidateKeys, isRegistryVersion, parseKey } from "./lock-keys.js";
import { parseLockYaml } from "./lock-yaml.js";
import { pnpmLockFormat } from "./claims.js";

/** Reads pnpm-lock.yaml (lockfile 5.x, 6.x and 9.x) with the package.json of each importer for its name. */
export const pnpmLockExtractor: Extractor = {
  ...pnpmLockFormat,
  companions(file: SourceFile, context: ExtractContext): string[] {
    const dir = dirOf(file.path);
    const paths: string[] = [];
    for (const importer of ["."].concat(importerPaths(lockSections.get(context, file.path, file.text)))) {
      const path = joinPath(dir, importer === "." ? "package.json" : `${importer}/package.json`);
      if (path !== undefined && !paths.includes(path)) paths.push(path);
    }
    return paths;
  },
  extract(file: SourceFile, context: ExtractContext): Extraction {
    try {
      return extractPnpmLock(file, context);
    } catch (error) {
      return failed(`could not read pnpm-lock.yaml: ${((error as Error).message ?? String(error)).split("\n")[0]}`);
    }
  },
};

/** Sections of an importer and the edge kind each gives. */
const IMPORTER_SECTIONS: ReadonlyArray<[string, EdgeKind]> = [
  ["dependencies", "prod"],
  ["devDependencies", "dev"],
  ["optionalDependencies", "optional"],
];

/** Sections of the env document pnpm 11+ writes first: tooling pnpm installs for itself, never shipped. */
const ENV_SECTIONS: ReadonlyArray<[string, EdgeKind]> = [
  ["configDependencies", "dev"],
  ["packageManagerDependencies", "dev"],
];

/** The sections whose keys (and their lines) the extractor needs, per document. */
type LockSections = Record<"packages" | "snapshots" | "importers", Map<string, number>[]>;

/**
 * One linear scan per lock and extraction: the companion rounds need the importer folders, extract the lines of
 * every key. Shared between calls, so read-only.
 */
const lockSections = textCache((text: string): LockSections => sectionKeys(text, ["packages", "snapshots", "importers"]));

/** Importer folders named in the text (`importers:` keys at two spaces) of every document. */
function importerPaths(sections: LockSections): string[] {
  const out: string[] = [];
  for (const section of sections.importers) for (const key of section.keys()) if (key !== ".") out.push(key);
  return out;
}

/**
 * For each document, the keys directly under the given top-level sections (`packages:`, `snapshots:`,
 * `importers:`) with the 1-based line each starts on. pnpm indents by two spaces; one linear pass over the text.
 * Documents are split exactly as the YAML readers split them: at `---` lines, with no empty document before a
 * first `---` that only comments precede.
 */
export function sectionKeys<S extends string>(text: string, sections: readonly S[]): Record<S, Map<string, number>[]> {
  const out = Object.fromEntries(sections.map((s) => [s, [] as Map<string, number>[]])) as Record<S, Map<string, number>[]>;
  const headers = new Map(sections.map((s) => [`${s}:`, s]));
  let current = new Map<S, Map<string, number>>();
  const close = () => {
    for (const s of sections) out[s].push(current.get(s) ?? new Map());
    current = new Map();
  };
  let started = false;
  let hasContent = false;
  let section: S | undefined;
  let lineNo = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    lineNo++;
    const lineStart = start;
    start = end + 1;
    if (end > lineStart && text.charCodeAt(end - 1) === 13) end--;
    const first = text.charCodeAt(lineStart);
    if (first === 45 && text.startsWith("---", lineStart) && text.slice(lineStart + 3, end).trim() === "") {
      if (started || hasContent) close();
      started = true;
      hasContent = false;
      section = undefined;
      continue;
    }
    if (first !== 32) {
      // An unindented line: blank, a comment, or a top-level key that opens or closes a section.
      if (end === lineStart || first === 35) continue;
      hasContent = true;
      section = headers.get(text.slice(lineStart, end));
      continue;
    }
    let indent = lineStart;
    while (indent < end && text.charCodeAt(indent) === 32) indent++;
    if (indent === end || text.charCodeAt(indent) === 35) continue;
    hasContent = true;
    if (section === undefined || indent - lineStart !== 2) continue;
    const key = unquoteKey(text.slice(indent, end));
    if (key === undefined) continue;
    let map = current.get(section);
    if (!map) current.set(section, (map = new Map()));
    if (!map.has(key)) map.set(key, lineNo);
  }
  if (started || hasContent) close();
  return out;
}

/** The key of a `key:` / `key: value` line, unquoted. */
function unquoteKey(text: string): string | undefined {
  if (text.startsWith("'")) {
    let i = 1;
    let out = "";
    for (;;) {
      const q = text.indexOf("'", i);
      if (q < 0) return undefined;
      out += text.slice(i, q);
      if (text[q + 1] === "'") {
        out += "'";
        i = q + 2;
        continue;
      }
      return out;
    }
  }
  if (text.startsWith('"')) {
    const end = text.indexOf('":', 1);
    if (end < 0) return undefined;
    try {
      return JSON.parse(text.slice(0, end + 1)) as string;
    } catch {
      return undefined;
    }
  }
  const colon = text.indexOf(": ");
  if (colon > 0) return text.slice(0, colon);
  return text.endsWith(":") ? text.slice(0, -1) : undefined;
}

function extractPnpmLock(file: SourceFile, context: ExtractContext): Extraction {
  const text = file.text;
  if (text.trim() === "") return failed("empty pnpm-lock.yaml");
  const conflict = conflictLine(text);
  if (conflict !== undefined) return failed(`pnpm-lock.yaml has merge conflict markers (line ${conflict})`);

  const documents = readDocuments(text);
  if (typeof documents === "string") return failed(documents);
  // Empty documents (a stray `---`) carry nothing; the others keep their index to find their lines.
  const present = documents.map((doc, index) => ({ doc, index })).filter((d) => d.doc !== null && d.doc !== undefined);
  const nonEmpty = present.map((d) => d.doc);
  if (nonEmpty.length === 0) return failed("empty pnpm-lock.yaml");
  const lines = lockSections.get(context, file.path, text);

  // pnpm 11+ may write an "env" document (config dependencies, pnpm itself) before the project document.
  const project = nonEmpty[nonEmpty.length - 1];
  const envDocs = nonEmpty.slice(0, -1);
  for (const doc of envDocs) {
    if (!isEnvDocument(doc)) {
      return failed(`pnpm-lock.yaml holds ${nonEmpty.length} YAML documents; only an env document followed by the project document is expected`);
    }
  }
  if (!isObject(project)) return failed("not a pnpm lockfile: the top level is not a mapping");
  const version = lockfileVersion(project);
  if (version === undefined) return failed("not a pnpm lockfile: no lockfileVersion");
  const style = keyStyle(version);
  if (style === undefined) return unsupported(`pnpm lockfileVersion ${version} is not supported (known: 5.x, 6.x, 9.x)`);

  const dir = dirOf(file.path);
  const problems: FileProblem[] = [];
  const consumed: string[] = [];
  const discovered = new Set(context.discovered);
  const readManifest = (path: string): PackageManifest | undefined => {
    const manifestText = context.files.get(path);
    if (manifestText === undefined) {
      const reason = context.unreadable.get(path);
      if (reason !== undefined && discovered.has(path)) problems.push({ path, status: "failed", reason: `could not read: ${reason}` });
      return undefined;
    }
    consumed.push(path);
    try {
      return parsePackageJson(manifestText);
    } catch (error) {
      problems.push({ path, status: "failed", reason: (error as Error).message });
      return undefined;
    }
  };

  const rootManifestPath = joinPath(dir, "package.json") as string;
  const rootManifest = readManifest(rootManifestPath);
  // Importer folder → its package.json path, when that was read and is valid (where the importer declares).
  const manifestPaths = new Map<string, string>();
  if (rootManifest) manifestPaths.set(".", rootManifestPath);
  const builder = new GraphBuilder("npm", {
    name: rootManifest?.name ?? "",
    version: rootManifest?.version ?? "",
    location: { file: rootManifest ? rootManifestPath : file.path },
  });

  const state: BuildState = { builder, file: file.path, unresolved: 0, examples: [], skipped: [] };
  const importerNodes = new Map<string, string>([[".", ROOT_ID]]);
  const importers = isObject(project.importers) ? project.importers : { ".": project };
  const projectIndex = (present[present.length - 1] as { index: number }).index;
  const importerLines = lines.importers[projectIndex];
  for (const path of Object.keys(importers).sort()) {
    if (path === ".") continue;
    const manifestPath = joinPath(dir, `${path}/package.json`);
    const manifest = manifestPath !== undefined ? readManifest(manifestPath) : undefined;
    if (manifest && manifestPath !== undefined) manifestPaths.set(path, manifestPath);
    const nodeId = builder.addWorkspace(path, {
      name: manifest?.name ?? path,
      version: manifest?.version ?? "",
      location: manifest && manifestPath ? { file: manifestPath } : { file: file.path, ...lineOf(importerLines, path) },
    });
    importerNodes.set(path, nodeId);
  }

  const siteOf = declarationSites(file.path, text, context, manifestPaths, importerLines, projectIndex);
  readDocument(state, project, style, importers, importerNodes, IMPORTER_SECTIONS, {
    packages: lines.packages[projectIndex] ?? new Map(),
    snapshots: lines.snapshots[projectIndex] ?? new Map(),
  }, siteOf);
  envDocs.forEach((doc, index) => {
    const env = doc as Record<string, unknown>;
    const envStyle = keyStyle(lockfileVersion(env) ?? "") ?? style;
    const envImporters = isObject(env.importers) ? env.importers : {};
    const envIndex = (present[index] as { index: number }).index;
    readDocument(state, env, envStyle, envImporters, new Map([[".", ROOT_ID]]), ENV_SECTIONS, {
      packages: lines.packages[envIndex] ?? new Map(),
      snapshots: lines.snapshots[envIndex] ?? new Map(),
    });
  });

  const issues: string[] = [];
  if (state.unresolved > 0) {
    issues.push(`${state.unresolved} ${state.unresolved === 1 ? "dependency" : "dependencies"} not found in pnpm-lock.yaml (${state.examples.join(", ")}${state.unresolved > state.examples.length ? ", ..." : ""})`);
  }
  if (state.skipped.length > 0) {
    issues.push(`${state.skipped.length} ${state.skipped.length === 1 ? "entry" : "entries"} skipped (${state.skipped.slice(0, 3).join("; ")}${state.skipped.length > 3 ? "; ..." : ""})`);
  }
  return {
    graph: builder.build(),
    status: issues.length > 0 ? "partial" : "ok",
    ...(issues.length > 0 ? { reason: issues.join("; ") } : {}),
    consumed,
    problems,
  };
}

/**
 * The `yaml` library, loaded on first use: the fast reader handles the lockfiles pnpm writes, so most scans never
 * need it, and importing it costs about as much as reading a large lockfile. `extract` is synchronous, hence a
 * synchronous `require` (yaml is a CommonJS package for Node) rather than `import()`.
 */
function yamlLibrary(): typeof Yaml {
  return createRequire(import.meta.url)("yaml") as typeof Yaml;
}

/** Parses every YAML document: the fast reader for pnpm's subset, else `yaml`. A string is a failure reason. */
function readDocuments(text: string): unknown[] | string {
  const fast = parseLockYaml(text);
  if (fast !== undefined) return fast;
  const documents = yamlLibrary().parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [documents];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) return `invalid YAML at line ${lineIndex(text)(error.pos[0])}: ${error.message.split("\n")[0]}`;
  }
  // toJS keeps yaml's default alias limit, which stops "billion laughs" expansion.
  return list.map((doc) => doc.toJS() as unknown);
}

/** An env document: its only importer is "." and holds nothing but config/package-manager dependencies. */
function isEnvDocument(doc: unknown): boolean {
  if (!isObject(doc) || !isObject(doc.importers)) return false;
  const keys = Object.keys(doc.importers);
  if (keys.some((k) => k !== ".")) return false;
  const root = doc.importers["."];
  if (root === null || root === undefined) return true;
  return isObject(root) && Object.keys(root).every((k) => ENV_SECTIONS.some(([s]) => s === k));
}

function lockfileVersion(doc: Record<string, unknown>): string | undefined {
  const v = doc.lockfileVersion;
  if (typeof v === "number") return Number.isInteger(v) ? `${v}.0` : String(v);
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function keyStyle(version: string): KeyStyle | undefined {
  const major = version.split(".")[0];
  if (major === "5") return 5;
  if (major === "6") return 6;
  if (major === "9") return 9;
  return undefined;
}

function lineOf(map: Map<string, number> | undefined, key: string): { line?: number } {
  const line = map?.get(key);
  return line !== undefined ? { line } : {};
}

interface BuildState {
  builder: GraphBuilder;
  file: string;
  unresolved: number;
  examples: string[];
  skipped: string[];
}

/** One resolved package of the lockfile (a `packages` entry in 5/6, a `snapshots` entry in 9). */
interface Snapshot {
  key: string;
  entry: Record<string, unknown>;
  meta: Record<string, unknown>;
  name: string;
  nodeId?: string;
}

function readDocument(
  state: BuildState,
  doc: Record<string, unknown>,
  style: KeyStyle,
  importers: Record<string, unknown>,
  importerNodes: Map<string, string>,
  sections: ReadonlyArray<[string, EdgeKind]>,
  lines: { packages: Map<string, number>; snapshots: Map<string, number> },
  siteOf?: DeclarationSites,
): void {
  const { builder } = state;
  const packages = isObject(doc.packages) ? doc.packages : {};
  const snapshotsSection = style === 9 && isObject(doc.snapshots) ? doc.snapshots : packages;
  // pnpm 5/6 write `dev: true|false` on every package once flags are computed (absent = needed by both): trust them.
  const hasDevFlags = style !== 9 && Object.values(packages).some((p) => isObject(p) && typeof p.dev === "boolean");

  const snapshots = new Map<string, Snapshot>();
  for (const [key, value] of Object.entries(snapshotsSection)) {
    const entry = isObject(value) ? value : {};
    if (value !== null && value !== undefined && !isObject(value)) {
      state.skipped.push(`${key}: not a mapping`);
      continue;
    }
    const parsed = parseKey(key, style);
    const meta = style === 9 ? (isObject(packages[parsed.base]) ? (packages[parsed.base] as Record<string, unknown>) : {}) : entry;
    const name = stringField(meta, "name") ?? stringField(entry, "name") ?? parsed.name;
    if (!name) {
      state.skipped.push(`${key}: no package name`);
      continue;
    }
    snapshots.set(key, { key, entry, meta, name });
  }

  for (const snapshot of snapshots.values()) {
    const { key, entry, meta, name } = snapshot;
    const parsed = parseKey(key, style);
    const recorded = stringField(meta, "version") ?? stringField(entry, "version");
    const registryKey = isRegistryVersion(parsed.version);
    const version = recorded ?? (registryKey ? (parsed.version as string) : "");
    const resolution = isObject(meta.resolution) ? meta.resolution : {};
    const source = sourceOf(resolution, registryKey);
    const hashes: Hash[] = typeof resolution.integrity === "string" ? parseIntegrity(resolution.integrity) : [];
    const line = lines.packages.get(style === 9 ? parsed.base : key) ?? lines.snapshots.get(key);
    const optional = entry.optional === true || meta.optional === true;
    snapshot.nodeId = builder.addPackage({
      name,
      version,
      source: source.source,
      ...(source.resolved !== undefined ? { resolved: source.resolved } : {}),
      hashes,
      ...(hasDevFlags ? { dev: entry.dev === true, optional } : optional ? { optional: true } : {}),
      hasInstallScript: meta.requiresBuild === true || meta.hasInstallScript === true || entry.requiresBuild === true,
      location: { file: state.file, ...(line !== undefined ? { line } : {}) },
    });
  }

  const resolveRef = (name: string, ref: string, fromImporter: string | undefined): string | undefined => {
    if (ref.startsWith("link:")) {
      const target = joinPath(fromImporter === undefined || fromImporter === "." ? "" : fromImporter, ref.slice(5));
      const importer = importerNodes.get(target === "" || target === undefined ? "." : target);
      if (importer !== undefined) return importer;
      return builder.addPackage({ name, version: "", source: "path", resolved: target ?? ref.slice(5), location: { file: state.file } });
    }
    for (const candidate of candidateKeys(name, ref, style)) {
      const hit = snapshots.get(candidate);
      if (hit?.nodeId !== undefined) return hit.nodeId;
    }
    return undefined;
  };

  const note = (from: string, name: string, ref: string) => {
    state.unresolved++;
    if (state.examples.length < 3) state.examples.push(`${name}: ${ref} (from ${from})`);
  };

  // Importers: each project's own direct dependencies.
  for (const [path, value] of Object.entries(importers)) {
    const from = importerNodes.get(path);
    if (from === undefined || !isObject(value)) continue;
    const specifiers = isObject(value.specifiers) ? value.specifiers : {};
    for (const [section, kind] of sections) {
      const deps = value[section];
      if (!isObject(deps)) continue;
      for (const [name, raw] of Object.entries(deps)) {
        // 6/9: { specifier, version }; 5: the reference, with the specifier in `specifiers`.
        const ref = isObject(raw) ? stringOrNumber(raw.version) : stringOrNumber(raw);
        const spec = isObject(raw) ? stringOrNumber(raw.specifier) : stringOrNumber(specifiers[name]);
        if (ref === undefined) {
          note(path, name, String(raw));
          continue;
        }
        const to = resolveRef(name, ref, path);
        if (to === undefined) {
          note(path === "." ? "root" : path, name, ref);
          continue;
        }
        addEdge(builder, from, to, kind, spec, name, siteOf?.(path, name, kind));
        const existing = spec !== undefined ? nodeInput(builder, to) : undefined;
        if (existing) builder.addPackage({ ...existing, declared: spec }, to);
      }
    }
  }

  // Packages: dependencies of every peer variant, all kept on the collapsed node.
  for (const snapshot of snapshots.values()) {
    if (snapshot.nodeId === undefined) continue;
    const peers = isObject(snapshot.meta.peerDependencies) ? snapshot.meta.peerDependencies : {};
    for (const [section, kind] of [["dependencies", "prod"], ["optionalDependencies", "optional"]] as const) {
      const deps = snapshot.entry[section];
      if (!isObject(deps)) continue;
      for (const [name, raw] of Object.entries(deps)) {
        const ref = stringOrNumber(raw);
        const to = ref === undefined ? undefined : resolveRef(name, ref, undefined);
        if (to === undefined) {
          note(snapshot.key, name, String(raw));
          continue;
        }
        // A resolved peer is listed among the dependencies; the edge says it is a peer.
        addEdge(builder, snapshot.nodeId, to, kind === "prod" && name in peers ? "peer" : kind, undefined, name);
      }
    }
  }
}

function addEdge(builder: GraphBuilder, from: string, to: string, kind: EdgeKind, spec: string | undefined, name: string, location?: Location): void {
  const toName = builder.get(to)?.name;
  builder.addEdge(from, to, kind, spec, toName !== undefined && toName !== name ? name : undefined, location);
}

/** Where an importer (by its folder in the lock) declares a dependency. */
type DeclarationSites = (importer: string, name: string, kind: EdgeKind) => Location | undefined;

/**
 * Locates declarations: the dependency's key in the importer's package.json (one pass per manifest, on first need);
 * else its key under the importer in the lockfile (one pass over the lock, on first need); else the importer's line.
 */
function declarationSites(
  lockPath: string,
  text: string,
  context: ExtractContext,
  manifestPaths: ReadonlyMap<string, string>,
  importerLines: Map<string, number> | undefined,
  documentIndex: number,
): DeclarationSites {
  const manifestLines = new Map<string, Map<string, number>>();
  let lockLines: Map<string, number> | undefined;
  return (importer, name, kind) => {
    const manifestPath = manifestPaths.get(importer);
    const manifestText = manifestPath !== undefined ? context.files.get(manifestPath) : undefined;
    if (manifestPath !== undefined && manifestText !== undefined) {
      let keys = manifestLines.get(manifestPath);
      if (!keys) manifestLines.set(manifestPath, (keys = dependencyKeyLines(manifestText)));
      const line = declarationLine(keys, name, kind);
      if (line !== undefined) return { file: manifestPath, line };
    }
    lockLines ??= importerDependencyLines(text)[documentIndex] ?? new Map();
    const line = lockLines.get(`${importer}\u0000${kind}\u0000${name}`) ?? importerLines?.get(importer);
    return line !== undefined ? { file: lockPath, line } : undefined;
  };
}

const SECTION_KINDS: ReadonlyMap<string, EdgeKind> = new Map(IMPORTER_SECTIONS);

/**
 * For each YAML document, the line of every importer dependency key, keyed `<importer>\u0000<kind>\u0000<name>`:
 * `importers: <path>: <section>: <name>` (keys at 2, 4 and 6 spaces) or, in a single-project lockfile, the top-level
 * `<section>: <name>` (importer "."). One linear pass; documents split as in {@link sectionKeys}.
 */
export function importerDependencyLines(text: string): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  let current = new Map<string, number>();
  let started = false;
  let hasContent = false;
  let inImporters = false;
  let importer: string | undefined;
  let kind: EdgeKind | undefined;
  let lineNo = 0;
  const close = () => {
    out.push(current);
    current = new Map();
  };
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    lineNo++;
    const lineStart = start;
    start = end + 1;
    if (end > lineStart && text.charCodeAt(end - 1) === 13) end--;
    if (text.startsWith("---", lineStart) && text.slice(lineStart + 3, end).trim() === "") {
      if (started || hasContent) close();
      started = true;
      hasContent = false;
      inImporters = false;
      importer = undefined;
      kind = undefined;
      continue;
    }
    let indent = lineStart;
    while (indent < end && text.charCodeAt(indent) === 32) indent++;
    if (indent === end || text.charCodeAt(indent) === 35) continue;
    hasContent = true;
    const key = unquoteKey(text.slice(indent, end));
    const depth = indent - lineStart;
    if (depth === 0) {
      inImporters = key === "importers";
      importer = inImporters ? undefined : ".";
      kind = inImporters || key === undefined ? undefined : SECTION_KINDS.get(key);
    } else if (key === undefined) {
      continue;
    } else if (inImporters && depth === 2) {
      importer = key;
      kind = undefined;
    } else if (inImporters && depth === 4) {
      kind = SECTION_KINDS.get(key);
    } else if (kind !== undefined && importer !== undefined && depth === (inImporters ? 6 : 2)) {
      const id = `${importer}\u0000${kind}\u0000${key}`;
      if (!current.has(id)) current.set(id, lineNo);
    }
  }
  if (started || hasContent) close();
  return out;
}

/** The identity fields of an existing node, to merge a `declared` spec into it. */
function nodeInput(builder: GraphBuilder, id: string): { name: string; version: string; source: SourceKind; resolved?: string } | undefined {
  const node = builder.get(id);
  if (!node || node.workspace) return undefined;
  return { name: node.name, version: node.version, source: node.source, ...(node.resolved !== undefined ? { resolved: node.resolved } : {}) };
}

/** Where a package comes from, from its `resolution`. */
function sourceOf(resolution: Record<string, unknown>, registryKey: boolean): { source: SourceKind; resolved?: string } {
  const repo = stringField(resolution, "repo");
  const commit = stringField(resolution, "commit");
  if (resolution.type === "git" || (repo !== undefined && commit !== undefined)) {
    return { source: "git", resolved: commit !== undefined ? `${repo ?? ""}#${commit}` : repo ?? "" };
  }
  const directory = stringField(resolution, "directory");
  if (resolution.type === "directory" || directory !== undefined) return { source: "path", resolved: directory ?? "" };
  const tarball = stringField(resolution, "tarball");
  if (tarball !== undefined) {
    if (tarball.startsWith("file:")) return { source: "path", resolved: tarball };
    if (registryKey) return { source: "registry", resolved: tarball };
    // pnpm fetches GitHub (and GitLab, Bitbucket) git dependencies as archive tarballs.
    if (/^https:\/\/(codeload\.github\.com|gitlab\.com|bitbucket\.org)\//.test(tarball)) return { source: "git", resolved: tarball };
    return { source: "url", resolved: tarball };
  }
  return { source: registryKey ? "registry" : "path" };
}

function stringField(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** YAML may read an unquoted version such as `1.0` as a number. */
function stringOrNumber(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}
