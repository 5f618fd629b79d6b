import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { HistorySecret, SecretDetectorInfo, SecretFacts, SecretOccurrence } from "../secrets/facts.js";
import type { KeyRegistry, RegisteredKey } from "../secrets/hygiene.js";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { keyPastRotation } from "./key-past-rotation.js";
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

const registry = (keys: RegisteredKey[], maxAgeDays = 90): KeyRegistry => ({ file: "aiwarden.keys.json", maxAgeDays, keys });

const REGISTRY_TEXT = `{
  "maxAgeDays": 90,
  "keys": [
    { "fingerprint": "0123456789abcdef", "provider": "OpenAI", "service": "api", "environment": "production", "created": "2026-01-10",
      "variables": ["OPENAI_API_KEY"] },
    { "name": "ANTHROPIC_PROD", "provider": "Anthropic", "service": "worker", "environment": "production", "created": "2026-03-01" }
  ]
}
`;

describe("AIW-SECRET-007 key-past-rotation", () => {
  let base: ScanContext;
  before(async () => {
    base = await contextFor(fixturePath(import.meta.url, "secrets-clean"));
  });
  // contextFor's today is 2026-11-22.
  const check = (facts: ContextFacts, texts: Record<string, string> = {}) => keyPastRotation.check({ ...base, facts, texts: new Map([...base.texts, ...Object.entries(texts)]) });

  const openai: RegisteredKey = { fingerprint: "0123456789abcdef", provider: "OpenAI", service: "api", environment: "production", created: "2026-01-10", variables: ["OPENAI_API_KEY"] };
  const anthropic: RegisteredKey = { name: "ANTHROPIC_PROD", provider: "Anthropic", service: "worker", environment: "production", created: "2026-03-01" };

  it("an old registered key that is also in the tree: high, at its registry line, with the places", () => {
    const drafts = check({ keyRegistry: registry([openai]), secrets: secretFacts([occurrence("services/api/.env.production", { line: 3, variable: "OPENAI_API_KEY" })]) }, { "aiwarden.keys.json": REGISTRY_TEXT });
    assert.equal(drafts.length, 1);
    const [draft] = drafts;
    assert.equal(draft?.severity, "high");
    assert.equal(draft?.file, "aiwarden.keys.json");
    assert.equal(draft?.line, 4);
    assert.equal(draft?.message, "OpenAI project API key `sk-proj-…` (fingerprint 0123456789abcdef), registered for api in production, was created on 2026-01-10, 316 days ago: 226 days past the 90-day rotation policy of aiwarden.keys.json. It is also in the repository (services/api/.env.production:3), so every copy made in that time holds a working key.");
    assert.equal(draft?.fix, "Revoke the OpenAI project API key with fingerprint 0123456789abcdef at the provider and issue a new one, deliver it to api (production) through `OPENAI_API_KEY`, then set the entry's \"created\" to the day of the rotation and its \"fingerprint\" to the new key's (`aiwarden keys` prints it) in aiwarden.keys.json; read the new key from the environment or a secret manager instead of writing it in services/api/.env.production as the old one was.");
    assert.deepEqual(draft?.key, ["0123456789abcdef", "2026-01-10"]);
  });

  it("an old registered key found nowhere: medium, by name, at its registry line (none without the text)", () => {
    const [draft] = check({ keyRegistry: registry([anthropic]) }, { "aiwarden.keys.json": REGISTRY_TEXT });
    assert.equal(draft?.severity, "medium");
    assert.equal(draft?.line, 6);
    assert.equal(draft?.message, "Anthropic key `ANTHROPIC_PROD`, registered for worker in production, was created on 2026-03-01, 266 days ago: 176 days past the 90-day rotation policy of aiwarden.keys.json.");
    assert.equal(draft?.fix, "Issue a new Anthropic key at the provider to replace `ANTHROPIC_PROD`, deliver it to worker (production), and revoke the old one, then set the entry's \"created\" to the day of the rotation in aiwarden.keys.json.");
    assert.deepEqual(draft?.key, ["name:ANTHROPIC_PROD", "2026-03-01"]);
    assert.equal(check({ keyRegistry: registry([anthropic]) })[0]?.line, undefined);
  });

  it("a name-only entry found through its variable, and a key found only in history, rank high", () => {
    const groq: RegisteredKey = { name: "GROQ_API_KEY", provider: "Groq", service: "batch", environment: "staging", created: "2026-02-01" };
    const secrets = secretFacts([occurrence("batch/.env.staging", { detector: GROQ, fingerprint: "1111111111111111", redacted: "gsk_…", variable: "GROQ_API_KEY" })]);
    const [byName] = check({ keyRegistry: registry([groq]), secrets });
    assert.equal(byName?.severity, "high");
    assert.match(byName?.message ?? "", /^Groq key `GROQ_API_KEY`, registered for batch in staging, was created on 2026-02-01, 294 days ago: .* It is also in the repository \(batch\/\.env\.staging:1\)/);
    const history: HistorySecret = { fingerprint: "0123456789abcdef", detector: OPENAI, redacted: "sk-proj-…", path: "app.py", line: 2, stillPresent: false, blobs: 1, commit: "a".repeat(40), authorDate: "2026-01-05T10:00:00+00:00" };
    const [inHistory] = check({ keyRegistry: registry([openai]), secrets: secretFacts([], [history]) });
    assert.equal(inHistory?.severity, "high");
    assert.match(inHistory?.message ?? "", /It is also in the repository \(app\.py:2 \(git history\)\)/);
    assert.doesNotMatch(inHistory?.fix ?? "", /instead of writing it in/);
  });

  it("git history that shows a key older than its registry date wins", () => {
    const history: HistorySecret = { fingerprint: "0123456789abcdef", detector: OPENAI, redacted: "sk-proj-…", path: "app.py", line: 2, stillPresent: true, blobs: 1, authorDate: "2026-02-01T09:00:00Z" };
    const [draft] = check({ keyRegistry: registry([{ ...openai, created: "2026-10-01" }]), secrets: secretFacts([occurrence("app.py", { line: 2 })], [history]) });
    assert.match(draft?.message ?? "", /^OpenAI project API key `sk-proj-…` \(fingerprint 0123456789abcdef\), registered for api in production as created on 2026-10-01, has been in git history since 2026-02-01, 294 days ago: 204 days past the 90-day rotation policy/);
  });

  it("stays silent on fresh keys, at exactly the policy age, and without a registry", () => {
    const fresh = registry([{ ...openai, created: "2026-10-01" }, { ...anthropic, created: "2026-08-24" }]);
    assert.deepEqual(check({ keyRegistry: fresh, secrets: secretFacts([occurrence("services/api/.env.production")]) }), []);
    assert.deepEqual(check({ keyRegistry: registry([{ ...anthropic, created: "2026-08-23" }]) }).length, 1, "one day over");
    assert.deepEqual(check({ keyRegistry: registry([openai], 400) }), []);
    assert.deepEqual(check({ secrets: secretFacts([occurrence("services/api/.env.production")]) }), []);
  });
});
