// yarn.lock, both formats: classic v1 (`# yarn lockfile v1`) and berry (YAML with `__metadata`). The lockfile keys
// every entry by the descriptors (`name@range`) that resolved to it, so each dependency is followed by looking its
// own descriptor up. Direct dependencies, their kinds and the workspaces come from the package.json files beside it.
import { GraphBuilder, ROOT_ID } from "../../graph/dependency-graph.js";
import type { EdgeKind, Location } from "../../graph/package-node.js";
import type { ExtractContext, Extraction, Extractor, FileProblem, SourceFile } from "../extractor.js";
import { dirOf, failed, joinPath, unsupported } from "../extractor.js";
import type { DeclaredDependency, PackageManifest } from "../npm/package-json.js";
import { declarationLine, dependencyKeyLines, parsePackageJson } from "../npm/package-json.js";
import { berryHeader, parseBerry, parseBerryData } from "./berry.js";
import { CLASSIC_HEADER, parseClassic } from "./classic.js";
import { protocolOf, stripBinding } from "./descriptor.js";
import type { LockEntry, ParsedLock } from "./lock-entries.js";
import { forcedRange, parseResolutions } from "./resolutions.js";
import { workspaceMemberDirs } from "../shared/glob.js";
import { textCache } from "../shared/memo.js";
import { conflictLine, stripBom } from "../shared/text.js";
import { yarnLockFormat } from "./claims.js";

/** Reads yarn.lock (classic v1 and berry) with the package.json files of the project and its workspaces. */
export const yarnLockExtractor: Extractor = {
  ...yarnLockFormat,
  companions(file: SourceFile, context: ExtractContext): string[] {
    return companionPaths(file, context);
  },
  extract(file: SourceFile, context: ExtractContext): Extraction {
    try {
      return extractYarnLock(file, context);
    } catch (error) {
      // Never throw across the extractor boundary: an unexpected shape becomes a failed status.
      return failed(`could not read yarn.lock: ${((error as Error).message ?? String(error)).split("\n")[0]}`);
    }
  },
};

/** The two yarn.lock formats, or neither. */
export type Flavour = "classic" | "berry" | "unknown";

/** Which format a yarn.lock is, from its text: berry has a `__metadata:` key, classic its header comment. */
export function yarnLockFlavour(text: string): Flavour {
  if (/^__metadata:/m.test(text)) return "berry";
  if (text.includes(CLASSIC_HEADER)) return "classic";
  return "unknown";
}

/** A package.json read once per extraction (companion rounds and extract share it, so it is read-only). */
const manifests = textCache((text: string): { manifest: PackageManifest } | { error: string } => {
  try {
    return { manifest: parsePackageJson(text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
});

/** The workspace folders a berry lock records, scanned once per extraction. */
const lockWorkspaces = textCache(berryWorkspacePaths);

function companionPaths(file: SourceFile, context: ExtractContext): string[] {
  const dir = dirOf(file.path);
  const rootManifest = joinPath(dir, "package.json") as string;
  const paths = [rootManifest];
  const text = context.files.get(rootManifest);
  const read = text === undefined ? undefined : manifests.get(context, rootManifest, text);
  // An unreadable root manifest is reported by extract.
  if (read && "manifest" in read) {
    for (const ws of workspaceDirs(dir, read.manifest.workspaces, context.discovered)) {
      const path = joinPath(dir, `${ws}/package.json`);
      if (path !== undefined && !paths.includes(path)) paths.push(path);
    }
  }
  // Berry lists its workspaces itself; their manifests say which dependencies are dev or optional.
  for (const ws of lockWorkspaces.get(context, file.path, file.text)) {
    const path = joinPath(dir, ws === "." ? "package.json" : `${ws}/package.json`);
    if (path !== undefined && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

/** Workspace folders a berry lockfile records (`resolution: "name@workspace:path"`), by a linear scan. */
function berryWorkspacePaths(text: string): string[] {
  const out: string[] = [];
  const marker = '  resolution: "';
  for (let i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + marker.length)) {
    const end = text.indexOf('"', i + marker.length);
    if (end < 0) break;
    const locator = text.slice(i + marker.length, end);
    const at = locator.indexOf("@workspace:", 1);
    if (at > 0) out.push(locator.slice(at + "@workspace:".length));
  }
  return out;
}

/** A workspace of the project: its folder (relative to the project directory) and what its manifest says. */
interface Workspace {
  path: string;
  nodeId: string;
  name: string;
  manifest?: PackageManifest;
  /** Root-relative path of its package.json, when that was read. */
  manifestPath?: string;
  /** The berry lock entry for this workspace, if any. */
  entry?: LockEntry;
}

function extractYarnLock(file: SourceFile, context: ExtractContext): Extraction {
  const text = stripBom(file.text);
  if (text.trim() === "") return failed("empty yarn.lock");
  const conflict = conflictLine(text);
  if (conflict !== undefined) return failed(`yarn.lock has merge conflict markers (line ${conflict})`);

  let parsed: ParsedLock;
  const flavour = yarnLockFlavour(text);
  if (flavour === "berry") {
    let data: Record<string, unknown>;
    try {
      data = parseBerryData(text);
    } catch (error) {
      return failed((error as Error).message);
    }
    const header = berryHeader(data);
    if (!header.ok) return header.status === "unsupported" ? unsupported(header.reason) : failed(header.reason);
    parsed = parseBerry(text, data, header);
  } else {
    try {
      parsed = parseClassic(text);
    } catch (error) {
      const message = (error as Error).message;
      return failed(flavour === "unknown" ? `not a yarn.lock (no \`${CLASSIC_HEADER}\` header, no __metadata): ${message}` : message);
    }
    if (flavour === "unknown" && (parsed.entries.length === 0 || parsed.skipped.length > parsed.entries.length)) {
      return failed("not a yarn.lock: no `# yarn lockfile v1` header, no `__metadata` and no entries with a version");
    }
  }
  return buildGraph(file, context, parsed);
}

function buildGraph(file: SourceFile, context: ExtractContext, parsed: ParsedLock): Extraction {
  const dir = dirOf(file.path);
  const problems: FileProblem[] = [];
  const consumed: string[] = [];
  const discovered = new Set(context.discovered);
  const issues: string[] = [];

  const readManifest = (path: string): PackageManifest | undefined => {
    const text = context.files.get(path);
    if (text === undefined) {
      const reason = context.unreadable.get(path);
      if (reason !== undefined && discovered.has(path)) problems.push({ path, status: "failed", reason: `could not read: ${reason}` });
      return undefined;
    }
    consumed.push(path);
    const read = manifests.get(context, path, text);
    if ("manifest" in read) return read.manifest;
    problems.push({ path, status: "failed", reason: read.error });
    return undefined;
  };

  const rootManifestPath = joinPath(dir, "package.json") as string;
  const rootManifest = readManifest(rootManifestPath);
  const rootManifestText = context.files.get(rootManifestPath);
  const rules = rootManifest && rootManifestText !== undefined ? parseResolutions(rootManifestText) : [];
  const entries = parsed.entries;
  const rootEntry = entries.find((e) => e.workspacePath === ".");

  const builder = new GraphBuilder("npm", {
    name: rootManifest?.name ?? rootEntry?.name ?? "",
    version: rootManifest?.version ?? "",
    location: { file: rootManifest ? rootManifestPath : file.path },
  });

  // Workspaces: the root manifest's globs, plus (berry) the workspaces the lockfile itself records.
  const workspaces = new Map<string, Workspace>();
  const wsPaths = new Set<string>(rootManifest ? workspaceDirs(dir, rootManifest.workspaces, context.discovered) : []);
  for (const entry of entries) if (entry.workspacePath !== undefined && entry.workspacePath !== ".") wsPaths.add(normalizeWsPath(entry.workspacePath));
  for (const path of [...wsPaths].sort()) {
    const manifestPath = joinPath(dir, `${path}/package.json`);
    const manifest = manifestPath !== undefined ? readManifest(manifestPath) : undefined;
    const entry = entries.find((e) => e.workspacePath !== undefined && normalizeWsPath(e.workspacePath) === path);
    const name = manifest?.name ?? entry?.name ?? path;
    const location: Location = manifest && manifestPath ? { file: manifestPath } : { file: file.path, ...(entry?.line !== undefined ? { line: entry.line } : {}) };
    const nodeId = builder.addWorkspace(path, { name, version: manifest?.version ?? "", location });
    workspaces.set(path, { path, nodeId, name, ...(manifest && manifestPath ? { manifest, manifestPath } : {}), ...(entry ? { entry } : {}) });
  }
  const workspaceByName = new Map<string, Workspace>();
  for (const ws of workspaces.values()) if (!workspaceByName.has(ws.name)) workspaceByName.set(ws.name, ws);

  // Descriptor map: every descriptor → its entry; plus, for berry, descriptors without their `::locator=` binding.
  const byDescriptor = new Map<string, number>();
  const unbound = new Map<string, number>();
  entries.forEach((entry, index) => {
    for (const descriptor of entry.descriptors) {
      if (!byDescriptor.has(descriptor)) byDescriptor.set(descriptor, index);
      const bare = stripBinding(descriptor);
      if (bare !== descriptor) unbound.set(bare, unbound.has(bare) ? -1 : index);
    }
  });

  const lookup = (name: string, range: string, parentLocator: string | undefined): number | undefined => {
    const candidates = [`${name}@${range}`];
    // Berry before metadata 8 wrote bare semver ranges; yarn reads them with its default `npm:` protocol.
    if (parsed.flavour === "berry" && protocolOf(range) === "") candidates.push(`${name}@npm:${range}`);
    for (const candidate of candidates) {
      const hit = byDescriptor.get(candidate);
      if (hit !== undefined) return hit;
      if (parentLocator !== undefined) {
        const bound = byDescriptor.get(`${candidate}::locator=${encodeURIComponent(parentLocator)}`);
        if (bound !== undefined) return bound;
      }
    }
    for (const candidate of candidates) {
      const hit = unbound.get(candidate);
      if (hit !== undefined && hit >= 0) return hit;
    }
    return undefined;
  };

  // Node ids of entries; workspace entries map onto the workspace (or root) nodes.
  const entryNode: (string | undefined)[] = entries.map((entry) => {
    if (entry.workspacePath === undefined) return undefined;
    const path = normalizeWsPath(entry.workspacePath);
    return path === "." ? ROOT_ID : workspaces.get(path)?.nodeId;
  });

  let unresolved = 0;
  const unresolvedExamples: string[] = [];
  const noteUnresolved = (from: string, name: string, range: string) => {
    unresolved++;
    if (unresolvedExamples.length < 3) unresolvedExamples.push(`${name}@${range} (from ${from})`);
  };

  /** Where a dependency points: an entry's node, or a workspace matched by name (classic omits workspaces). */
  type Target = { entry: number } | { node: string };
  const resolveDependency = (name: string, range: string, parentLocator: string | undefined, parentName: string | undefined): Target | undefined => {
    const forced = forcedRange(rules, name, range, parentName);
    const index = (forced !== undefined ? lookup(name, forced, parentLocator) : undefined) ?? lookup(name, range, parentLocator);
    if (index !== undefined) {
      const node = entryNode[index];
      return node !== undefined ? { node } : { entry: index };
    }
    const ws = workspaceByName.get(name);
    if (ws && (parsed.flavour === "classic" || protocolOf(range) === "workspace")) return { node: ws.nodeId };
    return undefined;
  };

  // Importers first (they decide `declared` on the packages they name), then the packages, then all edges.
  interface PendingEdge { from: string; target: Target; kind: EdgeKind; spec: string; alias: string; location?: Location }
  const pending: PendingEdge[] = [];
  const declared = new Map<number, string>();

  const importers: Array<{ nodeId: string; label: string; name?: string; manifest?: PackageManifest; manifestPath?: string; entry?: LockEntry }> = [
    { nodeId: ROOT_ID, label: rootManifest?.name ?? "the project", ...(rootManifest?.name ?? rootEntry?.name ? { name: rootManifest?.name ?? rootEntry?.name } : {}), ...(rootManifest ? { manifest: rootManifest, manifestPath: rootManifestPath } : {}), ...(rootEntry ? { entry: rootEntry } : {}) },
    ...[...workspaces.values()].map((ws) => ({ nodeId: ws.nodeId, label: ws.name, name: ws.name, ...(ws.manifest ? { manifest: ws.manifest, manifestPath: ws.manifestPath } : {}), ...(ws.entry ? { entry: ws.entry } : {}) })),
  ];
  for (const importer of importers) {
    // Where it declares: its package.json (one pass over it for every key), else its own entry in yarn.lock (berry).
    const manifestText = importer.manifestPath !== undefined ? context.files.get(importer.manifestPath) : undefined;
    const keyLines = manifestText !== undefined ? dependencyKeyLines(manifestText) : undefined;
    const siteOf = (name: string, kind: EdgeKind): Location | undefined => {
      const line = keyLines ? declarationLine(keyLines, name, kind) : undefined;
      if (line !== undefined) return { file: importer.manifestPath as string, line };
      return importer.entry?.line !== undefined ? { file: file.path, line: importer.entry.line } : undefined;
    };
    const declaredByName = new Map<string, DeclaredDependency>((importer.manifest?.dependencies ?? []).map((d) => [d.name, d]));
    // Berry records the ranges it resolved for each workspace (dev and optional ones included).
    const lockRanges = new Map((importer.entry?.dependencies ?? []).map((d) => [d.name, d]));
    const names = new Set<string>([...declaredByName.keys(), ...lockRanges.keys()]);
    for (const name of [...names].sort()) {
      const dep = declaredByName.get(name);
      const locked = lockRanges.get(name);
      const kind: EdgeKind = dep?.kind ?? locked?.kind ?? "prod";
      const range = locked?.range ?? (dep as DeclaredDependency).spec;
      const target = resolveDependency(name, range, importer.entry?.locator, importer.name);
      if (!target) {
        // A peer dependency of a workspace is provided by whoever installs it, and is usually absent here.
        if (kind === "peer") continue;
        if (range.startsWith("link:")) {
          const location = siteOf(name, kind);
          pending.push({ from: importer.nodeId, target: { node: linkNode(builder, name, range.slice(5), file.path) }, kind, spec: dep?.spec ?? range, alias: name, ...(location ? { location } : {}) });
          continue;
        }
        noteUnresolved(importer.label, name, range);
        continue;
      }
      if ("entry" in target && !declared.has(target.entry)) declared.set(target.entry, dep?.spec ?? range);
      const location = siteOf(name, kind);
      pending.push({ from: importer.nodeId, target, kind, spec: dep?.spec ?? range, alias: name, ...(location ? { location } : {}) });
    }
  }

  entries.forEach((entry, index) => {
    if (entryNode[index] !== undefined) return;
    const spec = declared.get(index);
    entryNode[index] = builder.addPackage({
      name: entry.name,
      version: entry.version,
      source: entry.source,
      ...(entry.resolved !== undefined ? { resolved: entry.resolved } : {}),
      hashes: entry.hashes,
      ...(spec !== undefined ? { declared: spec } : {}),
      location: { file: file.path, ...(entry.line !== undefined ? { line: entry.line } : {}) },
    });
  });

  const dependedOn = new Set<string>();
  entries.forEach((entry, index) => {
    const from = entryNode[index] as string;
    // Workspace entries were handled as importers above. Peer dependencies of packages add no edge: whoever depends
    // on the package provides them (berry records that only in its install state, as virtual packages), and that
    // dependant's own edge already reaches the provider.
    if (entry.workspacePath !== undefined) return;
    for (const dep of entry.dependencies) {
      const target = resolveDependency(dep.name, dep.range, entry.locator, entry.name);
      if (!target) {
        noteUnresolved(`${entry.name}@${entry.version}`, dep.name, dep.range);
        continue;
      }
      dependedOn.add("node" in target ? target.node : (entryNode[target.entry] as string));
      pending.push({ from, target, kind: dep.kind, spec: dep.range, alias: dep.name });
    }
  });

  for (const edge of pending) {
    const to = "node" in edge.target ? edge.target.node : (entryNode[edge.target.entry] as string);
    const toName = builder.get(to)?.name;
    builder.addEdge(edge.from, to, edge.kind, edge.spec, toName !== undefined && toName !== edge.alias ? edge.alias : undefined, edge.location);
  }

  // Without a root manifest (classic), the entries nothing else depends on are the best guess at the direct ones.
  if (!rootManifest && !rootEntry) {
    entries.forEach((entry, index) => {
      const node = entryNode[index] as string;
      if (!dependedOn.has(node) && entry.workspacePath === undefined) builder.addEdge(ROOT_ID, node, "prod");
    });
    issues.push(`${rootManifestPath} not readable: direct dependencies inferred from entries nothing depends on`);
  } else if (!rootManifest) {
    issues.push(`${rootManifestPath} not readable: dev/optional kinds of direct dependencies unknown`);
  }

  if (unresolved > 0) {
    issues.unshift(`${unresolved} ${unresolved === 1 ? "dependency" : "dependencies"} not found in yarn.lock (${unresolvedExamples.join(", ")}${unresolved > unresolvedExamples.length ? ", ..." : ""})`);
  }
  if (parsed.skipped.length > 0) {
    issues.push(`${parsed.skipped.length} ${parsed.skipped.length === 1 ? "entry" : "entries"} skipped (${parsed.skipped.slice(0, 3).join("; ")}${parsed.skipped.length > 3 ? "; ..." : ""})`);
  }
  const graph = builder.build();
  return {
    graph,
    status: issues.length > 0 ? "partial" : "ok",
    ...(issues.length > 0 ? { reason: issues.join("; ") } : {}),
    consumed,
    problems,
  };
}

/** A `link:` dependency yarn classic does not record: keep it in the graph as a path package of unknown version. */
function linkNode(builder: GraphBuilder, name: string, path: string, lockPath: string): string {
  return builder.addPackage({ name, version: "", source: "path", resolved: path, location: { file: lockPath } });
}

/** The workspace folders the globs of a package.json select among the discovered package.json files. */
function workspaceDirs(dir: string, globs: readonly string[], discovered: readonly string[]): string[] {
  return workspaceMemberDirs(dir, globs, discovered, "package.json");
}

/** Berry writes workspace paths relative to the project, POSIX, without `./`. */
function normalizeWsPath(path: string): string {
  let start = 0;
  while (path.startsWith("./", start)) start += 2;
  let end = path.length;
  while (end > start && path[end - 1] === "/") end--;
  const trimmed = path.slice(start, end);
  return trimmed === "" ? "." : trimmed;
}
