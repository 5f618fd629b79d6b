import { test } from "node:test";
import assert from "node:assert/strict";
import { contextFor } from "../../testing/context.js";
import { fixturePath } from "../../testing/fixtures.js";
import type { ContextProject } from "../rule.js";
import { berryConditional, gitCommitPinned, hostAllowed, hostOf, isInsecureUrl, pathPlace, requirementsSets, schemeOf, widerRadius } from "./supply-chain.js";

test("schemes and hosts of the URLs lockfiles write", () => {
  const table: Array<[string, string | undefined, string | undefined]> = [
    ["https://registry.npmjs.org/a/-/a-1.0.0.tgz", "https", "registry.npmjs.org"],
    ["http://registry.npmjs.org:8080/a", "http", "registry.npmjs.org:8080"],
    ["https://user:***@pkgs.corp.example/simple", "https", "pkgs.corp.example"],
    ["git+ssh://git@github.com/acme/x.git#abc", "git+ssh", "github.com"],
    ["git://github.com/acme/x.git", "git", "github.com"],
    ["git@github.com:acme/x.git", "ssh", "github.com"],
    ["https://${PIP_INDEX_HOST}/simple", "https", undefined],
    ["github:acme/x#main", undefined, undefined],
    ["./vendor/x.whl", undefined, undefined],
    ["C:\\vendor\\x.whl", undefined, undefined],
  ];
  for (const [url, scheme, host] of table) {
    assert.equal(schemeOf(url), scheme, url);
    assert.equal(hostOf(url), host, url);
  }
  assert.deepEqual(["http://x/a", "git://x/a", "git+http://x/a", "svn://x", "ftp://x/a", "https://x", "git+ssh://x", "git@x:a"].map(isInsecureUrl), [true, true, true, true, true, false, false, false]);
});

test("a git reference is pinned by a commit, not by a branch or tag", () => {
  const table: Array<[string, boolean]> = [
    ["git+ssh://git@github.com/acme/x.git#4f2c1e0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d", true],
    ["git://127.0.0.1/x.git#commit=42dea8cf1b3ebb7ddaa7670b1e41e68fe84c9587", true],
    ["https://github.com/pallets/flask?tag=3.1.0#7a5c4b5b5b1f2a0e6c3a1c0b4f6e2d1c9a8b7c6d", true],
    ["git+https://github.com/acme/tools.git@4f2c1e0", true],
    ["git+https://github.com/acme/tools.git@main", false],
    ["git+https://github.com/acme/tools.git@v1.0.0", false],
    ["github:acme/x#main", false],
    ["git://127.0.0.1/x.git#head=main", false],
    ["github:acme/x", false],
    ["git+ssh://git@github.com/acme/x.git", false],
  ];
  for (const [ref, pinned] of table) assert.equal(gitCommitPinned(ref), pinned, ref);
});

test("approved hosts: exact, with port, by URL, and *. for subdomains only", () => {
  const patterns = ["registry.npmjs.org", "*.corp.example", "https://pypi.org/simple"];
  const table: Array<[string, boolean]> = [
    ["registry.npmjs.org", true],
    ["registry.npmjs.org:443", true],
    ["npm.corp.example", true],
    ["a.b.corp.example", true],
    ["corp.example", false],
    ["evilcorp.example", false],
    ["pypi.org", true],
    ["registry.npmmirror.com", false],
  ];
  for (const [host, allowed] of table) assert.equal(hostAllowed(host, patterns), allowed, host);
});

test("paths relative to the project: inside the repository, outside it, or the project itself", () => {
  const project = { path: "app" } as ContextProject;
  const table: Array<[string, string]> = [
    ["libs/x", "inside"],
    ["file:../shared", "inside"],
    ["../../elsewhere", "outside"],
    ["/opt/x", "outside"],
    ["~/x", "outside"],
    ["C:\\x", "outside"],
    [".", "self"],
    ["./", "self"],
  ];
  for (const [path, place] of table) assert.equal(pathPlace(project, path), place, path);
  assert.equal(pathPlace({ path: "." } as ContextProject, "../x"), "outside");
});

test("yarn berry entries for other platforms carry `conditions`", () => {
  const lines = ['"a@npm:1":', "  version: 1.0.0", "  conditions: os=darwin", "  linkType: hard", "", '"b@npm:1":', "  version: 1.0.0", "", "  conditions: os=linux"];
  assert.equal(berryConditional(lines, 1), true);
  assert.equal(berryConditional(lines, 6), false, "a blank line ends the entry");
});

test("blast radii order: ai over ai-subtree over other", () => {
  assert.equal(widerRadius("other", "ai-subtree"), "ai-subtree");
  assert.equal(widerRadius("ai", "ai-subtree"), "ai");
  assert.equal(widerRadius("other", "other"), "other");
});

test("requirements sets follow -r includes, skip -c constraints, and are computed once per context", async () => {
  const context = await contextFor(fixturePath(import.meta.url, "..", "..", "fixtures", "integrity", "requirements-partial"));
  const sets = requirementsSets(context);
  assert.equal(sets, requirementsSets(context), "memoised");
  assert.deepEqual(sets.map((s) => [s.primary, s.files.map((f) => f.path), s.requirements.length, s.requireHashes]), [["requirements.txt", ["requirements.txt", "more.txt"], 5, false]]);
});
