import { test } from "node:test";
import assert from "node:assert/strict";
import { ROOT_ID } from "../../graph/dependency-graph.js";
import type { DependencyGraph } from "../../graph/dependency-graph.js";
import type { PackageNode } from "../../graph/package-node.js";
import { chainNames, extractFrom, fixturePath, loadTree, realworldPath } from "../../testing/fixtures.js";
import { candidateKeys, parseKey, stripPeers } from "./lock-keys.js";
import { parseLockYaml } from "./lock-yaml.js";
import { pnpmLockExtractor } from "./pnpm-lock.js";

const WORKSPACE_FILES = ["pnpm-lock.yaml", "package.json", "packages/a/package.json", "packages/b/package.json"];

function tree(name: string, files = WORKSPACE_FILES): Record<string, string> {
  return loadTree(fixturePath(import.meta.url, name), files);
}

function extract(files: Record<string, string>, primary = "pnpm-lock.yaml") {
  return extractFrom(pnpmLockExtractor, primary, files);
}

function only(graph: DependencyGraph, name: string, version?: string): PackageNode {
  const found = graph.packages().filter((p) => p.name === name && (version === undefined || p.version === version));
  assert.equal(found.length, 1, `exactly one ${name}@${version ?? "*"}: ${found.map((p) => p.id).join(", ")}`);
  return found[0] as PackageNode;
}

/** Direct dependencies of an importer as `name@version kind [as alias]`, sorted. */
function directOf(graph: DependencyGraph, importer: string): string[] {
  return graph.dependenciesOf(importer)
    .map((e) => {
      const n = graph.get(e.to) as PackageNode;
      return `${n.name}@${n.version} ${e.kind}${e.alias ? ` as ${e.alias}` : ""}`;
    })
    .sort();
}

/**
 * Every importer edge points at a line naming the dependency: `"name":` in a package.json, `name:` in the lockfile;
 * returns the files pointed at, counted.
 */
function assertDeclarationLines(graph: DependencyGraph, files: Record<string, string>, label: string): Record<string, number> {
  const seen: Record<string, number> = {};
  for (const importer of graph.importers()) {
    for (const edge of graph.dependenciesOf(importer.id)) {
      if (edge.spec === undefined) continue;
      const name = edge.alias ?? graph.get(edge.to)?.name ?? "";
      const where = `${label}: ${importer.name} > ${name}`;
      assert.ok(edge.location?.line !== undefined, `${where}: no declaration line`);
      const text = (files[edge.location.file] ?? "").split("\n")[edge.location.line - 1] ?? "";
      // The fixtures' manifests write some sections on one line, so a package.json line need only hold the key.
      const ok = edge.location.file.endsWith("package.json") ? text.includes(`"${name}":`) : [`${name}:`, `'${name}':`, `"${name}":`].some((k) => text.trimStart().startsWith(k));
      assert.ok(ok, `${where}: ${edge.location.file}:${edge.location.line} is "${text}"`);
      seen[edge.location.file] = (seen[edge.location.file] ?? 0) + 1;
    }
  }
  return seen;
}

function nameVersionSet(graph: DependencyGraph): string[] {
  return graph.packages().filter((p) => !p.workspace).map((p) => `${p.name}@${p.version}`).sort();
}

test("claims pnpm-lock.yaml by file name only", () => {
  const cases: Array<[string, boolean]> = [
    ["pnpm-lock.yaml", true],
    ["apps/web/pnpm-lock.yaml", true],
    ["pnpm-lock.yml", false],
    ["pnpm-workspace.yaml", false],
    ["node_modules/.pnpm/lock.yaml", false],
    ["yarn.lock", false],
    ["pnpm-lock.yaml.orig", false],
  ];
  for (const [path, expected] of cases) assert.equal(pnpmLockExtractor.claims(path), expected, path);
  assert.equal(pnpmLockExtractor.id, "pnpm-lock");
  assert.equal(pnpmLockExtractor.kind, "lockfile");
});

test("unreadable, foreign and unknown-version files get a status and a one-line reason", () => {
  const cases: Array<[string, string, "failed" | "unsupported", RegExp]> = [
    ["empty", "", "failed", /empty pnpm-lock\.yaml/],
    ["only a document marker", "---\n", "failed", /empty pnpm-lock\.yaml/],
    ["a YAML list", "- a\n- b\n", "failed", /top level is not a mapping/],
    ["no lockfileVersion", "foo: bar\n", "failed", /no lockfileVersion/],
    ["a yarn.lock", '# yarn lockfile v1\n\nms@^2.1.3:\n  version "2.1.3"\n', "failed", /no lockfileVersion/],
    ["unknown version 10", "lockfileVersion: '10.0'\n", "unsupported", /lockfileVersion 10\.0 is not supported/],
    ["old version 4", "lockfileVersion: 4.0\n", "unsupported", /lockfileVersion 4 is not supported|lockfileVersion 4\.0 is not supported/],
    ["truncated mid flow mapping", "lockfileVersion: '9.0'\n\npackages:\n\n  ms@2.1.3:\n    resolution: {integrity: sha512-6Flz", "failed", /invalid YAML at line 6/],
    ["bad indentation", "lockfileVersion: '9.0'\n  importers: x\n bad: [\n", "failed", /invalid YAML at line \d+/],
    ["merge conflict", "lockfileVersion: '9.0'\n<<<<<<< HEAD\nfoo: 1\n=======\nfoo: 2\n>>>>>>> b\n", "failed", /merge conflict markers \(line 2\)/],
    ["two project documents", "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies: {}\n---\nlockfileVersion: '9.0'\nimporters:\n  .: {}\n", "failed", /holds 2 YAML documents/],
  ];
  for (const [label, text, status, reason] of cases) {
    const result = extract({ "pnpm-lock.yaml": text });
    assert.equal(result.status, status, label);
    assert.equal(result.graph, null, label);
    assert.match(result.reason ?? "", reason, label);
    assert.ok(!(result.reason ?? "").includes("\n"), `${label}: one line`);
  }
});

test("a lockfile truncated between entries is partial: the dangling references are counted", () => {
  const text = readV9();
  const cut = text.slice(0, text.indexOf("  react-dom@18.2.0(react@18.2.0):"));
  const result = extract({ ...tree("v9-workspace"), "pnpm-lock.yaml": cut });
  assert.equal(result.status, "partial");
  assert.match(result.reason ?? "", /^\d+ dependencies not found in pnpm-lock\.yaml \(/);
  assert.ok(result.graph && result.graph.packages().length > 20);
});

function readV9(): string {
  return tree("v9-workspace")["pnpm-lock.yaml"] as string;
}

// `pnpm ls -r --depth Infinity --json` (pnpm 7, 8, 9 and 12 on the same generated workspace, after a full install)
// lists exactly these name@version pairs; the `file:` and `link:` folders are compared by name (pnpm ls prints the
// folder reference as their version; lockfile 9 does not record a `file:` folder's version).
const WORKSPACE_ORACLE = [
  "@isaacs/cliui@8.0.2", "ansi-regex@5.0.1", "ansi-regex@6.6.0", "ansi-styles@4.3.0", "ansi-styles@6.2.3", "color-convert@2.0.1",
  "color-name@1.1.4", "debug@4.4.3", "eastasianwidth@0.2.0", "emoji-regex@8.0.0", "emoji-regex@9.2.2", "gitdep@1.2.3",
  "is-fullwidth-code-point@3.0.0", "is-number@6.0.0", "is-number@7.0.0", "is-odd@3.0.1", "js-tokens@4.0.0", "left-pad@1.3.0",
  "linked@", "local-thing@", "loose-envify@1.4.0", "ms@2.0.0", "ms@2.1.2", "ms@2.1.3", "react-dom@18.2.0", "react@18.2.0",
  "react@18.3.1", "scheduler@0.23.2", "string-width@4.2.3", "string-width@5.1.2", "strip-ansi@6.0.1", "strip-ansi@7.2.0",
  "wrap-ansi@7.0.0", "wrap-ansi@8.1.0",
];

const ROOT_DIRECT = (localVersion: string) => [
  "@mono/a@0.1.0 prod", "@mono/b@0.2.0 prod", "gitdep@1.2.3 prod", "is-number@7.0.0 dev", "is-odd@3.0.1 optional",
  "left-pad@1.3.0 prod as lp", "linked@ prod", `local-thing@${localVersion} prod`, "ms@2.1.2 prod as ms-tar", "ms@2.1.3 prod",
];

test("workspaces in lockfile 5.4, 6.0, 9.0 and a two-document 9.0: importers, links, peers, aliases, sources", () => {
  const cases: Array<[string, string, boolean]> = [
    ["v5-workspace", "0.0.1", true],
    ["v6-workspace", "", true],
    ["v9-workspace", "", false],
    ["v9-env-document", "", false],
  ];
  for (const [dir, localVersion, peerVariantsAreEntries] of cases) {
    const files = tree(dir);
    const result = extract(files);
    assert.equal(result.status, "ok", `${dir}: ${result.reason}`);
    assert.deepEqual(result.consumed.sort(), ["package.json", "packages/a/package.json", "packages/b/package.json"], dir);
    const graph = result.graph as DependencyGraph;
    assert.deepEqual(nameVersionSet(graph).map((nv) => (nv.startsWith("local-thing@") ? "local-thing@" : nv)), WORKSPACE_ORACLE, dir);
    assert.equal(only(graph, "local-thing").version, localVersion, dir);
    assert.deepEqual(graph.importers().map((n) => `${n.id}=${n.name}@${n.version}`), [
      "root=mono-root@1.0.0", "workspace:packages/a=@mono/a@0.1.0", "workspace:packages/b=@mono/b@0.2.0",
    ], dir);

    assert.deepEqual(directOf(graph, ROOT_ID), ROOT_DIRECT(localVersion), dir);
    assert.deepEqual(directOf(graph, "workspace:packages/a"), ["@isaacs/cliui@8.0.2 prod", "debug@4.4.3 prod", "react-dom@18.2.0 prod", "react@18.2.0 prod"], dir);
    assert.deepEqual(directOf(graph, "workspace:packages/b"), ["@mono/a@0.1.0 prod", "ms@2.0.0 dev", "react-dom@18.2.0 prod", "react@18.3.1 prod"], dir);

    // Two peer variants of react-dom@18.2.0 collapse into one node that keeps the edges of both.
    const reactDom = only(graph, "react-dom");
    assert.deepEqual(graph.dependenciesOf(reactDom.id).map((e) => `${e.to} ${e.kind}`).sort(), [
      "loose-envify@1.4.0 prod", "react@18.2.0 peer", "react@18.3.1 peer", "scheduler@0.23.2 prod",
    ], dir);
    assert.equal(reactDom.locations.length, peerVariantsAreEntries ? 2 : 1, `${dir}: one location per packages entry`);
    assert.equal(reactDom.declared, "18.2.0", dir);

    const git = only(graph, "gitdep");
    assert.equal(git.source, "git", dir);
    assert.equal(git.resolved, "git://127.0.0.1/gitdep.git#42dea8cf1b3ebb7ddaa7670b1e41e68fe84c9587", dir);
    assert.equal(git.declared, "git://127.0.0.1/gitdep.git#main", dir);
    assert.equal(only(graph, "linked").source, "path", dir);
    assert.equal(only(graph, "linked").resolved, "vendor/linked", dir);
    assert.equal(only(graph, "local-thing").resolved, "vendor/local-thing", dir);
    // A registry tarball URL is recognised by pnpm as the registry package it is.
    const tarball = only(graph, "ms", "2.1.2");
    assert.equal(tarball.source, "registry", dir);
    assert.equal(tarball.declared, "https://registry.npmjs.org/ms/-/ms-2.1.2.tgz", dir);

    const ms = only(graph, "ms", "2.1.3");
    assert.deepEqual(ms.hashes, [{ algorithm: "sha512", value: "6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==" }], dir);
    const key = dir === "v5-workspace" ? "  /ms/2.1.3:" : dir === "v6-workspace" ? "  /ms@2.1.3:" : "  ms@2.1.3:";
    const lines = (files["pnpm-lock.yaml"] as string).split("\n");
    assert.deepEqual(ms.locations, [{ file: "pnpm-lock.yaml", line: lines.indexOf(key) + 1 }], dir);

    // Aliases inside packages (npm:string-width@^4 as string-width-cjs).
    const cliui = only(graph, "@isaacs/cliui");
    assert.deepEqual(graph.dependenciesOf(cliui.id).filter((e) => e.alias).map((e) => `${e.alias}->${e.to}`).sort(), [
      "string-width-cjs->string-width@4.2.3", "strip-ansi-cjs->strip-ansi@6.0.1", "wrap-ansi-cjs->wrap-ansi@7.0.0",
    ], dir);
    assert.equal(only(graph, "ms", "2.0.0").dev, true, dir);
    assert.equal(only(graph, "is-number", "6.0.0").optional, true, dir);
    assert.equal(only(graph, "is-number", "7.0.0").dev, false, `${dir}: dev for the root, prod for local-thing`);
    assert.deepEqual(chainNames(graph, only(graph, "ansi-regex", "5.0.1").id, 1), ["root > @mono/a > @isaacs/cliui > strip-ansi > ansi-regex"], dir);

    // Importer edges point at the importer's package.json; without the manifests, at the importer's keys in the lock.
    assert.deepEqual(assertDeclarationLines(graph, files, dir), { "package.json": 8, "packages/a/package.json": 4, "packages/b/package.json": 4 }, dir);
    const bare = extract({ "pnpm-lock.yaml": files["pnpm-lock.yaml"] as string }).graph as DependencyGraph;
    assert.deepEqual(assertDeclarationLines(bare, files, `${dir} without manifests`), { "pnpm-lock.yaml": 16 }, dir);
  }
});

test("lockfile 5.x single project: top-level sections, specifiers, dev/optional flags and requiresBuild", () => {
  for (const version of ["5.4", "5.3"]) {
    const files = tree("v5-single", ["pnpm-lock.yaml", "package.json"]);
    files["pnpm-lock.yaml"] = (files["pnpm-lock.yaml"] as string).replace("lockfileVersion: 5.4", `lockfileVersion: ${version}`);
    const result = extract(files);
    assert.equal(result.status, "ok", version);
    const graph = result.graph as DependencyGraph;
    assert.deepEqual(directOf(graph, ROOT_ID), [
      "debug@4.4.3 prod", "is-number@7.0.0 dev", "is-odd@3.0.1 optional", "left-pad@1.3.0 prod as lp", "react-dom@18.2.0 prod", "react@18.2.0 prod",
    ], version);
    assert.equal(only(graph, "left-pad").declared, "npm:left-pad@^1.3.0", version);
    assert.equal(only(graph, "debug").declared, "^4.3.4", version);
    assert.equal(only(graph, "is-odd").hasInstallScript, true, `${version}: requiresBuild`);
    assert.equal(only(graph, "debug").hasInstallScript, false, version);
    assert.equal(only(graph, "is-number", "7.0.0").dev, true, version);
    assert.equal(only(graph, "is-number", "6.0.0").optional, true, version);
    const bare = extract({ "pnpm-lock.yaml": files["pnpm-lock.yaml"] as string }).graph as DependencyGraph;
    assert.deepEqual(assertDeclarationLines(bare, files, version), { "pnpm-lock.yaml": 6 }, `${version}: the top-level sections of a single-project lock`);
    assert.deepEqual(assertDeclarationLines(graph, files, version), { "package.json": 6 }, version);
  }
});

test("lockfile 5/6 dev flags are taken from the file, not recomputed", () => {
  const files = tree("v5-single", ["pnpm-lock.yaml", "package.json"]);
  // Claim loose-envify is dev-only although react (prod) needs it: the graph must follow the lockfile's word.
  files["pnpm-lock.yaml"] = (files["pnpm-lock.yaml"] as string).replace(/(\/loose-envify\/1\.4\.0:[\s\S]*?)dev: false/, "$1dev: true");
  const graph = extract(files).graph as DependencyGraph;
  assert.equal(only(graph, "loose-envify").dev, true);
  assert.equal(only(graph, "react").dev, false);
});

test("the env document of pnpm 11+ adds its config and package-manager dependencies as dev tooling", () => {
  const text = `---
lockfileVersion: '9.0'

importers:

  .:
    configDependencies:
      '@acme/pnpm-config':
        specifier: 1.0.0
        version: 1.0.0
    packageManagerDependencies:
      pnpm:
        specifier: 12.3.4
        version: 12.3.4

packages:

  '@acme/pnpm-config@1.0.0':
    resolution: {integrity: sha512-cfg}

  pnpm@12.3.4:
    resolution: {integrity: sha512-pm}

snapshots:

  '@acme/pnpm-config@1.0.0': {}

  pnpm@12.3.4: {}

---
lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      ms:
        specifier: ^2.1.3
        version: 2.1.3

packages:

  ms@2.1.3:
    resolution: {integrity: sha512-ms}

snapshots:

  ms@2.1.3: {}
`;
  const result = extract({ "pnpm-lock.yaml": text });
  assert.equal(result.status, "ok", result.reason);
  const graph = result.graph as DependencyGraph;
  assert.deepEqual(directOf(graph, ROOT_ID), ["@acme/pnpm-config@1.0.0 dev", "ms@2.1.3 prod", "pnpm@12.3.4 dev"]);
  assert.equal(only(graph, "pnpm").dev, true);
  // Lines count across both documents.
  const lines = text.split("\n");
  assert.deepEqual(only(graph, "pnpm").locations, [{ file: "pnpm-lock.yaml", line: lines.indexOf("  pnpm@12.3.4:") + 1 }]);
  assert.deepEqual(only(graph, "ms").locations, [{ file: "pnpm-lock.yaml", line: lines.indexOf("  ms@2.1.3:") + 1 }]);
  assert.ok(lines.indexOf("  ms@2.1.3:") > 40);
});

const SOURCES_V9 = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      tar:
        specifier: https://example.com/tar-1.0.0.tgz
        version: tar@https://example.com/tar-1.0.0.tgz
      gh:
        specifier: github:user/gh#main
        version: https://codeload.github.com/user/gh/tar.gz/0123456789abcdef0123456789abcdef01234567
      dir:
        specifier: file:../dir
        version: file:../dir
      tgz:
        specifier: file:../t.tgz
        version: tgz@file:../t.tgz
      native:
        specifier: ^1.0.0
        version: 1.0.0
      ghost:
        specifier: ^1.0.0
        version: 1.0.0

packages:

  tar@https://example.com/tar-1.0.0.tgz:
    resolution: {integrity: sha512-tar, tarball: https://example.com/tar-1.0.0.tgz}
    version: 1.0.0

  gh@https://codeload.github.com/user/gh/tar.gz/0123456789abcdef0123456789abcdef01234567:
    resolution: {tarball: https://codeload.github.com/user/gh/tar.gz/0123456789abcdef0123456789abcdef01234567}
    version: 2.0.0

  dir@file:../dir:
    resolution: {directory: ../dir, type: directory}

  tgz@file:../t.tgz:
    resolution: {integrity: sha512-tgz, tarball: file:../t.tgz}
    version: 3.0.0

  native@1.0.0:
    resolution: {integrity: sha512-native}
    hasBin: true
    requiresBuild: true

snapshots:

  tar@https://example.com/tar-1.0.0.tgz: {}

  gh@https://codeload.github.com/user/gh/tar.gz/0123456789abcdef0123456789abcdef01234567: {}

  dir@file:../dir: {}

  tgz@file:../t.tgz: {}

  native@1.0.0:
    optional: true
`;

test("lockfile 9 sources: tarball URL, GitHub codeload, directory, local tarball; optional snapshots", () => {
  const result = extract({ "pnpm-lock.yaml": SOURCES_V9 });
  assert.equal(result.status, "partial");
  assert.equal(result.reason, "1 dependency not found in pnpm-lock.yaml (ghost: 1.0.0 (from root))");
  const graph = result.graph as DependencyGraph;
  const cases: Array<[string, string, string, string | undefined, number]> = [
    ["tar", "1.0.0", "url", "https://example.com/tar-1.0.0.tgz", 1],
    ["gh", "2.0.0", "git", "https://codeload.github.com/user/gh/tar.gz/0123456789abcdef0123456789abcdef01234567", 0],
    ["dir", "", "path", "../dir", 0],
    ["tgz", "3.0.0", "path", "file:../t.tgz", 1],
    ["native", "1.0.0", "registry", undefined, 1],
  ];
  for (const [name, version, source, resolved, hashes] of cases) {
    const node = only(graph, name);
    assert.equal(node.version, version, name);
    assert.equal(node.source, source, name);
    assert.equal(node.resolved, resolved, name);
    assert.equal(node.hashes.length, hashes, name);
    assert.equal(graph.isDirect(node.id), true, name);
  }
  assert.equal(only(graph, "native").optional, true, "optional: true in the snapshot is taken as stated");
  assert.equal(only(graph, "native").hasInstallScript, true);
});

test("lockfile 6 git packages in a host path key carry their name and version fields", () => {
  const files = tree("v6-workspace");
  const graph = extract(files).graph as DependencyGraph;
  const git = only(graph, "gitdep");
  assert.equal(git.version, "1.2.3");
  assert.deepEqual(graph.dependenciesOf(git.id).map((e) => e.to), ["ms@2.1.3"]);
  assert.deepEqual(git.locations, [{ file: "pnpm-lock.yaml", line: (files["pnpm-lock.yaml"] as string).split("\n").indexOf("  127.0.0.1/gitdep/42dea8cf1b3ebb7ddaa7670b1e41e68fe84c9587:") + 1 }]);
});

test("companions: the root manifest and one per importer", () => {
  const text = tree("v9-workspace")["pnpm-lock.yaml"] as string;
  assert.deepEqual(pnpmLockExtractor.companions({ path: "repo/pnpm-lock.yaml", text }, { discovered: [], files: new Map(), unreadable: new Map() }), [
    "repo/package.json", "repo/packages/a/package.json", "repo/packages/b/package.json",
  ]);
  const result = extract({ "pnpm-lock.yaml": text });
  assert.equal(result.status, "ok", "importer manifests are optional: names fall back to the importer path");
  assert.deepEqual(result.graph?.importers().map((n) => n.name), ["", "packages/a", "packages/b"]);
});

test("vercel/ai-chatbot (lockfile 9.0): 710 packages and the chain to a transitive AI SDK package", () => {
  const files = loadTree(realworldPath("vercel__ai-chatbot"), ["pnpm-lock.yaml", "package.json"]);
  const result = extract(files);
  assert.equal(result.status, "ok", result.reason);
  const graph = result.graph as DependencyGraph;
  assert.equal(graph.packages().length, 710);
  assert.equal(graph.root.name, "ai-chatbot");
  assert.equal(graph.isDirect(only(graph, "ai").id), true);
  const providerUtils = only(graph, "@ai-sdk/provider-utils");
  assert.equal(graph.isDirect(providerUtils.id), false);
  assert.deepEqual(chainNames(graph, providerUtils.id, 3), [
    "root > @ai-sdk/gateway > @ai-sdk/provider-utils",
    "root > @ai-sdk/react > @ai-sdk/provider-utils",
    "root > ai > @ai-sdk/provider-utils",
  ]);
  assert.equal(providerUtils.locations[0]?.line, (files["pnpm-lock.yaml"] as string).split("\n").indexOf("  '@ai-sdk/provider-utils@4.0.7':") + 1);
});

test("langfuse (lockfile 9.0, 9 importers): per-workspace direct deps, and the dangling references the file holds", () => {
  const dirs = ["ee", "packages/shared", "packages/config-eslint", "packages/eslint-plugin", "packages/in-app-agent-sandbox-runtime", "packages/config-typescript", "web", "worker"];
  const files = loadTree(realworldPath("langfuse__langfuse"), ["pnpm-lock.yaml", "package.json", ...dirs.map((d) => `${d}/package.json`)]);
  const result = extract(files);
  // The committed lockfile keeps a snapshot of @aws-sdk/client-kendra whose 27 dependencies it no longer lists.
  assert.equal(result.status, "partial");
  assert.match(result.reason ?? "", /^27 dependencies not found in pnpm-lock\.yaml \(@aws-sdk\/middleware-host-header: 3\.972\.11 \(from @aws-sdk\/client-kendra@3\.1013\.0\)/);
  const graph = result.graph as DependencyGraph;
  assert.equal(graph.packages().filter((p) => !p.workspace).length, 2142);
  assert.equal(graph.importers().length, 9);
  const shared = "workspace:packages/shared";
  assert.equal(graph.get(shared)?.name, "@langfuse/shared");
  const sharedDirect = directOf(graph, shared);
  assert.ok(sharedDirect.includes("@ai-sdk/openai@4.0.16 prod"), sharedDirect.join(", "));
  assert.ok(!directOf(graph, "workspace:web").some((d) => d.startsWith("@ai-sdk/openai@")), "web's own deps are kept apart");
  assert.deepEqual(directOf(graph, "workspace:web").filter((d) => d.startsWith("@langfuse/")), ["@langfuse/shared@1.0.0 prod"]);
  assert.deepEqual(chainNames(graph, only(graph, "@ai-sdk/provider", "4.0.1").id, 1), ["root > @langfuse/shared > @ai-sdk/azure > @ai-sdk/provider"]);
});

test("package keys and references per lockfile version", () => {
  const keys: Array<[string, 5 | 6 | 9, { name?: string; version?: string; base: string }]> = [
    ["/react-dom/18.2.0_react@18.2.0", 5, { name: "react-dom", version: "18.2.0", base: "/react-dom/18.2.0" }],
    ["/@types/react-dom/18.0.0_@types+react@18.0.0", 5, { name: "@types/react-dom", version: "18.0.0", base: "/@types/react-dom/18.0.0" }],
    ["/snake_case/1.0.0", 5, { name: "snake_case", version: "1.0.0", base: "/snake_case/1.0.0" }],
    ["file:vendor/x", 5, { base: "file:vendor/x" }],
    ["/react-dom@18.2.0(react@18.2.0)", 6, { name: "react-dom", version: "18.2.0", base: "/react-dom@18.2.0" }],
    ["/@scope/x@1.0.0(@types/y@2.0.0)(z@3.0.0)", 6, { name: "@scope/x", version: "1.0.0", base: "/@scope/x@1.0.0" }],
    ["127.0.0.1/gitdep/42de", 6, { base: "127.0.0.1/gitdep/42de" }],
    ["@scope/x@1.0.0(patch_hash=abc)(y@2.0.0)", 9, { name: "@scope/x", version: "1.0.0", base: "@scope/x@1.0.0" }],
    ["gitdep@git+git://127.0.0.1/gitdep.git#42de", 9, { name: "gitdep", version: "git+git://127.0.0.1/gitdep.git#42de", base: "gitdep@git+git://127.0.0.1/gitdep.git#42de" }],
  ];
  for (const [key, style, expected] of keys) assert.deepEqual(parseKey(key, style), expected, key);
  assert.equal(stripPeers("/a/1.0.0", 5), "/a/1.0.0");
  assert.deepEqual(candidateKeys("lp", "/left-pad/1.3.0", 5), ["/lp//left-pad/1.3.0", "/left-pad/1.3.0"]);
  assert.deepEqual(candidateKeys("react-dom", "18.2.0(react@18.2.0)", 6), ["/react-dom@18.2.0(react@18.2.0)", "18.2.0(react@18.2.0)"]);
  assert.deepEqual(candidateKeys("lp", "left-pad@1.3.0", 9), ["lp@left-pad@1.3.0", "left-pad@1.3.0"]);
});

test("CRLF line endings and a byte-order mark change nothing", () => {
  for (const name of ["v5-workspace", "v9-workspace"]) {
    const files = tree(name);
    const plain = extract(files).graph as DependencyGraph;
    const windows = extract({ ...files, "pnpm-lock.yaml": `\ufeff${(files["pnpm-lock.yaml"] as string).replace(/\n/g, "\r\n")}` }).graph as DependencyGraph;
    assert.deepEqual(nameVersionSet(windows), nameVersionSet(plain), name);
    assert.deepEqual(windows.packages().map((p) => p.locations), plain.packages().map((p) => p.locations), name);
  }
});

test("a lockfile outside the fast reader's subset is read by the yaml library with the same result", () => {
  const files = tree("v9-workspace");
  const text = files["pnpm-lock.yaml"] as string;
  const edited = text.replace("lockfileVersion: '9.0'", "lockfileVersion: '9.0' # a comment the fast reader leaves to yaml");
  assert.equal(parseLockYaml(edited), undefined, "the edit does leave the subset");
  const viaFast = extract(files).graph as DependencyGraph;
  const viaYaml = extract({ ...files, "pnpm-lock.yaml": edited }).graph as DependencyGraph;
  assert.deepEqual(nameVersionSet(viaYaml), nameVersionSet(viaFast));
  assert.deepEqual(viaYaml.edges, viaFast.edges);
  assert.deepEqual(viaYaml.packages().map((p) => p.locations), viaFast.packages().map((p) => p.locations));
});
