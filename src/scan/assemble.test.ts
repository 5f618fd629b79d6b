import { test } from "node:test";
import assert from "node:assert/strict";
import { choosePrimaries } from "./assemble.js";

function primaries(consumes: Record<string, string[]>): string[] {
  const consumedBy = new Map<string, Set<string>>();
  for (const [from, list] of Object.entries(consumes)) {
    for (const to of list) consumedBy.set(to, (consumedBy.get(to) ?? new Set()).add(from));
  }
  return choosePrimaries(Object.keys(consumes), (p) => consumes[p] ?? [], consumedBy);
}

test("an included file is not a project of its own", () => {
  assert.deepEqual(primaries({ "requirements.txt": ["requirements/base.txt"], "requirements/base.txt": [], "requirements/dev.txt": ["requirements/base.txt"] }), ["requirements.txt", "requirements/dev.txt"]);
});

test("files that only include each other still produce one project", () => {
  assert.deepEqual(primaries({ "b.txt": ["a.txt"], "a.txt": ["b.txt"] }), ["a.txt"]);
  assert.deepEqual(primaries({ "x.txt": ["a.txt"], "a.txt": ["b.txt"], "b.txt": ["a.txt"] }), ["x.txt"]);
});
