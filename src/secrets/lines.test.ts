import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TextLines } from "./lines.js";

describe("TextLines", () => {
  const lines = new TextLines("first\r\nsecond\n\nfourth");
  it("returns lines without breaks, and nothing outside the text", () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => lines.line(n)), ["first", "second", "", "fourth", ""]);
    assert.equal(lines.count, 4);
  });
  it("turns positions into offsets and back", () => {
    assert.equal(lines.offset(2, 3), 9);
    assert.deepEqual(lines.position(9), { line: 2, column: 3 });
    assert.deepEqual(lines.position(0), { line: 1, column: 1 });
    assert.deepEqual(lines.position(15), { line: 4, column: 1 });
    assert.deepEqual(lines.position(14), { line: 3, column: 1 });
  });
});
