import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answersFrom, contextWithRegistry, editJson } from "../testing/registry.js";
import type { Answers } from "../testing/registry.js";
import { fixturePath } from "../testing/fixtures.js";
import { runRules } from "./engine.js";
import { provenanceDowngrade } from "./provenance-downgrade.js";

const fixture = (name: string) => fixturePath(import.meta.url, "registry", name);

const PROVENANCE = (name: string, version: string) => ({
  url: `https://registry.npmjs.org/-/npm/v1/attestations/${name}@${version}`,
  provenance: { predicateType: "https://slsa.dev/provenance/v1" },
});

/**
 * Adds `dist.attestations` (the documented shape) to every version of a recorded packument except `without`:
 * the registry reachable here does not serve attestations, so the case is derived from the real version history.
 */
function withProvenance(answers: Answers, name: string, without: readonly string[]): void {
  editJson(answers, `GET /${name.replace("/", "%2f")}`, (doc) => {
    for (const [version, manifest] of Object.entries(doc.versions as Record<string, { dist: Record<string, unknown> }>)) {
      if (!without.includes(version)) manifest.dist.attestations = PROVENANCE(name, version);
    }
  });
}

describe("AIW-PROVENANCE-001 provenance-downgrade", () => {
  it("reports an AI package whose locked version lost the provenance its predecessor had as critical", async () => {
    const answers = answersFrom("npmjs");
    withProvenance(answers, "openai", ["6.21.0"]);
    const { context } = await contextWithRegistry(fixture("npm-app"), { answers });
    const { findings, errors } = runRules([provenanceDowngrade], context);
    assert.deepEqual(errors, []);
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.ruleId, "AIW-PROVENANCE-001");
    assert.equal(finding?.severity, "critical");
    assert.equal(finding?.file, "package-lock.json");
    assert.equal(finding?.line, 32);
    assert.match(finding?.message ?? "", /^openai 6\.21\.0 has no provenance attestation, but 6\.\d+\.\d+, published just before it, was built and published from CI with provenance\.$/);
    assert.match(finding?.fix ?? "", /^Lock openai 6\.\d+\.\d+ \(the last release with provenance\)/);
    const [draft] = provenanceDowngrade.check(context);
    assert.deepEqual(draft?.key, [".", "openai@6.21.0"]);
  });

  it("reports a utility package as high", async () => {
    const answers = answersFrom("npmjs");
    withProvenance(answers, "@ctrl/tinycolor", ["4.1.0"]);
    const { context } = await contextWithRegistry(fixture("npm-app"), { answers });
    assert.deepEqual(runRules([provenanceDowngrade], context).findings.map((f) => [f.package?.name, f.severity]), [["@ctrl/tinycolor", "high"]]);
  });

  it("stays silent when the locked version has provenance, when the predecessor had none, and without attestations", async () => {
    const withAll = answersFrom("npmjs");
    withProvenance(withAll, "openai", []);
    assert.deepEqual(runRules([provenanceDowngrade], (await contextWithRegistry(fixture("npm-app"), { answers: withAll })).context).findings, []);
    // Only an old release had provenance: the version published just before the locked one had none.
    const old = answersFrom("npmjs");
    editJson(old, "GET /openai", (doc) => {
      const versions = doc.versions as Record<string, { dist: Record<string, unknown> }>;
      (versions["4.0.0"] as { dist: Record<string, unknown> }).dist.attestations = PROVENANCE("openai", "4.0.0");
    });
    assert.deepEqual(runRules([provenanceDowngrade], (await contextWithRegistry(fixture("npm-app"), { answers: old })).context).findings, []);
    assert.deepEqual(runRules([provenanceDowngrade], (await contextWithRegistry(fixture("npm-app"), { answers: answersFrom("npmjs") })).context).findings, []);
  });
});
