/**
 * Matching of workspace folders against the `workspaces` globs of a package.json.
 * npm (@npmcli/map-workspaces) expands each pattern with `glob` and keeps the folders holding a package.json;
 * `!pattern` removes matches. This supports the parts of glob syntax workspace lists use: `*` and `?` inside a
 * path segment and `**` for any number of segments. Brace sets and character classes are compared literally.
 * https://docs.npmjs.com/cli/using-npm/workspaces
 */

/** True when `path` (a folder relative to the project, POSIX separators) is selected by the workspace patterns. */
export function matchesWorkspaceGlobs(path: string, patterns: readonly string[]): boolean {
  const segments = splitPath(path);
  let selected = false;
  // A later pattern overrides an earlier one for the paths it matches (map-workspaces lets a positive pattern
  // cancel an earlier negation); an odd number of leading `!` negates, an even number cancels out.
  for (const raw of patterns) {
    let bangs = 0;
    while (raw[bangs] === "!") bangs++;
    const negated = bangs % 2 === 1;
    if (matchSegments(splitPath(raw.slice(bangs)), segments)) selected = !negated;
  }
  return selected;
}

function splitPath(path: string): string[] {
  return path.replace(/\\/g, "/").split("/").filter((s) => s !== "" && s !== ".");
}

/** Segment-wise match with `**`; dynamic programming keeps it O(pattern × path) whatever the pattern holds. */
function matchSegments(pattern: readonly string[], path: readonly string[]): boolean {
  // can[j] = the first i pattern segments match the first j path segments.
  let can: boolean[] = Array.from({ length: path.length + 1 }, (_, j) => j === 0);
  for (const segment of pattern) {
    const next: boolean[] = new Array<boolean>(path.length + 1).fill(false);
    if (segment === "**") {
      let any = false;
      for (let j = 0; j <= path.length; j++) {
        any = any || (can[j] ?? false);
        // `**` does not match dot-folders (glob's default), nor node_modules in practice.
        next[j] = any;
        if (j < path.length && (path[j] as string).startsWith(".")) any = false;
      }
    } else {
      for (let j = 1; j <= path.length; j++) next[j] = (can[j - 1] ?? false) && matchSegment(segment, path[j - 1] as string);
    }
    can = next;
  }
  return can[path.length] ?? false;
}

/** `*` and `?` wildcards within one segment; the classic greedy matcher with one backtrack point (no regex). */
function matchSegment(pattern: string, text: string): boolean {
  // glob's default: wildcards do not match a leading dot.
  if (text.startsWith(".") && !pattern.startsWith(".")) return false;
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc === "?" || (pc !== undefined && pc !== "*" && pc === text[t])) {
      p++;
      t++;
    } else if (pc === "*") {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}
