// The blocklist of known-compromised releases: the records shipped in data/blocklist/ plus the user's own files or
// folders of OSV records (`blocklists` in the configuration). Records follow the OSV schema
// (https://ossf.github.io/osv-schema/); only npm and PyPI packages are read, and only the exact `affected[].versions`
// are matched. Ranges are never used: a malicious-package record with a stale open range (`introduced: "0"`, seen in
// real MAL-* records) would otherwise flag every version ever published. See data/blocklist/README.md.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { explain } from "@renovatebot/pep440";
import { normalizeName } from "../graph/names.js";
import type { Ecosystem } from "../graph/package-node.js";
import type { Blocklist, BlocklistEntry } from "../rules/rule.js";
import type { FileResult } from "../scan/result.js";

/** Where the shipped records live (one OSV JSON file per incident). */
const SHIPPED_DIR = new URL("../../data/blocklist/", import.meta.url);

/** How shipped entries name their source in findings. */
const SHIPPED_PREFIX = "data/blocklist/";

/** A user blocklist file larger than this is not read (an OSV record is a few kilobytes; a whole export is split). */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** How deep a user folder is walked (ossf/malicious-packages nests records as osv/malicious/<eco>/<name>/*.json). */
const MAX_DEPTH = 8;

/** What {@link loadBlocklist} returns: the lookup, and a status for every user file it read. */
export interface LoadedBlocklist {
  blocklist: Blocklist;
  /** Statuses of the user's blocklist files (shipped files are not listed: a broken one throws). */
  files: FileResult[];
}

/**
 * Loads the shipped blocklist and the user's files or folders of OSV JSON (absolute paths). A user file that cannot
 * be read or is not OSV gets a `failed` status and the scan goes on; records it had to skip make it `partial`. A
 * broken shipped record is a bug in aiwarden and throws.
 */
export async function loadBlocklist(userPaths: string[]): Promise<LoadedBlocklist> {
  const index = new BlocklistIndex();
  for (const name of await shippedFiles()) {
    const source = `${SHIPPED_PREFIX}${name}`;
    const text = await readFile(new URL(name, SHIPPED_DIR), "utf8");
    const read = readRecords(text, source);
    const problem = "error" in read ? read.error : read.skipped[0];
    if (problem !== undefined) throw new Error(`${source}: broken shipped blocklist record: ${problem}`);
    if (!("error" in read)) for (const entry of read.entries) index.add(entry);
  }
  const files: FileResult[] = [];
  for (const path of userPaths) {
    for (const file of await userFiles(path, files)) {
      const result = await loadUserFile(file, index);
      files.push(result);
    }
  }
  return { blocklist: index, files };
}

/**
 * Parses the text of one OSV file (a record or an array of records) into blocklist entries. `error` when the file is
 * not OSV at all; `skipped` lists records or affected entries that were left out, one line each.
 */
export function readRecords(text: string, source: string): { entries: BlocklistEntry[]; skipped: string[]; ignored: number } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { error: `invalid JSON: ${((error as Error).message.split("\n")[0] ?? "").slice(0, 200)}` };
  }
  const records = Array.isArray(data) ? data : [data];
  if (records.length === 0) return { error: "not an OSV file: an empty array" };
  const entries: BlocklistEntry[] = [];
  const skipped: string[] = [];
  let ignored = 0;
  let usable = 0;
  let firstProblem: string | undefined;
  records.forEach((record, i) => {
    const where = Array.isArray(data) ? `record #${i + 1}` : "the record";
    const problem = recordProblem(record);
    if (problem !== undefined) {
      firstProblem ??= problem;
      skipped.push(`${where} is not an OSV record: ${problem}`);
      return;
    }
    usable++;
    const osv = record as OsvRecord;
    // A withdrawn record was retracted by its database: it must not flag anything.
    if (typeof osv.withdrawn === "string") {
      ignored++;
      return;
    }
    const read = recordEntries(osv, source);
    entries.push(...read.entries);
    skipped.push(...read.skipped);
    ignored += read.ignored;
  });
  if (usable === 0) return { error: `not an OSV record: ${firstProblem ?? "no records"}` };
  return { entries, skipped, ignored };
}

/** The fields of an OSV record the blocklist reads. */
interface OsvRecord {
  id: string;
  aliases?: unknown;
  summary?: unknown;
  details?: unknown;
  withdrawn?: unknown;
  affected: unknown[];
  references?: unknown;
}

/** Why a value is not an OSV record (undefined when it is one): it needs an `id` and an `affected` list. */
function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "not a JSON object";
  if (typeof value.id !== "string" || value.id.trim() === "") return "no `id`";
  if (!Array.isArray(value.affected)) return `${value.id} has no \`affected\` list`;
  return undefined;
}

/** One entry per affected npm/PyPI package with exact versions; ranges-only entries are skipped with a reason. */
function recordEntries(record: OsvRecord, source: string): { entries: BlocklistEntry[]; skipped: string[]; ignored: number } {
  const entries: BlocklistEntry[] = [];
  const skipped: string[] = [];
  let ignored = 0;
  const aliases = stringList(record.aliases);
  const summary = summaryOf(record);
  const references = referenceUrls(record.references);
  record.affected.forEach((affected, i) => {
    const where = `${record.id} affected[${i}]`;
    if (!isObject(affected) || !isObject(affected.package)) {
      skipped.push(`${where} has no \`package\``);
      return;
    }
    const ecosystem = ecosystemOf(affected.package.ecosystem);
    const rawName = affected.package.name;
    if (ecosystem === undefined) {
      // Other ecosystems (Go, Maven, ...) are simply not aiwarden's: no status for them.
      if (typeof affected.package.ecosystem !== "string") skipped.push(`${where} has no package ecosystem`);
      else ignored++;
      return;
    }
    if (typeof rawName !== "string" || rawName.trim() === "") {
      skipped.push(`${where} has no package name`);
      return;
    }
    const versions = stringList(affected.versions).map((v) => v.trim()).filter((v) => v !== "");
    if (versions.length === 0) {
      skipped.push(Array.isArray(affected.ranges) && affected.ranges.length > 0
        ? `${where} (${rawName}) lists only ranges and no exact \`versions\`: skipped, the blocklist matches exact versions only`
        : `${where} (${rawName}) lists no \`versions\``);
      return;
    }
    entries.push({
      id: record.id.trim(),
      aliases,
      ecosystem,
      name: normalizeName(ecosystem, rawName),
      versions: [...new Set(versions)],
      summary,
      references,
      source,
    });
  });
  return { entries, skipped, ignored };
}

/** OSV ecosystem names aiwarden reads ("PyPI", "npm"; compared case-insensitively for hand-written files). */
function ecosystemOf(value: unknown): Ecosystem | undefined {
  if (typeof value !== "string") return undefined;
  const lower = value.trim().toLowerCase();
  if (lower === "npm") return "npm";
  if (lower === "pypi") return "pypi";
  return undefined;
}

/** The record's summary, else the first non-empty line of its details, else its id. */
function summaryOf(record: OsvRecord): string {
  if (typeof record.summary === "string" && record.summary.trim() !== "") return oneLine(record.summary);
  if (typeof record.details === "string") {
    const line = record.details.split("\n").map((l) => l.trim()).find((l) => l !== "" && !/^[-_=*#\s]+$/.test(l));
    if (line !== undefined) return oneLine(line).slice(0, 200);
  }
  return record.id;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function referenceUrls(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((r) => r.url).filter((u): u is string => typeof u === "string" && u !== "");
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The key a version is matched by. npm: the version as written (lockfiles record exact semver strings), without a
 * leading `v` or `=`. PyPI: the PEP 440 normal form, trailing zero release segments dropped, so `1.0` and `1.0.0`
 * (equal under PEP 440) match; a local label (`+cpu`) stays part of the key, since a local build is another artifact.
 * https://peps.python.org/pep-0440/#normalization
 */
export function versionKey(ecosystem: Ecosystem, version: string): string {
  const trimmed = version.trim();
  if (ecosystem === "npm") return trimmed.replace(/^[=v]+/, "");
  const parts = explain(trimmed);
  if (!parts) return trimmed.toLowerCase();
  const release = [...parts.release];
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  let key = `${parts.epoch}!${release.join(".")}`;
  if (parts.pre) key += `${parts.pre[0]}${parts.pre[1]}`;
  if (parts.post !== null && parts.post !== undefined) key += `.post${String(parts.post)}`;
  if (parts.dev !== null && parts.dev !== undefined) key += `.dev${String(parts.dev)}`;
  if (parts.local) key += `+${parts.local}`;
  return key;
}

/** Entries by ecosystem + normalised name, then by version key: one map lookup per package. */
class BlocklistIndex implements Blocklist {
  private readonly byPackage = new Map<string, Map<string, BlocklistEntry[]>>();

  add(entry: BlocklistEntry): void {
    const key = `${entry.ecosystem}\u0000${entry.name}`;
    let versions = this.byPackage.get(key);
    if (!versions) this.byPackage.set(key, (versions = new Map()));
    for (const version of entry.versions) {
      const vkey = versionKey(entry.ecosystem, version);
      const list = versions.get(vkey);
      // The same advisory from two files (shipped and a user copy) is one match.
      if (!list) versions.set(vkey, [entry]);
      else if (!list.some((e) => e.id === entry.id)) list.push(entry);
    }
  }

  match(ecosystem: Ecosystem, name: string, version: string): BlocklistEntry[] {
    if (version.trim() === "") return [];
    const versions = this.byPackage.get(`${ecosystem}\u0000${normalizeName(ecosystem, name)}`);
    return versions?.get(versionKey(ecosystem, version)) ?? [];
  }
}

/** The shipped record files, sorted. */
async function shippedFiles(): Promise<string[]> {
  const names = await readdir(SHIPPED_DIR);
  return names.filter((n) => n.endsWith(".json")).sort();
}

/**
 * The JSON files a user path names: the file itself, or every `*.json` under the folder (hidden folders skipped).
 * A path that cannot be read becomes a failed status here.
 */
async function userFiles(path: string, statuses: FileResult[]): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    statuses.push({ path, status: "failed", reason: `cannot read the blocklist (${errorCode(error)})` });
    return [];
  }
  if (!info.isDirectory()) return [path];
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let names;
    try {
      names = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      statuses.push({ path: dir, status: "failed", reason: `cannot read the blocklist folder (${errorCode(error)})` });
      return;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      if (entry.name.startsWith(".")) continue;
      const child = join(dir, entry.name);
      if (entry.isDirectory() && depth < MAX_DEPTH) await walk(child, depth + 1);
      else if (entry.isFile() && entry.name.endsWith(".json")) out.push(child);
    }
  };
  await walk(path, 0);
  if (out.length === 0) statuses.push({ path, status: "failed", reason: `no .json blocklist files in this folder` });
  return out;
}

/** Reads one user file into the index and says how it went. */
async function loadUserFile(path: string, index: BlocklistIndex): Promise<FileResult> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > MAX_FILE_BYTES) return { path, status: "failed", reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB, not read as a blocklist` };
    text = await readFile(path, "utf8");
  } catch (error) {
    return { path, status: "failed", reason: `cannot read the blocklist (${errorCode(error)})` };
  }
  const read = readRecords(text, path);
  if ("error" in read) return { path, status: "failed", reason: `not a usable OSV blocklist file: ${read.error}` };
  for (const entry of read.entries) index.add(entry);
  if (read.skipped.length > 0) {
    const more = read.skipped.length > 1 ? ` (and ${read.skipped.length - 1} more skipped)` : "";
    return { path, status: "partial", reason: `${read.skipped[0]}${more}` };
  }
  if (read.entries.length === 0) return { path, status: "unsupported", reason: `no npm or PyPI entries (other ecosystems are not read)` };
  return { path, status: "ok" };
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or folder";
  if (code === "EACCES") return "permission denied";
  return code ?? String((error as Error).message ?? error).split("\n")[0] ?? "error";
}

/** The shipped folder as a path, for tests and docs. */
export function shippedBlocklistDir(): string {
  return fileURLToPath(SHIPPED_DIR);
}
