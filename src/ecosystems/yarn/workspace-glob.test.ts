import { test } from "node:test";
import assert from "node:assert/strict";
import { matchesWorkspaceGlob, workspaceDirs } from "./workspace-glob.js";

test("workspace globs match directories segment by segment", () => {
  const cases: Array<[string, string, boolean]> = [
    ["packages/*", "packages/core", true],
    ["packages/*", "packages/core/sub", false],
    ["packages/*", "packages", false],
    ["./packages/*/", "packages/core", true],
    ["packages/**", "packages/core/sub", true],
    ["packages/**", "packages", true],
    ["**/tools/*", "a/b/tools/cli", true],
    ["**/tools/*", "tools/cli", true],
    ["apps/web", "apps/web", true],
    ["apps/web", "apps/webx", false],
    ["apps/web-*", "apps/web-admin", true],
    ["apps/w?b", "apps/web", true],
    ["apps/*-api", "apps/x-y-api", true],
    ["apps/*-api", "apps/api", false],
    ["{apps,libs}/*", "libs/ui", true],
    ["{apps,libs}/*", "tools/ui", false],
    ["packages/*", "packages/.hidden", false],
    ["packages/**", "packages/.cache/x", false],
    ["packages/*/package.json", "packages/core", true],
    ["../outside/*", "outside/x", false],
  ];
  for (const [pattern, dir, expected] of cases) assert.equal(matchesWorkspaceGlob(pattern, dir), expected, `${pattern} vs ${dir}`);
});

test("workspaceDirs picks manifests under the project, skipping node_modules, the root itself and exclusions", () => {
  const discovered = [
    "mono/package.json",
    "mono/packages/a/package.json",
    "mono/packages/b/package.json",
    "mono/packages/b/node_modules/dep/package.json",
    "mono/packages/legacy/package.json",
    "mono/apps/web/package.json",
    "mono/apps/web/README.md",
    "other/packages/z/package.json",
    "package.json",
  ];
  assert.deepEqual(workspaceDirs("mono", ["packages/*", "apps/*", "!packages/legacy"], discovered), ["apps/web", "packages/a", "packages/b"]);
  assert.deepEqual(workspaceDirs("mono", [], discovered), []);
  assert.deepEqual(workspaceDirs("", ["*/packages/*"], discovered), ["mono/packages/a", "mono/packages/b", "mono/packages/legacy", "other/packages/z"]);
  assert.deepEqual(workspaceDirs("", ["."], discovered), [], "the project is not its own workspace");
});

test("glob matching stays linear on adversarial patterns and names", () => {
  const pattern = `${"*a".repeat(500)}b/${"**/".repeat(200)}x`;
  const dir = `${"a".repeat(5_000)}/${"y/".repeat(2_000)}z`;
  const start = Date.now();
  assert.equal(matchesWorkspaceGlob(pattern, dir), false);
  assert.equal(matchesWorkspaceGlob(`{${"a,".repeat(5_000)}b}/*`, "b/c"), false, "brace expansion is bounded");
  assert.ok(Date.now() - start < 5000);
});
