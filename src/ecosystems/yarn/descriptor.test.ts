import { test } from "node:test";
import assert from "node:assert/strict";
import { checksumHash } from "./berry.js";
import { classifyReference, protocolOf, splitDescriptor } from "./descriptor.js";
import { descriptorLines, splitKey } from "./lock-entries.js";
import { forcedRange, parseResolutions } from "./resolutions.js";

test("descriptors split at the @ after the (scoped) name", () => {
  assert.deepEqual(splitDescriptor("lodash@^4.17.21"), { name: "lodash", range: "^4.17.21" });
  assert.deepEqual(splitDescriptor("@scope/pkg@npm:1.0.0"), { name: "@scope/pkg", range: "npm:1.0.0" });
  assert.deepEqual(splitDescriptor("lp@npm:left-pad@^1.3.0"), { name: "lp", range: "npm:left-pad@^1.3.0" });
  assert.equal(splitDescriptor("@scope"), undefined);
  assert.equal(splitDescriptor("nothing"), undefined);
  assert.equal(protocolOf("npm:^1"), "npm");
  assert.equal(protocolOf("git+ssh://git@x/y.git"), "git+ssh");
  assert.equal(protocolOf("^1.0.0 || ^2"), "");
  assert.equal(protocolOf("user/repo"), "");
});

test("references are classified by protocol, as both yarns write them", () => {
  const cases: Array<[string, string | undefined, string, string | undefined, boolean?]> = [
    ["npm:4.0.7", undefined, "registry", undefined],
    ["^4.17.21", "https://registry.yarnpkg.com/l/-/l-4.17.21.tgz#abc", "registry", "https://registry.yarnpkg.com/l/-/l-4.17.21.tgz#abc"],
    ["^1.0.0", "git+https://github.com/a/b.git#0123", "git", "git+https://github.com/a/b.git#0123"],
    ["workspace:packages/a", undefined, "path", "packages/a"],
    ["patch:fsevents@npm%3A2.3.3#~builtin<compat/fsevents>::version=2.3.3&hash=df0bf1", undefined, "registry", undefined, true],
    ["patch:x@file%3A./x#./p.patch::locator=a%40workspace%3A.", undefined, "path", "./x", true],
    ["file:./vendor/x#./vendor/x::hash=e1f7c4&locator=r%40workspace%3A.", undefined, "path", "./vendor/x"],
    ["portal:../p::locator=r%40workspace%3A.", undefined, "path", "../p"],
    ["link:./l", undefined, "path", "./l"],
    ["https://github.com/a/b.git#commit=0123abcd", undefined, "git", "https://github.com/a/b.git#commit=0123abcd"],
    ["git://127.0.0.1/gitdep.git#commit=42de", undefined, "git", "git://127.0.0.1/gitdep.git#commit=42de"],
    ["github:a/b#main", undefined, "git", "github:a/b#main"],
    ["https://example.com/x-1.0.0.tgz", undefined, "url", "https://example.com/x-1.0.0.tgz"],
    ["user/repo#v1", "https://codeload.github.com/user/repo/tar.gz/abc", "git", "https://codeload.github.com/user/repo/tar.gz/abc"],
    ["../relative/dir", undefined, "path", "../relative/dir"],
    ["exotic:thing", undefined, "url", "exotic:thing"],
  ];
  for (const [reference, resolved, source, expectedResolved, patched] of cases) {
    const info = classifyReference(reference, resolved);
    assert.equal(info.source, source, reference);
    assert.equal(info.resolved, expectedResolved, reference);
    assert.equal(info.patched ?? false, patched ?? false, reference);
  }
  assert.equal(classifyReference("workspace:.").workspacePath, ".");
});

test("berry checksums", () => {
  // The integrity and hex cases moved to shared/integrity.test.ts with the parser.
  assert.deepEqual(checksumHash("10c0/ab12", "10c0"), { algorithm: "sha512", value: "10c0/ab12" });
  assert.deepEqual(checksumHash("ab12", "8"), { algorithm: "sha512", value: "8/ab12" });
  assert.deepEqual(checksumHash("ab12", undefined), { algorithm: "sha512", value: "ab12" });
});

test("keys split into descriptors, each mapped to the line its key starts on", () => {
  assert.deepEqual(splitKey('"a@^1", "a@^1.1"'), ["a@^1", "a@^1.1"]);
  assert.deepEqual(splitKey("ms@2.1.3, ms@^2.1.3"), ["ms@2.1.3", "ms@^2.1.3"]);
  assert.deepEqual(splitKey('"@x/y@npm:^1, @x/y@npm:^1.2"'), ["@x/y@npm:^1", "@x/y@npm:^1.2"]);
  const text = '# yarn lockfile v1\n\n"@a/b@^1", "@a/b@^1.1":\n  version "1.1.0"\n\nc@2:\n  version "2.0.0"\r\n  dependencies:\n    x "1"\n';
  assert.deepEqual([...descriptorLines(text)], [["@a/b@^1", 3], ["@a/b@^1.1", 3], ["c@2", 6]]);
});

test("root resolutions force matching descriptors, optionally by range or parent", () => {
  const rules = parseResolutions(JSON.stringify({
    resolutions: { "js-yaml": "^4.3.1", "brace-expansion@^1.1.7": "2.0.2", "**/minimist": "1.2.8", "@scope/parent/child": "3.0.0", bad: 1 },
  }));
  assert.equal(rules.length, 4);
  assert.equal(forcedRange(rules, "js-yaml", "^4.1.1", "any"), "^4.3.1");
  assert.equal(forcedRange(rules, "brace-expansion", "npm:^1.1.7", "any"), "2.0.2");
  assert.equal(forcedRange(rules, "brace-expansion", "^2.0.0", "any"), undefined);
  assert.equal(forcedRange(rules, "minimist", "^1.0.0", "whoever"), "1.2.8");
  assert.equal(forcedRange(rules, "child", "^1", "@scope/parent"), "3.0.0");
  assert.equal(forcedRange(rules, "child", "^1", "other"), undefined);
  assert.deepEqual(parseResolutions("{ not json"), []);
  assert.deepEqual(parseResolutions('{"resolutions": []}'), []);
});

test("line scanning and key splitting stay linear on adversarial input", () => {
  const text = `${'"'.repeat(100_000)}:\n${"a, ".repeat(100_000)}:\n${",".repeat(100_000)}\n`;
  const start = Date.now();
  descriptorLines(text);
  splitKey("\\".repeat(100_000));
  assert.ok(Date.now() - start < 5000);
});
