import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fixturePath } from "../testing/fixtures.js";
import { leakedKeys, materialize, plantedKeys, writeTree } from "../testing/secret-tree.js";
import type { PlantedKey } from "../testing/secret-tree.js";
import { loadDetectors } from "./detect.js";
import { listScanTargets } from "./files.js";
import type { ScanTarget } from "./files.js";
import type { PrefilterPlan, PrefilterRule } from "./prefilter.js";
import { decodeFiles, encodeFiles, MANY_CORES_THREAD_THRESHOLD_FILES, startScanThreads, threadCount, THREAD_THRESHOLD_FILES } from "./scan-threads.js";
import { DEFAULT_MAX_SECRET_FILE_BYTES, scanFile } from "./scan-tree.js";
import type { FileOutcome } from "./scan-tree.js";

const detectors = loadDetectors();
const plan = detectors.prefilterPlan;

describe("startScanThreads", () => {
  let base: string;
  let root: string;
  let files: readonly ScanTarget[];
  let planted: PlantedKey[];
  let inline: Array<[string, FileOutcome]>;

  before(async () => {
    base = mkdtempSync(join(tmpdir(), "aiwarden-scan-threads-"));
    root = join(base, "tree");
    planted = materialize(fixturePath(import.meta.url, "tree"), root);
    const everyDetector = plantedKeys();
    planted.push(...everyDetector);
    writeTree(root, Object.fromEntries(everyDetector.map((k) => [`keys/${k.detector}.txt`, `${k.text}\n`])));
    // Enough files for the workers to be handed some while the rest is "listed" (chunks of 256).
    writeTree(root, Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`filler/f${i}.py`, `value_${i} = compute(${i})\n`])));
    ({ files } = await listScanTargets(root, { useGit: false }));
    inline = [];
    for (const target of files) inline.push([target.path, await scanFile(root, target, DEFAULT_MAX_SECRET_FILE_BYTES, detectors, true)]);
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  /**
   * Scans the tree on `threads` threads, giving them the files after `listing` ms (as if the tree were still being
   * listed; with `streamed`, that many files are handed over first), this thread taking `slow` ms more a file so that
   * the workers get some; outcomes by path, how many files this thread scanned, and how many outcomes it had recorded
   * when it scanned its first file.
   */
  async function threaded(threads: number, jobPlan: PrefilterPlan, { listing = 0, slow = 20, streamed = 0 } = {}): Promise<{ outcomes: Array<[string, FileOutcome]>; here: number; recordedFirst: number }> {
    const outcomes: Array<[string, FileOutcome]> = [];
    let here = 0;
    let recordedFirst = -1;
    const started = startScanThreads(threads);
    started.setup({ root, maxBytes: DEFAULT_MAX_SECRET_FILE_BYTES, plan: jobPlan });
    if (streamed > 0) started.add(files.slice(0, streamed));
    if (listing > 0) await sleep(listing);
    await started.run(files, async (target) => {
      if (here++ === 0) recordedFirst = outcomes.length;
      if (slow > 0) await sleep(slow);
      return scanFile(root, target, DEFAULT_MAX_SECRET_FILE_BYTES, detectors, true);
    }, (target, outcome) => outcomes.push([target.path, outcome]));
    return { outcomes: outcomes.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)), here, recordedFirst };
  }

  it("workers scan files with the same outcomes as this thread, each file once, and send no key", async () => {
    assert.ok(files.length > 60 && inline.some(([, o]) => typeof o === "object" && "found" in o && o.found.length > 0), "the tree holds keys");
    const { outcomes, here } = await threaded(3, plan);
    assert.deepEqual(outcomes, inline);
    assert.ok(here < files.length, `the workers scanned some of the files (this thread scanned ${here} of ${files.length})`);
    assert.deepEqual(leakedKeys(JSON.stringify(outcomes), planted).map((k) => k.detector), []);
  });

  it("a worker that fails leaves its files to this thread: nothing is lost", async () => {
    // A plan the worker cannot build its prefilter from (a literal that is not ASCII): it throws before reading.
    const broken: PrefilterPlan = { rules: [{ ...(plan.rules[0] as PrefilterRule), literal: "\u00e9tude-" }] };
    const { outcomes, here } = await threaded(2, broken, { slow: 0 });
    assert.deepEqual(outcomes, inline);
    assert.equal(here, files.length);
    // Failing before it is given the files (the listing takes long) is no unhandled error either.
    const late = await threaded(2, broken, { listing: 1500, slow: 0 });
    assert.deepEqual(late.outcomes, inline);
  });

  it("workers scan the files handed to them while the rest is listed; their outcomes are all recorded", async () => {
    assert.ok(files.length > 300, "enough files for a chunk");
    const { outcomes, recordedFirst } = await threaded(2, plan, { streamed: 300, listing: 2000, slow: 0 });
    assert.deepEqual(outcomes, inline);
    // The worker had finished the first 300 files before this thread scanned anything: their outcomes came first.
    assert.ok(recordedFirst >= 256, `${recordedFirst} outcomes recorded before this thread's first file`);
  });

  it("workers started while the tree is listed wait for the files", async () => {
    const { outcomes, here } = await threaded(2, plan, { listing: 300 });
    assert.deepEqual(outcomes, inline);
    assert.ok(here < files.length, `the worker scanned some of the files (this thread scanned ${here} of ${files.length})`);
  });

  it("workers never given work, or closed after their setup, do not keep the process alive", () => {
    const module = JSON.stringify(new URL("./scan-threads.js", import.meta.url).href);
    for (const script of [
      // Started, and never set up: the process exits at once.
      `const { startScanThreads } = await import(${module}); startScanThreads(3);`,
      // Set up, then closed (the listing failed).
      `const { startScanThreads } = await import(${module}); const t = startScanThreads(3);
       t.setup({ root: "/", maxBytes: 1024, plan: { rules: [] } }); t.close();`,
    ]) {
      const started = Date.now();
      const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
      assert.equal(child.status, 0, child.stderr || `killed by ${child.signal}`);
      assert.ok(Date.now() - started < 10_000);
    }
  });

  it("files sent to a worker come back as listed (spaces, non-ASCII, untracked and tracked), and none", () => {
    const targets: ScanTarget[] = [
      { path: "a b/ü.env", absolutePath: "/r/a b/ü.env", tracked: true },
      { path: ".env", absolutePath: "/r/.env", tracked: false },
      { path: "x\ny.txt", absolutePath: "/r/x\ny.txt", tracked: true },
    ];
    assert.deepEqual(decodeFiles(structuredClone(encodeFiles(targets))), targets);
    assert.deepEqual(decodeFiles(encodeFiles([])), []);
  });

  it("threadCount: one thread for small trees, one per core (capped) for large ones, or as asked", () => {
    assert.equal(threadCount(THREAD_THRESHOLD_FILES - 1, undefined, 2), 1);
    assert.equal(threadCount(THREAD_THRESHOLD_FILES, undefined, 2), 2);
    assert.equal(threadCount(MANY_CORES_THREAD_THRESHOLD_FILES - 1, undefined, 4), 1);
    assert.equal(threadCount(MANY_CORES_THREAD_THRESHOLD_FILES, undefined, 4), 4);
    assert.equal(threadCount(1_000_000, undefined, 64), 8);
    assert.ok(threadCount(THREAD_THRESHOLD_FILES) >= 1 && threadCount(THREAD_THRESHOLD_FILES) <= 8);
    assert.equal(threadCount(10, 3), 3);
    assert.equal(threadCount(10_000, 0), 1);
    assert.equal(threadCount(10_000, 64), 8);
  });
});
