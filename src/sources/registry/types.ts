// What the registries say about the locked packages, in the shape the registry rules read (src/rules/young-release.ts,
// removed-release.ts, hash-mismatch.ts, invalid-signature.ts, provenance-downgrade.ts, new-publisher.ts). Loaded once
// per scan by ./facts.ts in the enrich stage; the rules stay pure and are silent when these facts are absent.
import type { Ecosystem } from "../../graph/package-node.js";

/**
 * The outcome of checking an npm registry signature of one version (the `npm audit signatures` algorithm, see
 * ./signatures.ts): `verified`; `invalid` (the signature does not match `name@version:integrity`); `missing` (the
 * registry publishes signing keys, so it signs every version, yet this one carries none); `unknown-key` (signed with
 * a key id the registry does not publish); `expired-key` (signed with a key that had expired when the version was
 * published); `unchecked` (the registry publishes no keys, so there is nothing to check against).
 */
export type SignatureStatus = "verified" | "invalid" | "missing" | "unknown-key" | "expired-key" | "unchecked";

/** What a registry says about one version. Fields a registry does not serve stay undefined. */
export interface RegistryVersionFacts {
  version: string;
  /** When the registry says it was published (ISO 8601): npm `time[version]`, PyPI the earliest file upload. */
  published?: string;
  /** npm `deprecated` message. */
  deprecated?: string;
  /** PyPI: the release is yanked (PEP 592), with the maintainer's reason when given. */
  yanked?: { reason?: string };
  /** npm `dist.integrity` (SRI) as published. */
  integrity?: string;
  /** npm `dist.shasum` (hex sha1) as published. */
  shasum?: string;
  /** PyPI: `digests.sha256` (lower-case hex) of every file of the release. */
  fileSha256?: readonly string[];
  /** npm: the registry signature of the locked version, checked by the loader (only for locked versions). */
  signature?: { status: SignatureStatus; keyid?: string };
  /** npm: `dist.attestations` names an SLSA provenance statement (the version was built and published from CI). */
  provenance?: boolean;
  /** npm `_npmUser.name`: the account that published it. */
  publisher?: string;
  /** npm `_npmUser.trustedPublisher`: published through OIDC trusted publishing (no long-lived token). */
  trustedPublisher?: boolean;
}

/** What a registry says about one package. */
export interface RegistryPackageFacts {
  ecosystem: Ecosystem;
  /** Normalised for the ecosystem (PEP 503 for PyPI). */
  name: string;
  /** Base URL of the registry (or PyPI JSON API) the facts came from, for messages. */
  registry: string;
  /** `gone`: the registry serves no version of the package any more (unpublished, removed, or never there). */
  state: "present" | "gone";
  /**
   * npm: the version the registry put in place of a removed malicious package (`0.0.1-security`, from the
   * `npm/security-holder` repository), when the package is now only that placeholder.
   */
  securityHolder?: string;
  /** npm `time.unpublished`: when the package was unpublished and which versions it had. */
  unpublished?: { time?: string; versions: readonly string[] };
  /** Every version the registry serves, by version string. */
  versions: ReadonlyMap<string, RegistryVersionFacts>;
  /** npm: the registry publishes signing keys (`/-/npm/v1/keys`), so every version it serves should be signed. */
  signsAll: boolean;
}

/** Registry facts for one scan. */
export interface RegistryFacts {
  /** By {@link registryKey}. A package missing here was not checked (offline without cache, other registry, error). */
  packages: ReadonlyMap<string, RegistryPackageFacts>;
  /** When the scan gathered them (ISO 8601): "now" for release ages, with hour precision. */
  checkedAt: string;
}

/** The key of a package in {@link RegistryFacts.packages}: `npm:@scope/name`, `pypi:litellm`. */
export function registryKey(ecosystem: Ecosystem, name: string): string {
  return `${ecosystem}:${name}`;
}
