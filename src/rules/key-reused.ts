// AIW-SECRET-006: one credential (one fingerprint) referenced from more than one environment (`.env.production` and
// `.env.staging`), more than one service (`services/api` and `services/worker`), or more than one scanned repository.
// One finding per key, at its first place in the tree (history only when the tree no longer holds it). Environments
// and services come from the paths (src/secrets/hygiene.ts), with the configuration's `environments` / `services`
// overrides first; a service keeps the folders before it, so `a/services/api` and `b/services/api` are two services,
// and in a scan of several roots each root's services are its own (the same key in two repositories is reused).
import { keyOccurrences } from "../secrets/facts.js";
import type { KeyOccurrence, Placement, PlacementOverrides } from "../secrets/hygiene.js";
import { buildInventory, placementOf, serviceOf } from "../secrets/hygiene.js";
import type { FindingDraft, Rule, ScanContext } from "./rule.js";
import { credentialOf, describeCredential, detectorsByFingerprint, KEY_REGISTRY_NAME, listPlaces, secretFacts } from "./support/secrets.js";

/** Placements named in a fix before "and N more". */
const PLACEMENTS_SHOWN = 6;

/** Flags a credential shared across environments, services or repositories. */
export const keyReused: Rule = {
  id: "AIW-SECRET-006",
  title: "Credential shared across environments or services",
  severity: "high",
  docs: {
    what: "One credential (the same fingerprint) referenced from more than one environment (`.env.production` and `.env.staging`, `k8s/overlays/prod` and `k8s/overlays/dev`), more than one service (`services/api` and `services/worker`), or more than one of the scanned repositories. Environments and services are judged from the paths; `environments` and `services` in the configuration override them.",
    why: "Per-environment and per-service keys are what limit a leak: a key shared with staging or a developer's laptop is a production key wherever it sits, the provider's logs cannot say which deployment used (or leaked) it, and the rotation a leak forces breaks every service at once, which is why shared keys tend not to get rotated.",
    fix: "Issue one key per environment and service at the provider, deliver each through that deployment's own secret, revoke the shared key once nothing uses it, and record the new keys (fingerprint, provider, service, environment, created) in aiwarden.keys.json so reuse and age stay visible.",
    references: [
      "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
      "https://help.openai.com/en/articles/5112595-best-practices-for-api-key-safety",
      "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const facts = secretFacts(context);
    if (!facts) return [];
    const overrides: PlacementOverrides = { environments: context.config.environments, services: context.config.services };
    const occurrences = keyOccurrences(facts);
    const detectors = detectorsByFingerprint(facts);
    const registryFile = context.facts.keyRegistry?.file ?? KEY_REGISTRY_NAME;
    const byKey = new Map<string, KeyOccurrence[]>();
    for (const o of occurrences) byKey.set(o.fingerprint, [...(byKey.get(o.fingerprint) ?? []), o]);
    const drafts: FindingDraft[] = [];
    for (const key of buildInventory(occurrences, overrides)) {
      const placements = placementsOf(byKey.get(key.fingerprint) ?? [], overrides);
      const services = [...new Set(placements.map((p) => p.service))].sort();
      if (key.environments.length < 2 && services.length < 2) continue;
      const first = key.locations.find((l) => !l.historyOnly) ?? key.locations[0];
      if (!first) continue;
      const credential = credentialOf(key, detectors);
      const places = key.locations.length;
      const shown = placements.slice(0, PLACEMENTS_SHOWN).map(describePlacement);
      const more = placements.length > PLACEMENTS_SHOWN ? ` and ${placements.length - PLACEMENTS_SHOWN} more` : "";
      drafts.push({
        severity: "high",
        message: `${describeCredential(credential)} is shared by ${scope(key.environments, services)}, in ${places} place${places > 1 ? "s" : ""} (${listPlaces(key.locations)}): a leak of any copy exposes all of them, nobody can tell which copy leaked, and revoking it breaks them all at once.`,
        fix: `Issue a separate ${credential.detector.provider} ${credential.detector.kind} for each of its ${placements.length} placements (${shown.join("; ")}${more}), deliver each through that deployment's own secret, then revoke the key with fingerprint ${key.fingerprint} once nothing uses it; record every new key (fingerprint, provider, service, environment, created) in ${registryFile}.`,
        file: first.path,
        line: first.line,
        key: [key.fingerprint],
        secret: { fingerprint: key.fingerprint },
      });
    }
    return drafts;
  },
};

/** The distinct placements of one key's occurrences, by service then environment (unknown environments first). */
function placementsOf(occurrences: readonly KeyOccurrence[], overrides: PlacementOverrides): Placement[] {
  const seen = new Map<string, Placement>();
  for (const o of occurrences) {
    const placement = placementOf(o, overrides, serviceAt);
    seen.set(`${placement.service}\u0000${placement.environment ?? ""}`, placement);
  }
  return [...seen.values()].sort((a, b) => compare(a.service, b.service) || compare(a.environment ?? "", b.environment ?? ""));
}

/**
 * The service a path belongs to, qualified by where it sits: serviceOf's answer (a configured name is kept as is),
 * with the folders before a `services/<name>`-style pair and any leading `..` kept, so the same layout in two
 * scanned repositories (paths prefixed `repo-a/`, `../repo-b/`) or two parts of a monorepo gives two services.
 */
function serviceAt(path: string, overrides: PlacementOverrides): string {
  const configured = serviceOf(path, overrides);
  if (configured !== serviceOf(path)) return configured;
  const segments = path.split("/");
  let start = 0;
  while (segments[start] === ".." || segments[start] === ".") start++;
  const up = segments.slice(0, start);
  const folders = segments.slice(start, -1);
  const natural = serviceOf(segments.slice(start).join("/"));
  if (natural === ".") return up.length > 0 ? up.join("/") : ".";
  const slash = natural.indexOf("/");
  if (slash < 0) return [...up, natural].join("/");
  const group = natural.slice(0, slash);
  const name = natural.slice(slash + 1);
  const at = folders.findIndex((folder, i) => folder === group && folders[i + 1] === name);
  return [...up, ...folders.slice(0, Math.max(at, 0)), natural].join("/");
}

/** "2 environments (production, staging) of services/api", "2 services (…), all in production", or both. */
function scope(environments: readonly string[], services: readonly string[]): string {
  const parts: string[] = [];
  if (environments.length > 1) parts.push(`${environments.length} environments (${environments.join(", ")})`);
  if (services.length > 1) parts.push(`${services.length} services (${services.map(serviceLabel).join(", ")})`);
  let text = parts.join(" and ");
  if (services.length > 1 && environments.length === 1) text += `, all in ${environments[0] as string}`;
  if (environments.length > 1 && services.length === 1 && services[0] !== ".") text += ` of ${services[0] as string}`;
  return text;
}

function describePlacement(p: Placement): string {
  return p.environment !== undefined ? `${serviceLabel(p.service)} in ${p.environment}` : serviceLabel(p.service);
}

function serviceLabel(service: string): string {
  return service === "." ? "the repository root" : service;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
