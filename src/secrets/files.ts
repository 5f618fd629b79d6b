// Which files the secret scan reads. In a git work tree: what git tracks plus untracked files the ignore rules do not
// exclude (`git ls-files --cached --others --exclude-standard`), because an untracked file that is not ignored is one
// `git add -A` away from being committed. Outside git: every file under the root, minus installed dependencies, VCS
// metadata, virtual environments and build output. Both honour the configuration's `exclude` globs.
import { readdirSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { describeError } from "../discover/fs-errors.js";
import { DEFAULT_SKIPPED_DIRS } from "../discover/skipped-dirs.js";
import { compileGlobs, matchesGlobs } from "../ecosystems/shared/glob.js";
import { git, mayBeInWorkTree } from "../sources/git.js";
import { linkTarget } from "./read-file.js";

/** One file to scan. */
export interface ScanTarget {
  /** Root-relative POSIX path. */
  path: string;
  absolutePath: string;
  /** True when git tracks the file; false for untracked (not ignored) files and outside git. */
  tracked: boolean;
}

/** A path the listing found but will not read, with the reason (reported as an `unsupported` file status). */
export interface SkippedTarget {
  path: string;
  reason: string;
}

/** What {@link listScanTargets} found. */
export interface ScanTargets {
  /** Absolute, symlink-resolved root. */
  root: string;
  /** True when the root is inside a git work tree and the listing came from git. */
  git: boolean;
  files: ScanTarget[];
  skipped: SkippedTarget[];
}

/** Options for {@link listScanTargets}. */
export interface ListOptions {
  /** Globs of root-relative paths to leave out (the configuration's `exclude`); a matching folder is left out whole. */
  exclude?: readonly string[];
  /** Folders never entered outside git, and never listed among untracked files in git. */
  skippedDirs?: ReadonlySet<string>;
  /** Ask git (default true); false walks the tree even inside a work tree. */
  useGit?: boolean;
  /**
   * Told the (symlink-resolved) root and the files listed so far, now and then while the tree is walked (to start work
   * early); `files` is the listing as it grows.
   */
  progress?: (root: string, files: readonly ScanTarget[]) => void;
  /**
   * Sort the files by path (default true). The secret scan passes false: it sorts what it finds, and the order it
   * reads files in changes nothing, while sorting 14,000 paths took about 10 ms before the scan could start.
   */
  sorted?: boolean;
}

/**
 * The files under `root` the secret scan reads, sorted by path unless asked not to. Symbolic links are never followed
 * (a link to a file inside the root is scanned under the target's own path; one leaving the root is reported as
 * skipped). In git, paths
 * come straight from the index and the untracked listing: the reader learns what each one is when it opens it
 * (see `readText` in scan-tree.ts), so deleted files, submodules and links are sorted out there.
 */
export async function listScanTargets(root: string, options: ListOptions = {}): Promise<ScanTargets> {
  const absolute = await realpath(resolve(root));
  if ((await stat(absolute)).isFile()) {
    // A single file named as the root: scanned alone, relative to its folder (like discovery does).
    const folder = dirname(absolute);
    return { root: folder, git: false, files: [{ path: basename(absolute), absolutePath: absolute, tracked: false }], skipped: [] };
  }
  const excluded = excludeMatcher(options.exclude ?? []);
  const skippedDirs = options.skippedDirs ?? DEFAULT_SKIPPED_DIRS;
  const listed = options.useGit === false ? undefined : await gitListing(absolute);
  const result: ScanTargets = listed
    ? await fromGit(absolute, listed, excluded, skippedDirs)
    : await walkTree(absolute, excluded, skippedDirs, options.progress);
  if (options.sorted !== false) result.files.sort((a, b) => compare(a.path, b.path));
  result.skipped.sort((a, b) => compare(a.path, b.path));
  return result;
}

/** `[tag, path]` pairs from `git ls-files -t` (`H` cached, `S` skip-worktree, `?` untracked, …), or undefined outside git. */
async function gitListing(root: string): Promise<Array<[string, string]> | undefined> {
  if (!mayBeInWorkTree(root)) return undefined;
  const inside = await git(root, ["rev-parse", "--is-inside-work-tree"]);
  if (inside?.code !== 0 || inside.stdout.trim() !== "true") return undefined;
  const listed = await git(root, ["ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard"]);
  if (listed?.code !== 0) return undefined;
  const pairs: Array<[string, string]> = [];
  for (const field of listed.stdout.split("\0")) {
    // "H path": a one-character tag, a space, the path relative to the root.
    if (field.length < 3 || field[1] !== " ") continue;
    pairs.push([field[0] as string, field.slice(2)]);
  }
  return pairs;
}

async function fromGit(root: string, listing: Array<[string, string]>, excluded: (path: string) => boolean, skippedDirs: ReadonlySet<string>): Promise<ScanTargets> {
  const files: ScanTarget[] = [];
  // A path can be listed twice (an unmerged file has one entry per stage): keep the first.
  const seen = new Set<string>();
  for (const [tag, path] of listing) {
    if (seen.has(path) || excluded(path)) continue;
    seen.add(path);
    const tracked = tag !== "?";
    // Tracked files are scanned wherever they sit (a committed bundle under dist/ leaks like any other file); an
    // untracked, unignored node_modules or .venv is not the project's own code.
    if (!tracked && path.split("/").slice(0, -1).some((segment) => skippedDirs.has(segment))) continue;
    // No stat here: the reader opens each file without following links and learns its type from the open handle
    // (a deleted file, a submodule or a symlink is handled there), which halves the system calls on large trees.
    files.push({ path, absolutePath: join(root, ...path.split("/")), tracked });
  }
  return { root, git: true, files, skipped: [] };
}

/**
 * Walks the tree with synchronous reads of each folder: on a local disk one `readdirSync` is several times cheaper
 * than a promise round trip through the thread pool, and the walk is all the scan does until it has the list.
 */
async function walkTree(root: string, excluded: (path: string) => boolean, skippedDirs: ReadonlySet<string>, progress?: (root: string, files: readonly ScanTarget[]) => void): Promise<ScanTargets> {
  const files: ScanTarget[] = [];
  const skipped: SkippedTarget[] = [];
  const links: Array<Promise<void>> = [];
  const folders: Array<[string, string]> = [[root, ""]];
  for (let folder = folders.pop(); folder; folder = folders.pop()) {
    const [dir, relDir] = folder;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: relDir || ".", reason: describeError(error) });
      continue;
    }
    // The folder is absolute and normalised (realpath), so concatenation gives what join would, for less.
    const base = dir.endsWith(sep) ? dir : `${dir}${sep}`;
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      if (excluded(rel)) continue;
      const abs = base + entry.name;
      if (entry.isDirectory()) {
        if (!skippedDirs.has(entry.name)) folders.push([abs, rel]);
      } else if (entry.isFile()) {
        files.push({ path: rel, absolutePath: abs, tracked: false });
      } else if (entry.isSymbolicLink()) {
        links.push(linkTarget(root, rel, abs).then((skip) => {
          if (skip) skipped.push(skip);
        }));
      }
    }
    progress?.(root, files);
  }
  await Promise.all(links);
  return { root, git: false, files, skipped };
}

/**
 * The configuration's exclude globs as a predicate over root-relative file paths. A pattern naming a folder
 * (`examples`, `src/**\/fixtures`) excludes everything under it, as it does in discovery, which never enters the folder.
 */
export function excludeMatcher(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  const globs = compileGlobs(patterns, { dot: true });
  const folders = new Map<string, boolean>();
  const folderExcluded = (folder: string): boolean => {
    let known = folders.get(folder);
    if (known === undefined) {
      const slash = folder.lastIndexOf("/");
      known = (slash > 0 && folderExcluded(folder.slice(0, slash))) || matchesGlobs(globs, folder);
      folders.set(folder, known);
    }
    return known;
  };
  return (path) => {
    const slash = path.lastIndexOf("/");
    return (slash > 0 && folderExcluded(path.slice(0, slash))) || matchesGlobs(globs, path);
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
