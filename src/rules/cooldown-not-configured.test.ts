import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadCooldownFacts } from "../sources/cooldown.js";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { cooldownNotConfigured } from "./cooldown-not-configured.js";
import { runRules } from "./engine.js";
import type { ContextFacts } from "./rule.js";

const fixture = (...name: string[]) => fixturePath(import.meta.url, "cooldown", ...name);

/** The findings for a fixture folder, with the cooldown facts the enrich stage would read for its projects. */
async function run(folder: string) {
  const path = fixture(folder);
  const projects = (await contextFor(path)).projects.map((p) => p.path);
  const cooldown = await loadCooldownFacts(path, projects);
  const context = await contextFor(path, { facts: { cooldown } as ContextFacts });
  const { findings, errors } = runRules([cooldownNotConfigured], context);
  assert.deepEqual(errors, []);
  return { findings, context };
}

describe("AIW-AGE-002 cooldown-not-configured", () => {
  it("reports an npm project without min-release-age as low, naming the .npmrc line to add", async () => {
    const { findings, context } = await run("npm-none");
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.ruleId, "AIW-AGE-002");
    assert.equal(finding?.severity, "low");
    assert.equal(finding?.file, "package-lock.json");
    assert.equal(finding?.line, undefined);
    assert.equal(finding?.message, "package-lock.json is installed with npm and no release-age cooldown is configured (`min-release-age` in .npmrc), so a release published minutes ago is installed as soon as the lockfile is refreshed.");
    assert.equal(finding?.fix, "Add `min-release-age=7` to the project's .npmrc (npm 11.10 or later; the value is in days; npm ci then also refuses lockfile entries younger than that, so refresh the lockfile with `npm install` once it is set).");
    assert.deepEqual(cooldownNotConfigured.check(context)[0]?.key, [".", "missing"]);
  });

  it("says the next install picks up new releases when there is no lockfile", async () => {
    const { findings } = await run("npm-manifest-only");
    assert.deepEqual(findings.map((f) => [f.severity, f.file]), [["low", "package.json"]]);
    assert.equal(findings[0]?.message, "package.json is installed with npm and no release-age cooldown is configured (`min-release-age` in .npmrc), so a release published minutes ago is installed by the next install.");
  });

  it("ranks a project with AI packages medium", async () => {
    const { findings } = await run("npm-ai-none");
    assert.deepEqual(findings.map((f) => f.severity), ["medium"]);
    assert.match(findings[0]?.message ?? "", /, AI packages included\.$/);
  });

  it("reports pnpm's minimumReleaseAge in package.json, which pnpm ignores, as medium at its line", async () => {
    const { findings, context } = await run("pnpm-package-json");
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.severity, "medium");
    assert.equal(finding?.file, "package.json");
    assert.equal(finding?.line, 9);
    assert.equal(finding?.message, "package.json sets pnpm.minimumReleaseAge to 10080, but pnpm reads minimumReleaseAge from pnpm-workspace.yaml (or .npmrc in pnpm 10), never from package.json: pnpm-lock.yaml has no cooldown in effect.");
    assert.match(finding?.fix ?? "", /^Move the setting: add `minimumReleaseAge: 10080` to pnpm-workspace\.yaml/);
    assert.deepEqual(cooldownNotConfigured.check(context)[0]?.key, [".", "ignored", "package.json", "pnpm.minimumReleaseAge"]);
  });

  it("reports npm's min-release-age in a pnpm project as medium: pnpm does not read it", async () => {
    const { findings } = await run("pnpm-npm-key");
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.severity, "medium");
    assert.equal(findings[0]?.file, ".npmrc");
    assert.equal(findings[0]?.line, 1);
    assert.equal(findings[0]?.message, ".npmrc sets min-release-age, which npm reads, but pnpm-lock.yaml is installed with pnpm, which needs `minimumReleaseAge` in pnpm-workspace.yaml: no cooldown is in effect.");
  });

  it("reports yarn's npmMinimalAgeGate of 7 (minutes, not days) as too short", async () => {
    const { findings } = await run("yarn-berry-minutes");
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.severity, "low");
    assert.equal(findings[0]?.file, ".yarnrc.yml");
    assert.equal(findings[0]?.line, 3);
    assert.equal(findings[0]?.message, "yarn.lock: the cooldown `npmMinimalAgeGate` set to 7 in .yarnrc.yml keeps out releases younger than 7 minutes only, less than the day in which poisoned releases are usually found and removed.");
    assert.match(findings[0]?.fix ?? "", /npmMinimalAgeGate: 10080/);
  });

  it("reports uv and pip projects without a cutoff, with how to get one", async () => {
    const uv = (await run("uv-none")).findings;
    assert.deepEqual(uv.map((f) => [f.severity, f.file]), [["medium", "uv.lock"]]);
    assert.match(uv[0]?.fix ?? "", /^Add `exclude-newer = "7 days"` under `\[tool\.uv\]` in pyproject\.toml/);
    const pip = (await run("pip-none")).findings;
    assert.deepEqual(pip.map((f) => [f.severity, f.file]), [["low", "requirements.txt"]]);
    assert.equal(pip[0]?.message, "requirements.txt is installed with pip, which has no release-age cooldown of its own, so a release published minutes ago is locked as soon as the lockfile is refreshed.");
  });

  for (const folder of ["npm-npmrc", "npm-nested", "pnpm-workspace", "pnpm-11-default", "yarn-berry-gate", "uv-exclude-newer", "pip-compiled-cutoff"]) {
    it(`stays silent when a cooldown is in effect (${folder})`, async () => {
      assert.deepEqual((await run(folder)).findings, []);
    });
  }

  it("stays silent without cooldown facts", async () => {
    assert.deepEqual(cooldownNotConfigured.check(await contextFor(fixture("npm-none"))), []);
  });
});
