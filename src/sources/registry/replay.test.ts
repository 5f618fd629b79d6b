// End to end through the real HTTP client and the local replay server: the same recordings the in-memory tests use,
// served over HTTP, cached on disk, then read again offline from the cache.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runRules } from "../../rules/engine.js";
import { hashMismatch } from "../../rules/hash-mismatch.js";
import { removedRelease } from "../../rules/removed-release.js";
import { contextFor } from "../../testing/context.js";
import { repoRoot } from "../../testing/fixtures.js";
import { startReplayServer } from "../../testing/replay-server.js";
import { createHttpClient } from "../http/client.js";
import { registryConfigFrom } from "./config.js";
import { loadRegistryFacts, lockedPackagesOf } from "./facts.js";
import { recordingsDir } from "../../testing/registry.js";

const rulesFixture = (name: string) => join(repoRoot, "src", "rules", "fixtures", "registry", name);

describe("registry facts through the replay server", () => {
  it("finds the tampered integrity and the removed versions over HTTP, then again offline from the cache", async () => {
    const server = await startReplayServer(recordingsDir("npmjs"));
    const cacheDir = await mkdtemp(join(tmpdir(), "aiwarden-registry-replay-"));
    try {
      // The lockfiles resolve from registry.npmjs.org; npm rewrites those URLs to the configured registry, and so do we.
      const { config } = registryConfigFrom({ env: { npm_config_registry: server.url } });
      for (const offline of [false, true]) {
        const client = createHttpClient({ cacheDir, env: {}, retries: 0, offline });
        try {
          for (const [folder, rule, expected] of [["npm-tampered", hashMismatch, ["is-number:critical"]], ["npm-removed", removedRelease, ["@ctrl/tinycolor:high", "crossenv:critical", "flatmap-stream:high"]]] as const) {
            const context = await contextFor(rulesFixture(folder));
            const { facts, notices } = await loadRegistryFacts(lockedPackagesOf(context.projects.map((p) => p.graph)), { http: client, registries: config, now: new Date("2026-11-22T04:00:00Z") });
            assert.deepEqual(notices, [], `${folder} offline=${offline}`);
            (context.facts as { registry?: unknown }).registry = facts;
            const found = runRules([rule], context).findings.map((f) => `${f.package?.name}:${f.severity}`).sort();
            assert.deepEqual(found, [...expected], `${folder} offline=${offline}`);
          }
        } finally {
          client.close();
        }
      }
      const requests = server.requests.filter((r) => r.matched).map((r) => `${r.method} ${r.path}`);
      // Online: one packument per package plus the keys once per run; offline: nothing reaches the server.
      assert.deepEqual([...new Set(requests)].sort(), ["GET /-/npm/v1/keys", "GET /@anthropic-ai%2fsdk", "GET /@ctrl%2ftinycolor", "GET /crossenv", "GET /flatmap-stream", "GET /is-number", "GET /openai"]);
      assert.ok(server.requests.every((r) => r.headers.accept === "application/json"), "full packuments are asked for");
    } finally {
      await server.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
