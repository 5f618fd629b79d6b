import type { Hash } from "../../graph/package-node.js";

/** Algorithms an SRI string may name that the graph records (https://www.w3.org/TR/SRI/#the-integrity-attribute). */
const SRI_ALGORITHMS = new Set(["sha1", "sha256", "sha384", "sha512", "md5"]);

/**
 * Parses a Subresource Integrity string (`sha512-<base64> sha1-<base64>`) as npm, yarn and pnpm write it.
 * Each whitespace-separated token is `<algorithm>-<base64>[?options]`; unknown algorithms are skipped.
 */
export function parseIntegrity(sri: string): Hash[] {
  const hashes: Hash[] = [];
  for (const token of sri.split(/\s+/)) {
    const dash = token.indexOf("-");
    if (dash <= 0) continue;
    const algorithm = token.slice(0, dash).toLowerCase();
    const question = token.indexOf("?", dash);
    const value = token.slice(dash + 1, question < 0 ? undefined : question);
    if (SRI_ALGORITHMS.has(algorithm) && value) hashes.push({ algorithm, value });
  }
  return hashes;
}

/** True when every character is a hexadecimal digit (a sha1 fragment, a git commit). */
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
