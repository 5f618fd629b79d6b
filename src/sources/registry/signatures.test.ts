import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkSignatures, KeyRing, parseRegistryKeys, sha1Integrity } from "./signatures.js";
import type { SignedVersion } from "./signatures.js";
import { answersFrom } from "../../testing/registry.js";

/** npm's published keys (src/sources/fixtures/registry/npm-public/keys.json). */
function npmKeys(): KeyRing {
  const answer = answersFrom("npm-public").get("GET /-/npm/v1/keys");
  const keys = parseRegistryKeys(JSON.parse(answer?.body.toString("utf8") ?? "{}"));
  assert.ok(keys);
  return new KeyRing(keys);
}

const OLD_KEY = "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA";

/** venv 0.1.0 as the public registry signed it in 2017. */
const VENV: SignedVersion = {
  name: "venv",
  version: "0.1.0",
  integrity: "sha512-RMdeiD0OJC+S2w4931iqdi5MB9xe2T/lXZbRrHxbsmQrSA+FwhPk2bIqIwbNDCmThPgNw841Q272O6EFSYhBjQ==",
  published: "2017-08-13T02:53:28.982Z",
  signatures: [{ keyid: OLD_KEY, sig: "MEUCICKQJCEvvV3HdhCSj3TwH9qqIWLwc0GR1m/NED/s1bPIAiEAvkTmhIDIrD4MZoI2g27+HsuxoFJhC/evORT6T2UUwSc=" }],
};

describe("npm registry signatures", () => {
  it("parses the keys document, skipping malformed entries", () => {
    const keys = parseRegistryKeys({ keys: [{ keyid: "a", key: "b", expires: null }, { keyid: 1 }, "x", { keyid: "c", key: "d", expires: "2030-01-01T00:00:00.000Z" }] });
    assert.deepEqual(keys, [{ keyid: "a", key: "b", expires: null }, { keyid: "c", key: "d", expires: "2030-01-01T00:00:00.000Z" }]);
    assert.equal(parseRegistryKeys({ nope: [] }), undefined);
    assert.equal(parseRegistryKeys("x"), undefined);
  });

  it("verifies a real signature over name@version:integrity", () => {
    assert.deepEqual(checkSignatures(VENV, npmKeys()), { status: "verified", keyid: OLD_KEY });
  });

  it("fails a signature over another integrity, version or name", () => {
    const ring = npmKeys();
    assert.equal(checkSignatures({ ...VENV, integrity: VENV.integrity.replace("RMde", "RMdf") }, ring).status, "invalid");
    assert.equal(checkSignatures({ ...VENV, version: "0.1.1" }, ring).status, "invalid");
    assert.equal(checkSignatures({ ...VENV, name: "venw" }, ring).status, "invalid");
    assert.equal(checkSignatures({ ...VENV, signatures: [{ keyid: OLD_KEY, sig: "bm90IGEgc2lnbmF0dXJl" }] }, ring).status, "invalid");
  });

  it("applies key expiry to the publish time, with pacote's 2015 cut-off for versions without one", () => {
    const ring = npmKeys();
    assert.deepEqual(checkSignatures({ ...VENV, published: "2025-01-29T00:00:00.000Z" }, ring), { status: "expired-key", keyid: OLD_KEY });
    const { published: _published, ...undated } = VENV;
    assert.equal(checkSignatures(undated, ring).status, "verified");
  });

  it("reports unknown keys, missing signatures, and nothing to check without keys", () => {
    const ring = npmKeys();
    assert.deepEqual(checkSignatures({ ...VENV, signatures: [{ keyid: "SHA256:other", sig: "x" }] }, ring), { status: "unknown-key", keyid: "SHA256:other" });
    assert.deepEqual(checkSignatures({ ...VENV, signatures: [] }, ring), { status: "missing" });
    assert.deepEqual(checkSignatures(VENV, new KeyRing([])), { status: "unchecked" });
    assert.deepEqual(checkSignatures(VENV, undefined), { status: "unchecked" });
    assert.deepEqual(checkSignatures(VENV, new KeyRing([{ keyid: OLD_KEY, key: "bm90IGEga2V5", expires: null }])), { status: "unknown-key", keyid: OLD_KEY });
  });

  it("builds the sha1 SRI string pacote signs for versions with only a shasum", () => {
    assert.equal(sha1Integrity("7535345b896734d5f80c4d06c50955527a14f12b"), "sha1-dTU0W4lnNNX4DE0GxQlVUnoU8Ss=");
  });
});
