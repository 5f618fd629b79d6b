// AIW-SECRET-007: a key of the rotation registry (aiwarden.keys.json, or `keys:` in the configuration) older than the
// registry's `maxAgeDays`, as of the scan's `today`. The registry is the team's declared inventory, so every entry
// counts, found in the scanned files or not; one that is also in the tree or in git history (exposed and old) ranks
// high. A key's age is its registry `created` date, or the date of the commit that first added it when git history
// shows the key earlier than that (the same fingerprint is the same key, whatever the registry says).
import { keyOccurrences } from "../secrets/facts.js";
import type { KeyInventoryEntry, KeyRegistry, PlacementOverrides, RegisteredKey } from "../secrets/hygiene.js";
import { buildInventory, daysBetween } from "../secrets/hygiene.js";
import type { FindingDraft, Rule, ScanContext } from "./rule.js";
import { credentialOf, describeCredential, detectorsByFingerprint, listPlaces, registryEntryMatches, rotateStep, secretFacts } from "./support/secrets.js";

/** Flags registered keys older than the rotation policy. */
export const keyPastRotation: Rule = {
  id: "AIW-SECRET-007",
  title: "Key past its rotation date",
  severity: "medium",
  docs: {
    what: "A key in the rotation registry (aiwarden.keys.json or `keys:` in the configuration) whose `created` date is more than `maxAgeDays` (default 90) before today, or that git history shows was committed that long ago. Medium for a registered key; high when the key is also in the scanned files or in git history, because then it is both exposed and old.",
    why: "Every day a key lives is another day for a copy of it (a laptop, a CI log, a backup, a harvested `.env`) to be used: supply-chain stealers such as the LiteLLM and nx compromises collected keys in bulk, and old keys are the ones nobody remembers to revoke. A rotation schedule caps how long a silent leak stays useful.",
    fix: "Issue a new key at the provider, deliver it to the service and environment the registry names, revoke the old one, and update the entry's `fingerprint` and `created` in the registry.",
    references: [
      "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
      "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final",
      "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const registry = context.facts.keyRegistry;
    if (!registry) return [];
    const facts = secretFacts(context);
    const overrides: PlacementOverrides = { environments: context.config.environments, services: context.config.services };
    const inventory = facts ? buildInventory(keyOccurrences(facts), overrides) : [];
    const detectors: Detectors = facts ? detectorsByFingerprint(facts) : new Map();
    const firstCommitted = new Map<string, string>();
    for (const s of facts?.history?.secrets ?? []) {
      const date = s.authorDate?.slice(0, 10);
      const known = firstCommitted.get(s.fingerprint);
      if (date && (!known || date < known)) firstCommitted.set(s.fingerprint, date);
    }
    const text = context.texts.get(registry.file);
    const drafts: FindingDraft[] = [];
    for (const entry of registry.keys) {
      const declaredAge = daysBetween(entry.created, context.today);
      const committed = entry.fingerprint !== undefined ? firstCommitted.get(entry.fingerprint) : undefined;
      const committedAge = committed !== undefined ? daysBetween(committed, context.today) : undefined;
      // A date that does not parse gives NaN: it never makes a key old, nor hides the other date.
      const fromGit = committedAge !== undefined && Number.isFinite(committedAge) && !(committedAge <= declaredAge);
      const age = fromGit ? committedAge : declaredAge;
      if (!(age > registry.maxAgeDays)) continue;
      const found = inventory.filter((key) => registryEntryMatches(entry, key));
      const line = text !== undefined ? entryLine(text, entry) : undefined;
      drafts.push({
        severity: found.length > 0 ? "high" : "medium",
        message: message(entry, registry, found, detectors, age, fromGit ? committed : undefined),
        fix: fix(entry, registry, found, detectors),
        file: registry.file,
        ...(line !== undefined ? { line } : {}),
        key: [identity(entry), entry.created],
      });
    }
    return drafts;
  },
};

type Detectors = ReturnType<typeof detectorsByFingerprint>;

function message(entry: RegisteredKey, registry: KeyRegistry, found: readonly KeyInventoryEntry[], detectors: Detectors, age: number, committed: string | undefined): string {
  const exact = entry.fingerprint !== undefined ? found[0] : undefined;
  const label = exact ? describeCredential(credentialOf(exact, detectors)) : entry.fingerprint !== undefined ? `${entry.provider} key with fingerprint ${entry.fingerprint}` : `${entry.provider} key \`${entry.name ?? "?"}\``;
  const registered = `registered for ${entry.service} in ${entry.environment}`;
  const when = committed !== undefined
    ? `${registered} as created on ${entry.created}, has been in git history since ${committed}, ${age} days ago`
    : `${registered}, was created on ${entry.created}, ${age} days ago`;
  const overdue = age - registry.maxAgeDays;
  let text = `${label}, ${when}: ${overdue} day${overdue === 1 ? "" : "s"} past the ${registry.maxAgeDays}-day rotation policy of ${registry.file}.`;
  if (found.length > 0) {
    const locations = found.flatMap((k) => k.locations);
    text += ` It is also in the repository (${listPlaces(locations)}), so every copy made in that time holds a working key.`;
  }
  return text;
}

function fix(entry: RegisteredKey, registry: KeyRegistry, found: readonly KeyInventoryEntry[], detectors: Detectors): string {
  const variables = [...new Set([...(entry.variables ?? []), ...found.flatMap((k) => k.variables)])].sort();
  const through = variables.length > 0 ? ` through ${variables.map((v) => `\`${v}\``).join(", ")}` : "";
  const deliver = `deliver it to ${entry.service} (${entry.environment})${through}`;
  const exact = entry.fingerprint !== undefined ? found[0] : undefined;
  const first = exact
    ? `${rotateStep(credentialOf(exact, detectors))}, ${deliver}`
    : `Issue a new ${entry.provider} key at the provider to replace ${entry.fingerprint !== undefined ? `the one with fingerprint ${entry.fingerprint}` : `\`${entry.name ?? "?"}\``}, ${deliver}, and revoke the old one`;
  const inTree = found.flatMap((k) => k.locations).find((l) => !l.historyOnly);
  const cleanup = inTree ? `; read the new key from the environment or a secret manager instead of writing it in ${inTree.path} as the old one was` : "";
  return `${first}, then set the entry's "created" to the day of the rotation${entry.fingerprint !== undefined ? ` and its "fingerprint" to the new key's (\`aiwarden keys\` prints it)` : ""} in ${registry.file}${cleanup}.`;
}

/** What names an entry in the finding's key: its fingerprint, else its name, else where it is used. */
function identity(entry: RegisteredKey): string {
  if (entry.fingerprint !== undefined) return entry.fingerprint;
  if (entry.name !== undefined) return `name:${entry.name}`;
  return `${entry.provider}/${entry.service}/${entry.environment}`;
}

/** The 1-based line of an entry in the registry text: the line holding its fingerprint, else its `name`. */
function entryLine(text: string, entry: RegisteredKey): number | undefined {
  const lines = text.split(/\r?\n/);
  let index = -1;
  if (entry.fingerprint !== undefined) {
    const fingerprint = entry.fingerprint;
    index = lines.findIndex((l) => l.includes(fingerprint));
  } else if (entry.name !== undefined) {
    const name = new RegExp(`(^|[\\s{,"'-])name["']?\\s*:\\s*["']?${escapeRegExp(entry.name)}["']?\\s*(,|\\}|$)`);
    index = lines.findIndex((l) => name.test(l));
  }
  return index >= 0 ? index + 1 : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
