// AIW-SECRET-008: a key in the scanned files that the rotation registry does not list, reported only when a registry
// exists (without one, the team has not opted into an inventory, and every key would be a finding). Entries match by
// fingerprint; an entry with a name and no fingerprint matches a key assigned to a variable of that name. Keys only in
// git history are left out: AIW-SECRET-002 already says to revoke them, and a revoked key has no place in the registry.
import { keyOccurrences } from "../secrets/facts.js";
import type { KeyInventoryEntry, PlacementOverrides } from "../secrets/hygiene.js";
import { buildInventory } from "../secrets/hygiene.js";
import type { FindingDraft, Rule, ScanContext } from "./rule.js";
import { credentialOf, describeCredential, detectorsByFingerprint, listPlaces, registryEntryMatches, secretFacts } from "./support/secrets.js";

/** Flags keys the rotation registry does not know about. */
export const keyNotRegistered: Rule = {
  id: "AIW-SECRET-008",
  title: "Key missing from the key registry",
  severity: "low",
  docs: {
    what: "A credential found in the scanned files whose fingerprint is not in the rotation registry (aiwarden.keys.json or `keys:` in the configuration), and that no name-only entry claims through the variable it is assigned to. Only reported when a registry exists.",
    why: "The registry is how a team knows which keys exist, who owns them, which service and environment each serves and when it is due for rotation. A key outside it is never rotated on schedule, and when it leaks nobody can say quickly what breaks if it is revoked.",
    fix: "Add an entry with the key's fingerprint, provider, service, environment and creation date (and the variables that deliver it). If nobody knows when it was created, rotate it now and register the new key with today's date.",
    references: [
      "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
      "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const registry = context.facts.keyRegistry;
    const facts = secretFacts(context);
    if (!registry || !facts) return [];
    const overrides: PlacementOverrides = { environments: context.config.environments, services: context.config.services };
    const inTree = keyOccurrences(facts).filter((o) => !o.historyOnly);
    const detectors = detectorsByFingerprint(facts);
    const drafts: FindingDraft[] = [];
    for (const key of buildInventory(inTree, overrides)) {
      if (registry.keys.some((entry) => registryEntryMatches(entry, key))) continue;
      const first = key.locations[0];
      if (!first) continue;
      const credential = credentialOf(key, detectors);
      const places = key.locations.length;
      drafts.push({
        severity: "low",
        message: `${describeCredential(credential)} at ${places > 1 ? `${places} places (${listPlaces(key.locations)})` : listPlaces(key.locations)} is not in the key registry ${registry.file}: no owner, service, environment or creation date is recorded for it, so the rotation policy does not cover it.`,
        fix: `Add \`${entryFor(key)}\` to "keys" in ${registry.file}, with the date the key was issued${placeholders(key)}; if nobody knows when that was, rotate the key now and register the new one with today's date.`,
        file: first.path,
        line: first.line,
        key: [key.fingerprint],
        secret: { fingerprint: key.fingerprint },
      });
    }
    return drafts;
  },
};

/** What an environment variable name looks like (`OPENAI_API_KEY`). */
const ENVIRONMENT_VARIABLE = /^[A-Z][A-Z0-9_]*$/;

/** The registry entry to add, as JSON, with what the paths tell and placeholders for the rest. */
function entryFor(key: KeyInventoryEntry): string {
  const service = key.services.length === 1 && key.services[0] !== "." ? (key.services[0] as string) : "<service>";
  const environment = key.environments.length === 1 ? (key.environments[0] as string) : "<environment>";
  const entry: Record<string, unknown> = { fingerprint: key.fingerprint, provider: key.provider, service, environment, created: "<YYYY-MM-DD>" };
  // The registry lists environment variables; a settings key such as `api_key` in a config file is not one.
  const variables = key.variables.filter((v) => ENVIRONMENT_VARIABLE.test(v));
  if (variables.length > 0) entry.variables = variables;
  return `{ ${Object.entries(entry).map(([name, value]) => `"${name}": ${JSON.stringify(value)}`).join(", ")} }`;
}

/** What the fix asks the reader to fill in besides the date. */
function placeholders(key: KeyInventoryEntry): string {
  const missing: string[] = [];
  if (key.services.length !== 1 || key.services[0] === ".") missing.push(key.services.length > 1 ? `the service (it is used by ${key.services.map((s) => (s === "." ? "the repository root" : s)).join(", ")}: one key per service is better, see AIW-SECRET-006)` : "the service");
  if (key.environments.length !== 1) missing.push(key.environments.length > 1 ? `the environment (it is used in ${key.environments.join(", ")})` : "the environment");
  return missing.length > 0 ? ` and ${missing.join(" and ")}` : "";
}
