#!/usr/bin/env node
// Runs every compiled test file under dist/ with Node's built-in test runner.
// A file list (rather than a glob) works the same on Node 20, where `node --test` takes no globs, and later.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return collect(path);
    return entry.name.endsWith(".test.js") ? [path] : [];
  });
}

// Usage: run-tests.mjs [--dir <compiled output>] [substring filters...]
const args = process.argv.slice(2);
const dirFlag = args.indexOf("--dir");
const dir = dirFlag >= 0 ? args.splice(dirFlag, 2)[1] : "dist";
const filter = args;
const files = collect(dir).filter((f) => filter.length === 0 || filter.some((part) => f.includes(part))).sort();
if (files.length === 0) {
  console.error(`run-tests: no compiled test files under ${dir}/ (did the build run?)`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--test", ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
