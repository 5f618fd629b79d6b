#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";
import { jitBudgetFlag } from "./cli/jit-budget.js";

// Before the commands' modules load, so that their functions get the tool's budget (see jit-budget.ts).
const flag = jitBudgetFlag(process.execArgv, process.env["NODE_OPTIONS"], process.versions.v8);
if (flag) setFlagsFromString(flag);
const { runCli } = await import("./cli/main.js");

process.exitCode = await runCli(process.argv.slice(2));
