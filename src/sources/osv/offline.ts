// The offline OSV database (`--osv-db <dir>`), in the layout osv-scanner keeps for its offline mode so a user can
// mirror it: one folder per OSV ecosystem, holding the export as downloaded from
// https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip (`<dir>/npm/all.zip`, `<dir>/PyPI/all.zip`)
// or a folder of extracted `*.json` records (`<dir>/PyPI/PYSEC-2024-43.json`, or the nested layout of
// ossf/malicious-packages). Folder names match case-insensitively. Only records that name one of the scanned packages
// are kept: each entry is inflated and its `"name"` values are checked before the JSON is parsed. Inflating a whole
// export takes seconds (npm's holds hundreds of thousands of records), so the first read of an archive writes an
// index (package name → entries) into the cache folder, keyed by the archive's path, size and modification time;
// later scans inflate only the entries of the packages they lock.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { normalizeName } from "../../graph/names.js";
import type { Ecosystem } from "../../graph/package-node.js";
import type { FileResult } from "../../scan/result.js";
import { osvEcosystem, parseOsvRecord } from "./record.js";
import type { OsvRecord } from "./record.js";
import { DEFAULT_ZIP_LIMITS, ZipError, ZipReader } from "./zip.js";
import type { ZipLimits } from "./zip.js";

/** An `all.zip` larger than this is not read (npm's export is a few hundred MiB). */
const MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024;

/** Archive entries inflated at once (on libuv's thread pool). */
const INFLATE_WINDOW = 16;

/** How deep a folder of extracted records is walked. */
const MAX_DEPTH = 8;

/** What {@link readOsvDb} found. */
export interface OsvDbRead {
  /** Records naming at least one wanted package, withdrawn ones left out. */
  records: OsvRecord[];
  /** A status per archive or folder read. */
  files: FileResult[];
  /** Wanted ecosystems the folder has no database for. */
  missing: Ecosystem[];
}

/** Options of {@link readOsvDb}. */
export interface OsvDbOptions {
  limits?: ZipLimits;
  /** Where archive indexes are kept (the HTTP cache folder); none: every scan inflates the whole archive. */
  indexDir?: string;
}

/** Reads the records for the wanted packages from an OSV database folder. Never throws: problems become statuses. */
export async function readOsvDb(dir: string, wanted: Iterable<{ ecosystem: Ecosystem; name: string }>, options: OsvDbOptions = {}): Promise<OsvDbRead> {
  const limits = options.limits ?? DEFAULT_ZIP_LIMITS;
  const names = new Map<Ecosystem, Set<string>>();
  for (const { ecosystem, name } of wanted) {
    let set = names.get(ecosystem);
    if (!set) names.set(ecosystem, (set = new Set()));
    set.add(normalizeName(ecosystem, name));
  }
  const result: OsvDbRead = { records: [], files: [], missing: [] };
  let children: string[];
  try {
    children = await readdir(dir);
  } catch (error) {
    result.files.push({ path: dir, status: "failed", reason: `cannot read the OSV database folder (${(error as NodeJS.ErrnoException).code ?? "error"})` });
    result.missing.push(...names.keys());
    return result;
  }
  for (const [ecosystem, set] of names) {
    const folderName = children.find((c) => c.toLowerCase() === osvEcosystem(ecosystem).toLowerCase());
    if (folderName === undefined) {
      result.missing.push(ecosystem);
      continue;
    }
    const folder = join(dir, folderName);
    const zip = join(folder, "all.zip");
    const isZip = await stat(zip).then((s) => s.isFile(), () => false);
    const read = isZip ? await readArchive(zip, ecosystem, set, limits, options.indexDir) : await readFolder(folder, ecosystem, set, limits);
    result.records.push(...read.records);
    result.files.push(read.file);
  }
  return result;
}

interface PartRead {
  records: OsvRecord[];
  file: FileResult;
}

/** Entry numbers per normalised package name; the key "\\" lists entries with escaped names (always read). */
interface ArchiveIndex {
  version: 1;
  size: number;
  mtimeMs: number;
  entries: number;
  names: Record<string, number[]>;
}

/** The key under which entries with escaped `"name"` values are indexed. */
const ESCAPED = "\\";

async function readArchive(path: string, ecosystem: Ecosystem, wanted: ReadonlySet<string>, limits: ZipLimits, indexDir: string | undefined): Promise<PartRead> {
  const records: OsvRecord[] = [];
  let reader: ZipReader;
  let info;
  try {
    info = await stat(path);
    if (info.size > MAX_ARCHIVE_BYTES) return { records, file: { path, status: "failed", reason: `larger than ${MAX_ARCHIVE_BYTES / 1024 ** 3} GiB, not read` } };
    reader = ZipReader.open(await readFile(path), limits);
  } catch (error) {
    return { records, file: { path, status: "failed", reason: error instanceof ZipError ? `not a usable OSV export: ${error.message}` : `cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})` } };
  }
  const indexPath = indexDir !== undefined ? join(indexDir, "osv-db-index", `${createHash("sha256").update(resolve(path)).digest("hex")}.json`) : undefined;
  const index = indexPath !== undefined ? await loadIndex(indexPath, info.size, info.mtimeMs, reader.entries.length) : undefined;
  const building: Map<string, number[]> | undefined = indexPath !== undefined && !index ? new Map() : undefined;
  // With an index, only the entries of wanted names (and those with escaped names) are inflated.
  let order: number[];
  if (index) {
    const chosen = new Set<number>(index.names[ESCAPED] ?? []);
    for (const name of wanted) for (const i of index.names[name] ?? []) chosen.add(i);
    order = [...chosen].sort((a, b) => a - b);
  } else {
    order = reader.entries.map((_, i) => i);
  }
  const found: Array<{ index: number; record: OsvRecord }> = [];
  const failures: Array<{ index: number; problem: string }> = [];
  let next = 0;
  // Inflate a window of entries at once on the thread pool; keep the few that name a wanted package.
  const worker = async (): Promise<void> => {
    while (next < order.length) {
      const at = order[next++] as number;
      const entry = reader.entries[at];
      if (!entry || !entry.name.endsWith(".json")) continue;
      try {
        const bytes = await reader.readUnverified(entry);
        const names = namesIn(bytes, ecosystem);
        if (building) {
          for (const name of new Set(names)) {
            const list = building.get(name);
            if (list) list.push(at);
            else building.set(name, [at]);
          }
        }
        if (!names.some((n) => n === ESCAPED || wanted.has(n))) continue;
        reader.checkCrc(entry, bytes);
        const problems: string[] = [];
        const record = parseRecord(bytes.toString("utf8"), entry.name, problems);
        if (record) found.push({ index: at, record });
        for (const problem of problems) failures.push({ index: at, problem });
      } catch (error) {
        failures.push({ index: at, problem: error instanceof ZipError ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: INFLATE_WINDOW }, worker));
  // Completion order varies with the thread pool: archive order keeps results and messages stable.
  found.sort((a, b) => a.index - b.index);
  failures.sort((a, b) => a.index - b.index);
  records.push(...found.map((f) => f.record));
  // An index is only worth keeping when every entry was read: a damaged archive is re-read in full next time.
  if (building && indexPath !== undefined && failures.length === 0) {
    // Entries were added as their reads completed: sorted, the same archive always gives the same index file.
    for (const list of building.values()) list.sort((x, y) => x - y);
    await saveIndex(indexPath, { version: 1, size: info.size, mtimeMs: info.mtimeMs, entries: reader.entries.length, names: Object.fromEntries(building) });
  }
  return { records, file: statusOf(path, failures.map((f) => f.problem), reader.entries.length) };
}

async function loadIndex(path: string, size: number, mtimeMs: number, entries: number): Promise<ArchiveIndex | undefined> {
  try {
    const index = JSON.parse(await readFile(path, "utf8")) as ArchiveIndex;
    if (index.version !== 1 || index.size !== size || index.mtimeMs !== mtimeMs || index.entries !== entries || typeof index.names !== "object") return undefined;
    return index;
  } catch {
    return undefined;
  }
}

/** Writes an index atomically; a cache folder that cannot be written only costs the speed-up. */
async function saveIndex(path: string, index: ArchiveIndex): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await mkdir(join(path, ".."), { recursive: true });
    await writeFile(temp, JSON.stringify(index));
    await rename(temp, path);
  } catch {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

async function readFolder(folder: string, ecosystem: Ecosystem, wanted: ReadonlySet<string>, limits: ZipLimits): Promise<PartRead> {
  const records: OsvRecord[] = [];
  const problems: string[] = [];
  let seen = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push(`cannot read ${dir} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < MAX_DEPTH) await walk(path, depth + 1);
      else if (entry.isFile() && entry.name.endsWith(".json")) {
        seen++;
        try {
          const info = await stat(path);
          if (info.size > limits.maxEntrySize) {
            problems.push(`${entry.name}: larger than ${limits.maxEntrySize} bytes`);
            continue;
          }
          const bytes = await readFile(path);
          const record = mentionsWanted(bytes, ecosystem, wanted) ? parseRecord(bytes.toString("utf8"), entry.name, problems) : undefined;
          if (record) records.push(record);
        } catch (error) {
          problems.push(`cannot read ${entry.name} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
        }
      }
    }
  };
  await walk(folder, 0);
  return { records, file: statusOf(folder, problems, seen) };
}

function statusOf(path: string, problems: readonly string[], entries: number): FileResult {
  if (entries === 0) return { path, status: "failed", reason: "no OSV records in it" };
  if (problems.length === 0) return { path, status: "ok" };
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more skipped)` : "";
  return { path, status: "partial", reason: `${problems[0]}${more}` };
}

/** The record in a file's text unless it is withdrawn; problems are noted. */
function parseRecord(text: string, name: string, problems: string[]): OsvRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push(`${name}: invalid JSON`);
    return undefined;
  }
  const record = parseOsvRecord(value);
  if (!record) {
    problems.push(`${name}: not an OSV record`);
    return undefined;
  }
  return typeof record.withdrawn === "string" ? undefined : record;
}

/** The bytes of `"name"`. */
const NAME = Buffer.from('"name"', "utf8");

/**
 * The string values of `"name"` keys in raw JSON bytes, normalised for the ecosystem; values with spaces (CWE and
 * credit names) are left out, and a value written with escapes yields the marker "\\" (parse the record to be sure).
 * Linear in the input; only the short values are decoded. A superset of the record's package names, used to skip the
 * records that cannot concern a scanned package.
 */
export function namesIn(bytes: Buffer, ecosystem: Ecosystem): string[] {
  const names: string[] = [];
  let at = 0;
  for (;;) {
    at = bytes.indexOf(NAME, at);
    if (at < 0) return names;
    let i = skipSpace(bytes, at + NAME.length);
    if (bytes[i] !== 0x3a) {
      at = i;
      continue;
    }
    i = skipSpace(bytes, i + 1);
    if (bytes[i] !== 0x22) {
      at = i;
      continue;
    }
    const end = bytes.indexOf(0x22, i + 1);
    if (end < 0) return names;
    const value = bytes.toString("utf8", i + 1, end);
    if (value.includes(ESCAPED)) names.push(ESCAPED);
    else if (value !== "" && !/\s/.test(value)) names.push(normalizeName(ecosystem, value));
    at = end + 1;
  }
}

/** True when the JSON bytes may concern a wanted package (see {@link namesIn}). */
export function mentionsWanted(bytes: Buffer, ecosystem: Ecosystem, wanted: ReadonlySet<string>): boolean {
  return namesIn(bytes, ecosystem).some((n) => n === ESCAPED || wanted.has(n));
}

function skipSpace(bytes: Buffer, i: number): number {
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return i;
}
