import { test } from "node:test";
import assert from "node:assert/strict";
import type { DependencyGraph } from "../../graph/dependency-graph.js";
import { ROOT_ID } from "../../graph/dependency-graph.js";
import type { PackageNode } from "../../graph/package-node.js";
import { chainNames, extractFrom, nameVersions, readFixture } from "../../testing/fixtures.js";
import { pipfileLockExtractor } from "./pipfile-lock.js";

function rootEdges(graph: DependencyGraph | null): string[] {
  return (graph?.dependenciesOf(ROOT_ID) ?? []).map((e) => `${graph?.get(e.to)?.name}:${e.kind}`).sort();
}

function node(graph: DependencyGraph | null, name: string): PackageNode {
  const found = graph?.packages().find((p) => p.name === name);
  assert.ok(found, name);
  return found;
}

const LOCK = (sections: Record<string, unknown>) => JSON.stringify({ _meta: { "pipfile-spec": 6, sources: [] }, ...sections }, null, 4);

test("claims only files named Pipfile.lock", () => {
  const cases: Array<[string, boolean]> = [
    ["Pipfile.lock", true],
    ["backend/Pipfile.lock", true],
    ["Pipfile", false],
    ["pipfile.lock", false],
    ["Pipfile.lock.orig", false],
    ["poetry.lock", false],
  ];
  for (const [path, expected] of cases) assert.equal(pipfileLockExtractor.claims(path), expected, path);
});

test("asks for the Pipfile in the same folder", () => {
  const context = { discovered: [], files: new Map(), unreadable: new Map() };
  assert.deepEqual(pipfileLockExtractor.companions({ path: "Pipfile.lock", text: "" }, context), ["Pipfile"]);
  assert.deepEqual(pipfileLockExtractor.companions({ path: "api/Pipfile.lock", text: "" }, context), ["api/Pipfile"]);
});

test("extraction cases", () => {
  const litellm = { hashes: ["sha256:164a3ef3e19f309e3cabc199bef3d2045212712fefdfa25fc7f75884a5b5b205"], version: "==1.82.6" };
  const cases: Array<{ name: string; lock: string; pipfile?: string; status: string; reason?: RegExp; packages?: string[]; edges?: string[] }> = [
    { name: "empty file", lock: "", status: "failed", reason: /^invalid JSON: / },
    { name: "binary file", lock: "\u0000{}", status: "failed", reason: /^binary file/ },
    { name: "truncated", lock: LOCK({ default: { litellm } }).slice(0, 80), status: "failed", reason: /^invalid JSON: / },
    { name: "not this format (an array)", lock: "[]", status: "failed", reason: /top level is not an object/ },
    { name: "not this format (other JSON)", lock: '{"name": "x", "version": "1.0.0"}', status: "failed", reason: /no _meta, default or develop/ },
    { name: "no packages", lock: LOCK({ default: {}, develop: {} }), pipfile: "", status: "ok", packages: [], edges: [] },
    { name: "minimal", lock: LOCK({ default: { litellm }, develop: {} }), pipfile: '[packages]\nlitellm = "==1.82.6"\n', status: "ok", packages: ["litellm@1.82.6"], edges: ["litellm:prod"] },
    {
      name: "without a Pipfile every entry is direct",
      lock: LOCK({ default: { litellm, openai: { version: "==2.43.0" } }, develop: { pytest: { version: "==9.0.3" } } }),
      status: "partial",
      reason: /^no Pipfile beside it \(file not found\): every locked package is treated as direct$/,
      packages: ["litellm@1.82.6", "openai@2.43.0", "pytest@9.0.3"],
      edges: ["litellm:prod", "openai:prod", "pytest:dev"],
    },
    {
      name: "bad version and a non-object entry",
      lock: LOCK({ default: { litellm, openai: { version: ">=2" }, broken: "==1.0" } }),
      pipfile: '[packages]\nlitellm = "*"\nopenai = "*"\n',
      status: "partial",
      reason: /^skipped 2 unreadable fields; first: default\.openai has no exact version \(>=2\)$/,
      packages: ["litellm@1.82.6", "openai@"],
      edges: ["litellm:prod", "openai:prod"],
    },
    {
      name: "declared in the Pipfile but not locked (stale lock)",
      lock: LOCK({ default: { litellm }, develop: {} }),
      pipfile: '[packages]\nlitellm = "*"\n[dev-packages]\npytest = "==9.0.3"\n',
      status: "ok",
      packages: ["litellm@1.82.6", "pytest@9.0.3"],
      edges: ["litellm:prod", "pytest:dev"],
    },
    {
      name: "declared in one category, locked in another",
      lock: LOCK({ default: {}, develop: { litellm } }),
      pipfile: '[packages]\nlitellm = "*"\n',
      status: "ok",
      packages: ["litellm@1.82.6"],
      edges: ["litellm:prod"],
    },
  ];
  for (const c of cases) {
    const files: Record<string, string> = { "Pipfile.lock": c.lock };
    if (c.pipfile !== undefined) files.Pipfile = c.pipfile;
    const result = extractFrom(pipfileLockExtractor, "Pipfile.lock", files);
    assert.equal(result.status, c.status, `${c.name}: ${result.reason ?? ""}`);
    if (c.reason) assert.match(result.reason ?? "", c.reason, c.name);
    if (c.status === "failed") assert.equal(result.graph, null, c.name);
    if (c.packages) assert.deepEqual(result.graph ? nameVersions(result.graph) : [], c.packages, c.name);
    if (c.edges) assert.deepEqual(rootEdges(result.graph), c.edges, c.name);
  }
});

test("credentials in a locked git URL are redacted", () => {
  const { graph } = extractFrom(pipfileLockExtractor, "Pipfile.lock", {
    "Pipfile.lock": LOCK({ default: { private: { git: "https://oauth2:glpat-secret@gitlab.test/acme/private.git", ref: "abc123" } } }),
  });
  assert.equal(node(graph, "private").resolved, "https://oauth2:***@gitlab.test/acme/private.git@abc123");
});

test("an unreadable Pipfile is reported under its own path", () => {
  const result = extractFrom(pipfileLockExtractor, "Pipfile.lock", {
    "Pipfile.lock": LOCK({ default: { litellm: { version: "==1.82.6" } } }),
    Pipfile: "[packages\nlitellm = 1",
  });
  assert.equal(result.status, "partial");
  assert.match(result.reason ?? "", /its Pipfile could not be read/);
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0]?.path, "Pipfile");
  assert.equal(result.problems[0]?.status, "failed");
  assert.match(result.problems[0]?.reason ?? "", /^invalid TOML at line 1/);
  assert.deepEqual(result.consumed, ["Pipfile"]);
  assert.deepEqual(rootEdges(result.graph), ["litellm:prod"]);
});

test("the fixture lock: sections, dev flags, direct dependencies from the Pipfile, no invented chains", () => {
  const files = {
    "app/Pipfile.lock": readFixture(import.meta.url, "basic", "Pipfile.lock"),
    "app/Pipfile": readFixture(import.meta.url, "basic", "Pipfile"),
  };
  const { graph, status, consumed, problems } = extractFrom(pipfileLockExtractor, "app/Pipfile.lock", files);
  assert.equal(status, "ok");
  assert.deepEqual(consumed, ["app/Pipfile"]);
  assert.deepEqual(problems, []);
  if (!graph) throw new Error("no graph");
  assert.deepEqual(nameVersions(graph), [
    "anyio@4.13.0", "certifi@2026.2.25", "distro@1.9.0", "h11@0.16.0", "httpcore@1.0.9", "httpx@0.28.1", "idna@3.15",
    "iniconfig@2.0.0", "litellm@1.82.6", "my-agent-tools@", "openai@2.43.0", "pluggy@1.5.0", "pytest@9.0.3",
    "ruff@0.16.1", "sniffio@1.3.1", "tiktoken@", "tqdm@4.67.3",
  ]);
  assert.deepEqual(rootEdges(graph), ["litellm:prod", "my-agent-tools:prod", "openai:prod", "pytest:dev", "ruff:dev", "tiktoken:prod"]);
  // The declarations live in the Pipfile: the root edges point there, the packages at their lock entries.
  assert.deepEqual(graph.dependenciesOf(ROOT_ID).map((e) => `${graph.get(e.to)?.name} ${e.location?.file}:${e.location?.line}`).sort(), [
    "litellm app/Pipfile:7", "my-agent-tools app/Pipfile:10", "openai app/Pipfile:8", "pytest app/Pipfile:13", "ruff app/Pipfile:16", "tiktoken app/Pipfile:9",
  ]);

  const litellm = node(graph, "litellm");
  assert.equal(litellm.declared, "==1.82.6");
  assert.deepEqual(litellm.hashes, [{ algorithm: "sha256", value: "164a3ef3e19f309e3cabc199bef3d2045212712fefdfa25fc7f75884a5b5b205" }]);
  assert.deepEqual(litellm.locations, [{ file: "app/Pipfile.lock", line: 75 }]);
  assert.equal(litellm.dev, false);
  assert.deepEqual(chainNames(graph, litellm.id), ["root > litellm"]);
  assert.equal(node(graph, "openai").declared, "[realtime]>=2.0");

  const httpx = node(graph, "httpx");
  assert.deepEqual(chainNames(graph, httpx.id), [], "the lock does not record who pulls httpx in");
  assert.equal(graph.isDirect(httpx.id), false);
  assert.equal(httpx.dev, false);
  assert.equal(httpx.declared, undefined);

  for (const name of ["pytest", "pluggy", "iniconfig", "ruff"]) assert.equal(node(graph, name).dev, true, name);
  assert.equal(node(graph, "idna").dev, false, "locked in default and develop");
  assert.equal(node(graph, "idna").locations.length, 2);

  const tiktoken = node(graph, "tiktoken");
  assert.deepEqual([tiktoken.source, tiktoken.resolved], ["git", "https://github.com/openai/tiktoken.git@e35ab0915e37b919946b70947f1d0854196cb72c"]);
  const tools = node(graph, "my-agent-tools");
  assert.deepEqual([tools.source, tools.resolved], ["path", "./tools"]);
});
