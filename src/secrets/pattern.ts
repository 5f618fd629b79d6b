// The token language of the secret detectors (data/secret-detectors.json), compiled without regular expressions:
// character classes become 128-entry lookup tables, and a token's structure (runs of a class with length bounds,
// literals, optional groups) is checked by a set-of-positions simulation that is linear in the token length. Every
// token is bounded (the sum of its parts' maximum lengths), so matching never depends on the size of the scanned text.

/** A character class written like the inside of a regex class: `A-Za-z0-9_-` (ranges and single ASCII characters). */
export type CharClass = Uint8Array;

/** One part of a token as written in the data file. */
export type SegmentSpec =
  | { chars: string; length?: number; min?: number; max?: number }
  | { literal: string }
  | { optional: SegmentSpec[] };

/** One compiled part of a token. */
export type Segment =
  | { kind: "run"; set: CharClass; min: number; max: number }
  | { kind: "literal"; text: string }
  | { kind: "optional"; parts: Segment[] };

/** A compiled token body: its parts, the union of their characters, and the length bounds. */
export interface Body {
  parts: Segment[];
  /** Every character any part may contain: a token is read as the longest run of these. */
  chars: CharClass;
  minLength: number;
  maxLength: number;
}

/** Compiles `A-Za-z0-9_-` into a lookup table. Throws on non-ASCII characters and reversed ranges. */
export function charClass(spec: string): CharClass {
  const set = new Uint8Array(128);
  for (let i = 0; i < spec.length; i++) {
    const from = spec.charCodeAt(i);
    if (from >= 128) throw new Error(`character class "${spec}" must be ASCII`);
    if (spec[i + 1] === "-" && i + 2 < spec.length) {
      const to = spec.charCodeAt(i + 2);
      if (to >= 128 || to < from) throw new Error(`character class "${spec}" has a bad range at ${i}`);
      for (let c = from; c <= to; c++) set[c] = 1;
      i += 2;
    } else {
      set[from] = 1;
    }
  }
  return set;
}

/** Whether a UTF-16 code unit is in the class (everything outside ASCII is not). */
export function inClass(set: CharClass, code: number): boolean {
  return code < 128 && set[code] === 1;
}

/** Compiles the parts of a token body; `label` names the detector in errors. */
export function compileBody(specs: SegmentSpec[], label: string): Body {
  if (specs.length === 0) throw new Error(`${label}: body needs at least one part`);
  const chars = new Uint8Array(128);
  const parts = specs.map((spec, i) => compileSegment(spec, chars, `${label}/body/${i}`));
  const minLength = parts.reduce((sum, part) => sum + minOf(part), 0);
  const maxLength = parts.reduce((sum, part) => sum + maxOf(part), 0);
  if (minLength === 0) throw new Error(`${label}: body can be empty`);
  return { parts, chars, minLength, maxLength };
}

function compileSegment(spec: SegmentSpec, chars: Uint8Array, label: string): Segment {
  if ("literal" in spec) {
    if (typeof spec.literal !== "string" || spec.literal.length === 0) throw new Error(`${label}: literal must be a non-empty string`);
    for (let i = 0; i < spec.literal.length; i++) {
      const code = spec.literal.charCodeAt(i);
      if (code >= 128) throw new Error(`${label}: literal must be ASCII`);
      chars[code] = 1;
    }
    return { kind: "literal", text: spec.literal };
  }
  if ("optional" in spec) {
    if (!Array.isArray(spec.optional) || spec.optional.length === 0) throw new Error(`${label}: optional must list parts`);
    return { kind: "optional", parts: spec.optional.map((s, i) => compileSegment(s, chars, `${label}/optional/${i}`)) };
  }
  if (typeof spec.chars !== "string" || spec.chars.length === 0) throw new Error(`${label}: chars must be a character class`);
  const set = charClass(spec.chars);
  for (let c = 0; c < 128; c++) if (set[c] === 1) chars[c] = 1;
  const min = spec.length ?? spec.min;
  const max = spec.length ?? spec.max;
  if (!isCount(min) || !isCount(max) || min > max || max === 0) throw new Error(`${label}: needs length, or min <= max (max >= 1)`);
  if (spec.length !== undefined && (spec.min !== undefined || spec.max !== undefined)) throw new Error(`${label}: length excludes min/max`);
  return { kind: "run", set, min, max };
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 100_000;
}

function minOf(segment: Segment): number {
  if (segment.kind === "literal") return segment.text.length;
  if (segment.kind === "run") return segment.min;
  return 0;
}

function maxOf(segment: Segment): number {
  if (segment.kind === "literal") return segment.text.length;
  if (segment.kind === "run") return segment.max;
  return segment.parts.reduce((sum, part) => sum + maxOf(part), 0);
}

/**
 * Length of the run of `set` characters in `text` from `start`, reading at most `limit` characters: a caller that
 * gets `limit` back knows the run is at least that long without having read further.
 */
export function runLength(text: string, start: number, set: CharClass, limit: number): number {
  const end = Math.min(text.length, start + limit);
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code >= 128 || set[code] !== 1) break;
    i++;
  }
  return i - start;
}

/** Whether `token[from, to)` is exactly one instance of the body. Linear in the token length. */
export function matchesBody(body: Body, token: string, from = 0, to = token.length): boolean {
  const length = to - from;
  if (length < body.minLength || length > body.maxLength) return false;
  const only = body.parts.length === 1 ? body.parts[0] : undefined;
  if (only && only.kind === "run") return runLength(token, from, only.set, length) === length;
  // A required literal that is not there at all rules the token out without the simulation (most near misses).
  for (const part of body.parts) if (part.kind === "literal" && !containsWithin(token, part.text, from, to)) return false;
  const start = new Uint8Array(length + 1);
  start[0] = 1;
  return advance(body.parts, token, from, length, start)[length] === 1;
}

/** Whether `literal` occurs inside `text[from, to)` (never reads outside the window). */
function containsWithin(text: string, literal: string, from: number, to: number): boolean {
  for (let p = from; p + literal.length <= to; p++) if (text.startsWith(literal, p)) return true;
  return false;
}

/** The set of positions reachable after the parts, from the set `reach` (offsets relative to `from`). */
function advance(parts: Segment[], token: string, from: number, length: number, start: Uint8Array): Uint8Array {
  let reach: Uint8Array = start;
  for (const part of parts) {
    const next = new Uint8Array(length + 1);
    if (part.kind === "literal") {
      for (let p = 0; p + part.text.length <= length; p++) {
        if (reach[p] === 1 && token.startsWith(part.text, from + p)) next[p + part.text.length] = 1;
      }
    } else if (part.kind === "run") {
      // For each reachable start p the part reaches [p + min, p + min(max, run length at p)]; intervals are summed
      // with a difference array so the whole step stays linear. Run lengths are computed right to left.
      const run = new Int32Array(length + 1);
      for (let p = length - 1; p >= 0; p--) run[p] = inClass(part.set, token.charCodeAt(from + p)) ? (run[p + 1] ?? 0) + 1 : 0;
      const diff = new Int32Array(length + 2);
      for (let p = 0; p <= length; p++) {
        if (reach[p] !== 1) continue;
        const lo = p + part.min;
        const hi = p + Math.min(part.max, run[p] ?? 0);
        if (lo > hi || lo > length) continue;
        diff[lo] = (diff[lo] ?? 0) + 1;
        diff[hi + 1] = (diff[hi + 1] ?? 0) - 1;
      }
      let open = 0;
      for (let p = 0; p <= length; p++) {
        open += diff[p] ?? 0;
        if (open > 0) next[p] = 1;
      }
    } else {
      const through = advance(part.parts, token, from, length, reach);
      for (let p = 0; p <= length; p++) next[p] = reach[p] === 1 || through[p] === 1 ? 1 : 0;
    }
    reach = next;
  }
  return reach;
}
