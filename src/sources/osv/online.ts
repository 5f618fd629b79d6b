// OSV online: one `POST /v1/querybatch` per 1,000 locked (ecosystem, name, version) queries
// (https://google.github.io/osv.dev/post-v1-querybatch/), following `next_page_token` for queries with more results
// than one page, then `GET /v1/vulns/{id}` once per id named (https://google.github.io/osv.dev/get-v1-vulns/). The
// batch answers only ids; records come from the second call and are cached as `vulnerability` facts. The caller
// re-checks every record against the version with match.ts: the API applies ranges literally, including the stale
// open ranges of some malicious-package records.
import type { Ecosystem } from "../../graph/package-node.js";
import type { HttpClient } from "../http/types.js";
import { isObject, osvEcosystem, parseOsvRecord } from "./record.js";
import type { OsvRecord } from "./record.js";

/** The public OSV API. */
export const OSV_API = "https://api.osv.dev";

/** The API's limit on queries per batch. */
export const QUERYBATCH_SIZE = 1000;

/** Most pagination rounds followed (a package with more than ~10^4 advisories is not a real case). */
const MAX_PAGES = 10;

/** One locked package version to ask about. */
export interface PackageVersion {
  ecosystem: Ecosystem;
  /** As locked (OSV matches PyPI names after PEP 503 normalisation itself). */
  name: string;
  version: string;
}

/** What the API said. */
export interface OsvOnlineResult {
  /** Advisory ids per package version (key from {@link packageKey}). */
  hits: Map<string, string[]>;
  /** The records fetched, by id. */
  records: Map<string, OsvRecord>;
  /** One line per batch or record that could not be had. */
  errors: string[];
  /** True when an answer was missing because the client is offline or the API unreachable. */
  offline: boolean;
  /** Queries answered (from the network or the cache). */
  answered: number;
}

/** The key of a package version in results: ecosystem, name, version joined by NUL. */
export function packageKey(ecosystem: Ecosystem, name: string, version: string): string {
  return `${ecosystem}\u0000${name}\u0000${version}`;
}

/** One query of a batch body. */
interface Query {
  package: { name: string; ecosystem: string };
  version: string;
  page_token?: string;
}

/** The body of one querybatch call for these package versions (in the order given). */
export function querybatchBody(packages: readonly PackageVersion[], tokens?: ReadonlyArray<string | undefined>): { queries: Query[] } {
  return {
    queries: packages.map((p, i) => {
      const token = tokens?.[i];
      return { package: { name: p.name, ecosystem: osvEcosystem(p.ecosystem) }, version: p.version, ...(token !== undefined ? { page_token: token } : {}) };
    }),
  };
}

/** Unique package versions, sorted, so batches (and their cache keys) are stable from run to run. */
export function sortedUnique(packages: Iterable<PackageVersion>): PackageVersion[] {
  const byKey = new Map<string, PackageVersion>();
  for (const p of packages) if (p.name !== "" && p.version !== "") byKey.set(packageKey(p.ecosystem, p.name, p.version), { ecosystem: p.ecosystem, name: p.name, version: p.version });
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
}

/** Asks OSV about every package version and fetches the records it names. Never throws. */
export async function queryOsv(http: HttpClient, packages: Iterable<PackageVersion>, options: { baseUrl?: string } = {}): Promise<OsvOnlineResult> {
  const base = (options.baseUrl ?? OSV_API).replace(/\/+$/, "");
  const result: OsvOnlineResult = { hits: new Map(), records: new Map(), errors: [], offline: false, answered: 0 };
  let pending: Array<{ pkg: PackageVersion; token?: string }> = sortedUnique(packages).map((pkg) => ({ pkg }));
  for (let page = 0; page < MAX_PAGES && pending.length > 0; page++) {
    const batches: Array<typeof pending> = [];
    for (let i = 0; i < pending.length; i += QUERYBATCH_SIZE) batches.push(pending.slice(i, i + QUERYBATCH_SIZE));
    const next: typeof pending = [];
    await Promise.all(batches.map(async (batch) => {
      const body = querybatchBody(batch.map((b) => b.pkg), batch.map((b) => b.token));
      const answer = await http.postJson(`${base}/v1/querybatch`, body, { kind: "advisory" });
      if (!answer.ok) {
        if (answer.offline) result.offline = true;
        result.errors.push(`OSV querybatch (${batch.length} packages): ${answer.error}`);
        return;
      }
      let results: unknown;
      try {
        const data = answer.json();
        results = isObject(data) ? data.results : undefined;
      } catch {
        results = undefined;
      }
      if (!Array.isArray(results) || results.length !== batch.length) {
        result.errors.push(`OSV querybatch (${batch.length} packages): unexpected answer (expected ${batch.length} results)`);
        return;
      }
      results.forEach((entry, i) => {
        const query = batch[i];
        if (!query) return;
        if (query.token === undefined) result.answered++;
        const key = packageKey(query.pkg.ecosystem, query.pkg.name, query.pkg.version);
        const vulns = isObject(entry) && Array.isArray(entry.vulns) ? entry.vulns : [];
        const ids = vulns.map((v) => (isObject(v) && typeof v.id === "string" ? v.id : undefined)).filter((id): id is string => id !== undefined);
        if (ids.length > 0) {
          const list = result.hits.get(key) ?? [];
          for (const id of ids) if (!list.includes(id)) list.push(id);
          result.hits.set(key, list);
        }
        const token = isObject(entry) && typeof entry.next_page_token === "string" && entry.next_page_token !== "" ? entry.next_page_token : undefined;
        if (token !== undefined) next.push({ pkg: query.pkg, token });
      });
    }));
    pending = next;
  }
  if (pending.length > 0) result.errors.push(`OSV querybatch: ${pending.length} queries still had more pages after ${MAX_PAGES} rounds`);
  const ids = [...new Set([...result.hits.values()].flat())].sort();
  await Promise.all(ids.map(async (id) => {
    const answer = await http.get(`${base}/v1/vulns/${encodeURIComponent(id)}`, { kind: "vulnerability" });
    if (!answer.ok) {
      if (answer.offline) result.offline = true;
      result.errors.push(`OSV record ${id}: ${answer.error}`);
      return;
    }
    try {
      const record = parseOsvRecord(answer.json());
      if (record && (record.id === id || (record.aliases ?? []).includes(id))) result.records.set(id, record);
      else result.errors.push(`OSV record ${id}: not the OSV record asked for`);
    } catch {
      result.errors.push(`OSV record ${id}: invalid JSON`);
    }
  }));
  return result;
}
