import { test } from "node:test";
import assert from "node:assert/strict";
import { loadDetectors } from "./detect.js";
import { loadDetectorDocument } from "./detectors.js";
import { expandSample, fakeSecret } from "./samples.js";

test("templates expand deterministically; «» marks the secret inside a text", () => {
  const a = expandSample("gsk_{alnum:52}", "seed");
  assert.equal(a.text, expandSample("gsk_{alnum:52}", "seed").text);
  assert.notEqual(a.text, expandSample("gsk_{alnum:52}", "other").text);
  assert.match(a.text, /^gsk_[A-Za-z0-9]{52}$/);
  assert.deepEqual([a.secret, a.offset], [a.text, 0]);
  const b = expandSample("KEY=«{hex:8}-{uuid}» # {{ secrets.X }}", "s");
  assert.match(b.text, /^KEY=[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} # \{\{ secrets\.X \}\}$/);
  assert.equal(b.offset, 4);
  assert.equal(b.text.slice(b.offset, b.offset + b.secret.length), b.secret);
});

test("fakeSecret gives, for every detector, a key that detector finds in its own context", () => {
  const detectors = loadDetectors();
  for (const spec of loadDetectorDocument().detectors) {
    const key = fakeSecret(spec.id);
    const text = spec.context ? expandSample(spec.samples.true[0] as string, `${spec.id}#0`).text : key;
    assert.ok(detectors.detect(text, "a.txt").some((m) => m.detector.id === spec.id && m.secret === key), spec.id);
  }
  assert.notEqual(fakeSecret("groq-api-key", 0, "a"), fakeSecret("groq-api-key", 0, "b"));
  assert.throws(() => fakeSecret("no-such-detector"), /no detector/);
});
