import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { loadDetectors } from "./detect.js";
import { loadDetectorDocument } from "./detectors.js";
import { fingerprintSecret, redact, shownPrefix } from "./redact.js";
import { expandSample } from "./samples.js";

const detectors = loadDetectors();

test("a fingerprint is the first 16 hex characters of SHA-256 over the key", () => {
  const key = "gsk_not-a-real-key";
  assert.equal(fingerprintSecret(key), createHash("sha256").update(key).digest("hex").slice(0, 16));
  assert.match(fingerprintSecret(key), /^[0-9a-f]{16}$/);
  assert.notEqual(fingerprintSecret(key), fingerprintSecret(`${key}x`));
});

test("the redacted form is the public prefix and an ellipsis", () => {
  const cases: [string, string][] = [
    ["sk-proj-", "sk-proj-"], ["gsk_", "gsk_"], ["AKIA", "AKIA"], ["sk-ant-api03-", "sk-ant-"], ["sk-ant-admin01-", "sk-ant-"],
    ["github_pat_", "github_pat_"], ["sk-svcacct-", "sk-svcacct-"], ["pypi-AgEIcHlwaS5vcmc", "pypi-"],
    ["bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t", "bedrock-api-"], ["-----BEGIN ", "-----BEGIN"], ["ABCDEFGHIJKLMNOP", "ABCDEF"],
  ];
  for (const [prefix, shown] of cases) assert.equal(shownPrefix(prefix), shown, prefix);
  const detector = { id: "x", provider: "X", kind: "key", confidence: "high" as const, prefixes: ["sk-proj-", "sk-"] };
  assert.equal(redact("sk-proj-abcdef", detector), "sk-proj-…");
  assert.equal(redact("sk-abcdef", detector), "sk-…");
  assert.equal(redact("zz-abcdef", detector), "…");
  assert.equal(redact("sk-", detector), "…", "a secret that is all prefix shows nothing");
  assert.equal(redact("anything", { ...detector, prefixes: undefined }), "…");
});

test("no sample key appears in any redacted form or fingerprint, and the same key in two texts has one fingerprint", () => {
  for (const spec of loadDetectorDocument().detectors) {
    for (const [i, template] of spec.samples.true.entries()) {
      const sample = expandSample(template, `${spec.id}#${i}`);
      const first = detectors.detect(`${sample.text}\n`, "a.env").find((m) => m.secret === sample.secret);
      const second = detectors.detect(`# another file\n\n${sample.text}\n`, "b.yml").find((m) => m.secret === sample.secret);
      assert.ok(first && second, spec.id);
      assert.equal(first.fingerprint, second.fingerprint, spec.id);
      assert.equal(first.fingerprint, fingerprintSecret(sample.secret), spec.id);
      const prefix = (first.detector.prefixes ?? []).find((p) => sample.secret.startsWith(p)) ?? "";
      assert.equal(first.redacted, `${prefix === "" ? "" : shownPrefix(prefix)}…`, `${spec.id}: nothing but the public prefix`);
      const { secret: _secret, ...rest } = first;
      for (const output of [first.redacted, first.fingerprint, JSON.stringify(rest)]) assert.ok(!output.includes(sample.secret), `${spec.id}: key in output`);
      assert.ok(!JSON.stringify(rest).includes(sample.secret.slice(prefix.length, prefix.length + 12)), `${spec.id}: part of the body in the match`);
      assert.ok(first.redacted.endsWith("…") && first.redacted.length <= 13, `${spec.id}: ${first.redacted}`);
    }
  }
});
