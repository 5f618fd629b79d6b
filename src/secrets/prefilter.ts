// The host side of the secret scan's prefilter (./wasm/prefilter.ts, compiled to WebAssembly): lays out the tables
// the module reads, built from the compiled detectors (DetectorSet.prefilterPlan), and gives the file reader an input
// area inside the module's memory, so a file is read straight into it and never copied. A file the prefilter clears
// holds nothing the detectors would find, and is neither decoded nor searched: on a source tree that is most of the
// bytes, and the scan then costs little more than reading them.
//
// The module is compiled once per thread. When it cannot be loaded (a build without the .wasm file), there is no
// prefilter and every file goes through the detectors, which find the same things more slowly.
import { readFileSync } from "node:fs";
import type { FileKind } from "./file-kinds.js";
import type { CharClass } from "./pattern.js";

/** What the prefilter checks, from the compiled detectors (see the module's header comment). */
export interface PrefilterPlan {
  rules: PrefilterRule[];
  /** Present when some detector reads values assigned to credential-named variables. */
  assignments?: {
    /** Lowercase words an identifier ends in (matched in any case). */
    words: readonly string[];
    valueChars: CharClass;
    shortestValue: number;
    longestValue: number;
    /** How far after an operator its value may start (the second operator character, blanks, an escaped quote). */
    valueGap: number;
    /** The words whose presence makes a (normalised) name credential-like, upper case. */
    credentialWords: readonly string[];
    /** The variables some detector reads by name (normalised), and the lengths of those detectors' values. */
    named: { names: readonly string[]; shortest: number; longest: number };
    /** The detectors that read any credential-like name with a keyword in it or near: lengths and keywords. */
    keyword: { shortest: number; longest: number; names: readonly string[]; lines: readonly string[] };
  };
}

/** One literal a token starts with (or an anchor inside it), and the cheap checks of the detector it belongs to. */
export interface PrefilterRule {
  literal: string;
  /** Index in the literal of the byte it is found at (the separator after a head such as `sk-`, else 0). */
  trigger: number;
  refusedBefore: CharClass;
  bodyChars: CharClass;
  shortestBody: number;
  longestBody: number;
  /** The literal alone is enough (anchors, PEM blocks: their checks are not repeated here). */
  literalSuffices: boolean;
}

/** The kinds of file whose text is needed whatever the prefilter says: notebooks are scanned cell by cell, env files parsed. */
export function prefilterApplies(kind: FileKind): boolean {
  return kind !== "notebook" && kind !== "env" && kind !== "env-template";
}

/** The part of the WebAssembly API used here (TypeScript's ES libraries do not declare it, and Node 20 has it all). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

interface PrefilterExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  tablesBase(): number;
  configure(header: number, flags: number): void;
  mayHold(text: number, length: number): number;
  hasNul(text: number, length: number, probe: number): number;
  verdict(text: number, length: number, probe: number): number;
}

const PAGE = 65536;
const RULE_BYTES = 32;
const SLACK = 128;

let compiled: object | null | undefined;

/** The compiled module, or null when it cannot be loaded (then every file is searched). */
function prefilterModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(readFileSync(new URL("./wasm/prefilter.wasm", import.meta.url)));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * The compiled module, for worker threads: a WebAssembly.Module crosses to a thread in its start data without being
 * compiled again there (see usePrefilterModule).
 */
export function prefilterModuleForWorkers(): object | null {
  return prefilterModule();
}

/** On a worker thread: uses the module compiled by the thread that started it. */
export function usePrefilterModule(module: object | null): void {
  if (compiled === undefined) compiled = module;
}

/** A prefilter instance with its tables written: one per thread and detector set. */
export class Prefilter {
  private readonly exports: PrefilterExports;
  /** Where the input area starts (after the tables, 16-aligned). */
  private readonly input: number;
  private view: Uint8Array;
  /**
   * The view's length, kept as a number: V8 reads `byteLength` of a view on WebAssembly memory slowly (the memory may
   * have grown under it), about a microsecond, and it is asked for every file.
   */
  private viewBytes: number;

  private constructor(exports: PrefilterExports, input: number) {
    this.exports = exports;
    this.input = input;
    this.view = new Uint8Array(exports.memory.buffer, input);
    this.viewBytes = this.view.byteLength;
  }

  /** The prefilter for a plan, or undefined when the module cannot be loaded or the plan does not fit its tables. */
  static create(plan: PrefilterPlan): Prefilter | undefined {
    const module = prefilterModule();
    if (!module) return undefined;
    const exports = new WebAssembly.Instance(module, {}).exports as unknown as PrefilterExports;
    const tables = layout(plan, exports.tablesBase());
    if (!tables) return undefined;
    const needed = tables.end + SLACK + PAGE;
    const memory = exports.memory;
    if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
    new Uint8Array(memory.buffer).set(tables.bytes, tables.start);
    exports.configure(tables.header, tables.flags);
    return new Prefilter(exports, tables.end);
  }

  /** How many bytes the input area holds without growing. */
  get room(): number {
    return this.viewBytes - SLACK;
  }

  /**
   * A view of the input area with room for `size` bytes (the memory grows as needed, keeping what the area holds;
   * earlier views may then be empty).
   */
  area(size: number): Uint8Array {
    // Room after the text: the vector search reads up to 128 bytes past its end (and counts them as breaks).
    if (this.viewBytes < size + SLACK) {
      const memory = this.exports.memory;
      memory.grow(Math.ceil((this.input + size + SLACK - memory.buffer.byteLength) / PAGE));
      this.view = new Uint8Array(memory.buffer, this.input);
      this.viewBytes = this.view.byteLength;
    }
    return this.view.subarray(0, size);
  }

  /** Whether the detectors could find anything in `bytes` (read into {@link area}, or copied there). */
  mayHold(bytes: Uint8Array): boolean {
    return this.firstHit(bytes) >= 0;
  }

  /** Whether `bytes` is a view of the input area (read there by {@link area}), so the module can read it as it is. */
  private inPlace(bytes: Uint8Array): boolean {
    return bytes.buffer === this.exports.memory.buffer && bytes.byteOffset === this.input;
  }

  /** Whether a NUL byte is among the first `probe` bytes (see scan-tree.ts isBinary), without a copy when in place. */
  hasNul(bytes: Uint8Array, probe: number): boolean {
    if (!this.inPlace(bytes)) return bytes.subarray(0, probe).indexOf(0) >= 0;
    return this.exports.hasNul(this.input, bytes.length, probe) === 1;
  }

  /**
   * hasNul and mayHold in one call into the module (each call from JavaScript costs about a microsecond, and this is
   * made for every file): "binary" when a NUL byte is among the first `probe` bytes, else whether the detectors could
   * find anything.
   */
  verdict(bytes: Uint8Array, probe: number): "binary" | "clear" | "may-hold" {
    if (!this.inPlace(bytes)) return this.hasNul(bytes, probe) ? "binary" : this.mayHold(bytes) ? "may-hold" : "clear";
    const found = this.exports.verdict(this.input, bytes.length, probe);
    return found < 0 ? "binary" : found === 0 ? "clear" : "may-hold";
  }

  /** The offset of the first byte where the detectors could find something in `bytes`, or -1 (see mayHold). */
  firstHit(bytes: Uint8Array): number {
    if (!this.inPlace(bytes)) this.area(bytes.length).set(bytes);
    return this.exports.mayHold(this.input, bytes.length) - 1;
  }
}

/** Prefilters by detector set, on this thread. */
const instances = new WeakMap<PrefilterPlan, Prefilter | null>();

/** The prefilter of a detector set on this thread, or undefined when there is none. */
export function prefilterFor(plan: PrefilterPlan): Prefilter | undefined {
  let instance = instances.get(plan);
  if (instance === undefined) {
    instance = Prefilter.create(plan) ?? null;
    instances.set(plan, instance);
  }
  return instance ?? undefined;
}

/** At most this many distinct trigger bytes (the module reads their count as one byte); more leaves no prefilter. */
const MAX_TRIGGERS = 255;

/** The tables' bytes, to be written at `start`, and the addresses the module is configured with. */
function layout(plan: PrefilterPlan, start: number): { bytes: Uint8Array; start: number; header: number; flags: number; end: number } | undefined {
  const bytes = new ByteWriter();
  const at = () => start + bytes.length;
  const align = (n: number) => {
    while ((start + bytes.length) % n !== 0) bytes.push(0);
  };
  const word = (value: number) => bytes.word(value);
  const ascii = (text: string): number[] | undefined => {
    const out: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 128) return undefined;
      out.push(code);
    }
    return out;
  };

  // Character classes, each written once.
  const classes = new Map<CharClass, number>();
  const classAt = (set: CharClass): number => {
    let address = classes.get(set);
    if (address === undefined) {
      address = at();
      const flags = new Uint8Array(128);
      for (let c = 0; c < 128; c++) flags[c] = set[c] === 1 ? 1 : 0;
      bytes.append(flags);
      classes.set(set, address);
    }
    return address;
  };

  // Literals, and rules grouped by the byte they are found at.
  const rules: Array<{ trigger: number; literal: number; length: number; index: number; refused: number; body: number; rule: PrefilterRule }> = [];
  for (const rule of plan.rules) {
    const literal = ascii(rule.literal);
    if (!literal || rule.trigger >= literal.length) return undefined; // Never for the shipped detectors: no prefilter then.
    const address = at();
    bytes.append(literal);
    rules.push({ trigger: literal[rule.trigger] as number, literal: address, length: literal.length, index: rule.trigger, refused: classAt(rule.refusedBefore), body: classAt(rule.bodyChars), rule });
  }
  rules.sort((a, b) => a.trigger - b.trigger);
  const assignments = plan.assignments;
  const valueChars = assignments ? classAt(assignments.valueChars) : 0;
  const wordsAddress = at();
  for (const w of assignments?.words ?? []) {
    const encoded = ascii(w.toLowerCase());
    if (!encoded || encoded.length > 255) return undefined;
    bytes.push(encoded.length);
    bytes.append(encoded);
  }
  // The variable checks (see variableQualifies in the module): strings as lists, names in a hash table.
  const list = (strings: readonly string[]): number | undefined => {
    const address = at();
    if (strings.length > 255) return undefined;
    bytes.push(strings.length);
    for (const text of strings) {
      const encoded = ascii(text);
      if (!encoded || encoded.length > 255) return undefined;
      bytes.push(encoded.length);
    bytes.append(encoded);
    }
    return address;
  };
  const keywordNames = list(assignments?.keyword.names ?? []);
  const keywordLines = list(assignments?.keyword.lines ?? []);
  const credentialWords = list(assignments?.credentialWords ?? []);
  const names = assignments?.named.names ?? [];
  const nameAddresses: number[] = [];
  for (const name of names) {
    const encoded = ascii(name);
    if (!encoded || encoded.length > 255) return undefined;
    nameAddresses.push(at());
    bytes.push(encoded.length);
    bytes.append(encoded);
  }
  let slots = 2;
  while (slots < names.length * 2) slots *= 2;
  const table = new Array<number>(slots).fill(0);
  names.forEach((name, n) => {
    let slot = fnv1a(name) & (slots - 1);
    while (table[slot] !== 0) slot = (slot + 1) & (slots - 1);
    table[slot] = nameAddresses[n] as number;
  });
  align(4);
  const namedTable = at();
  for (const address of table) word(address);
  const namesChecked = keywordNames !== undefined && keywordLines !== undefined && credentialWords !== undefined;

  const triggerSet = new Set(rules.map((r) => r.trigger));
  if (assignments) for (const op of "=:>") triggerSet.add(op.charCodeAt(0));
  if (triggerSet.size > MAX_TRIGGERS) return undefined;
  const triggers = at();
  bytes.append([...triggerSet]);

  // Byte pairs (see the module): a rule's trigger is checked only when its pair with a neighbour can start the literal.
  const pairs = new Uint8Array(2 * 8192);
  const setPair = (table: number, first: number, second: number) => {
    const bit = (first << 8) | second;
    pairs[table * 8192 + (bit >> 3)] = (pairs[table * 8192 + (bit >> 3)] ?? 0) | (1 << (bit & 7));
  };
  for (const { rule, trigger } of rules) {
    const literal = rule.literal;
    if (rule.trigger > 0) setPair(0, literal.charCodeAt(rule.trigger - 1), trigger);
    else if (literal.length > 1) setPair(1, trigger, literal.charCodeAt(1));
    else for (let next = 0; next < 256; next++) setPair(1, trigger, next);
  }
  const words = (assignments?.words ?? []).map((w) => w.toLowerCase());
  const letterFlags = (letters: ReadonlySet<number>): Uint8Array => {
    const flags = new Uint8Array(256);
    for (let c = 0; c < 256; c++) flags[c] = letters.has(c) || letters.has(c + 32) ? 1 : 0;
    return flags;
  };
  const endFlags = letterFlags(new Set(words.map((w) => w.charCodeAt(w.length - 1))));
  // The letters before the last (undefined when a word has one letter: then any byte may come before it).
  const beforeEnd = words.every((w) => w.length > 1) ? letterFlags(new Set(words.map((w) => w.charCodeAt(w.length - 2)))) : undefined;
  const vectors = vectorSearch(plan, rules.map((r) => r.rule), endFlags, beforeEnd);
  align(16);
  const vectorAddress = at();
  bytes.append(vectors.tables);
  const pairsAddress = at();
  bytes.append(pairs);
  const wordEnds = at();
  bytes.append(endFlags);

  align(4);
  const starts = at();
  for (let c = 0; c < 256; c++) word(firstIndex(rules, c));
  const ends = at();
  for (let c = 0; c < 256; c++) word(firstIndex(rules, c + 1));
  const rulesAddress = at();
  for (const r of rules) {
    for (const value of [r.literal, r.length, r.index, r.refused, r.body, r.rule.shortestBody, r.rule.longestBody, r.rule.literalSuffices ? 1 : 0]) word(value);
  }
  if (bytes.length - (rulesAddress - start) !== rules.length * RULE_BYTES) return undefined;
  const header = at();
  for (const value of [triggerSet.size, triggers, starts, ends, rulesAddress, assignments ? 1 : 0, valueChars, assignments?.shortestValue ?? 0, assignments?.longestValue ?? 0, wordsAddress, assignments?.words.length ?? 0, pairsAddress, wordEnds, vectorAddress,
    vectors.headClasses, vectors.plainClasses, vectors.operatorClasses, vectors.headRun, vectors.plainRun, assignments?.valueGap ?? 0,
    namesChecked ? 1 : 0, namedTable, names.length > 0 ? slots - 1 : 0, assignments?.named.shortest ?? 0, assignments?.named.longest ?? 0,
    assignments?.keyword.shortest ?? 0, assignments?.keyword.longest ?? 0, keywordNames ?? 0, keywordLines ?? 0, credentialWords ?? 0,
    vectors.wordEndClasses | (vectors.skipClasses << 8) | (vectors.beforeEndClasses << 16)]) word(value);
  const flags = at();
  bytes.append(new Uint8Array(256));
  align(16);
  return { bytes: bytes.result(), start, header, flags, end: at() };
}

/**
 * A growing byte buffer for the tables. The layout runs once a thread, in V8's interpreter, so it is written in few
 * calls: byte by byte (a rest-argument array a byte) it took 10 to 20 ms a thread.
 */
class ByteWriter {
  private data = new Uint8Array(32 * 1024);
  length = 0;

  push(value: number): void {
    this.reserve(1);
    this.data[this.length++] = value;
  }

  /** A little-endian 32-bit word. */
  word(value: number): void {
    this.reserve(4);
    this.data[this.length++] = value & 255;
    this.data[this.length++] = (value >>> 8) & 255;
    this.data[this.length++] = (value >>> 16) & 255;
    this.data[this.length++] = (value >>> 24) & 255;
  }

  append(values: ArrayLike<number>): void {
    this.reserve(values.length);
    this.data.set(values, this.length);
    this.length += values.length;
  }

  private reserve(count: number): void {
    if (this.length + count <= this.data.length) return;
    const grown = new Uint8Array(Math.max(this.data.length * 2, this.length + count));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }

  result(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}

/** The vector tables and the group settings of the module's first stage (header words 13 to 19, and 30). */
interface VectorSearch {
  tables: number[];
  headClasses: number;
  plainClasses: number;
  operatorClasses: number;
  headRun: number;
  plainRun: number;
  /**
   * The classes of the last letters of credential words and of the blanks and closers after them (0, 0: none), and of
   * the letters before the last (0: not checked).
   */
  wordEndClasses: number;
  skipClasses: number;
  beforeEndClasses: number;
}

/** What wordEndBefore (in the module) skips between a credential word and its operator: blanks, then closers. */
const BETWEEN_WORD_AND_OPERATOR = [..." \t\"'`]\\"].map((c) => c.charCodeAt(0));

/**
 * The first stage's tables (see the module): classes for the trigger bytes (one bit per byte when there are at most 8,
 * else one per group: looking a byte up by its two nibbles can then admit bytes outside a class, never leave one out),
 * the run characters and the bytes after a literal's first byte (one bit per high nibble: exact for ASCII), and the
 * shortest run each group of triggers needs after it.
 */
function vectorSearch(plan: PrefilterPlan, rules: readonly PrefilterRule[], wordEnds: Uint8Array, beforeEnds: Uint8Array | undefined): VectorSearch {
  const runChars = new Set<number>();
  const addClass = (set: CharClass) => {
    for (let c = 0; c < 128; c++) if (set[c] === 1) runChars.add(c);
  };
  if (plan.assignments) addClass(plan.assignments.valueChars);
  for (const rule of rules) addClass(rule.bodyChars);
  // The run a rule needs after its trigger byte: the rest of its literal, while those are run characters, then the
  // shortest body when the whole literal was (a space in `-----BEGIN ` ends the run there).
  const runAfter = (rule: PrefilterRule): number => {
    let run = 0;
    for (let j = rule.trigger + 1; j < rule.literal.length; j++) {
      if (!runChars.has(rule.literal.charCodeAt(j))) return run;
      run++;
    }
    return rule.literalSuffices ? run : run + rule.shortestBody;
  };
  const heads = new Set<number>();
  const plains = new Set<number>();
  const after = new Set<number>();
  let anyAfter = false;
  let headRun = Infinity;
  let plainRun = Infinity;
  for (const rule of rules) {
    const trigger = rule.literal.charCodeAt(rule.trigger);
    if (rule.trigger > 0) {
      heads.add(trigger);
      headRun = Math.min(headRun, runAfter(rule));
    } else {
      plains.add(trigger);
      plainRun = Math.min(plainRun, runAfter(rule));
      if (rule.literal.length > 1) after.add(rule.literal.charCodeAt(1));
      else anyAfter = true;
    }
  }
  const operators = new Set(plan.assignments ? [..."=:>"].map((c) => c.charCodeAt(0)) : []);
  const triggers = [...new Set([...heads, ...plains, ...operators])];
  const groupBit = (byte: number) => (heads.has(byte) ? 1 : 0) | (plains.has(byte) ? 2 : 0) | (operators.has(byte) ? 4 : 0);
  const bitOf = new Map(triggers.map((byte, k) => [byte, triggers.length <= 8 ? 1 << k : groupBit(byte)]));
  const tables = new Array<number>(128).fill(0);
  const mark = (table: number, byte: number, bit: number) => {
    tables[table * 32 + (byte & 15)] = (tables[table * 32 + (byte & 15)] ?? 0) | bit;
    tables[table * 32 + 16 + (byte >> 4)] = (tables[table * 32 + 16 + (byte >> 4)] ?? 0) | bit;
  };
  for (const [byte, bit] of bitOf) mark(0, byte, bit);
  for (const c of runChars) mark(1, c, 1 << (c >> 4));
  for (let c = 0; c < 256; c++) if (anyAfter || after.has(c)) mark(2, c, 1 << ((c >> 4) & 7));
  const classesOf = (bytes: Set<number>) => [...bytes].reduce((bits, byte) => bits | (bitOf.get(byte) ?? 0), 0);
  const before = operators.size > 0 ? operatorNeighbourClasses(tables, wordEnds, beforeEnds, operators) : { wordEndClasses: 0, skipClasses: 0, beforeEndClasses: 0 };
  return {
    ...before,
    tables,
    headClasses: classesOf(heads),
    plainClasses: classesOf(plains),
    operatorClasses: classesOf(operators),
    headRun: Number.isFinite(headRun) ? headRun : 0,
    plainRun: Number.isFinite(plainRun) ? plainRun : 0,
  };
}

/**
 * The seventh and eighth tables (entries 96 to 127): classes that tell exactly the last letters of credential words
 * (`wordEnds`), the letters before those (`beforeEnds`, when they fit) and the blanks and closers the module skips
 * between such a word and its operator. A class is a set of high nibbles sharing one set of low nibbles, so a lookup by
 * both nibbles admits no other byte. The first stage's filter is sound only if no byte is both a last letter and
 * skipped and no operator is skipped: when the eight classes do not suffice, or the sets meet, it gets no classes (and
 * keeps every operator).
 */
function operatorNeighbourClasses(tables: number[], wordEnds: Uint8Array, beforeEnds: Uint8Array | undefined, operators: ReadonlySet<number>): { wordEndClasses: number; skipClasses: number; beforeEndClasses: number } {
  const none = { wordEndClasses: 0, skipClasses: 0, beforeEndClasses: 0 };
  const bytesOf = (flags: Uint8Array): number[] => {
    const out: number[] = [];
    for (let c = 0; c < 256; c++) if (flags[c] === 1) out.push(c);
    return out;
  };
  const ends = bytesOf(wordEnds);
  const skips = BETWEEN_WORD_AND_OPERATOR;
  if (ends.length === 0 || ends.some((c) => skips.includes(c) || operators.has(c))) return none;
  // Per set: high nibble → its low nibbles (as a 16-bit mask); high nibbles with the same lows share a class.
  const groups = (bytes: readonly number[]): Map<number, number[]> => {
    const lows = new Map<number, number>();
    for (const c of bytes) lows.set(c >> 4, (lows.get(c >> 4) ?? 0) | (1 << (c & 15)));
    const byLows = new Map<number, number[]>();
    for (const [high, mask] of lows) byLows.set(mask, [...(byLows.get(mask) ?? []), high]);
    return byLows;
  };
  const endGroups = groups(ends);
  const skipGroups = groups(skips);
  if (endGroups.size + skipGroups.size > 8) return none;
  const beforeGroups = beforeEnds ? groups(bytesOf(beforeEnds)) : undefined;
  const checkBefore = beforeGroups !== undefined && endGroups.size + skipGroups.size + beforeGroups.size <= 8;
  let bit = 1;
  const assign = (byLows: Map<number, number[]>): number => {
    let classes = 0;
    for (const [lows, highs] of byLows) {
      for (let low = 0; low < 16; low++) if ((lows >> low) & 1) tables[96 + low] = (tables[96 + low] ?? 0) | bit;
      for (const high of highs) tables[112 + high] = (tables[112 + high] ?? 0) | bit;
      classes |= bit;
      bit <<= 1;
    }
    return classes;
  };
  return { wordEndClasses: assign(endGroups), skipClasses: assign(skipGroups), beforeEndClasses: checkBefore ? assign(beforeGroups) : 0 };
}

/** FNV-1a of an ASCII string, as the module hashes names. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** The index of the first rule (sorted by trigger byte) whose trigger byte is `byte` or more. */
function firstIndex(rules: ReadonlyArray<{ trigger: number }>, byte: number): number {
  let i = 0;
  while (i < rules.length && (rules[i]?.trigger ?? 0) < byte) i++;
  return i;
}
