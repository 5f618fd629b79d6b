// Glob matching for workspace member lists: npm and yarn `workspaces` (https://docs.npmjs.com/cli/using-npm/workspaces,
// https://yarnpkg.com/configuration/manifest#workspaces) and uv `[tool.uv.workspace] members/exclude`
// (https://docs.astral.sh/uv/concepts/projects/workspaces/). One matcher for all three, with the two places where
// the tools' glob libraries differ as options.
//
// Syntax: `*` (any run of characters within a segment), `?` (one character), `[a-z]` / `[!a-z]` / `[^a-z]` classes,
// `**` as a whole segment (zero or more segments), one level of `{a,b}` alternatives (bounded expansion), and
// `!pattern` negation, ordered: the last pattern that matches a path decides (npm's map-workspaces lets a later
// positive pattern cancel an earlier negation; an include list followed by an exclude list maps onto this by
// putting the excludes, negated, after the includes). Backslashes are read as separators, not escapes; `.` and
// empty segments are dropped, so `./packages/*/` is `packages/*`.
//
// Matching is segment by segment with a small dynamic programme (O(pattern segments × path segments)), each segment
// by the greedy wildcard matcher that backtracks only to the last `*` (O(pattern × name)). No regular expression is
// ever built from a pattern.

/** Where tools' glob libraries disagree. */
export interface GlobOptions {
  /**
   * Whether wildcards match names that start with a dot (and `**` descends into such folders). node-glob and
   * fast-glob, which npm and yarn use, do not (`dot: false`, the default here); the Rust `glob` crate uv uses does
   * (`require_literal_leading_dot` is off by default).
   */
  dot?: boolean;
  /** Whether `{a,b}` expands (node-glob/minimatch: yes, the default here; Rust `glob`: no, braces are literal). */
  braces?: boolean;
}

/** Brace alternatives expand into at most this many patterns per pattern; the rest is ignored. */
const MAX_EXPANSIONS = 64;

type Token =
  | { kind: "char"; ch: string }
  | { kind: "any" }
  | { kind: "star" }
  | { kind: "class"; negate: boolean; ranges: ReadonlyArray<readonly [string, string]> };

/** One pattern segment: `**`, or a sequence of tokens matched against one path segment. */
type Segment = { kind: "globstar" } | { kind: "part"; tokens: readonly Token[]; leadingDot: boolean };

interface CompiledPattern {
  negated: boolean;
  /** The brace expansions of the pattern, each a list of segments. */
  alternatives: ReadonlyArray<readonly Segment[]>;
}

/** A list of patterns compiled once and matched against many paths. */
export interface GlobList {
  readonly patterns: readonly CompiledPattern[];
  readonly dot: boolean;
  /** True when at least one pattern is not negated (otherwise nothing can be selected). */
  readonly selectsAnything: boolean;
}

/** Compiles workspace patterns (in order; a leading `!` negates, an even number of them cancels out). */
export function compileGlobs(patterns: readonly string[], options: GlobOptions = {}): GlobList {
  const braces = options.braces ?? true;
  const compiled: CompiledPattern[] = [];
  for (const raw of patterns) {
    let bangs = 0;
    while (raw[bangs] === "!") bangs++;
    const body = raw.slice(bangs);
    const expanded = braces ? expandBraces(body) : [body];
    compiled.push({ negated: bangs % 2 === 1, alternatives: expanded.map(compileSegments) });
  }
  return { patterns: compiled, dot: options.dot ?? false, selectsAnything: compiled.some((p) => !p.negated) };
}

/**
 * True when `path` (relative to the folder the patterns are relative to, POSIX separators) is selected: the last
 * pattern matching it is not negated.
 */
export function matchesGlobs(list: GlobList, path: string): boolean {
  const segments = splitSegments(path);
  for (let i = list.patterns.length - 1; i >= 0; i--) {
    const pattern = list.patterns[i] as CompiledPattern;
    if (pattern.alternatives.some((segs) => matchSegments(segs, segments, list.dot))) return !pattern.negated;
  }
  return false;
}

/** True when one pattern (no negation) matches `path`. */
export function globMatch(pattern: string, path: string, options: GlobOptions = {}): boolean {
  const braces = options.braces ?? true;
  const segments = splitSegments(path);
  return (braces ? expandBraces(pattern) : [pattern]).some((p) => matchSegments(compileSegments(p), segments, options.dot ?? false));
}

/**
 * Workspace member folders among the discovered files: the folders (relative to `projectDir`, sorted) that hold a
 * `manifestName` (`package.json`, `pyproject.toml`) and that the patterns select. The project folder itself is not
 * its own member, and folders inside `node_modules` (installed packages) never are.
 */
export function workspaceMemberDirs(projectDir: string, patterns: readonly string[], discovered: readonly string[], manifestName: string, options: GlobOptions = {}): string[] {
  const globs = compileGlobs(patterns, options);
  if (!globs.selectsAnything) return [];
  const prefix = projectDir === "" ? "" : `${projectDir}/`;
  const suffix = `/${manifestName}`;
  const found = new Set<string>();
  for (const path of discovered) {
    if (!path.startsWith(prefix) || !path.endsWith(suffix) || path.length <= prefix.length + suffix.length) continue;
    const relative = path.slice(prefix.length, path.length - suffix.length);
    if (relative.split("/").includes("node_modules")) continue;
    if (matchesGlobs(globs, relative)) found.add(relative);
  }
  return [...found].sort();
}

/** Path segments without empty and `.` ones; backslashes count as separators. */
function splitSegments(path: string): string[] {
  const out: string[] = [];
  for (const segment of path.replace(/\\/g, "/").split("/")) if (segment !== "" && segment !== ".") out.push(segment);
  return out;
}

/** Expands the first-level `{a,b}` groups of a pattern (a group without `}` stays literal), bounded by MAX_EXPANSIONS. */
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
    for (const r of results) {
      for (const o of options) {
        if (next.length >= MAX_EXPANSIONS) break;
        next.push(r + literal + o);
      }
    }
    results = next;
    i = close + 1;
  }
  return results;
}

function compileSegments(pattern: string): Segment[] {
  return splitSegments(pattern).map((segment): Segment => {
    if (segment === "**") return { kind: "globstar" };
    return { kind: "part", tokens: tokenize(segment), leadingDot: segment.startsWith(".") };
  });
}

function tokenize(segment: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    if (ch === "*") {
      // `**` inside a segment (`a**b`) is an ordinary star, as in minimatch.
      if (tokens[tokens.length - 1]?.kind !== "star") tokens.push({ kind: "star" });
    } else if (ch === "?") {
      tokens.push({ kind: "any" });
    } else if (ch === "[") {
      // `]` right after `[` (or `[!`) is a member of the class, so the search for the closing bracket starts after it.
      const negate = segment[i + 1] === "!" || segment[i + 1] === "^";
      const bodyStart = i + 1 + (negate ? 1 : 0);
      const close = segment.indexOf("]", bodyStart + 1);
      if (close < 0) {
        tokens.push({ kind: "char", ch });
        continue;
      }
      const body = segment.slice(bodyStart, close);
      const ranges: Array<[string, string]> = [];
      for (let k = 0; k < body.length; k++) {
        const lo = body[k] as string;
        if (body[k + 1] === "-" && k + 2 < body.length) {
          ranges.push([lo, body[k + 2] as string]);
          k += 2;
        } else ranges.push([lo, lo]);
      }
      tokens.push({ kind: "class", negate, ranges });
      i = close;
    } else {
      tokens.push({ kind: "char", ch });
    }
  }
  return tokens;
}

/** Pattern segments against path segments; `**` spans zero or more segments. O(pattern × path). */
function matchSegments(pattern: readonly Segment[], path: readonly string[], dot: boolean): boolean {
  // reachable[j]: the pattern segments so far can consume exactly the first j path segments.
  let reachable = new Array<boolean>(path.length + 1).fill(false);
  reachable[0] = true;
  for (const segment of pattern) {
    const next = new Array<boolean>(path.length + 1).fill(false);
    if (segment.kind === "globstar") {
      let any = false;
      for (let j = 0; j <= path.length; j++) {
        // Without `dot`, `**` never descends into a hidden folder (it may still stop just before one).
        if (j > 0 && !dot && (path[j - 1] as string).startsWith(".")) any = false;
        any = any || (reachable[j] as boolean);
        next[j] = any;
      }
    } else {
      for (let j = 1; j <= path.length; j++) {
        if (reachable[j - 1] && matchPart(segment, path[j - 1] as string, dot)) next[j] = true;
      }
    }
    reachable = next;
  }
  return reachable[path.length] as boolean;
}

/**
 * One segment: the classic greedy wildcard match, which backtracks only to the last `*` and so stays
 * O(pattern × name). Without `dot`, a name starting with `.` matches only a pattern starting with a literal `.`.
 */
function matchPart(segment: Extract<Segment, { kind: "part" }>, name: string, dot: boolean): boolean {
  if (!dot && name.startsWith(".") && !segment.leadingDot) return false;
  const tokens = segment.tokens;
  let t = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token !== undefined && token.kind !== "star" && tokenMatches(token, name[n] as string)) {
      t++;
      n++;
    } else if (token?.kind === "star") {
      star = t++;
      mark = n;
    } else if (star >= 0) {
      t = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (tokens[t]?.kind === "star") t++;
  return t === tokens.length;
}

function tokenMatches(token: Exclude<Token, { kind: "star" }>, ch: string): boolean {
  switch (token.kind) {
    case "any":
      return true;
    case "char":
      return token.ch === ch;
    case "class":
      return token.ranges.some(([lo, hi]) => ch >= lo && ch <= hi) !== token.negate;
  }
}
