import { realpath } from "node:fs/promises";
import { join, sep } from "node:path";
import { dirOf } from "../ecosystems/extractor.js";
import type { ExtractContext, Extraction, ExtractorEntry, FileStatus, SourceFile } from "../ecosystems/extractor.js";
import type { DependencyGraph } from "../graph/dependency-graph.js";
import type { Ecosystem } from "../graph/package-node.js";
import type { Discovery } from "../discover/discover.js";
import { readSourceText } from "./read-source.js";
import type { ReadOutcome } from "./read-source.js";
import type { FileResult } from "./result.js";

/** How many companion rounds an extractor may ask for before the scan stops asking (include chains are short). */
const MAX_COMPANION_ROUNDS = 64;

/** One project found under a root: its primary file, the files that fed it, and its graph. */
export interface AssembledProject {
  /** Project directory relative to the root ("" for the root). */
  dir: string;
  ecosystem: Ecosystem;
  /** Primary file first, then companions. Root-relative. */
  files: string[];
  graph: DependencyGraph;
  extractorId: string;
  /** "lockfile" when the primary file is a lockfile, "manifest" for a manifest read alone. */
  kind: "lockfile" | "manifest";
}

/** Projects and per-file statuses for one root. */
export interface Assembly {
  projects: AssembledProject[];
  files: FileResult[];
  /** Text of every file read (dependency files, companions, CI files), by root-relative path. */
  texts: Map<string, string>;
}

/** Options for {@link assemble}. */
export interface AssembleOptions {
  maxFileBytes?: number;
}

/**
 * Turns discovered files into projects: every lockfile not pulled in by another is a project; manifests nobody
 * consumed become declared-only projects. Every file ends with a status. Reads files (I/O at this edge); the extractors
 * it calls are pure.
 */
export async function assemble(discovery: Discovery, options: AssembleOptions = {}): Promise<Assembly> {
  const statuses = new StatusBook();
  const texts = new Map<string, Promise<ReadOutcome>>();
  const discovered = discovery.files.map((f) => f.path);
  const absoluteOf = new Map(discovery.files.map((f) => [f.path, f.absolutePath]));

  function read(path: string): Promise<ReadOutcome> {
    let pending = texts.get(path);
    if (!pending) {
      pending = readInsideRoot(discovery.root, path, absoluteOf.get(path), options.maxFileBytes);
      texts.set(path, pending);
    }
    return pending;
  }

  for (const file of discovery.files) {
    if (file.unsupported) statuses.set(file.path, "unsupported", file.unsupported);
  }
  for (const skipped of discovery.skipped) statuses.set(skipped.path, "failed", `could not read directory: ${skipped.reason}`);

  const claimed = discovery.files.filter((f): f is typeof f & { extractor: ExtractorEntry } => f.extractor !== undefined);
  const extracted = new Map<string, { extractor: ExtractorEntry; extraction: Extraction }>();

  // Lockfiles first: they decide which manifests and included files belong to them.
  for (const file of claimed.filter((f) => f.extractor.kind === "lockfile")) {
    const extraction = await extractWithCompanions(file.extractor, file.path);
    if (extraction) extracted.set(file.path, { extractor: file.extractor, extraction });
  }
  const consumedBy = new Map<string, Set<string>>();
  for (const [path, { extraction }] of extracted) {
    for (const companion of extraction.consumed) {
      if (companion === path) continue;
      let owners = consumedBy.get(companion);
      if (!owners) consumedBy.set(companion, (owners = new Set()));
      owners.add(path);
    }
  }
  const primaries = choosePrimaries([...extracted.keys()], (path) => extracted.get(path)?.extraction.consumed ?? [], consumedBy);

  for (const file of claimed.filter((f) => f.extractor.kind === "manifest")) {
    if (consumedBy.has(file.path)) continue;
    const extraction = await extractWithCompanions(file.extractor, file.path);
    if (extraction) extracted.set(file.path, { extractor: file.extractor, extraction });
    // A manifest that declares nothing (a tooling-only package.json) is read fine but is no project.
    if (extraction?.graph && extraction.graph.packages().length > 0) primaries.push(file.path);
  }

  const projects: AssembledProject[] = [];
  for (const path of primaries) {
    const entry = extracted.get(path);
    if (!entry?.extraction.graph) continue;
    const companions = [...new Set(entry.extraction.consumed.filter((c) => c !== path))].sort();
    projects.push({
      dir: dirOf(path),
      ecosystem: entry.extractor.ecosystem,
      files: [path, ...companions],
      graph: entry.extraction.graph,
      extractorId: entry.extractor.id,
      kind: entry.extractor.kind,
    });
  }
  for (const [path, { extraction }] of extracted) {
    statuses.set(path, extraction.status, extraction.reason);
    for (const companion of extraction.consumed) statuses.set(companion, "ok");
    for (const problem of extraction.problems) statuses.set(problem.path, problem.status, problem.reason);
  }
  for (const file of claimed) statuses.set(file.path, "ok");
  // CI files are read here too (same limits, same statuses); their parsers run in the enrich stage.
  for (const file of discovery.files) {
    if (!file.ci) continue;
    const outcome = await read(file.path);
    statuses.set(file.path, "error" in outcome ? "failed" : "ok", "error" in outcome ? outcome.error : undefined);
  }
  projects.sort((a, b) => compare(a.dir, b.dir) || compare(a.files[0] ?? "", b.files[0] ?? ""));
  const readTexts = new Map<string, string>();
  for (const [path, pending] of texts) {
    const outcome = await pending;
    if ("text" in outcome) readTexts.set(path, outcome.text);
  }
  return { projects, files: statuses.results(), texts: readTexts };

  /**
   * Reads a file and its companions, asking the extractor for more until it is satisfied, then extracts. The
   * format's implementation is imported here, on the first file that needs it.
   */
  async function extractWithCompanions(entry: ExtractorEntry, path: string): Promise<Extraction | undefined> {
    const primary = await read(path);
    if ("error" in primary) {
      statuses.set(path, "failed", primary.error);
      return undefined;
    }
    const file: SourceFile = { path, text: primary.text };
    const files = new Map<string, string>();
    const unreadable = new Map<string, string>();
    const context: ExtractContext = { discovered, files, unreadable };
    try {
      const extractor = await entry.load();
      for (let round = 0; round < MAX_COMPANION_ROUNDS; round++) {
        const wanted = extractor.companions(file, context).filter((p) => p !== path && !files.has(p) && !unreadable.has(p));
        if (wanted.length === 0) break;
        for (const companion of wanted) {
          const outcome = await read(companion);
          if ("error" in outcome) unreadable.set(companion, outcome.error);
          else files.set(companion, outcome.text);
        }
      }
      return extractor.extract(file, context);
    } catch (error) {
      // Extractors promise not to throw; if one does, the file still gets a status and the scan goes on.
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      statuses.set(path, "failed", `internal error in the ${entry.id} extractor: ${message}`);
      return undefined;
    }
  }
}

/**
 * Lockfiles that start a project: those no other lockfile consumed (a requirements file included with `-r` belongs to
 * the file that includes it). Files consumed only within a cycle get the first of the cycle as their primary.
 */
export function choosePrimaries(paths: string[], consumes: (path: string) => string[], consumedBy: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const sorted = [...paths].sort(compare);
  const primaries = sorted.filter((p) => !consumedBy.has(p));
  const covered = new Set<string>();
  const cover = (start: string) => {
    const stack = [start];
    while (stack.length > 0) {
      const p = stack.pop() as string;
      if (covered.has(p)) continue;
      covered.add(p);
      stack.push(...consumes(p));
    }
  };
  primaries.forEach(cover);
  for (const path of sorted) {
    if (covered.has(path)) continue;
    primaries.push(path);
    cover(path);
  }
  return primaries;
}

/** Reads a root-relative path, refusing anything whose real location is outside the root. */
async function readInsideRoot(root: string, path: string, knownAbsolute: string | undefined, maxBytes: number | undefined): Promise<ReadOutcome> {
  if (knownAbsolute) return readSourceText(knownAbsolute, maxBytes);
  const absolute = join(root, ...path.split("/"));
  let real: string;
  try {
    real = await realpath(absolute);
  } catch {
    return { error: "file not found" };
  }
  if (real !== root && !real.startsWith(root + sep)) return { error: "resolves outside the scanned root: not read" };
  return readSourceText(real, maxBytes);
}

/** Keeps the worst status seen for each file; reasons accumulate, deduplicated. */
class StatusBook {
  private readonly entries = new Map<string, { status: FileStatus; reasons: string[] }>();

  set(path: string, status: FileStatus, reason?: string): void {
    const entry = this.entries.get(path);
    if (!entry) {
      this.entries.set(path, { status, reasons: reason ? [reason] : [] });
      return;
    }
    if (SEVERITY[status] > SEVERITY[entry.status]) entry.status = status;
    if (reason && !entry.reasons.includes(reason)) entry.reasons.push(reason);
  }

  results(): FileResult[] {
    return [...this.entries.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([path, { status, reasons }]) => (reasons.length > 0 ? { path, status, reason: reasons.join("; ") } : { path, status }));
  }
}

const SEVERITY: Record<FileStatus, number> = { ok: 0, unsupported: 1, partial: 2, failed: 3 };

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
