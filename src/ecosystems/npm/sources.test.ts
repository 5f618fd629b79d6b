import { test } from "node:test";
import assert from "node:assert/strict";
import { sourceOfResolved, sourceOfSpec } from "./sources.js";

test("sourceOfResolved classifies lockfile `resolved` values", () => {
  const table: Array<[string | undefined, string]> = [
    [undefined, "registry"],
    ["", "registry"],
    ["https://registry.npmjs.org/a/-/a-1.0.0.tgz", "registry"],
    ["https://registry.npmjs.org/@s/a/-/a-1.0.0.tgz", "registry"],
    ["https://npm.example.com/repository/npm/a/-/a-1.0.0.tgz?token=x", "registry"],
    ["git+ssh://git@github.com/a/b.git#0123abc", "git"],
    ["git+https://github.com/a/b.git#0123abc", "git"],
    ["git://github.com/a/b.git#0123abc", "git"],
    ["github:a/b#0123abc", "git"],
    ["https://example.com/b.git#0123abc", "git"],
    ["https://example.com/pkg.tgz", "url"],
    ["https://codeload.github.com/a/b/tar.gz/0123abc", "url"],
    ["file:vendor/a-1.0.0.tgz", "path"],
    ["packages/a", "path"],
    ["../sibling", "path"],
  ];
  for (const [resolved, source] of table) assert.equal(sourceOfResolved(resolved), source, String(resolved));
});

test("sourceOfSpec classifies package.json specs as npm-package-arg does", () => {
  const table: Array<[string, string]> = [
    ["^1.0.0", "registry"],
    ["latest", "registry"],
    ["", "registry"],
    ["npm:a@1", "registry"],
    ["@scope/a", "registry"],
    ["file:../a", "path"],
    ["workspace:^", "path"],
    ["portal:../a", "path"],
    ["../a", "path"],
    ["/abs/a", "path"],
    ["~/a", "path"],
    ["C:\\a", "path"],
    ["a/b", "git"],
    ["a/b#v1", "git"],
    ["gitlab:a/b", "git"],
    ["git@github.com:a/b.git", "git"],
    ["https://github.com/a/b#main", "git"],
    ["https://example.com/a.git", "git"],
    ["https://example.com/a.tgz", "url"],
    ["http://example.com/a.tgz", "url"],
    ["a/b/c", "registry"],
    [".a/b", "registry"],
  ];
  for (const [spec, source] of table) assert.equal(sourceOfSpec(spec), source, spec);
});
