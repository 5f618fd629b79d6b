import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answersFrom, contextWithRegistry } from "../testing/registry.js";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { runRules } from "./engine.js";
import { youngRelease } from "./young-release.js";

const fixture = (name: string) => fixturePath(import.meta.url, "registry", name);

describe("AIW-AGE-001 young-release", () => {
  it("flags an AI package published 35 hours before the scan as high, with its lock line and the previous aged release", async () => {
    // Real recordings: @anthropic-ai/sdk 1.12.0 was published 2026-11-20T16:18:54Z according to the registry.
    const { context } = await contextWithRegistry(fixture("npm-young"), { answers: answersFrom("npmjs"), now: "2026-11-22T04:00:00Z" });
    const { findings, errors } = runRules([youngRelease], context);
    assert.deepEqual(errors, []);
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.ruleId, "AIW-AGE-001");
    assert.equal(finding?.severity, "high");
    assert.equal(finding?.file, "package-lock.json");
    assert.equal(finding?.line, 15);
    assert.equal(finding?.message, "@anthropic-ai/sdk 1.12.0 was published 35 hours before this scan (2026-11-20 16:18 UTC); a 7-day cooldown keeps releases that young out, as it would have kept out the 40-minute litellm compromise.");
    assert.match(finding?.fix ?? "", /^Lock @anthropic-ai\/sdk \d+\.\d+\.\d+ \(the newest release older than 7 days\) until 2026-11-27 16:18 UTC/);
    assert.match(finding?.fix ?? "", /min-release-age=7/);
    assert.deepEqual(finding?.paths, [["root", "@anthropic-ai/sdk"]]);
    const [draft] = youngRelease.check(context);
    assert.deepEqual(draft?.key, [".", "@anthropic-ai/sdk@1.12.0"]);
  });

  it("checks every package with scope \"all\" and honours minimumDays (a 15-day-old utility is medium)", async () => {
    const { context } = await contextWithRegistry(fixture("npm-young"), {
      answers: answersFrom("npmjs"),
      config: { releaseAge: { minimumDays: 20, scope: "all" } } as never,
    });
    const findings = runRules([youngRelease], context).findings.map((f) => [f.package?.name, f.severity, f.message.split(";")[0]]);
    assert.deepEqual(findings, [
      ["@anthropic-ai/sdk", "high", "@anthropic-ai/sdk 1.12.0 was published 35 hours before this scan (2026-11-20 16:18 UTC)"],
      ["@ctrl/tinycolor", "medium", "@ctrl/tinycolor 4.3.0 was published 14 days before this scan (2026-11-07 05:10 UTC)"],
    ]);
  });

  it("flags litellm 1.82.8 three hours after its release, with uv's exclude-newer as the fix", async () => {
    const { context } = await contextWithRegistry(fixture("uv-litellm"), { answers: answersFrom("pypi-2026-03-24"), now: "2026-03-24T13:52:19Z" });
    const findings = runRules([youngRelease], context).findings;
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.severity, "high");
    assert.equal(finding?.file, "uv.lock");
    assert.equal(finding?.line, 42);
    assert.equal(finding?.message, "litellm 1.82.8 was published 3 hours before this scan (2026-03-24 10:52 UTC); a 7-day cooldown keeps releases that young out, as it would have kept out the 40-minute litellm compromise.");
    assert.deepEqual(finding?.paths, [["root", "dspy", "litellm"]]);
    // No release was older than 7 days and newer than the rest: hold it back.
    assert.match(finding?.fix ?? "", /^Hold litellm 1\.82\.8 back until 2026-03-31 10:52 UTC/);
    assert.match(finding?.fix ?? "", /exclude-newer = "7 days"/);
  });

  it("stays silent for releases older than the cooldown, and without registry facts", async () => {
    const { context } = await contextWithRegistry(fixture("npm-app"), { answers: answersFrom("npmjs") });
    assert.deepEqual(runRules([youngRelease], context).findings, []);
    assert.deepEqual(youngRelease.check(await contextFor(fixture("npm-young"))), []);
    const offline = await contextWithRegistry(fixture("npm-young"), { answers: answersFrom("npmjs"), offline: true });
    assert.deepEqual(runRules([youngRelease], offline.context).findings, []);
  });

  it("ignores a publish time after the scan (a clock or mirror problem, not a young release)", async () => {
    const { context } = await contextWithRegistry(fixture("npm-young"), { answers: answersFrom("npmjs"), now: "2026-11-20T00:00:00Z" });
    assert.deepEqual(runRules([youngRelease], context).findings.map((f) => f.package?.name), []);
  });
});
