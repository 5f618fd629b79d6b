import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rules as registered } from "../rules/index.js";
import type { Rule } from "../rules/rule.js";
import { SEVERITIES } from "../rules/rule.js";
import { readFixture, repoRoot } from "../testing/fixtures.js";
import { RULES_DOC_PATH, SEVERITY_DOCS, renderRuleDocs, ruleAnchor, ruleDocUrl, ruleHelpMarkdown, ruleHelpText } from "./rule-docs.js";

const rules: Rule[] = (JSON.parse(readFixture(import.meta.url, "sample-rules.json")) as Omit<Rule, "check">[]).map((r) => ({ ...r, check: () => [] }));

test("docs/rules.md is generated from the registered rules", () => {
  const committed = readFileSync(join(repoRoot, ...RULES_DOC_PATH.split("/")), "utf8");
  assert.ok(committed === renderRuleDocs(registered), `${RULES_DOC_PATH} is out of date with src/rules: run npm run docs`);
});

test("one section per rule with a stable anchor, default severity, what, why, fix and references", () => {
  const page = renderRuleDocs(rules);
  for (const rule of rules) {
    assert.match(page, new RegExp(`<a id="${ruleAnchor(rule.id)}"></a>\\n\\n### ${rule.id}: ${rule.title}\\n\\nDefault severity: \\*\\*${rule.severity}\\*\\*\\n`));
    assert.match(page, new RegExp(`\\| \\[${rule.id}\\]\\(#${rule.id.toLowerCase()}\\) \\| ${rule.title} \\| ${rule.severity} \\|`), "index row");
    for (const part of [rule.docs.what, rule.docs.why, rule.docs.fix]) assert.ok(page.includes(part), `${rule.id}: ${part}`);
  }
  assert.match(page, /\*\*References\*\*\n\n- <https:\/\/osv\.dev\/list\?q=litellm>\n- <https:\/\/docs\.litellm\.ai\/>/);
  assert.equal(page.match(/\*\*References\*\*/g)?.length, 1, "only rules with references get the heading");
  assert.ok(page.indexOf("AIW-TEST-001:") < page.indexOf("AIW-TEST-002:"), "registry order");
});

test("the introduction covers severities, blast radius, fingerprints, ignores and exit codes", () => {
  const page = renderRuleDocs([]);
  assert.match(page, /^# aiwarden rules\n/);
  for (const severity of SEVERITIES) assert.match(page, new RegExp(`^\\| ${severity} \\| .+ \\| ${SEVERITY_DOCS[severity].sarifLevel} \\| ${SEVERITY_DOCS[severity].securitySeverity.replace(".", "\\.")} \\|$`, "m"));
  for (const heading of ["## Severities", "## Blast radius", "## Fingerprints and ignores", "## Exit codes", "## Rules"]) assert.ok(page.includes(`\n${heading}\n`), heading);
  assert.match(page, /expires: \d{4}-\d{2}-\d{2}/);
  assert.match(page, /AIW-CONFIG-001/);
  for (const code of [0, 1, 2, 3]) assert.match(page, new RegExp(`^\\| ${code} \\| `, "m"));
  assert.match(page, /No rules are registered yet\.\n$/);
});

test("GitHub's security-severity bands: critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low and info 0.1–3.9", () => {
  const bands: Record<string, [number, number]> = { critical: [9, 10], high: [7, 8.9], medium: [4, 6.9], low: [0.1, 3.9], info: [0.1, 3.9] };
  for (const severity of SEVERITIES) {
    const score = Number(SEVERITY_DOCS[severity].securitySeverity);
    const [low, high] = bands[severity] ?? [0, 0];
    assert.ok(score >= low && score <= high, `${severity}: ${score}`);
  }
});

test("help text and markdown carry the same docs; urls point at the anchor", () => {
  const [rule] = rules;
  assert.ok(rule);
  assert.equal(ruleHelpText(rule), [
    `What it detects:\n${rule.docs.what}`,
    `Why it matters:\n${rule.docs.why}`,
    `How to fix:\n${rule.docs.fix}`,
    "References:\n- https://osv.dev/list?q=litellm\n- https://docs.litellm.ai/",
  ].join("\n\n"));
  assert.match(ruleHelpMarkdown(rule), /^\*\*What it detects\*\*\n\nA locked version/);
  assert.equal(ruleDocUrl("AIW-LOCK-001", "https://x.test/rules.md"), "https://x.test/rules.md#aiw-lock-001");
});
