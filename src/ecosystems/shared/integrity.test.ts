import { test } from "node:test";
import assert from "node:assert/strict";
import { isHex, parseIntegrity } from "./integrity.js";

// Cases from npm/sources.test.ts and yarn/descriptor.test.ts, which each had a parser of their own.
test("parseIntegrity splits SRI values into every hash they hold", () => {
  const table: Array<[string, Array<{ algorithm: string; value: string }>]> = [
    ["sha512-AbC+/9==", [{ algorithm: "sha512", value: "AbC+/9==" }]],
    ["sha512-AAA sha1-BBB", [{ algorithm: "sha512", value: "AAA" }, { algorithm: "sha1", value: "BBB" }]],
    ["  SHA256-CCC?opt\n\tmd5-DDD ", [{ algorithm: "sha256", value: "CCC" }, { algorithm: "md5", value: "DDD" }]],
    ["sha512-", []],
    ["-AAA", []],
    ["nodash", []],
    ["", []],
    ["sha512-AbC== sha1-Zz0= md4-nope sha256-xy?opt", [
      { algorithm: "sha512", value: "AbC==" },
      { algorithm: "sha1", value: "Zz0=" },
      { algorithm: "sha256", value: "xy" },
    ]],
    // The allowlist (yarn's reader was strict, npm's took any alphanumeric algorithm; the strict one was kept).
    ["sha224-AAA sha384-BBB", [{ algorithm: "sha384", value: "BBB" }]],
    ["sha512-?opt sha1-A?x?y", [{ algorithm: "sha1", value: "A" }]],
    ["sha512-a-b", [{ algorithm: "sha512", value: "a-b" }]],
  ];
  for (const [integrity, hashes] of table) assert.deepEqual(parseIntegrity(integrity), hashes, integrity);
});

test("isHex", () => {
  assert.equal(isHex("0123abcDEF"), true);
  assert.equal(isHex("0123g"), false);
  assert.equal(isHex(""), false);
});
