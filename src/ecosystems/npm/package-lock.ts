import { GraphBuilder, ROOT_ID } from "../../graph/dependency-graph.js";
import type { EdgeKind, Location, PackageInput } from "../../graph/package-node.js";
import { baseName, dirOf, failed, joinPath, unsupported } from "../extractor.js";
import type { ExtractContext, Extraction, Extractor, FileProblem, SourceFile } from "../extractor.js";
import { jsonErrorReason, memberKeyLines, visitKeys } from "./json-lines.js";
import { declarationLine, dependencyKeyLines, isObject, parseAlias, parsePackageJson } from "./package-json.js";
import type { PackageManifest } from "./package-json.js";
import { sourceOfResolved } from "./sources.js";
import { parseIntegrity } from "../shared/integrity.js";
import { textCache } from "../shared/memo.js";
import { stripBom } from "../shared/text.js";
import { compileGlobs, matchesGlobs } from "../shared/glob.js";
import type { GlobList } from "../shared/glob.js";
import { npmLockFormat } from "./claims.js";

/**
 * npm's lockfiles: `package-lock.json` and its publishable twin `npm-shrinkwrap.json`, lockfileVersion 1
 * (npm 5–6: a nested `dependencies` tree), 2 (npm 7–8: the `packages` map plus the legacy tree) and 3 (npm 9+:
 * `packages` only). https://docs.npmjs.com/cli/configuring-npm/package-lock-json
 *
 * The `packages` map is keyed by install location; a dependency edge is resolved the way npm's arborist does
 * (Node#resolve): from the dependant's location, the nearest `node_modules/<name>` walking up the folder chain.
 * Every entry becomes a node, reachable or not, because npm installs (and `npm ls` lists) what the lock holds.
 */
export const npmLockExtractor: Extractor = {
  ...npmLockFormat,
  companions: lockCompanions,
  extract: extractLock,
};

/** How a dependant declares a dependency, as arborist names edge types. */
type DepType = "prod" | "dev" | "optional" | "peer" | "peerOptional";

const EDGE_KIND: Record<DepType, EdgeKind> = {
  prod: "prod",
  dev: "dev",
  optional: "optional",
  peer: "peer",
  // An optional peer is never installed because of the edge itself, so it counts as optional for the graph.
  peerOptional: "optional",
};

interface Declared {
  name: string;
  spec: string;
  type: DepType;
}

/** What one extraction collects besides the graph: skipped entries and companion bookkeeping. */
interface Tally {
  skippedEntries: number;
  skippedFields: number;
  consumed: string[];
  problems: FileProblem[];
  notes: string[];
}

/** The lock text without its byte-order mark, and its JSON value (or the error JSON.parse threw). */
type ParsedLock = { text: string; data: unknown } | { text: string; error: unknown };

/**
 * One JSON.parse per lock and extraction: the companion rounds need the `packages` keys, extract the whole value.
 * The parsed value is shared, so nothing below modifies it.
 */
const parsedLocks = textCache((raw: string): ParsedLock => {
  const text = stripBom(raw);
  try {
    return { text, data: JSON.parse(text) };
  } catch (error) {
    return { text, error };
  }
});

function lockCompanions(file: SourceFile, context: ExtractContext): string[] {
  const dir = dirOf(file.path);
  const wanted = [joinPath(dir, "package.json") as string];
  // Workspace members (and other linked folders) keep their own package.json; they belong to this project.
  const parsed = parsedLocks.get(context, file.path, file.text);
  if (!("data" in parsed)) return wanted;
  const data = parsed.data;
  if (!isObject(data) || !isObject(data.packages)) return wanted;
  const discovered = new Set(context.discovered);
  for (const loc of Object.keys(data.packages)) {
    if (loc === "" || inNodeModules(loc)) continue;
    const path = joinPath(dir, `${loc}/package.json`);
    if (path !== undefined && discovered.has(path)) wanted.push(path);
  }
  return wanted;
}

function extractLock(file: SourceFile, context: ExtractContext): Extraction {
  const parsed = parsedLocks.get(context, file.path, file.text);
  const text = parsed.text;
  if (text.trim() === "") return failed("empty file");
  if (!("data" in parsed)) return failed(jsonErrorReason(text, parsed.error));
  const data = parsed.data;
  if (!isObject(data)) return failed("not an npm lockfile: the top level is not a JSON object");
  const lockfileVersion = data.lockfileVersion;
  if (lockfileVersion !== 1 && lockfileVersion !== 2 && lockfileVersion !== 3) {
    const shown = lockfileVersion === undefined ? "missing" : JSON.stringify(lockfileVersion);
    return unsupported(`lockfileVersion ${shown} is not supported (npm lockfileVersion 1, 2 and 3 are)`);
  }
  const tally: Tally = { skippedEntries: 0, skippedFields: 0, consumed: [], problems: [], notes: [] };
  const dir = dirOf(file.path);
  const manifestPath = joinPath(dir, "package.json") as string;
  const manifest = readManifest(manifestPath, context, tally);
  const graph = lockfileVersion !== 1 && isObject(data.packages)
    ? extractPackages(file.path, text, data, data.packages, manifest, manifestPath, dir, context, tally)
    : extractLegacyTree(file.path, text, data, manifest, manifestPath, context, tally);

  const reasons: string[] = [];
  if (tally.skippedEntries > 0) reasons.push(`${tally.skippedEntries} ${plural(tally.skippedEntries, "entry", "entries")} without a usable version or shape skipped`);
  if (tally.skippedFields > 0) reasons.push(`${tally.skippedFields} malformed dependency ${plural(tally.skippedFields, "field", "fields")} skipped`);
  reasons.push(...tally.notes);
  return {
    graph,
    status: reasons.length > 0 ? "partial" : "ok",
    ...(reasons.length > 0 ? { reason: reasons.join("; ") } : {}),
    consumed: tally.consumed,
    problems: tally.problems,
  };
}

/** Reads a companion package.json; a broken one is reported under its own path and still belongs to the project. */
function readManifest(path: string, context: ExtractContext, tally: Tally): PackageManifest | undefined {
  const text = context.files.get(path);
  if (text === undefined) return undefined;
  tally.consumed.push(path);
  try {
    return parsePackageJson(text);
  } catch (error) {
    tally.problems.push({ path, status: "failed", reason: (error as Error).message });
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// lockfileVersion 2 and 3: the `packages` map.

/** The plan for one non-link location: what node it becomes. */
interface Plan {
  input: PackageInput;
  /** Set for workspace members (added with addWorkspace). */
  workspace: boolean;
  /** Top-level folder outside node_modules (root, workspace, linked folder): npm reads its devDependencies. */
  top: boolean;
  entry: Record<string, unknown>;
  id?: string;
  /** What the entry declares (filled in pass 2). */
  deps?: Declared[];
  /** The folder's own package.json (root-relative), when it was read and is valid: where a workspace declares. */
  manifestPath?: string;
}

function extractPackages(
  file: string,
  text: string,
  data: Record<string, unknown>,
  packages: Record<string, unknown>,
  manifest: PackageManifest | undefined,
  manifestPath: string,
  dir: string,
  context: ExtractContext,
  tally: Tally,
) {
  const locations = Object.keys(packages);
  const lines = memberKeyLines(text, "packages", locations) ?? packagesKeyLines(text);
  const locationOf = (loc: string) => ({ file, line: lines.get(loc) ?? 1 });

  const rootEntry = isObject(packages[""]) ? packages[""] : {};
  if (packages[""] !== undefined && !isObject(packages[""])) tally.skippedEntries++;
  const builder = new GraphBuilder("npm", {
    name: str(rootEntry.name) ?? str(data.name) ?? manifest?.name ?? "",
    version: str(rootEntry.version) ?? str(data.version) ?? manifest?.version ?? "",
    location: locationOf(""),
  });
  // npm (@npmcli/map-workspaces) expands the globs and keeps folders holding a package.json; here the lock already
  // lists those folders, so each is matched against the globs.
  const globs = compileGlobs(workspaceGlobs(rootEntry.workspaces) ?? manifest?.workspaces ?? []);

  // Pass 1: every location becomes a plan (a node to add) or a link to another location.
  const plans = new Map<string, Plan>();
  const links = new Map<string, string>();
  for (const loc of locations) {
    if (loc === "") continue;
    const value = packages[loc];
    if (!isObject(value)) {
      tally.skippedEntries++;
      continue;
    }
    if (value.link === true) {
      const target = str(value.resolved);
      if (target === undefined) tally.skippedEntries++;
      else links.set(loc, normaliseLocation(target));
      continue;
    }
    const plan = planEntry(loc, value, globs, dir, context, tally, locationOf(loc));
    if (plan) plans.set(loc, plan);
  }
  // Everything installed below a package that bundles its dependencies ships inside that package's tarball (npm does
  // not always flag the deeper levels `inBundle`): it has no integrity of its own, and needs none.
  for (const [loc, plan] of plans) {
    if (plan.input.bundled) continue;
    for (let at = loc.lastIndexOf("/node_modules/"); at > 0; at = loc.lastIndexOf("/node_modules/", at - 1)) {
      const ancestor = plans.get(loc.slice(0, at));
      if (ancestor && (ancestor.entry.bundleDependencies !== undefined || ancestor.entry.bundledDependencies !== undefined || ancestor.input.bundled)) {
        plan.input.bundled = true;
        break;
      }
    }
  }
  // A link whose target has no entry of its own still names a local folder: keep it as a path package.
  for (const [loc, target] of links) {
    if (target === "" || plans.has(target)) continue;
    const entry = packages[loc] as Record<string, unknown>;
    plans.set(target, {
      input: { name: str(entry.name) ?? folderName(loc), version: "", source: "path", resolved: target, location: locationOf(loc) },
      workspace: false,
      top: !inNodeModules(target),
      entry: {},
    });
  }

  // Resolution, memoised per location: the parent of a location is the nearest enclosing folder holding a node.
  const parents = new Map<string, string | undefined>();
  const parentOf = (loc: string): string | undefined => {
    if (loc === "") return undefined;
    let parent = parents.get(loc);
    if (parent !== undefined || parents.has(loc)) return parent;
    parent = "";
    for (let at = loc.lastIndexOf("/"); at > 0; at = loc.lastIndexOf("/", at - 1)) {
      const candidate = loc.slice(0, at);
      if (plans.has(candidate)) {
        parent = candidate;
        break;
      }
    }
    // A folder outside the project (`../lib`) has no parent inside it (arborist gives it no fsParent).
    if (parent === "" && (loc === ".." || loc.startsWith("../"))) parent = undefined;
    parents.set(loc, parent);
    return parent;
  };
  // What is installed directly inside each folder: `<folder>/node_modules/<name>` → the location it resolves to (its
  // own, or a link's target). Looking a dependency up here takes strings that already exist (and carry their hash),
  // where building `${at}/node_modules/${name}` at every step would hash a new string each time.
  const installed = new Map<string, Map<string, string>>();
  const index = (loc: string, resolved: string) => {
    const at = loc.lastIndexOf("node_modules/");
    if (at < 0 || (at > 0 && loc[at - 1] !== "/")) return;
    const folder = at === 0 ? "" : loc.slice(0, at - 1);
    let names = installed.get(folder);
    if (!names) installed.set(folder, (names = new Map()));
    names.set(loc.slice(at + "node_modules/".length), resolved);
  };
  for (const [loc, target] of links) index(loc, target);
  // A location with an entry of its own wins over a link at the same place, as in the lookups this replaces.
  for (const loc of plans.keys()) index(loc, loc);
  const resolve = (from: string, name: string): string | undefined => {
    for (let at: string | undefined = from; at !== undefined; at = parentOf(at)) {
      const target = installed.get(at)?.get(name);
      if (target !== undefined) return target;
    }
    return undefined;
  };

  // Pass 2: the direct dependencies of the root and of each workspace, so their nodes carry the declared spec.
  // The lock records the root's declarations (npm copies them into `packages[""]`); package.json is the fallback.
  const rootDeps = hasDependencySections(rootEntry) || !manifest ? declaredDeps(rootEntry, true, tally) : manifestDeclared(manifest);
  for (const plan of plans.values()) plan.deps = declaredDeps(plan.entry, plan.top, tally);
  const declareFrom = (loc: string, deps: readonly Declared[]) => {
    for (const { name, spec } of deps) {
      const target = resolve(loc, name);
      const plan = target === undefined ? undefined : plans.get(target);
      if (plan && plan.input.declared === undefined) plan.input.declared = spec;
    }
  };
  declareFrom("", rootDeps);
  for (const [loc, plan] of plans) if (plan.workspace) declareFrom(loc, plan.deps ?? []);

  // Pass 3: nodes, then edges.
  for (const [loc, plan] of plans) {
    plan.id = plan.workspace ? builder.addWorkspace(loc, plan.input) : builder.addPackage(plan.input);
  }
  const idOf = (loc: string) => (loc === "" ? ROOT_ID : plans.get(loc)?.id);
  // Where the root and each workspace declare their dependencies: their package.json, else their lock entry.
  const rootSites = declarationSites(manifest ? context.files.get(manifestPath) : undefined, manifestPath, () => rootEntryKeyLines(text), file, lines.get("") ?? 1);
  let unresolved = 0;
  const sources: Array<[string, readonly Declared[], DeclarationSites | undefined]> = [["", rootDeps, rootSites]];
  for (const [loc, plan] of plans) {
    const sites = plan.workspace
      ? declarationSites(plan.manifestPath ? context.files.get(plan.manifestPath) : undefined, plan.manifestPath ?? file, undefined, file, lines.get(loc) ?? 1)
      : undefined;
    sources.push([loc, plan.deps ?? [], sites]);
  }
  for (const [loc, deps, sites] of sources) {
    const from = idOf(loc) as string;
    for (const { name, spec, type } of deps) {
      const target = resolve(loc, name);
      const to = target === undefined ? undefined : idOf(target);
      if (to === undefined) {
        // Optional and peer dependencies are legitimately absent, and so are bundled ones whose entries the lock
        // omits (they ship inside the dependant's tarball); a missing required one is what `npm ls` calls missing.
        if ((type === "prod" || type === "dev") && !bundles(plans.get(loc)?.entry, name)) unresolved++;
        continue;
      }
      const realName = builder.get(to)?.name;
      builder.addEdge(from, to, EDGE_KIND[type], spec, realName !== undefined && realName !== name ? name : undefined, sites?.(name, type));
    }
  }
  if (unresolved > 0) tally.notes.push(`${unresolved} required ${plural(unresolved, "dependency", "dependencies")} not found in the lockfile`);
  return builder.build();
}

/** Where an importer declares a dependency, by name and type. */
type DeclarationSites = (name: string, type: DepType) => Location;

/**
 * Locates an importer's declarations: the dependency's key in its package.json when that was read; else its key in
 * the lock's own copy of the declarations (`lockKeys`, computed on first need); else the importer's lock entry.
 */
function declarationSites(
  manifestText: string | undefined,
  manifestPath: string,
  lockKeys: (() => Map<string, number>) | undefined,
  lockPath: string,
  entryLine: number,
): DeclarationSites {
  let manifestLines: Map<string, number> | undefined;
  let lockLines: Map<string, number> | undefined;
  return (name, type) => {
    if (manifestText !== undefined) {
      manifestLines ??= dependencyKeyLines(manifestText);
      const line = declarationLine(manifestLines, name, type);
      if (line !== undefined) return { file: manifestPath, line };
    }
    if (lockKeys) {
      lockLines ??= lockKeys();
      const line = declarationLine(lockLines, name, type);
      if (line !== undefined) return { file: lockPath, line };
    }
    return { file: lockPath, line: entryLine };
  };
}

/**
 * Lines of the dependency keys inside the lock's root entry (`packages[""].dependencies` and the other sections), keyed
 * like {@link dependencyKeyLines}. The walk stops at the first key after the root entry, which npm writes first, so
 * only the head of a large lockfile is read.
 */
function rootEntryKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  visitKeys(text, (parents, key, line) => {
    if (parents[0] !== "packages" || parents.length < 2) return parents.length === 1 && parents[0] === "packages" && key !== "";
    if (parents[1] !== "") return true;
    if (parents.length === 3) {
      const id = `${parents[2]}\u0000${key}`;
      if (!lines.has(id)) lines.set(id, line);
    }
    return false;
  });
  return lines;
}

/** Lines of the `packages` keys by a full structural pass, for layouts the fast path does not read. */
function packagesKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  visitKeys(text, (parents, key, line) => {
    if (parents.length === 1 && parents[0] === "packages") lines.set(key, line);
  });
  return lines;
}

/** Turns one non-link `packages` entry into a node plan; undefined (and counted) when it has no usable version. */
function planEntry(
  loc: string,
  entry: Record<string, unknown>,
  globs: GlobList,
  dir: string,
  context: ExtractContext,
  tally: Tally,
  location: { file: string; line: number },
): Plan | undefined {
  // Plain assignments rather than conditional spreads: this runs once per entry of locks with thousands of them.
  const input: PackageInput = { name: "", version: "", location };
  if (typeof entry.integrity === "string") {
    const hashes = parseIntegrity(entry.integrity);
    if (hashes.length > 0) input.hashes = hashes;
  }
  if (entry.inBundle === true) input.bundled = true;
  if (entry.hasInstallScript === true) input.hasInstallScript = true;
  if (!inNodeModules(loc)) {
    // A folder of the project itself (workspace member or `file:` directory dependency), reached through a link.
    const own = workspaceManifest(dir, loc, context, tally);
    input.name = str(entry.name) ?? own?.name ?? baseName(loc);
    input.version = str(entry.version) ?? own?.version ?? "";
    const workspace = matchesGlobs(globs, loc);
    if (!workspace) {
      input.source = "path";
      input.resolved = loc;
      input.dev = entry.dev === true;
      input.optional = entry.optional === true;
    }
    const manifestPath = own ? joinPath(dir, `${loc}/package.json`) : undefined;
    return { input, workspace, top: true, entry, ...(manifestPath !== undefined ? { manifestPath } : {}) };
  }
  const resolved = str(entry.resolved);
  const source = sourceOfResolved(resolved);
  const version = str(entry.version) ?? (source === "path" ? "" : undefined);
  if (version === undefined || (version === "" && source !== "path")) {
    tally.skippedEntries++;
    return undefined;
  }
  input.name = str(entry.name) ?? folderName(loc);
  input.version = version;
  input.source = source;
  if (resolved !== undefined) input.resolved = resolved;
  input.dev = entry.dev === true;
  input.optional = entry.optional === true;
  return { input, workspace: false, top: false, entry };
}

/** The package.json of a workspace folder, when the scan layer read it (it is then part of this project). */
function workspaceManifest(dir: string, loc: string, context: ExtractContext, tally: Tally): PackageManifest | undefined {
  const path = joinPath(dir, `${loc}/package.json`);
  if (path === undefined || !context.files.has(path) || tally.consumed.includes(path)) return undefined;
  return readManifest(path, context, tally);
}

/**
 * The dependencies an entry declares, one per name, in arborist's order of precedence (Node#loadDeps: peer,
 * peerOptional, then dependencies, optionalDependencies and — for a top-level folder only — devDependencies; a
 * later section replaces an earlier edge of the same name, keeping the place where the name first appeared).
 */
function declaredDeps(entry: Record<string, unknown>, withDev: boolean, tally: Tally): Declared[] {
  const out: Declared[] = [];
  // Where each name sits in `out`, needed only once a second section is read (most entries have one).
  let seen: Map<string, number> | undefined;
  let sections = 0;
  const add = (section: unknown, type: DepType | "peer-or-optional") => {
    if (section === undefined) return;
    if (!isObject(section)) {
      tally.skippedFields++;
      return;
    }
    if (sections++ === 1) seen = new Map(out.map((d, i) => [d.name, i]));
    for (const name in section) {
      const spec = section[name];
      if (typeof spec !== "string") {
        tally.skippedFields++;
        continue;
      }
      const declared: Declared = { name, spec, type: type === "peer-or-optional" ? peerType(entry, name) : type };
      const at = seen?.get(name);
      if (at !== undefined) out[at] = declared;
      else {
        seen?.set(name, out.length);
        out.push(declared);
      }
    }
  };
  add(entry.peerDependencies, "peer-or-optional");
  add(entry.dependencies, "prod");
  add(entry.optionalDependencies, "optional");
  if (withDev) add(entry.devDependencies, "dev");
  return out;
}

/** A peer dependency is `peerOptional` when `peerDependenciesMeta` marks it optional. */
function peerType(entry: Record<string, unknown>, name: string): DepType {
  const meta = entry.peerDependenciesMeta;
  const flags = isObject(meta) ? meta[name] : undefined;
  return isObject(flags) && flags.optional === true ? "peerOptional" : "peer";
}

/** True when an entry lists `name` in its bundleDependencies (`true` bundles every dependency). */
function bundles(entry: Record<string, unknown> | undefined, name: string): boolean {
  const list = entry?.bundleDependencies ?? entry?.bundledDependencies;
  return list === true || (Array.isArray(list) && list.includes(name));
}

/** Direct dependencies as a package.json declares them (used when the lock does not record them). */
function manifestDeclared(manifest: PackageManifest): Declared[] {
  return manifest.dependencies.map((dep) => ({ name: dep.name, spec: dep.spec, type: dep.kind === "peer" ? "peer" : dep.kind }));
}

function hasDependencySections(entry: Record<string, unknown>): boolean {
  return ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"].some((s) => entry[s] !== undefined);
}

/** `workspaces` as an array of globs, or `{ packages: [...] }` (the yarn form npm also accepts). */
function workspaceGlobs(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.packages) ? value.packages : undefined;
  return list?.filter((w): w is string => typeof w === "string");
}

// ---------------------------------------------------------------------------------------------------------------
// lockfileVersion 1 (and a v2 file without `packages`): the nested `dependencies` tree.

interface LegacyEntry {
  entry: Record<string, unknown>;
  input: PackageInput;
  /** Name under which it is installed (the key); differs from input.name for `npm:` aliases. */
  key: string;
  id?: string;
}

function extractLegacyTree(
  file: string,
  text: string,
  data: Record<string, unknown>,
  manifest: PackageManifest | undefined,
  manifestPath: string,
  context: ExtractContext,
  tally: Tally,
) {
  // Lines of every entry of the tree, keyed by the node_modules location the entry stands for.
  const lines = new Map<string, number>();
  visitKeys(text, (parents, key, line) => {
    if (parents.length % 2 === 0) return;
    for (let i = 0; i < parents.length; i += 2) if (parents[i] !== "dependencies") return;
    let loc = "";
    for (let i = 1; i < parents.length; i += 2) loc += `node_modules/${parents[i]}/`;
    lines.set(`${loc}node_modules/${key}`, line);
  });

  const builder = new GraphBuilder("npm", {
    name: str(data.name) ?? manifest?.name ?? "",
    version: str(data.version) ?? manifest?.version ?? "",
    location: { file, line: 1 },
  });

  // Flatten the tree into node_modules locations so resolution works as for v2/v3 (and as npm 6 did).
  const entries = new Map<string, LegacyEntry>();
  const stack: Array<[string, unknown]> = [["", data.dependencies]];
  while (stack.length > 0) {
    const [parent, deps] = stack.pop() as [string, unknown];
    if (deps === undefined) continue;
    if (!isObject(deps)) {
      tally.skippedFields++;
      continue;
    }
    for (const [key, value] of Object.entries(deps)) {
      const loc = parent === "" ? `node_modules/${key}` : `${parent}/node_modules/${key}`;
      if (!isObject(value)) {
        tally.skippedEntries++;
        continue;
      }
      const input = legacyInput(key, value, { file, line: lines.get(loc) ?? 1 });
      if (!input) {
        tally.skippedEntries++;
        continue;
      }
      entries.set(loc, { entry: value, input, key });
      stack.push([loc, value.dependencies]);
    }
  }
  const resolve = (from: string, name: string): string | undefined => {
    let at = from;
    for (;;) {
      const candidate = at === "" ? `node_modules/${name}` : `${at}/node_modules/${name}`;
      if (entries.has(candidate)) return candidate;
      if (at === "") return undefined;
      const up = at.lastIndexOf("/node_modules/");
      at = up < 0 ? "" : at.slice(0, up);
    }
  };

  // Direct dependencies: package.json beside the lock, else every top-level entry nobody requires.
  const direct = new Map<string, Declared>();
  if (manifest) {
    for (const declared of manifestDeclared(manifest)) direct.set(declared.name, declared);
  } else {
    const required = new Set<string>();
    for (const [loc, { entry }] of entries) {
      if (!isObject(entry.requires)) continue;
      for (const name of Object.keys(entry.requires)) {
        const target = resolve(loc, name);
        if (target !== undefined) required.add(target);
      }
    }
    for (const [loc, { entry, key }] of entries) {
      if (loc.includes("/node_modules/") || required.has(loc)) continue;
      // The spec the root wrote is unknown here; "" marks it so no edge or node claims one.
      direct.set(key, { name: key, spec: "", type: entry.dev === true ? "dev" : entry.optional === true ? "optional" : "prod" });
    }
    const why = context.unreadable.get(manifestPath) ?? (context.files.has(manifestPath) ? "it is not valid" : "it was not found");
    tally.notes.push(`lockfileVersion 1 lists no direct dependencies and ${manifestPath} could not be used (${why}): top-level entries no other entry requires were taken as direct`);
  }
  for (const [name, { spec }] of direct) {
    const target = resolve("", name);
    const planned = target === undefined ? undefined : entries.get(target);
    if (planned && planned.input.declared === undefined && spec !== "") planned.input.declared = spec;
  }

  for (const legacy of entries.values()) legacy.id = builder.addPackage(legacy.input);
  let unresolved = 0;
  const link = (from: string, fromLoc: string, name: string, spec: string, kind: (target: LegacyEntry) => EdgeKind, required: boolean, location?: Location) => {
    const target = resolve(fromLoc, name);
    const to = target === undefined ? undefined : entries.get(target);
    if (!to?.id) {
      if (required) unresolved++;
      return;
    }
    builder.addEdge(from, to.id, kind(to), spec === "" ? undefined : spec, to.input.name !== name ? name : undefined, location);
  };
  // The root declares in package.json; without it (the direct ones were guessed) there is no declaration to point at.
  const manifestText = manifest ? context.files.get(manifestPath) : undefined;
  const manifestLines = manifestText !== undefined ? dependencyKeyLines(manifestText) : undefined;
  for (const [name, { spec, type }] of direct) {
    const line = manifestLines ? declarationLine(manifestLines, name, type) : undefined;
    link(ROOT_ID, "", name, spec, () => EDGE_KIND[type], type === "prod" || type === "dev", line !== undefined ? { file: manifestPath, line } : undefined);
  }
  for (const [loc, legacy] of entries) {
    const requires = legacy.entry.requires;
    if (requires === undefined || requires === true) continue;
    if (!isObject(requires)) {
      tally.skippedFields++;
      continue;
    }
    for (const [name, spec] of Object.entries(requires)) {
      if (typeof spec !== "string") {
        tally.skippedFields++;
        continue;
      }
      // v1 `requires` merges dependencies and optionalDependencies; the target's own flag tells them apart.
      link(legacy.id as string, loc, name, spec, (to) => (to.entry.optional === true ? "optional" : "prod"), true);
    }
  }
  if (unresolved > 0) tally.notes.push(`${unresolved} required ${plural(unresolved, "dependency", "dependencies")} not found in the lockfile`);
  return builder.build();
}

/**
 * One v1 entry as a package. v1 puts the source in `version`: a semver version for registry packages,
 * `npm:<name>@<version>` for aliases, `git+…#<commit>` for git, `file:<path>` for local folders and tarballs, a URL
 * for remote tarballs (only registry and alias entries then know their real version; the others get "").
 */
function legacyInput(key: string, entry: Record<string, unknown>, location: { file: string; line: number }): PackageInput | undefined {
  const raw = str(entry.version);
  if (!raw) return undefined;
  const hashes = typeof entry.integrity === "string" ? parseIntegrity(entry.integrity) : [];
  const common = {
    ...(hashes.length > 0 ? { hashes } : {}),
    dev: entry.dev === true,
    optional: entry.optional === true,
    ...(entry.bundled === true ? { bundled: true } : {}),
    location,
  };
  const alias = parseAlias(raw);
  if (alias) {
    const resolved = str(entry.resolved);
    return { name: alias.name, version: alias.range, source: sourceOfResolved(resolved), ...(resolved ? { resolved } : {}), ...common };
  }
  const asSource = sourceOfResolved(raw);
  if (raw.startsWith("file:") || asSource === "git" || asSource === "url") {
    return { name: key, version: "", source: raw.startsWith("file:") ? "path" : asSource, resolved: raw, ...common };
  }
  const resolved = str(entry.resolved);
  return { name: key, version: raw, source: sourceOfResolved(resolved), ...(resolved ? { resolved } : {}), ...common };
}

// ---------------------------------------------------------------------------------------------------------------

/** True when a location is inside some node_modules folder (an installed package, not a folder of the project). */
function inNodeModules(loc: string): boolean {
  return loc.startsWith("node_modules/") || loc.includes("/node_modules/");
}

/** The folder name a package is installed under: `node_modules/@s/a/node_modules/b` → `b`. */
function folderName(loc: string): string {
  const at = loc.lastIndexOf("node_modules/");
  return at < 0 ? baseName(loc) : loc.slice(at + "node_modules/".length);
}

/** A link's `resolved` as a `packages` key: relative POSIX path, no `./` or trailing slash. */
function normaliseLocation(resolved: string): string {
  let loc = resolved.startsWith("file:") ? resolved.slice(5) : resolved;
  loc = loc.replace(/\\/g, "/");
  while (loc.startsWith("./")) loc = loc.slice(2);
  while (loc.endsWith("/")) loc = loc.slice(0, -1);
  return loc === "." ? "" : loc;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
