import { redactCredentials } from "../ecosystems/pip/requirement-target.js";
import type { Location, PackageNode } from "../graph/package-node.js";
import type { ContextProject, FindingDraft, Rule, Severity } from "./rule.js";
import { SEVERITIES, severityByBlastRadius, shiftSeverity } from "./rule.js";
import { gitCommitPinned, nameVersion, packageOf, pathPlace, site } from "./support/supply-chain.js";

/** The ceiling: a source choice is a risk to review, not an incident (AIW-SOURCE-002 covers insecure transport). */
const MAX: Severity = "high";

/**
 * AIW-SOURCE-001: a package installed from git, a tarball URL or a local path instead of a registry. Such code skips
 * what a registry gives (immutable versions, advisories, malware takedowns) and, for git without a commit, can change
 * under the same reference. Workspace members, and the project itself (`-e .`), are the project's own code and
 * stay out.
 */
export const nonRegistrySource: Rule = {
  id: "AIW-SOURCE-001",
  title: "Package comes from git, a URL or a local path",
  severity: "medium",
  docs: {
    what: "A dependency whose code comes from a git repository, a tarball or wheel URL, or a local path (npm `git+…`/`file:`, yarn `portal:`/`link:`, pnpm `link:`, Poetry/uv `git`/`url`/`path` sources, pip `git+…`/URL/path requirements), other than workspace members and the project itself. Severity: medium for git and URL sources and for paths outside the repository, low for paths inside it (the code is in the repository, but it is not versioned or hashed as a package); one step higher for an AI package or anything in its dependency subtree; one step higher again for git without a pinned commit (a branch or tag); at most high.",
    why: "A registry gives every release an immutable version, publishes advisories against it and takes malware down; git and URL sources have none of that, and a branch or tag can be moved to different code without any change on your side (the trivy-action tag rewrite behind the litellm incident moved tags exactly like that). Paths outside the repository install whatever the machine has there.",
    fix: "Depend on a registry release; if the fork or pre-release is needed, pin a full commit SHA (git) or a hashed URL, or vendor the code into the repository as a workspace package.",
    references: [
      "https://docs.npmjs.com/cli/configuring-npm/package-json#git-urls-as-dependencies",
      "https://pip.pypa.io/en/stable/topics/vcs-support/",
      "https://docs.astral.sh/uv/concepts/projects/dependencies/#dependency-sources",
    ],
  },
  check(context) {
    const drafts: FindingDraft[] = [];
    for (const project of context.projects) {
      for (const node of project.graph.packages()) {
        if (node.workspace || node.source === "registry") continue;
        const draft = finding(project, node);
        if (draft) drafts.push(draft);
      }
    }
    return drafts;
  },
};

function finding(project: ContextProject, node: PackageNode): FindingDraft | undefined {
  const resolved = node.resolved ?? "";
  let base: Severity = "medium";
  let what: string;
  let steps = 0;
  if (node.source === "path") {
    const place = pathPlace(project, resolved);
    if (place === "self") return undefined;
    base = place === "inside" ? "low" : "medium";
    what = place === "inside" ? `the local path ${resolved} inside the repository` : `the path ${resolved} outside the repository`;
  } else if (node.source === "git") {
    if (!gitCommitPinned(resolved)) steps++;
    what = `git (${redactCredentials(resolved)})`;
  } else {
    what = `the URL ${redactCredentials(resolved)}`;
  }
  const radius = project.blastRadius(node);
  const raised = shiftSeverity(severityByBlastRadius(base, radius), steps);
  const severity = SEVERITIES.indexOf(raised) < SEVERITIES.indexOf(MAX) ? MAX : raised;
  const declared = declaration(project, node);
  const primary = project.files[0] ?? project.path;
  return {
    severity,
    message: `${nameVersion(node)} comes from ${what} instead of a registry${radius === "ai" ? " (an AI package)" : radius === "ai-subtree" ? " (inside an AI package's dependencies)" : ""}: ${steps > 0 ? "the branch or tag it follows can be moved to other code, and " : ""}no immutable release, advisory or takedown covers it.`,
    fix: fixFor(node, steps > 0),
    ...site(declared ?? node.locations[0], primary),
    project: project.path,
    package: packageOf(project, node),
    key: [project.path, node.name, redactCredentials(resolved)],
  };
}

function fixFor(node: PackageNode, movable: boolean): string {
  switch (node.source) {
    case "git":
      return movable
        ? `Replace the branch or tag with a full commit SHA, or better, depend on a registry release of ${node.name}.`
        : `Depend on a registry release of ${node.name} (publish the fork under your own scope if you need it); the commit keeps the code fixed, but no advisory or takedown will ever reach it.`;
    case "path":
      return `Publish ${node.name} to your registry, or make it a workspace member so it is versioned with the project.`;
    default:
      return `Depend on a registry release of ${node.name}; if this download is needed, make sure the lockfile records a sha256/sha512 hash for it.`;
  }
}

/** Where a direct dependency is declared (the manifest line to change), when the project declares it itself. */
function declaration(project: ContextProject, node: PackageNode): Location | undefined {
  for (const edge of project.graph.dependentsOf(node.id)) {
    if (edge.location && project.graph.get(edge.from)?.workspace) return edge.location;
  }
  return undefined;
}
