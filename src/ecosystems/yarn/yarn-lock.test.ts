import { test } from "node:test";
import assert from "node:assert/strict";
import { ROOT_ID } from "../../graph/dependency-graph.js";
import type { DependencyGraph } from "../../graph/dependency-graph.js";
import type { PackageNode } from "../../graph/package-node.js";
import { chainNames, extractFrom, fixturePath, loadTree, nameVersions, realworldPath } from "../../testing/fixtures.js";
import { yarnLockExtractor } from "./yarn-lock.js";

const WORKSPACE_FILES = ["yarn.lock", "package.json", "packages/a/package.json", "packages/b/package.json"];

function tree(name: string): Record<string, string> {
  return loadTree(fixturePath(import.meta.url, name), WORKSPACE_FILES);
}

function graphOf(files: Record<string, string>, primary = "yarn.lock"): DependencyGraph {
  const result = extractFrom(yarnLockExtractor, primary, files);
  assert.ok(result.graph, `${primary}: ${result.status} ${result.reason ?? ""}`);
  return result.graph;
}

function only(graph: DependencyGraph, name: string, version?: string): PackageNode {
  const found = graph.packages().filter((p) => p.name === name && (version === undefined || p.version === version));
  assert.equal(found.length, 1, `exactly one ${name}@${version ?? "*"}: ${found.map((p) => p.id).join(", ")}`);
  return found[0] as PackageNode;
}

/** Direct dependencies of an importer as `name@version kind [alias]`, sorted. */
function directOf(graph: DependencyGraph, importer: string): string[] {
  return graph.dependenciesOf(importer)
    .map((e) => {
      const n = graph.get(e.to) as PackageNode;
      return `${n.name}@${n.version} ${e.kind}${e.alias ? ` as ${e.alias}` : ""}`;
    })
    .sort();
}

/**
 * Every declared importer edge points at the line of its key in the importer's package.json (or, failing that, at
 * `fallback`); returns how many were checked.
 */
function assertDeclarationLines(graph: DependencyGraph, files: Record<string, string>): number {
  let checked = 0;
  for (const importer of graph.importers()) {
    for (const edge of graph.dependenciesOf(importer.id)) {
      if (edge.spec === undefined) continue;
      const name = edge.alias ?? graph.get(edge.to)?.name ?? "";
      const where = `${importer.name} > ${name}`;
      assert.ok(edge.location?.line !== undefined, `${where}: no declaration line`);
      const text = (files[edge.location.file] ?? "").split("\n")[edge.location.line - 1] ?? "";
      assert.ok(text.includes(`"${name}":`), `${where}: ${edge.location.file}:${edge.location.line} is "${text}"`);
      checked++;
    }
  }
  return checked;
}

/** 1-based line of the first line equal to `line` in `text`. */
function lineOf(text: string, line: string): number {
  const index = text.split("\n").indexOf(line);
  assert.ok(index >= 0, `line not found: ${line}`);
  return index + 1;
}

test("claims yarn.lock by file name only", () => {
  const cases: Array<[string, boolean]> = [
    ["yarn.lock", true],
    ["server/yarn.lock", true],
    ["a/b/c/yarn.lock", true],
    ["yarn.lock.bak", false],
    ["my-yarn.lock", false],
    ["package-lock.json", false],
    ["pnpm-lock.yaml", false],
    ["yarn.lock/package.json", false],
  ];
  for (const [path, expected] of cases) assert.equal(yarnLockExtractor.claims(path), expected, path);
  assert.equal(yarnLockExtractor.id, "yarn-lock");
  assert.equal(yarnLockExtractor.kind, "lockfile");
  assert.equal(yarnLockExtractor.ecosystem, "npm");
});

test("unreadable, foreign and unknown-version files get a status and a one-line reason", () => {
  const cases: Array<[string, string, "failed" | "unsupported", RegExp]> = [
    ["empty", "", "failed", /empty yarn\.lock/],
    ["blank", "\n \n\t\n", "failed", /empty yarn\.lock/],
    ["package-lock JSON", '{"name":"x","lockfileVersion":3,"packages":{}}\n', "failed", /not a yarn\.lock/],
    ["prose", "hello world\n", "failed", /not a yarn\.lock/],
    ["pnpm lockfile", "lockfileVersion: '9.0'\n\nimporters:\n  .: {}\n", "failed", /not a yarn\.lock/],
    ["unknown berry version", "__metadata:\n  version: 99\n  cacheKey: 10c0\n", "unsupported", /__metadata\.version 99 is not supported/],
    ["berry without version", "__metadata:\n  cacheKey: 8\n", "failed", /__metadata\.version is not a number/],
    ["truncated classic", '# yarn lockfile v1\n\n\nms@^2.1.3:\n  version "2.1.3"\n  resolved "https://registry.yarnpkg.com/ms/-/ms-2.1', "failed", /invalid yarn\.lock \(classic\) at line 6/],
    ["truncated berry", '__metadata:\n  version: 8\n\n"a@npm:1.0.0":\n  version: [1.0.0\n', "failed", /invalid yarn\.lock \(berry YAML\)/],
    ["merge conflict", '# yarn lockfile v1\n\nms@^2.1.3:\n<<<<<<< HEAD\n  version "2.1.3"\n=======\n  version "2.1.2"\n>>>>>>> other\n', "failed", /merge conflict markers \(line 4\)/],
  ];
  for (const [label, text, status, reason] of cases) {
    const result = extractFrom(yarnLockExtractor, "yarn.lock", { "yarn.lock": text, "package.json": "{}" });
    assert.equal(result.status, status, label);
    assert.equal(result.graph, null, label);
    assert.match(result.reason ?? "", reason, label);
    assert.ok(!(result.reason ?? "").includes("\n"), `${label}: one line`);
  }
});

test("a header-only classic lockfile of a project without dependencies is ok and empty", () => {
  const result = extractFrom(yarnLockExtractor, "yarn.lock", {
    "yarn.lock": "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n",
    "package.json": '{"name":"bare","version":"1.0.0"}',
  });
  assert.equal(result.status, "ok");
  assert.equal(result.graph?.packages().length, 0);
  assert.equal(result.graph?.root.name, "bare");
  assert.deepEqual(result.consumed, ["package.json"]);
});

// Generated with `yarn@1.22.22 install --ignore-scripts`; `yarn list --json` on the same tree lists these 31
// name@version pairs (aliases mapped to their real names; ms-tar is a tarball-URL dependency yarn names by its key).
const CLASSIC_ORACLE = [
  "@isaacs/cliui@8.0.2", "ansi-regex@5.0.1", "ansi-regex@6.6.0", "ansi-styles@4.3.0", "ansi-styles@6.2.3", "color-convert@2.0.1",
  "color-name@1.1.4", "debug@4.3.4", "debug@4.4.3", "eastasianwidth@0.2.0", "emoji-regex@8.0.0", "emoji-regex@9.2.2", "gitdep@1.2.3",
  "is-fullwidth-code-point@3.0.0", "is-number@6.0.0", "is-number@7.0.0", "is-odd@3.0.1", "js-tokens@4.0.0", "left-pad@1.3.0",
  "local-thing@0.0.1", "loose-envify@1.4.0", "ms-tar@2.1.2", "ms@2.0.0", "ms@2.1.2", "ms@2.1.3", "string-width@4.2.3",
  "string-width@5.1.2", "strip-ansi@6.0.1", "strip-ansi@7.2.0", "wrap-ansi@7.0.0", "wrap-ansi@8.1.0",
];

test("classic v1 with workspaces: per-workspace direct deps, aliases, git/url/file sources, hashes, lines", () => {
  const files = tree("classic-workspace");
  const result = extractFrom(yarnLockExtractor, "yarn.lock", files);
  assert.equal(result.status, "ok", result.reason);
  assert.deepEqual(result.consumed.sort(), ["package.json", "packages/a/package.json", "packages/b/package.json"]);
  const graph = result.graph as DependencyGraph;
  assert.deepEqual(nameVersions(graph).filter((nv) => !nv.startsWith("@mono/")), CLASSIC_ORACLE);
  assert.deepEqual(graph.importers().map((n) => `${n.id}=${n.name}@${n.version}`), [
    "root=yarn-root@1.0.0", "workspace:packages/a=@mono/a@0.1.0", "workspace:packages/b=@mono/b@0.2.0",
  ]);

  assert.deepEqual(directOf(graph, ROOT_ID), [
    "@mono/a@0.1.0 prod", "@mono/b@0.2.0 prod", "gitdep@1.2.3 prod", "is-number@7.0.0 dev", "is-odd@3.0.1 optional",
    "left-pad@1.3.0 prod as lp", "local-thing@0.0.1 prod", "ms-tar@2.1.2 prod", "ms@2.1.3 prod",
  ]);
  assert.deepEqual(directOf(graph, "workspace:packages/a"), ["@isaacs/cliui@8.0.2 prod", "debug@4.4.3 prod", "loose-envify@1.4.0 prod"]);
  // @mono/b names its sibling by version (classic has no workspace: protocol) and a peer nobody installs.
  assert.deepEqual(directOf(graph, "workspace:packages/b"), ["@mono/a@0.1.0 prod", "debug@4.3.4 prod", "ms@2.0.0 dev"]);

  // yarn.lock has no dev flag: the graph computes it (ms@2.0.0 only via @mono/b's devDependencies).
  assert.equal(only(graph, "ms", "2.0.0").dev, true);
  assert.equal(only(graph, "ms", "2.1.2").dev, false);
  assert.equal(only(graph, "is-number", "6.0.0").optional, true, "only reachable through is-odd, an optional dependency");
  assert.equal(only(graph, "is-number", "7.0.0").dev, false, "dev for the root but needed by local-thing");

  const ms = only(graph, "ms", "2.1.3");
  assert.equal(ms.source, "registry");
  assert.equal(ms.declared, "2.1.3");
  assert.deepEqual(ms.hashes.map((h) => h.algorithm).sort(), ["sha1", "sha512"]);
  assert.equal(ms.hashes.find((h) => h.algorithm === "sha1")?.value, "574c8138ce1d2b5861f0b44579dbadd60c6615b2");
  assert.deepEqual(ms.locations, [{ file: "yarn.lock", line: lineOf(files["yarn.lock"] as string, "ms@2.1.3, ms@^2.1.0, ms@^2.1.3:") }]);

  const git = only(graph, "gitdep");
  assert.equal(git.source, "git");
  assert.equal(git.resolved, "git://127.0.0.1/gitdep.git#42dea8cf1b3ebb7ddaa7670b1e41e68fe84c9587");
  assert.deepEqual(git.hashes, [], "a git commit fragment is not a sha1 of a tarball");
  assert.match(git.purl, /vcs_url=/);

  const url = only(graph, "ms-tar");
  assert.equal(url.source, "url");
  assert.deepEqual(url.hashes, [{ algorithm: "sha1", value: "d09d1f357b443f493382a8eb3ccd183872ae6009" }]);
  const local = only(graph, "local-thing");
  assert.equal(local.source, "path");
  assert.equal(local.resolved, "./vendor/local-thing");

  // Aliases: the node carries the real name, the edge the alias (also inside packages).
  const cliui = only(graph, "@isaacs/cliui");
  const aliased = graph.dependenciesOf(cliui.id).filter((e) => e.alias).map((e) => `${e.alias}->${graph.get(e.to)?.name}@${graph.get(e.to)?.version}`);
  assert.deepEqual(aliased.sort(), ["string-width-cjs->string-width@4.2.3", "strip-ansi-cjs->strip-ansi@6.0.1", "wrap-ansi-cjs->wrap-ansi@7.0.0"]);
  assert.equal(only(graph, "left-pad").declared, "npm:left-pad@^1.3.0");
  assert.deepEqual(chainNames(graph, only(graph, "ansi-regex", "5.0.1").id, 1), ["root > @mono/a > @isaacs/cliui > strip-ansi > ansi-regex"]);

  // Importer edges point at the declaring package.json line.
  assert.equal(assertDeclarationLines(graph, files), 13);
  assert.deepEqual(graph.dependenciesOf("workspace:packages/b").map((e) => e.location?.file), Array(3).fill("packages/b/package.json"));
});

// Generated with @yarnpkg/cli-dist 4.18.1 (`yarn install --mode=update-lockfile`); `yarn info --all --recursive --json`
// after a full install lists the same 40 name@version pairs, except that it reads the versions of the `link:` and
// `portal:` targets from their folders (0.0.0 and 0.0.2), which the lockfile does not record.
const BERRY_ORACLE = [
  "@isaacs/cliui@8.0.2", "ansi-regex@5.0.1", "ansi-regex@6.6.0", "ansi-styles@4.3.0", "ansi-styles@6.2.3", "color-convert@2.0.1",
  "color-name@1.1.4", "debug@4.3.4", "debug@4.4.3", "eastasianwidth@0.2.0", "emoji-regex@8.0.0", "emoji-regex@9.2.2", "es-errors@1.3.0",
  "function-bind@1.1.2", "gitdep@1.2.3", "hasown@2.0.4", "is-core-module@2.18.0", "is-fullwidth-code-point@3.0.0", "is-number@6.0.0",
  "is-number@7.0.0", "is-odd@3.0.1", "js-tokens@4.0.0", "left-pad@1.3.0", "linked@", "local-thing@0.0.1", "loose-envify@1.4.0",
  "ms-tar@2.1.2", "ms@2.0.0", "ms@2.1.2", "ms@2.1.3", "path-parse@1.0.7", "portal-pkg@", "resolve@1.22.14", "string-width@4.2.3",
  "string-width@5.1.2", "strip-ansi@6.0.1", "strip-ansi@7.2.0", "supports-preserve-symlinks-flag@1.0.0", "wrap-ansi@7.0.0",
  "wrap-ansi@8.1.0",
];

test("berry v4 (metadata 10) with workspaces: workspace:, patch:, portal:, link:, file:, git, aliases, checksums", () => {
  const files = tree("berry4-workspace");
  const result = extractFrom(yarnLockExtractor, "yarn.lock", files);
  assert.equal(result.status, "ok", result.reason);
  const graph = result.graph as DependencyGraph;
  assert.deepEqual(nameVersions(graph).filter((nv) => !nv.startsWith("@mono/")), BERRY_ORACLE);

  assert.deepEqual(directOf(graph, ROOT_ID), [
    "@mono/a@0.1.0 prod", "@mono/b@0.2.0 prod", "gitdep@1.2.3 prod", "is-number@7.0.0 prod", "is-odd@3.0.1 optional",
    "left-pad@1.3.0 prod as lp", "linked@ prod", "local-thing@0.0.1 prod", "loose-envify@1.4.0 dev", "ms-tar@2.1.2 prod",
    "ms@2.1.3 prod", "portal-pkg@ prod", "resolve@1.22.14 prod",
  ]);
  assert.deepEqual(directOf(graph, "workspace:packages/a"), ["@isaacs/cliui@8.0.2 prod", "debug@4.4.3 prod"]);
  // `workspace:^` resolves to the sibling workspace node; the unresolvable peer (js-tokens@^4.0.0) is not an error.
  assert.deepEqual(directOf(graph, "workspace:packages/b"), ["@mono/a@0.1.0 prod", "debug@4.3.4 prod", "ms@2.0.0 dev"]);

  const cliui = only(graph, "@isaacs/cliui");
  assert.deepEqual(cliui.hashes, [{ algorithm: "sha512", value: "10c0/b1bf42535d49f11dc137f18d5e4e63a28c5569de438a221c369483731e9dac9fb797af554e8bf02b6192d1e5eba6e6402cf93900c3d0ac86391d00d04876789e" }]);
  assert.deepEqual(cliui.locations, [{ file: "yarn.lock", line: lineOf(files["yarn.lock"] as string, '"@isaacs/cliui@npm:8.0.2":') }]);

  // patch: is the patched package at its real version, from the registry.
  const patched = only(graph, "is-number", "7.0.0");
  assert.equal(patched.source, "registry");
  assert.equal(patched.declared, "patch:is-number@npm%3A7.0.0#./patches/is-number.patch");
  assert.equal(only(graph, "resolve").source, "registry");

  assert.equal(only(graph, "gitdep").source, "git");
  assert.equal(only(graph, "gitdep").resolved, "git://127.0.0.1/gitdep.git#commit=42dea8cf1b3ebb7ddaa7670b1e41e68fe84c9587");
  assert.equal(only(graph, "ms-tar").source, "url");
  for (const [name, resolved] of [["linked", "./vendor/linked"], ["portal-pkg", "./vendor/portal-pkg"], ["local-thing", "./vendor/local-thing"]]) {
    assert.equal(only(graph, name as string).source, "path", name);
    assert.equal(only(graph, name as string).resolved, resolved, name);
  }
  // portal-pkg depends on ms through a descriptor bound to nothing; local-thing's is-number@^7 is the registry one.
  assert.deepEqual(graph.dependenciesOf(only(graph, "portal-pkg").id).map((e) => e.to), ["ms@2.1.3"]);
  assert.equal(only(graph, "is-number", "6.0.0").optional, true);
  assert.equal(only(graph, "js-tokens").dev, true, "only through loose-envify, a root devDependency");

  assert.equal(assertDeclarationLines(graph, files), 16);
  // Without the manifests, a berry workspace's edges point at its own entry in yarn.lock.
  const bare = graphOf({ "yarn.lock": files["yarn.lock"] as string });
  const entryLine = lineOf(files["yarn.lock"] as string, '"@mono/b@workspace:packages/b":');
  assert.ok(bare.dependenciesOf("workspace:packages/b").length > 0);
  for (const edge of bare.dependenciesOf("workspace:packages/b")) assert.deepEqual(edge.location, { file: "yarn.lock", line: entryLine });
});

test("berry v3 real lockfile (metadata 6): bare ranges, cache-key checksums, root resolutions, AI chains", () => {
  const files = loadTree(realworldPath("langchain-ai__langchain-nextjs-template"), ["yarn.lock", "package.json"]);
  const result = extractFrom(yarnLockExtractor, "yarn.lock", files);
  assert.equal(result.status, "ok", result.reason);
  const graph = result.graph as DependencyGraph;
  assert.equal(graph.packages().length, 701);
  assert.equal(graph.root.name, "langchain-nextjs-template");
  const gateway = only(graph, "@ai-sdk/gateway", "4.0.52");
  assert.match(gateway.hashes[0]?.value ?? "", /^8\/6aab31ff8d1a/, "cacheKey 8 prefixes the bare checksum, as yarn reads it");
  // package.json `resolutions` force js-yaml ^4.3.1: dependants asking for ^4.1.1 or even ^5.2.2 land on the forced
  // (and only) js-yaml entry.
  const jsYaml = only(graph, "js-yaml");
  assert.deepEqual(graph.dependentsOf(jsYaml.id).map((e) => `${graph.get(e.from)?.name} ${e.spec}`).sort(), [
    "@eslint/eslintrc ^4.3.0", "@langchain/classic ^4.1.1", "@langchain/classic ^5.2.2", "@langchain/community ^4.1.1",
  ]);
  assert.deepEqual(chainNames(graph, only(graph, "openai", "6.49.0").id, 2), [
    "root > @langchain/openai > openai",
    "root > @langchain/classic > @langchain/openai > openai",
  ]);
  assert.equal(graph.isDirect(only(graph, "@langchain/openai", "1.5.8").id), true);
  assert.equal(graph.isDirect(only(graph, "@ai-sdk/provider").id), false);

  assert.ok(assertDeclarationLines(graph, files) > 30);
});

test("berry without the root resolutions leaves the forced descriptors unresolved and says so", () => {
  const files = loadTree(realworldPath("langchain-ai__langchain-nextjs-template"), ["yarn.lock", "package.json"]);
  const manifest = JSON.parse(files["package.json"] as string) as Record<string, unknown>;
  delete manifest.resolutions;
  const result = extractFrom(yarnLockExtractor, "yarn.lock", { ...files, "package.json": JSON.stringify(manifest) });
  assert.equal(result.status, "partial");
  assert.match(result.reason ?? "", /^\d+ dependencies not found in yarn\.lock \(/);
  assert.ok(result.graph && result.graph.packages().length === 701, "the entries are still all there");
});

test("classic real lockfiles: anything-llm server and collector", () => {
  const server = graphOf(loadTree(realworldPath("Mintplex-Labs__anything-llm"), ["server/yarn.lock", "server/package.json"]), "server/yarn.lock");
  assert.equal(server.packages().length, 1071);
  assert.equal(server.root.name, "anything-llm-server");
  assert.equal(server.isDirect(only(server, "openai", "4.95.1").id), true);
  assert.deepEqual(chainNames(server, only(server, "@anthropic-ai/sdk", "0.20.9").id), ["root > @langchain/anthropic > @anthropic-ai/sdk"]);
  assert.equal(only(server, "openai", "4.95.1").locations[0]?.file, "server/yarn.lock");
  const collector = graphOf(loadTree(realworldPath("Mintplex-Labs__anything-llm"), ["collector/yarn.lock", "collector/package.json"]), "collector/yarn.lock");
  assert.equal(collector.packages().length, 630);
});

const SMALL_CLASSIC = `# yarn lockfile v1


"@scope/gh@user/repo#v1":
  version "1.0.0"
  resolved "https://codeload.github.com/user/repo/tar.gz/0123456789abcdef0123456789abcdef01234567"

"sshdep@git+ssh://git@github.com/org/sshdep.git#main":
  version "2.0.0"
  resolved "git+ssh://git@github.com/org/sshdep.git#89abcdef0123456789abcdef0123456789abcdef"

"tarball@https://example.com/t/tarball-3.0.0.tgz":
  version "3.0.0"
  resolved "https://example.com/t/tarball-3.0.0.tgz#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

"local@file:../local":
  version "0.1.0"

top@^1.0.0:
  version "1.2.0"
  resolved "https://registry.yarnpkg.com/top/-/top-1.2.0.tgz"
  integrity "sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA= sha512-BBBB"
  dependencies:
    missing "^9.0.0"
  optionalDependencies:
    fsevents "^2.0.0"

fsevents@^2.0.0:
  version "2.3.3"
  resolved "https://registry.yarnpkg.com/fsevents/-/fsevents-2.3.3.tgz"

noversion@^1.0.0:
  resolved "https://registry.yarnpkg.com/noversion/-/noversion-1.0.0.tgz"
`;

test("classic sources, optional entries, unresolved dependencies and skipped entries", () => {
  const result = extractFrom(yarnLockExtractor, "yarn.lock", {
    "yarn.lock": SMALL_CLASSIC,
    "package.json": JSON.stringify({
      dependencies: { "@scope/gh": "user/repo#v1", sshdep: "git+ssh://git@github.com/org/sshdep.git#main", tarball: "https://example.com/t/tarball-3.0.0.tgz", local: "file:../local", top: "^1.0.0", linked: "link:../linked" },
    }),
  });
  assert.equal(result.status, "partial");
  assert.match(result.reason ?? "", /^1 dependency not found in yarn\.lock \(missing@\^9\.0\.0 \(from top@1\.2\.0\)\); 1 entry skipped \(noversion@\^1\.0\.0: no version\)$/);
  const graph = result.graph as DependencyGraph;
  const cases: Array<[string, string, string | undefined, string[]]> = [
    ["@scope/gh", "git", "https://codeload.github.com/user/repo/tar.gz/0123456789abcdef0123456789abcdef01234567", []],
    ["sshdep", "git", "git+ssh://git@github.com/org/sshdep.git#89abcdef0123456789abcdef0123456789abcdef", []],
    ["tarball", "url", "https://example.com/t/tarball-3.0.0.tgz#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ["sha1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]],
    ["local", "path", "../local", []],
    ["top", "registry", "https://registry.yarnpkg.com/top/-/top-1.2.0.tgz", ["sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "sha512:BBBB"]],
    ["linked", "path", "../linked", []],
  ];
  for (const [name, source, resolved, hashes] of cases) {
    const node = only(graph, name);
    assert.equal(node.source, source, name);
    assert.equal(node.resolved, resolved, name);
    assert.deepEqual(node.hashes.map((h) => `${h.algorithm}:${h.value}`), hashes, name);
    assert.equal(graph.isDirect(node.id), true, name);
  }
  assert.deepEqual(graph.dependenciesOf(only(graph, "top").id).map((e) => `${e.to} ${e.kind}`), ["fsevents@2.3.3 optional"]);
  assert.equal(only(graph, "fsevents").optional, true);
});

test("without package.json, classic direct dependencies are inferred and the status says so", () => {
  const result = extractFrom(yarnLockExtractor, "app/yarn.lock", { "app/yarn.lock": SMALL_CLASSIC.replace('  dependencies:\n    missing "^9.0.0"\n', "") });
  assert.equal(result.status, "partial");
  assert.match(result.reason ?? "", /app\/package\.json not readable: direct dependencies inferred/);
  const graph = result.graph as DependencyGraph;
  assert.deepEqual(directOf(graph, ROOT_ID), ["@scope/gh@1.0.0 prod", "local@0.1.0 prod", "sshdep@2.0.0 prod", "tarball@3.0.0 prod", "top@1.2.0 prod"]);
  assert.deepEqual(result.problems, [], "a missing manifest that discovery never found is not a problem of its own");
});

test("an invalid package.json is reported under its own path", () => {
  const files = tree("classic-workspace");
  files["packages/a/package.json"] = "{ not json";
  const result = extractFrom(yarnLockExtractor, "yarn.lock", files);
  assert.deepEqual(result.problems.map((p) => `${p.path} ${p.status}`), ["packages/a/package.json failed"]);
  assert.match(result.problems[0]?.reason ?? "", /invalid JSON/);
  assert.ok(result.graph?.get("workspace:packages/a"), "the workspace is still a member (matched by the root glob)");
});

test("companions: the root manifest, then the manifests its workspace globs select, then berry's own workspaces", () => {
  const classic = tree("classic-workspace");
  const withExtra = { ...classic, "packages/a/node_modules/x/package.json": "{}", "other/package.json": "{}" };
  const file = { path: "yarn.lock", text: classic["yarn.lock"] as string };
  const discovered = Object.keys(withExtra).sort();
  assert.deepEqual(yarnLockExtractor.companions(file, { discovered, files: new Map(), unreadable: new Map() }), ["package.json"]);
  const read = new Map([["package.json", classic["package.json"] as string]]);
  assert.deepEqual(yarnLockExtractor.companions(file, { discovered, files: read, unreadable: new Map() }), [
    "package.json", "packages/a/package.json", "packages/b/package.json",
  ]);
  const berry = tree("berry4-workspace");
  const berryFile = { path: "sub/yarn.lock", text: berry["yarn.lock"] as string };
  assert.deepEqual(yarnLockExtractor.companions(berryFile, { discovered: [], files: new Map(), unreadable: new Map() }), [
    "sub/package.json", "sub/packages/a/package.json", "sub/packages/b/package.json",
  ]);
});

test("berry entries without a resolution are skipped and counted; relative descriptors resolve through their binding", () => {
  const lock = `__metadata:
  version: 8
  cacheKey: 10c0

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    local: "file:./local"
    broken: "npm:^1.0.0"
  languageName: unknown
  linkType: soft

"local@file:./local::locator=app%40workspace%3A.":
  version: 1.0.0
  resolution: "local@file:./local#./local::hash=abc&locator=app%40workspace%3A."
  checksum: 10c0/ff
  languageName: node
  linkType: hard

"broken@npm:^1.0.0":
  version: 1.0.0
  languageName: node
  linkType: hard
`;
  const result = extractFrom(yarnLockExtractor, "yarn.lock", { "yarn.lock": lock, "package.json": '{"name":"app","dependencies":{"local":"file:./local","broken":"^1.0.0"}}' });
  assert.equal(result.status, "partial");
  assert.match(result.reason ?? "", /1 dependency not found in yarn\.lock \(broken@npm:\^1\.0\.0 \(from app\)\); 1 entry skipped \(broken@npm:\^1\.0\.0: no resolution\)/);
  const graph = result.graph as DependencyGraph;
  assert.deepEqual(directOf(graph, ROOT_ID), ["local@1.0.0 prod"]);
  assert.deepEqual(only(graph, "local").hashes, [{ algorithm: "sha512", value: "10c0/ff" }]);
});

test("CRLF line endings and a byte-order mark change nothing", () => {
  for (const name of ["classic-workspace", "berry4-workspace"]) {
    const files = tree(name);
    const plain = graphOf(files);
    const windows = graphOf({ ...files, "yarn.lock": `\ufeff${(files["yarn.lock"] as string).replace(/\n/g, "\r\n")}` });
    assert.deepEqual(nameVersions(windows), nameVersions(plain), name);
    assert.deepEqual(windows.packages().map((p) => p.locations), plain.packages().map((p) => p.locations), name);
  }
});
