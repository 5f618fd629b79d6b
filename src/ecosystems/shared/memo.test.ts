import { test } from "node:test";
import assert from "node:assert/strict";
import type { ExtractContext } from "../extractor.js";
import { textCache } from "./memo.js";

const context = (): ExtractContext => ({ discovered: [], files: new Map(), unreadable: new Map() });

test("a text cache derives once per context, path and text", () => {
  let calls = 0;
  const cache = textCache((text) => {
    calls++;
    return { length: text.length };
  });
  const a = context();
  const first = cache.get(a, "x.json", "abc");
  assert.equal(cache.get(a, "x.json", "abc"), first, "same object on a second call");
  assert.equal(calls, 1);
  assert.deepEqual(cache.get(a, "x.json", "abcd"), { length: 4 }, "a changed text is derived again");
  assert.deepEqual(cache.get(a, "y.json", "abcd"), { length: 4 });
  assert.notEqual(cache.get(context(), "x.json", "abcd"), cache.get(a, "x.json", "abcd"), "another extraction derives its own");
  assert.equal(calls, 4);
});
