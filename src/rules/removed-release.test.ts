import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answersFrom, contextWithRegistry, editJson } from "../testing/registry.js";
import { fixturePath } from "../testing/fixtures.js";
import { runRules } from "./engine.js";
import { removedRelease } from "./removed-release.js";

const fixture = (name: string) => fixturePath(import.meta.url, "registry", name);

describe("AIW-REGISTRY-001 removed-release", () => {
  it("reports npm's security placeholder as critical, a removed version and a vanished package as high", async () => {
    // Real recordings: npm serves @ctrl/tinycolor without 4.1.1, crossenv only as 0.0.2-security, flatmap-stream empty.
    const { context } = await contextWithRegistry(fixture("npm-removed"), { answers: answersFrom("npmjs") });
    const { findings, errors } = runRules([removedRelease], context);
    assert.deepEqual(errors, []);
    const byName = new Map(findings.map((f) => [f.package?.name, f]));
    assert.deepEqual([...byName.keys()].sort(), ["@ctrl/tinycolor", "crossenv", "flatmap-stream"]);
    const holder = byName.get("crossenv");
    assert.equal(holder?.severity, "critical");
    assert.equal(holder?.file, "package-lock.json");
    assert.equal(holder?.line, 22);
    assert.equal(holder?.message, "crossenv 6.1.1 is no longer on npm: the registry replaced crossenv with its security placeholder 0.0.2-security, which is what npm does with malware.");
    assert.match(holder?.fix ?? "", /treat every machine and CI runner that installed crossenv 6\.1\.1 as compromised/);
    const version = byName.get("@ctrl/tinycolor");
    assert.equal(version?.severity, "high");
    assert.equal(version?.line, 17);
    assert.equal(version?.message, "@ctrl/tinycolor 4.1.1 is no longer served by npm: the version was removed while the package remains (registries remove versions that are malicious or broken).");
    const gone = byName.get("flatmap-stream");
    assert.equal(gone?.severity, "high");
    assert.equal(gone?.message, "flatmap-stream 0.1.1 is no longer served by npm: the whole package is gone (removed, quarantined or never published there).");
    const [draft] = removedRelease.check(context).filter((d) => d.package?.name === "crossenv");
    assert.deepEqual(draft?.key, [".", "crossenv@6.1.1", "security-holder"]);
  });

  it("says when and that a package was unpublished when the packument records it (time.unpublished)", async () => {
    const answers = answersFrom("npmjs");
    editJson(answers, "GET /flatmap-stream", (doc) => {
      doc.time = { created: "2018-09-05T17:39:41.016Z", unpublished: { time: "2018-11-26T19:38:05.466Z", versions: ["0.1.0", "0.1.1", "0.1.2"] } };
    });
    const { context } = await contextWithRegistry(fixture("npm-removed"), { answers });
    const gone = runRules([removedRelease], context).findings.find((f) => f.package?.name === "flatmap-stream");
    assert.equal(gone?.message, "flatmap-stream 0.1.1 is no longer served by npm: the whole package is gone (unpublished on 2018-11-26 19:38 UTC).");
  });

  it("reports litellm 1.82.8, deleted from PyPI, as high", async () => {
    const { context } = await contextWithRegistry(fixture("uv-litellm"), { answers: answersFrom("pypi-now") });
    const findings = runRules([removedRelease], context).findings;
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.severity, "high");
    assert.equal(findings[0]?.file, "uv.lock");
    assert.equal(findings[0]?.line, 42);
    assert.equal(findings[0]?.message, "litellm 1.82.8 is no longer served by PyPI: the version was removed while the package remains (registries remove versions that are malicious or broken).");
    assert.deepEqual(findings[0]?.paths, [["root", "dspy", "litellm"]]);
  });

  it("reports a yanked PyPI release as high with the yank reason", async () => {
    const { context } = await contextWithRegistry(fixture("pip-yanked"), { answers: answersFrom("pypi-now") });
    const findings = runRules([removedRelease], context).findings;
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.severity, "high");
    assert.equal(findings[0]?.file, "requirements.txt");
    assert.equal(findings[0]?.line, 2);
    assert.equal(findings[0]?.message, "requests 2.32.0 is yanked on PyPI: \"Yanked due to conflicts with CVE-2024-35195 mitigation\".");
    assert.match(findings[0]?.fix ?? "", /requests!=2\.32\.0/);
  });

  it("reports a deprecated npm version as low, medium for an AI package", async () => {
    const answers = answersFrom("npmjs");
    const deprecate = (key: string, version: string, message: string) => editJson(answers, key, (doc) => {
      ((doc.versions as Record<string, Record<string, unknown>>)[version] as Record<string, unknown>).deprecated = message;
    });
    deprecate("GET /is-number", "7.0.0", "Use Number.isFinite");
    deprecate("GET /openai", "6.21.0", "This version has a bug in streaming;\nupgrade to 6.22.0");
    const { context } = await contextWithRegistry(fixture("npm-app"), { answers });
    const findings = runRules([removedRelease], context).findings.map((f) => [f.package?.name, f.severity, f.message]);
    assert.deepEqual(findings, [
      ["openai", "medium", "openai 6.21.0 is deprecated on npm: \"This version has a bug in streaming; upgrade to 6.22.0\"."],
      ["is-number", "low", "is-number 7.0.0 is deprecated on npm: \"Use Number.isFinite\"."],
    ]);
  });

  it("stays silent when every locked version is served, and for packages resolved from another registry", async () => {
    const { context } = await contextWithRegistry(fixture("npm-app"), { answers: answersFrom("npmjs") });
    assert.deepEqual(runRules([removedRelease], context).findings, []);
    const lit = await contextWithRegistry(fixture("uv-litellm"), { answers: answersFrom("pypi-2026-03-24"), now: "2026-03-24T13:52:19Z" });
    assert.deepEqual(runRules([removedRelease], lit.context).findings, []);
  });
});
