import type { FindingDraft, Rule, Severity } from "./rule.js";
import { severityByBlastRadius } from "./rule.js";
import { lockSite, lockedNpmWithFacts, publishedBefore } from "./support/registry-facts.js";
import { listSome, packageOf } from "./support/supply-chain.js";

/** Base severity: a first-time publisher is often a new maintainer, sometimes a hijacked or added account. */
const BASE: Severity = "medium";

/**
 * AIW-PUBLISHER-001: the locked npm version was published by an account (`_npmUser.name`) that published no earlier
 * version of the package.
 */
export const newPublisher: Rule = {
  id: "AIW-PUBLISHER-001",
  title: "Locked version was published by a first-time publisher",
  severity: BASE,
  docs: {
    what: "A locked npm version whose publishing account (`_npmUser.name` in the packument) published none of the versions released before it. Versions published through OIDC trusted publishing (`_npmUser.trustedPublisher`) are left alone: the identity there is the CI workflow, not an account, and moving to it is an improvement. A package's first version has no history and is not judged. Needs registry facts. Severity: medium, high for an AI package or anything in its dependency subtree.",
    why: "Handing publish rights to a newcomer is how the event-stream attack (2018) worked: event-stream 3.3.6, which pulled in the malicious flatmap-stream, was published by an account that had been given publish rights weeks before and had never released the package. An attacker who controls one maintainer's account can likewise add another account and publish from it. Most first-time publishers are legitimate new maintainers, which is why this is medium: it asks for a look, not an alarm. (A hijacked existing account publishes under its usual name; AIW-PROVENANCE-001 and AIW-AGE-001 are the signals there.)",
    fix: "Check who the publisher is (the project's maintainers list, its release notes, its repository), and lock the previous version until the release is confirmed.",
    references: [
      "https://github.com/dominictarr/event-stream/issues/116",
      "https://docs.npmjs.com/trusted-publishers",
    ],
  },
  check(context) {
    const drafts: FindingDraft[] = [];
    for (const { project, node, pkg, version } of lockedNpmWithFacts(context)) {
      const publisher = version?.publisher;
      if (!version || publisher === undefined || version.trustedPublisher) continue;
      const earlier = publishedBefore(pkg, version);
      const before = new Set<string>();
      for (const v of earlier) if (v.publisher !== undefined) before.add(v.publisher);
      if (before.size === 0 || before.has(publisher)) continue;
      const previous = earlier.find((v) => v.publisher !== undefined);
      drafts.push({
        severity: severityByBlastRadius(BASE, project.blastRadius(node)),
        message: `${node.name} ${node.version} was published by ${publisher}, an account that published none of its ${earlier.length} earlier version${earlier.length === 1 ? "" : "s"} (those came from ${listSome([...before].sort())}).`,
        fix: `Confirm that ${publisher} is a maintainer of ${node.name} (its repository, release notes, \`npm owner ls ${node.name}\`)${previous ? `; until then lock ${node.name} ${previous.version}` : ""}.`,
        ...lockSite(project, node),
        project: project.path,
        package: packageOf(project, node),
        key: [project.path, node.id, publisher],
      });
    }
    return drafts;
  },
};
