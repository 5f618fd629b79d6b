import { parse as parseToml } from "smol-toml";
import { GraphBuilder, ROOT_ID } from "../../graph/dependency-graph.js";
import { normalizeName } from "../../graph/names.js";
import type { EdgeKind, SourceKind } from "../../graph/package-node.js";
import type { Extraction, Extractor, SourceFile } from "../extractor.js";
import { failed } from "../extractor.js";
import { exactVersion } from "../python/pep508.js";
import { redactCredentials } from "../pip/requirement-target.js";
import { stripBom } from "../shared/text.js";
import { pipfileFormat } from "./claims.js";

/** One dependency a Pipfile declares. */
export interface PipfileDependency {
  /** PEP 503-normalised name. */
  name: string;
  /** The Pipfile table it is declared in: `packages`, `dev-packages` or a custom category. */
  category: string;
  /** The Pipfile.lock section the same category is locked into: `default`, `develop` or the category name. */
  lockSection: string;
  kind: EdgeKind;
  /** The exact version when the spec pins one (`==1.0`), else "". */
  version: string;
  source: SourceKind;
  resolved?: string;
  /** The spec as declared: `*`, `>=1.0`, `[extras]==1.0 ; markers`, the git URL with its ref, or the path. */
  declared: string;
  /** 1-based line of the declaration. */
  line?: number;
}

/** The dependency part of a Pipfile. */
export interface Pipfile {
  dependencies: PipfileDependency[];
  /** Entries that could not be read (value of the wrong type). */
  skipped: { category: string; name: string; reason: string }[];
}

/** Top-level Pipfile tables that are not package categories (https://pipenv.pypa.io/en/latest/pipfile.html). */
const RESERVED_TABLES = new Set(["source", "requires", "pipenv", "scripts"]);

/** PEP 508 marker variables pipenv accepts as keys of a dependency table (`sys_platform = "== 'win32'"`). */
const MARKER_KEYS = [
  "os_name", "sys_platform", "platform_machine", "platform_python_implementation", "platform_release",
  "platform_system", "platform_version", "python_version", "python_full_version", "implementation_name",
  "implementation_version",
];

/**
 * The Pipfile.lock section a Pipfile category is locked into: `[packages]` → `default`, `[dev-packages]` → `develop`,
 * custom categories (pipenv 2023+) under their own name.
 */
export function lockSectionOf(category: string): string {
  if (category === "packages") return "default";
  if (category === "dev-packages") return "develop";
  return category;
}

/**
 * Parses a Pipfile (TOML). Throws a one-line Error on invalid TOML. `[packages]` are production dependencies;
 * `[dev-packages]` and custom categories are only installed on request (`--dev`, `--categories`), so they are `dev`.
 */
export function parsePipfile(text: string): Pipfile {
  let data: Record<string, unknown>;
  try {
    data = parseToml(stripBom(text)) as Record<string, unknown>;
  } catch (error) {
    const e = error as Error & { line?: number; column?: number };
    const message = (e.message.split("\n")[0] ?? "").replace(/^Invalid TOML document: /, "");
    throw new Error(`invalid TOML${e.line !== undefined ? ` at line ${e.line} column ${e.column ?? 0}` : ""}: ${message}`);
  }
  const lines = declarationLines(text);
  const out: Pipfile = { dependencies: [], skipped: [] };
  for (const [category, table] of Object.entries(data)) {
    if (RESERVED_TABLES.has(category) || !isTable(table)) continue;
    const lockSection = lockSectionOf(category);
    const kind: EdgeKind = category === "packages" ? "prod" : "dev";
    for (const [rawName, value] of Object.entries(table)) {
      const name = normalizeName("pypi", rawName);
      const read = readSpec(value);
      if ("error" in read) {
        out.skipped.push({ category, name: rawName, reason: read.error });
        continue;
      }
      const line = lines.get(`${category}\u0000${name}`);
      out.dependencies.push({ name, category, lockSection, kind, ...read, ...(line !== undefined ? { line } : {}) });
    }
  }
  return out;
}

type Spec = Pick<PipfileDependency, "version" | "source" | "resolved" | "declared">;

/** Reads a dependency value: a version string, or a table with version/extras/markers/git/ref/path/file/editable. */
function readSpec(value: unknown): Spec | { error: string } {
  if (typeof value === "string") {
    const spec = value.trim() || "*";
    return { version: exactVersion(spec.replace(/\s+/g, "")) ?? "", source: "registry", declared: spec };
  }
  if (!isTable(value)) return { error: `expected a version string or a table, got ${Array.isArray(value) ? "an array" : typeof value}` };
  const version = typeof value.version === "string" ? value.version.trim() || "*" : "*";
  const extras = Array.isArray(value.extras) ? value.extras.filter((e): e is string => typeof e === "string") : [];
  const markers: string[] = typeof value.markers === "string" && value.markers.trim() ? [value.markers.trim()] : [];
  for (const key of MARKER_KEYS) if (typeof value[key] === "string") markers.push(`${key} ${(value[key] as string).trim()}`);
  const markerText = markers.length > 0 ? ` ; ${markers.join(" and ")}` : "";
  if (typeof value.git === "string") {
    const ref = typeof value.ref === "string" && value.ref ? `@${value.ref}` : "";
    // Credentials in a URL would otherwise travel into every report built from the graph.
    const resolved = redactCredentials(`${value.git}${ref}`);
    return { version: "", source: "git", resolved, declared: `${resolved}${markerText}` };
  }
  if (typeof value.path === "string") return { version: "", source: "path", resolved: value.path, declared: `${value.path}${markerText}` };
  if (typeof value.file === "string") {
    const remote = /^(?:https?|ftp):/i.test(value.file);
    const file = redactCredentials(value.file);
    return { version: "", source: remote ? "url" : "path", resolved: file, declared: `${file}${markerText}` };
  }
  const extrasText = extras.length > 0 ? `[${extras.map((e) => normalizeName("pypi", e)).join(",")}]` : "";
  return { version: exactVersion(version.replace(/\s+/g, "")) ?? "", source: "registry", declared: `${extrasText}${version}${markerText}` };
}

/**
 * Line of each `name = …` under a `[category]` header, and of each `[category.name]` sub-table header, keyed by
 * category and normalised name. The TOML parser does not report positions; this line scan is enough for the
 * key-per-line layout pipenv writes.
 */
function declarationLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const record = (category: string, key: string, line: number) => {
    const id = `${category}\u0000${normalizeName("pypi", key)}`;
    if (!out.has(id)) out.set(id, line);
  };
  let table: string | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] as string).trim();
    if (t.startsWith("[[")) {
      table = undefined;
    } else if (t.startsWith("[")) {
      const close = t.lastIndexOf("]");
      const parts = splitDotted(t.slice(1, close < 0 ? undefined : close));
      table = parts.length === 1 ? parts[0] : undefined;
      if (parts.length === 2) record(parts[0] as string, parts[1] as string, i + 1);
    } else if (table !== undefined) {
      const key = splitDotted(t.slice(0, keyEnd(t)))[0];
      if (key) record(table, key, i + 1);
    }
  }
  return out;
}

/** End of the key part of `key = value` (the first `=` outside quotes), or 0 when the line has none. */
function keyEnd(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "=") return i;
    else if (c === "#") return 0;
  }
  return 0;
}

/** Splits a TOML dotted key (`packages."foo.bar"`) into its unquoted parts. */
function splitDotted(key: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (const c of key) {
    if (quote) {
      if (c === quote) quote = undefined;
      else current += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ".") {
      parts.push(current.trim());
      current = "";
    } else current += c;
  }
  parts.push(current.trim());
  return parts.filter((p) => p !== "");
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Builds the manifest-only graph of a Pipfile: the root and the packages it declares, versions only when pinned. */
function extractPipfile(file: SourceFile): Extraction {
  if (file.text.includes("\u0000")) return failed("binary file (contains NUL bytes)");
  let pipfile: Pipfile;
  try {
    pipfile = parsePipfile(file.text);
  } catch (error) {
    return failed((error as Error).message);
  }
  const builder = new GraphBuilder("pypi", { location: { file: file.path } });
  for (const dep of pipfile.dependencies) {
    const location = { file: file.path, ...(dep.line !== undefined ? { line: dep.line } : {}) };
    const id = builder.addPackage({
      name: dep.name,
      version: dep.version,
      source: dep.source,
      ...(dep.resolved !== undefined ? { resolved: dep.resolved } : {}),
      declared: dep.declared,
      location,
    });
    builder.addEdge(ROOT_ID, id, dep.kind, dep.declared, undefined, location);
  }
  const graph = builder.build();
  const first = pipfile.skipped[0];
  if (!first) return { graph, status: "ok", consumed: [], problems: [] };
  const n = pipfile.skipped.length;
  return {
    graph,
    status: "partial",
    reason: `skipped ${n} unreadable entr${n === 1 ? "y" : "ies"}; first [${first.category}] ${first.name}: ${first.reason}`,
    consumed: [],
    problems: [],
  };
}

/** Pipfile (pipenv's manifest): declared dependencies only, used when no Pipfile.lock consumed it. */
export const pipfileExtractor: Extractor = {
  ...pipfileFormat,
  companions: () => [],
  extract(file: SourceFile): Extraction {
    try {
      return extractPipfile(file);
    } catch (error) {
      return failed(`could not read Pipfile: ${(error as Error).message}`);
    }
  },
};
