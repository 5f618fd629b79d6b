// A fast reader for yarn classic (v1) lockfiles as yarn writes them (yarn's lockfile stringifier,
// https://github.com/yarnpkg/yarn/blob/master/src/lockfile/stringify.js): unindented entry keys ending in `:` (several
// descriptors separated by `, `), two-space indented `name value` fields, and `name:` opening a nested block of the
// same. @yarnpkg/parsers reads the format with a PEG grammar (syml.pegjs) that takes most of the time of a classic
// extraction on a large lockfile; this line scanner does the same work several times faster. It gives up (returns
// undefined) on anything outside that layout — CR line ends, tabs, lists, `key: value` on one line, unusual bare
// keys, a comment it would read differently — and the caller then uses the grammar, which stays the authority: a test
// checks that both agree on every classic lockfile in the fixtures.

/** A key yarn writes bare: what both grammar rules that could read it (pseudostring, pseudostringLegacy) agree on. */
function isBareKey(key: string): boolean {
  if (key === "" || key === "__proto__") return false;
  const first = key.charCodeAt(0);
  const alnum = (first >= 48 && first <= 57) || (first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first === 47;
  if (!alnum) return false;
  for (let i = 1; i < key.length; i++) {
    const c = key[i] as string;
    if (c === " " || c === "\t" || c === ":" || c === "," || c === "[" || c === "]" || c === "{" || c === "}" || c === "#" || c === '"' || c === "'") return false;
  }
  return true;
}

/** A bare value as the grammar's pseudostringLegacy reads it: `--`?, then [a-zA-Z/0-9], then no blank, `:` or `,`. */
function isBareValue(value: string): boolean {
  const body = value.startsWith("--") ? value.slice(2) : value;
  if (body === "") return false;
  const first = body.charCodeAt(0);
  if (!((first >= 48 && first <= 57) || (first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first === 47)) return false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i] as string;
    if (c === " " || c === "\t" || c === ":" || c === "," || c === "\r") return false;
  }
  return true;
}

/** Thrown internally when the text leaves the layout; never escapes this module. */
class OutsideLayout extends Error {}

/**
 * Reads a quoted string starting at `start` (a `"`), as the grammar's `string` rule does (JSON escapes, no raw control
 * characters). Returns the value and the index after the closing quote.
 */
function quotedString(line: string, start: number): { value: string; end: number } {
  let i = start + 1;
  let escaped = false;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw new OutsideLayout();
    if (c === 0x5c) {
      escaped = true;
      i++;
      continue;
    }
    if (c === 0x22) break;
  }
  if (i >= line.length) throw new OutsideLayout();
  const raw = line.slice(start, i + 1);
  if (!escaped) return { value: raw.slice(1, -1), end: i + 1 };
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "string") throw new OutsideLayout();
    return { value, end: i + 1 };
  } catch {
    throw new OutsideLayout();
  }
}

/** One key (quoted or bare) at `start`; returns it and the index after it. */
function readKey(line: string, start: number, stops: string): { key: string; end: number } {
  if (line[start] === '"') {
    const { value, end } = quotedString(line, start);
    if (value === "__proto__") throw new OutsideLayout();
    return { key: value, end };
  }
  let end = start;
  while (end < line.length && !stops.includes(line[end] as string)) end++;
  const key = line.slice(start, end);
  if (!isBareKey(key)) throw new OutsideLayout();
  return { key, end };
}

/**
 * Parses the text of a classic yarn.lock into the value @yarnpkg/parsers' `parseSyml` returns for it (one property
 * per descriptor, the descriptors of an entry sharing one object; `name value` fields as strings, `null` as null);
 * undefined when the text is laid out in a way this reader does not handle.
 */
export function parseClassicSyntax(text: string): Record<string, unknown> | undefined {
  if (text.includes("\r")) return undefined;
  try {
    return read(text);
  } catch (error) {
    if (error instanceof OutsideLayout) return undefined;
    throw error;
  }
}

function read(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  // The open blocks: the object of each indentation level (0 = the file, 1 = an entry, 2 = its dependencies, ...).
  // A `key:` line opens the next level; a line may sit at any open level (a block left without lines stays empty),
  // never deeper, as the grammar's Samedent rule requires.
  const stack: Array<Record<string, unknown>> = [root];
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    let indent = 0;
    while (line.charCodeAt(indent) === 0x20) indent++;
    const rest = line.slice(indent);
    // Blank lines and comments (the grammar wants at least one character after `#`).
    if (rest.trim() === "") continue;
    if (rest[0] === "#") {
      if (rest.length === 1) throw new OutsideLayout();
      continue;
    }
    if (rest[0] === "\t" || indent % 2 !== 0) throw new OutsideLayout();
    const level = indent / 2;
    if (level > stack.length - 1) throw new OutsideLayout();
    stack.length = level + 1;
    const target = stack[level] as Record<string, unknown>;

    const first = readKey(rest, 0, " ,:");
    if (rest[first.end] === ":" && first.end === rest.length - 1) {
      // `key:` opens a block.
      const block: Record<string, unknown> = {};
      target[first.key] = block;
      stack.push(block);
      continue;
    }
    if (rest[first.end] === ",") {
      // `"a@^1", "a@^1.1":` — several descriptors for one entry.
      const keys = [first.key];
      let at = first.end;
      while (rest[at] === ",") {
        at++;
        while (rest[at] === " ") at++;
        const next = readKey(rest, at, " ,:");
        keys.push(next.key);
        at = next.end;
      }
      if (rest[at] !== ":" || at !== rest.length - 1) throw new OutsideLayout();
      const block: Record<string, unknown> = {};
      for (const key of keys) target[key] = block;
      stack.push(block);
      continue;
    }
    // `name value`: one space, then a quoted string, `null`, or a bare value to the end of the line.
    if (rest[first.end] !== " " || rest[first.end + 1] === " ") throw new OutsideLayout();
    const valueStart = first.end + 1;
    let value: unknown;
    if (rest[valueStart] === '"') {
      const quoted = quotedString(rest, valueStart);
      if (quoted.end !== rest.length) throw new OutsideLayout();
      value = quoted.value;
    } else {
      const bare = rest.slice(valueStart);
      // The grammar commits to `null` on the prefix, so `nullable` is a syntax error there: leave it to the grammar.
      if (bare === "null") value = null;
      else if (isBareValue(bare) && !bare.startsWith("null")) value = bare;
      else throw new OutsideLayout();
    }
    target[first.key] = value;
  }
  return root;
}
