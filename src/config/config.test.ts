import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, DEFAULT_CONFIG, loadConfig, parseConfig } from "./config.js";

test("JSON and YAML configurations parse to the same settings", async () => {
  const json = await parseConfig('{"exclude": ["fixtures/**"], "catalog": [{"ecosystem": "npm", "name": "@acme/llm"}]}', "aiwarden.config.json");
  const yaml = await parseConfig("exclude:\n  - fixtures/**\ncatalog:\n  - ecosystem: npm\n    name: '@acme/llm'\n", ".aiwarden.yml");
  assert.deepEqual({ ...json, file: "" }, { ...yaml, file: "" });
  assert.deepEqual(json.exclude, ["fixtures/**"]);
});

test("invalid configurations fail with one line naming the file and the problem", async () => {
  const cases: Array<[string, string, RegExp]> = [
    ["{", "aiwarden.config.json", /^aiwarden\.config\.json: invalid JSON/],
    ["exclude: [unclosed", ".aiwarden.yml", /^\.aiwarden\.yml: invalid YAML at line 1/],
    ['{"exclud": []}', "aiwarden.config.json", /^aiwarden\.config\.json: \(top level\): unknown setting "exclud"$/],
    ['{"exclude": [3]}', "aiwarden.config.json", /^aiwarden\.config\.json: \/exclude\/0: must be string$/],
    ["- just\n- a list\n", ".aiwarden.yml", /^\.aiwarden\.yml: \(top level\): must be object$/],
  ];
  for (const [text, file, message] of cases) {
    await assert.rejects(parseConfig(text, file), (error: Error) => error instanceof ConfigError && message.test(error.message) && !error.message.includes("\n"), file + " " + text);
  }
});

test("found in the first candidate directory that has one; absent means defaults; an explicit missing file is an error", async () => {
  const a = mkdtempSync(join(tmpdir(), "aiwarden-config-"));
  const b = mkdtempSync(join(tmpdir(), "aiwarden-config-"));
  writeFileSync(join(b, ".aiwarden.yml"), "exclude: [vendor/**]\n");
  assert.deepEqual((await loadConfig(undefined, [a, b])).exclude, ["vendor/**"]);
  assert.deepEqual(await loadConfig(undefined, [a]), DEFAULT_CONFIG);
  await assert.rejects(loadConfig(join(a, "nope.json"), []), /nope\.json: cannot read the configuration file \(no such file\)/);
});

test("sources, release age, secrets and credential ignores: read with defaults; osvDb resolved against the file", async () => {
  const config = await parseConfig([
    "releaseAge: { minimumDays: 3, scope: all }",
    "sources: { osv: false, osvDb: mirrors/osv }",
    "secrets: { history: true, maxFileMB: 2 }",
    "ignore:",
    "  - secret: 0123456789abcdef",
    "    reason: sandbox key",
    "    expires: 2027-01-31",
  ].join("\n"), "/work/project/.aiwarden.yml");
  assert.deepEqual(config.releaseAge, { minimumDays: 3, scope: "all" });
  assert.deepEqual(config.sources, { osv: false, osvDb: "/work/project/mirrors/osv" });
  assert.deepEqual(config.secrets, { history: true, maxFileMB: 2 });
  assert.deepEqual(config.ignore, [{ secret: "0123456789abcdef", reason: "sandbox key", expires: "2027-01-31", line: 5 }]);
  await assert.rejects(parseConfig('{"ignore": [{"secret": "0123456789abcdef", "fingerprint": "0123456789abcdef", "reason": "x y", "expires": "2027-01-31"}]}', "aiwarden.config.json"), ConfigError);
  await assert.rejects(parseConfig('{"releaseAge": {"scope": "some"}}', "aiwarden.config.json"), /releaseAge\/scope/);
});
