// Worker thread of ./parse-pool.ts: parses a full registry document and reads it into encoded facts (./encoded.ts).
// Full npm packuments of a large lockfile add up to hundreds of MB of JSON; parsing them here keeps that work (and
// its garbage) off the main thread, which meanwhile receives and decompresses the other documents.
import { Buffer } from "node:buffer";
import { parentPort } from "node:worker_threads";
import { parseDocument } from "./parse-pool.js";
import type { ParseAnswer, ParseJob } from "./parse-pool.js";

parentPort?.on("message", (job: ParseJob) => {
  let answer: ParseAnswer;
  try {
    answer = { id: job.id, document: parseDocument(job.ecosystem, Buffer.from(job.bytes), job.name, job.locked) };
  } catch (error) {
    answer = { id: job.id, error: (error as Error).message };
  }
  parentPort?.postMessage(answer);
});
