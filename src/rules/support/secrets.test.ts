import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SecretDetectorInfo } from "../../secrets/facts.js";
import { describeCredential, groupByFileAndKey, rotateStep, secretSeverity } from "./secrets.js";

const detector = (confidence: SecretDetectorInfo["confidence"]): SecretDetectorInfo => ({ id: "x", provider: "Groq", kind: "API key", confidence });

describe("secret rule support", () => {
  it("severity by confidence", () => {
    assert.deepEqual(["high", "medium", "low"].map((c) => secretSeverity(detector(c as SecretDetectorInfo["confidence"]))), ["critical", "high", "medium"]);
  });

  it("names a credential by provider, kind, redacted prefix and fingerprint only", () => {
    const found = { detector: detector("high"), redacted: "gsk_…", fingerprint: "0123456789abcdef" };
    assert.equal(describeCredential(found), "Groq API key `gsk_…` (fingerprint 0123456789abcdef)");
    assert.equal(rotateStep(found), "Revoke the Groq API key with fingerprint 0123456789abcdef at the provider and issue a new one");
  });

  it("groups one key's places in one file, keeping the first line and the count", () => {
    const groups = groupByFileAndKey([
      { path: "a", fingerprint: "1", line: 7 }, { path: "a", fingerprint: "1", line: 2 }, { path: "a", fingerprint: "2", line: 5 }, { path: "b", fingerprint: "1", line: 1 },
    ]);
    assert.deepEqual(groups.map((g) => [g.first.path, g.first.fingerprint, g.first.line, g.count]), [["a", "1", 2, 2], ["a", "2", 5, 1], ["b", "1", 1, 1]]);
  });
});
