import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { check, contextFor } from "../testing/context.js";
import { fixturePath, realworldPath } from "../testing/fixtures.js";
import { runRules } from "./engine.js";
import { lockfileOutOfSync, overrideTarget, pnpmLockOverrides, poetryToPep440 } from "./lockfile-out-of-sync.js";
import type { FindingDraft } from "./rule.js";

const fixture = (name: string) => fixturePath(import.meta.url, "lockfile-out-of-sync", name);

function byName(drafts: FindingDraft[]): Map<string, FindingDraft> {
  return new Map(drafts.map((d) => [d.key[2] as string, d]));
}

describe("AIW-LOCK-003 lockfile-out-of-sync", () => {
  it("npm v3: a changed range, a dependency added to package.json only, and one locked only for others", async () => {
    const drafts = byName(await check(lockfileOutOfSync, fixture("npm-v3-drift")));
    // Not flagged: an override forces debug; an alias in range; a dist-tag; a file: dependency; an absent optional.
    assert.deepEqual([...drafts.keys()].sort(), ["left-pad", "ms", "openai"]);

    const openai = drafts.get("openai");
    assert.equal(openai?.severity, "high");
    assert.equal(openai?.file, "package.json");
    assert.equal(openai?.line, 12);
    assert.equal(openai?.message, "openai is declared as ^5.0.0 in package.json but package-lock.json locks 4.104.0 (the lock still records ^4.0.0), which does not satisfy it.");
    assert.equal(openai?.fix, "Run `npm install` in the project folder to bring package-lock.json in line with package.json, review the diff and commit both; install in CI with `npm ci` so the next drift fails the build.");
    assert.deepEqual(openai?.key, [".", "package.json", "openai"]);
    assert.deepEqual(openai?.package, { ecosystem: "npm", name: "openai", version: "4.104.0", id: "openai@4.104.0" });

    const leftPad = drafts.get("left-pad");
    assert.equal(leftPad?.severity, "medium");
    assert.equal(leftPad?.line, 9);
    assert.equal(leftPad?.message, "left-pad is declared in package.json (^1.3.0) but package-lock.json does not lock it: the lock was not regenerated after the declaration was added.");
    assert.equal(leftPad?.package, undefined);

    // ms sits under openai (an AI package's subtree): one step higher.
    const ms = drafts.get("ms");
    assert.equal(ms?.severity, "high");
    assert.match(ms?.message ?? "", /^ms is declared in package\.json \(\^2\.1\.0\) but package-lock\.json locks it \(2\.0\.0, 2\.1\.3\) only for other packages, not as a dependency of the project/);
  });

  it("npm v3 in sync: nothing", async () => {
    assert.deepEqual(await check(lockfileOutOfSync, fixture("npm-v3-synced")), []);
  });

  it("yarn classic: a range the lock has no entry for, and a missing dependency", async () => {
    const drafts = byName(await check(lockfileOutOfSync, fixture("yarn-drift")));
    assert.deepEqual([...drafts.keys()].sort(), ["left-pad", "openai"]);
    assert.equal(drafts.get("openai")?.message, "openai is declared as ^5.0.0 in package.json but yarn.lock locks 4.104.0, which does not satisfy it.");
    assert.equal(drafts.get("openai")?.line, 8);
    assert.match(drafts.get("openai")?.fix ?? "", /`yarn install`.*`yarn install --frozen-lockfile/);
    assert.equal(drafts.get("left-pad")?.message, "left-pad is declared in package.json (^1.3.0) but yarn.lock does not lock it: the lock was not regenerated after the declaration was added.");
  });

  it("pnpm: the importer's recorded specifier is stale, and a dependency is missing", async () => {
    const drafts = byName(await check(lockfileOutOfSync, fixture("pnpm-drift")));
    assert.deepEqual([...drafts.keys()].sort(), ["left-pad", "openai"]);
    assert.equal(drafts.get("openai")?.message, "openai is declared as ^5.0.0 in package.json but pnpm-lock.yaml locks 4.104.0 (the lock still records ^4.0.0), which does not satisfy it.");
    assert.match(drafts.get("left-pad")?.fix ?? "", /`pnpm install`.*`pnpm install --frozen-lockfile`/);
  });

  it("poetry: a caret constraint the locked version misses, and a missing dependency (markers excuse absence)", async () => {
    const drafts = byName(await check(lockfileOutOfSync, fixture("poetry-drift")));
    assert.deepEqual([...drafts.keys()].sort(), ["openai", "requests"]);
    const openai = drafts.get("openai");
    assert.equal(openai?.severity, "high");
    assert.equal(openai?.file, "pyproject.toml");
    assert.equal(openai?.line, 9);
    assert.equal(openai?.message, "openai is declared as ^1.40 in pyproject.toml but poetry.lock locks 0.28.1, which does not satisfy it.");
    assert.match(openai?.fix ?? "", /^Run `poetry lock`/);
    assert.equal(drafts.get("requests")?.message, "requests is declared in pyproject.toml (^2.32) but poetry.lock does not lock it: the lock was not regenerated after the declaration was added.");
  });

  it("uv: compares pyproject.toml with the lock, not with the lock's own copy of the metadata", async () => {
    const drafts = byName(await check(lockfileOutOfSync, fixture("uv-drift")));
    assert.deepEqual([...drafts.keys()].sort(), ["openai", "rich"]);
    assert.equal(drafts.get("openai")?.message, "openai is declared as >=1.40 in pyproject.toml but uv.lock locks 0.28.1 (the lock still records >=0.28), which does not satisfy it.");
    assert.equal(drafts.get("rich")?.line, 8);
    assert.match(drafts.get("rich")?.fix ?? "", /`uv lock`.*`uv sync --locked`/);
  });

  it("Pipfile: a range and a pin the lock does not honour", async () => {
    const drafts = byName(await check(lockfileOutOfSync, fixture("pipfile-drift")));
    assert.deepEqual([...drafts.keys()].sort(), ["openai", "requests"]);
    assert.equal(drafts.get("openai")?.message, "openai is declared as >=1.40 in Pipfile but Pipfile.lock locks 0.28.1, which does not satisfy it.");
    assert.equal(drafts.get("requests")?.line, 9);
    assert.match(drafts.get("requests")?.fix ?? "", /`pipenv lock`.*`pipenv install --deploy`/);
  });

  it("finds the why-path of the locked package through the engine", async () => {
    const { findings } = runRules([lockfileOutOfSync], await contextFor(fixture("uv-drift")));
    const openai = findings.find((f) => f.package?.name === "openai");
    assert.equal(openai?.ruleId, "AIW-LOCK-003");
    assert.deepEqual(openai?.paths, [["root", "openai"]]);
  });

  it("is silent on every in-sync real-world project (uv overrides, npm/yarn/pnpm workspaces, catalogs)", async () => {
    for (const repo of readdirSync(realworldPath()).filter((d) => !d.endsWith(".md") && d !== "google-gemini__gemini-cli")) {
      assert.deepEqual(await check(lockfileOutOfSync, realworldPath(repo)), [], repo);
    }
  });

  it("reports the six entries `npm ls` calls invalid in gemini-cli's lock, and nothing else", async () => {
    const drafts = await check(lockfileOutOfSync, realworldPath("google-gemini__gemini-cli"));
    assert.deepEqual(drafts.map((d) => `${d.file}:${d.key[2]}`).sort(), [
      "packages/a2a-server/package.json:tar",
      "packages/a2a-server/package.json:vitest",
      "packages/cli/package.json:clipboardy",
      "packages/cli/package.json:tar",
      "packages/sdk/package.json:vitest",
      "packages/vscode-ide-companion/package.json:typescript",
    ]);
    const tar = drafts.find((d) => d.file === "packages/cli/package.json" && d.key[2] === "tar");
    assert.equal(tar?.message, "tar is declared as 7.5.8 in packages/cli/package.json but package-lock.json locks 7.5.11, which does not satisfy it.");
    assert.equal(tar?.project, ".");
  });
});

describe("poetryToPep440", () => {
  it("translates Poetry constraints", () => {
    const table: Array<[string, string[] | undefined]> = [
      ["^1.2.3", [">=1.2.3,<2"]],
      ["^0.2.3", [">=0.2.3,<0.3"]],
      ["^0.0.3", [">=0.0.3,<0.0.4"]],
      ["^0", [">=0,<1"]],
      ["~1.2.3", [">=1.2.3,<1.3"]],
      ["~1", [">=1,<2"]],
      ["~=1.2", ["~=1.2"]],
      ["1.2.3", ["==1.2.3"]],
      ["1.2.*", ["==1.2.*"]],
      ["*", [""]],
      ["", [""]],
      [">= 1.2, < 2.0", [">=1.2,<2.0"]],
      [">=1.2 <2.0", [">=1.2,<2.0"]],
      ["^1.0 || ^2.0", [">=1.0,<2", ">=2.0,<3"]],
      ["=1.0", ["==1.0"]],
      ["^not-a-version", undefined],
    ];
    for (const [input, output] of table) assert.deepEqual(poetryToPep440(input), output, input);
  });
});

describe("overrides", () => {
  it("names the package an override key is about", () => {
    const table: Array<[string, string]> = [
      ["foo", "foo"],
      ["foo@1.2.3", "foo"],
      ["@scope/foo", "@scope/foo"],
      ["@scope/foo@^1", "@scope/foo"],
      ["**/foo", "foo"],
      ["parent/foo", "foo"],
      ["parent/@scope/foo", "@scope/foo"],
      ["parent>foo", "foo"],
      ["parent@1>@scope/foo@2", "@scope/foo"],
    ];
    for (const [key, name] of table) assert.equal(overrideTarget(key), name, key);
  });

  it("reads the overrides section of a pnpm lockfile", () => {
    const text = "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n\noverrides:\n  foo: 1.0.0\n  '@s/bar@<2': ^2.0.0\n  parent>baz: 3.0.0\n\nimporters:\n\n  .:\n    dependencies: {}\n";
    assert.deepEqual(pnpmLockOverrides(text), ["foo", "@s/bar@<2", "parent>baz"]);
    assert.deepEqual(pnpmLockOverrides("lockfileVersion: '9.0'\nimporters: {}\n"), []);
  });
});
