// What the secret scan hands to the rules (ScanContext.facts.secrets): where credentials sit in the tree and in git
// history, which `.env` files hold values, and what the inline markers accepted. No key text: a fingerprint and a
// redacted prefix identify each credential, so these facts can be serialised, logged and rendered safely.
import type { DeployContext, FileKind } from "./file-kinds.js";
import type { KeyOccurrence } from "./hygiene.js";
import type { Confidence } from "./types.js";

/** The public description of the detector that found a credential. */
export interface SecretDetectorInfo {
  id: string;
  provider: string;
  kind: string;
  confidence: Confidence;
}

/** One credential at one place in the working tree. */
export interface SecretOccurrence {
  /** Root-relative POSIX path. */
  path: string;
  line: number;
  column: number;
  detector: SecretDetectorInfo;
  /** 16 hex characters of SHA-256 over the key (the same key anywhere has the same fingerprint). */
  fingerprint: string;
  /** The public prefix and an ellipsis (`sk-proj-…`). */
  redacted: string;
  /** The variable or key it is assigned to, when the text shows one. */
  variable?: string;
  /** True when git tracks the file; false for an untracked file the ignore rules do not exclude, and outside git. */
  tracked: boolean;
  fileKind: FileKind;
  /** Set when the credential is a literal in a deployment setting (Dockerfile ENV/ARG, Kubernetes env, compose). */
  deploy?: DeployContext;
  /** Set for notebooks: the cell (0-based) and whether the key sits in its source or in a saved output. */
  notebook?: { cell: number; part: "source" | "output" | "metadata" };
  /** An `aiwarden-ignore` marker without a reason governs this line: it does not count, and the finding says so. */
  markerWithoutReason?: boolean;
  /** In a scan of several roots: the root it was found under (its display prefix, which `path` starts with). */
  repository?: string;
}

/** An occurrence an inline `aiwarden-ignore: <reason>` marker accepted. */
export interface SuppressedSecret {
  occurrence: SecretOccurrence;
  reason: string;
  /** The line holding the marker (the occurrence's line or the one before). */
  markerLine: number;
}

/** One `.env`-style file and what its assignments hold (names and lines only, never values). */
export interface EnvFileFact {
  path: string;
  tracked: boolean;
  /** `.env.example`, `.env.sample`, `.env.template`, …: meant to be committed with placeholders. */
  template: boolean;
  /** Assignments with a value that is not empty or a placeholder. */
  values: number;
  /** Assignments whose value looks like a credential (secret-named variable with a real value, URL with a password). */
  secretLike: Array<{ variable: string; line: number }>;
  /** First line holding a value, for the finding's location. */
  firstValueLine?: number;
}

/** One credential found in git history, once per fingerprint. */
export interface HistorySecret {
  fingerprint: string;
  detector: SecretDetectorInfo;
  redacted: string;
  variable?: string;
  /** The oldest commit that adds a blob holding the key, when the log pass could tell. */
  commit?: string;
  /** Its author date (ISO 8601). */
  authorDate?: string;
  /** The path of that blob in that commit (else the path the object walk saw it at). */
  path: string;
  /** The line of the key in that blob. */
  line: number;
  /** True when a blob of HEAD's tree holds the key. */
  stillPresent: boolean;
  /** In a scan of several roots: the root whose history holds it (its display prefix, which `path` starts with). */
  repository?: string;
  /** How many distinct blobs (file versions) hold the key. */
  blobs: number;
}

/** What the history scan read and skipped. */
export interface HistoryFacts {
  secrets: HistorySecret[];
  /** Keys every history occurrence of which an inline marker accepted. */
  suppressed: Array<{ fingerprint: string; path: string; reason: string }>;
  /** Blobs read and their total size. */
  blobs: number;
  bytes: number;
  /** Blobs not read: over the size limit, or binary. */
  skippedLarge: number;
  skippedBinary: number;
  /** Set when git could not be asked (not a repository, git missing, a command failed): the reason, one line. */
  error?: string;
}

/** Everything the secret scan found under one root. */
export interface SecretFacts {
  /** True when the root is inside a git work tree (tracked flags and the .env rules depend on it). */
  git: boolean;
  occurrences: SecretOccurrence[];
  suppressed: SuppressedSecret[];
  envFiles: EnvFileFact[];
  /** Present when history was scanned (`--history`). */
  history?: HistoryFacts;
}

/**
 * The places of every credential, as key hygiene (hygiene.ts: inventory, reuse across environments, rotation) reads
 * them: each tree occurrence, plus each history key that the tree no longer holds (`historyOnly`). Occurrences an
 * inline marker accepted are left out.
 */
export function keyOccurrences(facts: SecretFacts): KeyOccurrence[] {
  const out: KeyOccurrence[] = facts.occurrences.map((o) => ({
    fingerprint: o.fingerprint, redacted: o.redacted, provider: o.detector.provider, detector: o.detector.id, path: o.path, line: o.line,
    ...(o.variable !== undefined ? { variable: o.variable } : {}), ...(o.repository !== undefined ? { repository: o.repository } : {}),
  }));
  const inTree = new Set(facts.occurrences.map((o) => o.fingerprint));
  for (const s of facts.history?.secrets ?? []) {
    if (inTree.has(s.fingerprint)) continue;
    out.push({
      fingerprint: s.fingerprint, redacted: s.redacted, provider: s.detector.provider, detector: s.detector.id, path: s.path, line: s.line,
      ...(s.variable !== undefined ? { variable: s.variable } : {}), ...(s.repository !== undefined ? { repository: s.repository } : {}), historyOnly: true,
    });
  }
  return out;
}
