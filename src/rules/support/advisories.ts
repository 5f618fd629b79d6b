// Helpers shared by the advisory rules (AIW-VULN-001 known-vulnerability, AIW-MALWARE-001 malicious-package): reading
// the advisory facts, which packages to check, how to name advisories and the chain in a message, and the concrete
// upgrade step for the tool that owns the project's lockfile. Pure functions of the context.
import type { PackageNode } from "../../graph/package-node.js";
import type { Advisory, AdvisoryFacts } from "../../sources/advisories.js";
import type { ContextProject, ScanContext } from "../rule.js";
import { listSome } from "./supply-chain.js";

/** The advisory facts of a run, when the enrich stage loaded them. */
export function advisoryFacts(context: ScanContext): AdvisoryFacts | undefined {
  return context.facts.advisories;
}

/** Packages an advisory can concern: registry artifacts with a version (not workspace members, git or path checkouts). */
export function checkable(node: PackageNode): boolean {
  return !node.workspace && node.version !== "" && node.source !== "git" && node.source !== "path";
}

/** An advisory's id with its other names, e.g. `MAL-2026-2144 (PYSEC-2026-2, GHSA-92x9-889m-jgmw)`; npm numbers left out. */
export function advisoryName(advisory: Advisory): string {
  const aliases = advisory.aliases.filter((a) => !a.startsWith("npm:"));
  return aliases.length > 0 ? `${advisory.id} (${aliases.join(", ")})` : advisory.id;
}

/** The shortest chain to a node as `root > a > b > name`, or undefined for a direct dependency. */
export function chainOf(project: ContextProject, node: PackageNode): string | undefined {
  if (project.graph.isDirect(node.id)) return undefined;
  const chain = project.graph.pathsTo(node.id, 1)[0];
  if (!chain || chain.length < 3) return undefined;
  return chain.map((n, i) => (i === 0 ? "root" : n.name || n.id)).join(" > ");
}

/** Where the reporting sources are, for messages: "OSV", "the OSV database", "npm registry advisories". */
export function sourceNames(advisories: readonly Advisory[]): string {
  const names = new Set<string>();
  for (const a of advisories) {
    for (const s of a.sources) names.add(s === "osv" ? "OSV" : s === "osv-db" ? "the OSV database" : "npm registry advisories");
  }
  return listSome([...names].sort(), 3).replace(/, ([^,]*)$/, " and $1");
}

/**
 * The concrete way to move a package to `target` (a version or "<clean version>") with the tool that owns the
 * project's lockfile: a direct dependency is installed at that version, a transitive one forced by the tool's override
 * mechanism (npm `overrides`, yarn `resolutions`, pnpm `pnpm.overrides`, uv `constraint-dependencies`).
 */
export function moveStep(project: ContextProject, node: PackageNode, target: string, exclusion?: string): string {
  const name = node.name;
  const direct = project.graph.isDirect(node.id);
  const atLeast = target.startsWith("<") ? exclusion ?? name : `${name}>=${target}`;
  switch (project.extractorId) {
    case "npm-lock":
      return direct ? `\`npm install ${name}@${target}\`` : `\`"overrides": { "${name}": "${target}" }\` in package.json, then \`npm install\``;
    case "yarn-lock":
      return direct ? `\`yarn add ${name}@${target}\`` : `\`"resolutions": { "${name}": "${target}" }\` in package.json, then \`yarn install\``;
    case "pnpm-lock":
      return direct ? `\`pnpm add ${name}@${target}\`` : `\`"pnpm": { "overrides": { "${name}": "${target}" } }\` in package.json, then \`pnpm install\``;
    case "npm-manifest":
      return `change the pin of ${name} in ${project.files[0] ?? "package.json"} to ${target} and run \`npm install\``;
    case "uv-lock":
      return direct ? `\`uv add "${atLeast}"\`` : `\`constraint-dependencies = ["${atLeast}"]\` under [tool.uv], then \`uv lock --upgrade-package ${name}\``;
    case "poetry-lock":
      return direct ? `\`poetry add "${atLeast}"\`` : `\`poetry update ${name}\` (add \`${atLeast}\` as a constraint if a dependant holds it back)`;
    case "pipfile-lock":
    case "pipfile":
      return `\`pipenv install "${atLeast}"\``;
    case "pyproject":
      return `change the requirement in ${project.files[0] ?? "pyproject.toml"} to \`${atLeast}\``;
    default:
      return `pin \`${target.startsWith("<") ? atLeast : `${name}==${target}`}\` in ${node.locations[0]?.file ?? project.files[0] ?? "the requirements file"} (or the constraints it is compiled from) and reinstall`;
  }
}
