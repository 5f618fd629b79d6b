import type { FindingDraft, Rule, Severity } from "./rule.js";
import { severityByBlastRadius } from "./rule.js";
import { lockedWithFacts, lockSite, registryFacts, utcMinute } from "./support/registry-facts.js";
import type { LockedFacts } from "./support/registry-facts.js";
import { packageOf } from "./support/supply-chain.js";
import type { ContextProject } from "./rule.js";

/**
 * AIW-REGISTRY-001: the registry no longer serves the locked version (unpublished, removed, quarantined; on npm a
 * removed malicious package is replaced by a `0.0.1-security` placeholder), or marks it yanked (PyPI) or deprecated
 * (npm).
 */
export const removedRelease: Rule = {
  id: "AIW-REGISTRY-001",
  title: "Locked version was removed, yanked or deprecated by its registry",
  severity: "high",
  docs: {
    what: "A locked version its registry no longer serves or has withdrawn: critical when npm replaced the package with its security placeholder (`0.0.1-security`, what npm does with malware); high when the version (or the whole package) is gone (unpublished, deleted, or quarantined — PyPI hides a quarantined project entirely); high when PyPI marks the release yanked (the reason is quoted); low when npm marks it deprecated (medium for an AI package or anything in its dependency subtree). Needs registry facts (silent offline without a cache). A package resolved from another registry than the configured one is not checked (a 404 there means nothing).",
    why: "Registries remove malicious releases: npm swaps the package for a security placeholder, PyPI deletes the files or quarantines the project (litellm 1.82.7/1.82.8 in March 2026; @ctrl/tinycolor 4.1.1/4.1.2 in the Shai-Hulud worm). A lockfile that still names such a version keeps installing it from caches, mirrors and proxies that kept a copy, and marks a machine that may already have run it. Yanked releases are withdrawn by their maintainers, usually for a serious bug or a security problem.",
    fix: "Move to a version the registry serves and that is not yanked (update the lockfile), and when the version was removed as malicious treat every machine and CI runner that installed it as compromised: rotate the credentials they could read.",
    references: [
      "https://docs.npmjs.com/policies/security",
      "https://github.com/npm/security-holder",
      "https://peps.python.org/pep-0592/",
      "https://blog.pypi.org/posts/2024-12-30-quarantine/",
    ],
  },
  check(context) {
    const facts = registryFacts(context);
    if (!facts) return [];
    const drafts: FindingDraft[] = [];
    for (const project of context.projects) {
      for (const locked of lockedWithFacts(facts, project)) {
        const draft = judge(project, locked);
        if (draft) drafts.push(draft);
      }
    }
    return drafts;
  },
};

function judge(project: ContextProject, locked: LockedFacts): FindingDraft | undefined {
  const { node, pkg, version } = locked;
  const radius = project.blastRadius(node);
  const where = { ...lockSite(project, node), project: project.path, package: packageOf(project, node) };
  const label = `${node.name} ${node.version}`;
  const manager = project.ecosystem === "npm" ? "npm" : "PyPI";
  if (!version) {
    if (pkg.securityHolder !== undefined) {
      return {
        severity: "critical",
        message: `${label} is no longer on npm: the registry replaced ${node.name} with its security placeholder ${pkg.securityHolder}, which is what npm does with malware.`,
        fix: `Remove ${node.name} from the project (it was taken down as malicious), update the lockfile, and treat every machine and CI runner that installed ${label} as compromised: rotate the credentials it could read.`,
        ...where,
        key: [project.path, node.id, "security-holder"],
      };
    }
    const unpublished = pkg.unpublished && (pkg.unpublished.versions.length === 0 || pkg.unpublished.versions.includes(node.version));
    const when = unpublished && pkg.unpublished?.time !== undefined ? ` on ${utcMinute(pkg.unpublished.time)}` : "";
    const gone = pkg.state === "gone";
    return {
      severity: "high",
      message: gone
        ? `${label} is no longer served by ${manager}: the whole package is gone (${unpublished ? `unpublished${when}` : `removed, quarantined or never published there`}).`
        : `${label} is no longer served by ${manager}: the version was ${unpublished ? `unpublished${when}` : "removed"} while the package remains (registries remove versions that are malicious or broken).`,
      fix: gone
        ? `Find out why ${node.name} disappeared before installing it from any cache or mirror; replace it, update the lockfile, and if it was removed as malicious rotate the credentials of every machine that installed it.`
        : `Move to a version ${manager} still serves (update the lockfile), and check advisories for ${label}: if it was removed as malicious, rotate the credentials of every machine that installed it.`,
      ...where,
      key: [project.path, node.id, "removed"],
    };
  }
  if (version.yanked) {
    const reason = version.yanked.reason;
    return {
      severity: "high",
      message: `${label} is yanked on PyPI${reason ? `: "${reason}"` : " (no reason given)"}.`,
      fix: `Move to a release that is not yanked (\`${node.name}!=${node.version}\` in the requirements or a constraint, then relock).`,
      ...where,
      key: [project.path, node.id, "yanked"],
    };
  }
  if (version.deprecated !== undefined) {
    const base: Severity = "low";
    return {
      severity: severityByBlastRadius(base, radius),
      message: `${label} is deprecated on npm: "${oneLine(version.deprecated)}".`,
      fix: `Follow the deprecation notice: move to the version or package it names and update the lockfile.`,
      ...where,
      key: [project.path, node.id, "deprecated"],
    };
  }
  return undefined;
}

/** A registry message on one line, shortened for a finding. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}
