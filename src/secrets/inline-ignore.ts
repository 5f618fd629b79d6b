// The inline ignore marker: `aiwarden-ignore: <reason>` in a comment on the line of a credential, or alone on the line
// before it, accepts that one line (a test fixture key, a revoked key kept in documentation). The reason is required
// so that a reviewer can judge it: a bare `aiwarden-ignore` does not suppress anything, and the finding says so.
// Any comment syntax works (`#`, `//`, `/* */`, `<!-- -->`, `--`), because only the marker text is looked for.
import type { TextLines } from "./lines.js";

/** The marker text, matched case-sensitively. */
export const IGNORE_MARKER = "aiwarden-ignore";

/** What governs one line: an accepted ignore with its reason, or a marker that lacks one. */
export type InlineIgnore =
  | { kind: "ignored"; reason: string; markerLine: number }
  | { kind: "missing-reason"; markerLine: number };

/**
 * The marker that applies to a 1-based line: one on the line itself, else one on the previous line when that line
 * holds nothing but the comment (a marker trailing code on the previous line belongs to that code).
 */
export function inlineIgnoreFor(lines: TextLines, line: number): InlineIgnore | undefined {
  const own = parseMarker(lines.line(line));
  if (own) return withLine(own, line);
  if (line <= 1) return undefined;
  const previous = lines.line(line - 1);
  const before = parseMarker(previous);
  if (!before || !onlyComment(previous)) return undefined;
  return withLine(before, line - 1);
}

/** True when a text contains the marker at all: a cheap test before building line tables. */
export function mentionsMarker(text: string): boolean {
  return text.includes(IGNORE_MARKER);
}

type Marker = { kind: "ignored"; reason: string } | { kind: "missing-reason" };

/** The marker on one line and its reason (the rest of the line after `:`, comment closers and quotes trimmed). */
export function parseMarker(lineText: string): Marker | undefined {
  const at = lineText.indexOf(IGNORE_MARKER);
  if (at < 0) return undefined;
  let rest = lineText.slice(at + IGNORE_MARKER.length);
  // `aiwarden-ignore-foo` or `aiwarden-ignores` is another word, not the marker.
  const next = rest.charCodeAt(0);
  if (rest.length > 0 && (isWordChar(next) || rest[0] === "-")) return undefined;
  rest = rest.trimStart();
  if (!rest.startsWith(":")) return { kind: "missing-reason" };
  const reason = trimClosers(rest.slice(1));
  return reason.length > 0 ? { kind: "ignored", reason } : { kind: "missing-reason" };
}

/** Comment closers and string quotes that may follow the reason on the same line. */
const CLOSERS = ["*/", "-->", "#}", "%>", "\"", "'", "`", ","];

function trimClosers(text: string): string {
  let reason = text.trim();
  for (let changed = true; changed;) {
    changed = false;
    for (const closer of CLOSERS) {
      if (reason.endsWith(closer)) {
        reason = reason.slice(0, -closer.length).trimEnd();
        changed = true;
      }
    }
  }
  return reason;
}

/** True when the text before the marker has no letters or digits: the line is a comment and nothing else. */
function onlyComment(lineText: string): boolean {
  const at = lineText.indexOf(IGNORE_MARKER);
  for (let i = 0; i < at; i++) {
    if (isWordChar(lineText.charCodeAt(i))) return false;
  }
  return true;
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function withLine(marker: Marker, markerLine: number): InlineIgnore {
  return marker.kind === "ignored" ? { kind: "ignored", reason: marker.reason, markerLine } : { kind: "missing-reason", markerLine };
}
