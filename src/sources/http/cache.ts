// The on-disk HTTP cache: one file per request key (SHA-256 of method, URL, accept header and body), written
// atomically (a temp file in the same folder, then rename) so a crash or a concurrent aiwarden run never leaves a
// half-written entry behind. Each file is a short header line of JSON (when it was stored, status, ETag, body size)
// followed by the raw body bytes. Entries are never deleted here: freshness is decided by the client per CacheKind,
// and an entry of any age may still serve an offline run.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CacheKind } from "./types.js";

/** First bytes of every cache file; a file without them (or of another layout version) is ignored. */
const MAGIC = "AIWC1\n";

/** One stored answer. */
export interface CacheEntry {
  /** Epoch milliseconds when the answer was fetched or last revalidated. */
  storedAt: number;
  status: number;
  kind: CacheKind;
  url: string;
  etag?: string;
  body: Buffer;
}

/** The metadata line of a cache file. */
interface CacheHeader {
  storedAt: number;
  status: number;
  kind: CacheKind;
  url: string;
  etag?: string;
  size: number;
}

/**
 * The cache folder: `AIWARDEN_CACHE_DIR`, else `$XDG_CACHE_HOME/aiwarden`, else `%LOCALAPPDATA%\aiwarden\cache` on
 * Windows, else `~/.cache/aiwarden` (https://specifications.freedesktop.org/basedir-spec/latest/).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const explicit = env.AIWARDEN_CACHE_DIR?.trim();
  if (explicit) return explicit;
  const xdg = env.XDG_CACHE_HOME?.trim();
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  if (xdg && xdg.startsWith("/")) return join(xdg, "aiwarden");
  if (platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "aiwarden", "cache");
  return join(env.HOME || homedir(), ".cache", "aiwarden");
}

/** The key of a request: hex SHA-256 over method, URL, accept header and body, NUL-separated. */
export function cacheKey(method: string, url: string, body = "", accept = ""): string {
  return createHash("sha256").update(`${method.toUpperCase()}\u0000${url}\u0000${accept}\u0000${body}`).digest("hex");
}

/** A folder of cache files (`<dir>/http/<first two hex digits>/<key>`). */
export class DiskCache {
  /** Set after the first failed write, so a read-only cache folder costs one notice, not one per request. */
  writeError: string | undefined;
  /** Folders made this run: one mkdir per folder, not one per write (1,300 writes on a large lockfile). */
  private readonly made = new Map<string, Promise<unknown>>();

  constructor(readonly dir: string) {}

  /** Path of the file for a key. */
  pathOf(key: string): string {
    return join(this.dir, "http", key.slice(0, 2), key);
  }

  /** The stored answer for a key, or undefined when there is none or the file is damaged. */
  async read(key: string): Promise<CacheEntry | undefined> {
    let data: Buffer;
    try {
      data = await readFile(this.pathOf(key));
    } catch {
      return undefined;
    }
    return decodeEntry(data);
  }

  /** Stores an answer; returns false (and remembers why) when the folder is not writable. Never throws. */
  async write(key: string, entry: CacheEntry): Promise<boolean> {
    const path = this.pathOf(key);
    const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await madeOnce(this.made, join(this.dir, "http", key.slice(0, 2)));
      await writeFile(temp, encodeEntry(entry), { mode: 0o600 });
      await rename(temp, path);
      return true;
    } catch (error) {
      this.writeError ??= `${(error as NodeJS.ErrnoException).code ?? "error"} writing ${this.dir}`;
      await rm(temp, { force: true }).catch(() => undefined);
      return false;
    }
  }
}

/** Creates a folder once per run (concurrent callers share the first attempt; a failed one is retried next time). */
export function madeOnce(made: Map<string, Promise<unknown>>, folder: string): Promise<unknown> {
  let pending = made.get(folder);
  if (!pending) {
    pending = mkdir(folder, { recursive: true });
    made.set(folder, pending);
    pending.catch(() => made.delete(folder));
  }
  return pending;
}

/** Serialises an entry: magic, one JSON header line, the body bytes. */
export function encodeEntry(entry: CacheEntry): Buffer {
  const header: CacheHeader = {
    storedAt: entry.storedAt,
    status: entry.status,
    kind: entry.kind,
    url: entry.url,
    ...(entry.etag !== undefined ? { etag: entry.etag } : {}),
    size: entry.body.length,
  };
  return Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`, "utf8"), entry.body]);
}

/** Parses a cache file; undefined when it is not one, or truncated (its body shorter than the header says). */
export function decodeEntry(data: Buffer): CacheEntry | undefined {
  if (data.length < MAGIC.length || data.toString("utf8", 0, MAGIC.length) !== MAGIC) return undefined;
  const newline = data.indexOf(0x0a, MAGIC.length);
  if (newline < 0) return undefined;
  let header: CacheHeader;
  try {
    header = JSON.parse(data.toString("utf8", MAGIC.length, newline)) as CacheHeader;
  } catch {
    return undefined;
  }
  if (typeof header.storedAt !== "number" || typeof header.status !== "number" || typeof header.size !== "number") return undefined;
  const body = data.subarray(newline + 1);
  if (body.length !== header.size) return undefined;
  return {
    storedAt: header.storedAt,
    status: header.status,
    kind: header.kind,
    url: header.url,
    ...(typeof header.etag === "string" ? { etag: header.etag } : {}),
    body,
  };
}
