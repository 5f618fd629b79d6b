import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { repoRoot } from "../../testing/fixtures.js";
import { startReplayServer } from "../../testing/replay-server.js";
import type { Recording, ReplayServer } from "../../testing/replay-server.js";
import { createHttpClient } from "../http/client.js";
import { QUERYBATCH_SIZE, packageKey, queryOsv, querybatchBody, sortedUnique } from "./online.js";
import type { PackageVersion } from "./online.js";

const replay = join(repoRoot, "src", "sources", "fixtures", "replay");

describe("queryOsv against recorded answers", () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer(replay);
  });
  after(() => server.close());

  it("asks one querybatch for the locked versions, then fetches each record named", async () => {
    const http = createHttpClient({ cacheDir: false, env: {} });
    const result = await queryOsv(http, [
      { ecosystem: "pypi", name: "litellm", version: "1.82.8" },
      { ecosystem: "pypi", name: "dspy", version: "2.6.27" },
      { ecosystem: "pypi", name: "httpx", version: "0.28.1" },
    ], { baseUrl: server.url });
    http.close();
    assert.deepEqual(result.errors, []);
    assert.equal(result.answered, 3);
    assert.deepEqual([...result.hits], [[packageKey("pypi", "litellm", "1.82.8"), ["MAL-2026-2144"]]]);
    assert.deepEqual([...result.records.keys()], ["MAL-2026-2144"]);
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path} ${r.matched}`), ["POST /v1/querybatch true", "GET /v1/vulns/MAL-2026-2144 true"]);
  });
});

describe("queryOsv batching and pagination", () => {
  it("splits 2,500 queries into batches of at most 1,000 and follows next_page_token", async () => {
    const packages: PackageVersion[] = Array.from({ length: 2500 }, (_, i) => ({ ecosystem: "npm", name: `pkg-${String(i).padStart(4, "0")}`, version: "1.0.0" }));
    const sorted = sortedUnique(packages);
    const batches = [sorted.slice(0, 1000), sorted.slice(1000, 2000), sorted.slice(2000)];
    const results = (batch: PackageVersion[]) => batch.map((p) => (p.name === "pkg-0007" ? { vulns: [{ id: "GHSA-aaaa-aaaa-aaaa" }], next_page_token: "page-2" } : {}));
    const recordings: Recording[] = [
      ...batches.map((batch) => ({ request: { method: "POST", path: "/v1/querybatch", body: querybatchBody(batch) }, response: { status: 200, body: { results: results(batch) } } })),
      // The second page: only the query that had more, with its token.
      { request: { method: "POST", path: "/v1/querybatch", body: { queries: [{ package: { name: "pkg-0007", ecosystem: "npm" }, version: "1.0.0", page_token: "page-2" }] } }, response: { status: 200, body: { results: [{ vulns: [{ id: "GHSA-bbbb-bbbb-bbbb" }] }] } } },
      { request: { method: "GET", path: "/v1/vulns/GHSA-aaaa-aaaa-aaaa" }, response: { status: 200, body: { id: "GHSA-aaaa-aaaa-aaaa", affected: [] } } },
      { request: { method: "GET", path: "/v1/vulns/GHSA-bbbb-bbbb-bbbb" }, response: { status: 500, body: "boom" } },
    ];
    const server = await startReplayServer(recordings);
    const http = createHttpClient({ cacheDir: false, env: {}, retries: 0 });
    try {
      const result = await queryOsv(http, packages, { baseUrl: server.url });
      assert.equal(QUERYBATCH_SIZE, 1000);
      const batchSizes = server.requests.filter((r) => r.path === "/v1/querybatch").map((r) => (JSON.parse(r.body) as { queries: unknown[] }).queries.length);
      assert.deepEqual(batchSizes.sort((a, b) => b - a), [1000, 1000, 500, 1]);
      assert.ok(server.requests.every((r) => r.matched));
      assert.deepEqual(result.hits.get(packageKey("npm", "pkg-0007", "1.0.0")), ["GHSA-aaaa-aaaa-aaaa", "GHSA-bbbb-bbbb-bbbb"]);
      assert.equal(result.answered, 2500);
      assert.deepEqual([...result.records.keys()], ["GHSA-aaaa-aaaa-aaaa"]);
      assert.equal(result.errors.length, 1);
      assert.match(result.errors[0] ?? "", /^OSV record GHSA-bbbb-bbbb-bbbb: HTTP 500/);
    } finally {
      http.close();
      await server.close();
    }
  });

  it("reports an answer that does not line up with the queries, and an offline client", async () => {
    const server = await startReplayServer([{ request: { method: "POST", path: "/v1/querybatch" }, response: { status: 200, body: { results: [] } } }]);
    const http = createHttpClient({ cacheDir: false, env: {} });
    try {
      const result = await queryOsv(http, [{ ecosystem: "npm", name: "a", version: "1.0.0" }], { baseUrl: server.url });
      assert.deepEqual(result.errors, ["OSV querybatch (1 packages): unexpected answer (expected 1 results)"]);
      assert.equal(result.answered, 0);
    } finally {
      http.close();
      await server.close();
    }
    const offline = createHttpClient({ offline: true, cacheDir: false, env: {} });
    const result = await queryOsv(offline, [{ ecosystem: "npm", name: "a", version: "1.0.0" }], { baseUrl: "https://api.osv.dev" });
    assert.equal(result.offline, true);
    assert.equal(result.answered, 0);
  });

  it("builds the documented query shape (ecosystem names as OSV spells them)", () => {
    assert.deepEqual(querybatchBody([{ ecosystem: "pypi", name: "LiteLLM", version: "1.82.8" }, { ecosystem: "npm", name: "a", version: "1.0.0" }], [undefined, "t"]), {
      queries: [
        { package: { name: "LiteLLM", ecosystem: "PyPI" }, version: "1.82.8" },
        { package: { name: "a", ecosystem: "npm" }, version: "1.0.0", page_token: "t" },
      ],
    });
  });
});
