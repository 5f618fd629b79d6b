// Opt-in: gathers registry facts for a real lockfile from the real npm registry and checks every locked version's
// registry signature. Skipped unless AIWARDEN_LIVE_TESTS=1 (CI stays offline). Uses a throw-away cache folder.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { contextFor } from "../../testing/context.js";
import { realworldPath } from "../../testing/fixtures.js";
import { createHttpClient } from "../http/client.js";
import { DEFAULT_REGISTRY_CONFIG } from "./config.js";
import { loadRegistryFacts, lockedPackagesOf } from "./facts.js";
import type { SignatureStatus } from "./types.js";

const LIVE = process.env.AIWARDEN_LIVE_TESTS === "1";

describe("registry facts from the live npm registry", { skip: LIVE ? false : "set AIWARDEN_LIVE_TESTS=1 to run against registry.npmjs.org" }, () => {
  it("verifies the registry signature of every locked version of a real lockfile that the registry serves", async (t) => {
    const cacheDir = await mkdtemp(join(tmpdir(), "aiwarden-registry-live-"));
    const client = createHttpClient({ cacheDir, env: process.env });
    try {
      const context = await contextFor(realworldPath("e2b-dev__fragments"));
      const locked = lockedPackagesOf(context.projects.map((p) => p.graph));
      const started = performance.now();
      const { facts, notices, stats } = await loadRegistryFacts(locked, { http: client, registries: DEFAULT_REGISTRY_CONFIG });
      t.diagnostic(`${stats.packages} packages in ${Math.round(performance.now() - started)} ms, ${stats.fetched} fetched, ${stats.failed} failed; notices: ${JSON.stringify(notices)}`);
      assert.ok(facts.packages.size >= stats.packages * 0.95, `facts for ${facts.packages.size} of ${stats.packages} packages`);
      const statuses = new Map<SignatureStatus, string[]>();
      let signsAll = false;
      for (const { ecosystem, name, version } of locked) {
        const pkg = facts.packages.get(`${ecosystem}:${name}`);
        signsAll ||= pkg?.signsAll ?? false;
        const status = pkg?.versions.get(version)?.signature?.status;
        if (!status) continue;
        statuses.set(status, [...(statuses.get(status) ?? []), `${name}@${version}`]);
      }
      t.diagnostic(`signature statuses: ${JSON.stringify(Object.fromEntries([...statuses].map(([s, list]) => [s, list.length])))}`);
      for (const bad of ["invalid", "unknown-key", "expired-key"] as const) assert.deepEqual(statuses.get(bad) ?? [], [], bad);
      if (signsAll) {
        // The public registry signs every version: each one must verify.
        assert.deepEqual(statuses.get("missing") ?? [], []);
        assert.ok((statuses.get("verified")?.length ?? 0) > 0);
      } else {
        t.diagnostic("this registry publishes no signing keys (/-/npm/v1/keys is 404): signatures could not be checked");
      }
    } finally {
      client.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
