import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import type { Finding, Rule } from "../rules/rule.js";
import type { ScanResult } from "../scan/result.js";
import { fixturePath, readFixture } from "../testing/fixtures.js";
import { GITHUB_COMMENT_LIMIT, MARKDOWN_MARKER, code, escapeText, renderMarkdown } from "./markdown.js";

const rules: Rule[] = (JSON.parse(readFixture(import.meta.url, "sample-rules.json")) as Omit<Rule, "check">[]).map((r) => ({ ...r, check: () => [] }));
const sample = JSON.parse(readFixture(import.meta.url, "sample-result.json")) as ScanResult;
const allRead: ScanResult["files"] = [{ path: "worker/uv.lock", status: "ok" }];

/** n findings of rotating severity, each with a message of `size` characters. */
function many(n: number, size = 60): Finding[] {
  const severities = ["critical", "high", "medium", "low"] as const;
  return Array.from({ length: n }, (_, i) => ({
    ruleId: `AIW-TEST-00${(i % 4) + 1}`,
    severity: severities[i % 4] as Finding["severity"],
    title: "T",
    message: `finding ${String(i).padStart(4, "0")} ${"x".repeat(size)}`,
    file: `p${i}/package-lock.json`,
    line: i + 1,
    paths: [],
    fingerprint: i.toString(16).padStart(16, "0"),
    fix: "f",
  }));
}

/** Table rows of a rendered comment. */
function rows(markdown: string): string[] {
  return markdown.split("\n").filter((l) => l.startsWith("| **"));
}

/** Cell separators: pipes not escaped with a backslash. */
function cellPipes(line: string): number {
  return line.replace(/\\\\/g, "").replace(/\\\|/g, "").split("|").length - 1;
}

test("the sample renders to the golden file", () => {
  const text = renderMarkdown(sample, rules);
  const golden = fixturePath(import.meta.url, "sample.md");
  if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
  assert.equal(text, readFileSync(golden, "utf8"), "golden file differs (UPDATE_GOLDEN=1 rewrites it after review)");
});

test("header with counts, a warning naming unread files, rows most severe first, rule docs in <details>", () => {
  const text = renderMarkdown(sample, rules);
  assert.ok(text.startsWith(`${MARKDOWN_MARKER}\n### aiwarden: 4 findings\n\n**1 critical** · **1 high** · **1 medium** · **1 low**\n`));
  assert.match(text, /> \[!WARNING\]\n> 2 files could not be read \(1 failed, 1 unsupported\); 1 file was read only in part: the findings cover only what was read\./);
  assert.match(text, /^> - `legacy\/Pipfile\.lock`: failed: invalid JSON at line 3$/m);
  assert.deepEqual(rows(text).map((r) => r.split(" | ")[0]), ["| **critical**", "| **high**", "| **medium**", "| **low**"]);
  const [critical] = rows(text);
  assert.match(critical ?? "", /\[AIW-TEST-001\]\(https:\/\/github\.com\/aiwarden\/aiwarden\/blob\/main\/docs\/rules\.md#aiw-test-001\)/);
  assert.match(critical ?? "", /`litellm 1\.82\.7`<br>`worker\/uv\.lock:42`/);
  assert.match(critical ?? "", /via `root › crewai › litellm`/);
  assert.match(critical ?? "", /<sub>fingerprint `11111111cccccccc`<\/sub>/);
  assert.match(text, /<details>\n<summary><b>AIW-TEST-001<\/b> Known-compromised package version \(1\)<\/summary>\n\n\*\*What it detects\*\*/);
  assert.doesNotMatch(text, /AIW-TEST-005/, "rules without findings are not detailed in a PR comment");
});

test("cells cannot break the table, inject HTML, or mention anyone", () => {
  const text = renderMarkdown(sample, rules);
  for (const row of rows(text)) assert.equal(cellPipes(row), 5, row);
  const low = rows(text)[3] ?? "";
  assert.doesNotMatch(text, /<script>/);
  assert.match(low, /&lt;script&gt;alert\(1\)&lt;\/script&gt; second line\./, "newline flattened, HTML escaped");
  assert.match(low, /runs \\`node install\.js \\\| sh\\` at install time/);
  assert.match(low, /`@openai\/agents 0\.1\.0`/, "package names in code spans (no mention there)");
  assert.doesNotMatch(low.replace(/`[^`]*`/g, ""), /@[a-z]/i, "every @ outside code is broken by a zero-width space");
  assert.equal(escapeText("a|b `c` *d* _e_ [f](g) <h> & @i\nj\\k"), "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) &lt;h&gt; &amp; @\u200bi j\\\\k");
  assert.equal(escapeText("x@1.2.3 me@example.com (@org/team) @"), "x@1.2.3 me@example.com (@\u200borg/team) @", "only mention-shaped @s change");
  assert.equal(code("a`b"), "``a`b``");
  assert.equal(code("`x|y`"), "`` `x\\|y` ``");
});

test("beyond maxRows the rest of the table folds into <details>", () => {
  const text = renderMarkdown({ ...sample, files: allRead, findings: many(60) }, rules);
  const [before, after] = text.split("<details>\n<summary>10 more findings</summary>");
  assert.equal(rows(before ?? "").length, 50);
  assert.equal(rows(after?.split("</details>")[0] ?? "").length, 10);
  assert.doesNotMatch(text, /did not fit/);
  assert.equal(rows(renderMarkdown({ ...sample, files: allRead, findings: many(5) }, rules, { maxRows: 2 })).length, 5);
});

test("stays under GitHub's comment limit and says what it left out", () => {
  const huge = renderMarkdown({ ...sample, files: allRead, findings: many(3000, 200) }, rules);
  assert.ok(huge.length <= GITHUB_COMMENT_LIMIT, `${huge.length} characters`);
  assert.ok(huge.length > GITHUB_COMMENT_LIMIT - 2000, "uses the room it has");
  const shown = rows(huge).length;
  assert.ok(shown > 100 && shown < 3000);
  assert.match(huge, new RegExp(`> \\[!NOTE\\]\\n> ${3000 - shown} findings did not fit in one comment \\(at most 65,536 characters\\)`));
  assert.match(huge, /finding 0000 /, "the most severe rows are the ones kept");
  assert.match(huge, /<summary><b>AIW-TEST-004<\/b> Install script in a scoped package \(750\)<\/summary>/, "rule details keep their room");
  for (const maxLength of [300, 1500, 5000]) {
    const small = renderMarkdown(sample, rules, { maxLength });
    assert.ok(small.length <= maxLength, `${maxLength}: ${small.length}`);
  }
  const tight = renderMarkdown(sample, rules, { maxLength: 5000 });
  assert.match(tight, /did not fit in one comment \(at most 5,000 characters\)/);
});

test("no findings: says so only for what was read", () => {
  assert.match(renderMarkdown({ ...sample, files: allRead, findings: [] }, rules), /^### aiwarden: no findings$/m);
  const partial = renderMarkdown({ ...sample, findings: [] }, rules);
  assert.match(partial, /^### aiwarden: no findings in the files read$/m);
  assert.match(partial, /\[!WARNING\]/);
  assert.doesNotMatch(partial, /^\| Severity/m);
  assert.match(renderMarkdown({ ...sample, files: [], findings: [] }, rules), /no findings \(no files were read\)/);
});
