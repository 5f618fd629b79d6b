// The rule registry is complete and every rule is documented and tested (STYLE.md §6).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../testing/fixtures.js";
import { rules } from "./index.js";
import { SEVERITIES } from "./rule.js";

const rulesDir = join(repoRoot, "src", "rules");
/** Files in src/rules that are the framework, not rules. */
const FRAMEWORK = new Set(["rule.ts", "engine.ts", "index.ts", "secret-rules.ts"]);

test("every rule file is registered, exports one rule, and has a test beside it", async () => {
  const files = readdirSync(rulesDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !FRAMEWORK.has(f));
  const registered = new Set(rules);
  for (const file of files) {
    const module = (await import(`./${file.replace(/\.ts$/, ".js")}`)) as Record<string, unknown>;
    const exported = Object.values(module).filter((v) => rules.includes(v as never));
    assert.equal(exported.length, 1, `${file} exports exactly one registered rule`);
    registered.delete(exported[0] as never);
    assert.ok(existsSync(join(rulesDir, file.replace(/\.ts$/, ".test.ts"))), `${file} has a test`);
  }
  assert.deepEqual([...registered].map((r) => r.id), [], "every registered rule lives in its own file");
});

test("rule ids are unique, well-formed and documented", () => {
  const ids = rules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, "unique ids");
  for (const rule of rules) {
    assert.match(rule.id, /^AIW-[A-Z]+-\d{3}$/);
    assert.ok(SEVERITIES.includes(rule.severity), rule.id);
    assert.ok(rule.title.length > 5 && !rule.title.endsWith("."), `${rule.id} title`);
    for (const part of ["what", "why", "fix"] as const) assert.ok(rule.docs[part].length > 20, `${rule.id} docs.${part}`);
    for (const ref of rule.docs.references ?? []) assert.match(ref, /^https:\/\//, `${rule.id} reference`);
  }
});

test("the credential rules `aiwarden secrets` loads alone are exactly the AIW-SECRET rules, in the registry's order", async () => {
  const { secretRules } = await import("./secret-rules.js");
  assert.deepEqual(secretRules.map((r) => r.id), rules.filter((r) => r.id.startsWith("AIW-SECRET-")).map((r) => r.id));
});
