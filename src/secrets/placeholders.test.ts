import { test } from "node:test";
import assert from "node:assert/strict";
import { hasExampleMarker, hasTypedRun, isExamplePath, isRepeatedUnit, placeholderReason } from "./placeholders.js";

test("placeholder values and why", () => {
  const cases: [string, string | undefined][] = [
    ["your_api_key_here", 'contains "api_key"'],
    ["yourkeyhere123", 'contains "your"'],
    ["sk-test-1234567890", 'contains "test"'],
    ["Qk7Rt2Lm9Xv4Wz8Np3Hs6Jd1", undefined],
    ["EXAMPLEKEY123", 'contains "example"'],
    ["abcREPLACE_MEdef", 'contains "replace"'],
    ["ChangeMe2024Password", 'contains "changeme"'],
    ["mysecretvalue12", 'contains "secret"'],
    ["fake123abc", 'contains "fake"'],
    ["xyzdemo", 'contains "demo"'],
    ["AbxTestyQz", undefined], // "test" inside letters on both sides: chance, not a marker
    ["XXXXabc123", "contains xxxx"],
    ["aaaaaaQ7x", "has a typed run (repeated or consecutive characters)"],
    ["Qx123456Lm", "has a typed run (repeated or consecutive characters)"],
    ["qwFEDCBAzz", "has a typed run (repeated or consecutive characters)"],
    ["ab12ab12ab12ab12ab12", "repeats a short unit"],
  ];
  for (const [value, reason] of cases) assert.equal(placeholderReason(value), reason, value);
});

test("typed runs and repeated units", () => {
  assert.ok(hasTypedRun("000000", 6));
  assert.ok(!hasTypedRun("00000", 6));
  assert.ok(hasTypedRun("xabcdefx", 6));
  assert.ok(!hasTypedRun("aZ3kQ9", 6));
  assert.ok(isRepeatedUnit("abcabcabcabcabc", 8));
  assert.ok(!isRepeatedUnit("abcabc", 8), "too short to judge");
  assert.ok(!isRepeatedUnit("Qk7Rt2Lm9Xv4Wz8Np3Hs6Jd1", 8));
});

test("example and template paths", () => {
  for (const path of [".env.example", "config/.env.sample", "app.example.yml", "secrets.template", "settings.tpl.json", ".env.dist", "C:\\app\\.env.example"]) assert.ok(isExamplePath(path), path);
  for (const path of [".env", ".env.production", "example.py", "examples/app.py", "bundle.dist.js", "samples.txt"]) assert.ok(!isExamplePath(path), path);
});

test("example markers on a line", () => {
  assert.ok(hasExampleMarker("# for example: OPENAI_API_KEY=sk-"));
  assert.ok(hasExampleMarker("key = 'x'  # Placeholder"));
  assert.ok(hasExampleMarker("e.g. ghp_"));
  assert.ok(!hasExampleMarker("curl https://api.example.com -H 'Authorization: Bearer x'"));
});
