// What is not a secret even though it has a key's shape: placeholders, examples and made-up values. The rules are
// documented in docs/secret-detectors.md ("Placeholders and examples"); every one is linear in the value length.
//
// 1. Markers inside the value (case-insensitive): example, sample, dummy, placeholder, changeme, change_me, replace,
//    redacted, insert, secret, passw, apikey, api_key, api-key; the short ones (your, test, fake, demo) only where
//    they touch the start or end of the value or a non-letter (`sk-test-…`, `your_key`, `fake123`), since four
//    letters in a row turn up by chance in about one random key in ten thousand; and xxxx or XXXX anywhere.
// 2. Runs that people type, not generators: the same character six times in a row, or six consecutive characters in
//    ascending or descending order (`123456`, `abcdef`, `FEDCBA`).
// 3. A value made of one short unit repeated (`abc1abc1abc1…`, period up to 8, at least 90% of positions).
// 4. Entropy below the detector's minimum (a property of the detector, checked by the caller).
// Values that are not literals never reach these checks: `${OPENAI_API_KEY}`, `$OPENAI_API_KEY`,
// `{{ secrets.X }}`, `<your-key>`, `os.environ[...]` and `process.env.X` fail the token's character class or the
// assignment parser (context.ts), and `sk-...` is too short.

/** Substrings that mark a value as made up wherever they are (compared in lower case). */
export const PLACEHOLDER_MARKERS: readonly string[] = [
  "example", "sample", "dummy", "placeholder", "changeme", "change_me", "replace", "redacted", "insert", "secret",
  "passw", "apikey", "api_key", "api-key",
];

/** Short markers, counted only where they touch the value's edge or a non-letter (compared in lower case). */
export const SHORT_PLACEHOLDER_MARKERS: readonly string[] = ["your", "test", "fake", "demo"];

/**
 * Phrases on the same line that mark a value as an example in documentation or comments (compared in lower case).
 * Deliberately not the bare word "example", which also appears in host names (api.example.com) next to real keys.
 */
export const EXAMPLE_LINE_MARKERS: readonly string[] = ["e.g.", "for example", "example:", "example key", "example token", "placeholder", "dummy", "fake key", "fake token"];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Every marker as one case-insensitive alternation of literals (linear). */
const MARKER = new RegExp(PLACEHOLDER_MARKERS.map(escape).join("|"), "i");
/** A short marker touching the value's edge or a non-letter on at least one side. */
const SHORT = SHORT_PLACEHOLDER_MARKERS.join("|");
const SHORT_MARKER = new RegExp(`(?<![a-z])(?:${SHORT})|(?:${SHORT})(?![a-z])`, "i");

/** Why a value counts as a placeholder, or undefined when it may be real. */
export function placeholderReason(value: string): string | undefined {
  const marker = MARKER.exec(value) ?? SHORT_MARKER.exec(value);
  if (marker) return `contains "${marker[0].toLowerCase()}"`;
  if (value.includes("xxxx") || value.includes("XXXX")) return "contains xxxx";
  if (hasTypedRun(value, 6)) return "has a typed run (repeated or consecutive characters)";
  if (isRepeatedUnit(value, 8)) return "repeats a short unit";
  return undefined;
}

/** Whether the value contains `length` equal characters in a row, or `length` consecutive ascending/descending ones. */
export function hasTypedRun(value: string, length: number): boolean {
  let same = 1;
  let up = 1;
  let down = 1;
  for (let i = 1; i < value.length; i++) {
    const step = value.charCodeAt(i) - value.charCodeAt(i - 1);
    same = step === 0 ? same + 1 : 1;
    up = step === 1 ? up + 1 : 1;
    down = step === -1 ? down + 1 : 1;
    if (same >= length || up >= length || down >= length) return true;
  }
  return false;
}

/** Whether at least 90% of the value repeats the character `period` places earlier, for some period up to `max`. */
export function isRepeatedUnit(value: string, max: number): boolean {
  if (value.length < 12) return false;
  for (let period = 1; period <= max && period * 2 <= value.length; period++) {
    let equal = 0;
    for (let i = period; i < value.length; i++) if (value.charCodeAt(i) === value.charCodeAt(i - period)) equal++;
    if (equal >= 0.9 * (value.length - period)) return true;
  }
  return false;
}

/**
 * Whether a path names an example or template file (`.env.example`, `config.sample.yml`, `secrets.template`,
 * `.env.dist`): values there are placeholders by convention, so only self-verifying formats are reported.
 */
export function isExamplePath(path: string): boolean {
  const name = (path.split(/[\\/]/).pop() ?? path).toLowerCase();
  const parts = name.split(".");
  const last = parts.length - 1;
  return parts.some((part, i) => i > 0 && (EXAMPLE_PARTS.has(part) || (i === last && part === "dist")));
}

const EXAMPLE_PARTS = new Set(["example", "examples", "sample", "samples", "template", "tmpl", "tpl"]);

const EXAMPLE_LINE = new RegExp(EXAMPLE_LINE_MARKERS.map(escape).join("|"), "i");

/** Whether the line text carries an example marker. */
export function hasExampleMarker(line: string): boolean {
  return EXAMPLE_LINE.test(line);
}
