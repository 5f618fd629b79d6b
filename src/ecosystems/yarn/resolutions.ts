// The root package.json `resolutions` field forces the range of matching descriptors before yarn resolves them, so
// the lockfile holds the forced descriptor instead of the one a package asked for.
// Berry: https://yarnpkg.com/configuration/manifest#resolutions; classic:
// https://classic.yarnpkg.com/en/docs/selective-version-resolutions.
import { isObject } from "../npm/package-json.js";
import { stripBom } from "../shared/text.js";

/** One override: `name` (optionally only for `fromRange`, optionally only under `parent`) is resolved as `to`. */
export interface ResolutionRule {
  name: string;
  fromRange?: string;
  parent?: string;
  to: string;
}

/** Reads the `resolutions` of a package.json text; malformed keys and values are skipped. Never throws. */
export function parseResolutions(manifestText: string): ResolutionRule[] {
  let data: unknown;
  try {
    data = JSON.parse(stripBom(manifestText));
  } catch {
    return [];
  }
  if (!isObject(data) || !isObject(data.resolutions)) return [];
  const rules: ResolutionRule[] = [];
  for (const [key, to] of Object.entries(data.resolutions)) {
    if (typeof to !== "string") continue;
    const units = packageUnits(key);
    const last = units.pop();
    if (last === undefined) continue;
    const at = last.indexOf("@", last.startsWith("@") ? 1 : 0);
    const name = at > 0 ? last.slice(0, at) : last;
    const fromRange = at > 0 ? last.slice(at + 1) : undefined;
    // Only the nearest named ancestor is checked; `**` (any depth) imposes nothing.
    const parent = units.filter((u) => u !== "**").pop();
    rules.push({ name, to, ...(fromRange !== undefined ? { fromRange } : {}), ...(parent !== undefined ? { parent: stripRange(parent) } : {}) });
  }
  return rules;
}

/** The forced range for a dependency `name@range` of `parentName`, if a rule applies. */
export function forcedRange(rules: readonly ResolutionRule[], name: string, range: string, parentName: string | undefined): string | undefined {
  for (const rule of rules) {
    if (rule.name !== name) continue;
    if (rule.fromRange !== undefined && withoutNpm(rule.fromRange) !== withoutNpm(range)) continue;
    if (rule.parent !== undefined && rule.parent !== parentName) continue;
    return rule.to;
  }
  return undefined;
}

/** Splits `@scope/parent/**\/name@range` into package-name units (`@scope/parent`, `**`, `name@range`). */
function packageUnits(key: string): string[] {
  const segments = key.split("/");
  const units: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    if (segment.startsWith("@") && i + 1 < segments.length) units.push(`${segment}/${segments[++i]}`);
    else if (segment !== "") units.push(segment);
  }
  return units;
}

function stripRange(unit: string): string {
  const at = unit.indexOf("@", unit.startsWith("@") ? 1 : 0);
  return at > 0 ? unit.slice(0, at) : unit;
}

function withoutNpm(range: string): string {
  return range.startsWith("npm:") ? range.slice(4) : range;
}
