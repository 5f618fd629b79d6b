import { test } from "node:test";
import assert from "node:assert/strict";
import { compileGlobs, globMatch, matchesGlobs, workspaceMemberDirs } from "./glob.js";
import type { GlobOptions } from "./glob.js";

/** uv reads members with the Rust `glob` crate: wildcards match hidden names and braces are literal. */
const UV: GlobOptions = { dot: true, braces: false };

const select = (path: string, patterns: string[], options?: GlobOptions) => matchesGlobs(compileGlobs(patterns, options), path);

// From the npm workspace matcher (npm/workspace-glob.test.ts).
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
    // Added with the merge: a negation only overrides the patterns before it (npm's map-workspaces, globby's order).
    ["packages/legacy", ["!packages/legacy", "packages/*"], true],
    ["packages/legacy", ["packages/*", "!packages/legacy"], false],
    ["../lib", ["../*"], true],
  ];
  for (const [path, patterns, expected] of table) assert.equal(select(path, patterns), expected, `${path} ${JSON.stringify(patterns)}`);
});

test("workspace globs stay fast on patterns full of wildcards", () => {
  const pattern = `${"**/".repeat(200)}${"*a".repeat(200)}`;
  const path = `${"x/".repeat(200)}${"b".repeat(2000)}`;
  const started = Date.now();
  assert.equal(select(path, [pattern]), false);
  assert.ok(Date.now() - started < 2000, "polynomial, not exponential");
});

// From the yarn workspace matcher (yarn/workspace-glob.test.ts).
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
    // Changed with the merge: the yarn matcher dropped a trailing `package.json`, but neither yarn does (classic globs
    // `<pattern>/+(package.json)`, berry globs directories only), so such a pattern selects no workspace.
    ["packages/*/package.json", "packages/core", false],
    ["../outside/*", "outside/x", false],
  ];
  for (const [pattern, dir, expected] of cases) assert.equal(globMatch(pattern, dir), expected, `${pattern} vs ${dir}`);
});

test("workspaceMemberDirs picks manifests under the project, skipping node_modules, the root itself and exclusions", () => {
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
  const dirs = (projectDir: string, globs: string[]) => workspaceMemberDirs(projectDir, globs, discovered, "package.json");
  assert.deepEqual(dirs("mono", ["packages/*", "apps/*", "!packages/legacy"]), ["apps/web", "packages/a", "packages/b"]);
  assert.deepEqual(dirs("mono", []), []);
  assert.deepEqual(dirs("mono", ["!packages/*"]), [], "only negations select nothing");
  assert.deepEqual(dirs("", ["*/packages/*"]), ["mono/packages/a", "mono/packages/b", "mono/packages/legacy", "other/packages/z"]);
  assert.deepEqual(dirs("", ["."]), [], "the project is not its own workspace");
  assert.deepEqual(dirs("mono", ["packages/**"]), ["packages/a", "packages/b", "packages/legacy"], "never inside node_modules");
});

test("glob matching stays linear on adversarial patterns and names", () => {
  const pattern = `${"*a".repeat(500)}b/${"**/".repeat(200)}x`;
  const dir = `${"a".repeat(5_000)}/${"y/".repeat(2_000)}z`;
  const start = Date.now();
  assert.equal(globMatch(pattern, dir), false);
  assert.equal(globMatch(`{${"a,".repeat(5_000)}b}/*`, "b/c"), false, "brace expansion is bounded");
  assert.equal(globMatch(`[${"a-".repeat(5_000)}]/${"[!x]*".repeat(500)}`, `b/${"y".repeat(5_000)}`), false);
  assert.ok(Date.now() - start < 5000);
});

// From the uv workspace matcher (pyproject/workspace.ts globMatch), with uv's options.
test("uv member globs: classes, hidden names and literal braces", () => {
  const cases: Array<[string, string, boolean]> = [
    ["lib/*", "lib/crewai", true],
    ["lib/*", "lib/crewai/x", false],
    ["lib/crew*", "lib/crewai-tools", true],
    ["lib/?ewai", "lib/crewai", false],
    ["lib/??ewai", "lib/crewai", true],
    ["lib/[!c]*", "lib/crewai", false],
    ["**/svc", "a/b/c/svc", true],
    ["**", "anything/at/all", true],
    ["a/**/z", "a/z", true],
    // Added with the merge: where uv's glob crate differs from the node globbers.
    ["lib/*", "lib/.hidden", true],
    ["**/svc", ".github/svc", true],
    ["{a,b}/x", "a/x", false],
    ["{a,b}/x", "{a,b}/x", true],
  ];
  for (const [pattern, path, expected] of cases) assert.equal(globMatch(pattern, path, UV), expected, `${pattern} ~ ${path}`);
  assert.equal(globMatch("lib/*", "lib/.hidden"), false, "the node default hides dot names");
  assert.equal(globMatch("{a,b}/x", "a/x"), true, "the node default expands braces");
});

test("character classes", () => {
  const cases: Array<[string, string, boolean]> = [
    ["packages/[ab]", "packages/a", true],
    ["packages/[ab]", "packages/c", false],
    ["packages/[a-c]x", "packages/bx", true],
    ["packages/[^a-c]x", "packages/dx", true],
    ["packages/[!a-c]x", "packages/bx", false],
    ["packages/[]]", "packages/]", true],
    ["packages/[!]]", "packages/a", true],
    ["packages/[ab", "packages/[ab", true],
  ];
  for (const [pattern, path, expected] of cases) assert.equal(globMatch(pattern, path), expected, `${pattern} ~ ${path}`);
});
