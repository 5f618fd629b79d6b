// uv.lock (version 1, any revision): https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile
// The layout follows uv's serializer (crates/uv-resolver/src/lock): `[[package]]` entries with a `source` table
// (registry | git | url | path | directory | editable | virtual), `dependencies`, `[package.optional-dependencies]`,
// `[package.dev-dependencies]`, `sdist`/`wheels` with hashes, and `[package.metadata]` holding what the project
// declared; `[manifest]` lists workspace members and, for a workspace without a root project, its groups.
import { GraphBuilder, ROOT_ID } from "../../graph/dependency-graph.js";
import { normalizeName } from "../../graph/names.js";
import type { EdgeKind, Hash, Location, SourceKind } from "../../graph/package-node.js";
import { dirOf, failed, joinPath, unsupported } from "../extractor.js";
import type { ExtractContext, Extraction, Extractor, FileProblem, SourceFile } from "../extractor.js";
import { pyprojectIn, readCompanion, workspaceManifests } from "../pyproject/pyproject-toml.js";
import type { Pyproject } from "../pyproject/pyproject-toml.js";
import { asArray, asString, asTable, headerLines, isTable, parseHash, parseToml } from "../pyproject/toml.js";
import type { TomlTable } from "../pyproject/toml.js";
import { uvLockFormat } from "./claims.js";

/** Local source kinds: the package is a directory on disk (a workspace member, the project, a path dependency). */
type LocalKind = "editable" | "virtual" | "directory" | "path";

interface LockedSource {
  kind: SourceKind;
  resolved?: string;
  local?: LocalKind;
  /** Stable text of the source table, to match a dependency's `source` against a package's. */
  key: string;
}

interface LockedPackage {
  index: number;
  name: string;
  version: string;
  source: LockedSource;
  table: TomlTable;
  /** Every dependency entry of the package, read once. */
  lists: DependencyRef[];
  line?: number;
}

/** A dependency entry: `{ name, version?, source?, extra?, marker? }` (a `[manifest]` group entry uses `extras`). */
type DependencyEntry = TomlTable;

/**
 * uv.lock: every locked package with its source, hashes and edges. The project is the package whose source is
 * `editable = "."` or `virtual = "."`; other workspace members (`[manifest] members`) become importers with their own
 * direct dependencies. An edge `{ name = "x", extra = ["y"] }` means x plus the packages of x's extra y: those are
 * edges from x, `prod` when some entry in the lock activates the extra, `optional` otherwise (a project's own extras
 * are installed only on request). Companions: the project's pyproject.toml and the workspace members' ones.
 */
export const uvLockExtractor: Extractor = {
  ...uvLockFormat,
  companions(file: SourceFile, context: ExtractContext): string[] {
    const root = rootManifestPath(file.path);
    const text = context.files.get(root);
    if (text === undefined) return [root];
    const read = pyprojectIn(context, root, text);
    return "project" in read ? [root, ...workspaceManifests(root, read.project, context.discovered)] : [root];
  },
  extract(file: SourceFile, context: ExtractContext): Extraction {
    try {
      return extractUvLock(file, context);
    } catch (error) {
      // Defensive: the reader narrows every field, but the boundary must never throw.
      return failed(`could not read uv.lock: ${String((error as Error)?.message ?? error).split("\n")[0]}`);
    }
  },
};

function rootManifestPath(lockPath: string): string {
  return joinPath(dirOf(lockPath), "pyproject.toml") ?? "pyproject.toml";
}

function extractUvLock(file: SourceFile, context: ExtractContext): Extraction {
  if (file.text.trim() === "") return failed("empty file");
  const parsed = parseToml(file.text);
  if (!parsed.ok) return failed(parsed.reason);
  const data = parsed.data;
  const packagesValue = data.package;
  // uv 0.2 previews wrote `[[distribution]]` entries, before the format settled on `[[package]]`.
  if (data.distribution !== undefined && packagesValue === undefined) return unsupported("pre-release uv.lock layout ([[distribution]] entries) is not read");
  if (data.version === undefined) {
    if (packagesValue === undefined) return failed("not a uv.lock: no `version` field and no [[package]] entries");
  } else if (data.version !== 1) {
    return unsupported(`uv.lock version ${String(data.version)} is not supported (only version 1 is)`);
  }

  const issues: string[] = [];
  const rawPackages = asArray(packagesValue) ?? [];
  if (packagesValue !== undefined && !Array.isArray(packagesValue)) issues.push("`package` is not an array of tables");
  const lines = headerLines(file.text, "[[package]]");
  const packages: LockedPackage[] = [];
  rawPackages.forEach((raw, i) => {
    const line = lines.length === rawPackages.length ? lines[i] : undefined;
    const where = line !== undefined ? `[[package]] at line ${line}` : `package #${i + 1}`;
    if (!isTable(raw)) return void issues.push(`${where} is not a table`);
    const name = asString(raw.name);
    if (name === undefined || name.trim() === "") return void issues.push(`${where} has no name`);
    const version = raw.version === undefined ? "" : asString(raw.version);
    if (version === undefined) return void issues.push(`${where} (${name}) has a version that is not a string`);
    const source = lockedSource(raw.source);
    if (!source) issues.push(`${where} (${name}) has no readable source; read as a registry package`);
    packages.push({
      index: packages.length,
      name: normalizeName("pypi", name),
      version,
      source: source ?? { kind: "registry", key: "" },
      table: raw,
      lists: dependencyLists(raw),
      ...(line !== undefined ? { line } : {}),
    });
  });

  const manifest = asTable(data.manifest);
  const memberNames = new Set((asArray(manifest?.members) ?? []).filter((m): m is string => typeof m === "string").map((m) => normalizeName("pypi", m)));
  const root = packages.find((p) => (p.source.local === "editable" || p.source.local === "virtual") && isProjectDir(p.source.resolved));

  // Companions: the project's pyproject.toml (its name when the lock has no root package) and the members' ones.
  const consumed: string[] = [];
  const problems: FileProblem[] = [];
  const rootManifest = rootManifestPath(file.path);
  const rootRead = readCompanion(rootManifest, context);
  if (rootRead.project || rootRead.problem) consumed.push(rootManifest);
  if (rootRead.problem) problems.push(rootRead.problem);
  const memberManifests = new Map<string, Pyproject>();
  if (rootRead.project) {
    for (const path of workspaceManifests(rootManifest, rootRead.project, context.discovered)) {
      const read = readCompanion(path, context);
      if (!read.project && !read.problem) continue;
      consumed.push(path);
      if (read.problem) problems.push(read.problem);
      if (read.project) memberManifests.set(dirOf(path), read.project);
    }
  }

  const byName = new Map<string, LockedPackage[]>();
  for (const p of packages) {
    const list = byName.get(p.name);
    if (list) list.push(p);
    else byName.set(p.name, [p]);
  }
  let unresolved = 0;
  const unresolvedNames = new Set<string>();
  /** The locked packages a dependency entry names; `count` records entries that name nothing in the lock. */
  function resolve(entry: DependencyEntry, count = true): LockedPackage[] {
    const rawName = asString(entry.name);
    const candidates = rawName === undefined ? [] : (byName.get(normalizeName("pypi", rawName)) ?? []);
    if (candidates.length === 0) {
      if (count) {
        unresolved++;
        if (rawName !== undefined) unresolvedNames.add(normalizeName("pypi", rawName));
      }
      return [];
    }
    // When several versions of a name are locked, uv writes the version (and source) into the entry.
    const version = asString(entry.version);
    const sourceKey = isTable(entry.source) ? lockedSource(entry.source)?.key : undefined;
    const exact = candidates.filter((c) => (version === undefined || c.version === version) && (sourceKey === undefined || c.source.key === sourceKey));
    return exact.length > 0 ? exact : candidates;
  }
  const resolveQuietly = (entry: DependencyEntry) => resolve(entry, false);

  const isMember = (p: LockedPackage) => p !== root && p.source.local !== undefined && memberNames.has(p.name);
  const importers = packages.filter((p) => p === root || isMember(p));

  // Extras some entry asks for: `{ name = "x", extra = ["y"] }` anywhere in the lock activates x's extra y.
  const activated = new Set<string>();
  const activate = (entry: DependencyEntry, extrasKey: "extra" | "extras") => {
    const extras = asArray(entry[extrasKey])?.filter((e): e is string => typeof e === "string") ?? [];
    if (extras.length === 0) return;
    for (const target of resolveQuietly(entry)) for (const extra of extras) activated.add(`${target.index}\u0000${normalizeName("pypi", extra)}`);
  };
  for (const p of packages) for (const { entry } of p.lists) activate(entry, "extra");
  for (const entry of manifestEntries(manifest)) activate(entry.entry, "extras");

  // Declared specs of direct dependencies, from `[package.metadata]` of each importer.
  const declared = new Map<number, string>();
  const specOf = (importer: LockedPackage, name: string, list: ListName, group: string) => declaredSpec(importer.table, name, list, group);
  for (const importer of importers) {
    for (const { entry, list, group } of importer.lists) {
      const name = asString(entry.name);
      if (name === undefined) continue;
      const spec = specOf(importer, normalizeName("pypi", name), list, group);
      if (spec === undefined) continue;
      for (const target of resolveQuietly(entry)) if (!declared.has(target.index)) declared.set(target.index, spec);
    }
  }
  if (!root) {
    for (const { entry } of manifestEntries(manifest)) {
      const spec = entrySpec(entry);
      if (spec === undefined) continue;
      for (const target of resolveQuietly(entry)) if (!declared.has(target.index)) declared.set(target.index, spec);
    }
  }

  const rootName = root?.name ?? (rootRead.project?.name !== undefined ? normalizeName("pypi", rootRead.project.name) : undefined);
  const rootVersion = root?.version || rootRead.project?.version;
  const builder = new GraphBuilder("pypi", {
    ...(rootName !== undefined ? { name: rootName } : {}),
    ...(rootVersion ? { version: rootVersion } : {}),
    location: { file: file.path, ...(root?.line !== undefined ? { line: root.line } : {}) },
  });
  const ids: string[] = [];
  for (const p of packages) {
    const location = { file: file.path, ...(p.line !== undefined ? { line: p.line } : {}) };
    if (p === root) ids.push(ROOT_ID);
    else if (isMember(p)) {
      const path = memberPath(p.source.resolved ?? "");
      const manifestVersion = memberManifests.get(joinPath(dirOf(file.path), path) ?? path)?.version;
      ids.push(builder.addWorkspace(path, { name: p.name, version: p.version || manifestVersion || "", location }));
    } else {
      const spec = declared.get(p.index);
      ids.push(builder.addPackage({
        name: p.name,
        version: p.version,
        source: p.source.kind,
        ...(p.source.resolved !== undefined ? { resolved: p.source.resolved } : {}),
        hashes: packageHashes(p.table),
        ...(spec !== undefined ? { declared: spec } : {}),
        location,
      }));
    }
  }

  const importerSet = new Set(importers);
  // Where each importer declares: its pyproject.toml (the root's, or the member's), else its own entry in uv.lock.
  const lockDir = dirOf(file.path);
  const sitesOf = (p: LockedPackage): DeclarationSites => {
    const manifestDir = p === root ? lockDir : joinPath(lockDir, memberPath(p.source.resolved ?? ""));
    const manifestPath = manifestDir === undefined ? undefined : joinPath(manifestDir, "pyproject.toml");
    const project = p === root ? rootRead.project : manifestDir === undefined ? undefined : memberManifests.get(manifestDir);
    return declarationSites(project, manifestPath, { file: file.path, ...(p.line !== undefined ? { line: p.line } : {}) });
  };
  for (const p of packages) {
    const from = ids[p.index] as string;
    const importer = importerSet.has(p);
    const sites = importer ? sitesOf(p) : undefined;
    for (const { entry, list, group } of p.lists) {
      let kind: EdgeKind;
      if (list === "dependencies") kind = "prod";
      else if (list === "optional-dependencies") kind = activated.has(`${p.index}\u0000${group}`) ? "prod" : "optional";
      else if (importer) kind = "dev";
      else continue; // uv installs dev groups of workspace projects only.
      const name = asString(entry.name);
      const spec = importer && name !== undefined ? specOf(p, normalizeName("pypi", name), list, group) : undefined;
      const location = sites && name !== undefined ? sites(normalizeName("pypi", name), list, group) : undefined;
      for (const target of resolve(entry)) builder.addEdge(from, ids[target.index] as string, kind, spec, undefined, location);
    }
  }

  const notes: string[] = [];
  if (!root) {
    // A workspace whose root has no [project] (a "virtual" root): its groups and requirements live in [manifest].
    const sites = declarationSites(rootRead.project, rootManifest, { file: file.path });
    for (const { entry, kind } of manifestEntries(manifest)) {
      const name = asString(entry.name);
      const location = name !== undefined ? sites(normalizeName("pypi", name), kind === "dev" ? "dev-dependencies" : "dependencies", undefined) : undefined;
      for (const target of resolve(entry)) builder.addEdge(ROOT_ID, ids[target.index] as string, kind, entrySpec(entry), undefined, location);
    }
    if (importers.length === 0 && manifestEntries(manifest).length === 0) {
      // No project, no members: treat what nothing depends on as direct, so every package still gets a chain.
      const dependedOn = new Set<number>();
      for (const p of packages) for (const { entry } of p.lists) for (const t of resolveQuietly(entry)) if (t !== p) dependedOn.add(t.index);
      for (const p of packages) if (!dependedOn.has(p.index)) builder.addEdge(ROOT_ID, ids[p.index] as string, "prod");
      if (packages.length > 0) notes.push("no project package (source `.`) and no workspace members: packages nothing depends on are treated as direct");
    }
  }

  const graph = builder.build();
  if (issues.length > 0) notes.push(issues.length === 1 ? `1 entry skipped: ${issues[0]}` : `${issues.length} entries skipped, first: ${issues[0]}`);
  if (unresolved > 0) {
    const names = [...unresolvedNames].sort();
    const sample = names.slice(0, 3).join(", ") + (names.length > 3 ? ", …" : "");
    notes.push(`${unresolved} dependency entr${unresolved === 1 ? "y names" : "ies name"} a package not in the lock${sample ? ` (${sample})` : ""}`);
  }
  if (notes.length > 0) return { graph, status: "partial", reason: notes.join("; "), consumed, problems };
  return { graph, status: "ok", consumed, problems };
}

/** Where an importer declares a dependency: by normalised name, the lock list it sits in, and its extra or group. */
type DeclarationSites = (name: string, list: ListName, group: string | undefined) => Location;

/**
 * Locates an importer's declarations in its parsed pyproject.toml: the entry of the same list and extra/group, else
 * any entry of that name; `fallback` (the importer's entry in uv.lock) when the manifest does not declare it. The
 * lookup table is built once per importer.
 */
function declarationSites(project: Pyproject | undefined, manifestPath: string | undefined, fallback: Location): DeclarationSites {
  const exact = new Map<string, number>();
  const byName = new Map<string, number>();
  for (const dep of project?.dependencies ?? []) {
    if (dep.line === undefined) continue;
    const key = `${dep.kind}\u0000${dep.kind === "prod" ? "" : dep.group}\u0000${dep.name}`;
    if (!exact.has(key)) exact.set(key, dep.line);
    if (!byName.has(dep.name)) byName.set(dep.name, dep.line);
  }
  return (name, list, group) => {
    const kind = list === "dependencies" ? "prod" : list === "optional-dependencies" ? "optional" : "dev";
    const line = (group !== undefined ? exact.get(`${kind}\u0000${kind === "prod" ? "" : group}\u0000${name}`) : undefined) ?? byName.get(name);
    return line !== undefined && manifestPath !== undefined ? { file: manifestPath, line } : fallback;
  };
}

/**
 * Reads a `source` table. Git sources are `git = "<url>?rev=…#<commit>"` and are kept as written (URL + commit);
 * registry packages keep their index URL so a package from a private or unexpected index stays visible.
 */
function lockedSource(value: unknown): LockedSource | undefined {
  const table = asTable(value);
  if (!table) return undefined;
  const key = Object.keys(table).sort().map((k) => `${k}=${String(table[k])}`).join("\u0000");
  const registry = asString(table.registry);
  if (registry !== undefined) return { kind: "registry", resolved: registry, key };
  const git = asString(table.git);
  if (git !== undefined) return { kind: "git", resolved: git, key };
  const url = asString(table.url);
  if (url !== undefined) {
    const sub = asString(table.subdirectory);
    return { kind: "url", resolved: sub === undefined ? url : `${url}#subdirectory=${sub}`, key };
  }
  for (const local of ["editable", "virtual", "directory", "path"] as const) {
    const path = asString(table[local]);
    if (path !== undefined) return { kind: "path", resolved: path, local, key };
  }
  return undefined;
}

function isProjectDir(path: string | undefined): boolean {
  return path !== undefined && memberPath(path) === "";
}

/** A member's path as written in the lock (relative to the lock's directory), normalised ("./lib/x" → "lib/x"). */
function memberPath(path: string): string {
  return joinPath("", path) ?? path;
}

type ListName = "dependencies" | "optional-dependencies" | "dev-dependencies";

/** One dependency entry and where it sits: the main list, an extra, or a dev group (its normalised name). */
interface DependencyRef {
  entry: DependencyEntry;
  list: ListName;
  group: string;
}

/** Every dependency entry of a package: `dependencies`, then each extra, then each dev group. */
function dependencyLists(table: TomlTable): DependencyRef[] {
  const out: DependencyRef[] = [];
  for (const entry of asArray(table.dependencies) ?? []) if (isTable(entry)) out.push({ entry, list: "dependencies", group: "" });
  for (const list of ["optional-dependencies", "dev-dependencies"] as const) {
    const groups = asTable(table[list]);
    for (const [group, entries] of Object.entries(groups ?? {})) {
      for (const entry of asArray(entries) ?? []) if (isTable(entry)) out.push({ entry, list, group: normalizeName("pypi", group) });
    }
  }
  return out;
}

/** The root's own entries in `[manifest]` (a workspace without a root project): `requirements` and groups. */
function manifestEntries(manifest: TomlTable | undefined): Array<{ entry: DependencyEntry; kind: EdgeKind }> {
  const out: Array<{ entry: DependencyEntry; kind: EdgeKind }> = [];
  for (const entry of asArray(manifest?.requirements) ?? []) if (isTable(entry)) out.push({ entry, kind: "prod" });
  const groups = asTable(manifest?.["dependency-groups"]);
  for (const entries of Object.values(groups ?? {})) for (const entry of asArray(entries) ?? []) if (isTable(entry)) out.push({ entry, kind: "dev" });
  return out;
}

/** The spec a metadata entry records: the version specifier, else the git/url/path it points at. */
function entrySpec(entry: TomlTable): string | undefined {
  for (const key of ["specifier", "git", "url", "path", "editable", "directory"]) {
    const value = asString(entry[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * What an importer declared for a dependency, from `[package.metadata] requires-dist` (main deps and extras, the
 * latter marked `extra == '<name>'`) or `requires-dev` (groups).
 */
function declaredSpec(table: TomlTable, name: string, list: ListName, group: string): string | undefined {
  const metadata = asTable(table.metadata);
  if (!metadata) return undefined;
  let entries: unknown[] | undefined;
  if (list === "dev-dependencies") {
    const dev = asTable(metadata["requires-dev"]);
    const key = Object.keys(dev ?? {}).find((g) => normalizeName("pypi", g) === group);
    entries = key === undefined ? undefined : asArray(dev?.[key]);
  } else entries = asArray(metadata["requires-dist"]);
  const matching = (entries ?? []).filter(isTable).filter((e) => {
    const n = asString(e.name);
    return n !== undefined && normalizeName("pypi", n) === name;
  });
  if (matching.length === 0) return undefined;
  const forExtra = (e: TomlTable) => {
    const marker = asString(e.marker) ?? "";
    return marker.includes(`extra == '${group}'`) || marker.includes(`extra == "${group}"`);
  };
  const hasExtraMarker = (e: TomlTable) => (asString(e.marker) ?? "").includes("extra ==");
  const chosen = list === "optional-dependencies"
    ? (matching.find(forExtra) ?? matching[0])
    : (matching.find((e) => !hasExtraMarker(e)) ?? matching[0]);
  return chosen ? entrySpec(chosen) : undefined;
}

/** Every hash of the sdist and the wheels (`sha256:…`). */
function packageHashes(table: TomlTable): Hash[] {
  const hashes: Hash[] = [];
  const sdist = asTable(table.sdist);
  const sdistHash = parseHash(sdist?.hash);
  if (sdistHash) hashes.push(sdistHash);
  for (const wheel of asArray(table.wheels) ?? []) {
    const hash = parseHash(asTable(wheel)?.hash);
    if (hash) hashes.push(hash);
  }
  return hashes;
}
