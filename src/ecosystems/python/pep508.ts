import { normalizeName } from "../../graph/names.js";

/** A parsed PEP 508 dependency specifier, e.g. `litellm[proxy]>=1.40,<2 ; python_version >= "3.9"`. */
export interface Requirement {
  /** PEP 503-normalised name. */
  name: string;
  /** The name as written. */
  rawName: string;
  extras: string[];
  /** Version specifiers without spaces, comma-separated (`>=1.40,<2`); "" when none. */
  specifier: string;
  /** Direct reference (`name @ https://…` or `git+https://…`). */
  url?: string;
  /** Environment marker text after `;`, trimmed. */
  marker?: string;
}

/**
 * Parses one PEP 508 requirement string (https://peps.python.org/pep-0508/). Returns undefined when the text does not
 * start with a valid project name. A hand-written scanner rather than a regular expression: it runs in linear time on
 * any input and tolerates the spacing variations real files contain.
 */
export function parseRequirement(text: string): Requirement | undefined {
  const s = text.trim();
  let i = 0;
  const nameStart = i;
  while (i < s.length && isNameChar(s.charCodeAt(i))) i++;
  // A name ends with a letter or digit: trailing separators belong to what follows.
  while (i > nameStart && !isAlnum(s.charCodeAt(i - 1))) i--;
  const rawName = s.slice(nameStart, i);
  if (rawName === "" || !isAlnum(rawName.charCodeAt(0))) return undefined;
  i = skipSpaces(s, i);

  let extras: string[] = [];
  if (s[i] === "[") {
    const close = s.indexOf("]", i);
    if (close < 0) return undefined;
    extras = s.slice(i + 1, close).split(",").map((e) => normalizeName("pypi", e)).filter(Boolean);
    i = skipSpaces(s, close + 1);
  }

  let url: string | undefined;
  let specifier = "";
  let marker: string | undefined;
  const semicolon = markerStart(s, i);
  let body = (semicolon < 0 ? s.slice(i) : s.slice(i, semicolon)).trim();
  if (semicolon >= 0) marker = s.slice(semicolon + 1).trim() || undefined;

  if (body.startsWith("@")) {
    url = body.slice(1).trim();
    body = "";
  } else if (body.startsWith("(") && body.endsWith(")")) {
    body = body.slice(1, -1);
  }
  specifier = body.replace(/\s+/g, "");
  return {
    name: normalizeName("pypi", rawName),
    rawName,
    extras,
    specifier,
    ...(url !== undefined ? { url } : {}),
    ...(marker !== undefined ? { marker } : {}),
  };
}

/** The version a specifier pins exactly (`==1.2.3` or `===1.2.3`), or undefined for ranges and wildcards. */
export function exactVersion(specifier: string): string | undefined {
  if (specifier.includes(",")) return undefined;
  const match = /^===?([^=<>!~*,\s]+)$/.exec(specifier);
  return match?.[1];
}

/**
 * True for a PEP 440 specifier list as parseRequirement returns it (spaces removed): comma-separated clauses, each an
 * operator and a version (https://packaging.python.org/en/latest/specifications/version-specifiers/). parseRequirement
 * does not check this, and without it a line of prose ("This is a file") would read as a package named "This" with
 * the specifier "isafile". The empty specifier (no constraint) is valid.
 */
export function isValidSpecifier(specifier: string): boolean {
  if (specifier === "") return true;
  // Linear: the operators are fixed strings and the version is one character class up to the end of the clause.
  return specifier.split(",").every((clause) => /^(?:~=|===|==|!=|<=|>=|<|>)[A-Za-z0-9.*+!_-]+$/.test(clause));
}

/** Index of the `;` that starts the marker, or -1. In a URL requirement the marker must follow whitespace. */
function markerStart(s: string, from: number): number {
  const isUrl = s[skipSpaces(s, from)] === "@";
  for (let i = from; i < s.length; i++) {
    if (s[i] !== ";") continue;
    if (!isUrl || i === 0 || s[i - 1] === " " || s[i - 1] === "\t") return i;
  }
  return -1;
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
  return i;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isNameChar(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 46 || c === 95;
}
