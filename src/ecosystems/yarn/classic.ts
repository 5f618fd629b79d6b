// Yarn classic (v1) lockfiles: https://classic.yarnpkg.com/en/docs/yarn-lock. Each entry is keyed by the
// descriptors that resolved to it and records `version`, `resolved` (URL, `#<sha1>` fragment for tarballs),
// `integrity` (SRI), `dependencies` and `optionalDependencies`. Workspaces themselves are not listed.
import { isObject, parseAlias } from "../npm/package-json.js";
import { classifyReference, splitDescriptor } from "./descriptor.js";
import { isHex, parseIntegrity } from "../shared/integrity.js";
import type { EntryDependency, LockEntry, ParsedLock } from "./lock-entries.js";
import { descriptorLines } from "./lock-entries.js";
import { parseClassicSyntax } from "./classic-syntax.js";
import { parseSyml } from "./syml.js";
import type { Hash } from "../../graph/package-node.js";

/** The header yarn classic writes; @yarnpkg/parsers picks its v1 grammar only when the file starts with it. */
export const CLASSIC_HEADER = "# yarn lockfile v1";

/** Parses a classic yarn.lock. Throws a one-line Error on a syntax error. */
export function parseClassic(text: string): ParsedLock {
  // The fast reader handles the layout yarn writes; anything else goes to yarn's own grammar.
  let data = parseClassicSyntax(text);
  if (data === undefined) {
    try {
      // Prepending the header makes the parser use the v1 grammar even when the file lacks it or starts with blank
      // lines; comments are allowed anywhere, so a second header is harmless.
      data = parseSyml(`${CLASSIC_HEADER}\n${text}`) as Record<string, unknown>;
    } catch (error) {
      throw new Error(syntaxMessage(error));
    }
  }
  const lines = descriptorLines(text);
  // The v1 parser stores a multi-descriptor key once per descriptor, all pointing at the same object.
  const grouped = new Map<object, string[]>();
  const skipped: string[] = [];
  for (const [descriptor, value] of Object.entries(data)) {
    if (!isObject(value)) {
      skipped.push(`${descriptor}: not an entry`);
      continue;
    }
    const list = grouped.get(value);
    if (list) list.push(descriptor);
    else grouped.set(value, [descriptor]);
  }
  const entries: LockEntry[] = [];
  for (const [value, descriptors] of grouped) {
    const entry = classicEntry(value as Record<string, unknown>, descriptors, lines);
    if (typeof entry === "string") skipped.push(entry);
    else entries.push(entry);
  }
  return { flavour: "classic", entries, skipped };
}

function classicEntry(value: Record<string, unknown>, descriptors: string[], lines: Map<string, number>): LockEntry | string {
  const first = descriptors[0] as string;
  const parsed = splitDescriptor(first);
  if (!parsed) return `${first}: not a name@range key`;
  const version = value.version;
  if (typeof version !== "string" || version === "") return `${first}: no version`;
  const alias = parseAlias(parsed.range);
  const range = alias ? alias.range : parsed.range;
  const resolved = typeof value.resolved === "string" ? value.resolved : undefined;
  const info = classifyReference(range, resolved);
  const hashes: Hash[] = typeof value.integrity === "string" ? parseIntegrity(value.integrity) : [];
  // Tarball URLs carry the sha1 of the tarball as their fragment; for git URLs the fragment is a commit instead.
  if (resolved && info.source !== "git") {
    const hash = resolved.lastIndexOf("#");
    const fragment = hash < 0 ? "" : resolved.slice(hash + 1);
    if (fragment.length === 40 && isHex(fragment)) hashes.push({ algorithm: "sha1", value: fragment.toLowerCase() });
  }
  const line = descriptors.map((d) => lines.get(d)).filter((l): l is number => l !== undefined).sort((a, b) => a - b)[0];
  return {
    descriptors,
    name: alias ? alias.name : parsed.name,
    version,
    source: info.source,
    ...(info.resolved !== undefined ? { resolved: info.resolved } : {}),
    hashes,
    ...(line !== undefined ? { line } : {}),
    dependencies: [...dependencyList(value.dependencies, "prod"), ...dependencyList(value.optionalDependencies, "optional")],
  };
}

function dependencyList(section: unknown, kind: EntryDependency["kind"]): EntryDependency[] {
  if (!isObject(section)) return [];
  const out: EntryDependency[] = [];
  for (const [name, range] of Object.entries(section)) if (typeof range === "string") out.push({ name, range, kind });
  return out;
}

/** A one-line message for a parser error, with the line in the original file (the header we added is line 1). */
function syntaxMessage(error: unknown): string {
  const err = error as { message?: string; location?: { start?: { line?: number; column?: number } } };
  const message = (err.message ?? String(error)).split("\n")[0] as string;
  const start = err.location?.start;
  if (start?.line !== undefined) return `invalid yarn.lock (classic) at line ${Math.max(1, start.line - 1)}, column ${start.column ?? 0}: ${message}`;
  return `invalid yarn.lock (classic): ${message}`;
}
