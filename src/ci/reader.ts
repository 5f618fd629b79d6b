// What each CI reader returns, and helpers they share. The readers are pure functions of one file's text; ./extract.ts
// runs them, follows script and Makefile calls between files, and assembles CiFacts.
import type { ActionReference } from "../rules/rule.js";
import type { ScriptCommand } from "./script.js";
import type { ContainerImageReference } from "./types.js";

/** A command with the job facts the reader knows; extract.ts adds the environment. */
export interface ReaderCommand extends ScriptCommand {
  file: string;
  where: string;
  job?: string;
  jobSecrets: string[];
  jobPublishes: boolean;
  /** Makefile: the target whose recipe holds it. */
  target?: string;
}

/** A Makefile rule: its prerequisites (for following `make target`). */
export interface MakeRule {
  prerequisites: string[];
}

/** What a reader found in one file. */
export interface ReaderOutput {
  commands: ReaderCommand[];
  actions: ActionReference[];
  images: ContainerImageReference[];
  /** Set when the file could not be read as its kind (failed) or only partly (partial). */
  problem?: { status: "failed" | "partial"; reason: string };
  /** Makefiles: rules by target, and the default goal. */
  rules?: Map<string, MakeRule>;
  defaultGoal?: string;
  /** Shell scripts: the text, re-read when a caller's folder and variables become known. */
  script?: string;
}

/** An empty output with a problem. */
export function failed(reason: string): ReaderOutput {
  return { commands: [], actions: [], images: [], problem: { status: "failed", reason } };
}

/** Maps offsets in a text that starts on `firstLine` to file lines (binary search over the newline offsets). */
export function lineMapOf(text: string, firstLine: number): (offset: number) => number {
  const newlines: number[] = [];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) newlines.push(i);
  return (offset) => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((newlines[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return firstLine + lo;
  };
}

/** Names of GitHub secrets an expression text reads: `secrets.NAME`, `secrets['NAME']`, `secrets["NAME"]`. */
export function secretNames(text: string): string[] {
  const names = new Set<string>();
  for (let at = text.indexOf("secrets"); at >= 0; at = text.indexOf("secrets", at + 7)) {
    const before = at > 0 ? text[at - 1] as string : " ";
    if (/[A-Za-z0-9_.-]/.test(before)) continue;
    let j = at + 7;
    let name = "";
    if (text[j] === ".") {
      j++;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j] as string)) name += text[j++];
    } else if (text[j] === "[" && (text[j + 1] === "'" || text[j + 1] === "\"")) {
      const quote = text[j + 1] as string;
      const close = text.indexOf(quote, j + 2);
      if (close > 0 && close - j < 120) name = text.slice(j + 2, close);
    }
    if (name !== "") names.add(name);
  }
  return [...names].sort();
}

/** Names of `$NAME` / `${NAME}` variables a script text reads (GitLab CI/CD variables), without GitLab's own `CI_*`. */
export function variableNames(text: string): string[] {
  const names = new Set<string>();
  for (let at = text.indexOf("$"); at >= 0; at = text.indexOf("$", at + 1)) {
    let j = at + 1;
    if (text[j] === "{") j++;
    let name = "";
    while (j < text.length && /[A-Za-z0-9_]/.test(text[j] as string)) name += text[j++];
    if (name !== "" && /^[A-Za-z_]/.test(name) && !name.startsWith("CI_")) names.add(name);
  }
  return [...names].sort();
}

/** True for a variable name that looks like a credential (for GitLab, where secrets are plain variables). */
export function looksSecret(name: string): boolean {
  const upper = name.toUpperCase();
  return ["TOKEN", "PASSWORD", "SECRET", "_KEY", "APIKEY", "_PAT", "CREDENTIAL"].some((part) => upper.includes(part));
}
