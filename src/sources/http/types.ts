// The contract between online sources (OSV, npm advisories, registry metadata) and the HTTP layer that serves them:
// one client with an on-disk cache, bounded concurrency, retries, timeouts, proxy support and an offline mode.
// Sources only see this interface, so tests can hand them a client aimed at a local replay server.

/** Kinds of facts, each with its own cache lifetime (see client.ts for the TTLs). */
export type CacheKind = "advisory" | "vulnerability" | "packument" | "pypi-project" | "registry-keys" | "osv-db";

/** The outcome of one request: a body, or a one-line reason it could not be had. */
export type HttpResult =
  | { ok: true; status: number; body: Buffer; fromCache: boolean; json(): unknown; text(): string }
  | { ok: false; status?: number; error: string; offline?: boolean };

/** What a source needs from the HTTP layer. */
export interface HttpClient {
  /**
   * GET, served from the cache while fresh; `cacheBody: false` keeps a successful answer out of the disk cache (for
   * callers that store their own trimmed copy: a full npm packument can be tens of MB); in offline mode only from the cache (any age), else `offline: true`. */
  get(url: string, options: { kind: CacheKind; accept?: string; cacheBody?: boolean }): Promise<HttpResult>;
  /** POST a JSON body; cached by URL + body for the kind's TTL. */
  postJson(url: string, body: unknown, options: { kind: CacheKind }): Promise<HttpResult>;
  /** True when requests may go to the network (not --offline, and no unreachable network seen yet). */
  readonly online: boolean;
}

/** A problem worth one line to the user (network unreachable, a source switched off), collected once per run. */
export interface SourceNotice {
  source: string;
  message: string;
  /**
   * The host this notice is about: on a source's notice, the one it could not reach (its message then says
   * {@link NOT_REACHED}); on the client's "network unreachable" notice, the one found unreachable, with the reason.
   * Lets the two be told as one line (./notices.ts).
   */
  host?: string;
  reason?: string;
}

/** How a source's notice says it had neither an answer nor a cached one (offline, or its host unreachable). */
export const NOT_REACHED = "offline or unreachable, and nothing cached";
