import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import type { IncomingMessage } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { describe, it } from "node:test";
import { fixturePath } from "../../testing/fixtures.js";
import { createHttpClient } from "./client.js";
import { bypassesProxy, proxyAuthorization, proxyFor } from "./proxy.js";

describe("proxyFor", () => {
  const table: Array<[string, string, NodeJS.ProcessEnv, string | undefined]> = [
    ["no proxy variables", "https://registry.npmjs.org/x", {}, undefined],
    ["HTTPS_PROXY for https", "https://registry.npmjs.org/x", { HTTPS_PROXY: "http://proxy:3128" }, "http://proxy:3128/"],
    ["https_proxy before HTTPS_PROXY", "https://registry.npmjs.org/x", { https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:2" }, "http://lower:1/"],
    ["HTTP_PROXY as the fallback for https (as npm does)", "https://pypi.org/x", { HTTP_PROXY: "http://proxy:8080" }, "http://proxy:8080/"],
    ["HTTPS_PROXY is not used for http", "http://127.0.0.1/x", { HTTPS_PROXY: "http://proxy:3128" }, undefined],
    ["a scheme-less proxy is http", "https://pypi.org/x", { HTTPS_PROXY: "proxy.corp:3128" }, "http://proxy.corp:3128/"],
    ["empty variables are unset", "https://pypi.org/x", { HTTPS_PROXY: " ", HTTP_PROXY: "" }, undefined],
    ["NO_PROXY=* bypasses everything", "https://pypi.org/x", { HTTPS_PROXY: "http://p:1", NO_PROXY: "*" }, undefined],
    ["no_proxy domain matches subdomains", "https://files.pythonhosted.org/x", { HTTPS_PROXY: "http://p:1", no_proxy: "localhost,pythonhosted.org" }, undefined],
    ["a socks proxy is not used", "https://pypi.org/x", { HTTPS_PROXY: "socks5://p:1" }, undefined],
  ];
  for (const [name, url, env, expected] of table) {
    it(name, () => assert.equal(proxyFor(new URL(url), env)?.href, expected));
  }
});

describe("bypassesProxy", () => {
  const table: Array<[string, string, boolean]> = [
    ["https://registry.npmjs.org/", "npmjs.org", true],
    ["https://registry.npmjs.org/", ".npmjs.org", true],
    ["https://registry.npmjs.org/", "*.npmjs.org", true],
    ["https://npmjs.org/", ".npmjs.org", true],
    ["https://evilnpmjs.org/", "npmjs.org", false],
    ["https://REGISTRY.npmjs.org/", "registry.NPMJS.org", true],
    ["https://registry.local:8443/", "registry.local:8443", true],
    ["https://registry.local:8443/", "registry.local:443", false],
    ["https://registry.local/", "registry.local:443", true],
    ["http://10.1.2.3/", "10.0.0.0/8", true],
    ["http://11.1.2.3/", "10.0.0.0/8", false],
    ["http://[::1]:8080/", "::1", true],
    ["http://[::1]:8080/", "[::1]:8080", true],
    ["https://pypi.org/", "a.com b.com , pypi.org", true],
    ["https://pypi.org/", "", false],
  ];
  for (const [url, noProxy, expected] of table) {
    it(`${url} with NO_PROXY=${JSON.stringify(noProxy)} → ${expected ? "direct" : "proxied"}`, () => assert.equal(bypassesProxy(new URL(url), noProxy), expected));
  }
});

describe("proxyAuthorization", () => {
  it("encodes credentials from the proxy URL (percent-decoded)", () => {
    assert.equal(proxyAuthorization(new URL("http://user:p%40ss@proxy:3128")), `Basic ${Buffer.from("user:p@ss").toString("base64")}`);
    assert.equal(proxyAuthorization(new URL("http://proxy:3128")), undefined);
  });
});

/** A minimal forward proxy: CONNECT tunnels (optionally refused) and absolute-URI http requests. */
async function startProxy(options: { refuse?: boolean } = {}) {
  const seen: Array<{ method: string; target: string; auth?: string }> = [];
  const server = createHttpServer((request, response) => {
    seen.push({ method: request.method ?? "", target: request.url ?? "", ...(request.headers["proxy-authorization"] ? { auth: String(request.headers["proxy-authorization"]) } : {}) });
    const target = new URL(request.url ?? "");
    const upstream = connect(Number(target.port), target.hostname, () => {
      upstream.write(`${request.method} ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\nconnection: close\r\n\r\n`);
      upstream.pipe(response.socket as Socket);
    });
  });
  server.on("connect", (request: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push({ method: "CONNECT", target: request.url ?? "", ...(request.headers["proxy-authorization"] ? { auth: String(request.headers["proxy-authorization"]) } : {}) });
    if (options.refuse) {
      client.end("HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    const [host, port] = (request.url ?? "").split(":");
    const upstream = connect(Number(port), host === "localhost" ? "127.0.0.1" : host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

describe("HTTPS through a CONNECT proxy", () => {
  const cert = readFileSync(fixturePath(import.meta.url, "localhost-cert.pem"));
  const key = readFileSync(fixturePath(import.meta.url, "localhost-key.pem"));

  async function startTls() {
    const server = createHttpsServer({ cert, key }, (request, response) => {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ path: request.url, host: request.headers.host }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
  }

  it("tunnels with the proxy's credentials and verifies the real server's certificate end to end", async () => {
    const tls = await startTls();
    const proxy = await startProxy();
    const proxyUrl = new URL(proxy.url);
    proxyUrl.username = "me";
    proxyUrl.password = "secret";
    const client = createHttpClient({ cacheDir: false, env: { HTTPS_PROXY: proxyUrl.href }, ca: cert, retries: 0 });
    try {
      const answer = await client.get(`https://localhost:${tls.port}/v1/vulns/X`, { kind: "vulnerability" });
      assert.ok(answer.ok, answer.ok ? "" : answer.error);
      assert.deepEqual(answer.json(), { path: "/v1/vulns/X", host: `localhost:${tls.port}` });
      assert.deepEqual(proxy.seen, [{ method: "CONNECT", target: `localhost:${tls.port}`, auth: `Basic ${Buffer.from("me:secret").toString("base64")}` }]);
    } finally {
      client.close();
      await proxy.close();
      await tls.close();
    }
  });

  it("without the CA, the tunnelled certificate is rejected (TLS is not terminated by the proxy)", async () => {
    const tls = await startTls();
    const proxy = await startProxy();
    const client = createHttpClient({ cacheDir: false, env: { HTTPS_PROXY: proxy.url }, retries: 0 });
    try {
      const answer = await client.get(`https://localhost:${tls.port}/x`, { kind: "vulnerability" });
      assert.ok(!answer.ok);
      assert.match(answer.error, /TLS failure/);
      assert.match(client.notices[0]?.message ?? "", /NODE_EXTRA_CA_CERTS/);
    } finally {
      client.close();
      await proxy.close();
      await tls.close();
    }
  });

  it("a refused tunnel (407) is an error naming the proxy, not an unreachable network", async () => {
    const proxy = await startProxy({ refuse: true });
    const client = createHttpClient({ cacheDir: false, env: { HTTPS_PROXY: proxy.url }, retries: 0 });
    try {
      const answer = await client.get("https://localhost:9/x", { kind: "vulnerability" });
      assert.ok(!answer.ok);
      assert.match(answer.error, /refused the tunnel to localhost:9 \(HTTP 407\)/);
      assert.equal(answer.status, 407);
      assert.deepEqual(client.notices, []);
    } finally {
      client.close();
      await proxy.close();
    }
  });

  it("NO_PROXY sends the request direct", async () => {
    const tls = await startTls();
    const proxy = await startProxy();
    const client = createHttpClient({ cacheDir: false, env: { HTTPS_PROXY: proxy.url, NO_PROXY: "localhost" }, ca: cert, retries: 0 });
    try {
      assert.ok((await client.get(`https://localhost:${tls.port}/x`, { kind: "vulnerability" })).ok);
      assert.deepEqual(proxy.seen, []);
    } finally {
      client.close();
      await proxy.close();
      await tls.close();
    }
  });

  it("plain http goes to the proxy with the absolute URL", async () => {
    const target = createHttpServer((request, response) => response.end(JSON.stringify({ path: request.url })));
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    const port = (target.address() as AddressInfo).port;
    const proxy = await startProxy();
    const client = createHttpClient({ cacheDir: false, env: { HTTP_PROXY: proxy.url }, retries: 0 });
    try {
      const answer = await client.get(`http://127.0.0.1:${port}/simple/x?y=1`, { kind: "pypi-project" });
      assert.ok(answer.ok, answer.ok ? "" : answer.error);
      assert.deepEqual(answer.json(), { path: "/simple/x?y=1" });
      assert.deepEqual(proxy.seen.map((s) => s.target), [`http://127.0.0.1:${port}/simple/x?y=1`]);
    } finally {
      client.close();
      await proxy.close();
      await new Promise<void>((resolve) => { target.closeAllConnections(); target.close(() => resolve()); });
    }
  });
});
