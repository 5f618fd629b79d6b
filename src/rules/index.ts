// Every rule, in the order their documentation lists them. A literal list on purpose: `registry.test.ts` checks that
// every rule file is registered, has tests, a unique id and complete docs.
import { ciInstallCommand } from "./ci-install-command.js";
import { expiredIgnore } from "./expired-ignore.js";
import { insecureSource } from "./insecure-source.js";
import { installScript } from "./install-script.js";
import { knownCompromised } from "./known-compromised.js";
import { lockfileMissing } from "./lockfile-missing.js";
import { lockfileNotCommitted } from "./lockfile-not-committed.js";
import { lockfileOutOfSync } from "./lockfile-out-of-sync.js";
import { missingIntegrity } from "./missing-integrity.js";
import { nonRegistrySource } from "./non-registry-source.js";
import { partialHashes } from "./partial-hashes.js";
import type { Rule } from "./rule.js";
import { typosquat } from "./typosquat.js";
import { unapprovedRegistry } from "./unapproved-registry.js";
import { unpinnedAction } from "./unpinned-action.js";
import { unpinnedAiDependency } from "./unpinned-ai-dependency.js";
import { unpinnedContainerImage } from "./unpinned-container-image.js";
import { weakIntegrity } from "./weak-integrity.js";

/** The rules `aiwarden scan` runs. */
export const rules: readonly Rule[] = [
  knownCompromised,
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
  expiredIgnore,
];
