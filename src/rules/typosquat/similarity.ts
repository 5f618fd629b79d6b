// String similarity for the typosquat rule: the one edit that separates two names, and an index that finds every
// indexed key within one edit of a query in O(length) map lookups instead of comparing against every key.
//
// Distance is the optimal-string-alignment form of Damerau-Levenshtein restricted to 1: one inserted, deleted or
// substituted character, or two adjacent characters swapped. The index is the "symmetric delete" scheme
// (https://github.com/wolfgarbe/SymSpell): two strings are within one such edit only if they share a string obtained
// by deleting at most one character from each, so every key is stored under (the hashes of) itself and its
// one-character deletions, and a query looks up its own. The lookup may return keys two edits away (`abc`/`bca` share
// `bc`) or hash collisions, so hits are verified with {@link singleEdit}.

/** How a candidate differs from the name it resembles, read as "candidate = target with …". */
export type EditKind = "insertion" | "deletion" | "substitution" | "transposition";

/**
 * The single edit that turns `target` into `candidate`, or undefined when they are equal or more than one edit apart.
 * Linear in the length of the names.
 */
export function singleEdit(candidate: string, target: string): EditKind | undefined {
  const lengthGap = candidate.length - target.length;
  if (lengthGap > 1 || lengthGap < -1) return undefined;
  let i = 0;
  const shorter = Math.min(candidate.length, target.length);
  while (i < shorter && candidate.charCodeAt(i) === target.charCodeAt(i)) i++;
  if (lengthGap === 1) return candidate.slice(i + 1) === target.slice(i) ? "insertion" : undefined;
  if (lengthGap === -1) return candidate.slice(i) === target.slice(i + 1) ? "deletion" : undefined;
  if (i === candidate.length) return undefined;
  if (candidate.slice(i + 1) === target.slice(i + 1)) return "substitution";
  if (candidate[i] === target[i + 1] && candidate[i + 1] === target[i] && candidate.slice(i + 2) === target.slice(i + 2)) {
    return "transposition";
  }
  return undefined;
}

/**
 * Hashes of `key` and of every distinct string one character deletion away from it, computed without building those
 * strings (a polynomial hash with prefix and suffix sums, modulo 2^32). Building tens of thousands of short strings
 * and hashing them again costs tens of milliseconds; integer keys cost a few. Collisions only add candidates that the
 * caller verifies anyway. Fills and returns `out` (a scratch array the caller may reuse).
 */
export function deletionHashes(key: string, out: number[] = []): number[] {
  const n = key.length;
  out.length = 0;
  // prefix[i] = hash of key[0..i); the whole key's hash is the last one.
  const prefix = prefixBuffer(n + 1);
  prefix[0] = 0;
  for (let i = 0; i < n; i++) prefix[i + 1] = (Math.imul(prefix[i] as number, BASE) + key.charCodeAt(i)) | 0;
  out.push(finish(prefix[n] as number, n));
  // Walking back from the end: suffix = hash of key[i+1..n), power = BASE^(n-1-i).
  let suffix = 0;
  let power = 1;
  for (let i = n - 1; i >= 0; i--) {
    // Deleting either letter of a run (`ll`) gives the same string: keep only the last of the run.
    if (i + 1 >= n || key.charCodeAt(i) !== key.charCodeAt(i + 1)) {
      out.push(finish((Math.imul(prefix[i] as number, power) + suffix) | 0, n - 1));
    }
    suffix = (Math.imul(key.charCodeAt(i), power) + suffix) | 0;
    power = Math.imul(power, BASE);
  }
  return out;
}

let prefixes = new Int32Array(64);

function prefixBuffer(length: number): Int32Array {
  if (prefixes.length < length) prefixes = new Int32Array(length * 2);
  return prefixes;
}

const BASE = 0x01000193;

/**
 * Mixes the length in, so strings of different lengths rarely share a hash, and keeps 30 bits: small integers are
 * stored unboxed, where larger numbers would make every Map key a heap allocation.
 */
function finish(hash: number, length: number): number {
  return Math.imul(hash ^ length, 0x9e3779b1) & 0x3fffffff;
}

/** One indexed key and what it stands for. */
export interface IndexEntry<T> {
  key: string;
  value: T;
}

/**
 * Keys with values, searchable for every key at most one edit from a query. A chained hash table over typed arrays
 * (pair hashes, pair owners, bucket heads, next links): indexing ~40,000 deletion hashes then allocates a handful of
 * arrays instead of one small array per hash, which matters most on a cold start, before the JIT has warmed up.
 */
export class NeighbourIndex<T> {
  private readonly entries: Array<IndexEntry<T>> = [];
  /** Per (hash, entry) pair, in insertion order: the hash and the entry's position. */
  private pairHashes = new Int32Array(1024);
  private pairEntries = new Int32Array(1024);
  private pairs = 0;
  private table: { mask: number; heads: Int32Array; next: Int32Array } | undefined;
  private readonly scratch: number[] = [];

  /** Adds a key; the same key may carry several values. */
  add(key: string, value: T): void {
    const position = this.entries.length;
    this.entries.push({ key, value });
    const hashes = deletionHashes(key, this.scratch);
    if (this.pairs + hashes.length > this.pairHashes.length) this.grow(this.pairs + hashes.length);
    for (let i = 0; i < hashes.length; i++) {
      this.pairHashes[this.pairs] = hashes[i] as number;
      this.pairEntries[this.pairs++] = position;
    }
    this.table = undefined;
  }

  /**
   * Entries whose key equals `key` (edit undefined) or is exactly one edit from it, each once. The edit is read as
   * "query = entry key with …", so an `insertion` means the query has one character more.
   */
  near(key: string): Array<IndexEntry<T> & { edit: EditKind | undefined }> {
    const table = (this.table ??= this.buildTable());
    const seen = new Set<number>();
    const out: Array<IndexEntry<T> & { edit: EditKind | undefined }> = [];
    for (const hash of deletionHashes(key)) {
      for (let pair = table.heads[hash & table.mask] as number; pair >= 0; pair = table.next[pair] as number) {
        if (this.pairHashes[pair] !== hash) continue;
        const position = this.pairEntries[pair] as number;
        if (seen.has(position)) continue;
        seen.add(position);
        const entry = this.entries[position] as IndexEntry<T>;
        if (entry.key === key) {
          out.push({ ...entry, edit: undefined });
          continue;
        }
        const edit = singleEdit(key, entry.key);
        if (edit) out.push({ ...entry, edit });
      }
    }
    return out;
  }

  private grow(needed: number): void {
    let size = this.pairHashes.length * 2;
    while (size < needed) size *= 2;
    const hashes = new Int32Array(size);
    hashes.set(this.pairHashes);
    const entries = new Int32Array(size);
    entries.set(this.pairEntries);
    this.pairHashes = hashes;
    this.pairEntries = entries;
  }

  private buildTable(): { mask: number; heads: Int32Array; next: Int32Array } {
    const count = this.pairs;
    let size = 16;
    while (size < count * 2) size *= 2;
    const mask = size - 1;
    const heads = new Int32Array(size).fill(-1);
    const next = new Int32Array(count);
    for (let pair = 0; pair < count; pair++) {
      const slot = (this.pairHashes[pair] as number) & mask;
      next[pair] = heads[slot] as number;
      heads[slot] = pair;
    }
    return { mask, heads, next };
  }
}

/** Neighbours of each key on a QWERTY keyboard (letters and digits). */
const QWERTY_NEIGHBOURS: Readonly<Record<string, string>> = {
  "1": "2q", "2": "13qw", "3": "24we", "4": "35er", "5": "46rt", "6": "57ty", "7": "68yu", "8": "79ui", "9": "80io", "0": "9op",
  q: "12wa", w: "23qeas", e: "34wrsd", r: "45etdf", t: "56ryfg", y: "67tugh", u: "78yihj", i: "89uojk", o: "90ipkl", p: "0ol",
  a: "qwsz", s: "weadzx", d: "ersfxc", f: "rtdgcv", g: "tyfhvb", h: "yugjbn", j: "uihknm", k: "iojlm", l: "opk",
  z: "asx", x: "sdzc", c: "dfxv", v: "fgcb", b: "ghvn", n: "hjbm", m: "jkn",
};

/** Characters that read alike (`1` for `l`, `0` for `o`), each pair once. */
const LOOKALIKE_PAIRS = new Set(["0o", "1l", "1i", "il", "5s", "3e", "4a", "9g", "2z", "7t", "8b"]);

/**
 * Whether `candidate` reads as a slip of the keyboard for `target`, one edit apart (`edit` from {@link singleEdit}).
 * Short names are dense: any letter changed, added or dropped at either end of `weave` or `openai` gives another
 * real name (`weaver`, `openag`, `openi`), so for them only the typos people actually make count:
 * - substitution: a QWERTY neighbour (`oprnai`) or a character that reads alike (`1` for `l`);
 * - insertion: a doubled neighbour anywhere (`numpyy`), or inside the name a neighbour's QWERTY neighbour or a letter of
 *   the name typed early or late (`opeanai`);
 * - deletion: inside the name (`litelm`), or one letter of a double (`expres`), not another first or last character;
 * - transposition: always (`openia`).
 */
export function plausibleSlip(candidate: string, target: string, edit: EditKind): boolean {
  let i = 0;
  while (i < candidate.length && i < target.length && candidate[i] === target[i]) i++;
  switch (edit) {
    case "transposition":
      return true;
    case "substitution":
      return plausibleSubstitution(candidate[i] ?? "", target[i] ?? "");
    case "deletion":
      // A letter of a double dropped (`expres`) is a slip wherever it sits.
      return (i > 0 && i < target.length - 1) || target[i] === target[i - 1] || target[i] === target[i + 1];
    case "insertion": {
      const typed = candidate[i] ?? "";
      const before = candidate[i - 1] ?? "";
      const after = candidate[i + 1] ?? "";
      if (typed === before || typed === after) return true;
      if (i === 0 || i === candidate.length - 1) return false;
      if (QWERTY_NEIGHBOURS[before]?.includes(typed) || QWERTY_NEIGHBOURS[after]?.includes(typed)) return true;
      return target.slice(Math.max(0, i - 2), i + 2).includes(typed);
    }
  }
}

/** Whether typing `typed` for `meant` is a QWERTY neighbour (a fat finger) or a character that reads alike. */
export function plausibleSubstitution(typed: string, meant: string): boolean {
  if (QWERTY_NEIGHBOURS[meant]?.includes(typed)) return true;
  return LOOKALIKE_PAIRS.has(typed < meant ? typed + meant : meant + typed);
}
