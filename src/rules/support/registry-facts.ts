// Helpers shared by the registry rules (young-release, removed-release, hash-mismatch, invalid-signature,
// provenance-downgrade, new-publisher): which locked packages the registry facts speak about, their facts, ages in
// words, the scan's "now", and the release-age setting. Pure functions of the context.
import type { PackageNode } from "../../graph/package-node.js";
import { registryKey } from "../../sources/registry/types.js";
import type { RegistryFacts, RegistryPackageFacts, RegistryVersionFacts } from "../../sources/registry/types.js";
import type { ContextProject, ScanContext } from "../rule.js";
import { lockEntry, site } from "./supply-chain.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The registry facts of the scan, when the enrich stage loaded them. */
export function registryFacts(context: ScanContext): RegistryFacts | undefined {
  return context.facts.registry;
}

/** One locked registry package with what its registry says. */
export interface LockedFacts {
  node: PackageNode;
  pkg: RegistryPackageFacts;
  /** The locked version's facts; undefined when the registry does not serve that version. */
  version: RegistryVersionFacts | undefined;
}

/**
 * Every package the project locks from a registry that the facts cover: registry sources with a version, not
 * workspace members, not npm bundled dependencies (they come inside another package's tarball). Manifest-only
 * projects are skipped: nothing is locked, so no version is installed yet.
 */
export function lockedWithFacts(facts: RegistryFacts, project: ContextProject): LockedFacts[] {
  if (!project.locked) return [];
  const out: LockedFacts[] = [];
  for (const node of project.graph.packages()) {
    if (node.source !== "registry" || node.workspace || node.bundled || node.version === "") continue;
    const pkg = facts.packages.get(registryKey(project.ecosystem, node.name));
    if (!pkg) continue;
    out.push({ node, pkg, version: pkg.versions.get(node.version) });
  }
  return out;
}

/** {@link lockedWithFacts} over every locked npm project of the scan, with the project (the npm-only registry rules). */
export function lockedNpmWithFacts(context: ScanContext): Array<LockedFacts & { project: ContextProject }> {
  const facts = registryFacts(context);
  if (!facts) return [];
  return context.projects.filter((p) => p.ecosystem === "npm").flatMap((project) => lockedWithFacts(facts, project).map((locked) => ({ ...locked, project })));
}

/** The finding's file and line for a locked node: its lockfile entry, else the project's primary file. */
export function lockSite(project: ContextProject, node: PackageNode): { file: string; line?: number } {
  return site(lockEntry(project, node) ?? node.locations[0], project.files[0] ?? project.path);
}

/** "Now" for ages: when the registry facts were checked (hour precision), else the start of `context.today`. */
export function scanTime(context: ScanContext): number {
  const checked = registryFacts(context)?.checkedAt;
  const ms = checked !== undefined ? Date.parse(checked) : NaN;
  return Number.isNaN(ms) ? Date.parse(`${context.today}T00:00:00Z`) : ms;
}

/** An age in words, rounded down to the largest whole unit: "40 minutes", "3 hours", "2 days". */
export function describeAge(ms: number): string {
  if (ms < HOUR) return plural(Math.max(0, Math.floor(ms / MINUTE)), "minute");
  if (ms < 2 * DAY) return plural(Math.floor(ms / HOUR), "hour");
  return plural(Math.floor(ms / DAY), "day");
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** `YYYY-MM-DD HH:MM UTC` for messages. */
export function utcMinute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Which packages the release-age rule looks at. */
export type ReleaseAgeScope = "ai" | "all";

/** The release-age setting (configuration key `releaseAge`). */
export interface ReleaseAgeSettings {
  /** A locked version younger than this is reported (default 7). */
  minimumDays: number;
  /** `ai` (default): AI packages and their dependency subtrees; `all`: every locked package. */
  scope: ReleaseAgeScope;
}

/** The default cooldown: seven days keeps out releases that registries remove within hours or days. */
export const DEFAULT_RELEASE_AGE: ReleaseAgeSettings = { minimumDays: 7, scope: "ai" };

/**
 * The `releaseAge` setting of the configuration, with defaults. Read defensively: the configuration schema owns
 * validation; a value of the wrong type falls back to the default.
 */
export function releaseAgeSettings(context: ScanContext): ReleaseAgeSettings {
  const raw = context.config.releaseAge as { minimumDays?: unknown; scope?: unknown } | undefined;
  const days = raw?.minimumDays;
  const scope = raw?.scope;
  return {
    minimumDays: typeof days === "number" && Number.isFinite(days) && days >= 0 ? days : DEFAULT_RELEASE_AGE.minimumDays,
    scope: scope === "all" || scope === "ai" ? scope : DEFAULT_RELEASE_AGE.scope,
  };
}

/** Milliseconds in `days` days. */
export function days(n: number): number {
  return n * DAY;
}

/**
 * The versions published before `version`, newest first (by publish time; versions without one are left out).
 * Used to compare a locked version with the history that preceded it.
 */
export function publishedBefore(pkg: RegistryPackageFacts, version: RegistryVersionFacts): RegistryVersionFacts[] {
  if (version.published === undefined) return [];
  const at = Date.parse(version.published);
  const earlier: Array<{ facts: RegistryVersionFacts; at: number }> = [];
  for (const facts of pkg.versions.values()) {
    if (facts.published === undefined || facts.version === version.version) continue;
    const t = Date.parse(facts.published);
    if (t < at) earlier.push({ facts, at: t });
  }
  return earlier.sort((a, b) => b.at - a.at).map((e) => e.facts);
}

/** The package manager that installs a project, which decides where a cooldown is configured. */
export type PackageManager = "npm" | "pnpm" | "yarn" | "yarn-classic" | "uv" | "poetry" | "pipenv" | "pip";

/** The package manager of a project, from its primary file's extractor (yarn berry told apart by `__metadata`). */
export function packageManagerOf(context: ScanContext, project: ContextProject): PackageManager {
  switch (project.extractorId) {
    case "pnpm-lock":
      return "pnpm";
    case "yarn-lock":
      return /(?:^|\n)__metadata:/.test(context.texts.get(project.files[0] ?? "") ?? "") ? "yarn" : "yarn-classic";
    case "uv-lock":
      return "uv";
    case "poetry-lock":
      return "poetry";
    case "pipfile-lock":
    case "pipfile":
      return "pipenv";
    case "pip-requirements":
      return "pip";
    case "pyproject": {
      const text = context.texts.get(project.files[0] ?? "") ?? "";
      if (text.includes("[tool.uv")) return "uv";
      return text.includes("[tool.poetry") ? "poetry" : "pip";
    }
    default:
      return project.ecosystem === "pypi" ? "pip" : "npm";
  }
}

/** How to set a rolling cooldown of `n` days with a package manager: the file, the line, and a sentence. */
export function cooldownAdvice(manager: PackageManager, n: number): { file?: string; setting?: string; text: string } {
  const minutes = Math.round(n * 24 * 60);
  switch (manager) {
    case "npm":
      return { file: ".npmrc", setting: `min-release-age=${n}`, text: `add \`min-release-age=${n}\` to the project's .npmrc (npm 11.10 or later; the value is in days; npm ci then also refuses lockfile entries younger than that, so refresh the lockfile with \`npm install\` once it is set)` };
    case "pnpm":
      return { file: "pnpm-workspace.yaml", setting: `minimumReleaseAge: ${minutes}`, text: `add \`minimumReleaseAge: ${minutes}\` to pnpm-workspace.yaml (pnpm 10.16 or later; the value is in minutes; pnpm ignores it in package.json)` };
    case "yarn":
      return { file: ".yarnrc.yml", setting: `npmMinimalAgeGate: ${minutes}`, text: `add \`npmMinimalAgeGate: ${minutes}\` to .yarnrc.yml (yarn 4.10 or later; a number is minutes)` };
    case "yarn-classic":
      return { text: `yarn 1 has no cooldown setting: move to yarn 4.10 or later (\`npmMinimalAgeGate: ${minutes}\` in .yarnrc.yml), or to npm (\`min-release-age=${n}\`) or pnpm (\`minimumReleaseAge: ${minutes}\`)` };
    case "uv":
      return { file: "pyproject.toml", setting: `exclude-newer = "${n} days"`, text: `add \`exclude-newer = "${n} days"\` under \`[tool.uv]\` in pyproject.toml (or to uv.toml), so uv resolves only releases at least ${n} days old` };
    case "poetry":
    case "pipenv":
      return { text: `${manager === "poetry" ? "Poetry" : "Pipenv"} has no cooldown setting: resolve the lock with uv (\`exclude-newer = "${n} days"\`) or review every new release before locking it` };
    case "pip":
      return { text: `compile the requirements with uv (\`uv pip compile --exclude-newer "${n} days" --generate-hashes\`) or pass pip \`--uploaded-prior-to\` a date ${n} days back when resolving` };
  }
}
