// Test support: an in-memory HttpClient that answers from recording files, in the format the local replay server
// (src/testing/replay-server.ts) serves: `{ request: { method, path, body? }, response: { status, headers?, body? |
// bodyFile? } }`, one exchange per JSON file, `bodyFile` relative to the recording. Requests are matched on method
// and path (with query); the host is ignored, as with the replay server. No cache, no network.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CacheKind, HttpClient, HttpResult } from "../sources/http/types.js";

/** One recorded exchange. */
export interface Recording {
  request: { method: string; path: string; body?: unknown };
  response: { status: number; headers?: Record<string, string>; body?: unknown; bodyFile?: string };
}

/** A recorded answer, ready to serve. */
interface Answer {
  status: number;
  body: Buffer;
}

/** Reads every recording under the folders (recursively), keyed `METHOD path`. Later folders override earlier ones. */
export function loadRecordings(...dirs: string[]): Map<string, Answer> {
  const answers = new Map<string, Answer>();
  for (const dir of dirs) {
    for (const file of walk(dir)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, "utf8"));
      } catch {
        continue;
      }
      if (!isRecording(parsed)) continue;
      const { request, response } = parsed;
      let body: Buffer;
      if (response.bodyFile !== undefined) body = readFileSync(join(dirname(file), response.bodyFile));
      else if (typeof response.body === "string") body = Buffer.from(response.body, "utf8");
      else body = Buffer.from(response.body === undefined ? "" : JSON.stringify(response.body), "utf8");
      answers.set(`${request.method.toUpperCase()} ${request.path}`, { status: response.status, body });
    }
  }
  return answers;
}

function isRecording(value: unknown): value is Recording {
  if (typeof value !== "object" || value === null) return false;
  const { request, response } = value as { request?: unknown; response?: unknown };
  return typeof request === "object" && request !== null && typeof (request as { path?: unknown }).path === "string"
    && typeof response === "object" && response !== null && typeof (response as { status?: unknown }).status === "number";
}

function walk(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.name.endsWith(".json") ? [path] : [];
  });
}

/** An HttpClient over recordings, with the request log a test can assert on. */
export interface RecordedClient extends HttpClient {
  /** `GET /path` of every request, in order. */
  readonly requests: string[];
}

/**
 * An HttpClient answering from recordings. An unrecorded request is a 404 (like a registry that does not know the
 * name) unless `offline` is set, in which case every request fails as "offline, not in the cache".
 */
export function recordedClient(answers: ReadonlyMap<string, Answer>, options: { offline?: boolean } = {}): RecordedClient {
  const requests: string[] = [];
  function answer(method: string, url: string, _kind: CacheKind): HttpResult {
    const parsed = new URL(url);
    const key = `${method} ${parsed.pathname}${parsed.search}`;
    requests.push(key);
    if (options.offline) return { ok: false, offline: true, error: `offline: no cached answer for ${method} ${url}` };
    const found = answers.get(key);
    if (!found) return { ok: false, status: 404, error: `HTTP 404 from ${url}` };
    if (found.status < 200 || found.status >= 300) return { ok: false, status: found.status, error: `HTTP ${found.status} from ${url}` };
    const body = found.body;
    return { ok: true, status: found.status, body, fromCache: false, json: () => JSON.parse(body.toString("utf8")), text: () => body.toString("utf8") };
  }
  return {
    requests,
    online: !options.offline,
    async get(url, options) {
      return answer("GET", url, options.kind);
    },
    async postJson(url, _body, options) {
      return answer("POST", url, options.kind);
    },
  };
}
