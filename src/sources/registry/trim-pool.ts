// Parses and trims registry documents in worker threads (./trim-worker.ts), so the main thread is free for the network
// and the other documents. Small batches are parsed in place: starting a worker costs more than a few documents.
import { Buffer } from "node:buffer";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { trimPackument, trimPypiProject } from "./store.js";
import type { TrimAnswer, TrimJob } from "./trim-worker.js";

/** Parses and trims documents; `close` ends the workers. */
export interface TrimPool {
  /** The trimmed document as JSON text; throws "not JSON" for a body that does not parse. */
  trim(ecosystem: "npm" | "pypi", body: Buffer): Promise<string>;
  close(): Promise<void>;
}

/** Documents below this count are parsed on the main thread. */
const WORKER_THRESHOLD = 64;

/** A pool for `expected` documents: workers (one per spare core, at least one) when there are enough to pay off. */
export function createTrimPool(expected: number): TrimPool {
  if (expected < WORKER_THRESHOLD) return inline();
  const size = Math.max(1, Math.min(4, availableParallelism() - 1));
  const workers = Array.from({ length: size }, () => new Worker(new URL("./trim-worker.js", import.meta.url)));
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let next = 0;
  for (const worker of workers) {
    worker.on("message", (answer: TrimAnswer) => {
      const job = waiting.get(answer.id);
      waiting.delete(answer.id);
      if ("text" in answer) job?.resolve(answer.text);
      else job?.reject(new Error(answer.error));
    });
    worker.on("error", (error) => {
      for (const job of waiting.values()) job.reject(error);
      waiting.clear();
    });
  }
  return {
    trim(ecosystem, body) {
      const id = next++;
      // A copy into a buffer of its own, transferred (not cloned) to the worker.
      const bytes = new ArrayBuffer(body.length);
      Buffer.from(bytes).set(body);
      const job: TrimJob = { id, ecosystem, bytes };
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        (workers[id % workers.length] as Worker).postMessage(job, [bytes]);
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

function inline(): TrimPool {
  return {
    async trim(ecosystem, body) {
      let doc: unknown;
      try {
        doc = JSON.parse(body.toString("utf8"));
      } catch {
        throw new Error("not JSON");
      }
      return JSON.stringify(ecosystem === "npm" ? trimPackument(doc) : trimPypiProject(doc));
    },
    async close() {},
  };
}
