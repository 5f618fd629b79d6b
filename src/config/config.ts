// The user's configuration file: catalog additions and discovery excludes (later issues add rules, ignores and
// blocklists). Found next to the scanned project or given with --config; validated against
// data/schema/config.schema.json with errors that name the file and the JSON pointer.
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { ErrorObject } from "ajv";
import { schemaValidators } from "../validation/schema-validators.js";
import type { RegisteredKey } from "../secrets/hygiene.js";

/** File names aiwarden looks for, in this order. */
export const CONFIG_FILE_NAMES = ["aiwarden.config.json", ".aiwarden.yml", ".aiwarden.yaml"] as const;

/** Lowest severity that fails the run, or "none". */
export type FailOn = "critical" | "high" | "medium" | "low" | "info" | "none";

/** One accepted finding: by fingerprint, or by rule (+ package or path); always with a reason and an expiry date. */
export interface IgnoreEntry {
  fingerprint?: string;
  rule?: string;
  package?: string;
  path?: string;
  /** A credential's fingerprint: accepts the AIW-SECRET findings about that key (all, or `rule`'s). */
  secret?: string;
  reason: string;
  /** YYYY-MM-DD; from the day after, the ignore no longer applies and is itself reported. */
  expires: string;
  /** Line of the entry in the configuration file, when known. */
  line?: number;
}

/** A validated configuration. Empty lists when the file leaves a section out. */
export interface AiwardenConfig {
  /** The file it came from (as given or found), or undefined for the defaults. */
  file?: string;
  exclude: string[];
  /** Catalog additions, validated entry by entry when merged into the catalog. */
  catalog: unknown[];
  failOn?: FailOn;
  /** Per rule id: replacement severity or "off". */
  rules: Readonly<Record<string, "critical" | "high" | "medium" | "low" | "info" | "off">>;
  ignore: IgnoreEntry[];
  /** Absolute paths of the user's blocklist files or folders (resolved against the configuration file's folder). */
  blocklists: string[];
  /** Registry hosts packages may resolve from; undefined means the defaults. */
  allowedRegistries?: string[];
  installScripts: { allow: string[] };
  typosquats: { allow: string[] };
  /** Glob → environment / service name overrides for key hygiene. */
  environments: Readonly<Record<string, string>>;
  services: Readonly<Record<string, string>>;
  /** The key rotation registry from the configuration (aiwarden.keys.json is read beside it, see src/secrets). */
  keys: { maxAgeDays?: number; registry: RegisteredKey[] };
  /** The release-age cooldown; defaults in src/rules/support/registry-facts.ts. */
  releaseAge?: { minimumDays?: number; scope?: "ai" | "all" };
  /** Outside sources switched on or off; `osvDb` is absolute (resolved against the configuration file's folder). */
  sources: { osv?: boolean; npmAdvisories?: boolean; registry?: boolean; osvDb?: string };
  /** The credential scan's settings. */
  secrets: { enabled?: boolean; history?: boolean; maxFileMB?: number };
}

/** A configuration file that cannot be used: the message names the file and the problem in one line. */
export class ConfigError extends Error {}

/** The configuration used when there is no file. */
export const DEFAULT_CONFIG: AiwardenConfig = {
  exclude: [],
  catalog: [],
  rules: {},
  ignore: [],
  blocklists: [],
  installScripts: { allow: [] },
  typosquats: { allow: [] },
  environments: {},
  services: {},
  keys: { registry: [] },
  sources: {},
  secrets: {},
};

/**
 * Loads the configuration: the explicit file when given, else the first of CONFIG_FILE_NAMES found in the candidate
 * directories (the scanned path first, then the working directory). No file means the defaults.
 */
export async function loadConfig(explicit: string | undefined, candidateDirs: string[]): Promise<AiwardenConfig> {
  if (explicit) return parseConfig(await readConfigText(explicit, true) as string, explicit);
  for (const dir of candidateDirs) {
    for (const name of CONFIG_FILE_NAMES) {
      const path = join(dir, name);
      const text = await readConfigText(path, false);
      if (text !== undefined) return parseConfig(text, path);
    }
  }
  return DEFAULT_CONFIG;
}

async function readConfigText(path: string, required: boolean): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!required && (code === "ENOENT" || code === "ENOTDIR")) return undefined;
    throw new ConfigError(`${path}: cannot read the configuration file (${code === "ENOENT" ? "no such file" : code ?? "error"})`);
  }
}

/** Parses and validates configuration text (JSON, or YAML for .yml/.yaml files). Throws ConfigError. */
export async function parseConfig(text: string, file: string): Promise<AiwardenConfig> {
  let data: unknown;
  let ignoreLines: Array<number | undefined> = [];
  if (/\.ya?ml$/i.test(file)) {
    // Loaded only when a YAML config exists: the yaml parser costs startup time every other run would pay for nothing.
    const { parseDocument, isSeq } = await import("yaml");
    const document = parseDocument(text);
    const [first] = document.errors;
    if (first) throw new ConfigError(`${file}: invalid YAML at line ${first.linePos?.[0]?.line ?? "?"}: ${first.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "")}`);
    data = document.toJS() ?? {};
    const ignore = document.get("ignore", true);
    if (isSeq(ignore)) ignoreLines = ignore.items.map((item) => (item as { range?: [number] }).range ? lineAt(text, (item as { range: [number] }).range[0]) : undefined);
  } else {
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`${file}: invalid JSON: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  const validate = schemaValidators().validateConfig;
  if (!validate(data)) {
    const problems = (validate.errors ?? []).slice(0, 3).map(describeSchemaError);
    throw new ConfigError(`${file}: ${problems.join("; ")}`);
  }
  const config = data as Partial<AiwardenConfig>;
  const base = dirname(resolve(file));
  const ignore = (config.ignore ?? []).map((entry, i) => {
    const line = ignoreLines[i] ?? jsonEntryLine(text, entry);
    return line !== undefined ? { ...entry, line } : { ...entry };
  });
  return {
    file,
    exclude: config.exclude ?? [],
    catalog: config.catalog ?? [],
    ...(config.failOn !== undefined ? { failOn: config.failOn } : {}),
    rules: config.rules ?? {},
    ignore,
    blocklists: (config.blocklists ?? []).map((p) => resolve(base, p)),
    ...(config.allowedRegistries !== undefined ? { allowedRegistries: config.allowedRegistries } : {}),
    installScripts: { allow: config.installScripts?.allow ?? [] },
    typosquats: { allow: config.typosquats?.allow ?? [] },
    environments: config.environments ?? {},
    services: config.services ?? {},
    keys: { ...(config.keys?.maxAgeDays !== undefined ? { maxAgeDays: config.keys.maxAgeDays } : {}), registry: config.keys?.registry ?? [] },
    ...(config.releaseAge !== undefined ? { releaseAge: config.releaseAge } : {}),
    sources: { ...config.sources, ...(config.sources?.osvDb !== undefined ? { osvDb: resolve(base, config.sources.osvDb) } : {}) },
    secrets: { ...config.secrets },
  };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** The line of an ignore entry in JSON text: where its fingerprint, or its rule id, first appears after "ignore". */
function jsonEntryLine(text: string, entry: IgnoreEntry): number | undefined {
  const start = text.indexOf('"ignore"');
  const needle = entry.fingerprint ?? entry.secret ?? entry.rule;
  if (start < 0 || !needle) return undefined;
  const at = text.indexOf(`"${needle}"`, start);
  return at < 0 ? undefined : lineAt(text, at);
}

/** "/exclude/0: must be string", with unknown keys named. */
function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath || "(top level)";
  if (error.keyword === "additionalProperties") {
    return `${where}: unknown setting "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  }
  return `${where}: ${error.message ?? "is invalid"}`;
}
