// Splits the reading of a large tree over worker threads (./scan-worker.ts) for the secret scan. A worker reads files and
// runs the prefilter over them (./read-file.ts): that is nearly all the work, as the prefilter clears nearly every file.
// The few it cannot clear, and env files and notebooks, are left to the main thread, which runs the detectors over
// them: a worker then never builds the detectors nor has V8 compile their code again, which on two cores cost more
// than a worker saved. A worker takes 70-150 ms to start (Node's start of a thread, then loading the modules), so it is
// started as soon as the listing shows a tree large enough to pay for it, told how to read (`setup`) at once, and
// handed the files in chunks as they are listed (`add`): one ready before the listing is done scans meanwhile.
// Every thread claims the next batch of files from a shared counter, so a few large files do not leave the others
// idle. Workers send back FileOutcome values, which carry no file content. The caller sorts what it collects, so
// results do not depend on which thread read which file.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ScanTarget } from "./files.js";
import { prefilterModuleForWorkers } from "./prefilter.js";
import type { PrefilterPlan } from "./prefilter.js";
import type { FileOutcome } from "./scan-tree.js";

/**
 * Below this many files the scan stays on the main thread, on a machine of two cores. Measured on one (2026-12-07), a
 * worker reading from the start of the listing made trees of 3,300 and 6,600 files 25 and 38 ms slower and a tree of
 * 14,000 files 51 ms faster: V8's own compiler and garbage-collector threads already keep the second core busy, and a
 * worker takes 70-150 ms to start and has its code compiled again. Measured again once the command kept V8's compiler
 * quieter (../cli/jit-budget.ts): a worker from 2,000 files left those two trees as fast, for 30-40% more CPU.
 */
export const THREAD_THRESHOLD_FILES = 10_000;

/**
 * The same threshold with more cores: several workers share the work left once they have started, so they pay for
 * their start sooner. An estimate from the two-core figures (not measured on a larger machine).
 */
export const MANY_CORES_THREAD_THRESHOLD_FILES = 2_000;

/** Most threads used, the main thread included: each holds a heap and modules of its own. */
const MAX_THREADS = 8;

/**
 * Files claimed at once: few, so that the threads finish together (a claim is one atomic add; 16 left the main thread
 * waiting about 20 ms for a worker's last batch of large files). Workers post outcomes in larger groups (POST_FILES).
 */
const BATCH_FILES = 4;

/** Outcomes a worker collects before posting them (and all that are left when it is done). */
export const POST_FILES = 64;

/** Files listed before they are sent to the workers as one chunk (the last chunk may be smaller). */
const CHUNK_FILES = 256;

/** How long a thread may scan before yielding (to worker messages, and to the history scan's git pipes). */
export const YIELD_EVERY_MS = 25;

/**
 * Threads to scan `files` files with: `requested` when given (capped), else one per core (`cores`, by default this
 * machine's) for trees large enough (see THREAD_THRESHOLD_FILES).
 */
export function threadCount(files: number, requested?: number, cores = availableParallelism()): number {
  if (requested !== undefined) return Math.max(1, Math.min(MAX_THREADS, Math.floor(requested)));
  const threshold = cores > 2 ? MANY_CORES_THREAD_THRESHOLD_FILES : THREAD_THRESHOLD_FILES;
  return files < threshold ? 1 : Math.max(1, Math.min(MAX_THREADS, cores));
}

/** What a worker is started with: the shared claim counter (one Int32, the next file index). */
export interface ScanWorkerData {
  claims: SharedArrayBuffer;
}

/**
 * How a worker reads, sent once before any files: the root (symlink-resolved), the size limit, the prefilter's plan
 * and its compiled WebAssembly module (a module crosses to a thread without being compiled again).
 */
export interface ScanWorkerSetup {
  root: string;
  maxBytes: number;
  plan: PrefilterPlan;
  prefilterModule: object | null;
}

/**
 * Files for a worker, appended to those it was sent before, as two NUL-separated strings (root-relative and absolute
 * paths) and a flag byte per file (1: tracked): copying three flat values to a thread costs a fraction of copying
 * thousands of objects. See {@link encodeFiles}.
 */
export interface ScanWorkerFiles {
  paths: string;
  absolutePaths: string;
  tracked: Uint8Array;
}

/** What a worker is sent: its setup, then chunks of files, then the end of the listing. */
export type ScanWorkerRequest = { setup: ScanWorkerSetup } | { files: ScanWorkerFiles } | { end: true };

/** What a worker says of a file it read: its outcome, or that the main thread must run the detectors over it. */
export type WorkerOutcome = FileOutcome | typeof DETECT_HERE;

/** A worker's word for a file the prefilter could not clear (or an env file, a notebook): detect it on the main thread. */
export const DETECT_HERE = "detect";

/** A worker's messages: outcomes (by file index), then `done`. */
export type ScanWorkerMessage = { outcomes: Array<[number, WorkerOutcome]> } | { done: true };

/** The files as a chunk for a worker (NUL never occurs in a path). */
export function encodeFiles(files: readonly ScanTarget[]): ScanWorkerFiles {
  return {
    paths: files.map((f) => f.path).join("\0"),
    absolutePaths: files.map((f) => f.absolutePath).join("\0"),
    tracked: Uint8Array.from(files, (f) => (f.tracked ? 1 : 0)),
  };
}

/** The files of a chunk, in order. */
export function decodeFiles(chunk: ScanWorkerFiles): ScanTarget[] {
  if (chunk.paths === "") return [];
  const paths = chunk.paths.split("\0");
  const absolutePaths = chunk.absolutePaths.split("\0");
  return paths.map((path, i) => ({ path, absolutePath: absolutePaths[i] as string, tracked: chunk.tracked[i] === 1 }));
}

/** Workers started while the tree is listed, and the scan that uses them. */
export interface ScanThreads {
  /** Tells the workers how to read; they build their prefilter meanwhile. Call once, first. */
  setup(setup: Omit<ScanWorkerSetup, "prefilterModule">): void;
  /** Hands the workers the files listed so far (`files` is the listing as it grows; only new ones are sent). */
  add(files: readonly ScanTarget[]): void;
  /**
   * Once the listing is done: sends the workers the rest of the files, scans on this thread too (with `scan`, which
   * also takes the files the workers leave to the detectors) and hands each outcome to `record` on this thread. Files a
   * worker claimed but did not finish (it crashed, or could not start) are scanned here. Call once.
   */
  run(files: readonly ScanTarget[], scan: (target: ScanTarget) => Promise<FileOutcome>, record: (target: ScanTarget, outcome: FileOutcome) => void): Promise<void>;
  /** Ends the workers without scanning (the listing failed). */
  close(): void;
}

/**
 * Starts `threads - 1` workers now, to be given their setup and files later. Until then they only load their modules,
 * and they do not keep the process alive.
 */
export function startScanThreads(threads: number): ScanThreads {
  const claims = new SharedArrayBuffer(4);
  const data: ScanWorkerData = { claims };
  // Outcomes that arrive before `run` (workers read files while the rest is listed) wait here for its `accept`.
  const early: Array<[number, WorkerOutcome]> = [];
  let accept: ((index: number, outcome: WorkerOutcome) => void) | undefined;
  const workers: Array<{ worker: Worker; done: Promise<void> }> = [];
  for (let i = 1; i < threads; i++) {
    try {
      const worker = new Worker(new URL("./scan-worker.js", import.meta.url), { workerData: data });
      worker.unref();
      // Listened to from the start, so that no outcome is missed and a worker failing while the files are still being
      // listed is no unhandled error. `done` resolves when it is done or has ended otherwise (failed, exited): never
      // rejects, as the files it did not finish are then scanned here.
      const done = new Promise<void>((resolve) => {
        worker.on("message", (message: ScanWorkerMessage) => {
          if ("done" in message) {
            resolve();
            void worker.terminate();
            return;
          }
          for (const [index, outcome] of message.outcomes) {
            if (accept) accept(index, outcome);
            else early.push([index, outcome]);
          }
        });
        worker.on("error", () => resolve());
        worker.on("exit", () => resolve());
      });
      workers.push({ worker, done });
    } catch {
      // No worker (a broken install): this thread scans alone.
    }
  }
  let sent = 0;
  const post = (request: ScanWorkerRequest): void => {
    for (const { worker } of workers) worker.postMessage(request);
  };
  const sendFrom = (files: readonly ScanTarget[], minimum: number): void => {
    if (workers.length === 0 || files.length - sent < minimum) return;
    post({ files: encodeFiles(files.slice(sent)) });
    sent = files.length;
  };
  return {
    setup(setup) {
      // From now on the workers have work: the process waits for them.
      for (const { worker } of workers) worker.ref();
      if (workers.length > 0) post({ setup: { ...setup, prefilterModule: prefilterModuleForWorkers() } });
    },
    add(files) {
      sendFrom(files, CHUNK_FILES);
    },
    async run(files, scan, record) {
      const finished = new Uint8Array(files.length);
      const recordOnce = (index: number, outcome: FileOutcome): void => {
        const target = files[index];
        if (!target || finished[index] === 1) return;
        finished[index] = 1;
        record(target, outcome);
      };
      // Files the workers left to the detectors: scanned here between this thread's own files, and once they are done.
      const toDetect: number[] = [];
      const detectLeft = async (): Promise<void> => {
        for (let index = toDetect.pop(); index !== undefined; index = toDetect.pop()) recordOnce(index, await scan(files[index] as ScanTarget));
      };
      accept = (index, outcome) => {
        if (outcome === DETECT_HERE) toDetect.push(index);
        else recordOnce(index, outcome);
      };
      for (const [index, outcome] of early.splice(0)) accept(index, outcome);
      sendFrom(files, 1);
      post({ end: true });
      // The files left to the detectors are taken between batches: a batch claimed and held meanwhile would be read by
      // no one while the workers run out of files.
      await forEachClaimed(files.length, new Int32Array(claims), async (index) => {
        recordOnce(index, await scan(files[index] as ScanTarget));
      }, detectLeft);
      await detectLeft();
      await Promise.all(workers.map((w) => w.done));
      await detectLeft();
      for (let index = 0; index < files.length; index++) {
        if (finished[index] === 0) recordOnce(index, await scan(files[index] as ScanTarget));
      }
    },
    close() {
      for (const { worker } of workers) void worker.terminate();
    },
  };
}

/** The files a thread claims from: how many are known so far, and while they are still being listed, a wait for more. */
export interface ClaimSource {
  count(): number;
  /** Resolves once the files before `end` are known or the listing is over; undefined when there is nothing to wait for. */
  until?(end: number): Promise<void> | undefined;
}

/**
 * Claims batches of file indexes from the shared counter until none is left, visiting each in turn (a batch claimed
 * before its files are listed waits for them); yields to the event loop every few milliseconds. `batchDone` runs after
 * each batch, before the next claim (awaited when it returns a promise: work done there holds no claimed file back
 * from the other threads). A number stands for that many files, all known.
 */
export async function forEachClaimed(files: ClaimSource | number, counter: Int32Array, visit: (index: number) => Promise<void>, batchDone?: () => Promise<void> | void): Promise<void> {
  const source: ClaimSource = typeof files === "number" ? { count: () => files } : files;
  let since = Date.now();
  for (let start = Atomics.add(counter, 0, BATCH_FILES); ; start = Atomics.add(counter, 0, BATCH_FILES)) {
    const waiting = source.until?.(start + BATCH_FILES);
    if (waiting) await waiting;
    const end = Math.min(source.count(), start + BATCH_FILES);
    if (start >= end) return;
    for (let index = start; index < end; index++) {
      await visit(index);
      if (Date.now() - since >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        since = Date.now();
      }
    }
    await batchDone?.();
  }
}
