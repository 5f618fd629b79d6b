import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadBlocklist } from "../sources/blocklist.js";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { runRules } from "./engine.js";
import { knownCompromised } from "./known-compromised.js";

const fixture = (...name: string[]) => fixturePath(import.meta.url, "known-compromised", ...name);
const userBlocklist = (name: string) => fixturePath(import.meta.url, "..", "..", "sources", "fixtures", "blocklist", name);

async function run(folder: string, userPaths: string[] = []) {
  const { blocklist, files } = await loadBlocklist(userPaths);
  const context = await contextFor(fixture(folder), { facts: { blocklist } });
  return { ...runRules([knownCompromised], context), files };
}

describe("AIW-BLOCK-001 known-compromised", () => {
  it("flags litellm 1.82.8 locked in uv.lock as critical, naming MAL-2026-2144, with the why-path", async () => {
    const { findings, errors } = await run("uv-litellm");
    assert.deepEqual(errors, []);
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.ok(finding);
    assert.equal(finding.ruleId, "AIW-BLOCK-001");
    assert.equal(finding.severity, "critical");
    assert.equal(finding.file, "uv.lock");
    assert.equal(finding.line, 36);
    assert.equal(finding.message, "litellm 1.82.8 is a known-compromised release (MAL-2026-2144 (PYSEC-2026-2, GHSA-92x9-889m-jgmw)): Malicious code in litellm (PyPI).");
    assert.deepEqual(finding.paths, [["root", "dspy", "litellm"]]);
    assert.deepEqual(finding.package, { ecosystem: "pypi", name: "litellm", version: "1.82.8", purl: "pkg:pypi/litellm@1.82.8" });
    // Indirect: excluded through uv's constraints, then every reachable credential rotated.
    assert.match(finding.fix, /constraint-dependencies = \["litellm!=1\.82\.7,!=1\.82\.8"\]/);
    assert.match(finding.fix, /uv lock --upgrade-package litellm/);
    assert.match(finding.fix, /rotate every credential .*LLM provider API keys/);
  });

  it("uses the key project + name@version, stable across line moves", async () => {
    const { blocklist } = await loadBlocklist([]);
    const context = await contextFor(fixture("uv-litellm"), { facts: { blocklist } });
    const [draft] = knownCompromised.check(context);
    assert.deepEqual(draft?.key, [".", "litellm@1.82.8"]);
    assert.equal(draft?.project, ".");
  });

  it("stays silent for @ctrl/tinycolor 4.1.0 and flags 4.1.1 (exact versions, never the stale open range)", async () => {
    assert.deepEqual((await run("npm-tinycolor-4.1.0")).findings, []);
    const { findings } = await run("npm-tinycolor-4.1.1");
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.severity, "critical");
    assert.equal(finding?.file, "package-lock.json");
    assert.equal(finding?.line, 15);
    assert.match(finding?.message ?? "", /^@ctrl\/tinycolor 4\.1\.1 is a known-compromised release \(MAL-2025-47141 \(GHSA-qjqf-7j6f-82c4\)\)/);
    assert.deepEqual(finding?.paths, [["root", "@ctrl/tinycolor"]]);
    // Direct dependency: install a clean version directly.
    assert.match(finding?.fix ?? "", /npm install @ctrl\/tinycolor@<clean version>/);
  });

  it("adds the entries of a user blocklist file", async () => {
    assert.deepEqual((await run("npm-tinycolor-4.1.0")).findings, []);
    const { findings, files } = await run("npm-tinycolor-4.1.0", [userBlocklist("internal.json")]);
    assert.deepEqual(files.map((f) => f.status), ["ok"]);
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? "", /^is-number 7\.0\.0 is a known-compromised release \(ACME-2026-0001 \(ACME-SEC-17\)\): Internal mirror served a tampered is-number\.$/);
    assert.equal(findings[0]?.severity, "critical");
  });

  it("reports a broken user blocklist as failed and still checks against the rest", async () => {
    const { findings, files } = await run("npm-tinycolor-4.1.1", [userBlocklist("broken.json"), userBlocklist("internal.json")]);
    assert.deepEqual(files.map((f) => f.status), ["failed", "ok"]);
    assert.deepEqual(findings.map((f) => f.package?.name).sort(), ["@ctrl/tinycolor", "is-number"]);
  });

  it("matches a manifest-only project when the spec pins exactly the listed version, not a range", async () => {
    const { findings } = await run("manifest-pinned");
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.file, "package.json");
    assert.equal(finding?.line, 5);
    assert.match(finding?.message ?? "", /^axios 1\.14\.1 pinned by the manifest is a known-compromised release \(MAL-2026-2307\)/);
    assert.match(finding?.fix ?? "", /Change the pin of axios in package\.json/);
  });

  it("does nothing without a blocklist fact", async () => {
    const context = await contextFor(fixture("uv-litellm"));
    assert.deepEqual(knownCompromised.check(context), []);
  });
});
