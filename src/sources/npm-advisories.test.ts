import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fixturePath } from "../testing/fixtures.js";
import { startReplayServer } from "../testing/replay-server.js";
import type { ReplayServer } from "../testing/replay-server.js";
import { createHttpClient } from "./http/client.js";
import { BULK_NAMES_PER_REQUEST, bulkBodies, fetchNpmAdvisories, ghsaOf, isMalwareAdvisory, npmAdvisoryVerdict } from "./npm-advisories.js";
import type { NpmBulkAdvisory } from "./npm-advisories.js";

const lodashInjection: NpmBulkAdvisory = { id: 1084491, url: "https://github.com/advisories/GHSA-35jh-r3h4-6jhm", title: "Command Injection in lodash", severity: "high", vulnerable_versions: "<4.17.21" };

describe("bulkBodies", () => {
  it("sorts names and versions, drops duplicates and empty versions, and chunks by name count", () => {
    assert.deepEqual(bulkBodies([{ name: "b", version: "2.0.0" }, { name: "a", version: "1.0.0" }, { name: "b", version: "1.0.0" }, { name: "b", version: "2.0.0" }, { name: "c", version: "" }]), [{ a: ["1.0.0"], b: ["1.0.0", "2.0.0"] }]);
    const many = bulkBodies(Array.from({ length: 2500 }, (_, i) => ({ name: `p${i}`, version: "1.0.0" })));
    assert.deepEqual(many.map((b) => Object.keys(b).length), [BULK_NAMES_PER_REQUEST, BULK_NAMES_PER_REQUEST, 500]);
  });
});

describe("fetchNpmAdvisories against a recorded answer", () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer(fixturePath(import.meta.url, "replay", "npm"));
  });
  after(() => server.close());

  it("posts the lockfile's names and versions and reads the (gzip-encoded) answer", async () => {
    const http = createHttpClient({ cacheDir: false, env: {} });
    const packages = [
      ["@ctrl/tinycolor", "4.1.0"], ["asynckit", "0.4.0"], ["axios", "0.26.1"], ["combined-stream", "1.0.8"], ["delayed-stream", "1.0.0"], ["follow-redirects", "1.15.6"],
      ["form-data", "4.0.0"], ["lodash", "4.17.15"], ["mime-db", "1.52.0"], ["mime-types", "2.1.35"], ["openai", "3.3.0"],
    ].map(([name, version]) => ({ name: name as string, version: version as string }));
    const result = await fetchNpmAdvisories(http, packages, { registry: `${server.url}/` });
    http.close();
    assert.deepEqual(result.errors, []);
    assert.equal(result.answered, 11);
    assert.deepEqual([...result.byName.keys()].sort(), ["axios", "lodash"]);
    assert.deepEqual(result.byName.get("lodash")?.map(ghsaOf), ["GHSA-p6mc-m468-83gw", "GHSA-35jh-r3h4-6jhm", "GHSA-29mw-wpgm-hmr9"]);
    assert.equal(server.requests[0]?.path, "/-/npm/v1/security/advisories/bulk");
    assert.equal(server.requests[0]?.matched, true);
  });

  it("reports an unreachable registry as offline", async () => {
    const http = createHttpClient({ offline: true, cacheDir: false, env: {} });
    const result = await fetchNpmAdvisories(http, [{ name: "lodash", version: "4.17.15" }]);
    assert.equal(result.offline, true);
    assert.equal(result.answered, 0);
    assert.match(result.errors[0] ?? "", /^npm bulk advisories \(1 packages\): offline: no cached answer/);
  });
});

describe("npmAdvisoryVerdict", () => {
  const rows: Array<[string, string, boolean | "unknown", string | undefined]> = [
    ["<4.17.21", "4.17.15", true, "4.17.21"],
    ["<4.17.21", "4.17.21", false, undefined],
    ["<4.17.21", "4.17.21-rc.1", true, "4.17.21"],
    [">=0.8.1 <0.28.0", "0.26.1", true, "0.28.0"],
    ["<3.0.8 || >=4.0.0 <4.5.3", "4.1.0", true, "4.5.3"],
    ["<3.0.8 || >=4.0.0 <4.5.3", "3.0.8", false, undefined],
    ["<=4.0.13 || >=4.1.0 <4.1.2", "4.0.13", true, undefined],
    ["*", "9.9.9", true, undefined],
    ["not a range", "1.2.3", "unknown", undefined],
  ];
  for (const [range, version, affected, fixed] of rows) {
    it(`${range} on ${version} → ${String(affected)}${fixed ? ` (fixed ${fixed})` : ""}`, () => {
      const verdict = npmAdvisoryVerdict({ id: 1, vulnerable_versions: range }, version);
      assert.equal(verdict.affected, affected);
      assert.equal("fixed" in verdict ? verdict.fixed : undefined, fixed);
    });
  }
});

describe("advisory identity", () => {
  it("reads the GHSA id from github_advisory_id or the advisory URL", () => {
    assert.equal(ghsaOf(lodashInjection), "GHSA-35jh-r3h4-6jhm");
    assert.equal(ghsaOf({ id: 1, vulnerable_versions: "*", github_advisory_id: "GHSA-aaaa-bbbb-cccc" }), "GHSA-aaaa-bbbb-cccc");
    assert.equal(ghsaOf({ id: 1, vulnerable_versions: "*", url: "https://npmjs.com/advisories/1065" }), undefined);
  });

  it("tells malware advisories by CWE-506 or title", () => {
    assert.equal(isMalwareAdvisory({ id: 1, vulnerable_versions: "*", title: "Malicious code in @ctrl/tinycolor (npm)" }), true);
    assert.equal(isMalwareAdvisory({ id: 1, vulnerable_versions: "*", cwe: ["CWE-506"] }), true);
    assert.equal(isMalwareAdvisory(lodashInjection), false);
  });
});

describe("live: the npm registry's bulk advisory endpoint", () => {
  const live = process.env.AIWARDEN_LIVE_TESTS === "1";
  it("names GHSA-35jh-r3h4-6jhm for lodash 4.17.15 (set AIWARDEN_LIVE_TESTS=1)", { skip: live ? false : "set AIWARDEN_LIVE_TESTS=1 to talk to registry.npmjs.org" }, async () => {
    const http = createHttpClient({ cacheDir: false, timeoutMs: 20_000 });
    try {
      const result = await fetchNpmAdvisories(http, [{ name: "lodash", version: "4.17.15" }]);
      assert.deepEqual(result.errors, []);
      const ids = (result.byName.get("lodash") ?? []).map(ghsaOf);
      assert.ok(ids.includes("GHSA-35jh-r3h4-6jhm"), `got ${ids.join(", ")}`);
      const injection = result.byName.get("lodash")?.find((a) => ghsaOf(a) === "GHSA-35jh-r3h4-6jhm");
      assert.ok(injection);
      assert.deepEqual(npmAdvisoryVerdict(injection, "4.17.15"), { affected: true, fixed: "4.17.21" });
    } finally {
      http.close();
    }
  });
});
