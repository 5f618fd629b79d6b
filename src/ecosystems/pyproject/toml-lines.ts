// Lines of keys and array strings in TOML text, found in one linear pass. smol-toml returns values without positions;
// findings about a declared dependency point at the line that declares it, so this scanner records, for every table,
// the line of each key (`openai = "^1.0"`, `[tool.poetry.dependencies.openai]`) and, for every array, the line of each
// string element (`"openai>=1.40",` inside `dependencies = [ … ]`). It follows the TOML 1.0 grammar closely enough
// for text the parser already accepted (https://toml.io/en/v1.0.0): comments, the four string forms, nested arrays
// and inline tables, dotted and quoted keys. Every step advances through the text, so the cost is linear.

/** Where keys and array strings sit in a TOML document. Paths are lists of keys, as written (unquoted). */
export interface TomlLines {
  /** Line of `key` inside the table at `path` (a `key = …` line, or the `[path.key]` header). */
  key(path: readonly string[], key: string): number | undefined;
  /** Line of the string `value` as a direct element of the array at `path` (first occurrence). */
  string(path: readonly string[], value: string): number | undefined;
}

const SEP = "\u0001";

/** Scans TOML text once and answers line lookups for keys and array strings. */
export function tomlLines(text: string): TomlLines {
  const keys = new Map<string, number>();
  const strings = new Map<string, number>();
  new Scanner(text, keys, strings).document();
  return {
    key: (path, key) => keys.get(`${path.join(SEP)}\u0000${key}`),
    string: (path, value) => strings.get(`${path.join(SEP)}\u0000${value}`),
  };
}

class Scanner {
  private pos = 0;
  private line = 1;

  constructor(private readonly text: string, private readonly keys: Map<string, number>, private readonly strings: Map<string, number>) {}

  document(): void {
    const text = this.text;
    let table: string[] = [];
    while (this.pos < text.length) {
      this.skipBlank();
      if (this.pos >= text.length) break;
      const c = text[this.pos];
      if (c === "[") {
        const array = text[this.pos + 1] === "[";
        const line = this.line;
        this.pos += array ? 2 : 1;
        const parts = this.keyParts();
        if (parts) {
          table = parts;
          // `[a.b.c]` declares key c of table a.b; an array-of-tables element declares nothing to look up.
          if (!array && parts.length > 0) this.record(parts.slice(0, -1), parts[parts.length - 1] as string, line);
        }
        this.skipToLineEnd();
        continue;
      }
      const line = this.line;
      const parts = this.keyParts();
      if (!parts || parts.length === 0 || text[this.pos] !== "=") {
        this.skipToLineEnd();
        continue;
      }
      this.pos++;
      const path = [...table, ...parts];
      this.record(path.slice(0, -1), path[path.length - 1] as string, line);
      this.value(path);
      this.skipToLineEnd();
    }
  }

  private record(path: readonly string[], key: string, line: number): void {
    const id = `${path.join(SEP)}\u0000${key}`;
    if (!this.keys.has(id)) this.keys.set(id, line);
  }

  /** Reads a value at `path`; returns the decoded string for string values (array elements are recorded by the caller). */
  private value(path: readonly string[]): string | undefined {
    this.skipSpaces();
    const text = this.text;
    const c = text[this.pos];
    if (c === '"' || c === "'") return this.stringValue();
    if (c === "[") {
      this.pos++;
      for (;;) {
        this.skipBlank();
        if (this.pos >= text.length) return undefined;
        if (text[this.pos] === "]") {
          this.pos++;
          return undefined;
        }
        if (text[this.pos] === ",") {
          this.pos++;
          continue;
        }
        const line = this.line;
        const start = this.pos;
        const element = this.value(path);
        if (element !== undefined) {
          const id = `${path.join(SEP)}\u0000${element}`;
          if (!this.strings.has(id)) this.strings.set(id, line);
        }
        if (this.pos === start) this.pos++;
      }
    }
    if (c === "{") {
      this.pos++;
      for (;;) {
        this.skipBlank();
        if (this.pos >= text.length) return undefined;
        const d = text[this.pos];
        if (d === "}") {
          this.pos++;
          return undefined;
        }
        if (d === ",") {
          this.pos++;
          continue;
        }
        const line = this.line;
        const parts = this.keyParts();
        if (!parts || parts.length === 0 || text[this.pos] !== "=") {
          // Not a key: step over one character so the scan always advances.
          this.pos++;
          continue;
        }
        this.pos++;
        const inner = [...path, ...parts];
        this.record(inner.slice(0, -1), inner[inner.length - 1] as string, line);
        this.value(inner);
      }
    }
    // A number, boolean or date: up to the next delimiter.
    while (this.pos < text.length && !",]}\n#".includes(text[this.pos] as string)) this.pos++;
    return undefined;
  }

  /** A string in any of the four forms, decoded; the position ends after its closing quote. */
  private stringValue(): string {
    const text = this.text;
    const quote = text[this.pos] as string;
    const multi = text.startsWith(quote.repeat(3), this.pos);
    if (multi) {
      const start = this.pos + 3;
      let end = text.indexOf(quote.repeat(3), start);
      if (end < 0) end = text.length;
      // Up to two quotes may end the content right before the closing delimiter.
      while (text[end + 3] === quote) end++;
      const raw = text.slice(start, end);
      for (let i = raw.indexOf("\n"); i >= 0; i = raw.indexOf("\n", i + 1)) this.line++;
      this.pos = Math.min(text.length, end + 3);
      return quote === '"' ? decodeBasic(raw) : raw;
    }
    const start = this.pos + 1;
    let i = start;
    while (i < text.length && text[i] !== quote && text[i] !== "\n") i += quote === '"' && text[i] === "\\" ? 2 : 1;
    const raw = text.slice(start, Math.min(i, text.length));
    this.pos = text[i] === quote ? i + 1 : i;
    return quote === '"' ? decodeBasic(raw) : raw;
  }

  /** Dotted key parts up to `=` or `]` (the position is left on that character); undefined when none can be read. */
  private keyParts(): string[] | undefined {
    const text = this.text;
    const parts: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = text[this.pos];
      if (c === '"' || c === "'") parts.push(this.stringValue());
      else {
        const start = this.pos;
        while (this.pos < text.length && isBareKeyChar(text.charCodeAt(this.pos))) this.pos++;
        if (this.pos === start) return undefined;
        parts.push(text.slice(start, this.pos));
      }
      this.skipSpaces();
      if (text[this.pos] !== ".") break;
      this.pos++;
    }
    if (text[this.pos] === "]") {
      this.pos++;
      if (text[this.pos] === "]") this.pos++;
    }
    return parts;
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos++;
  }

  /** Spaces, newlines, carriage returns and comments. */
  private skipBlank(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (c === " " || c === "\t" || c === "\r") this.pos++;
      else if (c === "\n") {
        this.pos++;
        this.line++;
      } else if (c === "#") {
        const end = text.indexOf("\n", this.pos);
        this.pos = end < 0 ? text.length : end;
      } else break;
    }
  }

  /** Past the end of the current line (whatever is left on it: a comment, or text the scanner does not read). */
  private skipToLineEnd(): void {
    const end = this.text.indexOf("\n", this.pos);
    if (end < 0) this.pos = this.text.length;
    else {
      this.pos = end + 1;
      this.line++;
    }
  }
}

function isBareKeyChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
}

const ESCAPES: Readonly<Record<string, string>> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", '"': '"', "\\": "\\" };

/** Decodes the escapes of a TOML basic string (`\n`, `\"`, `\uXXXX`, `\UXXXXXXXX`, line-ending backslash). */
function decodeBasic(raw: string): string {
  if (!raw.includes("\\")) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = raw[i + 1] ?? "";
    if (e === "u" || e === "U") {
      const size = e === "u" ? 4 : 8;
      const code = Number.parseInt(raw.slice(i + 2, i + 2 + size), 16);
      if (Number.isFinite(code) && code <= 0x10ffff) out += String.fromCodePoint(code);
      i += 1 + size;
    } else if (e === " " || e === "\t" || e === "\n" || e === "\r") {
      // A line-ending backslash trims the whitespace that follows (multi-line basic strings).
      let j = i + 1;
      while (j < raw.length && " \t\r\n".includes(raw[j] as string)) j++;
      i = j - 1;
    } else {
      out += ESCAPES[e] ?? e;
      i++;
    }
  }
  return out;
}
