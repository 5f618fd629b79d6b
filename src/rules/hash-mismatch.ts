import type { Hash, PackageNode } from "../graph/package-node.js";
import type { RegistryVersionFacts } from "../sources/registry/types.js";
import type { FindingDraft, Rule } from "./rule.js";
import { lockedWithFacts, lockSite, registryFacts } from "./support/registry-facts.js";
import { packageOf } from "./support/supply-chain.js";

/**
 * AIW-HASH-004: the lockfile's integrity for a version differs from what the registry publishes for it. Either the
 * lockfile was edited to point at other bytes, or the registry now serves a different artifact under the same
 * version. Both mean the install is not what was reviewed.
 */
export const hashMismatch: Rule = {
  id: "AIW-HASH-004",
  title: "Lockfile hash differs from the registry's",
  severity: "critical",
  docs: {
    what: "A locked version whose lockfile hash does not match its registry. npm, yarn and pnpm: the lockfile's sha512 `integrity` against the packument's `dist.integrity`, and a sha1 (`sha1-…` integrity or yarn's `#<sha1>` fragment) against `dist.shasum`, compared only where both sides have the algorithm (yarn berry's `checksum` hashes yarn's cache zip, not the tarball, and is left alone). PyPI (uv, poetry, Pipfile.lock, requirements `--hash`): every sha256 the lockfile records must be one of the file digests PyPI lists for that release (a release may gain files later, so extra registry files are fine). Needs registry facts; versions the registry no longer serves are AIW-REGISTRY-001's. Always critical.",
    why: "The lockfile's hash is what makes an install reproducible and tamper-evident. A hash that no registry ever served means someone changed the lockfile (a malicious pull request can swap an integrity and a resolved URL to an attacker's tarball; reviewers rarely read lockfile diffs), or the registry or a mirror now serves different bytes for the same version — either way the code that would be installed is not the code that was published and reviewed.",
    fix: "Do not install from this lockfile. Find the change that introduced the hash (`git log -p` on the lockfile), restore the registry's value by regenerating the entry, and find out how the other hash got there.",
    references: [
      "https://docs.npmjs.com/cli/configuring-npm/package-lock-json#packages",
      "https://snyk.io/blog/why-npm-lockfiles-can-be-a-security-blindspot-for-injecting-malicious-modules/",
      "https://docs.pypi.org/api/json/",
    ],
  },
  check(context) {
    const facts = registryFacts(context);
    if (!facts) return [];
    const drafts: FindingDraft[] = [];
    for (const project of context.projects) {
      for (const { node, version } of lockedWithFacts(facts, project)) {
        if (!version || node.hashes.length === 0) continue;
        const mismatch = project.ecosystem === "npm" ? npmMismatch(node, version) : pypiMismatch(node, version);
        if (!mismatch) continue;
        drafts.push({
          severity: "critical",
          message: `${node.name} ${node.version}: the lockfile's ${mismatch.algorithm} ${mismatch.lock} is not what ${project.ecosystem === "npm" ? "the registry" : "PyPI"} publishes for this version (${mismatch.registry}), so the lockfile was edited or the artifact was replaced.`,
          fix: `Do not install from this lockfile: find the commit that introduced this hash (\`git log -p -- ${lockSite(project, node).file}\`), regenerate the entry from the registry, and investigate how the other hash got there.`,
          ...lockSite(project, node),
          project: project.path,
          package: packageOf(project, node),
          key: [project.path, node.id, mismatch.algorithm],
        });
      }
    }
    return drafts;
  },
};

/** A mismatch, with both sides shortened for the message. */
interface Mismatch {
  algorithm: string;
  lock: string;
  registry: string;
}

/** sha512 against `dist.integrity`, sha1 against `dist.shasum`; other algorithms and yarn berry checksums are skipped. */
function npmMismatch(node: PackageNode, version: RegistryVersionFacts): Mismatch | undefined {
  const registry512 = version.integrity ? sriDigests(version.integrity, "sha512") : [];
  for (const hash of node.hashes) {
    if (hash.algorithm === "sha512") {
      // Yarn berry's checksum (`10c0/<hex>` or bare hex) hashes yarn's cache zip: never comparable with the tarball.
      if (registry512.length === 0 || isBerryChecksum(hash.value)) continue;
      if (!registry512.includes(hash.value)) return { algorithm: "sha512", lock: shorten(`sha512-${hash.value}`), registry: shorten(`sha512-${registry512[0] ?? ""}`) };
    } else if (hash.algorithm === "sha1") {
      const registrySha1 = version.shasum ?? (version.integrity ? sriDigests(version.integrity, "sha1").map(base64ToHex)[0] : undefined);
      const lockHex = sha1Hex(hash);
      if (registrySha1 === undefined || lockHex === undefined) continue;
      if (lockHex !== registrySha1.toLowerCase()) return { algorithm: "sha1", lock: lockHex, registry: registrySha1.toLowerCase() };
    }
  }
  return undefined;
}

/** Every sha256 of the lock must be among the release's file digests. */
function pypiMismatch(node: PackageNode, version: RegistryVersionFacts): Mismatch | undefined {
  const published = version.fileSha256;
  if (!published || published.length === 0) return undefined;
  const known = new Set(published);
  for (const hash of node.hashes) {
    if (hash.algorithm !== "sha256") continue;
    const value = hash.value.toLowerCase();
    if (!known.has(value)) {
      return { algorithm: "sha256", lock: shorten(value), registry: `${published.length} file digest${published.length === 1 ? "" : "s"}, none of them this one` };
    }
  }
  return undefined;
}

/** The base64 digests of one algorithm in an SRI string (`sha512-<b64> sha1-<b64>`). */
function sriDigests(integrity: string, algorithm: string): string[] {
  const out: string[] = [];
  for (const token of integrity.trim().split(/\s+/)) {
    const dash = token.indexOf("-");
    if (dash <= 0 || token.slice(0, dash).toLowerCase() !== algorithm) continue;
    const question = token.indexOf("?", dash);
    out.push(question < 0 ? token.slice(dash + 1) : token.slice(dash + 1, question));
  }
  return out;
}

function isBerryChecksum(value: string): boolean {
  return value.includes("/") ? /^[0-9a-z]+\/[0-9a-f]+$/i.test(value) : /^[0-9a-f]{128}$/i.test(value);
}

/** A lock's sha1 as lower-case hex: yarn classic writes hex, SRI writes base64. */
function sha1Hex(hash: Hash): string | undefined {
  if (/^[0-9a-f]{40}$/i.test(hash.value)) return hash.value.toLowerCase();
  const hex = base64ToHex(hash.value);
  return hex.length === 40 ? hex : undefined;
}

function base64ToHex(value: string): string {
  return Buffer.from(value, "base64").toString("hex");
}

/** The first and last characters of a long digest, enough to find it in a diff. */
function shorten(value: string): string {
  return value.length > 40 ? `${value.slice(0, 24)}…${value.slice(-8)}` : value;
}
