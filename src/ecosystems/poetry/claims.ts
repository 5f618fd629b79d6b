// poetry.lock: metadata and claim rules only (no parser imports), so the registry in ../index.ts can tell
// which files a format owns without loading its implementation. The extractor objects spread these: one definition.
import { baseName } from "../extractor.js";
import type { ExtractorFormat } from "../extractor.js";

/** poetry.lock, by file name. */
export const poetryLockFormat: ExtractorFormat = {
  id: "poetry-lock",
  ecosystem: "pypi",
  kind: "lockfile",
  claims: (path) => baseName(path) === "poetry.lock",
};
