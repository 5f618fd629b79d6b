import type { PackageNode } from "../graph/package-node.js";
import type { BlastRadius, ContextProject, FindingDraft, Rule, Severity } from "./rule.js";
import { severityByBlastRadius } from "./rule.js";
import { listSome, nameVersion, packageOf, site, widerRadius } from "./support/supply-chain.js";

/** Base severity: a hash exists, but one an attacker can match (see the docs). */
const BASE: Severity = "medium";

/** Hash algorithms with practical collision attacks: they identify bytes, they do not protect them. */
const WEAK: ReadonlySet<string> = new Set(["sha1", "md5"]);

/** At least this many affected entries, making up at least half of a lockfile, are one finding about the file. */
const WHOLE_FILE_MIN = 20;

const FIX_BY_FORMAT: Readonly<Record<string, string>> = {
  "npm-lock": "Regenerate the entry with a current npm (delete it, or the lockfile, and run `npm install --package-lock-only`): the registry serves sha512 `integrity` for every tarball.",
  "yarn-lock": "Run `yarn install` with yarn 1.10 or later (or yarn 2+): it adds a sha512 `integrity` next to the `#sha1` fragment.",
  "pnpm-lock": "Run `pnpm install --lockfile-only` against a registry that serves sha512 integrity.",
  "pip-requirements": "Replace the weak hash with a `--hash=sha256:…` (`pip hash <file>` or `pip-compile --generate-hashes`).",
};

/**
 * AIW-HASH-002: a locked package whose only hashes are sha1 or md5: old npm v1 lockfiles (`sha1-…` integrity of
 * tarballs published before npm 5) and yarn classic entries that kept only the `#sha1` fragment of their URL.
 */
export const weakIntegrity: Rule = {
  id: "AIW-HASH-002",
  title: "Locked package is verified only by a weak hash",
  severity: BASE,
  docs: {
    what: "A lockfile entry whose integrity hashes are all sha1 or md5: npm lockfiles with a `sha1-…` `integrity`, yarn classic entries with only the `#<sha1>` fragment of their `resolved` URL, md5 link hashes. One finding per package; when at least 20 entries and half of a lockfile are weak-only, one finding for the file. Severity: medium, high for an AI package or anything in an AI package's dependency subtree (a file-level finding takes the widest blast radius it covers).",
    why: "SHA-1 and MD5 have practical collision attacks (SHAttered, 2017): whoever prepares the original tarball can prepare a second one with the same digest, so a malicious maintainer or a compromised build can swap code past the check. Registries have served sha512 integrity for years; a weak-only entry means the lockfile was written by an old tool and never refreshed.",
    fix: "Refresh the lockfile with a current package manager so it records sha512 (npm, yarn, pnpm) or sha256 (pip, poetry, uv) hashes.",
    references: [
      "https://shattered.io/",
      "https://w3c.github.io/webappsec-subresource-integrity/#hash-functions",
      "https://classic.yarnpkg.com/blog/2018/06/21/yarn-1.10/",
    ],
  },
  check(context) {
    const drafts: FindingDraft[] = [];
    for (const project of context.projects) {
      if (project.locked) drafts.push(...projectFindings(project));
    }
    return drafts;
  },
};

function projectFindings(project: ContextProject): FindingDraft[] {
  const primary = project.files[0] ?? project.path;
  let eligible = 0;
  const weak: PackageNode[] = [];
  for (const node of project.graph.packages()) {
    if ((node.source !== "registry" && node.source !== "url") || node.workspace || node.bundled || node.hashes.length === 0) continue;
    eligible++;
    if (node.hashes.every((h) => WEAK.has(h.algorithm))) weak.push(node);
  }
  if (weak.length === 0) return [];
  const fix = FIX_BY_FORMAT[project.extractorId] ?? "Regenerate the lockfile with a current tool so it records sha256 or sha512 hashes.";
  if (weak.length >= WHOLE_FILE_MIN && weak.length * 2 >= eligible) {
    let radius: BlastRadius = "other";
    for (const node of weak) radius = widerRadius(radius, project.blastRadius(node));
    const ai = weak.filter((n) => project.blastRadius(n) !== "other").map(nameVersion);
    return [{
      severity: severityByBlastRadius(BASE, radius),
      message: `${primary} verifies ${weak.length} of its ${eligible} hashed packages only by sha1 or md5${ai.length > 0 ? `, including ${listSome(ai)} in the AI stack` : ""}: the file predates sha512 integrity.`,
      fix,
      file: primary,
      project: project.path,
      key: [primary],
    }];
  }
  return weak.map((node) => {
    const algorithms = [...new Set(node.hashes.map((h) => h.algorithm))].join(" and ");
    return {
      severity: severityByBlastRadius(BASE, project.blastRadius(node)),
      message: `${nameVersion(node)} is verified only by ${algorithms} in ${node.locations[0]?.file ?? primary}, a hash with practical collision attacks.`,
      fix,
      ...site(node.locations[0], primary),
      project: project.path,
      package: packageOf(project, node),
      key: [project.path, node.id],
    };
  });
}
