import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadBlocklist } from "../sources/blocklist.js";
import { createHttpClient } from "../sources/http/client.js";
import { loadAdvisories, lockedPackages } from "../sources/advisories.js";
import type { AdvisoryFacts, AdvisoryOptions } from "../sources/advisories.js";
import { contextFor } from "../testing/context.js";
import { fixturePath, repoRoot } from "../testing/fixtures.js";
import { startReplayServer } from "../testing/replay-server.js";
import type { ReplayServer } from "../testing/replay-server.js";
import { runRules } from "./engine.js";
import { knownCompromised } from "./known-compromised.js";
import { maliciousPackage } from "./malicious-package.js";
import type { ContextFacts } from "./rule.js";

const fixture = (name: string) => fixturePath(import.meta.url, "advisories", name);
const sources = join(repoRoot, "src", "sources", "fixtures");
const osvDb = join(sources, "osv", "db");

async function advisoriesFor(name: string, options: Omit<AdvisoryOptions, "sources">): Promise<AdvisoryFacts> {
  const bare = await contextFor(fixture(name));
  const packages = lockedPackages(bare.projects.map((p) => ({ ecosystem: p.ecosystem, graph: p.graph })));
  return (await loadAdvisories(packages, { sources: { osv: true, npmAdvisories: true }, ...options })).facts;
}

/** Runs the rule with advisory facts (and optionally the shipped blocklist, as a real scan has it). */
async function run(name: string, options: Omit<AdvisoryOptions, "sources">, withBlocklist = false) {
  const advisories = await advisoriesFor(name, options);
  const facts = { advisories, ...(withBlocklist ? { blocklist: (await loadBlocklist([])).blocklist } : {}) } as ContextFacts & { advisories: AdvisoryFacts };
  return runRules([maliciousPackage, knownCompromised], await contextFor(fixture(name), { facts }));
}

describe("AIW-MALWARE-001 malicious-package (offline OSV database)", () => {
  it("flags litellm 1.82.8 as critical, naming MAL-2026-2144, with the chain and a rotation fix", async () => {
    const { findings, errors } = await run("uv-litellm", { osvDb });
    assert.deepEqual(errors, []);
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.ruleId, "AIW-MALWARE-001");
    assert.equal(finding?.severity, "critical");
    assert.equal(finding?.file, "uv.lock");
    assert.equal(finding?.line, 36);
    assert.equal(finding?.message, "litellm 1.82.8 is a known malicious release (MAL-2026-2144 (PYSEC-2026-2)): Malicious code in litellm (PyPI); reported by the OSV database; pulled in by root > dspy > litellm.");
    assert.match(finding?.fix ?? "", /^Move litellm off 1\.82\.8 to a release the report does not list \(https:\/\/osv\.dev\/vulnerability\/MAL-2026-2144\): `constraint-dependencies = \["litellm!=1\.82\.8"\]` under \[tool\.uv\], then `uv lock --upgrade-package litellm`; then treat every machine/);
    assert.match(finding?.fix ?? "", /rotate every credential its environment could read \(LLM provider API keys/);
    assert.deepEqual(finding?.paths, [["root", "dspy", "litellm"]]);
  });

  it("@ctrl/tinycolor 4.1.0 has no malicious finding; 4.1.1 has one (MAL-2025-47141's stale open range ignored)", async () => {
    assert.deepEqual((await run("npm-openai-axios", { osvDb })).findings, []);
    const { findings } = await run("npm-tinycolor-4.1.1", { osvDb });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.line, 15);
    assert.equal(findings[0]?.message, "@ctrl/tinycolor 4.1.1 is a known malicious release (MAL-2025-47141 (GHSA-qjqf-7j6f-82c4)): Malicious code in @ctrl/tinycolor (npm); reported by the OSV database.");
    assert.match(findings[0]?.fix ?? "", /`npm install @ctrl\/tinycolor@<clean version>`/);
  });

  it("flags @mistralai/mistralai 2.2.3 (explicit versions beside a stale open range)", async () => {
    const { findings } = await run("npm-mistral", { osvDb });
    assert.deepEqual(findings.map((f) => [f.ruleId, f.severity, f.package?.name, f.package?.version, f.line]), [["AIW-MALWARE-001", "critical", "@mistralai/mistralai", "2.2.3", 14]]);
    assert.match(findings[0]?.message ?? "", /\(MAL-2026-3432 \(GHSA-3q49-cfcf-g5fm\)\): Malicious code in @mistralai\/mistralai \(npm\)/);
  });

  it("leaves a version the shipped blocklist already lists under the same id to AIW-BLOCK-001: one finding, not two", async () => {
    const { findings } = await run("uv-litellm", { osvDb }, true);
    assert.deepEqual(findings.map((f) => f.ruleId), ["AIW-BLOCK-001"]);
    assert.match(findings[0]?.message ?? "", /MAL-2026-2144/);
  });

  it("keys findings by project and name@version", async () => {
    const advisories = await advisoriesFor("uv-litellm", { osvDb });
    const drafts = maliciousPackage.check(await contextFor(fixture("uv-litellm"), { facts: { advisories } as ContextFacts & { advisories: AdvisoryFacts } }));
    assert.deepEqual(drafts.map((d) => d.key), [[".", "litellm@1.82.8"]]);
  });

  it("does nothing without advisory facts, and nothing for plain vulnerabilities", async () => {
    assert.deepEqual(maliciousPackage.check(await contextFor(fixture("uv-litellm"))), []);
    assert.deepEqual((await run("pip-langchain-0.1.10", { osvDb })).findings, []);
  });
});

describe("AIW-MALWARE-001 malicious-package (OSV API, replayed)", () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer(join(sources, "replay"));
  });
  after(() => server.close());
  const online = () => ({ http: createHttpClient({ cacheDir: false, env: {} }), osvApi: server.url, npmRegistry: server.url });

  it("names MAL-2026-2144 for litellm 1.82.8", async () => {
    const { findings } = await run("uv-litellm", online());
    assert.deepEqual(findings.map((f) => [f.ruleId, f.severity]), [["AIW-MALWARE-001", "critical"]]);
    assert.match(findings[0]?.message ?? "", /^litellm 1\.82\.8 is a known malicious release \(MAL-2026-2144 \(PYSEC-2026-2\)\): .*; reported by OSV; pulled in by root > dspy > litellm\.$/);
  });

  it("drops the API's stale-range answer for @ctrl/tinycolor 4.1.0 and flags 4.1.1", async () => {
    assert.deepEqual((await run("npm-openai-axios", online())).findings, []);
    assert.deepEqual((await run("npm-tinycolor-4.1.1", online())).findings.map((f) => f.package?.version), ["4.1.1"]);
  });
});
