import { test } from "node:test";
import assert from "node:assert/strict";
import { charClass, compileBody, inClass, matchesBody, runLength } from "./pattern.js";

test("character classes: ranges and single characters, a trailing dash is literal", () => {
  const set = charClass("A-Za-z0-9_-");
  for (const c of "AZaz09_-") assert.ok(inClass(set, c.charCodeAt(0)), c);
  for (const c of "+/=. é") assert.ok(!inClass(set, c.charCodeAt(0)), c);
  assert.throws(() => charClass("z-a"), /bad range/);
  assert.throws(() => charClass("é"), /ASCII/);
});

test("runLength stops at the first character outside the class, or at the limit", () => {
  const hex = charClass("0-9a-f");
  assert.equal(runLength("xx00ff99zz", 2, hex, 100), 6);
  assert.equal(runLength("00ff99", 0, hex, 4), 4);
  assert.equal(runLength("00ff99", 6, hex, 4), 0);
});

test("bodies: fixed lengths, bounded runs, literals inside runs of their own characters, optional groups", () => {
  const openai = compileBody([{ chars: "A-Za-z0-9_-", min: 3, max: 20 }, { literal: "T3BlbkFJ" }, { chars: "A-Za-z0-9_-", min: 3, max: 20 }], "t");
  assert.ok(matchesBody(openai, "abcT3BlbkFJdef"));
  assert.ok(matchesBody(openai, "aT3BlbkFJbcT3BlbkFJdef"), "the marker may also occur inside a run");
  assert.ok(!matchesBody(openai, "abT3BlbkFJdef"), "left part too short");
  assert.ok(!matchesBody(openai, "abcdefghijklmnopqrstuvwxyz"));
  assert.ok(!matchesBody(openai, `abc${"d".repeat(20)}T3BlbkFJdef`), "left part too long");
  const cask = compileBody([{ chars: "A-Z", length: 2 }, { literal: "JQ" }, { optional: [{ chars: "a-z", length: 2 }, { literal: "==" }] }], "t");
  assert.ok(matchesBody(cask, "ABJQ"));
  assert.ok(matchesBody(cask, "ABJQxy=="));
  assert.ok(!matchesBody(cask, "ABJQxy"));
  assert.equal(cask.minLength, 4);
  assert.equal(cask.maxLength, 8);
  const uuid = compileBody([{ chars: "0-9a-f", length: 8 }, { literal: "-" }, { chars: "0-9a-f", length: 4 }], "t");
  assert.ok(matchesBody(uuid, "0a1b2c3d-4e5f"));
  assert.ok(!matchesBody(uuid, "0a1b2c3d4e5f-"));
  assert.ok(matchesBody(uuid, "xx0a1b2c3d-4e5fyy", 2, 15), "a window of a longer text");
});

test("matching is linear: a 100,000-character body with a literal in the middle is checked quickly", () => {
  const body = compileBody([{ chars: "a-z", min: 1, max: 60_000 }, { literal: "aaab" }, { chars: "a-z", min: 1, max: 60_000 }], "t");
  const token = `${"a".repeat(50_000)}aaab${"a".repeat(50_000)}`;
  assert.ok(matchesBody(body, token));
  assert.ok(!matchesBody(body, "a".repeat(100_004)));
});
