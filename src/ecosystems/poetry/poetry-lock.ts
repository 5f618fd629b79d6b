// poetry.lock, lock-version 1.x (Poetry < 1.2: `category`, hashes in `[metadata.files]`) and 2.x (Poetry ≥ 1.2:
// `files` inside each package; 2.1, Poetry ≥ 2.0: `groups` and per-group `markers`).
// Layout: https://github.com/python-poetry/poetry/blob/master/src/poetry/packages/locker.py
import { GraphBuilder, ROOT_ID } from "../../graph/dependency-graph.js";
import { normalizeName } from "../../graph/names.js";
import type { EdgeKind, Hash, SourceKind } from "../../graph/package-node.js";
import { dirOf, failed, joinPath, unsupported } from "../extractor.js";
import type { ExtractContext, Extraction, Extractor, FileProblem, SourceFile } from "../extractor.js";
import { parseRequirement } from "../python/pep508.js";
import { declaredText, readCompanion } from "../pyproject/pyproject-toml.js";
import type { DeclaredDependency } from "../pyproject/pyproject-toml.js";
import { asArray, asString, asTable, headerLines, isTable, parseHash, parseToml, stringItems } from "../pyproject/toml.js";
import type { TomlTable } from "../pyproject/toml.js";
import { poetryLockFormat } from "./claims.js";

interface LockedPackage {
  index: number;
  name: string;
  version: string;
  source: SourceKind;
  resolved?: string;
  table: TomlTable;
  line?: number;
}

/**
 * poetry.lock: every locked package with its source and hashes, edges from `[package.dependencies]` (a string, a
 * table or a list of tables with markers), extras from `[package.extras]`. Poetry locks one version per name except
 * when markers split it; a dependency then links to every locked version of the name.
 *
 * Direct dependencies come from the companion pyproject.toml (`[tool.poetry]` or PEP 621 `[project]`, both read by
 * Poetry 2). Without it the result is `partial` and packages nothing else depends on are taken as direct.
 *
 * Dev and optional flags: lock-version 1.x states `category = "main" | "dev"` for every package, so that is used as
 * the explicit dev flag; 2.1 states `groups`, and a package in no `main` group is dev; 2.0 (Poetry 1.2–1.8) states
 * neither, so dev is computed from the edges (reachable only through the pyproject's dev groups). `optional = true`
 * (needed only for the project's extras) is taken as stated.
 */
export const poetryLockExtractor: Extractor = {
  ...poetryLockFormat,
  companions(file: SourceFile): string[] {
    return [manifestPath(file.path)];
  },
  extract(file: SourceFile, context: ExtractContext): Extraction {
    try {
      return extractPoetryLock(file, context);
    } catch (error) {
      // Defensive: the reader narrows every field, but the boundary must never throw.
      return failed(`could not read poetry.lock: ${String((error as Error)?.message ?? error).split("\n")[0]}`);
    }
  },
};

function manifestPath(lockPath: string): string {
  return joinPath(dirOf(lockPath), "pyproject.toml") ?? "pyproject.toml";
}

function extractPoetryLock(file: SourceFile, context: ExtractContext): Extraction {
  if (file.text.trim() === "") return failed("empty file");
  const parsed = parseToml(file.text);
  if (!parsed.ok) return failed(parsed.reason);
  const data = parsed.data;
  const metadata = asTable(data.metadata);
  if (data.package === undefined && !metadata) return failed("not a poetry.lock: no [[package]] entries and no [metadata] table");
  const lockVersion = asString(metadata?.["lock-version"]);
  const major = lockVersion?.split(".")[0];
  if (lockVersion !== undefined && major !== "1" && major !== "2") {
    return unsupported(`poetry.lock lock-version ${lockVersion} is not supported (1.x and 2.x are)`);
  }

  const notes: string[] = [];
  const issues: string[] = [];
  if (!metadata) notes.push("no [metadata] table (file truncated?): lock-version unknown");
  const rawPackages = asArray(data.package) ?? [];
  if (data.package !== undefined && !Array.isArray(data.package)) issues.push("`package` is not an array of tables");
  const lines = headerLines(file.text, "[[package]]");
  const packages: LockedPackage[] = [];
  rawPackages.forEach((raw, i) => {
    const line = lines.length === rawPackages.length ? lines[i] : undefined;
    const where = line !== undefined ? `[[package]] at line ${line}` : `package #${i + 1}`;
    if (!isTable(raw)) return void issues.push(`${where} is not a table`);
    const name = asString(raw.name);
    const version = asString(raw.version);
    if (name === undefined || name.trim() === "") return void issues.push(`${where} has no name`);
    if (version === undefined) return void issues.push(`${where} (${name}) has no version`);
    packages.push({ index: packages.length, name: normalizeName("pypi", name), version, ...lockedSource(raw.source), table: raw, ...(line !== undefined ? { line } : {}) });
  });

  const byName = new Map<string, LockedPackage[]>();
  for (const p of packages) {
    const list = byName.get(p.name);
    if (list) list.push(p);
    else byName.set(p.name, [p]);
  }
  const legacyHashes = metadataHashes(metadata, byName);

  // The project's declared dependencies.
  const consumed: string[] = [];
  const problems: FileProblem[] = [];
  const manifest = manifestPath(file.path);
  const read = readCompanion(manifest, context);
  if (read.project || read.problem) consumed.push(manifest);
  if (read.problem) problems.push(read.problem);
  const declaredDeps: DeclaredDependency[] = read.project?.dependencies ?? [];
  if (!read.project) {
    notes.push(read.problem
      ? `${manifest} could not be read: direct dependencies guessed from packages nothing else depends on`
      : `no ${manifest} beside poetry.lock: direct dependencies guessed from packages nothing else depends on`);
  }

  // Extras that something activates: a dependency table `{ extras = [...] }` in the lock, or a declared `x[y]`.
  const activated = new Map<string, Set<string>>();
  const activate = (name: string, extras: readonly string[]) => {
    if (extras.length === 0) return;
    const set = activated.get(name) ?? new Set<string>();
    for (const e of extras) set.add(normalizeName("pypi", e));
    activated.set(name, set);
  };
  for (const p of packages) for (const dep of dependencyEntries(p.table)) activate(dep.name, dep.extras);
  for (const d of declaredDeps) activate(d.name, d.extras);

  const declaredSpec = new Map<string, string>();
  for (const d of declaredDeps) if (!declaredSpec.has(d.name)) declaredSpec.set(d.name, declaredText(d));

  const rootName = read.project?.name;
  const builder = new GraphBuilder("pypi", {
    ...(rootName !== undefined ? { name: normalizeName("pypi", rootName) } : {}),
    ...(read.project?.version !== undefined ? { version: read.project.version } : {}),
    location: read.project ? { file: manifest, line: 1 } : { file: file.path },
  });
  const ids: string[] = [];
  for (const p of packages) {
    const spec = declaredSpec.get(p.name);
    ids.push(builder.addPackage({
      name: p.name,
      version: p.version,
      source: p.source,
      ...(p.resolved !== undefined ? { resolved: p.resolved } : {}),
      hashes: [...fileHashes(p.table), ...(legacyHashes.get(p.index) ?? [])],
      ...flags(p.table, major),
      ...(spec !== undefined ? { declared: spec } : {}),
      location: { file: file.path, ...(p.line !== undefined ? { line: p.line } : {}) },
    }));
  }

  // Edges between packages. An `optional = true` dependency is installed only through an extra of its dependant:
  // `prod` when something activates such an extra, `optional` otherwise.
  const dependedOn = new Set<number>();
  for (const p of packages) {
    const active = activeOptionalNames(p, activated.get(p.name));
    for (const dep of dependencyEntries(p.table)) {
      const kind: EdgeKind = dep.optional && !active.has(dep.name) ? "optional" : "prod";
      for (const target of byName.get(dep.name) ?? []) {
        if (target === p) continue;
        dependedOn.add(target.index);
        builder.addEdge(ids[p.index] as string, ids[target.index] as string, kind, dep.spec);
      }
    }
  }

  if (read.project) {
    const missing = new Set<string>();
    for (const d of declaredDeps) {
      const targets = byName.get(d.name) ?? [];
      if (targets.length === 0) missing.add(d.name);
      const location = { file: manifest, ...(d.line !== undefined ? { line: d.line } : {}) };
      for (const target of targets) builder.addEdge(ROOT_ID, ids[target.index] as string, d.kind, declaredText(d), undefined, location);
    }
    if (missing.size > 0) {
      const names = [...missing];
      notes.push(`${names.length} declared dependenc${names.length === 1 ? "y is" : "ies are"} not in poetry.lock (lock out of date?): ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}`);
    }
  } else {
    for (const p of packages) {
      if (dependedOn.has(p.index)) continue;
      const f = flags(p.table, major);
      builder.addEdge(ROOT_ID, ids[p.index] as string, f.dev ? "dev" : f.optional ? "optional" : "prod");
    }
  }

  const graph = builder.build();
  if (issues.length > 0) notes.push(issues.length === 1 ? `1 entry skipped: ${issues[0]}` : `${issues.length} entries skipped, first: ${issues[0]}`);
  if (notes.length > 0) return { graph, status: "partial", reason: notes.join("; "), consumed, problems };
  return { graph, status: "ok", consumed, problems };
}

/**
 * `[package.source]`: `git` (url + resolved_reference, the commit), `url`, `file`/`directory` (local paths),
 * `legacy` (a private index: still a registry, the index URL kept as resolved).
 */
function lockedSource(value: unknown): { source: SourceKind; resolved?: string } {
  const table = asTable(value);
  const type = asString(table?.type);
  const url = asString(table?.url);
  if (!table || type === undefined || url === undefined) return { source: "registry" };
  switch (type) {
    case "git": {
      const commit = asString(table.resolved_reference) ?? asString(table.reference);
      return { source: "git", resolved: commit ? `${url}#${commit}` : url };
    }
    case "url":
      return { source: "url", resolved: url };
    case "file":
    case "directory":
      return { source: /^https?:\/\//i.test(url) ? "url" : "path", resolved: url };
    default:
      return { source: "registry", resolved: url };
  }
}

/** The explicit dev/optional flags the lock states (see the extractor's doc comment). */
function flags(table: TomlTable, major: string | undefined): { dev?: boolean; optional?: boolean } {
  const out: { dev?: boolean; optional?: boolean } = {};
  const category = asString(table.category);
  if (category !== undefined && major !== "2") out.dev = category === "dev";
  const groups = asArray(table.groups);
  if (groups && groups.length > 0) out.dev = !groups.includes("main");
  if (typeof table.optional === "boolean") out.optional = table.optional;
  return out;
}

interface DependencyEntry {
  name: string;
  spec: string;
  extras: string[];
  optional: boolean;
}

/**
 * `[package.dependencies]`: `name = "spec"`, `name = { version, markers, optional, extras, python }`, or a list of
 * such tables (one per environment, e.g. different versions per Python). A list is optional only if every table is.
 */
function dependencyEntries(table: TomlTable): DependencyEntry[] {
  const deps = asTable(table.dependencies);
  if (!deps) return [];
  const out: DependencyEntry[] = [];
  for (const [rawName, value] of Object.entries(deps)) {
    const name = normalizeName("pypi", rawName);
    if (typeof value === "string") {
      out.push({ name, spec: value, extras: [], optional: false });
      continue;
    }
    const tables = (isTable(value) ? [value] : (asArray(value) ?? [])).filter(isTable);
    if (tables.length === 0) continue;
    const specs = tables.map((t) => asString(t.version)).filter((v): v is string => v !== undefined && v !== "");
    out.push({
      name,
      spec: [...new Set(specs)].join(" || "),
      extras: [...new Set(tables.flatMap((t) => stringItems(t.extras)))],
      optional: tables.every((t) => t.optional === true),
    });
  }
  return out;
}

/** Names of a package's optional dependencies that one of its activated extras pulls in (`[package.extras]`). */
function activeOptionalNames(p: LockedPackage, extras: Set<string> | undefined): Set<string> {
  const out = new Set<string>();
  if (!extras) return out;
  const table = asTable(p.table.extras);
  for (const [extra, entries] of Object.entries(table ?? {})) {
    if (!extras.has(normalizeName("pypi", extra))) continue;
    // Entries are PEP 508-like with the constraint in parentheses: "pysocks (>=1.5.6,!=1.5.7) ; extra == 'socks'".
    for (const entry of stringItems(entries)) {
      const req = parseRequirement(entry);
      if (req) out.add(req.name);
    }
  }
  return out;
}

/** Lock-version 2.x: `files = [{ file, hash }]` inside the package. */
function fileHashes(table: TomlTable): Hash[] {
  const hashes: Hash[] = [];
  for (const f of asArray(table.files) ?? []) {
    const hash = parseHash(asTable(f)?.hash);
    if (hash) hashes.push(hash);
  }
  return hashes;
}

/**
 * Lock-version 1.x keeps hashes apart, per package name: `[metadata.files] name = [{ file, hash }]`; Poetry before
 * 1.0 wrote `[metadata.hashes] name = ["<sha256 hex>"]`. When a name is locked at several versions, a file goes to
 * the version its file name carries.
 */
function metadataHashes(metadata: TomlTable | undefined, byName: Map<string, LockedPackage[]>): Map<number, Hash[]> {
  const out = new Map<number, Hash[]>();
  const add = (p: LockedPackage, hash: Hash) => {
    const list = out.get(p.index);
    if (list) list.push(hash);
    else out.set(p.index, [hash]);
  };
  for (const [rawName, entries] of Object.entries(asTable(metadata?.files) ?? {})) {
    const locked = byName.get(normalizeName("pypi", rawName)) ?? [];
    for (const entry of asArray(entries) ?? []) {
      const table = asTable(entry);
      const hash = parseHash(table?.hash);
      if (!hash) continue;
      const fileName = asString(table?.file) ?? "";
      const owners = locked.length > 1 ? locked.filter((p) => fileHasVersion(fileName, p.version)) : locked;
      for (const p of owners.length > 0 ? owners : locked) add(p, hash);
    }
  }
  for (const [rawName, entries] of Object.entries(asTable(metadata?.hashes) ?? {})) {
    for (const p of byName.get(normalizeName("pypi", rawName)) ?? []) {
      for (const hex of stringItems(entries)) {
        const hash = hex.includes(":") ? parseHash(hex) : { algorithm: "sha256", value: hex };
        if (hash) add(p, hash);
      }
    }
  }
  return out;
}

/** True when a distribution file name carries exactly this version (`numpy-1.24.0-cp39-…`, `numpy-1.24.0.tar.gz`). */
function fileHasVersion(fileName: string, version: string): boolean {
  const needle = `-${version}`;
  for (let at = fileName.indexOf(needle); at >= 0; at = fileName.indexOf(needle, at + 1)) {
    const next = fileName[at + needle.length];
    const after = fileName[at + needle.length + 1];
    if (next === undefined || next === "-") return true;
    if (next === "." && (after === undefined || after < "0" || after > "9")) return true;
  }
  return false;
}
