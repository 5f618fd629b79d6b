import { test } from "node:test";
import assert from "node:assert/strict";
import { ROOT_ID } from "../../graph/dependency-graph.js";
import { chainNames, extractFrom, loadTree, readFixture, realworldPath } from "../../testing/fixtures.js";
import { parsePyproject, pinnedVersion, pyprojectExtractor, uvWorkspaceMemberDirs } from "./pyproject-toml.js";
import type { DeclaredDependency } from "./pyproject-toml.js";

/** A compact view of a declaration: name, kind/group, spec, source. */
function view(d: DeclaredDependency): string {
  return `${d.name} ${d.kind}/${d.group} ${JSON.stringify(d.spec)} ${d.source}${d.resolved ? ` ${d.resolved}` : ""}`;
}

test("claims pyproject.toml only", () => {
  const cases: Array<[string, boolean]> = [
    ["pyproject.toml", true],
    ["services/api/pyproject.toml", true],
    ["pyproject.toml.bak", false],
    ["mypyproject.toml", false],
    ["poetry.lock", false],
    ["uv.lock", false],
    ["Pyproject.toml", false],
  ];
  for (const [path, expected] of cases) assert.equal(pyprojectExtractor.claims(path), expected, path);
});

test("PEP 621 dependencies, extras (self-referencing), PEP 735 groups, uv dev-dependencies and sources", () => {
  const p = parsePyproject(readFixture(import.meta.url, "pep621.toml"));
  assert.equal(p.name, "Agent_Kit");
  assert.equal(p.version, "0.5.0");
  assert.deepEqual(p.dependencies.map(view), [
    `litellm prod/main "==1.82.6" registry`,
    `crewai prod/main ">=0.152.0" git https://github.com/crewAIInc/crewAI@f4731f5`,
    `openai-agents prod/main "" git git+https://github.com/openai/openai-agents-python@v0.1.0`,
    `local-helpers prod/main "" path ../helpers`,
    `pywin32 prod/main "" registry`,
    `anthropic optional/anthropic ">=0.30" url https://example.com/anthropic-0.30.0-py3-none-any.whl`,
    `qdrant-client optional/vector "~=1.12" registry`,
    // `all = ["agent-kit[anthropic,vector]"]` names the project itself: it pulls in those extras.
    `anthropic optional/all ">=0.30" url https://example.com/anthropic-0.30.0-py3-none-any.whl`,
    `qdrant-client optional/all "~=1.12" registry`,
    `pytest dev/test ">=8" registry`,
    `respx dev/test "" registry`,
    `ruff dev/lint "==0.6.9" registry`,
    `pytest dev/dev ">=8" registry`,
    `respx dev/dev "" registry`,
    `ruff dev/dev "==0.6.9" registry`,
    `ipython dev/dev "" registry`,
    `six dev/loop-a "" registry`,
    `six dev/loop-b "" registry`,
    `mypy dev/dev ">=1.10" registry`,
  ]);
  const crewai = p.dependencies.find((d) => d.name === "crewai");
  assert.deepEqual(crewai?.extras, ["tools"]);
  assert.equal(p.dependencies.find((d) => d.name === "pywin32")?.marker, "sys_platform == 'win32'");
  assert.equal(p.dependencies.find((d) => d.name === "mypy")?.origin, "uv");
  // The include cycle is reported once, and only it is skipped.
  assert.deepEqual(p.skipped, ["dependency-groups include cycle: loop-a -> loop-b -> loop-a"]);
});

test("declarations carry the line they were written on", () => {
  const text = readFixture(import.meta.url, "pep621.toml");
  const lines = text.split("\n");
  const p = parsePyproject(text);
  for (const [name, needle] of [["litellm", `"litellm==1.82.6"`], ["ipython", `"ipython"`], ["mypy", `"mypy>=1.10"`]] as const) {
    const line = p.dependencies.find((d) => d.name === name)?.line;
    assert.ok(line !== undefined, name);
    assert.ok(lines[line - 1]?.includes(needle), `${name} at line ${line}`);
  }
  const poetryText = readFixture(import.meta.url, "poetry.toml");
  const poetry = parsePyproject(poetryText);
  const torch = poetry.dependencies.find((d) => d.name === "torch")?.line;
  assert.equal(poetryText.split("\n")[(torch ?? 0) - 1]?.startsWith("torch = "), true);
  const pytest = poetry.dependencies.find((d) => d.name === "pytest")?.line;
  assert.equal(poetryText.split("\n")[(pytest ?? 0) - 1], `pytest = "^8.0"`);
  // Every declaration, of every form, is located.
  assert.deepEqual(poetry.dependencies.filter((d) => d.line === undefined).map((d) => d.name), []);
  assert.deepEqual(p.dependencies.filter((d) => d.line === undefined).map((d) => d.name), []);
});

test("Poetry: every value form, python skipped, optional deps mapped to their extras, groups as dev", () => {
  const p = parsePyproject(readFixture(import.meta.url, "poetry.toml"));
  assert.equal(p.name, "poetry-app");
  assert.equal(p.version, "2.0.0");
  assert.equal(p.poetry, true);
  assert.deepEqual(p.dependencies.map(view), [
    `langchain prod/main "^0.3.0" registry`,
    `transformers prod/main "4.41.2" registry`,
    `openai prod/main ">=1.40" registry`,
    `torch optional/local "^2.2.1" registry`,
    `sdk prod/main "" git https://github.com/acme/sdk.git@main`,
    `helpers prod/main "" path ../helpers`,
    `wheelhouse prod/main "" url https://example.com/wheelhouse-1.0.tar.gz`,
    `pyreadline3 prod/main "^3.4.1" registry`,
    `numpy prod/main "<1.25 || ^1.26" registry`,
    `black dev/dev "^23.10" registry`,
    `pytest dev/test "^8.0" registry`,
    `mkdocs dev/docs "*" registry`,
  ]);
  assert.deepEqual(p.dependencies.find((d) => d.name === "openai")?.extras, ["realtime"]);
  assert.equal(p.dependencies.find((d) => d.name === "pyreadline3")?.marker, "sys_platform == 'win32'");
  assert.deepEqual(p.skipped, []);
});

test("exact pins: PEP 440 == and bare Poetry versions; ranges and wildcards are not pins", () => {
  const cases: Array<[string, DeclaredDependency["origin"], string | undefined]> = [
    ["==1.82.8", "project", "1.82.8"],
    ["== 1.82.8", "project", "1.82.8"],
    ["4.41.2", "poetry", "4.41.2"],
    ["4.41.2", "project", undefined],
    ["^1.0", "poetry", undefined],
    ["==6.0.*", "project", undefined],
    [">=1,<2", "project", undefined],
    ["*", "poetry", undefined],
    ["", "project", undefined],
  ];
  for (const [spec, origin, expected] of cases) assert.equal(pinnedVersion({ spec, origin }), expected, `${origin} ${spec}`);
});

test("bad entries are skipped and counted; the rest is kept", () => {
  const p = parsePyproject(`[project]\nname = "x"\ndependencies = ["ok>=1", 42, "-e .", "fine"]\n[dependency-groups]\ndev = [{ include-group = "nope" }, { other = 1 }]\n[tool.poetry.dependencies]\nbad = 3\n`);
  assert.deepEqual(p.dependencies.map((d) => d.name), ["ok", "fine"]);
  assert.equal(p.skipped.length, 5, p.skipped.join("\n"));
  const r = extractFrom(pyprojectExtractor, "pyproject.toml", { "pyproject.toml": `[project]\nname = "x"\ndependencies = ["ok>=1", 42]\n` });
  assert.equal(r.status, "partial");
  assert.match(r.reason ?? "", /1 entry skipped: project\.dependencies\[1\] is not a string/);
  assert.equal(r.graph?.packages().length, 1);
});

test("manifest graph: exact pins become versions, specs become `declared`, kinds become edge kinds", () => {
  const r = extractFrom(pyprojectExtractor, "svc/pyproject.toml", { "svc/pyproject.toml": readFixture(import.meta.url, "pep621.toml") });
  assert.equal(r.status, "partial", "the include cycle is a skipped entry");
  const g = r.graph;
  assert.ok(g);
  assert.equal(g.root.name, "agent-kit");
  assert.equal(g.root.version, "0.5.0");
  const litellm = g.packages().find((p) => p.name === "litellm");
  assert.equal(litellm?.version, "1.82.6");
  assert.equal(litellm?.declared, "==1.82.6");
  assert.equal(litellm?.locations[0]?.file, "svc/pyproject.toml");
  assert.equal(litellm?.locations[0]?.line, 6);
  const crewai = g.packages().find((p) => p.name === "crewai");
  assert.equal(crewai?.version, "");
  assert.equal(crewai?.source, "git");
  assert.equal(g.packages().find((p) => p.name === "local-helpers")?.source, "path");
  const kinds = (name: string) => g.dependenciesOf(ROOT_ID).filter((e) => g.get(e.to)?.name === name).map((e) => e.kind).sort();
  assert.deepEqual(kinds("anthropic"), ["optional"]);
  assert.deepEqual(kinds("pytest"), ["dev"]);
  assert.equal(g.packages().find((p) => p.name === "anthropic")?.optional, true);
  assert.equal(g.packages().find((p) => p.name === "pytest")?.dev, true);
  assert.equal(g.packages().find((p) => p.name === "litellm")?.dev, false);
  assert.deepEqual(chainNames(g, litellm?.id ?? ""), ["root > litellm"]);
  // Importer edges point at the declaring line of the file.
  const text = readFixture(import.meta.url, "pep621.toml").split("\n");
  const edges = g.dependenciesOf(ROOT_ID);
  assert.equal(edges.length, 13);
  for (const edge of edges) {
    const name: string = g.get(edge.to)?.name ?? "";
    assert.equal(edge.location?.file, "svc/pyproject.toml", name);
    assert.match(text[(edge.location?.line ?? 0) - 1] ?? "", new RegExp(`"${name}`, "i"), name);
  }
  assert.deepEqual(edges.filter((e) => g.get(e.to)?.name === "ruff").map((e) => e.location?.line), [20]);
});

test("files with no dependencies, empty, not TOML, truncated", () => {
  const cases: Array<{ name: string; text: string; status: string; packages?: number; reason?: RegExp }> = [
    { name: "only [tool.ruff]", text: readFixture(import.meta.url, "ruff-only.toml"), status: "ok", packages: 0 },
    { name: "empty file", text: "", status: "ok", packages: 0 },
    { name: "dynamic dependencies", text: readFixture(import.meta.url, "dynamic.toml"), status: "ok", packages: 0, reason: /dependencies declared dynamic/ },
    { name: "not TOML (JSON)", text: `{"name": "x", "dependencies": {}}`, status: "failed", reason: /^invalid TOML at line 1, column \d+: / },
    { name: "truncated inside an array", text: `[project]\nname = "x"\ndependencies = [\n    "litellm>=1",\n    "open`, status: "failed", reason: /^invalid TOML at line 5/ },
  ];
  for (const c of cases) {
    const r = extractFrom(pyprojectExtractor, "pyproject.toml", { "pyproject.toml": c.text });
    assert.equal(r.status, c.status, c.name);
    if (c.packages !== undefined) assert.equal(r.graph?.packages().length, c.packages, c.name);
    if (c.reason) assert.match(r.reason ?? "", c.reason, c.name);
    else assert.equal(r.reason, undefined, c.name);
    if (c.status === "failed") {
      assert.equal(r.graph, null, c.name);
      assert.equal((r.reason ?? "").includes("\n"), false, `${c.name}: one-line reason`);
    }
  }
  // dynamic dependencies are fine when Poetry 2 supplies them from [tool.poetry.dependencies].
  const poetry2 = extractFrom(pyprojectExtractor, "pyproject.toml", {
    "pyproject.toml": `[project]\nname = "p"\ndynamic = ["dependencies"]\n[tool.poetry.dependencies]\nrequests = "^2.31"\n`,
  });
  assert.equal(poetry2.reason, undefined);
  assert.equal(poetry2.graph?.packages().length, 1);
});

test("uv workspace: members found by glob become importers with their own direct dependencies", () => {
  const dir = realworldPath("crewAIInc__crewAI");
  const members = ["cli", "crewai", "crewai-core", "crewai-files", "crewai-tools", "devtools"].map((m) => `lib/${m}/pyproject.toml`);
  const files = loadTree(dir, ["pyproject.toml", ...members]);
  assert.deepEqual(pyprojectExtractor.companions({ path: "pyproject.toml", text: files["pyproject.toml"] ?? "" }, { discovered: Object.keys(files).sort(), files: new Map(), unreadable: new Map() }).sort(), members.sort());
  const r = extractFrom(pyprojectExtractor, "pyproject.toml", files);
  assert.equal(r.status, "ok", r.reason);
  assert.deepEqual(r.consumed.sort(), members.sort());
  const g = r.graph;
  assert.ok(g);
  assert.deepEqual(g.importers().map((n) => n.name), ["", "crewai", "crewai-cli", "crewai-core", "crewai-devtools", "crewai-files", "crewai-tools"]);
  // crewai-tools declares `crewai==1.15.17`; the root's `[tool.uv.sources] crewai = { workspace = true }` makes it the member.
  const crewaiMember = g.importers().find((n) => n.name === "crewai");
  assert.equal(crewaiMember?.id, "workspace:lib/crewai");
  assert.deepEqual(g.packages().filter((p) => p.name === "crewai").map((p) => p.id), ["workspace:lib/crewai"]);
  const tools = g.importers().find((n) => n.name === "crewai-tools");
  assert.ok(g.dependenciesOf(tools?.id ?? "").some((e) => e.to === "workspace:lib/crewai" && e.spec === "==1.15.17"));
  // Per-member direct dependencies stay apart: pymupdf is crewai-tools' own, not crewai's.
  const pymupdf = g.packages().find((p) => p.name === "pymupdf");
  assert.deepEqual(g.directImporters(pymupdf?.id ?? "").map((n) => n.name), ["crewai-tools"]);
  // A member's edges point into the member's own pyproject.toml.
  const edge = g.dependenciesOf(tools?.id ?? "").find((e) => e.to === pymupdf?.id);
  assert.equal(edge?.location?.file, "lib/crewai-tools/pyproject.toml");
  assert.match(files["lib/crewai-tools/pyproject.toml"]?.split("\n")[(edge?.location?.line ?? 0) - 1] ?? "", /"pymupdf/i);
});

test("workspace member globs and excludes", () => {
  const discovered = ["pyproject.toml", "packages/a/pyproject.toml", "packages/b/pyproject.toml", "packages/legacy/pyproject.toml", "packages/a/nested/pyproject.toml", "tools/x/pyproject.toml", "other/pyproject.toml"];
  assert.deepEqual(uvWorkspaceMemberDirs("", ["packages/*"], ["packages/legacy"], discovered), ["packages/a", "packages/b"]);
  assert.deepEqual(uvWorkspaceMemberDirs("", ["./packages/**"], [], discovered), ["packages/a", "packages/a/nested", "packages/b", "packages/legacy"]);
  assert.deepEqual(uvWorkspaceMemberDirs("", ["tools/x", "packages/[ab]"], [], discovered), ["packages/a", "packages/b", "tools/x"]);
  assert.deepEqual(uvWorkspaceMemberDirs("packages", ["*"], [], discovered), ["a", "b", "legacy"]);
  // The glob cases themselves live in shared/glob.test.ts (uv options).
});

test("a workspace member that is not TOML is reported under its own path", () => {
  const r = extractFrom(pyprojectExtractor, "pyproject.toml", {
    "pyproject.toml": `[project]\nname = "root"\ndependencies = ["a"]\n[tool.uv.workspace]\nmembers = ["packages/*"]\n[tool.uv.sources]\na = { workspace = true }\n`,
    "packages/a/pyproject.toml": `[project]\nname = "a"\ndependencies = ["openai==1.2.3"]\n`,
    "packages/b/pyproject.toml": `[project\nname = "b"\n`,
  });
  assert.equal(r.status, "partial");
  assert.equal(r.reason, "1 workspace member manifest(s) could not be read");
  assert.deepEqual(r.consumed, ["packages/a/pyproject.toml", "packages/b/pyproject.toml"]);
  assert.deepEqual(r.problems.map((p) => `${p.path} ${p.status}`), ["packages/b/pyproject.toml failed"]);
  const g = r.graph;
  assert.ok(g);
  assert.deepEqual(chainNames(g, "openai@1.2.3"), ["root > a > openai"]);
});
