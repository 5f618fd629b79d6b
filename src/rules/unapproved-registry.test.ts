import { test } from "node:test";
import assert from "node:assert/strict";
import { check } from "../testing/context.js";
import { fixturePath, realworldPath } from "../testing/fixtures.js";
import type { FindingDraft } from "./rule.js";
import { unapprovedRegistry } from "./unapproved-registry.js";

function row(d: FindingDraft): string {
  return `${d.severity} ${d.file}:${d.line ?? "-"} [${d.key.join("|")}]${d.package ? ` ${d.package.name}` : ""}`;
}

test("npm: packages from a mirror outside the approved registries are one finding per file and host", async () => {
  const drafts = await check(unapprovedRegistry, fixturePath(import.meta.url, "sources", "npm"));
  // http://registry.npmjs.org is an approved host (its transport is AIW-SOURCE-002's business); git and tarball
  // sources are not registry packages.
  assert.deepEqual(drafts.map(row), ["high package-lock.json:48 [package-lock.json|registry.npmmirror.com]"]);
  assert.equal(drafts[0]?.message, "2 packages in package-lock.json resolve from registry.npmmirror.com, which is not an approved registry (openai@4.56.0, lodash@4.17.21): a mirror or index you do not control can serve any code under these names.");
  assert.match(drafts[0]?.fix ?? "", /add "registry\.npmmirror\.com" to `allowedRegistries`/);
});

test("allowedRegistries replaces the defaults; a leading *. approves subdomains", async () => {
  const npm = fixturePath(import.meta.url, "sources", "npm");
  assert.deepEqual(await check(unapprovedRegistry, npm, { config: { allowedRegistries: ["registry.npmjs.org", "*.npmmirror.com"] } }), []);
  assert.deepEqual(await check(unapprovedRegistry, npm, { config: { allowedRegistries: ["https://registry.npmmirror.com/", "registry.npmjs.org"] } }), []);
  const uv = fixturePath(import.meta.url, "sources", "uv");
  const single = await check(unapprovedRegistry, uv);
  assert.deepEqual(single.map(row), ["high uv.lock:10 [uv.lock|download.pytorch.org] torch"]);
  assert.equal(single[0]?.message, "torch@2.5.1+cpu resolves from download.pytorch.org (uv.lock), which is not an approved registry: a mirror or index you do not control can serve any code under this name.");
  assert.deepEqual(await check(unapprovedRegistry, uv, { config: { allowedRegistries: ["pypi.org", "*.pytorch.org"] } }), []);
  // `*.torch.org` matches whole labels only: download.pytorch.org is not one of its subdomains.
  assert.deepEqual((await check(unapprovedRegistry, uv, { config: { allowedRegistries: ["pypi.org", "*.torch.org"] } })).map(row), ["high uv.lock:10 [uv.lock|download.pytorch.org] torch"]);
  assert.deepEqual((await check(unapprovedRegistry, uv, { config: { allowedRegistries: [] } })).map(row), [
    "high uv.lock:4 [uv.lock|pypi.org] httpx",
    "high uv.lock:10 [uv.lock|download.pytorch.org] torch",
  ]);
});

test("pip: --extra-index-url and --find-links hosts; Poetry: a private legacy source", async () => {
  const pip = await check(unapprovedRegistry, fixturePath(import.meta.url, "sources", "requirements"));
  assert.deepEqual(pip.map(row), [
    "high requirements.txt:2 [requirements.txt|pkgs.corp.example]",
    "high requirements.txt:4 [requirements.txt|wheels.corp.example]",
  ]);
  assert.match(pip[0]?.message ?? "", /--extra-index-url https:\/\/pkgs\.corp\.example\/simple, a host outside the approved registries\. pip merges it with PyPI/);
  assert.match(pip[0]?.fix ?? "", /one --index-url that proxies PyPI/);
  const poetry = await check(unapprovedRegistry, fixturePath(import.meta.url, "sources", "poetry"));
  assert.deepEqual(poetry.map(row), ["high poetry.lock:1 [poetry.lock|pypi.corp.example] corp-sdk"]);
});

test("nothing recorded, or only approved hosts: silent", async () => {
  // npm locks written with omit-lockfile-registry-resolved have no `resolved` to check.
  assert.deepEqual(await check(unapprovedRegistry, fixturePath(import.meta.url, "sources", "npm-omit-resolved")), []);
  // registry.npmjs.org, registry.yarnpkg.com, pypi.org; yarn berry and pnpm record no URL for the default registry.
  for (const folder of ["Mintplex-Labs__anything-llm", "cline__cline", "crewAIInc__crewAI", "vercel__ai-chatbot", "langchain-ai__langchain-nextjs-template", "mozilla__pontoon"]) {
    assert.deepEqual(await check(unapprovedRegistry, realworldPath(folder)), [], folder);
  }
});
