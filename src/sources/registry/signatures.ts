// npm registry signatures, checked the way `npm audit signatures` checks them (npm/cli lib/utils/verify-signatures.js
// hands each version to pacote, whose lib/registry.js does the work): the registry signs the string
// `${name}@${version}:${integrity}` with ECDSA P-256 / SHA-256; the public keys are served at `/-/npm/v1/keys`
// (`{ keys: [{ keyid, key: base64 SPKI DER, expires }] }`); a key is valid for versions published before its
// `expires` (a version without a publish time counts as published on 2015-01-01, pacote's cut-off).
// https://docs.npmjs.com/about-registry-signatures
import { createPublicKey, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import type { SignatureStatus } from "./types.js";

/** pacote's stand-in publish time for very old versions whose packument has no `time` entry. */
const MISSING_TIME_CUTOFF = "2015-01-01T00:00:00.000Z";

/** One registry signing key. */
export interface RegistryKey {
  keyid: string;
  /** Base64 DER SubjectPublicKeyInfo, as `/-/npm/v1/keys` serves it. */
  key: string;
  /** ISO time after which the key signs nothing new; null for a current key. */
  expires: string | null;
}

/** One `dist.signatures` entry. */
export interface NpmSignature {
  keyid: string;
  sig: string;
}

/**
 * Parses a `/-/npm/v1/keys` body. Entries without a key id or key are skipped; undefined when the body has no
 * `keys` array (not a keys document).
 */
export function parseRegistryKeys(body: unknown): RegistryKey[] | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const keys = (body as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) return undefined;
  const out: RegistryKey[] = [];
  for (const entry of keys) {
    if (typeof entry !== "object" || entry === null) continue;
    const { keyid, key, expires } = entry as { keyid?: unknown; key?: unknown; expires?: unknown };
    if (typeof keyid !== "string" || typeof key !== "string") continue;
    out.push({ keyid, key, expires: typeof expires === "string" ? expires : null });
  }
  return out;
}

/** Public keys decoded once per registry. */
export class KeyRing {
  private readonly decoded = new Map<string, KeyObject | null>();

  constructor(readonly keys: readonly RegistryKey[]) {}

  /** The key with this id, or undefined. */
  find(keyid: string): RegistryKey | undefined {
    return this.keys.find((k) => k.keyid === keyid);
  }

  /** The decoded public key, or null when it does not decode as an SPKI DER key. */
  publicKey(key: RegistryKey): KeyObject | null {
    let decoded = this.decoded.get(key.keyid);
    if (decoded === undefined) {
      try {
        decoded = createPublicKey({ key: Buffer.from(key.key, "base64"), format: "der", type: "spki" });
      } catch {
        decoded = null;
      }
      this.decoded.set(key.keyid, decoded);
    }
    return decoded;
  }
}

/** What {@link checkSignatures} needs about one version. */
export interface SignedVersion {
  name: string;
  version: string;
  /** The registry's `dist.integrity` (or `sha1-<base64>` from `dist.shasum` when there is no integrity). */
  integrity: string;
  /** `time[version]`, when the packument has it. */
  published?: string;
  signatures: readonly NpmSignature[];
}

/**
 * Checks a version's registry signatures against the registry's keys, as pacote does: every signature must name a
 * known key, the key must not have expired before the version was published, and the signature must verify over
 * `${name}@${version}:${integrity}`. With no keys there is nothing to check (`unchecked`); with keys, a version
 * without signatures is `missing`.
 */
export function checkSignatures(version: SignedVersion, ring: KeyRing | undefined): { status: SignatureStatus; keyid?: string } {
  if (!ring || ring.keys.length === 0) return { status: "unchecked" };
  if (version.signatures.length === 0) return { status: "missing" };
  const message = Buffer.from(`${version.name}@${version.version}:${version.integrity}`, "utf8");
  const publishedAt = Date.parse(version.published ?? MISSING_TIME_CUTOFF);
  for (const signature of version.signatures) {
    const key = ring.find(signature.keyid);
    if (!key) return { status: "unknown-key", keyid: signature.keyid };
    if (key.expires !== null && !(publishedAt < Date.parse(key.expires))) return { status: "expired-key", keyid: key.keyid };
    const publicKey = ring.publicKey(key);
    if (!publicKey) return { status: "unknown-key", keyid: key.keyid };
    let valid = false;
    try {
      valid = verify("sha256", message, publicKey, Buffer.from(signature.sig, "base64"));
    } catch {
      valid = false;
    }
    if (!valid) return { status: "invalid", keyid: key.keyid };
  }
  return { status: "verified", keyid: version.signatures[0]?.keyid };
}

/** `sha1-<base64>` from a hex sha1, the SRI form pacote signs when a version has only `dist.shasum`. */
export function sha1Integrity(shasumHex: string): string {
  return `sha1-${Buffer.from(shasumHex, "hex").toString("base64")}`;
}
