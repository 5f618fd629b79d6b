// AIW-MALWARE-001: a locked package version that a malicious-package report names (OSV `MAL-…` records from
// ossf/malicious-packages, GitHub malware advisories, npm malware advisories). Always critical. Facts come from
// src/sources/advisories.ts (enrich stage), which ignores the stale open `introduced: "0"` range of some MAL records.
import type { PackageNode } from "../graph/package-node.js";
import type { Advisory } from "../sources/advisories.js";
import type { ContextProject, FindingDraft, Rule, ScanContext } from "./rule.js";
import { advisoryFacts, advisoryName, checkable, chainOf, moveStep, sourceNames } from "./support/advisories.js";
import { lockEntry, packageOf, site } from "./support/supply-chain.js";

/** Credentials an install of a malicious release could read, named in every fix. */
const CREDENTIALS = "LLM provider API keys, cloud and database credentials, npm/PyPI/GitHub tokens, SSH keys and every .env file";

/** Flags locked versions reported as malicious by the advisory sources. */
export const maliciousPackage: Rule = {
  id: "AIW-MALWARE-001",
  title: "Malicious package version reported by an advisory feed",
  severity: "critical",
  docs: {
    what: "A locked package version is named by a malicious-package report: an OSV `MAL-…` record (ossf/malicious-packages, fed by GitHub, Amazon Inspector, Socket, OpenSSF Package Analysis and others), a GitHub malware advisory, or an npm malware advisory, read from OSV online, a local `--osv-db` copy, or the npm registry. Critical whatever the package's place in the graph. A version the shipped or user blocklist already reports under the same id is left to AIW-BLOCK-001, so it is reported once.",
    why: "A malicious release runs its payload at install or import time: the March 2026 litellm 1.82.7/1.82.8 releases and the Shai-Hulud worm's npm releases (@ctrl/tinycolor 4.1.1, @mistralai/mistralai 2.2.2–2.2.4) harvested API keys and CI tokens and published themselves further. Advisory feeds know such releases within hours, long before the shipped blocklist is updated. Stale open ranges: some MAL records keep an `introduced: \"0\"` range with no end beside the real affected versions (MAL-2025-47141 for @ctrl/tinycolor, MAL-2026-3432 for @mistralai/mistralai), which read literally marks every version ever published as malicious. When a malicious-package record also lists explicit versions or a bounded range for the package, aiwarden treats such an open range as that artifact and matches only the explicit versions and bounded ranges, so @ctrl/tinycolor 4.1.0 is clean and 4.1.1 is flagged. A record whose only evidence is an open range (a package malicious from its first release, such as a typosquat) still matches every version.",
    fix: "Remove the malicious version: move to a release the report does not list (or drop the package), regenerate the lockfile, and treat every machine and CI job that installed it as compromised: from a clean machine, rotate every credential its environment could read, and look for persistence the payload may have left.",
    references: [
      "https://github.com/ossf/malicious-packages",
      "https://ossf.github.io/osv-schema/",
      "https://osv.dev/vulnerability/MAL-2026-2144",
      "https://github.com/ossf/malicious-packages/issues/1254",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const facts = advisoryFacts(context);
    if (!facts) return [];
    const drafts: FindingDraft[] = [];
    const blockRuleOff = context.config.rules["AIW-BLOCK-001"] === "off";
    for (const project of context.projects) {
      for (const node of project.graph.packages()) {
        if (!checkable(node)) continue;
        const reports = facts.match(project.ecosystem, node.name, node.version).filter((a) => a.malicious);
        if (reports.length === 0) continue;
        // AIW-BLOCK-001 already reports a version the blocklist lists under the same advisory.
        // (Unless the configuration turns AIW-BLOCK-001 off: then this rule is the one left to say it.)
        const listed = new Set(blockRuleOff ? [] : (context.facts.blocklist?.match(project.ecosystem, node.name, node.version) ?? []).flatMap((e) => [e.id, ...e.aliases]));
        const fresh = reports.filter((a) => ![a.id, ...a.aliases].some((id) => listed.has(id)));
        if (fresh.length > 0) drafts.push(finding(project, node, fresh));
      }
    }
    return drafts;
  },
};

function finding(project: ContextProject, node: PackageNode, reports: readonly Advisory[]): FindingDraft {
  const ids = reports.map(advisoryName).join(", ");
  const summaries = [...new Set(reports.map((a) => a.summary.replace(/[.\s]+$/, "")))].join("; ");
  const chain = chainOf(project, node);
  const lock = lockEntry(project, node) ?? node.locations[0];
  return {
    severity: "critical",
    message: `${node.name} ${node.version} is a known malicious release (${ids}): ${summaries}; reported by ${sourceNames(reports)}${chain ? `; pulled in by ${chain}` : ""}.`,
    fix: `Move ${node.name} off ${node.version} to a release the report does not list (${reports.map((a) => a.url).join(", ")}): ${moveStep(project, node, "<clean version>", `${node.name}!=${node.version}`)}; then treat every machine and CI job that installed ${node.name} ${node.version} as compromised: from a clean machine, rotate every credential its environment could read (${CREDENTIALS}).`,
    ...site(lock, project.files[0] ?? project.path),
    project: project.path,
    package: packageOf(project, node),
    key: [project.path, `${node.name}@${node.version}`],
  };
}
