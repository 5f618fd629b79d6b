// Worker thread of ./trim-pool.ts: parses a full registry document and trims it to what the registry rules read.
// Full npm packuments of a large lockfile add up to hundreds of MB of JSON; parsing them here keeps that work (and
// its garbage) off the main thread, which meanwhile receives, decompresses and judges the other documents.
import { Buffer } from "node:buffer";
import { parentPort } from "node:worker_threads";
import { trimPackument, trimPypiProject } from "./store.js";

/** One job: the document's bytes (transferred) and which trimmer applies. */
export interface TrimJob {
  id: number;
  ecosystem: "npm" | "pypi";
  bytes: ArrayBuffer;
}

/** The answer: the trimmed document as JSON text, or why it could not be read. */
export type TrimAnswer = { id: number; text: string } | { id: number; error: string };

parentPort?.on("message", (job: TrimJob) => {
  let answer: TrimAnswer;
  try {
    const doc: unknown = JSON.parse(Buffer.from(job.bytes).toString("utf8"));
    answer = { id: job.id, text: JSON.stringify(job.ecosystem === "npm" ? trimPackument(doc) : trimPypiProject(doc)) };
  } catch {
    answer = { id: job.id, error: "not JSON" };
  }
  parentPort?.postMessage(answer);
});
