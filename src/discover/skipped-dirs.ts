// Folders no walk of a project enters: installed dependencies, VCS metadata, virtual environments, caches and build
// output. Shared by discovery and the secret scan, which must not load discovery's dependency-file readers to know it.
/**
 * Directories never descended into by default: installed dependencies, VCS metadata, virtual environments, caches and
 * build output. Their contents are either derived from the files aiwarden reads (lockfiles) or not the project's own.
 */
export const DEFAULT_SKIPPED_DIRS: ReadonlySet<string> = new Set([
  "node_modules", "bower_components", "jspm_packages", ".pnpm-store", ".yarn",
  ".git", ".hg", ".svn",
  ".venv", "venv", ".tox", ".nox", "__pypackages__", "site-packages", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache",
  "dist", "build", "out", ".next", ".nuxt", ".svelte-kit", ".output", ".turbo", ".parcel-cache", ".cache", "coverage",
  ".terraform",
]);
