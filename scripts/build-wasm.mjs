#!/usr/bin/env node
// Compiles the AssemblyScript sources under src/**/wasm/ to WebAssembly next to the JavaScript tsc writes
// (src/secrets/wasm/prefilter.ts → dist/secrets/wasm/prefilter.wasm). Part of `npm run build`; the compiler is a
// development dependency, and the .wasm files ship in dist/ like the JavaScript.
import { mkdirSync } from "node:fs";
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
    process.stderr.write(`build-wasm: ${name}: ${error.message}\n${stderr.toString()}`);
    process.exit(1);
  }
}
