// Validation a detector can ask for on top of a token's shape: a checksum the issuer embeds, a minimum Shannon
// entropy, and minimum counts of character kinds. All are linear in the token length.

/** The checksum schemes detectors can name. */
export type ChecksumKind = "crc32-base62";

/** Minimum counts of upper-case letters, lower-case letters and digits in a token body. */
export interface CharCounts {
  upper?: number;
  lower?: number;
  digit?: number;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, the zlib one) of an ASCII string. Written out because zlib.crc32 needs Node 20.15. */
export function crc32(text: string): number {
  const table = (crcTable ??= buildCrcTable());
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = (crc >>> 8) ^ (table[(crc ^ text.charCodeAt(i)) & 0xff] ?? 0);
  return (crc ^ 0xffffffff) >>> 0;
}

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** A number in base 62 (digits, upper case, lower case), left-padded with `0` to `width`. */
export function base62(value: number, width: number): string {
  let out = "";
  let rest = value;
  do {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, "0");
}

/**
 * GitHub's and npm's token checksum: the last six characters are the CRC-32 of the random part before them, in base
 * 62. https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/ and
 * https://github.blog/2021-09-23-announcing-npms-new-access-token-format/
 */
export function hasValidChecksum(kind: ChecksumKind, body: string): boolean {
  if (kind !== "crc32-base62" || body.length <= 6) return false;
  return base62(crc32(body.slice(0, -6)), 6) === body.slice(-6);
}

/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128) return entropyWithMap(text);
    ASCII_COUNTS[code] = (ASCII_COUNTS[code] ?? 0) + 1;
  }
  // Read each count back once (clearing it, so the scratch table is all zeros again for the next call).
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const count = ASCII_COUNTS[code] ?? 0;
    if (count === 0) continue;
    ASCII_COUNTS[code] = 0;
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Scratch counts for shannonEntropy, all zero between calls. */
const ASCII_COUNTS = new Uint32Array(128);

function entropyWithMap(text: string): number {
  ASCII_COUNTS.fill(0);
  const counts = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Whether a body has at least the required number of each character kind. */
export function hasCounts(text: string, required: CharCounts): boolean {
  let upper = 0;
  let lower = 0;
  let digit = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c >= 48 && c <= 57) digit++;
  }
  return upper >= (required.upper ?? 0) && lower >= (required.lower ?? 0) && digit >= (required.digit ?? 0);
}
