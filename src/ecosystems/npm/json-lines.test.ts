import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { realworldPath } from "../../testing/fixtures.js";
import { jsonErrorOffset, jsonErrorReason, memberKeyLines, visitKeys } from "./json-lines.js";

test("visitKeys reports every object key with its parents and line", () => {
  const text = '{\n  "a": {\n    "b": [\n      { "c": 1 },\n      "x"\n    ],\n    "d\\"e": "{not a key}"\n  },\n  "f": 2\n}';
  const seen: string[] = [];
  visitKeys(text, (parents, key, line) => seen.push(`${[...parents, key].join("/")}@${line}`));
  assert.deepEqual(seen, ["a@2", "a/b@3", "a/b//c@4", 'a/d"e@7', "f@9"]);
});

test("visitKeys stops when the visitor returns true", () => {
  const seen: string[] = [];
  visitKeys('{\n  "a": {\n    "b": 1\n  },\n  "c": 2\n}', (parents, key) => {
    seen.push([...parents, key].join("/"));
    return key === "b";
  });
  assert.deepEqual(seen, ["a", "a/b"]);
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

/** The exact answer: lines of the members of a top-level object, by the structural pass. */
function slowKeyLines(text: string, section: string): Map<string, number> {
  const lines = new Map<string, number>();
  visitKeys(text, (parents, key, line) => {
    if (parents.length === 1 && parents[0] === section) lines.set(key, line);
  });
  return lines;
}

test("memberKeyLines agrees with visitKeys on every real-world package-lock", () => {
  const locks = ["cline__cline", "e2b-dev__fragments", "google-gemini__gemini-cli", "huggingface__chat-ui", "mckaywrigley__chatbot-ui", "microsoft__vscode-copilot-chat", "reworkd__AgentGPT/next"];
  for (const lock of locks) {
    const text = readFileSync(realworldPath(...lock.split("/"), "package-lock.json"), "utf8");
    const keys = Object.keys((JSON.parse(text) as { packages: object }).packages);
    const fast = memberKeyLines(text, "packages", keys);
    assert.ok(fast, `${lock}: the fast path applies to npm's own layout`);
    assert.deepEqual([...fast], [...slowKeyLines(text, "packages")], lock);
  }
});

test("memberKeyLines finds keys past look-alikes, and declines layouts it does not read", () => {
  const text = '{\n  "packages": {\n    "": {\n      "dependencies": {\n        "b": "1"\n      }\n    },\n    "b": {\n      "version": "1"\n    }\n  }\n}';
  assert.deepEqual([...(memberKeyLines(text, "packages", ["", "b"]) ?? [])], [["", 3], ["b", 8]], "the deeper \"b\" is skipped");
  const table: Array<[string, string[]]> = [
    ['{"packages":{"":{},"a":{}}}', ["", "a"]], // minified: keys are not on lines of their own
    [text, ["b", ""]], // not in document order
    [text, ["", "c"]], // a key that is not there
    ['{\n  "packages": {\n    "a\\"b": {}\n  }\n}', ['a"b']], // escaped key
    ['{\n  "other": {}\n}', []], // no such section
  ];
  for (const [input, keys] of table) assert.equal(memberKeyLines(input, "packages", keys), undefined, `${input} ${JSON.stringify(keys)}`);
});
