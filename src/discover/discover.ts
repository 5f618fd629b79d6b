import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { extractorFor } from "../ecosystems/index.js";
import { compileGlobs, matchesGlobs } from "../ecosystems/shared/glob.js";
import { ciFileKind } from "../ci/claims.js";
import { describeError } from "./fs-errors.js";
import { DEFAULT_SKIPPED_DIRS } from "./skipped-dirs.js";
import type { CiFileKind } from "../ci/claims.js";
import type { ExtractorEntry } from "../ecosystems/index.js";


/**
 * Dependency files aiwarden recognises but does not read yet. They are reported as `unsupported` so a project that
 * uses them is never mistaken for one without dependencies.
 */
const KNOWN_UNSUPPORTED: ReadonlyMap<string, string> = new Map([
  ["bun.lock", "bun lockfiles are not supported yet"],
  ["bun.lockb", "bun's binary lockfile is not supported"],
  ["pdm.lock", "PDM lockfiles are not supported yet"],
  ["pylock.toml", "PEP 751 pylock.toml is not supported yet"],
  ["pixi.lock", "pixi lockfiles are not supported yet"],
  ["setup.py", "setup.py is code, and aiwarden never executes the code it scans; declare dependencies in pyproject.toml"],
  ["setup.cfg", "setup.cfg install_requires is not supported yet"],
]);

/** A file discovery found, with the registered format that claims it (or why none does). */
export interface DiscoveredFile {
  /** Root-relative POSIX path. */
  path: string;
  absolutePath: string;
  /** The format that claims the file; its implementation is loaded only when the file is extracted. */
  extractor?: ExtractorEntry;
  /** Set for CI workflows, Dockerfiles, Makefiles and shell scripts: read for the install-command rules. */
  ci?: CiFileKind;
  /** Set when aiwarden knows the file but cannot read it (unsupported format, symlink out of the root). */
  unsupported?: string;
}

/** A directory discovery could not enter. */
export interface SkippedPath {
  path: string;
  reason: string;
}

/** Everything found under one scan root. */
export interface Discovery {
  /** Absolute, symlink-resolved root directory. */
  root: string;
  files: DiscoveredFile[];
  skipped: SkippedPath[];
}

/** Options for {@link discover}. */
export interface DiscoverOptions {
  skippedDirs?: ReadonlySet<string>;
  /** Globs of root-relative paths to leave out (`test/fixtures/**`); a matching folder is not entered. */
  exclude?: readonly string[];
}

/**
 * Walks a directory tree and returns the dependency files under it, sorted by path. A file path as root scans just that
 * file. Symlinked directories are never followed (their targets inside the root are walked anyway; outside it they are
 * not the project's); a symlinked file is read only when its target lies inside the root.
 */
export async function discover(target: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const skippedDirs = options.skippedDirs ?? DEFAULT_SKIPPED_DIRS;
  const exclude = options.exclude && options.exclude.length > 0 ? compileGlobs(options.exclude, { dot: true }) : undefined;
  const excluded = (rel: string) => exclude !== undefined && matchesGlobs(exclude, rel);
  const absolute = resolve(target);
  const info = await stat(absolute);
  if (info.isFile()) {
    const root = await realpath(dirname(absolute));
    const path = basename(absolute);
    return { root, files: [describe(path, join(root, path))], skipped: [] };
  }
  const root = await realpath(absolute);
  const files: DiscoveredFile[] = [];
  const skipped: SkippedPath[] = [];
  await walk(root, "");
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root, files, skipped };

  async function walk(dir: string, relDir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: relDir || ".", reason: describeError(error) });
      return;
    }
    const subdirs: Array<Promise<void>> = [];
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skippedDirs.has(entry.name) && !excluded(rel)) subdirs.push(walk(abs, rel));
        continue;
      }
      if (excluded(rel)) continue;
      if (entry.isSymbolicLink()) {
        const file = describe(rel, abs);
        if (!wanted(file)) continue;
        files.push(await followFileLink(file));
        continue;
      }
      if (!entry.isFile()) continue;
      const file = describe(rel, abs);
      if (wanted(file)) files.push(file);
    }
    await Promise.all(subdirs);
  }

  async function followFileLink(file: DiscoveredFile): Promise<DiscoveredFile> {
    try {
      const target = await realpath(file.absolutePath);
      const inside = target === root || target.startsWith(root + sep);
      if (!inside) return refused(file, `symlink to ${target}, outside the scanned root: not followed`);
      const info = await lstat(target);
      if (!info.isFile()) return refused(file, "symlink to something other than a file: not followed");
      return { ...file, absolutePath: target };
    } catch (error) {
      return refused(file, `dangling symlink (${describeError(error)})`);
    }
  }
}

function describe(path: string, absolutePath: string): DiscoveredFile {
  const extractor = extractorFor(path);
  if (extractor) return { path, absolutePath, extractor };
  const unsupported = KNOWN_UNSUPPORTED.get(basename(path));
  if (unsupported) return { path, absolutePath, unsupported };
  const ci = ciFileKind(path);
  return ci ? { path, absolutePath, ci } : { path, absolutePath };
}

/** A file discovery found but will not read, with the reason. */
function refused(file: DiscoveredFile, reason: string): DiscoveredFile {
  return { path: file.path, absolutePath: file.absolutePath, unsupported: reason };
}

/** True when discovery keeps the file: a dependency file (read or known-unsupported) or a CI file. */
function wanted(file: DiscoveredFile): boolean {
  return file.extractor !== undefined || file.unsupported !== undefined || file.ci !== undefined;
}


/** A root-relative POSIX path for an absolute path under a root. */
export function toRootRelative(root: string, absolutePath: string): string {
  return relative(root, absolutePath).split(sep).join("/");
}
