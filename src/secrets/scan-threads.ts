// Splits the secret scan of a large tree over worker threads (./scan-worker.ts): reading and detecting are CPU-bound
// and independent file by file. The workers are started as soon as the listing shows the tree is large, so they load
// and compile the detectors while the rest is listed. The main thread scans too; every thread claims the next batch
// of files from a shared counter, so a few large files do not leave the others idle and no thread waits for work.
// Workers send back what each file holds as FileOutcome values, which carry fingerprints and redacted forms, never a
// key. The caller sorts what it collects, so results do not depend on which thread scanned which file.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { DetectorRecipe } from "./detect.js";
import type { ScanTarget } from "./files.js";
import { prefilterModuleForWorkers } from "./prefilter.js";
import type { FileOutcome } from "./scan-tree.js";

/**
 * Below this many files the scan stays on the main thread: a worker is ready to scan about 100 ms after it is started
 * (Node's start of a thread, loading the modules, compiling the detectors), longer than a small project takes to scan.
 */
export const THREAD_THRESHOLD_FILES = 400;

/** Most threads used, the main thread included: each holds a heap and modules of its own. */
const MAX_THREADS = 8;

/** Files claimed at once: few enough to balance the end of the scan, enough to make claims rare. */
const BATCH_FILES = 16;

/** How long a thread may scan before yielding (to worker messages, and to the history scan's git pipes). */
export const YIELD_EVERY_MS = 25;

/** Threads to scan `files` files with: `requested` when given (capped), else one per core for large trees. */
export function threadCount(files: number, requested?: number): number {
  if (requested !== undefined) return Math.max(1, Math.min(MAX_THREADS, Math.floor(requested)));
  return files < THREAD_THRESHOLD_FILES ? 1 : Math.max(1, Math.min(MAX_THREADS, availableParallelism()));
}

/**
 * What a worker is started with: how to read and detect, the prefilter's compiled WebAssembly module (null when it
 * cannot be loaded), and the shared claim counter (one Int32, the next file).
 */
export interface ScanWorkerData {
  maxBytes: number;
  recipe: DetectorRecipe;
  prefilterModule: object | null;
  claims: SharedArrayBuffer;
}

/**
 * What a worker is sent once the listing is done: the files of one root, as two NUL-separated strings (root-relative
 * and absolute paths) and a flag byte per file (1: tracked). Copying three flat values to a thread costs a fraction of
 * copying 14,000 objects, which delayed the worker's start by about 40 ms on a large tree. See {@link encodeJob}.
 */
export interface ScanWorkerJob {
  root: string;
  paths: string;
  absolutePaths: string;
  tracked: Uint8Array;
}

/** The job for `files` (NUL never occurs in a path). */
export function encodeJob(root: string, files: readonly ScanTarget[]): ScanWorkerJob {
  return {
    root,
    paths: files.map((f) => f.path).join("\0"),
    absolutePaths: files.map((f) => f.absolutePath).join("\0"),
    tracked: Uint8Array.from(files, (f) => (f.tracked ? 1 : 0)),
  };
}

/** The files of a job, in order: a function building the target of an index when it is claimed. */
export function decodeJob(job: ScanWorkerJob): { count: number; target(index: number): ScanTarget } {
  const paths = job.paths === "" ? [] : job.paths.split("\0");
  const absolutePaths = job.absolutePaths === "" ? [] : job.absolutePaths.split("\0");
  return {
    count: paths.length,
    target: (index) => ({ path: paths[index] as string, absolutePath: absolutePaths[index] as string, tracked: job.tracked[index] === 1 }),
  };
}

/** A worker's messages: the outcomes of one batch (by file index), then `done`. */
export type ScanWorkerMessage = { outcomes: Array<[number, FileOutcome]> } | { done: true };

/** Workers started ahead of the file list (they load and compile meanwhile), and the scan that uses them. */
export interface ScanThreads {
  /**
   * Scans the files on this thread (with `scan`) and on the workers, handing each outcome to `record` on this thread.
   * Files a worker claimed but did not finish (it crashed, or could not start) are scanned here. Call once.
   */
  run(root: string, files: readonly ScanTarget[], scan: (target: ScanTarget) => Promise<FileOutcome>, record: (target: ScanTarget, outcome: FileOutcome) => void): Promise<void>;
  /** Ends the workers without scanning (the listing failed). */
  close(): void;
}

/** Starts `threads - 1` workers now; {@link ScanThreads.run} gives them the files once they are listed. */
export function startScanThreads(threads: number, maxBytes: number, recipe: DetectorRecipe): ScanThreads {
  const claims = new SharedArrayBuffer(4);
  const data: ScanWorkerData = { maxBytes, recipe, prefilterModule: prefilterModuleForWorkers(), claims };
  const workers: Array<{ worker: Worker; ended: Promise<void> }> = [];
  for (let i = 1; i < threads; i++) {
    try {
      const worker = new Worker(new URL("./scan-worker.js", import.meta.url), { workerData: data });
      // Listened to from the start: a worker failing while the files are still being listed is no unhandled error.
      const ended = new Promise<void>((resolve) => {
        worker.on("error", () => resolve());
        worker.on("exit", () => resolve());
      });
      workers.push({ worker, ended });
    } catch {
      // No worker (a broken install): this thread scans alone.
    }
  }
  return {
    async run(root, files, scan, record) {
      const finished = new Uint8Array(files.length);
      const accept = (index: number, outcome: FileOutcome): void => {
        const target = files[index];
        if (!target || finished[index] === 1) return;
        finished[index] = 1;
        record(target, outcome);
      };
      const job = workers.length > 0 ? encodeJob(root, files) : undefined;
      const running = job ? workers.map(({ worker, ended }) => untilDone(worker, ended, job, accept)) : [];
      await forEachClaimed(files.length, new Int32Array(claims), async (index) => {
        accept(index, await scan(files[index] as ScanTarget));
      });
      await Promise.all(running);
      for (let index = 0; index < files.length; index++) {
        if (finished[index] === 0) accept(index, await scan(files[index] as ScanTarget));
      }
    },
    close() {
      for (const { worker } of workers) void worker.terminate();
    },
  };
}

/**
 * Sends a worker its job and resolves when it is done, or has ended otherwise (`ended`: it failed or exited). Never
 * rejects: the files it did not finish are then scanned here.
 */
function untilDone(worker: Worker, ended: Promise<void>, job: ScanWorkerJob, accept: (index: number, outcome: FileOutcome) => void): Promise<void> {
  return new Promise((resolve) => {
    worker.on("message", (message: ScanWorkerMessage) => {
      if (!("done" in message)) {
        for (const [index, outcome] of message.outcomes) accept(index, outcome);
        return;
      }
      resolve();
      void worker.terminate();
    });
    void ended.then(resolve);
    worker.postMessage(job);
  });
}

/**
 * Claims batches of indexes below `count` from the shared counter until none is left, visiting each in turn; yields
 * to the event loop every few milliseconds. `batchDone` runs after each batch.
 */
export async function forEachClaimed(count: number, counter: Int32Array, visit: (index: number) => Promise<void>, batchDone?: () => void): Promise<void> {
  let since = Date.now();
  for (let start = Atomics.add(counter, 0, BATCH_FILES); start < count; start = Atomics.add(counter, 0, BATCH_FILES)) {
    const end = Math.min(count, start + BATCH_FILES);
    for (let index = start; index < end; index++) {
      await visit(index);
      if (Date.now() - since >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        since = Date.now();
      }
    }
    batchDone?.();
  }
}
