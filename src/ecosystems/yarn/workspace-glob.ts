// Workspace globs as package.json `workspaces` writes them (https://classic.yarnpkg.com/en/docs/workspaces,
// https://yarnpkg.com/configuration/manifest#workspaces): path segments made of literals, `*` and `?` within a
// segment, `**` for any number of segments, simple `{a,b}` alternatives, and `!pattern` exclusions. Matching is done
// segment by segment with a small dynamic programme, never by building a regular expression from user input.

/** Brace alternatives expand into at most this many patterns; anything beyond is ignored. */
const MAX_EXPANSIONS = 64;

/**
 * The workspace directories (relative to `projectDir`, sorted) selected by `globs` among the discovered
 * `package.json` files under `projectDir`. Folders inside `node_modules` and hidden folders matched only by a
 * wildcard are never workspaces; the project directory itself is not its own workspace.
 */
export function workspaceDirs(projectDir: string, globs: readonly string[], discovered: readonly string[]): string[] {
  const include: string[][] = [];
  const exclude: string[][] = [];
  for (const raw of globs) {
    const negated = raw.startsWith("!");
    for (const pattern of expandBraces(negated ? raw.slice(1) : raw)) {
      const segments = patternSegments(pattern);
      if (segments) (negated ? exclude : include).push(segments);
    }
  }
  if (include.length === 0) return [];
  const prefix = projectDir ? `${projectDir}/` : "";
  const found = new Set<string>();
  for (const path of discovered) {
    if (!path.startsWith(prefix) || !(path === `${prefix}package.json` || path.endsWith("/package.json"))) continue;
    const relative = path.slice(prefix.length, path.length - "package.json".length).replace(/\/$/, "");
    if (relative === "") continue;
    const segments = relative.split("/");
    if (segments.includes("node_modules")) continue;
    if (!include.some((p) => matchSegments(p, segments))) continue;
    if (exclude.some((p) => matchSegments(p, segments))) continue;
    found.add(relative);
  }
  return [...found].sort();
}

/** Whether a workspace glob matches a directory given relative to the project (`packages/*` vs `packages/core`). */
export function matchesWorkspaceGlob(pattern: string, dir: string): boolean {
  const dirSegments = dir.split("/").filter((s) => s !== "" && s !== ".");
  return expandBraces(pattern).some((p) => {
    const segments = patternSegments(p);
    return segments !== undefined && matchSegments(segments, dirSegments);
  });
}

/** Splits a pattern into segments, dropping `./`, empty segments and a trailing `package.json`; undefined if empty. */
function patternSegments(pattern: string): string[] | undefined {
  const segments = pattern.replace(/\\/g, "/").split("/").filter((s) => s !== "" && s !== ".");
  if (segments[segments.length - 1] === "package.json") segments.pop();
  if (segments.length === 0 || segments.includes("..")) return undefined;
  return segments;
}

/** Expands the first-level `{a,b}` groups of a pattern (not nested), bounded by MAX_EXPANSIONS. */
function expandBraces(pattern: string): string[] {
  let results = [""];
  let i = 0;
  while (i < pattern.length) {
    const open = pattern.indexOf("{", i);
    const close = open < 0 ? -1 : pattern.indexOf("}", open + 1);
    if (open < 0 || close < 0) {
      results = results.map((r) => r + pattern.slice(i));
      break;
    }
    const literal = pattern.slice(i, open);
    const options = pattern.slice(open + 1, close).split(",");
    const next: string[] = [];
    for (const r of results) for (const o of options) if (next.length < MAX_EXPANSIONS) next.push(r + literal + o);
    results = next;
    i = close + 1;
  }
  return results;
}

/** Matches pattern segments against path segments; `**` spans zero or more segments. O(pattern × path). */
function matchSegments(pattern: readonly string[], path: readonly string[]): boolean {
  // reachable[j]: the first i pattern segments can consume the first j path segments.
  let reachable = new Array<boolean>(path.length + 1).fill(false);
  reachable[0] = true;
  for (const segment of pattern) {
    const next = new Array<boolean>(path.length + 1).fill(false);
    if (segment === "**") {
      let any = false;
      for (let j = 0; j <= path.length; j++) {
        // `**` never descends into hidden folders, as glob libraries do by default.
        if (j > 0 && (path[j - 1] as string).startsWith(".")) any = false;
        any = any || (reachable[j] as boolean);
        next[j] = any;
      }
    } else {
      for (let j = 1; j <= path.length; j++) {
        if (reachable[j - 1] && matchSegment(segment, path[j - 1] as string)) next[j] = true;
      }
    }
    reachable = next;
  }
  return reachable[path.length] as boolean;
}

/**
 * Matches one segment with `*` (any run of characters) and `?` (one character): the classic greedy two-pointer
 * wildcard match, which backtracks only to the last `*` and so stays O(pattern × name). A leading wildcard does not
 * match a hidden name.
 */
function matchSegment(pattern: string, name: string): boolean {
  if (name.startsWith(".") && !pattern.startsWith(".")) return false;
  let p = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}
