// Worker thread of ./scan-threads.ts: builds the detectors from their recipe while the main thread lists the files,
// then, sent the list, claims batches of them and scans them like the main thread does, posting each batch's
// outcomes (no key text) as it finishes.
import { parentPort, workerData } from "node:worker_threads";
import { detectorsFrom } from "./detect.js";
import type { ScanTarget } from "./files.js";
import { forEachClaimed } from "./scan-threads.js";
import type { ScanWorkerData, ScanWorkerJob, ScanWorkerMessage } from "./scan-threads.js";
import { scanFile } from "./scan-tree.js";
import type { FileOutcome } from "./scan-tree.js";

const { maxBytes, recipe, claims } = workerData as ScanWorkerData;
const detectors = detectorsFrom(recipe);
const post = (message: ScanWorkerMessage): void => parentPort?.postMessage(message);

parentPort?.once("message", async ({ root, files }: ScanWorkerJob) => {
  let outcomes: Array<[number, FileOutcome]> = [];
  await forEachClaimed(files.length, new Int32Array(claims), async (index) => {
    outcomes.push([index, await scanFile(root, files[index] as ScanTarget, maxBytes, detectors, true)]);
  }, () => {
    post({ outcomes });
    outcomes = [];
  });
  post({ done: true });
});
