import type { CooldownFacts, CooldownSetting, CooldownTool } from "../sources/cooldown.js";
import type { BlastRadius, ContextProject, FindingDraft, Rule, ScanContext, Severity } from "./rule.js";
import { severityByBlastRadius } from "./rule.js";
import { cooldownAdvice, packageManagerOf, releaseAgeSettings } from "./support/registry-facts.js";
import type { PackageManager } from "./support/registry-facts.js";
import { widerRadius } from "./support/supply-chain.js";

/** Base severity of a project without a cooldown: a missing hardening, not a problem in itself (see the docs). */
const BASE: Severity = "low";

/** A cooldown shorter than this leaves most of the window in which poisoned releases are found and removed open. */
const SHORTEST_USEFUL_MINUTES = 24 * 60;

/** The setting each package manager reads. */
const TOOL_OF: Readonly<Partial<Record<PackageManager, CooldownTool>>> = { npm: "npm", pnpm: "pnpm", yarn: "yarn", uv: "uv" };

/** How each tool's setting is called, for messages. */
const SETTING_NAME: Readonly<Record<CooldownTool, string>> = {
  npm: "`min-release-age` in .npmrc",
  pnpm: "`minimumReleaseAge` in pnpm-workspace.yaml",
  yarn: "`npmMinimalAgeGate` in .yarnrc.yml",
  uv: "`exclude-newer` under `[tool.uv]` in pyproject.toml, or in uv.toml",
};

/** How package managers are called in messages. */
const DISPLAY: Readonly<Record<PackageManager, string>> = {
  npm: "npm", pnpm: "pnpm", yarn: "yarn", "yarn-classic": "yarn 1", uv: "uv", poetry: "Poetry", pipenv: "Pipenv", pip: "pip",
};

/**
 * AIW-AGE-002: the project's package manager is not told to keep new releases out (no cooldown), the setting is
 * written where the package manager ignores it (pnpm's `minimumReleaseAge` in package.json), it is the setting of
 * another package manager, or it is shorter than a day.
 */
export const cooldownNotConfigured: Rule = {
  id: "AIW-AGE-002",
  title: "No release-age cooldown is configured",
  severity: BASE,
  docs: {
    what: "A project whose package manager does not hold back new releases. Recognised settings: npm `min-release-age` (days) or `before` in .npmrc; pnpm `minimumReleaseAge` (minutes) in pnpm-workspace.yaml, `minimum-release-age` in .npmrc (pnpm 10), or pnpm 11's default of one day (`packageManager: pnpm@11…`); yarn 4.10+ `npmMinimalAgeGate` in .yarnrc.yml; uv `exclude-newer` under `[tool.uv]`, in uv.toml, or recorded in uv.lock (requirements compiled with `--exclude-newer` count too). Files are read in the project folder and its parents up to the scanned root; user-level files are not (CI does not have them). Reported: no setting (low; medium when the project has AI packages); a setting pnpm ignores because it is in package.json (medium: the team believes it is protected); another package manager's setting, e.g. npm's `min-release-age` in a pnpm project (medium); a cooldown shorter than one day (low). Yarn 1, Poetry, Pipenv and plain pip have no rolling cooldown of their own; the finding says how to get one. Needs the cooldown facts the enrich stage reads (silent without them).",
    why: "Most malicious releases are caught within hours and removed: the poisoned litellm releases were on PyPI for about 40 minutes. A package manager told to ignore releases younger than a few days never installs them, whatever the lockfile refresh or `npm install` picks up, at the cost of getting fixes a few days later. The setting is easy to get subtly wrong: pnpm silently ignores `minimumReleaseAge` in package.json, each tool uses another unit (npm days, pnpm and yarn minutes), and npm's key means nothing to pnpm.",
    fix: "Configure the cooldown where the project's package manager reads it, with at least a day, better seven: npm `min-release-age=7` in .npmrc; pnpm `minimumReleaseAge: 10080` in pnpm-workspace.yaml; yarn `npmMinimalAgeGate: 10080` in .yarnrc.yml; uv `exclude-newer = \"7 days\"` under `[tool.uv]`. npm applies `min-release-age` to `npm ci` too: a lockfile entry younger than the cooldown makes it fail (ETARGET), so after setting it run `npm install` once, which re-resolves those entries to older releases.",
    references: [
      "https://docs.npmjs.com/cli/v11/using-npm/config#min-release-age",
      "https://pnpm.io/settings#minimumreleaseage",
      "https://yarnpkg.com/configuration/yarnrc#npmMinimalAgeGate",
      "https://docs.astral.sh/uv/reference/settings/#exclude-newer",
    ],
  },
  check(context) {
    const facts = context.facts.cooldown;
    if (!facts) return [];
    const drafts: FindingDraft[] = [];
    for (const project of context.projects) {
      if (!project.graph.packages().some((n) => n.source === "registry" && !n.workspace)) continue;
      const draft = judge(context, project, facts);
      if (draft) drafts.push(draft);
    }
    return drafts;
  },
};

function judge(context: ScanContext, project: ContextProject, facts: CooldownFacts): FindingDraft | undefined {
  const manager = packageManagerOf(context, project);
  const tool = TOOL_OF[manager];
  const days = releaseAgeSettings(context).minimumDays || 7;
  const advice = cooldownAdvice(manager, days);
  const primary = project.files[0] ?? project.path;
  const applicable = facts.settings.filter((s) => appliesTo(s, project.path));
  const radius = projectRadius(project);
  const base = { project: project.path };
  if (tool) {
    const own = applicable.filter((s) => s.tool === tool);
    const effective = own.filter((s) => s.placement === "effective");
    if (effective.length > 0) {
      // A date cut-off or any rolling age of a day or more is a cooldown.
      if (effective.some((s) => s.until !== undefined || s.minutes === undefined || s.minutes >= SHORTEST_USEFUL_MINUTES)) return undefined;
      const shortest = effective[0] as CooldownSetting;
      return {
        severity: BASE,
        message: `${primary}: the cooldown \`${shortest.key}\` set to ${shortest.value} in ${shortest.file} keeps out releases younger than ${describeMinutes(shortest.minutes ?? 0)} only, less than the day in which poisoned releases are usually found and removed.`,
        fix: `Raise it to at least a day, better ${days} days: ${advice.text}.`,
        file: shortest.file,
        ...(shortest.line !== undefined ? { line: shortest.line } : {}),
        ...base,
        key: [project.path, "short", shortest.file],
      };
    }
    const ignored = own.find((s) => s.placement === "ignored");
    if (ignored) {
      return {
        severity: "medium",
        message: `${ignored.file} sets ${ignored.key} to ${ignored.value}, but ${ignored.note ?? `${DISPLAY[manager]} does not read it there`}: ${primary} has no cooldown in effect.`,
        fix: `Move the setting: ${advice.text}; then delete it from ${ignored.file}.`,
        file: ignored.file,
        ...(ignored.line !== undefined ? { line: ignored.line } : {}),
        ...base,
        key: [project.path, "ignored", ignored.file, ignored.key],
      };
    }
    const foreign = applicable.find((s) => s.tool !== tool && s.placement === "effective");
    if (foreign) {
      return {
        severity: "medium",
        message: `${foreign.file} sets ${foreign.key}, which ${foreign.tool} reads, but ${primary} is installed with ${DISPLAY[manager]}, which needs ${SETTING_NAME[tool]}: no cooldown is in effect.`,
        fix: `Configure ${DISPLAY[manager]}'s own setting: ${advice.text}.`,
        file: foreign.file,
        ...(foreign.line !== undefined ? { line: foreign.line } : {}),
        ...base,
        key: [project.path, "foreign", foreign.file, foreign.key],
      };
    }
  } else if (manager === "pip" && compiledWithCutoff(context.texts.get(primary) ?? "")) {
    return undefined;
  }
  const when = project.locked ? "as soon as the lockfile is refreshed" : "by the next install";
  const ai = radius !== "other" ? ", AI packages included" : "";
  return {
    severity: severityByBlastRadius(BASE, radius),
    message: tool
      ? `${primary} is installed with ${DISPLAY[manager]} and no release-age cooldown is configured (${SETTING_NAME[tool]}), so a release published minutes ago is installed ${when}${ai}.`
      : `${primary} is installed with ${DISPLAY[manager]}, which has no release-age cooldown of its own, so a release published minutes ago is locked ${when}${ai}.`,
    fix: `${capitalize(advice.text)}.`,
    file: primary,
    ...base,
    key: [project.path, "missing"],
  };
}

/** True when a setting's file sits in the project folder or one of its parents (paths root-relative, "." the root). */
function appliesTo(setting: CooldownSetting, projectPath: string): boolean {
  const slash = setting.file.lastIndexOf("/");
  const dir = slash < 0 ? "." : setting.file.slice(0, slash);
  if (dir === ".") return true;
  return projectPath === dir || projectPath.startsWith(`${dir}/`);
}

/** The widest blast radius in the project: AI packages present make a missing cooldown matter more. */
function projectRadius(project: ContextProject): BlastRadius {
  let radius: BlastRadius = "other";
  for (const node of project.graph.packages()) {
    if (node.workspace) continue;
    radius = widerRadius(radius, project.blastRadius(node));
    if (radius === "ai") break;
  }
  return radius;
}

/** A requirements file compiled by uv with `--exclude-newer`, or for pip with `--uploaded-prior-to`, says so in its header. */
function compiledWithCutoff(text: string): boolean {
  const header = text.slice(0, 4000);
  return header.includes("--exclude-newer") || header.includes("--uploaded-prior-to");
}

function describeMinutes(minutes: number): string {
  if (minutes >= 120) return `${Math.round(minutes / 60)} hours`;
  return `${Math.round(minutes)} minute${Math.round(minutes) === 1 ? "" : "s"}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
