import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { HistorySecret, SecretDetectorInfo, SecretFacts, SecretOccurrence } from "../secrets/facts.js";
import type { KeyRegistry, RegisteredKey } from "../secrets/hygiene.js";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { keyNotRegistered } from "./key-not-registered.js";
import type { ContextFacts, ScanContext } from "./rule.js";

const OPENAI: SecretDetectorInfo = { id: "openai-project-key", provider: "OpenAI", kind: "project API key", confidence: "high" };
const GROQ: SecretDetectorInfo = { id: "groq-api-key", provider: "Groq", kind: "API key", confidence: "high" };

const occurrence = (path: string, extra: Partial<SecretOccurrence> = {}): SecretOccurrence => ({
  path, line: 1, column: 1, detector: OPENAI, fingerprint: "0123456789abcdef", redacted: "sk-proj-…", tracked: true, fileKind: "env", ...extra,
});

const secretFacts = (occurrences: SecretOccurrence[], history: HistorySecret[] = []): SecretFacts => ({
  git: true, occurrences, suppressed: [], envFiles: [],
  ...(history.length > 0 ? { history: { secrets: history, suppressed: [], blobs: 1, bytes: 1, skippedLarge: 0, skippedBinary: 0 } } : {}),
});

const registry = (keys: RegisteredKey[]): KeyRegistry => ({ file: "aiwarden.keys.json", maxAgeDays: 90, keys });
const registered: RegisteredKey = { fingerprint: "0123456789abcdef", provider: "OpenAI", service: "api", environment: "production", created: "2026-10-01" };
const byName: RegisteredKey = { name: "OPENAI_API_KEY", provider: "OpenAI", service: "web", environment: "staging", created: "2026-10-01" };

describe("AIW-SECRET-008 key-not-registered", () => {
  let base: ScanContext;
  before(async () => {
    base = await contextFor(fixturePath(import.meta.url, "secrets-clean"));
  });
  const check = (facts: ContextFacts) => keyNotRegistered.check({ ...base, facts });

  const secrets = secretFacts([
    occurrence("services/api/.env.production", { line: 3 }),
    occurrence("services/worker/.env.production", { line: 2, detector: GROQ, fingerprint: "1111111111111111", redacted: "gsk_…", variable: "LLM_KEY" }),
    occurrence("web/.env.staging", { fingerprint: "2222222222222222", variable: "OPENAI_API_KEY" }),
  ], [
    { fingerprint: "3333333333333333", detector: OPENAI, redacted: "sk-proj-…", path: "old.py", line: 1, stillPresent: false, blobs: 1 },
  ]);

  it("a key whose fingerprint no entry holds: low, at its first place, with the entry to add", () => {
    const drafts = check({ keyRegistry: registry([registered, byName]), secrets });
    assert.equal(drafts.length, 1, "the name-only entry claims the key in OPENAI_API_KEY; history-only keys are AIW-SECRET-002's");
    const [draft] = drafts;
    assert.equal(draft?.severity, "low");
    assert.equal(draft?.file, "services/worker/.env.production");
    assert.equal(draft?.line, 2);
    assert.equal(draft?.message, "Groq API key `gsk_…` (fingerprint 1111111111111111) at services/worker/.env.production:2 is not in the key registry aiwarden.keys.json: no owner, service, environment or creation date is recorded for it, so the rotation policy does not cover it.");
    assert.equal(draft?.fix, "Add `{ \"fingerprint\": \"1111111111111111\", \"provider\": \"Groq\", \"service\": \"services/worker\", \"environment\": \"production\", \"created\": \"<YYYY-MM-DD>\", \"variables\": [\"LLM_KEY\"] }` to \"keys\" in aiwarden.keys.json, with the date the key was issued; if nobody knows when that was, rotate the key now and register the new one with today's date.");
    assert.deepEqual(draft?.key, ["1111111111111111"]);
  });

  it("leaves placeholders for what the paths cannot tell, and counts the places", () => {
    const shared = secretFacts([occurrence(".env"), occurrence("services/api/.env.production", { line: 5 }), occurrence("services/worker/.env.staging", { variable: "api_key" })]);
    const [draft] = check({ keyRegistry: registry([]), secrets: shared });
    assert.match(draft?.message ?? "", /^OpenAI project API key `sk-proj-…` \(fingerprint 0123456789abcdef\) at 3 places \(\.env:1, services\/api\/\.env\.production:5 and services\/worker\/\.env\.staging:1\) is not in the key registry/);
    assert.match(draft?.fix ?? "", /"service": "<service>", "environment": "<environment>", "created": "<YYYY-MM-DD>" }` to .* with the date the key was issued and the service \(it is used by the repository root, services\/api, services\/worker: one key per service is better, see AIW-SECRET-006\) and the environment \(it is used in production, staging\);/);
  });

  it("stays silent without a registry, when every key is registered, and without secret facts", () => {
    assert.deepEqual(check({ secrets }), []);
    const all = registry([registered, byName, { ...registered, fingerprint: "1111111111111111", provider: "Groq", service: "worker" }]);
    assert.deepEqual(check({ keyRegistry: all, secrets }), []);
    assert.deepEqual(check({ keyRegistry: all }), []);
  });
});
