import { open } from "node:fs/promises";
import { describeError } from "../discover/fs-errors.js";

/** Default largest file aiwarden reads; real lockfiles of big monorepos reach tens of megabytes. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** A file's text, or the one-line reason it could not be used. */
export type ReadOutcome = { text: string } | { error: string };

/** Bytes inspected for NUL to decide a file is binary (as git and grep do). */
const BINARY_SNIFF_BYTES = 8000;

/**
 * Reads a dependency file as UTF-8 text. Refuses files over the size limit (before reading them) and binary files,
 * each with a one-line reason; strips a byte-order mark.
 */
export async function readSourceText(absolutePath: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<ReadOutcome> {
  let handle;
  try {
    handle = await open(absolutePath, "r");
  } catch (error) {
    return { error: describeError(error) };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { error: "not a regular file" };
    if (info.size > maxBytes) {
      return { error: `file is ${formatBytes(info.size)}, over the ${formatBytes(maxBytes)} limit (raise it with --max-file-size)` };
    }
    const buffer = await handle.readFile();
    if (buffer.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { error: "binary file (contains NUL bytes), not a text dependency file" };
    const text = buffer.toString("utf8");
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (error) {
    return { error: describeError(error) };
  } finally {
    await handle.close();
  }
}

/** Human-readable size: "1.5 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
