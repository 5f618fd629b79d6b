// The --fail-on threshold shared by the commands that report findings (scan, secrets): its default, its parser, and
// the exit code it gives a result.
import { InvalidArgumentError } from "commander";
import type { FailOn } from "../config/config.js";
import { atLeast, SEVERITIES } from "../rules/rule.js";
import type { Severity } from "../rules/rule.js";
import type { ScanResult } from "../scan/result.js";
import { EXIT } from "./exit-codes.js";
import type { ExitCode } from "./exit-codes.js";

/** Default threshold for exit code 1 when neither --fail-on nor the configuration's failOn says otherwise. */
export const DEFAULT_FAIL_ON: FailOn = "high";

/** Findings at or above the threshold win (1); otherwise what the input alone calls for (0 or 3). */
export function exitCode(result: ScanResult, failOn: FailOn, inputCode: ExitCode): ExitCode {
  if (failOn !== "none" && result.findings.some((f) => atLeast(f.severity, failOn as Severity))) return EXIT.findings;
  return inputCode;
}

/** Commander parser for --fail-on. */
export function parseFailOn(value: string): FailOn {
  if (value === "none" || (SEVERITIES as readonly string[]).includes(value)) return value as FailOn;
  throw new InvalidArgumentError(`must be one of ${SEVERITIES.join(", ")}, none`);
}
