import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { fixturePath, realworldPath } from "../../testing/fixtures.js";
import { parseLockYaml } from "./lock-yaml.js";

function viaYaml(text: string): unknown[] {
  return parseAllDocuments(text, { uniqueKeys: false }).map((d) => d.toJS() as unknown);
}

test("the fast reader agrees with the yaml library on every pnpm lockfile in the fixtures", () => {
  const files = [
    realworldPath("vercel__ai-chatbot", "pnpm-lock.yaml"),
    realworldPath("langfuse__langfuse", "pnpm-lock.yaml"),
    realworldPath("langfuse__langfuse", "pnpm-workspace.yaml"),
    ...["v5-single", "v5-workspace", "v6-workspace", "v9-workspace", "v9-env-document"].map((d) => fixturePath(import.meta.url, d, "pnpm-lock.yaml")),
  ];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const fast = parseLockYaml(text);
    assert.ok(fast !== undefined, `${file}: stays inside the subset`);
    assert.deepEqual(fast, viaYaml(text), file);
  }
});

test("the fast reader handles the subset's scalars, collections and documents like yaml", () => {
  const snippets = [
    "lockfileVersion: 5.4\nversion: '6.0'\nn: 10\nf: 1.5e3\nt: true\nno: False\nz: ~\nempty:\nstr: 1.0.0\n",
    "'@scope/a@1.0.0(b@2.0.0)':\n  resolution: {integrity: sha512-AA==, tarball: 'https://x/y.tgz'}\n  cpu: [x64, arm64]\n  os: []\n  e: {}\n",
    "a:\n  - 'x'\n  - \"y\\u0041\"\n  - plain value\nb:\n- same-indent\n- 2\n",
    "k: 'it''s'\n\"q\\\"k\": v\nk2: \"a: b\"\nnested: {a: {b: [1, {c: d}]}}\nurl: https://example.com/x#frag\n",
    "# comment\n\na: 1   \n  # indented comment\nb:\n\n  c: 2\r\nd: -x\n",
    "dup: 1\ndup: 2\n",
    "---\nlockfileVersion: '9.0'\n---\nlockfileVersion: '9.0'\nimporters: {}\n",
    "a: 1\n---\n",
    "x@file:vendor/x:\n  resolution: {directory: vendor/x, type: directory}\n",
  ];
  for (const text of snippets) {
    const fast = parseLockYaml(text);
    assert.ok(fast !== undefined, `inside the subset: ${JSON.stringify(text)}`);
    assert.deepEqual(fast, viaYaml(text), JSON.stringify(text));
  }
});

test("anything outside the subset makes the fast reader step aside", () => {
  const outside = [
    "a: &anchor 1\nb: *anchor\n",
    "a: |\n  block\n",
    "a: >-\n  folded\n",
    "a: !!str 1\n",
    "a:\n\tb: 1\n",
    "a: {b: 1,\n  c: 2}\n",
    "a: plain\n  continued\n",
    "? complex\n: key\n",
    "- a: 1\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: 'unterminated\n",
    "a: \"\\x41\"\n",
    "a: 0x1F\n",
    "a: b # trailing comment\n",
    "<<: {a: 1}\n",
  ];
  for (const text of outside) assert.equal(parseLockYaml(text), undefined, JSON.stringify(text));
});

test("the fast reader stays linear on adversarial input", () => {
  const inputs = [
    `a: {${"b: {".repeat(5_000)}`,
    `a: ${"'".repeat(100_001)}`,
    `${"k".repeat(200_000)}: ${"[".repeat(50_000)}`,
    `a: "${"\\\\".repeat(100_000)}`,
    "a:\n".concat("  ".repeat(2_000), "b: 1\n").repeat(50),
  ];
  const start = Date.now();
  for (const text of inputs) parseLockYaml(text);
  assert.ok(Date.now() - start < 5000);
});
