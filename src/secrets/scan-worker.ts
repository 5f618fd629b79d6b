// Worker thread of ./scan-threads.ts. Started ahead of the scan, it loads its modules and waits. Sent its setup, it
// builds the detectors from their recipe and its prefilter (from the module the main thread compiled) while the main
// thread lists the files; sent files as they are listed, it claims batches of them and scans them like the main thread
// does, posting each batch's outcomes (no key text) as it finishes, until the listing is over and no file is left.
import { parentPort, workerData } from "node:worker_threads";
import { detectorsFrom } from "./detect.js";
import { prefilterFor, usePrefilterModule } from "./prefilter.js";
import { decodeFiles, forEachClaimed, POST_FILES } from "./scan-threads.js";
import type { ScanWorkerData, ScanWorkerMessage, ScanWorkerRequest, ScanWorkerSetup } from "./scan-threads.js";
import type { ScanTarget } from "./files.js";
import { scanFile } from "./scan-tree.js";
import type { FileOutcome } from "./scan-tree.js";

const { claims } = workerData as ScanWorkerData;
const post = (message: ScanWorkerMessage): void => parentPort?.postMessage(message);

const files: ScanTarget[] = [];
let listingOver = false;
/** Claims waiting for files still being listed: each resolves once `files` reaches its end or the listing is over. */
let waiting: Array<{ end: number; resolve: () => void }> = [];

const wake = (): void => {
  const ready = waiting.filter((w) => listingOver || files.length >= w.end);
  waiting = waiting.filter((w) => !ready.includes(w));
  for (const w of ready) w.resolve();
};

parentPort?.on("message", (request: ScanWorkerRequest) => {
  if ("setup" in request) {
    void scan(request.setup);
  } else if ("files" in request) {
    for (const target of decodeFiles(request.files)) files.push(target);
    wake();
  } else {
    listingOver = true;
    wake();
  }
});

async function scan({ root, maxBytes, recipe, prefilterModule }: ScanWorkerSetup): Promise<void> {
  usePrefilterModule(prefilterModule);
  const detectors = detectorsFrom(recipe);
  // Made now rather than at the first file: the files are usually still being listed.
  prefilterFor(detectors.prefilterPlan);
  let outcomes: Array<[number, FileOutcome]> = [];
  const flush = (): void => {
    if (outcomes.length === 0) return;
    post({ outcomes });
    outcomes = [];
  };
  const source = {
    count: () => files.length,
    until: (end: number) => {
      if (listingOver || files.length >= end) return undefined;
      flush(); // Nothing is held back while the worker waits for more files.
      return new Promise<void>((resolve) => waiting.push({ end, resolve }));
    },
  };
  await forEachClaimed(source, new Int32Array(claims), async (index) => {
    outcomes.push([index, await scanFile(root, files[index] as ScanTarget, maxBytes, detectors, true)]);
  }, () => {
    if (outcomes.length >= POST_FILES) flush();
  });
  flush();
  post({ done: true });
}
