// The shapes shared by the secret detectors, the tree and history scanners, key hygiene and the CLI. A secret's
// text lives only in memory while a file is scanned: everything that leaves this module carries the fingerprint and
// a redacted form, never the key (see redact.ts).

/** How sure a detector is that a match is a real credential. */
export type Confidence = "high" | "medium" | "low";

/** One detector, as data (data/secret-detectors.json) after validation and compilation. */
export interface Detector {
  /** Stable id, e.g. "openai-api-key", "aws-access-key-id". */
  id: string;
  /** Who issued the credential: "OpenAI", "Anthropic", "AWS", "GitHub", "npm", "PyPI", … */
  provider: string;
  /** What it is: "API key", "admin key", "publishing token", … */
  kind: string;
  confidence: Confidence;
  /** The literal prefixes that start its tokens (public: `sk-proj-`, `AKIA`), longest first; empty for context-only keys. */
  prefixes?: readonly string[];
}

/** A credential found in a text. `secret` is the raw value: use it to fingerprint and compare, never to print. */
export interface SecretMatch {
  detector: Detector;
  /** 1-based line and column of the first character of the secret. */
  line: number;
  column: number;
  /** The raw secret. Never rendered, logged or put into an error message. */
  secret: string;
  /** 16 hex characters of SHA-256 over the secret: stable across machines, useless to recover a high-entropy key. */
  fingerprint: string;
  /** The detector's public prefix and an ellipsis (`sk-proj-…`, `AKIA…`): nothing of the secret body. */
  redacted: string;
  /** The variable or key it is assigned to, when the text shows one (`OPENAI_API_KEY`, `api_key`). */
  variable?: string;
}
