import type { FindingDraft, Rule, Severity } from "./rule.js";
import { severityByBlastRadius } from "./rule.js";
import type { SignatureStatus } from "../sources/registry/types.js";
import { lockSite, lockedNpmWithFacts } from "./support/registry-facts.js";
import { packageOf } from "./support/supply-chain.js";

/** What each failed check means, its severity (before blast radius), and how to say it. */
const OUTCOMES: Readonly<Partial<Record<SignatureStatus, { severity: Severity; says: (registry: string, keyid?: string) => string }>>> = {
  invalid: { severity: "critical", says: (registry, keyid) => `its registry signature does not verify against ${registry}'s key ${keyid ?? ""}`.trimEnd() },
  "expired-key": { severity: "high", says: (registry, keyid) => `it is signed with ${registry}'s key ${keyid ?? ""}, which had expired before the version was published` },
  "unknown-key": { severity: "high", says: (registry, keyid) => `it is signed with a key ${keyid ?? ""} that ${registry} does not publish` },
  missing: { severity: "medium", says: (registry) => `it carries no registry signature although ${registry} signs every version it serves` },
};

/**
 * AIW-SIGNATURE-001: a locked npm version whose registry signature is invalid, made with an expired or unknown key,
 * or missing from a registry that signs everything. Checked in the enrich stage the way `npm audit signatures` does
 * (ECDSA over `name@version:integrity` with the keys from `/-/npm/v1/keys`), from the lockfile, without installing.
 */
export const invalidSignature: Rule = {
  id: "AIW-SIGNATURE-001",
  title: "Registry signature of a locked version is invalid or missing",
  severity: "critical",
  docs: {
    what: "A locked npm version whose registry signature (`dist.signatures`) fails the check `npm audit signatures` makes: the ECDSA P-256 signature over `<name>@<version>:<integrity>` must verify with the registry key of that key id from `/-/npm/v1/keys`, and that key must not have expired before the version was published. Invalid signature: critical. Signed with an expired or unknown key: high. No signature although the registry publishes signing keys (the public npm registry signs every version): medium, high for an AI package or anything in its dependency subtree. Registries that publish no keys are not checked. The integrity signed is the registry's; a lockfile integrity that differs from it is AIW-HASH-004.",
    why: "The registry signature ties a version's integrity to the registry's key. A packument whose signature does not verify was altered after the registry signed it — by a compromised mirror, a caching proxy, or an attacker in the middle — and the integrity it advertises (which the lockfile then records) may point at other bytes. A missing signature on a registry that signs everything means the document did not come from it as published.",
    fix: "Do not install the version from the registry or mirror that served this document. Compare the packument with registry.npmjs.org directly, check which proxy or mirror the project uses (.npmrc `registry`), and report a mismatch to the registry operator.",
    references: [
      "https://docs.npmjs.com/about-registry-signatures",
      "https://docs.npmjs.com/verifying-registry-signatures",
      "https://github.com/npm/cli/blob/latest/lib/utils/verify-signatures.js",
    ],
  },
  check(context) {
    const drafts: FindingDraft[] = [];
    for (const { project, node, pkg, version } of lockedNpmWithFacts(context)) {
      const signature = version?.signature;
      const outcome = signature ? OUTCOMES[signature.status] : undefined;
      if (!signature || !outcome) continue;
      const registry = hostOf(pkg.registry);
      const severity = signature.status === "missing" ? severityByBlastRadius(outcome.severity, project.blastRadius(node)) : outcome.severity;
      drafts.push({
        severity,
        message: `${node.name} ${node.version} cannot be trusted as published: ${outcome.says(registry, signature.keyid)}.`,
        fix: `Do not install ${node.name} ${node.version} from ${registry} as it is served now: fetch the packument from registry.npmjs.org directly and compare \`dist.integrity\` and \`dist.signatures\`, check the registry or proxy configured in .npmrc, and run \`npm audit signatures\` after a clean install.`,
        ...lockSite(project, node),
        project: project.path,
        package: packageOf(project, node),
        key: [project.path, node.id, signature.status],
      });
    }
    return drafts;
  },
};

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
