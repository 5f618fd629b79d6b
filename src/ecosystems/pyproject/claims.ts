// pyproject.toml: metadata and claim rules only (no parser imports), so the registry in ../index.ts can tell
// which files a format owns without loading its implementation. The extractor objects spread these: one definition.
import { baseName } from "../extractor.js";
import type { ExtractorFormat } from "../extractor.js";

/** pyproject.toml, by file name. */
export const pyprojectFormat: ExtractorFormat = {
  id: "pyproject",
  ecosystem: "pypi",
  kind: "manifest",
  claims: (path) => baseName(path) === "pyproject.toml",
};
