import { purlFor } from "./purl.js";
import type { Ecosystem, Edge, EdgeKind, Location, PackageInput, PackageNode, SourceKind } from "./package-node.js";

/** The id of the project itself in every graph. */
export const ROOT_ID = "root";

/** Limits that keep path enumeration bounded on pathological graphs. */
const MAX_PATH_SEARCH_STEPS = 50_000;

/**
 * The id a package gets in a graph: name@version for registry packages; non-registry packages also
 * carry their source so a git fork and the registry release of the same version stay apart.
 */
export function packageId(name: string, version: string, source: SourceKind = "registry", resolved?: string): string {
  const base = `${name}@${version}`;
  return source === "registry" || !resolved ? base : `${base}#${source}:${resolved}`;
}

/**
 * Collects packages and edges while an extractor walks a lockfile, merging duplicate entries
 * (npm records one copy per install location; the graph keeps one node per name+version+source).
 */
export class GraphBuilder {
  private readonly nodes = new Map<string, PackageNode>();
  private readonly mergeKeys = new Map<string, MergeKeys>();
  private readonly explicitFlags = new Map<string, { dev?: boolean; optional?: boolean }>();
  private readonly edges: Edge[] = [];
  private readonly edgeKeys = new Set<string>();

  constructor(readonly ecosystem: Ecosystem, root: { name?: string; version?: string; location?: Location } = {}) {
    this.nodes.set(ROOT_ID, {
      id: ROOT_ID,
      ecosystem,
      name: root.name ?? "",
      version: root.version ?? "",
      purl: "",
      source: "path",
      hashes: [],
      dev: false,
      optional: false,
      bundled: false,
      hasInstallScript: false,
      workspace: true,
      locations: root.location ? [root.location] : [],
    });
  }

  /** Adds (or merges into) a package node and returns its id. */
  addPackage(input: PackageInput, id: string = packageId(input.name, input.version, input.source, input.resolved)): string {
    const existing = this.nodes.get(id);
    if (existing) {
      let keys = this.mergeKeys.get(id);
      if (!keys) {
        keys = {
          hashes: new Set(existing.hashes.map((h) => `${h.algorithm}:${h.value}`)),
          locations: new Set(existing.locations.map((l) => `${l.file}:${l.line ?? ""}`)),
        };
        this.mergeKeys.set(id, keys);
      }
      mergeInto(existing, keys, input);
      if (input.dev !== undefined || input.optional !== undefined) this.recordFlags(id, input);
      return id;
    }
    const source = input.source ?? "registry";
    this.nodes.set(id, {
      id,
      ecosystem: this.ecosystem,
      name: input.name,
      version: input.version,
      purl: input.workspace ? "" : purlFor(this.ecosystem, input.name, input.version, source, input.resolved),
      source,
      ...(input.resolved !== undefined ? { resolved: input.resolved } : {}),
      hashes: dedupeHashes(input.hashes ?? []),
      dev: false,
      optional: false,
      bundled: input.bundled ?? false,
      hasInstallScript: input.hasInstallScript ?? false,
      ...(input.declared !== undefined ? { declared: input.declared } : {}),
      workspace: input.workspace ?? false,
      locations: input.location ? [input.location] : [],
    });
    if (input.dev !== undefined || input.optional !== undefined) this.recordFlags(id, input);
    return id;
  }

  /** Adds a workspace member (a local project of the repository) as a direct dependency of the root. */
  addWorkspace(path: string, input: Omit<PackageInput, "workspace" | "source">): string {
    const id = `workspace:${path}`;
    this.addPackage({ ...input, source: "path", resolved: path, workspace: true }, id);
    this.addEdge(ROOT_ID, id, "prod");
    return id;
  }

  /**
   * Records that `from` depends on `to`. Duplicate edges (same ends and kind) are kept once. `location` is where the
   * dependant declares it: give it for importer edges (the manifest line), so findings can point there.
   */
  addEdge(from: string, to: string, kind: EdgeKind, spec?: string, alias?: string, location?: Location): void {
    if (from === to) return;
    const key = `${from}\u0000${to}\u0000${kind}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    const edge: Edge = { from, to, kind };
    if (spec !== undefined) edge.spec = spec;
    if (alias !== undefined) edge.alias = alias;
    if (location !== undefined) edge.location = location;
    this.edges.push(edge);
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  get(id: string): PackageNode | undefined {
    return this.nodes.get(id);
  }

  /** Freezes the graph; dev/optional flags the lockfile did not state are computed from edge kinds. */
  build(): DependencyGraph {
    const edges = this.edges.filter((e) => this.nodes.has(e.from) && this.nodes.has(e.to));
    const graph = new DependencyGraph(this.ecosystem, this.nodes, edges);
    const reachable = graph.reachableFrom(() => true);
    const prodReachable = graph.reachableFrom((edge, fromImporter) => !(fromImporter && edge.kind === "dev"));
    const requiredReachable = graph.reachableFrom((edge) => edge.kind !== "optional");
    for (const node of this.nodes.values()) {
      if (node.id === ROOT_ID) continue;
      const explicit = this.explicitFlags.get(node.id);
      node.dev = explicit?.dev ?? (reachable.has(node.id) && !prodReachable.has(node.id));
      node.optional = explicit?.optional ?? (reachable.has(node.id) && !requiredReachable.has(node.id));
    }
    return graph;
  }

  private recordFlags(id: string, input: PackageInput): void {
    const flags = this.explicitFlags.get(id) ?? {};
    // A package is dev (or optional) only if every copy of it is.
    if (input.dev !== undefined) flags.dev = (flags.dev ?? true) && input.dev;
    if (input.optional !== undefined) flags.optional = (flags.optional ?? true) && input.optional;
    this.explicitFlags.set(id, flags);
  }
}

/** Keys of what a node already holds, so merging the thousandth duplicate entry costs O(1), not O(entries). */
interface MergeKeys {
  hashes: Set<string>;
  locations: Set<string>;
}

function mergeInto(node: PackageNode, keys: MergeKeys, input: PackageInput): void {
  for (const hash of input.hashes ?? []) {
    const key = `${hash.algorithm}:${hash.value}`;
    if (keys.hashes.has(key)) continue;
    keys.hashes.add(key);
    node.hashes.push(hash);
  }
  if (input.hasInstallScript) node.hasInstallScript = true;
  if (input.bundled === false) node.bundled = false;
  if (input.declared !== undefined && node.declared === undefined) node.declared = input.declared;
  if (input.resolved !== undefined && node.resolved === undefined) node.resolved = input.resolved;
  if (input.location) {
    const key = `${input.location.file}:${input.location.line ?? ""}`;
    if (!keys.locations.has(key)) {
      keys.locations.add(key);
      node.locations.push(input.location);
    }
  }
}

function dedupeHashes(hashes: PackageNode["hashes"]): PackageNode["hashes"] {
  const seen = new Set<string>();
  return hashes.filter((h) => {
    const key = `${h.algorithm}:${h.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A resolved dependency graph of one project: the root, its workspaces, packages and edges. */
export class DependencyGraph {
  private readonly out = new Map<string, Edge[]>();
  private readonly in = new Map<string, Edge[]>();
  /** Packages (without the root) sorted by name, version, id; computed once. */
  private readonly sorted: PackageNode[];
  private distances: Map<string, number> | undefined;
  private bfsOrder: string[] | undefined;

  constructor(readonly ecosystem: Ecosystem, private readonly nodes: ReadonlyMap<string, PackageNode>, readonly edges: readonly Edge[]) {
    for (const edge of edges) {
      push(this.out, edge.from, edge);
      push(this.in, edge.to, edge);
    }
    // Deterministic traversal order: by dependency name, then version. Sorting the nodes once and comparing ranks
    // keeps the many small adjacency sorts cheap.
    this.sorted = [...nodes.values()].filter((n) => n.id !== ROOT_ID).sort(compareNodes);
    const rank = new Map<string, number>([[ROOT_ID, -1]]);
    this.sorted.forEach((node, i) => rank.set(node.id, i));
    for (const list of this.out.values()) if (list.length > 1) list.sort((a, b) => (rank.get(a.to) as number) - (rank.get(b.to) as number));
    for (const list of this.in.values()) if (list.length > 1) list.sort((a, b) => (rank.get(a.from) as number) - (rank.get(b.from) as number));
  }

  /** The project itself. */
  get root(): PackageNode {
    return this.nodes.get(ROOT_ID) as PackageNode;
  }

  get(id: string): PackageNode | undefined {
    return this.nodes.get(id);
  }

  /** Every package except the root, sorted by name then version. */
  packages(): PackageNode[] {
    return [...this.sorted];
  }

  /** The root and the workspace members: the nodes whose dependencies are "direct". */
  importers(): PackageNode[] {
    return [...this.nodes.values()].filter((n) => n.workspace).sort((a, b) => (a.id === ROOT_ID ? -1 : b.id === ROOT_ID ? 1 : compareNodes(a, b)));
  }

  dependenciesOf(id: string): readonly Edge[] {
    return this.out.get(id) ?? [];
  }

  dependentsOf(id: string): readonly Edge[] {
    return this.in.get(id) ?? [];
  }

  /** Importers (root or workspace members) that list this package as their own dependency. */
  directImporters(id: string): PackageNode[] {
    return this.dependentsOf(id)
      .map((e) => this.nodes.get(e.from))
      .filter((n): n is PackageNode => n !== undefined && n.workspace);
  }

  /** A package is direct when the root or a workspace member depends on it by name. */
  isDirect(id: string): boolean {
    return this.directImporters(id).length > 0;
  }

  /** Nodes reachable from the root following edges the predicate accepts. */
  reachableFrom(follow: (edge: Edge, fromImporter: boolean) => boolean): Set<string> {
    const seen = new Set<string>([ROOT_ID]);
    const queue = [ROOT_ID];
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i] as string;
      const fromImporter = this.nodes.get(id)?.workspace ?? false;
      for (const edge of this.dependenciesOf(id)) {
        if (!seen.has(edge.to) && follow(edge, fromImporter)) {
          seen.add(edge.to);
          queue.push(edge.to);
        }
      }
    }
    return seen;
  }

  /** Number of edges on the shortest chain from the root; undefined when unreachable. */
  distance(id: string): number | undefined {
    this.distances ??= this.computeDistances();
    return this.distances.get(id);
  }

  /**
   * The shortest chains from the root to a package, shortest first, each a list of nodes starting at the root.
   * Chains are simple (no node twice). This is a best-first search backwards from the package, guided by the exact
   * distance from the root, so it finds the k shortest chains without enumerating all of them.
   */
  pathsTo(id: string, limit = 5): PackageNode[][] {
    if (limit <= 0 || !this.nodes.has(id)) return [];
    if (id === ROOT_ID) return [[this.root]];
    this.distances ??= this.computeDistances();
    const distances = this.distances;
    const start = distances.get(id);
    if (start === undefined) return [];

    interface Step { node: string; next: Step | undefined; length: number }
    // Among chains of equal estimated length, extend the one nearest the root first: with an exact heuristic that
    // completes a chain in a straight line instead of widening over every equal-length alternative.
    const heap = new MinHeap<{ step: Step; score: number; order: number }>(
      (a, b) => a.score - b.score || b.step.length - a.step.length || a.order - b.order,
    );
    let order = 0;
    heap.push({ step: { node: id, next: undefined, length: 0 }, score: start, order: order++ });
    const results: PackageNode[][] = [];
    let steps = 0;
    while (heap.size > 0 && results.length < limit && steps++ < MAX_PATH_SEARCH_STEPS) {
      const { step } = heap.pop() as { step: Step };
      if (step.node === ROOT_ID) {
        const chain: PackageNode[] = [];
        for (let s: Step | undefined = step; s; s = s.next) chain.push(this.nodes.get(s.node) as PackageNode);
        results.push(chain);
        continue;
      }
      for (const edge of this.dependentsOf(step.node)) {
        const d = distances.get(edge.from);
        if (d === undefined || onChain(step, edge.from)) continue;
        const next: Step = { node: edge.from, next: step, length: step.length + 1 };
        heap.push({ step: next, score: next.length + d, order: order++ });
      }
    }
    return results;

    function onChain(step: Step | undefined, node: string): boolean {
      for (let s = step; s; s = s.next) if (s.node === node) return true;
      return false;
    }
  }

  /**
   * For every package at once, its shortest chains from the root (all of minimal length, up to `limit`), each as a
   * list of nodes starting at the root. One pass in breadth-first order: a node's chains extend those of its
   * dependants one step nearer the root, so every chain is simple and the whole graph costs O(edges × limit).
   * `pathsTo` answers the single-package question with longer alternatives too.
   */
  shortestChains(limit = 5): Map<string, PackageNode[][]> {
    this.distances ??= this.computeDistances();
    const distances = this.distances;
    interface Link { node: PackageNode; prev: Link | undefined }
    const links = new Map<string, Link[]>([[ROOT_ID, [{ node: this.root, prev: undefined }]]]);
    for (const id of this.bfsOrder as string[]) {
      if (id === ROOT_ID) continue;
      const depth = distances.get(id) as number;
      const node = this.nodes.get(id) as PackageNode;
      const mine: Link[] = [];
      for (const edge of this.dependentsOf(id)) {
        if (distances.get(edge.from) !== depth - 1) continue;
        for (const prev of links.get(edge.from) ?? []) {
          mine.push({ node, prev });
          if (mine.length >= limit) break;
        }
        if (mine.length >= limit) break;
      }
      links.set(id, mine);
    }
    const chains = new Map<string, PackageNode[][]>();
    for (const [id, list] of links) {
      chains.set(id, list.map((link) => {
        const chain: PackageNode[] = [];
        for (let l: Link | undefined = link; l; l = l.prev) chain.push(l.node);
        return chain.reverse();
      }));
    }
    return chains;
  }

  private computeDistances(): Map<string, number> {
    const distances = new Map<string, number>([[ROOT_ID, 0]]);
    const queue = [ROOT_ID];
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i] as string;
      const d = distances.get(id) as number;
      for (const edge of this.dependenciesOf(id)) {
        if (!distances.has(edge.to)) {
          distances.set(edge.to, d + 1);
          queue.push(edge.to);
        }
      }
    }
    this.bfsOrder = queue;
    return distances;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function compareNodes(a: PackageNode | undefined, b: PackageNode | undefined): number {
  if (!a || !b) return 0;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A binary min-heap; the path search needs a priority queue and the standard library has none. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(items[i] as T, items[parent] as T) >= 0) break;
      [items[i], items[parent]] = [items[parent] as T, items[i] as T];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < items.length && this.less(items[l] as T, items[smallest] as T) < 0) smallest = l;
        if (r < items.length && this.less(items[r] as T, items[smallest] as T) < 0) smallest = r;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest] as T, items[i] as T];
        i = smallest;
      }
    }
    return top;
  }
}
