#!/usr/bin/env node
// The CLI's modules are loaded after the secret scan's workers are started (src/cli/prestart.ts): they start meanwhile.
import { prestartFor } from "./cli/prestart.js";

const argv = process.argv.slice(2);
await prestartFor(argv);
const { runCli } = await import("./cli/main.js");
process.exitCode = await runCli(argv);
