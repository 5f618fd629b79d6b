import { test } from "node:test";
import assert from "node:assert/strict";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { expiredIgnore } from "./expired-ignore.js";

const folder = fixturePath(import.meta.url, "engine");
const ignore = [
  { rule: "AIW-PIN-001", package: "openai", reason: "pinned by the platform team", expires: "2026-11-21", line: 4 },
  { fingerprint: "0123456789abcdef", reason: "false positive", expires: "2026-11-22" },
];

test("reports each ignore past its date at its line; one that expires today still applies", async () => {
  const drafts = expiredIgnore.check(await contextFor(folder, { config: { ignore, file: "aiwarden.config.json" }, today: "2026-11-22" }));
  assert.equal(drafts.length, 1);
  assert.equal(drafts[0]?.file, "aiwarden.config.json");
  assert.equal(drafts[0]?.line, 4);
  assert.equal(drafts[0]?.severity, "medium");
  assert.match(drafts[0]?.message ?? "", /AIW-PIN-001 for openai expired on 2026-11-21 \(reason given: "pinned by the platform team"\)/);
});

test("silent without ignores, and when none has expired", async () => {
  assert.deepEqual(expiredIgnore.check(await contextFor(folder)), []);
  assert.deepEqual(expiredIgnore.check(await contextFor(folder, { config: { ignore }, today: "2026-01-01" })), []);
});
