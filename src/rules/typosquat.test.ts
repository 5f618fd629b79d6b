import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { describe, it } from "node:test";
import type { AiwardenConfig } from "../config/config.js";
import type { Ecosystem } from "../graph/package-node.js";
import { loadPopularNames, loadTyposquatFacts } from "../sources/popular.js";
import type { TyposquatFacts } from "../sources/popular.js";
import { contextFor } from "../testing/context.js";
import { fixturePath, realworldPath } from "../testing/fixtures.js";
import { runRules } from "./engine.js";
import type { ContextFacts, Finding, ScanContext } from "./rule.js";
import { typosquat } from "./typosquat.js";
import { matcherFor } from "./typosquat/matcher.js";

const fixture = (name: string) => fixturePath(import.meta.url, "typosquat", name);

/** The facts the enrich stage loads (null: no typosquat facts); `typosquats` rides along until ContextFacts declares it. */
function facts(typosquats: TyposquatFacts | null = loadTyposquatFacts()): ContextFacts {
  const all: ContextFacts & { typosquats?: TyposquatFacts } = { popular: loadPopularNames(), ...(typosquats ? { typosquats } : {}) };
  return all;
}

async function run(path: string, options: { config?: Partial<AiwardenConfig>; typosquats?: TyposquatFacts | null } = {}) {
  const context = await contextFor(path, { facts: facts(options.typosquats), ...(options.config ? { config: options.config } : {}) });
  const result = runRules([typosquat], context);
  assert.deepEqual(result.errors, []);
  return { ...result, context };
}

function byName(findings: Finding[]): Map<string, Finding> {
  return new Map(findings.map((f) => [f.package?.name ?? "", f]));
}

describe("AIW-SQUAT-001 typosquat: npm", () => {
  it("flags direct look-alikes of AI packages as critical, at their package.json line, naming the target and the edit", async () => {
    const { findings } = await run(fixture("npm-lookalikes"));
    const found = byName(findings);
    assert.deepEqual([...found.keys()].sort(), ["@anthropic/sdk", "@open-ai/openai", "anthropic-sdk", "lodahs", "open-ai", "openia"]);
    const cases: Array<[string, string, number, string]> = [
      ["openia", "critical", 12, "`openia` is one transposition away from the AI package `openai` (declared as a direct dependency): check that it is the package you meant."],
      ["anthropic-sdk", "critical", 9, "`anthropic-sdk` flattens the scoped name of the AI package `@anthropic-ai/sdk` (declared as a direct dependency): check that it is the package you meant."],
      ["@anthropic/sdk", "critical", 7, "`@anthropic/sdk` puts the name under the look-alike scope `@anthropic`, imitating the AI package `@anthropic-ai/sdk` (declared as a direct dependency): check that it is the package you meant."],
      ["@open-ai/openai", "critical", 8, "`@open-ai/openai` puts the name of the AI package `openai` under the look-alike scope `@open-ai` (declared as a direct dependency): check that it is the package you meant."],
      ["lodahs", "high", 10, "`lodahs` is one transposition away from the popular package `lodash` (declared as a direct dependency): check that it is the package you meant."],
    ];
    for (const [name, severity, line, message] of cases) {
      const finding = found.get(name);
      assert.ok(finding, name);
      assert.equal(finding.ruleId, "AIW-SQUAT-001");
      assert.equal(finding.severity, severity, name);
      assert.equal(finding.file, "package.json", name);
      assert.equal(finding.line, line, name);
      assert.equal(finding.message, message);
      assert.deepEqual(finding.paths, [["root", name]]);
      assert.ok(finding.fix.startsWith(`If you meant \``), name);
      assert.ok(finding.fix.includes(`replace \`${name}\` with it in package.json`), name);
    }
  });

  it("flags a transitive look-alike as high, at its lockfile entry, naming the package that pulls it in", async () => {
    const { findings } = await run(fixture("npm-lookalikes"));
    const finding = byName(findings).get("open-ai");
    assert.ok(finding);
    assert.equal(finding.severity, "high");
    assert.equal(finding.file, "package-lock.json");
    assert.equal(finding.line, 53);
    assert.equal(finding.message, "`open-ai` differs only in separators (`-`, `_`, `.`) from the AI package `openai` (pulled in by `report-kit`): check that it is the package you meant.");
    assert.deepEqual(finding.paths, [["root", "report-kit", "open-ai"]]);
    assert.match(finding.fix, /aiwarden why open-ai/);
  });

  it("keys a finding by project, ecosystem and name (no version, no line)", async () => {
    const context = await contextFor(fixture("npm-lookalikes"), { facts: facts() });
    const draft = typosquat.check(context).find((d) => d.package?.name === "openia");
    assert.deepEqual(draft?.key, [".", "npm", "openia"]);
    assert.equal(draft?.project, ".");
    assert.equal(draft?.package?.version, "4.0.1");
  });

  it("stays silent on the real packages: openai, @anthropic-ai/sdk, ai, lodash, react, preact", async () => {
    assert.deepEqual((await run(fixture("npm-clean"))).findings, []);
    const { findings } = await run(fixture("npm-lookalikes"));
    for (const real of ["openai", "@anthropic-ai/sdk", "react", "preact", "report-kit"]) assert.equal(byName(findings).has(real), false, real);
  });
});

describe("AIW-SQUAT-001 typosquat: PyPI", () => {
  it("flags litelm, lite_llm and anthropic-sdk against the AI catalog, at their pyproject.toml line", async () => {
    const { findings } = await run(fixture("pypi-lookalikes"));
    const found = byName(findings);
    assert.deepEqual([...found.keys()].sort(), ["anthropic-sdk", "lite-llm", "litelm", "pydnatic", "reqeusts"]);
    const cases: Array<[string, number, string]> = [
      ["litelm", 6, "`litelm` is one deleted character away from the AI package `litellm` (declared as a direct dependency): check that it is the package you meant."],
      ["lite-llm", 7, "`lite-llm` differs only in separators (`-`, `_`, `.`) from the AI package `litellm` (declared as a direct dependency): check that it is the package you meant."],
      ["anthropic-sdk", 8, "`anthropic-sdk` adds `-sdk` to the AI package `anthropic` (declared as a direct dependency): check that it is the package you meant."],
    ];
    for (const [name, line, message] of cases) {
      const finding = found.get(name);
      assert.ok(finding, name);
      assert.equal(finding.severity, "critical", name);
      assert.equal(finding.file, "pyproject.toml", name);
      assert.equal(finding.line, line, name);
      assert.equal(finding.message, message);
    }
  });

  it("ranks a transitive look-alike high, and critical inside an AI package's dependency tree", async () => {
    const found = byName((await run(fixture("pypi-lookalikes"))).findings);
    const plain = found.get("reqeusts");
    assert.equal(plain?.severity, "high");
    assert.equal(plain?.file, "uv.lock");
    assert.equal(plain?.line, 118);
    assert.equal(plain?.message, "`reqeusts` is one transposition away from the popular package `requests` (pulled in by `agent-tools`): check that it is the package you meant.");
    const underAi = found.get("pydnatic");
    assert.equal(underAi?.severity, "critical");
    assert.equal(underAi?.line, 112);
    assert.deepEqual(underAi?.paths, [["root", "anthropic", "pydnatic"]]);
    assert.match(underAi?.message ?? "", /^`pydnatic` is one transposition away from the popular package `pydantic` \(pulled in by `anthropic`\)/);
  });

  it("stays silent on openai, litellm, anthropic, requests, langchain-openai, and on the allowlisted patronus-api", async () => {
    assert.deepEqual((await run(fixture("pypi-clean"))).findings, []);
    const { findings } = await run(fixture("pypi-lookalikes"));
    for (const real of ["openai", "litellm", "anthropic", "patronus", "patronus-api", "httpx"]) assert.equal(byName(findings).has(real), false, real);
  });

  it("reports patronus-api when the bundled allowlist is left out (the allowlist is what keeps it quiet)", async () => {
    const { findings } = await run(fixture("pypi-lookalikes"), { typosquats: { ...loadTyposquatFacts(), allow: [] } });
    assert.match(byName(findings).get("patronus-api")?.message ?? "", /^`patronus-api` adds `-api` to the AI package `patronus` \(pulled in by `patronus`\)/);
  });
});

describe("AIW-SQUAT-001 typosquat: configuration and missing facts", () => {
  it("skips names listed in typosquats.allow (PyPI names compared normalised)", async () => {
    const { findings } = await run(fixture("pypi-lookalikes"), { config: { typosquats: { allow: ["Lite_LLM", "litelm"] } } });
    assert.deepEqual(findings.map((f) => f.package?.name).sort(), ["anthropic-sdk", "pydnatic", "reqeusts"]);
  });

  it("is silent without the popular names (source switched off)", async () => {
    const context = await contextFor(fixture("npm-lookalikes"));
    assert.deepEqual(typosquat.check(context), []);
  });

  it("still reports without the typosquat facts, at high severity (no AI knowledge, no allowlist)", async () => {
    const { findings } = await run(fixture("pypi-lookalikes"), { typosquats: null });
    const found = byName(findings);
    assert.equal(found.get("litelm")?.severity, "high");
    assert.match(found.get("litelm")?.message ?? "", /the popular package `litellm`/);
    assert.equal(found.has("patronus-api"), false, "patronus is not an AI name without the catalog facts, so no affix match");
  });
});

describe("AIW-SQUAT-001 typosquat: the bundled allowlist", () => {
  it("holds only pairs the matcher would otherwise report (no stale entries)", () => {
    const popular = loadPopularNames();
    const { ai, allow } = loadTyposquatFacts();
    assert.ok(allow.length > 0);
    for (const entry of allow) {
      const targets = matcherFor(entry.ecosystem, popular[entry.ecosystem], ai[entry.ecosystem]).match(entry.name).map((m) => m.target);
      assert.ok(targets.includes(entry.target), `${entry.ecosystem}:${entry.name} no longer looks like ${entry.target} (${targets.join(", ") || "no match"})`);
      assert.ok(entry.reason.length >= 30, `${entry.name}: give a real reason`);
    }
  });
});

/** Every project of every folder in fixtures/realworld, as contexts. */
async function realworldContexts(): Promise<ScanContext[]> {
  const root = realworldPath();
  const folders = readdirSync(root).filter((name) => statSync(realworldPath(name)).isDirectory()).sort();
  return Promise.all(folders.map((folder) => contextFor(realworldPath(folder), { facts: facts() })));
}

/** Package names by how many packages depend on them (in-degree summed over every graph), most depended-upon first. */
function mostDependedUpon(contexts: ScanContext[], ecosystem: Ecosystem, limit: number): string[] {
  const inDegree = new Map<string, number>();
  for (const context of contexts) {
    for (const project of context.projects) {
      if (project.ecosystem !== ecosystem) continue;
      for (const node of project.graph.packages()) {
        if (node.workspace) continue;
        inDegree.set(node.name, (inDegree.get(node.name) ?? 0) + project.graph.dependentsOf(node.id).length);
      }
    }
  }
  return [...inDegree].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit).map(([name]) => name);
}

describe("AIW-SQUAT-001 typosquat: precision on the real-world corpus", () => {
  it("flags none of the 500 most depended-upon names per ecosystem, and nothing at all in fixtures/realworld", async () => {
    const contexts = await realworldContexts();
    const popular = loadPopularNames();
    const { ai, allow } = loadTyposquatFacts();
    for (const ecosystem of ["npm", "pypi"] as const) {
      const names = mostDependedUpon(contexts, ecosystem, 500);
      assert.ok(names.length >= (ecosystem === "npm" ? 500 : 300), `${ecosystem}: only ${names.length} names in the corpus`);
      const allowed = new Set(allow.filter((a) => a.ecosystem === ecosystem).map((a) => `${a.name}\u0000${a.target}`));
      const matcher = matcherFor(ecosystem, popular[ecosystem], ai[ecosystem]);
      const flagged = names.filter((name) => matcher.match(name).some((m) => !allowed.has(`${name}\u0000${m.target}`)));
      assert.deepEqual(flagged, [], `${ecosystem}: most depended-upon names reported as look-alikes`);
    }
    const findings = contexts.flatMap((context) => runRules([typosquat], context).findings);
    assert.deepEqual(findings.map((f) => `${f.package?.name}: ${f.message}`), []);
  });
});
