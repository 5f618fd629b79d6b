// npm registry advisories: the bulk endpoint `npm audit` uses (POST `<registry>/-/npm/v1/security/advisories/bulk`
// with `{ "<name>": ["<version>", …] }`). The answer maps each name to the advisories that concern any of the
// versions sent: `id` (npm's number), `url` (the GitHub advisory page, whose last segment is the GHSA id, the same id
// OSV uses), `title`, `severity` (critical / high / moderate / low / info), `vulnerable_versions` (a semver range),
// `cwe` and `cvss`. Each advisory is re-tested per version here, as npm does, since one request carries every version
// of a name. Names are sent sorted, 1,000 per request, so the requests (and their cache keys) are stable.
import semver from "semver";
import type { HttpClient } from "./http/types.js";
import { isObject, stringList } from "./osv/record.js";

/** The public npm registry. */
export const NPM_REGISTRY = "https://registry.npmjs.org";

/** The endpoint path under a registry. */
export const BULK_ADVISORY_PATH = "/-/npm/v1/security/advisories/bulk";

/** Package names per request. */
export const BULK_NAMES_PER_REQUEST = 1000;

/** One advisory as the bulk endpoint returns it. */
export interface NpmBulkAdvisory {
  id: number | string;
  url?: string;
  title?: string;
  severity?: string;
  vulnerable_versions: string;
  cwe?: string[];
  cvss?: { score?: number; vectorString?: string | null };
  /** Present in some registry answers (the audit report format); else read from `url`. */
  github_advisory_id?: string;
}

/** What the endpoint said, by package name. */
export interface NpmAdvisoryResult {
  byName: Map<string, NpmBulkAdvisory[]>;
  errors: string[];
  /** True when an answer was missing because the client is offline or the registry unreachable. */
  offline: boolean;
  /** Names whose request was answered. */
  answered: number;
}

/** The request bodies for these package versions: sorted names, sorted unique versions, chunked. */
export function bulkBodies(packages: Iterable<{ name: string; version: string }>): Array<Record<string, string[]>> {
  const byName = new Map<string, Set<string>>();
  for (const { name, version } of packages) {
    if (name === "" || version === "") continue;
    let set = byName.get(name);
    if (!set) byName.set(name, (set = new Set()));
    set.add(version);
  }
  const names = [...byName.keys()].sort();
  const bodies: Array<Record<string, string[]>> = [];
  for (let i = 0; i < names.length; i += BULK_NAMES_PER_REQUEST) {
    const body: Record<string, string[]> = {};
    for (const name of names.slice(i, i + BULK_NAMES_PER_REQUEST)) body[name] = [...(byName.get(name) ?? [])].sort();
    bodies.push(body);
  }
  return bodies;
}

/** Asks the registry about every npm package version. Never throws. */
export async function fetchNpmAdvisories(http: HttpClient, packages: Iterable<{ name: string; version: string }>, options: { registry?: string } = {}): Promise<NpmAdvisoryResult> {
  const url = `${(options.registry ?? NPM_REGISTRY).replace(/\/+$/, "")}${BULK_ADVISORY_PATH}`;
  const result: NpmAdvisoryResult = { byName: new Map(), errors: [], offline: false, answered: 0 };
  await Promise.all(bulkBodies(packages).map(async (body) => {
    const count = Object.keys(body).length;
    const answer = await http.postJson(url, body, { kind: "advisory" });
    if (!answer.ok) {
      if (answer.offline) result.offline = true;
      result.errors.push(`npm bulk advisories (${count} packages): ${answer.error}`);
      return;
    }
    let data: unknown;
    try {
      data = answer.json();
    } catch {
      result.errors.push(`npm bulk advisories (${count} packages): invalid JSON`);
      return;
    }
    if (!isObject(data)) {
      result.errors.push(`npm bulk advisories (${count} packages): unexpected answer`);
      return;
    }
    result.answered += count;
    for (const [name, list] of Object.entries(data)) {
      if (!(name in body) || !Array.isArray(list)) continue;
      const advisories = list.filter(isAdvisory);
      if (advisories.length > 0) result.byName.set(name, advisories);
    }
  }));
  return result;
}

function isAdvisory(value: unknown): value is NpmBulkAdvisory {
  return isObject(value) && (typeof value.id === "number" || typeof value.id === "string") && typeof value.vulnerable_versions === "string";
}

/** The GHSA id of an advisory: `github_advisory_id`, else the last segment of a github.com/advisories URL. */
export function ghsaOf(advisory: NpmBulkAdvisory): string | undefined {
  if (typeof advisory.github_advisory_id === "string" && advisory.github_advisory_id.startsWith("GHSA-")) return advisory.github_advisory_id;
  const match = typeof advisory.url === "string" ? /\/advisories\/(GHSA-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})\b/i.exec(advisory.url) : null;
  return match?.[1] ? `GHSA-${match[1].slice(5).toLowerCase()}` : undefined;
}

/** True for a malware advisory (CWE-506, or a "Malicious code in …"/"malware" title). */
export function isMalwareAdvisory(advisory: NpmBulkAdvisory): boolean {
  if (stringList(advisory.cwe).includes("CWE-506")) return true;
  const title = typeof advisory.title === "string" ? advisory.title : "";
  return /^malicious code in\b/i.test(title.trim()) || /\bmalware\b/i.test(title);
}

/**
 * Whether the advisory's `vulnerable_versions` covers a version (prereleases included, as npm audit tests them), and
 * the upper bound (`<X`) of the comparator set that covers it, which is the first fixed version on that line.
 */
export function npmAdvisoryVerdict(advisory: NpmBulkAdvisory, version: string): { affected: boolean; fixed?: string } | { affected: "unknown"; reason: string } {
  let range: semver.Range;
  try {
    range = new semver.Range(advisory.vulnerable_versions, { loose: true, includePrerelease: true });
  } catch {
    return { affected: "unknown", reason: `npm advisory ${String(advisory.id)}: invalid range ${JSON.stringify(advisory.vulnerable_versions)}` };
  }
  const parsed = semver.parse(version, { loose: true });
  if (!parsed) return { affected: "unknown", reason: `${version} is not a semver version` };
  if (!range.test(parsed)) return { affected: false };
  for (const set of range.set) {
    if (!set.every((comparator) => comparator.test(parsed))) continue;
    const upper = set.find((comparator) => comparator.operator === "<");
    if (upper) return { affected: true, fixed: upper.semver.version };
  }
  return { affected: true };
}
