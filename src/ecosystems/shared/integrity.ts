// Integrity values as npm, yarn and pnpm lockfiles write them, read in one place.
import type { Hash } from "../../graph/package-node.js";

/**
 * Algorithms an SRI string may name that the graph records: the W3C SRI hashes (sha256/384/512) plus the sha1 and
 * md5 that old npm and yarn lockfiles still carry. Any other token is skipped.
 */
const SRI_ALGORITHMS: ReadonlySet<string> = new Set(["sha1", "sha256", "sha384", "sha512", "md5"]);

const WHITESPACE = /\s/;
const WHITESPACE_RUN = /\s+/;

/**
 * Splits a Subresource Integrity value (`sha512-<base64> sha1-<base64>`) into its hashes. Tokens are separated by
 * whitespace, each `<algorithm>-<value>[?options]` (https://w3c.github.io/webappsec-subresource-integrity/#the-integrity-attribute);
 * options are dropped, algorithms are lower-cased, and tokens with an unknown algorithm or no value are skipped.
 */
export function parseIntegrity(integrity: string): Hash[] {
  const hashes: Hash[] = [];
  // Built-in string operations rather than a character loop: lockfiles hold one value per package, and most of them
  // are read before the engine has compiled anything.
  const tokens = WHITESPACE.test(integrity) ? integrity.split(WHITESPACE_RUN) : [integrity];
  for (const token of tokens) {
    const dash = token.indexOf("-");
    if (dash <= 0) continue;
    const algorithm = token.slice(0, dash).toLowerCase();
    if (!SRI_ALGORITHMS.has(algorithm)) continue;
    const question = token.indexOf("?", dash);
    const value = question < 0 ? token.slice(dash + 1) : token.slice(dash + 1, question);
    if (value !== "") hashes.push({ algorithm, value });
  }
  return hashes;
}

/** True when the text is non-empty and every character is a hexadecimal digit (a sha1 fragment, a git commit). */
export function isHex(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    const lower = c >= 97 && c <= 102;
    const upper = c >= 65 && c <= 70;
    if (!digit && !lower && !upper) return false;
  }
  return true;
}
