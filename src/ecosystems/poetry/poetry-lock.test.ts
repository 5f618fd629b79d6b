import { test } from "node:test";
import assert from "node:assert/strict";
import { ROOT_ID } from "../../graph/dependency-graph.js";
import type { DependencyGraph } from "../../graph/dependency-graph.js";
import { chainNames, extractFrom, loadTree, nameVersions, readFixture, realworldPath } from "../../testing/fixtures.js";
import { poetryLockExtractor } from "./poetry-lock.js";

function fixture(dir: "lock-1.1" | "lock-2.1", withManifest = true): Record<string, string> {
  return {
    "poetry.lock": readFixture(import.meta.url, dir, "poetry.lock"),
    ...(withManifest ? { "pyproject.toml": readFixture(import.meta.url, dir, "pyproject.toml") } : {}),
  };
}

function node(g: DependencyGraph, name: string, version?: string) {
  const found = g.packages().filter((p) => p.name === name && (version === undefined || p.version === version));
  assert.equal(found.length, 1, `one ${name}${version ? `@${version}` : ""}`);
  return found[0] as NonNullable<(typeof found)[0]>;
}

/** Kinds of the edges from the root to a package. */
function rootKinds(g: DependencyGraph, id: string): string[] {
  return g.dependentsOf(id).filter((e) => e.from === ROOT_ID).map((e) => e.kind).sort();
}

test("claims poetry.lock only", () => {
  const cases: Array<[string, boolean]> = [
    ["poetry.lock", true],
    ["platform/poetry.lock", true],
    ["poetry.lock.orig", false],
    ["Poetry.lock", false],
    ["uv.lock", false],
    ["pyproject.toml", false],
  ];
  for (const [path, expected] of cases) assert.equal(poetryLockExtractor.claims(path), expected, path);
  assert.deepEqual(poetryLockExtractor.companions({ path: "platform/poetry.lock", text: "" }, { discovered: [], files: new Map(), unreadable: new Map() }), ["platform/pyproject.toml"]);
});

test("empty, not TOML, truncated, unknown lock-version, not a poetry.lock", () => {
  const text = fixture("lock-2.1")["poetry.lock"] ?? "";
  const cases: Array<{ name: string; text: string; status: string; reason: RegExp }> = [
    { name: "empty", text: "", status: "failed", reason: /^empty file$/ },
    { name: "yarn.lock", text: `# yarn lockfile v1\n\n"left-pad@^1.3.0":\n  version "1.3.0"\n`, status: "failed", reason: /^invalid TOML at line 3, column \d+: / },
    { name: "truncated inside a files array", text: text.slice(0, text.indexOf("files = [") + 40), status: "failed", reason: /^invalid TOML at line \d+/ },
    { name: "lock-version 3.0", text: `[[package]]\nname = "a"\nversion = "1"\n\n[metadata]\nlock-version = "3.0"\n`, status: "unsupported", reason: /lock-version 3\.0 is not supported/ },
    { name: "some other TOML", text: `[tool.black]\nline-length = 100\n`, status: "failed", reason: /^not a poetry\.lock/ },
  ];
  for (const c of cases) {
    const r = extractFrom(poetryLockExtractor, "poetry.lock", { "poetry.lock": c.text });
    assert.equal(r.status, c.status, c.name);
    assert.match(r.reason ?? "", c.reason, c.name);
    assert.equal(r.graph, null, c.name);
    assert.equal((r.reason ?? "").includes("\n"), false, `${c.name}: one-line reason`);
  }
});

test("a lock cut before its [metadata] table is partial", () => {
  const files = fixture("lock-2.1");
  const text = files["poetry.lock"] ?? "";
  const r = extractFrom(poetryLockExtractor, "poetry.lock", { ...files, "poetry.lock": text.slice(0, text.indexOf("[[package]]\nname = \"tokenizers\"")) });
  assert.equal(r.status, "partial");
  assert.match(r.reason ?? "", /no \[metadata\] table \(file truncated\?\)/);
  assert.equal(r.graph?.packages().length, 9);
});

test("lock-version 1.1: category, [metadata.files] hashes, git and directory sources, list constraints, two versions", () => {
  const r = extractFrom(poetryLockExtractor, "poetry.lock", fixture("lock-1.1"));
  assert.equal(r.status, "ok", r.reason);
  assert.deepEqual(r.consumed, ["pyproject.toml"]);
  const g = r.graph as DependencyGraph;
  assert.equal(g.root.name, "legacy-bot");
  assert.equal(g.root.version, "0.1.0");
  assert.deepEqual(nameVersions(g), [
    "certifi@2022.12.7", "colorama@0.4.6", "langchain@0.0.150", "local-lib@0.1.0", "numpy@1.24.4", "numpy@1.26.2",
    "openai@0.27.8", "private-sdk@0.4.0", "pytest@7.2.2", "requests@2.28.2", "urllib3@1.26.15",
  ]);

  // [metadata.files] hashes go to the right version when a name is locked twice.
  assert.equal(node(g, "numpy", "1.24.4").hashes.length, 2);
  assert.equal(node(g, "numpy", "1.26.2").hashes.length, 2);
  assert.notDeepEqual(node(g, "numpy", "1.24.4").hashes, node(g, "numpy", "1.26.2").hashes);
  assert.deepEqual(node(g, "certifi").hashes.map((h) => h.algorithm), ["sha256", "sha256"]);
  assert.match(node(g, "certifi").hashes[0]?.value ?? "", /^[0-9a-f]{64}$/);

  const sdk = node(g, "private-sdk");
  assert.equal(sdk.source, "git");
  assert.equal(sdk.resolved, "https://github.com/acme/private-sdk.git#1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c");
  assert.equal(sdk.declared, "https://github.com/acme/private-sdk.git@main");
  const local = node(g, "local-lib");
  assert.equal(local.source, "path");
  assert.equal(local.resolved, "../local-lib");

  // category = "dev" is the explicit dev flag.
  assert.equal(node(g, "pytest").dev, true);
  assert.equal(node(g, "colorama").dev, true);
  assert.equal(node(g, "requests").dev, false);
  assert.deepEqual(rootKinds(g, node(g, "pytest").id), ["dev"]);

  // A dependency written as a list of tables links to every locked version of the name.
  const langchain = node(g, "langchain");
  const toNumpy = g.dependenciesOf(langchain.id).filter((e) => g.get(e.to)?.name === "numpy");
  assert.deepEqual(toNumpy.map((e) => `${g.get(e.to)?.version} ${e.spec}`), ["1.24.4 >=1.20,<1.25 || >=1.26,<2", "1.26.2 >=1.20,<1.25 || >=1.26,<2"]);
  assert.equal(langchain.declared, "^0.0.150");

  // The project asks for langchain[openai]: langchain's optional openai dependency is installed.
  const openai = node(g, "openai");
  assert.deepEqual(g.dependentsOf(openai.id).map((e) => `${g.get(e.from)?.name} ${e.kind}`), ["langchain prod", "private-sdk prod"]);
  assert.deepEqual(chainNames(g, openai.id), ["root > langchain > openai", "root > private-sdk > openai"]);

  // Lines point at each [[package]] header.
  const lines = (fixture("lock-1.1")["poetry.lock"] ?? "").split("\n");
  for (const p of g.packages()) {
    const line = p.locations[0]?.line ?? 0;
    assert.equal(lines[line - 1], "[[package]]", p.id);
    assert.equal(lines[line], `name = "${p.name}"`, p.id);
  }
});

test("lock-version 2.1: groups, per-group markers, PEP 621 project, extras activation, optional", () => {
  const r = extractFrom(poetryLockExtractor, "poetry.lock", fixture("lock-2.1"));
  assert.equal(r.status, "ok", r.reason);
  const g = r.graph as DependencyGraph;
  assert.equal(g.root.name, "rag-service");
  assert.equal(g.root.version, "1.2.0");

  // groups: a package in no `main` group is dev.
  for (const [name, dev] of [["pytest", true], ["colorama", true], ["mkdocs", true], ["httpx", false], ["litellm", false]] as const) {
    assert.equal(node(g, name).dev, dev, name);
  }
  assert.deepEqual(rootKinds(g, node(g, "mkdocs").id), ["dev"]);

  // httpx[http2] requested by the project: h2 is a prod edge from httpx.
  const h2 = node(g, "h2");
  assert.deepEqual(g.dependentsOf(h2.id).map((e) => `${g.get(e.from)?.name} ${e.kind}`), ["httpx prod"]);
  assert.equal(h2.optional, false);

  // `optional = true` in the lock: needed only for the project's `tracing` extra.
  const langfuse = node(g, "langfuse");
  assert.equal(langfuse.optional, true);
  assert.deepEqual(rootKinds(g, langfuse.id), ["optional"]);
  assert.equal(langfuse.declared, ">=2.0");

  // litellm comes in through dspy; tokenizers is locked twice (markers) and litellm links to both.
  assert.deepEqual(chainNames(g, node(g, "litellm").id), ["root > dspy > litellm"]);
  assert.deepEqual(g.packages().filter((p) => p.name === "tokenizers").map((p) => chainNames(g, p.id, 1)[0]), ["root > dspy > litellm > tokenizers", "root > dspy > litellm > tokenizers"]);
  assert.equal(node(g, "dspy").declared, ">=2.5,<3.0");
  assert.equal(node(g, "dspy").hashes.length, 2);
  // PEP 621 strings: the root edge points at the string's line.
  const manifest = (fixture("lock-2.1")["pyproject.toml"] ?? "").split("\n");
  const dspyEdge = g.dependenciesOf(ROOT_ID).find((e) => e.to === node(g, "dspy").id);
  assert.equal(dspyEdge?.location?.file, "pyproject.toml");
  assert.match(manifest[(dspyEdge?.location?.line ?? 0) - 1] ?? "", /"dspy \(>=2\.5,<3\.0\)"/);
});

test("without pyproject.toml: partial, and packages nothing depends on are taken as direct", () => {
  const r = extractFrom(poetryLockExtractor, "poetry.lock", fixture("lock-1.1", false));
  assert.equal(r.status, "partial");
  assert.equal(r.reason, "no pyproject.toml beside poetry.lock: direct dependencies guessed from packages nothing else depends on");
  const g = r.graph as DependencyGraph;
  assert.deepEqual(g.dependenciesOf(ROOT_ID).map((e) => `${g.get(e.to)?.name} ${e.kind}`), ["langchain prod", "local-lib prod", "private-sdk prod", "pytest dev"]);
  assert.equal(g.root.name, "");

  const broken = extractFrom(poetryLockExtractor, "poetry.lock", { ...fixture("lock-1.1"), "pyproject.toml": "[tool.poetry\n" });
  assert.equal(broken.status, "partial");
  assert.match(broken.reason ?? "", /^pyproject\.toml could not be read/);
  assert.deepEqual(broken.problems.map((p) => `${p.path} ${p.status}`), ["pyproject.toml failed"]);
});

test("declared dependencies missing from the lock and bad entries make the result partial", () => {
  const files = fixture("lock-2.1");
  const stale = extractFrom(poetryLockExtractor, "poetry.lock", { ...files, "pyproject.toml": (files["pyproject.toml"] ?? "").replace(`"dspy (>=2.5,<3.0)",`, `"dspy (>=2.5,<3.0)",\n    "crewai (>=0.100)",`) });
  assert.equal(stale.status, "partial");
  assert.equal(stale.reason, "1 declared dependency is not in poetry.lock (lock out of date?): crewai");

  const bad = `[[package]]\nname = "a"\nversion = "1.0"\n\n[[package]]\nname = "b"\n\n[[package]]\nversion = "2"\n\n[metadata]\nlock-version = "2.0"\n`;
  const r = extractFrom(poetryLockExtractor, "poetry.lock", { "poetry.lock": bad, "pyproject.toml": `[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\na = "*"\n` });
  assert.equal(r.status, "partial");
  assert.equal(r.reason, "2 entries skipped, first: [[package]] at line 5 (b) has no version");
  assert.deepEqual(nameVersions(r.graph as DependencyGraph), ["a@1.0"]);
});

test("OpenInterpreter (Poetry 1.8, lock-version 2.0): litellm is a direct dependency", () => {
  const dir = realworldPath("OpenInterpreter__open-interpreter");
  const r = extractFrom(poetryLockExtractor, "poetry.lock", loadTree(dir, ["poetry.lock", "pyproject.toml"]));
  assert.equal(r.status, "ok", r.reason);
  const g = r.graph as DependencyGraph;
  assert.equal(g.root.name, "open-interpreter");
  assert.equal(g.packages().length, 411);
  assert.equal(g.dependenciesOf(ROOT_ID).length, 56, "the pyproject declares 56 packages besides python");
  const litellm = node(g, "litellm");
  assert.equal(litellm.version, "1.50.4");
  assert.equal(litellm.declared, "^1.41.26");
  assert.deepEqual(chainNames(g, litellm.id), ["root > litellm"]);
  assert.equal(litellm.dev, false);
  assert.equal(litellm.optional, false);
  // What litellm pulls in is reached through it.
  const tokenizers = node(g, "tokenizers");
  assert.ok(chainNames(g, tokenizers.id).includes("root > litellm > tokenizers"));
  // Lock 2.0 states no groups: dev is computed from the pyproject's dev group.
  assert.equal(node(g, "black").dev, true);
  assert.equal(node(g, "torch").optional, true, "only the `os`/`local` extras need it");
  // Each root edge points at its `name = …` line in pyproject.toml.
  const manifest = loadTree(dir, ["pyproject.toml"])["pyproject.toml"]?.split("\n") ?? [];
  for (const edge of g.dependenciesOf(ROOT_ID)) {
    const name = g.get(edge.to)?.name ?? "";
    assert.equal(edge.location?.file, "pyproject.toml", name);
    const text = (manifest[(edge.location?.line ?? 0) - 1] ?? "").toLowerCase().replace(/_/g, "-");
    assert.ok(text.startsWith(`${name} =`) || text.startsWith(`"${name}" =`), `${name}: line ${edge.location?.line} is "${text}"`);
  }
  assert.equal(g.dependenciesOf(ROOT_ID).find((e) => e.to === litellm.id)?.location?.line, manifest.findIndex((l) => l.startsWith("litellm = ")) + 1);
});

test("AgentGPT platform (Poetry 1.8, lock-version 2.0): legacy dev-dependencies and a dev group", () => {
  const dir = realworldPath("reworkd__AgentGPT", "platform");
  const r = extractFrom(poetryLockExtractor, "poetry.lock", loadTree(dir, ["poetry.lock", "pyproject.toml"]));
  assert.equal(r.status, "ok", r.reason);
  const g = r.graph as DependencyGraph;
  assert.equal(g.root.name, "reworkd-platform");
  assert.equal(g.packages().length, 137);
  assert.deepEqual(chainNames(g, node(g, "openai").id, 1), ["root > openai"]);
  assert.equal(node(g, "pytest-mock").dev, true, "[tool.poetry.group.dev.dependencies]");
  assert.equal(node(g, "autopep8").dev, true, "[tool.poetry.dev-dependencies]");
  assert.equal(node(g, "langchain").dev, false);
  assert.ok(chainNames(g, node(g, "tiktoken").id).length > 0);
});
