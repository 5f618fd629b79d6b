// Root-relative POSIX paths for the CI readers: "." is the scanned root, "a/b" a folder below it. Nothing here touches
// the file system; paths that would leave the root become undefined (the readers then say "unknown").

/** The folder of a root-relative file path ("." for a file at the root). */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "." : path.slice(0, slash);
}

/** Joins a relative path onto a root-relative folder, resolving `.` and `..`; undefined when it leaves the root. */
export function joinPath(dir: string, relative: string): string | undefined {
  const parts = dir === "." || dir === "" ? [] : dir.split("/");
  for (const segment of relative.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
      continue;
    }
    parts.push(segment);
  }
  return parts.length === 0 ? "." : parts.join("/");
}

/** Prefixes that stand for the repository checkout in CI: what follows them is root-relative. */
const WORKSPACE_PREFIXES = [
  "${{ github.workspace }}", "${{github.workspace}}", "$GITHUB_WORKSPACE", "${GITHUB_WORKSPACE}",
  "$CI_PROJECT_DIR", "${CI_PROJECT_DIR}",
];

/** Prefixes that stand for a composite action's own folder. */
const ACTION_PATH_PREFIXES = ["${{ github.action_path }}", "${{github.action_path}}", "$GITHUB_ACTION_PATH", "${GITHUB_ACTION_PATH}"];

/** Prefixes that stand for the folder of the running script. */
const SCRIPT_DIR_PREFIXES = [
  "$(dirname \"$0\")", "$(dirname $0)", "`dirname $0`", "`dirname \"$0\"`", "${0%/*}",
  "$(dirname \"${BASH_SOURCE[0]}\")", "$(dirname \"$BASH_SOURCE\")", "$(dirname ${BASH_SOURCE[0]})",
  "$(cd \"$(dirname \"$0\")\" && pwd)", "$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)",
];

/** Where known folders are, for resolving `cd` targets and script paths. */
export interface PathBase {
  /** The current folder, when known. */
  cwd: string | undefined;
  /** Folder of the running script (for `$(dirname "$0")`), when the file is a script. */
  scriptDir?: string;
  /** Folder of the composite action (for `${{ github.action_path }}`). */
  actionDir?: string;
}

/**
 * Resolves a path word from a script (`backend`, `../x`, `$GITHUB_WORKSPACE/api`, `$(dirname "$0")/..`) to a
 * root-relative folder or file, or undefined when the text does not tell (other variables, absolute paths, `~`).
 */
export function resolvePath(word: string, base: PathBase): string | undefined {
  const prefixed = stripPrefix(word, WORKSPACE_PREFIXES);
  if (prefixed !== undefined) return joinPath(".", prefixed);
  if (base.actionDir !== undefined) {
    const rest = stripPrefix(word, ACTION_PATH_PREFIXES);
    if (rest !== undefined) return joinPath(base.actionDir, rest);
  }
  if (base.scriptDir !== undefined) {
    const rest = stripPrefix(word, SCRIPT_DIR_PREFIXES);
    if (rest !== undefined) return joinPath(base.scriptDir, rest);
  }
  if (word === "" || word.startsWith("/") || word.startsWith("~") || word.includes("$") || word.includes("`")) return undefined;
  if (base.cwd === undefined) return undefined;
  return joinPath(base.cwd, word);
}

/** The rest after one of the prefixes when the word starts with it (followed by nothing or `/`), else undefined. */
function stripPrefix(word: string, prefixes: readonly string[]): string | undefined {
  for (const prefix of prefixes) {
    if (!word.startsWith(prefix)) continue;
    const rest = word.slice(prefix.length);
    if (rest === "" || rest.startsWith("/")) return rest.replace(/^\/+/, "");
  }
  return undefined;
}
