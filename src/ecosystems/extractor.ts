import type { DependencyGraph } from "../graph/dependency-graph.js";
import type { Ecosystem } from "../graph/package-node.js";

/** A file handed to an extractor: its path relative to the scanned root (POSIX separators) and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** The outcome for one file, reported beside findings so an unread file is never mistaken for a clean one. */
export type FileStatus = "ok" | "partial" | "failed" | "unsupported";

/** A problem with one file that an extraction ran into (a companion that failed, an include cycle, ...). */
export interface FileProblem {
  path: string;
  status: Exclude<FileStatus, "ok">;
  reason: string;
}

/** What the scan layer gives an extractor besides its primary file. Everything here is already read: no I/O. */
export interface ExtractContext {
  /** Every file discovery found (root-relative POSIX paths, sorted), so an extractor can pick its companions. */
  discovered: readonly string[];
  /** Companion files read for this extraction: path → text. A requested companion that could not be read is absent
   *  here and listed in `unreadable`. */
  files: ReadonlyMap<string, string>;
  /** Requested companions that do not exist or could not be read: path → reason. */
  unreadable: ReadonlyMap<string, string>;
}

/** The result of extracting one primary file (plus its companions). Extractors never throw. */
export interface Extraction {
  /** Null when nothing usable was read. */
  graph: DependencyGraph | null;
  status: Exclude<FileStatus, "unsupported"> | "unsupported";
  /** Why the status is not `ok` (one line, no stack trace). */
  reason?: string;
  /** Companion paths that became part of this project (they do not become projects of their own). */
  consumed: string[];
  /** Problems in companion files, reported under their own paths. */
  problems: FileProblem[];
}

/**
 * One supported file format. `claims` decides by file name alone; `companions` names the other files the format
 * needs (package.json beside a yarn.lock, `-r` includes of a requirements file). The scan layer reads them and
 * calls `companions` again with what it read, until the list stops growing, then calls `extract`.
 */
export interface Extractor {
  /** Stable id, e.g. "npm-lock", "poetry-lock". Never reused. */
  id: string;
  ecosystem: Ecosystem;
  /** `lockfile`: resolved versions (each primary lockfile is a project). `manifest`: declared dependencies only
   *  (a project of its own only when no lockfile consumed it). */
  kind: "lockfile" | "manifest";
  claims(path: string): boolean;
  companions(file: SourceFile, context: ExtractContext): string[];
  extract(file: SourceFile, context: ExtractContext): Extraction;
}

/**
 * What the registry knows of a format before its implementation is loaded: identity and claim rule. Each format
 * declares it once, in a `claims.ts` module without parser imports; the extractor object spreads it.
 */
export type ExtractorFormat = Pick<Extractor, "id" | "ecosystem" | "kind" | "claims">;

/** A registered format: cheap metadata and claim rule; the parser is imported on first use (`load`). */
export interface ExtractorEntry extends ExtractorFormat {
  /** The module that implements it, relative to `src/ecosystems/` without extension (`npm/package-lock`). */
  module: string;
  /** Imports the implementing module (once; later calls reuse it) and returns its extractor. */
  load(): Promise<Extractor>;
}

/** Builds a failed extraction with a one-line reason. */
export function failed(reason: string, consumed: string[] = []): Extraction {
  return { graph: null, status: "failed", reason, consumed, problems: [] };
}

/** Builds an unsupported extraction (a known file whose variant aiwarden does not read). */
export function unsupported(reason: string): Extraction {
  return { graph: null, status: "unsupported", reason, consumed: [], problems: [] };
}

/** The directory part of a root-relative POSIX path ("" for the root). */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** The file name part of a root-relative POSIX path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Joins a directory and a relative path into a normalised root-relative POSIX path; undefined if it escapes the root. */
export function joinPath(dir: string, relative: string): string | undefined {
  const parts = dir ? dir.split("/") : [];
  for (const part of relative.replace(/\\/g, "/").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}

/** 1-based line number of a character offset, via a precomputed index of line starts. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
