import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../../testing/fixtures.js";
import { isMalicious, parseOsvRecord, recordSeverity, severityOfWord, summaryOf, urlOf } from "./record.js";
import type { OsvRecord } from "./record.js";

const record = (id: string) => JSON.parse(readFileSync(join(repoRoot, "src", "sources", "fixtures", "osv", "records", `${id}.json`), "utf8")) as OsvRecord;

describe("OSV records", () => {
  it("tells malicious-package reports from vulnerabilities", () => {
    const rows: Array<[string, boolean]> = [["MAL-2025-47141", true], ["MAL-2026-2144", true], ["MAL-2026-3432", true], ["PYSEC-2024-43", false], ["GHSA-29mw-wpgm-hmr9", false], ["GHSA-35jh-r3h4-6jhm", false]];
    for (const [id, malicious] of rows) assert.equal(isMalicious(record(id)), malicious, id);
    assert.equal(isMalicious({ id: "GHSA-x", summary: "Malicious code in foo (npm)" }), true);
    assert.equal(isMalicious({ id: "GHSA-y", summary: "Embedded malware in bar" }), true);
    assert.equal(isMalicious({ id: "GHSA-z", summary: "Malicious input crashes the parser" }), false);
    assert.equal(isMalicious({ id: "GHSA-w", aliases: ["MAL-2024-1"] }), true);
  });

  it("maps severity: malicious, database rating, CVSS v3, ecosystem rating, else medium", () => {
    assert.deepEqual(recordSeverity(record("MAL-2026-2144")), { severity: "critical", basis: "malicious package" });
    assert.deepEqual(recordSeverity(record("GHSA-29mw-wpgm-hmr9")), { severity: "medium", basis: "database rating MODERATE" });
    assert.deepEqual(recordSeverity(record("GHSA-35jh-r3h4-6jhm")), { severity: "high", basis: "database rating HIGH" });
    assert.deepEqual(recordSeverity(record("PYSEC-2024-43")), { severity: "medium", basis: "unrated" });
    assert.deepEqual(recordSeverity({ id: "X", severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }] }), { severity: "critical", basis: "CVSS 9.8" });
    assert.deepEqual(recordSeverity({ id: "X", severity: [{ type: "CVSS_V4", score: "CVSS:4.0/AV:N" }], affected: [{ ecosystem_specific: { severity: "LOW" } }] }), { severity: "low", basis: "ecosystem rating" });
    assert.deepEqual(recordSeverity({ id: "X", severity: [{ type: "Ubuntu", score: "high" }] }), { severity: "high", basis: "Ubuntu rating" });
  });

  it("maps severity words", () => {
    assert.deepEqual(["CRITICAL", "High", "moderate", "MEDIUM", "low", "none", "weird", 3].map(severityOfWord), ["critical", "high", "medium", "medium", "low", "info", undefined, undefined]);
  });

  it("summarises and links a record", () => {
    assert.equal(summaryOf(record("PYSEC-2024-43")).slice(0, 60), "LangChain through 0.1.10 allows ../ directory traversal by a");
    assert.equal(summaryOf(record("MAL-2026-2144")), "Malicious code in litellm (PyPI)");
    assert.equal(summaryOf({ id: "X", details: "\n---\n_-= Per source details. Do not edit below this line.=-_\n\n## Source: x\nThe real line.\n" }), "The real line.");
    assert.equal(urlOf(record("MAL-2025-47141")), "https://github.com/advisories/GHSA-qjqf-7j6f-82c4");
    assert.equal(urlOf(record("MAL-2026-2144")), "https://osv.dev/vulnerability/MAL-2026-2144");
  });

  it("parses only values with an id", () => {
    assert.equal(parseOsvRecord({ id: "X" })?.id, "X");
    assert.equal(parseOsvRecord({ id: "" }), undefined);
    assert.equal(parseOsvRecord([]), undefined);
    assert.equal(parseOsvRecord(null), undefined);
  });
});
