// AIW-SECRET-002: a credential in git history (`--history`), reported once per key with the oldest commit that added
// it, where, when, and whether HEAD still holds it. Deleting the file does not help: every clone, fork and mirror
// keeps the old commits, so the key must be revoked.
import type { HistorySecret } from "../secrets/facts.js";
import type { FindingDraft, Rule, ScanContext } from "./rule.js";
import { describeCredential, rotateStep, secretFacts, secretSeverity } from "./support/secrets.js";

/** Flags credentials found anywhere in git history. */
export const secretInHistory: Rule = {
  id: "AIW-SECRET-002",
  title: "Credential in git history",
  severity: "critical",
  docs: {
    what: "An API key, token or cloud credential in any version of any file reachable from a branch, tag or other ref, including keys that were later deleted. Reported once per key, with the commit that first added it, its author date and path, and whether HEAD still holds it.",
    why: "Removing a key in a later commit leaves it in every earlier one: each clone, fork, CI cache and mirror has it, and scrapers watch public pushes for exactly this. Until the key is revoked, the history is a working credential.",
    fix: "Revoke and replace the key at the provider (the only fix that protects you). Optionally rewrite history (`git filter-repo --replace-text`) and force-push, knowing that existing clones keep the old objects.",
    references: [
      "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository",
      "https://git-scm.com/docs/git-rev-list",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const history = secretFacts(context)?.history;
    if (!history) return [];
    return history.secrets.map(draft);
  },
};

function draft(s: HistorySecret): FindingDraft {
  const when = s.commit ? `was committed in ${s.commit.slice(0, 12)}${s.authorDate ? ` (${s.authorDate.slice(0, 10)})` : ""}` : "is in a blob reachable from the refs";
  const where = `${s.path}:${s.line}`;
  const state = s.stillPresent ? "is still in HEAD" : "was removed from the tree later, yet stays in every clone's history";
  const versions = s.blobs > 1 ? ` (${s.blobs} file versions hold it)` : "";
  return {
    severity: secretSeverity(s.detector),
    message: `${describeCredential(s)}${s.variable ? ` assigned to \`${s.variable}\`` : ""} ${when} at ${where}${versions} and ${state}: it must be rotated.`,
    fix: `${rotateStep(s)}; deleting it from the files does not remove it from history${s.stillPresent ? `, so after rotating also remove it from ${s.path}` : ""}. To purge the old commits, run \`git filter-repo --replace-text <file listing the key>\` and force-push every branch and tag.`,
    file: s.path,
    line: s.line,
    key: [s.fingerprint],
    secret: { fingerprint: s.fingerprint },
  };
}
