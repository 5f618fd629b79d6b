import { test } from "node:test";
import assert from "node:assert/strict";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { fingerprint, runRules } from "./engine.js";
import { expiredIgnore } from "./expired-ignore.js";
import type { Rule } from "./rule.js";

const folder = fixturePath(import.meta.url, "engine");

/** A rule reporting every direct dependency, to exercise the engine. */
const everyPackage: Rule = {
  id: "AIW-TEST-001",
  title: "Every package",
  severity: "low",
  docs: { what: "w", why: "y", fix: "f" },
  check(context) {
    return context.projects.flatMap((project) => project.graph.packages().map((node) => ({
      severity: project.blastRadius(node) === "ai" ? "high" as const : "low" as const,
      message: `${node.name} is here`,
      fix: "nothing",
      file: project.files[0] as string,
      project: project.path,
      package: { ecosystem: project.ecosystem, name: node.name, version: node.version, id: node.id },
      key: [project.path, `${node.name}@${node.version}`],
    })));
  },
};

test("drafts become findings with title, paths, stable fingerprints, most severe first", async () => {
  const run = runRules([everyPackage], await contextFor(folder));
  assert.deepEqual(run.findings.map((f) => [f.severity, f.package?.name]), [["high", "openai"], ["low", "left-pad"]]);
  const openai = run.findings[0];
  assert.equal(openai?.title, "Every package");
  assert.deepEqual(openai?.paths, [["root", "openai"]]);
  assert.equal(openai?.package?.purl, "pkg:npm/openai@4.0.0");
  assert.equal(openai?.fingerprint, fingerprint("AIW-TEST-001", [".", "openai@4.0.0"]));
  assert.match(openai?.fingerprint ?? "", /^[0-9a-f]{16}$/);
});

test("configuration: severity overrides, rules turned off", async () => {
  const raised = runRules([everyPackage], await contextFor(folder, { config: { rules: { "AIW-TEST-001": "critical" } } }));
  assert.deepEqual(raised.findings.map((f) => f.severity), ["critical", "critical"]);
  const off = runRules([everyPackage], await contextFor(folder, { config: { rules: { "AIW-TEST-001": "off" } } }));
  assert.deepEqual(off.findings, []);
});

test("ignores by fingerprint or rule + package suppress until they expire; then the finding and the stale entry show", async () => {
  const fp = fingerprint("AIW-TEST-001", [".", "left-pad@1.3.0"]);
  const ignore = [
    { fingerprint: fp, reason: "vendored, reviewed", expires: "2026-12-31" },
    { rule: "AIW-TEST-001", package: "openai@4.0.0", reason: "accepted for the pilot", expires: "2026-11-01", line: 7 },
  ];
  const run = runRules([everyPackage, expiredIgnore], await contextFor(folder, { config: { ignore, file: ".aiwarden.yml" }, today: "2026-11-22" }));
  assert.deepEqual(run.suppressed.map((s) => [s.finding.package?.name, s.reason]), [["left-pad", "vendored, reviewed"]]);
  assert.deepEqual(run.findings.map((f) => f.ruleId).sort(), ["AIW-CONFIG-001", "AIW-TEST-001"]);
  const stale = run.findings.find((f) => f.ruleId === "AIW-CONFIG-001");
  assert.equal(stale?.file, ".aiwarden.yml");
  assert.equal(stale?.line, 7);
  assert.match(stale?.message ?? "", /AIW-TEST-001 for openai@4\.0\.0 expired on 2026-11-01/);
  const before = runRules([everyPackage, expiredIgnore], await contextFor(folder, { config: { ignore }, today: "2026-10-31" }));
  assert.deepEqual(before.findings, [], "both ignores apply before their dates; nothing is stale");
});

test("a rule that throws is reported and the others still run", async () => {
  const broken: Rule = { ...everyPackage, id: "AIW-TEST-002", check: () => { throw new Error("boom\nstack"); } };
  const run = runRules([broken, everyPackage], await contextFor(folder));
  assert.deepEqual(run.errors, [{ ruleId: "AIW-TEST-002", message: "boom" }]);
  assert.equal(run.findings.length, 2);
});

test("an ignore by credential fingerprint accepts every finding about that key (or only one rule's), not other keys", async () => {
  const credentialRule = (id: string): Rule => ({
    id, title: "Key", severity: "high", docs: { what: "w", why: "y", fix: "f" },
    check: () => ["0123456789abcdef", "fedcba9876543210"].map((key) => ({ severity: "high" as const, message: "m", fix: "f", file: ".env", key: [id, key], secret: { fingerprint: key } })),
  });
  const rules = [credentialRule("AIW-SECRET-101"), credentialRule("AIW-SECRET-102")];
  const everywhere = runRules(rules, await contextFor(folder, { config: { ignore: [{ secret: "0123456789abcdef", reason: "test key of the sandbox account", expires: "2027-01-31" }] }, today: "2026-11-22" }));
  assert.deepEqual(everywhere.findings.map((f) => `${f.ruleId} ${f.secret?.fingerprint}`).sort(), ["AIW-SECRET-101 fedcba9876543210", "AIW-SECRET-102 fedcba9876543210"]);
  assert.equal(everywhere.suppressed.length, 2);
  const oneRule = runRules(rules, await contextFor(folder, { config: { ignore: [{ secret: "0123456789abcdef", rule: "AIW-SECRET-102", reason: "shared on purpose", expires: "2027-01-31" }] }, today: "2026-11-22" }));
  assert.deepEqual(oneRule.suppressed.map((s) => s.finding.ruleId), ["AIW-SECRET-102"]);
});
