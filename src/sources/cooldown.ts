// The project's own release-age cooldown settings, for AIW-AGE-002 (src/rules/cooldown-not-configured.ts). The scan
// does not read package-manager configuration files, so this module reads them at the edge (`loadCooldownFacts`)
// and parses them purely (`cooldownSettingsIn`). Settings recognised, with their units:
// - npm: `min-release-age` (days) or `before` (a date) in `.npmrc` (npm 11.10+),
//   https://docs.npmjs.com/cli/v11/using-npm/config#min-release-age
// - pnpm: `minimumReleaseAge` (minutes) in `pnpm-workspace.yaml`, or `minimum-release-age` in `.npmrc` (pnpm 10);
//   pnpm 11 defaults to 1440; **ignored** when written in package.json (`pnpm.minimumReleaseAge`),
//   https://pnpm.io/settings#minimumreleaseage
// - yarn (berry 4.10+): `npmMinimalAgeGate` in `.yarnrc.yml` (a number is minutes; a duration like `3d`),
//   https://yarnpkg.com/configuration/yarnrc#npmMinimalAgeGate
// - uv: `exclude-newer` (a timestamp, or a duration such as "7 days") under `[tool.uv]` in pyproject.toml, in
//   uv.toml, or recorded in uv.lock's `[options]`, https://docs.astral.sh/uv/reference/settings/#exclude-newer
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseNpmrc } from "./registry/config.js";

/** Package managers with a cooldown setting. */
export type CooldownTool = "npm" | "pnpm" | "yarn" | "uv";

/** One cooldown setting found in a file. */
export interface CooldownSetting {
  tool: CooldownTool;
  /** Root-relative POSIX path of the file it is written in. */
  file: string;
  line?: number;
  /** The key as written (`min-release-age`, `pnpm.minimumReleaseAge`, `exclude-newer`, …). */
  key: string;
  /** The value as written. */
  value: string;
  /** A rolling minimum age, in minutes, when the value is one. */
  minutes?: number;
  /** An absolute cut-off (ISO 8601), when the value is a date: nothing newer is installed until it is moved. */
  until?: string;
  /** `ignored`: written where the package manager does not read it. */
  placement: "effective" | "ignored";
  /** Why an ignored setting is ignored, or where an implied one comes from. */
  note?: string;
}

/** What the scan knows about cooldown settings. */
export interface CooldownFacts {
  settings: readonly CooldownSetting[];
}

/** The files that can hold a cooldown setting, by base name. */
export const COOLDOWN_FILES: readonly string[] = [".npmrc", "pnpm-workspace.yaml", ".yarnrc.yml", "uv.toml", "pyproject.toml", "package.json", "uv.lock"];

const DAY_MINUTES = 24 * 60;

/** The cooldown settings written in one file (`path` root-relative, its base name decides the format). */
export function cooldownSettingsIn(path: string, text: string): CooldownSetting[] {
  const base = path.slice(path.lastIndexOf("/") + 1);
  switch (base) {
    case ".npmrc":
      return npmrcSettings(path, text);
    case "pnpm-workspace.yaml":
      return topLevelYaml(path, text, "minimumReleaseAge").map((s) => ({ tool: "pnpm" as const, ...s, ...minutesValue(s.value) }));
    case ".yarnrc.yml":
      return topLevelYaml(path, text, "npmMinimalAgeGate").map((s) => ({ tool: "yarn" as const, ...s, ...minutesValue(s.value) }));
    case "uv.toml":
      return tomlKey(path, text, undefined, "exclude-newer");
    case "pyproject.toml":
      return tomlKey(path, text, "tool.uv", "exclude-newer");
    case "uv.lock":
      return tomlKey(path, text, "options", "exclude-newer").map((s) => ({ ...s, note: "recorded in uv.lock when the lock was resolved" }));
    case "package.json":
      return packageJsonSettings(path, text);
    default:
      return [];
  }
}

function npmrcSettings(file: string, text: string): CooldownSetting[] {
  const out: CooldownSetting[] = [];
  for (const entry of parseNpmrc(text)) {
    if (entry.key === "min-release-age") {
      const daysValue = Number(entry.value);
      out.push({ tool: "npm", file, line: entry.line, key: entry.key, value: entry.value, placement: "effective", ...(Number.isFinite(daysValue) && entry.value !== "" ? { minutes: daysValue * DAY_MINUTES } : {}) });
    } else if (entry.key === "before") {
      const ms = Date.parse(entry.value);
      out.push({ tool: "npm", file, line: entry.line, key: entry.key, value: entry.value, placement: "effective", ...(Number.isNaN(ms) ? {} : { until: new Date(ms).toISOString() }) });
    } else if (entry.key === "minimum-release-age") {
      // pnpm 10 reads its settings from .npmrc in kebab-case; npm itself does not know this key.
      out.push({ tool: "pnpm", file, line: entry.line, key: entry.key, value: entry.value, placement: "effective", ...minutesValue(entry.value) });
    }
  }
  return out;
}

/** `key: value` at the top level of a YAML file (no indentation), with its line; comments and quotes removed. */
function topLevelYaml(file: string, text: string, key: string): Array<Omit<CooldownSetting, "tool">> {
  const out: Array<Omit<CooldownSetting, "tool">> = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    let rest: string | undefined;
    for (const spelling of [key, `"${key}"`, `'${key}'`]) {
      if (line.startsWith(`${spelling}:`)) rest = line.slice(spelling.length + 1);
    }
    if (rest === undefined) continue;
    const hash = rest.indexOf(" #");
    const value = unquote((hash >= 0 ? rest.slice(0, hash) : rest).trim());
    out.push({ file, line: i + 1, key, value, placement: "effective" });
  }
  return out;
}

/**
 * `key = "value"` inside a TOML table (`[tool.uv]`, `[options]`) or at the top level (table undefined), found by
 * scanning lines: the files are small and this keeps the line number.
 */
function tomlKey(file: string, text: string, table: string | undefined, key: string): CooldownSetting[] {
  const out: CooldownSetting[] = [];
  let current: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line.startsWith("[")) {
      const end = line.indexOf("]");
      current = end > 0 ? line.slice(1, end).replace(/^\[/, "").trim() : undefined;
      continue;
    }
    if (current !== table) continue;
    const eq = line.indexOf("=");
    if (eq <= 0 || unquote(line.slice(0, eq).trim()) !== key) continue;
    const raw = line.slice(eq + 1).trim();
    const hash = raw.indexOf(" #");
    const value = unquote((hash >= 0 ? raw.slice(0, hash) : raw).trim());
    out.push({ tool: "uv", file, line: i + 1, key, value, placement: "effective", ...uvValue(value) });
  }
  return out;
}

/** pnpm settings written in package.json, which pnpm ignores there, and pnpm 11's default from `packageManager`. */
function packageJsonSettings(file: string, text: string): CooldownSetting[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof data !== "object" || data === null) return [];
  const json = data as { pnpm?: unknown; minimumReleaseAge?: unknown; packageManager?: unknown };
  const out: CooldownSetting[] = [];
  const pnpmField = typeof json.pnpm === "object" && json.pnpm !== null ? (json.pnpm as Record<string, unknown>) : undefined;
  for (const [key, value] of [["pnpm.minimumReleaseAge", pnpmField?.minimumReleaseAge], ["minimumReleaseAge", json.minimumReleaseAge]] as const) {
    if (value === undefined) continue;
    const line = lineOf(text, '"minimumReleaseAge"');
    out.push({
      tool: "pnpm",
      file,
      ...(line !== undefined ? { line } : {}),
      key,
      value: String(value),
      placement: "ignored",
      note: "pnpm reads minimumReleaseAge from pnpm-workspace.yaml (or .npmrc in pnpm 10), never from package.json",
      ...minutesValue(String(value)),
    });
  }
  const manager = typeof json.packageManager === "string" ? json.packageManager : undefined;
  const major = manager?.startsWith("pnpm@") ? Number.parseInt(manager.slice(5), 10) : NaN;
  if (manager && major >= 11) {
    const line = lineOf(text, '"packageManager"');
    out.push({ tool: "pnpm", file, ...(line !== undefined ? { line } : {}), key: "packageManager", value: manager, minutes: DAY_MINUTES, placement: "effective", note: "pnpm 11 defaults minimumReleaseAge to 1440 minutes" });
  }
  return out;
}

/** A bare number of minutes, or a duration with a unit (`30m`, `12h`, `3d`, `1w`, `7 days`), as minutes. */
function minutesValue(value: string): { minutes?: number } {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  if (!match) return {};
  const n = Number(match[1]);
  const unit = (match[2] ?? "").toLowerCase();
  const factor = unit === "" ? 1 : UNIT_MINUTES[unit];
  return factor === undefined ? {} : { minutes: n * factor };
}

const UNIT_MINUTES: Readonly<Record<string, number>> = {
  s: 1 / 60, sec: 1 / 60, second: 1 / 60, seconds: 1 / 60,
  m: 1, min: 1, mins: 1, minute: 1, minutes: 1,
  h: 60, hr: 60, hour: 60, hours: 60,
  d: DAY_MINUTES, day: DAY_MINUTES, days: DAY_MINUTES,
  w: 7 * DAY_MINUTES, week: 7 * DAY_MINUTES, weeks: 7 * DAY_MINUTES,
};

/**
 * uv's `exclude-newer`: an RFC 3339 timestamp or a date (an absolute cut-off), or a duration — a "friendly" one
 * (`7 days`, `1 week`) or ISO 8601 (`P7D`, `PT24H`).
 */
function uvValue(value: string): { minutes?: number; until?: string } {
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/i.exec(value);
  if (iso && value.length > 1) {
    const [, w, d, h, m] = iso;
    return { minutes: Number(w ?? 0) * 7 * DAY_MINUTES + Number(d ?? 0) * DAY_MINUTES + Number(h ?? 0) * 60 + Number(m ?? 0) };
  }
  const friendly = minutesValue(value);
  if (friendly.minutes !== undefined && /[a-z]/i.test(value)) return friendly;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return { until: new Date(ms).toISOString() };
  }
  return {};
}

function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) return text.slice(1, -1);
  return text;
}

function lineOf(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  if (at < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < at; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * Reads the cooldown settings that apply to the projects: every {@link COOLDOWN_FILES} file in each project folder
 * and in its parent folders up to the scanned root (npm, pnpm and yarn read the workspace root's files; uv the
 * workspace's). `projectDirs` are root-relative POSIX paths ("." for the root). Missing files are skipped; never throws.
 */
export async function loadCooldownFacts(root: string, projectDirs: readonly string[]): Promise<CooldownFacts> {
  const dirs = new Set<string>();
  for (const dir of projectDirs) {
    let current = dir === "" ? "." : dir;
    for (;;) {
      dirs.add(current);
      if (current === ".") break;
      const slash = current.lastIndexOf("/");
      current = slash < 0 ? "." : current.slice(0, slash);
    }
  }
  const paths = [...dirs].sort().flatMap((dir) => COOLDOWN_FILES.map((name) => (dir === "." ? name : `${dir}/${name}`)));
  const settings = await Promise.all(paths.map(async (path) => {
    try {
      return cooldownSettingsIn(path, await readFile(join(root, ...path.split("/")), "utf8"));
    } catch {
      return [];
    }
  }));
  return { settings: settings.flat() };
}
