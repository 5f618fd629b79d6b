// npm packuments: the full document (`GET <registry>/<name>` with `Accept: application/json`; the abbreviated
// "corgi" document npm installs from lacks `time`, `_npmUser` and `deprecated` details) read into registry facts.
// Only the fields the rules use are kept. https://github.com/npm/registry/blob/main/docs/responses/package-metadata.md
import type { NpmSignature } from "./signatures.js";
import type { RegistryPackageFacts, RegistryVersionFacts } from "./types.js";

/** The media type of the full packument (with `time`, `_npmUser`, `deprecated`, `dist.signatures`/`attestations`). */
export const FULL_PACKUMENT = "application/json";

/** A packument read into facts, plus the raw signatures of every version (checked later, for locked versions only). */
export interface ParsedPackument {
  facts: RegistryPackageFacts;
  signatures: ReadonlyMap<string, readonly NpmSignature[]>;
}

/**
 * The packument URL of a package on a registry, escaped as npm escapes it (npm-package-arg's `escapedName`): a scoped
 * name keeps its `@` and encodes the slash (`@scope%2fname`); npm names are otherwise URL-safe.
 */
export function packumentUrl(registry: string, name: string): string {
  const base = registry.endsWith("/") ? registry : `${registry}/`;
  return `${base}${name.startsWith("@") ? name.replace("/", "%2f") : name}`;
}

/** The npm security-holder placeholder versions (`0.0.1-security`, sometimes `0.0.2-security`). */
export function isSecurityHolderVersion(version: string): boolean {
  return /^0\.0\.\d+-security(?:\.\d+)?$/.test(version);
}

/**
 * Reads a full packument. Undefined when the body is not a packument (no `versions` object and no `time`). A
 * packument with no versions is `gone` (npm keeps a stub with `time.unpublished` for unpublished packages).
 */
export function parsePackument(body: unknown, name: string, registry: string, signsAll: boolean): ParsedPackument | undefined {
  if (!isObject(body)) return undefined;
  const rawVersions = body.versions;
  const time = isObject(body.time) ? body.time : {};
  if (!isObject(rawVersions) && !isObject(body.time)) return undefined;
  const versions = new Map<string, RegistryVersionFacts>();
  const signatures = new Map<string, NpmSignature[]>();
  for (const [version, manifest] of Object.entries(isObject(rawVersions) ? rawVersions : {})) {
    if (!isObject(manifest)) continue;
    const facts: RegistryVersionFacts = { version };
    const published = isoTime(time[version]);
    if (published !== undefined) facts.published = published;
    if (typeof manifest.deprecated === "string" && manifest.deprecated !== "") facts.deprecated = manifest.deprecated;
    const dist = isObject(manifest.dist) ? manifest.dist : {};
    if (typeof dist.integrity === "string" && dist.integrity !== "") facts.integrity = dist.integrity.trim();
    if (typeof dist.shasum === "string" && dist.shasum !== "") facts.shasum = dist.shasum.trim().toLowerCase();
    const sigs = readSignatures(dist.signatures);
    if (sigs.length > 0) signatures.set(version, sigs);
    facts.provenance = hasProvenance(dist.attestations);
    const user = isObject(manifest._npmUser) ? manifest._npmUser : undefined;
    if (user && typeof user.name === "string" && user.name !== "") facts.publisher = user.name;
    if (user && user.trustedPublisher !== undefined && user.trustedPublisher !== null && user.trustedPublisher !== false) facts.trustedPublisher = true;
    versions.set(version, facts);
  }
  const facts: RegistryPackageFacts = {
    ecosystem: "npm",
    name,
    registry,
    state: versions.size > 0 ? "present" : "gone",
    versions,
    signsAll,
  };
  const holder = securityHolder(rawVersions, versions);
  if (holder !== undefined) facts.securityHolder = holder;
  const unpublished = isObject(time.unpublished) ? time.unpublished : undefined;
  if (unpublished) {
    const listed = Array.isArray(unpublished.versions) ? unpublished.versions.filter((v): v is string => typeof v === "string") : [];
    const when = isoTime(unpublished.time);
    facts.unpublished = when !== undefined ? { time: when, versions: listed } : { versions: listed };
  }
  return { facts, signatures };
}

/**
 * The placeholder version when npm replaced the package with its security holder: every served version is a
 * `0.0.N-security` release (its manifest says `"description": "security holding package"`, repository
 * `npm/security-holder`).
 */
function securityHolder(rawVersions: unknown, versions: ReadonlyMap<string, RegistryVersionFacts>): string | undefined {
  if (!isObject(rawVersions) || versions.size === 0) return undefined;
  let holder: string | undefined;
  for (const version of versions.keys()) {
    if (!isSecurityHolderVersion(version)) return undefined;
    holder = version;
  }
  return holder;
}

function readSignatures(value: unknown): NpmSignature[] {
  if (!Array.isArray(value)) return [];
  const out: NpmSignature[] = [];
  for (const entry of value) {
    if (!isObject(entry)) continue;
    if (typeof entry.keyid === "string" && typeof entry.sig === "string") out.push({ keyid: entry.keyid, sig: entry.sig });
  }
  return out;
}

/**
 * True when `dist.attestations` names a provenance statement: `{ url, provenance: { predicateType:
 * "https://slsa.dev/provenance/v1" } }` (https://docs.npmjs.com/generating-provenance-statements). A publish
 * attestation alone (every `npm publish` since 2023 gets one) is not provenance.
 */
function hasProvenance(value: unknown): boolean {
  if (!isObject(value)) return false;
  const provenance = value.provenance;
  return isObject(provenance) && typeof provenance.predicateType === "string" && provenance.predicateType.includes("slsa.dev/provenance");
}

/** An ISO 8601 string (UTC, `Z`) for a parseable time, else undefined. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  // npm writes `2024-02-27T16:27:13.411Z` already: keep it (tens of thousands per scan; re-formatting costs).
  if (value.length === 24 && value.charCodeAt(23) === 90 && value.charCodeAt(10) === 84) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
