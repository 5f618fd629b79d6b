// pip requirements files: metadata and claim rules only (no parser imports), so the registry in ../index.ts can tell
// which files a format owns without loading its implementation. The extractor objects spread these: one definition.
import { baseName, dirOf } from "../extractor.js";
import type { ExtractorFormat } from "../extractor.js";

/** File names inside a `requirements/` folder that are documentation, not requirements. */
const NOT_REQUIREMENTS = ["readme", "license", "licence", "changelog", "notice", "authors", "contributing"];

/**
 * Which files are pip requirements files. pip reads any name, so this follows convention: `requirements*.txt`,
 * `constraints*.txt`, `*-requirements.txt`/`*_requirements.txt` (`dev-requirements.txt`, OpenStack's
 * `test-requirements.txt`; Renovate's default pattern claims them too), every `.txt`/`.in` directly inside a
 * `requirements/` folder, and pip-compile inputs `requirements*.in`. Case-insensitive.
 */
export function claimsRequirementsFile(path: string): boolean {
  const base = baseName(path).toLowerCase();
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return false;
  const ext = base.slice(dot);
  if (ext !== ".txt" && ext !== ".in") return false;
  const stem = base.slice(0, dot);
  if (stem.startsWith("requirements")) return true;
  if (ext === ".txt" && stem.startsWith("constraints")) return true;
  if (stem.endsWith("-requirements") || stem.endsWith("_requirements")) return true;
  return baseName(dirOf(path)).toLowerCase() === "requirements" && !NOT_REQUIREMENTS.some((p) => stem.startsWith(p));
}

/** pip requirements files (`requirements*.txt`, `requirements/*.txt`, constraints, pip-compile `.in` inputs). */
export const requirementsFormat: ExtractorFormat = {
  id: "pip-requirements",
  ecosystem: "pypi",
  kind: "lockfile",
  claims: claimsRequirementsFile,
};
