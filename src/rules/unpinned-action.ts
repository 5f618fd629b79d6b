import { exposedSecrets, exposureNote, keepWorst } from "../ci/findings.js";
import { compromisedAction, parseUses, refKind } from "../ci/refs.js";
import type { RefKind } from "../ci/refs.js";
import { ciDetail } from "../ci/types.js";
import { shiftSeverity } from "./rule.js";
import type { FindingDraft, Rule, Severity } from "./rule.js";

/** Owners whose actions GitHub itself maintains. */
const GITHUB_OWNERS: ReadonlySet<string> = new Set(["actions", "github"]);

/**
 * AIW-ACTION-001: a GitHub Actions `uses:` (step or reusable workflow) not pinned to a full commit SHA. Tags and
 * branches can be moved to other code by whoever controls the action's repository: in March 2026 76 of 77
 * `aquasecurity/trivy-action` tags were force-pushed to an infostealer that read CI secrets from runner memory, the
 * start of the chain that published poisoned litellm releases. Local actions (`./…`) are part of the repository and
 * exempt; `docker://` images are AIW-ACTION-002's.
 *
 * Severity: medium for GitHub's own actions (`actions/*`, `github/*`), high for everyone else's, critical for a tag
 * listed in data/actions/compromised-tags.json; one step higher when the job publishes or holds secrets other than
 * GITHUB_TOKEN (a compromised step can read every secret of its job).
 */
export const unpinnedAction: Rule = {
  id: "AIW-ACTION-001",
  title: "GitHub Action not pinned to a commit SHA",
  severity: "high",
  docs: {
    what: "A `uses:` reference in a GitHub Actions workflow or composite action (a step's action or a reusable workflow) that names a tag, a branch or a shortened SHA instead of a full 40-character commit SHA. Local actions (`./…`) are exempt.",
    why: "Tags and branches are mutable: whoever controls the action's repository (its owners, or an attacker with a stolen token) can point them at new code, and every workflow using them runs it with the job's secrets on the next run. In March 2026 the tags of aquasecurity/trivy-action were force-pushed to an infostealer (GHSA-69fq-xp46-6x23); CI secrets stolen that way were used to publish poisoned litellm releases. A commit SHA cannot be moved.",
    fix: "Pin every third-party action to the full commit SHA of the release you reviewed and keep the tag as a comment (`uses: owner/repo@<sha> # v1.2.3`); Dependabot and Renovate update pinned SHAs. `pinact` or `ratchet` can rewrite a workflow in one go.",
    references: [
      "https://docs.github.com/en/actions/reference/security/secure-use#using-third-party-actions",
      "https://github.com/aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23",
      "https://github.com/aquasecurity/trivy-action/issues/541",
    ],
  },
  check(context) {
    const ci = ciDetail(context.facts.ci);
    if (!ci) return [];
    const drafts: FindingDraft[] = [];
    for (const action of ci.actions) {
      const parsed = parseUses(action.uses);
      if (!parsed || parsed.kind !== "remote") continue;
      const kind = refKind(parsed.ref);
      if (kind === "sha") continue;
      const repository = `${parsed.owner}/${parsed.repo}`;
      const compromised = compromisedAction(ci.compromised, parsed.owner, parsed.repo, parsed.ref);
      const base: Severity = compromised ? "critical" : GITHUB_OWNERS.has(parsed.owner.toLowerCase()) ? "medium" : "high";
      const secrets = exposedSecrets(action.jobSecrets);
      const exposed = action.jobPublishes || secrets.length > 0;
      const note = exposureNote(action.job, action.jobPublishes, secrets);
      const lookup = `gh api repos/${repository}/commits/${parsed.ref} --jq .sha`;
      const pinned = `uses: ${action.uses.slice(0, action.uses.lastIndexOf("@"))}@<40-character SHA> # ${parsed.ref}`;
      let message: string;
      let fix: string;
      if (compromised) {
        message = `\`${action.uses}\` uses a tag that was force-pushed to credential-stealing code (${compromised.advisory}, ${compromised.window})${note}.`;
        fix = compromised.safe
          ? `Pin to the commit SHA of a verified release: \`uses: ${action.uses.slice(0, action.uses.lastIndexOf("@"))}@${compromised.safe.sha} # ${compromised.safe.tag}\`. If this workflow ran during ${compromised.window}, rotate every secret the job could read.`
          : `Pin to the full commit SHA of a release the maintainers confirmed as clean (\`${pinned}\`). If this workflow ran during ${compromised.window}, rotate every secret the job could read.`;
      } else {
        message = `\`${action.uses}\` ${describeRef(kind, parsed.ref)}${note}.`;
        fix = kind === "short-sha"
          ? `Use the full 40-character SHA of that commit (\`${lookup}\`), keeping a version comment: \`${pinned}\`.`
          : `Pin to the commit SHA of ${parsed.ref} and keep the tag as a comment: \`${pinned}\` (look it up with \`${lookup}\`); Dependabot or Renovate keep pinned SHAs current.`;
      }
      drafts.push({
        severity: exposed ? shiftSeverity(base, 1) : base,
        message,
        fix,
        file: action.file,
        line: action.line,
        key: [action.file, action.uses],
      });
    }
    return keepWorst(drafts);
  },
};

function describeRef(kind: RefKind, ref: string): string {
  switch (kind) {
    case "branch":
      return `follows the branch \`${ref}\`: every push to it changes the code this job runs`;
    case "short-sha":
      return `uses a shortened commit SHA \`${ref}\`; only the full 40-character SHA is an immutable pin`;
    case "version-tag":
      return `is pinned to the tag \`${ref}\`, which the action's owners (or anyone holding their credentials) can move to other code`;
    default:
      return `is pinned to \`${ref}\`, a tag or branch that can be moved to other code`;
  }
}
