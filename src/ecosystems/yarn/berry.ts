// Yarn berry (v2+) lockfiles: YAML with a `__metadata` entry (`version`, `cacheKey`) and one entry per resolved
// package, keyed by the descriptors that resolved to it. Fields: `version`, `resolution` (the locator), `dependencies`
// (ranges, `npm:`-prefixed since metadata 8), `peerDependencies`, `dependenciesMeta` (`optional: true` marks an
// optional dependency), `bin`, `checksum`, `languageName`, `linkType` (soft for workspaces, portals and links).
// Source of truth for how yarn reads it: Project.setupResolutions in yarnpkg/berry packages/yarnpkg-core.
import { isObject } from "../npm/package-json.js";
import { classifyReference, splitDescriptor } from "./descriptor.js";
import type { EntryDependency, LockEntry, ParsedLock } from "./lock-entries.js";
import { descriptorLines, splitKey } from "./lock-entries.js";
import { parseSyml } from "./syml.js";
import type { Hash } from "../../graph/package-node.js";

/** `__metadata.version` values written by yarn 2 (4), yarn 3 (6) and yarn 4 (8, 10), and those in between. */
export const KNOWN_BERRY_VERSIONS: ReadonlySet<number> = new Set([4, 5, 6, 7, 8, 9, 10]);

/** The version berry writes for packages whose manifest it does not lock (workspaces, `portal:`, `link:`). */
const LOCAL_VERSION = "0.0.0-use.local";

/** The outcome of reading the berry metadata before the entries. */
export type BerryHeader = { ok: true; version: number; cacheKey?: string } | { ok: false; status: "failed" | "unsupported"; reason: string };

/** Parses berry YAML; throws a one-line Error on invalid YAML. */
export function parseBerryData(text: string): Record<string, unknown> {
  try {
    return parseSyml(text) as Record<string, unknown>;
  } catch (error) {
    const message = ((error as Error).message ?? String(error)).split("\n")[0] as string;
    throw new Error(`invalid yarn.lock (berry YAML): ${message}`);
  }
}

/** Reads and checks `__metadata`. */
export function berryHeader(data: Record<string, unknown>): BerryHeader {
  const metadata = data.__metadata;
  if (!isObject(metadata)) return { ok: false, status: "failed", reason: "yarn.lock has no __metadata entry" };
  const raw = String(metadata.version ?? "");
  const version = /^[0-9]{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(version)) return { ok: false, status: "failed", reason: `yarn.lock __metadata.version is not a number: "${raw.slice(0, 40)}"` };
  if (!KNOWN_BERRY_VERSIONS.has(version)) {
    return { ok: false, status: "unsupported", reason: `yarn.lock __metadata.version ${version} is not supported (known: 4–10)` };
  }
  const cacheKey = metadata.cacheKey;
  return { ok: true, version, ...(typeof cacheKey === "string" || typeof cacheKey === "number" ? { cacheKey: String(cacheKey) } : {}) };
}

/** Turns the parsed berry data into entries. */
export function parseBerry(text: string, data: Record<string, unknown>, header: { cacheKey?: string }): ParsedLock {
  const lines = descriptorLines(text);
  const entries: LockEntry[] = [];
  const skipped: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (key === "__metadata") continue;
    const descriptors = splitKey(key);
    const first = descriptors[0] ?? key;
    if (!isObject(value)) {
      skipped.push(`${first}: not an entry`);
      continue;
    }
    const entry = berryEntry(value, descriptors, lines, header.cacheKey);
    if (typeof entry === "string") skipped.push(entry);
    else entries.push(entry);
  }
  return { flavour: "berry", entries, skipped, ...(header.cacheKey !== undefined ? { cacheKey: header.cacheKey } : {}) };
}

function berryEntry(value: Record<string, unknown>, descriptors: string[], lines: Map<string, number>, cacheKey: string | undefined): LockEntry | string {
  const first = descriptors[0] as string;
  const resolution = value.resolution;
  if (typeof resolution !== "string") return `${first}: no resolution`;
  const locator = splitDescriptor(resolution);
  if (!locator) return `${first}: resolution "${resolution.slice(0, 80)}" is not a locator`;
  const version = value.version;
  if (typeof version !== "string" || version === "") return `${first}: no version`;
  const info = classifyReference(locator.range);
  const hashes: Hash[] = [];
  if (typeof value.checksum === "string" && value.checksum !== "") hashes.push(checksumHash(value.checksum, cacheKey));
  const line = lines.get(first);
  return {
    descriptors,
    name: locator.name,
    // Workspaces, portals and links carry the placeholder `0.0.0-use.local`: their version is not recorded.
    version: version === LOCAL_VERSION ? "" : version,
    source: info.source,
    ...(info.resolved !== undefined ? { resolved: info.resolved } : {}),
    hashes,
    ...(line !== undefined ? { line } : {}),
    dependencies: berryDependencies(value.dependencies, value.dependenciesMeta),
    ...(info.workspacePath !== undefined ? { workspacePath: info.workspacePath } : {}),
    locator: resolution,
  };
}

/**
 * Berry checksums are the sha512 (hex) of the package *as yarn stores it in its cache* (a zip), not of the registry
 * tarball, so they can never be compared with an SRI `integrity`. Yarn itself prefixes a bare checksum with the
 * cache key (`<cacheKey>/<hex>`, as yarn 4 writes it: `10c0/<hex>`); the value keeps that prefix so it stays
 * recognisable as a yarn cache checksum.
 */
export function checksumHash(checksum: string, cacheKey: string | undefined): Hash {
  const value = checksum.includes("/") || cacheKey === undefined ? checksum : `${cacheKey}/${checksum}`;
  return { algorithm: "sha512", value };
}

/** Dependencies of an entry; `dependenciesMeta.<name>.optional: true` marks the optional ones. */
export function berryDependencies(section: unknown, meta: unknown): EntryDependency[] {
  if (!isObject(section)) return [];
  const optional = new Set<string>();
  if (isObject(meta)) {
    for (const [key, flags] of Object.entries(meta)) {
      // Keys are a name or a `name@version` selector.
      const name = splitDescriptor(key)?.name ?? key;
      if (isObject(flags) && String(flags.optional) === "true") optional.add(name);
    }
  }
  const out: EntryDependency[] = [];
  for (const [name, range] of Object.entries(section)) {
    if (typeof range === "string") out.push({ name, range, kind: optional.has(name) ? "optional" : "prod" });
  }
  return out;
}
