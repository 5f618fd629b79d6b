// Parses registry documents in worker threads (./parse-worker.ts), so the main thread is free for the network and
// the other documents. Small batches are parsed in place: starting a worker costs more than a few documents.
import { Buffer } from "node:buffer";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Ecosystem } from "../../graph/package-node.js";
import { readDocument } from "./encoded.js";
import type { ReadDocument } from "./encoded.js";

/** Parses documents; `close` ends the workers. */
export interface ParsePool {
  /**
   * The document's facts, encoded with hashes for the `locked` versions; throws "not JSON" or "not a packument" /
   * "not a PyPI project document". The body may be handed over to a worker: the caller must not read it afterwards.
   */
  read(ecosystem: Ecosystem, body: Buffer, name: string, locked: readonly string[]): Promise<ReadDocument>;
  close(): Promise<void>;
}

/** One job for a worker: the document's bytes (transferred) and what to read from it. */
export interface ParseJob {
  id: number;
  ecosystem: Ecosystem;
  name: string;
  locked: readonly string[];
  bytes: ArrayBuffer;
}

/** A worker's answer: the facts, or why the document could not be read. */
export type ParseAnswer = { id: number; document: ReadDocument } | { id: number; error: string };

/** Documents below this count are parsed on the main thread. */
const WORKER_THRESHOLD = 64;

/** Parses one document (in a worker, or in place). Throws with the one-line reason. */
export function parseDocument(ecosystem: Ecosystem, body: Buffer, name: string, locked: readonly string[]): ReadDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString("utf8"));
  } catch {
    throw new Error("not JSON");
  }
  const read = readDocument(ecosystem, doc, name, locked);
  if (!read) throw new Error(ecosystem === "npm" ? "not a packument" : "not a PyPI project document");
  return read;
}

/** A pool for `expected` documents: workers (one per spare core, at least one) when there are enough to pay off. */
export function createParsePool(expected: number): ParsePool {
  if (expected < WORKER_THRESHOLD) return inline();
  const size = Math.max(1, Math.min(4, availableParallelism() - 1));
  const workers = Array.from({ length: size }, () => new Worker(new URL("./parse-worker.js", import.meta.url)));
  const waiting = new Map<number, { resolve: (read: ReadDocument) => void; reject: (error: Error) => void }>();
  let next = 0;
  for (const worker of workers) {
    worker.on("message", (answer: ParseAnswer) => {
      const job = waiting.get(answer.id);
      waiting.delete(answer.id);
      if ("document" in answer) job?.resolve(answer.document);
      else job?.reject(new Error(answer.error));
    });
    worker.on("error", (error) => {
      for (const job of waiting.values()) job.reject(error);
      waiting.clear();
    });
  }
  return {
    read(ecosystem, body, name, locked) {
      const id = next++;
      // Transferred (not cloned) to the worker: the body's own memory when it spans a whole ArrayBuffer (a decoded
      // answer does; the caller is done with it), else a copy into a buffer of its own (pooled small buffers).
      const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
      const bytes = own ? (body.buffer as ArrayBuffer) : new ArrayBuffer(body.length);
      if (!own) Buffer.from(bytes).set(body);
      const job: ParseJob = { id, ecosystem, name, locked, bytes };
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

function inline(): ParsePool {
  return {
    async read(ecosystem, body, name, locked) {
      return parseDocument(ecosystem, body, name, locked);
    },
    async close() {},
  };
}
