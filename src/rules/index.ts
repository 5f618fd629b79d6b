// Every rule, in the order their documentation lists them. A literal list on purpose: `registry.test.ts` checks that
// every rule file is registered, has tests, a unique id and complete docs. The credential rules are listed in
// ./secret-rules.ts, which `aiwarden secrets` loads alone.
import { ciInstallCommand } from "./ci-install-command.js";
import { cooldownNotConfigured } from "./cooldown-not-configured.js";
import { expiredIgnore } from "./expired-ignore.js";
import { hashMismatch } from "./hash-mismatch.js";
import { insecureSource } from "./insecure-source.js";
import { installScript } from "./install-script.js";
import { invalidSignature } from "./invalid-signature.js";
import { knownCompromised } from "./known-compromised.js";
import { knownVulnerability } from "./known-vulnerability.js";
import { lockfileMissing } from "./lockfile-missing.js";
import { lockfileNotCommitted } from "./lockfile-not-committed.js";
import { lockfileOutOfSync } from "./lockfile-out-of-sync.js";
import { maliciousPackage } from "./malicious-package.js";
import { missingIntegrity } from "./missing-integrity.js";
import { newPublisher } from "./new-publisher.js";
import { nonRegistrySource } from "./non-registry-source.js";
import { partialHashes } from "./partial-hashes.js";
import { provenanceDowngrade } from "./provenance-downgrade.js";
import { removedRelease } from "./removed-release.js";
import type { Rule } from "./rule.js";
import { secretRules } from "./secret-rules.js";
import { typosquat } from "./typosquat.js";
import { unapprovedRegistry } from "./unapproved-registry.js";
import { unpinnedAction } from "./unpinned-action.js";
import { unpinnedAiDependency } from "./unpinned-ai-dependency.js";
import { unpinnedContainerImage } from "./unpinned-container-image.js";
import { weakIntegrity } from "./weak-integrity.js";
import { youngRelease } from "./young-release.js";

/** The rules `aiwarden scan` runs. */
export const rules: readonly Rule[] = [
  knownCompromised,
  maliciousPackage,
  knownVulnerability,
  removedRelease,
  hashMismatch,
  invalidSignature,
  provenanceDowngrade,
  newPublisher,
  youngRelease,
  cooldownNotConfigured,
  typosquat,
  lockfileMissing,
  lockfileNotCommitted,
  lockfileOutOfSync,
  missingIntegrity,
  weakIntegrity,
  partialHashes,
  unpinnedAiDependency,
  installScript,
  nonRegistrySource,
  insecureSource,
  unapprovedRegistry,
  ciInstallCommand,
  unpinnedAction,
  unpinnedContainerImage,
  ...secretRules,
  expiredIgnore,
];
