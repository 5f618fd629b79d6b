// The user's configuration file: catalog additions and discovery excludes (later issues add rules, ignores and
// blocklists). Found next to the scanned project or given with --config; validated against
// data/schema/config.schema.json with errors that name the file and the JSON pointer.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ErrorObject } from "ajv";
import { validateConfig } from "../generated/schema-validators.js";

/** File names aiwarden looks for, in this order. */
export const CONFIG_FILE_NAMES = ["aiwarden.config.json", ".aiwarden.yml", ".aiwarden.yaml"] as const;

/** A validated configuration. Empty lists when the file leaves a section out. */
export interface AiwardenConfig {
  /** The file it came from (as given or found), or undefined for the defaults. */
  file?: string;
  exclude: string[];
  /** Catalog additions, validated entry by entry when merged into the catalog. */
  catalog: unknown[];
}

/** A configuration file that cannot be used: the message names the file and the problem in one line. */
export class ConfigError extends Error {}

/** The configuration used when there is no file. */
export const DEFAULT_CONFIG: AiwardenConfig = { exclude: [], catalog: [] };

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
  if (/\.ya?ml$/i.test(file)) {
    // Loaded only when a YAML config exists: the yaml parser costs startup time every other run would pay for nothing.
    const { parseDocument } = await import("yaml");
    const document = parseDocument(text);
    const [first] = document.errors;
    if (first) throw new ConfigError(`${file}: invalid YAML at line ${first.linePos?.[0]?.line ?? "?"}: ${first.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "")}`);
    data = document.toJS() ?? {};
  } else {
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`${file}: invalid JSON: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  const validate = validateConfig as ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
  if (!validate(data)) {
    const problems = (validate.errors ?? []).slice(0, 3).map(describeSchemaError);
    throw new ConfigError(`${file}: ${problems.join("; ")}`);
  }
  const config = data as Partial<AiwardenConfig>;
  return { file, exclude: config.exclude ?? [], catalog: config.catalog ?? [] };
}

/** "/exclude/0: must be string", with unknown keys named. */
function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath || "(top level)";
  if (error.keyword === "additionalProperties") {
    return `${where}: unknown setting "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  }
  return `${where}: ${error.message ?? "is invalid"}`;
}
