// Worker thread of ./scan-threads.ts: builds the detectors from their recipe and its prefilter (from the module the
// main thread compiled) while the main thread lists the files, then, sent the list, claims batches of them and scans
// them like the main thread does, posting each batch's outcomes (no key text) as it finishes.
import { parentPort, workerData } from "node:worker_threads";
import { detectorsFrom } from "./detect.js";
import { prefilterFor, usePrefilterModule } from "./prefilter.js";
import { decodeJob, forEachClaimed } from "./scan-threads.js";
import type { ScanWorkerData, ScanWorkerJob, ScanWorkerMessage } from "./scan-threads.js";
import { scanFile } from "./scan-tree.js";
import type { FileOutcome } from "./scan-tree.js";

const { maxBytes, recipe, prefilterModule, claims } = workerData as ScanWorkerData;
usePrefilterModule(prefilterModule);
const detectors = detectorsFrom(recipe);
// Made now rather than at the first file: the files are usually still being listed.
prefilterFor(detectors.prefilterPlan);
const post = (message: ScanWorkerMessage): void => parentPort?.postMessage(message);

parentPort?.once("message", async (job: ScanWorkerJob) => {
  const files = decodeJob(job);
  let outcomes: Array<[number, FileOutcome]> = [];
  await forEachClaimed(files.count, new Int32Array(claims), async (index) => {
    outcomes.push([index, await scanFile(job.root, files.target(index), maxBytes, detectors, true)]);
  }, () => {
    post({ outcomes });
    outcomes = [];
  });
  post({ done: true });
});
