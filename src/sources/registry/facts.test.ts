import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { HttpClient, HttpResult } from "../http/types.js";
import { DEFAULT_REGISTRY_CONFIG, registryConfigFrom } from "./config.js";
import { loadRegistryFacts } from "./facts.js";
import type { LockedPackage } from "./facts.js";
import { recordedClient } from "../../testing/recorded-http.js";
import { fileSnapshotStore } from "./snapshot.js";
import type { SnapshotStore } from "./snapshot.js";
import { answersFrom } from "../../testing/registry.js";
import { registryKey } from "./types.js";

const npm = (name: string, version: string, resolved?: string): LockedPackage => ({ ecosystem: "npm", name, version, ...(resolved ? { resolved } : {}) });
const NOW = new Date("2026-11-22T04:00:00Z");

function ok(body: unknown): HttpResult {
  const buffer = Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  return { ok: true, status: 200, body: buffer, fromCache: false, json: () => JSON.parse(buffer.toString()), text: () => buffer.toString() };
}

describe("loadRegistryFacts", () => {
  it("fetches one full packument per package and the keys once, and keeps the facts rules need", async () => {
    const client = recordedClient(answersFrom("npmjs"));
    const { facts, notices, stats } = await loadRegistryFacts(
      [npm("openai", "6.21.0"), npm("is-number", "7.0.0"), npm("is-number", "6.0.0"), npm("@ctrl/tinycolor", "4.1.0"), npm("openai", "6.21.0")],
      { http: client, registries: DEFAULT_REGISTRY_CONFIG, now: NOW },
    );
    assert.deepEqual(notices, []);
    assert.deepEqual(client.requests.sort(), ["GET /-/npm/v1/keys", "GET /@ctrl%2ftinycolor", "GET /is-number", "GET /openai"]);
    assert.deepEqual(stats, { packages: 3, fetched: 3, fromCache: 0, fromStore: 0, skipped: 0, failed: 0 });
    assert.equal(facts.checkedAt, "2026-11-22T04:00:00.000Z");
    const isNumber = facts.packages.get(registryKey("npm", "is-number"));
    assert.equal(isNumber?.state, "present");
    assert.equal(isNumber?.signsAll, false);
    assert.deepEqual(isNumber?.versions.get("7.0.0"), {
      version: "7.0.0",
      published: "2024-02-27T16:27:13.411Z",
      integrity: "sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==",
      shasum: "7535345b896734d5f80c4d06c50955527a14f12b",
      provenance: false,
      signature: { status: "unchecked" },
    });
    // Versions that are not locked keep their facts but are not signature-checked.
    assert.equal(isNumber?.versions.get("5.0.0")?.signature, undefined);
  });

  it("recognises npm's security placeholder and a package with no versions", async () => {
    const client = recordedClient(answersFrom("npmjs"));
    const { facts } = await loadRegistryFacts([npm("crossenv", "6.1.1"), npm("flatmap-stream", "0.1.1"), npm("no-such-package-here", "1.0.0")], { http: client, registries: DEFAULT_REGISTRY_CONFIG });
    assert.equal(facts.packages.get("npm:crossenv")?.securityHolder, "0.0.2-security");
    assert.equal(facts.packages.get("npm:crossenv")?.state, "present");
    assert.equal(facts.packages.get("npm:flatmap-stream")?.state, "gone");
    // Not recorded = 404 from the in-memory registry: the package is gone from it.
    assert.equal(facts.packages.get("npm:no-such-package-here")?.state, "gone");
  });

  it("says once that it is offline and returns no facts", async () => {
    const { facts, notices } = await loadRegistryFacts([npm("openai", "6.21.0"), npm("is-number", "7.0.0")], { http: recordedClient(answersFrom("npmjs"), { offline: true }), registries: DEFAULT_REGISTRY_CONFIG });
    assert.equal(facts.packages.size, 0);
    assert.deepEqual(notices, [{ source: "registry", host: "registry.npmjs.org", message: "registry facts from registry.npmjs.org are unavailable (offline or unreachable, and nothing cached); release-age, removed-release, hash, signature, provenance and publisher checks were skipped for its packages" }]);
  });

  it("skips packages resolved from another registry instead of calling them removed", async () => {
    const client = recordedClient(answersFrom("npmjs"));
    const { facts, notices, stats } = await loadRegistryFacts([
      npm("@acme/internal", "1.0.0", "https://npm.pkg.github.com/download/@acme/internal/1.0.0/abc"),
      npm("is-number", "7.0.0", "https://registry.yarnpkg.com/is-number/-/is-number-7.0.0.tgz"),
    ], { http: client, registries: DEFAULT_REGISTRY_CONFIG });
    assert.deepEqual([...facts.packages.keys()], ["npm:is-number"]);
    assert.equal(stats.skipped, 1);
    assert.match(notices[0]?.message ?? "", /^1 locked package was resolved from npm\.pkg\.github\.com, not from the configured registry/);
  });

  it("asks a scope's configured registry, and reports one that refuses anonymous reads without calling its packages gone", async () => {
    const { config } = registryConfigFrom({ npmrc: [{ file: ".npmrc", text: "@acme:registry=https://npm.acme.example/\n//npm.acme.example/:_authToken=${TOKEN}\n" }], env: { TOKEN: "secret-value" } });
    const seen: string[] = [];
    const http: HttpClient = {
      online: true,
      async get(url) {
        seen.push(url);
        if (url.startsWith("https://npm.acme.example/@acme%2fwidgets")) return { ok: false, status: 404, error: "HTTP 404" };
        if (url.startsWith("https://npm.acme.example/@acme%2fgadgets")) return { ok: false, status: 401, error: "HTTP 401" };
        return { ok: false, status: 404, error: "HTTP 404" };
      },
      async postJson() {
        return { ok: false, error: "unused" };
      },
    };
    const { facts, notices } = await loadRegistryFacts([npm("@acme/widgets", "1.0.0"), npm("@acme/gadgets", "2.0.0")], { http, registries: config });
    assert.ok(seen.includes("https://npm.acme.example/@acme%2fwidgets"));
    assert.equal(facts.packages.size, 0);
    assert.deepEqual(notices.map((n) => n.message), ["https://npm.acme.example/ refused anonymous reads; aiwarden sends no credentials, so packages from it were not checked against the registry"]);
    assert.ok(!JSON.stringify(notices).includes("secret-value"));
  });

  it("skips Python packages when the index serves no JSON API, and reads PyPI releases otherwise", async () => {
    const { config } = registryConfigFrom({ env: { PIP_INDEX_URL: "https://nexus.corp.example/repository/pypi/simple" } });
    const skipped = await loadRegistryFacts([{ ecosystem: "pypi", name: "requests", version: "2.32.0" }], { http: recordedClient(answersFrom("pypi-now")), registries: config });
    assert.equal(skipped.facts.packages.size, 0);
    assert.match(skipped.notices[0]?.message ?? "", /^the Python index https:\/\/nexus\.corp\.example\/repository\/pypi\/simple serves no PyPI JSON API; registry rules skipped 1 Python package$/);
    const client = recordedClient(answersFrom("pypi-now"));
    const { facts } = await loadRegistryFacts([{ ecosystem: "pypi", name: "requests", version: "2.32.0", resolved: "https://pypi.org/simple" }], { http: client, registries: DEFAULT_REGISTRY_CONFIG });
    assert.deepEqual(client.requests, ["GET /pypi/requests/json"]);
    const yanked = facts.packages.get("pypi:requests")?.versions.get("2.32.0");
    assert.deepEqual(yanked?.yanked, { reason: "Yanked due to conflicts with CVE-2024-35195 mitigation" });
    assert.equal(yanked?.published, "2024-05-20T15:48:04.000Z");
    assert.equal(yanked?.fileSha256?.length, 2);
  });

  it("finds a PyPI release under the lock's spelling of an equal PEP 440 version", async () => {
    const http: HttpClient = {
      online: true,
      async get() {
        return ok({ releases: { "2.0.0": [{ digests: { sha256: "AB" }, upload_time_iso_8601: "2020-01-01T00:00:00Z", yanked: false }], "2.1rc1": [] } });
      },
      async postJson() {
        return { ok: false, error: "unused" };
      },
    };
    const { facts } = await loadRegistryFacts([{ ecosystem: "pypi", name: "pkg", version: "2.0" }], { http, registries: DEFAULT_REGISTRY_CONFIG });
    assert.deepEqual(facts.packages.get("pypi:pkg")?.versions.get("2.0"), { version: "2.0.0", published: "2020-01-01T00:00:00.000Z", fileSha256: ["ab"] });
    assert.deepEqual(facts.packages.get("pypi:pkg")?.versions.get("2.1rc1"), { version: "2.1rc1" });
  });

  it("reports unreadable answers and unreadable keys once, and keeps going", async () => {
    const http: HttpClient = {
      online: true,
      async get(url) {
        if (url.endsWith("/-/npm/v1/keys")) return { ok: false, status: 500, error: "HTTP 500 from keys" };
        if (url.endsWith("/broken")) return ok("<html>not json</html>");
        if (url.endsWith("/weird")) return ok({ hello: "world" });
        return ok({ name: "fine", versions: { "1.0.0": { dist: { integrity: "sha512-AAAA", signatures: [{ keyid: "k", sig: "s" }] } } }, time: { "1.0.0": "2020-01-01T00:00:00Z" } });
      },
      async postJson() {
        return { ok: false, error: "unused" };
      },
    };
    const { facts, notices, stats } = await loadRegistryFacts([npm("broken", "1.0.0"), npm("weird", "1.0.0"), npm("fine", "1.0.0")], { http, registries: DEFAULT_REGISTRY_CONFIG });
    assert.deepEqual(notices.map((n) => n.message), [
      "could not read https://registry.npmjs.org/-/npm/v1/keys (HTTP 500 from keys); registry signatures were not checked",
      "registry facts for 2 packages could not be read (broken: not JSON; weird: not a packument); their registry rules were skipped",
    ]);
    assert.equal(stats.fetched, 3);
    assert.deepEqual(facts.packages.get("npm:fine")?.versions.get("1.0.0")?.signature, { status: "unchecked" });
  });

  it("keeps at most `concurrency` documents in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const http: HttpClient = {
      online: true,
      async get(url) {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return url.endsWith("/keys") ? { ok: false, status: 404, error: "HTTP 404" } : ok({ versions: {}, time: {} });
      },
      async postJson() {
        return { ok: false, error: "unused" };
      },
    };
    const packages = Array.from({ length: 40 }, (_, i) => npm(`pkg-${i}`, "1.0.0"));
    const { facts } = await loadRegistryFacts(packages, { http, registries: DEFAULT_REGISTRY_CONFIG, concurrency: 4 });
    assert.equal(facts.packages.size, 40);
    assert.ok(most <= 4, `at most 4 in flight, saw ${most}`);
  });
});

/** Runs `test` with a fresh snapshot folder and the store of the root "/project" in it, then removes the folder. */
async function inSnapshotDir(test: (dir: string, snapshot: SnapshotStore) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "aiwarden-facts-store-"));
  try {
    await test(dir, fileSnapshotStore(dir, "/project"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("the facts snapshot of a root", () => {
  it("answers a second run from one file while fresh, and offline at any age, with the same facts", async () => {
    await inSnapshotDir(async (dir, snapshot) => {
      const packages = [npm("openai", "6.21.0"), npm("crossenv", "6.1.1"), { ecosystem: "pypi" as const, name: "requests", version: "2.32.0" }];
      const answers = new Map([...answersFrom("npmjs"), ...answersFrom("pypi-now")]);
      const first = recordedClient(answers);
      const cold = await loadRegistryFacts(packages, { http: first, registries: DEFAULT_REGISTRY_CONFIG, snapshot, now: NOW });
      assert.equal(cold.stats.fromStore, 0);
      assert.deepEqual((await readdir(dir)).length, 1, "one file for the root");
      const second = recordedClient(answers);
      const warm = await loadRegistryFacts(packages, { http: second, registries: DEFAULT_REGISTRY_CONFIG, snapshot, now: NOW });
      assert.equal(warm.stats.fromStore, 3);
      assert.deepEqual(second.requests, ["GET /-/npm/v1/keys"]);
      assert.deepEqual(warm.facts, cold.facts);
      const offline = await loadRegistryFacts(packages, { http: recordedClient(answers, { offline: true }), registries: DEFAULT_REGISTRY_CONFIG, snapshot, now: NOW });
      assert.equal(offline.stats.fromStore, 3);
      assert.deepEqual(offline.facts, cold.facts);
      // Another root has a file of its own.
      const other = await loadRegistryFacts(packages, { http: recordedClient(answers), registries: DEFAULT_REGISTRY_CONFIG, snapshot: fileSnapshotStore(dir, "/other"), now: NOW });
      assert.equal(other.stats.fromStore, 0);
    });
  });

  it("asks again for a package whose newly locked version it holds no hashes for; offline, keeps its history", async () => {
    await inSnapshotDir(async (dir, snapshot) => {
      const answers = answersFrom("npmjs");
      await loadRegistryFacts([npm("openai", "6.21.0"), npm("crossenv", "6.1.1")], { http: recordedClient(answers), registries: DEFAULT_REGISTRY_CONFIG, snapshot, now: NOW });
      const bumped = [npm("openai", "6.20.0"), npm("crossenv", "6.1.1")];
      const client = recordedClient(answers);
      const online = await loadRegistryFacts(bumped, { http: client, registries: DEFAULT_REGISTRY_CONFIG, snapshot, now: NOW });
      assert.deepEqual(client.requests.sort(), ["GET /-/npm/v1/keys", "GET /openai"]);
      assert.equal(online.stats.fromStore, 1);
      assert.ok(online.facts.packages.get("npm:openai")?.versions.get("6.20.0")?.integrity, "the newly locked version has its hashes");
      // The snapshot now holds 6.20.0; offline, a version locked since keeps its history but has no hashes.
      const offline = await loadRegistryFacts([npm("openai", "6.19.0")], { http: recordedClient(answers, { offline: true }), registries: DEFAULT_REGISTRY_CONFIG, snapshot, now: NOW });
      const version = offline.facts.packages.get("npm:openai")?.versions.get("6.19.0");
      assert.ok(version?.published);
      assert.equal(version?.integrity, undefined);
      assert.deepEqual(offline.notices, []);
    });
  });

  it("ignores a damaged file", async () => {
    await inSnapshotDir(async (dir, snapshot) => {
      await loadRegistryFacts([npm("openai", "6.21.0")], { http: recordedClient(answersFrom("npmjs")), registries: DEFAULT_REGISTRY_CONFIG, snapshot, now: NOW });
      const [file] = await readdir(dir);
      const path = join(dir, file as string);
      const doc = JSON.parse(await readFile(path, "utf8")) as { packages: Record<string, { facts: { versions: unknown } }> };
      for (const entry of Object.values(doc.packages)) entry.facts.versions = "broken";
      await writeFile(path, JSON.stringify(doc));
      assert.equal((await snapshot.read()).size, 0);
      await writeFile(path, "{not json");
      assert.equal((await snapshot.read()).size, 0);
      const again = await loadRegistryFacts([npm("openai", "6.21.0")], { http: recordedClient(answersFrom("npmjs")), registries: DEFAULT_REGISTRY_CONFIG, snapshot, now: NOW });
      assert.equal(again.stats.fetched, 1);
      assert.equal((await snapshot.read()).size, 1, "rewritten whole");
    });
  });
});
