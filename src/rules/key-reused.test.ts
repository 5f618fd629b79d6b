import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { HistorySecret, SecretDetectorInfo, SecretFacts, SecretOccurrence } from "../secrets/facts.js";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { keyReused } from "./key-reused.js";
import type { ContextFacts, ScanContext } from "./rule.js";

const OPENAI: SecretDetectorInfo = { id: "openai-project-key", provider: "OpenAI", kind: "project API key", confidence: "high" };
const FINGERPRINT = "0123456789abcdef";

const occurrence = (path: string, extra: Partial<SecretOccurrence> = {}): SecretOccurrence => ({
  path, line: 1, column: 1, detector: OPENAI, fingerprint: FINGERPRINT, redacted: "sk-proj-…", tracked: true, fileKind: "env", ...extra,
});

const secretFacts = (occurrences: SecretOccurrence[], history: HistorySecret[] = []): SecretFacts => ({
  git: true, occurrences, suppressed: [], envFiles: [],
  ...(history.length > 0 ? { history: { secrets: history, suppressed: [], blobs: 1, bytes: 1, skippedLarge: 0, skippedBinary: 0 } } : {}),
});

describe("AIW-SECRET-006 key-reused", () => {
  let base: ScanContext;
  before(async () => {
    base = await contextFor(fixturePath(import.meta.url, "secrets-clean"));
  });
  const check = (facts: ContextFacts, config: Partial<ScanContext["config"]> = {}) => keyReused.check({ ...base, facts, config: { ...base.config, ...config } });

  it("one key in two environments and two services: one high finding at its first place", () => {
    const drafts = check({
      secrets: secretFacts([
        occurrence("services/worker/.env.production", { line: 2, variable: "LLM_KEY" }),
        occurrence("services/api/.env.staging", { variable: "OPENAI_API_KEY" }),
        occurrence("services/api/.env.production", { line: 3, variable: "OPENAI_API_KEY" }),
      ]),
    });
    assert.equal(drafts.length, 1);
    const [draft] = drafts;
    assert.equal(draft?.severity, "high");
    assert.equal(draft?.file, "services/api/.env.production");
    assert.equal(draft?.line, 3);
    assert.equal(draft?.message, "OpenAI project API key `sk-proj-…` (fingerprint 0123456789abcdef) is shared by 2 environments (production, staging) and 2 services (services/api, services/worker), in 3 places (services/api/.env.production:3, services/api/.env.staging:1 and services/worker/.env.production:2): a leak of any copy exposes all of them, nobody can tell which copy leaked, and revoking it breaks them all at once.");
    assert.equal(draft?.fix, "Issue a separate OpenAI project API key for each of its 3 placements (services/api in production; services/api in staging; services/worker in production), deliver each through that deployment's own secret, then revoke the key with fingerprint 0123456789abcdef once nothing uses it; record every new key (fingerprint, provider, service, environment, created) in aiwarden.keys.json.");
    assert.deepEqual(draft?.key, [FINGERPRINT]);
  });

  it("names the one environment two services share, and the one service two environments share", () => {
    const services = check({ secrets: secretFacts([occurrence("services/api/.env.production"), occurrence("services/worker/.env.production")]) });
    assert.match(services[0]?.message ?? "", /is shared by 2 services \(services\/api, services\/worker\), all in production, in 2 places/);
    const environments = check({ secrets: secretFacts([occurrence("apps/web/.env.production"), occurrence("apps/web/config/staging.yml", { line: 7 })]) });
    assert.match(environments[0]?.message ?? "", /is shared by 2 environments \(production, staging\) of apps\/web, in 2 places \(apps\/web\/\.env\.production:1 and apps\/web\/config\/staging\.yml:7\)/);
  });

  it("names the repository root, and counts the registry the scan found in the fix", () => {
    const drafts = check({
      secrets: secretFacts([occurrence(".env.production"), occurrence("worker/.env.production")]),
      keyRegistry: { file: "config/aiwarden.keys.json", maxAgeDays: 90, keys: [] },
    });
    assert.match(drafts[0]?.message ?? "", /2 services \(the repository root, worker\), all in production/);
    assert.match(drafts[0]?.fix ?? "", /placements \(the repository root in production; worker in production\).* in config\/aiwarden\.keys\.json\.$/);
  });

  it("the same layout in two scanned repositories is two services, history-only places included", () => {
    const tree = check({ secrets: secretFacts([occurrence("repo-a/services/api/.env"), occurrence("repo-b/services/api/.env")]) });
    assert.match(tree[0]?.message ?? "", /is shared by 2 services \(repo-a\/services\/api, repo-b\/services\/api\), in 2 places/);
    const up = check({ secrets: secretFacts([occurrence("../one/.env"), occurrence("../two/.env")]) });
    assert.match(up[0]?.message ?? "", /2 services \(\.\.\/one, \.\.\/two\)/);
    const history = (path: string): HistorySecret => ({ fingerprint: FINGERPRINT, detector: OPENAI, redacted: "sk-proj-…", path, line: 4, stillPresent: false, blobs: 1 });
    const old = check({ secrets: secretFacts([], [history("repo-b/app.py"), history("repo-a/app.py")]) });
    assert.equal(old[0]?.file, "repo-a/app.py");
    assert.equal(old[0]?.line, 4);
    assert.match(old[0]?.message ?? "", /in 2 places \(repo-a\/app\.py:4 \(git history\) and repo-b\/app\.py:4 \(git history\)\)/);
  });

  it("two scanned repositories are two services whatever folders lead to them (their roots are named on each place)", () => {
    const secrets = secretFacts([
      occurrence("work/a/.env", { repository: "work/a" }),
      occurrence("work/b/.env", { repository: "work/b" }),
    ]);
    assert.match(check({ secrets })[0]?.message ?? "", /is shared by 2 services \(work\/a, work\/b\), in 2 places/);
    // Without the roots, the folder `work` is taken for the service of both: the case the roots are there for.
    assert.deepEqual(check({ secrets: secretFacts([occurrence("work/a/.env"), occurrence("work/b/.env")]) }), []);
    // Environments and configured services are judged on the path within the repository.
    const placed = secretFacts([
      occurrence("clients/x/deploy/eu/app.env", { repository: "clients/x" }),
      occurrence("clients/x/services/api/.env.production", { repository: "clients/x" }),
    ]);
    assert.deepEqual(check({ secrets: placed }, { environments: { "deploy/eu/**": "production" }, services: { "deploy/eu/**": "services/api" } }), []);
  });

  it("configured environments and services decide the placement", () => {
    const secrets = secretFacts([occurrence("deploy/eu/app.env"), occurrence("lambdas/ingest/.env.production")]);
    assert.equal(check({ secrets }).length, 1, "deploy and lambdas/ingest by the built-in rules");
    assert.deepEqual(check({ secrets }, { environments: { "deploy/eu/**": "production" }, services: { "deploy/eu/**": "ingest", "lambdas/ingest/**": "ingest" } }), []);
  });

  it("stays silent on one key per environment and service, on repeats within one placement, and without facts", () => {
    const perEnvironment = secretFacts([
      occurrence("services/api/.env.production"),
      occurrence("services/api/.env.staging", { fingerprint: "1111111111111111" }),
      occurrence("services/worker/.env.production", { fingerprint: "2222222222222222" }),
    ]);
    assert.deepEqual(check({ secrets: perEnvironment }), []);
    const repeated = secretFacts([occurrence("services/api/.env.production"), occurrence("services/api/.env.production", { line: 9 }), occurrence("services/api/k8s/prod/secret.yaml", { line: 4 })]);
    assert.deepEqual(check({ secrets: repeated }), []);
    assert.deepEqual(check({}), []);
  });
});
