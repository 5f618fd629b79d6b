import type { Extractor } from "./extractor.js";
import { npmLockExtractor } from "./npm/package-lock.js";
import { packageJsonExtractor } from "./npm/package-json-manifest.js";
import { requirementsExtractor } from "./pip/requirements-txt.js";
import { pnpmLockExtractor } from "./pnpm/pnpm-lock.js";
import { yarnLockExtractor } from "./yarn/yarn-lock.js";
import { pipfileLockExtractor } from "./pipenv/pipfile-lock.js";
import { pipfileExtractor } from "./pipenv/pipfile.js";
import { poetryLockExtractor } from "./poetry/poetry-lock.js";
import { pyprojectExtractor } from "./pyproject/pyproject-toml.js";
import { uvLockExtractor } from "./uv/uv-lock.js";

/**
 * Every supported file format, in claim order: the first extractor whose `claims` accepts a file name owns it.
 * A literal list on purpose (see the registry test): adding a format means adding it here.
 */
export const extractors: readonly Extractor[] = [
  npmLockExtractor,
  yarnLockExtractor,
  pnpmLockExtractor,
  packageJsonExtractor,
  uvLockExtractor,
  poetryLockExtractor,
  pipfileLockExtractor,
  requirementsExtractor,
  pyprojectExtractor,
  pipfileExtractor,
];

/** The extractor that owns a file, by its root-relative POSIX path. */
export function extractorFor(path: string): Extractor | undefined {
  return extractors.find((e) => e.claims(path));
}
