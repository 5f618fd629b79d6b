import { GraphBuilder, ROOT_ID, packageId } from "../../graph/dependency-graph.js";
import type { Location, PackageInput } from "../../graph/package-node.js";
import type { ExtractContext, Extraction, Extractor, FileProblem, SourceFile } from "../extractor.js";
import { dirOf, failed, joinPath } from "../extractor.js";
import { exactVersion } from "../python/pep508.js";
import type { IncludeMode, RequirementLine, RequirementsFile } from "./requirements-file.js";
import { parseRequirementsFile } from "./requirements-file.js";
import { textCache } from "../shared/memo.js";
import type { RequirementTarget } from "./requirement-target.js";
import { declaredSpec, interpretRequirement } from "./requirement-target.js";
import { claimsRequirementsFile, requirementsFormat } from "./claims.js";
import { compileInputs } from "./compile-inputs.js";
import type { CompileInput } from "./compile-inputs.js";

/** Locations kept per package: a package listed on more lines than this is pathological, not informative. */
const MAX_LOCATIONS = 50;

/** Versions of one name a `# via name` links from (compiled files hold one per marker set, a handful at most). */
const MAX_VIA_NODES = 32;

/** Distinct constraint specifiers kept per name (real files have one). */
const MAX_CONSTRAINTS = 16;

/**
 * Each requirements file parsed once per extraction: the companion rounds re-walk the includes as more files are
 * read, and extract walks them once more. Shared between calls, so read-only.
 */
const parsedFiles = textCache(parseRequirementsFile);

/** One file read while following includes, and how it was included. */
interface Visit {
  path: string;
  mode: IncludeMode;
  parsed: RequirementsFile;
}

/** Trouble met while following includes; `path` is the file the problem belongs to. */
interface WalkIssue {
  path: string;
  status: "partial" | "failed";
  reason: string;
}

interface Walk {
  visits: Visit[];
  /** Every include reached so far (root-relative), in discovery order, without the primary file. */
  companions: string[];
  issues: WalkIssue[];
}

/**
 * Follows `-r`/`-c` includes depth-first in file order, the way pip's RequirementsFileParser does: paths are relative
 * to the including file; `-r` files are read as requirements and `-c` files as constraints, whatever the including
 * file was. Only files already in `context.files` are descended into, so repeated calls (the scan layer asks for
 * companions until the list stops growing) return the transitive closure. Cycles are reported, not followed.
 */
function walkIncludes(file: SourceFile, parsed: RequirementsFile, context: ExtractContext): Walk {
  interface Frame { path: string; parsed: RequirementsFile; next: number }
  const visits: Visit[] = [{ path: file.path, mode: "requirement", parsed }];
  const companions: string[] = [];
  const requested = new Set<string>([file.path]);
  const issues: WalkIssue[] = [];
  const visited = new Set<string>([`requirement\u0000${file.path}`]);
  const stack: Frame[] = [{ path: file.path, parsed, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const include = frame.parsed.includes[frame.next++];
    if (!include) {
      stack.pop();
      continue;
    }
    const where = `${frame.path} line ${include.line}`;
    const flag = include.mode === "requirement" ? "-r" : "-c";
    if (/^(?:https?|ftp|file):/i.test(include.target)) {
      issues.push({ path: frame.path, status: "partial", reason: `${flag} ${include.target} (line ${include.line}) is a URL: not fetched` });
      continue;
    }
    const absolute = include.target.startsWith("/") || include.target.startsWith("\\") || /^[A-Za-z]:/.test(include.target);
    const target = absolute ? undefined : joinPath(dirOf(frame.path), include.target);
    if (target === undefined || target === "") {
      issues.push({ path: frame.path, status: "partial", reason: `${flag} ${include.target} (line ${include.line}) is outside the scanned folder: not read` });
      continue;
    }
    const onStack = stack.findIndex((f) => f.path === target);
    if (onStack >= 0) {
      const chain = [...stack.slice(onStack).map((f) => f.path), target];
      issues.push({ path: frame.path, status: "partial", reason: `include cycle: ${chain.join(" → ")}` });
      continue;
    }
    const key = `${include.mode}\u0000${target}`;
    if (visited.has(key)) continue;
    visited.add(key);
    if (!requested.has(target)) {
      requested.add(target);
      companions.push(target);
    }
    const text = context.files.get(target);
    if (text === undefined) {
      const why = context.unreadable.get(target) ?? "not read";
      issues.push({ path: target, status: "failed", reason: `${why} (included from ${where})` });
      continue;
    }
    if (text.includes("\u0000")) {
      issues.push({ path: target, status: "failed", reason: `binary file (contains NUL bytes) (included from ${where})` });
      continue;
    }
    const child = parsedFiles.get(context, target, text);
    visits.push({ path: target, mode: include.mode, parsed: child });
    stack.push({ path: target, parsed: child, next: 0 });
  }
  return { visits, companions, issues };
}

/** A requirement line that became a package node. */
interface Placed {
  visit: Visit;
  line: RequirementLine;
  target: RequirementTarget;
  id: string;
}

/**
 * Builds the graph of one primary requirements file and its `-r` includes. Without `# via` annotations every
 * requirement is a direct dependency of the project. With them (pip-compile / `uv pip compile` output) the
 * annotations are the edges: `# via aiohttp` means aiohttp depends on this package, `-r file` (or the project's own
 * `name (pyproject.toml)`) means the project asked for it directly. `-c` constraint files add no packages; a
 * marker-less exact pin in one fixes the version of an unpinned requirement and is added to its declared spec.
 */
function extractRequirements(file: SourceFile, context: ExtractContext): Extraction {
  if (file.text.includes("\u0000")) return failed("binary file (contains NUL bytes)");
  const parsed = parsedFiles.get(context, file.path, file.text);
  const notThisFormat = nothingReadable(parsed);
  if (notThisFormat) return failed(`not a requirements file: nothing readable; line ${notThisFormat.line}: ${notThisFormat.reason}`);
  const walk = walkIncludes(file, parsed, context);
  const bad = new Map<string, { line: number; reason: string }[]>();
  const addBad = (path: string, line: number, reason: string) => {
    const list = bad.get(path) ?? [];
    list.push({ line, reason });
    bad.set(path, list);
  };
  for (const visit of walk.visits) for (const b of visit.parsed.bad) addBad(visit.path, b.line, b.reason);

  // Constraints first: they only shape the requirements read afterwards.
  const constraints = new Map<string, Set<string>>();
  for (const visit of walk.visits) {
    if (visit.mode !== "constraint") continue;
    for (const line of visit.parsed.requirements) {
      const target = interpretRequirement(line.text, line.editable);
      if ("error" in target) addBad(visit.path, line.line, target.error);
      // A constraint with a marker applies only on some platforms, so it cannot fix a version for all of them.
      else if (target.source === "registry" && target.specifier !== "" && target.marker === undefined) {
        const specs = constraints.get(target.name) ?? new Set<string>();
        if (specs.size < MAX_CONSTRAINTS) specs.add(target.specifier);
        constraints.set(target.name, specs);
      }
    }
  }

  // Lines are grouped per package before they reach the builder, which merges duplicates in time proportional to
  // what the node already holds: a file repeating one line a million times must stay linear.
  const nodes = new Map<string, { input: PackageInput; locations: Location[]; hashKeys: Set<string>; declaredFromInput?: boolean }>();
  const placed: Placed[] = [];
  const byFile = new Map<string, Map<string, Set<string>>>();
  const everywhere = new Map<string, Set<string>>();
  for (const visit of walk.visits) {
    if (visit.mode !== "requirement") continue;
    const fileMap = byFile.get(visit.path) ?? new Map<string, Set<string>>();
    byFile.set(visit.path, fileMap);
    for (const line of visit.parsed.requirements) {
      const interpreted = interpretRequirement(line.text, line.editable);
      if ("error" in interpreted) {
        addBad(visit.path, line.line, interpreted.error);
        continue;
      }
      const target = applyConstraints(interpreted, constraints.get(interpreted.name));
      const id = packageId(target.name, target.version, target.source, target.resolved);
      let node = nodes.get(id);
      if (!node) {
        node = {
          input: {
            name: target.name,
            version: target.version,
            source: target.source,
            ...(target.resolved !== undefined ? { resolved: target.resolved } : {}),
            hashes: [],
            declared: target.declared,
          },
          locations: [],
          hashKeys: new Set(),
        };
        nodes.set(id, node);
      }
      if (node.locations.length < MAX_LOCATIONS) node.locations.push({ file: visit.path, line: line.line });
      for (const hash of [...line.hashes, ...target.hashes]) {
        const key = `${hash.algorithm}:${hash.value}`;
        if (node.hashKeys.has(key)) continue;
        node.hashKeys.add(key);
        node.input.hashes?.push(hash);
      }
      placed.push({ visit, line, target, id });
      for (const map of [fileMap, everywhere]) {
        const ids = map.get(target.name) ?? new Set<string>();
        ids.add(id);
        map.set(target.name, ids);
      }
    }
  }
  // The primary file's pip-compile inputs: their packages are the compiled file's (already pinned there); what they
  // ask for is what the project declared, so a direct dependency carries the input's spec rather than the pin.
  const inputs = compileInputs(file.path, parsed, new Set(context.discovered), claimsRequirementsFile)
    .filter((input) => !walk.visits.some((v) => v.path === input.path));
  const inputSpecs = declaredInInputs(inputs, context);
  // What the project asked for and where: the compile input's line when there is one, else the requirement's own.
  const rootSpec = (p: Placed): { spec: string; location: Location } => {
    const input = p.visit.path === file.path && p.target.source === "registry" ? inputSpec(inputSpecs, p.target) : undefined;
    return input
      ? { spec: input.declared, location: input.location }
      : { spec: p.target.declared, location: { file: p.visit.path, line: p.line.line } };
  };

  const edges: Array<{ from: string; to: string; spec?: string; location?: Location }> = [];
  const toRoot = (p: Placed) => {
    const { spec, location } = rootSpec(p);
    edges.push({ from: ROOT_ID, to: p.id, spec, location });
    const node = nodes.get(p.id);
    if (node && spec !== p.target.declared && !node.declaredFromInput) {
      node.input.declared = spec;
      node.declaredFromInput = true;
    }
  };
  for (const p of placed) {
    const via = p.visit.parsed.annotated ? p.line.via : undefined;
    let linked = false;
    for (const entry of via ?? []) {
      if (entry.kind === "file") {
        if (entry.mode === "requirement") {
          toRoot(p);
          linked = true;
        }
        continue;
      }
      if (entry.project) {
        toRoot(p);
        linked = true;
        continue;
      }
      // Prefer the dependant listed in the same compiled file; fall back to any included file.
      const from = [...(byFile.get(p.visit.path)?.get(entry.name) ?? everywhere.get(entry.name) ?? [])].slice(0, MAX_VIA_NODES);
      for (const id of from) edges.push({ from: id, to: p.id });
      if (from.length > 0) linked = true;
    }
    // No annotation, or one naming nothing in the graph: the file itself is the only reason it is installed.
    if (!linked) toRoot(p);
  }
  const builder = new GraphBuilder("pypi", { location: { file: file.path } });
  for (const [id, node] of nodes) {
    for (const location of node.locations) builder.addPackage({ ...node.input, location }, id);
  }
  for (const edge of edges) builder.addEdge(edge.from, edge.to, "prod", edge.spec, undefined, edge.location);

  const problems: FileProblem[] = [];
  const reasons: string[] = [];
  for (const [path, lines] of bad) {
    // Option errors and requirement errors are found in two passes; report the earliest line.
    const first = lines.reduce((a, b) => (b.line < a.line ? b : a));
    const reason = `skipped ${lines.length} unreadable line${lines.length === 1 ? "" : "s"}; first at line ${first.line}: ${first.reason}`;
    if (path === file.path) reasons.unshift(reason);
    else {
      problems.push({ path, status: "partial", reason });
      reasons.push(`${path}: ${reason}`);
    }
  }
  for (const issue of walk.issues) {
    if (issue.path === file.path) reasons.push(issue.reason);
    else {
      problems.push(issue);
      reasons.push(`${issue.path}: ${issue.reason}`);
    }
  }
  const consumed = [...new Set([...walk.visits.slice(1).map((v) => v.path), ...inputs.map((i) => i.path)])];
  const graph = builder.build();
  if (reasons.length === 0) return { graph, status: "ok", consumed, problems };
  const more = reasons.length > 1 ? ` (and ${reasons.length - 1} more problem${reasons.length === 2 ? "" : "s"})` : "";
  return { graph, status: "partial", reason: `${reasons[0]}${more}`, consumed, problems };
}

/** One registry requirement of a compile input: what it declares, its marker for matching, and its line. */
interface InputSpec {
  declared: string;
  marker: string;
  location: Location;
}

/**
 * What the compiled file's inputs (the `.in` files it was compiled from, when read) declare: every registry
 * requirement, by package name, inputs in order.
 */
function declaredInInputs(inputs: readonly CompileInput[], context: ExtractContext): Map<string, InputSpec[]> {
  const specs = new Map<string, InputSpec[]>();
  for (const input of inputs) {
    if (input.mode !== "requirement") continue;
    const text = context.files.get(input.path);
    if (text === undefined || text.includes("\u0000")) continue;
    for (const line of parsedFiles.get(context, input.path, text).requirements) {
      const target = interpretRequirement(line.text, line.editable);
      if ("error" in target || target.source !== "registry") continue;
      const list = specs.get(target.name) ?? [];
      if (!list.some((s) => s.declared === target.declared)) list.push({ declared: target.declared, marker: markerKey(target.marker), location: { file: input.path, line: line.line } });
      specs.set(target.name, list);
    }
  }
  return specs;
}

/**
 * The input's spec for a compiled requirement: the only one for its name when that one has no marker, else the one
 * whose marker is the compiled line's. Undefined when that is ambiguous (an input splitting a name by markers, compiled
 * for one interpreter without markers): the pin then stays the declared spec.
 */
function inputSpec(specs: ReadonlyMap<string, readonly InputSpec[]>, target: RequirementTarget): InputSpec | undefined {
  const candidates = specs.get(target.name) ?? [];
  const only = candidates.length === 1 ? candidates[0] : undefined;
  if (only && only.marker === "") return only;
  const marker = markerKey(target.marker);
  const matching = candidates.filter((c) => c.marker === marker);
  return matching.length === 1 ? matching[0] : undefined;
}

/** A marker compared loosely: without blanks, with one kind of quote (compilers rewrite both). */
function markerKey(marker: string | undefined): string {
  return (marker ?? "").replace(/\s+/g, "").replace(/'/g, '"');
}

/**
 * The first bad line of a file in which no line at all is readable (no requirement, include or option), or undefined.
 * Such a file is not a requirements file (prose, another format): failed rather than an empty partial graph.
 */
function nothingReadable(parsed: RequirementsFile): { line: number; reason: string } | undefined {
  if (parsed.includes.length > 0 || parsed.options.length > 0) return undefined;
  let first = parsed.bad[0];
  for (const line of parsed.requirements) {
    const target = interpretRequirement(line.text, line.editable);
    if (!("error" in target)) return undefined;
    if (!first || line.line < first.line) first = { line: line.line, reason: target.error };
  }
  return first;
}

/** Applies marker-less constraints to an unpinned registry requirement: an exact pin fixes its version. */
function applyConstraints(target: RequirementTarget, constraintSpecs: Set<string> | undefined): RequirementTarget {
  if (!constraintSpecs || target.source !== "registry" || target.version !== "") return target;
  const specs = [...constraintSpecs];
  const pins = new Set(specs.map((s) => exactVersion(s)).filter((v): v is string => v !== undefined));
  const specifier = [target.specifier, ...specs].filter(Boolean).join(",");
  return {
    ...target,
    version: pins.size === 1 ? ([...pins][0] as string) : "",
    specifier,
    declared: declaredSpec(target.extras, specifier, target.marker),
  };
}

/** pip requirements files (`requirements*.txt`, `requirements/*.txt`, constraints, pip-compile `.in` inputs). */
export const requirementsExtractor: Extractor = {
  ...requirementsFormat,
  companions(file: SourceFile, context: ExtractContext): string[] {
    if (file.text.includes("\u0000")) return [];
    const parsed = parsedFiles.get(context, file.path, file.text);
    const includes = walkIncludes(file, parsed, context).companions;
    // The `.in` files it was compiled from are read for what they declare (constraint files need not be).
    const inputs = compileInputs(file.path, parsed, new Set(context.discovered), claimsRequirementsFile)
      .filter((input) => input.mode === "requirement" && !includes.includes(input.path))
      .map((input) => input.path);
    return [...includes, ...inputs];
  },
  extract(file: SourceFile, context: ExtractContext): Extraction {
    try {
      return extractRequirements(file, context);
    } catch (error) {
      // Defensive: the parser is written not to throw, but the extractor contract forbids it outright.
      return failed(`could not read requirements file: ${(error as Error).message}`);
    }
  },
};
