import { test } from "node:test";
import assert from "node:assert/strict";
import { check } from "../testing/context.js";
import { fixturePath, realworldPath } from "../testing/fixtures.js";
import { nonRegistrySource } from "./non-registry-source.js";
import type { FindingDraft } from "./rule.js";

function row(d: FindingDraft): string {
  return `${d.severity} ${d.file}:${d.line ?? "-"} ${d.package?.name} [${d.key.join("|")}]`;
}

const SHA = "4f2c1e0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d";

test("npm lockfile: git, tarball URL and path sources point at their declaration; workspace members are left alone", async () => {
  const drafts = await check(nonRegistrySource, fixturePath(import.meta.url, "sources", "npm"));
  assert.deepEqual(drafts.map(row), [
    `medium package.json:8 gitdep [.|gitdep|git+ssh://git@github.com/acme/gitdep.git#${SHA}]`,
    `medium package.json:9 gitplain [.|gitplain|git://github.com/acme/gitplain.git#${SHA}]`,
    // Inside the repository: low. Above it: medium.
    "low package.json:11 local-lib [.|local-lib|libs/local-lib]",
    "medium package.json:12 outside-lib [.|outside-lib|../outside-lib]",
    "medium package.json:10 tarball [.|tarball|https://example.com/tarball-1.0.0.tgz]",
  ]);
  assert.equal(drafts[0]?.message, `gitdep@1.0.0 comes from git (git+ssh://git@github.com/acme/gitdep.git#${SHA}) instead of a registry: no immutable release, advisory or takedown covers it.`);
  assert.match(drafts[0]?.fix ?? "", /registry release of gitdep/);
  assert.equal(drafts[3]?.message, "outside-lib@0.1.0 comes from the path ../outside-lib outside the repository instead of a registry: no immutable release, advisory or takedown covers it.");
});

test("git at a branch is one step higher; an AI package one more, capped at high", async () => {
  const drafts = await check(nonRegistrySource, fixturePath(import.meta.url, "sources", "npm-manifest"));
  assert.deepEqual(drafts.map(row), [
    "high package.json:5 gitdep [.|gitdep|github:acme/gitdep#main]",
    "high package.json:6 openai [.|openai|github:openai/openai-node]",
  ]);
  assert.equal(drafts[0]?.message, "gitdep comes from git (github:acme/gitdep#main) instead of a registry: the branch or tag it follows can be moved to other code, and no immutable release, advisory or takedown covers it.");
  assert.match(drafts[1]?.message ?? "", /\(an AI package\)/);
  assert.match(drafts[0]?.fix ?? "", /full commit SHA/);
});

test("requirements: VCS at a branch or a commit, a local wheel; `-e .` is the project itself", async () => {
  const drafts = await check(nonRegistrySource, fixturePath(import.meta.url, "sources", "requirements"));
  assert.deepEqual(drafts.map(row), [
    "high requirements.txt:6 acme-tools [.|acme-tools|git+https://github.com/acme/tools.git@main]",
    "low requirements.txt:8 helper [.|helper|./vendor/helper-1.0.0-py3-none-any.whl]",
    `medium requirements.txt:7 pinned-tools [.|pinned-tools|git+https://github.com/acme/pinned.git@${SHA}]`,
  ]);
});

test("registry-only projects and workspace monorepos: silent", async () => {
  assert.deepEqual(await check(nonRegistrySource, fixturePath(import.meta.url, "pins", "npm")), []);
  for (const folder of ["e2b-dev__fragments", "google-gemini__gemini-cli", "langfuse__langfuse", "crewAIInc__crewAI", "mozilla__pontoon"]) {
    assert.deepEqual(await check(nonRegistrySource, realworldPath(folder)), [], folder);
  }
});

test("real projects: anything-llm's git fork (pinned) and CDN tarball", async () => {
  const drafts = await check(nonRegistrySource, realworldPath("Mintplex-Labs__anything-llm"));
  assert.deepEqual(drafts.map((d) => `${d.severity} ${d.file}:${d.line} ${d.package?.name}`), [
    "medium collector/package.json:24 epub2",
    "medium collector/yarn.lock:4330 xlsx",
  ]);
});
