import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonErrorOffset, jsonErrorReason, visitKeys } from "./json-lines.js";

test("visitKeys reports every object key with its parents and line", () => {
  const text = '{\n  "a": {\n    "b": [\n      { "c": 1 },\n      "x"\n    ],\n    "d\\"e": "{not a key}"\n  },\n  "f": 2\n}';
  const seen: string[] = [];
  visitKeys(text, (parents, key, line) => seen.push(`${[...parents, key].join("/")}@${line}`));
  assert.deepEqual(seen, ["a@2", "a/b@3", "a/b//c@4", 'a/d"e@7', "f@9"]);
});

test("jsonErrorOffset agrees with the engine wherever the engine names a position", () => {
  const table = [
    '{"a": 01}',
    '{"a":"\\x"}',
    "{} x",
    '{"a": -}',
    '{\n  "lockfileVersion": 3,\n<<<<<<< HEAD\n}',
    '{"a" 1}',
    '{"a": 1 "b": 2}',
    '["a\u0001"]',
    '{"a": 1.}',
    '{"a": 1e+}',
    '{"a": "\\u12G4"}',
  ];
  for (const text of table) {
    let message = "";
    try {
      JSON.parse(text);
    } catch (error) {
      message = (error as Error).message;
    }
    const position = /at position (\d+)/.exec(message)?.[1];
    assert.ok(position !== undefined, `the engine names a position for ${JSON.stringify(text)}: ${message}`);
    assert.equal(jsonErrorOffset(text), Number(position), `${JSON.stringify(text)}: ${message}`);
  }
});

test("jsonErrorOffset finds errors the engine does not place, and accepts valid JSON", () => {
  const table: Array<[string, number]> = [
    ['{"a": tru}', 9],
    ["[1,]", 3],
    ["hello", 0],
    ['{\n  "b": <<<<<<< HEAD\n}', 9],
    ["", 0],
    ['{"a": [1, 2', 11],
    ['{"a": [1, {"b": null}], "c": -1.5e3, "d": "\\u00e9\\n"}', -1],
    [" [] ", -1],
  ];
  for (const [text, offset] of table) assert.equal(jsonErrorOffset(text), offset, JSON.stringify(text));
});

test("jsonErrorReason is one line with position and line, without the quoted source", () => {
  const table: Array<[string, string]> = [
    ['{\n  "a": 1,\n  "b": <<<<<<< HEAD\n}', "invalid JSON at position 19 (line 3): Unexpected token '<'"],
    ['{\n  "a": [1,\n', "invalid JSON at position 13 (line 3): Unexpected end of JSON input"],
    ['{"a": 01}', "invalid JSON at position 7 (line 1): Unexpected number"],
  ];
  for (const [text, reason] of table) {
    let error: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      error = e;
    }
    assert.equal(jsonErrorReason(text, error), reason);
  }
});
