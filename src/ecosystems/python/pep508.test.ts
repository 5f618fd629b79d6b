import { test } from "node:test";
import assert from "node:assert/strict";
import { exactVersion, isValidSpecifier, parseRequirement } from "./pep508.js";

test("parses PEP 508 requirement strings", () => {
  const cases: Array<[string, Partial<ReturnType<typeof parseRequirement>> | undefined]> = [
    ["litellm", { name: "litellm", specifier: "", extras: [] }],
    ["LiteLLM[Proxy, caching] >= 1.40 , <2 ; python_version >= '3.9'", { name: "litellm", rawName: "LiteLLM", extras: ["proxy", "caching"], specifier: ">=1.40,<2", marker: "python_version >= '3.9'" }],
    ["openai==1.30.1", { name: "openai", specifier: "==1.30.1" }],
    ["google_generativeai (>=0.5)", { name: "google-generativeai", specifier: ">=0.5" }],
    ["pkg @ git+https://github.com/a/pkg.git@v1 ; sys_platform == 'linux'", { name: "pkg", url: "git+https://github.com/a/pkg.git@v1", marker: "sys_platform == 'linux'" }],
    ["pkg @ https://example.com/pkg.whl;x", { name: "pkg", url: "https://example.com/pkg.whl;x" }],
    ["-e .", undefined],
    ["", undefined],
  ];
  for (const [input, expected] of cases) {
    const parsed = parseRequirement(input);
    if (expected === undefined) assert.equal(parsed, undefined, input);
    else for (const [key, value] of Object.entries(expected)) assert.deepEqual(parsed?.[key as keyof typeof parsed], value, `${input}: ${key}`);
  }
});

test("exactVersion accepts only a single == or === pin", () => {
  assert.equal(exactVersion("==1.82.8"), "1.82.8");
  assert.equal(exactVersion("===1.0"), "1.0");
  assert.equal(exactVersion("==1.*"), undefined);
  assert.equal(exactVersion(">=1.0"), undefined);
  assert.equal(exactVersion("==1.0,<2"), undefined);
});

test("isValidSpecifier accepts PEP 440 specifier lists only", () => {
  // The first four cases moved here from pip/requirement-target.test.ts with the function.
  const table: Array<[string, boolean]> = [
    [">=1.40,<2,!=1.5.*", true],
    ["~=0.9", true],
    ["isareadme", false],
    [">=1,", false],
    ["", true],
    ["===foobar", true],
    ["==1.0+cu118", true],
    [">=1!2.0.post1", true],
    ["=>1.0", false],
    ["==", false],
    ["^1.0", false],
  ];
  for (const [specifier, valid] of table) assert.equal(isValidSpecifier(specifier), valid, specifier);
});

test("the scanner stays linear on adversarial input", () => {
  const long = "a" + "-".repeat(200_000) + "b" + "[".repeat(10) + " ;".repeat(50_000);
  const start = Date.now();
  parseRequirement(long);
  assert.ok(Date.now() - start < 2000);
});
