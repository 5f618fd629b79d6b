// OSV records (https://ossf.github.io/osv-schema/) as aiwarden reads them: the shape, a permissive parser (a record
// needs an `id`; every other field is checked where it is used), which records are malicious-package reports, and
// the severity of a record.
//
// Severity mapping, first that applies:
//   1. malicious-package record → critical;
//   2. `database_specific.severity` (GitHub Advisory Database ratings CRITICAL / HIGH / MODERATE / LOW) → critical,
//      high, medium, low;
//   3. a CVSS v3 vector in `severity[]` (or in `affected[].severity[]`) → its base score's rating (9.0+ critical,
//      7.0+ high, 4.0+ medium, below low); an `Ubuntu`-type rating → its word;
//   4. `affected[].ecosystem_specific.severity` / `affected[].database_specific.severity` words;
//   5. otherwise medium ("unrated"): PYSEC records often carry no rating, and a known vulnerability is never info.
import type { Ecosystem } from "../../graph/package-node.js";
import type { Severity } from "../../rules/rule.js";
import { cvss3BaseScore, severityOfScore } from "./cvss.js";

/** One event of a range. */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

/** An `affected[].ranges[]` entry. */
export interface OsvRange {
  type: string;
  events: OsvEvent[];
}

/** An `affected[]` entry. */
export interface OsvAffected {
  package?: { ecosystem?: string; name?: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  severity?: Array<{ type?: string; score?: string }>;
  database_specific?: Record<string, unknown>;
  ecosystem_specific?: Record<string, unknown>;
}

/** The fields of an OSV record aiwarden reads. */
export interface OsvRecord {
  id: string;
  aliases?: string[];
  related?: string[];
  summary?: string;
  details?: string;
  modified?: string;
  published?: string;
  withdrawn?: string;
  severity?: Array<{ type?: string; score?: string }>;
  affected?: OsvAffected[];
  references?: Array<{ type?: string; url?: string }>;
  database_specific?: Record<string, unknown>;
}

/** The record in a JSON value, or undefined when it is not an OSV record (no string `id`). */
export function parseOsvRecord(value: unknown): OsvRecord | undefined {
  if (!isObject(value) || typeof value.id !== "string" || value.id.trim() === "") return undefined;
  return value as unknown as OsvRecord;
}

/** OSV's name of an aiwarden ecosystem. */
export function osvEcosystem(ecosystem: Ecosystem): "npm" | "PyPI" {
  return ecosystem === "npm" ? "npm" : "PyPI";
}

/** The aiwarden ecosystem of an OSV ecosystem name (case-insensitive), or undefined for the others. */
export function ecosystemOfOsv(name: unknown): Ecosystem | undefined {
  if (typeof name !== "string") return undefined;
  const lower = name.trim().toLowerCase();
  return lower === "npm" ? "npm" : lower === "pypi" ? "pypi" : undefined;
}

/**
 * True for a malicious-package report rather than a vulnerability: an OSV `MAL-` id or alias, the
 * malicious-packages origin list, CWE-506 (embedded malicious code) on an affected entry, or a GitHub malware
 * advisory summary ("Malicious code in …", "… malware …").
 */
export function isMalicious(record: OsvRecord): boolean {
  if (record.id.startsWith("MAL-") || stringList(record.aliases).some((a) => a.startsWith("MAL-"))) return true;
  if (isObject(record.database_specific) && "malicious-packages-origins" in record.database_specific) return true;
  for (const affected of record.affected ?? []) {
    const cwes = isObject(affected) && isObject(affected.database_specific) ? affected.database_specific.cwes : undefined;
    if (Array.isArray(cwes) && cwes.some((c) => (isObject(c) ? c.cweId : c) === "CWE-506")) return true;
  }
  const summary = typeof record.summary === "string" ? record.summary : "";
  return /^malicious code in\b/i.test(summary.trim()) || /\bmalware\b/i.test(summary);
}

/** A severity word as databases write it (GHSA "MODERATE", Ubuntu "medium", npm "moderate") mapped to aiwarden's. */
export function severityOfWord(word: unknown): Severity | undefined {
  if (typeof word !== "string") return undefined;
  switch (word.trim().toLowerCase()) {
    case "critical":
      return "critical";
    case "high":
    case "important":
      return "high";
    case "moderate":
    case "medium":
      return "medium";
    case "low":
    case "negligible":
      return "low";
    case "info":
    case "none":
      return "info";
    default:
      return undefined;
  }
}

/** The record's severity and where it came from (for messages and docs); see the mapping at the top. */
export function recordSeverity(record: OsvRecord): { severity: Severity; basis: string } {
  if (isMalicious(record)) return { severity: "critical", basis: "malicious package" };
  const database = isObject(record.database_specific) ? severityOfWord(record.database_specific.severity) : undefined;
  if (database) return { severity: database, basis: `database rating ${String((record.database_specific as Record<string, unknown>).severity)}` };
  const scored = scoreOf([...(record.severity ?? []), ...(record.affected ?? []).flatMap((a) => (isObject(a) && Array.isArray(a.severity) ? a.severity : []))]);
  if (scored) return scored;
  for (const affected of record.affected ?? []) {
    if (!isObject(affected)) continue;
    const word = severityOfWord(isObject(affected.ecosystem_specific) ? affected.ecosystem_specific.severity : undefined)
      ?? severityOfWord(isObject(affected.database_specific) ? affected.database_specific.severity : undefined);
    if (word) return { severity: word, basis: "ecosystem rating" };
  }
  return { severity: "medium", basis: "unrated" };
}

function scoreOf(entries: ReadonlyArray<{ type?: string; score?: string }>): { severity: Severity; basis: string } | undefined {
  for (const entry of entries) {
    if (!isObject(entry) || typeof entry.score !== "string") continue;
    if (entry.type === "CVSS_V3") {
      const score = cvss3BaseScore(entry.score);
      if (score !== undefined) return { severity: severityOfScore(score), basis: `CVSS ${score.toFixed(1)}` };
    }
    if (entry.type === "Ubuntu") {
      const word = severityOfWord(entry.score);
      if (word) return { severity: word, basis: "Ubuntu rating" };
    }
  }
  return undefined;
}

/** The record's summary, else the first line of prose in its details (no rules, headings, markers), else its id. */
export function summaryOf(record: OsvRecord): string {
  if (typeof record.summary === "string" && record.summary.trim() !== "") return oneLine(record.summary);
  if (typeof record.details === "string") {
    const line = record.details.split("\n").map((l) => l.trim()).find((l) => l !== "" && !/^[-_=*#\s]+$/.test(l) && !l.startsWith("_-=") && !l.startsWith("#"));
    if (line !== undefined) return oneLine(line).slice(0, 200);
  }
  return record.id;
}

/** The advisory page of a record: its ADVISORY reference, else osv.dev. */
export function urlOf(record: OsvRecord): string {
  const advisory = (record.references ?? []).find((r) => isObject(r) && r.type === "ADVISORY" && typeof r.url === "string");
  return advisory?.url ?? `https://osv.dev/vulnerability/${encodeURIComponent(record.id)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The string members of a value that should be a list of strings. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** A plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
