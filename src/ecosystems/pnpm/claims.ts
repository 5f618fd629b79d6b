// pnpm-lock.yaml: metadata and claim rules only (no parser imports), so the registry in ../index.ts can tell
// which files a format owns without loading its implementation. The extractor objects spread these: one definition.
import { baseName } from "../extractor.js";
import type { ExtractorFormat } from "../extractor.js";

/** pnpm-lock.yaml, by file name. */
export const pnpmLockFormat: ExtractorFormat = {
  id: "pnpm-lock",
  ecosystem: "npm",
  kind: "lockfile",
  claims: (path) => baseName(path) === "pnpm-lock.yaml",
};
