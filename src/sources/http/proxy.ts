// Proxy support for the HTTP client, from the standard environment variables (Node's own fetch ignores them):
// `https_proxy`/`HTTPS_PROXY` for https URLs (falling back to `http_proxy`/`HTTP_PROXY`, as npm does), `http_proxy`/
// `HTTP_PROXY` for plain http, and `no_proxy`/`NO_PROXY` for the hosts that bypass it. HTTPS goes through an HTTP
// CONNECT tunnel (RFC 9110 §9.3.6) opened by a small agent, so TLS runs end to end with the real server.
import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import tls from "node:tls";

/** The proxy a URL should go through, or undefined for a direct connection. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const raw = url.protocol === "https:"
    ? firstSet(env.https_proxy, env.HTTPS_PROXY, env.http_proxy, env.HTTP_PROXY)
    : url.protocol === "http:" ? firstSet(env.http_proxy, env.HTTP_PROXY) : undefined;
  if (raw === undefined) return undefined;
  if (bypassesProxy(url, firstSet(env.no_proxy, env.NO_PROXY) ?? "")) return undefined;
  try {
    // `proxy.corp:3128` without a scheme is an http proxy, as curl and npm read it.
    const proxy = new URL(raw.includes("://") ? raw : `http://${raw}`);
    return proxy.protocol === "http:" || proxy.protocol === "https:" ? proxy : undefined;
  } catch {
    return undefined;
  }
}

function firstSet(...values: Array<string | undefined>): string | undefined {
  for (const value of values) if (value !== undefined && value.trim() !== "") return value.trim();
  return undefined;
}

/**
 * True when `NO_PROXY` exempts the URL. Entries are separated by commas or spaces: `*` (every host), a domain
 * (`example.com`, `.example.com` or `*.example.com`: the domain and its subdomains), a host with a port
 * (`registry.local:8080`: only that port), an IP address, or an IPv4 CIDR block (`10.0.0.0/8`). Case-insensitive.
 */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    let entryPort: string | undefined;
    const bracket = entry.match(/^\[([^\]]+)\](?::(\d+))?$/);
    if (bracket) {
      entry = bracket[1] ?? "";
      entryPort = bracket[2];
    } else if (entry.split(":").length === 2) {
      // One colon: host:port. More than one: a bare IPv6 address.
      const [name, p] = entry.split(":");
      entry = name ?? "";
      entryPort = p;
    }
    if (entryPort !== undefined && entryPort !== "" && entryPort !== port) continue;
    if (entry.includes("/")) {
      if (inCidr(host, entry)) return true;
      continue;
    }
    const domain = entry.replace(/^\*?\./, "");
    if (domain === "") continue;
    if (host === domain || host.endsWith(`.${domain}`)) return true;
  }
  return false;
}

function inCidr(host: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  const a = ipv4(host);
  const b = ipv4(base ?? "");
  if (a === undefined || b === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  if (bits === 0) return true;
  const mask = (0xffffffff << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

function ipv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

/** The `Proxy-Authorization` header for credentials written in the proxy URL, if any. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === "" && proxy.password === "") return undefined;
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;
}

/** An error from the proxy itself (it refused the tunnel), kept apart from errors of the target server. */
export class ProxyError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = "ProxyError";
  }
}

/**
 * An https agent whose sockets are CONNECT tunnels through a proxy: it asks the proxy for `host:port`, then starts
 * TLS over the tunnel with the target's name, so certificates are checked against the real server.
 */
export class TunnelAgent extends https.Agent {
  constructor(private readonly proxy: URL, options: https.AgentOptions & { connectTimeoutMs: number }) {
    super(options);
    this.connectTimeoutMs = options.connectTimeoutMs;
  }

  private readonly connectTimeoutMs: number;

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = String(options.host ?? options.hostname ?? "");
    const port = Number(options.port ?? 443);
    const target = `${host.includes(":") ? `[${host}]` : host}:${port}`;
    const headers: Record<string, string> = { host: target };
    const auth = proxyAuthorization(this.proxy);
    if (auth) headers["proxy-authorization"] = auth;
    const transport = this.proxy.protocol === "https:" ? https : http;
    const request = transport.request({
      host: this.proxy.hostname.replace(/^\[|\]$/g, ""),
      port: this.proxy.port || (this.proxy.protocol === "https:" ? 443 : 80),
      method: "CONNECT",
      path: target,
      headers,
      agent: false,
    });
    let done = false;
    const finish = (error: Error | null, socket?: Duplex) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // The callback's stream is only read on success.
      callback?.(error, socket as Duplex);
    };
    const timer = setTimeout(() => {
      request.destroy(Object.assign(new Error(`proxy ${this.proxy.host} did not open a tunnel in time`), { code: "ETIMEDOUT" }));
    }, this.connectTimeoutMs);
    request.once("connect", (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        finish(new ProxyError(`proxy ${this.proxy.host} refused the tunnel to ${target} (HTTP ${response.statusCode ?? "?"})`, response.statusCode));
        return;
      }
      // `path` in the request options is the URL path, which tls.connect would read as a socket path: drop it.
      const { path: _path, ...rest } = options as tls.ConnectionOptions & { path?: string };
      const secure = tls.connect({ ...rest, socket, servername: options.servername ?? host });
      finish(null, secure);
    });
    request.once("error", (error) => finish(error));
    request.end();
    return undefined;
  }
}
