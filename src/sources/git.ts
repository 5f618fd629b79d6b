// What git knows about the scanned tree: which files it tracks and which the ignore rules exclude. Read once per scan
// with two git commands (no shell, bounded output, a timeout); when git is missing or the root is not inside a work
// tree, the facts are simply absent and the rules that need them stay silent.
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import type { GitFacts } from "../rules/rule.js";

/** Longest a git command may run. `ls-files` on a 100,000-file repository takes well under a second. */
const TIMEOUT_MS = 30_000;

/** Most output a git command may print (the tracked file list of a very large monorepo fits easily). */
const MAX_OUTPUT_BYTES = 128 * 1024 * 1024;

/**
 * Variables that would point git at another repository than the one the root is in (set when aiwarden itself runs
 * inside a git hook, for example).
 */
const REPOSITORY_ENV = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_PREFIX", "GIT_NAMESPACE"];

/** Where an ignore rule comes from: `.gitignore:3:package-lock.json`, as `git check-ignore -v` prints it. */
export interface IgnoreSource {
  /** The file holding the pattern (`.gitignore`, `sub/.gitignore`, `.git/info/exclude`, the global excludes file). */
  file: string;
  line: number;
  pattern: string;
}

/** Git facts plus, for ignored paths, the pattern that ignores them. */
export interface GitTreeFacts extends GitFacts {
  /** The rule that ignores a root-relative path (only for the paths given to {@link readGitFacts}). */
  ignoredBy(path: string): IgnoreSource | undefined;
}

/**
 * Reads git's view of `root`: the tracked files under it (`git ls-files`, paths relative to root even when root is a
 * subfolder of the repository, submodules included) and which of `paths` (root-relative POSIX) the ignore rules
 * exclude (`git check-ignore --no-index`, so a file that is ignored but was force-added is reported as ignored too).
 * Undefined when git is missing, the root is not inside a work tree, or git fails; never throws.
 */
export async function readGitFacts(root: string, paths: string[]): Promise<GitTreeFacts | undefined> {
  if (!mayBeInWorkTree(root)) return undefined;
  const inside = await git(root, ["rev-parse", "--is-inside-work-tree"]);
  if (inside?.code !== 0 || inside.stdout.trim() !== "true") return undefined;
  // `ls-files` prints paths relative to the directory it runs in (-C root), limited to that directory.
  let listed = await git(root, ["ls-files", "-z", "--recurse-submodules"]);
  // Old git versions refuse --recurse-submodules together with other options: list without it.
  if (listed?.code !== 0) listed = await git(root, ["ls-files", "-z"]);
  if (listed?.code !== 0) return undefined;
  const tracked = new Set(splitNul(listed.stdout));

  const ignored = new Map<string, IgnoreSource>();
  const candidates = [...new Set(paths.map(normalizePath))].filter((p) => p !== "" && !p.includes("\0"));
  if (candidates.length > 0) {
    // Exit 0: some paths are ignored; 1: none is. Anything else: the ignore facts are unknown, tracking still holds.
    const checked = await git(root, ["check-ignore", "--no-index", "--verbose", "-z", "--stdin"], `${candidates.join("\0")}\0`);
    if (checked && checked.code === 0) {
      const fields = splitNul(checked.stdout, true);
      for (let i = 0; i + 3 < fields.length; i += 4) {
        const [file, line, pattern, path] = fields.slice(i, i + 4) as [string, string, string, string];
        // With --verbose a path matching a negated pattern (`!keep.lock`) is printed too, yet it is not ignored.
        if (pattern.startsWith("!") || path === "") continue;
        ignored.set(path, { file, line: Number(line), pattern });
      }
    }
  }
  return {
    isTracked: (path) => tracked.has(normalizePath(path)),
    isIgnored: (path) => ignored.has(normalizePath(path)),
    ignoredBy: (path) => ignored.get(normalizePath(path)),
  };
}

/**
 * False when neither `root` nor any folder above it holds a `.git` entry (a folder, or the file of a linked work tree
 * or submodule): git then cannot find a repository either (its environment never names one, see gitEnv), so asking
 * it would only cost a process. True when there may be one, or when that cannot be told.
 */
export function mayBeInWorkTree(root: string): boolean {
  let dir = resolve(root);
  for (;;) {
    try {
      if (existsSync(join(dir, ".git"))) return true;
    } catch {
      return true;
    }
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

/** Root-relative POSIX path without a leading `./`. */
function normalizePath(path: string): string {
  let p = path.replace(/\\/g, "/");
  while (p.startsWith("./")) p = p.slice(2);
  return p;
}

/** NUL-separated output; empty fields dropped unless `keepEmpty` (check-ignore fields may be empty). */
function splitNul(text: string, keepEmpty = false): string[] {
  const parts = text.split("\0");
  if (parts[parts.length - 1] === "") parts.pop();
  return keepEmpty ? parts : parts.filter((p) => p !== "");
}

/**
 * Runs `git -C <root> <args>` without a shell. Resolves to the exit code and standard output, or undefined when git
 * could not run, timed out or printed too much. `core.fsmonitor` is switched off: a repository's own config could
 * otherwise name a program that `ls-files` runs, and the scanned tree is not trusted.
 */
export function git(root: string, args: string[], input?: string): Promise<{ code: number; stdout: string } | undefined> {
  return new Promise((resolve) => {
    let child;
    try {
      child = execFile(
        "git",
        gitArgv(root, args),
        { encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, env: gitEnv() },
        (error, stdout) => {
          if (!error) return resolve({ code: 0, stdout });
          const code = (error as { code?: unknown }).code;
          // A number is git's exit status; anything else (ENOENT, a timeout, too much output) means no answer.
          resolve(typeof code === "number" && !(error as { killed?: boolean }).killed ? { code, stdout } : undefined);
        },
      );
    } catch {
      resolve(undefined);
      return;
    }
    // git may exit before reading its input (an error): that must not crash the scan with EPIPE.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(input ?? "");
  });
}

/**
 * Starts `git -C <root> <args>` without a shell, with the same environment and safety settings as {@link git}, for
 * commands whose output is streamed rather than buffered (`rev-list --objects`, `cat-file --batch`). The caller owns
 * the process: it reads stdout, handles `error` (git missing) and kills it when done early.
 */
export function spawnGit(root: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn("git", gitArgv(root, args), { windowsHide: true, env: gitEnv(), stdio: ["pipe", "pipe", "pipe"] });
}

/** The full argument list: the root, then settings that keep a scanned repository's own config from running programs. */
function gitArgv(root: string, args: string[]): string[] {
  return ["-C", root, "-c", "core.fsmonitor=false", "-c", "core.quotePath=false", ...args];
}

/** The caller's environment without variables that point git at another repository, and without prompts or locks. */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" };
  for (const name of REPOSITORY_ENV) delete env[name];
  return env;
}
