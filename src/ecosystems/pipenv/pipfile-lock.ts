import { GraphBuilder, ROOT_ID } from "../../graph/dependency-graph.js";
import { normalizeName } from "../../graph/names.js";
import type { EdgeKind, Hash, PackageInput } from "../../graph/package-node.js";
import type { ExtractContext, Extraction, Extractor, FileProblem, SourceFile } from "../extractor.js";
import { dirOf, failed, lineIndex } from "../extractor.js";
import { exactVersion } from "../python/pep508.js";
import { redactCredentials } from "../pip/requirement-target.js";
import type { Pipfile, PipfileDependency } from "./pipfile.js";
import { parsePipfile } from "./pipfile.js";
import { stripBom } from "../shared/text.js";
import { pipfileLockFormat } from "./claims.js";

/**
 * Pipfile.lock (https://pipenv.pypa.io/en/latest/pipfile.html, format "pipfile-spec": 6): JSON with `_meta` and one
 * object per category (`default`, `develop`, custom categories), each mapping a package name to
 * `{version: "==1.0", hashes: ["sha256:…"], markers, index, extras, git/ref, path, editable, file}`.
 * The lock records no dependency edges. The direct dependencies come from the Pipfile beside it; every other locked
 * package stays in the graph without an edge, because the chain that pulls it in is not recorded anywhere: inventing
 * root edges would make it look direct. Packages locked only outside `default` are dev.
 */
function extractPipfileLock(file: SourceFile, context: ExtractContext): Extraction {
  if (file.text.includes("\u0000")) return failed("binary file (contains NUL bytes)");
  let data: unknown;
  try {
    data = JSON.parse(stripBom(file.text));
  } catch (error) {
    return failed(`invalid JSON: ${(error as Error).message}`);
  }
  if (!isObject(data)) return failed("not a Pipfile.lock: the top level is not an object");
  const sections = Object.entries(data).filter(([key]) => key !== "_meta");
  if (!("_meta" in data) && !("default" in data) && !("develop" in data)) return failed("not a Pipfile.lock: no _meta, default or develop");

  const pipfilePath = pipfilePathFor(file.path);
  const problems: FileProblem[] = [];
  const consumed: string[] = [];
  let pipfile: Pipfile | undefined;
  let noPipfileReason: string | undefined;
  const pipfileText = context.files.get(pipfilePath);
  if (pipfileText === undefined) {
    noPipfileReason = `no Pipfile beside it (${context.unreadable.get(pipfilePath) ?? "not read"}): every locked package is treated as direct`;
  } else {
    consumed.push(pipfilePath);
    try {
      pipfile = parsePipfile(pipfileText);
    } catch (error) {
      problems.push({ path: pipfilePath, status: "failed", reason: (error as Error).message });
      noPipfileReason = "its Pipfile could not be read: every locked package is treated as direct";
    }
  }
  const declared = new Map<string, PipfileDependency>();
  for (const dep of pipfile?.dependencies ?? []) declared.set(`${dep.lockSection}\u0000${dep.name}`, dep);

  const offsets = keyOffsets(file.text);
  const lineOf = lineIndex(file.text);
  const builder = new GraphBuilder("pypi", { location: { file: file.path } });
  const locked = new Map<string, string[]>();
  const lockedAnywhere = new Map<string, string[]>();
  let skipped = 0;
  let firstSkip = "";
  const skip = (reason: string) => {
    if (skipped++ === 0) firstSkip = reason;
  };
  for (const [section, entries] of sections) {
    if (!isObject(entries)) {
      skip(`section "${section}" is not an object`);
      continue;
    }
    const kind: EdgeKind = section === "default" ? "prod" : "dev";
    for (const [rawName, entry] of Object.entries(entries)) {
      if (!isObject(entry)) {
        skip(`${section}.${rawName} is not an object`);
        continue;
      }
      const name = normalizeName("pypi", rawName);
      const dep = declared.get(`${section}\u0000${name}`);
      const offset = offsets.get(`${section}\u0000${rawName}`);
      const input = lockedPackage(name, entry, skip, `${section}.${rawName}`);
      const id = builder.addPackage({
        ...input,
        // The section is stated for every package, so dev is known exactly (not computed from edges, which are missing).
        dev: section !== "default",
        ...(dep ? { declared: dep.declared } : {}),
        location: { file: file.path, ...(offset !== undefined ? { line: lineOf(offset) } : {}) },
      });
      locked.set(`${section}\u0000${name}`, [...(locked.get(`${section}\u0000${name}`) ?? []), id]);
      if (!lockedAnywhere.has(name)) lockedAnywhere.set(name, [id]);
      if (!pipfile) builder.addEdge(ROOT_ID, id, kind);
    }
  }

  for (const dep of pipfile?.dependencies ?? []) {
    // The declaration is the Pipfile's line.
    const location = { file: pipfilePath, ...(dep.line !== undefined ? { line: dep.line } : {}) };
    // Its own section first; a lock written before the package moved between categories still locks it elsewhere.
    const ids = locked.get(`${dep.lockSection}\u0000${dep.name}`) ?? lockedAnywhere.get(dep.name);
    if (ids) {
      for (const id of ids) builder.addEdge(ROOT_ID, id, dep.kind, dep.declared, undefined, location);
      continue;
    }
    // Declared but not locked (the lock is out of date): keep what the Pipfile says rather than lose the dependency.
    const id = builder.addPackage({
      name: dep.name,
      version: dep.version,
      source: dep.source,
      ...(dep.resolved !== undefined ? { resolved: dep.resolved } : {}),
      declared: dep.declared,
      dev: dep.kind === "dev",
      location,
    });
    builder.addEdge(ROOT_ID, id, dep.kind, dep.declared, undefined, location);
  }
  if (pipfile && pipfile.skipped.length > 0) {
    const first = pipfile.skipped[0] as Pipfile["skipped"][number];
    problems.push({ path: pipfilePath, status: "partial", reason: `skipped ${pipfile.skipped.length} unreadable entries; first [${first.category}] ${first.name}: ${first.reason}` });
  }

  const graph = builder.build();
  const reasons: string[] = [];
  if (skipped > 0) reasons.push(`skipped ${skipped} unreadable field${skipped === 1 ? "" : "s"}; first: ${firstSkip}`);
  if (noPipfileReason) reasons.push(noPipfileReason);
  if (reasons.length === 0) return { graph, status: "ok", consumed, problems };
  return { graph, status: "partial", reason: reasons.join("; "), consumed, problems };
}

/** One locked entry as a package: registry with its `==` version, or git/path/file sources. */
function lockedPackage(name: string, entry: Record<string, unknown>, skip: (reason: string) => void, where: string): Omit<PackageInput, "location"> {
  let version = "";
  if (typeof entry.version === "string") {
    const exact = exactVersion(entry.version.replace(/\s+/g, ""));
    if (exact === undefined) skip(`${where} has no exact version (${entry.version})`);
    version = exact ?? "";
  } else if (entry.version !== undefined) skip(`${where} has a version that is not a string`);
  const hashes: Hash[] = [];
  if (Array.isArray(entry.hashes)) {
    for (const h of entry.hashes) {
      const colon = typeof h === "string" ? h.indexOf(":") : -1;
      if (colon > 0) hashes.push({ algorithm: (h as string).slice(0, colon).toLowerCase(), value: (h as string).slice(colon + 1) });
      else skip(`${where} has a malformed hash`);
    }
  }
  if (typeof entry.git === "string") {
    const ref = typeof entry.ref === "string" && entry.ref ? `@${entry.ref}` : "";
    return { name, version, source: "git", resolved: redactCredentials(`${entry.git}${ref}`), hashes };
  }
  if (typeof entry.path === "string") return { name, version, source: "path", resolved: entry.path, hashes };
  if (typeof entry.file === "string") {
    const remote = /^(?:https?|ftp):/i.test(entry.file);
    return { name, version, source: remote ? "url" : "path", resolved: redactCredentials(entry.file), hashes };
  }
  if (version === "" && entry.version === undefined) skip(`${where} has no version`);
  return { name, version, source: "registry", hashes };
}

/**
 * Offsets of the keys two levels deep (section → package) in JSON text already known to be valid, so each package
 * can point at its line. JSON.parse reports no positions; this scan is linear and only tracks strings and nesting.
 */
function keyOffsets(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let depth = 0;
  let section: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      i = j;
      if (depth !== 1 && depth !== 2) continue;
      let k = j + 1;
      while (k < text.length && (text[k] === " " || text[k] === "\n" || text[k] === "\r" || text[k] === "\t")) k++;
      if (text[k] !== ":") continue;
      const key = JSON.parse(text.slice(start, j + 1)) as string;
      if (depth === 1) section = key;
      else if (section !== undefined && !out.has(`${section}\u0000${key}`)) out.set(`${section}\u0000${key}`, start);
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
  }
  return out;
}

/** The Pipfile that belongs to a Pipfile.lock: the one in the same folder. */
function pipfilePathFor(lockPath: string): string {
  const dir = dirOf(lockPath);
  return dir ? `${dir}/Pipfile` : "Pipfile";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Pipfile.lock: locked versions and hashes; direct dependencies (the only edges) from the Pipfile beside it. */
export const pipfileLockExtractor: Extractor = {
  ...pipfileLockFormat,
  companions: (file: SourceFile) => [pipfilePathFor(file.path)],
  extract(file: SourceFile, context: ExtractContext): Extraction {
    try {
      return extractPipfileLock(file, context);
    } catch (error) {
      return failed(`could not read Pipfile.lock: ${(error as Error).message}`);
    }
  },
};
