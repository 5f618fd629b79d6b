import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { normalizeName } from "../graph/names.js";
import type { Ecosystem } from "../graph/package-node.js";
import { realworldPath, repoRoot } from "../testing/fixtures.js";
import { AI_CATEGORIES, BUNDLED_SOURCE, Catalog, loadCatalog, validateAdditions, validateDocument } from "./catalog.js";
import type { AiCategory, CatalogDocument } from "./catalog.js";

function shippedDocument(): CatalogDocument {
  return JSON.parse(readFileSync(join(repoRoot, "data", "ai-catalog.json"), "utf8")) as CatalogDocument;
}

/** Package names of a uv.lock / poetry.lock, by a plain line scan for `name = "…"` at the start of a line. */
function lockfileNames(text: string): string[] {
  const prefix = 'name = "';
  return text
    .split("\n")
    .filter((line) => line.startsWith(prefix) && line.trimEnd().endsWith('"'))
    .map((line) => line.trimEnd().slice(prefix.length, -1));
}

describe("shipped catalog", () => {
  const doc = shippedDocument();

  it("validates against its schema", () => {
    assert.deepEqual(validateDocument(doc), []);
    assert.doesNotThrow(() => loadCatalog());
    assert.equal(loadCatalog(), loadCatalog(), "read once, then cached");
    // Built without validating (the check above is what guards the shipped file): the same catalog as validated.
    assert.deepEqual(loadCatalog(), Catalog.fromDocument(doc, BUNDLED_SOURCE));
  });

  it("covers both ecosystems broadly and uses every category", () => {
    const npm = doc.packages.filter((p) => p.ecosystem === "npm");
    const pypi = doc.packages.filter((p) => p.ecosystem === "pypi");
    assert.ok(doc.packages.length >= 150, `only ${doc.packages.length} packages`);
    assert.ok(npm.length >= 60, `only ${npm.length} npm packages`);
    assert.ok(pypi.length >= 60, `only ${pypi.length} PyPI packages`);
    const used = new Set<AiCategory>(doc.packages.map((p) => p.category));
    assert.deepEqual(AI_CATEGORIES.filter((c) => !used.has(c)), []);
    for (const ecosystem of ["npm", "pypi"] as const) {
      const usedHere = new Set(doc.packages.filter((p) => p.ecosystem === ecosystem).map((p) => p.category));
      assert.deepEqual(AI_CATEGORIES.filter((c) => !usedHere.has(c)), [], `${ecosystem} lacks categories`);
    }
  });

  it("has no duplicate (ecosystem, name) or (ecosystem, pattern)", () => {
    const names = doc.packages.map((p) => `${p.ecosystem}:${p.name}`);
    assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
    const patterns = doc.patterns.map((p) => `${p.ecosystem}:${p.pattern}`);
    assert.deepEqual(patterns.filter((n, i) => patterns.indexOf(n) !== i), []);
  });

  it("writes PyPI names and patterns PEP 503-normalised", () => {
    const bad = doc.packages.filter((p) => p.ecosystem === "pypi" && normalizeName("pypi", p.name) !== p.name);
    assert.deepEqual(bad.map((p) => p.name), []);
    const badPatterns = doc.patterns
      .filter((p) => p.ecosystem === "pypi")
      .filter((p) => normalizeName("pypi", p.pattern.replace("*", "x")) !== p.pattern.replace("*", "x"));
    assert.deepEqual(badPatterns.map((p) => p.pattern), []);
  });

  it("gives every pattern exactly one `*`, at the start or the end", () => {
    for (const { pattern } of doc.patterns) {
      assert.equal(pattern.split("*").length - 1, 1, pattern);
      assert.ok(pattern.startsWith("*") !== pattern.endsWith("*"), pattern);
    }
  });

  it("writes hosts as hostnames whose labels neither start nor end with a hyphen", () => {
    const all = [...doc.packages, ...doc.patterns].flatMap((e) => [...e.hosts, ...(e.regionalHosts ?? [])]);
    const labels = (host: string): string[] => host.replace("{region}", "r").split(".");
    const bad = all.filter((h) => labels(h).some((l) => l.startsWith("-") || l.endsWith("-")));
    assert.deepEqual(bad, []);
    assert.ok(all.includes("api.openai.com"));
  });

  it("lists the packages of the March 2026 incident context", () => {
    const catalog = loadCatalog();
    const cases: [Ecosystem, string, AiCategory][] = [
      ["pypi", "litellm", "gateway"],
      ["pypi", "telnyx", "llm-sdk"],
      ["npm", "telnyx", "llm-sdk"],
      ["pypi", "ultralytics", "local-inference"],
      ["pypi", "guardrails-ai", "guardrails"],
      ["npm", "@mistralai/mistralai", "llm-sdk"],
    ];
    for (const [ecosystem, name, category] of cases) {
      assert.equal(catalog.lookup(ecosystem, name)?.category, category, `${ecosystem}:${name}`);
    }
  });
});

describe("lookup", () => {
  const catalog = loadCatalog();

  // [title, ecosystem, name asked, category, name answered, pattern that matched (undefined: exact entry)]
  const cases: [string, Ecosystem, string, AiCategory, string, string | undefined][] = [
    ["exact npm", "npm", "openai", "llm-sdk", "openai", undefined],
    ["exact scoped npm", "npm", "@anthropic-ai/sdk", "llm-sdk", "@anthropic-ai/sdk", undefined],
    ["exact PyPI", "pypi", "qdrant-client", "vector-db", "qdrant-client", undefined],
    ["PyPI name normalised before lookup", "pypi", "LangChain_OpenAI", "llm-sdk", "langchain-openai", undefined],
    ["npm scope pattern", "npm", "@langchain/new-thing", "orchestration", "@langchain/new-thing", "@langchain/*"],
    ["exact beats pattern", "npm", "@langchain/mcp-adapters", "mcp", "@langchain/mcp-adapters", undefined],
    ["PyPI glob, normalised", "pypi", "llama_index.llms.OpenAI", "orchestration", "llama-index-llms-openai", "llama-index-*"],
    ["suffix pattern", "pypi", "chroma-haystack", "orchestration", "chroma-haystack", "*-haystack"],
    [
      "prefix pattern extending an exact name",
      "pypi",
      "opentelemetry-instrumentation-openai-v2",
      "observability",
      "opentelemetry-instrumentation-openai-v2",
      "opentelemetry-instrumentation-openai*",
    ],
  ];
  for (const [title, ecosystem, name, category, resolvedName, pattern] of cases) {
    it(title, () => {
      const hit = catalog.lookup(ecosystem, name);
      assert.ok(hit, `${name} not found`);
      assert.equal(hit.category, category);
      assert.equal(hit.matchedBy, pattern === undefined ? "name" : "pattern");
      assert.equal(hit.name, resolvedName);
      assert.equal(hit.pattern, pattern);
      assert.equal(hit.source, BUNDLED_SOURCE);
    });
  }

  it("does not confuse ecosystems", () => {
    assert.equal(catalog.lookup("pypi", "@anthropic-ai/sdk"), undefined);
    assert.equal(catalog.lookup("npm", "langchain-openai"), undefined);
  });

  it("needs at least one character where the `*` stands", () => {
    assert.equal(catalog.lookup("pypi", "langchain-"), undefined);
    assert.equal(catalog.lookup("npm", "-mcp"), undefined);
  });

  it("answers hosts and env vars, empty for unknown packages", () => {
    assert.ok(catalog.hostsFor("pypi", "litellm").includes("raw.githubusercontent.com"));
    assert.ok(catalog.envVarsFor("npm", "@anthropic-ai/sdk").includes("ANTHROPIC_API_KEY"));
    assert.ok(catalog.envVarsFor("pypi", "openai").includes("OPENAI_API_KEY"));
    assert.deepEqual(catalog.hostsFor("npm", "react"), []);
    assert.deepEqual(catalog.envVarsFor("npm", "react"), []);
    const bedrock = catalog.lookup("npm", "@aws-sdk/client-bedrock-runtime");
    assert.deepEqual(bedrock?.regionalHosts, ["bedrock-runtime.{region}.amazonaws.com"]);
  });

  it("lists entries and patterns sorted", () => {
    const doc = shippedDocument();
    const entries = catalog.entries();
    assert.equal(entries.length, doc.packages.length);
    const keys = entries.map((e) => `${e.ecosystem}:${e.name}`);
    assert.deepEqual(keys, [...keys].sort());
    assert.equal(catalog.patterns().length, doc.patterns.length);
  });

  const generic: [Ecosystem, string][] = [
    ["npm", "react"],
    ["npm", "lodash"],
    ["npm", "express"],
    ["npm", "axios"],
    ["npm", "zod"],
    ["npm", "@opentelemetry/api"],
    ["npm", "@aws-sdk/client-s3"],
    ["npm", "onnxruntime-node"],
    ["npm", "@tensorflow/tfjs"],
    ["pypi", "numpy"],
    ["pypi", "torch"],
    ["pypi", "tensorflow"],
    ["pypi", "scikit-learn"],
    ["pypi", "pandas"],
    ["pypi", "requests"],
    ["pypi", "boto3"],
    ["pypi", "pydantic"],
    ["pypi", "onnxruntime"],
    ["pypi", "accelerate"],
    ["pypi", "wandb"],
    ["pypi", "presidio-analyzer"],
    ["pypi", "mypy-boto3-bedrock-runtime"],
  ];
  for (const [ecosystem, name] of generic) {
    it(`leaves generic ${ecosystem} package ${name} out`, () => {
      assert.equal(catalog.lookup(ecosystem, name), undefined);
    });
  }
});

describe("catalog additions", () => {
  const base = loadCatalog();
  const source = "corp/.aiwarden.yml";
  const npmFacts = { ecosystem: "npm", provider: "Acme", hosts: [], env: [] } as const;

  it("adds packages and patterns and labels them with their source", () => {
    const catalog = base.withAdditions(
      [
        { ...npmFacts, name: "@acme/llm-client", category: "gateway", hosts: ["llm.acme.internal"], env: ["ACME_LLM_KEY"] },
        { ecosystem: "pypi", pattern: "acme-ai-*", category: "orchestration", provider: "Acme", hosts: [], env: [] },
      ],
      source,
    );
    const exact = catalog.lookup("npm", "@acme/llm-client");
    assert.equal(exact?.source, source);
    assert.deepEqual(exact?.hosts, ["llm.acme.internal"]);
    assert.equal(catalog.lookup("pypi", "Acme_AI.Agents")?.pattern, "acme-ai-*");
    assert.equal(catalog.lookup("npm", "openai")?.source, BUNDLED_SOURCE);
    assert.equal(base.lookup("npm", "@acme/llm-client"), undefined, "the base catalog is left unchanged");
  });

  it("keeps its own frozen copies of entries", () => {
    const hosts = ["llm.acme.internal"];
    const catalog = base.withAdditions([{ ...npmFacts, name: "acme-llm", category: "gateway", hosts }], source);
    hosts.push("evil.example");
    assert.deepEqual(catalog.hostsFor("npm", "acme-llm"), ["llm.acme.internal"]);
    assert.throws(() => (catalog.hostsFor("npm", "acme-llm") as string[]).push("evil.example"), TypeError);
    assert.throws(() => (base.envVarsFor("npm", "openai") as string[]).push("X"), TypeError);
  });

  it("replaces a bundled entry or pattern with the same key", () => {
    const catalog = base.withAdditions(
      [
        { ...npmFacts, name: "openai", category: "gateway", hosts: ["llm-proxy.corp.example"] },
        { ...npmFacts, pattern: "@langchain/*", category: "eval" },
      ],
      source,
    );
    assert.deepEqual(catalog.hostsFor("npm", "openai"), ["llm-proxy.corp.example"]);
    assert.equal(catalog.lookup("npm", "@langchain/unknown-thing")?.category, "eval");
    assert.equal(catalog.patterns().filter((p) => p.pattern === "@langchain/*").length, 1);
    assert.equal(base.hostsFor("npm", "openai")[0], "api.openai.com");
  });

  it("prefers the pattern with the longest literal part", () => {
    const catalog = Catalog.empty().withAdditions(
      [
        { ...npmFacts, pattern: "@acme/*", category: "orchestration" },
        { ...npmFacts, pattern: "@acme/vector-*", category: "vector-db" },
        { ...npmFacts, pattern: "*-mcp", category: "mcp" },
      ],
      source,
    );
    assert.equal(catalog.lookup("npm", "@acme/vector-store")?.category, "vector-db");
    assert.equal(catalog.lookup("npm", "@acme/agents")?.category, "orchestration");
    assert.equal(catalog.lookup("npm", "@acme/tools-mcp")?.category, "orchestration");
    assert.equal(catalog.lookup("npm", "weather-mcp")?.category, "mcp");
  });

  const valid = { ecosystem: "pypi", name: "acme-llm", category: "llm-sdk", provider: "Acme", hosts: [], env: [] };
  // [title, additions, lines the error message must contain]
  const invalid: [string, unknown, string[]][] = [
    ["not a list", { packages: [] }, ["  /: must be a list of catalog entries"]],
    ["not an object", ["openai"], ["  /0: must be an object"]],
    ["unknown category", [{ ...valid, category: "chatbot" }], ['  /0/category: must be one of "llm-sdk", "gateway", ']],
    ["non-normalised PyPI name", [valid, { ...valid, name: "Acme_LLM" }], ["  /1/name: must be a PyPI name in PEP 503 form"]],
    ["unknown property", [{ ...valid, colour: "red" }], ['  /0: has unknown property "colour"']],
    ["missing env", [{ ...valid, env: undefined }], ['  /0: is missing required property "env"']],
    ["URL instead of hostname", [{ ...valid, hosts: ["https://api.acme.com"] }], ["  /0/hosts/0: must be a lower-case hostname"]],
    ["lower-case env var", [{ ...valid, env: ["acme_key"] }], ["  /0/env/0: must be an environment variable name"]],
    ["`*` in the middle", [{ ...npmFacts, pattern: "@acme/*-ai", category: "mcp" }], ["  /0/pattern: must be a name glob"]],
    ["both name and pattern", [{ ...valid, pattern: "acme-*" }], ['  /0: must have either "name" or "pattern"']],
    ["duplicate entries", [valid, valid], ["  /1/name: duplicates the entry at /0/name"]],
  ];
  for (const [title, additions, expected] of invalid) {
    it(`rejects ${title} with the source and a JSON pointer`, () => {
      assert.throws(
        () => base.withAdditions(additions, source),
        (error: Error) => {
          const [headline, ...lines] = error.message.split("\n");
          assert.equal(headline, `${source}: invalid catalog additions:`);
          for (const part of expected) assert.ok(lines.some((l) => l.startsWith(part)), `${part}\nnot in:\n${error.message}`);
          return true;
        },
      );
    });
  }

  it("lists the first five problems and counts the rest", () => {
    const additions = Array.from({ length: 8 }, (_, i) => ({ ...valid, name: `acme-${i}`, category: "nope" }));
    const problems = validateAdditions(additions);
    assert.equal(problems.length, 8);
    assert.throws(() => base.withAdditions(additions, source), /\/4\/category[^]*\.\.\. and 3 more$/);
  });
});

describe("catalog document validation", () => {
  const entry = { ecosystem: "npm", name: "acme", category: "llm-sdk", provider: "Acme", hosts: [], env: [] };

  it("names the file and the pointer of each problem", () => {
    const doc = { version: 1, packages: [entry, { ...entry, name: "Acme", hosts: ["*api.acme.com"] }], patterns: [] };
    assert.throws(
      () => Catalog.fromDocument(doc, "test-catalog.json"),
      (error: Error) => {
        const lines = error.message.split("\n");
        assert.equal(lines[0], "test-catalog.json is not a valid AI catalog:");
        assert.ok(lines.some((l) => l.startsWith("  /packages/1/name: must be a valid npm package name")), error.message);
        assert.ok(lines.some((l) => l.startsWith("  /packages/1/hosts/0: must be a lower-case hostname")), error.message);
        assert.equal(lines.length, 3);
        return true;
      },
    );
  });

  it("reports duplicates the schema cannot see", () => {
    const doc = { version: 1, packages: [entry, entry], patterns: [] };
    const expected = [{ pointer: "/packages/1/name", message: "duplicates the entry at /packages/0/name" }];
    assert.deepEqual(validateDocument(doc), expected);
  });

  it("rejects an unknown version and top-level property", () => {
    const pointers = validateDocument({ version: 2, packages: [], patterns: [], extra: true }).map((p) => p.pointer);
    assert.deepEqual(pointers.sort(), ["", "/version"]);
  });
});

describe("real-world review: AI packages of real projects are recognised", () => {
  const catalog = loadCatalog();

  const lockfiles: { path: string[]; expected: string[]; generic: string[] }[] = [
    {
      path: ["crewAIInc__crewAI-examples", "crews", "job-posting", "uv.lock"],
      expected: ["crewai", "crewai-tools", "openai", "chromadb", "instructor", "lancedb", "mcp", "tiktoken"],
      generic: ["numpy", "pydantic", "requests", "onnxruntime", "kubernetes"],
    },
    {
      path: ["crewAIInc__crewAI", "uv.lock"],
      expected: ["crewai", "litellm", "openai", "anthropic", "langchain-core", "langchain-apify", "chromadb", "instructor"],
      generic: ["numpy", "boto3", "torch"],
    },
  ];
  for (const { path, expected, generic } of lockfiles) {
    it(path.join("/"), () => {
      const names = new Set(lockfileNames(readFileSync(realworldPath(...path), "utf8")));
      for (const name of [...expected, ...generic]) assert.ok(names.has(name), `fixture no longer locks ${name}`);
      assert.deepEqual(expected.filter((n) => !catalog.has("pypi", n)), [], "AI packages not recognised");
      assert.deepEqual(generic.filter((n) => catalog.has("pypi", n)), [], "generic packages taken for AI");
      const langchain = [...names].filter((n) => n.startsWith("langchain"));
      assert.deepEqual(langchain.filter((n) => !catalog.has("pypi", n)), []);
    });
  }

  it("vercel__ai-chatbot/package.json", () => {
    const manifest = JSON.parse(readFileSync(realworldPath("vercel__ai-chatbot", "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const deps = Object.keys(manifest.dependencies);
    const aiSdk = deps.filter((d) => d === "ai" || d.startsWith("@ai-sdk/"));
    assert.ok(aiSdk.length >= 4, `expected ai and @ai-sdk/* dependencies, got ${aiSdk.join(", ")}`);
    assert.deepEqual(aiSdk.filter((d) => !catalog.has("npm", d)), []);
    assert.equal(catalog.lookup("npm", "@ai-sdk/gateway")?.category, "gateway");
    assert.equal(catalog.lookup("npm", "@ai-sdk/react")?.pattern, "@ai-sdk/*");
    for (const generic of ["react", "next", "next-auth", "drizzle-orm", "redis", "zod"]) {
      assert.ok(deps.includes(generic), `fixture no longer depends on ${generic}`);
      assert.equal(catalog.has("npm", generic), false, generic);
    }
  });
});
