// Advisory facts for the enrich stage: which known vulnerabilities and malicious-package reports concern each locked
// package version, from OSV (online querybatch, or the offline database given by `--osv-db`) and, for npm, the
// registry's bulk advisory endpoint. Every advisory is re-checked against the exact version with the OSV evaluation
// rules (osv/match.ts, including the stale open-range handling) or the advisory's semver range, then the answers of
// all sources are merged into one advisory per identity: two answers are the same advisory when their ids or aliases
// meet (OSV's GHSA-… id is npm's github advisory id; PYSEC and GHSA records share a CVE alias).
//
// When OSV has a record for a package version and finds it unaffected, an npm advisory with the same GHSA id is
// dropped too: OSV carries the explicit affected versions where npm has only a range (the stale open range of a
// malware advisory would otherwise come back through npm). With `--osv-db`, the local database replaces online OSV.
import type { DependencyGraph } from "../graph/dependency-graph.js";
import { normalizeName } from "../graph/names.js";
import type { Ecosystem } from "../graph/package-node.js";
import type { Severity } from "../rules/rule.js";
import { SEVERITIES } from "../rules/rule.js";
import type { FileResult } from "../scan/result.js";
import { versionKey } from "./blocklist.js";
import { NOT_REACHED } from "./http/types.js";
import type { HttpClient, SourceNotice } from "./http/types.js";
import { fetchNpmAdvisories, ghsaOf, isMalwareAdvisory, NPM_REGISTRY, npmAdvisoryVerdict } from "./npm-advisories.js";
import type { NpmBulkAdvisory } from "./npm-advisories.js";
import { matchRecord } from "./osv/match.js";
import { compareVersions } from "./osv/versions.js";
import { readOsvDb } from "./osv/offline.js";
import { OSV_API, packageKey, queryOsv, sortedUnique } from "./osv/online.js";
import type { PackageVersion } from "./osv/online.js";
import { isMalicious, recordSeverity, severityOfWord, summaryOf, urlOf } from "./osv/record.js";
import type { OsvRecord } from "./osv/record.js";

/** Where an advisory came from. */
export type AdvisorySource = "osv" | "osv-db" | "npm-advisories";

/** One advisory concerning one package version, whichever sources reported it. */
export interface Advisory {
  /** The preferred id: MAL-… for malicious packages, else GHSA-…, PYSEC-…, other OSV ids, CVE-…, `npm:<n>`. */
  id: string;
  /** Every other id of the same advisory, sorted. */
  aliases: string[];
  /** One line. */
  summary: string;
  severity: Severity;
  /** Why that severity, e.g. "database rating HIGH", "CVSS 9.1", "npm: moderate", "unrated", "malicious package". */
  severityBasis: string;
  /** A malicious-package report, not a vulnerability. */
  malicious: boolean;
  /** The first release that fixes it on the affected version's line, when the advisory names one. */
  fixed?: string;
  url: string;
  sources: AdvisorySource[];
}

/** Advisories by package version, for the rules. */
export interface AdvisoryFacts {
  /** Advisories concerning this exact version (name in any spelling of its ecosystem). */
  match(ecosystem: Ecosystem, name: string, version: string): readonly Advisory[];
  /** The sources that answered this run. */
  readonly sources: readonly AdvisorySource[];
  /** Malicious-package records whose stale open range was ignored for a version (see osv/match.ts). */
  readonly staleRangesIgnored: ReadonlyArray<{ ecosystem: Ecosystem; name: string; version: string; id: string }>;
}

/** Options of {@link loadAdvisories}. */
export interface AdvisoryOptions {
  /** The run's HTTP client; without one only `osvDb` is read. */
  http?: HttpClient;
  /** An OSV database folder (osv-scanner layout); replaces online OSV. */
  osvDb?: string;
  /** The cache folder (the HTTP client's), where indexes of OSV database archives are kept between scans. */
  cacheDir?: string;
  /** Which sources to ask (`--no-osv`, `--no-npm-advisories`, or config). */
  sources: { osv: boolean; npmAdvisories: boolean };
  /** Base URL of the OSV API (tests point it at the replay server). */
  osvApi?: string;
  /** The npm registry to ask (the project's configured registry, when it serves the endpoint). */
  npmRegistry?: string;
}

/** What the enrich stage gets back. */
export interface LoadedAdvisories {
  facts: AdvisoryFacts;
  /** One line per source problem (offline, unreachable, partial answers, missing database folders). */
  notices: SourceNotice[];
  /** Statuses of the OSV database archives/folders read. */
  files: FileResult[];
}

/** One source's claim that an advisory concerns a version. */
type Candidate = Omit<Advisory, "sources"> & { source: AdvisorySource };

/** The package versions of the graphs worth asking about: not workspace members, not git or path checkouts. */
export function lockedPackages(graphs: Iterable<{ ecosystem: Ecosystem; graph: DependencyGraph }>): PackageVersion[] {
  const out: PackageVersion[] = [];
  for (const { ecosystem, graph } of graphs) {
    for (const node of graph.packages()) {
      if (node.workspace || node.version === "" || node.source === "git" || node.source === "path") continue;
      out.push({ ecosystem, name: node.name, version: node.version });
    }
  }
  return sortedUnique(out);
}

/** Loads advisories for the package versions from the enabled sources. Never throws; problems become notices. */
export async function loadAdvisories(packages: Iterable<PackageVersion>, options: AdvisoryOptions): Promise<LoadedAdvisories> {
  const unique = sortedUnique(packages);
  const notices: SourceNotice[] = [];
  const files: FileResult[] = [];
  const candidates = new Map<string, Candidate[]>();
  /** Per package version, the OSV ids (and aliases) OSV evaluated and found NOT to affect it. */
  const osvCleared = new Map<string, Set<string>>();
  const stale: Array<{ ecosystem: Ecosystem; name: string; version: string; id: string }> = [];
  const answered = new Set<AdvisorySource>();
  /** Records of the offline database that name a package but whose ranges cannot be compared with its version. */
  const unevaluated: string[] = [];
  const add = (pkg: PackageVersion, candidate: Candidate) => {
    const key = indexKey(pkg.ecosystem, pkg.name, pkg.version);
    const list = candidates.get(key);
    if (list) list.push(candidate);
    else candidates.set(key, [candidate]);
  };
  const evaluate = (pkg: PackageVersion, record: OsvRecord, source: AdvisorySource, trustWhenUnknown: boolean) => {
    const { verdict, staleRangeIgnored } = matchRecord(record, pkg.ecosystem, pkg.name, pkg.version);
    if (staleRangeIgnored) stale.push({ ...pkg, id: record.id });
    if (verdict.affected === "unknown" && !trustWhenUnknown) {
      unevaluated.push(verdict.reason);
      return;
    }
    if (verdict.affected === false) {
      const key = indexKey(pkg.ecosystem, pkg.name, pkg.version);
      const cleared = osvCleared.get(key) ?? new Set<string>();
      for (const id of [record.id, ...(record.aliases ?? [])]) cleared.add(id);
      osvCleared.set(key, cleared);
      return;
    }
    add(pkg, candidateOfRecord(record, source, verdict.affected === true ? verdict.fixed : undefined));
  };

  const tasks: Array<Promise<void>> = [];
  if (options.sources.osv && options.osvDb !== undefined) {
    const dir = options.osvDb;
    tasks.push((async () => {
      const db = await readOsvDb(dir, unique, options.cacheDir !== undefined ? { indexDir: options.cacheDir } : {});
      files.push(...db.files);
      for (const ecosystem of db.missing) {
        if (unique.some((p) => p.ecosystem === ecosystem)) notices.push({ source: "osv-db", message: `the OSV database ${dir} has no ${ecosystem === "npm" ? "npm" : "PyPI"} folder — ${ecosystem} packages were not checked against it` });
      }
      if (db.files.some((f) => f.status === "ok" || f.status === "partial")) answered.add("osv-db");
      const byName = new Map<string, OsvRecord[]>();
      for (const record of db.records) {
        for (const affected of record.affected ?? []) {
          const ecosystem = affected?.package?.ecosystem?.toLowerCase() === "npm" ? "npm" : affected?.package?.ecosystem?.toLowerCase() === "pypi" ? "pypi" : undefined;
          const name = affected?.package?.name;
          if (!ecosystem || typeof name !== "string") continue;
          const key = `${ecosystem}\u0000${normalizeName(ecosystem, name)}`;
          const list = byName.get(key) ?? [];
          if (!list.includes(record)) list.push(record);
          byName.set(key, list);
        }
      }
      for (const pkg of unique) {
        for (const record of byName.get(`${pkg.ecosystem}\u0000${normalizeName(pkg.ecosystem, pkg.name)}`) ?? []) evaluate(pkg, record, "osv-db", false);
      }
      if (unevaluated.length > 0) {
        const more = unevaluated.length > 1 ? ` (and ${unevaluated.length - 1} more)` : "";
        notices.push({ source: "osv-db", message: `some OSV records could not be evaluated and were left out: ${unevaluated[0]}${more}` });
      }
    })());
  } else if (options.sources.osv && options.http) {
    const http = options.http;
    tasks.push((async () => {
      const online = await queryOsv(http, unique, options.osvApi !== undefined ? { baseUrl: options.osvApi } : {});
      if (online.answered > 0) answered.add("osv");
      for (const pkg of unique) {
        for (const id of online.hits.get(packageKey(pkg.ecosystem, pkg.name, pkg.version)) ?? []) {
          const record = online.records.get(id);
          // The API matched it; without the record only the id is known.
          if (record) evaluate(pkg, record, "osv", true);
          else add(pkg, candidateOfId(id));
        }
      }
      const notice = sourceNotice("osv", "OSV", online.errors, online.offline, online.answered, unique.length, options.osvApi ?? OSV_API);
      if (notice) notices.push(notice);
    })());
  }
  const npmPackages = unique.filter((p) => p.ecosystem === "npm");
  if (options.sources.npmAdvisories && options.http && npmPackages.length > 0) {
    const http = options.http;
    tasks.push((async () => {
      const npm = await fetchNpmAdvisories(http, npmPackages, options.npmRegistry !== undefined ? { registry: options.npmRegistry } : {});
      if (npm.answered > 0) answered.add("npm-advisories");
      const problems = [...npm.errors];
      for (const pkg of npmPackages) {
        for (const advisory of npm.byName.get(pkg.name) ?? []) {
          const verdict = npmAdvisoryVerdict(advisory, pkg.version);
          if (verdict.affected === "unknown") {
            problems.push(verdict.reason);
            continue;
          }
          if (verdict.affected) add(pkg, candidateOfNpm(advisory, verdict.fixed));
        }
      }
      const notice = sourceNotice("npm-advisories", "npm registry advisories", problems, npm.offline, npm.answered, new Set(npmPackages.map((p) => p.name)).size, options.npmRegistry ?? NPM_REGISTRY);
      if (notice) notices.push(notice);
    })());
  }
  await Promise.all(tasks);

  const index = new Map<string, Advisory[]>();
  for (const [key, list] of candidates) {
    const cleared = osvCleared.get(key);
    const ecosystem = key.startsWith("npm\u0000") ? "npm" : "pypi";
    const kept = list.filter((c) => !(c.source === "npm-advisories" && cleared && [c.id, ...c.aliases].some((id) => cleared.has(id))));
    const merged = mergeCandidates(kept, ecosystem);
    if (merged.length > 0) index.set(key, merged);
  }
  const sources = (["osv", "osv-db", "npm-advisories"] as const).filter((s) => answered.has(s));
  return {
    facts: {
      match(ecosystem, name, version) {
        return index.get(indexKey(ecosystem, name, version)) ?? [];
      },
      sources,
      staleRangesIgnored: stale,
    },
    notices,
    files,
  };
}

function indexKey(ecosystem: Ecosystem, name: string, version: string): string {
  return `${ecosystem}\u0000${normalizeName(ecosystem, name)}\u0000${versionKey(ecosystem, version)}`;
}

/** One notice for a source that could not answer fully, or undefined when it did. */
function sourceNotice(source: string, label: string, problems: readonly string[], offline: boolean, answered: number, asked: number, url: string): SourceNotice | undefined {
  if (problems.length === 0) return undefined;
  if (answered === 0 && offline) {
    return { source, message: `${label} not consulted (${NOT_REACHED}) — advisory checks rely on the shipped blocklist${source === "osv" ? "; pass --osv-db <dir> for a local copy of OSV" : ""}`, ...hostOf(url) };
  }
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  return { source, message: `${label}: ${answered === 0 ? "no answer" : `answers for ${answered} of ${asked} packages`}; ${problems[0]}${more}` };
}

/** `{ host }` of a URL, for a notice about not reaching it. */
function hostOf(url: string): { host?: string } {
  try {
    return { host: new URL(url).host };
  } catch {
    return {};
  }
}

function candidateOfRecord(record: OsvRecord, source: AdvisorySource, fixed: string | undefined): Candidate {
  const { severity, basis } = recordSeverity(record);
  return {
    id: record.id,
    aliases: (record.aliases ?? []).filter((a) => typeof a === "string" && a !== record.id),
    summary: summaryOf(record),
    severity,
    severityBasis: basis,
    malicious: isMalicious(record),
    ...(fixed !== undefined ? { fixed } : {}),
    url: urlOf(record),
    source,
  };
}

/** An id the OSV API named whose record could not be fetched: malicious when it is a MAL- id. */
function candidateOfId(id: string): Candidate {
  const malicious = id.startsWith("MAL-");
  return {
    id,
    aliases: [],
    summary: id,
    severity: malicious ? "critical" : "medium",
    severityBasis: malicious ? "malicious package" : "unrated (record not fetched)",
    malicious,
    url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}`,
    source: "osv",
  };
}

function candidateOfNpm(advisory: NpmBulkAdvisory, fixed: string | undefined): Candidate {
  const ghsa = ghsaOf(advisory);
  const malicious = isMalwareAdvisory(advisory);
  const word = severityOfWord(advisory.severity);
  const severity: Severity = malicious ? "critical" : (word ?? "medium");
  return {
    id: ghsa ?? `npm:${String(advisory.id)}`,
    aliases: [],
    summary: typeof advisory.title === "string" && advisory.title.trim() !== "" ? advisory.title.replace(/\s+/g, " ").trim() : (ghsa ?? `npm advisory ${String(advisory.id)}`),
    severity,
    severityBasis: malicious ? "malicious package" : word ? `npm: ${String(advisory.severity)}` : "unrated",
    malicious,
    // A malware advisory has no fixed release: every listed version is the attack.
    ...(fixed !== undefined && !malicious ? { fixed } : {}),
    url: typeof advisory.url === "string" && advisory.url !== "" ? advisory.url : `https://www.npmjs.com/advisories/${String(advisory.id)}`,
    source: "npm-advisories",
  };
}

/** Rank of an id as the advisory's name: lower is preferred. */
function idRank(id: string, malicious: boolean): number {
  if (id.startsWith("MAL-")) return malicious ? 0 : 5;
  if (id.startsWith("GHSA-")) return 1;
  if (id.startsWith("PYSEC-")) return 2;
  if (id.startsWith("CVE-")) return 4;
  if (id.startsWith("npm:")) return 6;
  return 3;
}

/** Groups candidates whose ids meet into one advisory each, most severe first. */
function mergeCandidates(list: readonly Candidate[], ecosystem: Ecosystem): Advisory[] {
  const groups: Array<{ ids: Set<string>; members: Candidate[] }> = [];
  for (const candidate of list) {
    const ids = [candidate.id, ...candidate.aliases];
    const meeting = groups.filter((g) => ids.some((id) => g.ids.has(id)));
    const group = { ids: new Set(ids), members: [candidate] };
    for (const other of meeting) {
      for (const id of other.ids) group.ids.add(id);
      group.members.push(...other.members);
      groups.splice(groups.indexOf(other), 1);
    }
    groups.push(group);
  }
  const advisories = groups.map(({ ids, members }) => {
    const malicious = members.some((m) => m.malicious);
    const id = [...ids].sort((a, b) => idRank(a, malicious) - idRank(b, malicious) || (a < b ? -1 : a > b ? 1 : 0))[0] as string;
    const primary = members.find((m) => m.id === id) ?? members[0] as Candidate;
    const worst = members.reduce((a, b) => (SEVERITIES.indexOf(b.severity) < SEVERITIES.indexOf(a.severity) ? b : a));
    let fixed: string | undefined;
    for (const m of members) if (m.fixed !== undefined && (fixed === undefined || (compareVersions(ecosystem, m.fixed, fixed) ?? 0) > 0)) fixed = m.fixed;
    const summary = [primary, ...members].map((m) => m.summary).find((s) => !ids.has(s)) ?? primary.summary;
    const advisory: Advisory = {
      id,
      aliases: [...ids].filter((a) => a !== id).sort(),
      summary,
      severity: malicious ? "critical" : worst.severity,
      severityBasis: malicious ? "malicious package" : worst.severityBasis,
      malicious,
      ...(fixed !== undefined && !malicious ? { fixed } : {}),
      url: primary.url,
      sources: [...new Set(members.map((m) => m.source))].sort(),
    };
    return advisory;
  });
  return advisories.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
