import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { check, contextFor } from "../testing/context.js";
import { fixturePath, realworldPath } from "../testing/fixtures.js";
import { lockfileMissing } from "./lockfile-missing.js";

const fixture = (name: string) => fixturePath(import.meta.url, "lockfile-missing", name);

describe("AIW-LOCK-001 lockfile-missing", () => {
  const firing: Array<{ folder: string; severity: string; file: string; line: number; message: string; fix: RegExp }> = [
    {
      folder: "npm-ai",
      severity: "high",
      file: "package.json",
      line: 6,
      message: "package.json declares 3 dependencies, including the AI package openai, but has no lockfile: every install resolves the newest versions its ranges allow, so a compromised release is installed as soon as it is published.",
      fix: /^Run `npm install --package-lock-only` in the project folder, commit package-lock\.json, and install from it in CI with `npm ci`\.$/,
    },
    {
      folder: "pnpm-manager",
      severity: "medium",
      file: "package.json",
      line: 6,
      message: "package.json declares 1 dependency but has no lockfile: every install resolves the newest versions its ranges allow, so a compromised release is installed as soon as it is published.",
      fix: /`pnpm install --lockfile-only`.*pnpm-lock\.yaml.*`pnpm install --frozen-lockfile`/,
    },
    {
      folder: "pyproject-uv",
      severity: "high",
      file: "pyproject.toml",
      line: 6,
      message: "pyproject.toml declares 3 dependencies, including the AI packages langchain, litellm, but has no lockfile: every install resolves the newest versions its ranges allow, so a compromised release is installed as soon as it is published.",
      fix: /`uv lock`.*uv\.lock.*`uv sync --locked`/,
    },
    {
      folder: "pyproject-poetry",
      severity: "medium",
      file: "pyproject.toml",
      line: 9,
      message: "pyproject.toml declares 1 dependency but has no lockfile: every install resolves the newest versions its ranges allow, so a compromised release is installed as soon as it is published.",
      fix: /`poetry lock`.*poetry\.lock.*`poetry install`/,
    },
    {
      folder: "pipfile",
      severity: "medium",
      file: "Pipfile",
      line: 7,
      message: "Pipfile declares 1 dependency but has no lockfile: every install resolves the newest versions its ranges allow, so a compromised release is installed as soon as it is published.",
      fix: /`pipenv lock`.*Pipfile\.lock.*`pipenv install --deploy`/,
    },
  ];
  for (const want of firing) {
    it(`fires for ${want.folder}`, async () => {
      const drafts = await check(lockfileMissing, fixture(want.folder));
      assert.equal(drafts.length, 1);
      const [draft] = drafts;
      assert.equal(draft?.severity, want.severity);
      assert.equal(draft?.file, want.file);
      assert.equal(draft?.line, want.line);
      assert.equal(draft?.message, want.message);
      assert.match(draft?.fix ?? "", want.fix);
      assert.deepEqual(draft?.key, [".", want.file]);
      assert.equal(draft?.project, ".");
    });
  }

  const silent: Array<[string, string]> = [
    ["npm-no-deps", "a package.json without dependencies is no project"],
    ["npm-peer-only", "peer dependencies are installed by the consumer"],
    ["pyproject-with-requirements", "a requirements file beside it pins the versions"],
    ["path-dep", "a folder another project's lock pulls in as a path dependency is locked there"],
    ["broken-lock", "a lockfile that cannot be read has its own failed status"],
    ["bun-lock", "a lockfile aiwarden does not read (bun.lock) still locks the project"],
  ];
  for (const [folder, why] of silent) {
    it(`stays silent: ${why}`, async () => {
      const context = await contextFor(fixture(folder));
      assert.deepEqual(lockfileMissing.check(context), []);
    });
  }

  it("path-dep really has an unlocked manifest project that the root's lock covers", async () => {
    const context = await contextFor(fixture("path-dep"));
    assert.deepEqual(context.projects.map((p) => [p.path, p.locked]), [[".", true], ["libs/shared", false]]);
  });

  it("never fires for workspace members of a locked root (gemini-cli npm workspaces, langfuse pnpm workspace)", async () => {
    for (const repo of ["google-gemini__gemini-cli", "langfuse__langfuse", "crewAIInc__crewAI"]) {
      const context = await contextFor(realworldPath(repo));
      assert.ok(context.projects.every((p) => p.locked), repo);
      assert.deepEqual(lockfileMissing.check(context), [], repo);
    }
  });

  it("on anything-llm: the root package.json (jest, concurrently) has no lockfile, and yarn is suggested like its siblings", async () => {
    const drafts = await check(lockfileMissing, realworldPath("Mintplex-Labs__anything-llm"));
    assert.equal(drafts.length, 1);
    assert.equal(drafts[0]?.file, "package.json");
    assert.equal(drafts[0]?.severity, "medium");
    assert.match(drafts[0]?.fix ?? "", /^Run `yarn install` in the project folder, commit yarn\.lock, and install from it in CI with `yarn install --frozen-lockfile`\.$/);
  });
});
