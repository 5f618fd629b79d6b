#!/usr/bin/env node
// Builds what tsc does not, next to the JavaScript it writes (part of `npm run build`):
// - the AssemblyScript sources under src/**/wasm/, compiled to WebAssembly (src/secrets/wasm/prefilter.ts →
//   dist/secrets/wasm/prefilter.wasm); the compiler is a development dependency, and the .wasm files ship in dist/;
// - the generated CommonJS schema validators (src/generated/schema-validators.cjs), copied as they are.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = ["secrets/wasm/prefilter"];
for (const name of modules) {
  const outFile = join(root, "dist", `${name}.wasm`);
  mkdirSync(dirname(outFile), { recursive: true });
  // The stub runtime: these modules allocate nothing (the host owns the memory layout); no assertions in a release.
  const { error, stderr } = await asc.main([join(root, "src", `${name}.ts`), "--outFile", outFile, "--optimizeLevel", "3", "--shrinkLevel", "0", "--runtime", "stub", "--noAssert", "--enable", "simd", "--initialMemory", "1"]);
  if (error) {
    process.stderr.write(`build-assets: ${name}: ${error.message}\n${stderr.toString()}`);
    process.exit(1);
  }
}

const validators = join("generated", "schema-validators.cjs");
mkdirSync(join(root, "dist", "generated"), { recursive: true });
copyFileSync(join(root, "src", validators), join(root, "dist", validators));
