// The secret scan of a working tree: lists the files (src/secrets/files.ts), reads them (large trees on worker threads
// as well, scan-threads.ts), skips binaries and files over the size limit (reported as file statuses, never silently),
// runs the detectors over each text (notebooks cell by cell), applies inline `aiwarden-ignore` markers, and returns
// facts that carry no key text. The history scan (history.ts) reuses {@link findSecrets} for blobs.
import { availableParallelism } from "node:os";
import type { DetectorSet } from "./detect.js";
import { loadDetectors } from "./detect.js";
import type { EnvFileFact, SecretDetectorInfo, SecretFacts, SecretOccurrence, SuppressedSecret } from "./facts.js";
import { deployContexts, fileKindOf, notebookSegments, parseEnvAssignments } from "./file-kinds.js";
import type { DeployContext, EnvAssignment, FileKind, NotebookSegment } from "./file-kinds.js";
import { listScanTargets } from "./files.js";
import type { ScanTarget, ScanTargets } from "./files.js";
import { inlineIgnoreFor, mentionsMarker } from "./inline-ignore.js";
import type { InlineIgnore } from "./inline-ignore.js";
import { TextLines } from "./lines.js";
import { prefilterApplies, prefilterFor } from "./prefilter.js";
import { readListedFile } from "./read-file.js";
import { startScanThreads, threadCount, YIELD_EVERY_MS } from "./scan-threads.js";
import type { ScanThreads } from "./scan-threads.js";
import type { SecretMatch } from "./types.js";
import type { FileResult } from "../scan/result.js";

/** Files larger than this are not read (reported as `unsupported`): 5 MB. */
export const DEFAULT_MAX_SECRET_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Files read at once. One means synchronous reads, one file after the other, handing the event loop back every few
 * milliseconds: on a local disk this is the fastest (measured on a 208 MB tree: 1.7 s against 2.4 s with 16 reads in
 * flight through the thread pool, whose round trips cost more than the reads). Raise it for network file systems.
 */
const DEFAULT_CONCURRENCY = 1;

/** Options for {@link scanSecrets}. */
export interface SecretScanOptions {
  /** Globs of root-relative paths to leave out: pass the configuration's `exclude`. */
  exclude?: readonly string[];
  /** Largest file read, in bytes (default {@link DEFAULT_MAX_SECRET_FILE_BYTES}). */
  maxFileBytes?: number;
  /** Files read at once (default 1: synchronous reads, fastest on local disks; raise it for network file systems). */
  concurrency?: number;
  /**
   * Threads to read and prefilter on, this one included (default: one per core, up to 8, for trees large enough to pay
   * for a worker: see THREAD_THRESHOLD_FILES in scan-threads.ts; else 1). The detectors run on this thread. Used only
   * with synchronous reads (`concurrency` 1) and when the prefilter can be loaded.
   */
  threads?: number;
  /** The detectors; `loadDetectors()` when omitted (pass one built with the catalog's variable names). */
  detectors?: DetectorSet;
  /** Ask git which files are tracked (default true); false walks the tree as outside git. */
  useGit?: boolean;
  /** Also scan every blob reachable from any ref (`--history`). */
  history?: boolean;
}

/** The secret scan's result: facts for the rules, statuses for files that could not be scanned, and counters. */
export interface SecretScan {
  facts: SecretFacts;
  /** Only files that were not scanned (binary, over the size limit, unreadable, symlinks out of the root). */
  files: FileResult[];
  /** Files scanned, binary files skipped, bytes scanned, and how long it took. */
  stats: { files: number; binaryFiles: number; bytes: number; milliseconds: number };
}

/** Scans the working tree under `root` (and its git history when asked). Never throws for one file's problem. */
export async function scanSecrets(root: string, options: SecretScanOptions = {}): Promise<SecretScan> {
  const started = Date.now();
  const detectors = options.detectors ?? loadDetectors();
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_SECRET_FILE_BYTES;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  // Workers read and prefilter (the detectors run here): only with synchronous reads and a prefilter.
  const threaded = concurrency === 1 && prefilterFor(detectors.prefilterPlan) !== undefined;
  const pool: { threads?: ScanThreads } = {};
  const cores = availableParallelism();
  // Called as the listing grows: once there are enough files to pay for workers, starts them and tells them how to
  // read; from then on hands them the files.
  const listed = (listedRoot: string, files: readonly ScanTarget[]): void => {
    if (!threaded) return;
    if (!pool.threads) {
      const wanted = threadCount(files.length, options.threads, cores);
      if (wanted <= 1) return;
      pool.threads = startScanThreads(wanted);
      pool.threads.setup({ root: listedRoot, maxBytes, plan: detectors.prefilterPlan });
    }
    pool.threads.add(files);
  };
  let targets: ScanTargets;
  try {
    targets = await listScanTargets(root, { ...(options.exclude ? { exclude: options.exclude } : {}), ...(options.useGit === false ? { useGit: false } : {}), progress: listed, sorted: false });
  } catch (error) {
    pool.threads?.close();
    throw error;
  }
  listed(targets.root, targets.files);
  // History runs beside the tree: it mostly waits on git, the tree scan mostly on the detectors.
  const history = options.history
    ? import("./history.js").then(({ scanHistory }) => scanHistory(targets.root, { detectors, maxFileBytes: maxBytes, ...(options.exclude ? { exclude: options.exclude } : {}) }))
    : undefined;
  const files: FileResult[] = targets.skipped.map((s) => ({ path: s.path, status: "unsupported", reason: s.reason }));
  const occurrences: SecretOccurrence[] = [];
  const suppressed: SuppressedSecret[] = [];
  const envFiles: EnvFileFact[] = [];
  let scannedFiles = 0;
  let binaryFiles = 0;
  let bytes = 0;

  const record = (target: ScanTarget, outcome: FileOutcome): void => {
    if (outcome === undefined) return;
    if (typeof outcome === "number") {
      scannedFiles++;
      bytes += outcome;
    } else if (outcome === "binary") binaryFiles++; // Images, archives, models: expected in any repository, only counted.
    else if ("status" in outcome) files.push(outcome);
    else {
      scannedFiles++;
      bytes += outcome.bytes;
      for (const found of outcome.found) {
        const occurrence = toOccurrence(found, target, outcome.kind);
        if (found.ignore?.kind === "ignored") suppressed.push({ occurrence, reason: found.ignore.reason, markerLine: found.ignore.markerLine });
        else occurrences.push(found.ignore?.kind === "missing-reason" ? { ...occurrence, markerWithoutReason: true } : occurrence);
      }
      if (outcome.env) envFiles.push(envFact(target, outcome.kind, outcome.env));
    }
  };
  if (pool.threads) {
    await pool.threads.run(targets.files, (target) => scanFile(targets.root, target, maxBytes, detectors, true), record);
  } else {
    await forEachLimited(targets.files, concurrency, async (target) => record(target, await scanFile(targets.root, target, maxBytes, detectors, concurrency === 1)));
  }

  const facts: SecretFacts = {
    git: targets.git,
    occurrences: occurrences.sort(byPlace),
    suppressed: suppressed.sort((a, b) => byPlace(a.occurrence, b.occurrence)),
    envFiles: envFiles.sort((a, b) => compare(a.path, b.path)),
  };
  if (history) facts.history = await history;
  files.sort((a, b) => compare(a.path, b.path));
  return { facts, files, stats: { files: scannedFiles, binaryFiles, bytes, milliseconds: Date.now() - started } };
}

/**
 * What scanning one listed file gives: what it holds (no key text: it may cross from a worker thread), or only its
 * size in bytes when it holds nothing (most files: a number is the cheapest thing to send from a worker), a status
 * saying why it was not scanned, "binary" (counted only), or undefined when there is nothing to say (a deleted file, a
 * link to a file inside the root).
 */
export type FileOutcome = number | { bytes: number; kind: FileKind; found: FoundSecret[]; env: EnvAssignment[] | undefined } | FileResult | "binary" | undefined;

/** Reads and scans one file (`sync`: read without the thread pool). Never throws. */
export async function scanFile(root: string, target: ScanTarget, maxBytes: number, detectors: DetectorSet, sync: boolean): Promise<FileOutcome> {
  const kind = fileKindOf(target.path);
  // The prefilter clears most files from their bytes; notebooks and env files are always decoded (see prefilterApplies).
  const prefilter = prefilterApplies(kind) ? prefilterFor(detectors.prefilterPlan) : undefined;
  const read = await readListedFile(root, target, maxBytes, prefilter, sync);
  if (typeof read !== "object" || !("text" in read)) return read;
  try {
    const scanned = await scanText(read.text, target.path, kind, detectors);
    return scanned.found.length === 0 && !scanned.env ? read.bytes : { bytes: read.bytes, kind, ...scanned };
  } catch {
    // A bug in a detector or parser must not end the scan; the error's text is not shown, as it could quote the file.
    return { path: target.path, status: "failed", reason: "the secret scan failed on this file (an aiwarden bug: please report it)" };
  }
}

/** One credential found in a text, with where it sits; no key text. */
export interface FoundSecret {
  line: number;
  column: number;
  detector: SecretDetectorInfo;
  fingerprint: string;
  redacted: string;
  variable?: string;
  deploy?: DeployContext;
  notebook?: { cell: number; part: NotebookSegment["part"] };
  ignore?: InlineIgnore;
}

/** What one text holds: credentials, and for env files their assignments. */
export interface TextScan {
  found: FoundSecret[];
  /** Set for env files; the property is always there (one object shape whatever the file keeps V8's optimised code). */
  env: EnvAssignment[] | undefined;
}

/**
 * Runs the detectors over one file's text and marks credentials written as literals in deployment settings. The raw
 * keys the detectors return never leave this module: each match becomes a {@link FoundSecret}.
 */
export async function scanText(text: string, path: string, kind: FileKind, detectors: DetectorSet): Promise<TextScan> {
  const scanned = findSecrets(text, path, kind, detectors);
  if (scanned.found.length === 0 || (kind !== "dockerfile" && kind !== "compose" && kind !== "yaml")) return scanned;
  const contexts = await deployContexts(kind, new TextLines(text), scanned.found);
  return { ...scanned, found: scanned.found.map((f, i) => {
    const deploy = contexts[i];
    return deploy ? { ...f, deploy } : f;
  }) };
}

/**
 * Runs the detectors over one text (a file or a blob) of the given kind, notebooks part by part, and applies inline
 * markers. Synchronous, so the history scan can keep git's output under back-pressure.
 */
export function findSecrets(text: string, path: string, kind: FileKind, detectors: DetectorSet): TextScan {
  const env = kind === "env" || kind === "env-template" ? parseEnvAssignments(text, kind === "env-template") : undefined;
  if (kind === "notebook") {
    const segments = notebookSegments(text);
    if (segments) return { found: scanNotebook(text, path, segments, detectors), env };
  }
  const matches = detectors.detect(text, path);
  if (matches.length === 0) return { found: [], env };
  const lines = mentionsMarker(text) ? new TextLines(text) : undefined;
  const found = matches.map((match): FoundSecret => {
    const ignore = lines ? inlineIgnoreFor(lines, match.line) : undefined;
    return { ...describeMatch(match), ...(ignore ? { ignore } : {}) };
  });
  return { found, env };
}

/**
 * Scans a notebook part by part (a cell's source with its own lines, so an assignment is seen as one, and text outputs),
 * then places each match on a line of the .ipynb file: the n-th match of a key goes to the n-th place the key is written
 * in the file (keys have no characters JSON escapes, so they appear verbatim).
 */
function scanNotebook(raw: string, path: string, segments: NotebookSegment[], detectors: DetectorSet): FoundSecret[] {
  const found: FoundSecret[] = [];
  const rawLines = new TextLines(raw);
  const placed = new Map<string, number[]>();
  const used = new Map<string, number>();
  for (const segment of segments) {
    const matches = detectors.detect(segment.text, path);
    if (matches.length === 0) continue;
    const lines = new TextLines(segment.text);
    const marked = mentionsMarker(segment.text);
    for (const match of matches) {
      let places = placed.get(match.secret);
      if (!places) {
        places = [];
        for (let at = raw.indexOf(match.secret); at >= 0; at = raw.indexOf(match.secret, at + match.secret.length)) places.push(at);
        placed.set(match.secret, places);
      }
      const n = used.get(match.secret) ?? 0;
      used.set(match.secret, n + 1);
      const offset = places[Math.min(n, places.length - 1)];
      const position = offset === undefined ? { line: 1, column: 1 } : rawLines.position(offset);
      const ignore = marked ? inlineIgnoreFor(lines, match.line) : undefined;
      found.push({ ...describeMatch(match), ...position, notebook: { cell: segment.cell, part: segment.part }, ...(ignore ? { ignore } : {}) });
    }
  }
  return found;
}

/** A match without its key. */
function describeMatch(match: SecretMatch): FoundSecret {
  const { id, provider, kind, confidence } = match.detector;
  return {
    line: match.line,
    column: match.column,
    detector: { id, provider, kind, confidence },
    fingerprint: match.fingerprint,
    redacted: match.redacted,
    ...(match.variable !== undefined ? { variable: match.variable } : {}),
  };
}

function toOccurrence(found: FoundSecret, target: ScanTarget, kind: FileKind): SecretOccurrence {
  return {
    path: target.path,
    line: found.line,
    column: found.column,
    detector: found.detector,
    fingerprint: found.fingerprint,
    redacted: found.redacted,
    ...(found.variable !== undefined ? { variable: found.variable } : {}),
    tracked: target.tracked,
    fileKind: kind,
    ...(found.deploy ? { deploy: found.deploy } : {}),
    ...(found.notebook ? { notebook: found.notebook } : {}),
  };
}

function envFact(target: ScanTarget, kind: FileKind, assignments: EnvAssignment[]): EnvFileFact {
  const valued = assignments.filter((a) => !a.placeholder);
  const first = valued[0];
  return {
    path: target.path,
    tracked: target.tracked,
    template: kind === "env-template",
    values: valued.length,
    secretLike: assignments.filter((a) => a.secretLike).map((a) => ({ variable: a.name, line: a.line })),
    ...(first ? { firstValueLine: first.line } : {}),
  };
}

/** Runs `work` over items with at most `limit` in flight; with a limit of one, yields to the event loop now and then. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  if (limit === 1) {
    let since = Date.now();
    for (const item of items) {
      await work(item);
      if (Date.now() - since >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        since = Date.now();
      }
    }
    return;
  }
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}

function byPlace(a: SecretOccurrence, b: SecretOccurrence): number {
  return compare(a.path, b.path) || a.line - b.line || a.column - b.column || compare(a.detector.id, b.detector.id);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
