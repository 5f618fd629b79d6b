// A second, much smaller cache beside the HTTP cache: each packument / PyPI project document trimmed to the fields
// the registry facts use, in the registry's own JSON shape. Full packuments of a 1,400-package lockfile weigh about
// 165 MB and take ~2 s just to JSON.parse on every warm scan; trimmed, they are a few MB. The HTTP cache still holds
// the full answers (and revalidates them); this store only saves re-parsing them while they are fresh.
import { createHash, randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { madeOnce } from "../http/cache.js";
import { join } from "node:path";

/** Where trimmed documents are kept, by URL. */
export interface FactsStore {
  /** The stored document for a URL and when it was stored (epoch ms), or undefined. */
  read(url: string): Promise<{ storedAt: number; text: string } | undefined>;
  write(url: string, text: string): Promise<void>;
}

/** Layout version of the stored files: bump when the trimmed shape changes. */
const VERSION = 1;

/**
 * A store in a folder (`<dir>/<first two hex>/<sha256(url)>.json`), written atomically (temp file, then rename).
 * Failures to read or write are silent: the store is an optimisation, the HTTP cache remains the source.
 */
export function fileFactsStore(dir: string): FactsStore {
  const pathOf = (url: string) => {
    const key = createHash("sha256").update(`${VERSION}\u0000${url}`).digest("hex");
    return { folder: join(dir, key.slice(0, 2)), file: join(dir, key.slice(0, 2), `${key}.json`) };
  };
  const made = new Map<string, Promise<unknown>>();
  return {
    async read(url) {
      try {
        const text = await readFile(pathOf(url).file, "utf8");
        const newline = text.indexOf("\n");
        const header = JSON.parse(text.slice(0, newline)) as { storedAt?: unknown; url?: unknown };
        if (typeof header.storedAt !== "number" || header.url !== url) return undefined;
        return { storedAt: header.storedAt, text: text.slice(newline + 1) };
      } catch {
        return undefined;
      }
    },
    async write(url, text) {
      const { folder, file } = pathOf(url);
      const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        await madeOnce(made, folder);
        await writeFile(temp, `${JSON.stringify({ storedAt: Date.now(), url })}\n${text}`);
        await rename(temp, file);
      } catch {
        await rm(temp, { force: true }).catch(() => undefined);
      }
    },
  };
}

/** A full packument trimmed to what ./npm.ts reads: versions' dist hashes, signatures, attestations, publisher, deprecation; time. */
export function trimPackument(doc: unknown): unknown {
  // Something that is not a packument stays as it is, so the parser still says so.
  if (!isObject(doc) || !isObject(doc.versions)) return doc;
  const versions: Record<string, unknown> = {};
  for (const [version, manifest] of Object.entries(isObject(doc.versions) ? doc.versions : {})) {
    if (!isObject(manifest)) continue;
    const dist = isObject(manifest.dist) ? manifest.dist : {};
    const keptDist: Record<string, unknown> = {};
    for (const key of ["integrity", "shasum", "signatures"]) if (dist[key] !== undefined) keptDist[key] = dist[key];
    if (isObject(dist.attestations)) {
      const provenance = dist.attestations.provenance;
      keptDist.attestations = { url: dist.attestations.url, ...(isObject(provenance) ? { provenance: { predicateType: provenance.predicateType } } : {}) };
    }
    const kept: Record<string, unknown> = { dist: keptDist };
    if (manifest.deprecated !== undefined) kept.deprecated = manifest.deprecated;
    const user = manifest._npmUser;
    if (isObject(user)) kept._npmUser = { name: user.name, ...(user.trustedPublisher !== undefined ? { trustedPublisher: user.trustedPublisher } : {}) };
    versions[version] = kept;
  }
  return { name: doc.name, versions, ...(doc.time !== undefined ? { time: doc.time } : {}) };
}

/** A PyPI project document trimmed to what ./pypi.ts reads: per release, each file's sha256, upload time and yank. */
export function trimPypiProject(doc: unknown): unknown {
  if (!isObject(doc) || !isObject(doc.releases)) return doc;
  const releases: Record<string, unknown> = {};
  for (const [version, files] of Object.entries(doc.releases)) {
    if (!Array.isArray(files)) continue;
    releases[version] = files.filter(isObject).map((file) => ({
      digests: { sha256: isObject(file.digests) ? file.digests.sha256 : undefined },
      upload_time_iso_8601: file.upload_time_iso_8601,
      yanked: file.yanked,
      yanked_reason: file.yanked_reason,
    }));
  }
  return { releases };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
