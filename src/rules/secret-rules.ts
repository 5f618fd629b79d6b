// The credential rules, in the order their documentation lists them: what `aiwarden secrets` runs. Kept apart from
// ./index.ts so that command loads these rules alone, not every supply-chain rule and the data those load (about
// 100 ms of start-up, a tenth of a large secret scan).
import { envFileCommitted } from "./env-file-committed.js";
import { envFileNotIgnored } from "./env-file-not-ignored.js";
import { keyNotRegistered } from "./key-not-registered.js";
import { keyPastRotation } from "./key-past-rotation.js";
import { keyReused } from "./key-reused.js";
import type { Rule } from "./rule.js";
import { secretInDeployConfig } from "./secret-in-deploy-config.js";
import { secretInFile } from "./secret-in-file.js";
import { secretInHistory } from "./secret-in-history.js";

export const secretRules: readonly Rule[] = [
  secretInFile,
  secretInHistory,
  secretInDeployConfig,
  envFileCommitted,
  envFileNotIgnored,
  keyReused,
  keyPastRotation,
  keyNotRegistered,
];
