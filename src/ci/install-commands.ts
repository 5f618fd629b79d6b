// What an install command does, from its argv alone: which package manager, whether it installs from a lockfile, which
// packages it names and whether each is pinned to one version. The rule (src/rules/ci-install-command.ts) adds what
// the repository knows (lockfiles, requirement hashes, where the command runs) and decides what to report.
// CLI references: npm https://docs.npmjs.com/cli/commands, Yarn https://classic.yarnpkg.com/en/docs/cli/ and
// https://yarnpkg.com/cli, pnpm https://pnpm.io/cli/install, Bun https://bun.sh/docs/cli/install, pip
// https://pip.pypa.io/en/stable/cli/pip_install/, uv https://docs.astral.sh/uv/reference/cli/, Poetry
// https://python-poetry.org/docs/cli/, Pipenv https://pipenv.pypa.io/en/latest/commands.html, pipx https://pipx.pypa.io/.
import semver from "semver";
import { exactVersion, parseRequirement } from "../ecosystems/python/pep508.js";
import type { Ecosystem } from "../graph/package-node.js";
import { normalizeName } from "../graph/names.js";

/** The kinds of unlocked or unpinned installs. */
export type InstallIssueKind =
  /** `npm install` with no package: may rewrite package-lock.json instead of installing it (`npm ci`). */
  | "npm-install"
  /** `yarn install`, `pnpm install`, `bun install`: whether it may update the lockfile depends on flags and on `CI`. */
  | "lockfile-install"
  /** `pip install -r file` / `uv pip install -r file`: locked only if the file pins and hashes everything. */
  | "requirements-install"
  /** Packages named without one exact version (`npm i -g x`, `pip install x`, `yarn add x`, `pipx install x`). */
  | "unpinned-package"
  /** `pip install .` / `pip install -e .`: the project's declared ranges are resolved afresh. */
  | "project-install"
  /** `poetry install` / `poetry sync`: locked when poetry.lock exists (Poetry ≥ 1.8 refuses a stale one). */
  | "poetry-install"
  /** `uv sync` / `uv run` without `--locked` / `--frozen`: uv re-locks when pyproject.toml changed. */
  | "uv-sync"
  /** `npx x`, `bunx x`, `yarn dlx x`, `pnpm dlx x`, `uvx x`, `pipx run x`, `npm init x` without an exact version. */
  | "tool-run"
  /** `npm update`, `yarn upgrade`, `pnpm update`, `poetry update`, `uv lock --upgrade`, `pipenv update`: re-resolves to the newest versions. */
  | "lock-update"
  /** `pipenv install` without `--deploy`: re-locks when the Pipfile changed. */
  | "pipenv-install";

/** Whether the command line forces, forbids or leaves to the default a frozen lockfile. */
export type LockFlag = "frozen" | "unfrozen" | "default";

/** One thing an install command does that the rule may report. */
export interface InstallIssue {
  kind: InstallIssueKind;
  /** The package manager as the user typed it: `npm`, `yarn`, `pnpm`, `bun`, `pip`, `uv pip`, `uv`, `poetry`, `npx`, … */
  tool: string;
  ecosystem: Ecosystem;
  /** Package specs as written that do not pin one version. */
  unpinned: string[];
  /** Normalised names of every package the command names. */
  names: string[];
  /** `-r` files, as written. */
  requirementFiles: string[];
  /** `--require-hashes` (or PIP_REQUIRE_HASHES / UV_REQUIRE_HASHES). */
  requireHashes: boolean;
  /** A folder the command line points the tool at (`--cwd`, `-C`, `--prefix`, `--directory`, `--project`). */
  directory?: string;
  lockFlag: LockFlag;
  /** `-U` / `--upgrade` / `--latest`. */
  upgrade: boolean;
  /** `-g` / `--global` / `global add`: a machine-wide tool, not a project dependency. */
  global: boolean;
  /** npx/bunx run a locally installed copy of the package when there is one. */
  mayBeLocal: boolean;
}

/** Analyses one command. `env` holds the variables set for it. Returns nothing for commands that install nothing. */
export function analyzeInstall(argv: readonly string[], env: Readonly<Record<string, string>> = {}): InstallIssue[] {
  const program = baseName(argv[0] ?? "");
  const args = argv.slice(1);
  if (program === "npm") return npm(args);
  if (program === "npx") return npx("npx", args);
  if (program === "bunx") return npx("bunx", args);
  if (program === "yarn") return yarn(args, env);
  if (program === "pnpm") return pnpm(args, env);
  if (program === "bun") return bun(args);
  if (/^pip[0-9.]*$/.test(program)) return pipCommand("pip", args, env);
  if (/^python[0-9.]*$/.test(program) || program === "py") {
    const m = args.indexOf("-m");
    if (m >= 0 && /^pip[0-9.]*$/.test(args[m + 1] ?? "") && args.slice(0, m).every((a) => a.startsWith("-"))) return pipCommand("pip", args.slice(m + 2), env);
    return [];
  }
  if (program === "uv") return uv(args, env);
  if (program === "uvx") return uvx("uvx", args);
  if (program === "poetry") return poetry(args);
  if (program === "pipenv") return pipenv(args);
  if (program === "pipx") return pipx(args);
  return [];
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function issue(kind: InstallIssueKind, tool: string, ecosystem: Ecosystem, extra: Partial<InstallIssue> = {}): InstallIssue {
  return { kind, tool, ecosystem, unpinned: [], names: [], requirementFiles: [], requireHashes: false, lockFlag: "default", upgrade: false, global: false, mayBeLocal: false, ...extra };
}

/** True for a word whose value the text does not tell (shell or CI expressions). */
export function isDynamicWord(word: string): boolean {
  return word.includes("$") || word.includes("`");
}

/**
 * Splits arguments into positionals and options. `valued` lists options that take a value (`--opt value` or
 * `--opt=value`; short ones also `-ovalue`). Stops at `--` (everything after is positional) and, when `stopAtFirst`,
 * at the first positional (for runners like npx whose later words belong to the command run).
 */
function splitArgs(args: readonly string[], valued: ReadonlySet<string>, stopAtFirst = false): { positionals: string[]; options: Map<string, string[]>; flags: Set<string> } {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  const add = (name: string, value: string) => {
    const list = options.get(name);
    if (list) list.push(value);
    else options.set(name, [value]);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--") && arg.length > 2) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg : arg.slice(0, eq);
      if (eq >= 0) {
        add(name, arg.slice(eq + 1));
        flags.add(name);
      } else if (valued.has(name)) {
        add(name, args[++i] ?? "");
      } else {
        flags.add(name);
      }
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1 && !/^-[0-9]/.test(arg)) {
      // Short options, possibly combined (`-qU`, `-Ur file`): a valued one takes the rest of the word or the next word.
      for (let k = 1; k < arg.length; k++) {
        const name = `-${arg[k]}`;
        if (valued.has(name)) {
          const rest = arg.slice(k + 1);
          add(name, rest !== "" ? rest.replace(/^=/, "") : args[++i] ?? "");
          break;
        }
        flags.add(name);
      }
      continue;
    }
    positionals.push(arg);
    if (stopAtFirst) {
      positionals.push(...args.slice(i + 1));
      break;
    }
  }
  return { positionals, options, flags };
}

function has(flags: ReadonlySet<string>, ...names: string[]): boolean {
  return names.some((n) => flags.has(n));
}

// ---------------------------------------------------------------------------------------------------------------- npm

/** A local path or archive rather than a registry package. */
function isLocalSpec(spec: string): boolean {
  return spec === "." || spec === ".." || spec.startsWith("./") || spec.startsWith("../") || spec.startsWith("/") || spec.startsWith("~/")
    || spec.startsWith("file:") || spec.startsWith("link:") || spec.startsWith("workspace:") || /\.(?:tgz|tar\.gz|tar|zip|whl)$/i.test(spec);
}

/** An npm package spec: its name, and whether it pins one version (exact semver, a git commit, a tarball URL). */
export function npmSpec(spec: string): { name: string; pinned: boolean } | undefined {
  if (isDynamicWord(spec) || isLocalSpec(spec)) return undefined;
  if (/^(?:https?:)\/\//.test(spec)) return { name: spec, pinned: true };
  if (/^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(spec) || /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:#.*)?$/.test(spec)) {
    const hash = spec.indexOf("#");
    return { name: spec, pinned: hash >= 0 && /^[0-9a-f]{40}$/i.test(spec.slice(hash + 1)) };
  }
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  const name = at < 0 ? spec : spec.slice(0, at);
  if (name === "" || name.includes(":")) return undefined;
  if (at < 0) return { name, pinned: false };
  let version = spec.slice(at + 1);
  if (version.startsWith("npm:")) {
    const inner = npmSpec(version.slice(4));
    return inner ? { name, pinned: inner.pinned } : undefined;
  }
  version = version.trim();
  return { name, pinned: semver.valid(version) !== null && !version.includes(" ") };
}

const NPM_VALUED = new Set(["--prefix", "--registry", "--userconfig", "--cache", "--workspace", "-w", "--loglevel", "--omit", "--include", "--tag", "--install-strategy", "--before", "--save-prefix", "--package", "-p", "-c", "--call", "--node-options", "--shell", "--script-shell", "--otp", "--access", "--scope"]);
const NPM_INSTALL = new Set(["install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "add"]);
const NPM_UPDATE = new Set(["update", "up", "upgrade", "udpate"]);

function npm(args: readonly string[]): InstallIssue[] {
  const { positionals, options, flags } = splitArgs(args, NPM_VALUED);
  const [sub, ...rest] = positionals;
  const directory = options.get("--prefix")?.[0];
  const base = { ...(directory !== undefined ? { directory } : {}), global: has(flags, "-g", "--global") };
  if (sub === undefined) return [];
  if (NPM_INSTALL.has(sub)) {
    if (rest.some(isDynamicWord)) return [];
    const specs = rest.map(npmSpec).filter((s): s is { name: string; pinned: boolean } => s !== undefined);
    if (rest.length === 0) return [issue("npm-install", "npm", "npm", base)];
    return packagesIssue("npm install", specs, rest, base);
  }
  if (NPM_UPDATE.has(sub)) return [issue("lock-update", "npm update", "npm", base)];
  if (sub === "exec" || sub === "x") {
    const packages = options.get("--package") ?? options.get("-p");
    if (packages) return toolRun("npm exec", packages, false);
    const first = rest[0];
    return first === undefined ? [] : toolRun("npm exec", [first], true);
  }
  if (sub === "init" || sub === "create" || sub === "innit") {
    const initializer = rest.find((r) => !r.startsWith("-"));
    if (initializer === undefined || isDynamicWord(initializer) || isLocalSpec(initializer)) return [];
    return toolRun("npm init", [initializerPackage(initializer)], false);
  }
  return [];
}

/** `npm init foo` runs `create-foo`; `npm init @scope` runs `@scope/create`; the version carries over. */
function initializerPackage(initializer: string): string {
  const at = initializer.indexOf("@", initializer.startsWith("@") ? 1 : 0);
  const name = at < 0 ? initializer : initializer.slice(0, at);
  const version = at < 0 ? "" : initializer.slice(at);
  if (name.startsWith("@")) {
    const slash = name.indexOf("/");
    return slash < 0 ? `${name}/create${version}` : `${name.slice(0, slash)}/create-${name.slice(slash + 1)}${version}`;
  }
  return `create-${name}${version}`;
}

function packagesIssue(tool: string, specs: Array<{ name: string; pinned: boolean }>, written: readonly string[], base: Partial<InstallIssue>): InstallIssue[] {
  const unpinned = written.filter((w) => {
    const spec = npmSpec(w);
    return spec !== undefined && !spec.pinned;
  });
  if (unpinned.length === 0) return [];
  return [issue("unpinned-package", tool, "npm", { ...base, unpinned, names: specs.map((s) => s.name) })];
}

const NPX_VALUED = new Set(["--package", "-p", "--call", "-c", "--registry", "--workspace", "-w", "--node-options", "--shell", "--cache", "--userconfig"]);

function npx(tool: string, args: readonly string[]): InstallIssue[] {
  const { positionals, options, flags } = splitArgs(args, NPX_VALUED, true);
  if (has(flags, "--no-install", "--no", "--offline")) return [];
  const packages = options.get("--package") ?? options.get("-p");
  if (packages) return toolRun(tool, packages, false);
  if (options.has("--call") || options.has("-c")) return [];
  const first = positionals[0];
  return first === undefined ? [] : toolRun(tool, [first], true);
}

/** A runner that downloads a package to run it: unpinned unless every package names an exact version. */
function toolRun(tool: string, specs: readonly string[], mayBeLocal: boolean): InstallIssue[] {
  if (specs.some(isDynamicWord)) return [];
  const parsed = specs.map((s) => ({ written: s, spec: npmSpec(s) })).filter((s) => s.spec !== undefined);
  const unpinned = parsed.filter((s) => !s.spec?.pinned).map((s) => s.written);
  if (unpinned.length === 0) return [];
  const versioned = unpinned.some((s) => s.indexOf("@", s.startsWith("@") ? 1 : 0) >= 0);
  return [issue("tool-run", tool, "npm", { unpinned, names: parsed.map((s) => s.spec?.name as string), mayBeLocal: mayBeLocal && !versioned })];
}

// --------------------------------------------------------------------------------------------------- yarn, pnpm, bun

const YARN_VALUED = new Set(["--cwd", "--network-timeout", "--registry", "--mutex", "--cache-folder", "--modules-folder", "--global-folder", "--link-folder", "--use-yarnrc", "--network-concurrency", "--https-proxy", "--proxy", "--package", "-p"]);

function truthy(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === "1" || lower === "true" || lower === "yes") return true;
  if (lower === "0" || lower === "false" || lower === "no") return false;
  return undefined;
}

function yarn(args: readonly string[], env: Readonly<Record<string, string>>): InstallIssue[] {
  const { positionals, options, flags } = splitArgs(args, YARN_VALUED);
  const directory = options.get("--cwd")?.[0];
  const base = directory !== undefined ? { directory } : {};
  let [sub, ...rest] = positionals;
  if (sub === "global") {
    [sub, ...rest] = rest;
    if (sub === "add") return yarnPackages("yarn global add", rest, { ...base, global: true });
    return [];
  }
  if (sub === undefined || sub === "install") {
    if (has(flags, "--version", "-v", "--help", "-h")) return [];
    let lockFlag: LockFlag = "default";
    const immutableEnv = truthy(env.YARN_ENABLE_IMMUTABLE_INSTALLS);
    if (immutableEnv === true) lockFlag = "frozen";
    if (immutableEnv === false) lockFlag = "unfrozen";
    if (has(flags, "--frozen-lockfile", "--immutable")) lockFlag = "frozen";
    if (has(flags, "--no-immutable", "--no-frozen-lockfile")) lockFlag = "unfrozen";
    return [issue("lockfile-install", "yarn", "npm", { ...base, lockFlag })];
  }
  if (sub === "add") return yarnPackages("yarn add", rest, base);
  if (sub === "dlx") {
    const { positionals: dlxArgs, options: dlxOptions } = splitArgs(rest, YARN_VALUED, true);
    const packages = dlxOptions.get("--package") ?? dlxOptions.get("-p");
    if (packages) return toolRun("yarn dlx", packages, false);
    return dlxArgs[0] === undefined ? [] : toolRun("yarn dlx", [dlxArgs[0]], false);
  }
  if (sub === "upgrade" || sub === "up" || sub === "upgrade-interactive") return [issue("lock-update", `yarn ${sub}`, "npm", base)];
  return [];
}

function yarnPackages(tool: string, rest: readonly string[], base: Partial<InstallIssue>): InstallIssue[] {
  const specs = rest.filter((r) => !r.startsWith("-"));
  if (specs.length === 0 || specs.some(isDynamicWord)) return [];
  const parsed = specs.map(npmSpec).filter((s): s is { name: string; pinned: boolean } => s !== undefined);
  return packagesIssue(tool, parsed, specs, base);
}

const PNPM_VALUED = new Set(["-C", "--dir", "--filter", "-F", "--reporter", "--store-dir", "--virtual-store-dir", "--registry", "--workspace-concurrency", "--package", "--network-concurrency", "--lockfile-dir", "--modules-dir", "--loglevel"]);

function pnpm(args: readonly string[], env: Readonly<Record<string, string>>): InstallIssue[] {
  const { positionals, options, flags } = splitArgs(args, PNPM_VALUED);
  const directory = options.get("-C")?.[0] ?? options.get("--dir")?.[0];
  const base = directory !== undefined ? { directory } : {};
  const [sub, ...rest] = positionals;
  if (sub === "install" || sub === "i") {
    let lockFlag: LockFlag = "default";
    const frozenEnv = truthy(env.npm_config_frozen_lockfile ?? env.NPM_CONFIG_FROZEN_LOCKFILE);
    if (frozenEnv === true) lockFlag = "frozen";
    if (frozenEnv === false) lockFlag = "unfrozen";
    const explicit = options.get("--frozen-lockfile")?.[0];
    if (flags.has("--frozen-lockfile")) lockFlag = explicit === undefined || truthy(explicit) !== false ? "frozen" : "unfrozen";
    if (has(flags, "--no-frozen-lockfile", "--fix-lockfile")) lockFlag = "unfrozen";
    return [issue("lockfile-install", "pnpm", "npm", { ...base, lockFlag })];
  }
  if (sub === "add") return yarnPackages("pnpm add", rest, { ...base, global: has(flags, "-g", "--global") });
  if (sub === "dlx") {
    const packages = options.get("--package");
    if (packages) return toolRun("pnpm dlx", packages, false);
    return rest[0] === undefined ? [] : toolRun("pnpm dlx", [rest[0]], false);
  }
  if (sub === "update" || sub === "up" || sub === "upgrade") return [issue("lock-update", `pnpm ${sub}`, "npm", { ...base, upgrade: has(flags, "--latest", "-L") })];
  return [];
}

function bun(args: readonly string[]): InstallIssue[] {
  const { positionals, options, flags } = splitArgs(args, new Set(["--cwd", "--registry", "--cache-dir", "--backend", "--filter", "-F", "--package", "-p"]));
  const directory = options.get("--cwd")?.[0];
  const base = directory !== undefined ? { directory } : {};
  const [sub, ...rest] = positionals;
  if (sub === "install" || sub === "i") {
    if (rest.length > 0) return yarnPackages("bun install", rest, { ...base, global: has(flags, "-g", "--global") });
    return [issue("lockfile-install", "bun", "npm", { ...base, lockFlag: has(flags, "--frozen-lockfile") ? "frozen" : "default" })];
  }
  if (sub === "add" || sub === "a") return yarnPackages("bun add", rest, { ...base, global: has(flags, "-g", "--global") });
  if (sub === "x") return npx("bunx", rest);
  if (sub === "update") return [issue("lock-update", "bun update", "npm", base)];
  return [];
}

// ----------------------------------------------------------------------------------------------------------- Python

const PIP_VALUED = new Set([
  "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links",
  "-t", "--target", "--prefix", "--root", "--upgrade-strategy", "--platform", "--python-version", "--implementation", "--abi",
  "--src", "--no-binary", "--only-binary", "--progress-bar", "--log", "--proxy", "--retries", "--timeout", "--exists-action",
  "--trusted-host", "--cert", "--client-cert", "--cache-dir", "--global-option", "--install-option", "--config-settings", "-C",
  "--python", "--report", "--root-user-action", "--keyring-provider", "--use-feature", "--use-deprecated", "--group",
  // uv pip
  "-p", "--overrides", "--build-constraints", "-b", "--index", "--default-index", "--index-strategy", "--resolution",
  "--prerelease", "--exclude-newer", "--link-mode", "--config-setting", "--no-build-isolation-package", "--reinstall-package",
  "--refresh-package", "--python-platform", "--torch-backend", "--directory", "--project", "--config-file", "--color",
  "--extra", "--upgrade-package", "-P", "--no-binary-package", "--only-binary-package", "--fork-strategy",
]);

function pipCommand(tool: string, args: readonly string[], env: Readonly<Record<string, string>>): InstallIssue[] {
  const { positionals, options, flags } = splitArgs(args, PIP_VALUED);
  const [sub, ...targets] = positionals;
  if (sub !== "install") return [];
  const requirementFiles = [...(options.get("-r") ?? []), ...(options.get("--requirement") ?? [])];
  const editables = [...(options.get("-e") ?? []), ...(options.get("--editable") ?? [])];
  const constrained = options.has("-c") || options.has("--constraint") || env.PIP_CONSTRAINT !== undefined || env.UV_CONSTRAINT !== undefined;
  const requireHashes = flags.has("--require-hashes") || truthy(env.PIP_REQUIRE_HASHES) === true || (tool === "uv pip" && truthy(env.UV_REQUIRE_HASHES) === true);
  const noDeps = flags.has("--no-deps");
  const upgrade = has(flags, "-U", "--upgrade");
  const directory = tool === "uv pip" ? (options.get("--directory")?.[0] ?? options.get("--project")?.[0]) : undefined;
  const base = { requireHashes, upgrade, ...(directory !== undefined ? { directory } : {}) };
  const out: InstallIssue[] = [];
  if (requirementFiles.length > 0 && !requirementFiles.some(isDynamicWord)) {
    out.push(issue("requirements-install", tool, "pypi", { ...base, requirementFiles }));
  }
  const named: string[] = [];
  const unpinned: string[] = [];
  let project = false;
  for (const target of [...targets, ...editables]) {
    if (isDynamicWord(target)) continue;
    const kind = pythonTarget(target);
    if (kind.kind === "project") project = true;
    if (kind.kind !== "requirement") continue;
    named.push(kind.name);
    if (!kind.pinned) unpinned.push(target);
  }
  if (unpinned.length > 0 && !constrained && !requireHashes) out.push(issue("unpinned-package", tool, "pypi", { ...base, unpinned, names: named }));
  if (project && !noDeps && !constrained && !requireHashes && requirementFiles.length === 0) out.push(issue("project-install", tool, "pypi", base));
  return out;
}

/** What a pip install target is: a requirement (name, pinned?), a local project folder, or something else (wheel, URL). */
function pythonTarget(target: string): { kind: "requirement"; name: string; pinned: boolean } | { kind: "project" } | { kind: "other" } {
  const bare = target.replace(/\[[^\]]*\]$/, "");
  if (bare === "." || bare === ".." || bare.startsWith("./") || bare.startsWith("../") || bare.startsWith("/") || bare.startsWith("file:")) {
    return /\.(?:whl|tar\.gz|zip)$/i.test(bare) ? { kind: "other" } : { kind: "project" };
  }
  if (/\.(?:whl|tar\.gz|zip)$/i.test(bare)) return { kind: "other" };
  const vcs = /^(?:git|hg|svn|bzr)\+/.test(target) ? target : target.includes(" @ ") || target.includes("@git+") ? target.slice(target.indexOf("@") + 1).trim() : undefined;
  if (vcs !== undefined) {
    const egg = /#egg=([A-Za-z0-9_.-]+)/.exec(vcs)?.[1] ?? target.split("@")[0]?.trim() ?? vcs;
    const ref = /@([0-9a-fA-F]{40})(?:#|$)/.test(vcs);
    return /^(?:git|hg|svn|bzr)\+/.test(vcs) ? { kind: "requirement", name: normalizeName("pypi", egg), pinned: ref } : { kind: "other" };
  }
  if (/^https?:\/\//.test(target)) return { kind: "other" };
  const requirement = parseRequirement(target);
  if (!requirement) return { kind: "other" };
  if (requirement.url !== undefined) return { kind: "requirement", name: requirement.name, pinned: /@[0-9a-fA-F]{40}(?:#|$)/.test(requirement.url) };
  const exact = exactVersion(requirement.specifier);
  return { kind: "requirement", name: requirement.name, pinned: exact !== undefined && !exact.includes("*") };
}

const UV_GLOBAL_VALUED = new Set(["--directory", "--project", "--python", "-p", "--config-file", "--cache-dir", "--color", "--index", "--default-index", "--index-url", "--extra-index-url", "--find-links", "-f", "--package", "--extra", "--group", "--only-group", "--no-group", "--with", "--with-requirements", "--with-editable", "--from", "--env-file", "--upgrade-package", "-P", "--reinstall-package", "--no-install-package", "--python-platform", "--exclude-newer", "--resolution", "--prerelease", "--index-strategy", "--link-mode", "--keyring-provider", "--config-setting", "-C", "--refresh-package", "--script", "-s", "--module", "-m", "--emit-index-url"]);

function uv(args: readonly string[], env: Readonly<Record<string, string>>): InstallIssue[] {
  const { positionals, options, flags } = splitArgs(args, UV_GLOBAL_VALUED, true);
  const [sub, ...rest] = positionals;
  const directory = options.get("--directory")?.[0] ?? options.get("--project")?.[0];
  if (sub === "pip") {
    const [pipSub] = rest;
    const at = args.indexOf("pip");
    return pipSub === "install" ? pipCommand("uv pip", [...args.slice(0, at), ...args.slice(at + 1)], env) : [];
  }
  if (sub === "tool") {
    const [toolSub, ...toolArgs] = rest;
    if (toolSub === "run") return uvx("uv tool run", toolArgs);
    if (toolSub === "install") return uvx("uv tool install", toolArgs, "unpinned-package");
    return [];
  }
  if (sub === "sync" || sub === "run") {
    // Options after the subcommand: re-split so `uv run --locked pytest` and `uv sync --frozen` are seen.
    const subArgs = splitArgs(rest, UV_GLOBAL_VALUED, sub === "run");
    const all = new Set([...flags, ...subArgs.flags]);
    const allOptions = new Map([...options, ...subArgs.options]);
    const dir = directory ?? allOptions.get("--directory")?.[0] ?? allOptions.get("--project")?.[0];
    const base = dir !== undefined ? { directory: dir } : {};
    const out: InstallIssue[] = [];
    const locked = has(all, "--locked", "--frozen", "--no-sync") || truthy(env.UV_LOCKED) === true || truthy(env.UV_FROZEN) === true || truthy(env.UV_NO_SYNC) === true;
    const noProject = has(all, "--no-project", "--script", "-s", "--isolated") || allOptions.has("--script") || allOptions.has("-s");
    if (has(all, "--upgrade", "-U") || allOptions.has("--upgrade-package") || allOptions.has("-P")) out.push(issue("lock-update", `uv ${sub} --upgrade`, "pypi", base));
    else if (!locked && !(sub === "run" && noProject)) out.push(issue("uv-sync", `uv ${sub}`, "pypi", base));
    if (sub === "run") {
      const withs = [...(allOptions.get("--with") ?? [])].flatMap((w) => w.split(","));
      const unpinned = withs.filter((w) => !isDynamicWord(w)).filter((w) => {
        const target = pythonTarget(w.trim());
        return target.kind === "requirement" && !target.pinned;
      });
      if (unpinned.length > 0) out.push(issue("tool-run", "uv run --with", "pypi", { unpinned, names: unpinned.map((u) => pythonName(u)) }));
    }
    return out;
  }
  if (sub === "lock") {
    const subArgs = splitArgs(rest, UV_GLOBAL_VALUED);
    const all = new Set([...flags, ...subArgs.flags]);
    if (has(all, "--upgrade", "-U") || subArgs.options.has("--upgrade-package") || subArgs.options.has("-P")) return [issue("lock-update", "uv lock --upgrade", "pypi", directory !== undefined ? { directory } : {})];
  }
  return [];
}

function pythonName(spec: string): string {
  return parseRequirement(spec)?.name ?? normalizeName("pypi", spec);
}

/** `uvx tool`, `uvx tool@1.2.3`, `uvx --from 'tool==1.2.3' cmd`, `uv tool install tool==1.2.3`. */
function uvx(tool: string, args: readonly string[], kind: InstallIssueKind = "tool-run"): InstallIssue[] {
  const { positionals, options } = splitArgs(args, UV_GLOBAL_VALUED, true);
  const from = options.get("--from")?.[0];
  const specs: string[] = [];
  if (from !== undefined) specs.push(from);
  else if (positionals[0] !== undefined) specs.push(positionals[0]);
  for (const w of options.get("--with") ?? []) specs.push(...w.split(","));
  if (specs.length === 0 || specs.some(isDynamicWord)) return [];
  const unpinned: string[] = [];
  const names: string[] = [];
  for (const raw of specs) {
    const spec = raw.trim();
    // uvx accepts `tool@version` (and `tool@latest`) besides PEP 508.
    const at = spec.indexOf("@");
    if (at > 0 && !spec.includes(" @ ") && !spec.slice(at + 1).includes("/")) {
      const version = spec.slice(at + 1);
      names.push(normalizeName("pypi", spec.slice(0, at)));
      if (version === "latest" || !/^[0-9]/.test(version)) unpinned.push(spec);
      continue;
    }
    const target = pythonTarget(spec);
    if (target.kind !== "requirement") continue;
    names.push(target.name);
    if (!target.pinned) unpinned.push(spec);
  }
  return unpinned.length === 0 ? [] : [issue(kind, tool, "pypi", { unpinned, names, global: kind === "unpinned-package" })];
}

function poetry(args: readonly string[]): InstallIssue[] {
  const { positionals, options } = splitArgs(args, new Set(["-C", "--directory", "-P", "--project", "--with", "--without", "--only", "-E", "--extras", "--source", "--group", "-G", "--python"]));
  const [sub, ...rest] = positionals;
  const directory = options.get("-C")?.[0] ?? options.get("--directory")?.[0] ?? options.get("-P")?.[0] ?? options.get("--project")?.[0];
  const base = directory !== undefined ? { directory } : {};
  if (sub === "install" || sub === "sync") return [issue("poetry-install", `poetry ${sub}`, "pypi", base)];
  if (sub === "update") return [issue("lock-update", "poetry update", "pypi", base)];
  if (sub === "add") {
    if (rest.some(isDynamicWord)) return [];
    const unpinned: string[] = [];
    const names: string[] = [];
    for (const spec of rest) {
      // Poetry's syntax: `name`, `name@^1.0`, `name@1.2.3` (exact), `name==1.2.3`, `name@latest`.
      const at = spec.indexOf("@");
      if (at > 0 && !spec.slice(at + 1).includes("/")) {
        const constraint = spec.slice(at + 1).replace(/^==/, "");
        names.push(normalizeName("pypi", spec.slice(0, at)));
        if (!/^[0-9][0-9A-Za-z.+!-]*$/.test(constraint)) unpinned.push(spec);
        continue;
      }
      const target = pythonTarget(spec);
      if (target.kind !== "requirement") continue;
      names.push(target.name);
      if (!target.pinned) unpinned.push(spec);
    }
    return unpinned.length === 0 ? [] : [issue("unpinned-package", "poetry add", "pypi", { ...base, unpinned, names })];
  }
  return [];
}

function pipenv(args: readonly string[]): InstallIssue[] {
  const { positionals, flags } = splitArgs(args, new Set(["--python", "--categories", "-r", "--requirements", "--index", "--extra-index-url"]));
  const [sub, ...rest] = positionals;
  if (sub === "install") {
    if (rest.length > 0) {
      if (rest.some(isDynamicWord)) return [];
      const names: string[] = [];
      const unpinned: string[] = [];
      for (const spec of rest) {
        const target = pythonTarget(spec);
        if (target.kind !== "requirement") continue;
        names.push(target.name);
        if (!target.pinned) unpinned.push(spec);
      }
      return unpinned.length === 0 ? [] : [issue("unpinned-package", "pipenv install", "pypi", { unpinned, names })];
    }
    return has(flags, "--deploy", "--ignore-pipfile") ? [] : [issue("pipenv-install", "pipenv install", "pypi")];
  }
  if (sub === "update" || sub === "upgrade") return [issue("lock-update", `pipenv ${sub}`, "pypi")];
  return [];
}

function pipx(args: readonly string[]): InstallIssue[] {
  const { positionals } = splitArgs(args, new Set(["--python", "--pip-args", "--index-url", "--suffix"]));
  const [sub, ...rest] = positionals;
  if (sub !== "install" && sub !== "run") return [];
  const spec = (() => {
    const { positionals: subPositionals, options } = splitArgs(rest, new Set(["--spec", "--python", "--pip-args", "--index-url", "--suffix"]), true);
    return options.get("--spec")?.[0] ?? subPositionals[0];
  })();
  if (spec === undefined || isDynamicWord(spec)) return [];
  const target = pythonTarget(spec);
  if (target.kind !== "requirement" || target.pinned) return [];
  return [issue(sub === "install" ? "unpinned-package" : "tool-run", `pipx ${sub}`, "pypi", { unpinned: [spec], names: [target.name], global: sub === "install" })];
}
