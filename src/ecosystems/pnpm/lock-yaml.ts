// A fast reader for the YAML subset pnpm writes (block mappings and sequences indented by spaces, plain and quoted
// scalars, one-line flow mappings and sequences such as `resolution: {integrity: ...}` and `cpu: [x64]`).
// The `yaml` library reads the 22,000-line lockfile of a large monorepo in about a second on a cold start; this
// reader does it in a few tens of milliseconds. It gives up (returns undefined) on anything outside the subset
// (anchors, tags, block scalars, multi-line plain scalars, tabs in indentation, ...), and the caller then falls back
// to `yaml`, which stays the authority: a test checks that both agree on every lockfile in the fixtures.
// Scalars are resolved with the YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), as `yaml`
// does by default.

/** Nesting deeper than this is not a pnpm lockfile; leaving the subset keeps recursion bounded. */
const MAX_DEPTH = 64;

/** Thrown internally when the text leaves the subset; never escapes this module. */
class OutsideSubset extends Error {}

interface Line {
  indent: number;
  /** The line without its indentation (and without a trailing carriage return). */
  content: string;
  /** 1-based line number. */
  number: number;
}

/**
 * Parses pnpm lockfile YAML into one value per document; undefined when the text uses YAML this reader does not
 * handle. Duplicate keys: the last one wins (as `yaml` with `uniqueKeys: false`).
 */
export function parseLockYaml(text: string): unknown[] | undefined {
  try {
    return splitDocuments(text).map((lines) => (lines.length === 0 ? null : new BlockReader(lines).document()));
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

/** Splits the text into documents of significant lines (blank and comment-only lines dropped). */
function splitDocuments(text: string): Line[][] {
  const documents: Line[][] = [];
  let current: Line[] = [];
  let started = false;
  let number = 0;
  let start = 0;
  if (text.charCodeAt(0) === 0xfeff) start = 1;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    number++;
    let raw = text.slice(start, end);
    start = end + 1;
    if (raw.endsWith("\r")) raw = raw.slice(0, -1);
    if (raw.startsWith("---") && (raw.length === 3 || raw[3] === " " || raw[3] === "\t")) {
      if (raw.slice(3).trim() !== "") throw new OutsideSubset();
      if (started || current.length > 0) documents.push(current);
      current = [];
      started = true;
      continue;
    }
    if (raw.startsWith("...") && raw.slice(3).trim() === "") throw new OutsideSubset();
    if (raw.startsWith("%")) throw new OutsideSubset();
    let indent = 0;
    while (indent < raw.length && raw[indent] === " ") indent++;
    if (raw[indent] === "\t") throw new OutsideSubset();
    const content = raw.slice(indent).trimEnd();
    if (content === "" || content.startsWith("#")) continue;
    current.push({ indent, content, number });
  }
  if (started || current.length > 0) documents.push(current);
  return documents;
}

class BlockReader {
  private index = 0;
  private depth = 0;

  constructor(private readonly lines: Line[]) {}

  document(): unknown {
    const first = this.lines[0] as Line;
    const value = this.block(first.indent);
    if (this.index < this.lines.length) throw new OutsideSubset();
    return value;
  }

  /** A block node whose lines are indented exactly `indent`. */
  private block(indent: number): unknown {
    const line = this.lines[this.index];
    if (!line || line.indent !== indent || ++this.depth > MAX_DEPTH) throw new OutsideSubset();
    const value = isSequenceItem(line.content) ? this.sequence(indent) : this.mapping(indent);
    this.depth--;
    return value;
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let line = this.lines[this.index]; line && line.indent === indent && !isSequenceItem(line.content); line = this.lines[this.index]) {
      this.index++;
      const { key, rest } = splitKey(line.content);
      let value: unknown;
      if (rest === "") {
        const next = this.lines[this.index];
        if (next && next.indent > indent) value = this.block(next.indent);
        else if (next && next.indent === indent && isSequenceItem(next.content)) value = this.sequence(indent);
        else value = null;
      } else {
        value = inlineValue(rest);
        const next = this.lines[this.index];
        // A deeper line after an inline value would be a multi-line scalar.
        if (next && next.indent > indent) throw new OutsideSubset();
      }
      setKey(out, key, value);
    }
    return out;
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.lines[this.index]; line && line.indent === indent && isSequenceItem(line.content); line = this.lines[this.index]) {
      this.index++;
      const rest = line.content.slice(1).trimStart();
      if (rest === "") {
        const next = this.lines[this.index];
        out.push(next && next.indent > indent ? this.block(next.indent) : null);
        continue;
      }
      // `- key: value` (a mapping inside a sequence item) is not part of the subset.
      if (rest.startsWith("- ") || rest === "-" || hasMappingIndicator(rest)) throw new OutsideSubset();
      out.push(inlineValue(rest));
      const next = this.lines[this.index];
      if (next && next.indent > indent) throw new OutsideSubset();
    }
    return out;
  }
}

function isSequenceItem(content: string): boolean {
  return content === "-" || content.startsWith("- ");
}

/** True when a plain (unquoted) text contains `: ` or ends in `:` outside quotes/flow, i.e. would be a mapping. */
function hasMappingIndicator(text: string): boolean {
  const first = text[0];
  if (first === "'" || first === '"' || first === "{" || first === "[") return false;
  return text.includes(": ") || text.endsWith(":");
}

/** Splits `key: value` / `key:` into the key (resolved to a string) and the raw rest of the line. */
function splitKey(content: string): { key: string; rest: string } {
  const first = content[0] as string;
  let key: string;
  let after: number;
  if (first === "'" || first === '"') {
    const end = first === "'" ? singleQuotedEnd(content, 0) : doubleQuotedEnd(content, 0);
    key = String(quoted(content.slice(0, end + 1)));
    after = end + 1;
    if (content[after] !== ":") throw new OutsideSubset();
  } else {
    if ("?-[]{}&*!|>%@`,#".includes(first) && !(first === "-" && content[1] !== " " && content.length > 1)) throw new OutsideSubset();
    const colon = content.indexOf(": ");
    after = colon >= 0 ? colon : content.endsWith(":") ? content.length - 1 : -1;
    if (after <= 0) throw new OutsideSubset();
    const raw = content.slice(0, after).trimEnd();
    if (raw.includes(" #") || raw === "<<") throw new OutsideSubset();
    key = String(plainScalar(raw));
  }
  const rest = content.slice(after + 1);
  if (rest !== "" && rest[0] !== " ") throw new OutsideSubset();
  return { key, rest: rest.trim() };
}

/** A value written on the same line as its key or dash. */
function inlineValue(text: string): unknown {
  const first = text[0] as string;
  if (first === "{" || first === "[") {
    const reader = new FlowReader(text);
    const value = reader.value();
    reader.end();
    return value;
  }
  if (first === "'" || first === '"') {
    const end = first === "'" ? singleQuotedEnd(text, 0) : doubleQuotedEnd(text, 0);
    if (text.slice(end + 1).trim() !== "") throw new OutsideSubset();
    return quoted(text.slice(0, end + 1));
  }
  if ("&*!|>%@`#".includes(first)) throw new OutsideSubset();
  if (text.startsWith("- ") || text.startsWith("? ") || text.startsWith(": ")) throw new OutsideSubset();
  if (text.includes(" #") || text.includes(": ")) throw new OutsideSubset();
  return plainScalar(text);
}

/** One-line flow collections: `{a: b, c: [d, e]}`. */
class FlowReader {
  private i = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  value(): unknown {
    this.spaces();
    const ch = this.text[this.i];
    if (ch === "{" || ch === "[") {
      if (++this.depth > MAX_DEPTH) throw new OutsideSubset();
      const collection = ch === "{" ? this.map() : this.seq();
      this.depth--;
      return collection;
    }
    if (ch === "'" || ch === '"') return this.quotedScalar();
    return plainScalar(this.plain(false));
  }

  end(): void {
    this.spaces();
    if (this.i !== this.text.length) throw new OutsideSubset();
  }

  private map(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.spaces();
    if (this.text[this.i] === "}") {
      this.i++;
      return out;
    }
    for (;;) {
      this.spaces();
      const ch = this.text[this.i];
      const key = ch === "'" || ch === '"' ? String(this.quotedScalar()) : String(plainScalar(this.plain(true)));
      this.spaces();
      if (this.text[this.i] !== ":") throw new OutsideSubset();
      this.i++;
      const next = this.text[this.i];
      if (next !== " " && next !== "," && next !== "}") throw new OutsideSubset();
      this.spaces();
      const value = this.text[this.i] === "," || this.text[this.i] === "}" ? null : this.value();
      setKey(out, key, value);
      this.spaces();
      const sep = this.text[this.i++];
      if (sep === "}") return out;
      if (sep !== ",") throw new OutsideSubset();
    }
  }

  private seq(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.spaces();
    if (this.text[this.i] === "]") {
      this.i++;
      return out;
    }
    for (;;) {
      const value = this.value();
      out.push(value);
      this.spaces();
      const sep = this.text[this.i++];
      if (sep === "]") return out;
      if (sep !== ",") throw new OutsideSubset();
    }
  }

  private quotedScalar(): unknown {
    const ch = this.text[this.i];
    const end = ch === "'" ? singleQuotedEnd(this.text, this.i) : doubleQuotedEnd(this.text, this.i);
    const value = quoted(this.text.slice(this.i, end + 1));
    this.i = end + 1;
    return value;
  }

  /** A plain scalar in flow context: up to `,`, `]`, `}` or (for keys) `: `. */
  private plain(isKey: boolean): string {
    const start = this.i;
    while (this.i < this.text.length) {
      const ch = this.text[this.i] as string;
      if (ch === "," || ch === "]" || ch === "}") break;
      if (ch === "[" || ch === "{" || ch === "#") throw new OutsideSubset();
      if (ch === ":" && (isKey || this.text[this.i + 1] === " ")) {
        const next = this.text[this.i + 1];
        if (next === " " || next === "," || next === "}" || next === undefined) break;
      }
      this.i++;
    }
    const raw = this.text.slice(start, this.i).trim();
    if (raw === "" || "&*!|>%@`'\"".includes(raw[0] as string)) throw new OutsideSubset();
    return raw;
  }

  private spaces(): void {
    while (this.text[this.i] === " ") this.i++;
  }
}

/** Index of the closing quote of a single-quoted scalar starting at `start` (`''` is an escaped quote). */
function singleQuotedEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf("'", i);
    if (q < 0) throw new OutsideSubset();
    if (text[q + 1] === "'") {
      i = q + 2;
      continue;
    }
    return q;
  }
}

/** Index of the closing quote of a double-quoted scalar starting at `start`. */
function doubleQuotedEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  throw new OutsideSubset();
}

/** The value of a complete quoted scalar (quotes included). Double quotes accept JSON escapes only. */
function quoted(token: string): string {
  if (token.startsWith("'")) return token.slice(1, -1).split("''").join("'");
  try {
    return JSON.parse(token) as string;
  } catch {
    throw new OutsideSubset();
  }
}

/** YAML 1.2 core schema resolution of a plain scalar; forms this reader does not resolve leave the subset. */
function plainScalar(raw: string): unknown {
  switch (raw) {
    case "":
    case "~":
    case "null":
    case "Null":
    case "NULL":
      return null;
    case "true":
    case "True":
    case "TRUE":
      return true;
    case "false":
    case "False":
    case "FALSE":
      return false;
  }
  const first = raw.charCodeAt(0);
  const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
  if (!numeric) return raw;
  if (isDecimal(raw)) return Number(raw);
  // Hex, octal, .inf and .nan are valid YAML numbers pnpm never writes: let `yaml` decide.
  if (raw.startsWith("0x") || raw.startsWith("0o") || raw.toLowerCase().includes(".inf") || raw.toLowerCase() === ".nan") {
    throw new OutsideSubset();
  }
  return raw;
}

/** `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, checked by hand. */
function isDecimal(raw: string): boolean {
  let i = 0;
  if (raw[i] === "+" || raw[i] === "-") i++;
  const digits = () => {
    const start = i;
    while (i < raw.length && raw.charCodeAt(i) >= 48 && raw.charCodeAt(i) <= 57) i++;
    return i - start;
  };
  const intDigits = digits();
  if (raw[i] === ".") {
    i++;
    const fraction = digits();
    if (intDigits === 0 && fraction === 0) return false;
  } else if (intDigits === 0) {
    return false;
  }
  if (raw[i] === "e" || raw[i] === "E") {
    i++;
    if (raw[i] === "+" || raw[i] === "-") i++;
    if (digits() === 0) return false;
  }
  return i === raw.length;
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
