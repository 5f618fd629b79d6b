import { test } from "node:test";
import assert from "node:assert/strict";
import { base62, crc32, hasCounts, hasValidChecksum, shannonEntropy } from "./checks.js";
import { expandSample } from "./samples.js";

test("CRC-32 is the IEEE one (check value of 123456789) and base 62 pads to the width", () => {
  assert.equal(crc32("123456789"), 0xcbf43926);
  assert.equal(crc32(""), 0);
  assert.equal(base62(0, 6), "000000");
  assert.equal(base62(61, 1), "z");
  assert.equal(base62(62, 2), "10");
  assert.equal(base62(0xffffffff, 6), "4gfFC3");
});

test("the GitHub/npm checksum accepts generated tokens and rejects any changed character", () => {
  for (let i = 0; i < 50; i++) {
    const body = expandSample("{alnum:30}{crc32}", `checksum${i}`).text;
    assert.ok(hasValidChecksum("crc32-base62", body), body);
    const changed = body.slice(0, 5) + (body[5] === "A" ? "B" : "A") + body.slice(6);
    assert.ok(!hasValidChecksum("crc32-base62", changed));
  }
  assert.ok(!hasValidChecksum("crc32-base62", "abc"));
});

test("entropy and character counts", () => {
  assert.equal(shannonEntropy(""), 0);
  assert.equal(shannonEntropy("aaaa"), 0);
  assert.equal(shannonEntropy("abab"), 1);
  assert.equal(shannonEntropy("0123456789abcdef"), 4);
  assert.equal(shannonEntropy("ééaa"), 1, "non-ASCII characters count too");
  assert.equal(shannonEntropy("abab"), 1, "the scratch table is left clean");
  assert.ok(hasCounts("aB3", { upper: 1, lower: 1, digit: 1 }));
  assert.ok(!hasCounts("ab3", { upper: 1 }));
});
