// TOML helpers shared by the pyproject.toml, poetry.lock and uv.lock readers: one place that turns smol-toml's
// multi-line errors into one-line reasons and that narrows `unknown` values field by field.
import { parse, TomlError } from "smol-toml";
import type { Hash } from "../../graph/package-node.js";
import { stripBom } from "../shared/text.js";

/** A TOML table as smol-toml returns it. */
export type TomlTable = Record<string, unknown>;

/** The outcome of parsing a TOML document: the top-level table, or a one-line reason. */
export type TomlResult = { ok: true; data: TomlTable } | { ok: false; reason: string };

/**
 * Parses a TOML document (https://toml.io/en/v1.0.0) without throwing. The reason names the line and column and
 * keeps only the first line of the parser's message (its code excerpt would break the one-line contract).
 */
export function parseToml(text: string): TomlResult {
  try {
    return { ok: true, data: parse(stripBom(text)) as TomlTable };
  } catch (error) {
    if (error instanceof TomlError) {
      const message = (error.message.split("\n")[0] ?? "").replace(/^Invalid TOML document: /, "");
      return { ok: false, reason: `invalid TOML at line ${error.line}, column ${error.column}: ${message}` };
    }
    return { ok: false, reason: `invalid TOML: ${String((error as Error)?.message ?? error).split("\n")[0]}` };
  }
}

/** True for a TOML table (an object that is neither an array nor a date). */
export function isTable(value: unknown): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The value as a table, or undefined. */
export function asTable(value: unknown): TomlTable | undefined {
  return isTable(value) ? value : undefined;
}

/** The value as a string, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The value as an array, or undefined. */
export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The strings of an array value (other items dropped); empty when the value is not an array. */
export function stringItems(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Follows a dotted path of table keys (`["tool", "poetry", "dependencies"]`). */
export function tableAt(root: TomlTable, path: readonly string[]): TomlTable | undefined {
  let current: TomlTable | undefined = root;
  for (const key of path) {
    current = asTable(current?.[key]);
    if (!current) return undefined;
  }
  return current;
}

/**
 * 1-based line numbers of every line that opens the given array-of-tables header (`[[package]]`), in order. TOML
 * keeps array elements in file order, so the n-th header is the n-th element. A header inside a multi-line string
 * would shift the count; callers compare the count with the array length and drop lines on a mismatch.
 */
export function headerLines(text: string, header: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf("\n", start);
    const stop = end < 0 ? text.length : end;
    let i = start;
    while (i < stop && (text[i] === " " || text[i] === "\t")) i++;
    if (text.startsWith(header, i)) {
      const rest = text.slice(i + header.length, stop).trim();
      if (rest === "" || rest.startsWith("#")) lines.push(line);
    }
    if (end < 0) break;
    start = end + 1;
    line++;
  }
  return lines;
}

/** Parses an `algorithm:hex` digest as poetry and uv write it (`sha256:3f…`). */
export function parseHash(text: unknown): Hash | undefined {
  if (typeof text !== "string") return undefined;
  const colon = text.indexOf(":");
  if (colon <= 0 || colon === text.length - 1) return undefined;
  return { algorithm: text.slice(0, colon).toLowerCase(), value: text.slice(colon + 1) };
}
