// Test-only: a local HTTP server that answers from recorded responses, so tests of the online sources run without
// network. A recording file is JSON: one recording or an array of them,
//   { "request": { "method": "POST", "path": "/v1/querybatch", "body": { … } },
//     "response": { "status": 200, "headers": { … }, "body": { … } | "text", "bodyFile": "relative/file" } }
// or `"responses": [ … ]` served in turn (the last one repeats), e.g. a 503 then a 200. Requests match on method and
// path (query string included) and, for a recording with a `body`, on the body as canonical JSON (object keys
// sorted); a recording without `body` matches any body. A `content-encoding` response header makes the server
// compress the body that way. `delayMs` holds a response back (timeouts, concurrency). Unknown requests get a 404
// naming what was asked. The server counts connections, requests and the most requests in flight at once.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import zlib from "node:zlib";

/** One recorded exchange. */
export interface Recording {
  request: { method: string; path: string; body?: unknown };
  response?: RecordedResponse;
  responses?: RecordedResponse[];
}

/** A response as recorded: `body` (JSON value, or a string sent verbatim) or `bodyFile` (raw bytes, path relative to the recording file). */
export interface RecordedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Path relative to the recording file. */
  bodyFile?: string;
  delayMs?: number;
}

/** A request the server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  /** False when no recording matched (the server answered 404). */
  matched: boolean;
}

/** A running replay server. */
export interface ReplayServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Most requests being answered at the same time. */
  readonly maxConcurrent: number;
  close(): Promise<void>;
}

interface Loaded {
  method: string;
  path: string;
  body?: string;
  responses: Array<{ status: number; headers: Record<string, string>; body: Buffer; delayMs: number }>;
  served: number;
}

/** Starts a server on 127.0.0.1 (a free port) answering from the recordings in a folder (or given directly). */
export async function startReplayServer(source: string | Recording[]): Promise<ReplayServer> {
  const recordings = typeof source === "string" ? loadFolder(source) : source.map((r) => load(r, process.cwd()));
  const requests: RecordedRequest[] = [];
  let connections = 0;
  let active = 0;
  let maxConcurrent = 0;
  const server = createServer((request, response) => {
    active++;
    if (active > maxConcurrent) maxConcurrent = active;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const method = request.method ?? "GET";
      const path = request.url ?? "/";
      const match = find(recordings, method, path, body);
      requests.push({ method, path, body, headers: { ...request.headers }, matched: match !== undefined });
      const finish = () => {
        active--;
      };
      response.on("close", finish);
      if (!match) {
        const message = `replay-server: no recording for ${method} ${path}${body ? ` with body ${body.slice(0, 200)}` : ""}`;
        response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: message }));
        return;
      }
      const answer = match.responses[Math.min(match.served, match.responses.length - 1)];
      match.served++;
      if (!answer) return void response.writeHead(500).end();
      const send = () => {
        const encoded = encode(answer.body, answer.headers["content-encoding"]);
        response.writeHead(answer.status, { ...answer.headers, "content-length": String(encoded.length) });
        response.end(encoded);
      };
      if (answer.delayMs > 0) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolveListen) => server.listen(0, "127.0.0.1", resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    close() {
      return new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
    },
  };
}

/** JSON with object keys sorted, array order kept: two bodies that mean the same compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function canonicalBody(text: string): string {
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return text;
  }
}

function find(recordings: Loaded[], method: string, path: string, body: string): Loaded | undefined {
  const candidates = recordings.filter((r) => r.method === method.toUpperCase() && r.path === path);
  if (candidates.length === 0) return undefined;
  const canonical = body === "" ? "" : canonicalBody(body);
  return candidates.find((r) => r.body !== undefined && r.body === canonical) ?? candidates.find((r) => r.body === undefined);
}

function loadFolder(dir: string): Loaded[] {
  const out: Loaded[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".json")) {
        const data = JSON.parse(readFileSync(path, "utf8")) as Recording | Recording[];
        for (const recording of Array.isArray(data) ? data : [data]) out.push(load(recording, dirname(path)));
      }
    }
  };
  walk(dir);
  return out;
}

function load(recording: Recording, base: string): Loaded {
  const list = recording.responses ?? (recording.response ? [recording.response] : []);
  if (list.length === 0) throw new Error(`replay-server: recording for ${recording.request.method} ${recording.request.path} has no response`);
  return {
    method: recording.request.method.toUpperCase(),
    path: recording.request.path,
    ...(recording.request.body !== undefined ? { body: typeof recording.request.body === "string" ? canonicalBody(recording.request.body) : canonicalJson(recording.request.body) } : {}),
    responses: list.map((r) => ({
      status: r.status,
      headers: Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      body: bodyOf(r, base),
      delayMs: r.delayMs ?? 0,
    })),
    served: 0,
  };
}

function bodyOf(response: RecordedResponse, base: string): Buffer {
  if (response.bodyFile !== undefined) {
    return readFileSync(resolve(base, response.bodyFile));
  }
  if (response.body === undefined) return Buffer.alloc(0);
  return Buffer.from(typeof response.body === "string" ? response.body : JSON.stringify(response.body), "utf8");
}

function encode(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? "").toLowerCase()) {
    case "gzip":
      return zlib.gzipSync(body);
    case "br":
      return zlib.brotliCompressSync(body);
    case "deflate":
      return zlib.deflateSync(body);
    default:
      return body;
  }
}
