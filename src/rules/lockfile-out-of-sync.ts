// AIW-LOCK-003: a dependency the manifest declares that the lockfile does not lock, or locks at a version outside the
// declared range. The manifest text is compared with the lock itself, because npm v2/v3 copies the root's declared
// dependencies into the lock (`packages[""]`) and uv records them in `[package.metadata]`: the graph's importer edges
// show what the lock believes was declared, so a dependency added to package.json without `npm install` is visible
// only in package.json itself.
import semver from "semver";
import { satisfies as pep440Satisfies, explain, validRange } from "@renovatebot/pep440";
import { ROOT_ID } from "../graph/dependency-graph.js";
import type { PackageNode } from "../graph/package-node.js";
import { joinPath } from "../ecosystems/extractor.js";
import { visitKeys } from "../ecosystems/npm/json-lines.js";
import { isObject, parsePackageJson } from "../ecosystems/npm/package-json.js";
import { sourceOfSpec } from "../ecosystems/npm/sources.js";
import { parsePipfile } from "../ecosystems/pipenv/pipfile.js";
import { parsePyproject } from "../ecosystems/pyproject/pyproject-toml.js";
import { parseToml, stringItems, tableAt } from "../ecosystems/pyproject/toml.js";
import { parseRequirement } from "../ecosystems/python/pep508.js";
import { severityByBlastRadius } from "./rule.js";
import type { ContextProject, FindingDraft, Rule, ScanContext } from "./rule.js";

/** The manifest each lockfile format is generated from, and the command that brings the lock back in line. */
const FORMATS: Readonly<Record<string, { manifest: string; relock: string; frozen: string }>> = {
  "npm-lock": { manifest: "package.json", relock: "npm install", frozen: "npm ci" },
  "yarn-lock": { manifest: "package.json", relock: "yarn install", frozen: "yarn install --frozen-lockfile (yarn 2+: --immutable)" },
  "pnpm-lock": { manifest: "package.json", relock: "pnpm install", frozen: "pnpm install --frozen-lockfile" },
  "poetry-lock": { manifest: "pyproject.toml", relock: "poetry lock", frozen: "poetry check --lock" },
  "uv-lock": { manifest: "pyproject.toml", relock: "uv lock", frozen: "uv sync --locked" },
  "pipfile-lock": { manifest: "Pipfile", relock: "pipenv lock", frozen: "pipenv install --deploy" },
};

/** One dependency as the manifest declares it, reduced to what the comparison needs. */
interface Declaration {
  /** The name the importer uses (npm alias or PEP 503-normalised name). */
  name: string;
  /** The real package name the lock records (differs for npm aliases). */
  target: string;
  /** The spec as written, for messages. */
  spec: string;
  /** Whether a locked version satisfies the declaration; undefined when the spec cannot be checked statically. */
  accepts?: (version: string) => boolean;
  /** Absence is not an error: optional and peer dependencies, and Python ones behind an environment marker. */
  mayBeAbsent: boolean;
  line?: number;
}

/** Flags manifest declarations the lockfile does not honour. */
export const lockfileOutOfSync: Rule = {
  id: "AIW-LOCK-003",
  title: "Lockfile out of sync with its manifest",
  severity: "medium",
  docs: {
    what: "A dependency declared in package.json, pyproject.toml or Pipfile is missing from the lockfile beside it, or the lockfile locks a version outside the declared range.",
    why: "A lock that no longer matches its manifest was not regenerated after an edit: installs that trust the lock fail, and installs that do not (`npm install`, `pip install .`) resolve the dependency fresh, picking up whatever was published last, including a poisoned release, without review.",
    fix: "Regenerate the lockfile with the project's package manager (`npm install`, `yarn install`, `pnpm install`, `poetry lock`, `uv lock`, `pipenv lock`), review and commit both files, and install in CI with the frozen-lockfile mode so a drift fails the build.",
    references: [
      "https://docs.npmjs.com/cli/commands/npm-ci",
      "https://docs.astral.sh/uv/concepts/projects/sync/#checking-if-the-lockfile-is-up-to-date",
      "https://python-poetry.org/docs/cli/#check",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const drafts: FindingDraft[] = [];
    for (const project of context.projects) {
      const format = FORMATS[project.extractorId];
      if (!project.locked || !format) continue;
      const lockfile = project.files[0] as string;
      const overridden = overriddenNames(project, context);
      for (const importer of project.graph.importers()) {
        if (importer.id !== ROOT_ID && project.extractorId === "pipfile-lock") continue;
        const manifest = manifestPath(project, importer, format.manifest);
        const text = manifest === undefined ? undefined : context.texts.get(manifest);
        if (manifest === undefined || text === undefined) continue;
        const declarations = readDeclarations(project.extractorId, text);
        if (!declarations) continue;
        const locked = lockedByName(project, importer, lockfile);
        for (const declaration of declarations) {
          const draft = compare(project, lockfile, manifest, declaration, locked.get(declaration.name) ?? [], overridden, format);
          if (draft) drafts.push(draft);
        }
      }
    }
    return drafts;
  },
};

/** The manifest of an importer: the project's own, or a workspace member's in its folder. */
function manifestPath(project: ContextProject, importer: PackageNode, file: string): string | undefined {
  const dir = project.path === "." ? "" : project.path;
  const member = importer.id === ROOT_ID ? "" : (importer.resolved ?? "");
  const folder = joinPath(dir, member);
  return folder === undefined ? undefined : joinPath(folder, file);
}

/**
 * What an importer's edges lead to, by the name the importer uses, keeping only packages the lock itself records
 * (the Pipfile.lock reader keeps a declared-but-unlocked dependency as a node located in the Pipfile). `spec` is what
 * the lock says was declared, when the format records it.
 */
function lockedByName(project: ContextProject, importer: PackageNode, lockfile: string): Map<string, Array<{ node: PackageNode; spec?: string }>> {
  const out = new Map<string, Array<{ node: PackageNode; spec?: string }>>();
  for (const edge of project.graph.dependenciesOf(importer.id)) {
    const node = project.graph.get(edge.to);
    if (!node || !isLocked(node, lockfile)) continue;
    const name = edge.alias ?? node.name;
    const target = { node, ...(edge.spec !== undefined ? { spec: edge.spec } : {}) };
    const list = out.get(name);
    if (list) list.push(target);
    else out.set(name, [target]);
  }
  return out;
}

function isLocked(node: PackageNode, lockfile: string): boolean {
  return node.workspace || node.locations.some((l) => l.file === lockfile);
}

function compare(
  project: ContextProject,
  lockfile: string,
  manifest: string,
  declaration: Declaration,
  targets: Array<{ node: PackageNode; spec?: string }>,
  overridden: ReadonlySet<string>,
  format: { relock: string; frozen: string },
): FindingDraft | undefined {
  const base = {
    file: manifest,
    ...(declaration.line !== undefined ? { line: declaration.line } : {}),
    project: project.path,
    key: [project.path, manifest, declaration.name],
    fix: `Run \`${format.relock}\` in ${project.path === "." ? "the project folder" : project.path} to bring ${lockfile} in line with ${manifest}, review the diff and commit both; install in CI with \`${format.frozen}\` so the next drift fails the build.`,
  };
  const checkVersions = declaration.accepts !== undefined && !overridden.has(declaration.target);
  if (targets.length > 0) {
    const nodes = targets.map((t) => t.node);
    if (!checkVersions || !allRegistry(nodes) || nodes.some((n) => acceptsSafely(declaration, n.version))) return undefined;
    const recorded = [...new Set(targets.map((t) => t.spec).filter((spec): spec is string => spec !== undefined && spec !== declaration.spec))];
    const stale = recorded.length > 0 ? ` (the lock still records ${recorded.join(", ")})` : "";
    return mismatch(project, lockfile, manifest, declaration, nodes, stale, base);
  }
  if (declaration.mayBeAbsent) return undefined;
  const elsewhere = project.graph.packages().filter((n) => n.name === declaration.target && !n.workspace && isLocked(n, lockfile));
  // Locked, but under an entry the project no longer asks for (yarn keys entries by the declared range).
  if (elsewhere.length > 0 && checkVersions && allRegistry(elsewhere) && !elsewhere.some((n) => acceptsSafely(declaration, n.version))) {
    return mismatch(project, lockfile, manifest, declaration, elsewhere, "", base);
  }
  const radius = elsewhere.some((n) => project.blastRadius(n) !== "other") ? "ai-subtree" : "other";
  const versions = [...new Set(elsewhere.map((n) => n.version).filter((v) => v !== ""))].slice(0, 3).join(", ");
  const what = elsewhere.length > 0
    ? `locks it${versions ? ` (${versions})` : ""} only for other packages, not as a dependency of the project`
    : "does not lock it";
  return {
    ...base,
    severity: severityByBlastRadius("medium", radius),
    message: `${declaration.name} is declared in ${manifest} (${declaration.spec || "any version"}) but ${lockfile} ${what}: the lock was not regenerated after the declaration was added.`,
  };
}

function allRegistry(nodes: readonly PackageNode[]): boolean {
  return nodes.length > 0 && nodes.every((n) => n.source === "registry" && n.version !== "");
}

function mismatch(
  project: ContextProject,
  lockfile: string,
  manifest: string,
  declaration: Declaration,
  nodes: readonly PackageNode[],
  stale: string,
  base: Omit<FindingDraft, "severity" | "message">,
): FindingDraft {
  const node = nodes[0] as PackageNode;
  const locked = [...new Set(nodes.map((n) => n.version))].join(", ");
  return {
    ...base,
    severity: severityByBlastRadius("medium", project.blastRadius(node)),
    message: `${declaration.name} is declared as ${declaration.spec} in ${manifest} but ${lockfile} locks ${locked}${stale}, which does not satisfy it.`,
    package: { ecosystem: project.ecosystem, name: node.name, version: node.version, id: node.id },
  };
}

function acceptsSafely(declaration: Declaration, version: string): boolean {
  try {
    return declaration.accepts?.(version) ?? true;
  } catch {
    // A version or spec the matcher cannot read is not evidence of drift.
    return true;
  }
}

/** The declarations of a manifest text, or undefined when it cannot be read (its own file status says why). */
function readDeclarations(extractorId: string, text: string): Declaration[] | undefined {
  try {
    if (extractorId === "npm-lock" || extractorId === "yarn-lock" || extractorId === "pnpm-lock") return npmDeclarations(text);
    if (extractorId === "pipfile-lock") return pipfileDeclarations(text);
    return pyprojectDeclarations(text);
  } catch {
    return undefined;
  }
}

/** npm ranges as npm reads them; non-registry specs (git, file:, workspace:, link:) and dist-tags are not checked. */
function npmDeclarations(text: string): Declaration[] {
  const manifest = parsePackageJson(text);
  const lines = sectionLines(text);
  const out: Declaration[] = [];
  for (const dep of manifest.dependencies) {
    if (sourceOfSpec(dep.spec) !== "registry") continue;
    const range = dep.range.trim();
    // `latest`, `next`, `catalog:`: not a range, so the lock's choice cannot be checked against it.
    const checkable = semver.validRange(range, { loose: true }) !== null;
    const line = lines.get(`${SECTION_OF[dep.kind]}\u0000${dep.name}`);
    out.push({
      name: dep.name,
      target: dep.target,
      spec: dep.spec,
      // npm (arborist's dep-valid) accepts prereleases that fall inside a range: so does this check.
      ...(checkable ? { accepts: (version: string) => semver.satisfies(version, range, { includePrerelease: true, loose: true }) } : {}),
      mayBeAbsent: dep.kind === "optional" || dep.kind === "peer",
      ...(line !== undefined ? { line } : {}),
    });
  }
  return out;
}

const SECTION_OF: Readonly<Record<string, string>> = {
  prod: "dependencies",
  dev: "devDependencies",
  optional: "optionalDependencies",
  peer: "peerDependencies",
};

/** Lines of the keys of the four dependency sections of a package.json, `<section>\0<name>`. */
function sectionLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  visitKeys(text, (parents, key, line) => {
    if (parents.length === 1 && Object.values(SECTION_OF).includes(parents[0] as string)) {
      const id = `${parents[0]}\u0000${key}`;
      if (!lines.has(id)) lines.set(id, line);
    }
  });
  return lines;
}

/** pyproject.toml: PEP 621/735 specifiers as PEP 440, Poetry constraints translated; markers are not evaluated. */
function pyprojectDeclarations(text: string): Declaration[] {
  const project = parsePyproject(text);
  const out: Declaration[] = [];
  for (const dep of project.dependencies) {
    if (dep.source !== "registry") continue;
    const specifier = dep.origin === "poetry" ? poetryToPep440(dep.spec) : [dep.spec];
    out.push({
      name: dep.name,
      target: dep.name,
      spec: dep.spec,
      ...acceptsPep440(specifier),
      // A marker may exclude every interpreter the project supports, and then the lock rightly leaves it out.
      mayBeAbsent: dep.marker !== undefined,
      ...(dep.line !== undefined ? { line: dep.line } : {}),
    });
  }
  return out;
}

/** Pipfile: `*`, a PEP 440 specifier, or `[extras]spec ; markers` as the Pipfile reader gives it. */
function pipfileDeclarations(text: string): Declaration[] {
  const pipfile = parsePipfile(text);
  const out: Declaration[] = [];
  for (const dep of pipfile.dependencies) {
    if (dep.source !== "registry") continue;
    let spec = dep.declared.trim();
    if (spec.startsWith("[")) spec = spec.slice(spec.indexOf("]") + 1);
    const semicolon = spec.indexOf(";");
    const marker = semicolon >= 0;
    if (marker) spec = spec.slice(0, semicolon);
    spec = spec.replace(/\s+/g, "");
    out.push({
      name: dep.name,
      target: dep.name,
      spec: dep.declared,
      ...acceptsPep440([spec === "*" ? "" : spec]),
      mayBeAbsent: marker,
      ...(dep.line !== undefined ? { line: dep.line } : {}),
    });
  }
  return out;
}

/** A matcher for alternatives of PEP 440 specifiers (any may match); none when a specifier is not PEP 440. */
function acceptsPep440(alternatives: string[] | undefined): Pick<Declaration, "accepts"> {
  if (!alternatives || alternatives.some((s) => s !== "" && !validRange(s))) return {};
  return { accepts: (version: string) => explain(version) === null || alternatives.some((s) => s === "" || pep440Satisfies(version, s, { prereleases: true })) };
}

/**
 * A Poetry version constraint as PEP 440 specifiers, one per `||` alternative: `^1.2` → `>=1.2,<2`, `~1.2` →
 * `>=1.2,<1.3`, a bare `1.2.3` → `==1.2.3`, `1.2.*` → `==1.2.*`, `*` → any.
 * https://python-poetry.org/docs/dependency-specification/#version-constraints
 */
export function poetryToPep440(constraint: string): string[] | undefined {
  const out: string[] = [];
  for (const alternative of constraint.split("|")) {
    if (alternative.trim() === "" && constraint.includes("|")) continue;
    // `>= 1.2, < 2` and `>=1.2 <2` are both Poetry: glue operators to their versions, then split on commas/spaces.
    const tokens = alternative.replace(/(===|==|!=|<=|>=|~=|<|>|=|\^|~)\s+/g, "$1").split(/[\s,]+/).filter((t) => t !== "");
    const parts: string[] = [];
    for (const token of tokens) {
      const converted = poetryToken(token);
      if (converted === undefined) return undefined;
      parts.push(...converted);
    }
    out.push(parts.join(","));
  }
  return out.length > 0 ? out : [""];
}

function poetryToken(token: string): string[] | undefined {
  if (token === "*") return [];
  if (token.startsWith("^")) {
    const release = explain(token.slice(1))?.release;
    if (!release) return undefined;
    const first = release.findIndex((n) => n !== 0);
    const at = first < 0 ? release.length - 1 : first;
    return [`>=${token.slice(1)}`, `<${[...release.slice(0, at), (release[at] as number) + 1].join(".")}`];
  }
  if (token.startsWith("~") && !token.startsWith("~=")) {
    const release = explain(token.slice(1))?.release;
    if (!release) return undefined;
    const upper = release.length >= 2 ? [release[0], (release[1] as number) + 1] : [(release[0] as number) + 1];
    return [`>=${token.slice(1)}`, `<${upper.join(".")}`];
  }
  if (/^[0-9]/.test(token)) return [`==${token}`];
  if (token.startsWith("=") && !token.startsWith("==") && !token.startsWith("===")) return [`=${token}`];
  return [token];
}

/**
 * Packages whose version the project forces on every dependant (npm `overrides`, yarn `resolutions`, pnpm
 * `overrides` as recorded in pnpm-lock.yaml, uv `override-dependencies`): a locked version outside the declared range
 * is then intended.
 */
function overriddenNames(project: ContextProject, context: ScanContext): Set<string> {
  const names = new Set<string>();
  const dir = project.path === "." ? "" : project.path;
  if (project.extractorId === "uv-lock") {
    const text = context.texts.get(joinPath(dir, "pyproject.toml") ?? "pyproject.toml");
    const parsed = text === undefined ? undefined : parseToml(text);
    const overrides = parsed?.ok ? stringItems(tableAt(parsed.data, ["tool", "uv"])?.["override-dependencies"]) : [];
    for (const requirement of overrides) {
      const name = parseRequirement(requirement)?.name;
      if (name !== undefined) names.add(name);
    }
    return names;
  }
  if (project.ecosystem !== "npm") return names;
  const manifest = context.texts.get(joinPath(dir, "package.json") ?? "package.json");
  if (manifest !== undefined) {
    try {
      const data: unknown = JSON.parse(manifest.charCodeAt(0) === 0xfeff ? manifest.slice(1) : manifest);
      if (isObject(data)) {
        collectOverrideKeys(data.overrides, names);
        collectOverrideKeys(data.resolutions, names);
        if (isObject(data.pnpm)) collectOverrideKeys(data.pnpm.overrides, names);
      }
    } catch {
      // An unreadable package.json has its own file status.
    }
  }
  const lock = context.texts.get(project.files[0] as string);
  if (project.extractorId === "pnpm-lock" && lock !== undefined) for (const key of pnpmLockOverrides(lock)) names.add(overrideTarget(key));
  return names;
}

/** Every key of an overrides/resolutions object, nested ones included (npm nests overrides under their parent). */
function collectOverrideKeys(value: unknown, names: Set<string>, depth = 0): void {
  if (!isObject(value) || depth > 8) return;
  for (const [key, inner] of Object.entries(value)) {
    if (key !== ".") names.add(overrideTarget(key));
    collectOverrideKeys(inner, names, depth + 1);
  }
}

/**
 * The package an override key is about: the last name of `parent>child` (pnpm), `**\/a/b` or `a/@s/b` (yarn), without
 * a trailing `@version` selector.
 */
export function overrideTarget(key: string): string {
  let last = key.slice(key.lastIndexOf(">") + 1).trim();
  const parts = last.split("/").filter((p) => p !== "" && p !== "**");
  const tail = parts[parts.length - 1] ?? last;
  const scope = parts[parts.length - 2];
  last = scope !== undefined && scope.startsWith("@") ? `${scope}/${tail}` : tail;
  const at = last.indexOf("@", 1);
  return at > 0 ? last.slice(0, at) : last;
}

/** Keys of the top-level `overrides:` map of a pnpm-lock.yaml, by a linear scan of the lines below it. */
export function pnpmLockOverrides(text: string): string[] {
  const header = text.startsWith("overrides:") ? 0 : text.indexOf("\noverrides:") + 1;
  if (header === 0 && !text.startsWith("overrides:")) return [];
  const keys: string[] = [];
  for (let at = text.indexOf("\n", header); at >= 0 && at + 1 < text.length; ) {
    const next = text.indexOf("\n", at + 1);
    let line = text.slice(at + 1, next < 0 ? text.length : next);
    at = next;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    if (!line.startsWith("  ")) break;
    const body = line.slice(2);
    const quote = body[0] === "'" || body[0] === '"' ? body[0] : undefined;
    const colon = body.indexOf(":");
    const key = quote !== undefined ? body.slice(1, body.indexOf(quote, 1)) : body.slice(0, colon < 0 ? body.length : colon);
    if (key.trim() !== "") keys.push(key.trim());
  }
  return keys;
}
