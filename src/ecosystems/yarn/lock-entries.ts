import type { Hash, SourceKind } from "../../graph/package-node.js";

/** One dependency an entry (or a workspace) declares, to be resolved through the descriptor map. */
export interface EntryDependency {
  name: string;
  range: string;
  kind: "prod" | "optional";
}

/** One lockfile entry, normalised across classic and berry. */
export interface LockEntry {
  /** Every descriptor the entry is keyed by (`lodash@^4.17.0`, `lodash@npm:^4.17.21`). */
  descriptors: string[];
  /** The real package name (for aliases, the aliased package). */
  name: string;
  version: string;
  source: SourceKind;
  resolved?: string;
  hashes: Hash[];
  /** 1-based line of the entry's key. */
  line?: number;
  dependencies: EntryDependency[];
  /** Berry `workspace:` entries: the workspace folder relative to the project ("." for the root). */
  workspacePath?: string;
  /** Berry: the entry's locator (`resolution`), which relative descriptors of its dependencies are bound to. */
  locator?: string;
}

/** What a format parser hands to the graph builder. */
export interface ParsedLock {
  flavour: "classic" | "berry";
  entries: LockEntry[];
  /** Entries skipped because a required field was missing or malformed, with a short description each. */
  skipped: string[];
  /** Berry `__metadata.cacheKey`, for the checksum prefix. */
  cacheKey?: string;
}

/**
 * Maps each top-level key of a yarn.lock to the 1-based line it starts on, one descriptor at a time. Keys are the
 * unindented lines ending in `:`; a key lists one or more descriptors separated by commas, each possibly quoted
 * (classic: `"a@^1", "a@^1.1":`; berry: `"a@npm:^1, a@npm:^1.1":`). One linear pass over the text.
 */
export function descriptorLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    const first = line.charCodeAt(0);
    // Unindented, not a comment, ending in ':' (classic also allows `key:` followed by nothing else).
    if (line.length > 1 && first !== 32 && first !== 9 && first !== 35 && line.endsWith(":")) {
      for (const descriptor of splitKey(line.slice(0, -1))) if (!lines.has(descriptor)) lines.set(descriptor, lineNo);
    }
    start = end + 1;
  }
  return lines;
}

/** Splits a (possibly partly quoted) key into its descriptors. */
export function splitKey(key: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < key.length; i++) {
    const ch = key[i] as string;
    if (ch === "\\" && quoted && i + 1 < key.length) {
      current += key[++i];
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === "," && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  // Berry quotes the whole list once, so a quoted part may itself hold commas.
  return parts.flatMap((p) => p.split(",")).map((p) => p.trim()).filter((p) => p !== "");
}
