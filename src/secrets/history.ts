// The secret scan of git history: every blob reachable from any ref, streamed through three git processes
//   git rev-list --objects --all  →  git cat-file --batch-check  →  git cat-file --batch
// (object walk; type and size, so trees, commits and blobs over the size limit are never read; contents), scanned one
// blob at a time under back-pressure, so memory stays bounded by one blob plus the keys found. Each key is then
// reported once, with the oldest commit that added a blob holding it (one `git log --raw` pass over all refs, stopped
// as soon as every such blob is placed), its author date, its path there, and whether HEAD still holds it. A key that
// was deleted from the tree but lives in history must still be rotated: anyone with a clone has it.
// See https://git-scm.com/docs/git-cat-file#_batch_output and https://git-scm.com/docs/git-rev-list.
import type { Readable } from "node:stream";
import { spawnGit, git } from "../sources/git.js";
import type { DetectorSet } from "./detect.js";
import type { HistoryFacts, HistorySecret, SecretDetectorInfo } from "./facts.js";
import { fileKindOf } from "./file-kinds.js";
import { excludeMatcher } from "./files.js";
import { prefilterApplies, prefilterFor } from "./prefilter.js";
import { isBinary } from "./read-file.js";
import { DEFAULT_MAX_SECRET_FILE_BYTES, findSecrets } from "./scan-tree.js";

/** Options for {@link scanHistory}. */
export interface HistoryOptions {
  detectors: DetectorSet;
  /** Largest blob read (default 5 MB). */
  maxFileBytes?: number;
  /** Globs of root-relative paths to leave out (the configuration's `exclude`), matched on the path a blob is seen at. */
  exclude?: readonly string[];
}

/** What is known about one key while the blobs stream by. */
interface KeyRecord {
  detector: SecretDetectorInfo;
  redacted: string;
  /** Blob id → root-relative path the walk saw it at, the key's line in it and the variable it is assigned to there. */
  blobs: Map<string, { path: string; line: number; variable?: string }>;
}

/** Where a blob first entered history. */
interface Introduction {
  commit: string;
  authorDate: string;
  path: string;
  order: number;
}

/**
 * Scans every blob reachable from all refs of the repository holding `root` (only paths under `root` when it is a
 * subfolder). Never throws: a repository git cannot read yields `error` and no secrets.
 */
export async function scanHistory(root: string, options: HistoryOptions): Promise<HistoryFacts> {
  const facts: HistoryFacts = { secrets: [], suppressed: [], blobs: 0, bytes: 0, skippedLarge: 0, skippedBinary: 0 };
  const prefixAnswer = await git(root, ["rev-parse", "--show-prefix"]);
  if (prefixAnswer?.code !== 0) return { ...facts, error: "not a git repository (or git is not installed)" };
  // Paths in history are relative to the repository's top; findings are relative to the scanned root.
  const prefix = prefixAnswer.stdout.trim();
  const excluded = excludeMatcher(options.exclude ?? []);
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_SECRET_FILE_BYTES;
  const keys = new Map<string, KeyRecord>();
  const accepted = new Map<string, { path: string; reason: string }>();

  const walked = await walkBlobs(root, maxBytes, (path) => {
    if (!path.startsWith(prefix)) return undefined;
    const rel = path.slice(prefix.length);
    return rel === "" || excluded(rel) ? undefined : rel;
  }, {
    large: () => facts.skippedLarge++,
    blob: (sha, path, content) => {
      if (isBinary(content)) {
        facts.skippedBinary++;
        return;
      }
      facts.blobs++;
      facts.bytes += content.length;
      const kind = fileKindOf(path);
      // Most blobs are cleared from their bytes by the prefilter, and never decoded (see prefilter.ts).
      if (prefilterApplies(kind) && prefilterFor(options.detectors.prefilterPlan)?.mayHold(content) === false) return;
      let found;
      try {
        ({ found } = findSecrets(content.toString("utf8"), path, kind, options.detectors));
      } catch {
        // Go on with the other blobs; not the error's text, which could quote the blob.
        facts.error ??= `the secret scan failed on a version of ${path} (an aiwarden bug: please report it); other blobs were scanned`;
        return;
      }
      for (const f of found) {
        if (f.ignore?.kind === "ignored") {
          if (!accepted.has(f.fingerprint)) accepted.set(f.fingerprint, { path, reason: f.ignore.reason });
          continue;
        }
        let record = keys.get(f.fingerprint);
        if (!record) {
          record = { detector: f.detector, redacted: f.redacted, blobs: new Map() };
          keys.set(f.fingerprint, record);
        }
        if (!record.blobs.has(sha)) record.blobs.set(sha, { path, line: f.line, ...(f.variable !== undefined ? { variable: f.variable } : {}) });
      }
    },
  });
  if (walked) return { ...facts, error: walked };

  const wanted = new Set<string>();
  for (const record of keys.values()) for (const sha of record.blobs.keys()) wanted.add(sha);
  const [introductions, head] = await Promise.all([
    wanted.size > 0 ? firstCommits(root, wanted, prefix) : Promise.resolve(new Map<string, Introduction>()),
    wanted.size > 0 ? headBlobs(root) : Promise.resolve(new Set<string>()),
  ]);

  for (const [fingerprint, record] of keys) facts.secrets.push(describeKey(fingerprint, record, introductions, head));
  facts.secrets.sort((a, b) => compare(a.authorDate ?? "~", b.authorDate ?? "~") || compare(a.path, b.path) || compare(a.fingerprint, b.fingerprint));
  for (const [fingerprint, entry] of accepted) if (!keys.has(fingerprint)) facts.suppressed.push({ fingerprint, ...entry });
  facts.suppressed.sort((a, b) => compare(a.path, b.path) || compare(a.fingerprint, b.fingerprint));
  return facts;
}

/** The oldest introduction among a key's blobs (its line in that blob), else the first blob the walk saw. */
function describeKey(fingerprint: string, record: KeyRecord, introductions: ReadonlyMap<string, Introduction>, head: ReadonlySet<string>): HistorySecret {
  let best: { sha: string; intro?: Introduction } | undefined;
  for (const sha of record.blobs.keys()) {
    const intro = introductions.get(sha);
    if (!best || (intro && (!best.intro || intro.order < best.intro.order))) best = { sha, ...(intro ? { intro } : {}) };
  }
  const sha = best?.sha as string;
  const seen = record.blobs.get(sha) as { path: string; line: number; variable?: string };
  const intro = best?.intro;
  return {
    fingerprint,
    detector: record.detector,
    redacted: record.redacted,
    ...(seen.variable !== undefined ? { variable: seen.variable } : {}),
    ...(intro ? { commit: intro.commit, authorDate: intro.authorDate } : {}),
    path: intro?.path ?? seen.path,
    line: seen.line,
    stillPresent: [...record.blobs.keys()].some((s) => head.has(s)),
    blobs: record.blobs.size,
  };
}

/** Callbacks of {@link walkBlobs}. */
interface BlobSink {
  blob(sha: string, path: string, content: Buffer): void;
  large(sha: string, path: string): void;
}

/**
 * Streams every blob reachable from all refs whose path `accept` keeps (mapping it to a root-relative path) and whose
 * size is within `maxBytes`. Resolves to undefined, or to a one-line error.
 */
function walkBlobs(root: string, maxBytes: number, accept: (path: string) => string | undefined, sink: BlobSink): Promise<string | undefined> {
  return new Promise((resolve) => {
    const revList = spawnGit(root, ["rev-list", "--objects", "--all"]);
    const check = spawnGit(root, ["cat-file", "--buffer", "--batch-check=%(objectname) %(objecttype) %(objectsize) %(rest)"]);
    const batch = spawnGit(root, ["cat-file", "--buffer", "--batch"]);
    const children = [revList, check, batch];
    let failed: string | undefined;
    let exited = 0;
    const fail = (message: string) => {
      if (failed !== undefined) return;
      failed = message;
      for (const child of children) child.kill();
    };
    const stderr: string[] = [];
    for (const child of children) {
      child.on("error", (error) => fail(`git could not run: ${error.message.split("\n")[0]}`));
      child.stdin.on("error", () => undefined);
      child.stderr.on("data", (chunk: Buffer) => {
        if (stderr.join("").length < 2000) stderr.push(chunk.toString("utf8"));
      });
      child.on("close", (code) => {
        if (code !== 0 && code !== null) fail(`git exited with ${code}: ${(stderr.join("").trim().split("\n")[0] ?? "").slice(0, 200)}`);
        if (++exited === children.length) resolve(failed);
      });
    }
    revList.stdout.pipe(check.stdin);

    // batch-check → which blobs to read; paused while cat-file --batch has not taken the previous requests, so the
    // queue of requests in flight stays as short as the pipe buffers.
    const queue: Array<{ sha: string; path: string }> = [];
    let waiting = false;
    forEachLine(check.stdout, (line) => {
      const [sha, type, size] = line.split(" ", 3);
      if (type !== "blob" || sha === undefined || size === undefined) return;
      const rest = line.slice(sha.length + type.length + size.length + 3);
      const path = accept(rest);
      if (path === undefined) return;
      if (Number(size) > maxBytes) {
        sink.large(sha, path);
        return;
      }
      queue.push({ sha, path });
      // The rest of the current chunk is still written (it is at most one pipe buffer); then the stream waits.
      if (!batch.stdin.write(`${sha}\n`) && !waiting) {
        waiting = true;
        check.stdout.pause();
        batch.stdin.once("drain", () => {
          waiting = false;
          check.stdout.resume();
        });
      }
    }, () => batch.stdin.end());

    // cat-file --batch: "<sha> blob <size>\n<content>\n" per request, in request order.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let want = -1;
    batch.stdout.on("data", (chunk: Buffer) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      for (;;) {
        if (want < 0) {
          const buffer = flatten();
          const newline = buffer.indexOf(10);
          if (newline < 0) return;
          const header = buffer.subarray(0, newline).toString("utf8");
          keep(buffer.subarray(newline + 1));
          const size = Number(header.split(" ")[2]);
          if (header.endsWith(" missing") || !Number.isFinite(size)) {
            queue.shift();
            continue;
          }
          want = size;
        }
        if (pendingBytes < want + 1) return;
        const buffer = flatten();
        const request = queue.shift();
        if (request) {
          try {
            sink.blob(request.sha, request.path, buffer.subarray(0, want));
          } catch {
            // Not the error's text: it could quote the blob.
            fail(`the secret scan failed on a version of ${request.path} (an aiwarden bug: please report it)`);
          }
        }
        keep(buffer.subarray(want + 1));
        want = -1;
      }
    });

    function flatten(): Buffer {
      if (pending.length > 1) pending = [Buffer.concat(pending, pendingBytes)];
      return pending[0] ?? Buffer.alloc(0);
    }

    function keep(rest: Buffer): void {
      pending = rest.length > 0 ? [rest] : [];
      pendingBytes = rest.length;
    }
  });
}

/**
 * For each wanted blob, the oldest commit (parents before children, over all refs) whose diff adds it, with the author
 * date and path. Merges are diffed against their first parent, so a blob that first appears in a merge resolution is
 * placed too. Stops git once every wanted blob is placed.
 */
function firstCommits(root: string, wanted: ReadonlySet<string>, prefix: string): Promise<Map<string, Introduction>> {
  return new Promise((resolve) => {
    const found = new Map<string, Introduction>();
    const log = spawnGit(root, ["log", "--all", "--reverse", "--topo-order", "--raw", "--no-abbrev", "--no-renames", "--diff-merges=first-parent", "-z", "--format=%x01%H %aI"]);
    let commit = "";
    let authorDate = "";
    let order = 0;
    let newBlob: string | undefined;
    let done = false;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve(found);
    };
    log.on("error", finish);
    log.on("close", finish);
    log.stdin.on("error", () => undefined);
    log.stdin.end();
    forEachField(log.stdout, 0, (raw) => {
      if (done) return;
      const field = raw.startsWith("\n") ? raw.replace(/^\n+/, "") : raw;
      if (newBlob !== undefined) {
        // The path after a ":<modes> <old> <new> <status>" record.
        if (wanted.has(newBlob) && !found.has(newBlob) && field.startsWith(prefix)) {
          found.set(newBlob, { commit, authorDate, path: field.slice(prefix.length), order });
          if (found.size === wanted.size) {
            done = true;
            log.kill();
          }
        }
        newBlob = undefined;
        return;
      }
      if (field.startsWith("\u0001")) {
        const space = field.indexOf(" ");
        commit = field.slice(1, space);
        authorDate = field.slice(space + 1).trim();
        order++;
        return;
      }
      if (field.startsWith(":")) newBlob = field.split(" ")[3] ?? "";
    }, finish);
  });
}

/** Ids of the blobs in HEAD's tree (empty when there is no HEAD yet). */
async function headBlobs(root: string): Promise<Set<string>> {
  const listed = await git(root, ["ls-tree", "-r", "-z", "--full-tree", "HEAD"]);
  const blobs = new Set<string>();
  if (listed?.code !== 0) return blobs;
  for (const entry of listed.stdout.split("\0")) {
    // "<mode> blob <sha>\t<path>"
    const tab = entry.indexOf("\t");
    const parts = entry.slice(0, tab).split(" ");
    if (parts[1] === "blob" && parts[2]) blobs.add(parts[2]);
  }
  return blobs;
}

/** Calls `onLine` for each newline-terminated line of a stream (UTF-8), then `onEnd`. */
function forEachLine(stream: Readable, onLine: (line: string) => void, onEnd: () => void): void {
  forEachField(stream, 10, onLine, onEnd);
}

/** Calls `onField` for each `separator`-terminated field of a stream (UTF-8, split on bytes), then `onEnd`. */
function forEachField(stream: Readable, separator: number, onField: (field: string) => void, onEnd: () => void): void {
  let carry: Buffer = Buffer.alloc(0);
  stream.on("data", (chunk: Buffer) => {
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let at = buffer.indexOf(separator, start); at >= 0; at = buffer.indexOf(separator, start)) {
      onField(buffer.subarray(start, at).toString("utf8"));
      start = at + 1;
    }
    carry = Buffer.from(buffer.subarray(start));
  });
  stream.on("end", () => {
    if (carry.length > 0) onField(carry.toString("utf8"));
    onEnd();
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
