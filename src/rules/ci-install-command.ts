import { keepWorst } from "../ci/findings.js";
import { analyzeInstall } from "../ci/install-commands.js";
import type { InstallIssue } from "../ci/install-commands.js";
import { dirOf, joinPath } from "../ci/paths.js";
import { ciDetail } from "../ci/types.js";
import type { CiCommandDetail } from "../ci/types.js";
import { exactVersion, parseRequirement } from "../ecosystems/python/pep508.js";
import type { Ecosystem } from "../graph/package-node.js";
import { normalizeName } from "../graph/names.js";
import { shiftSeverity } from "./rule.js";
import type { ContextProject, FindingDraft, Rule, ScanContext, Severity } from "./rule.js";

/**
 * AIW-CI-001: install commands in CI jobs and image builds that do not install exactly what a lockfile says, or that
 * install packages without pinning a version. Commands come from `context.facts.ci` (src/ci/): GitHub Actions, GitLab
 * CI, Dockerfiles, and the scripts and Makefile targets those run; scripts and targets nothing runs are left alone
 * (developer tooling, where `npm install` is the right command).
 *
 * Package-manager defaults it relies on (checked against their documentation):
 * - pnpm: `frozen-lockfile` is on by default when `CI` is set (https://pnpm.io/cli/install#--frozen-lockfile), so a
 *   bare `pnpm install` is reported only in image builds (Dockerfile RUN, where `CI` is unset unless the Dockerfile
 *   sets it) or with `--no-frozen-lockfile`.
 * - Yarn 2+: `enableImmutableInstalls` defaults to true on CI (https://yarnpkg.com/configuration/yarnrc#enableImmutableInstalls),
 *   so bare `yarn install` is reported in CI only for Yarn 1 (or when the version is unknown), in image builds for both.
 * - Poetry ≥ 1.8 refuses to install from a poetry.lock that no longer matches pyproject.toml
 *   (https://github.com/python-poetry/poetry/pull/8737); `poetry install` without any poetry.lock resolves everything
 *   afresh. So `poetry install` is reported only when no poetry.lock is found for the project and no
 *   `poetry check --lock` (or `poetry lock --check`) runs before it in the same job.
 * - uv: `uv sync` and `uv run` update uv.lock when pyproject.toml changed unless `--locked` or `--frozen` (or
 *   UV_LOCKED / UV_FROZEN) is given (https://docs.astral.sh/uv/concepts/projects/sync/).
 * - pip: hash-checking mode switches on by itself when any requirement in the file carries `--hash`
 *   (https://pip.pypa.io/en/stable/topics/secure-installs/), so `pip install -r` of a file with hashes is fine.
 */
export const ciInstallCommand: Rule = {
  id: "AIW-CI-001",
  title: "CI install command does not install from a lockfile or pin versions",
  severity: "medium",
  docs: {
    what: "Install commands in CI jobs, Dockerfile builds and the scripts they call that resolve versions at run time instead of installing a lockfile: `npm install` instead of `npm ci`; `yarn`/`pnpm`/`bun install` that may rewrite the lockfile; `pip install -r` of a file without hashes; `pip install <pkg>` or `npm install -g <pkg>` without an exact version; `pip install .`; `poetry install` without poetry.lock; `uv sync`/`uv run` without `--locked`; `npx`/`uvx`/`dlx` of a package without a version; dependency updates run in CI.",
    why: "A command that resolves versions when it runs installs whatever the registry serves at that moment. In March 2026 poisoned litellm releases (1.82.7, 1.82.8) reached every pipeline that installed litellm without a lock within hours and harvested the API keys in those jobs; a job that publishes hands the attacker the project's own release. A lockfile with hashes installs only what was reviewed.",
    fix: "Install from the lockfile in CI (`npm ci`, `yarn install --immutable` / `--frozen-lockfile`, `pnpm install --frozen-lockfile`, `bun install --frozen-lockfile`, `uv sync --locked`, `pip install --require-hashes -r requirements.txt`, `poetry check --lock && poetry install`) and pin tools to exact versions (`npx pkg@1.2.3`, `pip install tool==1.2.3`). Let Dependabot or Renovate propose updates as reviewed pull requests.",
    references: [
      "https://docs.npmjs.com/cli/commands/npm-ci",
      "https://pip.pypa.io/en/stable/topics/secure-installs/",
      "https://docs.astral.sh/uv/concepts/projects/sync/",
      "https://pnpm.io/cli/install#--frozen-lockfile",
      "https://yarnpkg.com/configuration/yarnrc#enableImmutableInstalls",
      "https://github.com/aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23",
    ],
  },
  check(context) {
    const ci = ciDetail(context.facts.ci);
    if (!ci) return [];
    const repo = new RepoView(context);
    const drafts: FindingDraft[] = [];
    ci.commands.forEach((command, index) => {
      if (command.environment === "unreached") return;
      for (const issue of analyzeInstall(command.argv, command.env)) {
        const finding = judge(issue, command, repo, ci.commands.slice(0, index));
        if (!finding) continue;
        drafts.push(draft(command, issue, finding, repo));
      }
    });
    return keepWorst(drafts);
  },
};

/** What the rule concluded about one issue: the message body and fix, and the base severity. */
interface Judgement {
  problem: string;
  fix: string;
  severity: Severity;
  /** Projects the command installs wholesale (for the AI check). */
  projects: ContextProject[];
}

function judge(issue: InstallIssue, command: CiCommandDetail, repo: RepoView, earlier: CiCommandDetail[]): Judgement | undefined {
  const dirs = workDirs(command, issue);
  const cmd = `\`${command.text}\``;
  switch (issue.kind) {
    case "npm-install": {
      // npm 7+ installs from the workspace root's lockfile when run in a member folder: look upwards.
      // When the folder is unknown (a `cd $DIR`), any lockfile in the repository may be the one: no claim that it is missing.
      const locked = repo.upwards(dirs, (d) => repo.has(d, "package-lock.json") || repo.has(d, "npm-shrinkwrap.json")) !== undefined
        || (command.cwd === undefined && (repo.anyNamed("package-lock.json") || repo.anyNamed("npm-shrinkwrap.json")));
      return {
        problem: `${cmd} resolves package.json ranges and may rewrite package-lock.json instead of installing exactly what it locks${locked ? "" : " (no package-lock.json was found for it)"}`,
        fix: locked
          ? `Use \`npm ci\` instead${command.argv.length > 2 ? ` (\`${command.text.replace(/\bnpm (?:install|i|add)\b/, "npm ci")}\`)` : ""}: it installs package-lock.json exactly and fails when it is out of date.`
          : "Commit a package-lock.json (`npm install --package-lock-only`), then install with `npm ci`.",
        severity: "medium",
        projects: repo.projectsAt(dirs, "npm"),
      };
    }
    case "lockfile-install":
      return lockfileInstall(issue, command, repo, dirs, cmd);
    case "requirements-install":
      return requirementsInstall(issue, command, repo, dirs, cmd);
    case "unpinned-package": {
      const bootstrap = issue.ecosystem === "pypi" && issue.names.every((n) => PYTHON_BOOTSTRAP.has(n));
      const list = issue.unpinned.map((u) => `\`${u}\``).join(", ");
      const what = issue.upgrade
        ? `upgrades ${list} to whatever is newest when the job runs`
        : `installs whatever version of ${list} is newest when the job runs`;
      return {
        problem: `${cmd} ${what} (no exact version)`,
        fix: issue.ecosystem === "npm"
          ? `Pin exact versions (\`${exampleNpmPin(issue.unpinned[0] ?? "pkg")}\`), or make ${issue.global ? "the tool" : "them"} a devDependency so the lockfile pins ${issue.global ? "it" : "them"} and run ${issue.global ? "it" : "them"} from there.`
          : `Pin exact versions (\`${examplePythonPin(issue.unpinned[0] ?? "pkg")}\`), better from a requirements file with hashes installed with \`pip install --require-hashes -r\`.`,
        severity: bootstrap ? "low" : "medium",
        projects: [],
      };
    }
    case "project-install":
      return {
        problem: `${cmd} installs the project and resolves its declared dependency ranges from the index at run time, so a release published minutes earlier is installed`,
        fix: "Install the dependencies from a lock with hashes first (`pip install --require-hashes -r requirements.lock`, generated with `uv pip compile --generate-hashes` or `pip-compile --generate-hashes`), then the project alone with `pip install --no-deps .`; or use `uv sync --locked`.",
        severity: "medium",
        projects: repo.projectsAt(dirs, "pypi", PYPROJECT_EXTRACTORS),
      };
    case "poetry-install": {
      // Poetry looks for pyproject.toml (and poetry.lock beside it) in the folder and its parents.
      if (repo.upwards(dirs, (d) => repo.has(d, "poetry.lock")) !== undefined) return undefined;
      if (command.cwd === undefined && issue.directory === undefined && repo.anyNamed("poetry.lock")) return undefined;
      if (earlier.some((c) => sameJob(c, command) && isPoetryLockCheck(c.argv))) return undefined;
      return {
        problem: `${cmd} runs without a poetry.lock for ${dirs[0] ?? "the project"}, so Poetry resolves every dependency afresh from the index`,
        fix: "Commit poetry.lock (`poetry lock`) and run `poetry check --lock` before `poetry install` so a missing or stale lock fails the job.",
        severity: "medium",
        projects: repo.projectsAt(dirs, "pypi", PYPROJECT_EXTRACTORS),
      };
    }
    case "uv-sync": {
      const lockDir = repo.upwards(dirs, (d) => repo.has(d, "uv.lock"));
      if (issue.tool === "uv run" && lockDir === undefined && repo.upwards(dirs, (d) => repo.has(d, "pyproject.toml")) === undefined) return undefined;
      const hasLock = lockDir !== undefined || (command.cwd === undefined && repo.anyNamed("uv.lock"));
      const flag = issue.tool === "uv run" ? "uv run --locked" : "uv sync --locked";
      return {
        problem: hasLock
          ? `${cmd} re-locks when pyproject.toml no longer matches uv.lock and installs the newly resolved versions instead of failing`
          : `${cmd} finds no uv.lock and resolves every dependency afresh`,
        fix: hasLock
          ? `Use \`${flag}\` (or set UV_LOCKED=1 for the job): it installs uv.lock as committed and fails when it is stale.`
          : `Commit uv.lock (\`uv lock\`) and use \`${flag}\`.`,
        severity: "medium",
        projects: repo.projectsAt(lockDir !== undefined ? [lockDir] : dirs, "pypi", PYPROJECT_EXTRACTORS),
      };
    }
    case "tool-run": {
      const remote = issue.mayBeLocal ? issue.unpinned.filter((spec) => !repo.hasLocalBin(spec)) : issue.unpinned;
      if (remote.length === 0) return undefined;
      const list = remote.map((u) => `\`${u}\``).join(", ");
      return {
        problem: `${cmd} downloads and runs the newest ${list} from the registry at run time${issue.mayBeLocal ? " (no project here installs it from a lockfile)" : ""}`,
        fix: issue.ecosystem === "npm"
          ? `Pin the version (\`${exampleNpmPin(remote[0] ?? "pkg")}\`), or add it as a devDependency so the lockfile pins it and \`npx\` runs the local copy.`
          : `Pin the version (\`${issue.tool.startsWith("uv") ? `uvx ${pythonName(remote[0] ?? "tool")}@<version>` : `--spec ${examplePythonPin(remote[0] ?? "tool")}`}\`).`,
        severity: "medium",
        projects: [],
      };
    }
    case "lock-update":
      return {
        problem: `${cmd} re-resolves dependencies to the newest allowed versions during the job, so what runs was never reviewed`,
        fix: "Update dependencies in reviewed pull requests (Dependabot, Renovate) and install the committed lockfile in CI.",
        severity: "medium",
        projects: repo.projectsAt(dirs, issue.ecosystem, issue.ecosystem === "pypi" ? LOCK_UPDATE_EXTRACTORS[issue.tool.split(" ")[0] ?? ""] : undefined),
      };
    case "pipenv-install":
      return {
        problem: `${cmd} re-locks when the Pipfile changed instead of failing on a stale Pipfile.lock`,
        fix: "Use `pipenv install --deploy` (fails on a stale Pipfile.lock) or `pipenv sync`.",
        severity: "medium",
        projects: repo.projectsAt(dirs, "pypi", ["pipfile-lock", "pipfile"]),
      };
  }
}

function lockfileInstall(issue: InstallIssue, command: CiCommandDetail, repo: RepoView, dirs: string[], cmd: string): Judgement | undefined {
  if (issue.lockFlag === "frozen") return undefined;
  const ciSet = command.environment === "ci" || truthy(command.env.CI);
  const projects = repo.projectsAt(dirs, "npm");
  if (issue.tool === "pnpm") {
    if (issue.lockFlag === "default" && ciSet) return undefined;
    return {
      problem: issue.lockFlag === "unfrozen"
        ? `${cmd} turns off pnpm's frozen lockfile, so pnpm-lock.yaml is re-resolved when package.json changed`
        : `${cmd} runs where \`CI\` is not set (an image build), so pnpm may update pnpm-lock.yaml instead of failing when it is out of date`,
      fix: "Use `pnpm install --frozen-lockfile`.",
      severity: "medium",
      projects,
    };
  }
  if (issue.tool === "bun") {
    return {
      problem: `${cmd} may update bun.lock instead of failing when it no longer matches package.json`,
      fix: "Use `bun install --frozen-lockfile` (or `bun ci`).",
      severity: "medium",
      projects,
    };
  }
  const variant = repo.yarnVariant(dirs, command.cwd !== undefined || issue.directory !== undefined);
  if (issue.lockFlag === "default" && variant === "berry" && ciSet) return undefined;
  const fix = variant === "berry" ? "Use `yarn install --immutable`." : variant === "classic" ? "Use `yarn install --frozen-lockfile`." : "Use `yarn install --frozen-lockfile` (Yarn 1) or `yarn install --immutable` (Yarn 2+).";
  return {
    problem: issue.lockFlag === "unfrozen"
      ? `${cmd} turns off immutable installs, so yarn.lock is re-resolved when package.json changed`
      : variant === "berry"
        ? `${cmd} runs where \`CI\` is not set (an image build), so Yarn may update yarn.lock instead of failing when it is out of date`
        : `${cmd}${variant === "classic" ? " (Yarn 1)" : ""} updates yarn.lock and installs newly resolved versions when package.json changed instead of failing`,
    fix,
    severity: "medium",
    projects,
  };
}

function requirementsInstall(issue: InstallIssue, command: CiCommandDetail, repo: RepoView, dirs: string[], cmd: string): Judgement | undefined {
  if (issue.requireHashes) return undefined;
  const found = issue.requirementFiles.map((file) => ({ file, path: repo.findFile(file, dirs, command.file) }));
  const stats = found.map(({ file, path }) => ({ file, path, stats: path !== undefined ? repo.requirementStats(path) : undefined }));
  if (stats.every((s) => s.stats?.hashed === true)) return undefined;
  const missing = stats.filter((s) => !s.stats?.hashed);
  const named = missing.map((s) => s.path ?? s.file);
  const unpinned = missing.reduce((n, s) => n + (s.stats?.unpinned ?? 0), 0);
  const total = missing.reduce((n, s) => n + (s.stats?.requirements ?? 0), 0);
  const allFound = missing.every((s) => s.stats !== undefined);
  const detail = !allFound
    ? `; ${named.filter((_, i) => missing[i]?.stats === undefined).join(", ")} was not found to check for hashes`
    : unpinned > 0
      ? `, and ${named.join(", ")} ${named.length === 1 ? "has" : "have"} no hashes at all and leave${named.length === 1 ? "s" : ""} ${unpinned} of ${total} requirements without an exact version`
      : `, and ${named.join(", ")} ${named.length === 1 ? "pins" : "pin"} versions but ${named.length === 1 ? "has" : "have"} no hashes at all`;
  return {
    problem: `${cmd} installs without \`--require-hashes\`${detail}`,
    fix: "Generate the file with hashes (`uv pip compile --generate-hashes` or `pip-compile --generate-hashes`) and install with `pip install --require-hashes -r <file>`.",
    // Exact pins without hashes still stop a new malicious release; only a replaced file for a pinned version gets in.
    severity: allFound && unpinned === 0 ? "low" : "medium",
    projects: repo.projectsOwning(found.map((f) => f.path).filter((p): p is string => p !== undefined)),
  };
}

function draft(command: CiCommandDetail, issue: InstallIssue, judgement: Judgement, repo: RepoView): FindingDraft {
  const aiNames = [
    ...repo.aiPackagesAmong(issue.ecosystem, issue.names),
    ...judgement.projects.flatMap((p) => repo.aiPackagesOf(p)),
  ];
  const ai = [...new Set(aiNames)].slice(0, 3);
  const reasons: string[] = [];
  if (ai.length > 0) reasons.push(`it installs AI packages (${ai.join(", ")})`);
  if (command.jobPublishes) reasons.push(`the job${command.job ? ` ${command.job}` : ""} can publish`);
  const severity = reasons.length > 0 ? shiftSeverity(judgement.severity, 1) : judgement.severity;
  const place = command.where === "script" ? "" : ` (${command.where})`;
  return {
    severity,
    message: `${judgement.problem}${place}${reasons.length > 0 ? `; ${reasons.join(" and ")}` : ""}.`,
    fix: judgement.fix,
    file: command.file,
    line: command.line,
    key: [command.file, issue.kind, command.argv.join(" ")],
  };
}

/** Folders a command works in: the one its command line names, else where it runs, else the file's folder and the root. */
function workDirs(command: CiCommandDetail, issue: InstallIssue): string[] {
  const base = command.cwd;
  if (issue.directory !== undefined && !issue.directory.includes("$")) {
    const resolved = joinPath(base ?? dirOf(command.file), issue.directory);
    if (resolved !== undefined) return [resolved];
  }
  if (base !== undefined) return [base];
  return [...new Set([dirOf(command.file), "."])];
}

function sameJob(a: CiCommandDetail, b: CiCommandDetail): boolean {
  return a.file === b.file && (a.job !== undefined ? a.job === b.job : a.where === b.where);
}

function isPoetryLockCheck(argv: readonly string[]): boolean {
  if ((argv[0] ?? "").slice((argv[0] ?? "").lastIndexOf("/") + 1) !== "poetry") return false;
  return (argv.includes("check") && argv.includes("--lock")) || (argv.includes("lock") && argv.includes("--check"));
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && ["1", "true", "yes"].includes(value.toLowerCase());
}

/** Projects a pyproject-based tool installs (`pip install .`, Poetry, uv): not requirements files or Pipfiles. */
const PYPROJECT_EXTRACTORS = ["pyproject", "poetry-lock", "uv-lock"];

/** What each Python tool's update re-resolves. */
const LOCK_UPDATE_EXTRACTORS: Readonly<Record<string, readonly string[]>> = {
  poetry: ["poetry-lock", "pyproject"],
  uv: ["uv-lock", "pyproject"],
  pipenv: ["pipfile-lock", "pipfile"],
};

/** pip's own toolchain: upgrading it unpinned is near-universal and low-risk compared with application packages. */
const PYTHON_BOOTSTRAP: ReadonlySet<string> = new Set(["pip", "setuptools", "wheel"]);

function exampleNpmPin(spec: string): string {
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  return `${at < 0 ? spec : spec.slice(0, at)}@<exact version>`;
}

function pythonName(spec: string): string {
  const at = spec.indexOf("@");
  const name = at > 0 ? spec.slice(0, at) : spec;
  return parseRequirement(name)?.rawName ?? name;
}

function examplePythonPin(spec: string): string {
  return `${pythonName(spec)}==<exact version>`;
}

/** npm commands whose binary name differs from the package that provides it. */
const BIN_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  tsc: ["typescript"], tsserver: ["typescript"], playwright: ["@playwright/test", "playwright"], ng: ["@angular/cli"],
  "vue-cli-service": ["@vue/cli-service"], "svelte-kit": ["@sveltejs/kit"], changeset: ["@changesets/cli"],
  vsce: ["@vscode/vsce", "vsce"], biome: ["@biomejs/biome"], webpack: ["webpack-cli", "webpack"], remix: ["@remix-run/dev"],
  eas: ["eas-cli"], firebase: ["firebase-tools"], netlify: ["netlify-cli"], cdk: ["aws-cdk"], gulp: ["gulp-cli", "gulp"],
  grunt: ["grunt-cli"], nuxi: ["nuxi", "nuxt"], "license-checker": ["license-checker", "license-checker-rseidelsohn"],
  "react-scripts": ["react-scripts"], storybook: ["storybook", "@storybook/cli"], "ts-node": ["ts-node"], "wdio": ["@wdio/cli"],
};

/** What the rule needs to know about the repository: files, projects, AI packages. */
class RepoView {
  private readonly paths = new Set<string>();
  private readonly names = new Set<string>();
  private readonly npmNames = new Set<string>();
  private aiByEcosystem: Map<Ecosystem, Set<string>> | undefined;
  private readonly statsCache = new Map<string, RequirementStats>();

  constructor(private readonly context: ScanContext) {
    for (const path of context.texts.keys()) this.paths.add(path);
    for (const file of context.files) this.paths.add(file.path);
    for (const project of context.projects) for (const file of project.files) this.paths.add(file);
    for (const path of this.paths) this.names.add(path.slice(path.lastIndexOf("/") + 1));
    for (const project of context.projects) {
      if (project.ecosystem !== "npm") continue;
      for (const node of project.graph.packages()) this.npmNames.add(node.name);
    }
  }

  has(dir: string, name: string): boolean {
    return this.paths.has(dir === "." ? name : `${dir}/${name}`);
  }

  anyNamed(name: string): boolean {
    return this.names.has(name);
  }

  /** The first of the folders (or their parents) where `test` holds. */
  upwards(dirs: readonly string[], test: (dir: string) => boolean): string | undefined {
    for (const start of dirs) {
      for (let dir: string | undefined = start; dir !== undefined; dir = dir === "." ? undefined : dirOf(dir)) {
        if (test(dir)) return dir;
      }
    }
    return undefined;
  }

  /** Projects in these folders, optionally only those read by the given extractors (what the tool installs from). */
  projectsAt(dirs: readonly string[], ecosystem: Ecosystem, extractors?: readonly string[]): ContextProject[] {
    return this.context.projects.filter((p) => p.ecosystem === ecosystem && dirs.includes(p.path) && (!extractors || extractors.includes(p.extractorId)));
  }

  projectsOwning(paths: readonly string[]): ContextProject[] {
    return this.context.projects.filter((p) => p.files.some((f) => paths.includes(f)));
  }

  /**
   * Yarn 2+ (berry) writes `__metadata:` into yarn.lock; Yarn 1 does not. Looks in the folders and their parents (and
   * the package.json `packageManager` field); when the folder is not known, every yarn.lock of the repository is asked.
   */
  yarnVariant(dirs: readonly string[], folderKnown: boolean): "classic" | "berry" | "unknown" {
    const all = [...new Set(dirs.flatMap((start) => {
      const chain: string[] = [];
      for (let dir: string | undefined = start; dir !== undefined; dir = dir === "." ? undefined : dirOf(dir)) chain.push(dir);
      return chain;
    }))];
    for (const dir of all) {
      const text = this.context.texts.get(dir === "." ? "yarn.lock" : `${dir}/yarn.lock`);
      if (text !== undefined) return text.includes("__metadata:") ? "berry" : "classic";
      const manifest = this.context.texts.get(dir === "." ? "package.json" : `${dir}/package.json`);
      const match = manifest !== undefined ? /"packageManager"\s*:\s*"yarn@([0-9]+)/.exec(manifest) : null;
      if (match) return match[1] === "1" ? "classic" : "berry";
    }
    if (folderKnown) return "unknown";
    const variants = new Set<string>();
    for (const [path, text] of this.context.texts) if (path === "yarn.lock" || path.endsWith("/yarn.lock")) variants.add(text.includes("__metadata:") ? "berry" : "classic");
    return variants.size === 1 ? ([...variants][0] as "classic" | "berry") : "unknown";
  }

  /** True when npx would find the package installed by a project of the repository (its lockfile pins it). */
  hasLocalBin(spec: string): boolean {
    const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
    const name = at < 0 ? spec : spec.slice(0, at);
    if (this.npmNames.has(name)) return true;
    if ((BIN_PACKAGES[name] ?? []).some((p) => this.npmNames.has(p))) return true;
    for (const known of this.npmNames) if (known.startsWith("@") && known.endsWith(`/${name}`)) return true;
    return false;
  }

  /** A requirement file by how a command names it: from its folder, the CI file's folder, the root, or (absolute container paths) by suffix. */
  findFile(written: string, dirs: readonly string[], callerFile: string): string | undefined {
    const candidates: Array<string | undefined> = [];
    if (written.startsWith("/")) {
      const segments = written.split("/").filter(Boolean);
      for (let k = 0; k < segments.length; k++) {
        const suffix = segments.slice(k).join("/");
        candidates.push(joinPath(dirOf(callerFile), suffix), joinPath(".", suffix));
      }
    } else {
      for (const dir of dirs) candidates.push(joinPath(dir, written));
      candidates.push(joinPath(dirOf(callerFile), written), joinPath(".", written));
    }
    return candidates.find((c): c is string => c !== undefined && this.context.texts.has(c));
  }

  /** Whether a requirements file (with its `-r` includes) carries hashes, and how many requirements lack an exact pin. */
  requirementStats(path: string, seen: Set<string> = new Set()): RequirementStats {
    const cached = this.statsCache.get(path);
    if (cached) return cached;
    const stats: RequirementStats = { hashed: false, requirements: 0, unpinned: 0 };
    const text = this.context.texts.get(path);
    if (text === undefined || seen.has(path)) return stats;
    seen.add(path);
    for (const raw of joinContinuations(text).split("\n")) {
      const line = raw.replace(/(?:^|\s)#.*$/, "").trim();
      if (line === "") continue;
      if (line.includes("--hash")) stats.hashed = true;
      if (line.startsWith("-r ") || line.startsWith("--requirement")) {
        const include = line.replace(/^(?:-r|--requirement)[=\s]+/, "").trim();
        const target = joinPath(dirOf(path), include);
        if (target !== undefined) {
          const inner = this.requirementStats(target, seen);
          stats.hashed ||= inner.hashed;
          stats.requirements += inner.requirements;
          stats.unpinned += inner.unpinned;
        }
        continue;
      }
      if (line.startsWith("-")) continue;
      const requirement = parseRequirement(line.split(/\s--/)[0] ?? line);
      if (!requirement) continue;
      stats.requirements++;
      if (requirement.url === undefined && exactVersion(requirement.specifier) === undefined) stats.unpinned++;
    }
    this.statsCache.set(path, stats);
    return stats;
  }

  /** AI packages (by the catalog, as the projects' blast radius says) among names a command installs. */
  aiPackagesAmong(ecosystem: Ecosystem, names: readonly string[]): string[] {
    this.aiByEcosystem ??= this.collectAi();
    const known = this.aiByEcosystem.get(ecosystem);
    return known ? names.map((n) => normalizeName(ecosystem, n)).filter((n) => known.has(n)) : [];
  }

  aiPackagesOf(project: ContextProject): string[] {
    return project.graph.packages().filter((node) => !node.workspace && project.blastRadius(node) === "ai").map((node) => node.name);
  }

  private collectAi(): Map<Ecosystem, Set<string>> {
    const out = new Map<Ecosystem, Set<string>>();
    for (const project of this.context.projects) {
      let set = out.get(project.ecosystem);
      if (!set) out.set(project.ecosystem, (set = new Set()));
      for (const name of this.aiPackagesOf(project)) set.add(name);
    }
    return out;
  }
}

interface RequirementStats {
  hashed: boolean;
  requirements: number;
  unpinned: number;
}

/** Joins `\`-continued lines of a requirements file (hashes usually sit on continuation lines). */
function joinContinuations(text: string): string {
  return text.replace(/\\\r?\n/g, " ");
}
