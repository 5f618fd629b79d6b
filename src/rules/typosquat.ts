// AIW-SQUAT-001: a package whose name imitates a popular or AI package (`litelm`, `opeanai`, `anthropic-sdk`). The
// look-alike search lives in ./typosquat/matcher.ts; this file decides which packages to ask about, how bad a match
// is, and what to say.
import type { Ecosystem, PackageNode } from "../graph/package-node.js";
import { normalizeName } from "../graph/names.js";
import type { AllowedLookalike, TyposquatFacts } from "../sources/popular.js";
import { matcherFor } from "./typosquat/matcher.js";
import type { Lookalike } from "./typosquat/matcher.js";
import { severityByBlastRadius } from "./rule.js";
import type { ContextFacts, ContextProject, FindingDraft, Rule, ScanContext, Severity } from "./rule.js";

const NO_AI_NAMES: ReadonlySet<string> = new Set();

/** The typosquat rule. */
export const typosquat: Rule = {
  id: "AIW-SQUAT-001",
  title: "Package name imitates a popular or AI package",
  severity: "high",
  docs: {
    what:
      "A dependency whose name is one small edit away from a popular package or an AI package of the catalog (a typo, "
      + "a swapped or missing letter, different separators, a look-alike npm scope, a scoped name flattened, or an AI "
      + "package's name with `-sdk`/`-api`/`py` added), while not being that package.",
    why:
      "Typosquatting is one of the commonest ways malicious packages reach projects (`crossenv` for `cross-env` stole "
      + "environment variables on install): attackers publish `opneai`, `lite-llm` or `anthropic-sdk` and wait for a "
      + "typo in an install command or a manifest. The package runs install scripts on developer machines and CI, and "
      + "imported in place of an LLM client it receives the API keys meant for the real one. Findings are critical for "
      + "a direct dependency imitating an AI package, and for any look-alike that is itself an AI package or sits in "
      + "an AI package's dependency tree.",
    fix:
      "Check the name against the package you meant. If it is a typo, replace it with the real package and "
      + "reinstall; rotate any credentials the look-alike could have read if it was ever installed. If it is the "
      + "package you want, add its name to `typosquats.allow` in the aiwarden configuration.",
    references: [
      "https://blog.scottlogic.com/2018/02/27/hunting-typosquatters-on-npm.html",
      "https://peps.python.org/pep-0541/",
      "https://peps.python.org/pep-0503/#normalized-names",
      "https://docs.npmjs.com/about-scopes",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const popular = context.facts.popular;
    if (!popular) return [];
    const facts = typosquatFacts(context.facts);
    const drafts: FindingDraft[] = [];
    for (const project of context.projects) {
      const names = popular[project.ecosystem];
      if (!names || names.length === 0) continue;
      drafts.push(...checkProject(context, project, names, facts));
    }
    return drafts;
  },
};

/** The typosquat facts (src/sources/popular.ts loads them in the enrich stage). */
function typosquatFacts(facts: ContextFacts): TyposquatFacts | undefined {
  return facts.typosquats;
}

function checkProject(context: ScanContext, project: ContextProject, names: readonly string[], facts: TyposquatFacts | undefined): FindingDraft[] {
  const ecosystem = project.ecosystem;
  const matcher = matcherFor(ecosystem, names, facts?.ai[ecosystem] ?? NO_AI_NAMES);
  const allowedNames = new Set(context.config.typosquats.allow.map((name) => normalizeName(ecosystem, name)));
  const allowedPairs = pairsOf(facts?.allow ?? [], ecosystem);
  const graph = project.graph;
  // One finding per name: graph.packages() is sorted by name, so the versions of a name are adjacent.
  const byName = new Map<string, PackageNode[]>();
  for (const node of graph.packages()) {
    if (node.workspace || node.source !== "registry" || node.name === "") continue;
    const list = byName.get(node.name);
    if (list) list.push(node);
    else byName.set(node.name, [node]);
  }
  const drafts: FindingDraft[] = [];
  for (const [name, nodes] of byName) {
    if (allowedNames.has(name)) continue;
    const match = matcher.match(name).find((m) => !allowedPairs.has(`${name}\u0000${m.target}`));
    if (!match) continue;
    const direct = nodes.find((n) => graph.isDirect(n.id));
    drafts.push(draft(project, direct ?? (nodes[0] as PackageNode), direct !== undefined, match));
  }
  return drafts;
}

function pairsOf(allow: readonly AllowedLookalike[], ecosystem: Ecosystem): Set<string> {
  return new Set(allow.filter((a) => a.ecosystem === ecosystem).map((a) => `${a.name}\u0000${a.target}`));
}

function draft(project: ContextProject, node: PackageNode, direct: boolean, match: Lookalike): FindingDraft {
  // A typo in the manifest that lands on a fake LLM client is the attack this rule exists for; elsewhere the blast
  // radius decides (a look-alike inside an AI package's tree runs next to the AI keys).
  const severity: Severity = match.ai && direct ? "critical" : severityByBlastRadius(typosquat.severity, project.blastRadius(node));
  const where = locate(project, node, direct);
  const target = `${match.ai ? "the AI package" : "the popular package"} \`${match.target}\``;
  const how = direct ? "declared as a direct dependency" : `pulled in by ${dependantOf(project, node)}`;
  const fix = direct
    ? `If you meant \`${match.target}\`, replace \`${node.name}\` with it in ${where.file} and reinstall (rotate any key the `
      + `look-alike could have read); if \`${node.name}\` is intended, add it to \`typosquats.allow\` in the aiwarden configuration.`
    : `Run \`aiwarden why ${node.name}\` to see which dependency pulls it in and replace or report that dependency; if `
      + `\`${node.name}\` is legitimate, add it to \`typosquats.allow\` in the aiwarden configuration.`;
  return {
    severity,
    message: `\`${node.name}\` ${relation(node.name, match, target)} (${how}): check that it is the package you meant.`,
    fix,
    file: where.file,
    ...(where.line !== undefined ? { line: where.line } : {}),
    project: project.path,
    package: { ecosystem: project.ecosystem, name: node.name, version: node.version, id: node.id },
    key: [project.path, project.ecosystem, node.name],
  };
}

/** How the name relates to its target (`target` already phrased: "the AI package `openai`"), after the name. */
function relation(name: string, match: Lookalike, target: string): string {
  const scope = name.startsWith("@") ? `\`${name.slice(0, name.indexOf("/"))}\`` : "";
  switch (match.kind) {
    case "edit":
      return `is ${EDIT_WORDS[match.edit ?? "substitution"]} away from ${target}`;
    case "separators":
      return `differs only in separators (\`-\`, \`_\`, \`.\`) from ${target}`;
    case "scope":
      return `puts the name under the look-alike scope ${scope}, imitating ${target}`;
    case "unscoped":
      return `flattens the scoped name of ${target}`;
    case "rescoped":
      return `puts the name of ${target} under the look-alike scope ${scope}`;
    case "affix":
      return `adds \`${match.affix ?? ""}\` to ${target}`;
  }
}

const EDIT_WORDS: Record<NonNullable<Lookalike["edit"]>, string> = {
  insertion: "one inserted character",
  deletion: "one deleted character",
  substitution: "one substituted character",
  transposition: "one transposition",
};

/** The package that pulls a transitive one in on its shortest chain from the root, for messages. */
function dependantOf(project: ContextProject, node: PackageNode): string {
  const [chain] = project.graph.pathsTo(node.id, 1);
  const parent = chain && chain.length >= 3 ? chain[chain.length - 2] : undefined;
  return parent?.name ? `\`${parent.name}\`` : "another package";
}

/** Where to point: the manifest line of a direct dependency, else where the lockfile records the package. */
function locate(project: ContextProject, node: PackageNode, direct: boolean): { file: string; line?: number } {
  if (direct) {
    for (const edge of project.graph.dependentsOf(node.id)) {
      const from = project.graph.get(edge.from);
      if (from?.workspace && edge.location) return edge.location;
    }
  }
  const recorded = node.locations[0];
  if (recorded) return recorded;
  return { file: project.files[0] ?? "" };
}
