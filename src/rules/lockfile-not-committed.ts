// AIW-LOCK-002: a lockfile (or requirements file) of a committed project that git does not track, or that the ignore
// rules exclude. CI checks out what is committed: without the lockfile every CI run resolves versions afresh. Only
// projects that are themselves committed are judged (a manifest or another file of the project is tracked), so a
// scratch folder that is ignored as a whole stays silent.
import { baseName, dirOf, joinPath } from "../ecosystems/extractor.js";
import type { ContextProject, FindingDraft, GitFacts, Rule, ScanContext, Severity } from "./rule.js";

/** Manifests that show a folder's project is committed even when none of the project's own files is tracked. */
const SIBLING_MANIFESTS = ["package.json", "pyproject.toml", "Pipfile", "setup.py", "setup.cfg", "requirements.in"];

/** How CI installs from each kind of lockfile without resolving anew. */
const FROZEN_INSTALL: Readonly<Record<string, string>> = {
  "npm-lock": "npm ci",
  "yarn-lock": "yarn install --frozen-lockfile (yarn 2+: yarn install --immutable)",
  "pnpm-lock": "pnpm install --frozen-lockfile",
  "poetry-lock": "poetry install",
  "uv-lock": "uv sync --locked",
  "pipfile-lock": "pipenv install --deploy",
  "pip-requirements": "pip install -r",
};

/** What an optional extension of the git facts says about the pattern that ignores a path (see src/sources/git.ts). */
interface IgnoreSource {
  file: string;
  line: number;
  pattern: string;
}

/** Flags lockfiles that git does not track or that .gitignore excludes. */
export const lockfileNotCommitted: Rule = {
  id: "AIW-LOCK-002",
  title: "Lockfile not committed",
  severity: "high",
  docs: {
    what: "A lockfile or requirements file of a committed project is untracked by git or matched by an ignore rule (.gitignore, .git/info/exclude, the global excludes file).",
    why: "CI and every fresh clone only get what is committed: without the lockfile each run resolves dependency versions anew, so a compromised release published minutes earlier is installed with the CI job's secrets in reach, and no one can tell later which versions ran.",
    fix: "Remove the ignore pattern that matches the lockfile, commit the lockfile, and install from it in CI (`npm ci`, `yarn install --immutable`, `pnpm install --frozen-lockfile`, `uv sync --locked`, `poetry install`, `pipenv install --deploy`).",
    references: [
      "https://docs.npmjs.com/cli/configuring-npm/package-lock-json",
      "https://git-scm.com/docs/git-check-ignore",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const git = context.git;
    if (!git) return [];
    const drafts: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const project of context.projects) {
      if (!project.locked) continue;
      for (const path of lockfilesOf(project)) {
        if (seen.has(path) || !isCommitted(project, path, git)) continue;
        seen.add(path);
        const draft = judge(project, path, git);
        if (draft) drafts.push(draft);
      }
    }
    return drafts;
  },
};

/** The project's lockfile, plus the requirements files a requirements project includes (`-r`, `-c`). */
function lockfilesOf(project: ContextProject): string[] {
  const primary = project.files[0] as string;
  if (project.extractorId !== "pip-requirements") return [primary];
  return [primary, ...project.files.slice(1).filter((f) => baseName(f).toLowerCase().endsWith(".txt"))];
}

/**
 * A lockfile's project counts as committed when git tracks another of the project's files (its manifest, the file
 * that includes it) or a manifest in the lockfile's folder.
 */
function isCommitted(project: ContextProject, lockfile: string, git: GitFacts): boolean {
  if (project.files.some((f) => f !== lockfile && git.isTracked(f))) return true;
  const dir = dirOf(lockfile);
  return SIBLING_MANIFESTS.some((name) => {
    const path = joinPath(dir, name);
    return path !== undefined && path !== lockfile && git.isTracked(path);
  });
}

function judge(project: ContextProject, path: string, git: GitFacts): FindingDraft | undefined {
  const tracked = git.isTracked(path);
  const ignored = git.isIgnored(path);
  if (tracked && !ignored) return undefined;
  const source = ignoreSourceOf(git, path);
  const pattern = source ? ` by the pattern \`${source.pattern}\` (${source.file}:${source.line})` : "";
  const install = FROZEN_INSTALL[project.extractorId] ?? "a frozen-lockfile install";
  const installCommand = project.extractorId === "pip-requirements" ? `${install} ${project.files[0] ?? path}` : install;
  const unignore = source
    ? `Remove \`${source.pattern}\` from ${source.file} (line ${source.line}) or add \`!${baseName(path)}\` after it, `
    : ignored ? "Stop ignoring it (see `git check-ignore -v " + path + "`), " : "";
  let severity: Severity = "high";
  let message: string;
  if (tracked) {
    // Committed, so CI has it; but a regenerated copy (after a delete) would silently stay out of the next commit.
    severity = "medium";
    message = `${path} is committed but also ignored${pattern}: if it is ever deleted and regenerated, git leaves the new one out of the next commit and CI starts resolving versions afresh.`;
  } else if (ignored) {
    message = `${path} is ignored${pattern} and not committed: CI and every fresh clone resolve dependency versions anew on each install, so a newly published compromised release is picked up unreviewed.`;
  } else {
    message = `${path} is not tracked by git although its project is: CI and every fresh clone resolve dependency versions anew on each install, so a newly published compromised release is picked up unreviewed.`;
  }
  return {
    severity,
    message,
    fix: `${unignore}${unignore ? "then " : ""}\`git add ${path}\` and commit it; in CI install with \`${installCommand}\` so the committed versions are the ones installed.`,
    file: path,
    project: project.path,
    key: [path],
  };
}

/** The ignore rule behind an ignored path, when the git facts can tell. */
function ignoreSourceOf(git: GitFacts, path: string): IgnoreSource | undefined {
  return git.ignoredBy?.(path);
}
