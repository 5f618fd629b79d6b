// Finds credentials in a text with the detectors of data/secret-detectors.json, in time linear in the text length
// (docs/secret-detectors.md). One pass of one regular expression of linear shape finds two kinds of hit, with bounded
// work at each (one pass: the engine's cost is mostly per character read, so two passes cost nearly twice as much):
// 1. Prefixes: a search for the separators of prefixes with their heads behind them (`-(?<=sk-|xai-|…)`) and for the
//    prefixes without one (`AKIA`, `JQQJ9`). At each hit the token is read as the longest run of the detector's
//    characters, capped at its maximum length, with a boundary on both sides, and checked against the detector's body
//    (pattern.ts), checksum, counts, entropy and placeholder rules.
// 2. Assignments: an operator after an identifier ending in key, token, secret, password or value. The literal after
//    it and the identifier before it are read (context.ts); if the identifier names a variable of a context detector
//    (COHERE_API_KEY, the catalog's names) or a provider keyword is near, the literal is checked against that detector.
//    Literals are checked once the pass is over, as a paired credential (an AWS secret) may come before its partner.
// Matches that overlap keep the most specific detector (shipped over generic, longest prefix, then confidence).
import { hasCounts, hasValidChecksum, shannonEntropy } from "./checks.js";
import { assignedName, isCredentialName, lineAfter, lineBefore, nameBeforeValue, nearbyText, normalizeName, valueAfter, CREDENTIAL_WORDS, VALUE_CHARS, VALUE_GAP, ValueRuns, variableFor } from "./context.js";
import { genericDetectors, loadDetectorDocument, compileDetector } from "./detectors.js";
import type { CompiledDetector, DetectorDocument } from "./detectors.js";
import { inClass, matchesBody, runLength } from "./pattern.js";
import type { CharClass } from "./pattern.js";
import { hasExampleMarker, isExamplePath, isRepeatedUnit, placeholderReason } from "./placeholders.js";
import type { PrefilterPlan } from "./prefilter.js";
import { fingerprintSecret, redact } from "./redact.js";
import type { Confidence, Detector, SecretMatch } from "./types.js";

/** The compiled detectors and the function that runs them. */
export interface DetectorSet {
  /** Every credential in a text (a whole file, or a blob from git history). Pure, linear in the text length. */
  detect(text: string, path: string): SecretMatch[];
  detectors: readonly Detector[];
  /** The cheap first checks of every way `detect` can find something, for the byte-level prefilter (prefilter.ts). */
  readonly prefilterPlan: PrefilterPlan;
}

/** Options for {@link loadDetectors}. */
export interface DetectorOptions {
  /** Provider → environment variable names that hold its credentials (the AI catalog's `env` lists). */
  extraVariableNames?: Record<string, string[]>;
}

const cache = new Map<string, DetectorSet>();

/** Loads and compiles the shipped detectors (data/secret-detectors.json), cached; throws on a broken shipped file. */
export function loadDetectors(options: DetectorOptions = {}): DetectorSet {
  const key = JSON.stringify(Object.entries(options.extraVariableNames ?? {}));
  let set = cache.get(key);
  if (!set) {
    set = buildDetectorSet(loadDetectorDocument(), options);
    if (cache.size >= 16) cache.clear();
    cache.set(key, set);
  }
  return set;
}

/** Compiles a detector document (the shipped one, or a test's) into a set. */
export function buildDetectorSet(document: DetectorDocument, options: DetectorOptions = {}): DetectorSet {
  const shipped = document.detectors.map((spec, i) => compileDetector(spec, i, `detector ${spec.id}`));
  const claimed = new Set<string>();
  for (const d of shipped) for (const v of d.context?.variables ?? []) claimed.add(v);
  const all = [...shipped, ...genericDetectors(options.extraVariableNames ?? {}, claimed, shipped.length)];
  return new Scanner(all);
}

/** One way a literal found by the search can start a token. */
interface LiteralEntry {
  detector: CompiledDetector;
  /** The prefix the token starts with, or the anchor literal. */
  literal: string;
  anchor: boolean;
}

/** A match before overlaps are resolved. */
interface Candidate {
  start: number;
  end: number;
  detector: CompiledDetector;
  prefix: string;
  variable?: string;
}

const CONFIDENCE_RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

/** The words an identifier ends in for the value assigned to it to be read (lowercase; matched in any case). */
const ASSIGNMENT_WORDS = ["key", "token", "secret", "password", "passwd", "value"];

/**
 * An assignment operator (`=`, `:`, `:=`, `=>`) after an identifier ending in a credential word (key, token, secret,
 * password) or `value` (the name/value pair form), closing quotes or a bracket and blanks. Every variable a context
 * detector can list ends in one of these words (isSecretVariableName), so nothing else needs to be looked at. The
 * search stops at operator characters and looks behind (bounded), which is twice as fast on source code as looking
 * for the words, whose letters are everywhere. The words match in any case, spelled out (`[kK][eE][yY]`) because the
 * prefixes searched in the same expression are case-sensitive.
 */
const ASSIGNMENT_SOURCE = `[=:>](?<=(?:${ASSIGNMENT_WORDS.map(anyCase).join("|")})["'\`\\]\\\\]{0,3}[ \\t]{0,16}(?::=|=>|[=:]))`;

/** A regex source matching the ASCII letters of `source` in either case (letters inside groups and quantifiers too). */
function anyCase(source: string): string {
  return source.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);
}

/** How far an example marker may be from a match on its line, each way. */
const EXAMPLE_WINDOW = 160;

/** How far apart a paired credential (an AWS secret and its key id) may be. */
const PAIR_DISTANCE = 1000;

/** The detectors compiled for scanning. */
class Scanner implements DetectorSet {
  readonly detectors: readonly Detector[];
  private plan?: PrefilterPlan;
  private readonly raw: LiteralEntry[];
  private readonly search: LiteralSearch;
  private readonly entries = new Map<string, LiteralEntry[]>();
  /** Literal → the characters that, just before it, every detector it can start refuses (literals that anchor have none). */
  private readonly refusedBefore = new Map<string, CharClass>();
  private readonly byVariable = new Map<string, CompiledDetector[]>();
  private readonly byKeyword: CompiledDetector[] = [];
  private readonly paired: CompiledDetector[] = [];
  private readonly pairedIds = new Set<string>();
  /** The shortest and longest value any detector reached through an assignment can match (none has a prefix). */
  private shortestValue = Infinity;
  private longestValue = 0;

  constructor(compiled: CompiledDetector[]) {
    this.detectors = Object.freeze(compiled.map((d) => d.info));
    const raw: LiteralEntry[] = [];
    for (const detector of compiled) {
      for (const prefix of detector.prefixes) raw.push({ detector, literal: prefix, anchor: false });
      if (detector.anchor) raw.push({ detector, literal: detector.anchor.literal, anchor: true });
      const context = detector.context;
      if (!context || detector.prefixes.length > 0 || detector.anchor) continue;
      this.shortestValue = Math.min(this.shortestValue, detector.body.minLength);
      this.longestValue = Math.max(this.longestValue, detector.body.maxLength);
      for (const variable of context.variables) {
        const list = this.byVariable.get(variable) ?? [];
        list.push(detector);
        this.byVariable.set(variable, list);
      }
      if (context.keywords.length > 0) this.byKeyword.push(detector);
      if (context.pairedWith !== undefined) {
        this.paired.push(detector);
        this.pairedIds.add(context.pairedWith);
      }
    }
    // Every literal maps to all entries whose literal starts it (at a position where a literal matches, its shorter
    // prefixes match too), longest first.
    const literals = [...new Set(raw.map((e) => e.literal))].sort((a, b) => b.length - a.length);
    for (const literal of literals) {
      const list = raw.filter((e) => literal.startsWith(e.literal) && (!e.anchor || e.literal === literal));
      list.sort((a, b) => b.literal.length - a.literal.length || a.detector.order - b.detector.order);
      this.entries.set(literal, list);
      if (list.length > 0 && list.every((e) => !e.anchor)) {
        const refused = new Uint8Array(128).fill(1);
        for (const e of list) for (let code = 0; code < 128; code++) refused[code] = (refused[code] ?? 0) & (e.detector.leftBlocked[code] ?? 0);
        this.refusedBefore.set(literal, refused);
      }
    }
    const assignments = this.byVariable.size > 0 || this.byKeyword.length > 0 || this.paired.length > 0;
    this.search = literalSearch(literals, { assignments });
    this.raw = raw;
  }

  /** Built on first use: only scans that read files through the prefilter need it. */
  get prefilterPlan(): PrefilterPlan {
    const raw = this.raw;
    this.plan ??= {
      // Every literal, found where literalPass finds it: heads at their separator, the others at their first character.
      rules: raw.map(({ detector, literal, anchor }) => ({
        literal,
        trigger: Math.max(0, headLength(literal) - 1),
        refusedBefore: detector.leftBlocked,
        bodyChars: detector.body.chars,
        shortestBody: detector.body.minLength,
        longestBody: detector.body.maxLength,
        literalSuffices: anchor || detector.format === "pem-private-key",
      })),
      ...(this.search.assignments ? { assignments: this.assignmentPlan() } : {}),
    };
    return this.plan;
  }

  /** What the prefilter needs of the assignments tryAssignment and contextDetectors read (see prefilter.ts). */
  private assignmentPlan(): NonNullable<PrefilterPlan["assignments"]> {
    const lengths = (list: readonly CompiledDetector[]) => ({
      shortest: Math.min(...list.map((d) => d.body.minLength)),
      longest: Math.max(...list.map((d) => d.body.maxLength)),
    });
    const named = [...this.byVariable.values()].flat();
    const keywords = this.byKeyword.flatMap((d) => d.context?.keywords ?? []);
    return {
      words: ASSIGNMENT_WORDS,
      valueChars: VALUE_CHARS,
      shortestValue: this.shortestValue,
      longestValue: this.longestValue,
      valueGap: VALUE_GAP,
      credentialWords: CREDENTIAL_WORDS,
      named: { names: [...this.byVariable.keys()], ...(named.length > 0 ? lengths(named) : { shortest: 1, longest: 0 }) },
      // Paired detectors are left out: their partner is a prefixed key, which the prefilter finds on its own.
      keyword: { ...(this.byKeyword.length > 0 ? lengths(this.byKeyword) : { shortest: 1, longest: 0 }), names: keywords.map((k) => k.name), lines: keywords.map((k) => k.line) },
    };
  }

  detect(text: string, path: string): SecretMatch[] {
    const candidates: Candidate[] = [];
    const pairOffsets = new Map<string, number[]>();
    const assignments = this.literalPass(text, candidates, pairOffsets);
    for (let i = 0; i < assignments.length; i += 3) this.tryAssignment(text, assignments[i] as number, assignments[i + 1] as number, assignments[i + 2] as number, candidates, pairOffsets);
    if (candidates.length === 0) return [];
    const example = isExamplePath(path);
    const kept = resolveOverlaps(candidates).filter((c) => keepInContext(text, c, example));
    return toMatches(text, kept);
  }

  /**
   * The one pass over the text: tries the detectors at each prefix found, and returns the assignments found as
   * (operator, value start, value end) triples, to be checked once every prefix is known.
   */
  private literalPass(text: string, out: Candidate[], pairOffsets: Map<string, number[]>): number[] {
    const { regex, heads, plain, assignments: withAssignments } = this.search;
    const assignments: number[] = [];
    const runs = new ValueRuns();
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m; m = regex.exec(text)) {
      const hit = m.index;
      regex.lastIndex = hit + 1;
      const code = text.charCodeAt(hit);
      if (withAssignments && (code === 61 || code === 58 || code === 62)) {
        this.noteAssignment(text, hit, runs, assignments);
        // Heads end with a separator, never an operator; a plain literal could start with one.
        if (!plain.has(text[hit] as string)) continue;
      }
      // A separator can end heads (`sk-`, `gsk_`) and also start a literal (`-----BEGIN `): both are looked at, so
      // which alternative of the regex matched does not matter.
      for (const { head, literals } of heads.get(headKey(text.charCodeAt(hit - 1), code)) ?? []) {
        const at = hit - head.length + 1;
        if (at < 0 || !text.startsWith(head, at)) continue;
        const literal = literals.find((l) => text.startsWith(l, at));
        if (literal !== undefined) this.tryLiteral(text, at, literal, out, pairOffsets);
      }
      const literal = plain.get(text[hit] as string)?.find((l) => text.startsWith(l, hit));
      if (literal !== undefined) this.tryLiteral(text, hit, literal, out, pairOffsets);
    }
    return assignments;
  }

  /**
   * Records the value after the assignment operator at `operator` (as three numbers: the operator, the value's start
   * and end). Operators inside the last value are not looked at (a value can hold `key=` in a URL), and `:=` and `=>`
   * are two operator characters leading to one value.
   */
  private noteAssignment(text: string, operator: number, runs: ValueRuns, assignments: number[]): void {
    const count = assignments.length;
    if (count > 0 && operator < (assignments[count - 1] as number)) return;
    const value = valueAfter(text, operator, runs);
    if (!value || (count > 0 && value.start === assignments[count - 2])) return;
    assignments.push(operator, value.start, value.end);
  }

  /** Tries every detector that a literal found at `at` can start. */
  private tryLiteral(text: string, at: number, literal: string, out: Candidate[], pairOffsets: Map<string, number[]>): void {
    // A literal inside a word (`task-`, `flask-` for `sk-`) is refused by every detector it starts: checked once here.
    const refused = this.refusedBefore.get(literal);
    if (refused && !leftBoundary(text, at, refused)) return;
    let matched: Set<CompiledDetector> | undefined;
    for (const entry of this.entries.get(literal) ?? []) {
      if (matched?.has(entry.detector)) continue;
      const candidate = entry.anchor ? matchAnchored(text, at, entry.detector) : matchPrefixed(text, at, entry.detector, entry.literal);
      if (!candidate) continue;
      (matched ??= new Set()).add(entry.detector);
      out.push(candidate);
      const id = entry.detector.info.id;
      if (this.pairedIds.has(id)) {
        const list = pairOffsets.get(id) ?? [];
        list.push(candidate.start);
        pairOffsets.set(id, list);
      }
    }
  }

  /** Checks the literal of one assignment against the context detectors its identifier (or a keyword near) calls for. */
  private tryAssignment(text: string, operator: number, start: number, end: number, out: Candidate[], pairOffsets: Map<string, number[]>): void {
    // Most assigned values (`value: 3`, `"key": "name"`) are shorter than any credential: nothing more to read.
    if (end - start < this.shortestValue || end - start > this.longestValue) return;
    let variable = assignedName(text, start);
    if (variable === undefined) return;
    let normalized = normalizeName(variable);
    if (normalized === "VALUE") {
      const named = nameBeforeValue(text, start);
      if (named === undefined) return;
      variable = named;
      normalized = normalizeName(named);
    }
    for (const detector of this.contextDetectors(text, operator, end, normalized, pairOffsets, start)) {
      const candidate = matchValue(text, start, end, detector);
      if (!candidate) continue;
      candidate.variable = variable;
      out.push(candidate);
      return;
    }
  }

  /**
   * The context detectors an assignment to `normalized` can satisfy, most specific first. Keyword and paired detectors
   * whose bodies cannot be as long as the value are passed over first: most credential-named values (`token: true`,
   * hashes, URLs) fit none of them, and then the nearby text is never built.
   */
  private contextDetectors(text: string, operator: number, valueEnd: number, normalized: string, pairOffsets: Map<string, number[]>, valueStart: number): CompiledDetector[] {
    const out: CompiledDetector[] = [];
    const named = this.byVariable.get(normalized);
    if (named) for (const d of named) if (!d.generic) out.push(d);
    if (isCredentialName(normalized)) {
      const length = valueEnd - valueStart;
      let line: string | undefined;
      for (const d of this.byKeyword) {
        if (length < d.body.minLength || length > d.body.maxLength || out.includes(d)) continue;
        const keywords = d.context?.keywords ?? [];
        if (keywords.some((k) => normalized.includes(k.name))) {
          out.push(d);
          continue;
        }
        line ??= nearbyText(text, operator, valueEnd).toLowerCase();
        if (keywords.some((k) => line?.includes(k.line))) out.push(d);
      }
      for (const d of this.paired) {
        if (length < d.body.minLength || length > d.body.maxLength || out.includes(d)) continue;
        const offsets = pairOffsets.get(d.context?.pairedWith ?? "");
        if (offsets && hasNear(offsets, valueStart, PAIR_DISTANCE)) out.push(d);
      }
    }
    if (named) for (const d of named) if (d.generic) out.push(d);
    return out;
  }
}

/** The search for literals: one regex, the heads a separator may end, the other literals by first character. */
interface LiteralSearch {
  /** Also finds assignment operators (see ASSIGNMENT_SOURCE) when `assignments` is true. */
  regex: RegExp;
  assignments: boolean;
  /** The last two characters of a head (see headKey) → the heads ending so (`sk-`, `csk-`) and their literals, longest first. */
  heads: Map<number, { head: string; literals: string[] }[]>;
  /** First character → the literals without a head that start with it, longest first. */
  plain: Map<string, string[]>;
}

const SEPARATORS = new Set(["-", "_"]);

/**
 * Builds the literal search. Most prefixes contain `-` or `_` after a short head (`sk-`, `gsk_`, `github_`): those are
 * found by looking for the separator and checking the head behind it (`-(?<=sk-|xai-|…)`), so the engine only
 * stops at separators, which are far rarer than the letters the heads start with. The other literals (`AKIA`,
 * `JQQJ9`, `-----BEGIN `) are alternatives of their own, factored by common prefixes. About three times faster on
 * source code than one alternation of all literals.
 */
export function literalSearch(literals: readonly string[], options: { assignments?: boolean } = {}): LiteralSearch {
  const heads = new Map<number, { head: string; literals: string[] }[]>();
  const bySeparator = new Map<string, Set<string>>();
  const plain: string[] = [];
  for (const literal of literals) {
    const cut = headLength(literal);
    if (cut === 0) {
      plain.push(literal);
      continue;
    }
    const head = literal.slice(0, cut);
    const key = headKey(head.charCodeAt(cut - 2), head.charCodeAt(cut - 1));
    const list = heads.get(key) ?? [];
    let group = list.find((g) => g.head === head);
    if (!group) {
      group = { head, literals: [] };
      list.push(group);
    }
    group.literals.push(literal);
    heads.set(key, list);
    const separator = head[cut - 1] as string;
    bySeparator.set(separator, (bySeparator.get(separator) ?? new Set()).add(head));
  }
  for (const groups of heads.values()) for (const g of groups) g.literals.sort((a, b) => b.length - a.length);
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  const parts: string[] = [];
  for (const [separator, group] of bySeparator) parts.push(`${escape(separator)}(?<=${[...group].map(escape).join("|")})`);
  if (plain.length > 0) parts.push(trieSource(plain));
  const byFirst = new Map<string, string[]>();
  for (const literal of [...plain].sort((a, b) => b.length - a.length)) {
    const first = literal[0] as string;
    byFirst.set(first, [...(byFirst.get(first) ?? []), literal]);
  }
  // The assignment operators come last: an alternative tried after the prefixes' costs less (measured).
  if (options.assignments) parts.push(ASSIGNMENT_SOURCE);
  return { regex: new RegExp(parts.length > 0 ? parts.join("|") : "(?!)", "g"), assignments: options.assignments === true, heads, plain: byFirst };
}

/** A number naming the last two characters of a head (both ASCII): the character before the separator, and the separator. */
function headKey(before: number, separator: number): number {
  return before * 128 + separator;
}

/** Length of a literal's head: up to its first separator, when at least two other characters precede it; else 0. */
function headLength(literal: string): number {
  if (SEPARATORS.has(literal[0] as string)) return 0;
  for (let i = 1; i < literal.length; i++) {
    if (SEPARATORS.has(literal[i] as string)) return i >= 2 ? i + 1 : 0;
  }
  return 0;
}

/** A regex source matching any of the literals, factored by common prefixes so each position is tried once. */
export function trieSource(literals: readonly string[]): string {
  interface Node { children: Map<string, Node>; end: boolean }
  const root: Node = { children: new Map(), end: false };
  for (const literal of literals) {
    let node = root;
    for (const ch of literal) {
      let next = node.children.get(ch);
      if (!next) {
        next = { children: new Map(), end: false };
        node.children.set(ch, next);
      }
      node = next;
    }
    node.end = true;
  }
  const escape = (ch: string) => ch.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  function emit(node: Node): string {
    const alternatives = [...node.children].map(([ch, child]) => escape(ch) + emit(child));
    if (alternatives.length === 0) return "";
    const body = alternatives.length === 1 ? (alternatives[0] as string) : `(?:${alternatives.join("|")})`;
    return node.end ? `(?:${body})?` : body;
  }
  const source = emit(root);
  return source === "" ? "(?!)" : source;
}

function isWordCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** No token character or word character before `start`, except the letter of an escape (`\n`, `\t`, `\r`). */
function leftBoundary(text: string, start: number, refused: CharClass): boolean {
  if (start === 0) return true;
  const code = text.charCodeAt(start - 1);
  if (!inClass(refused, code)) return true;
  return (code === 110 || code === 114 || code === 116) && text.charCodeAt(start - 2) === 92;
}

/** No word character right after the token (the run already stopped at a non-token character). */
function rightBoundary(text: string, end: number): boolean {
  return end >= text.length || !isWordCode(text.charCodeAt(end));
}

/** The token starting with `prefix` at `at`, when it is a valid credential of the detector. */
function matchPrefixed(text: string, at: number, detector: CompiledDetector, prefix: string): Candidate | undefined {
  if (!leftBoundary(text, at, detector.leftBlocked)) return undefined;
  if (detector.format === "pem-private-key") return matchPem(text, at, detector, prefix);
  const bodyStart = at + prefix.length;
  const run = runLength(text, bodyStart, detector.body.chars, detector.body.maxLength + 1);
  if (run < detector.body.minLength || run > detector.body.maxLength) return undefined;
  const end = bodyStart + run;
  if (!rightBoundary(text, end) || !matchesBody(detector.body, text, bodyStart, end)) return undefined;
  if (!passesChecks(detector, text.slice(bodyStart, end))) return undefined;
  if (detector.context && !contextHolds(text, at, end, detector)) return undefined;
  return { start: at, end, detector, prefix };
}

/** The token around an anchor literal found at `at` (a fixed offset from the token start). */
function matchAnchored(text: string, at: number, detector: CompiledDetector): Candidate | undefined {
  const start = at - (detector.anchor?.offset ?? 0);
  if (start < 0 || !leftBoundary(text, start, detector.leftBlocked)) return undefined;
  const run = runLength(text, start, detector.body.chars, detector.body.maxLength + 1);
  if (run < detector.body.minLength || run > detector.body.maxLength) return undefined;
  const end = start + run;
  if (!rightBoundary(text, end) || !matchesBody(detector.body, text, start, end)) return undefined;
  if (!passesChecks(detector, text.slice(start, end))) return undefined;
  if (detector.context && !contextHolds(text, start, end, detector)) return undefined;
  return { start, end, detector, prefix: "" };
}

/** An assignment's literal `[start, end)`, when it is wholly a credential of the detector. */
function matchValue(text: string, start: number, end: number, detector: CompiledDetector): Candidate | undefined {
  const token = text.slice(start, end);
  const prefix = detector.prefixes.find((p) => token.startsWith(p)) ?? "";
  if (detector.prefixes.length > 0 && prefix === "") return undefined;
  if (!matchesBody(detector.body, token, prefix.length, token.length)) return undefined;
  const body = token.slice(prefix.length);
  if (!passesChecks(detector, body)) return undefined;
  if (detector.generic && !looksGenerated(body)) return undefined;
  return { start, end, detector, prefix };
}

/**
 * Checksum, entropy, character counts and the placeholder rules, on the body after the prefix. A valid checksum
 * settles it: nobody types a CRC-32 by hand, so a checksummed token is real whatever letters it happens to contain.
 */
function passesChecks(detector: CompiledDetector, body: string): boolean {
  if (detector.checksum) return hasValidChecksum(detector.checksum, body) && !isRepeatedUnit(body, 8);
  if (detector.counts && !hasCounts(body, detector.counts)) return false;
  if (detector.minEntropy > 0 && shannonEntropy(body) < detector.minEntropy) return false;
  return placeholderReason(body) === undefined;
}

/** A generic value must look machine-made: letters and digits, not a dotted name (`process.env.KEY`) or a path. */
function looksGenerated(value: string): boolean {
  if (!/[A-Za-z]/.test(value)) return false;
  if (/^[A-Za-z_$][\w$]*(?:\.[\w$]+)+$/.test(value)) return false;
  if (value.startsWith("/") || value.startsWith("./") || value.startsWith("~")) return false;
  return true;
}

/** A prefixed token that also needs context (DeepSeek's `sk-` + hex): a known variable, keyword or credential name. */
function contextHolds(text: string, start: number, end: number, detector: CompiledDetector): boolean {
  const context = detector.context;
  if (!context) return true;
  const variable = variableFor(text, start);
  const normalized = variable === undefined ? undefined : normalizeName(variable);
  if (normalized !== undefined && context.variables.has(normalized)) return true;
  if (context.keywords.length === 0) return false;
  if (normalized !== undefined && context.keywords.some((k) => normalized.includes(k.name))) return true;
  const near = nearbyText(text, start, end).toLowerCase();
  return context.keywords.some((k) => near.includes(k.line));
}

const PEM_BODY = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\\ \t\r\n:,-") PEM_BODY[c.charCodeAt(0)] = 1;
const PEM_MAX = 16384;
const PEM_LABEL = /^[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;

/** A PEM private key block (`-----BEGIN … PRIVATE KEY-----` … `-----END … PRIVATE KEY-----`), with `\n` escapes too. */
function matchPem(text: string, at: number, _detector: CompiledDetector, prefix: string): Candidate | undefined {
  const labelStart = at + prefix.length;
  const header = PEM_LABEL.exec(text.slice(labelStart, labelStart + 64));
  if (!header) return undefined;
  const label = header[0];
  const bodyStart = labelStart + label.length;
  let i = bodyStart;
  let base64 = 0;
  const stop = Math.min(text.length, bodyStart + PEM_MAX);
  while (i < stop) {
    const code = text.charCodeAt(i);
    if (code >= 128 || PEM_BODY[code] !== 1) break;
    if (code === 45 && text.startsWith("-----", i)) break; // the footer, or the next header: blocks never overlap
    if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 43 || code === 47) base64++;
    i++;
  }
  const footer = `-----END ${label}`;
  if (!text.startsWith(footer, i) || base64 < 64) return undefined;
  if (shannonEntropy(text.slice(bodyStart, i)) < 4) return undefined;
  return { start: at, end: i + footer.length, detector: _detector, prefix };
}

/** Whether the sorted offsets hold one within `distance` of `at`. */
function hasNear(offsets: readonly number[], at: number, distance: number): boolean {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid] ?? 0) < at - distance) lo = mid + 1;
    else hi = mid;
  }
  return lo < offsets.length && (offsets[lo] ?? 0) <= at + distance;
}

function priority(c: Candidate): number[] {
  return [c.detector.generic ? 0 : 1, c.prefix.length, CONFIDENCE_RANK[c.detector.info.confidence], c.end - c.start, -c.detector.order];
}

function comparePriority(a: Candidate, b: Candidate): number {
  const pa = priority(a);
  const pb = priority(b);
  for (let i = 0; i < pa.length; i++) if (pa[i] !== pb[i]) return (pb[i] ?? 0) - (pa[i] ?? 0);
  return 0;
}

/** Overlapping matches keep the most specific; clusters of overlapping candidates are resolved one by one. */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  candidates.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Candidate[] = [];
  let cluster: Candidate[] = [];
  let clusterEnd = -1;
  const flush = () => {
    if (cluster.length === 1) out.push(cluster[0] as Candidate);
    else if (cluster.length > 1) {
      const accepted: Candidate[] = [];
      for (const c of [...cluster].sort(comparePriority)) {
        if (accepted.every((a) => c.end <= a.start || c.start >= a.end)) accepted.push(c);
      }
      out.push(...accepted.sort((a, b) => a.start - b.start));
    }
    cluster = [];
  };
  for (const c of candidates) {
    if (c.start >= clusterEnd) {
      flush();
      clusterEnd = c.end;
    } else {
      clusterEnd = Math.max(clusterEnd, c.end);
    }
    cluster.push(c);
  }
  flush();
  return out;
}

/**
 * In example and template files (`.env.example`) only self-verifying formats count (a checksum, or a high-confidence
 * prefix); anywhere, a match on a line that says it is an example is dropped unless its checksum verifies it.
 */
function keepInContext(text: string, c: Candidate, example: boolean): boolean {
  const d = c.detector;
  if (d.checksum) return true;
  if (example && (d.info.confidence !== "high" || d.context || d.generic)) return false;
  if (d.format === "pem-private-key") return true;
  return !hasExampleMarker(`${lineBefore(text, c.start, EXAMPLE_WINDOW)} ${lineAfter(text, c.end, EXAMPLE_WINDOW)}`);
}

/** Final matches with lines, columns, variables, fingerprints and redacted forms. */
function toMatches(text: string, kept: Candidate[]): SecretMatch[] {
  const out: SecretMatch[] = [];
  let line = 1;
  let lineStart = 0;
  let nextNewline = text.indexOf("\n");
  for (const c of kept) {
    while (nextNewline >= 0 && nextNewline < c.start) {
      line++;
      lineStart = nextNewline + 1;
      nextNewline = text.indexOf("\n", lineStart);
    }
    const secret = text.slice(c.start, c.end);
    const variable = c.variable ?? variableFor(text, c.start);
    out.push({
      detector: c.detector.info,
      line,
      column: c.start - lineStart + 1,
      secret,
      fingerprint: fingerprintSecret(secret),
      redacted: redact(secret, c.detector.info),
      ...(variable !== undefined ? { variable } : {}),
    });
  }
  return out;
}
