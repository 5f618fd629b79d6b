// The only forms of a key that may leave the scanner: a fingerprint (a truncated SHA-256, stable across machines so
// the rotation registry, CI and a laptop agree, and useless for recovering a high-entropy key) and a redacted form
// that shows the detector's public prefix and nothing of the secret body.
import { createHash } from "node:crypto";
import type { Detector } from "./types.js";

/** Longest public prefix shown; longer prefixes are cut after a separator (`sk-ant-api03-` → `sk-ant-`). */
const MAX_SHOWN = 12;

/** The first 16 hex characters of SHA-256 over the key (UTF-8). The same key always gives the same fingerprint. */
export function fingerprintSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex").slice(0, 16);
}

/**
 * The key's public prefix and an ellipsis: `sk-proj-…`, `gsk_…`, `AKIA…`, or just `…` for keys without a prefix.
 * Prefixes are constants of the format (the same in every key of that kind), so they reveal nothing of the key;
 * nothing after the prefix is ever shown.
 */
export function redact(secret: string, detector: Detector): string {
  const prefix = (detector.prefixes ?? []).filter((p) => secret.startsWith(p) && p.length < secret.length).sort((a, b) => b.length - a.length)[0];
  return `${prefix === undefined ? "" : shownPrefix(prefix)}…`;
}

/** The part of a prefix that is shown: whole up to 12 characters, else cut after the last separator within 12. */
export function shownPrefix(prefix: string): string {
  if (prefix.length <= MAX_SHOWN) return prefix.trimEnd();
  const head = prefix.slice(0, MAX_SHOWN);
  const cut = Math.max(head.lastIndexOf("-"), head.lastIndexOf("_"));
  return (cut > 0 ? head.slice(0, cut + 1) : prefix.slice(0, 6)).trimEnd();
}
