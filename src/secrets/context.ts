// Reading the assignment around a value, for keys that have no prefix of their own (they count only when assigned to a
// known variable) and to record which variable a prefixed key is assigned to. Every function here reads a bounded
// window around the position it is given, so the work per candidate does not depend on the size of the text.
//
// Forms understood (NAME is an identifier, VALUE a literal):
//   .env / shell      NAME=VALUE, export NAME="VALUE", NAME='VALUE'
//   YAML / compose    name: VALUE, name: "VALUE", - NAME=VALUE
//   JSON              "name": "VALUE"            (also escaped inside a JSON string: \"name\": \"VALUE\")
//   TOML / INI        name = "VALUE"
//   Python / JS / Go  NAME = "VALUE", name: "VALUE", name="VALUE" (keyword argument), name := "VALUE",
//                     'name' => 'VALUE', os.environ["NAME"] = "VALUE", --flag=VALUE
//   Dockerfile        ENV NAME=VALUE, ARG NAME=VALUE, ENV NAME VALUE
//   Kubernetes / ECS  - name: NAME\n  value: "VALUE"   and   {"name": "NAME", "value": "VALUE"}

const MAX_NAME = 128;
const MAX_GAP = 16;
const WINDOW = 300;

/** Words that make an identifier look like it holds a credential (checked on the normalised name). */
export const CREDENTIAL_WORDS = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "AUTH", "CREDENTIAL"];

/** Upper case, separators (`_`, `-`) removed, last dotted segment: `cohereApiKey`, `COHERE_API_KEY` → COHEREAPIKEY. */
export function normalizeName(name: string): string {
  const dot = name.lastIndexOf(".");
  const last = dot >= 0 ? name.slice(dot + 1) : name;
  let out = "";
  for (let i = 0; i < last.length; i++) {
    const c = last[i] as string;
    if (c !== "_" && c !== "-" && c !== "$") out += c;
  }
  return out.toUpperCase();
}

/** Whether a normalised name looks like it holds a credential (`API_KEY`, `token`, `clientSecret`). */
export function isCredentialName(normalized: string): boolean {
  return CREDENTIAL_WORDS.some((word) => normalized.includes(word));
}

function isNameChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45 || code === 46 || code === 36;
}

function isQuote(c: string | undefined): boolean {
  return c === '"' || c === "'" || c === "`";
}

function isBlank(c: string | undefined): boolean {
  return c === " " || c === "\t";
}

/**
 * The identifier a literal starting at `valueStart` is assigned to, as written (`OPENAI_API_KEY`, `api_key`,
 * `value`), or undefined when the text before it is not an assignment.
 */
export function assignedName(text: string, valueStart: number): string | undefined {
  let i = valueStart - 1;
  if (isQuote(text[i])) {
    i--;
    if (text[i] === "\\") i--;
  }
  const afterGap = i;
  i = skipBlanksBack(text, i);
  const gap = afterGap - i;
  const c = text[i];
  if (c === ">" && text[i - 1] === "=") i -= 2;
  else if (c === "=") {
    i--;
    if (text[i] === ":" || text[i] === "?" || text[i] === "+") i--;
  } else if (c === ":") i--;
  else if (gap > 0) return dockerfileSpaceForm(text, i);
  else return undefined;
  i = skipBlanksBack(text, i);
  if (text[i] === "]") i--;
  if (isQuote(text[i])) {
    i--;
    if (text[i] === "\\") i--;
  }
  return identifierEndingAt(text, i);
}

/** `ENV NAME VALUE` (the Dockerfile form without `=`): the identifier ending at `end`, when the line starts with ENV/ARG. */
function dockerfileSpaceForm(text: string, end: number): string | undefined {
  const name = identifierEndingAt(text, end);
  if (!name) return undefined;
  // Backwards from the name: blanks, the three letters of ENV or ARG, then optional blanks and the line start.
  let i = skipBlanksBack(text, end - name.length);
  const word = text.slice(i - 2, i + 1).toUpperCase();
  if (i === end - name.length || (word !== "ENV" && word !== "ARG")) return undefined;
  i = skipBlanksBack(text, i - 3);
  return i < 0 || text[i] === "\n" ? name : undefined;
}

function skipBlanksBack(text: string, from: number): number {
  let i = from;
  const stop = from - MAX_GAP;
  while (i > stop && isBlank(text[i])) i--;
  return i;
}

/** The identifier whose last character is at `end` (leading `-`, `.` and `$` dropped), or undefined. */
function identifierEndingAt(text: string, end: number): string | undefined {
  let start = end + 1;
  const stop = Math.max(0, end - MAX_NAME);
  while (start > stop && isNameChar(text.charCodeAt(start - 1))) start--;
  if (start > 0 && start === stop && isNameChar(text.charCodeAt(start - 1))) return undefined;
  while (start <= end && (text[start] === "-" || text[start] === "." || text[start] === "$")) start++;
  if (start > end) return undefined;
  return text.slice(start, end + 1);
}

/** The text of the line before `pos` (bounded to `limit` characters). */
export function lineBefore(text: string, pos: number, limit = WINDOW): string {
  let start = pos;
  const stop = Math.max(0, pos - limit);
  while (start > stop && text[start - 1] !== "\n") start--;
  return text.slice(start, pos);
}

/** The text of the line after `pos` (bounded to `limit` characters). */
export function lineAfter(text: string, pos: number, limit = WINDOW): string {
  let end = pos;
  const stop = Math.min(text.length, pos + limit);
  while (end < stop && text[end] !== "\n" && text[end] !== "\r") end++;
  return text.slice(pos, end);
}

/**
 * The text around `[start, end)` where a provider keyword makes a credential-named assignment count: the line itself
 * and the two lines above it (a YAML parent key, a comment), bounded to a few hundred characters each way.
 */
export function nearbyText(text: string, start: number, end: number): string {
  let from = start;
  const stop = Math.max(0, start - WINDOW);
  let newlines = 0;
  while (from > stop) {
    if (text[from - 1] === "\n" && ++newlines > 2) break;
    from--;
  }
  return `${text.slice(from, start)} ${lineAfter(text, end)}`;
}

const NAME_KEY = /(?:^|[^A-Za-z0-9_])["']?name["']?[ \t]*[:=][ \t]*["']?([A-Za-z_][A-Za-z0-9_.-]{0,127})/gi;

/**
 * The variable a value belongs to when it is written as `value:` next to a `name:` (Kubernetes env lists, ECS task
 * definitions, CloudFormation): the last `name` key in the few hundred characters before the value.
 */
export function nameBeforeValue(text: string, valueStart: number): string | undefined {
  const window = text.slice(Math.max(0, valueStart - WINDOW), valueStart);
  let found: string | undefined;
  NAME_KEY.lastIndex = 0;
  for (let m = NAME_KEY.exec(window); m; m = NAME_KEY.exec(window)) found = m[1];
  return found;
}

/** The variable a value is assigned to, resolving the `name`/`value` pair form. */
export function variableFor(text: string, valueStart: number): string | undefined {
  const name = assignedName(text, valueStart);
  if (name === undefined) return undefined;
  if (normalizeName(name) === "VALUE") return nameBeforeValue(text, valueStart);
  return name;
}

/** A literal on the right of an assignment operator. */
export interface AssignedValue {
  start: number;
  end: number;
}

/** Characters a literal value may consist of (keys, tokens, base64 and JWTs). */
export const VALUE_CHARS = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/.=~-") VALUE_CHARS[c.charCodeAt(0)] = 1;

/**
 * How far after its operator's first character a value may start: the operator's second character (`:=`, `=>`), the
 * blanks, and an escaped quote (`\"`).
 */
export const VALUE_GAP = 2 + MAX_GAP + 2;

/** Longest literal value read after an operator. */
export const MAX_VALUE_LENGTH = 4096;

/**
 * Remembers how far a run of value characters is known to extend, so that operators inside one long run
 * (`key=key=key=…`) do not each read it again: every character is read once per text. Use one per text, with
 * increasing positions.
 */
export class ValueRuns {
  private start = -1;
  private frontier = -1;

  /** The end of the run of value characters from `from`, reading at most `limit` characters past `from`. */
  end(text: string, from: number, limit: number): number {
    let i = from;
    if (from >= this.start && from <= this.frontier) i = this.frontier;
    else this.start = from;
    const stop = Math.min(text.length, from + limit);
    while (i < stop) {
      const code = text.charCodeAt(i);
      if (code >= 128 || VALUE_CHARS[code] !== 1) break;
      i++;
    }
    if (i > this.frontier) this.frontier = i;
    return Math.min(i, stop);
  }
}

/**
 * The literal after the assignment operator at `operator` (`=`, `:`, `:=`, `=>`), quoted or not, or undefined when what
 * follows is not one whole literal: a reference (`$X`, `${X}`, `{{ … }}`, `<your-key>`), an expression
 * (`os.environ[…]`, `f(…)`, `a + b`) or text with spaces. An unquoted value must end the line (or meet a comment).
 * Pass the same `runs` for all the operators of one text to keep the scan linear.
 */
export function valueAfter(text: string, operator: number, runs: ValueRuns = new ValueRuns()): AssignedValue | undefined {
  let i = operator + 1;
  if ((text[operator] === "=" && text[i] === ">") || (text[operator] === ":" && text[i] === "=")) i++;
  const stop = i + MAX_GAP;
  while (i < stop && isBlank(text[i])) i++;
  let quote: string | undefined;
  let escaped = false;
  if (text[i] === "\\" && isQuote(text[i + 1])) {
    quote = text[i + 1];
    escaped = true;
    i += 2;
  } else if (isQuote(text[i])) {
    quote = text[i];
    i++;
  }
  const start = i;
  const end = runs.end(text, start, MAX_VALUE_LENGTH + 1);
  if (end === start || end - start > MAX_VALUE_LENGTH) return undefined;
  if (quote !== undefined) {
    if (escaped ? text[end] === "\\" && text[end + 1] === quote : text[end] === quote) return { start, end };
    return undefined;
  }
  const next = text[end];
  if (next === undefined || next === "\n" || next === "\r" || next === " " || next === "\t" || next === "#") return { start, end };
  return undefined;
}
