// Key hygiene: which environment and which service each credential serves, judged from where it is found, so that a
// key shared across environments or services shows up, and an inventory and rotation plan can be built. Pure: it works
// on occurrences (fingerprint + where), never on key text.
import { compileGlobs, matchesGlobs } from "../ecosystems/shared/glob.js";

/** One place a credential was seen (tree or history). Carries no key text. */
export interface KeyOccurrence {
  fingerprint: string;
  /** `sk-proj-…`: the public prefix only. */
  redacted: string;
  provider: string;
  /** Detector id. */
  detector: string;
  /** Root-relative path. */
  path: string;
  line: number;
  /** The variable it is assigned to, when known (`OPENAI_API_KEY`). */
  variable?: string;
  /** Seen only in git history, not in the current tree. */
  historyOnly?: boolean;
  /** In a scan of several roots: the root it was found under (its display prefix, which `path` starts with). */
  repository?: string;
}

/** Where one occurrence sits: its environment, and its service qualified by its repository in multi-root scans. */
export interface Placement {
  environment?: string;
  service: string;
}

/**
 * The environment and service of an occurrence, judged on its path within its repository (so the configuration's
 * globs and the layout rules see root-relative paths), the service then qualified by the repository: the same key
 * in `repo-a/.env` and `repo-b/.env` serves two services, whatever folders lead to the two repositories.
 */
export function placementOf(o: Pick<KeyOccurrence, "path" | "repository">, overrides: PlacementOverrides = {}, service: (path: string, overrides: PlacementOverrides) => string = serviceOf): Placement {
  const inner = o.repository !== undefined && o.path.startsWith(`${o.repository}/`) ? o.path.slice(o.repository.length + 1) : o.path;
  const environment = environmentOf(inner, overrides);
  const local = service(inner, overrides);
  const qualified = o.repository === undefined ? local : local === "." ? o.repository : `${o.repository}/${local}`;
  return { service: qualified, ...(environment !== undefined ? { environment } : {}) };
}

/** Path → name overrides from the configuration (`environments:` / `services:` maps of glob → name). */
export interface PlacementOverrides {
  environments?: Readonly<Record<string, string>>;
  services?: Readonly<Record<string, string>>;
}

/** Canonical environment names and the words in file names and paths that mean them. */
const ENVIRONMENT_WORDS: ReadonlyArray<[string, readonly string[]]> = [
  ["production", ["production", "prod", "prd", "live"]],
  ["staging", ["staging", "stage", "stg", "preprod", "pre-prod", "uat"]],
  ["development", ["development", "dev", "develop"]],
  ["test", ["test", "testing", "ci", "qa"]],
  ["preview", ["preview", "review"]],
  ["local", ["local"]],
];

const WORD_TO_ENVIRONMENT: ReadonlyMap<string, string> = new Map(ENVIRONMENT_WORDS.flatMap(([name, words]) => words.map((w) => [w, name] as const)));

/** Folder names that group services (`services/api`, `apps/web`, `packages/worker`): the next segment is the service. */
const SERVICE_CONTAINERS = new Set(["services", "service", "apps", "app", "packages", "functions", "lambdas", "workers", "cmd", "deploy", "charts"]);

/**
 * The environment a file belongs to, or undefined: configuration overrides first (first matching glob), then the
 * file name (`.env.production`, `config/staging.yml`, `values-prod.yaml`), then folder names (`k8s/overlays/staging/…`).
 */
export function environmentOf(path: string, overrides: PlacementOverrides = {}): string | undefined {
  const override = firstMatch(path, overrides.environments);
  if (override !== undefined) return override;
  const segments = path.toLowerCase().split("/");
  const name = segments[segments.length - 1] ?? "";
  // `.env.production`, `production.yml`, `values-prod.yaml`, `app.staging.json`: words split on . - _
  for (const word of name.split(/[._-]/)) {
    const env = WORD_TO_ENVIRONMENT.get(word);
    if (env) return env;
  }
  for (let i = segments.length - 2; i >= 0; i--) {
    const env = WORD_TO_ENVIRONMENT.get(segments[i] as string);
    if (env) return env;
  }
  return undefined;
}

/**
 * The service a file belongs to: configuration overrides first, then the folder after a grouping folder
 * (`services/api/.env` → `services/api`), else the first folder that is not an environment or config folder, else
 * "." (the repository root).
 */
export function serviceOf(path: string, overrides: PlacementOverrides = {}): string {
  const override = firstMatch(path, overrides.services);
  if (override !== undefined) return override;
  const folders = path.split("/").slice(0, -1);
  for (let i = 0; i < folders.length - 1; i++) {
    if (SERVICE_CONTAINERS.has((folders[i] as string).toLowerCase())) return `${folders[i]}/${folders[i + 1]}`;
  }
  const first = folders.find((f) => !WORD_TO_ENVIRONMENT.has(f.toLowerCase()) && !["config", "configs", "k8s", "kubernetes", "overlays", "base", "env", "envs", ".github", "workflows"].includes(f.toLowerCase()));
  return first ?? ".";
}

function firstMatch(path: string, map: Readonly<Record<string, string>> | undefined): string | undefined {
  if (!map) return undefined;
  for (const [glob, name] of Object.entries(map)) {
    if (matchesGlobs(compileGlobs([glob], { dot: true }), path)) return name;
  }
  return undefined;
}

/** One credential across every place it appears. */
export interface KeyInventoryEntry {
  fingerprint: string;
  redacted: string;
  provider: string;
  detector: string;
  /** Where it is referenced (`path:line`), sorted; history-only places are marked. */
  locations: Array<{ path: string; line: number; historyOnly: boolean }>;
  environments: string[];
  services: string[];
  variables: string[];
}

/** Groups occurrences by fingerprint, with the environments, services and variables each key feeds. */
export function buildInventory(occurrences: readonly KeyOccurrence[], overrides: PlacementOverrides = {}): KeyInventoryEntry[] {
  const byKey = new Map<string, KeyInventoryEntry>();
  for (const o of occurrences) {
    let entry = byKey.get(o.fingerprint);
    if (!entry) {
      entry = { fingerprint: o.fingerprint, redacted: o.redacted, provider: o.provider, detector: o.detector, locations: [], environments: [], services: [], variables: [] };
      byKey.set(o.fingerprint, entry);
    }
    if (!entry.locations.some((l) => l.path === o.path && l.line === o.line)) entry.locations.push({ path: o.path, line: o.line, historyOnly: o.historyOnly === true });
    const { environment: env, service } = placementOf(o, overrides);
    if (env && !entry.environments.includes(env)) entry.environments.push(env);
    if (!o.historyOnly && !entry.services.includes(service)) entry.services.push(service);
    if (o.variable && !entry.variables.includes(o.variable)) entry.variables.push(o.variable);
  }
  const entries = [...byKey.values()];
  for (const e of entries) {
    e.locations.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
    e.environments.sort();
    e.services.sort();
    e.variables.sort();
  }
  return entries.sort((a, b) => (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : a.fingerprint < b.fingerprint ? -1 : 1));
}

/** One key of the rotation registry (aiwarden.keys.json), identified by fingerprint or by name. */
export interface RegisteredKey {
  fingerprint?: string;
  name?: string;
  provider: string;
  service: string;
  environment: string;
  /** YYYY-MM-DD the key was created (or last rotated). */
  created: string;
  /** Environment variables it is delivered through, for the rotation plan. */
  variables?: string[];
}

/** The rotation registry: the keys a team knows about and its rotation policy. */
export interface KeyRegistry {
  file: string;
  /** Maximum key age in days before rotation is due (default 90). */
  maxAgeDays: number;
  keys: RegisteredKey[];
}

/** Days between two YYYY-MM-DD dates. */
export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** One step of a rotation plan. */
export interface RotationStep {
  provider: string;
  fingerprint: string;
  redacted: string;
  /** Why it comes at this place in the order. */
  reasons: string[];
  /** Bigger is more urgent. */
  urgency: number;
  services: string[];
  environments: string[];
  variables: string[];
  ageDays?: number;
}

/**
 * Which keys to rotate first, per provider: keys in git history or committed files (exposed to anyone with the
 * repository) before keys shared across environments or services (one leak, many blast zones), before keys past the
 * policy age, before the rest. Each step lists the services and variables to update.
 */
export function rotationPlan(inventory: readonly KeyInventoryEntry[], registry: KeyRegistry | undefined, today: string): Map<string, RotationStep[]> {
  const plan = new Map<string, RotationStep[]>();
  for (const key of inventory) {
    const registered = registry?.keys.find((k) => k.fingerprint === key.fingerprint);
    const reasons: string[] = [];
    let urgency = 0;
    if (key.locations.some((l) => l.historyOnly)) {
      reasons.push("in git history");
      urgency += 40;
    }
    if (key.locations.some((l) => !l.historyOnly)) {
      reasons.push("committed in the tree");
      urgency += 30;
    }
    if (key.environments.length > 1) {
      reasons.push(`shared by ${key.environments.length} environments`);
      urgency += 20;
    }
    if (key.services.length > 1) {
      reasons.push(`shared by ${key.services.length} services`);
      urgency += 15;
    }
    if (key.environments.includes("production")) {
      reasons.push("serves production");
      urgency += 10;
    }
    const ageDays = registered ? daysBetween(registered.created, today) : undefined;
    if (ageDays !== undefined && registry && ageDays > registry.maxAgeDays) {
      reasons.push(`${ageDays} days old (policy ${registry.maxAgeDays})`);
      urgency += 10;
    }
    if (!registered && registry) {
      reasons.push("not in the key registry");
      urgency += 5;
    }
    const steps = plan.get(key.provider) ?? [];
    steps.push({
      provider: key.provider,
      fingerprint: key.fingerprint,
      redacted: key.redacted,
      reasons,
      urgency,
      services: registered ? [...new Set([...key.services, registered.service])].sort() : key.services,
      environments: registered ? [...new Set([...key.environments, registered.environment])].sort() : key.environments,
      variables: [...new Set([...key.variables, ...(registered?.variables ?? [])])].sort(),
      ...(ageDays !== undefined ? { ageDays } : {}),
    });
    plan.set(key.provider, steps);
  }
  for (const steps of plan.values()) steps.sort((a, b) => b.urgency - a.urgency || (a.fingerprint < b.fingerprint ? -1 : 1));
  return new Map([...plan].sort(([a], [b]) => (a < b ? -1 : 1)));
}
