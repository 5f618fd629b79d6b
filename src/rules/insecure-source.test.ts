import { test } from "node:test";
import assert from "node:assert/strict";
import { check } from "../testing/context.js";
import { fixturePath, realworldPath } from "../testing/fixtures.js";
import { insecureSource } from "./insecure-source.js";
import type { FindingDraft } from "./rule.js";

function row(d: FindingDraft): string {
  return `${d.severity} ${d.file}:${d.line ?? "-"} [${d.key.join("|")}]${d.package ? ` ${d.package.name}` : ""}`;
}

test("npm: one package over http://, one over git://; the https ones pass", async () => {
  const drafts = await check(insecureSource, fixturePath(import.meta.url, "sources", "npm"));
  assert.deepEqual(drafts.map(row), [
    "high package-lock.json:40 [package-lock.json|git|github.com] gitplain",
    "high package-lock.json:53 [package-lock.json|http|registry.npmjs.org] ms",
  ]);
  assert.equal(drafts[1]?.message, "ms@2.1.3 is fetched over plain http:// from registry.npmjs.org (package-lock.json): anyone on the network path can replace its code.");
  assert.match(drafts[1]?.fix ?? "", /https:\/\/registry\.npmjs\.org/);
  assert.match(drafts[0]?.fix ?? "", /https:\/\/ or ssh:\/\//);
});

test("several packages from one insecure host are one finding about the file", async () => {
  const drafts = await check(insecureSource, fixturePath(import.meta.url, "sources", "npm-http"));
  assert.deepEqual(drafts.map(row), ["high package-lock.json:15 [package-lock.json|http|registry.npmjs.org]"]);
  assert.equal(drafts[0]?.message, "2 packages in package-lock.json are fetched over plain http:// from registry.npmjs.org (left-pad@1.3.0, ms@2.1.3): anyone on the network path can replace their code.");
});

test("pip: --trusted-host and an http --find-links; Poetry: an http source", async () => {
  const pip = await check(insecureSource, fixturePath(import.meta.url, "sources", "requirements"));
  assert.deepEqual(pip.map(row), [
    "high requirements.txt:3 [requirements.txt|trusted-host|pkgs.corp.example]",
    "high requirements.txt:4 [requirements.txt|http|wheels.corp.example]",
  ]);
  assert.match(pip[0]?.message ?? "", /--trusted-host pkgs\.corp\.example: pip accepts any certificate/);
  assert.equal(pip[1]?.message, "requirements.txt line 4 sets --find-links http://wheels.corp.example/: pip downloads every package it finds there over plain http://, unencrypted and unauthenticated.");
  const poetry = await check(insecureSource, fixturePath(import.meta.url, "sources", "poetry"));
  assert.deepEqual(poetry.map(row), ["high poetry.lock:1 [poetry.lock|http|pypi.corp.example] corp-sdk"]);
});

test("https and ssh everywhere: silent", async () => {
  for (const folder of ["uv", "npm-manifest", "npm-omit-resolved"]) {
    assert.deepEqual(await check(insecureSource, fixturePath(import.meta.url, "sources", folder)), [], folder);
  }
  for (const folder of ["Mintplex-Labs__anything-llm", "microsoft__vscode-copilot-chat", "crewAIInc__crewAI", "mozilla__pontoon"]) {
    assert.deepEqual(await check(insecureSource, realworldPath(folder)), [], folder);
  }
});
