import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG } from "../config/config.js";
import { loadKeyRegistry, parseKeyRegistry } from "./key-registry.js";

const key = { fingerprint: "0123456789abcdef", provider: "OpenAI", service: "api", environment: "production", created: "2026-05-01" };

test("aiwarden.keys.json and the configuration's keys section merge; no registry at all is undefined", async () => {
  const root = mkdtempSync(join(tmpdir(), "aiwarden-keys-"));
  assert.equal(await loadKeyRegistry(root, DEFAULT_CONFIG), undefined);
  writeFileSync(join(root, "aiwarden.keys.json"), JSON.stringify({ maxAgeDays: 30, keys: [key] }));
  const registry = await loadKeyRegistry(root, { ...DEFAULT_CONFIG, keys: { registry: [{ ...key, fingerprint: "fedcba9876543210" }] } });
  assert.equal(registry?.maxAgeDays, 30);
  assert.deepEqual(registry?.keys.map((k) => k.fingerprint), ["0123456789abcdef", "fedcba9876543210"]);
});

test("a broken registry names the file and the problem", () => {
  assert.throws(() => parseKeyRegistry("{", "aiwarden.keys.json"), /^Error: aiwarden\.keys\.json: invalid JSON/);
  assert.throws(() => parseKeyRegistry(JSON.stringify({ keys: [{ ...key, created: "May 2026" }] }), "k.json"), /k\.json: \/keys\/0\/created: must match pattern/);
  assert.throws(() => parseKeyRegistry(JSON.stringify({ keys: [{ provider: "x", service: "s", environment: "e", created: "2026-01-01" }] }), "k.json"), /k\.json: \/keys\/0: must have required property 'fingerprint'/);
});
