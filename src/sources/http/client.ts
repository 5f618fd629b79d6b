// The one HTTP client every online source uses (OSV, npm advisories, registry metadata). Node built-ins only:
// node:http/node:https with keep-alive agents, a CONNECT-tunnel agent for HTTPS_PROXY (see proxy.ts), gzip/deflate/br
// decoding with a size cap, at most `concurrency` requests in flight, retries with exponential backoff and jitter
// (network errors, 408, 429 honouring Retry-After, 5xx), a timeout per attempt, and one on-disk cache (cache.ts).
//
// Cache lifetimes per kind of fact (CACHE_TTL_MS): advisories (OSV querybatch, npm bulk advisories) and vulnerability
// records 6 h; npm packuments and PyPI project pages 1 h (release age and yanked flags move fast); registry signing
// keys and OSV database exports 24 h. A stale entry with an ETag is revalidated (If-None-Match → 304). 404 and 410
// answers are cached too (an unpublished version is a fact). Offline (`offline: true`) the client never opens a
// socket and serves entries of any age; an answer it does not have is `{ ok: false, offline: true }`.
//
// Unreachable network: a DNS failure, a refused connection, a connect timeout or a TLS failure marks that host (or
// the proxy, when one is used) unreachable for the rest of the run: one notice per host, no further attempts, stale
// cache entries serve its requests. `online` turns false when nothing has been reached at all (every host tried so
// far was unreachable): the machine is offline. A host that is down while others answer (here: api.osv.dev blocked,
// registry.npmjs.org reachable) does not stop the other sources.
import { randomInt } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import tls from "node:tls";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { DiskCache, cacheKey, defaultCacheDir } from "./cache.js";
import type { CacheEntry } from "./cache.js";
import { ProxyError, TunnelAgent, proxyAuthorization, proxyFor } from "./proxy.js";
import type { CacheKind, HttpClient, HttpResult, SourceNotice } from "./types.js";

const HOUR = 60 * 60 * 1000;

/** How long an answer of each kind is fresh (milliseconds). Older entries are refetched online, still used offline. */
export const CACHE_TTL_MS: Readonly<Record<CacheKind, number>> = {
  advisory: 6 * HOUR,
  vulnerability: 6 * HOUR,
  packument: HOUR,
  "pypi-project": HOUR,
  "registry-keys": 24 * HOUR,
  "osv-db": 24 * HOUR,
};

/** Statuses worth another attempt: timeouts, rate limits and server errors (501/505 mean "never"). */
const RETRY_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524]);

/** Error codes that mean the host (or the whole network) cannot be reached: no retry, the host is marked down. */
const UNREACHABLE_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH", "EHOSTDOWN", "ENETDOWN", "EADDRNOTAVAIL"]);

/** TLS failures: retrying does not help, and usually every request to that host fails the same way. */
const TLS_CODES = new Set(["CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "ERR_TLS_CERT_ALTNAME_INVALID", "CERT_NOT_YET_VALID", "ERR_SSL_WRONG_VERSION_NUMBER"]);

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Never open a socket; answer from the cache only (entries of any age). */
  offline?: boolean;
  /** Cache folder; default from `env` (see defaultCacheDir). `false` disables the on-disk cache. */
  cacheDir?: string | false;
  /** Requests in flight at most (default 32). */
  concurrency?: number;
  /** Per-attempt timeout, connection to last body byte (default 30 s). */
  timeoutMs?: number;
  /** Further attempts after a retryable failure (default 3). */
  retries?: number;
  /** Base of the exponential backoff (default 500 ms; doubled per attempt, capped at 8 s, with jitter). */
  retryBaseMs?: number;
  /** A Retry-After longer than this is not waited for: the request fails (default 60 s). */
  maxRetryAfterMs?: number;
  /** Largest decoded body accepted (default 256 MiB: the biggest npm packuments are tens of MiB). */
  maxBodyBytes?: number;
  userAgent?: string;
  /** Extra trusted CA certificates (PEM), e.g. a TLS-inspecting corporate proxy's; added to Node's defaults. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Environment read for proxies and the cache folder (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Clock, for TTL tests. */
  now?: () => number;
}

/** Counters for benchmarks and tests. */
export interface HttpStats {
  /** Requests made by callers (get/postJson calls). */
  requests: number;
  /** Attempts sent to the network (retries included). */
  attempts: number;
  /** Answers served from a fresh cache entry or revalidated by a 304. */
  cacheHits: number;
  /** Answers served from a stale entry because the network could not give a fresh one. */
  staleServed: number;
  /** Most attempts in flight at once. */
  maxInFlight: number;
  /** Decoded body bytes received from the network. */
  bytes: number;
}

/** The client sources receive, plus what the scan reports about it. */
export interface Client extends HttpClient {
  /** Notices collected this run (network unreachable, cache not writable), each said once. */
  readonly notices: readonly SourceNotice[];
  readonly stats: Readonly<HttpStats>;
  /** The cache folder in use, or undefined when caching is off. */
  readonly cacheDir: string | undefined;
  /** Closes idle keep-alive sockets. */
  close(): void;
}

/** One network exchange's result before caching decisions. */
type Outcome =
  | { type: "response"; status: number; headers: http.IncomingHttpHeaders; body: Buffer }
  | { type: "unreachable"; error: string }
  | { type: "error"; error: string; status?: number };

/** The default User-Agent: names the tool, so registry operators can tell who is calling (the CLI adds its version). */
export const DEFAULT_USER_AGENT = "aiwarden";

/** Creates the HTTP client for one run. */
export function createHttpClient(options: HttpClientOptions = {}): Client {
  const env = options.env ?? process.env;
  const offline = options.offline === true;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 32));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = Math.max(0, options.retries ?? 3);
  const retryBaseMs = options.retryBaseMs ?? 500;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024 * 1024;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const now = options.now ?? Date.now;
  const cacheDir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir(env));
  const cache = cacheDir !== undefined ? new DiskCache(cacheDir) : undefined;

  const notices: SourceNotice[] = [];
  const stats: HttpStats = { requests: 0, attempts: 0, cacheHits: 0, staleServed: 0, maxInFlight: 0, bytes: 0 };
  const semaphore = new Semaphore(concurrency, (n) => {
    if (n > stats.maxInFlight) stats.maxInFlight = n;
  });
  const unreachable = new Map<string, string>();
  let reached = 0;
  let cacheNoticeGiven = false;
  const inflight = new Map<string, Promise<HttpResult>>();
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  // Node's default roots plus the caller's, so a corporate CA adds trust instead of replacing it.
  const ca = options.ca === undefined ? undefined : [...tls.rootCertificates, ...(Array.isArray(options.ca) ? options.ca : [options.ca])];
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: concurrency, ...(ca ? { ca } : {}) });
  const tunnels = new Map<string, TunnelAgent>();

  function markUnreachable(host: string, reason: string): void {
    if (unreachable.has(host)) return;
    unreachable.set(host, reason);
    notices.push({ source: "network", message: `network unreachable: ${host} (${reason}) — continuing with cached and shipped data`, host, reason });
  }

  function tunnelFor(proxy: URL): TunnelAgent {
    let agent = tunnels.get(proxy.href);
    if (!agent) tunnels.set(proxy.href, (agent = new TunnelAgent(proxy, { keepAlive: true, maxSockets: concurrency, connectTimeoutMs: timeoutMs, ...(ca ? { ca } : {}) })));
    return agent;
  }

  /** One attempt: resolves with the response or rejects with an error carrying `connected`. */
  function send(url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined): Promise<Omit<Extract<Outcome, { type: "response" }>, "type">> {
    return new Promise((resolve, reject) => {
      const proxy = proxyFor(url, env);
      const hostname = url.hostname.replace(/^\[|\]$/g, "");
      let request: http.ClientRequest;
      if (url.protocol === "https:") {
        request = https.request({ hostname, port: url.port || 443, path: `${url.pathname}${url.search}`, method, headers, agent: proxy ? tunnelFor(proxy) : httpsAgent });
      } else if (proxy) {
        // Plain http through a proxy: the absolute URL as the request target (RFC 9112 §3.2.2).
        const auth = proxyAuthorization(proxy);
        const viaHeaders = { ...headers, host: url.host, ...(auth ? { "proxy-authorization": auth } : {}) };
        const transport = proxy.protocol === "https:" ? https : http;
        request = transport.request({ hostname: proxy.hostname.replace(/^\[|\]$/g, ""), port: proxy.port || (proxy.protocol === "https:" ? 443 : 80), path: url.href, method, headers: viaHeaders, agent: proxy.protocol === "https:" ? httpsAgent : httpAgent });
      } else {
        request = http.request({ hostname, port: url.port || 80, path: `${url.pathname}${url.search}`, method, headers, agent: httpAgent });
      }
      let connected = false;
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(Object.assign(error, { connected }));
      };
      const timer = setTimeout(() => {
        request.destroy(Object.assign(new Error(connected ? `no complete answer within ${timeoutMs} ms` : `no connection within ${timeoutMs} ms`), { code: connected ? "ERESPONSETIMEOUT" : "ECONNECTTIMEOUT" }));
      }, timeoutMs);
      request.on("socket", (socket: Socket) => {
        if (socket.connecting) socket.once("connect", () => (connected = true));
        else connected = true;
      });
      request.on("error", fail);
      request.on("response", (response) => {
        connected = true;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) {
            fail(Object.assign(new Error(`answer larger than ${maxBodyBytes} bytes`), { code: "ETOOLARGE" }));
            request.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on("error", fail);
        response.on("aborted", () => fail(Object.assign(new Error("the connection closed mid-answer"), { code: "ECONNRESET" })));
        response.on("end", () => {
          if (settled) return;
          decode(Buffer.concat(chunks), response.headers["content-encoding"], maxBodyBytes).then((decoded) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: decoded });
          }, (error: Error) => fail(Object.assign(error, { code: "EDECODE" })));
        });
      });
      request.end(body);
    });
  }

  /** Attempts with retries; never throws. */
  async function exchange(url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined, hostKey: string): Promise<Outcome> {
    for (let attempt = 0; ; attempt++) {
      const down = unreachable.get(hostKey);
      if (down !== undefined) return { type: "unreachable", error: `network unreachable: ${hostKey} (${down})` };
      const release = await semaphore.acquire();
      stats.attempts++;
      let response: Awaited<ReturnType<typeof send>> | undefined;
      let failure: (Error & { code?: string; connected?: boolean }) | undefined;
      try {
        response = await send(url, method, headers, body);
      } catch (error) {
        failure = error as Error & { code?: string; connected?: boolean };
      } finally {
        release();
      }
      if (response) {
        reached++;
        stats.bytes += response.body.length;
        if (RETRY_STATUSES.has(response.status) && attempt < retries) {
          const wait = retryAfterMs(response.headers["retry-after"], now()) ?? backoff(attempt, retryBaseMs);
          if (wait <= maxRetryAfterMs) {
            await sleep(wait);
            continue;
          }
        }
        return { type: "response", ...response };
      }
      const error = failure as Error & { code?: string; connected?: boolean };
      const code = error.code ?? "";
      if (failure instanceof ProxyError) return { type: "error", error: failure.message, ...(failure.status !== undefined ? { status: failure.status } : {}) };
      if (UNREACHABLE_CODES.has(code) || code === "ECONNECTTIMEOUT" || (code === "ETIMEDOUT" && !error.connected)) {
        markUnreachable(hostKey, reasonOf(error));
        return { type: "unreachable", error: `network unreachable: ${hostKey} (${reasonOf(error)})` };
      }
      if (TLS_CODES.has(code)) {
        markUnreachable(hostKey, `TLS: ${reasonOf(error)}; behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to its CA`);
        return { type: "unreachable", error: `TLS failure with ${hostKey} (${reasonOf(error)})` };
      }
      if (code === "ETOOLARGE" || code === "EDECODE" || attempt >= retries) return { type: "error", error: `${method} ${url.host}${url.pathname}: ${reasonOf(error)}` };
      await sleep(backoff(attempt, retryBaseMs));
    }
  }

  function fromEntry(entry: CacheEntry, stale: boolean): HttpResult {
    if (stale) stats.staleServed++;
    else stats.cacheHits++;
    return resultOf(entry.status, entry.body, true, entry.url);
  }

  async function request(method: "GET" | "POST", rawUrl: string, bodyText: string | undefined, kind: CacheKind, accept: string, cacheBody = true): Promise<HttpResult> {
    stats.requests++;
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return { ok: false, error: `not a URL: ${rawUrl}` };
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, error: `unsupported URL scheme ${url.protocol}` };
    const key = cacheKey(method, url.href, bodyText ?? "", accept);
    const running = inflight.get(key);
    if (running) return running;
    const promise = (async (): Promise<HttpResult> => {
      const entry = cache ? await cache.read(key) : undefined;
      const fresh = entry !== undefined && now() - entry.storedAt < CACHE_TTL_MS[kind] && entry.storedAt <= now() + 60_000;
      if (entry && fresh) return fromEntry(entry, false);
      if (offline) return entry ? fromEntry(entry, true) : { ok: false, offline: true, error: `offline: no cached answer for ${method} ${url.href}` };
      const proxy = proxyFor(url, env);
      const hostKey = proxy ? `proxy ${proxy.host}` : url.host;
      const down = unreachable.get(hostKey);
      if (down !== undefined) return entry ? fromEntry(entry, true) : { ok: false, offline: true, error: `network unreachable: ${hostKey} (${down})` };
      const headers: Record<string, string> = { "user-agent": userAgent, accept, "accept-encoding": "gzip, deflate, br" };
      let body: Buffer | undefined;
      if (bodyText !== undefined) {
        body = Buffer.from(bodyText, "utf8");
        headers["content-type"] = "application/json";
        headers["content-length"] = String(body.length);
      }
      if (entry?.etag && entry.status >= 200 && entry.status < 300) headers["if-none-match"] = entry.etag;
      const outcome = await exchange(url, method, headers, body, hostKey);
      if (outcome.type === "unreachable") return entry ? fromEntry(entry, true) : { ok: false, offline: true, error: outcome.error };
      if (outcome.type === "error") return entry ? fromEntry(entry, true) : { ok: false, error: outcome.error, ...(outcome.status !== undefined ? { status: outcome.status } : {}) };
      if (outcome.status === 304 && entry) {
        await store(key, { ...entry, storedAt: now() });
        return fromEntry(entry, false);
      }
      const cacheable = (outcome.status >= 200 && outcome.status < 300) || outcome.status === 404 || outcome.status === 410;
      if (cacheable && !cacheBody && outcome.status < 300) return resultOf(outcome.status, outcome.body, false, url.href);
      if (cacheable) {
        const etag = headerValue(outcome.headers.etag);
        await store(key, { storedAt: now(), status: outcome.status, kind, url: url.href, ...(etag ? { etag } : {}), body: outcome.body });
        return resultOf(outcome.status, outcome.body, false, url.href);
      }
      // A server error after retries: an older answer beats none.
      if (entry) return fromEntry(entry, true);
      return resultOf(outcome.status, outcome.body, false, url.href);
    })();
    inflight.set(key, promise);
    try {
      return await promise;
    } finally {
      inflight.delete(key);
    }
  }

  async function store(key: string, entry: CacheEntry): Promise<void> {
    if (!cache) return;
    const ok = await cache.write(key, entry);
    if (!ok && !cacheNoticeGiven) {
      cacheNoticeGiven = true;
      notices.push({ source: "cache", message: `cache not writable (${cache.writeError ?? "error"}) — continuing without caching answers` });
    }
  }

  return {
    get(url, opts) {
      return request("GET", url, undefined, opts.kind, opts.accept ?? "application/json", opts.cacheBody ?? true);
    },
    postJson(url, body, opts) {
      return request("POST", url, JSON.stringify(body), opts.kind, "application/json");
    },
    get online() {
      return !offline && !(unreachable.size > 0 && reached === 0);
    },
    notices,
    stats,
    cacheDir,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
      for (const agent of tunnels.values()) agent.destroy();
    },
  };
}

/** A successful or failed HttpResult for a status and body. */
function resultOf(status: number, body: Buffer, fromCache: boolean, url: string): HttpResult {
  if (status < 200 || status >= 300) {
    const snippet = body.toString("utf8", 0, Math.min(body.length, 200)).replace(/\s+/g, " ").trim();
    return { ok: false, status, error: `HTTP ${status} from ${url}${snippet ? `: ${snippet}` : ""}` };
  }
  let parsed: { value: unknown } | undefined;
  return {
    ok: true,
    status,
    body,
    fromCache,
    /** Parses the body as JSON (throws a SyntaxError when it is not). */
    json() {
      parsed ??= { value: JSON.parse(body.toString("utf8")) as unknown };
      return parsed.value;
    },
    text() {
      return body.toString("utf8");
    },
  };
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

const DECODE_CHUNK_BYTES = 1024 * 1024;

/** Decodes a body by its Content-Encoding, refusing output above the cap (a decompression bomb). */
async function decode(body: Buffer, encoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const name = (encoding ?? "identity").trim().toLowerCase();
  // Large output chunks: the default 16 KB means one main-thread callback per 16 KB, about 11,000 for the 180 MB of
  // packuments of a large lockfile (half a second of a cold scan); chunks of up to 1 MB cut that to a few hundred.
  // Sized from the compressed length (JSON compresses about tenfold) so a small answer does not get a 1 MB buffer.
  const limit = { maxOutputLength: maxBytes, chunkSize: Math.min(DECODE_CHUNK_BYTES, Math.max(64 * 1024, body.length * 8)) };
  try {
    if (name === "" || name === "identity") return body;
    if (name === "gzip" || name === "x-gzip") return await gunzip(body, limit);
    if (name === "br") return await brotli(body, limit);
    if (name === "deflate") {
      // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
      return await inflate(body, limit).catch(() => inflateRaw(body, limit));
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === "ERR_BUFFER_TOO_LARGE" ? `decoded answer larger than ${maxBytes} bytes` : `cannot decode ${name} answer (${code ?? "error"})`);
  }
  throw new Error(`unsupported content-encoding ${name}`);
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | undefined {
  const text = headerValue(value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with "equal jitter": half the doubled delay, plus a random part of the other half. */
export function backoff(attempt: number, baseMs: number): number {
  const delay = Math.min(8000, baseMs * 2 ** attempt);
  const half = Math.floor(delay / 2);
  return half + (half > 0 ? randomInt(0, half + 1) : 0);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Plain words for the network errors users meet most, with the code for searching. */
const REASONS: Readonly<Record<string, string>> = {
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed",
  EAI_FAIL: "DNS lookup failed",
  ECONNREFUSED: "connection refused",
  ENETUNREACH: "no route to the network",
  EHOSTUNREACH: "no route to the host",
  ECONNRESET: "connection reset",
};

function reasonOf(error: Error & { code?: string }): string {
  const code = error.code;
  if (code && REASONS[code]) return `${REASONS[code]}, ${code}`;
  const message = (error.message.split("\n")[0] ?? "").slice(0, 160);
  if (code && !message.includes(code)) return `${code}: ${message}`;
  return message || code || "error";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A counting semaphore: at most `limit` holders; reports the holder count after each acquisition. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number, private readonly onAcquire: (active: number) => void) {}

  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.active++;
        this.onAcquire(this.active);
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active--;
          this.waiting.shift()?.();
        });
      };
      if (this.active < this.limit) grant();
      else this.waiting.push(grant);
    });
  }
}
