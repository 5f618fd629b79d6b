import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { fixturePath } from "./fixtures.js";
import { canonicalJson, startReplayServer } from "./replay-server.js";
import type { ReplayServer } from "./replay-server.js";

/** A raw exchange with the server (no client logic in between). */
function call(url: string, method: string, path: string, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers: body ? { "content-type": "application/json" } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("replay server", () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer(fixturePath(import.meta.url, "replay"));
  });
  after(() => server.close());

  it("answers a GET from a recording file", async () => {
    const answer = await call(server.url, "GET", "/hello?x=1");
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body.toString()), { hello: "world" });
  });

  it("matches a POST on its body as canonical JSON (key order does not matter, array order does)", async () => {
    const hit = await call(server.url, "POST", "/echo", '{"b":[1,2],"a":"x"}');
    assert.equal(hit.status, 200);
    assert.deepEqual(JSON.parse(hit.body.toString()), { matched: "exact" });
    const other = await call(server.url, "POST", "/echo", '{"a":"x","b":[2,1]}');
    assert.deepEqual(JSON.parse(other.body.toString()), { matched: "any body" });
  });

  it("serves `responses` in turn, repeating the last one", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(server.url, "GET", "/flaky")).status);
    assert.deepEqual(statuses, [503, 200, 200]);
  });

  it("reads bodyFile relative to the recording and compresses per content-encoding", async () => {
    const answer = await call(server.url, "GET", "/file");
    assert.equal(answer.headers["content-encoding"], "gzip");
    assert.equal(gunzipSync(answer.body).toString(), "raw bytes from a file\n");
  });

  it("answers 404 naming the request it has no recording for, and records it as unmatched", async () => {
    const answer = await call(server.url, "POST", "/nothing", '{"q":1}');
    assert.equal(answer.status, 404);
    assert.deepEqual(JSON.parse(answer.body.toString()), { error: 'replay-server: no recording for POST /nothing with body {"q":1}' });
    const last = server.requests[server.requests.length - 1];
    assert.equal(last?.matched, false);
    assert.equal(last?.path, "/nothing");
  });

  it("counts requests, connections and the most requests in flight", async () => {
    const before = server.requests.length;
    await Promise.all(Array.from({ length: 5 }, () => call(server.url, "GET", "/slow")));
    assert.equal(server.requests.length - before, 5);
    assert.ok(server.connections >= 5, `connections ${server.connections}`);
    assert.equal(server.maxConcurrent, 5);
  });
});

describe("canonicalJson", () => {
  it("sorts object keys at every depth and keeps arrays in order", () => {
    assert.equal(canonicalJson({ b: { d: 1, c: [3, { f: 1, e: 2 }] }, a: null }), '{"a":null,"b":{"c":[3,{"e":2,"f":1}],"d":1}}');
  });
});

describe("startReplayServer with recordings given directly", () => {
  it("serves them and refuses a recording without a response", async () => {
    const server = await startReplayServer([{ request: { method: "get", path: "/x" }, response: { status: 201, body: "plain" } }]);
    try {
      const answer = await call(server.url, "GET", "/x");
      assert.equal(answer.status, 201);
      assert.equal(answer.body.toString(), "plain");
    } finally {
      await server.close();
    }
    await assert.rejects(startReplayServer([{ request: { method: "GET", path: "/y" } }]), /has no response/);
  });
});
