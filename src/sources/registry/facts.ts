// Gathers registry facts for every locked package of a scan: one full packument per npm package (plus the registry's
// signing keys, once per registry) and one JSON API document per PyPI project, through the shared HTTP client (which
// caches, bounds concurrency, retries and knows when it is offline). Everything the rules need is computed here,
// including the signature checks, so the rules stay pure. Never throws: problems become notices, and a package
// whose facts could not be had is simply absent (its rules stay silent).
import type { DependencyGraph } from "../../graph/dependency-graph.js";
import type { Ecosystem, Hash } from "../../graph/package-node.js";
import { CACHE_TTL_MS } from "../http/client.js";
import { NOT_REACHED } from "../http/types.js";
import type { HttpClient, HttpResult, SourceNotice } from "../http/types.js";
import { hasCredentials, npmRegistryFor, sameRegistry } from "./config.js";
import type { RegistryConfig } from "./config.js";
import { coversVersions, decodePackage } from "./encoded.js";
import type { EncodedPackage, ReadDocument } from "./encoded.js";
import { FULL_PACKUMENT, packumentUrl } from "./npm.js";
import { createParsePool } from "./parse-pool.js";
import type { ParsePool } from "./parse-pool.js";
import { pypiProjectUrl } from "./pypi.js";
import { checkSignatures, KeyRing, parseRegistryKeys, sha1Integrity } from "./signatures.js";
import type { Snapshot, SnapshotEntry, SnapshotStore } from "./snapshot.js";
import { registryKey } from "./types.js";
import type { RegistryFacts, RegistryPackageFacts } from "./types.js";

/** The notices' source name. */
const SOURCE = "registry";

/** Documents parsed at once at most: the HTTP client bounds requests; this bounds bodies held in memory. */
const DEFAULT_CONCURRENCY = 48;

/** One locked package, as the enrich stage hands it over (a graph node has all of these). */
export interface LockedPackage {
  ecosystem: Ecosystem;
  /** Normalised for the ecosystem (PEP 503 for PyPI). */
  name: string;
  version: string;
  /** The lockfile's resolved URL (npm tarball, uv index URL): a package resolved from another host is not asked about. */
  resolved?: string;
  /** The lockfile's hashes (not needed to fetch; accepted so callers can pass graph nodes as they are). */
  hashes?: readonly Hash[];
}

/**
 * The packages of the given graphs that registry facts are about: locked registry packages (a version, a registry
 * source), without workspace members and npm bundled dependencies. Duplicates across graphs are fine.
 */
export function lockedPackagesOf(graphs: Iterable<DependencyGraph>): LockedPackage[] {
  const out: LockedPackage[] = [];
  for (const graph of graphs) {
    for (const node of graph.packages()) {
      if (node.source !== "registry" || node.workspace || node.bundled || node.version === "") continue;
      out.push({ ecosystem: graph.ecosystem, name: node.name, version: node.version, ...(node.resolved !== undefined ? { resolved: node.resolved } : {}), hashes: node.hashes });
    }
  }
  return out;
}

/** How to reach the registries. */
export interface RegistryFactsOptions {
  http: HttpClient;
  registries: RegistryConfig;
  /** The scan's "now" (release ages are measured from it); defaults to the current time. */
  now?: Date;
  /** Most documents in flight at once (default 48; the HTTP client applies its own request limit too). */
  concurrency?: number;
  /**
   * The facts of the scan root kept between runs (see ./snapshot.ts): while fresh (the packument cache lifetime, any
   * age when the client is offline) and covering the locked versions, they are used instead of asking the HTTP
   * client, which saves parsing full packuments; the full documents then stay out of the HTTP cache.
   */
  snapshot?: SnapshotStore;
}

/** What {@link loadRegistryFacts} returns. */
export interface RegistryFactsResult {
  facts: RegistryFacts;
  notices: SourceNotice[];
  /** Counts for the scan summary and benchmarks. */
  stats: { packages: number; fetched: number; fromCache: number; fromStore: number; skipped: number; failed: number };
}

/** One package to ask about: where, and which versions are locked. */
interface Wanted {
  ecosystem: Ecosystem;
  name: string;
  url: string;
  registry: string;
  versions: Set<string>;
}

/**
 * Loads the registry facts of the given packages (any order, duplicates allowed). npm packages are asked at the
 * registry npm would use for them (scope registries included); PyPI projects at the JSON API of the configured index
 * when it serves one. A package whose lockfile says it came from another host is skipped rather than reported
 * missing from a registry that never had it.
 */
export async function loadRegistryFacts(packages: Iterable<LockedPackage>, options: RegistryFactsOptions): Promise<RegistryFactsResult> {
  const notices = new Notices();
  const { wanted, skipped } = plan(packages, options.registries, notices);
  // Signing keys once per npm registry in use, before any packument: every signature check needs them.
  const npmRegistries = new Set([...wanted.values()].filter((w) => w.ecosystem === "npm").map((w) => w.registry));
  const rings = new Map<string, KeyRing | undefined>();
  const [stored] = await Promise.all([
    options.snapshot?.read(),
    ...[...npmRegistries].map(async (registry) => {
      rings.set(registry, await loadKeys(options.http, registry, notices));
    }),
  ]);

  const out = new Map<string, RegistryPackageFacts>();
  const kept: Snapshot = new Map();
  const stats = { packages: wanted.size, fetched: 0, fromCache: 0, fromStore: 0, skipped, failed: 0 };
  const failures: string[] = [];
  const refused = new Set<string>();
  const sinks: Sinks = { notices, failures, refused };
  const use = (w: Wanted, entry: SnapshotEntry) => {
    kept.set(w.url, entry);
    out.set(registryKey(w.ecosystem, w.name), decodePackage(entry.facts, w.name, w.registry, signsAll(rings.get(w.registry))));
  };
  // First what the snapshot holds (a warm run ends here), then the rest from the registries.
  const missing: Wanted[] = [];
  for (const w of wanted.values()) {
    const entry = stored?.get(w.url);
    if (entry && isFresh(entry, w, options.http.online) && coversVersions(entry.facts, w.versions)) {
      stats.fromStore++;
      use(w, entry);
    } else {
      missing.push(w);
    }
  }
  // Parsing the full documents is most of a cold run's work: it happens in worker threads when there are many.
  // Made at the first document actually received: an offline run with nothing cached starts no worker.
  let parser: ParsePool | undefined;
  try {
    await pool(missing, options.concurrency ?? DEFAULT_CONCURRENCY, async (w) => {
      const ring = rings.get(w.registry);
      const cacheBody = options.snapshot === undefined;
      const result = await options.http.get(w.url, w.ecosystem === "npm" ? { kind: "packument", accept: FULL_PACKUMENT, cacheBody } : { kind: "pypi-project", cacheBody });
      if (result.ok) {
        stats.fetched++;
        if (result.fromCache) stats.fromCache++;
        let read: ReadDocument;
        try {
          parser ??= createParsePool(missing.length);
          read = await parser.read(w.ecosystem, result.body, w.name, [...w.versions]);
        } catch (error) {
          failures.push(`${w.name}: ${(error as Error).message}`);
          return;
        }
        if (w.ecosystem === "npm") checkLockedSignatures(w.name, read, ring);
        use(w, { storedAt: Date.now(), facts: read.encoded });
        return;
      }
      // Offline with an entry that no longer covers every locked version: the history it holds still stands (the
      // versions locked since have no hashes to compare, so their hash and signature rules stay silent).
      const entry = stored?.get(w.url);
      if (entry && result.offline) {
        stats.fromStore++;
        use(w, entry);
        return;
      }
      const gone = fromFailure(w, result, options.registries, sinks);
      if (gone) use(w, { storedAt: Date.now(), facts: gone });
      else stats.failed++;
    });
  } finally {
    await parser?.close();
  }
  if (options.snapshot && (missing.length > 0 || kept.size !== stored?.size)) await options.snapshot.write(kept);
  if (failures.length > 0) {
    notices.add(`registry facts for ${failures.length} package${failures.length === 1 ? "" : "s"} could not be read (${failures.slice(0, 3).join("; ")}${failures.length > 3 ? "; …" : ""}); their registry rules were skipped`);
  }
  for (const registry of [...refused].sort()) {
    notices.add(`${registry} refused anonymous reads; aiwarden sends no credentials, so packages from it were not checked against the registry`);
  }
  return { facts: { packages: out, checkedAt: (options.now ?? new Date()).toISOString() }, notices: notices.list, stats };
}

/** Whether a stored entry is recent enough: within the packument cache lifetime, or any age offline. */
function isFresh(entry: SnapshotEntry, w: Wanted, online: boolean): boolean {
  const ttl = CACHE_TTL_MS[w.ecosystem === "npm" ? "packument" : "pypi-project"];
  const age = Date.now() - entry.storedAt;
  return !online || (age >= -60_000 && age < ttl);
}

/** A registry with signing keys signs every version it serves. */
function signsAll(ring: KeyRing | undefined): boolean {
  return Boolean(ring && ring.keys.length > 0);
}

/** Groups the locked packages by registry document, skipping those that come from somewhere else. */
function plan(packages: Iterable<LockedPackage>, registries: RegistryConfig, notices: Notices): { wanted: Map<string, Wanted>; skipped: number } {
  const wanted = new Map<string, Wanted>();
  let skipped = 0;
  let noPypiApi = 0;
  const otherHosts = new Set<string>();
  for (const pkg of packages) {
    if (pkg.name === "" || pkg.version === "") continue;
    let registry: string;
    let url: string;
    if (pkg.ecosystem === "npm") {
      registry = npmRegistryFor(registries.npm, pkg.name);
      url = packumentUrl(registry, pkg.name);
    } else {
      if (registries.pypi.jsonApi === undefined) {
        noPypiApi++;
        continue;
      }
      registry = registries.pypi.jsonApi;
      url = pypiProjectUrl(registry, pkg.name);
    }
    const host = httpHost(pkg.resolved);
    if (host !== undefined && !sameRegistry(pkg.ecosystem, host, registry)) {
      skipped++;
      otherHosts.add(host);
      continue;
    }
    const key = registryKey(pkg.ecosystem, pkg.name);
    const entry = wanted.get(key) ?? { ecosystem: pkg.ecosystem, name: pkg.name, url, registry, versions: new Set<string>() };
    entry.versions.add(pkg.version);
    wanted.set(key, entry);
  }
  if (noPypiApi > 0) {
    notices.add(`the Python index ${registries.pypi.index} serves no PyPI JSON API; registry rules skipped ${noPypiApi} Python package${noPypiApi === 1 ? "" : "s"}`);
  }
  if (otherHosts.size > 0) {
    const hosts = [...otherHosts].sort();
    notices.add(`${skipped} locked package${skipped === 1 ? " was" : "s were"} resolved from ${hosts.slice(0, 3).join(", ")}${hosts.length > 3 ? " and others" : ""}, not from the configured registry; registry rules skipped them (configure that registry in .npmrc / PIP_INDEX_URL to check them)`);
  }
  return { wanted, skipped: skipped + noPypiApi };
}

/** The signing keys of an npm registry: a ring (possibly empty: the registry signs nothing) or undefined (unknown). */
async function loadKeys(http: HttpClient, registry: string, notices: Notices): Promise<KeyRing | undefined> {
  const url = `${registry.endsWith("/") ? registry : `${registry}/`}-/npm/v1/keys`;
  const result = await http.get(url, { kind: "registry-keys", accept: "application/json" });
  if (result.ok) {
    let body: unknown;
    try {
      body = result.json();
    } catch {
      body = undefined;
    }
    const keys = parseRegistryKeys(body);
    if (keys) return new KeyRing(keys);
    notices.add(`${url} did not answer with signing keys; registry signatures were not checked`);
    return undefined;
  }
  // npm answers 404 (pacote also accepts 400) when a registry publishes no keys: it signs nothing.
  if (result.status === 404 || result.status === 400) return new KeyRing([]);
  if (!result.offline) notices.add(`could not read ${url} (${result.error}); registry signatures were not checked`);
  return undefined;
}

interface Sinks {
  notices: Notices;
  failures: string[];
  refused: Set<string>;
}

/** Facts from a failed request (a 404 is a fact: the package is gone), or nothing with the reason recorded. */
function fromFailure(w: Wanted, result: Extract<HttpResult, { ok: false }>, registries: RegistryConfig, sinks: Sinks): EncodedPackage | undefined {
  if (result.offline) {
    const host = hostOf(w.registry);
    sinks.notices.add(`registry facts from ${host} are unavailable (${NOT_REACHED}); release-age, removed-release, hash, signature, provenance and publisher checks were skipped for its packages`, host);
    return undefined;
  }
  if (result.status === 401 || result.status === 403) {
    sinks.refused.add(w.registry);
    return undefined;
  }
  if (result.status === 404 || result.status === 410) {
    // A private registry answers 404 to anonymous reads of private packages: not evidence of removal.
    if (w.ecosystem === "npm" && hasCredentials(registries.npm, w.registry)) {
      sinks.refused.add(w.registry);
      return undefined;
    }
    return { ecosystem: w.ecosystem, state: "gone", versions: [], published: [], publisher: [], publishers: [], flags: [], locked: {}, unserved: [...w.versions] };
  }
  sinks.failures.push(`${w.name}: ${result.error}`);
  return undefined;
}

/**
 * Checks the registry signatures of a document's locked npm versions against the registry's keys (the `npm audit
 * signatures` algorithm) and records the outcome with their hashes; the raw signatures are not kept.
 */
function checkLockedSignatures(name: string, read: ReadDocument, ring: KeyRing | undefined): void {
  const published = new Map<string, string>();
  const { encoded } = read;
  for (const [version, facts] of Object.entries(encoded.locked)) {
    const integrity = facts.integrity ?? (facts.shasum ? sha1Integrity(facts.shasum) : undefined);
    if (integrity === undefined) continue;
    if (published.size === 0) encoded.versions.forEach((v, i) => published.set(v, encoded.published[i] || ""));
    const at = published.get(version);
    facts.signature = checkSignatures({ name, version, integrity, ...(at ? { published: at } : {}), signatures: read.signatures?.[version] ?? [] }, ring);
  }
}

/** The host of an http(s) URL, lower-case; undefined for anything else (paths, git, registry specs). */
function httpHost(url: string | undefined): string | undefined {
  if (url === undefined || !/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  });
  await Promise.all(workers);
}

/** Notices, each said once. */
class Notices {
  private readonly seen = new Set<string>();
  readonly list: SourceNotice[] = [];

  /** Adds a notice; `host` when it is about not reaching that host. */
  add(message: string, host?: string): void {
    if (this.seen.has(message)) return;
    this.seen.add(message);
    this.list.push({ source: SOURCE, message, ...(host !== undefined ? { host } : {}) });
  }
}
