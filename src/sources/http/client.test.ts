import assert from "node:assert/strict";
import { chmod, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { startReplayServer } from "../../testing/replay-server.js";
import type { Recording } from "../../testing/replay-server.js";
import { CACHE_TTL_MS, backoff, createHttpClient, retryAfterMs } from "./client.js";
import type { HttpClientOptions } from "./client.js";

const temps: string[] = [];
after(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "aiwarden-http-"));
  temps.push(dir);
  return dir;
}

/** A replay server and a client aimed at it with a fresh cache folder; both closed by `done`. */
async function setup(recordings: Recording[], options: HttpClientOptions = {}) {
  const server = await startReplayServer(recordings);
  const cacheDir = await tempDir();
  const client = createHttpClient({ cacheDir, env: {}, retryBaseMs: 5, ...options });
  return {
    server,
    client,
    cacheDir,
    async done() {
      client.close();
      await server.close();
    },
  };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("createHttpClient", () => {
  it("GETs JSON, then serves the same request from the cache without a second request", async () => {
    const t = await setup([{ request: { method: "GET", path: "/pkg" }, response: { status: 200, headers: { etag: '"v1"' }, body: { name: "pkg" } } }]);
    try {
      const first = await t.client.get(`${t.server.url}/pkg`, { kind: "packument" });
      assert.ok(first.ok);
      assert.equal(first.fromCache, false);
      assert.deepEqual(first.json(), { name: "pkg" });
      const second = await t.client.get(`${t.server.url}/pkg`, { kind: "packument" });
      assert.ok(second.ok);
      assert.equal(second.fromCache, true);
      assert.equal(second.text(), '{"name":"pkg"}');
      assert.equal(t.server.requests.length, 1);
      assert.equal(t.server.requests[0]?.headers["user-agent"], "aiwarden");
      assert.equal(t.client.stats.cacheHits, 1);
      // One file per key, no temp files left behind.
      const [shard] = await readdir(join(t.cacheDir, "http"));
      const files = await readdir(join(t.cacheDir, "http", shard ?? ""));
      assert.equal(files.length, 1);
      assert.match(files[0] ?? "", /^[0-9a-f]{64}$/);
    } finally {
      await t.done();
    }
  });

  it("cacheBody: false keeps a successful body out of the disk cache (the caller stores its own trimmed copy)", async () => {
    const t = await setup([{ request: { method: "GET", path: "/big" }, response: { status: 200, body: { name: "big" } } }]);
    try {
      for (let i = 0; i < 2; i++) {
        const answer = await t.client.get(`${t.server.url}/big`, { kind: "packument", cacheBody: false });
        assert.ok(answer.ok && !answer.fromCache);
      }
      assert.equal(t.server.requests.length, 2, "nothing was cached, so both went to the server");
      assert.deepEqual(await readdir(t.cacheDir).catch(() => []), []);
    } finally {
      await t.done();
    }
  });

  it("decodes gzip, br and deflate answers", async () => {
    const t = await setup(["gzip", "br", "deflate"].map((encoding) => ({ request: { method: "GET", path: `/${encoding}` }, response: { status: 200, headers: { "content-encoding": encoding }, body: { encoding } } })));
    try {
      for (const encoding of ["gzip", "br", "deflate"]) {
        const answer = await t.client.get(`${t.server.url}/${encoding}`, { kind: "packument" });
        assert.ok(answer.ok, encoding);
        assert.deepEqual(answer.json(), { encoding });
      }
      assert.equal(t.server.requests[0]?.headers["accept-encoding"], "gzip, deflate, br");
    } finally {
      await t.done();
    }
  });

  it("POSTs JSON and caches by URL and body: another body is another request", async () => {
    const t = await setup([
      { request: { method: "POST", path: "/q", body: { a: 1 } }, response: { status: 200, body: { answer: "one" } } },
      { request: { method: "POST", path: "/q", body: { a: 2 } }, response: { status: 200, body: { answer: "two" } } },
    ]);
    try {
      const one = await t.client.postJson(`${t.server.url}/q`, { a: 1 }, { kind: "advisory" });
      const two = await t.client.postJson(`${t.server.url}/q`, { a: 2 }, { kind: "advisory" });
      const again = await t.client.postJson(`${t.server.url}/q`, { a: 1 }, { kind: "advisory" });
      assert.ok(one.ok && two.ok && again.ok);
      assert.deepEqual([one.json(), two.json(), again.json()], [{ answer: "one" }, { answer: "two" }, { answer: "one" }]);
      assert.equal(again.fromCache, true);
      assert.equal(t.server.requests.length, 2);
      assert.equal(t.server.requests[0]?.headers["content-type"], "application/json");
    } finally {
      await t.done();
    }
  });

  it("refetches after the kind's TTL, revalidating with If-None-Match (304 keeps the body)", async () => {
    let clock = 1_000_000;
    const t = await setup([{ request: { method: "GET", path: "/keys" }, responses: [{ status: 200, headers: { etag: '"k1"' }, body: { keys: [1] } }, { status: 304 }] }], { now: () => clock });
    try {
      assert.ok((await t.client.get(`${t.server.url}/keys`, { kind: "registry-keys" })).ok);
      clock += CACHE_TTL_MS["registry-keys"] - 1000;
      await t.client.get(`${t.server.url}/keys`, { kind: "registry-keys" });
      assert.equal(t.server.requests.length, 1, "still fresh");
      clock += 2000;
      const revalidated = await t.client.get(`${t.server.url}/keys`, { kind: "registry-keys" });
      assert.equal(t.server.requests.length, 2, "stale: asked again");
      assert.equal(t.server.requests[1]?.headers["if-none-match"], '"k1"');
      assert.ok(revalidated.ok);
      assert.deepEqual(revalidated.json(), { keys: [1] });
      // The 304 renewed the entry: fresh again for a full TTL.
      await t.client.get(`${t.server.url}/keys`, { kind: "registry-keys" });
      assert.equal(t.server.requests.length, 2);
    } finally {
      await t.done();
    }
  });

  it("documents the TTLs per kind", () => {
    const hours = Object.fromEntries(Object.entries(CACHE_TTL_MS).map(([k, v]) => [k, v / 3_600_000]));
    assert.deepEqual(hours, { advisory: 6, vulnerability: 6, packument: 1, "pypi-project": 1, "registry-keys": 24, "osv-db": 24 });
  });

  it("offline: never opens a connection; serves cache entries of any age, and says offline for the rest", async () => {
    const t = await setup([{ request: { method: "GET", path: "/a" }, response: { status: 200, body: { a: 1 } } }], { now: () => 0 });
    try {
      assert.ok((await t.client.get(`${t.server.url}/a`, { kind: "packument" })).ok);
      assert.equal(t.server.connections, 1);
      const offline = createHttpClient({ offline: true, cacheDir: t.cacheDir, env: {}, now: () => 10 * 365 * 24 * 3_600_000 });
      const cached = await offline.get(`${t.server.url}/a`, { kind: "packument" });
      assert.ok(cached.ok);
      assert.equal(cached.fromCache, true);
      const missing = await offline.get(`${t.server.url}/b`, { kind: "packument" });
      assert.equal(missing.ok, false);
      assert.ok(!missing.ok && missing.offline === true);
      const post = await offline.postJson(`${t.server.url}/q`, { x: 1 }, { kind: "advisory" });
      assert.ok(!post.ok && post.offline === true);
      assert.equal(offline.online, false);
      assert.equal(t.server.connections, 1, "offline client opened no connection");
      assert.equal(t.server.requests.length, 1);
      assert.deepEqual(offline.notices, []);
      offline.close();
    } finally {
      await t.done();
    }
  });

  it("retries 503 and 429 (honouring Retry-After) and succeeds; does not retry a 404", async () => {
    const t = await setup([
      { request: { method: "GET", path: "/busy" }, responses: [{ status: 503, body: "busy" }, { status: 200, body: { ok: true } }] },
      { request: { method: "GET", path: "/limited" }, responses: [{ status: 429, headers: { "retry-after": "0" } }, { status: 200, body: { ok: true } }] },
      { request: { method: "GET", path: "/gone" }, response: { status: 404, body: { error: "Not found" } } },
    ]);
    try {
      assert.ok((await t.client.get(`${t.server.url}/busy`, { kind: "packument" })).ok);
      assert.ok((await t.client.get(`${t.server.url}/limited`, { kind: "packument" })).ok);
      const gone = await t.client.get(`${t.server.url}/gone`, { kind: "packument" });
      assert.ok(!gone.ok);
      assert.equal(gone.status, 404);
      assert.match(gone.error, /HTTP 404 from .*\/gone: \{"error":"Not found"\}/);
      assert.deepEqual(t.server.requests.map((r) => r.path), ["/busy", "/busy", "/limited", "/limited", "/gone"]);
      // A 404 is a fact (an unpublished version): cached like an answer.
      const again = await t.client.get(`${t.server.url}/gone`, { kind: "packument" });
      assert.equal(again.ok, false);
      assert.equal(t.server.requests.length, 5);
    } finally {
      await t.done();
    }
  });

  it("gives up after the retries on a persistent 500, and a Retry-After beyond the limit is not waited for", async () => {
    const t = await setup([
      { request: { method: "GET", path: "/down" }, response: { status: 500, body: "oops" } },
      { request: { method: "GET", path: "/later" }, response: { status: 429, headers: { "retry-after": "3600" } } },
    ], { retries: 2, maxRetryAfterMs: 1000 });
    try {
      const down = await t.client.get(`${t.server.url}/down`, { kind: "packument" });
      assert.ok(!down.ok);
      assert.equal(down.status, 500);
      const later = await t.client.get(`${t.server.url}/later`, { kind: "packument" });
      assert.ok(!later.ok);
      assert.equal(later.status, 429);
      assert.deepEqual(t.server.requests.map((r) => r.path), ["/down", "/down", "/down", "/later"]);
    } finally {
      await t.done();
    }
  });

  it("times out a slow answer, retries it, then reports the timeout (the host stays usable)", async () => {
    const t = await setup([
      { request: { method: "GET", path: "/slow" }, response: { status: 200, body: "late", delayMs: 400 } },
      { request: { method: "GET", path: "/fast" }, response: { status: 200, body: { fast: true } } },
    ], { timeoutMs: 100, retries: 1 });
    try {
      const slow = await t.client.get(`${t.server.url}/slow`, { kind: "packument" });
      assert.ok(!slow.ok);
      assert.match(slow.error, /no complete answer within 100 ms/);
      assert.equal(t.server.requests.filter((r) => r.path === "/slow").length, 2);
      assert.ok((await t.client.get(`${t.server.url}/fast`, { kind: "packument" })).ok);
      assert.deepEqual(t.client.notices, []);
      assert.equal(t.client.online, true);
    } finally {
      await t.done();
    }
  });

  it("an unreachable host: one notice, no further attempts, online false while nothing was reached", async () => {
    const port = await closedPort();
    const cacheDir = await tempDir();
    const client = createHttpClient({ cacheDir, env: {}, retryBaseMs: 5 });
    const urls = Array.from({ length: 10 }, (_, i) => `http://127.0.0.1:${port}/p${i}`);
    const answers = await Promise.all(urls.map((url) => client.get(url, { kind: "packument" })));
    assert.ok(answers.every((a) => !a.ok && a.offline === true));
    assert.equal(client.notices.length, 1);
    assert.equal(client.notices[0]?.source, "network");
    assert.match(client.notices[0]?.message ?? "", new RegExp(`^network unreachable: 127\\.0\\.0\\.1:${port} \\(connection refused, ECONNREFUSED\\) — continuing with cached and shipped data$`));
    assert.equal(client.online, false);
    // Later requests to that host are not attempted.
    const attempts = client.stats.attempts;
    await client.get(`http://127.0.0.1:${port}/later`, { kind: "packument" });
    assert.equal(client.stats.attempts, attempts);
    // Another host that answers still works, and then the network counts as up.
    const server = await startReplayServer([{ request: { method: "GET", path: "/ok" }, response: { status: 200, body: {} } }]);
    try {
      assert.ok((await client.get(`${server.url}/ok`, { kind: "packument" })).ok);
      assert.equal(client.online, true);
      assert.equal(client.notices.length, 1);
    } finally {
      client.close();
      await server.close();
    }
  });

  it("serves a stale cache entry when its host becomes unreachable", async () => {
    let clock = 0;
    const t = await setup([{ request: { method: "GET", path: "/a" }, response: { status: 200, body: { v: 1 } } }], { now: () => clock });
    const url = `${t.server.url}/a`;
    await t.client.get(url, { kind: "packument" });
    await t.done();
    clock += 10 * CACHE_TTL_MS.packument;
    const client = createHttpClient({ cacheDir: t.cacheDir, env: {}, now: () => clock, retryBaseMs: 5 });
    const stale = await client.get(url, { kind: "packument" });
    assert.ok(stale.ok);
    assert.equal(stale.fromCache, true);
    assert.deepEqual(stale.json(), { v: 1 });
    assert.equal(client.stats.staleServed, 1);
    assert.equal(client.notices.length, 1);
    client.close();
  });

  it("keeps at most `concurrency` requests in flight (server-side count)", async () => {
    const t = await setup([{ request: { method: "GET", path: "/slow" }, response: { status: 200, body: {}, delayMs: 20 } }], { concurrency: 8, cacheDir: false });
    try {
      // Distinct URLs (query strings) so neither the cache nor in-flight sharing collapses them.
      await Promise.all(Array.from({ length: 60 }, (_, i) => t.client.get(`${t.server.url}/slow`, { kind: "packument", accept: `application/json; q=${i}` })));
      assert.equal(t.server.requests.length, 60);
      assert.ok(t.server.maxConcurrent <= 8, `server saw ${t.server.maxConcurrent}`);
      assert.equal(t.client.stats.maxInFlight, 8);
    } finally {
      await t.done();
    }
  });

  it("shares one request between identical requests in flight", async () => {
    const t = await setup([{ request: { method: "GET", path: "/once" }, response: { status: 200, body: { n: 1 }, delayMs: 30 } }]);
    try {
      const answers = await Promise.all([1, 2, 3].map(() => t.client.get(`${t.server.url}/once`, { kind: "packument" })));
      assert.ok(answers.every((a) => a.ok));
      assert.equal(t.server.requests.length, 1);
    } finally {
      await t.done();
    }
  });

  it("refuses an answer larger than maxBodyBytes (also after decompression)", async () => {
    const big = "x".repeat(5000);
    const t = await setup([
      { request: { method: "GET", path: "/big" }, response: { status: 200, body: big } },
      { request: { method: "GET", path: "/bomb" }, response: { status: 200, headers: { "content-encoding": "gzip" }, body: big } },
    ], { maxBodyBytes: 1000 });
    try {
      const plain = await t.client.get(`${t.server.url}/big`, { kind: "packument" });
      assert.ok(!plain.ok);
      assert.match(plain.error, /larger than 1000 bytes/);
      const bomb = await t.client.get(`${t.server.url}/bomb`, { kind: "packument" });
      assert.ok(!bomb.ok);
      assert.match(bomb.error, /decoded answer larger than 1000 bytes/);
      // Neither is retried: the answer would be the same.
      assert.equal(t.server.requests.length, 2);
    } finally {
      await t.done();
    }
  });

  it("says once when the cache folder is not writable, and still answers", async (context) => {
    if (process.getuid?.() === 0) {
      context.skip("root ignores folder permissions");
      return;
    }
    const dir = await tempDir();
    await chmod(dir, 0o500);
    const t = await setup([{ request: { method: "GET", path: "/a" }, response: { status: 200, body: {} } }, { request: { method: "GET", path: "/b" }, response: { status: 200, body: {} } }], { cacheDir: dir });
    try {
      assert.ok((await t.client.get(`${t.server.url}/a`, { kind: "packument" })).ok);
      assert.ok((await t.client.get(`${t.server.url}/b`, { kind: "packument" })).ok);
      assert.equal(t.client.notices.length, 1);
      assert.match(t.client.notices[0]?.message ?? "", /^cache not writable/);
    } finally {
      await chmod(dir, 0o700);
      await t.done();
    }
  });

  it("a cache folder that is a file: writes fail with one notice, reads miss", async () => {
    const dir = await tempDir();
    const file = join(dir, "not-a-folder");
    await writeFile(file, "x");
    const t = await setup([{ request: { method: "GET", path: "/a" }, response: { status: 200, body: {} } }], { cacheDir: file });
    try {
      assert.ok((await t.client.get(`${t.server.url}/a`, { kind: "packument" })).ok);
      assert.equal(t.client.notices.length, 1);
      assert.match(t.client.notices[0]?.message ?? "", /^cache not writable \((ENOTDIR|EEXIST)/);
    } finally {
      await t.done();
    }
  });

  it("rejects URLs it cannot fetch without throwing", async () => {
    const client = createHttpClient({ cacheDir: false, env: {} });
    const answers = await Promise.all([client.get("not a url", { kind: "packument" }), client.get("ftp://example.com/x", { kind: "packument" })]);
    assert.deepEqual(answers.map((a) => (a.ok ? "ok" : a.error)), ["not a URL: not a url", "unsupported URL scheme ftp:"]);
    client.close();
  });
});

describe("retry timing", () => {
  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    assert.equal(retryAfterMs("7", now), 7000);
    assert.equal(retryAfterMs("Thu, 01 Jan 2026 00:00:30 GMT", now), 30_000);
    assert.equal(retryAfterMs("soon", now), undefined);
    assert.equal(retryAfterMs(undefined, now), undefined);
  });

  it("backs off exponentially with jitter, capped", () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const full = Math.min(8000, 500 * 2 ** attempt);
      for (let i = 0; i < 20; i++) {
        const delay = backoff(attempt, 500);
        assert.ok(delay >= full / 2 && delay <= full, `attempt ${attempt}: ${delay}`);
      }
    }
  });
});
