import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ROOT_ID } from "../../graph/dependency-graph.js";
import type { DependencyGraph } from "../../graph/dependency-graph.js";
import type { PackageNode } from "../../graph/package-node.js";
import { chainNames, extractFrom, fixturePath, loadTree, nameVersions, realworldPath } from "../../testing/fixtures.js";
import { npmLockExtractor } from "./package-lock.js";

/** A lockfile's text as npm writes it (two-space indent), from an object literal. */
function lock(packages: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: "app", version: "1.0.0", lockfileVersion: 3, requires: true, ...extra, packages }, null, 2);
}

function extractLock(text: string, companions: Record<string, string> = {}, path = "package-lock.json") {
  return extractFrom(npmLockExtractor, path, { [path]: text, ...companions });
}

function graphOf(text: string, companions: Record<string, string> = {}): DependencyGraph {
  const result = extractLock(text, companions);
  assert.ok(result.graph, `expected a graph, got ${result.status}: ${result.reason}`);
  return result.graph;
}

/** The node called name@version (exactly one). */
function node(graph: DependencyGraph, nameVersion: string): PackageNode {
  const found = graph.packages().filter((p) => `${p.name}@${p.version}` === nameVersion);
  assert.equal(found.length, 1, `one node ${nameVersion} (found ${found.length}) in ${nameVersions(graph).join(", ")}`);
  return found[0] as PackageNode;
}

/** Dependencies of a node as "name@version kind[ alias][ spec]" strings, sorted. */
function deps(graph: DependencyGraph, id: string): string[] {
  return graph.dependenciesOf(id).map((e) => {
    const to = graph.get(e.to) as PackageNode;
    return [`${to.name}@${to.version}`, e.kind, e.alias ? `as ${e.alias}` : "", e.spec ? `(${e.spec})` : ""].filter(Boolean).join(" ");
  }).sort();
}

test("claims package-lock.json and npm-shrinkwrap.json in any directory, nothing else", () => {
  const table: Array<[string, boolean]> = [
    ["package-lock.json", true],
    ["npm-shrinkwrap.json", true],
    ["apps/web/package-lock.json", true],
    ["deep/a/b/npm-shrinkwrap.json", true],
    ["package.json", false],
    ["yarn.lock", false],
    ["pnpm-lock.yaml", false],
    ["package-lock.json.bak", false],
    ["old-package-lock.json", false],
    ["node_modules/.package-lock.json", false],
    ["package-lock.yaml", false],
  ];
  for (const [path, claimed] of table) assert.equal(npmLockExtractor.claims(path), claimed, path);
});

test("unreadable files fail (or are unsupported) with a one-line reason", () => {
  const table: Array<{ name: string; text: string; status: string; reason: RegExp }> = [
    { name: "empty file", text: "", status: "failed", reason: /^empty file$/ },
    { name: "whitespace only", text: "  \n", status: "failed", reason: /^empty file$/ },
    { name: "not JSON", text: "lockfileVersion: 3\n", status: "failed", reason: /^invalid JSON at position 0 \(line 1\): Unexpected token 'l'$/ },
    { name: "merge conflict", text: '{\n  "a": 3,\n  "b": <<<<<<< HEAD\n}', status: "failed", reason: /^invalid JSON at position 19 \(line 3\): Unexpected token '<'$/ },
    { name: "truncated JSON", text: '{\n  "lockfileVersion": 3,\n  "packages": {', status: "failed", reason: /^invalid JSON at position 41 \(line 3\): Expected property name or '\}'$/ },
    { name: "truncated in a value", text: '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": [1,', status: "failed", reason: /^invalid JSON at position 53 \(line 4\): Unexpected end of JSON input$/ },
    { name: "error in the middle", text: '{\n  "lockfileVersion": 3,\n  "packages": {,}\n}', status: "failed", reason: /^invalid JSON at position 41 \(line 3\): Expected property name or '\}'$/ },
    { name: "top level is an array", text: "[1, 2]", status: "failed", reason: /top level is not a JSON object/ },
    { name: "lockfileVersion 99", text: lock({}, { lockfileVersion: 99 }), status: "unsupported", reason: /^lockfileVersion 99 is not supported/ },
    { name: "lockfileVersion missing", text: '{"packages": {}}', status: "unsupported", reason: /^lockfileVersion missing is not supported/ },
    { name: "lockfileVersion as a string", text: '{"lockfileVersion": "3"}', status: "unsupported", reason: /^lockfileVersion "3" is not supported/ },
  ];
  for (const { name, text, status, reason } of table) {
    const result = extractLock(text);
    assert.equal(result.status, status, name);
    assert.equal(result.graph, null, name);
    assert.match(result.reason ?? "", reason, name);
    assert.ok(!(result.reason ?? "").includes("\n"), `${name}: one line`);
  }
});

test("a minimal lockfile gives the root and nothing else; a byte-order mark is tolerated", () => {
  for (const text of [lock({ "": { name: "app", version: "1.0.0" } }), `\uFEFF${lock({ "": { name: "app", version: "1.0.0" } })}`]) {
    const result = extractLock(text);
    assert.equal(result.status, "ok");
    assert.equal(result.graph?.root.name, "app");
    assert.equal(result.graph?.root.version, "1.0.0");
    assert.deepEqual(result.graph?.packages(), []);
  }
});

test("two packages: direct and transitive, with declared spec, hashes and resolved URL", () => {
  const graph = graphOf(lock({
    "": { name: "app", version: "1.0.0", dependencies: { a: "^1.0.0" } },
    "node_modules/a": { version: "1.0.1", resolved: "https://registry.npmjs.org/a/-/a-1.0.1.tgz", integrity: "sha512-AAAA", dependencies: { b: "~2.0.0" } },
    "node_modules/b": { version: "2.0.3", resolved: "https://registry.npmjs.org/b/-/b-2.0.3.tgz", integrity: "sha512-BBBB" },
  }));
  assert.deepEqual(nameVersions(graph), ["a@1.0.1", "b@2.0.3"]);
  const a = node(graph, "a@1.0.1");
  const b = node(graph, "b@2.0.3");
  assert.deepEqual(deps(graph, ROOT_ID), ["a@1.0.1 prod (^1.0.0)"]);
  assert.deepEqual(deps(graph, a.id), ["b@2.0.3 prod (~2.0.0)"]);
  assert.equal(a.declared, "^1.0.0");
  assert.equal(b.declared, undefined, "only direct dependencies carry the importer's spec");
  assert.equal(a.source, "registry");
  assert.equal(a.resolved, "https://registry.npmjs.org/a/-/a-1.0.1.tgz");
  assert.equal(a.purl, "pkg:npm/a@1.0.1");
  assert.deepEqual(a.hashes, [{ algorithm: "sha512", value: "AAAA" }]);
  assert.equal(graph.isDirect(a.id), true);
  assert.equal(graph.isDirect(b.id), false);
  assert.deepEqual(chainNames(graph, b.id), ["root > a > b"]);
});

test("nested node_modules: each dependant gets the nearest copy walking up, as npm resolves it", () => {
  const graph = graphOf(lock({
    "": { dependencies: { a: "1", b: "2", c: "1" } },
    "node_modules/a": { version: "1.0.0", dependencies: { b: "^1.0.0", d: "1" } },
    "node_modules/a/node_modules/b": { version: "1.5.0" },
    "node_modules/a/node_modules/d": { version: "1.0.0", dependencies: { b: "^1.0.0" } },
    "node_modules/b": { version: "2.0.0" },
    "node_modules/c": { version: "1.0.0", dependencies: { b: "*" } },
    "node_modules/@s/e": { version: "1.0.0", dependencies: { b: "*" } },
    "node_modules/@s/e/node_modules/b": { version: "3.0.0" },
  }));
  assert.deepEqual(nameVersions(graph), ["@s/e@1.0.0", "a@1.0.0", "b@1.5.0", "b@2.0.0", "b@3.0.0", "c@1.0.0", "d@1.0.0"]);
  assert.deepEqual(deps(graph, ROOT_ID), ["a@1.0.0 prod (1)", "b@2.0.0 prod (2)", "c@1.0.0 prod (1)"]);
  assert.deepEqual(deps(graph, node(graph, "a@1.0.0").id), ["b@1.5.0 prod (^1.0.0)", "d@1.0.0 prod (1)"]);
  assert.deepEqual(deps(graph, node(graph, "d@1.0.0").id), ["b@1.5.0 prod (^1.0.0)"], "d sits in a's node_modules: a's copy of b");
  assert.deepEqual(deps(graph, node(graph, "c@1.0.0").id), ["b@2.0.0 prod (*)"], "c resolves the hoisted copy");
  assert.deepEqual(deps(graph, node(graph, "@s/e@1.0.0").id), ["b@3.0.0 prod (*)"], "scoped dependant: its own nested copy");
  assert.equal(node(graph, "b@3.0.0").declared, undefined);
  assert.equal(graph.get(ROOT_ID)?.name, "app", "root name from the top level when packages[''] has none");
});

test("an npm: alias is a node with the real name, reached by an edge carrying the alias", () => {
  const graph = graphOf(lock({
    "": { dependencies: { "string-width-cjs": "npm:string-width@^4.2.0", "string-width": "^5.0.0" } },
    "node_modules/string-width": { version: "5.1.2" },
    "node_modules/string-width-cjs": { name: "string-width", version: "4.2.3", resolved: "https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz" },
  }));
  const cjs = node(graph, "string-width@4.2.3");
  assert.equal(cjs.declared, "npm:string-width@^4.2.0");
  assert.equal(cjs.purl, "pkg:npm/string-width@4.2.3");
  assert.deepEqual(deps(graph, ROOT_ID), ["string-width@4.2.3 prod as string-width-cjs (npm:string-width@^4.2.0)", "string-width@5.1.2 prod (^5.0.0)"]);
});

test("flags: bundled, optional, dev, devOptional, peer, hasInstallScript, multiple integrity hashes", () => {
  const graph = graphOf(lock({
    "": { dependencies: { bundler: "1", p: "1" }, devDependencies: { d: "1" }, optionalDependencies: { o: "1" } },
    "node_modules/bundler": { version: "1.0.0", bundleDependencies: ["inner"], dependencies: { inner: "1" } },
    "node_modules/bundler/node_modules/inner": { version: "1.0.0", inBundle: true },
    "node_modules/d": { version: "1.0.0", dev: true, hasInstallScript: true, dependencies: { shared: "1" } },
    "node_modules/o": { version: "1.0.0", optional: true, dependencies: { shared: "1" } },
    "node_modules/shared": { version: "1.0.0", devOptional: true, integrity: "sha512-AAAA sha1-BBBB" },
    "node_modules/p": { version: "1.0.0", peerDependencies: { q: "1", r: "1" }, peerDependenciesMeta: { r: { optional: true } } },
    "node_modules/q": { version: "1.0.0", peer: true },
    "node_modules/r": { version: "1.0.0", peer: true },
  }));
  const flags = (nv: string) => {
    const n = node(graph, nv);
    return { dev: n.dev, optional: n.optional, bundled: n.bundled, script: n.hasInstallScript };
  };
  assert.deepEqual(flags("inner@1.0.0"), { dev: false, optional: false, bundled: true, script: false });
  assert.deepEqual(flags("bundler@1.0.0"), { dev: false, optional: false, bundled: false, script: false });
  assert.deepEqual(flags("d@1.0.0"), { dev: true, optional: false, bundled: false, script: true });
  assert.deepEqual(flags("o@1.0.0"), { dev: false, optional: true, bundled: false, script: false });
  // devOptional: needed by a dev chain and by an optional chain, so neither dev-only nor optional-only.
  assert.deepEqual(flags("shared@1.0.0"), { dev: false, optional: false, bundled: false, script: false });
  assert.deepEqual(node(graph, "shared@1.0.0").hashes, [{ algorithm: "sha512", value: "AAAA" }, { algorithm: "sha1", value: "BBBB" }]);
  assert.deepEqual(deps(graph, ROOT_ID), ["bundler@1.0.0 prod (1)", "d@1.0.0 dev (1)", "o@1.0.0 optional (1)", "p@1.0.0 prod (1)"]);
  assert.deepEqual(deps(graph, node(graph, "p@1.0.0").id), ["q@1.0.0 peer (1)", "r@1.0.0 optional (1)"], "an optional peer is an optional edge");
});

test("sources: registry (also a mirror), git, remote tarball, local tarball, linked folder", () => {
  const git = "git+ssh://git@github.com/jrieken/typescript-formatter.git#497efb26bc40b5fa59a350e6eab17bce650a7e4b";
  const graph = graphOf(lock({
    "": { dependencies: { reg: "1", mirror: "1", fmt: "github:jrieken/typescript-formatter", tar: "https://example.com/tar-1.0.0.tgz", vend: "file:vendor/vend-2.0.0.tgz", local: "file:libs/local" } },
    "libs/local": { name: "local", version: "0.0.1", dependencies: { reg: "1" } },
    "node_modules/fmt": { version: "7.2.2", resolved: git },
    "node_modules/local": { resolved: "libs/local", link: true },
    "node_modules/mirror": { version: "1.0.0", resolved: "https://artifactory.example.com/api/npm/npm/mirror/-/mirror-1.0.0.tgz" },
    "node_modules/reg": { version: "1.0.0", resolved: "https://registry.npmjs.org/reg/-/reg-1.0.0.tgz" },
    "node_modules/tar": { version: "1.0.0", resolved: "https://example.com/tar-1.0.0.tgz" },
    "node_modules/vend": { version: "2.0.0", resolved: "file:vendor/vend-2.0.0.tgz" },
    "node_modules/nover": { resolved: "file:vendor/nover.tgz" },
  }));
  const table: Array<[string, string, string | undefined]> = [
    ["reg@1.0.0", "registry", "https://registry.npmjs.org/reg/-/reg-1.0.0.tgz"],
    ["mirror@1.0.0", "registry", "https://artifactory.example.com/api/npm/npm/mirror/-/mirror-1.0.0.tgz"],
    ["typescript-formatter@7.2.2", "git", git],
    ["tar@1.0.0", "url", "https://example.com/tar-1.0.0.tgz"],
    ["vend@2.0.0", "path", "file:vendor/vend-2.0.0.tgz"],
    ["local@0.0.1", "path", "libs/local"],
    ["nover@", "path", "file:vendor/nover.tgz"],
  ];
  // "node_modules/fmt" has no name field: its folder name is its name.
  assert.deepEqual(nameVersions(graph), ["fmt@7.2.2", "local@0.0.1", "mirror@1.0.0", "nover@", "reg@1.0.0", "tar@1.0.0", "vend@2.0.0"]);
  for (const [nv, source, resolved] of table) {
    const n = node(graph, nv === "typescript-formatter@7.2.2" ? "fmt@7.2.2" : nv);
    assert.equal(n.source, source, nv);
    assert.equal(n.resolved, resolved, nv);
  }
  assert.match(node(graph, "fmt@7.2.2").purl, /^pkg:npm\/fmt@7\.2\.2\?vcs_url=git%2Bssh/);
  assert.match(node(graph, "tar@1.0.0").purl, /\?download_url=https/);
  const local = node(graph, "local@0.0.1");
  assert.equal(local.workspace, false, "a file: folder outside the workspace globs is a path package, not a workspace");
  assert.equal(local.declared, "file:libs/local");
  assert.deepEqual(deps(graph, local.id), ["reg@1.0.0 prod (1)"], "the linked folder's own dependencies resolve from its location");
});

test("workspaces (real npm 11 lockfile): members are importers, each with its own direct dependencies", () => {
  const dir = fixturePath(import.meta.url, "v3-workspaces");
  const files = loadTree(dir, ["package-lock.json", "package.json", "packages/app/package.json", "packages/util/package.json"]);
  const result = extractFrom(npmLockExtractor, "package-lock.json", files);
  assert.equal(result.status, "ok", result.reason);
  assert.deepEqual(result.consumed.sort(), ["package.json", "packages/app/package.json", "packages/util/package.json"]);
  const graph = result.graph as DependencyGraph;
  assert.deepEqual(graph.importers().map((n) => `${n.id} ${n.name}@${n.version}`), [
    "root v3-demo@1.0.0",
    "workspace:packages/app @demo/app@0.2.0",
    "workspace:packages/util @demo/util@0.1.0",
  ]);
  assert.deepEqual(deps(graph, ROOT_ID), [
    "@demo/app@0.2.0 prod",
    "@demo/util@0.1.0 prod",
    "debug@2.6.9 prod (2.6.9)",
    "is-number@7.0.0 dev (7.0.0)",
    "is-odd@3.0.1 optional (3.0.1)",
    "ms@2.1.3 prod (2.1.3)",
    "strip-ansi@6.0.1 prod as strip-ansi-cjs (npm:strip-ansi@6.0.1)",
  ]);
  assert.deepEqual(deps(graph, "workspace:packages/app"), [
    "@demo/util@0.1.0 prod (^0.1.0)",
    "core-js@3.37.1 dev (3.37.1)",
    "ms@2.0.0 prod (2.0.0)",
    "react@18.3.1 optional (^18.0.0)",
    "use-sync-external-store@1.2.0 prod (1.2.0)",
  ], "app's own declarations, resolved from packages/app (its nested ms@2.0.0, not the root's ms@2.1.3)");
  assert.deepEqual(deps(graph, "workspace:packages/util"), ["is-number@6.0.0 prod (6.0.0)"]);
  assert.deepEqual(graph.directImporters(node(graph, "ms@2.0.0").id).map((n) => n.name), ["@demo/app"]);
  assert.equal(node(graph, "core-js@3.37.1").hasInstallScript, true);
  assert.equal(node(graph, "core-js@3.37.1").dev, true);
  assert.equal(node(graph, "react@18.3.1").dev, false);
  // is-number@6.0.0 sits in two places: optional under is-odd, required under packages/util: the merged node is not optional.
  assert.equal(node(graph, "is-number@6.0.0").optional, false);
  assert.equal(node(graph, "is-number@6.0.0").locations.length, 2);
  assert.equal(node(graph, "is-odd@3.0.1").optional, true);
  assert.deepEqual(chainNames(graph, node(graph, "ms@2.0.0").id).sort(), ["root > @demo/app > ms", "root > debug > ms"]);
});

/** Declared importer edges as "importer > name file:line", sorted (the root's edges to its workspaces declare nothing). */
function declarations(graph: DependencyGraph): string[] {
  return graph.importers().flatMap((imp) => graph.dependenciesOf(imp.id)
    .filter((e) => e.spec !== undefined || !graph.get(e.to)?.workspace)
    .map((e) => `${imp.name} > ${graph.get(e.to)?.name} ${e.location?.file}:${e.location?.line}`)).sort();
}

test("importer edges point at the declaring line: the root's and each workspace's own package.json", () => {
  const dir = fixturePath(import.meta.url, "v3-workspaces");
  const files = loadTree(dir, ["package-lock.json", "package.json", "packages/app/package.json", "packages/util/package.json"]);
  const graph = extractFrom(npmLockExtractor, "package-lock.json", files).graph as DependencyGraph;
  assert.deepEqual(declarations(graph).filter((d) => d.startsWith("v3-demo") || d.startsWith("@demo/app")), [
    "@demo/app > @demo/util packages/app/package.json:5",
    "@demo/app > core-js packages/app/package.json:16",
    "@demo/app > ms packages/app/package.json:6",
    "@demo/app > react packages/app/package.json:10",
    "@demo/app > use-sync-external-store packages/app/package.json:7",
    "v3-demo > debug package.json:7",
    "v3-demo > ms package.json:8",
    "v3-demo > strip-ansi package.json:9",
    "v3-demo > is-number package.json:12",
    "v3-demo > is-odd package.json:15",
  ].sort());
  // Without the companions: the lock's copy of the root's declarations, and each workspace's own entry.
  const alone = extractFrom(npmLockExtractor, "package-lock.json", { "package-lock.json": files["package-lock.json"] as string }).graph as DependencyGraph;
  const lockLines = (files["package-lock.json"] as string).split("\n");
  for (const row of declarations(alone)) {
    const [who, rest] = row.split(" > ") as [string, string];
    const [name, where] = rest.split(" ") as [string, string];
    assert.ok(where.startsWith("package-lock.json:"), row);
    const text = lockLines[Number(where.split(":")[1]) - 1] ?? "";
    if (who === "v3-demo") assert.match(text, new RegExp(`"${name === "strip-ansi" ? "strip-ansi-cjs" : name}": "`), row);
    else assert.match(text, /^\s*"packages\/(app|util)": \{/, row);
  }
});

test("lockfileVersion 1: the root's edges point at package.json; without it they carry no location", () => {
  const dir = fixturePath(import.meta.url, "v1");
  const files = loadTree(dir, ["package-lock.json", "package.json", "libs/local-lib/package.json"]);
  const graph = extractFrom(npmLockExtractor, "package-lock.json", files).graph as DependencyGraph;
  assert.deepEqual(declarations(graph), [
    "v1-demo > debug package.json:5",
    "v1-demo > is-number package.json:11",
    "v1-demo > is-odd package.json:14",
    "v1-demo > local-lib package.json:8",
    "v1-demo > ms package.json:6",
    "v1-demo > strip-ansi package.json:7",
  ]);
  const alone = extractFrom(npmLockExtractor, "package-lock.json", { "package-lock.json": files["package-lock.json"] as string }).graph as DependencyGraph;
  assert.ok(alone.dependenciesOf(ROOT_ID).length > 0);
  assert.ok(alone.dependenciesOf(ROOT_ID).every((e) => e.location === undefined), "guessed direct dependencies have no declaration");
});

test("workspace deps come from the lock even without package.json, and a root self-link is the root", () => {
  const text = lock({
    "": { name: "self", version: "2.0.0", workspaces: ["."], dependencies: { a: "1" } },
    "node_modules/a": { version: "1.0.0" },
    "node_modules/self": { resolved: "", link: true },
  });
  const result = extractLock(text);
  assert.equal(result.status, "ok");
  assert.deepEqual(result.consumed, [], "no package.json was read");
  assert.deepEqual(result.graph?.importers().map((n) => n.id), [ROOT_ID]);
  assert.deepEqual(nameVersions(result.graph as DependencyGraph), ["a@1.0.0"]);
});

test("workspace globs decide membership: negations, ** and the { packages } form", () => {
  const packages = {
    "": { workspaces: { packages: ["packages/**", "!packages/private/*", "tools/cli"] } },
    "packages/a": { name: "a", version: "1.0.0" },
    "packages/nested/b": { name: "b", version: "1.0.0" },
    "packages/private/c": { name: "c", version: "1.0.0" },
    "tools/cli": { name: "cli", version: "1.0.0" },
    "tools/other": { name: "other", version: "1.0.0" },
  };
  const graph = graphOf(lock(packages));
  assert.deepEqual(graph.importers().map((n) => n.id), [ROOT_ID, "workspace:packages/a", "workspace:packages/nested/b", "workspace:tools/cli"]);
  assert.equal(node(graph, "c@1.0.0").source, "path");
  assert.equal(node(graph, "other@1.0.0").workspace, false);
});

test("entries without a usable version or shape are skipped and counted; unreachable entries stay", () => {
  const result = extractLock(lock({
    "": { dependencies: { a: "1", b: "1" } },
    "node_modules/a": { version: "1.0.0" },
    "node_modules/b": { resolved: "https://registry.npmjs.org/b/-/b-1.0.0.tgz" },
    "node_modules/c": "not an object",
    "node_modules/d": { version: 4 },
    "node_modules/orphan": { version: "9.9.9", extraneous: true },
    "node_modules/link": { link: true },
  }));
  assert.equal(result.status, "partial");
  assert.match(result.reason ?? "", /^4 entries without a usable version or shape skipped; 1 required dependency not found in the lockfile$/);
  assert.deepEqual(nameVersions(result.graph as DependencyGraph), ["a@1.0.0", "orphan@9.9.9"]);
  assert.equal(result.graph?.distance(node(result.graph, "orphan@9.9.9").id), undefined, "orphan is in the graph but unreachable");
});

test("a malformed dependency field is skipped and counted", () => {
  const result = extractLock(lock({
    "": { dependencies: { a: "1", b: 2 }, devDependencies: "nope" },
    "node_modules/a": { version: "1.0.0" },
    "node_modules/b": { version: "1.0.0" },
  }));
  assert.equal(result.status, "partial");
  assert.equal(result.reason, "2 malformed dependency fields skipped");
  assert.deepEqual(deps(result.graph as DependencyGraph, ROOT_ID), ["a@1.0.0 prod (1)"]);
});

test("lockfileVersion 2 reads `packages` and ignores the legacy tree; without `packages` it reads the tree", () => {
  const both = graphOf(lock({ "": { dependencies: { a: "1" } }, "node_modules/a": { version: "1.0.0" } }, {
    lockfileVersion: 2,
    dependencies: { a: { version: "9.9.9" } },
  }));
  assert.deepEqual(nameVersions(both), ["a@1.0.0"]);
  const legacy = JSON.stringify({ name: "app", lockfileVersion: 2, dependencies: { a: { version: "1.0.0", requires: { b: "1" } }, b: { version: "1.0.0" } } });
  const result = extractLock(legacy, { "package.json": JSON.stringify({ name: "app", dependencies: { a: "^1" } }) });
  assert.equal(result.status, "ok");
  assert.deepEqual(deps(result.graph as DependencyGraph, ROOT_ID), ["a@1.0.0 prod (^1)"]);
});

test("lockfileVersion 1 (real npm 6 lockfile): nested tree, aliases, dev/optional, declared specs from package.json", () => {
  const dir = fixturePath(import.meta.url, "v1");
  const files = loadTree(dir, ["package-lock.json", "package.json"]);
  const result = extractFrom(npmLockExtractor, "package-lock.json", files);
  assert.equal(result.status, "ok", result.reason);
  assert.deepEqual(result.consumed, ["package.json"]);
  const graph = result.graph as DependencyGraph;
  assert.equal(graph.root.name, "v1-demo");
  assert.deepEqual(nameVersions(graph), ["ansi-regex@5.0.1", "debug@2.6.9", "is-number@6.0.0", "is-number@7.0.0", "is-odd@3.0.1", "local-lib@", "ms@2.0.0", "ms@2.1.3", "strip-ansi@6.0.1"]);
  assert.deepEqual(deps(graph, ROOT_ID), [
    "debug@2.6.9 prod (2.6.9)",
    "is-number@7.0.0 dev (7.0.0)",
    "is-odd@3.0.1 optional (3.0.1)",
    "local-lib@ prod (file:libs/local-lib)",
    "ms@2.1.3 prod (2.1.3)",
    "strip-ansi@6.0.1 prod as strip-ansi-cjs (npm:strip-ansi@6.0.1)",
  ]);
  assert.deepEqual(deps(graph, node(graph, "debug@2.6.9").id), ["ms@2.0.0 prod (2.0.0)"], "debug's nested copy");
  assert.deepEqual(deps(graph, node(graph, "is-odd@3.0.1").id), ["is-number@6.0.0 optional (^6.0.0)"]);
  assert.deepEqual(deps(graph, node(graph, "local-lib@").id), ["ms@2.1.3 prod (^2.1.0)"]);
  assert.equal(node(graph, "is-number@7.0.0").dev, true);
  assert.equal(node(graph, "is-number@6.0.0").optional, true);
  assert.equal(node(graph, "ms@2.1.3").declared, "2.1.3");
  assert.equal(node(graph, "local-lib@").source, "path");
  assert.equal(node(graph, "local-lib@").resolved, "file:libs/local-lib");
  assert.equal(node(graph, "strip-ansi@6.0.1").resolved, "https://registry.npmjs.org/strip-ansi/-/strip-ansi-6.0.1.tgz");
  assert.equal(node(graph, "strip-ansi@6.0.1").hashes[0]?.algorithm, "sha512");
  assert.deepEqual(node(graph, "ms@2.0.0").locations, [{ file: "package-lock.json", line: 20 }]);
  assert.deepEqual(node(graph, "is-number@6.0.0").locations, [{ file: "package-lock.json", line: 42 }]);
  assert.deepEqual(node(graph, "debug@2.6.9").locations, [{ file: "package-lock.json", line: 12 }]);
});

test("lockfileVersion 1 without package.json: direct deps inferred from what nothing requires, status partial", () => {
  const files = loadTree(fixturePath(import.meta.url, "v1"), ["package-lock.json"]);
  const result = extractFrom(npmLockExtractor, "package-lock.json", files);
  assert.equal(result.status, "partial");
  assert.match(result.reason ?? "", /package\.json could not be used \(file not found\)/);
  const graph = result.graph as DependencyGraph;
  // ms@2.1.3 is required by local-lib and ansi-regex by strip-ansi: not taken as direct.
  assert.deepEqual(deps(graph, ROOT_ID), ["debug@2.6.9 prod", "is-number@7.0.0 dev", "is-odd@3.0.1 optional", "local-lib@ prod", "strip-ansi@6.0.1 prod as strip-ansi-cjs"]);
  assert.equal(node(graph, "debug@2.6.9").declared, undefined, "no spec is known without package.json");
});

test("lockfileVersion 1 sources in `version`: git, remote tarball, bundled entries", () => {
  const git = "git+https://github.com/user/repo.git#0123456789abcdef0123456789abcdef01234567";
  const text = JSON.stringify({
    name: "app", version: "1.0.0", lockfileVersion: 1, requires: true,
    dependencies: {
      repo: { version: git, from: "git+https://github.com/user/repo.git" },
      tar: { version: "https://example.com/tar.tgz", integrity: "sha1-CCCC" },
      host: { version: "1.0.0", requires: { inner: "^1.0.0" }, dependencies: { inner: { version: "1.2.0", bundled: true } } },
      broken: { resolved: "https://registry.npmjs.org/broken/-/broken-1.0.0.tgz" },
    },
  }, null, 2);
  const result = extractLock(text, { "package.json": JSON.stringify({ dependencies: { repo: "user/repo", tar: "https://example.com/tar.tgz", host: "1" } }) });
  assert.equal(result.status, "partial");
  assert.match(result.reason ?? "", /^1 entry without a usable version or shape skipped$/);
  const graph = result.graph as DependencyGraph;
  assert.equal(node(graph, "repo@").source, "git");
  assert.equal(node(graph, "repo@").resolved, git);
  assert.equal(node(graph, "tar@").source, "url");
  assert.deepEqual(node(graph, "tar@").hashes, [{ algorithm: "sha1", value: "CCCC" }]);
  assert.equal(node(graph, "inner@1.2.0").bundled, true);
  assert.deepEqual(deps(graph, node(graph, "host@1.0.0").id), ["inner@1.2.0 prod (^1.0.0)"]);
});

test("npm-shrinkwrap.json in a subfolder reads its own package.json and points at its own path", () => {
  const text = lock({ "": { dependencies: { a: "^1" } }, "node_modules/a": { version: "1.0.0" } });
  const result = extractFrom(npmLockExtractor, "svc/npm-shrinkwrap.json", {
    "svc/npm-shrinkwrap.json": text,
    "svc/package.json": JSON.stringify({ name: "svc", version: "3.0.0" }),
    "package.json": JSON.stringify({ name: "other" }),
  });
  assert.equal(result.status, "ok");
  assert.deepEqual(result.consumed, ["svc/package.json"]);
  const graph = result.graph as DependencyGraph;
  assert.equal(graph.root.name, "app", "the lock's own name wins over package.json");
  assert.deepEqual(node(graph, "a@1.0.0").locations, [{ file: "svc/npm-shrinkwrap.json", line: 12 }]);
});

test("a broken package.json beside a v3 lock is a problem under its own path; the lock still extracts", () => {
  const result = extractLock(lock({ "": { dependencies: { a: "1" } }, "node_modules/a": { version: "1.0.0" } }), { "package.json": "{ nope" });
  assert.equal(result.status, "ok");
  assert.deepEqual(result.consumed, ["package.json"]);
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0]?.path, "package.json");
  assert.equal(result.problems[0]?.status, "failed");
  assert.match(result.problems[0]?.reason ?? "", /^invalid JSON/);
});

test("the root's declarations fall back to package.json when the lock's root entry has none", () => {
  const result = extractLock(lock({ "": { name: "app" }, "node_modules/a": { version: "1.0.0" } }), {
    "package.json": JSON.stringify({ name: "app", devDependencies: { a: "^1.0.0" } }),
  });
  assert.deepEqual(deps(result.graph as DependencyGraph, ROOT_ID), ["a@1.0.0 dev (^1.0.0)"]);
});

/** Every node's locations point at the line of a `packages` key whose entry is that node. */
function assertLinesPointAtKeys(text: string, graph: DependencyGraph, file: string): number {
  const lines = text.split("\n");
  const packages = (JSON.parse(text) as { packages: Record<string, { name?: string; version?: string; link?: boolean }> }).packages;
  let checked = 0;
  for (const n of graph.packages()) {
    for (const location of n.locations) {
      assert.equal(location.file, file);
      const key = /^\s*"([^"]+)": \{/.exec(lines[(location.line ?? 0) - 1] ?? "")?.[1];
      assert.ok(key !== undefined && packages[key], `${n.id}: line ${location.line} is not a packages key`);
      const entry = packages[key];
      const folder = key.slice(key.lastIndexOf("node_modules/") + (key.includes("node_modules/") ? 13 : 0));
      assert.equal(entry.name ?? (n.workspace ? n.name : folder), n.name, `${n.id}: line ${location.line} holds ${key}`);
      assert.equal(entry.version ?? "", n.version, `${n.id}: line ${location.line} holds ${key}`);
      checked++;
    }
  }
  return checked;
}

test("the line of each package is the line of its key in the lockfile", () => {
  const dir = fixturePath(import.meta.url, "v3-workspaces");
  const files = loadTree(dir, ["package-lock.json", "package.json"]);
  const graph = extractFrom(npmLockExtractor, "package-lock.json", files).graph as DependencyGraph;
  assert.deepEqual(node(graph, "ms@2.0.0").locations.map((l) => l.line), [60, 170]);
  assert.deepEqual(node(graph, "@demo/app@0.2.0").locations.map((l) => l.line), [150]);
  assert.deepEqual(graph.root.locations, [{ file: "package-lock.json", line: 7 }]);
  // 19 entries besides the root, 2 of them links (no node of their own).
  assert.equal(assertLinesPointAtKeys(files["package-lock.json"] as string, graph, "package-lock.json"), 17);
  // A real lock indented with tabs, 1,600 entries.
  const cline = readFileSync(realworldPath("cline__cline", "package-lock.json"), "utf8");
  const clineGraph = extractFrom(npmLockExtractor, "package-lock.json", { "package-lock.json": cline }).graph as DependencyGraph;
  assert.equal(assertLinesPointAtKeys(cline, clineGraph, "package-lock.json"), 1624);
});

test("minified and escaped JSON: lines still come from the key positions", () => {
  const text = `{"lockfileVersion":3,"packages":{"":{"dependencies":{"a":"1"}},"node_modules/a":{"version":"1.0.0","description":"a \\"quoted\\" {brace}"},\n"node_modules/\\u0062":{"version":"2.0.0"}}}`;
  const graph = graphOf(text);
  assert.deepEqual(node(graph, "a@1.0.0").locations, [{ file: "package-lock.json", line: 1 }]);
  assert.deepEqual(node(graph, "b@2.0.0").locations, [{ file: "package-lock.json", line: 2 }]);
});

test("gemini-cli workspaces: packages/core declares @google/genai, reached through the core workspace", () => {
  const dir = realworldPath("google-gemini__gemini-cli");
  const members = ["a2a-server", "cli", "core", "devtools", "sdk", "test-utils", "vscode-ide-companion"].map((m) => `packages/${m}/package.json`);
  const files = loadTree(dir, ["package-lock.json", "package.json", ...members]);
  const result = extractFrom(npmLockExtractor, "package-lock.json", files);
  assert.equal(result.status, "ok", result.reason);
  assert.deepEqual(result.consumed.sort(), ["package.json", ...members].sort());
  const graph = result.graph as DependencyGraph;
  assert.equal(graph.importers().length, 8, "root + 7 workspaces");
  const core = graph.get("workspace:packages/core") as PackageNode;
  assert.equal(core.name, "@google/gemini-cli-core");
  const genai = node(graph, "@google/genai@1.30.0");
  assert.ok(deps(graph, core.id).includes("@google/genai@1.30.0 prod (1.30.0)"));
  assert.ok(graph.directImporters(genai.id).some((n) => n.id === core.id));
  assert.ok(!deps(graph, ROOT_ID).some((d) => d.startsWith("@google/genai@")), "the root itself does not declare it: kept apart");
  assert.ok(chainNames(graph, genai.id).includes("root > @google/gemini-cli-core > @google/genai"), chainNames(graph, genai.id).join("; "));
});

test("real lockfiles extract completely (counts of name@version nodes)", () => {
  const table: Array<[string, number, number]> = [
    // folder, packages keys (without the root), distinct nodes (copies of one name@version merge)
    ["cline__cline", 1625, 1396],
    ["microsoft__vscode-copilot-chat", 1677, 1483],
    ["google-gemini__gemini-cli", 1504, 1359],
    ["mckaywrigley__chatbot-ui", 1463, 1339],
    ["e2b-dev__fragments", 761, 650],
    ["huggingface__chat-ui", 848, 822],
    ["reworkd__AgentGPT/next", 1175, 1077],
  ];
  for (const [folder, keys, nodes] of table) {
    const text = readFileSync(realworldPath(...folder.split("/"), "package-lock.json"), "utf8");
    assert.equal(Object.keys((JSON.parse(text) as { packages: object }).packages).length - 1, keys, folder);
    const result = extractFrom(npmLockExtractor, "package-lock.json", { "package-lock.json": text });
    assert.equal(result.status, "ok", `${folder}: ${result.reason}`);
    assert.equal(result.graph?.packages().length, nodes, folder);
  }
});

test("packages below a bundling package ship in its tarball: bundled, even when the lock does not flag them", () => {
  const lock = {
    name: "app", lockfileVersion: 3, requires: true,
    packages: {
      "": { name: "app", devDependencies: { tool: "1.0.0" } },
      "node_modules/tool": { version: "1.0.0", integrity: "sha512-AAAA", dev: true, bundleDependencies: ["a"], dependencies: { a: "1.0.0" } },
      "node_modules/tool/node_modules/a": { version: "1.0.0", dev: true, inBundle: true, dependencies: { b: "1.0.0" } },
      "node_modules/tool/node_modules/b": { version: "1.0.0", dev: true },
      "node_modules/other": { version: "2.0.0", integrity: "sha512-BBBB" },
    },
  };
  const graph = extractFrom(npmLockExtractor, "package-lock.json", { "package-lock.json": JSON.stringify(lock) }).graph;
  const bundled = Object.fromEntries((graph?.packages() ?? []).map((n) => [n.name, n.bundled]));
  assert.deepEqual(bundled, { a: true, b: true, other: false, tool: false });
});
