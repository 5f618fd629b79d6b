// Shared wording and severities for the credential rules (AIW-SECRET-*). A credential is always named by provider,
// kind, redacted prefix and fingerprint: never by its text, which the facts do not even hold.
import type { SecretDetectorInfo, SecretFacts } from "../../secrets/facts.js";
import type { KeyOccurrence, RegisteredKey } from "../../secrets/hygiene.js";
import type { ScanContext, Severity } from "../rule.js";

/** The secret scan's facts, when the scan ran (see src/secrets/scan-tree.ts). */
export function secretFacts(context: ScanContext): SecretFacts | undefined {
  return context.facts.secrets;
}

/** How bad an exposed credential is, by how sure its detector is: critical, high, medium. */
export function secretSeverity(detector: SecretDetectorInfo): Severity {
  switch (detector.confidence) {
    case "high": return "critical";
    case "medium": return "high";
    default: return "medium";
  }
}

/** "OpenAI API key `sk-proj-…` (fingerprint 0123456789abcdef)". */
export function describeCredential(found: { detector: SecretDetectorInfo; redacted: string; fingerprint: string }): string {
  return `${found.detector.provider} ${found.detector.kind} \`${found.redacted}\` (fingerprint ${found.fingerprint})`;
}

/** The first step of every fix: the key is exposed, so it must be replaced, whatever happens to the file. */
export function rotateStep(found: { detector: SecretDetectorInfo; fingerprint: string }): string {
  return `Revoke the ${found.detector.provider} ${found.detector.kind} with fingerprint ${found.fingerprint} at the provider and issue a new one`;
}

/** The sentence a finding adds when an `aiwarden-ignore` marker without a reason sits on the line. */
export const MARKER_WITHOUT_REASON = " An `aiwarden-ignore` marker on this line has no reason, so it does not count: write `aiwarden-ignore: <why this key is safe>`.";

/** The occurrences of one key in one file, grouped: the first place, and how many places in all. */
export function groupByFileAndKey<T extends { path: string; fingerprint: string; line: number }>(items: readonly T[]): Array<{ first: T; count: number }> {
  const groups = new Map<string, { first: T; count: number }>();
  for (const item of items) {
    const key = `${item.path}\u0000${item.fingerprint}`;
    const group = groups.get(key);
    if (!group) groups.set(key, { first: item, count: 1 });
    else {
      group.count++;
      if (item.line < group.first.line) group.first = item;
    }
  }
  return [...groups.values()];
}

/** The registry file a fix names when the scan found none: where `aiwarden keys` and the rules look for it. */
export const KEY_REGISTRY_NAME = "aiwarden.keys.json";

/**
 * The detector that found each credential, by fingerprint (tree first, then history). Key hygiene works on
 * KeyOccurrence, which keeps only the provider and detector id; the wording needs the kind as well.
 */
export function detectorsByFingerprint(facts: SecretFacts): Map<string, SecretDetectorInfo> {
  const detectors = new Map<string, SecretDetectorInfo>();
  for (const o of facts.occurrences) if (!detectors.has(o.fingerprint)) detectors.set(o.fingerprint, o.detector);
  for (const s of facts.history?.secrets ?? []) if (!detectors.has(s.fingerprint)) detectors.set(s.fingerprint, s.detector);
  return detectors;
}

/** A key hygiene occurrence (or inventory entry) in the shape describeCredential and rotateStep take. */
export function credentialOf(
  key: Pick<KeyOccurrence, "fingerprint" | "redacted" | "provider" | "detector">, detectors: ReadonlyMap<string, SecretDetectorInfo>,
): { detector: SecretDetectorInfo; redacted: string; fingerprint: string } {
  const detector = detectors.get(key.fingerprint) ?? { id: key.detector, provider: key.provider, kind: "credential", confidence: "low" };
  return { detector, redacted: key.redacted, fingerprint: key.fingerprint };
}

/** "a.py:3, b/.env:1 (git history) and 2 more": the first `max` places of a key, history-only ones marked. */
export function listPlaces(places: ReadonlyArray<{ path: string; line: number; historyOnly?: boolean }>, max = 4): string {
  const shown = places.slice(0, max).map((p) => `${p.path}:${p.line}${p.historyOnly ? " (git history)" : ""}`);
  const rest = places.length - shown.length;
  if (rest > 0) return `${shown.join(", ")} and ${rest} more`;
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1] as string}`;
}

/**
 * True when a rotation registry entry stands for a key: the same fingerprint, or, for an entry that has a name and no
 * fingerprint, a name equal to a variable the key is assigned to.
 */
export function registryEntryMatches(entry: RegisteredKey, key: { fingerprint: string; variables: readonly string[] }): boolean {
  if (entry.fingerprint !== undefined) return entry.fingerprint === key.fingerprint;
  return entry.name !== undefined && key.variables.includes(entry.name);
}
