// AssemblyScript, compiled to WebAssembly by scripts/build-assets.mjs (not by tsc): the secret scan's prefilter. It
// answers one question about a file's raw bytes: could the detectors find anything in it? A file it clears is neither
// decoded nor searched, and on a source tree that is most files. It reads bytes, so nothing is decoded for it.
//
// It must never clear a file the detectors would find a credential in. So every check here is one the detectors
// (../detect.ts) make first, before anything costly, and nothing more: at the bytes a literal can start a token with,
// the literal itself, the boundary before it, the length of the run of body characters after it and the boundary after
// that; at an assignment operator, the credential word before it and the length of the value after it. The checks are
// on ASCII bytes only, and UTF-8 never uses an ASCII byte inside a multi-byte character, so each check reads the same
// characters as the detectors read in the decoded text. The host (../prefilter.ts) writes the tables from the compiled
// detectors; tests run both over every fixture and sample and check that nothing the detectors find is cleared.
//
// The search has two stages, because in source code the bytes that start a check (`-`, `_`, `=`, `:`) come every few
// dozen bytes, and looking at each one by one costs more than all the rest (a mispredicted branch apiece):
// 1. 64 bytes at a time, with vector instructions and bit masks: the trigger bytes of three groups (the separators
//    ending a head such as `sk-`, the first bytes of other literals such as `AKIA`, the assignment operators), and the
//    runs of token characters. A trigger is kept only when a long enough run follows it: the shortest token a rule of
//    its group can give, or for an operator a run as long as the shortest value, starting within the gap a value may
//    leave after it. Most `-` and `=` of source code are followed by short words and fall here.
//    An operator is also kept only when the nearest byte before it that is not a blank or a closer (a quote, `]`, `\`)
//    ends a credential word, as the last letter of one: in source code most `=` and `:` follow other names, and at a
//    million operators a tree, checking each one by one cost a third of the prefilter's time.
// 2. The triggers kept are checked one by one (hitAt): the exact cheap checks above.
//
// Memory layout, written by the host from `tablesBase()` on, read by `configure(header)`: the header's 32-bit words are
//   0 trigger count (distinct bytes a rule or an operator is found at)   1 address of the trigger bytes
//   2 address of 256 rule-bucket starts (32-bit, by trigger byte)       3 address of 256 rule-bucket ends
//   4 address of the rules (8 words each, below)                         5 1 when assignments are looked for
//   6 address of the value characters (128 flags)                        7 shortest value   8 longest value
//   9 address of the credential words (length byte, lowercase bytes…)   10 number of words
//  11 address of two bitmaps of byte pairs (8 KB each): pairs a rule's trigger byte ends (the byte before it and the
//     trigger), then pairs it starts (the trigger and the byte after); a trigger byte whose pair is in neither is passed
//  12 address of 256 flags: the last letters of the credential words, in both cases
//  13 address of the vector tables, or 0 to search byte by byte: six 16-byte tables of nibbles (see `classes`), by
//     low then high nibble: the trigger bytes' classes, the run characters, the bytes that may follow a literal's first
//  14, 15, 16 the trigger classes of the head separators, of the other literals' first bytes, of the operators
//  17, 18 the shortest run after a head separator, after another literal's first byte
//  19 the widest gap between an operator and its value
//  20 1 when the variable a value is assigned to is checked (see variableQualifies), then: 21 address of a hash table
//     of the variables detectors read (32-bit addresses of length-prefixed names, 0 for an empty slot), 22 its size - 1,
//     23, 24 the shortest and longest value of those detectors, 25, 26 the same for the detectors that read any
//     credential-like name with a keyword near, 27 their keywords as names, 28 their keywords as text (lower case),
//     29 the words of a credential-like name: lists of strings, a count byte then each as a length byte and bytes
//  30 the classes of the seventh and eighth vector tables (see operatorsAfterWords): the last letters of the credential
//     words in bits 0-7, the blanks and closers that may stand between such a word and its operator in bits 8-15 (0 in
//     both when operators are not filtered so: the host could not give those bytes classes of their own), the letters
//     before the last in bits 16-23 (0: not checked)
// A rule: 0 address of its literal, 1 literal length, 2 index of the trigger byte in the literal (the separator of a
// head such as `sk-`, else 0), 3 address of the characters refused before the token (128 flags), 4 address of the body
// characters (128 flags), 5 shortest body, 6 longest body, 7 1 when the literal alone is enough (anchors, PEM blocks).

let triggerCount: i32 = 0;
let triggers: usize = 0;
let bucketStarts: usize = 0;
let bucketEnds: usize = 0;
let rules: usize = 0;
let assignments: bool = false;
let valueChars: usize = 0;
let shortestValue: i32 = 0;
let longestValue: i32 = 0;
let words: usize = 0;
let wordCount: i32 = 0;
let pairsEnding: usize = 0;
let pairsStarting: usize = 0;
let wordEnds: usize = 0;
let vectors: usize = 0;
let headClasses: u8 = 0;
let plainClasses: u8 = 0;
let operatorClasses: u8 = 0;
let headRun: i32 = 0;
let plainRun: i32 = 0;
let valueGap: i32 = 0;
/** The run of value bytes read last by assignmentAt, `[start, frontier)` (reset for each text). */
let valueRunStart: usize = 1;
let valueRunFrontier: usize = 0;
let namesChecked = false;
let namedTable: usize = 0;
let namedMask: u32 = 0;
let namedShortest: i32 = 0;
let namedLongest: i32 = 0;
let keywordShortest: i32 = 0;
let keywordLongest: i32 = 0;
let keywordNames: usize = 0;
let keywordLines: usize = 0;
let credentialWords: usize = 0;
/** 256 flags: 1 for the trigger bytes (for the tail of the text, shorter than a vector). */
let triggerFlags: usize = 0;

/** 1 when a NUL byte is among the first `probe` bytes of `[text, text + length)` (how git and grep tell binary files). */
export function hasNul(text: usize, length: i32, probe: i32): i32 {
  const end = text + <usize>(length < probe ? length : probe);
  const zero = i8x16.splat(0);
  let i = text;
  while (i + 16 <= end) {
    if (i8x16.bitmask(i8x16.eq(v128.load(i), zero)) != 0) return 1;
    i += 16;
  }
  while (i < end) {
    if (load<u8>(i) == 0) return 1;
    i++;
  }
  return 0;
}

/** -1 when hasNul, else mayHold: both in one call from the host. */
export function verdict(text: usize, length: i32, probe: i32): i32 {
  return hasNul(text, length, probe) == 1 ? -1 : mayHold(text, length);
}

/** Where the host may start writing: after this module's own static data, 16-aligned. */
export function tablesBase(): usize {
  return (__heap_base + 15) & ~(15 as usize);
}

/** Reads the tables' header (see the layout above); `flags` is 256 bytes the module fills for itself. */
export function configure(header: usize, flags: usize): void {
  triggerCount = load<u32>(header, 0);
  triggers = load<u32>(header, 4);
  bucketStarts = load<u32>(header, 8);
  bucketEnds = load<u32>(header, 12);
  rules = load<u32>(header, 16);
  assignments = load<u32>(header, 20) == 1;
  valueChars = load<u32>(header, 24);
  shortestValue = load<u32>(header, 28);
  longestValue = load<u32>(header, 32);
  words = load<u32>(header, 36);
  wordCount = load<u32>(header, 40);
  pairsEnding = load<u32>(header, 44);
  pairsStarting = pairsEnding + 8192;
  wordEnds = load<u32>(header, 48);
  vectors = load<u32>(header, 52);
  if (vectors != 0) {
    triggerLow = v128.load(vectors, 0);
    triggerHigh = v128.load(vectors, 16);
    runLow = v128.load(vectors, 32);
    runHigh = v128.load(vectors, 48);
    afterLow = v128.load(vectors, 64);
    afterHigh = v128.load(vectors, 80);
  }
  headClasses = <u8>load<u32>(header, 56);
  plainClasses = <u8>load<u32>(header, 60);
  operatorClasses = <u8>load<u32>(header, 64);
  headRun = load<u32>(header, 68);
  plainRun = load<u32>(header, 72);
  valueGap = load<u32>(header, 76);
  namesChecked = load<u32>(header, 80) == 1;
  namedTable = load<u32>(header, 84);
  namedMask = load<u32>(header, 88);
  namedShortest = load<u32>(header, 92);
  namedLongest = load<u32>(header, 96);
  keywordShortest = load<u32>(header, 100);
  keywordLongest = load<u32>(header, 104);
  keywordNames = load<u32>(header, 108);
  keywordLines = load<u32>(header, 112);
  credentialWords = load<u32>(header, 116);
  const before = load<u32>(header, 120);
  wordEndClasses = <u8>(before & 0xff);
  skipClasses = <u8>(before >> 8);
  beforeEndClasses = <u8>(before >> 16);
  operatorsFiltered = vectors != 0 && wordEndClasses != 0 && skipClasses != 0;
  if (operatorsFiltered) {
    beforeLow = v128.load(vectors, 96);
    beforeHigh = v128.load(vectors, 112);
  }
  longestKeyword = 0;
  if (keywordLines != 0) {
    let item = keywordLines + 1;
    for (let n = 0; n < <i32>load<u8>(keywordLines); n++) {
      const size = <usize>load<u8>(item);
      if (size > longestKeyword) longestKeyword = size;
      item += 1 + size;
    }
  }
  headLevel = levelFor(headRun);
  headRest = restFor(headRun);
  plainLevel = levelFor(plainRun);
  plainRest = restFor(plainRun);
  valueLevel = levelFor(shortestValue);
  valueRest = restFor(shortestValue);
  gapLevel = levelFor(valueGap);
  gapRest = restFor(valueGap);
  // The shortest run a head or a value needs (a value gap of 64 or more reaches past the next block's word: no skip).
  let shortest = 1 << 30;
  if (headClasses != 0) shortest = min(shortest, headRun);
  if (assignments && operatorClasses != 0) shortest = valueGap >= 64 ? 0 : min(shortest, shortestValue);
  skipBlocks = shortest >= 16;
  skipHighMask = assignments && operatorClasses != 0 && valueGap > 0 ? ((<u64>1 << <u64>valueGap) - 1) | 1 : 1;
  triggerFlags = flags;
  memory.fill(flags, 0, 256);
  for (let t = 0; t < triggerCount; t++) store<u8>(flags + load<u8>(triggers + t), 1);
}

// The first stage's tables (loaded by configure) and what `classify` found in the last 64 bytes it looked at.
let triggerLow = i8x16.splat(0);
let triggerHigh = i8x16.splat(0);
let runLow = i8x16.splat(0);
let runHigh = i8x16.splat(0);
let afterLow = i8x16.splat(0);
let afterHigh = i8x16.splat(0);
let beforeLow = i8x16.splat(0);
let beforeHigh = i8x16.splat(0);
let wordEndClasses: u8 = 0;
let skipClasses: u8 = 0;
let beforeEndClasses: u8 = 0;
let operatorsFiltered = false;
let headBits: u64 = 0;
let plainBits: u64 = 0;
let operatorBits: u64 = 0;
let afterBits: u64 = 0;

/** Bits 0-15: which of 16 looked-up bytes (`classes`) are in any of the classes `wanted`. */
// @ts-ignore: decorator
@inline
function inClasses(classes: v128, wanted: u8): u64 {
  return <u64>(~i8x16.bitmask(i8x16.eq(v128.and(classes, i8x16.splat(wanted)), i8x16.splat(0))) & 0xffff);
}

/**
 * Classes the 16 bytes at `at` (bits `shift` to `shift + 15` of the masks) with three tables of 8 classes each, looked
 * up by low and by high nibble (a byte is in class k when bit k is set in both of its nibbles' entries): the trigger
 * classes, the run characters, and the bytes that may follow a literal's first byte. Returns the breaks (the bytes that
 * are not run characters) and adds the triggers and followers found to the globals.
 */
// @ts-ignore: decorator
@inline
function classifyBlock(at: usize, shift: u64): u64 {
  const zero = i8x16.splat(0);
  const v = v128.load(at);
  const lo = v128.and(v, i8x16.splat(0x0f));
  const hi = v128.and(i16x8.shr_u(v, 4), i8x16.splat(0x0f));
  const trigger = v128.and(v128.swizzle(triggerLow, lo), v128.swizzle(triggerHigh, hi));
  const run = v128.and(v128.swizzle(runLow, lo), v128.swizzle(runHigh, hi));
  const follows = v128.and(v128.swizzle(afterLow, lo), v128.swizzle(afterHigh, hi));
  headBits |= inClasses(trigger, headClasses) << shift;
  plainBits |= inClasses(trigger, plainClasses) << shift;
  operatorBits |= inClasses(trigger, operatorClasses) << shift;
  afterBits |= (<u64>(~i8x16.bitmask(i8x16.eq(follows, zero)) & 0xffff)) << shift;
  return (<u64>(i8x16.bitmask(i8x16.eq(run, zero)) & 0xffff)) << shift;
}

/** Classes the 64 bytes at `at` (see classifyBlock): returns the breaks, the bytes at or past `end` counting as breaks. */
function classify(at: usize, end: usize): u64 {
  headBits = 0;
  plainBits = 0;
  operatorBits = 0;
  afterBits = 0;
  let breaks = classifyBlock(at, 0) | classifyBlock(at + 16, 16) | classifyBlock(at + 32, 32) | classifyBlock(at + 48, 48);
  if (end < at + 64) breaks |= end <= at ? ~(<u64>0) : ~(<u64>0) << <u64>(end - at);
  return breaks;
}

/**
 * Of the operators at `kept` in the 64 bytes at `at`, those that may follow a credential word (wordEndBefore): the
 * nearest byte before the operator that is no blank or closer is a word's last letter, after a letter one of the words
 * has before its last (when the host gives their classes). Looser than wordEndBefore (no limit on the blanks and
 * closers, nor on their order), so it never drops an operator that function would accept. A run of blanks and closers
 * reaching back into the previous block is taken as following a word, and so is the block's first byte. The second
 * byte of `:=` and `=>` may be dropped: the first is kept, and assignmentAt reads the same value from it.
 */
function operatorsAfterWords(at: usize, kept: u64): u64 {
  let ends: u64 = 0;
  let skips: u64 = 0;
  let beforeEnds: u64 = 0;
  for (let k: u64 = 0; k < 64; k += 16) {
    const v = v128.load(at + <usize>k);
    const classes = v128.and(v128.swizzle(beforeLow, v128.and(v, i8x16.splat(0x0f))), v128.swizzle(beforeHigh, v128.and(i16x8.shr_u(v, 4), i8x16.splat(0x0f))));
    ends |= inClasses(classes, wordEndClasses) << k;
    skips |= inClasses(classes, skipClasses) << k;
    beforeEnds |= inClasses(classes, beforeEndClasses) << k;
  }
  // A last letter at the block's first byte may follow a letter of the previous block.
  if (beforeEndClasses != 0) ends &= (beforeEnds << 1) | 1;
  // The bytes right after a word's last letter (and the block's first). One that starts a run of blanks and closers
  // carries, when added to the run, to the first byte after it; the host keeps the two classes apart, so a run has at
  // most one such start.
  const after = (ends << 1) | 1;
  const runs = after & skips;
  const reached = ((skips + runs) & ~skips) | (after & ~skips);
  return kept & reached;
}

/** Bits `[by, by + 64)` of the 128-bit (high, low), `by` from 0 to 63, as the low word. */
// @ts-ignore: decorator
@inline
function shiftedLow(low: u64, high: u64, by: i32): u64 {
  // WebAssembly takes shift counts modulo 64, so `high << 64` would be `high`: by 0 is its own case.
  return by == 0 ? low : (low >> <u64>by) | (high << <u64>(64 - by));
}

// How the first stage reads a width of 1 to 63 bytes off the smears of a 128-bit set (levels 1, 2, 4, 8, 16 and 32:
// level k has bit q set when some bit of the set in [q, q + k) is set): [q, q + width) is [q, q + k) and
// [q + width - k, q + width) for the widest k not above the width, which overlap. configure sets, for each width the
// first stage checks, the level (0 for k = 1 to 5 for k = 32) and `width - k`. Wider widths are taken as 63: fewer
// bits seen, so more triggers are kept.
let headLevel: i32 = 0;
let headRest: i32 = 0;
let plainLevel: i32 = 0;
let plainRest: i32 = 0;
let valueLevel: i32 = 0;
let valueRest: i32 = 0;
let gapLevel: i32 = 0;
let gapRest: i32 = 0;
/**
 * When every head and value needs a run of 16 or more, a block without plain literals is skipped if no position a run
 * could start at begins 16 bytes without a break (level 4 of the smear); `skipHighMask` has the positions of the next
 * block's word where such a run may start (bit 0, right after the block; up to the gap, for a value after an operator
 * near the block's end).
 */
let skipBlocks = false;
let skipHighMask: u64 = 1;

/** The smear level a width is read from (see above), or -1 for no width (nothing to check). */
function levelFor(width: i32): i32 {
  return width <= 0 ? -1 : 31 - clz(width > 63 ? 63 : width);
}

/** What is left of a width past its level's k (see above). */
function restFor(width: i32): i32 {
  return width <= 0 ? 0 : (width > 63 ? 63 : width) - (1 << levelFor(width));
}

// @ts-ignore: decorator
@inline
function pick(level: i32, a0: u64, a1: u64, a2: u64, a3: u64, a4: u64, a5: u64): u64 {
  return level >= 3 ? (level == 5 ? a5 : level == 4 ? a4 : a3) : level == 2 ? a2 : level == 1 ? a1 : a0;
}

/**
 * 0 when the detectors cannot find anything in `[text, text + length)`, else 1 + the offset of the first byte where
 * they could (for tests and diagnostics): the two stages described
 * at the top, 64 bytes at a time, then the bytes of the last partial 64 one by one.
 */
export function mayHold(text: usize, length: i32): i32 {
  const end = text + <usize>length;
  valueRunStart = 1;
  valueRunFrontier = 0;
  asciiChecked = 0;
  lastNonAscii = 0;
  keywordsChecked = 0;
  keywordStart = 0;
  keywordEnd = 0;
  let i = text;
  if (vectors != 0 && length >= 64) {
    // The host leaves 128 bytes of room after the text: the lookahead reads them, and classify counts them as breaks.
    let breaks = classify(i, end);
    while (i + 64 <= end) {
      const heads = headBits;
      const plains = plainBits;
      const operators = operatorBits;
      const follows = afterBits;
      const nextBreaks = classify(i + 64, end);
      let candidates: u64 = 0;
      if ((heads | plains | operators) != 0) {
        // The smears of the breaks (see shiftedLow), straight-line in locals: bit q of level k is set when a break is
        // in [q, q + 2^k) of the 128 bits of this block and the next.
        const l1 = breaks | (breaks >> 1) | (nextBreaks << 63);
        const h1 = nextBreaks | (nextBreaks >> 1);
        const l2 = l1 | (l1 >> 2) | (h1 << 62);
        const h2 = h1 | (h1 >> 2);
        const l3 = l2 | (l2 >> 4) | (h2 << 60);
        const h3 = h2 | (h2 >> 4);
        const l4 = l3 | (l3 >> 8) | (h3 << 56);
        const h4 = h3 | (h3 >> 8);
        // Most blocks of code have no run as long as a head or a value needs, and no plain literal's first two bytes:
        // then nothing here can be a candidate.
        const plainsKept = plains & ((follows >> 1) | (afterBits << 63));
        if (skipBlocks && plainsKept == 0 && (~l4 & ~(<u64>1)) == 0 && (~h4 & skipHighMask) == 0) {
          breaks = nextBreaks;
          i += 64;
          continue;
        }
        const l5 = l4 | (l4 >> 16) | (h4 << 48);
        const h5 = h4 | (h4 >> 16);
        if (heads != 0) {
          if (headLevel < 0) candidates |= heads;
          else {
            const lo = pick(headLevel, breaks, l1, l2, l3, l4, l5);
            const hi = pick(headLevel, nextBreaks, h1, h2, h3, h4, h5);
            candidates |= heads & ~(shiftedLow(lo, hi, 1) | shiftedLow(lo, hi, 1 + headRest));
          }
        }
        if (plainsKept != 0) {
          let kept = plainsKept;
          if (plainLevel >= 0) {
            const lo = pick(plainLevel, breaks, l1, l2, l3, l4, l5);
            const hi = pick(plainLevel, nextBreaks, h1, h2, h3, h4, h5);
            kept &= ~(shiftedLow(lo, hi, 1) | shiftedLow(lo, hi, 1 + plainRest));
          }
          candidates |= kept;
        }
        if (operators != 0 && gapLevel >= 0) {
          // Where a run of at least the shortest value starts (bits 0 to 127; bits past that count as clear, so starts
          // near the end of the window are assumed), then the operators with such a start within the gap after them.
          let startsLow: u64 = ~(<u64>0);
          let startsHigh: u64 = ~(<u64>0);
          if (valueLevel >= 0) {
            const lo = pick(valueLevel, breaks, l1, l2, l3, l4, l5);
            const hi = pick(valueLevel, nextBreaks, h1, h2, h3, h4, h5);
            startsLow = ~(lo | shiftedLow(lo, hi, valueRest));
            startsHigh = ~(hi | (hi >> <u64>valueRest));
          }
          const s1 = startsLow | (startsLow >> 1) | (startsHigh << 63);
          const t1 = startsHigh | (startsHigh >> 1);
          const s2 = s1 | (s1 >> 2) | (t1 << 62);
          const t2 = t1 | (t1 >> 2);
          const s3 = s2 | (s2 >> 4) | (t2 << 60);
          const t3 = t2 | (t2 >> 4);
          const s4 = s3 | (s3 >> 8) | (t3 << 56);
          const t4 = t3 | (t3 >> 8);
          const s5 = s4 | (s4 >> 16) | (t4 << 48);
          const t5 = t4 | (t4 >> 16);
          const lo = pick(gapLevel, startsLow, s1, s2, s3, s4, s5);
          const hi = pick(gapLevel, startsHigh, t1, t2, t3, t4, t5);
          const kept = operators & (shiftedLow(lo, hi, 1) | shiftedLow(lo, hi, 1 + gapRest));
          if (kept != 0) candidates |= operatorsFiltered ? operatorsAfterWords(i, kept) : kept;
        }
      }
      while (candidates != 0) {
        const p = i + <usize>ctz(candidates);
        if (hitAt(text, end, p)) return <i32>(p - text) + 1;
        candidates &= candidates - 1;
      }
      breaks = nextBreaks;
      i += 64;
    }
  }
  while (i < end) {
    if (load<u8>(triggerFlags + <usize>load<u8>(i)) == 1 && hitAt(text, end, i)) return <i32>(i - text) + 1;
    i++;
  }
  return 0;
}

/** Whether a rule or an assignment found at the trigger byte at `p` could give a credential. */
function hitAt(text: usize, end: usize, p: usize): bool {
  const c = load<u8>(p);
  if (assignments && (c == 0x3d || c == 0x3a || c == 0x3e) && assignmentAt(text, end, p)) return true;
  // Most trigger bytes are a `-` or `_` inside a word no literal ends or starts with: one look at a bitmap each.
  const ending = p > text && hasPair(pairsEnding, load<u8>(p - 1), c);
  if (!ending && !(end - p > 1 && hasPair(pairsStarting, c, load<u8>(p + 1)))) return false;
  const last = load<u32>(bucketEnds + (<usize>c << 2));
  for (let r = load<u32>(bucketStarts + (<usize>c << 2)); r < last; r++) {
    if (ruleAt(text, end, p, rules + (<usize>r << 5))) return true;
  }
  return false;
}

function hasPair(bitmap: usize, first: u8, second: u8): bool {
  const bit = (<usize>first << 8) | <usize>second;
  return ((load<u8>(bitmap + (bit >> 3)) >> <u8>(bit & 7)) & 1) == 1;
}

/** The cheap checks of a prefixed or anchored token (detect.ts matchPrefixed, matchAnchored) for one rule. */
function ruleAt(text: usize, end: usize, p: usize, rule: usize): bool {
  const literal = <usize>load<u32>(rule, 0);
  const length = <usize>load<u32>(rule, 4);
  const trigger = <usize>load<u32>(rule, 8);
  if (p - text < trigger || end - p < length - trigger) return false;
  const at = p - trigger;
  // The byte before the trigger first: in a bucket of rules sharing a separator, it tells most of them apart.
  if (trigger > 0 && load<u8>(p - 1) != load<u8>(literal + trigger - 1)) return false;
  for (let q: usize = 0; q < length; q++) if (load<u8>(at + q) != load<u8>(literal + q)) return false;
  if (load<u32>(rule, 28) == 1) return true;
  if (!leftBoundary(text, at, <usize>load<u32>(rule, 12))) return false;
  const body = <usize>load<u32>(rule, 16);
  const shortest = <usize>load<u32>(rule, 20);
  const longest = <usize>load<u32>(rule, 24);
  const bodyStart = at + length;
  const stop = end - bodyStart > longest + 1 ? bodyStart + longest + 1 : end;
  let q = bodyStart;
  while (q < stop) {
    const b = load<u8>(q);
    if (b >= 128 || load<u8>(body + <usize>b) != 1) break;
    q++;
  }
  const run = q - bodyStart;
  if (run < shortest || run > longest) return false;
  return q >= end || !isWord(load<u8>(q));
}

/** No refused character before `start`, except the letter of an escape (`\n`, `\r`, `\t`): detect.ts leftBoundary. */
function leftBoundary(text: usize, start: usize, refused: usize): bool {
  if (start == text) return true;
  const b = load<u8>(start - 1);
  if (b >= 128 || load<u8>(refused + <usize>b) != 1) return true;
  return (b == 0x6e || b == 0x72 || b == 0x74) && start - text >= 2 && load<u8>(start - 2) == 0x5c;
}

function isWord(b: u8): bool {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x5f;
}

/**
 * An assignment operator at `p` after a credential word, with a value after it that some context detector could
 * accept: detect.ts ASSIGNMENT_SOURCE, then context.ts valueAfter and detect.ts tryAssignment (the value's length, and
 * the variable it is assigned to: see nameQualifies).
 */
function assignmentAt(text: usize, end: usize, p: usize): bool {
  const c = load<u8>(p);
  const before: u8 = p > text ? load<u8>(p - 1) : 0;
  // Where the credential word ends: before the operator, or before the `:` of `:=` or the `=` of `=>`.
  let wordEnd: isize = -1;
  let otherEnd: isize = -1;
  if (c == 0x3e) {
    if (before == 0x3d && p - text >= 2) wordEnd = wordEndBefore(text, p - 2);
  } else if (p > text) {
    wordEnd = wordEndBefore(text, p - 1);
    if (c == 0x3d && before == 0x3a && p - text >= 2) otherEnd = wordEndBefore(text, p - 2);
  }
  if (wordEnd < 0 && otherEnd < 0) return false;
  let i = p + 1;
  if (i < end && ((c == 0x3d && load<u8>(i) == 0x3e) || (c == 0x3a && load<u8>(i) == 0x3d))) i++;
  const gapEnd = i + 16;
  while (i < gapEnd && i < end && isBlank(load<u8>(i))) i++;
  let quote: u8 = 0;
  let escaped = false;
  if (i + 1 < end && load<u8>(i) == 0x5c && isQuote(load<u8>(i + 1))) {
    quote = load<u8>(i + 1);
    escaped = true;
    i += 2;
  } else if (i < end && isQuote(load<u8>(i))) {
    quote = load<u8>(i);
    i++;
  }
  const stop = end - i > <usize>longestValue + 1 ? i + <usize>longestValue + 1 : end;
  // A value starting inside the run of value bytes read last goes on from where that reading stopped (context.ts
  // ValueRuns): `key=key=key=…` is read once, not once per operator.
  let q = i;
  if (i >= valueRunStart && i <= valueRunFrontier) q = valueRunFrontier;
  else valueRunStart = i;
  while (q < stop) {
    const b = load<u8>(q);
    if (b >= 128 || load<u8>(valueChars + <usize>b) != 1) break;
    q++;
  }
  if (q > valueRunFrontier) valueRunFrontier = q;
  if (q > stop) q = stop;
  const run = <i32>(q - i);
  if (run < shortestValue || run > longestValue) return false;
  // What may follow the value: its closing quote, or for a bare value the end of the line, a blank or a comment.
  const next: u8 = q < end ? load<u8>(q) : 0;
  if (quote != 0) {
    if (escaped ? !(next == 0x5c && q + 1 < end && load<u8>(q + 1) == quote) : next != quote) return false;
  } else if (q < end && next != 0x0a && next != 0x0d && next != 0x20 && next != 0x09 && next != 0x23) return false;
  if (!namesChecked) return true;
  return (wordEnd >= 0 && variableQualifies(text, end, <usize>wordEnd, p, i, q, run)) || (otherEnd >= 0 && variableQualifies(text, end, <usize>otherEnd, p, i, q, run));
}

/**
 * Whether the variable whose name ends at `nameEnd` could have a context detector accept a value of `run` bytes at
 * `[valueStart, valueEnd)` (detect.ts contextDetectors): a detector reading that exact variable (by normalised name)
 * whose bodies can be that long, or, for a credential-like name, a detector with a keyword in the name or near the
 * value. A name `value` stands for the `name:` keys before it (context.ts nameBeforeValue): any of them may qualify.
 */
function variableQualifies(text: usize, end: usize, nameEnd: usize, operator: usize, valueStart: usize, valueEnd: usize, run: i32): bool {
  const length = normalizedIdentifier(text, nameEnd);
  if (length < 0) return true; // Longer than the detectors read: leave it to them.
  if (length == 5 && load<u32>(scratch) == 0x554c4156 && load<u8>(scratch, 4) == 0x45) {
    // `VALUE`: the variable is named by the last `name` key before the value (context.ts nameBeforeValue).
    const named = lastNameKey(text, valueStart);
    if (named == 0) return false;
    return named < 0 || qualifies(named, text, end, operator, valueEnd, run);
  }
  return qualifies(length, text, end, operator, valueEnd, run);
}

/**
 * The normalised name (in `scratch`, its length returned) of the last `name` key in the 300 bytes before `valueStart`,
 * as context.ts NAME_KEY finds it: matches from left to right, each search going on after the previous match,
 * `(?:^|[^A-Za-z0-9_])["']?name["']?[ \t]*[:=][ \t]*["']?([A-Za-z_][A-Za-z0-9_.-]{0,127})` in any case, `^` being the
 * window's start. 0 when there is none, -1 when the name is too long to test.
 */
function lastNameKey(text: usize, valueStart: usize): i32 {
  const from = valueStart - text > NAME_WINDOW ? valueStart - NAME_WINDOW : text;
  let lastStart: usize = 0;
  let lastEnd: usize = 0;
  let m = from;
  while (m + 4 < valueStart) {
    // The boundary: the window's start, or one byte that is not a word byte.
    let r: usize = 0;
    let identifierEnd: usize = 0;
    if (m == from) {
      r = nameKeyFrom(m, valueStart);
      if (r != 0) identifierEnd = nameKeyEnd;
    }
    if (identifierEnd == 0 && !isWord(load<u8>(m))) {
      r = nameKeyFrom(m + 1, valueStart);
      if (r != 0) identifierEnd = nameKeyEnd;
    }
    if (identifierEnd == 0) {
      m++;
      continue;
    }
    lastStart = r;
    lastEnd = identifierEnd;
    m = identifierEnd;
  }
  return lastEnd == 0 ? 0 : normalizeInto(lastStart, lastEnd);
}

/** Where the identifier of a name key starting at `r` (after its boundary) starts, or 0; its end goes to nameKeyEnd. */
let nameKeyEnd: usize = 0;
function nameKeyFrom(start: usize, limit: usize): usize {
  let r = start;
  if (r < limit && (load<u8>(r) == 0x22 || load<u8>(r) == 0x27)) r++;
  if (r + 4 > limit || (load<u32>(r) | 0x20202020) != 0x656d616e) return 0; // "name", any case
  r += 4;
  if (r < limit && (load<u8>(r) == 0x22 || load<u8>(r) == 0x27)) r++;
  while (r < limit && isBlank(load<u8>(r))) r++;
  if (r >= limit || (load<u8>(r) != 0x3a && load<u8>(r) != 0x3d)) return 0;
  r++;
  while (r < limit && isBlank(load<u8>(r))) r++;
  if (r < limit && (load<u8>(r) == 0x22 || load<u8>(r) == 0x27)) r++;
  if (r >= limit) return 0;
  const first = load<u8>(r);
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a) || first == 0x5f)) return 0;
  let e = r + 1;
  while (e < limit && e - r < 128 && isIdentifierByte(load<u8>(e))) e++;
  nameKeyEnd = e;
  return r;
}

/** The test of variableQualifies for the normalised name in `scratch` (`length` bytes). */
function qualifies(length: i32, text: usize, end: usize, operator: usize, valueEnd: usize, run: i32): bool {
  if (run >= namedShortest && run <= namedLongest && isNamedVariable(length)) return true;
  if (run < keywordShortest || run > keywordLongest || !containsAny(scratch, length, credentialWords)) return false;
  if (containsAny(scratch, length, keywordNames)) return true;
  // The text near the value (context.ts nearbyText: up to 300 bytes before the operator, the line after the value).
  const from = operator - text > NEAR_WINDOW ? operator - NEAR_WINDOW : text;
  const to = end - valueEnd > NEAR_WINDOW ? valueEnd + NEAR_WINDOW : end;
  return keywordNear(from, to);
}

// What keywordNear has read of the current text (reset for each text). The windows of successive operators overlap
// and move forward, so each byte is read about once, not once per operator near it.
/** Positions before this have been checked for non-ASCII bytes; the last one found, plus one (0: none). */
let asciiChecked: usize = 0;
let lastNonAscii: usize = 0;
/** Keyword starts before this are known to start no keyword; the last keyword found, `[start, end)`. */
let keywordsChecked: usize = 0;
let keywordStart: usize = 0;
let keywordEnd: usize = 0;
/** The longest keyword (set by configure). */
let longestKeyword: usize = 0;

/**
 * Whether a keyword (lower case, ASCII letters folded) lies within `[from, to)`, or a non-ASCII byte does: the
 * detectors lower-case with Unicode rules, by which a few other letters become ASCII ones (`İ` gives `i`).
 */
function keywordNear(from: usize, to: usize): bool {
  for (let k = from > asciiChecked ? from : asciiChecked; k < to; k++) if (load<u8>(k) >= 0x80) lastNonAscii = k + 1;
  if (to > asciiChecked) asciiChecked = to;
  if (lastNonAscii > from && lastNonAscii <= to) return true;
  if (keywordEnd != 0 && keywordStart >= from && keywordEnd <= to) return true;
  const count = <i32>load<u8>(keywordLines);
  for (let start = from > keywordsChecked ? from : keywordsChecked; start < to; start++) {
    let item = keywordLines + 1;
    for (let n = 0; n < count; n++) {
      const size = <usize>load<u8>(item);
      if (to - start >= size) {
        let same = true;
        for (let q: usize = 0; q < size; q++) {
          let b = load<u8>(start + q);
          if (b >= 0x41 && b <= 0x5a) b |= 0x20;
          if (b != load<u8>(item + 1 + q)) {
            same = false;
            break;
          }
        }
        if (same) {
          keywordStart = start;
          keywordEnd = start + size;
          return true;
        }
      }
      item += 1 + size;
    }
    // Every keyword fits between `start` and `to`: none starts here, whatever window comes next.
    if (to - start >= longestKeyword && start + 1 > keywordsChecked) keywordsChecked = start + 1;
  }
  return false;
}

const NAME_WINDOW: usize = 300;
const NEAR_WINDOW: usize = 300;
const MAX_NAME = 128;
/** The normalised name being tested (context.ts normalizeName), in this module's static data. */
const scratch = memory.data(MAX_NAME + 8, 16);

function isNameByte(b: u8): bool {
  return isWord(b) || b == 0x2d || b == 0x2e || b == 0x24;
}

function isIdentifierByte(b: u8): bool {
  return isWord(b) || b == 0x2d || b == 0x2e;
}

/**
 * Writes to `scratch` the normalised form (context.ts normalizeName: the last dotted part, upper case, without `_`,
 * `-` and `$`) of the identifier ending at `last` (context.ts identifierEndingAt), and returns its length; -1 when the
 * identifier is longer than the detectors read.
 */
function normalizedIdentifier(text: usize, last: usize): i32 {
  let start = last + 1;
  const stop = last - text > <usize>MAX_NAME ? last - <usize>MAX_NAME : text;
  while (start > stop && isNameByte(load<u8>(start - 1))) start--;
  if (start > text && start == stop && isNameByte(load<u8>(start - 1))) return -1;
  return normalizeInto(start, last + 1);
}

/**
 * Writes to `scratch` the normalised form of the identifier `[start, end)` (context.ts normalizeName: the last dotted
 * part, upper case, without `_`, `-` and `$`) and returns its length.
 */
function normalizeInto(start: usize, end: usize): i32 {
  let dot = start;
  for (let k = start; k < end; k++) if (load<u8>(k) == 0x2e) dot = k + 1;
  let length = 0;
  for (let k = dot; k < end; k++) {
    let b = load<u8>(k);
    if (b == 0x5f || b == 0x2d || b == 0x24) continue;
    if (b >= 0x61 && b <= 0x7a) b -= 0x20;
    store<u8>(scratch + <usize>length, b);
    length++;
  }
  return length;
}

/** Whether the name in `scratch` is in the host's hash table of variable names (FNV-1a, open addressing). */
function isNamedVariable(length: i32): bool {
  if (namedMask == 0) return false;
  let hash: u32 = 0x811c9dc5;
  for (let k = 0; k < length; k++) hash = (hash ^ <u32>load<u8>(scratch + <usize>k)) * 0x01000193;
  let slot = hash & namedMask;
  while (true) {
    const entry = <usize>load<u32>(namedTable + (<usize>slot << 2));
    if (entry == 0) return false;
    if (<i32>load<u8>(entry) == length && memory.compare(entry + 1, scratch, <usize>length) == 0) return true;
    slot = (slot + 1) & namedMask;
  }
}

/**
 * Whether `[at, at + length)` contains one of the strings of a list (a count byte, then each string as a length byte
 * and its bytes), compared byte for byte (the names in `scratch` are already upper case, as are the lists tested there).
 */
function containsAny(at: usize, length: i32, list: usize): bool {
  const count = <i32>load<u8>(list);
  let item = list + 1;
  for (let n = 0; n < count; n++) {
    const size = <i32>load<u8>(item);
    for (let k = 0; k + size <= length; k++) {
      let same = true;
      for (let q = 0; q < size; q++) {
        if (load<u8>(at + <usize>(k + q)) != load<u8>(item + 1 + <usize>q)) {
          same = false;
          break;
        }
      }
      if (same) return true;
    }
    item += 1 + <usize>size;
  }
  return false;
}

/**
 * Where the credential word ends when the bytes ending at `last` (inclusive) are such a word in any case, then up to 3
 * closing quotes or brackets, then up to 16 blanks (the look-behind of detect.ts ASSIGNMENT_SOURCE, read backwards),
 * else -1.
 */
function wordEndBefore(text: usize, last: usize): isize {
  let i = <isize>last;
  const first = <isize>text;
  let n = 0;
  while (n < 16 && i >= first && isBlank(load<u8>(<usize>i))) {
    i--;
    n++;
  }
  n = 0;
  while (n < 3 && i >= first && isCloser(load<u8>(<usize>i))) {
    i--;
    n++;
  }
  if (i < first || load<u8>(wordEnds + <usize>load<u8>(<usize>i)) != 1) return -1;
  let w = words;
  for (let k = 0; k < wordCount; k++) {
    const length = <isize>load<u8>(w);
    if (i - length + 1 >= first) {
      let same = true;
      for (let q: isize = 0; q < length; q++) {
        let b = load<u8>(<usize>(i - length + 1 + q));
        if (b >= 0x41 && b <= 0x5a) b |= 0x20;
        if (b != load<u8>(w + 1 + <usize>q)) {
          same = false;
          break;
        }
      }
      if (same) return i;
    }
    w += 1 + <usize>length;
  }
  return -1;
}

function isBlank(b: u8): bool {
  return b == 0x20 || b == 0x09;
}

function isQuote(b: u8): bool {
  return b == 0x22 || b == 0x27 || b == 0x60;
}

/** A quote, `]` or `\` between a credential word and its operator (`"key": `, `env['KEY'] =`, `\"key\":`). */
function isCloser(b: u8): bool {
  return isQuote(b) || b == 0x5d || b == 0x5c;
}
