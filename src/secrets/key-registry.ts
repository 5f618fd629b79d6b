// The key rotation registry: `aiwarden.keys.json` (in the scanned root, or beside the configuration file) and the
// configuration's `keys:` section, merged. Read at the edge; validated against data/schema/keys.schema.json.
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { AiwardenConfig } from "../config/config.js";
import { ConfigError } from "../config/config.js";
import { schemaValidators } from "../validation/schema-validators.js";
import type { KeyRegistry, RegisteredKey } from "./hygiene.js";

/** File name of the standalone registry. */
export const KEY_REGISTRY_FILE = "aiwarden.keys.json";

/** Default rotation policy in days. */
export const DEFAULT_MAX_KEY_AGE_DAYS = 90;

/**
 * Loads the registry: aiwarden.keys.json from the root (else beside the configuration file) plus the configuration's
 * `keys.registry`. Undefined when neither exists (then "not in the registry" is never reported). A broken file throws
 * a ConfigError naming it.
 */
export async function loadKeyRegistry(root: string, config: AiwardenConfig, cwd: string = process.cwd()): Promise<KeyRegistry | undefined> {
  const candidates = [join(root, KEY_REGISTRY_FILE), ...(config.file ? [join(dirname(resolve(cwd, config.file)), KEY_REGISTRY_FILE)] : [])];
  let fromFile: { file: string; maxAgeDays?: number; keys: RegisteredKey[] } | undefined;
  for (const path of candidates) {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      continue;
    }
    fromFile = { file: path, ...parseKeyRegistry(text, path) };
    break;
  }
  if (!fromFile && config.keys.registry.length === 0 && config.keys.maxAgeDays === undefined) return undefined;
  return {
    file: fromFile?.file ?? config.file ?? KEY_REGISTRY_FILE,
    maxAgeDays: config.keys.maxAgeDays ?? fromFile?.maxAgeDays ?? DEFAULT_MAX_KEY_AGE_DAYS,
    keys: [...(fromFile?.keys ?? []), ...config.keys.registry],
  };
}

/** Parses and validates registry text. Throws ConfigError with the file and the first problems. */
export function parseKeyRegistry(text: string, file: string): { maxAgeDays?: number; keys: RegisteredKey[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: invalid JSON: ${(error as Error).message.split("\n")[0]}`);
  }
  const validate = schemaValidators().validateKeyRegistry;
  if (!validate(data)) {
    const problems = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || "(top level)"}: ${e.message ?? "is invalid"}`);
    throw new ConfigError(`${file}: ${problems.join("; ")}`);
  }
  const registry = data as { maxAgeDays?: number; keys?: RegisteredKey[] };
  return { ...(registry.maxAgeDays !== undefined ? { maxAgeDays: registry.maxAgeDays } : {}), keys: registry.keys ?? [] };
}
