// Reading one listed file for the secret scan, on the main thread or a worker: the synchronous reader (into the
// prefilter's input area, no fstat for most files) and the thread-pool one, the binary check and the prefilter's verdict,
// and the statuses of files not read (binary, over the size limit, not a regular file, a submodule, unreadable).
// Symbolic links are judged here too. Nothing here decodes a file the prefilter clears, or runs a detector.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import type { Stats } from "node:fs";
import { open, realpath } from "node:fs/promises";
import { sep } from "node:path";
import type { ScanTarget, SkippedTarget } from "./files.js";
import type { Prefilter } from "./prefilter.js";
import type { FileResult } from "../scan/result.js";
import { describeError } from "../discover/fs-errors.js";

/** How many leading bytes are checked for NUL to call a file binary (git's own heuristic uses 8,000). */
export const BINARY_PROBE_BYTES = 8192;

/** The status of a binary file (read only to tell: counted, not listed; see ListedFile). */
const BINARY_REASON = "binary file: not scanned for secrets";

/**
 * What reading one listed file gives, judged as far as reading can: its text for the detectors, its size when the
 * prefilter cleared it, "binary", the status saying why it was not read, or undefined when there is nothing to say (a
 * tracked file deleted from the work tree, a symbolic link to a file inside the root, scanned under its own path).
 */
export type ListedFile = { text: string; bytes: number } | number | "binary" | FileResult | undefined;

/** Reads one listed file (`sync`: without the thread pool) and judges a symbolic link. Never throws. */
export async function readListedFile(root: string, target: ScanTarget, maxBytes: number, prefilter: Prefilter | undefined, sync: boolean): Promise<ListedFile> {
  const read = sync ? readTextSync(target, maxBytes, prefilter) : await readText(target, maxBytes, prefilter);
  if (read === "link") {
    const skipped = await linkTarget(root, target.path, target.absolutePath);
    return skipped ? { path: skipped.path, status: "unsupported", reason: skipped.reason } : undefined;
  }
  if (read === undefined || "text" in read) return read;
  if ("cleared" in read) return read.cleared;
  return read.reason === BINARY_REASON ? "binary" : read;
}

/**
 * A symbolic link is not read through (here rather than with the listing, which uses it too, so that a worker reading
 * files loads no more than it needs): a target inside the root is scanned under its own path (undefined: nothing to
 * report), one outside it is not the project's (and could be anything on the machine).
 */
export async function linkTarget(root: string, path: string, absolutePath: string): Promise<SkippedTarget | undefined> {
  try {
    const target = await realpath(absolutePath);
    if (target === root || target.startsWith(root + sep)) return undefined;
    return { path, reason: "symlink to a path outside the scanned root: not followed" };
  } catch (error) {
    return { path, reason: `dangling symlink (${describeError(error)})` };
  }
}

/**
 * Open flags: read only; fail (ELOOP) rather than follow a symbolic link; never wait on a named pipe (opening one for
 * reading blocks until a writer comes, and reading it then could too), while a regular file reads the same. Windows
 * has neither O_NOFOLLOW nor O_NONBLOCK.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * What reading one listed path gives: its text, or only its size when the prefilter cleared it (a shape of its own:
 * a text field that is first always empty, then a string, makes V8 throw away the scan's optimised code), the status
 * saying why it was not scanned, "link" for a symbolic link (judged by the caller), or undefined when there is nothing
 * to say (a tracked file deleted from the work tree).
 */
type ReadOutcome = { text: string; bytes: number } | { cleared: number } | FileResult | "link" | undefined;

/** Reads a file through the thread pool (for `concurrency` > 1). */
async function readText(target: ScanTarget, maxBytes: number, prefilter: Prefilter | undefined): Promise<ReadOutcome> {
  let handle;
  try {
    handle = await open(target.absolutePath, OPEN_FLAGS);
    const info = await handle.stat();
    const refused = refuse(target, info, maxBytes);
    if (refused) return refused;
    const buffer = Buffer.allocUnsafe(info.size);
    let filled = 0;
    while (filled < info.size) {
      const { bytesRead } = await handle.read(buffer, filled, info.size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return decode(target, filled === info.size ? buffer : buffer.subarray(0, filled), prefilter);
  } catch (error) {
    return readFailure(target, error);
  } finally {
    await handle?.close();
  }
}

/** The synchronous reader's buffer when there is no prefilter, grown to the largest file read (at most the size limit). */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * {@link readText} without the thread-pool round trips (see DEFAULT_CONCURRENCY). With a prefilter, the file is read
 * into its input area, where it is checked without a copy.
 *
 * A file is read until the end (a read giving nothing), into a buffer as large as the largest file read so far, so most
 * files take no `fstat`: building Node's Stats object (four Dates with it) cost more than the call. The size is asked
 * only when a file fills the buffer (over the limit: refused without reading on; else the buffer grows to fit it) or
 * reads as empty (an empty file, or something that is not a regular file).
 */
function readTextSync(target: ScanTarget, maxBytes: number, prefilter: Prefilter | undefined): ReadOutcome {
  let fd: number | undefined;
  try {
    fd = openSync(target.absolutePath, OPEN_FLAGS);
    // Never more than one byte over the limit: a file that reaches it is over.
    const limit = maxBytes + 1;
    let buffer = readBuffer(prefilter, 0, 0);
    let filled = 0;
    for (;;) {
      if (filled === Math.min(buffer.length, limit)) {
        const info = fstatSync(fd);
        const refused = refuse(target, info, maxBytes);
        if (refused) return refused;
        if (filled >= limit) return overLimit(target, filled, maxBytes); // It grew past the limit while being read.
        // Room for the rest and one byte more, so the read that finds the end has somewhere to look.
        buffer = readBuffer(prefilter, Math.min(limit, Math.max(info.size + 1, filled * 2)), filled);
      }
      const read = readSync(fd, buffer, filled, Math.min(buffer.length, limit) - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    if (filled === 0) {
      const refused = refuse(target, fstatSync(fd), maxBytes);
      if (refused) return refused;
    }
    return decode(target, buffer.subarray(0, filled), prefilter);
  } catch (error) {
    // A named pipe or a socket: reads at an offset fail (ESPIPE), or would wait for a writer (EAGAIN).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ESPIPE" || code === "EAGAIN") return { path: target.path, status: "unsupported", reason: NOT_REGULAR_REASON };
    return readFailure(target, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The buffer synchronous reads go into, with room for at least `size` bytes and the first `keep` bytes kept: the
 * prefilter's input area (all of it), or the scratch buffer.
 */
function readBuffer(prefilter: Prefilter | undefined, size: number, keep: number): Uint8Array {
  if (prefilter) return prefilter.area(Math.max(size, prefilter.room));
  if (scratch.length < size) {
    const grown = Buffer.allocUnsafe(size);
    scratch.copy(grown, 0, 0, keep);
    scratch = grown;
  }
  return scratch;
}

const NOT_REGULAR_REASON = "not a regular file: not scanned for secrets";

/** Why an opened path is not read: a directory (a submodule), not a regular file, or over the size limit. */
function refuse(target: ScanTarget, info: Stats, maxBytes: number): FileResult | undefined {
  if (info.isDirectory()) return { path: target.path, status: "unsupported", reason: "git submodule: scan it on its own" };
  if (!info.isFile()) return { path: target.path, status: "unsupported", reason: NOT_REGULAR_REASON };
  if (info.size > maxBytes) return overLimit(target, info.size, maxBytes);
  return undefined;
}

function overLimit(target: ScanTarget, size: number, maxBytes: number): FileResult {
  return { path: target.path, status: "unsupported", reason: `over the size limit (${formatBytes(size)} > ${formatBytes(maxBytes)}): not scanned for secrets` };
}

/** The text of a file's bytes (none when the prefilter clears them), or the `binary file` status. */
function decode(target: ScanTarget, content: Uint8Array, prefilter: Prefilter | undefined): ReadOutcome {
  const verdict = prefilter ? prefilter.verdict(content, BINARY_PROBE_BYTES) : isBinary(content) ? "binary" : "may-hold";
  if (verdict === "binary") return { path: target.path, status: "unsupported", reason: BINARY_REASON };
  if (verdict === "clear") return { cleared: content.length };
  return { text: Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("utf8"), bytes: content.length };
}

function readFailure(target: ScanTarget, error: unknown): ReadOutcome {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return undefined;
  if (code === "ELOOP") return "link";
  if (code === "EISDIR") return { path: target.path, status: "unsupported", reason: "git submodule: scan it on its own" };
  return { path: target.path, status: "failed", reason: `cannot read for the secret scan: ${describeError(error)}` };
}

/** True when a NUL byte appears in the first {@link BINARY_PROBE_BYTES} (how git and grep tell binary files). */
export function isBinary(buffer: Uint8Array): boolean {
  // TypedArray#indexOf is native (memchr-like), several times faster than a loop in JavaScript.
  return buffer.subarray(0, BINARY_PROBE_BYTES).indexOf(0) >= 0;
}

/** "5 MB", "812 KB", "93 bytes". */
export function formatBytes(size: number): string {
  if (size >= 1024 * 1024) return `${Math.round((size / (1024 * 1024)) * 10) / 10} MB`;
  if (size >= 1024) return `${Math.round(size / 1024)} KB`;
  return `${size} bytes`;
}

