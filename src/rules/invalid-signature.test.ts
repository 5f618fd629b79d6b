import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { registryKey } from "../sources/registry/types.js";
import { answersFrom, contextWithRegistry, editJson } from "../testing/registry.js";
import type { Answers } from "../testing/registry.js";
import { fixturePath } from "../testing/fixtures.js";
import { runRules } from "./engine.js";
import { invalidSignature } from "./invalid-signature.js";

const fixture = (name: string) => fixturePath(import.meta.url, "registry", name);

type Dist = { signatures?: Array<{ keyid: string; sig: string }> };

function editDist(answers: Answers, name: string, version: string, edit: (dist: Dist) => void): void {
  editJson(answers, `GET /${name}`, (doc) => {
    const versions = doc.versions as Record<string, { dist: Dist }>;
    edit((versions[version] as { dist: Dist }).dist);
  });
}

async function run(answers: Answers) {
  const { context, result } = await contextWithRegistry(fixture("npm-signed"), { answers });
  return { ...runRules([invalidSignature], context), result };
}

describe("AIW-SIGNATURE-001 invalid-signature", () => {
  it("verifies the real registry signatures of venv 0.2.0 and tool5 5.0.1 against npm's published keys", async () => {
    const { findings, result } = await run(answersFrom("npm-public"));
    assert.deepEqual(findings, []);
    for (const [name, version] of [["venv", "0.2.0"], ["tool5", "5.0.1"]] as const) {
      const facts = result.facts.packages.get(registryKey("npm", name))?.versions.get(version);
      assert.deepEqual(facts?.signature, { status: "verified", keyid: "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA" }, name);
    }
  });

  it("reports a signature that does not verify as critical", async () => {
    const answers = answersFrom("npm-public");
    editDist(answers, "venv", "0.2.0", (dist) => {
      const [signature] = dist.signatures ?? [];
      if (signature) signature.sig = signature.sig.replace("MEQCIAiofk9UL7", "MEQCIAiofk9UL8");
    });
    const { findings } = await run(answers);
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.ruleId, "AIW-SIGNATURE-001");
    assert.equal(finding?.severity, "critical");
    assert.equal(finding?.file, "package-lock.json");
    assert.equal(finding?.line, 20);
    assert.equal(finding?.message, "venv 0.2.0 cannot be trusted as published: its registry signature does not verify against registry.npmjs.org's key SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA.");
    assert.match(finding?.fix ?? "", /npm audit signatures/);
  });

  it("reports a version signed after its key expired, and one signed with an unknown key, as high", async () => {
    const answers = answersFrom("npm-public");
    // The old key expired 2025-01-29; a tool5 5.0.1 "published" after that with it is what npm rejects (EEXPIREDSIGNATUREKEY).
    editJson(answers, "GET /tool5", (doc) => {
      doc.time = { "5.0.1": "2025-02-01T00:00:00.000Z" };
    });
    editDist(answers, "venv", "0.2.0", (dist) => {
      const [signature] = dist.signatures ?? [];
      if (signature) signature.keyid = "SHA256:not-a-registry-key";
    });
    const { findings } = await run(answers);
    assert.deepEqual(findings.map((f) => [f.package?.name, f.severity, f.message]), [
      ["tool5", "high", "tool5 5.0.1 cannot be trusted as published: it is signed with registry.npmjs.org's key SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA, which had expired before the version was published."],
      ["venv", "high", "venv 0.2.0 cannot be trusted as published: it is signed with a key SHA256:not-a-registry-key that registry.npmjs.org does not publish."],
    ]);
  });

  it("reports a missing signature as medium when the registry publishes signing keys", async () => {
    const answers = answersFrom("npm-public");
    editDist(answers, "tool5", "5.0.1", (dist) => {
      delete dist.signatures;
    });
    const { findings } = await run(answers);
    assert.deepEqual(findings.map((f) => [f.package?.name, f.severity, f.message]), [
      ["tool5", "medium", "tool5 5.0.1 cannot be trusted as published: it carries no registry signature although registry.npmjs.org signs every version it serves."],
    ]);
    const [draft] = invalidSignature.check((await contextWithRegistry(fixture("npm-signed"), { answers })).context);
    assert.deepEqual(draft?.key, [".", "tool5@5.0.1", "missing"]);
  });

  it("stays silent when the registry publishes no keys (nothing to check against)", async () => {
    // The registry reachable here answers 404 for /-/npm/v1/keys and serves no dist.signatures (real recordings).
    const { context, result } = await contextWithRegistry(fixture("npm-app"), { answers: answersFrom("npmjs") });
    assert.deepEqual(runRules([invalidSignature], context).findings, []);
    assert.equal(result.facts.packages.get(registryKey("npm", "openai"))?.versions.get("6.21.0")?.signature?.status, "unchecked");
  });
});
