// The replay server of online-sources.mjs, run as a child process (fork) so the benchmark can time aiwarden with
// spawnSync without blocking it. It serves recorded npm packuments (stored gzipped: sent as they are when the client
// accepts gzip, as registry.npmjs.org does, else decompressed), the recorded answer of the registry's signing-key
// endpoint, and documented-format answers for the POST endpoints: OSV `POST /v1/querybatch` answers `{}` (no vulns)
// for each query of the request, npm `POST /-/npm/v1/security/advisories/bulk` answers `{}` (no advisories). It
// listens on two ports (registry, OSV), like two hosts, and counts requests, bytes and the most requests in flight.
//
// Arguments: the recordings folder, `recorded` or `empty` (the keys answer), `recorded` or `npm-times` (which copy of
// the packuments). Messages from the parent: { type: "latency", ms } (a fixed delay before each answer), { type: "reset" },
// { type: "stats" } (answered with { type: "stats", stats }). It sends { type: "ready", registryPort, osvPort }.
import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { setTimeout } from "node:timers";
import { gunzipSync } from "node:zlib";

const recordings = process.argv[2];
const keysMode = process.argv[3] ?? "recorded";
const timesMode = process.argv[4] ?? "recorded";
const index = JSON.parse(readFileSync(join(recordings, "index.json"), "utf8"));
let latency = 0;
let stats = fresh();

function fresh() {
  return { requests: 0, inFlight: 0, maxInFlight: 0, connections: 0, maxConnections: 0, wireBytes: 0, bodyBytes: 0, routes: {}, misses: [] };
}

/** A recorded answer: { status, gzip (Buffer) | body (Buffer), etag }. Read from disk per request (the OS caches). */
function recorded(name) {
  const entry = index.packages[name];
  if (!entry) return undefined;
  if (entry.status !== 200) return { status: entry.status, body: Buffer.from(entry.body ?? "{}") };
  const npmTimes = timesMode === "npm-times" && entry.npmTimesFile !== undefined;
  const gzip = readFileSync(join(recordings, npmTimes ? entry.npmTimesFile : entry.file));
  return { status: 200, gzip, etag: entry.etag, size: npmTimes ? entry.npmTimesSize : entry.size };
}

function handler(kind) {
  return (request, response) => {
    // In flight: from the request's headers to the answer's last byte handed to the socket.
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      stats.inFlight--;
    };
    response.on("finish", finish);
    response.on("close", finish);
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const answer = route(kind, request, Buffer.concat(chunks));
      stats.routes[answer.route] = (stats.routes[answer.route] ?? 0) + 1;
      const send = () => {
        const acceptsGzip = /\bgzip\b/.test(request.headers["accept-encoding"] ?? "");
        const headers = { "content-type": "application/json" };
        let payload;
        if (answer.gzip) {
          stats.bodyBytes += answer.size ?? 0;
          if (acceptsGzip) {
            payload = answer.gzip;
            headers["content-encoding"] = "gzip";
          } else payload = gunzipSync(answer.gzip);
          if (answer.etag) headers.etag = answer.etag;
        } else {
          payload = answer.body;
          stats.bodyBytes += payload.length;
        }
        stats.wireBytes += payload.length;
        headers["content-length"] = String(payload.length);
        response.writeHead(answer.status, headers);
        response.end(payload);
      };
      if (latency > 0) setTimeout(send, latency);
      else send();
    });
  };
}

function route(kind, request, body) {
  const path = decodeURIComponent((request.url ?? "/").split("?")[0]);
  if (kind === "osv") {
    if (request.method === "POST" && path === "/v1/querybatch") {
      let queries = [];
      try {
        queries = JSON.parse(body.toString("utf8")).queries ?? [];
      } catch {
        return { route: "osv querybatch (bad body)", status: 400, body: Buffer.from('{"message":"invalid JSON"}') };
      }
      return { route: "osv querybatch", status: 200, body: Buffer.from(JSON.stringify({ results: queries.map(() => ({})) })) };
    }
    if (request.method === "GET" && path.startsWith("/v1/vulns/")) return { route: "osv vulns", status: 404, body: Buffer.from('{"code":5,"message":"Bug not found."}') };
    return { route: "osv other", status: 404, body: Buffer.from("{}") };
  }
  if (request.method === "POST" && path === "/-/npm/v1/security/advisories/bulk") return { route: "npm advisories bulk", status: 200, body: Buffer.from("{}") };
  if (request.method !== "GET") return { route: "registry other", status: 405, body: Buffer.from('{"error":"Method Not Allowed"}') };
  if (path === "/-/npm/v1/keys") {
    // The recorded answer (registry.npmjs.org's mirror: 404), or the documented format of a registry signing nothing.
    const keys = keysMode === "empty" ? { status: 200, body: '{"keys":[]}' } : index.keys;
    return { route: "registry keys", status: keys.status, body: Buffer.from(keys.body) };
  }
  const name = path.slice(1);
  const answer = recorded(name);
  if (!answer) {
    stats.misses.push(name);
    return { route: "packument (not recorded)", status: 404, body: Buffer.from('{"error":"Not found"}') };
  }
  return { route: "packument", ...answer };
}

function listen(kind) {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, handler(kind));
  server.on("connection", (socket) => {
    stats.connections++;
    stats.maxConnections = Math.max(stats.maxConnections, stats.connections);
    socket.on("close", () => stats.connections--);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
}

const [registryPort, osvPort] = await Promise.all([listen("registry"), listen("osv")]);
process.on("message", (message) => {
  if (message.type === "latency") latency = message.ms;
  else if (message.type === "reset") {
    const { connections } = stats;
    stats = fresh();
    stats.connections = connections;
  } else if (message.type === "stats") process.send({ type: "stats", stats });
});
process.on("disconnect", () => process.exit(0));
process.send({ type: "ready", registryPort, osvPort });
