/**
 * Exit codes, documented in the README. Distinct codes let CI tell "aiwarden found something" apart from
 * "aiwarden could not read part of the input" and from "aiwarden was called wrongly".
 */
export const EXIT = {
  /** Everything read, nothing to report at or above the failure threshold. */
  ok: 0,
  /** Findings at or above --fail-on, a manifest out of date, or `why` found no such package. */
  findings: 1,
  /** Bad command line or configuration. */
  usage: 2,
  /** Some input could not be read (a file failed), or nothing usable was found at all. */
  incomplete: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
