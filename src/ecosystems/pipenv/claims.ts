// pipenv formats: metadata and claim rules only (no parser imports), so the registry in ../index.ts can tell
// which files a format owns without loading its implementation. The extractor objects spread these: one definition.
import { baseName } from "../extractor.js";
import type { ExtractorFormat } from "../extractor.js";

/** Pipfile.lock, by file name (case-sensitive, as pipenv writes it). */
export const pipfileLockFormat: ExtractorFormat = {
  id: "pipfile-lock",
  ecosystem: "pypi",
  kind: "lockfile",
  claims: (path) => baseName(path) === "Pipfile.lock",
};

/** Pipfile, by file name. */
export const pipfileFormat: ExtractorFormat = {
  id: "pipfile",
  ecosystem: "pypi",
  kind: "manifest",
  claims: (path) => baseName(path) === "Pipfile",
};
