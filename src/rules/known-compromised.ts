// AIW-BLOCK-001: a locked (or exactly pinned) package version that a blocklist record names as compromised. The
// blocklist (shipped + the user's, src/sources/blocklist.ts) matches exact versions only, so every hit is a release
// known to carry malicious code: critical whatever the package's place in the graph.
import type { PackageNode } from "../graph/package-node.js";
import type { BlocklistEntry, ContextProject, FindingDraft, Rule, ScanContext } from "./rule.js";

/** Credentials a compromised install could read, named in every fix so the rotation is not left at "rotate keys". */
const CREDENTIALS = "LLM provider API keys, cloud and database credentials, npm/PyPI/GitHub tokens, SSH keys and every .env file";

/** Flags every package version listed by a blocklist record. */
export const knownCompromised: Rule = {
  id: "AIW-BLOCK-001",
  title: "Known-compromised package version",
  severity: "critical",
  docs: {
    what: "A locked package version (or an exact pin in a manifest) is listed by the shipped or a user blocklist as a compromised release.",
    why: "Compromised releases such as litellm 1.82.7/1.82.8 (March 2026) run code at install or import time that harvests API keys and CI tokens. Whoever installed one must assume every credential of that machine or CI job is stolen.",
    fix: "Move to a version the advisory does not list, regenerate the lockfile, and rotate every credential the environment that installed the compromised version could read, from a clean machine.",
    references: [
      "https://ossf.github.io/osv-schema/",
      "https://github.com/ossf/malicious-packages",
      "https://osv.dev/vulnerability/MAL-2026-2144",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const blocklist = context.facts.blocklist;
    if (!blocklist) return [];
    const drafts: FindingDraft[] = [];
    for (const project of context.projects) {
      for (const node of project.graph.packages()) {
        // Git and path packages are built from source, not the registry artifact an advisory names.
        if (node.workspace || node.version === "" || node.source === "git" || node.source === "path") continue;
        const entries = blocklist.match(project.ecosystem, node.name, node.version);
        if (entries.length === 0) continue;
        drafts.push(finding(project, node, entries));
      }
    }
    return drafts;
  },
};

function finding(project: ContextProject, node: PackageNode, entries: readonly BlocklistEntry[]): FindingDraft {
  const location = node.locations[0];
  const ids = entries.map((e) => (e.aliases.length > 0 ? `${e.id} (${e.aliases.join(", ")})` : e.id)).join(", ");
  const summaries = [...new Set(entries.map((e) => e.summary.replace(/[.\s]+$/, "")))].join("; ");
  const listed = [...new Set(entries.flatMap((e) => e.versions))];
  const pinned = !project.locked ? " pinned by the manifest" : "";
  return {
    severity: "critical",
    message: `${node.name} ${node.version}${pinned} is a known-compromised release (${ids}): ${summaries}.`,
    fix: `${upgradeStep(project, node, listed)}; then treat every machine and CI job that installed ${node.name} ${node.version} as compromised: from a clean machine, rotate every credential its environment could read (${CREDENTIALS}).`,
    file: location?.file ?? project.files[0] ?? project.path,
    ...(location?.line !== undefined ? { line: location.line } : {}),
    project: project.path,
    package: { ecosystem: project.ecosystem, name: node.name, version: node.version, id: node.id },
    key: [project.path, `${node.name}@${node.version}`],
  };
}

/** The concrete way out of the listed versions, for the tool that owns the project's lockfile. */
function upgradeStep(project: ContextProject, node: PackageNode, listed: readonly string[]): string {
  const name = node.name;
  const direct = project.graph.isDirect(node.id);
  const versions = listed.join(", ");
  const exclusion = `${name}${listed.map((v) => `!=${v}`).join(",")}`;
  switch (project.extractorId) {
    case "npm-lock":
      return direct
        ? `Install a version the advisory does not list (${versions}): \`npm install ${name}@<clean version>\``
        : `Force a version the advisory does not list (${versions}) with \`"overrides": { "${name}": "<clean version>" }\` in package.json and run \`npm install\``;
    case "yarn-lock":
      return direct
        ? `Install a version the advisory does not list (${versions}): \`yarn add ${name}@<clean version>\``
        : `Force a version the advisory does not list (${versions}) with \`"resolutions": { "${name}": "<clean version>" }\` in package.json and run \`yarn install\``;
    case "pnpm-lock":
      return direct
        ? `Install a version the advisory does not list (${versions}): \`pnpm add ${name}@<clean version>\``
        : `Force a version the advisory does not list (${versions}) with \`"pnpm": { "overrides": { "${name}": "<clean version>" } }\` in package.json and run \`pnpm install\``;
    case "npm-manifest":
      return `Change the pin of ${name} in ${project.files[0] ?? "package.json"} to a version the advisory does not list (${versions}) and run \`npm install\``;
    case "uv-lock":
      return direct
        ? `Exclude the listed versions: \`uv add "${exclusion}"\``
        : `Exclude the listed versions with \`constraint-dependencies = ["${exclusion}"]\` under [tool.uv] and run \`uv lock --upgrade-package ${name}\``;
    case "poetry-lock":
      return `Exclude the listed versions: \`poetry add "${exclusion}"\``;
    case "pipfile-lock":
    case "pipfile":
      return `Exclude the listed versions: \`pipenv install "${exclusion}"\``;
    case "pyproject":
      return `Change the requirement in ${project.files[0] ?? "pyproject.toml"} to \`${exclusion}\` (or pin a clean version)`;
    default:
      return `Pin ${name} to a version the advisory does not list (${versions}) in ${location(node) ?? project.files[0] ?? "the requirements file"} (add \`${exclusion}\` to the constraints it is compiled from) and reinstall`;
  }
}

function location(node: PackageNode): string | undefined {
  return node.locations[0]?.file;
}
