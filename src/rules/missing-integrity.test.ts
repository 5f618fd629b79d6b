import { test } from "node:test";
import assert from "node:assert/strict";
import { check } from "../testing/context.js";
import { fixturePath, realworldPath } from "../testing/fixtures.js";
import { missingIntegrity } from "./missing-integrity.js";
import type { FindingDraft } from "./rule.js";

/** A finding as one comparable line: severity, place, key and package id. */
function row(d: FindingDraft): string {
  return `${d.severity} ${d.file}:${d.line ?? "-"} [${d.key.join("|")}]${d.package ? ` ${d.package.id}` : ""}`;
}

test("npm: registry entries without integrity are found; bundled, linked, git and path entries are not", async () => {
  const drafts = await check(missingIntegrity, fixturePath(import.meta.url, "integrity", "npm"));
  assert.deepEqual(drafts.map(row), [
    "low package-lock.json:51 [.|lodash@4.17.21] lodash@4.17.21",
    // openai is an AI package: one step up.
    "medium package-lock.json:65 [.|openai@4.56.0] openai@4.56.0",
  ]);
  const openai = drafts[1] as FindingDraft;
  assert.equal(openai.project, ".");
  assert.equal(openai.message, "openai@4.56.0 is locked in package-lock.json without an integrity hash: whatever bytes the registry or a mirror serves for this version are installed unverified.");
  assert.match(openai.fix, /npm install --package-lock-only/);
});

test("every lockfile format: the entry without a hash, and only it", async () => {
  const table: Array<[string, string[], RegExp]> = [
    // The `#sha1` fragment of ms counts as a hash (a weak one: AIW-HASH-002); nohash has neither.
    ["yarn-classic", ["low yarn.lock:14 [.|nohash@1.0.0] nohash@1.0.0"], /yarn install/],
    // `10c0/<hex>` is a berry checksum (present); the darwin-only entry (conditions) and the soft-linked workspaces
    // carry none by design.
    ["yarn-berry", ["medium yarn.lock:15 [.|openai@4.56.0] openai@4.56.0"], /checksum/],
    ["pnpm", ["low pnpm-lock.yaml:17 [.|nohash@1.0.0] nohash@1.0.0"], /pnpm install --lockfile-only/],
    ["poetry", ["medium poetry.lock:3 [.|openai@1.40.0] openai@1.40.0"], /poetry lock/],
    // The editable project itself has no hash by design.
    ["uv", ["medium uv.lock:10 [.|openai@1.40.0] openai@1.40.0"], /uv lock/],
    // The editable path entry needs none.
    ["pipenv", ["medium Pipfile.lock:17 [.|openai@1.40.0] openai@1.40.0"], /pipenv lock/],
  ];
  for (const [folder, expected, fix] of table) {
    const drafts = await check(missingIntegrity, fixturePath(import.meta.url, "integrity", folder));
    assert.deepEqual(drafts.map(row), expected, folder);
    for (const d of drafts) assert.match(d.fix, fix, folder);
  }
});

test("a lockfile without any hash is one finding about the file", async () => {
  const drafts = await check(missingIntegrity, fixturePath(import.meta.url, "integrity", "npm-whole-file"));
  assert.deepEqual(drafts.map(row), ["medium package-lock.json:- [package-lock.json]"]);
  assert.equal(drafts[0]?.message, "package-lock.json records no integrity hash for 23 of its 23 registry packages, including openai@4.56.0 in the AI stack: their bytes are installed unverified.");
});

test("requirements files: one finding per file without any --hash, none once hashes appear", async () => {
  const none = await check(missingIntegrity, fixturePath(import.meta.url, "integrity", "requirements-none"));
  // dev-requirements.in is a compile input (loose by intent): silent. The `-e ./tools` line cannot be hashed.
  assert.deepEqual(none.map(row), ["medium requirements.txt:2 [requirements.txt]"]);
  assert.equal(none[0]?.message, "No hashes in requirements.txt: 2 packages are installed without verification, AI packages among them (openai).");
  assert.match(none[0]?.fix ?? "", /--generate-hashes.*pip install --require-hashes -r requirements\.txt/);
  for (const folder of ["requirements-partial", "requirements-require-hashes", "requirements-hashed"]) {
    assert.deepEqual(await check(missingIntegrity, fixturePath(import.meta.url, "integrity", folder)), [], `${folder}: AIW-HASH-003's case, or clean`);
  }
});

test("real projects: uv pip compile output without hashes names the command to add --generate-hashes to", async () => {
  const drafts = await check(missingIntegrity, realworldPath("Aider-AI__aider"));
  assert.deepEqual(drafts.map(row), ["medium requirements.txt:3 [requirements.txt]", "medium requirements/requirements-help.txt:3 [requirements/requirements-help.txt]"]);
  assert.match(drafts[0]?.message ?? "", /^No hashes in requirements\.txt: 107 packages are installed without verification, AI packages among them \(.*litellm/);
  assert.match(drafts[0]?.fix ?? "", /^Add `--generate-hashes` to the command that writes it \(`uv pip compile --no-strip-extras /);
});

test("well-kept real projects stay silent: hashes everywhere, platform packages of yarn berry, bundled npm entries", async () => {
  for (const folder of ["mozilla__pontoon", "e2b-dev__fragments", "cline__cline", "vercel__ai-chatbot", "langchain-ai__langchain-nextjs-template", "OpenInterpreter__open-interpreter", "crewAIInc__crewAI"]) {
    assert.deepEqual(await check(missingIntegrity, realworldPath(folder)), [], folder);
  }
});
