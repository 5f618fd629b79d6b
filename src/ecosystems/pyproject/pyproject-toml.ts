// pyproject.toml, the declared side of a Python project: PEP 621 `[project]`, PEP 735 `[dependency-groups]`, Poetry's
// `[tool.poetry]` and uv's `[tool.uv]`. Used on its own (a manifest-only graph) and by the poetry.lock and uv.lock
// extractors for direct dependencies and workspace members.
import { GraphBuilder, ROOT_ID } from "../../graph/dependency-graph.js";
import { normalizeName } from "../../graph/names.js";
import type { EdgeKind, SourceKind } from "../../graph/package-node.js";
import { baseName, dirOf, failed, joinPath } from "../extractor.js";
import type { ExtractContext, Extraction, Extractor, FileProblem, SourceFile } from "../extractor.js";
import { exactVersion, isValidSpecifier, parseRequirement } from "../python/pep508.js";
import type { Requirement } from "../python/pep508.js";
import { asArray, asString, asTable, isTable, parseToml, stringItems, tableAt } from "./toml.js";
import type { TomlTable } from "./toml.js";
import { tomlLines } from "./toml-lines.js";
import type { TomlLines } from "./toml-lines.js";
import { workspaceMemberDirs } from "../shared/glob.js";
import { textCache } from "../shared/memo.js";
import type { GlobOptions } from "../shared/glob.js";
import { pyprojectFormat } from "./claims.js";

/** How a project asks for a dependency: main (`prod`), through an extra (`optional`) or a dev/other group (`dev`). */
export type DeclaredKind = Extract<EdgeKind, "prod" | "optional" | "dev">;

/** Where a declared dependency comes from; `workspace` is a uv workspace member (`{ workspace = true }`). */
export type DeclaredSource = SourceKind | "workspace";

/** Which table declared a dependency. */
export type DeclaredOrigin = "project" | "dependency-groups" | "poetry" | "uv";

/** One dependency a pyproject.toml declares. */
export interface DeclaredDependency {
  /** PEP 503-normalised name. */
  name: string;
  /** The name as written. */
  rawName: string;
  /** The version specifier or Poetry constraint as written, without spaces for PEP 508 (`>=1.40,<2`, `^1.0`); "" when none. */
  spec: string;
  kind: DeclaredKind;
  /** `main` for main dependencies, the extra name for optional ones, the group name for dev ones (normalised). */
  group: string;
  source: DeclaredSource;
  /** Git URL (with `@ref` when one is named), path or URL of a non-registry dependency. */
  resolved?: string;
  /** Extras requested on the dependency (`litellm[proxy]`). */
  extras: string[];
  /** Environment marker, when one is given. */
  marker?: string;
  origin: DeclaredOrigin;
  /** 1-based line where the declaration was found, when it could be located. */
  line?: number;
}

/** The declared side of a pyproject.toml. */
export interface Pyproject {
  /** `[project] name`, else `[tool.poetry] name`, as written. */
  name?: string;
  version?: string;
  dependencies: DeclaredDependency[];
  /** PEP 621 `dynamic` fields that concern dependencies (`dependencies`, `optional-dependencies`). */
  dynamic: string[];
  /** `[tool.uv.sources]` by normalised name: where uv takes each dependency from (workspace members inherit the
   *  root's sources). */
  uvSources: Record<string, { source: DeclaredSource; resolved?: string }>;
  /** `[tool.uv.workspace]`, when present. */
  workspace?: { members: string[]; exclude: string[] };
  /** One line per entry that was skipped (not a string, not a valid requirement, an include-group cycle, ...). */
  skipped: string[];
  /** Whether `[tool.poetry]` is present. */
  poetry: boolean;
}

/**
 * Parses pyproject.toml text into its declared dependencies. Throws a one-line Error when the text is not TOML; bad
 * entries are skipped and listed in `skipped`.
 * Specs: https://packaging.python.org/en/latest/specifications/pyproject-toml/ (PEP 621),
 * https://peps.python.org/pep-0735/, https://python-poetry.org/docs/dependency-specification/,
 * https://docs.astral.sh/uv/concepts/projects/dependencies/
 */
export function parsePyproject(text: string): Pyproject {
  const parsed = parseToml(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  const data = parsed.data;
  const reader = new DeclarationReader(text, data);
  return reader.read();
}

class DeclarationReader {
  private readonly out: DeclaredDependency[] = [];
  private readonly skipped: string[] = [];
  private readonly cycles = new Set<string>();
  /** Lines of every key and array string, from one pass over the text. */
  private readonly lines: TomlLines;
  private readonly project: TomlTable | undefined;
  private readonly projectName: string | undefined;

  constructor(private readonly text: string, private readonly data: TomlTable) {
    this.lines = tomlLines(text);
    this.project = asTable(data.project);
    const poetryName = asString(tableAt(data, ["tool", "poetry"])?.name);
    const name = asString(this.project?.name) ?? poetryName;
    this.projectName = name === undefined ? undefined : normalizeName("pypi", name);
  }

  read(): Pyproject {
    const data = this.data;
    const project = this.project;
    const poetry = tableAt(data, ["tool", "poetry"]);
    const uv = tableAt(data, ["tool", "uv"]);

    this.readPep508List(project?.dependencies, ["project", "dependencies"], "prod", "main", "project");
    const optional = asTable(project?.["optional-dependencies"]);
    if (optional) {
      for (const extra of Object.keys(optional)) this.readExtra(optional, extra, [], "optional", normalizeName("pypi", extra));
    }
    this.readDependencyGroups(asTable(data["dependency-groups"]));
    this.readPep508List(uv?.["dev-dependencies"], ["tool", "uv", "dev-dependencies"], "dev", "dev", "uv");
    if (poetry) this.readPoetry(poetry);
    const uvSources = readUvSources(asTable(uv?.sources));
    applyUvSources(this.out, uvSources);

    const workspaceTable = tableAt(data, ["tool", "uv", "workspace"]);
    const name = asString(project?.name) ?? asString(poetry?.name);
    const version = asString(project?.version) ?? asString(poetry?.version);
    return {
      ...(name !== undefined ? { name } : {}),
      ...(version !== undefined ? { version } : {}),
      dependencies: this.out,
      uvSources,
      dynamic: stringItems(project?.dynamic).filter((d) => d === "dependencies" || d === "optional-dependencies"),
      ...(workspaceTable ? { workspace: { members: stringItems(workspaceTable.members), exclude: stringItems(workspaceTable.exclude) } } : {}),
      skipped: this.skipped,
      poetry: poetry !== undefined,
    };
  }

  /** A PEP 508 list (`[project] dependencies`, `[tool.uv] dev-dependencies`). */
  private readPep508List(value: unknown, path: readonly string[], kind: DeclaredKind, group: string, origin: DeclaredOrigin): void {
    if (value === undefined) return;
    const where = path.join(".");
    const list = asArray(value);
    if (!list) {
      this.skipped.push(`${where} is not an array`);
      return;
    }
    list.forEach((item, i) => this.readPep508(item, `${where}[${i}]`, kind, group, origin, path));
  }

  /** One PEP 508 string; `path` is the array holding it (its line is looked up there). */
  private readPep508(item: unknown, where: string, kind: DeclaredKind, group: string, origin: DeclaredOrigin, path: readonly string[]): Requirement | undefined {
    if (typeof item !== "string") {
      this.skipped.push(`${where} is not a string`);
      return undefined;
    }
    const req = parseRequirement(item);
    // A specifier that is not PEP 440 (`foo bar`, `foo ^1.0`) makes uv and pip reject the whole file.
    if (!req || !isValidSpecifier(req.specifier)) {
      this.skipped.push(`${where} is not a valid requirement: ${JSON.stringify(item.slice(0, 80))}`);
      return undefined;
    }
    const source = req.url === undefined ? undefined : urlSource(req.url);
    const line = this.lines.string(path, item);
    this.out.push({
      name: req.name,
      rawName: req.rawName,
      spec: req.specifier,
      kind,
      group,
      source: source?.kind ?? "registry",
      ...(source ? { resolved: source.resolved } : {}),
      extras: req.extras,
      ...(req.marker !== undefined ? { marker: req.marker } : {}),
      origin,
      ...(line !== undefined ? { line } : {}),
    });
    return req;
  }

  /**
   * One extra of `[project.optional-dependencies]`. An extra may name the project itself (`all = ["me[a,b]"]`): that
   * pulls in the listed extras, so their entries are read again under this extra's name (cycles stop).
   */
  private readExtra(table: TomlTable, extra: string, stack: string[], kind: DeclaredKind, group: string): void {
    const key = normalizeName("pypi", extra);
    if (stack.includes(key)) return;
    const actual = Object.keys(table).find((k) => normalizeName("pypi", k) === key);
    if (actual === undefined) return;
    const list = asArray(table[actual]);
    if (!list) {
      this.skipped.push(`project.optional-dependencies.${actual} is not an array`);
      return;
    }
    list.forEach((item, i) => {
      const where = `project.optional-dependencies.${actual}[${i}]`;
      const req = typeof item === "string" ? parseRequirement(item) : undefined;
      if (req && this.projectName !== undefined && req.name === this.projectName) {
        for (const inner of req.extras) this.readExtra(table, inner, [...stack, key], kind, group);
        return;
      }
      this.readPep508(item, where, kind, group, "project", ["project", "optional-dependencies", actual]);
    });
  }

  /** PEP 735 groups, with `{include-group = "x"}` expanded and include cycles reported. */
  private readDependencyGroups(groups: TomlTable | undefined): void {
    if (!groups) return;
    const byName = new Map<string, string>();
    for (const key of Object.keys(groups)) byName.set(normalizeName("pypi", key), key);
    for (const key of Object.keys(groups)) this.readGroup(groups, byName, key, [normalizeName("pypi", key)], normalizeName("pypi", key));
  }

  private readGroup(groups: TomlTable, byName: Map<string, string>, key: string, stack: string[], group: string): void {
    const list = asArray(groups[key]);
    if (!list) {
      this.skipped.push(`dependency-groups.${key} is not an array`);
      return;
    }
    list.forEach((item, i) => {
      const where = `dependency-groups.${key}[${i}]`;
      if (isTable(item)) {
        const include = asString(item["include-group"]);
        if (include === undefined) {
          this.skipped.push(`${where} is neither a requirement nor an include-group`);
          return;
        }
        const target = normalizeName("pypi", include);
        const actual = byName.get(target);
        if (actual === undefined) {
          this.skipped.push(`${where} includes unknown group "${include}"`);
          return;
        }
        if (stack.includes(target)) {
          // Each group is expanded on its own, so the same cycle is met once per member: report it once.
          const cycle = stack.slice(stack.indexOf(target));
          const key = [...cycle].sort().join(",");
          if (!this.cycles.has(key)) {
            this.cycles.add(key);
            this.skipped.push(`dependency-groups include cycle: ${[...cycle, target].join(" -> ")}`);
          }
          return;
        }
        this.readGroup(groups, byName, actual, [...stack, target], group);
        return;
      }
      const req = typeof item === "string" ? parseRequirement(item) : undefined;
      if (req && this.projectName !== undefined && req.name === this.projectName) {
        // A group may install the project with extras (`dev = ["me[test]"]`): those extras' entries join the group.
        const optional = asTable(this.project?.["optional-dependencies"]);
        if (optional) for (const extra of req.extras) this.readExtra(optional, extra, [], "dev", group);
        return;
      }
      this.readPep508(item, where, "dev", group, "dependency-groups", ["dependency-groups", key]);
    });
  }

  /** `[tool.poetry]`: main dependencies (optional ones mapped to their extras), legacy dev-dependencies and groups. */
  private readPoetry(poetry: TomlTable): void {
    const extrasOf = new Map<string, string[]>();
    const extras = asTable(poetry.extras);
    for (const [extra, names] of Object.entries(extras ?? {})) {
      for (const n of stringItems(names)) {
        const name = normalizeName("pypi", parseRequirement(n)?.name ?? n);
        extrasOf.set(name, [...(extrasOf.get(name) ?? []), normalizeName("pypi", extra)]);
      }
    }
    this.readPoetryTable(poetry.dependencies, ["tool", "poetry", "dependencies"], "main", extrasOf);
    this.readPoetryTable(poetry["dev-dependencies"], ["tool", "poetry", "dev-dependencies"], "dev", extrasOf);
    const groups = asTable(poetry.group);
    for (const [group, body] of Object.entries(groups ?? {})) {
      const deps = asTable(body)?.dependencies;
      this.readPoetryTable(deps, ["tool", "poetry", "group", group, "dependencies"], normalizeName("pypi", group), extrasOf);
    }
  }

  private readPoetryTable(value: unknown, path: readonly string[], group: string, extrasOf: Map<string, string[]>): void {
    if (value === undefined) return;
    const where = path.join(".");
    const table = asTable(value);
    if (!table) {
      this.skipped.push(`${where} is not a table`);
      return;
    }
    for (const [rawName, spec] of Object.entries(table)) {
      // `python` is the interpreter constraint, not a package.
      if (group === "main" && rawName.toLowerCase() === "python") continue;
      const parsed = poetryConstraint(spec);
      if (!parsed) {
        this.skipped.push(`${where}.${rawName} is neither a version string, a table nor a list of tables`);
        continue;
      }
      const name = normalizeName("pypi", rawName);
      const line = this.lines.key(path, rawName);
      const base = {
        name,
        rawName,
        spec: parsed.spec,
        source: parsed.source,
        ...(parsed.resolved !== undefined ? { resolved: parsed.resolved } : {}),
        extras: parsed.extras,
        ...(parsed.marker !== undefined ? { marker: parsed.marker } : {}),
        origin: "poetry" as const,
        ...(line !== undefined ? { line } : {}),
      };
      const existing = this.out.find((d) => d.name === name && d.origin === "project" && (group === "main" ? d.kind !== "dev" : d.group === group));
      if (existing) {
        // Poetry 2: `[tool.poetry.dependencies]` enriches `[project] dependencies` (source, develop, ...).
        if (existing.source === "registry" && base.source !== "registry") {
          existing.source = base.source;
          if (base.resolved !== undefined) existing.resolved = base.resolved;
        }
        continue;
      }
      if (group === "main" && parsed.optional) {
        const inExtras = extrasOf.get(name) ?? [];
        for (const extra of inExtras.length > 0 ? inExtras : ["main"]) this.out.push({ ...base, kind: "optional", group: extra });
      } else this.out.push({ ...base, kind: group === "main" ? "prod" : "dev", group });
    }
  }
}

interface PoetryConstraint {
  spec: string;
  source: DeclaredSource;
  resolved?: string;
  extras: string[];
  marker?: string;
  optional: boolean;
}

/**
 * A Poetry dependency value: `"^1.0"`, `{ version, extras, optional, git, branch, rev, tag, path, url, develop,
 * markers, python, source }`, or a list of such tables (multiple constraints, one per environment). For a list, the
 * constraints are joined with ` || ` and the first non-registry source wins.
 * https://python-poetry.org/docs/dependency-specification/
 */
export function poetryConstraint(value: unknown): PoetryConstraint | undefined {
  if (typeof value === "string") return { spec: value.trim(), source: "registry", extras: [], optional: false };
  const tables = isTable(value) ? [value] : Array.isArray(value) ? value : undefined;
  if (!tables || tables.length === 0 || !tables.every(isTable)) return undefined;
  const specs: string[] = [];
  const markers: string[] = [];
  const extras = new Set<string>();
  let source: { kind: DeclaredSource; resolved?: string } | undefined;
  let optional = false;
  for (const table of tables as TomlTable[]) {
    const version = asString(table.version);
    if (version !== undefined && version.trim() !== "") specs.push(version.trim());
    const marker = asString(table.markers);
    if (marker !== undefined) markers.push(marker);
    for (const e of stringItems(table.extras)) extras.add(normalizeName("pypi", e));
    if (table.optional === true) optional = true;
    source ??= poetrySource(table);
  }
  return {
    spec: specs.join(" || "),
    source: source?.kind ?? "registry",
    ...(source?.resolved !== undefined ? { resolved: source.resolved } : {}),
    extras: [...extras],
    ...(markers.length > 0 ? { marker: markers.length === 1 ? markers[0] : markers.map((m) => `(${m})`).join(" or ") } : {}),
    optional,
  };
}

function poetrySource(table: TomlTable): { kind: DeclaredSource; resolved: string } | undefined {
  const git = asString(table.git);
  if (git !== undefined) {
    const ref = asString(table.rev) ?? asString(table.tag) ?? asString(table.branch);
    return { kind: "git", resolved: ref === undefined ? git : `${git}@${ref}` };
  }
  const path = asString(table.path);
  if (path !== undefined) return { kind: "path", resolved: path };
  const url = asString(table.url);
  if (url !== undefined) return { kind: "url", resolved: url };
  return undefined;
}

/** `[tool.uv.sources]`: git/path/url/workspace sources by dependency name. */
function readUvSources(sources: TomlTable | undefined): Pyproject["uvSources"] {
  const out: Pyproject["uvSources"] = {};
  for (const [rawName, value] of Object.entries(sources ?? {})) {
    // A list of sources with markers: the first non-registry one tells where the code may come from.
    const entries = Array.isArray(value) ? value.filter(isTable) : isTable(value) ? [value] : [];
    const source = entries.map(uvSource).find((s) => s !== undefined);
    if (source) out[normalizeName("pypi", rawName)] = { source: source.kind, ...(source.resolved !== undefined ? { resolved: source.resolved } : {}) };
  }
  return out;
}

/**
 * Applies uv sources to the PEP 621/735/uv declarations (Poetry ignores `[tool.uv]`). Only registry declarations take
 * a source, so a member's own source wins over one inherited from the workspace root.
 */
export function applyUvSources(deps: DeclaredDependency[], sources: Pyproject["uvSources"]): void {
  for (const dep of deps) {
    const source = sources[dep.name];
    if (!source || dep.origin === "poetry" || dep.source !== "registry") continue;
    dep.source = source.source;
    if (source.resolved !== undefined) dep.resolved = source.resolved;
  }
}

function uvSource(table: TomlTable): { kind: DeclaredSource; resolved?: string } | undefined {
  if (table.workspace === true) return { kind: "workspace" };
  const git = asString(table.git);
  if (git !== undefined) {
    const ref = asString(table.rev) ?? asString(table.tag) ?? asString(table.branch);
    return { kind: "git", resolved: ref === undefined ? git : `${git}@${ref}` };
  }
  const path = asString(table.path);
  if (path !== undefined) return { kind: "path", resolved: path };
  const url = asString(table.url);
  if (url !== undefined) return { kind: "url", resolved: url };
  return undefined;
}

/** Source kind of a PEP 508 direct reference (`name @ <url>`). */
function urlSource(url: string): { kind: SourceKind; resolved: string } {
  const lower = url.toLowerCase();
  if (lower.startsWith("git+")) return { kind: "git", resolved: url };
  if (lower.startsWith("file:") || lower.startsWith(".") || lower.startsWith("/")) return { kind: "path", resolved: url };
  return { kind: "url", resolved: url };
}

/**
 * The version a declaration pins exactly: PEP 440 `==1.2.3`, or a bare Poetry version (`"4.41.2"` means `==4.41.2`
 * in Poetry). Undefined for ranges and wildcards.
 */
export function pinnedVersion(dep: Pick<DeclaredDependency, "spec" | "origin">): string | undefined {
  const spec = dep.spec.trim();
  if (dep.origin === "poetry" && /^[0-9][0-9A-Za-z.+!_-]*$/.test(spec)) return spec;
  return exactVersion(spec.replace(/\s+/g, ""));
}

/** The text `declared` carries in a graph: the spec, else where a non-registry dependency comes from. */
export function declaredText(dep: DeclaredDependency): string {
  return dep.spec !== "" ? dep.spec : (dep.resolved ?? "");
}

/**
 * uv expands member globs with the Rust `glob` crate's defaults: wildcards match hidden names, braces are literal.
 * https://docs.astral.sh/uv/concepts/projects/workspaces/
 */
const UV_GLOBS: GlobOptions = { dot: true, braces: false };

/**
 * The uv workspace member folders (relative to `rootDir`, the folder of the workspace root's pyproject.toml) whose
 * pyproject.toml was discovered, sorted: selected by a `members` glob and by no `exclude` glob.
 */
export function uvWorkspaceMemberDirs(rootDir: string, members: readonly string[], exclude: readonly string[], discovered: readonly string[]): string[] {
  // Excludes win over every include, which the ordered negation of the shared matcher gives when they come last.
  const patterns = [...members.map((m) => m.trim()), ...exclude.map((e) => `!${e.trim()}`)];
  return workspaceMemberDirs(rootDir, patterns, discovered, "pyproject.toml", UV_GLOBS);
}

/** Root-relative paths of the uv workspace members' pyproject.toml files that discovery found. */
export function workspaceManifests(rootManifest: string, project: Pyproject, discovered: readonly string[]): string[] {
  if (!project.workspace) return [];
  const dir = dirOf(rootManifest);
  return uvWorkspaceMemberDirs(dir, project.workspace.members, project.workspace.exclude, discovered)
    .map((member) => joinPath(dir, `${member}/pyproject.toml`))
    .filter((p): p is string => p !== undefined && p !== rootManifest);
}

/** Adds one importer's declared dependencies to a manifest-only graph. */
function addDeclared(builder: GraphBuilder, importer: string, project: Pyproject, file: string, members: Map<string, string>): void {
  for (const dep of project.dependencies) {
    const member = dep.source === "workspace" ? members.get(dep.name) : undefined;
    const location = { file, ...(dep.line !== undefined ? { line: dep.line } : {}) };
    if (member !== undefined) {
      builder.addEdge(importer, member, dep.kind, declaredText(dep), undefined, location);
      continue;
    }
    const source: SourceKind = dep.source === "workspace" ? "path" : dep.source;
    const id = builder.addPackage({
      name: dep.name,
      version: pinnedVersion(dep) ?? "",
      source,
      ...(dep.resolved !== undefined ? { resolved: dep.resolved } : {}),
      declared: declaredText(dep),
      location,
    });
    builder.addEdge(importer, id, dep.kind, declaredText(dep), undefined, location);
  }
}

/** Summarises skipped entries as one line ("3 entries skipped: first reason"). */
export function skippedReason(skipped: readonly string[], where?: string): string {
  const first = skipped[0] ?? "";
  const prefix = where ? `${where}: ` : "";
  return skipped.length === 1 ? `${prefix}1 entry skipped: ${first}` : `${prefix}${skipped.length} entries skipped, first: ${first}`;
}

/**
 * A pyproject.toml parsed once per extraction: the companion rounds (workspace members), extract, and the poetry.lock
 * and uv.lock readers share it. Shared between calls, so read-only.
 */
const parsedPyprojects = textCache((text: string): { project: Pyproject } | { error: string } => {
  try {
    return { project: parsePyproject(text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
});

/** The parsed declarations of a pyproject.toml text in this extraction (cached), or why it could not be parsed. */
export function pyprojectIn(context: ExtractContext, path: string, text: string): { project: Pyproject } | { error: string } {
  return parsedPyprojects.get(context, path, text);
}

/**
 * Reads a companion pyproject.toml: the parsed declarations, or a problem to report under its own path. The project
 * is shared with other readers of the same extraction: do not modify it.
 */
export function readCompanion(path: string, context: ExtractContext): { project?: Pyproject; problem?: FileProblem } {
  const text = context.files.get(path);
  if (text === undefined) return {};
  const read = pyprojectIn(context, path, text);
  if ("error" in read) return { problem: { path, status: "failed", reason: read.error } };
  const project = read.project;
  return project.skipped.length > 0
    ? { project, problem: { path, status: "partial", reason: skippedReason(project.skipped) } }
    : { project };
}

/**
 * pyproject.toml as a manifest: the declared dependencies when no lockfile consumed the file. Versions are the
 * exact pin when the spec pins one, else "". uv workspace members found by discovery become importers with their
 * own direct dependencies.
 */
export const pyprojectExtractor: Extractor = {
  ...pyprojectFormat,
  companions(file: SourceFile, context: ExtractContext): string[] {
    const read = pyprojectIn(context, file.path, file.text);
    return "project" in read ? workspaceManifests(file.path, read.project, context.discovered) : [];
  },
  extract(file: SourceFile, context: ExtractContext): Extraction {
    const read = pyprojectIn(context, file.path, file.text);
    if ("error" in read) return failed(read.error);
    const project = read.project;
    const builder = new GraphBuilder("pypi", {
      ...(project.name !== undefined ? { name: normalizeName("pypi", project.name) } : {}),
      ...(project.version !== undefined ? { version: project.version } : {}),
      location: { file: file.path, line: 1 },
    });
    const consumed: string[] = [];
    const problems: FileProblem[] = [];
    const members = new Map<string, string>();
    const memberProjects: Array<{ id: string; project: Pyproject; path: string }> = [];
    const dir = dirOf(file.path);
    for (const path of workspaceManifests(file.path, project, context.discovered)) {
      const read = readCompanion(path, context);
      if (read.problem) problems.push(read.problem);
      if (!read.project && !read.problem) continue;
      consumed.push(path);
      if (!read.project) continue;
      const memberDir = dirOf(path).slice(dir === "" ? 0 : dir.length + 1);
      const name = normalizeName("pypi", read.project.name ?? baseName(memberDir));
      const id = builder.addWorkspace(memberDir, { name, version: read.project.version ?? "", location: { file: path, line: 1 } });
      members.set(name, id);
      // Members inherit the workspace root's `[tool.uv.sources]`; on copies, since the parsed member is shared.
      const member: Pyproject = { ...read.project, dependencies: read.project.dependencies.map((d) => ({ ...d })) };
      applyUvSources(member.dependencies, project.uvSources);
      memberProjects.push({ id, project: member, path });
    }
    addDeclared(builder, ROOT_ID, project, file.path, members);
    for (const m of memberProjects) addDeclared(builder, m.id, m.project, m.path, members);
    const graph = builder.build();

    if (project.skipped.length > 0) return { graph, status: "partial", reason: skippedReason(project.skipped), consumed, problems };
    if (problems.some((p) => p.status === "failed")) {
      return { graph, status: "partial", reason: `${problems.filter((p) => p.status === "failed").length} workspace member manifest(s) could not be read`, consumed, problems };
    }
    const dynamicNote = dynamicReason(project);
    return { graph, status: "ok", ...(dynamicNote ? { reason: dynamicNote } : {}), consumed, problems };
  },
};

/** When dependencies are `dynamic`, the build backend decides them: say so (the graph cannot show them). */
function dynamicReason(project: Pyproject): string | undefined {
  if (project.dynamic.length === 0) return undefined;
  const fromPoetry = project.poetry && project.dependencies.some((d) => d.origin === "poetry");
  if (fromPoetry) return undefined;
  return `${project.dynamic.join(" and ")} declared dynamic: the build backend computes them, so they are not listed here`;
}
