import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, ROOT_ID } from "./dependency-graph.js";
import { normalizeName } from "./names.js";
import { purlFor } from "./purl.js";

function names(chains: { id: string; name: string }[][]): string[] {
  return chains.map((c) => c.map((n) => (n.id === ROOT_ID ? "root" : n.name)).join(">"));
}

/** root → app-eval (dev) → crewai → litellm; root → langchain → litellm; root → a → b → c → litellm */
function sampleGraph() {
  const b = new GraphBuilder("pypi");
  const ids = Object.fromEntries(["evals", "crewai", "litellm", "langchain", "a", "b", "c", "orphan"].map((n) => [n, b.addPackage({ name: n, version: "1.0.0" })]));
  const id = (n: string) => ids[n] as string;
  b.addEdge(ROOT_ID, id("evals"), "dev");
  b.addEdge(id("evals"), id("crewai"), "prod");
  b.addEdge(id("crewai"), id("litellm"), "prod");
  b.addEdge(ROOT_ID, id("langchain"), "prod");
  b.addEdge(id("langchain"), id("litellm"), "optional");
  b.addEdge(ROOT_ID, id("a"), "prod");
  b.addEdge(id("a"), id("b"), "prod");
  b.addEdge(id("b"), id("c"), "prod");
  b.addEdge(id("c"), id("litellm"), "prod");
  b.addEdge(id("c"), id("a"), "prod"); // a cycle must not produce non-simple chains
  return { graph: b.build(), id };
}

test("pathsTo returns the shortest chains first, each simple, up to the limit", () => {
  const { graph, id } = sampleGraph();
  assert.deepEqual(names(graph.pathsTo(id("litellm"))), [
    "root>langchain>litellm",
    "root>evals>crewai>litellm",
    "root>a>b>c>litellm",
  ]);
  assert.deepEqual(names(graph.pathsTo(id("litellm"), 1)), ["root>langchain>litellm"]);
  assert.deepEqual(graph.pathsTo(id("orphan")), [], "a package the root cannot reach has no chain");
  assert.deepEqual(names(graph.pathsTo(ROOT_ID)), ["root"]);
});

test("dev and optional flags are computed from edge kinds when the lockfile does not state them", () => {
  const { graph, id } = sampleGraph();
  assert.equal(graph.get(id("evals"))?.dev, true);
  assert.equal(graph.get(id("crewai"))?.dev, true, "reachable only through a dev dependency");
  assert.equal(graph.get(id("litellm"))?.dev, false, "also reachable through prod edges");
  assert.equal(graph.get(id("litellm"))?.optional, false, "reachable through a required chain too");
  assert.equal(graph.get(id("orphan"))?.dev, false, "unreachable packages are not guessed to be dev");
  assert.equal(graph.isDirect(id("langchain")), true);
  assert.equal(graph.isDirect(id("litellm")), false);
});

test("explicit flags win, and a duplicate entry is dev only if every copy is", () => {
  const b = new GraphBuilder("npm");
  const x = b.addPackage({ name: "x", version: "1.0.0", dev: true, hashes: [{ algorithm: "sha512", value: "AA" }] });
  b.addPackage({ name: "x", version: "1.0.0", dev: false, hashes: [{ algorithm: "sha512", value: "AA" }], hasInstallScript: true });
  b.addEdge(ROOT_ID, x, "dev");
  const node = b.build().get(x);
  assert.equal(node?.dev, false);
  assert.equal(node?.hasInstallScript, true);
  assert.equal(node?.hashes.length, 1);
});

test("workspaces are importers whose dependencies count as direct", () => {
  const b = new GraphBuilder("npm", { name: "mono" });
  const ws = b.addWorkspace("packages/core", { name: "@acme/core", version: "0.0.0" });
  const sdk = b.addPackage({ name: "openai", version: "4.0.0" });
  b.addEdge(ws, sdk, "prod");
  const graph = b.build();
  assert.equal(graph.isDirect(sdk), true);
  assert.deepEqual(graph.directImporters(sdk).map((n) => n.name), ["@acme/core"]);
  assert.deepEqual(names(graph.pathsTo(sdk)), ["root>@acme/core>openai"]);
});

test("path search stays bounded on a dense graph", () => {
  const b = new GraphBuilder("npm");
  const layers: string[][] = [];
  for (let l = 0; l < 12; l++) layers.push(Array.from({ length: 12 }, (_, i) => b.addPackage({ name: `p${l}-${i}`, version: "1.0.0" })));
  for (const id of layers[0] ?? []) b.addEdge(ROOT_ID, id, "prod");
  for (let l = 1; l < layers.length; l++) for (const to of layers[l] ?? []) for (const from of layers[l - 1] ?? []) b.addEdge(from, to, "prod");
  const graph = b.build();
  const target = layers[11]?.[0] as string;
  assert.equal(graph.pathsTo(target, 50).length, 50);
  assert.equal(graph.pathsTo(target, 50).every((c) => c.length === 13), true);
});

test("names are normalised per ecosystem and purls follow the purl spec", () => {
  assert.equal(normalizeName("pypi", "Foo__Bar.baz"), "foo-bar-baz");
  assert.equal(normalizeName("npm", "@Scope/Pkg"), "@Scope/Pkg");
  assert.equal(purlFor("npm", "@langchain/core", "0.3.1"), "pkg:npm/%40langchain/core@0.3.1");
  assert.equal(purlFor("pypi", "langchain_openai", "0.1.0"), "pkg:pypi/langchain-openai@0.1.0");
  assert.equal(purlFor("pypi", "torch", "2.1.0+cpu"), "pkg:pypi/torch@2.1.0%2Bcpu");
  assert.equal(purlFor("npm", "x", "1.0.0", "git", "git+https://github.com/a/x.git#abc"), "pkg:npm/x@1.0.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fa%2Fx.git%23abc");
});
