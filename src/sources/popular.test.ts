import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadCatalog } from "../catalog/catalog.js";
import { normalizeName } from "../graph/names.js";
import { repoRoot } from "../testing/fixtures.js";
import { loadPopularNames, loadTyposquatFacts, parseAllowlist, parsePopularNames } from "./popular.js";

describe("bundled popular names", () => {
  const names = loadPopularNames();

  it("lists a few thousand names per ecosystem, in a file under 300 KB, loaded once", () => {
    for (const ecosystem of ["npm", "pypi"] as const) {
      assert.ok(names[ecosystem].length >= 2000 && names[ecosystem].length <= 8000, `${ecosystem}: ${names[ecosystem].length}`);
      assert.equal(new Set(names[ecosystem]).size, names[ecosystem].length, `${ecosystem}: duplicates`);
    }
    assert.ok(statSync(join(repoRoot, "data", "popular-packages.json")).size < 300_000);
    assert.equal(loadPopularNames(), names);
  });

  it("is ordered most popular first", () => {
    assert.ok(names.npm.indexOf("react") < 500, "react near the top of npm");
    assert.ok(names.pypi.indexOf("requests") < 20, "requests near the top of PyPI");
    assert.ok(names.npm.indexOf("react") < names.npm.indexOf("preact"));
  });

  it("writes PyPI names PEP 503-normalised", () => {
    const raw = JSON.parse(readFileSync(join(repoRoot, "data", "popular-packages.json"), "utf8")) as { pypi: string[] };
    assert.deepEqual(raw.pypi.filter((n) => normalizeName("pypi", n) !== n), []);
  });

  it("includes every package name of the AI catalog", () => {
    const missing = loadCatalog().entries().filter((e) => !names[e.ecosystem].includes(normalizeName(e.ecosystem, e.name)));
    assert.deepEqual(missing.map((e) => `${e.ecosystem}:${e.name}`), []);
  });
});

describe("typosquat facts", () => {
  it("marks the popular names that are AI packages, by catalog name or pattern", () => {
    const { ai } = loadTyposquatFacts();
    for (const name of ["openai", "@anthropic-ai/sdk", "@langchain/core"]) assert.ok(ai.npm.has(name), name);
    for (const name of ["openai", "litellm", "anthropic", "langchain-openai"]) assert.ok(ai.pypi.has(name), name);
    assert.equal(ai.npm.has("react"), false);
    assert.equal(ai.pypi.has("requests"), false);
    assert.equal(loadTyposquatFacts(), loadTyposquatFacts());
  });

  it("reads the bundled allowlist with normalised names and a reason for each", () => {
    const { allow } = loadTyposquatFacts();
    assert.ok(allow.some((a) => a.ecosystem === "pypi" && a.name === "patronus-api" && a.target === "patronus"));
    for (const entry of allow) assert.ok(entry.reason.length > 0);
  });
});

describe("document checks", () => {
  it("normalises and dedupes names", () => {
    assert.deepEqual(parsePopularNames({ npm: ["react", "react"], pypi: ["Lite_LLM", "lite-llm", "requests"] }, "t"), { npm: ["react"], pypi: ["lite-llm", "requests"] });
  });

  it("rejects malformed documents, naming the source", () => {
    assert.throws(() => parsePopularNames([], "x.json"), /^Error: x\.json: expected an object/);
    assert.throws(() => parsePopularNames({ npm: ["a"], pypi: [1] }, "x.json"), /x\.json: "pypi" must be a list of package names/);
    assert.throws(() => parseAllowlist({}, "a.json"), /a\.json: expected an object with a "lookalikes" list/);
    assert.throws(() => parseAllowlist({ lookalikes: [{ ecosystem: "npm", name: "x", target: "y", reason: " " }] }, "a.json"), /a\.json: \/lookalikes\/0 needs/);
    assert.deepEqual(parseAllowlist({ lookalikes: [{ ecosystem: "pypi", name: "Lite_LLM", target: "LiteLLM", reason: "r" }] }, "a.json"),
      [{ ecosystem: "pypi", name: "lite-llm", target: "litellm", reason: "r" }]);
  });
});

describe("typosquat facts with the scan's catalog", () => {
  it("counts a catalog addition as AI when the caller passes its catalog", () => {
    const base = loadCatalog();
    const withAddition = { has: (ecosystem: "npm" | "pypi", name: string) => base.has(ecosystem, name) || (ecosystem === "npm" && name === "lodash") };
    assert.equal(loadTyposquatFacts().ai.npm.has("lodash"), false);
    assert.equal(loadTyposquatFacts(withAddition).ai.npm.has("lodash"), true);
    assert.equal(loadTyposquatFacts(withAddition).allow, loadTyposquatFacts().allow, "the allowlist is read once");
  });
});
