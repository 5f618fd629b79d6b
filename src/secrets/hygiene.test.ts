import { test } from "node:test";
import assert from "node:assert/strict";
import { buildInventory, daysBetween, environmentOf, rotationPlan, serviceOf } from "./hygiene.js";
import type { KeyOccurrence } from "./hygiene.js";

test("environment from file names and folders, overridable", () => {
  const table: Array<[string, string | undefined]> = [
    [".env.production", "production"],
    [".env.prod", "production"],
    ["services/api/.env.staging", "staging"],
    ["k8s/overlays/staging/deployment.yaml", "staging"],
    ["config/production.yml", "production"],
    ["helm/values-prod.yaml", "production"],
    [".env.development", "development"],
    [".env.local", "local"],
    [".env", undefined],
    ["src/app.py", undefined],
    ["docs/product.md", undefined],
  ];
  for (const [path, env] of table) assert.equal(environmentOf(path), env, path);
  assert.equal(environmentOf("deploy/eu/app.env", { environments: { "deploy/eu/**": "production-eu" } }), "production-eu");
});

test("service from the folder layout, overridable", () => {
  assert.equal(serviceOf("services/api/.env.production"), "services/api");
  assert.equal(serviceOf("apps/web/config/staging.yml"), "apps/web");
  assert.equal(serviceOf("worker/.env"), "worker");
  assert.equal(serviceOf("k8s/overlays/staging/deployment.yaml"), ".");
  assert.equal(serviceOf(".env"), ".");
  assert.equal(serviceOf("infra/main.tf", { services: { "infra/**": "platform" } }), "platform");
});

const occurrence = (fingerprint: string, path: string, extra: Partial<KeyOccurrence> = {}): KeyOccurrence => ({
  fingerprint, redacted: "sk-proj-…", provider: "OpenAI", detector: "openai-api-key", path, line: 1, ...extra,
});

test("the inventory groups a key's places, environments, services and variables", () => {
  const inventory = buildInventory([
    occurrence("aaaa", "services/api/.env.production", { variable: "OPENAI_API_KEY" }),
    occurrence("aaaa", "services/api/.env.staging", { line: 3, variable: "OPENAI_API_KEY" }),
    occurrence("aaaa", "services/worker/.env.production", { variable: "LLM_KEY" }),
    occurrence("bbbb", "old/.env", { historyOnly: true, provider: "Anthropic" }),
  ]);
  assert.deepEqual(inventory.map((k) => [k.provider, k.fingerprint, k.environments, k.services, k.variables]), [
    ["Anthropic", "bbbb", [], [], []],
    ["OpenAI", "aaaa", ["production", "staging"], ["services/api", "services/worker"], ["LLM_KEY", "OPENAI_API_KEY"]],
  ]);
  assert.deepEqual(inventory[0]?.locations, [{ path: "old/.env", line: 1, historyOnly: true }]);
});

test("the rotation plan puts exposed and shared keys first and names what each feeds", () => {
  const inventory = buildInventory([
    occurrence("aaaa", "services/api/.env.production", { variable: "OPENAI_API_KEY" }),
    occurrence("aaaa", "services/api/.env.staging", { variable: "OPENAI_API_KEY" }),
    occurrence("cccc", "services/batch/.env.development"),
    occurrence("dddd", "old/.env", { historyOnly: true }),
  ]);
  const registry = { file: "aiwarden.keys.json", maxAgeDays: 90, keys: [{ fingerprint: "cccc", provider: "OpenAI", service: "services/batch", environment: "development", created: "2026-01-01", variables: ["OPENAI_API_KEY"] }] };
  const plan = rotationPlan(inventory, registry, "2026-11-22");
  const steps = plan.get("OpenAI") ?? [];
  assert.deepEqual(steps.map((s) => s.fingerprint), ["aaaa", "dddd", "cccc"]);
  assert.ok(steps[0]?.reasons.includes("shared by 2 environments"));
  assert.ok(steps[0]?.reasons.includes("not in the key registry"));
  assert.equal(steps[2]?.ageDays, 325);
  assert.ok(steps[2]?.reasons.some((r) => r.startsWith("325 days old")));
  assert.equal(daysBetween("2026-11-01", "2026-11-22"), 21);
});
