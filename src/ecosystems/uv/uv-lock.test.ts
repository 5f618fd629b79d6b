import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT_ID } from "../../graph/dependency-graph.js";
import type { DependencyGraph } from "../../graph/dependency-graph.js";
import { chainNames, extractFrom, loadTree, nameVersions, readFixture, realworldPath } from "../../testing/fixtures.js";
import { uvLockExtractor } from "./uv-lock.js";

function single(): Record<string, string> {
  return { "uv.lock": readFixture(import.meta.url, "single", "uv.lock"), "pyproject.toml": readFixture(import.meta.url, "single", "pyproject.toml") };
}

function workspace(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ["uv.lock", "pyproject.toml", "packages/agent/pyproject.toml", "packages/tools/pyproject.toml", "packages/legacy/pyproject.toml"]) {
    out[f] = readFixture(import.meta.url, "workspace", ...f.split("/"));
  }
  return out;
}

function node(g: DependencyGraph, name: string, version?: string) {
  const found = g.packages().filter((p) => p.name === name && (version === undefined || p.version === version));
  assert.equal(found.length, 1, `one ${name}${version ? `@${version}` : ""}`);
  return found[0] as NonNullable<(typeof found)[0]>;
}

test("claims uv.lock only", () => {
  const cases: Array<[string, boolean]> = [
    ["uv.lock", true],
    ["crews/job-posting/uv.lock", true],
    ["uv.lock.bak", false],
    ["my-uv.lock", false],
    ["poetry.lock", false],
    ["pyproject.toml", false],
  ];
  for (const [path, expected] of cases) assert.equal(uvLockExtractor.claims(path), expected, path);
});

test("asks for the project's pyproject.toml, then the workspace members it names", () => {
  const files = workspace();
  const discovered = Object.keys(files).sort();
  const file = { path: "uv.lock", text: files["uv.lock"] ?? "" };
  assert.deepEqual(uvLockExtractor.companions(file, { discovered, files: new Map(), unreadable: new Map() }), ["pyproject.toml"]);
  const read = new Map([["pyproject.toml", files["pyproject.toml"] ?? ""]]);
  assert.deepEqual(uvLockExtractor.companions(file, { discovered, files: read, unreadable: new Map() }), [
    "pyproject.toml",
    "packages/agent/pyproject.toml",
    "packages/tools/pyproject.toml",
  ]);
  assert.deepEqual(uvLockExtractor.companions({ path: "sub/dir/uv.lock", text: "" }, { discovered: [], files: new Map(), unreadable: new Map() }), ["sub/dir/pyproject.toml"]);
});

test("empty, not TOML, truncated, unknown version, not a uv.lock", () => {
  const text = single()["uv.lock"] ?? "";
  const cases: Array<{ name: string; text: string; status: string; reason: RegExp }> = [
    { name: "empty", text: "", status: "failed", reason: /^empty file$/ },
    { name: "whitespace", text: "\n  \n", status: "failed", reason: /^empty file$/ },
    { name: "package-lock.json", text: `{\n  "name": "x",\n  "lockfileVersion": 3\n}\n`, status: "failed", reason: /^invalid TOML at line 1, column \d+: / },
    { name: "truncated inside an inline table", text: text.slice(0, text.indexOf("hash = ") + 12), status: "failed", reason: /^invalid TOML at line \d+/ },
    { name: "version 2", text: `version = 2\n\n[[package]]\nname = "a"\nversion = "1"\nsource = { registry = "https://pypi.org/simple" }\n`, status: "unsupported", reason: /version 2 is not supported/ },
    { name: "pre-release layout", text: `version = 1\n\n[[distribution]]\nname = "a"\nversion = "1"\n`, status: "unsupported", reason: /\[\[distribution\]\]/ },
    { name: "some other TOML", text: `[tool.ruff]\nline-length = 100\n`, status: "failed", reason: /^not a uv\.lock/ },
  ];
  for (const c of cases) {
    const r = extractFrom(uvLockExtractor, "uv.lock", { "uv.lock": c.text });
    assert.equal(r.status, c.status, c.name);
    assert.match(r.reason ?? "", c.reason, c.name);
    assert.equal(r.graph, null, c.name);
    assert.equal((r.reason ?? "").includes("\n"), false, `${c.name}: one-line reason`);
  }
  const noPackages = extractFrom(uvLockExtractor, "uv.lock", { "uv.lock": `version = 1\nrevision = 3\nrequires-python = ">=3.12"\n` });
  assert.equal(noPackages.status, "ok", "a lock with nothing locked");
  assert.equal(noPackages.graph?.packages().length, 0);
});

test("a lock cut between two packages still reads, and names the dependencies it lost", () => {
  const text = single()["uv.lock"] ?? "";
  const cut = text.slice(0, text.indexOf(`[[package]]\nname = "fastapi"`));
  const r = extractFrom(uvLockExtractor, "uv.lock", { "uv.lock": cut });
  assert.equal(r.status, "partial");
  assert.equal(r.reason, "11 dependency entries name a package not in the lock (flask, httpx, litellm, …)");
  assert.deepEqual(nameVersions(r.graph as DependencyGraph), ["anthropic@0.40.0", "dspy@2.6.27"]);
});

/** Importer edges to packages as "importer > name file:line-text", the line's text trimmed, sorted. */
function declarations(g: DependencyGraph, files: Record<string, string>): string[] {
  return g.importers().flatMap((imp) => g.dependenciesOf(imp.id).filter((e) => !g.get(e.to)?.workspace).map((e) => {
    const text = (files[e.location?.file ?? ""] ?? "").split("\n")[(e.location?.line ?? 0) - 1]?.trim();
    return `${imp.name || "root"} > ${g.get(e.to)?.name}@${g.get(e.to)?.version} ${e.location?.file}:${text}`;
  })).sort();
}

test("a single project: sources, hashes, lines, declared specs, multi-version, extras, dev and optional", () => {
  const r = extractFrom(uvLockExtractor, "uv.lock", single());
  assert.equal(r.status, "ok", r.reason);
  assert.deepEqual(r.consumed, ["pyproject.toml"]);
  const g = r.graph as DependencyGraph;
  assert.equal(g.root.name, "agent-app");
  assert.equal(g.root.version, "0.2.0");
  assert.equal(g.root.locations[0]?.line, 9);
  assert.deepEqual(nameVersions(g), [
    "anthropic@0.40.0", "dspy@2.6.27", "fastapi@0.115.14", "flask@3.1.0", "httpx@0.28.1", "litellm@1.82.6",
    "numpy@1.26.4", "numpy@2.2.6", "openai@1.99.9", "pytest@8.3.4", "shared-utils@0.1.0", "tiny-wheel@1.0.0",
  ]);

  const sources: Array<[string, string, string | undefined]> = [
    ["flask", "git", "https://github.com/pallets/flask?tag=3.1.0#7a5c4b5b5b1f2a0e6c3a1c0b4f6e2d1c9a8b7c6d"],
    ["shared-utils", "path", "../shared-utils"],
    ["tiny-wheel", "url", "https://example.com/wheels/tiny_wheel-1.0.0-py3-none-any.whl"],
    ["httpx", "registry", "https://pypi.org/simple"],
  ];
  for (const [name, source, resolved] of sources) {
    const n = node(g, name);
    assert.equal(n.source, source, name);
    assert.equal(n.resolved, resolved, name);
    assert.equal(n.workspace, false, name);
  }
  assert.match(node(g, "flask").purl, /^pkg:pypi\/flask@3\.1\.0\?vcs_url=/);

  const litellm = node(g, "litellm");
  assert.deepEqual(litellm.hashes.map((h) => h.algorithm), ["sha256", "sha256"]);
  assert.match(litellm.hashes[0]?.value ?? "", /^[0-9a-f]{64}$/);
  assert.equal(litellm.locations[0]?.file, "uv.lock");
  assert.equal((single()["uv.lock"] ?? "").split("\n")[(litellm.locations[0]?.line ?? 0) - 1], "[[package]]");
  assert.equal((single()["uv.lock"] ?? "").split("\n")[litellm.locations[0]?.line ?? 0], `name = "litellm"`);
  assert.equal(litellm.declared, ">=1.40,<2");
  assert.equal(node(g, "flask").declared, "https://github.com/pallets/flask?tag=3.1.0");
  assert.equal(node(g, "openai").declared, undefined, "not a direct dependency");

  // Both numpy versions are direct (split by markers), and dspy links to each one its entry names.
  for (const version of ["1.26.4", "2.2.6"]) {
    const numpy = node(g, "numpy", version);
    assert.deepEqual(chainNames(g, numpy.id), ["root > numpy", "root > dspy > numpy"], version);
  }

  // `litellm[proxy]` activates litellm's proxy extra: fastapi hangs off litellm and is installed (not optional).
  // The graph has one litellm node, so the extra's edges are litellm's and the second chain passes through dspy's
  // plain `litellm` too: the shortest chain is the one that names the requester.
  const fastapi = node(g, "fastapi");
  assert.deepEqual(chainNames(g, fastapi.id), ["root > litellm > fastapi", "root > dspy > litellm > fastapi"]);
  assert.equal(g.dependentsOf(fastapi.id)[0]?.kind, "prod");
  assert.equal(fastapi.optional, false);
  assert.deepEqual(chainNames(g, litellm.id), ["root > litellm", "root > dspy > litellm"]);

  // The project's own extra is optional; its dev group is dev.
  const anthropic = node(g, "anthropic");
  assert.equal(anthropic.optional, true);
  assert.equal(anthropic.declared, ">=0.30");
  assert.deepEqual(g.dependentsOf(anthropic.id).map((e) => `${e.from} ${e.kind} ${e.spec}`), [`${ROOT_ID} optional >=0.30`]);
  assert.equal(node(g, "pytest").dev, true);
  assert.equal(node(g, "httpx").optional, false, "also reached through litellm");
  assert.equal(node(g, "httpx").dev, false);

  // The root's edges point at the declaring line of pyproject.toml: the main list, the extra, the group.
  assert.deepEqual(declarations(g, single()), [
    'agent-app > anthropic@0.40.0 pyproject.toml:anthropic = ["anthropic>=0.30"]',
    'agent-app > dspy@2.6.27 pyproject.toml:"dspy>=2.5",',
    'agent-app > flask@3.1.0 pyproject.toml:"flask",',
    'agent-app > litellm@1.82.6 pyproject.toml:"litellm[proxy]>=1.40,<2",',
    'agent-app > numpy@1.26.4 pyproject.toml:"numpy>=1.26",',
    'agent-app > numpy@2.2.6 pyproject.toml:"numpy>=1.26",',
    'agent-app > pytest@8.3.4 pyproject.toml:dev = ["pytest>=8"]',
    'agent-app > shared-utils@0.1.0 pyproject.toml:"shared-utils",',
    'agent-app > tiny-wheel@1.0.0 pyproject.toml:"tiny-wheel",',
  ]);
  // Without pyproject.toml: the project's own entry in uv.lock.
  const bare = extractFrom(uvLockExtractor, "uv.lock", { "uv.lock": single()["uv.lock"] ?? "" }).graph as DependencyGraph;
  assert.ok(bare.dependenciesOf(ROOT_ID).length > 0);
  assert.ok(bare.dependenciesOf(ROOT_ID).every((e) => e.location?.file === "uv.lock" && e.location.line === 9));
});

test("a workspace: members are importers with their own direct dependencies", () => {
  const r = extractFrom(uvLockExtractor, "uv.lock", workspace());
  assert.equal(r.status, "ok", r.reason);
  assert.deepEqual(r.consumed, ["pyproject.toml", "packages/agent/pyproject.toml", "packages/tools/pyproject.toml"]);
  const g = r.graph as DependencyGraph;
  assert.equal(g.root.name, "monorepo");
  assert.deepEqual(g.importers().map((n) => `${n.id} ${n.name}@${n.version}`), [
    "root monorepo@1.0.0",
    "workspace:packages/agent agent@0.3.0",
    "workspace:packages/tools tools@",
  ]);
  const direct = (name: string) => g.directImporters(node(g, name).id).map((n) => n.name).sort();
  assert.deepEqual(direct("openai"), ["agent"]);
  assert.deepEqual(direct("langchain-core"), ["tools"]);
  assert.deepEqual(direct("respx"), ["tools"]);
  assert.deepEqual(direct("pytest"), ["monorepo"]);
  assert.equal(node(g, "respx").dev, true, "the member's own dev group");
  assert.equal(node(g, "pytest").dev, true);
  assert.equal(node(g, "pyyaml").dev, false);
  assert.equal(node(g, "langchain-core").declared, "==0.3.15");
  // A member depending on a member is an edge between importers.
  assert.ok(g.dependenciesOf("workspace:packages/tools").some((e) => e.to === "workspace:packages/agent"));
  assert.deepEqual(chainNames(g, node(g, "anyio").id), ["root > agent > openai > anyio", "root > tools > agent > openai > anyio"]);
  assert.equal(g.packages().some((p) => p.name === "legacy"), false, "excluded member");
  // Each member's edges point into its own pyproject.toml.
  const rows = declarations(g, workspace());
  assert.ok(rows.length > 0);
  for (const row of rows) {
    const [who, rest] = row.split(" > ") as [string, string];
    const file = rest.slice(rest.indexOf(" ") + 1, rest.indexOf(":"));
    assert.equal(file, who === "monorepo" ? "pyproject.toml" : `packages/${who}/pyproject.toml`, row);
    const name = rest.slice(0, rest.lastIndexOf("@", rest.indexOf(" ")));
    assert.ok(rest.slice(rest.indexOf(":") + 1).includes(`"${name}`), row);
  }
});

test("the workspace still reads without its pyproject.toml files", () => {
  const r = extractFrom(uvLockExtractor, "uv.lock", { "uv.lock": workspace()["uv.lock"] ?? "" });
  assert.equal(r.status, "ok");
  assert.deepEqual(r.consumed, []);
  assert.equal(r.graph?.importers().length, 3);
  const bad = extractFrom(uvLockExtractor, "uv.lock", { ...workspace(), "pyproject.toml": "[project\n" });
  assert.equal(bad.status, "ok", "the lock alone is complete");
  assert.deepEqual(bad.problems.map((p) => `${p.path} ${p.status}`), ["pyproject.toml failed"]);
  assert.deepEqual(bad.consumed, ["pyproject.toml"]);
});

test("bad entries are skipped and counted", () => {
  const text = [
    "version = 1",
    "",
    "[[package]]",
    `name = "app"`,
    `version = "0.1.0"`,
    `source = { virtual = "." }`,
    `dependencies = [{ name = "good" }, { name = "ghost" }]`,
    "",
    "[[package]]",
    `version = "1.0"`,
    `source = { registry = "https://pypi.org/simple" }`,
    "",
    "[[package]]",
    `name = "good"`,
    `version = "1.0"`,
    `source = { registry = "https://pypi.org/simple" }`,
    "",
    "[[package]]",
    `name = "numeric"`,
    `version = 2`,
    `source = { registry = "https://pypi.org/simple" }`,
  ].join("\n");
  const r = extractFrom(uvLockExtractor, "uv.lock", { "uv.lock": text });
  assert.equal(r.status, "partial");
  assert.equal(r.reason, "2 entries skipped, first: [[package]] at line 9 has no name; 1 dependency entry names a package not in the lock (ghost)");
  assert.deepEqual(nameVersions(r.graph as DependencyGraph), ["good@1.0"]);
});

test("crewAI-examples game-builder-crew: litellm comes in through crewai", () => {
  const dir = realworldPath("crewAIInc__crewAI-examples");
  const r = extractFrom(uvLockExtractor, "crews/game-builder-crew/uv.lock", loadTree(dir, ["crews/game-builder-crew/uv.lock", "crews/game-builder-crew/pyproject.toml"]));
  assert.equal(r.status, "ok", r.reason);
  assert.deepEqual(r.consumed, ["crews/game-builder-crew/pyproject.toml"]);
  const g = r.graph as DependencyGraph;
  assert.equal(g.root.name, "game-builder-crew");
  assert.equal(g.packages().length, 149, "150 [[package]] entries, one of them the project");
  const litellm = node(g, "litellm");
  assert.equal(litellm.version, "1.74.3");
  assert.deepEqual(chainNames(g, litellm.id), ["root > crewai > litellm"]);
  assert.equal(node(g, "crewai").declared, ">=0.152.0");
  assert.equal(litellm.dev, false);
  assert.equal(litellm.optional, false);
});

test("crewAI-examples job-posting: `crewai[tools]` pulls crewai-tools through crewai's extra", () => {
  const dir = realworldPath("crewAIInc__crewAI-examples");
  const r = extractFrom(uvLockExtractor, "crews/job-posting/uv.lock", loadTree(dir, ["crews/job-posting/uv.lock", "crews/job-posting/pyproject.toml"]));
  assert.equal(r.status, "ok", r.reason);
  const g = r.graph as DependencyGraph;
  assert.equal(g.root.name, "job-posting");
  const tools = node(g, "crewai-tools");
  assert.deepEqual(chainNames(g, tools.id, 1), ["root > crewai > crewai-tools"]);
  assert.equal(tools.optional, false, "the extra is requested by the project");
  assert.equal(g.packages().some((p) => p.name === "litellm"), false, "crewai 1.6.1 no longer depends on litellm");
});

test("crewAI: a workspace with a virtual root; litellm only through crewai's litellm extra", () => {
  const dir = realworldPath("crewAIInc__crewAI");
  const members = ["cli", "crewai", "crewai-core", "crewai-files", "crewai-tools", "devtools"].map((m) => `lib/${m}/pyproject.toml`);
  const r = extractFrom(uvLockExtractor, "uv.lock", loadTree(dir, ["uv.lock", "pyproject.toml", ...members]));
  assert.equal(r.status, "ok", r.reason);
  assert.deepEqual([...r.consumed].sort(), ["pyproject.toml", ...members].sort());
  const g = r.graph as DependencyGraph;
  assert.equal(g.packages().length, 476);
  assert.deepEqual(g.importers().map((n) => n.id), [
    ROOT_ID, "workspace:lib/crewai", "workspace:lib/cli", "workspace:lib/crewai-core", "workspace:lib/devtools", "workspace:lib/crewai-files", "workspace:lib/crewai-tools",
  ]);
  // Dynamic versions: the lock records none for the members.
  assert.equal(g.get("workspace:lib/crewai")?.version, "");

  const litellm = node(g, "litellm");
  assert.equal(litellm.version, "1.84.8");
  assert.deepEqual(chainNames(g, litellm.id), ["root > crewai > litellm", "root > crewai-tools > crewai > litellm"]);
  assert.equal(litellm.optional, true, "only the crewai[litellm] extra pulls it, and nothing requests that extra");
  assert.equal(g.dependentsOf(litellm.id).map((e) => e.kind).join(), "optional");
  assert.equal(litellm.declared, ">=1.84.0,<2");

  // The virtual root's own groups come from [manifest.dependency-groups].
  const pytest = node(g, "pytest");
  assert.equal(pytest.dev, true);
  assert.equal(g.dependentsOf(pytest.id).some((e) => e.from === ROOT_ID && e.kind === "dev" && e.spec === "==9.0.3"), true);
  const pytestEdge = g.dependentsOf(pytest.id).find((e) => e.from === ROOT_ID);
  assert.equal(pytestEdge?.location?.file, "pyproject.toml", "the virtual root's groups are declared in its pyproject.toml");
  assert.match(readFileSync(join(dir, "pyproject.toml"), "utf8").split("\n")[(pytestEdge?.location?.line ?? 0) - 1] ?? "", /"pytest==9\.0\.3"/);

  // Two numpy versions split by markers; `accelerate` names each with version + source.
  const numpys = g.packages().filter((p) => p.name === "numpy").map((p) => p.version);
  assert.deepEqual(numpys, ["2.2.6", "2.4.6"]);
  const accelerate = node(g, "accelerate");
  assert.deepEqual(g.dependenciesOf(accelerate.id).filter((e) => g.get(e.to)?.name === "numpy").map((e) => g.get(e.to)?.version), ["2.2.6", "2.4.6"]);
});
