import semver from "semver";
import { exactVersion } from "../ecosystems/python/pep508.js";
import { normalizeName } from "../graph/names.js";
import type { Ecosystem, Edge, PackageNode } from "../graph/package-node.js";
import type { ContextProject, FindingDraft, Rule, ScanContext, Severity } from "./rule.js";
import { shiftSeverity } from "./rule.js";
import { packageOf, site, textLines } from "./support/supply-chain.js";

/** Categories whose packages hold every provider's credentials: a poisoned release there leaks all of them. */
const KEY_HOLDERS: ReadonlySet<string> = new Set(["gateway"]);

/**
 * AIW-PIN-001: a direct AI dependency declared with a range instead of one exact version. The range is what the
 * next lock refresh (`npm update`, `uv lock --upgrade`, a bot's PR) or every unlocked install resolves, so a
 * poisoned release inside it — litellm 1.82.7 and 1.82.8, March 2026 — is taken without anyone choosing it.
 */
export const unpinnedAiDependency: Rule = {
  id: "AIW-PIN-001",
  title: "AI dependency is declared with a version range",
  severity: "medium",
  docs: {
    what: "A package of the AI catalog that the project (or one of its workspaces) depends on directly, declared in package.json, pyproject.toml, a requirements file or a Pipfile with a range (`^`, `~`, `>=`, `~=`, `*`, `x`, a dist-tag such as `latest`, or no version at all) rather than one exact version (`1.2.3`, `=1.2.3`, `==1.2.3`, `===1.2.3`, a bare Poetry version). Peer dependencies are left alone (they are ranges by design). Severity: medium; high for gateways (litellm, portkey, OpenRouter: they hold every provider's key) and for any AI package that no lockfile pins, since then every install takes the newest matching release.",
    why: "Attackers publish poisoned releases into the ranges projects already accept: the litellm 1.82.7/1.82.8 releases of March 2026, published with a token stolen from CI, reached every project that declared `litellm>=1.x` and refreshed its lock or installed without one. AI packages are the ones holding the API keys, so a range there is an open door to the most valuable secrets of the project. An exact pin makes every upgrade a reviewed change.",
    fix: "Declare the exact version the lockfile resolves today (the finding names it) and let a dependency bot propose upgrades as reviewable pull requests, ideally after a cool-down period.",
    references: [
      "https://docs.npmjs.com/cli/configuring-npm/package-json#dependencies",
      "https://packaging.python.org/en/latest/specifications/version-specifiers/",
      "https://docs.renovatebot.com/configuration-options/#minimumreleaseage",
    ],
  },
  check(context) {
    const drafts = new Map<string, FindingDraft & { versions: string[] }>();
    for (const project of context.projects) {
      let categories: Map<string, string> | undefined;
      for (const importer of project.graph.importers()) {
        for (const edge of project.graph.dependenciesOf(importer.id)) {
          const node = project.graph.get(edge.to);
          if (!node || edge.kind === "peer" || edge.spec === undefined || node.source !== "registry" || node.workspace) continue;
          if (project.blastRadius(node) !== "ai") continue;
          const range = describeRange(project.ecosystem, edge.spec);
          if (!range) continue;
          categories ??= new Map(project.result.packages.filter((p) => p.ai).map((p) => [p.name, (p.ai as { category: string }).category]));
          const where = site(edge.location ?? node.locations[0], project.files[0] ?? project.path);
          const key = `${where.file}\u0000${node.name}`;
          const existing = drafts.get(key);
          if (existing) {
            if (node.version !== "" && !existing.versions.includes(node.version)) existing.versions.push(node.version);
            continue;
          }
          drafts.set(key, { ...draft(context, project, edge, node, range, categories.get(node.name), where), versions: node.version === "" ? [] : [node.version] });
        }
      }
    }
    return [...drafts.values()].map(({ versions, ...d }) => (versions.length > 1 ? { ...d, message: d.message.replace(`resolves to ${versions[0]}`, `resolves to ${versions.join(" and ")}`) } : d));
  },
};

function draft(
  context: ScanContext,
  project: ContextProject,
  edge: Edge,
  node: PackageNode,
  range: string,
  category: string | undefined,
  where: { file: string; line?: number },
): FindingDraft {
  const spec = edge.spec as string;
  const locked = node.version !== "";
  const base: Severity = category !== undefined && KEY_HOLDERS.has(category) ? "high" : "medium";
  // Nothing locks it: every install resolves the range afresh. One step up, but a range is never critical by itself.
  const severity: Severity = locked ? base : base === "high" ? "high" : shiftSeverity(base, 1);
  const form = formOf(context, project.ecosystem, where, node.name);
  const written = declaration(form, edge.alias ?? node.name, spec);
  const message = locked
    ? `${written} in ${where.file} resolves to ${node.version} today; ${range}.`
    : `${written} in ${where.file} is not pinned and no lockfile pins it: every install takes the newest release it accepts (${range}).`;
  const pin = exactPin(form, edge, node);
  const show = project.ecosystem === "npm" ? `npm ls ${node.name}` : `pip show ${node.name}`;
  return {
    severity,
    message,
    fix: locked
      ? `Pin the exact version the lockfile resolves: ${pin}, and let a dependency bot propose upgrades you review.`
      : `Pin one exact version, the one you have tested (\`${show}\` prints the installed one): ${pin}, and let a dependency bot propose upgrades you review.`,
    ...where,
    project: project.path,
    package: packageOf(project, node),
    key: [where.file, node.name],
  };
}

/**
 * How the declaring file writes a dependency: package.json, a PEP 508 line (requirements files), a PEP 508 string
 * (PEP 621 `[project]`, dependency groups), a Poetry key (`name = "^1.0"`, where a bare version pins) or a Pipfile key.
 */
type Form = "npm" | "requirement" | "pep508-string" | "poetry" | "pipfile";

function formOf(context: ScanContext, ecosystem: Ecosystem, where: { file: string; line?: number }, name: string): Form {
  if (ecosystem === "npm") return "npm";
  if (where.file.endsWith("Pipfile")) return "pipfile";
  if (!where.file.endsWith(".toml")) return "requirement";
  // A Poetry declaration is keyed by the package name; a PEP 508 string sits in a list (`dev = ["litellm"]`).
  const text = where.line !== undefined ? textLines(context, where.file)?.[where.line - 1] : undefined;
  const key = text === undefined ? undefined : /^\s*["']?([A-Za-z0-9._-]+)["']?\s*=/.exec(text)?.[1];
  return key !== undefined && normalizeName("pypi", key) === name ? "poetry" : "pep508-string";
}

/** The declaration as the file writes it: `"openai": "^4.56.0"`, `litellm>=1.40`, `litellm = "^1.41"`. */
function declaration(form: Form, name: string, spec: string): string {
  if (form === "npm") return `"${name}": "${spec}"`;
  const body = pythonSpec(spec);
  if (form === "poetry" || form === "pipfile") return `${name} = "${body === "" ? "*" : body}"`;
  if (body === "") return `${name} (no version)`;
  return /^[<>=!~^*]/.test(body) ? `${name}${body}` : `${name} ${body}`;
}

/** The declaration to write instead, in the form of the file that declares it. */
function exactPin(form: Form, edge: Edge, node: PackageNode): string {
  const version = node.version || "<version>";
  const extras = extrasOf(edge.spec ?? "");
  switch (form) {
    case "npm":
      return `"${edge.alias ?? node.name}": "${edge.spec?.startsWith("npm:") ? `npm:${node.name}@${version}` : version}"`;
    case "pipfile":
      return `${node.name} = "==${version}"`;
    case "poetry":
      // Poetry reads a bare version as exactly that version.
      return `${node.name} = "${version}"`;
    case "pep508-string":
      return `"${node.name}${extras}==${version}"`;
    default:
      return `${node.name}${extras}==${version}`;
  }
}

/** `[proxy]` of a declared `[proxy]>=1.40 ; marker`, or "". */
function extrasOf(spec: string): string {
  const trimmed = spec.trim();
  return trimmed.startsWith("[") ? trimmed.slice(0, trimmed.indexOf("]") + 1) : "";
}

/** A Python declaration without its extras and environment marker. */
function pythonSpec(spec: string): string {
  let body = spec.trim();
  if (body.startsWith("[")) body = body.slice(body.indexOf("]") + 1);
  const marker = body.indexOf(";");
  if (marker >= 0) body = body.slice(0, marker);
  return body.trim();
}

/**
 * What a declared spec accepts, phrased for a message; undefined when it pins exactly one version. Specs that are not
 * registry ranges (`workspace:`, `catalog:`, `file:`…) are not this rule's to judge and count as pinned.
 */
export function describeRange(ecosystem: Ecosystem, spec: string): string | undefined {
  return ecosystem === "npm" ? npmRange(spec) : pythonRange(spec);
}

function npmRange(spec: string): string | undefined {
  let range = spec.trim();
  if (range.startsWith("npm:")) {
    const rest = range.slice(4);
    const at = rest.indexOf("@", rest.startsWith("@") ? 1 : 0);
    range = at < 0 ? "*" : rest.slice(at + 1);
  }
  if (/^[a-z]+:/i.test(range)) return undefined;
  if (range === "" || range === "*" || range === "x" || range === "X" || range === "latest") {
    return range === "latest" ? `"latest" is a dist-tag: it installs whatever is tagged latest at install time` : "it accepts any version";
  }
  if (semver.valid(range, { loose: true })) return undefined;
  if (!semver.validRange(range, { loose: true })) return `"${range}" is a dist-tag: it installs whatever the registry tags so at install time`;
  const caret = /^\^v?(\d+)\.(\d+|x|\*)/.exec(range) ?? /^\^v?(\d+)$/.exec(range);
  if (caret && !range.includes(" ") && !range.includes("|")) {
    const [, major, minor] = caret;
    if (major !== "0") return `^ accepts any ${major}.x`;
    if (minor !== undefined && minor !== "0" && minor !== "x" && minor !== "*") return `^ accepts any 0.${minor}.x`;
    if (/^\^v?0\.0\.\d+$/.test(range)) return undefined; // ^0.0.3 means exactly 0.0.3.
  }
  const tilde = /^~v?(\d+)(?:\.(\d+))?/.exec(range);
  if (tilde && !range.includes(" ") && !range.includes("|")) return tilde[2] === undefined ? `~ accepts any ${tilde[1]}.x` : `~ accepts any ${tilde[1]}.${tilde[2]}.x`;
  const wildcard = /^v?(\d+)(?:\.(\d+))?(?:\.[x*])?$|^v?(\d+)\.[x*](?:\.[x*])?$/.exec(range);
  if (wildcard) return wildcard[2] === undefined ? `it accepts any ${wildcard[1] ?? wildcard[3]}.x` : `it accepts any ${wildcard[1]}.${wildcard[2]}.x`;
  if (/^>=?/.test(range) && !range.includes("<") && !range.includes("|")) return "it accepts any later version, new majors included";
  return bounded(range.split(/\s+/)) ?? "it accepts more than one version";
}

/** `>=A <B` (npm) or `>=A,<B` (PEP 440) as "any version from A below B"; undefined for other shapes. */
function bounded(clauses: readonly string[]): string | undefined {
  if (clauses.length !== 2) return undefined;
  const lower = clauses.find((c) => c.startsWith(">"));
  const upper = clauses.find((c) => c.startsWith("<"));
  if (!lower || !upper) return undefined;
  const from = lower.startsWith(">=") ? `from ${lower.slice(2)}` : `above ${lower.slice(1)}`;
  const to = upper.startsWith("<=") ? `up to ${upper.slice(2)}` : `below ${upper.slice(1)}`;
  return `it accepts any version ${from} ${to}`;
}

function pythonRange(spec: string): string | undefined {
  const body = pythonSpec(spec).replace(/\s+/g, "");
  if (body === "" || body === "*") return "it accepts any version";
  // A direct reference (`@ https://…`) or a path is a source, not a range (AIW-SOURCE-001 looks at those).
  if (body.startsWith("@") || body.includes("://") || body.startsWith(".") || body.startsWith("/")) return undefined;
  if (exactVersion(body) !== undefined) return undefined;
  // Poetry (and pipenv) read a bare version as that exact version.
  if (/^[0-9][0-9A-Za-z.+!_-]*$/.test(body)) return undefined;
  if (body.includes("||")) return "it accepts several ranges";
  const compatible = /^~=(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(body);
  if (compatible && !body.includes(",")) {
    return compatible[3] !== undefined ? `~= accepts any ${compatible[1]}.${compatible[2]}.x` : `~= accepts any ${compatible[1]}.x`;
  }
  const caret = /^\^(\d+)(?:\.(\d+))?/.exec(body);
  if (caret && !body.includes(",")) return caret[1] !== "0" || caret[2] === undefined ? `^ accepts any ${caret[1]}.x` : `^ accepts any 0.${caret[2]}.x`;
  const tilde = /^~(\d+)(?:\.(\d+))?/.exec(body);
  if (tilde && !body.includes(",")) return tilde[2] === undefined ? `~ accepts any ${tilde[1]}.x` : `~ accepts any ${tilde[1]}.${tilde[2]}.x`;
  const wildcard = /^==(\d+)(?:\.(\d+))?\.\*$/.exec(body);
  if (wildcard) return wildcard[2] === undefined ? `it accepts any ${wildcard[1]}.x` : `it accepts any ${wildcard[1]}.${wildcard[2]}.x`;
  const clauses = body.split(",");
  if (clauses.every((c) => c.startsWith("!="))) return "it accepts any version but the excluded ones";
  if (clauses.some((c) => c.startsWith(">")) && !clauses.some((c) => c.startsWith("<") || c.startsWith("=="))) return ">= accepts any later release, new majors included";
  return bounded(clauses) ?? "it accepts more than one version";
}
