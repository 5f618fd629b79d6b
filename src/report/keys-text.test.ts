import assert from "node:assert/strict";
import { test } from "node:test";
import { buildInventory, rotationPlan } from "../secrets/hygiene.js";
import type { KeyOccurrence } from "../secrets/hygiene.js";
import { renderKeyInventory, renderRotationPlan } from "./keys-text.js";
import { createStyle } from "./style.js";

const plain = createStyle(false);
const shared: KeyOccurrence[] = [
  { fingerprint: "0123456789abcdef", redacted: "sk-proj-…", provider: "OpenAI", detector: "openai-project-key", path: "services/api/.env.production", line: 2, variable: "OPENAI_API_KEY" },
  { fingerprint: "0123456789abcdef", redacted: "sk-proj-…", provider: "OpenAI", detector: "openai-project-key", path: "services/worker/.env.staging", line: 1, variable: "OPENAI_API_KEY" },
  { fingerprint: "fedcba9876543210", redacted: "gsk_…", provider: "Groq", detector: "groq-api-key", path: ".env", line: 3, historyOnly: true },
];

test("the inventory lists each key once per provider with its places, environments, services and variables", () => {
  const text = renderKeyInventory(buildInventory(shared), plain);
  assert.match(text, /^OpenAI\n {2}0123456789abcdef {2}sk-proj-… {2}openai-project-key\n {4}environments: production, staging {3}services: services\/api, services\/worker {3}variables: OPENAI_API_KEY$/m);
  assert.match(text, /^ {4}\.env:3 {2}\(git history only\)$/m);
  assert.match(text, /2 credentials, 1 shared across environments or services\.\n$/);
  assert.equal(renderKeyInventory([], plain), "No credentials found.\n");
});

test("the rotation plan puts exposed and shared keys first and says what to update", () => {
  const text = renderRotationPlan(rotationPlan(buildInventory(shared), undefined, "2026-11-22"), plain);
  assert.match(text, /^OpenAI\n {2}1\. 0123456789abcdef {2}sk-proj-… {2}committed in the tree; shared by 2 environments; shared by 2 services; serves production$/m);
  assert.match(text, /^ {5}update: services services\/api, services\/worker; environments production, staging; variables OPENAI_API_KEY$/m);
  assert.match(text, /^ {2}1\. fedcba9876543210 {2}gsk_… {2}in git history$/m);
  assert.equal(renderRotationPlan(new Map(), plain), "No credentials found: nothing to rotate.\n");
});
