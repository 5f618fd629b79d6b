// uv workspace member discovery: `[tool.uv.workspace] members/exclude` globs matched against the files the scan
// discovered. https://docs.astral.sh/uv/concepts/projects/workspaces/
import { joinPath } from "../extractor.js";

/**
 * The member directories (relative to the workspace root directory) whose pyproject.toml was discovered, sorted.
 * `rootDir` is the root-relative directory of the workspace root's pyproject.toml ("" for the scanned root).
 */
export function workspaceMemberDirs(rootDir: string, members: readonly string[], exclude: readonly string[], discovered: readonly string[]): string[] {
  const include = members.map(cleanPattern).filter((p) => p !== "");
  const skip = exclude.map(cleanPattern).filter((p) => p !== "");
  if (include.length === 0) return [];
  const prefix = rootDir === "" ? "" : `${rootDir}/`;
  const out = new Set<string>();
  for (const path of discovered) {
    if (!path.startsWith(prefix) || !path.endsWith("/pyproject.toml")) continue;
    const dir = path.slice(prefix.length, path.length - "/pyproject.toml".length);
    if (dir === "") continue;
    if (include.some((p) => globMatch(p, dir)) && !skip.some((p) => globMatch(p, dir))) out.add(dir);
  }
  return [...out].sort();
}

/** Root-relative path of a member's pyproject.toml. */
export function memberManifestPath(rootDir: string, memberDir: string): string | undefined {
  return joinPath(rootDir, `${memberDir}/pyproject.toml`);
}

/**
 * Matches a POSIX path against a glob (`*` and `?` within one segment, `[a-z]`/`[!a-z]` classes, `**` for any number
 * of segments). Segment by segment with dynamic programming, so it stays polynomial on any pattern.
 */
export function globMatch(pattern: string, path: string): boolean {
  const pat = pattern.split("/");
  const segs = path.split("/");
  // can[i][j]: pattern segments i.. match path segments j..
  const can: boolean[][] = Array.from({ length: pat.length + 1 }, () => new Array<boolean>(segs.length + 1).fill(false));
  (can[pat.length] as boolean[])[segs.length] = true;
  for (let i = pat.length - 1; i >= 0; i--) {
    const row = can[i] as boolean[];
    const next = can[i + 1] as boolean[];
    for (let j = segs.length; j >= 0; j--) {
      if (pat[i] === "**") row[j] = (next[j] as boolean) || (j < segs.length && (row[j + 1] as boolean));
      else row[j] = j < segs.length && (next[j + 1] as boolean) && segmentMatch(pat[i] as string, segs[j] as string);
    }
  }
  return (can[0] as boolean[])[0] as boolean;
}

type Token = { kind: "star" } | { kind: "any" } | { kind: "char"; ch: string } | { kind: "class"; negate: boolean; ranges: Array<[string, string]> };

/** One segment against a wildcard pattern: the classic greedy matcher that backtracks only to the last `*`. */
function segmentMatch(pattern: string, text: string): boolean {
  const tokens = tokenize(pattern);
  let t = 0;
  let s = 0;
  let starToken = -1;
  let starText = 0;
  while (s < text.length) {
    const token = tokens[t];
    if (token && token.kind !== "star" && tokenMatches(token, text[s] as string)) {
      t++;
      s++;
    } else if (token?.kind === "star") {
      starToken = t++;
      starText = s;
    } else if (starToken >= 0) {
      t = starToken + 1;
      s = ++starText;
    } else return false;
  }
  while (tokens[t]?.kind === "star") t++;
  return t === tokens.length;
}

function tokenMatches(token: Token, ch: string): boolean {
  if (token.kind === "any") return true;
  if (token.kind === "char") return token.ch === ch;
  if (token.kind === "class") return token.ranges.some(([lo, hi]) => ch >= lo && ch <= hi) !== token.negate;
  return false;
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "*") {
      if (tokens[tokens.length - 1]?.kind !== "star") tokens.push({ kind: "star" });
    } else if (ch === "?") tokens.push({ kind: "any" });
    else if (ch === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) {
        tokens.push({ kind: "char", ch });
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith("!") || body.startsWith("^");
      if (negate) body = body.slice(1);
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
    } else tokens.push({ kind: "char", ch });
  }
  return tokens;
}

function cleanPattern(pattern: string): string {
  let p = pattern.trim().replace(/\\/g, "/");
  while (p.startsWith("./")) p = p.slice(2);
  while (p.endsWith("/")) p = p.slice(0, -1);
  return p === "." ? "" : p;
}
