// yarn.lock: metadata and claim rules only (no parser imports), so the registry in ../index.ts can tell
// which files a format owns without loading its implementation. The extractor objects spread these: one definition.
import { baseName } from "../extractor.js";
import type { ExtractorFormat } from "../extractor.js";

/** yarn.lock (classic v1 and berry), by file name. */
export const yarnLockFormat: ExtractorFormat = {
  id: "yarn-lock",
  ecosystem: "npm",
  kind: "lockfile",
  claims: (path) => baseName(path) === "yarn.lock",
};
