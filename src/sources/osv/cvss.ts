// CVSS v3.0/v3.1 base scores from a vector string, to rank advisories that carry a vector but no rating. The formula
// and weights are those of the specification (https://www.first.org/cvss/v3.1/specification-document §7.1, §7.4),
// including its "Roundup" to one decimal. CVSS v4 vectors need the specification's lookup tables and are not scored
// here: a record with only a v4 vector falls back to its database rating.
import type { Severity } from "../../rules/rule.js";

const AV: Readonly<Record<string, number>> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Readonly<Record<string, number>> = { L: 0.77, H: 0.44 };
const UI: Readonly<Record<string, number>> = { N: 0.85, R: 0.62 };
const CIA: Readonly<Record<string, number>> = { H: 0.56, L: 0.22, N: 0 };

/** The base score (0.0–10.0) of a `CVSS:3.x/…` vector, or undefined when it is not a complete v3 base vector. */
export function cvss3BaseScore(vector: string): number | undefined {
  const parts = vector.trim().split("/");
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? "")) return undefined;
  const metrics = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const [name, value] = part.split(":");
    if (name && value) metrics.set(name, value);
  }
  const scope = metrics.get("S");
  const av = AV[metrics.get("AV") ?? ""];
  const ac = AC[metrics.get("AC") ?? ""];
  const ui = UI[metrics.get("UI") ?? ""];
  const c = CIA[metrics.get("C") ?? ""];
  const i = CIA[metrics.get("I") ?? ""];
  const a = CIA[metrics.get("A") ?? ""];
  const prLetter = metrics.get("PR");
  const pr = prLetter === "N" ? 0.85 : prLetter === "L" ? (scope === "C" ? 0.68 : 0.62) : prLetter === "H" ? (scope === "C" ? 0.5 : 0.27) : undefined;
  if ((scope !== "U" && scope !== "C") || av === undefined || ac === undefined || ui === undefined || pr === undefined || c === undefined || i === undefined || a === undefined) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === "U" ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  return scope === "U" ? roundUp(Math.min(impact + exploitability, 10)) : roundUp(Math.min(1.08 * (impact + exploitability), 10));
}

/** CVSS v3.1 Roundup: the smallest one-decimal number ≥ the input, computed on integers to avoid float error. */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100000);
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10;
}

/** The qualitative rating of a score (CVSS v3.1 §5): 9.0+ critical, 7.0+ high, 4.0+ medium, 0.1+ low, 0 info. */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  if (score > 0) return "low";
  return "info";
}
