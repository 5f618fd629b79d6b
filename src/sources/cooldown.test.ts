import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cooldownSettingsIn, loadCooldownFacts } from "./cooldown.js";
import { fixturePath } from "../testing/fixtures.js";

const pick = (path: string, text: string) => cooldownSettingsIn(path, text).map((s) => ({ tool: s.tool, line: s.line, key: s.key, value: s.value, minutes: s.minutes, until: s.until, placement: s.placement }));

describe("cooldown settings", () => {
  it("reads npm's min-release-age (days) and before, and pnpm 10's minimum-release-age (minutes), from .npmrc", () => {
    assert.deepEqual(pick(".npmrc", "registry=https://registry.npmjs.org/\nmin-release-age = 3\nbefore=2026-01-01\nminimum-release-age=1440\n"), [
      { tool: "npm", line: 2, key: "min-release-age", value: "3", minutes: 4320, until: undefined, placement: "effective" },
      { tool: "npm", line: 3, key: "before", value: "2026-01-01", minutes: undefined, until: "2026-01-01T00:00:00.000Z", placement: "effective" },
      { tool: "pnpm", line: 4, key: "minimum-release-age", value: "1440", minutes: 1440, until: undefined, placement: "effective" },
    ]);
  });

  it("reads top-level keys of pnpm-workspace.yaml and .yarnrc.yml, not nested ones", () => {
    assert.deepEqual(pick("pnpm-workspace.yaml", "packages:\n  - web\n  minimumReleaseAge: 5\nminimumReleaseAge: 10080 # a week\n"), [
      { tool: "pnpm", line: 4, key: "minimumReleaseAge", value: "10080", minutes: 10080, until: undefined, placement: "effective" },
    ]);
    const yarn = (value: string) => cooldownSettingsIn("a/.yarnrc.yml", `npmMinimalAgeGate: ${value}\n`)[0]?.minutes;
    assert.equal(yarn("4320"), 4320);
    assert.equal(yarn("'3d'"), 4320);
    assert.equal(yarn("\"12h\""), 720);
    assert.equal(yarn("1w"), 10080);
    assert.equal(yarn("soon"), undefined);
  });

  it("reads uv's exclude-newer from [tool.uv], uv.toml and uv.lock's [options], as a duration or a date", () => {
    assert.deepEqual(pick("pyproject.toml", "[project]\nname = \"x\"\nexclude-newer = \"wrong table\"\n\n[tool.uv]\nexclude-newer = \"7 days\"\n"), [
      { tool: "uv", line: 6, key: "exclude-newer", value: "7 days", minutes: 10080, until: undefined, placement: "effective" },
    ]);
    assert.equal(cooldownSettingsIn("uv.toml", "exclude-newer = \"P1W\"\n")[0]?.minutes, 10080);
    assert.equal(cooldownSettingsIn("uv.toml", "exclude-newer = \"PT36H\"\n")[0]?.minutes, 2160);
    assert.equal(cooldownSettingsIn("uv.toml", "exclude-newer = \"2026-03-01T00:00:00Z\"\n")[0]?.until, "2026-03-01T00:00:00.000Z");
    assert.deepEqual(pick("uv.lock", "version = 1\n\n[options]\nexclude-newer = \"2026-03-17T00:00:00Z\"\n\n[[package]]\nname = \"x\"\n"), [
      { tool: "uv", line: 4, key: "exclude-newer", value: "2026-03-17T00:00:00Z", minutes: undefined, until: "2026-03-17T00:00:00.000Z", placement: "effective" },
    ]);
  });

  it("marks pnpm settings in package.json as ignored, and pnpm 11's default as in effect", () => {
    const text = "{\n  \"name\": \"x\",\n  \"packageManager\": \"pnpm@11.22.0\",\n  \"pnpm\": {\n    \"minimumReleaseAge\": 2880\n  }\n}\n";
    assert.deepEqual(pick("package.json", text), [
      { tool: "pnpm", line: 5, key: "pnpm.minimumReleaseAge", value: "2880", minutes: 2880, until: undefined, placement: "ignored" },
      { tool: "pnpm", line: 3, key: "packageManager", value: "pnpm@11.22.0", minutes: 1440, until: undefined, placement: "effective" },
    ]);
    assert.deepEqual(pick("package.json", "{\"packageManager\": \"pnpm@9.12.3\"}"), []);
    assert.deepEqual(pick("package.json", "not json"), []);
  });

  it("loads the files of each project folder and its parents up to the root", async () => {
    const root = fixturePath(import.meta.url, "..", "..", "rules", "fixtures", "cooldown", "npm-nested");
    const facts = await loadCooldownFacts(root, ["apps/web"]);
    assert.deepEqual(facts.settings.map((s) => [s.file, s.key, s.minutes]), [[".npmrc", "min-release-age", 4320]]);
  });
});
