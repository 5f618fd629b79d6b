// npm formats: metadata and claim rules only (no parser imports), so the registry in ../index.ts can tell
// which files a format owns without loading its implementation. The extractor objects spread these: one definition.
import { baseName } from "../extractor.js";
import type { ExtractorFormat } from "../extractor.js";

const LOCK_NAMES: ReadonlySet<string> = new Set(["package-lock.json", "npm-shrinkwrap.json"]);

/** package-lock.json and npm-shrinkwrap.json, in any folder. */
export const npmLockFormat: ExtractorFormat = {
  id: "npm-lock",
  ecosystem: "npm",
  kind: "lockfile",
  claims: (path) => LOCK_NAMES.has(baseName(path)),
};

/** package.json outside node_modules (files inside it are installed packages, not projects). */
export const packageJsonFormat: ExtractorFormat = {
  id: "npm-manifest",
  ecosystem: "npm",
  kind: "manifest",
  claims: (path) => baseName(path) === "package.json" && !path.split("/").includes("node_modules"),
};
