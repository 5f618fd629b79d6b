// The registry of supported file formats. Claiming a file is cheap and static (each format's `claims.ts` imports no
// parser); an implementation — and the YAML, TOML or yarn parser it needs — is imported only when a file of its
// format is found, so scanning a project with one package-lock.json never loads `yaml`, `smol-toml` or
// `@yarnpkg/parsers`. `registry.test.ts` checks that this list is complete and agrees with the implementations.
import type { ExtractorEntry } from "./extractor.js";
import { npmLockFormat, packageJsonFormat } from "./npm/claims.js";
import { requirementsFormat } from "./pip/claims.js";
import { pipfileFormat, pipfileLockFormat } from "./pipenv/claims.js";
import { pnpmLockFormat } from "./pnpm/claims.js";
import { poetryLockFormat } from "./poetry/claims.js";
import { pyprojectFormat } from "./pyproject/claims.js";
import { uvLockFormat } from "./uv/claims.js";
import { yarnLockFormat } from "./yarn/claims.js";

export type { ExtractorEntry } from "./extractor.js";

/**
 * Every supported file format, in claim order: the first entry whose `claims` accepts a file name owns it.
 * A literal list on purpose (see the registry test): adding a format means adding it here. `load` uses a literal
 * dynamic `import()` so the compiler checks the module and the export.
 */
export const extractors: readonly ExtractorEntry[] = [
  { ...npmLockFormat, module: "npm/package-lock", load: async () => (await import("./npm/package-lock.js")).npmLockExtractor },
  { ...yarnLockFormat, module: "yarn/yarn-lock", load: async () => (await import("./yarn/yarn-lock.js")).yarnLockExtractor },
  { ...pnpmLockFormat, module: "pnpm/pnpm-lock", load: async () => (await import("./pnpm/pnpm-lock.js")).pnpmLockExtractor },
  { ...packageJsonFormat, module: "npm/package-json-manifest", load: async () => (await import("./npm/package-json-manifest.js")).packageJsonExtractor },
  { ...uvLockFormat, module: "uv/uv-lock", load: async () => (await import("./uv/uv-lock.js")).uvLockExtractor },
  { ...poetryLockFormat, module: "poetry/poetry-lock", load: async () => (await import("./poetry/poetry-lock.js")).poetryLockExtractor },
  { ...pipfileLockFormat, module: "pipenv/pipfile-lock", load: async () => (await import("./pipenv/pipfile-lock.js")).pipfileLockExtractor },
  { ...requirementsFormat, module: "pip/requirements-txt", load: async () => (await import("./pip/requirements-txt.js")).requirementsExtractor },
  { ...pyprojectFormat, module: "pyproject/pyproject-toml", load: async () => (await import("./pyproject/pyproject-toml.js")).pyprojectExtractor },
  { ...pipfileFormat, module: "pipenv/pipfile", load: async () => (await import("./pipenv/pipfile.js")).pipfileExtractor },
];

/** The registered format that owns a file, by its root-relative POSIX path. */
export function extractorFor(path: string): ExtractorEntry | undefined {
  return extractors.find((e) => e.claims(path));
}
