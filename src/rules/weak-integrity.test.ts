import { test } from "node:test";
import assert from "node:assert/strict";
import { check } from "../testing/context.js";
import { fixturePath, realworldPath } from "../testing/fixtures.js";
import type { FindingDraft } from "./rule.js";
import { weakIntegrity } from "./weak-integrity.js";

function row(d: FindingDraft): string {
  return `${d.severity} ${d.file}:${d.line ?? "-"} [${d.key.join("|")}]${d.package ? ` ${d.package.id}` : ""}`;
}

test("npm: sha1-only integrity is weak, by blast radius; sha512 entries and entries without hashes are not", async () => {
  const drafts = await check(weakIntegrity, fixturePath(import.meta.url, "integrity", "npm"));
  assert.deepEqual(drafts.map(row), [
    // node-fetch is a dependency of openai: inside the AI subtree, one step up.
    "high package-lock.json:55 [.|node-fetch@2.7.0] node-fetch@2.7.0",
    "medium package-lock.json:60 [.|old-lib@1.0.0] old-lib@1.0.0",
  ]);
  assert.equal(drafts[1]?.message, "old-lib@1.0.0 is verified only by sha1 in package-lock.json, a hash with practical collision attacks.");
  assert.match(drafts[1]?.fix ?? "", /sha512/);
});

test("yarn classic: an entry with only the #sha1 fragment of its URL", async () => {
  const drafts = await check(weakIntegrity, fixturePath(import.meta.url, "integrity", "yarn-classic"));
  assert.deepEqual(drafts.map(row), ["medium yarn.lock:10 [.|ms@2.0.0] ms@2.0.0"]);
  assert.match(drafts[0]?.fix ?? "", /yarn 1\.10/);
});

test("a lockfile that predates sha512 everywhere is one finding about the file", async () => {
  const drafts = await check(weakIntegrity, fixturePath(import.meta.url, "integrity", "yarn-whole-file"));
  assert.deepEqual(drafts.map(row), ["high yarn.lock:- [yarn.lock]"]);
  assert.equal(drafts[0]?.message, "yarn.lock verifies 22 of its 22 hashed packages only by sha1 or md5, including openai@4.56.0 in the AI stack: the file predates sha512 integrity.");
});

test("real projects: the one sha1-only tarball of anything-llm, nothing elsewhere", async () => {
  const drafts = await check(weakIntegrity, realworldPath("Mintplex-Labs__anything-llm"));
  // SheetJS ships xlsx from its own CDN; yarn classic kept only the URL's sha1 fragment for it.
  assert.deepEqual(drafts.map(row), ["medium collector/yarn.lock:4330 [collector|xlsx@0.20.2#url:https://cdn.sheetjs.com/xlsx-0.20.2/xlsx-0.20.2.tgz#0f64eeed3f1a46e64724620c3553f2dbd3cd2d7d] xlsx@0.20.2#url:https://cdn.sheetjs.com/xlsx-0.20.2/xlsx-0.20.2.tgz#0f64eeed3f1a46e64724620c3553f2dbd3cd2d7d"]);
  for (const folder of ["integrity/yarn-berry", "integrity/uv", "integrity/npm-whole-file"]) {
    assert.deepEqual(await check(weakIntegrity, fixturePath(import.meta.url, ...folder.split("/"))), [], folder);
  }
  for (const folder of ["e2b-dev__fragments", "huggingface__chat-ui", "mozilla__pontoon", "OpenInterpreter__open-interpreter"]) {
    assert.deepEqual(await check(weakIntegrity, realworldPath(folder)), [], folder);
  }
});
