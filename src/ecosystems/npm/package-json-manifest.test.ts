import { test } from "node:test";
import assert from "node:assert/strict";
import { ROOT_ID } from "../../graph/dependency-graph.js";
import type { DependencyGraph } from "../../graph/dependency-graph.js";
import { extractFrom } from "../../testing/fixtures.js";
import { packageJsonExtractor } from "./package-json-manifest.js";

function extract(text: string, path = "package.json") {
  return extractFrom(packageJsonExtractor, path, { [path]: text });
}

test("claims package.json files outside node_modules", () => {
  const table: Array<[string, boolean]> = [
    ["package.json", true],
    ["apps/web/package.json", true],
    ["packages/node_modules_tools/package.json", true],
    ["node_modules/a/package.json", false],
    ["apps/web/node_modules/@s/b/package.json", false],
    ["package-lock.json", false],
    ["my-package.json", false],
    ["package.json5", false],
    ["package.yaml", false],
  ];
  for (const [path, claimed] of table) assert.equal(packageJsonExtractor.claims(path), claimed, path);
});

test("unreadable manifests fail with a one-line reason", () => {
  const table: Array<[string, string, RegExp]> = [
    ["empty", "", /^empty file$/],
    ["not JSON", "<html>\n", /^invalid JSON at position 0 \(line 1\): Unexpected token '<'$/],
    ["almost a literal", "nulp", /^invalid JSON at position 3 \(line 1\): Unexpected token 'p'$/],
    ["truncated", '{\n  "dependencies": {\n    "a": "1"', /^invalid JSON at position 34 \(line 3\)/],
    ["top-level array", "[]", /^not a package\.json: the top level is not an object$/],
  ];
  for (const [name, text, reason] of table) {
    const result = extract(text);
    assert.equal(result.status, "failed", name);
    assert.equal(result.graph, null, name);
    assert.match(result.reason ?? "", reason, name);
  }
});

test("a package.json without dependency sections extracts ok with an empty graph", () => {
  const result = extract(JSON.stringify({ name: "lib", version: "0.3.0", scripts: { test: "node --test" } }));
  assert.equal(result.status, "ok");
  assert.equal(result.graph?.root.name, "lib");
  assert.equal(result.graph?.root.version, "0.3.0");
  assert.deepEqual(result.graph?.packages(), []);
});

test("each spec maps to a source kind, an exact pin when there is one, and the spec as declared", () => {
  const table: Array<{ key: string; spec: string; name: string; version: string; source: string; alias?: boolean }> = [
    { key: "exact", spec: "1.2.3", name: "exact", version: "1.2.3", source: "registry" },
    { key: "prerelease", spec: "1.0.0-beta.1", name: "prerelease", version: "1.0.0-beta.1", source: "registry" },
    { key: "eq", spec: "=1.2.3", name: "eq", version: "1.2.3", source: "registry" },
    { key: "vprefix", spec: "v2.0.0", name: "vprefix", version: "2.0.0", source: "registry" },
    { key: "caret", spec: "^1.2.3", name: "caret", version: "", source: "registry" },
    { key: "range", spec: ">=1 <2", name: "range", version: "", source: "registry" },
    { key: "tag", spec: "latest", name: "tag", version: "", source: "registry" },
    { key: "star", spec: "*", name: "star", version: "", source: "registry" },
    { key: "pinned-alias", spec: "npm:real@4.5.6", name: "real", version: "4.5.6", source: "registry", alias: true },
    { key: "range-alias", spec: "npm:@scope/real@^1", name: "@scope/real", version: "", source: "registry", alias: true },
    { key: "ws", spec: "workspace:*", name: "ws", version: "", source: "path" },
    { key: "file", spec: "file:../lib", name: "file", version: "", source: "path" },
    { key: "link", spec: "link:./x", name: "link", version: "", source: "path" },
    { key: "relative", spec: "./local", name: "relative", version: "", source: "path" },
    { key: "git", spec: "git+https://github.com/a/b.git#v1", name: "git", version: "", source: "git" },
    { key: "ssh", spec: "git+ssh://git@github.com/a/b.git#semver:^1", name: "ssh", version: "", source: "git" },
    { key: "hosted", spec: "github:a/b", name: "hosted", version: "", source: "git" },
    { key: "shorthand", spec: "a/b#main", name: "shorthand", version: "", source: "git" },
    { key: "repo-url", spec: "https://github.com/a/b", name: "repo-url", version: "", source: "git" },
    { key: "tarball", spec: "https://example.com/x-1.0.0.tgz", name: "tarball", version: "", source: "url" },
  ];
  const result = extract(JSON.stringify({ name: "app", dependencies: Object.fromEntries(table.map((r) => [r.key, r.spec])) }, null, 2));
  assert.equal(result.status, "ok");
  const graph = result.graph as DependencyGraph;
  const edges = graph.dependenciesOf(ROOT_ID);
  assert.equal(edges.length, table.length);
  for (const row of table) {
    const edge = edges.find((e) => (e.alias ?? graph.get(e.to)?.name) === row.key);
    assert.ok(edge, row.key);
    const n = graph.get(edge.to);
    assert.equal(n?.name, row.name, row.key);
    assert.equal(n?.version, row.version, row.key);
    assert.equal(n?.source, row.source, row.key);
    assert.equal(n?.declared, row.spec, row.key);
    assert.equal(n?.resolved, row.source === "registry" ? undefined : row.spec, row.key);
    assert.equal(edge.spec, row.spec, row.key);
    assert.equal(edge.alias, row.alias ? row.key : undefined, row.key);
    assert.equal(edge.kind, "prod", row.key);
  }
});

test("sections give edge kinds, dev/optional flags follow, and each dependency points at its line", () => {
  const text = [
    "{",
    '  "name": "app",',
    '  "dependencies": { "a": "1.0.0", "both": "^1" },',
    '  "devDependencies": {',
    '    "d": "^2"',
    "  },",
    '  "optionalDependencies": {',
    '    "both": "^1",',
    '    "o": "3.0.0"',
    "  },",
    '  "peerDependencies": { "p": ">=1" }',
    "}",
  ].join("\n");
  const graph = extract(text).graph as DependencyGraph;
  const rows = graph.dependenciesOf(ROOT_ID).map((e) => {
    const n = graph.get(e.to);
    return `${n?.name} ${e.kind} dev=${n?.dev} optional=${n?.optional} line=${n?.locations[0]?.line}`;
  });
  assert.deepEqual(rows, [
    "a prod dev=false optional=false line=3",
    "both optional dev=false optional=true line=8",
    "d dev dev=true optional=false line=5",
    "o optional dev=false optional=true line=9",
    "p peer dev=false optional=false line=11",
  ]);
  // The importer edges carry the declaring line too (findings about a direct dependency point there).
  assert.deepEqual(graph.dependenciesOf(ROOT_ID).map((e) => `${graph.get(e.to)?.name} ${e.location?.file}:${e.location?.line}`), [
    "a package.json:3",
    "both package.json:8",
    "d package.json:5",
    "o package.json:9",
    "p package.json:11",
  ]);
});

test("dependency entries whose spec is not a string are skipped and counted", () => {
  const result = extract(JSON.stringify({ dependencies: { a: "1", b: 2, c: null }, devDependencies: ["x"] }));
  assert.equal(result.status, "partial");
  assert.equal(result.reason, "3 dependency entries with a spec that is not a string skipped");
  assert.deepEqual(result.graph?.packages().map((p) => p.name), ["a"]);
});
