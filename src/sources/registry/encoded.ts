// Registry facts in a compact, JSON-safe form: what the parse workers send back to the main thread and what the
// per-root facts snapshot (./snapshot.ts) keeps between runs. A large lockfile's packages have about 90,000 versions
// between them; the rules need every version's history (publish time, publisher, provenance, deprecation, yank) to
// judge the locked one against what came before, but hashes and signatures only of the locked versions. So the
// history is kept column by column for every version, and the rest only for the versions locked when the facts were
// read: about 4 MB for such a lockfile, where the registries' documents weigh 180 MB and trimmed copies 20 MB.
import type { Ecosystem } from "../../graph/package-node.js";
import { parsePackument } from "./npm.js";
import { parsePypiProject, pypiVersion } from "./pypi.js";
import type { NpmSignature } from "./signatures.js";
import type { RegistryPackageFacts, RegistryVersionFacts, SignatureStatus } from "./types.js";

/** Flag bits of {@link EncodedPackage.flags}. */
const PROVENANCE = 1;
const TRUSTED_PUBLISHER = 2;
const YANKED = 4;

/** What is kept of a locked version beyond its history. */
export interface LockedVersionFacts {
  integrity?: string;
  shasum?: string;
  fileSha256?: readonly string[];
  signature?: { status: SignatureStatus; keyid?: string };
}

/** One package's facts, compact. Columns are parallel: entry `i` of each describes `versions[i]`. */
export interface EncodedPackage {
  ecosystem: Ecosystem;
  state: "present" | "gone";
  securityHolder?: string;
  unpublished?: { time?: string; versions: readonly string[] };
  versions: string[];
  /** Publish time (ISO 8601), or 0 when the registry gives none. */
  published: Array<string | 0>;
  /** Index into {@link publishers}, or -1. */
  publisher: number[];
  publishers: string[];
  /** Bits: 1 provenance, 2 trusted publisher, 4 yanked. */
  flags: number[];
  /** Deprecation messages (npm) and yank reasons (PyPI), by version, for the few versions that have one. */
  deprecated?: Record<string, string>;
  yankReason?: Record<string, string>;
  /** The facts of the versions locked when this was read, by the locked spelling. */
  locked: Record<string, LockedVersionFacts>;
  /** A locked spelling the registry writes otherwise (PyPI `2.0` for `2.0.0`) → the registry's spelling. */
  aliases?: Record<string, string>;
  /** Versions locked when this was read that the registry did not serve. */
  unserved?: string[];
}

/** A freshly read document: its encoded facts and the raw signatures of its locked npm versions (checked, then dropped). */
export interface ReadDocument {
  encoded: EncodedPackage;
  signatures?: Record<string, readonly NpmSignature[]>;
}

/**
 * Reads a parsed registry document (npm packument or PyPI project) into encoded facts for the given locked versions;
 * undefined when it is not such a document. Pure: runs in the parse workers.
 */
export function readDocument(ecosystem: Ecosystem, doc: unknown, name: string, locked: readonly string[]): ReadDocument | undefined {
  if (ecosystem === "npm") {
    const parsed = parsePackument(doc, name, "", false);
    if (!parsed) return undefined;
    const signatures: Record<string, readonly NpmSignature[]> = {};
    for (const version of locked) {
      const sigs = parsed.signatures.get(version);
      if (sigs) signatures[version] = sigs;
    }
    return { encoded: encodePackage(parsed.facts, locked), signatures };
  }
  const facts = parsePypiProject(doc, name, "");
  if (!facts) return undefined;
  return { encoded: encodePackage(facts, locked) };
}

/** Encodes facts, keeping hashes and signatures for the `locked` versions only. */
export function encodePackage(facts: RegistryPackageFacts, locked: readonly string[]): EncodedPackage {
  const out: EncodedPackage = {
    ecosystem: facts.ecosystem, state: facts.state, versions: [], published: [], publisher: [], publishers: [], flags: [], locked: {},
  };
  if (facts.securityHolder !== undefined) out.securityHolder = facts.securityHolder;
  if (facts.unpublished) out.unpublished = facts.unpublished;
  const publisherIndex = new Map<string, number>();
  for (const [key, version] of facts.versions) {
    // Entries filed under another spelling (PyPI aliases) are written once, under the registry's own.
    if (key !== version.version) continue;
    out.versions.push(key);
    out.published.push(version.published ?? 0);
    let index = -1;
    if (version.publisher !== undefined) {
      index = publisherIndex.get(version.publisher) ?? out.publishers.length;
      if (index === out.publishers.length) {
        out.publishers.push(version.publisher);
        publisherIndex.set(version.publisher, index);
      }
    }
    out.publisher.push(index);
    out.flags.push((version.provenance ? PROVENANCE : 0) | (version.trustedPublisher ? TRUSTED_PUBLISHER : 0) | (version.yanked ? YANKED : 0));
    if (version.deprecated !== undefined) (out.deprecated ??= {})[key] = version.deprecated;
    if (version.yanked?.reason !== undefined) (out.yankReason ??= {})[key] = version.yanked.reason;
  }
  for (const spelling of locked) {
    const version = facts.ecosystem === "pypi" ? pypiVersion(facts, spelling) : facts.versions.get(spelling);
    if (!version) {
      (out.unserved ??= []).push(spelling);
      continue;
    }
    if (version.version !== spelling) (out.aliases ??= {})[spelling] = version.version;
    const kept: LockedVersionFacts = {};
    if (version.integrity !== undefined) kept.integrity = version.integrity;
    if (version.shasum !== undefined) kept.shasum = version.shasum;
    if (version.fileSha256 !== undefined) kept.fileSha256 = version.fileSha256;
    if (version.signature !== undefined) kept.signature = version.signature;
    out.locked[spelling] = kept;
  }
  return out;
}

/**
 * Whether the encoded facts can answer for these locked versions: each was locked when they were read, or the
 * registry did not serve it then (which is itself the fact the removed-release rule reports).
 */
export function coversVersions(encoded: EncodedPackage, locked: Iterable<string>): boolean {
  for (const version of locked) {
    if (own(encoded.locked, version) === undefined && !encoded.unserved?.includes(version)) return false;
  }
  return true;
}

/** Decodes facts: every version with its history, the locked ones with their hashes and signature outcome too. */
export function decodePackage(encoded: EncodedPackage, name: string, registry: string, signsAll: boolean): RegistryPackageFacts {
  const npm = encoded.ecosystem === "npm";
  const versions = new Map<string, RegistryVersionFacts>();
  for (let i = 0; i < encoded.versions.length; i++) {
    const key = encoded.versions[i] as string;
    const version: RegistryVersionFacts = { version: key };
    const published = encoded.published[i];
    if (published) version.published = published;
    const deprecated = own(encoded.deprecated, key);
    if (deprecated !== undefined) version.deprecated = deprecated;
    const flags = encoded.flags[i] ?? 0;
    if (flags & YANKED) {
      const reason = own(encoded.yankReason, key);
      version.yanked = reason !== undefined ? { reason } : {};
    }
    // npm documents say yes or no about provenance; PyPI's say nothing.
    if (npm) version.provenance = (flags & PROVENANCE) !== 0;
    const publisher = encoded.publishers[encoded.publisher[i] ?? -1];
    if (publisher !== undefined) version.publisher = publisher;
    if (flags & TRUSTED_PUBLISHER) version.trustedPublisher = true;
    const locked = own(encoded.locked, key);
    versions.set(key, locked ? { ...version, ...locked } : version);
  }
  for (const [spelling, key] of Object.entries(encoded.aliases ?? {})) {
    const version = versions.get(key);
    if (version) versions.set(spelling, { ...version, ...own(encoded.locked, spelling) });
  }
  const facts: RegistryPackageFacts = { ecosystem: encoded.ecosystem, name, registry, state: encoded.state, versions, signsAll };
  if (encoded.securityHolder !== undefined) facts.securityHolder = encoded.securityHolder;
  if (encoded.unpublished) facts.unpublished = encoded.unpublished;
  return facts;
}

/** A record's own entry (version strings come from lockfiles: `constructor` must not find Object's). */
function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A shallow check of an entry read back from disk (a damaged cache file must not crash the scan). */
export function isEncodedPackage(value: unknown): value is EncodedPackage {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<Record<keyof EncodedPackage, unknown>>;
  const arrays = [v.versions, v.published, v.publisher, v.flags, v.publishers];
  return (v.ecosystem === "npm" || v.ecosystem === "pypi") && (v.state === "present" || v.state === "gone")
    && arrays.every(Array.isArray) && typeof v.locked === "object" && v.locked !== null
    && (v.versions as unknown[]).every((x) => typeof x === "string");
}
