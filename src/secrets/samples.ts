// Sample credentials for tests, built at run time so that no key-shaped literal is ever stored in the repository
// (a stored one would trip GitHub push protection and aiwarden's own scan). Detector samples in
// data/secret-detectors.json are templates:
//   {alnum:30}  30 pseudo-random characters of a named class (alnum, letters, lower, upper, lowernum, hex, HEX,
//               digits, base32, b64, b64url, AtoL); deterministic for a given seed
//   {uuid}      a lower-case UUID
//   {crc32}     the 6-character base-62 CRC-32 of the random text generated so far (GitHub and npm checksums)
//   «…»         marks the secret inside a larger text (a true sample with context); without it the whole
//               expansion is the secret
import { base62, crc32 } from "./checks.js";
import { loadDetectorDocument } from "./detectors.js";

const CLASSES: Record<string, string> = {
  alnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  letters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  lower: "abcdefghijklmnopqrstuvwxyz",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  lowernum: "abcdefghijklmnopqrstuvwxyz0123456789",
  hex: "0123456789abcdef",
  HEX: "0123456789ABCDEF",
  digits: "0123456789",
  base32: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
  b64: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  b64url: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
  AtoL: "ABCDEFGHIJKL",
};

const TEMPLATE = /\{([A-Za-z0-9]+):(\d+)\}|\{(uuid|crc32)\}/g;

/** An expanded sample: the whole text, the secret in it and where the secret starts. */
export interface Sample {
  text: string;
  secret: string;
  offset: number;
}

/** A deterministic pseudo-random generator (mulberry32) seeded from a string (FNV-1a). */
export function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  let state = h;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Expands a sample template with a seed (the same seed always gives the same text). */
export function expandSample(template: string, seed: string): Sample {
  const random = seededRandom(seed);
  let generated = "";
  const draw = (alphabet: string, length: number) => {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
    generated += out;
    return out;
  };
  const expanded = template.replace(TEMPLATE, (whole: string, name: string | undefined, count: string | undefined, special: string | undefined) => {
    if (special === "crc32") return base62(crc32(generated), 6);
    if (special === "uuid") return `${draw(CLASSES.hex as string, 8)}-${draw(CLASSES.hex as string, 4)}-${draw(CLASSES.hex as string, 4)}-${draw(CLASSES.hex as string, 4)}-${draw(CLASSES.hex as string, 12)}`;
    const alphabet = name === undefined ? undefined : CLASSES[name];
    if (alphabet === undefined) return whole;
    return draw(alphabet, Number(count));
  });
  const open = expanded.indexOf("«");
  const close = expanded.indexOf("»");
  if (open < 0 || close < open) return { text: expanded, secret: expanded, offset: 0 };
  const text = expanded.slice(0, open) + expanded.slice(open + 1, close) + expanded.slice(close + 1);
  return { text, secret: expanded.slice(open + 1, close), offset: open };
}

/**
 * A format-valid, made-up credential for a shipped detector (its `index`-th true sample, expanded with `seed`), for
 * planting in test fixtures built at run time. Never a real key: bodies are pseudo-random.
 */
export function fakeSecret(detectorId: string, index = 0, seed = ""): string {
  const spec = loadDetectorDocument().detectors.find((d) => d.id === detectorId);
  if (!spec) throw new Error(`no detector "${detectorId}"`);
  const template = spec.samples.true[index % spec.samples.true.length] as string;
  return expandSample(template, `${detectorId}#${index}${seed}`).secret;
}
