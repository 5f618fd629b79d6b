import { test } from "node:test";
import assert from "node:assert/strict";
import { matchesWorkspaceGlobs } from "./workspace-glob.js";

test("workspace globs: *, ?, **, negation, ./ prefixes, dot folders", () => {
  const table: Array<[string, string[], boolean]> = [
    ["packages/a", ["packages/*"], true],
    ["packages/a/b", ["packages/*"], false],
    ["packages", ["packages/*"], false],
    ["packages/a/b", ["packages/**"], true],
    ["packages/a", ["./packages/*/"], true],
    ["apps/web", ["packages/*", "apps/web"], true],
    ["apps/webby", ["apps/web"], false],
    ["apps/web-1", ["apps/web-?"], true],
    ["libs/x-core", ["libs/*-core"], true],
    ["libs/core", ["libs/*-core"], false],
    ["packages/private/c", ["packages/**", "!packages/private/*"], false],
    ["packages/private/c", ["packages/**", "!packages/private/*", "packages/private/c"], true],
    ["packages/private/c", ["packages/**", "!!packages/private/*"], true],
    ["packages/.hidden", ["packages/*"], false],
    ["packages/.hidden/a", ["packages/**"], false],
    ["", ["."], true],
    ["a", ["."], false],
    ["a", [], false],
  ];
  for (const [path, patterns, expected] of table) assert.equal(matchesWorkspaceGlobs(path, patterns), expected, `${path} ${JSON.stringify(patterns)}`);
});

test("workspace globs stay fast on patterns full of wildcards", () => {
  const pattern = `${"**/".repeat(200)}${"*a".repeat(200)}`;
  const path = `${"x/".repeat(200)}${"b".repeat(2000)}`;
  const started = Date.now();
  assert.equal(matchesWorkspaceGlobs(path, [pattern]), false);
  assert.ok(Date.now() - started < 2000, "polynomial, not exponential");
});
