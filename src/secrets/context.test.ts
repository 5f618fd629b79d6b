import { test } from "node:test";
import assert from "node:assert/strict";
import { assignedName, isCredentialName, nameBeforeValue, nearbyText, normalizeName, valueAfter, ValueRuns, variableFor } from "./context.js";

test("names are compared without case or separators, on their last dotted segment", () => {
  assert.equal(normalizeName("COHERE_API_KEY"), "COHEREAPIKEY");
  assert.equal(normalizeName("cohereApiKey"), "COHEREAPIKEY");
  assert.equal(normalizeName("cohere-api-key"), "COHEREAPIKEY");
  assert.equal(normalizeName("process.env.COHERE_API_KEY"), "COHEREAPIKEY");
  assert.ok(isCredentialName("APIKEY") && isCredentialName("HFTOKEN") && isCredentialName("CLIENTSECRET"));
  assert.ok(!isCredentialName("MODEL") && !isCredentialName("BASEURL"));
});

/** The assigned name for the value that follows `|` in the text. */
function nameAt(marked: string): string | undefined {
  const at = marked.indexOf("|");
  return assignedName(marked.replace("|", ""), at);
}

test("the name a value is assigned to, in the forms people write", () => {
  const cases: [string, string | undefined][] = [
    ["KEY=|v", "KEY"], ["export KEY=\"|v\"", "KEY"], ["key: |v", "key"], ["\"key\": \"|v\"", "key"], ["key = '|v'", "key"],
    ["key := \"|v\"", "key"], ["'key' => '|v'", "key"], ["os.environ[\"KEY\"] = \"|v\"", "KEY"], ["self.api_key = \"|v\"", "self.api_key"],
    ["--api-key=|v", "api-key"], ["\\\"KEY\\\": \\\"|v", "KEY"], ["ENV KEY |v", "KEY"], ["  arg  KEY   |v", "KEY"],
    ["Bearer |v", undefined], ["echo |v", undefined], ["(|v)", undefined], ["|v", undefined], ["= |v", undefined],
    [`${"k".repeat(200)}=|v`, undefined],
  ];
  for (const [text, name] of cases) assert.equal(nameAt(text), name, text);
});

test("values after an operator: whole literals only", () => {
  const value = (text: string) => {
    const result = valueAfter(text, text.search(/[=:]/));
    return result && text.slice(result.start, result.end);
  };
  assert.equal(value("KEY=abc123"), "abc123");
  assert.equal(value("KEY = \"abc123\""), "abc123");
  assert.equal(value("KEY: 'abc123' # note"), "abc123");
  assert.equal(value("KEY=abc123 # note"), "abc123");
  assert.equal(value("KEY=>\"abc\""), "abc");
  assert.equal(value("\"KEY\": \\\"abc\\\""), "abc");
  assert.equal(value("KEY=${X}"), undefined);
  assert.equal(value("KEY=\"abc"), undefined);
  assert.equal(value("KEY=\"a b\""), undefined);
  assert.equal(value("KEY=abc,"), undefined, "an unquoted value in code is a reference");
  assert.equal(value("KEY=f(x)"), undefined);
  assert.equal(value(`KEY=${"a".repeat(5000)}`), undefined, "too long");
});

test("value runs are read once per text, also from operators inside a run", () => {
  const text = "key=".repeat(10);
  const runs = new ValueRuns();
  assert.equal(runs.end(text, 4, 1000), text.length);
  assert.equal(runs.end(text, 8, 1000), text.length);
  assert.equal(runs.end(text, 8, 10), 18, "the limit still applies");
});

test("name/value pairs: the value belongs to the name before it", () => {
  const k8s = "env:\n  - name: A_KEY\n    value: one\n  - name: B_KEY\n    value: two\n";
  assert.equal(nameBeforeValue(k8s, k8s.indexOf("two")), "B_KEY");
  assert.equal(variableFor(k8s, k8s.indexOf("one")), "A_KEY");
  const ecs = "[{\"name\": \"C_TOKEN\", \"value\": \"three\"}]";
  assert.equal(variableFor(ecs, ecs.indexOf("three")), "C_TOKEN");
  assert.equal(variableFor("value: x", 7), undefined);
});

test("nearby text is the line and the two lines above it", () => {
  const text = "a\nb\nc\nd = 'v' # tail\ne\n";
  const at = text.indexOf("v");
  assert.equal(nearbyText(text, at, at + 1), "b\nc\nd = ' ' # tail");
});
