import { test } from "node:test";
import assert from "node:assert/strict";
import { check } from "../testing/context.js";
import { fixturePath, realworldPath } from "../testing/fixtures.js";
import { partialHashes } from "./partial-hashes.js";

test("some requirements hashed, others not (across an -r include): pip refuses the install", async () => {
  const drafts = await check(partialHashes, fixturePath(import.meta.url, "integrity", "requirements-partial"));
  assert.equal(drafts.length, 1);
  const d = drafts[0];
  assert.equal(d?.severity, "high");
  assert.equal(d?.file, "requirements.txt");
  assert.equal(d?.line, 4, "the first line without a hash");
  assert.deepEqual(d?.key, ["requirements.txt"]);
  assert.equal(d?.message, "3 requirements installed by requirements.txt have no --hash while 2 of 5 requirements carry --hash, so pip refuses the whole install in hash-checking mode: requirements.txt:4 requests, requirements.txt:5 -e ./tools, more.txt:2 idna.");
  assert.match(d?.fix ?? "", /--generate-hashes/);
});

test("--require-hashes with a requirement that has none", async () => {
  const drafts = await check(partialHashes, fixturePath(import.meta.url, "integrity", "requirements-require-hashes"));
  assert.deepEqual(drafts.map((d) => `${d.severity} ${d.file}:${d.line}`), ["high requirements.txt:2"]);
  assert.match(drafts[0]?.message ?? "", /^1 requirement installed by requirements\.txt has no --hash while --require-hashes is set, /);
});

test("fully hashed or entirely unhashed files are not partial", async () => {
  for (const folder of ["requirements-hashed", "requirements-none"]) {
    assert.deepEqual(await check(partialHashes, fixturePath(import.meta.url, "integrity", folder)), [], folder);
  }
  // pontoon: uv pip compile --generate-hashes, an `-r` include, constraints: every entry hashed.
  for (const folder of ["mozilla__pontoon", "Aider-AI__aider", "arc53__DocsGPT"]) {
    assert.deepEqual(await check(partialHashes, realworldPath(folder)), [], folder);
  }
});
