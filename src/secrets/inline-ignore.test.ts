import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inlineIgnoreFor, mentionsMarker, parseMarker } from "./inline-ignore.js";
import { TextLines } from "./lines.js";

describe("parseMarker", () => {
  const cases: Array<[string, ReturnType<typeof parseMarker>]> = [
    ["key = 'x'  # aiwarden-ignore: test fixture key, revoked", { kind: "ignored", reason: "test fixture key, revoked" }],
    ["const k = 'x'; // aiwarden-ignore: documented example", { kind: "ignored", reason: "documented example" }],
    ["/* aiwarden-ignore: rotated 2026-01 */", { kind: "ignored", reason: "rotated 2026-01" }],
    ["<!-- aiwarden-ignore : sample in docs -->", { kind: "ignored", reason: "sample in docs" }],
    ["-- aiwarden-ignore:reason", { kind: "ignored", reason: "reason" }],
    ["# aiwarden-ignore", { kind: "missing-reason" }],
    ["# aiwarden-ignore:", { kind: "missing-reason" }],
    ["# aiwarden-ignore:   */", { kind: "missing-reason" }],
    ["# aiwarden-ignore because", { kind: "missing-reason" }],
    ["# aiwarden-ignore-next-line: other tool syntax", undefined],
    ["# aiwarden-ignores: not the marker", undefined],
    ["# AIWARDEN-IGNORE: case matters", undefined],
    ["nothing here", undefined],
  ];
  for (const [line, expected] of cases) {
    it(JSON.stringify(line), () => assert.deepEqual(parseMarker(line), expected));
  }
});

describe("inlineIgnoreFor", () => {
  const text = [
    "a = 1 # aiwarden-ignore: same line", // 1
    "# aiwarden-ignore: next line", // 2
    "b = 2", // 3
    "c = 3 # aiwarden-ignore: trails code", // 4
    "d = 4", // 5
    "  // aiwarden-ignore", // 6
    "e = 5", // 7
    "f = 6", // 8
  ].join("\r\n");
  const lines = new TextLines(text);

  it("accepts a marker with a reason on the line itself", () => {
    assert.deepEqual(inlineIgnoreFor(lines, 1), { kind: "ignored", reason: "same line", markerLine: 1 });
  });
  it("accepts a comment-only marker line just before", () => {
    assert.deepEqual(inlineIgnoreFor(lines, 3), { kind: "ignored", reason: "next line", markerLine: 2 });
  });
  it("does not carry a marker that trails code over to the next line", () => {
    assert.equal(inlineIgnoreFor(lines, 5), undefined);
    assert.deepEqual(inlineIgnoreFor(lines, 4), { kind: "ignored", reason: "trails code", markerLine: 4 });
  });
  it("reports a marker without a reason, and nothing on unmarked lines", () => {
    assert.deepEqual(inlineIgnoreFor(lines, 7), { kind: "missing-reason", markerLine: 6 });
    assert.equal(inlineIgnoreFor(lines, 8), undefined);
    assert.equal(inlineIgnoreFor(lines, 99), undefined);
  });
  it("mentionsMarker is the cheap pre-check", () => {
    assert.equal(mentionsMarker(text), true);
    assert.equal(mentionsMarker("x = 1"), false);
  });
});
