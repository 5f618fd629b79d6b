import { test } from "node:test";
import assert from "node:assert/strict";
import { ROOT_ID } from "../../graph/dependency-graph.js";
import type { DependencyGraph } from "../../graph/dependency-graph.js";
import type { PackageNode } from "../../graph/package-node.js";
import type { ExtractContext } from "../extractor.js";
import { chainNames, extractFrom, loadTree, nameVersions, readFixture, realworldPath } from "../../testing/fixtures.js";
import { requirementsExtractor } from "./requirements-txt.js";

function only(graph: DependencyGraph | null, name: string): PackageNode {
  const found = graph?.packages().filter((p) => p.name === name) ?? [];
  assert.equal(found.length, 1, `exactly one ${name}`);
  return found[0] as PackageNode;
}

function directNames(graph: DependencyGraph | null): string[] {
  return (graph?.packages() ?? []).filter((p) => graph?.isDirect(p.id)).map((p) => p.name).sort();
}

test("claims requirements files by name", () => {
  const cases: Array<[string, boolean]> = [
    ["requirements.txt", true],
    ["app/requirements.txt", true],
    ["requirements-dev.txt", true],
    ["requirements_test.txt", true],
    ["requirements.dev.txt", true],
    ["Requirements.txt", true],
    ["requirements/prod.txt", true],
    ["backend/requirements/base.txt", true],
    ["requirements/base.in", true],
    ["requirements.in", true],
    ["requirements-dev.in", true],
    ["constraints.txt", true],
    ["constraints-py311.txt", true],
    ["dev-requirements.txt", true],
    ["test_requirements.txt", true],
    ["README.txt", false],
    ["requirements.md", false],
    ["requirements", false],
    ["requirements.txt.bak", false],
    ["requirements/README.txt", false],
    ["requirements/LICENSE.txt", false],
    ["requirements/notes.md", false],
    ["docs/requirements/sub/x.txt", false],
    ["constraints.in", false],
    ["setup.txt", false],
    ["myrequirements.txt", false],
    ["Pipfile", false],
  ];
  for (const [path, expected] of cases) assert.equal(requirementsExtractor.claims(path), expected, path);
});

interface Case {
  name: string;
  files: Record<string, string>;
  primary?: string;
  status: "ok" | "partial" | "failed";
  reason?: RegExp;
  packages?: string[];
  direct?: string[];
  consumed?: string[];
  problems?: Array<{ path: string; status: string; reason: RegExp }>;
}

const cases: Case[] = [
  { name: "empty file", files: { "requirements.txt": "" }, status: "ok", packages: [] },
  { name: "comments and options only", files: { "requirements.txt": "# nothing\n--index-url https://pypi.org/simple\n\n" }, status: "ok", packages: [] },
  { name: "binary file", files: { "requirements.txt": "\u0000\u0001PK\u0003\u0004litellm==1" }, status: "failed", reason: /^binary file \(contains NUL bytes\)$/ },
  { name: "not this format", files: { "requirements.txt": "This is not a list of packages.\nIt is prose.\n" }, status: "failed", reason: /^not a requirements file: nothing readable; line 1: / },
  { name: "truncated mid-line", files: { "requirements.txt": "openai==2.43.0\nlitellm[proxy" }, status: "partial", reason: /^skipped 1 unreadable line; first at line 2: /, packages: ["openai@2.43.0"] },
  { name: "minimal", files: { "requirements.txt": "litellm==1.82.6\n" }, status: "ok", packages: ["litellm@1.82.6"], direct: ["litellm"] },
  { name: "two packages, CRLF", files: { "requirements.txt": "litellm==1.82.6\r\nopenai>=1.0\r\n" }, status: "ok", packages: ["litellm@1.82.6", "openai@"], direct: ["litellm", "openai"] },
  { name: "bad version", files: { "requirements.txt": "litellm==1.82.6\nopenai>=>1\nanthropic=1.0\n" }, status: "partial", reason: /^skipped 2 unreadable lines; first at line 2: invalid version specifier/, packages: ["litellm@1.82.6"] },
  { name: "the earliest bad line is named", files: { "requirements.txt": "litellm==1.82.6\n???\nopenai==2.43.0 --hash=nocolon\n" }, status: "partial", reason: /^skipped 2 unreadable lines; first at line 2: not a requirement: \?\?\?$/, packages: ["litellm@1.82.6", "openai@2.43.0"] },
  { name: "unknown option", files: { "requirements.txt": "litellm==1.82.6\n--process-dependency-links\n" }, status: "partial", reason: /line 2: unknown option --process-dependency-links/, packages: ["litellm@1.82.6"] },
  {
    name: "-r includes are direct dependencies, transitively, relative to the including file",
    files: {
      "requirements.txt": "-r requirements/prod.txt\nlitellm==1.82.6\n",
      "requirements/prod.txt": "--requirement=base.txt\nopenai==2.43.0\n",
      "requirements/base.txt": "-r ../shared/common.txt\nhttpx==0.28.1\n",
      "shared/common.txt": "anyio==4.13.0\n",
    },
    status: "ok",
    packages: ["anyio@4.13.0", "httpx@0.28.1", "litellm@1.82.6", "openai@2.43.0"],
    direct: ["anyio", "httpx", "litellm", "openai"],
    consumed: ["requirements/prod.txt", "requirements/base.txt", "shared/common.txt"],
  },
  {
    name: "include cycle",
    files: { "a.txt": "-r b.txt\nlitellm==1.82.6\n", "b.txt": "-r a.txt\nopenai==2.43.0\n" },
    primary: "a.txt",
    status: "partial",
    reason: /^b\.txt: include cycle: a\.txt → b\.txt → a\.txt$/,
    packages: ["litellm@1.82.6", "openai@2.43.0"],
    consumed: ["b.txt"],
    problems: [{ path: "b.txt", status: "partial", reason: /^include cycle: a\.txt → b\.txt → a\.txt$/ }],
  },
  { name: "file including itself", files: { "requirements.txt": "-r ./requirements.txt\nlitellm==1.82.6\n" }, status: "partial", reason: /^include cycle: requirements\.txt → requirements\.txt$/, packages: ["litellm@1.82.6"], problems: [] },
  {
    name: "missing include",
    files: { "requirements.txt": "-r requirements/missing.txt\nlitellm==1.82.6\n" },
    status: "partial",
    reason: /^requirements\/missing\.txt: file not found \(included from requirements\.txt line 1\)$/,
    packages: ["litellm@1.82.6"],
    problems: [{ path: "requirements/missing.txt", status: "failed", reason: /file not found/ }],
  },
  {
    name: "include escaping the scanned root, and a URL include",
    files: { "app/requirements.txt": "-r ../../outside.txt\n-c /etc/constraints.txt\n-r https://example.test/req.txt\nlitellm==1.82.6\n" },
    primary: "app/requirements.txt",
    status: "partial",
    reason: /^-r \.\.\/\.\.\/outside\.txt \(line 1\) is outside the scanned folder: not read \(and 2 more problems\)$/,
    packages: ["litellm@1.82.6"],
    consumed: [],
    problems: [],
  },
  {
    name: "a bad line in an included file is that file's problem",
    files: { "requirements.txt": "-r dev.txt\n", "dev.txt": "pytest==9.0.3\n???\n" },
    status: "partial",
    reason: /^dev\.txt: skipped 1 unreadable line; first at line 2/,
    packages: ["pytest@9.0.3"],
    problems: [{ path: "dev.txt", status: "partial", reason: /first at line 2/ }],
  },
  {
    name: "binary include",
    files: { "requirements.txt": "-r blob.txt\nlitellm==1.82.6\n", "blob.txt": "\u0000\u0000" },
    status: "partial",
    packages: ["litellm@1.82.6"],
    problems: [{ path: "blob.txt", status: "failed", reason: /^binary file/ }],
  },
  {
    name: "-c constraints add no packages but pin unpinned requirements",
    files: {
      "requirements.in": "litellm\nopenai>=2\nnumpy\n-c constraints.txt\n",
      "constraints.txt": "litellm==1.82.6\nopenai==2.43.0\nanthropic==0.40.0\nnumpy==2.3.0 ; python_version >= '3.11'\n",
    },
    primary: "requirements.in",
    status: "ok",
    packages: ["litellm@1.82.6", "numpy@", "openai@2.43.0"],
    consumed: ["constraints.txt"],
  },
  {
    name: "-r inside a constraints file adds requirements (pip's rule)",
    files: { "requirements.txt": "-c c.txt\n", "c.txt": "-r extra.txt\nlitellm==1.82.6\n", "extra.txt": "openai==2.43.0\n" },
    status: "ok",
    packages: ["openai@2.43.0"],
    consumed: ["c.txt", "extra.txt"],
  },
];

test("extraction cases", () => {
  for (const c of cases) {
    const primary = c.primary ?? "requirements.txt";
    const result = extractFrom(requirementsExtractor, primary, c.files);
    assert.equal(result.status, c.status, `${c.name}: status (${result.reason ?? ""})`);
    if (c.reason) assert.match(result.reason ?? "", c.reason, `${c.name}: reason`);
    if (c.status === "failed") assert.equal(result.graph, null, c.name);
    if (c.packages) assert.deepEqual(result.graph ? nameVersions(result.graph) : [], c.packages, `${c.name}: packages`);
    if (c.direct) assert.deepEqual(directNames(result.graph), c.direct, `${c.name}: direct`);
    if (c.consumed) assert.deepEqual(result.consumed, c.consumed, `${c.name}: consumed`);
    if (c.problems) {
      assert.equal(result.problems.length, c.problems.length, `${c.name}: problems ${JSON.stringify(result.problems)}`);
      c.problems.forEach((p, i) => {
        assert.equal(result.problems[i]?.path, p.path, `${c.name}: problem path`);
        assert.equal(result.problems[i]?.status, p.status, `${c.name}: problem status`);
        assert.match(result.problems[i]?.reason ?? "", p.reason, `${c.name}: problem reason`);
      });
    }
  }
});

test("package details: location, hashes over continuation lines, markers, extras, sources", () => {
  const text = [
    "# header",
    "litellm[proxy]==1.82.6 \\",
    "    --hash=sha256:164a3ef3e19f309e3cabc199bef3d2045212712fefdfa25fc7f75884a5b5b205 \\",
    "    --hash=sha256:aaaa",
    `numpy>=2.3,<2.5; python_version >= "3.11"`,
    "-e git+https://github.com/acme/tools.git@4f2c1e0#egg=acme-tools",
    "-e .",
    "./vendor/openai-2.43.0-py3-none-any.whl",
    "https://example.test/dist/anthropic-0.40.0.tar.gz",
  ].join("\n");
  const { graph, status } = extractFrom(requirementsExtractor, "requirements.txt", { "requirements.txt": text });
  assert.equal(status, "ok");
  const litellm = only(graph, "litellm");
  assert.equal(litellm.version, "1.82.6");
  assert.equal(litellm.declared, "[proxy]==1.82.6");
  assert.deepEqual(litellm.locations, [{ file: "requirements.txt", line: 2 }]);
  assert.deepEqual(litellm.hashes.map((h) => `${h.algorithm}:${h.value.slice(0, 4)}`), ["sha256:164a", "sha256:aaaa"]);
  assert.equal(litellm.purl, "pkg:pypi/litellm@1.82.6");
  const numpy = only(graph, "numpy");
  assert.equal(numpy.version, "");
  assert.equal(numpy.declared, `>=2.3,<2.5 ; python_version >= "3.11"`, "the marker is kept in declared");
  assert.deepEqual(numpy.locations, [{ file: "requirements.txt", line: 5 }]);
  const tools = only(graph, "acme-tools");
  assert.equal(tools.source, "git");
  assert.equal(tools.resolved, "git+https://github.com/acme/tools.git@4f2c1e0");
  assert.equal(only(graph, ".").source, "path");
  const openai = only(graph, "openai");
  assert.deepEqual([openai.version, openai.source, openai.resolved], ["2.43.0", "path", "./vendor/openai-2.43.0-py3-none-any.whl"]);
  const anthropic = only(graph, "anthropic");
  assert.deepEqual([anthropic.version, anthropic.source], ["0.40.0", "url"]);
  assert.deepEqual(directNames(graph), [".", "acme-tools", "anthropic", "litellm", "numpy", "openai"]);
  // Each root edge points at the requirement's (first) line.
  assert.deepEqual(graph?.dependenciesOf(ROOT_ID).map((e) => `${graph.get(e.to)?.name} ${e.location?.file}:${e.location?.line}`).sort(), [
    ". requirements.txt:7",
    "acme-tools requirements.txt:6",
    "anthropic requirements.txt:9",
    "litellm requirements.txt:2",
    "numpy requirements.txt:5",
    "openai requirements.txt:8",
  ]);
});

test("a requirement from an included file is declared on that file's line", () => {
  const { graph } = extractFrom(requirementsExtractor, "requirements.txt", {
    "requirements.txt": "-r base.txt\nrich==13.0.0\n",
    "base.txt": "# base\n\nopenai>=1.0\n",
  });
  assert.deepEqual(graph?.dependenciesOf(ROOT_ID).map((e) => `${graph.get(e.to)?.name} ${e.location?.file}:${e.location?.line}`).sort(), [
    "openai base.txt:3",
    "rich requirements.txt:2",
  ]);
});

test("constraints: the pin is recorded in declared and a marker-bound pin is not applied", () => {
  const { graph } = extractFrom(requirementsExtractor, "requirements.in", {
    "requirements.in": "litellm[proxy]>=1.80\nnumpy\n-c constraints.txt\n",
    "constraints.txt": "litellm==1.82.6\nnumpy==2.3.0 ; python_version >= '3.11'\n",
  });
  const litellm = only(graph, "litellm");
  assert.equal(litellm.version, "1.82.6");
  assert.equal(litellm.declared, "[proxy]>=1.80,==1.82.6");
  assert.equal(only(graph, "numpy").declared, "");
});

test("via annotations become the edges of a pip-compile file", () => {
  const files = { "requirements.txt": readFixture(import.meta.url, "pip-compile", "requirements.txt") };
  const { graph, status } = extractFrom(requirementsExtractor, "requirements.txt", files);
  assert.equal(status, "ok");
  if (!graph) throw new Error("no graph");
  assert.equal(graph.packages().length, 11);
  assert.deepEqual(directNames(graph), ["litellm", "openai"], "only `my-agent (pyproject.toml)` entries are direct");
  assert.deepEqual(chainNames(graph, only(graph, "litellm").id), ["root > litellm"]);
  assert.deepEqual(chainNames(graph, only(graph, "openai").id), ["root > openai", "root > litellm > openai"]);
  assert.deepEqual(chainNames(graph, only(graph, "h11").id), [
    "root > litellm > httpx > httpcore > h11",
    "root > openai > httpx > httpcore > h11",
    "root > litellm > openai > httpx > httpcore > h11",
  ]);
  assert.deepEqual(graph.dependentsOf(only(graph, "anyio").id).map((e) => graph.get(e.from)?.name), ["httpx", "openai"]);
  assert.equal(only(graph, "httpx").hashes.length, 2);
  assert.ok(graph.packages().every((p) => graph.distance(p.id) !== undefined), "every package is reachable");
});

test("via edge cases: unknown names, hand-appended lines, an annotated file included from a plain one", () => {
  const files = {
    "requirements.txt": "-r locked.txt\nrich==13.0.0\n",
    "locked.txt": [
      "aiohttp==3.13.3",
      "    # via litellm",
      "litellm==1.82.6",
      "    # via -r requirements.in",
      "orphan==1.0",
      "    # via some-package-not-listed",
      "    ",
      "# appended by hand",
      "numpy<2",
    ].join("\n"),
  };
  const { graph, status } = extractFrom(requirementsExtractor, "requirements.txt", files);
  assert.equal(status, "ok");
  assert.deepEqual(directNames(graph), ["litellm", "numpy", "orphan", "rich"]);
  assert.deepEqual(chainNames(graph as DependencyGraph, only(graph, "aiohttp").id), ["root > litellm > aiohttp"]);
});

test("companions returns the transitive closure of what has been read so far", () => {
  const files: Record<string, string> = {
    "requirements.txt": "-r a.txt\n-c c.txt\n",
    "a.txt": "-r sub/b.txt\n",
    "sub/b.txt": "-r ../requirements.txt\nlitellm==1.82.6\n",
    "c.txt": "litellm==1.82.6\n",
  };
  const read = new Map<string, string>();
  const context: ExtractContext = { discovered: Object.keys(files).sort(), files: read, unreadable: new Map() };
  const file = { path: "requirements.txt", text: files["requirements.txt"] as string };
  const rounds: string[][] = [];
  for (let i = 0; i < 5; i++) {
    const wanted = requirementsExtractor.companions(file, context);
    rounds.push(wanted);
    for (const p of wanted) read.set(p, files[p] as string);
  }
  assert.deepEqual(rounds[0], ["a.txt", "c.txt"]);
  assert.deepEqual(rounds[1], ["a.txt", "sub/b.txt", "c.txt"]);
  assert.deepEqual(rounds[4], ["a.txt", "sub/b.txt", "c.txt"], "stops growing despite the cycle back to the primary");
  assert.deepEqual(requirementsExtractor.companions({ path: "requirements.txt", text: "\u0000" }, context), []);
});

test("real world: aider requirements.txt (uv pip compile with # via)", () => {
  const dir = realworldPath("Aider-AI__aider");
  const { graph, status, consumed } = extractFrom(requirementsExtractor, "requirements.txt", loadTree(dir, ["requirements.txt"]));
  assert.equal(status, "ok");
  if (!graph) throw new Error("no graph");
  assert.deepEqual(consumed, []);
  assert.equal(graph.packages().length, 108, "110 requirement lines; numpy<2 / numpy>=2.3 and the scipy pair merge (no version)");
  const litellm = only(graph, "litellm");
  assert.equal(litellm.version, "1.82.3");
  assert.deepEqual(litellm.locations, [{ file: "requirements.txt", line: 184 }]);
  assert.deepEqual(chainNames(graph, litellm.id), ["root > litellm"]);
  assert.deepEqual(chainNames(graph, only(graph, "aiohappyeyeballs").id), ["root > litellm > aiohttp > aiohappyeyeballs"]);
  assert.deepEqual(chainNames(graph, only(graph, "openai").id), ["root > litellm > openai"]);
  assert.deepEqual(graph.dependentsOf(only(graph, "anyio").id).map((e) => graph.get(e.from)?.name), ["httpx", "openai", "starlette", "watchfiles"]);
  assert.ok(graph.packages().every((p) => graph.distance(p.id) !== undefined), "every package is reachable");
  assert.equal(directNames(graph).length, 41);
  assert.deepEqual(graph.packages().filter((p) => p.name === "tree-sitter").map((p) => p.declared), [`==0.23.2 ; python_version < "3.10"`, `==0.25.2 ; python_version >= "3.10"`]);
});

test("real world: aider requirements/requirements.in (missing -r python-compat.in)", () => {
  const dir = realworldPath("Aider-AI__aider");
  const files = loadTree(dir, ["requirements/requirements.in", "requirements/common-constraints.txt"]);
  const result = extractFrom(requirementsExtractor, "requirements/requirements.in", files);
  assert.equal(result.status, "partial");
  assert.deepEqual(result.problems, [{ path: "requirements/python-compat.in", status: "failed", reason: "file not found (included from requirements/requirements.in line 32)" }]);
  assert.equal(result.graph?.packages().length, 35);
  assert.equal(only(result.graph, "networkx").declared, "<3.5");
});

test("real world: pontoon requirements.txt (-r requirements/prod.txt, --hash on every entry)", () => {
  const dir = realworldPath("mozilla__pontoon");
  const files = loadTree(dir, ["requirements.txt", "requirements/prod.txt", "requirements/dev.txt"]);
  const { graph, status, consumed } = extractFrom(requirementsExtractor, "requirements.txt", files);
  assert.equal(status, "ok");
  if (!graph) throw new Error("no graph");
  assert.deepEqual(consumed, ["requirements/prod.txt"]);
  assert.equal(graph.packages().length, 116);
  assert.ok(graph.packages().every((p) => p.hashes.length >= 1 && p.hashes.every((h) => h.algorithm === "sha256" && /^[0-9a-f]{64}$/.test(h.value))));
  const openai = only(graph, "openai");
  assert.deepEqual([openai.version, openai.locations], ["2.43.0", [{ file: "requirements/prod.txt", line: 1096 }]]);
  assert.deepEqual(chainNames(graph, openai.id), ["root > openai"]);
  assert.deepEqual(chainNames(graph, only(graph, "httpx").id), ["root > openai > httpx"]);
  assert.deepEqual(chainNames(graph, only(graph, "amqp").id), ["root > celery > kombu > amqp"]);
  assert.ok(graph.packages().every((p) => graph.distance(p.id) !== undefined));
});

test("real world: pontoon requirements/dev.in (-c prod.txt, -r base.in)", () => {
  const dir = realworldPath("mozilla__pontoon");
  const files = loadTree(dir, ["requirements/dev.in", "requirements/base.in", "requirements/prod.txt"]);
  const { graph, status, consumed } = extractFrom(requirementsExtractor, "requirements/dev.in", files);
  assert.equal(status, "ok");
  assert.deepEqual(consumed, ["requirements/prod.txt", "requirements/base.in"]);
  assert.equal(graph?.packages().length, 47, "13 own + 34 from base.in; prod.txt only constrains");
  assert.equal(graph?.packages().some((p) => p.name === "amqp"), false);
});

test("real world: aider compiled files consume their pip-compile inputs", () => {
  const dir = realworldPath("Aider-AI__aider");
  const files = loadTree(dir, ["pyproject.toml", "requirements.txt", "requirements/common-constraints.txt", "requirements/requirements-help.in", "requirements/requirements-help.txt", "requirements/requirements.in"]);
  const main = extractFrom(requirementsExtractor, "requirements.txt", files);
  assert.equal(main.status, "ok");
  // The header names both (`--constraint=requirements/common-constraints.txt … requirements/requirements.in`), relative
  // to the root where the command ran; pyproject.toml is no input here.
  assert.deepEqual(main.consumed, ["requirements/common-constraints.txt", "requirements/requirements.in"]);
  assert.deepEqual(main.problems, [], "the inputs' own trouble (a missing -r in requirements.in) is reported by their own extraction");
  const graph = main.graph as DependencyGraph;
  assert.equal(graph.packages().length, 108, "the inputs add no packages: the compiled file is the resolved truth");
  // Direct dependencies carry what requirements.in asks for, not the pin.
  const litellm = only(graph, "litellm");
  assert.deepEqual([litellm.version, litellm.declared], ["1.82.3", ""]);
  assert.equal(only(graph, "networkx").declared, "<3.5");
  assert.deepEqual(graph.dependentsOf(only(graph, "networkx").id).filter((e) => e.from === "root").map((e) => e.spec), ["<3.5"]);
  assert.equal(only(graph, "aiohttp").declared, "==3.13.3", "a transitive package keeps the pin as written");

  const help = extractFrom(requirementsExtractor, "requirements/requirements-help.txt", files);
  // The .in beside it first, then the header's constraint file, found one folder up from requirements/.
  assert.deepEqual(help.consumed, ["requirements/requirements-help.in", "requirements/common-constraints.txt"]);
  assert.equal(help.graph?.packages().length, 81);
});

test("real world: pontoon compiled files consume their inputs (via -r base.in, -c prod.txt, dev.in beside dev.txt)", () => {
  const dir = realworldPath("mozilla__pontoon");
  const files = loadTree(dir, ["requirements.txt", "requirements/base.in", "requirements/dev.in", "requirements/dev.txt", "requirements/prod.in", "requirements/prod.txt"]);
  const dev = extractFrom(requirementsExtractor, "requirements/dev.txt", files);
  assert.equal(dev.status, "ok");
  assert.deepEqual(dev.consumed, ["requirements/dev.in", "requirements/prod.txt", "requirements/base.in"]);
  assert.equal(dev.graph?.packages().length, 138);
  const prod = extractFrom(requirementsExtractor, "requirements/prod.txt", files);
  assert.deepEqual(prod.consumed, ["requirements/prod.in", "requirements/base.in"]);
  assert.equal(prod.graph?.packages().length, 116);
  // requirements.txt is hand-written (`-r requirements/prod.txt`): nothing to pair.
  assert.deepEqual(extractFrom(requirementsExtractor, "requirements.txt", files).consumed, ["requirements/prod.txt"]);
});

test("a compiled file and the .in beside it: inputs are consumed, add no packages, and give direct dependencies their spec", () => {
  const files = {
    "requirements.in": "litellm[proxy]>=1.80\nopenai\n",
    "requirements.txt": [
      "litellm[proxy]==1.82.6",
      "    # via -r requirements.in",
      "openai==2.3.0",
      "    # via",
      "    #   -r requirements.in",
      "    #   litellm",
      "httpx==0.28.1",
      "    # via openai",
    ].join("\n"),
  };
  const { graph, consumed, status } = extractFrom(requirementsExtractor, "requirements.txt", files);
  assert.equal(status, "ok");
  assert.deepEqual(consumed, ["requirements.in"]);
  assert.deepEqual(graph?.packages().map((p) => `${p.name}@${p.version} ${p.declared}`), ["httpx@0.28.1 ==0.28.1", "litellm@1.82.6 [proxy]>=1.80", "openai@2.3.0 "]);
  // The declaration the project wrote is the input's line, not the pin the compiler wrote.
  assert.deepEqual(graph?.dependenciesOf(ROOT_ID).map((e) => `${graph.get(e.to)?.name} ${e.spec} ${e.location?.file}:${e.location?.line}`), [
    "litellm [proxy]>=1.80 requirements.in:1",
    "openai  requirements.in:2",
  ]);
  // Without the .in, the compiled file stands alone as before.
  const alone = extractFrom(requirementsExtractor, "requirements.txt", { "requirements.txt": files["requirements.txt"] });
  assert.deepEqual([alone.consumed, only(alone.graph, "litellm").declared], [[], "[proxy]==1.82.6"]);
  assert.deepEqual(alone.graph?.dependenciesOf(ROOT_ID).map((e) => e.location), [{ file: "requirements.txt", line: 1 }, { file: "requirements.txt", line: 3 }]);
});

test("real world: DocsGPT application/requirements.txt (hand-written)", () => {
  const dir = realworldPath("arc53__DocsGPT");
  const { graph, status } = extractFrom(requirementsExtractor, "application/requirements.txt", loadTree(dir, ["application/requirements.txt"]));
  assert.equal(status, "ok");
  assert.equal(graph?.packages().length, 114);
  assert.equal(directNames(graph).length, 114);
  assert.equal(only(graph, "openai").version, "2.53.0");
  const psycopg = only(graph, "psycopg");
  assert.deepEqual([psycopg.version, psycopg.declared], ["", "[binary,pool]>=3.1,<4"]);
  assert.equal(only(graph, "milvus-lite").declared, `==3.2.0 ; sys_platform != "win32"`);
});

test("a large file is read in linear time", () => {
  const line = "litellm==1.82.6 \\\n    --hash=sha256:164a3ef3e19f309e3cabc199bef3d2045212712fefdfa25fc7f75884a5b5b205\n    # via\n    #   -r requirements.in\n";
  const text = Array.from({ length: 60_000 }, (_, i) => line.replace("litellm", `pkg${i}`)).join("");
  const start = Date.now();
  const { graph } = extractFrom(requirementsExtractor, "requirements.txt", { "requirements.txt": text });
  assert.equal(graph?.packages().length, 60_000);
  assert.ok(Date.now() - start < 20_000, "generous bound");
});
