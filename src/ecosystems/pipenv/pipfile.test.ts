import { test } from "node:test";
import assert from "node:assert/strict";
import type { DependencyGraph } from "../../graph/dependency-graph.js";
import { ROOT_ID } from "../../graph/dependency-graph.js";
import { extractFrom, nameVersions, readFixture } from "../../testing/fixtures.js";
import { lockSectionOf, parsePipfile, pipfileExtractor } from "./pipfile.js";

function rootEdges(graph: DependencyGraph | null): string[] {
  return (graph?.dependenciesOf(ROOT_ID) ?? []).map((e) => `${graph?.get(e.to)?.name}:${e.kind}:${e.spec}`).sort();
}

test("claims only files named Pipfile", () => {
  const cases: Array<[string, boolean]> = [
    ["Pipfile", true],
    ["services/api/Pipfile", true],
    ["Pipfile.lock", false],
    ["pipfile", false],
    ["Pipfile.bak", false],
    ["requirements.txt", false],
  ];
  for (const [path, expected] of cases) assert.equal(pipfileExtractor.claims(path), expected, path);
});

test("extraction cases", () => {
  const cases: Array<{ name: string; text: string; status: string; reason?: RegExp; packages?: string[]; edges?: string[] }> = [
    { name: "empty file", text: "", status: "ok", packages: [], edges: [] },
    { name: "binary file", text: "\u0000\u0001", status: "failed", reason: /^binary file/ },
    { name: "not TOML (a JSON file)", text: '{"default": {}}', status: "failed", reason: /^invalid TOML at line 1 column \d+: / },
    { name: "truncated", text: '[packages]\nlitellm = "==1.82', status: "failed", reason: /^invalid TOML at line 2/ },
    { name: "minimal", text: '[packages]\nlitellm = "==1.82.6"\n', status: "ok", packages: ["litellm@1.82.6"], edges: ["litellm:prod:==1.82.6"] },
    { name: "byte-order mark", text: '\ufeff[packages]\nlitellm = "*"\n', status: "ok", packages: ["litellm@"], edges: ["litellm:prod:*"] },
    {
      name: "dev and custom categories",
      text: '[packages]\nopenai = "*"\n[dev-packages]\npytest = ">=8"\n[lint]\nruff = "==0.16.1"\n[requires]\npython_version = "3.12"\n[scripts]\nstart = "python app.py"\n',
      status: "ok",
      packages: ["openai@", "pytest@", "ruff@0.16.1"],
      edges: ["openai:prod:*", "pytest:dev:>=8", "ruff:dev:==0.16.1"],
    },
    {
      name: "tables: extras, markers, git, path, file",
      text: [
        "[packages]",
        'LiteLLM = {version = "==1.82.6", extras = ["proxy"], markers = "python_version >= \'3.9\'", sys_platform = "!= \'win32\'"}',
        'tiktoken = {git = "https://github.com/openai/tiktoken.git", ref = "0.9.0"}',
        'tools = {path = "./tools", editable = true}',
        'wheel-pkg = {file = "https://example.test/wheel_pkg-1.0-py3-none-any.whl"}',
        "[packages.anthropic]",
        'version = ">=0.40"',
      ].join("\n"),
      status: "ok",
      packages: ["anthropic@", "litellm@1.82.6", "tiktoken@", "tools@", "wheel-pkg@"],
      edges: [
        "anthropic:prod:>=0.40",
        "litellm:prod:[proxy]==1.82.6 ; python_version >= '3.9' and sys_platform != 'win32'",
        "tiktoken:prod:https://github.com/openai/tiktoken.git@0.9.0",
        "tools:prod:./tools",
        "wheel-pkg:prod:https://example.test/wheel_pkg-1.0-py3-none-any.whl",
      ],
    },
    { name: "bad value", text: '[packages]\nlitellm = "==1.82.6"\nopenai = 2\n', status: "partial", reason: /^skipped 1 unreadable entry; first \[packages\] openai: expected a version string or a table, got number$/, packages: ["litellm@1.82.6"] },
  ];
  for (const c of cases) {
    const result = extractFrom(pipfileExtractor, "Pipfile", { Pipfile: c.text });
    assert.equal(result.status, c.status, `${c.name}: ${result.reason ?? ""}`);
    if (c.reason) assert.match(result.reason ?? "", c.reason, c.name);
    if (c.status === "failed") assert.equal(result.graph, null, c.name);
    if (c.packages) assert.deepEqual(result.graph ? nameVersions(result.graph) : [], c.packages, c.name);
    if (c.edges) assert.deepEqual(rootEdges(result.graph), c.edges, c.name);
  }
});

test("sources, locations and dev flags from the fixture Pipfile", () => {
  const text = readFixture(import.meta.url, "basic", "Pipfile");
  const { graph, status } = extractFrom(pipfileExtractor, "app/Pipfile", { "app/Pipfile": text });
  assert.equal(status, "ok");
  if (!graph) throw new Error("no graph");
  const byName = new Map(graph.packages().map((p) => [p.name, p]));
  assert.deepEqual(byName.get("litellm")?.locations, [{ file: "app/Pipfile", line: 7 }]);
  assert.deepEqual(byName.get("ruff")?.locations, [{ file: "app/Pipfile", line: 16 }]);
  assert.equal(byName.get("tiktoken")?.source, "git");
  assert.equal(byName.get("tiktoken")?.resolved, "https://github.com/openai/tiktoken.git@0.9.0");
  assert.equal(byName.get("my-agent-tools")?.source, "path");
  assert.equal(byName.get("openai")?.declared, "[realtime]>=2.0");
  assert.equal(byName.get("pytest")?.dev, true);
  assert.equal(byName.get("ruff")?.dev, true);
  assert.equal(byName.get("litellm")?.dev, false);
  // Importer edges point at the declaring line.
  assert.deepEqual(graph.dependenciesOf(ROOT_ID).map((e) => `${graph.get(e.to)?.name} ${e.location?.file}:${e.location?.line}`).sort(), [
    "litellm app/Pipfile:7", "my-agent-tools app/Pipfile:10", "openai app/Pipfile:8", "pytest app/Pipfile:13", "ruff app/Pipfile:16", "tiktoken app/Pipfile:9",
  ]);
});

test("Pipfile categories map to Pipfile.lock sections", () => {
  assert.equal(lockSectionOf("packages"), "default");
  assert.equal(lockSectionOf("dev-packages"), "develop");
  assert.equal(lockSectionOf("docs"), "docs");
  assert.deepEqual(parsePipfile('[source]\nurl = "x"\n[pipenv]\nallow_prereleases = true\n').dependencies, []);
});
