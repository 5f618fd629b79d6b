// The registry facts of one scan root, kept between runs in a single file beside the HTTP cache. A warm scan of a
// 1,300-name lockfile then reads one 4 MB file instead of parsing 180 MB of packuments (or opening 1,300 trimmed
// copies, which cost more than the rest of the scan: creating and opening small files is slow on common file
// systems). Each package's entry carries the time it was read, so freshness is judged per package (./facts.ts); a
// package the lockfile no longer holds is dropped at the next write, so the file follows the project.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isEncodedPackage } from "./encoded.js";
import type { EncodedPackage } from "./encoded.js";

/** One package's facts and when they were read (epoch ms). */
export interface SnapshotEntry {
  storedAt: number;
  facts: EncodedPackage;
}

/** Entries by document URL. */
export type Snapshot = Map<string, SnapshotEntry>;

/** Where a root's registry facts are kept. */
export interface SnapshotStore {
  /** The stored entries; empty when there are none or the file cannot be read (the store is only an optimisation). */
  read(): Promise<Snapshot>;
  /** Replaces the stored entries; failures are silent. */
  write(snapshot: Snapshot): Promise<void>;
}

/** Layout version of the files: bump when {@link EncodedPackage} changes shape. */
const VERSION = 1;

/**
 * A store in `<dir>/<sha256 of the key>.json` (the key names the scan root: its absolute path), written atomically
 * (temporary file, then rename) so concurrent scans of one root never read half a file.
 */
export function fileSnapshotStore(dir: string, key: string): SnapshotStore {
  const file = join(dir, `${createHash("sha256").update(`${VERSION}\u0000${key}`).digest("hex")}.json`);
  return {
    async read() {
      try {
        const doc = JSON.parse(await readFile(file, "utf8")) as { version?: unknown; key?: unknown; packages?: unknown };
        if (doc.version !== VERSION || doc.key !== key || typeof doc.packages !== "object" || doc.packages === null) return new Map();
        const out: Snapshot = new Map();
        for (const [url, entry] of Object.entries(doc.packages as Record<string, Partial<SnapshotEntry>>)) {
          if (typeof entry?.storedAt === "number" && isEncodedPackage(entry.facts)) out.set(url, { storedAt: entry.storedAt, facts: entry.facts });
        }
        return out;
      } catch {
        return new Map();
      }
    },
    async write(snapshot) {
      const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(temp, JSON.stringify({ version: VERSION, key, packages: Object.fromEntries(snapshot) }));
        await rename(temp, file);
      } catch {
        await rm(temp, { force: true }).catch(() => undefined);
      }
    },
  };
}
