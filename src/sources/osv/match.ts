// Whether an OSV record affects one version of one package, shared by the online client (which re-checks what the
// API says) and the offline database. Follows the OSV schema's evaluation
// (https://ossf.github.io/osv-schema/#evaluation): an exact `affected[].versions` entry, or a `SEMVER`/`ECOSYSTEM`
// range whose sorted `introduced`/`fixed`/`last_affected` events put the version inside, below any `limit`. npm
// versions compare as semver, PyPI versions by PEP 440 (versions.ts). `GIT` ranges name commits and are not evaluated.
//
// The stale open range: some malicious-package records keep an `introduced: "0"` range with no end next to the
// real affected versions (MAL-2025-47141 for @ctrl/tinycolor, MAL-2026-3432 for @mistralai/mistralai), left over
// from a first import. Read literally it marks every version ever published as malicious. For a malicious-package
// record whose affected entry also names explicit `versions` or a bounded range, an open range covering every
// version is treated as that artifact and ignored: only the explicit versions and bounded ranges match. A record
// whose only evidence is an open range (a package that was malicious from its first release, e.g. a typosquat) still
// matches every version, and so does a vulnerability with `introduced: "0", fixed: "X"` below X.
import { normalizeName } from "../../graph/names.js";
import type { Ecosystem } from "../../graph/package-node.js";
import { versionKey } from "../blocklist.js";
import { compareVersions } from "./versions.js";
import { ecosystemOfOsv, isMalicious, isObject, stringList } from "./record.js";
import type { OsvEvent, OsvRange, OsvRecord } from "./record.js";

/** What a record says about one version. */
export type Verdict =
  | { affected: true; by: "versions" | "range"; fixed?: string }
  | { affected: false }
  /** The record names the package but its versions cannot be compared (e.g. a range with an unparseable bound). */
  | { affected: "unknown"; reason: string };

/** A verdict, and whether an open `introduced: "0"` range was ignored as the stale artifact (see above). */
export interface MatchResult {
  verdict: Verdict;
  /** True when the version is unaffected only because a stale open range was ignored. */
  staleRangeIgnored: boolean;
}

/** Evaluates a record for `name@version` in `ecosystem` (name in any spelling; normalised here). */
export function matchRecord(record: OsvRecord, ecosystem: Ecosystem, name: string, version: string): MatchResult {
  const wanted = normalizeName(ecosystem, name);
  const key = versionKey(ecosystem, version);
  const malicious = isMalicious(record);
  let unknown: string | undefined;
  let staleDropped = false;
  let named = false;
  for (const affected of record.affected ?? []) {
    if (!isObject(affected) || !isObject(affected.package)) continue;
    if (ecosystemOfOsv(affected.package.ecosystem) !== ecosystem) continue;
    if (typeof affected.package.name !== "string" || normalizeName(ecosystem, affected.package.name) !== wanted) continue;
    named = true;
    const versions = stringList(affected.versions);
    const ranges = (Array.isArray(affected.ranges) ? affected.ranges : []).filter((r): r is OsvRange => isObject(r) && (r.type === "SEMVER" || r.type === "ECOSYSTEM") && Array.isArray(r.events));
    const hasEvidence = versions.length > 0 || ranges.some((r) => !coversEverything(r));
    const usable = malicious && hasEvidence ? ranges.filter((r) => !coversEverything(r)) : ranges;
    if (usable.length < ranges.length) staleDropped = true;
    let fixed: string | undefined;
    let inside = false;
    for (const range of usable) {
      const result = inRange(range, ecosystem, version);
      if (result === "unknown") {
        unknown ??= `${record.id}: a ${range.type} range of ${affected.package.name} has a version that is not valid ${ecosystem === "npm" ? "semver" : "PEP 440"}`;
        continue;
      }
      if (result.inside) {
        inside = true;
        if (result.fixed !== undefined && (fixed === undefined || (compareVersions(ecosystem, result.fixed, fixed) ?? 0) > 0)) fixed = result.fixed;
      }
    }
    if (versions.some((v) => versionKey(ecosystem, v) === key)) {
      return { verdict: { affected: true, by: "versions", ...(fixed !== undefined ? { fixed } : {}) }, staleRangeIgnored: false };
    }
    if (inside) return { verdict: { affected: true, by: "range", ...(fixed !== undefined ? { fixed } : {}) }, staleRangeIgnored: false };
  }
  if (unknown !== undefined) return { verdict: { affected: "unknown", reason: unknown }, staleRangeIgnored: false };
  return { verdict: { affected: false }, staleRangeIgnored: named && staleDropped };
}

/** A range whose events are only `introduced: "0"`: every version, with no end. */
function coversEverything(range: OsvRange): boolean {
  const events = range.events.filter(isObject);
  return events.length > 0 && events.every((e) => e.introduced === "0" && e.fixed === undefined && e.last_affected === undefined && e.limit === undefined);
}

/** Whether a version lies in a range (and the first fix above it), per the OSV evaluation algorithm. */
function inRange(range: OsvRange, ecosystem: Ecosystem, version: string): { inside: boolean; fixed?: string } | "unknown" {
  if (compareVersions(ecosystem, version, version) === undefined) return "unknown";
  const events: Array<{ event: OsvEvent; at: string }> = [];
  const limits: string[] = [];
  for (const event of range.events) {
    if (!isObject(event)) continue;
    const at = event.introduced ?? event.fixed ?? event.last_affected;
    if (typeof event.limit === "string") limits.push(event.limit);
    if (typeof at !== "string") continue;
    if (!(event.introduced === "0") && compareVersions(ecosystem, at, at) === undefined) return "unknown";
    events.push({ event, at });
  }
  const order = (a: string, b: string): number => (a === "0" && b === "0" ? 0 : a === "0" ? -1 : b === "0" ? 1 : (compareVersions(ecosystem, a, b) ?? 0));
  events.sort((a, b) => order(a.at, b.at));
  let inside = false;
  for (const { event, at } of events) {
    if (event.introduced !== undefined) {
      if (at === "0" || order(version, at) >= 0) inside = true;
    } else if (event.fixed !== undefined) {
      if (order(version, at) >= 0) inside = false;
    } else if (event.last_affected !== undefined) {
      if (order(version, at) > 0) inside = false;
    }
  }
  if (inside && limits.length > 0) {
    if (limits.some((l) => l !== "*" && compareVersions(ecosystem, l, l) === undefined)) return "unknown";
    if (!limits.some((l) => l === "*" || order(version, l) < 0)) inside = false;
  }
  if (!inside) return { inside };
  const fixed = events.find(({ event, at }) => event.fixed !== undefined && order(at, version) > 0)?.at;
  return fixed !== undefined ? { inside, fixed } : { inside };
}
