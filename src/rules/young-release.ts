import type { FindingDraft, Rule, Severity } from "./rule.js";
import { severityByBlastRadius } from "./rule.js";
import {
  cooldownAdvice, days, describeAge, lockedWithFacts, lockSite, packageManagerOf, registryFacts, releaseAgeSettings, scanTime, utcMinute,
} from "./support/registry-facts.js";
import type { LockedFacts } from "./support/registry-facts.js";
import { packageOf } from "./support/supply-chain.js";

/** Base severity: a fresh release is not malicious, it is simply unvetted (see the docs). */
const BASE: Severity = "medium";

/**
 * AIW-AGE-001: a locked version published less than `releaseAge.minimumDays` (default 7) before the scan, for AI
 * packages and their dependency subtrees (every package with `releaseAge.scope: "all"`). Poisoned releases are
 * usually found and removed within hours: the litellm 1.82.7/1.82.8 releases were on PyPI for about 40 minutes.
 */
export const youngRelease: Rule = {
  id: "AIW-AGE-001",
  title: "Locked version is younger than the release-age cooldown",
  severity: BASE,
  docs: {
    what: "A locked version that its registry says was published less than the configured number of days before the scan (`releaseAge.minimumDays`, default 7). By default only AI packages and the packages in their dependency subtrees are checked; `releaseAge.scope: \"all\"` checks every locked package. The publish time is the npm packument's `time[version]` or the earliest file upload of the PyPI release; the scan time is when the registry facts were gathered. Needs registry facts (silent offline without a cache). Severity: high for an AI package or anything in its dependency subtree, medium otherwise.",
    why: "Malicious releases pushed with stolen publishing credentials are usually spotted and removed within hours: the poisoned litellm 1.82.7 and 1.82.8 releases (March 2026, published with a PyPI token stolen from CI) were live for about 40 minutes, the Shai-Hulud npm worm releases for hours. A project that locks a release in its first days takes that risk for nothing; a cooldown of a few days would have kept all of these out. AI packages hold the most valuable credentials (LLM provider keys), so a poisoned release there pays off most.",
    fix: "Lock the previous release until the new one has aged, and configure a cooldown in the package manager so new releases stay out automatically (npm `min-release-age`, pnpm `minimumReleaseAge`, yarn `npmMinimalAgeGate`, uv `exclude-newer`; see AIW-AGE-002).",
    references: [
      "https://docs.npmjs.com/cli/v11/using-npm/config#min-release-age",
      "https://pnpm.io/settings#minimumreleaseage",
      "https://docs.astral.sh/uv/reference/settings/#exclude-newer",
      "https://github.com/BerriAI/litellm/issues/24512",
    ],
  },
  check(context) {
    const facts = registryFacts(context);
    if (!facts) return [];
    const settings = releaseAgeSettings(context);
    const now = scanTime(context);
    const window = days(settings.minimumDays);
    const drafts: FindingDraft[] = [];
    for (const project of context.projects) {
      const manager = packageManagerOf(context, project);
      for (const locked of lockedWithFacts(facts, project)) {
        const published = locked.version?.published;
        if (published === undefined) continue;
        const age = now - Date.parse(published);
        // A publish time after the scan means a clock or mirror problem, not a young release.
        if (age < 0 || age >= window) continue;
        const radius = project.blastRadius(locked.node);
        if (settings.scope === "ai" && radius === "other") continue;
        const { node } = locked;
        const until = new Date(Date.parse(published) + window).toISOString();
        const previous = previousAged(locked, now - window);
        const advice = cooldownAdvice(manager, settings.minimumDays);
        drafts.push({
          severity: severityByBlastRadius(BASE, radius),
          message: `${node.name} ${node.version} was published ${describeAge(age)} before this scan (${utcMinute(published)}); a ${settings.minimumDays}-day cooldown keeps releases that young out, as it would have kept out the 40-minute litellm compromise.`,
          fix: `${previous ? `Lock ${node.name} ${previous} (the newest release older than ${settings.minimumDays} days) until ${utcMinute(until)}, then review the new release` : `Hold ${node.name} ${node.version} back until ${utcMinute(until)} and review it before locking it`}; ${advice.text}.`,
          ...lockSite(project, node),
          project: project.path,
          package: packageOf(project, node),
          key: [project.path, node.id],
        });
      }
    }
    return drafts;
  },
};

/**
 * The newest release published before the cut-off (so it has aged), not yanked or deprecated, and a pre-release only
 * when the locked version is one: what to lock instead.
 */
function previousAged(locked: LockedFacts, cutoff: number): string | undefined {
  const pre = isPrerelease(locked.node.version);
  let best: { version: string; at: number } | undefined;
  for (const facts of locked.pkg.versions.values()) {
    if (facts.published === undefined || facts.yanked || facts.deprecated !== undefined) continue;
    if (!pre && isPrerelease(facts.version)) continue;
    const at = Date.parse(facts.published);
    if (at <= cutoff && (!best || at > best.at)) best = { version: facts.version, at };
  }
  return best?.version;
}

/** npm pre-releases carry `-` (`1.0.0-beta.1`); PEP 440 pre/dev releases `a`, `b`, `rc` or `.dev`. */
function isPrerelease(version: string): boolean {
  return version.includes("-") || /[\d.](?:a|b|c|rc|alpha|beta|pre|preview|dev)\d*$/i.test(version);
}
