import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answersFrom, contextWithRegistry } from "../testing/registry.js";
import { fixturePath } from "../testing/fixtures.js";
import { runRules } from "./engine.js";
import { hashMismatch } from "./hash-mismatch.js";

const fixture = (name: string) => fixturePath(import.meta.url, "registry", name);

describe("AIW-HASH-004 hash-mismatch", () => {
  it("reports a lockfile whose sha512 integrity has one byte changed as critical", async () => {
    // npm-tampered is npm-app with one byte of is-number 7.0.0's integrity flipped; the registry's value is real.
    const { context } = await contextWithRegistry(fixture("npm-tampered"), { answers: answersFrom("npmjs") });
    const { findings, errors } = runRules([hashMismatch], context);
    assert.deepEqual(errors, []);
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.ruleId, "AIW-HASH-004");
    assert.equal(finding?.severity, "critical");
    assert.equal(finding?.file, "package-lock.json");
    assert.equal(finding?.line, 27);
    assert.equal(finding?.message, "is-number 7.0.0: the lockfile's sha512 sha512-41Cifkg6e8TylStdt…XYxxng== is not what the registry publishes for this version (sha512-41Cifkg6e8TylSpdt…XYxxng==), so the lockfile was edited or the artifact was replaced.");
    assert.match(finding?.fix ?? "", /git log -p -- package-lock\.json/);
    const [draft] = hashMismatch.check(context);
    assert.deepEqual(draft?.key, [".", "is-number@7.0.0", "sha512"]);
  });

  it("compares yarn classic's #sha1 fragment with the registry's shasum", async () => {
    const { context } = await contextWithRegistry(fixture("yarn-classic-sha1"), { answers: answersFrom("npmjs") });
    const findings = runRules([hashMismatch], context).findings;
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.severity, "critical");
    assert.equal(findings[0]?.file, "yarn.lock");
    assert.equal(findings[0]?.message, "is-number 7.0.0: the lockfile's sha1 7535345b896734d5f80c4d06c50955527a14f12c is not what the registry publishes for this version (7535345b896734d5f80c4d06c50955527a14f12b), so the lockfile was edited or the artifact was replaced.");
  });

  it("reports a uv.lock sha256 that is none of PyPI's file digests for the release", async () => {
    const { context } = await contextWithRegistry(fixture("uv-tampered"), { answers: answersFrom("pypi-now") });
    const findings = runRules([hashMismatch], context).findings;
    assert.deepEqual(findings.map((f) => [f.package?.name, f.severity, f.file, f.line]), [["httpx", "critical", "uv.lock", 33]]);
    assert.match(findings[0]?.message ?? "", /^httpx 0\.28\.1: the lockfile's sha256 d909fcccc110f8c7faf814ca…b8ba59ae is not what PyPI publishes for this version \(2 file digests, none of them this one\)/);
  });

  it("stays silent when the hashes match the registry's", async () => {
    for (const [folder, set] of [["npm-app", "npmjs"], ["uv-litellm", "pypi-2026-03-24"], ["npm-signed", "npm-public"]] as const) {
      const { context } = await contextWithRegistry(fixture(folder), { answers: answersFrom(set) });
      assert.deepEqual(runRules([hashMismatch], context).findings, [], folder);
    }
  });

  it("leaves versions the registry no longer serves to AIW-REGISTRY-001", async () => {
    const { context } = await contextWithRegistry(fixture("uv-tampered"), { answers: answersFrom("pypi-now") });
    assert.ok(!runRules([hashMismatch], context).findings.some((f) => f.package?.name === "litellm"));
  });
});
