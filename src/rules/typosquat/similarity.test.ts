import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deletionHashes, NeighbourIndex, plausibleSlip, plausibleSubstitution, singleEdit } from "./similarity.js";
import type { EditKind } from "./similarity.js";

describe("singleEdit", () => {
  const cases: Array<[string, string, EditKind | undefined]> = [
    ["litelm", "litellm", "deletion"],
    ["opeanai", "openai", "insertion"],
    ["openia", "openai", "transposition"],
    ["oprnai", "openai", "substitution"],
    ["numpyy", "numpy", "insertion"],
    ["xopenai", "openai", "insertion"],
    ["penai", "openai", "deletion"],
    ["openai", "openai", undefined],
    ["opneia", "openai", undefined],
    ["abc", "bca", undefined],
    ["", "a", "deletion"],
    ["litelllm", "litellm", "insertion"],
    ["react", "preact", "deletion"],
  ];
  for (const [candidate, target, expected] of cases) {
    it(`${candidate} vs ${target}: ${expected ?? "not one edit"}`, () => assert.equal(singleEdit(candidate, target), expected));
  }
});

/** Every string within one edit: the brute force the index must agree with. */
function bruteNear(keys: string[], query: string): string[] {
  return keys.filter((k) => k === query || singleEdit(query, k) !== undefined).sort();
}

/** A small deterministic generator (mulberry32), so the property test is reproducible. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("NeighbourIndex", () => {
  it("finds exactly the keys within one edit, like a brute-force scan (random keys over a 3-letter alphabet)", () => {
    const next = random(42);
    const word = () => Array.from({ length: 2 + Math.floor(next() * 6) }, () => "abc"[Math.floor(next() * 3)]).join("");
    const keys = [...new Set(Array.from({ length: 400 }, word))];
    const index = new NeighbourIndex<string>();
    for (const key of keys) index.add(key, key);
    for (let i = 0; i < 400; i++) {
      const query = word();
      assert.deepEqual(index.near(query).map((e) => e.value).sort(), bruteNear(keys, query), query);
    }
  });

  it("reports the edit as seen from the query, and an exact hit without one", () => {
    const index = new NeighbourIndex<number>();
    index.add("openai", 1);
    index.add("litellm", 2);
    assert.deepEqual(index.near("openia").map((e) => [e.value, e.edit]), [[1, "transposition"]]);
    assert.deepEqual(index.near("litelm").map((e) => [e.value, e.edit]), [[2, "deletion"]]);
    assert.deepEqual(index.near("openai").map((e) => [e.value, e.edit]), [[1, undefined]]);
    assert.deepEqual(index.near("anthropic"), []);
  });

  it("keeps several values under one key", () => {
    const index = new NeighbourIndex<string>();
    index.add("chalk", "a");
    index.add("chalk", "b");
    assert.deepEqual(index.near("chalkk").map((e) => e.value).sort(), ["a", "b"]);
  });

  it("hashes a key's distinct deletions once each (`ll` gives one)", () => {
    assert.equal(deletionHashes("abc").length, 4);
    assert.equal(deletionHashes("all").length, 3);
    assert.equal(new Set(deletionHashes("litellm")).size, deletionHashes("litellm").length);
  });
});

describe("plausibleSlip (short names)", () => {
  const cases: Array<[string, string, boolean]> = [
    ["oprnai", "openai", true], // r next to e
    ["openag", "openai", false], // g far from i: another word
    ["0penai", "openai", true], // reads alike
    ["numpyy", "numpy", true], // doubled
    ["opeanai", "openai", true], // a letter of the name typed early
    ["weaver", "weave", false], // a new last letter
    ["pweave", "weave", false], // a new first letter
    ["litelm", "litellm", true], // inside, one of a double
    ["agent", "agenta", false], // last letter dropped
    ["expres", "express", true], // one of a double at the end
    ["axois", "axios", true], // transposition
  ];
  for (const [candidate, target, expected] of cases) {
    it(`${candidate} for ${target}: ${expected}`, () => {
      const edit = singleEdit(candidate, target);
      assert.ok(edit);
      assert.equal(plausibleSlip(candidate, target, edit), expected);
    });
  }

  it("treats QWERTY neighbours and look-alike characters as plausible substitutions, others not", () => {
    assert.equal(plausibleSubstitution("r", "e"), true);
    assert.equal(plausibleSubstitution("1", "l"), true);
    assert.equal(plausibleSubstitution("l", "1"), true);
    assert.equal(plausibleSubstitution("g", "i"), false);
  });
});
