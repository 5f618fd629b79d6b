// Worker thread of ./scan-threads.ts. Started when the listing shows a large tree, it loads its modules; sent its setup,
// it builds its prefilter (from the module the main thread compiled); sent files as they are listed, it claims batches
// of them, reads each and runs the prefilter over it, and posts the outcomes (no file content) in groups, until the
// listing is over and no file is left. The files the prefilter cannot clear (and env files, notebooks) are left to the
// main thread's detectors: this thread never builds them.
import { parentPort, workerData } from "node:worker_threads";
import { fileKindOf } from "./file-kinds.js";
import type { ScanTarget } from "./files.js";
import { prefilterApplies, prefilterFor, usePrefilterModule } from "./prefilter.js";
import { readListedFile } from "./read-file.js";
import { decodeFiles, DETECT_HERE, forEachClaimed, POST_FILES } from "./scan-threads.js";
import type { ScanWorkerData, ScanWorkerMessage, ScanWorkerRequest, ScanWorkerSetup, WorkerOutcome } from "./scan-threads.js";

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
    void read(request.setup);
  } else if ("files" in request) {
    for (const target of decodeFiles(request.files)) files.push(target);
    wake();
  } else {
    listingOver = true;
    wake();
  }
});

async function read({ root, maxBytes, plan, prefilterModule }: ScanWorkerSetup): Promise<void> {
  usePrefilterModule(prefilterModule);
  // Made now rather than at the first file: the files are usually still being listed. Without it this thread has
  // nothing to do (the main thread starts workers only when it has one): failing hands the files back to it.
  const prefilter = prefilterFor(plan);
  if (!prefilter) throw new Error("the secret scan's prefilter cannot be set up on a worker thread");
  let outcomes: Array<[number, WorkerOutcome]> = [];
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
    const target = files[index] as ScanTarget;
    const listed = prefilterApplies(fileKindOf(target.path)) ? await readListedFile(root, target, maxBytes, prefilter, true) : DETECT_HERE;
    if (listed !== DETECT_HERE && (typeof listed !== "object" || !("text" in listed))) {
      outcomes.push([index, listed]);
      return;
    }
    // Sent at once: the main thread detects while this one reads on, and a file left for the end would make it wait.
    outcomes.push([index, DETECT_HERE]);
    flush();
  }, () => {
    if (outcomes.length >= POST_FILES) flush();
  });
  flush();
  post({ done: true });
}
