import { test } from "node:test";
import assert from "node:assert/strict";
import type { Rule } from "../rules/rule.js";
import type { FileResult, ScanResult } from "../scan/result.js";
import { readFixture } from "../testing/fixtures.js";
import { coverageNote, findingsSummary, printable, renderFindingsText } from "./findings-text.js";
import { createStyle } from "./style.js";

const rules: Rule[] = (JSON.parse(readFixture(import.meta.url, "sample-rules.json")) as Omit<Rule, "check">[]).map((r) => ({ ...r, check: () => [] }));
const sample = JSON.parse(readFixture(import.meta.url, "sample-result.json")) as ScanResult;
const plain = { style: createStyle(false) };

function withFiles(files: FileResult[], findings = sample.findings): ScanResult {
  return { ...sample, findings, files };
}

test("findings come most severe first, each with label, rule, location, message, first chain, fix and fingerprint", () => {
  const text = renderFindingsText(sample, rules, plain);
  const order = ["AIW-TEST-001", "AIW-TEST-002", "AIW-TEST-003", "AIW-TEST-004"].map((id) => text.indexOf(id));
  assert.deepEqual([...order].sort((a, b) => a - b), order, "critical, high, medium, low");
  assert.ok(order.every((i) => i >= 0));
  assert.ok(text.includes("\nCRITICAL  AIW-TEST-001  Known-compromised package version\n") || text.startsWith("CRITICAL  AIW-TEST-001  Known-compromised package version\n"));
  assert.match(text, /^ {10}worker\/uv\.lock:42 {2}litellm 1\.82\.7$/m);
  assert.match(text, /^ {10}litellm 1\.82\.7 is a known-compromised release \(MAL-2026-0001\)\.$/m);
  assert.match(text, /^ {10}via root › crewai › litellm$/m);
  assert.doesNotMatch(text, /root › dspy › litellm/, "only the first chain without --verbose");
  assert.match(text, /^ {10}\(\+1 more chain; --verbose lists them\)$/m);
  assert.match(text, /^ {10}fix: Lock litellm to 1\.82\.6/m);
  assert.match(text, /^ {10}fingerprint 11111111cccccccc$/m);
  assert.ok(text.includes("\nMEDIUM    AIW-TEST-003  Dependency declared without a lockfile\n          api/package.json\n"), "no line, no package");
  assert.match(text, /^4 findings: 1 critical, 1 high, 1 medium, 1 low\. Not covered: 2 files could not be read \(1 failed, 1 unsupported\); 1 file was read only in part\.$/m);
});

test("verbose adds every chain, the purl, the rule's why and the files that were not read", () => {
  const text = renderFindingsText(sample, rules, { ...plain, verbose: true });
  assert.match(text, /via root › crewai › litellm\n {10}via root › dspy › litellm\n/);
  assert.doesNotMatch(text, /more chain/);
  assert.match(text, /pkg:pypi\/litellm@1\.82\.7/);
  assert.match(text, /why: The poisoned litellm releases of March 2026/);
  assert.ok(text.includes("\n  failed  legacy/Pipfile.lock: invalid JSON at line 3\n"));
  assert.ok(text.includes("\n  unsupported  tools/bun.lockb: "));
  assert.doesNotMatch(renderFindingsText(sample, rules, plain), /legacy\/Pipfile\.lock/);
});

test("never says 'no findings' about files it could not read", () => {
  const table: Array<[string, FileResult[], string]> = [
    ["all read", [{ path: "uv.lock", status: "ok" }], "No findings."],
    ["nothing read", [], "No findings: no files were read."],
    ["one failed", [{ path: "uv.lock", status: "ok" }, { path: "x.lock", status: "failed", reason: "r" }], "No findings in the files read; 1 file could not be read (1 failed)."],
    ["unsupported", [{ path: "bun.lockb", status: "unsupported" }, { path: "pdm.lock", status: "unsupported" }], "No findings in the files read; 2 files could not be read (2 unsupported)."],
    ["partial", [{ path: "package-lock.json", status: "partial", reason: "r" }], "No findings in the files read; 1 file was read only in part."],
  ];
  for (const [name, files, expected] of table) {
    const result = withFiles(files, []);
    assert.equal(findingsSummary(result), expected, name);
    const text = renderFindingsText(result, rules, plain);
    assert.equal(text.split("\n")[0], expected, name);
    if (files.some((f) => f.status !== "ok") || files.length === 0) assert.doesNotMatch(text, /^No findings\.$/m, name);
  }
  assert.equal(coverageNote([{ path: "a", status: "ok" }]), undefined);
});

test("text from scanned files cannot drive the terminal; further lines stay indented", () => {
  const text = renderFindingsText(sample, rules, plain);
  assert.match(text, /<\/script>\n {10}second line\.\n/);
  assert.equal(printable("a\u001b[2Jb\tc\r\nd\u009bx", "  "), "a\uFFFD[2Jb c\n  d\uFFFDx");
  const hostile = { ...sample, findings: [{ ...sample.findings[0]!, message: "pwned\u001b]0;title\u0007" }] };
  const rendered = renderFindingsText(hostile, rules, plain);
  assert.ok(rendered.includes("pwned\uFFFD]0;title\uFFFD") && !rendered.includes("\u001b") && !rendered.includes("\u0007"));
});

test("colour: labels by severity when on, plain text when off", () => {
  const coloured = renderFindingsText(sample, rules, { style: createStyle(true) });
  const esc = "\u001b";
  assert.ok(coloured.includes(`${esc}[1m${esc}[31mCRITICAL`), "critical: bold red");
  assert.ok(coloured.includes(`${esc}[33mMEDIUM`), "medium: yellow");
  assert.ok(coloured.includes(`${esc}[2mfingerprint 11111111cccccccc${esc}[22m`), "fingerprint dim");
  assert.ok(!renderFindingsText(sample, rules, plain).includes(esc));
});

test("a finding of a rule missing from the list still renders; input order does not matter", () => {
  assert.match(renderFindingsText(sample, [], { ...plain, verbose: true }), /AIW-TEST-001 {2}Known-compromised package version/);
  const reversed = { ...sample, findings: [...sample.findings].reverse() };
  assert.equal(renderFindingsText(reversed, rules, plain), renderFindingsText(sample, rules, plain));
});
