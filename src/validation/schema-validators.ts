// The JSON Schema validators generated from data/schema/ by scripts/generate-validators.mjs
// (src/generated/schema-validators.cjs), loaded on first use. Its 210 KB of code take 15-25 ms to load, and most runs
// validate nothing: no configuration file, no key registry, and the bundled catalog is checked by the test suite rather
// than on every run. The generated file is CommonJS so that this load is synchronous, as the validating functions of
// the configuration, the catalog and the key registry are.
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";

/** One generated validator: true when the data is valid, else false with `errors` set. */
export type SchemaValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** The generated validators, by the names scripts/generate-validators.mjs exports. */
export interface SchemaValidators {
  validateCatalogDocument: SchemaValidator;
  validateCatalogPackage: SchemaValidator;
  validateCatalogPattern: SchemaValidator;
  validateConfig: SchemaValidator;
  validateKeyRegistry: SchemaValidator;
}

let loaded: SchemaValidators | undefined;

/** The generated validators, loaded on the first call. */
export function schemaValidators(): SchemaValidators {
  loaded ??= createRequire(import.meta.url)("../generated/schema-validators.cjs") as SchemaValidators;
  return loaded;
}
