import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import AjvDraft04 from "ajv-draft-04";
import type { Finding, Rule } from "../rules/rule.js";
import type { ScanResult } from "../scan/result.js";
import { fixturePath, readFixture } from "../testing/fixtures.js";
import { FINGERPRINT_KEY, SRCROOT, artifactLocation, renderSarif, sarifLog } from "./sarif.js";

const rules: Rule[] = (JSON.parse(readFixture(import.meta.url, "sample-rules.json")) as Omit<Rule, "check">[]).map((r) => ({ ...r, check: () => [] }));
const sample = JSON.parse(readFixture(import.meta.url, "sample-result.json")) as ScanResult;

/** The official OASIS SARIF 2.1.0 schema (draft-04), see fixtures/README.md. */
const validate = (() => {
  // ajv-draft-04 is CommonJS: under NodeNext the default import is the module object, its `default` the class.
  type AjvClass = typeof AjvDraft04.default;
  const Ajv = ((AjvDraft04 as unknown as { default?: AjvClass }).default ?? AjvDraft04) as unknown as AjvClass;
  // unicodeRegExp off: the published schema's `language` pattern ends in a stray `]?`, valid only without the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  // The schema uses three formats; these check them as RFC 3986 / RFC 3339 define them, closely enough for output we write.
  ajv.addFormat("uri", (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URL.canParse(s));
  ajv.addFormat("uri-reference", (s: string) => !/[\s\\"<>^`{|}]/.test(s) && URL.canParse(s, "https://base.invalid/"));
  ajv.addFormat("date-time", (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s));
  return ajv.compile(JSON.parse(readFixture(import.meta.url, "sarif-schema-2.1.0.json")) as object);
})();

function assertValid(text: string): void {
  const ok = validate(JSON.parse(text));
  assert.ok(ok, `SARIF schema errors: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
}

function finding(extra: Partial<Finding>): Finding {
  return { ruleId: "AIW-TEST-003", severity: "medium", title: "T", message: "m", file: "a.txt", paths: [], fingerprint: "0000000000000000", fix: "f", ...extra };
}

function result(findings: Finding[], files: ScanResult["files"] = [{ path: "a.txt", status: "ok" }]): ScanResult {
  return { ...sample, findings, files };
}

test("the sample renders to the golden file and validates against the official SARIF 2.1.0 schema", () => {
  const text = renderSarif(sample, rules);
  assertValid(text);
  const golden = fixturePath(import.meta.url, "sample.sarif.json");
  if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
  assert.equal(text, readFileSync(golden, "utf8"), "golden file differs (UPDATE_GOLDEN=1 rewrites it after review)");
});

test("the schema check itself rejects a broken log (the validation can fail)", () => {
  const log = sarifLog(sample, rules) as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
  delete log.runs[0]?.results[0]?.message;
  assert.equal(validate(log), false);
});

test("every rule is described, with docs, help link, level and GitHub security severity", () => {
  const driver = sarifLog(sample, rules).runs[0]?.tool.driver;
  assert.ok(driver);
  assert.equal(driver.name, "aiwarden");
  assert.equal(driver.version, "0.0.0-test");
  assert.deepEqual(driver.rules.map((r) => r.id), rules.map((r) => r.id), "all rules, also those without findings, in order");
  const [first] = driver.rules;
  assert.equal(first?.name, "KnownCompromisedPackageVersion");
  assert.equal(first?.shortDescription.text, "Known-compromised package version");
  assert.match(first?.fullDescription?.text ?? "", /blocklist lists as malicious/);
  assert.match(first?.help?.text ?? "", /Why it matters:\nThe poisoned litellm/);
  assert.match(first?.help?.markdown ?? "", /\*\*References\*\*\n\n- <https:\/\/osv\.dev\/list\?q=litellm>/);
  assert.equal(first?.helpUri, "https://github.com/aiwarden/aiwarden/blob/main/docs/rules.md#aiw-test-001");
  const bySeverity = driver.rules.map((r) => [r.id, r.defaultConfiguration.level, r.properties["security-severity"]]);
  assert.deepEqual(bySeverity, [
    ["AIW-TEST-001", "error", "9.5"],
    ["AIW-TEST-002", "error", "8.0"],
    ["AIW-TEST-003", "warning", "5.5"],
    ["AIW-TEST-004", "note", "3.0"],
    ["AIW-TEST-005", "note", "1.0"],
  ]);
  assert.ok(driver.rules.every((r) => r.properties.tags.includes("security")));
  const custom = sarifLog(sample, rules, { toolUri: "https://example.com/aiwarden", rulesDocUrl: "https://example.com/rules.md" }).runs[0]?.tool.driver;
  assert.equal(custom?.informationUri, "https://example.com/aiwarden");
  assert.equal(custom?.rules[1]?.helpUri, "https://example.com/rules.md#aiw-test-002");
});

test("results: sorted by severity, ruleIndex points at the rule, level, fingerprint, location relative to %SRCROOT%", () => {
  const run = sarifLog(sample, rules).runs[0];
  assert.ok(run);
  assert.deepEqual(run.results.map((r) => [r.ruleId, r.level]), [["AIW-TEST-001", "error"], ["AIW-TEST-002", "error"], ["AIW-TEST-003", "warning"], ["AIW-TEST-004", "note"]]);
  for (const r of run.results) {
    assert.equal(run.tool.driver.rules[r.ruleIndex]?.id, r.ruleId, "ruleIndex");
    assert.equal(r.locations.length, 1, "every result has a physical location");
    const [location] = r.locations;
    assert.equal(location?.physicalLocation.artifactLocation.uriBaseId, SRCROOT);
    assert.ok((location?.physicalLocation.region.startLine ?? 0) >= 1);
  }
  const [critical, high, medium, low] = run.results;
  assert.deepEqual(critical?.partialFingerprints, { [FINGERPRINT_KEY]: "11111111cccccccc" });
  assert.deepEqual(critical?.locations[0]?.physicalLocation, { artifactLocation: { uri: "worker/uv.lock", uriBaseId: "%SRCROOT%" }, region: { startLine: 42 } });
  assert.match(critical?.message.text ?? "", /^litellm 1\.82\.7 is a known-compromised release \(MAL-2026-0001\)\. Pulled in by root › crewai › litellm\. Fix: Lock litellm to 1\.82\.6/);
  assert.deepEqual(critical?.properties.paths, ["root › crewai › litellm", "root › dspy › litellm"]);
  assert.equal(critical?.properties.package?.purl, "pkg:pypi/litellm@1.82.7");
  assert.equal(high?.properties.package, undefined);
  assert.equal(medium?.locations[0]?.physicalLocation.region.startLine, 1, "a finding without a line points at line 1");
  assert.equal(low?.locations[0]?.physicalLocation.artifactLocation.uri, "web%20app/package-lock.json");
});

test("files not read become notifications; a failed file makes the execution unsuccessful", () => {
  const invocation = sarifLog(sample, rules).runs[0]?.invocations[0];
  assert.equal(invocation?.executionSuccessful, false);
  assert.deepEqual(invocation?.toolExecutionNotifications?.map((n) => [n.level, n.message.text]), [
    ["warning", "web app/package-lock.json: partial: 2 entries without a version were skipped"],
    ["error", "legacy/Pipfile.lock: failed: invalid JSON at line 3"],
    ["warning", "tools/bun.lockb: unsupported: bun's binary lockfile is not read"],
  ]);
  const clean = sarifLog(result([]), rules).runs[0]?.invocations[0];
  assert.deepEqual(clean, { executionSuccessful: true });
  const unsupportedOnly = sarifLog(result([], [{ path: "bun.lockb", status: "unsupported", reason: "r" }]), rules).runs[0]?.invocations[0];
  assert.equal(unsupportedOnly?.executionSuccessful, true);
  assert.equal(unsupportedOnly?.toolExecutionNotifications?.length, 1);
});

test("an empty scan, a rule missing from the list, odd paths and lines all stay valid SARIF", () => {
  assertValid(renderSarif(result([]), []));
  const odd = result([
    finding({ ruleId: "AIW-OTHER-001", title: "Not in the rule list", severity: "high", file: "/home/u/.aiwarden.yml", line: 0 }),
    finding({ file: "dir #1/what?.txt", line: 7 }),
    finding({ file: "C:\\repo\\x:y.txt", fingerprint: "0000000000000001" }),
    finding({ file: "./lib/a b/ü.txt", fingerprint: "0000000000000002" }),
  ]);
  const text = renderSarif(odd, rules);
  assertValid(text);
  const run = sarifLog(odd, rules).runs[0];
  const other = run?.tool.driver.rules.at(-1);
  assert.equal(other?.id, "AIW-OTHER-001", "a finding of an unlisted rule gets a descriptor of its own");
  assert.equal(other?.shortDescription.text, "Not in the rule list");
  const result0 = run?.results.find((r) => r.ruleId === "AIW-OTHER-001");
  assert.equal(result0?.ruleIndex, rules.length);
  assert.equal(result0?.locations[0]?.physicalLocation.region.startLine, 1, "line 0 is not a SARIF line");
});

test("artifact locations: relative paths under %SRCROOT%, percent-encoded; absolute ones as file: URIs", () => {
  const table: Array<[string, ReturnType<typeof artifactLocation>]> = [
    ["worker/uv.lock", { uri: "worker/uv.lock", uriBaseId: "%SRCROOT%" }],
    ["./package.json", { uri: "package.json", uriBaseId: "%SRCROOT%" }],
    ["web app/node_modules/@scope/pkg/package.json", { uri: "web%20app/node_modules/@scope/pkg/package.json", uriBaseId: "%SRCROOT%" }],
    ["a#b/c?d.txt", { uri: "a%23b/c%3Fd.txt", uriBaseId: "%SRCROOT%" }],
    ["x:y/z", { uri: "x%3Ay/z", uriBaseId: "%SRCROOT%" }],
    ["sub\\dir\\f.txt", { uri: "sub/dir/f.txt", uriBaseId: "%SRCROOT%" }],
    ["100%.txt", { uri: "100%25.txt", uriBaseId: "%SRCROOT%" }],
    ["/etc/aiwarden.yml", { uri: "file:///etc/aiwarden.yml" }],
    ["C:\\cfg\\a b.yml", { uri: "file:///C:/cfg/a%20b.yml" }],
    ["bad\uD800name", { uri: "bad%EF%BF%BDname", uriBaseId: "%SRCROOT%" }],
  ];
  for (const [path, expected] of table) assert.deepEqual(artifactLocation(path), expected, path);
});

test("output does not depend on the order of the findings", () => {
  const reversed = { ...sample, findings: [...sample.findings].reverse() };
  assert.equal(renderSarif(reversed, rules), renderSarif(sample, rules));
});
