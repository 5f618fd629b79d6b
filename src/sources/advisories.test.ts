import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { contextFor } from "../testing/context.js";
import { fixturePath, realworldPath, repoRoot } from "../testing/fixtures.js";
import { startReplayServer } from "../testing/replay-server.js";
import type { Recording, ReplayServer } from "../testing/replay-server.js";
import { loadAdvisories, lockedPackages } from "./advisories.js";
import type { AdvisoryOptions } from "./advisories.js";
import { createHttpClient } from "./http/client.js";
import { bulkBodies } from "./npm-advisories.js";
import { querybatchBody, sortedUnique } from "./osv/online.js";
import type { PackageVersion } from "./osv/online.js";

const osvDb = fixturePath(import.meta.url, "osv", "db");
const ruleFixture = (name: string) => join(repoRoot, "src", "rules", "fixtures", "advisories", name);

async function packagesOf(folder: string): Promise<PackageVersion[]> {
  const context = await contextFor(ruleFixture(folder));
  return lockedPackages(context.projects.map((p) => ({ ecosystem: p.ecosystem, graph: p.graph })));
}

describe("loadAdvisories from the offline OSV database", () => {
  const options: AdvisoryOptions = { osvDb, sources: { osv: true, npmAdvisories: false } };

  it("names MAL-2026-2144 for litellm 1.82.8 (critical, malicious) and nothing for dspy or httpx", async () => {
    const { facts, notices, files } = await loadAdvisories(await packagesOf("uv-litellm"), options);
    assert.deepEqual(notices, []);
    assert.deepEqual(files.map((f) => f.status), ["ok"]);
    assert.deepEqual(facts.sources, ["osv-db"]);
    const [advisory, ...rest] = facts.match("pypi", "litellm", "1.82.8");
    assert.deepEqual(rest, []);
    assert.deepEqual(advisory, {
      id: "MAL-2026-2144",
      aliases: ["PYSEC-2026-2"],
      summary: "Malicious code in litellm (PyPI)",
      severity: "critical",
      severityBasis: "malicious package",
      malicious: true,
      url: "https://osv.dev/vulnerability/MAL-2026-2144",
      sources: ["osv-db"],
    });
    assert.deepEqual(facts.match("pypi", "dspy", "2.6.27"), []);
    assert.deepEqual(facts.match("pypi", "LiteLLM", "1.82.8").map((a) => a.id), ["MAL-2026-2144"], "PEP 503 name lookup");
  });

  it("@ctrl/tinycolor 4.1.0 is clean (stale open range ignored and noted), 4.1.1 is malicious", async () => {
    const { facts } = await loadAdvisories([{ ecosystem: "npm", name: "@ctrl/tinycolor", version: "4.1.0" }, { ecosystem: "npm", name: "@ctrl/tinycolor", version: "4.1.1" }], options);
    assert.deepEqual(facts.match("npm", "@ctrl/tinycolor", "4.1.0"), []);
    assert.deepEqual(facts.staleRangesIgnored, [{ ecosystem: "npm", name: "@ctrl/tinycolor", version: "4.1.0", id: "MAL-2025-47141" }]);
    const [malicious] = facts.match("npm", "@ctrl/tinycolor", "4.1.1");
    assert.equal(malicious?.id, "MAL-2025-47141");
    assert.deepEqual(malicious?.aliases, ["GHSA-qjqf-7j6f-82c4"]);
    assert.equal(malicious?.malicious, true);
  });

  it("PYSEC-2024-43 matches langchain 0.1.10 (fixed in 0.1.11) and not 0.1.11", async () => {
    const { facts } = await loadAdvisories([{ ecosystem: "pypi", name: "langchain", version: "0.1.10" }, { ecosystem: "pypi", name: "langchain", version: "0.1.11" }], options);
    const [advisory] = facts.match("pypi", "langchain", "0.1.10");
    assert.equal(advisory?.id, "PYSEC-2024-43");
    assert.deepEqual(advisory?.aliases, ["CVE-2024-28088"]);
    assert.equal(advisory?.fixed, "0.1.11");
    assert.equal(advisory?.severity, "medium");
    assert.equal(advisory?.severityBasis, "unrated");
    assert.deepEqual(facts.match("pypi", "langchain", "0.1.11"), []);
  });

  it("says which ecosystems the database folder lacks", async () => {
    const { notices, files } = await loadAdvisories([{ ecosystem: "npm", name: "a", version: "1.0.0" }], { osvDb: fixturePath(import.meta.url, "osv", "extracted", "pypi"), sources: { osv: true, npmAdvisories: false } });
    assert.equal(files.length, 0);
    assert.match(notices[0]?.message ?? "", /has no npm folder — npm packages were not checked against it/);
  });
});

describe("loadAdvisories online (replayed OSV API and npm registry)", () => {
  let server: ReplayServer;
  let cacheDir: string;
  before(async () => {
    server = await startReplayServer(fixturePath(import.meta.url, "replay"));
    cacheDir = await mkdtemp(join(tmpdir(), "aiwarden-adv-"));
  });
  after(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
  });
  const online = (): AdvisoryOptions => ({ http: createHttpClient({ cacheDir, env: {} }), osvApi: server.url, npmRegistry: server.url, sources: { osv: true, npmAdvisories: true } });

  it("names MAL-2026-2144 for litellm 1.82.8 through querybatch + vulns", async () => {
    const { facts, notices } = await loadAdvisories(await packagesOf("uv-litellm"), online());
    assert.deepEqual(notices, []);
    assert.deepEqual(facts.sources, ["osv"]);
    assert.deepEqual(facts.match("pypi", "litellm", "1.82.8").map((a) => [a.id, a.malicious, a.sources.join()]), [["MAL-2026-2144", true, "osv"]]);
  });

  it("merges OSV and npm answers per advisory and drops the API's stale-range hit on @ctrl/tinycolor 4.1.0", async () => {
    const { facts, notices } = await loadAdvisories(await packagesOf("npm-openai-axios"), online());
    assert.deepEqual(notices, []);
    assert.deepEqual(facts.sources, ["osv", "npm-advisories"]);
    const lodash = facts.match("npm", "lodash", "4.17.15");
    assert.deepEqual(lodash.map((a) => [a.id, a.severity, a.fixed, a.sources.join("+")]), [
      ["GHSA-35jh-r3h4-6jhm", "high", "4.17.21", "npm-advisories+osv"],
      ["GHSA-p6mc-m468-83gw", "high", "4.17.20", "npm-advisories"],
      ["GHSA-29mw-wpgm-hmr9", "medium", "4.17.21", "npm-advisories+osv"],
    ]);
    assert.deepEqual(lodash[0]?.aliases, ["CVE-2021-23337"]);
    assert.deepEqual(facts.match("npm", "axios", "0.26.1").map((a) => [a.id, a.severity, a.fixed]), [["GHSA-wf5p-g6vw-rhxx", "medium", "0.28.0"]]);
    assert.deepEqual(facts.match("npm", "@ctrl/tinycolor", "4.1.0"), []);
    assert.deepEqual(facts.staleRangesIgnored.map((s) => `${s.name}@${s.version} ${s.id}`), ["@ctrl/tinycolor@4.1.0 MAL-2025-47141"]);
    assert.deepEqual(facts.match("npm", "openai", "3.3.0"), []);
  });

  it("a warm run is served from the cache: no new requests", async () => {
    const packages = await packagesOf("npm-openai-axios");
    const before = server.requests.length;
    const options = online();
    const { facts } = await loadAdvisories(packages, options);
    assert.equal(server.requests.length, before);
    assert.equal(facts.match("npm", "lodash", "4.17.15").length, 3);
  });

  it("offline with an empty cache: one notice per source, no advisories, no connection", async () => {
    const empty = await mkdtemp(join(tmpdir(), "aiwarden-adv-"));
    try {
      const before = server.connections;
      const http = createHttpClient({ offline: true, cacheDir: empty, env: {} });
      const { facts, notices } = await loadAdvisories(await packagesOf("npm-openai-axios"), { http, osvApi: server.url, npmRegistry: server.url, sources: { osv: true, npmAdvisories: true } });
      assert.deepEqual(notices.map((n) => n.source), ["osv", "npm-advisories"]);
      assert.match(notices[0]?.message ?? "", /^OSV not consulted \(offline or unreachable, and nothing cached\) — advisory checks rely on the shipped blocklist; pass --osv-db <dir>/);
      assert.equal(notices[0]?.host, new URL(server.url).host, "names the host it could not reach, so the network notice can be folded in");
      assert.deepEqual(facts.sources, []);
      assert.deepEqual(facts.match("npm", "lodash", "4.17.15"), []);
      assert.equal(server.connections, before);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it("switched-off sources are not asked", async () => {
    const before = server.requests.length;
    const { facts, notices } = await loadAdvisories(await packagesOf("npm-openai-axios"), { ...online(), sources: { osv: false, npmAdvisories: false } });
    assert.equal(server.requests.length, before);
    assert.deepEqual(notices, []);
    assert.deepEqual(facts.sources, []);
  });
});

describe("loadAdvisories merging rules", () => {
  it("an npm malware advisory whose GHSA id OSV cleared for the version is dropped; elsewhere it counts as malicious", async () => {
    const tinycolor = JSON.parse(readFileSync(fixturePath(import.meta.url, "osv", "records", "MAL-2025-47141.json"), "utf8")) as unknown;
    const packages: PackageVersion[] = [{ ecosystem: "npm", name: "@ctrl/tinycolor", version: "4.1.0" }, { ecosystem: "npm", name: "@ctrl/tinycolor", version: "4.1.1" }];
    // Constructed answers: npm reporting the GitHub malware advisory with an open range, as the feed once did.
    const malware = { id: 1107425, url: "https://github.com/advisories/GHSA-qjqf-7j6f-82c4", title: "Malicious code in @ctrl/tinycolor (npm)", severity: "critical", vulnerable_versions: ">=0", cwe: ["CWE-506"] };
    const recordings: Recording[] = [
      { request: { method: "POST", path: "/v1/querybatch", body: querybatchBody(sortedUnique(packages)) }, response: { status: 200, body: { results: [{ vulns: [{ id: "MAL-2025-47141" }] }, { vulns: [{ id: "MAL-2025-47141" }] }] } } },
      { request: { method: "GET", path: "/v1/vulns/MAL-2025-47141" }, response: { status: 200, body: tinycolor } },
      { request: { method: "POST", path: "/-/npm/v1/security/advisories/bulk", body: bulkBodies(packages)[0] }, response: { status: 200, body: { "@ctrl/tinycolor": [malware] } } },
    ];
    const server = await startReplayServer(recordings);
    const http = createHttpClient({ cacheDir: false, env: {} });
    try {
      const { facts } = await loadAdvisories(packages, { http, osvApi: server.url, npmRegistry: server.url, sources: { osv: true, npmAdvisories: true } });
      assert.deepEqual(facts.match("npm", "@ctrl/tinycolor", "4.1.0"), []);
      const [merged, ...rest] = facts.match("npm", "@ctrl/tinycolor", "4.1.1");
      assert.deepEqual(rest, []);
      assert.equal(merged?.id, "MAL-2025-47141");
      assert.deepEqual(merged?.aliases, ["GHSA-qjqf-7j6f-82c4"]);
      assert.deepEqual(merged?.sources, ["npm-advisories", "osv"]);
      assert.equal(merged?.malicious, true);
      assert.equal(merged?.fixed, undefined);
      // Without OSV, npm's answer stands on its own (nothing more precise to check it against).
      const npmOnly = await loadAdvisories(packages, { http, npmRegistry: server.url, sources: { osv: false, npmAdvisories: true } });
      assert.deepEqual(npmOnly.facts.match("npm", "@ctrl/tinycolor", "4.1.0").map((a) => [a.id, a.malicious]), [["GHSA-qjqf-7j6f-82c4", true]]);
    } finally {
      http.close();
      await server.close();
    }
  });

  it("an id the API names whose record cannot be fetched still counts (MAL ids as malicious)", async () => {
    const packages: PackageVersion[] = [{ ecosystem: "pypi", name: "evil", version: "1.0" }];
    const server = await startReplayServer([
      { request: { method: "POST", path: "/v1/querybatch" }, response: { status: 200, body: { results: [{ vulns: [{ id: "MAL-2099-1" }] }] } } },
      { request: { method: "GET", path: "/v1/vulns/MAL-2099-1" }, response: { status: 503, body: "down" } },
    ]);
    const http = createHttpClient({ cacheDir: false, env: {}, retries: 0 });
    try {
      const { facts, notices } = await loadAdvisories(packages, { http, osvApi: server.url, sources: { osv: true, npmAdvisories: false } });
      assert.deepEqual(facts.match("pypi", "evil", "1.0").map((a) => [a.id, a.malicious, a.severity]), [["MAL-2099-1", true, "critical"]]);
      assert.match(notices[0]?.message ?? "", /^OSV: answers for 1 of 1 packages; OSV record MAL-2099-1: HTTP 503/);
    } finally {
      http.close();
      await server.close();
    }
  });
});

describe("benchmark: a cold online scan of a 1,500-package lockfile against the replay server", () => {
  it("queries OSV and npm advisories in under 5 s with at most 32 requests in flight", async () => {
    const context = await contextFor(realworldPath("cline__cline"));
    const packages = lockedPackages(context.projects.map((p) => ({ ecosystem: p.ecosystem, graph: p.graph })));
    assert.ok(packages.length >= 1300, `${packages.length} package versions`);
    // Constructed answers: every 25th package version has one advisory (an OSV GHSA record and the same advisory
    // from npm), each answer held back 20 ms to stand in for network latency.
    const sorted = sortedUnique(packages);
    const vulnerable = new Set(sorted.filter((_, i) => i % 25 === 0).map((p) => `${p.name}@${p.version}`));
    const idOf = (p: PackageVersion) => `GHSA-${String(sorted.indexOf(p)).padStart(4, "0")}-bnch-test`;
    const recordings: Recording[] = [];
    for (let i = 0; i < sorted.length; i += 1000) {
      const batch = sorted.slice(i, i + 1000);
      recordings.push({ request: { method: "POST", path: "/v1/querybatch", body: querybatchBody(batch) }, response: { status: 200, body: { results: batch.map((p) => (vulnerable.has(`${p.name}@${p.version}`) ? { vulns: [{ id: idOf(p) }] } : {})) }, delayMs: 20 } });
    }
    for (const p of sorted.filter((q) => vulnerable.has(`${q.name}@${q.version}`))) {
      recordings.push({ request: { method: "GET", path: `/v1/vulns/${idOf(p)}` }, response: { status: 200, body: { id: idOf(p), summary: "bench", database_specific: { severity: "HIGH" }, affected: [{ package: { ecosystem: "npm", name: p.name }, versions: [p.version] }] }, delayMs: 20 } });
    }
    for (const body of bulkBodies(sorted)) {
      const answer: Record<string, unknown[]> = {};
      for (const p of sorted.filter((q) => q.name in body && vulnerable.has(`${q.name}@${q.version}`))) {
        (answer[p.name] ??= []).push({ id: sorted.indexOf(p), url: `https://github.com/advisories/${idOf(p)}`, title: "bench", severity: "high", vulnerable_versions: `=${p.version}` });
      }
      recordings.push({ request: { method: "POST", path: "/-/npm/v1/security/advisories/bulk", body }, response: { status: 200, headers: { "content-encoding": "gzip" }, body: answer, delayMs: 20 } });
    }
    const server = await startReplayServer(recordings);
    const cacheDir = await mkdtemp(join(tmpdir(), "aiwarden-bench-"));
    const http = createHttpClient({ cacheDir, env: {} });
    try {
      const started = performance.now();
      const { facts, notices } = await loadAdvisories(packages, { http, osvApi: server.url, npmRegistry: server.url, sources: { osv: true, npmAdvisories: true } });
      const cold = performance.now() - started;
      assert.deepEqual(notices, []);
      assert.ok(server.requests.every((r) => r.matched));
      const found = sorted.filter((p) => facts.match("npm", p.name, p.version).length > 0);
      assert.equal(found.length, vulnerable.size);
      assert.ok(found.every((p) => facts.match("npm", p.name, p.version)[0]?.sources.join("+") === "npm-advisories+osv"));
      const warmStart = performance.now();
      await loadAdvisories(packages, { http: createHttpClient({ cacheDir, env: {} }), osvApi: server.url, npmRegistry: server.url, sources: { osv: true, npmAdvisories: true } });
      const warm = performance.now() - warmStart;
      console.log(`# bench: ${sorted.length} package versions, ${server.requests.length} requests, cold ${cold.toFixed(0)} ms, warm ${warm.toFixed(0)} ms, max in flight ${server.maxConcurrent} (client ${http.stats.maxInFlight})`);
      assert.ok(cold < 5000, `cold run took ${cold.toFixed(0)} ms`);
      assert.ok(server.maxConcurrent <= 32, `server saw ${server.maxConcurrent} requests at once`);
      assert.ok(http.stats.maxInFlight <= 32);
    } finally {
      http.close();
      await server.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
