/**
 * Line numbers of object keys in JSON text, found in one linear pass, so findings can point at the line where a
 * lockfile entry starts without searching the text once per package.
 *
 * The text must already have passed `JSON.parse` (callers parse first): the scanner then only needs to follow
 * the structure — strings, braces, brackets, commas and colons — and can rely on strings never holding a raw
 * newline (RFC 8259 §7 forbids unescaped control characters), so every newline it meets is between tokens.
 */
import { lineAt } from "../shared/text.js";

/** Called for every object member: the keys of the enclosing containers (outermost first; "" for an array
 *  element), the member's key, and the 1-based line the key sits on. `parents` is reused: copy it to keep it.
 *  Returning `true` (exactly) ends the walk (a caller that found what it needs need not read the rest of a large file). */
export type KeyVisitor = (parents: readonly string[], key: string, line: number) => unknown;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Walks the structure of (already validated) JSON text and reports each object key with its line. */
export function visitKeys(text: string, visit: KeyVisitor): void {
  const parents: string[] = [];
  // true for an object frame, false for an array frame; the outermost container has no entry in `parents`.
  const frames: boolean[] = [];
  let line = 1;
  let expectKey = false;
  let lastKey = "";
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      line++;
    } else if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (expectKey) {
        lastKey = decodeKey(text, i + 1, end);
        if (visit(parents, lastKey, line) === true) return;
        expectKey = false;
      }
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (frames.length > 0) parents.push(frames[frames.length - 1] ? lastKey : "");
      frames.push(c === OPEN_OBJECT);
      expectKey = c === OPEN_OBJECT;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      frames.pop();
      if (frames.length > 0) parents.pop();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = frames[frames.length - 1] === true;
    } else if (c === COLON) {
      expectKey = false;
    }
  }
}

/**
 * Lines of the members of one object (`packages` of a package-lock), given their keys in document order as JSON.parse
 * returns them. A fast path for the layout npm writes — the object opened at the end of the `"<section>": {` line,
 * then every member key at the start of a line of its own, all at one indentation, written without escapes — that
 * steps from line to line with `indexOf` instead of tokenising the whole text (several times faster on a large
 * lockfile). It checks what it relies on and returns undefined when the text is laid out otherwise (minified, keys
 * out of order, escaped keys, an integer-like key JSON.parse moved first); callers then use {@link visitKeys}, which
 * is exact for any valid JSON.
 */
export function memberKeyLines(text: string, section: string, keys: readonly string[]): Map<string, number> | undefined {
  const lines = new Map<string, number>();
  const header = text.indexOf(`"${section}": {\n`);
  if (header < 0) return undefined;
  if (keys.length === 0) return lines;
  let line = lineAt(text, header);
  let nl = text.indexOf("\n", header);
  // The members' indentation: that of the line after the header.
  let indent = 0;
  while (text.charCodeAt(nl + 1 + indent) === 0x20 || text.charCodeAt(nl + 1 + indent) === 0x09) indent++;
  if (indent === 0) return undefined;
  let next = 0;
  for (; nl >= 0; nl = text.indexOf("\n", nl + 1)) {
    line++;
    const quote = nl + 1 + indent;
    // Deeper lines have indentation where the quote would be; shallower ones fail the indentation check.
    if (text.charCodeAt(quote) !== QUOTE || !isIndentation(text, nl + 1, quote)) continue;
    const key = keys[next] as string;
    const end = quote + 1 + key.length;
    if (!text.startsWith(key, quote + 1) || text.charCodeAt(end) !== QUOTE || text.charCodeAt(end + 1) !== COLON) return undefined;
    lines.set(key, line);
    if (++next === keys.length) return lines;
  }
  return undefined;
}

/** True when text[from, to) holds only spaces and tabs. */
function isIndentation(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/** Index of the quote that closes the string opening at `start` (or the text length if it never closes). */
function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length;
    // The quote is escaped when an odd number of backslashes precede it.
    let slashes = 0;
    for (let j = quote - 1; j > start && text.charCodeAt(j) === BACKSLASH; j--) slashes++;
    if (slashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

function decodeKey(text: string, from: number, to: number): string {
  const raw = text.slice(from, to);
  if (raw.indexOf("\\") < 0) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/**
 * A one-line reason for a JSON.parse failure with the position (and line) of the error. V8 names the position in
 * most messages ("... in JSON at position N") but not in "Unexpected token 'x', "…" is not valid JSON", which also
 * quotes raw text (newlines included); there the position comes from {@link jsonErrorOffset}.
 */
export function jsonErrorReason(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const marker = " in JSON at position ";
  const at = message.indexOf(marker);
  let position: number;
  let detail: string;
  if (at >= 0) {
    const digits = /^\d+/.exec(message.slice(at + marker.length));
    position = digits ? Number(digits[0]) : jsonErrorOffset(text);
    detail = message.slice(0, at);
  } else {
    position = jsonErrorOffset(text);
    const quote = message.indexOf(", \"");
    const ellipsis = message.indexOf(", ...\"");
    const cut = [quote, ellipsis].filter((i) => i >= 0);
    detail = cut.length > 0 ? message.slice(0, Math.min(...cut)) : message;
  }
  if (position < 0) position = text.length;
  detail = detail.replace(/\s+/g, " ").trim().slice(0, 200);
  return `invalid JSON at position ${position} (line ${lineAt(text, position)}): ${detail}`;
}

/** What the checker expects next. */
type Expect = "value" | "key" | "after";

/**
 * Offset of the first syntax error in JSON text (RFC 8259), or -1 when it is valid. A linear, iterative checker:
 * it only exists to name a position where the engine's message does not.
 */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  const stack: boolean[] = []; // true: object, false: array
  let i = skipSpace(text, 0);
  let expect: Expect = "value";
  for (;;) {
    if (expect === "after") {
      i = skipSpace(text, i);
      if (stack.length === 0) return i < n ? i : -1;
      const c = text[i];
      const inObject = stack[stack.length - 1];
      if (c === ",") {
        i = skipSpace(text, i + 1);
        expect = inObject ? "key" : "value";
      } else if ((c === "}" && inObject) || (c === "]" && !inObject)) {
        stack.pop();
        i++;
      } else {
        return i;
      }
      continue;
    }
    if (i >= n) return n;
    if (expect === "key") {
      if (text[i] !== '"') return i;
      const end = scanString(text, i);
      if (end < 0 || end >= n) return end < 0 ? -end - 1 : n;
      i = skipSpace(text, end);
      if (i >= n) return n;
      if (text[i] !== ":") return i;
      i = skipSpace(text, i + 1);
      expect = "value";
      continue;
    }
    const c = text[i] as string;
    if (c === "{" || c === "[") {
      stack.push(c === "{");
      i = skipSpace(text, i + 1);
      if (text[i] === (c === "{" ? "}" : "]")) {
        stack.pop();
        i++;
        expect = "after";
      } else {
        expect = c === "{" ? "key" : "value";
      }
    } else if (c === '"') {
      const end = scanString(text, i);
      if (end < 0) return -end - 1;
      i = end;
      expect = "after";
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      const end = scanNumber(text, i);
      if (end < 0) return -end - 1;
      i = end;
      expect = "after";
    } else {
      const literal = c === "t" ? "true" : c === "f" ? "false" : c === "n" ? "null" : "";
      if (literal === "") return i;
      for (let k = 0; k < literal.length; k++) if (text[i + k] !== literal[k]) return Math.min(i + k, n);
      i += literal.length;
      expect = "after";
    }
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** End (index after the closing quote) of the string at `start`, or -(offset + 1) of the error. */
function scanString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -(i + 1);
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === "u") {
        for (let k = 2; k < 6; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? "")) return -(Math.min(i + k, text.length) + 1);
        i += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
        i++;
      } else {
        return -(Math.min(i + 1, text.length) + 1);
      }
    }
  }
  return -(text.length + 1);
}

/** End of the number at `start`, or -(offset + 1) of the error. */
function scanNumber(text: string, start: number): number {
  let i = start;
  const digits = () => {
    const from = i;
    while (text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    return i > from;
  };
  if (text[i] === "-") i++;
  if (text[i] === "0") i++;
  else if (!digits()) return -(i + 1);
  if (text[i] === ".") {
    i++;
    if (!digits()) return -(i + 1);
  }
  if (text[i] === "e" || text[i] === "E") {
    i++;
    if (text[i] === "+" || text[i] === "-") i++;
    if (!digits()) return -(i + 1);
  }
  return i;
}
