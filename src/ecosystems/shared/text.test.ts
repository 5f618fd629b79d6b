import { test } from "node:test";
import assert from "node:assert/strict";
import { conflictLine, lineAt, stripBom } from "./text.js";

test("conflictLine names the first line with a merge conflict marker", () => {
  const table: Array<[string, number | undefined]> = [
    ["a\nb\n", undefined],
    ["<<<<<<< HEAD\nx", 1],
    [">>>>>>> theirs\nx", 1],
    ["a\nb\n<<<<<<< HEAD\nc\n=======\nd\n>>>>>>> main\n", 3],
    ["a\n>>>>>>> x\n<<<<<<< y\n", 2],
    ["\n<<<<<<< HEAD\n", 2],
    ["a <<<<<<< not at the start\n", undefined],
    ["a\n  <<<<<<< indented\n", undefined],
  ];
  for (const [text, line] of table) assert.equal(conflictLine(text), line, JSON.stringify(text));
});

test("lineAt and stripBom", () => {
  assert.equal(lineAt("a\nb\nc", 0), 1);
  assert.equal(lineAt("a\nb\nc", 1), 1, "the newline belongs to the line it ends");
  assert.equal(lineAt("a\nb\nc", 2), 2);
  assert.equal(lineAt("a\nb\nc", 99), 3);
  assert.equal(stripBom("\ufeff{}"), "{}");
  assert.equal(stripBom("{}"), "{}");
});
