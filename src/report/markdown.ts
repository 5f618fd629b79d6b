// The findings of a scan as GitHub-flavoured Markdown for a pull-request comment: counts per severity, a table of
// findings (most severe first; beyond `maxRows` collapsed into <details>), each rule's why and fix in <details>, and a
// warning when files were not read. Kept under GitHub's comment limit (65,536 characters) by dropping what does not
// fit, with a note saying so. Cells escape everything GitHub would interpret: table pipes, HTML, code, emphasis,
// links and @-mentions (an npm scope like @openai/agents must not notify a GitHub team).
import { sortFindings } from "../rules/engine.js";
import { SEVERITIES } from "../rules/rule.js";
import type { Finding, Rule } from "../rules/rule.js";
import type { ScanResult } from "../scan/result.js";
import { countBySeverity, coverageNote, unreadFiles } from "./findings-text.js";
import { DEFAULT_RULES_DOC_URL, ruleDocUrl, ruleHelpMarkdown } from "./rule-docs.js";

/** GitHub's limit on the body of an issue or pull-request comment, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A hidden first line that lets a CI job find and update its previous comment instead of adding a new one. */
export const MARKDOWN_MARKER = "<!-- aiwarden-report -->";

/** Options for the Markdown rendering. */
export interface MarkdownOptions {
  /** The published docs/rules.md that rule ids link into; DEFAULT_RULES_DOC_URL when omitted. */
  rulesDocUrl?: string;
  /** Table rows shown before the rest collapse into a <details> block; 50 when omitted. */
  maxRows?: number;
  /** Longest output, in UTF-16 code units (never fewer than GitHub's characters); GITHUB_COMMENT_LIMIT when omitted. */
  maxLength?: number;
}

/** Unread files listed by name in the warning; the rest are counted. */
const LISTED_FILES = 10;

/** Room kept for the truncation note. */
const NOTE_RESERVE = 400;

const TABLE_HEAD = "| Severity | Rule | Where | Finding |\n| --- | --- | --- | --- |\n";

/** Renders a scan's findings as Markdown for a pull-request comment. */
export function renderMarkdown(result: ScanResult, rules: readonly Rule[], options: MarkdownOptions = {}): string {
  const docsUrl = options.rulesDocUrl ?? DEFAULT_RULES_DOC_URL;
  const maxRows = Math.max(0, options.maxRows ?? 50);
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const findings = sortFindings([...result.findings]);
  const head = header(result);
  const foot = `\n<sub>${escapeText(result.tool.name)} ${escapeText(result.tool.version)} · [rule documentation](${docsUrl}) · ` +
    "accept a finding with an `ignore:` entry (fingerprint, reason, expires) in `.aiwarden.yml`</sub>\n";
  let budget = maxLength - head.length - foot.length - NOTE_RESERVE;

  // Each rule that has findings, with its docs, in the order the table first shows it. Chosen first, from at most half
  // the room: a handful of rule explanations is worth more than rows 500 to 510 of a table that is cut anyway.
  let sectionBudget = Math.floor(budget / 2);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const perRule = new Map<string, number>();
  for (const f of findings) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
  const ruleIds = [...perRule.keys()];
  const sections: string[] = [];
  for (const id of ruleIds) {
    const rule = byId.get(id);
    if (!rule) continue;
    const count = perRule.get(id) ?? 0;
    const section = `<details>\n<summary><b>${escapeHtml(rule.id)}</b> ${escapeHtml(rule.title)} (${count})</summary>\n\n${ruleHelpMarkdown(rule)}\n\n[Documentation](${ruleDocUrl(rule.id, docsUrl)})\n\n</details>\n`;
    const overhead = sections.length > 0 ? 0 : "\n#### Why these matter and how to fix them\n\n".length;
    if (section.length + overhead > sectionBudget) break;
    sectionBudget -= section.length + overhead;
    budget -= section.length + overhead;
    sections.push(section);
  }
  const documented = ruleIds.filter((id) => byId.has(id)).length;

  // The table: rows are added while they fit; the first maxRows in the open, the rest inside <details>.
  const open: string[] = [];
  const folded: string[] = [];
  for (const finding of findings) {
    const row = tableRow(finding, docsUrl);
    const target = open.length < maxRows ? open : folded;
    const overhead = target.length > 0 ? 0 : target === open ? TABLE_HEAD.length + 1 : TABLE_HEAD.length + 80;
    if (row.length + overhead > budget) break;
    budget -= row.length + overhead;
    target.push(row);
  }
  const shownRows = open.length + folded.length;

  let body = head;
  if (open.length > 0) body += `\n${TABLE_HEAD}${open.join("")}`;
  if (folded.length > 0) body += `\n<details>\n<summary>${folded.length} more finding${folded.length === 1 ? "" : "s"}</summary>\n\n${TABLE_HEAD}${folded.join("")}\n</details>\n`;
  if (sections.length > 0) body += `\n#### Why these matter and how to fix them\n\n${sections.join("\n")}`;
  const missingRows = findings.length - shownRows;
  const missingSections = documented - sections.length;
  if (missingRows > 0 || missingSections > 0) {
    const parts = [missingRows > 0 ? `${missingRows} finding${missingRows === 1 ? "" : "s"}` : "", missingSections > 0 ? `the details of ${missingSections} rule${missingSections === 1 ? "" : "s"}` : ""].filter(Boolean);
    body += `\n> [!NOTE]\n> ${parts.join(" and ")} did not fit in one comment (at most ${maxLength.toLocaleString("en-US")} characters). The SARIF and JSON outputs have every finding.\n`;
  }
  body += foot;
  // Only a pathological header (thousands of characters of tool name) can still overflow: cut it, never exceed.
  return body.length <= maxLength ? body : body.slice(0, maxLength);
}

function header(result: ScanResult): string {
  const lines = [MARKDOWN_MARKER];
  const counts = countBySeverity(result.findings);
  const note = coverageNote(result.files);
  if (result.findings.length === 0) {
    lines.push(result.files.length === 0 ? "### aiwarden: no findings (no files were read)" : note ? "### aiwarden: no findings in the files read" : "### aiwarden: no findings");
  } else {
    lines.push(`### aiwarden: ${result.findings.length} finding${result.findings.length === 1 ? "" : "s"}`, "");
    lines.push(SEVERITIES.filter((s) => counts[s] > 0).map((s) => `**${counts[s]} ${s}**`).join(" · "));
  }
  if (note) {
    const { failed, unsupported, partial } = unreadFiles(result.files);
    const listed = [...failed, ...unsupported, ...partial];
    lines.push("", "> [!WARNING]", `> ${note}: the findings cover only what was read.`);
    for (const file of listed.slice(0, LISTED_FILES)) lines.push(`> - ${code(file.path)}: ${file.status}${file.reason ? `: ${escapeText(file.reason)}` : ""}`);
    if (listed.length > LISTED_FILES) lines.push(`> - and ${listed.length - LISTED_FILES} more`);
  }
  return lines.join("\n") + "\n";
}

function tableRow(finding: Finding, docsUrl: string): string {
  const where = [
    finding.package ? code(`${finding.package.name} ${finding.package.version || "(unlocked)"}`) : "",
    code(finding.line !== undefined ? `${finding.file}:${finding.line}` : finding.file),
  ].filter(Boolean).join("<br>");
  const [chain] = finding.paths;
  const text = [
    escapeText(finding.message),
    chain && chain.length > 2 ? `via ${code(chain.join(" › "))}` : "",
    `**Fix:** ${escapeText(finding.fix)}`,
    `<sub>fingerprint ${code(finding.fingerprint)}</sub>`,
  ].filter(Boolean).join("<br>");
  return `| **${finding.severity}** | [${escapeText(finding.ruleId)}](${ruleDocUrl(finding.ruleId, docsUrl)}) ${escapeText(finding.title)} | ${where} | ${text} |\n`;
}

/**
 * Escapes text for a Markdown table cell or paragraph: backslashes and Markdown punctuation that would format or
 * link, HTML, table pipes, newlines (a cell is one line), and `@` (a zero-width space after it stops a mention).
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\\`*_[\]~|]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(MENTION, "@\u200b")
    .replace(/\r\n|\r|\n/g, " ");
}

/** An `@` where GitHub would start a user or team mention: not after a word character, before a letter or digit. */
const MENTION = /(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])/g;

/** Escapes text for HTML content (a <summary>). */
function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(MENTION, "@\u200b").replace(/\r\n|\r|\n/g, " ");
}

/**
 * A code span that holds any text inside a table cell: a fence longer than the longest backtick run in it (CommonMark
 * §6.1), padded when the text starts or ends with a backtick, pipes escaped (GFM tables split cells before code spans
 * are parsed, and `\|` inside one still means a literal pipe). Code spans also keep GitHub from linking @-mentions.
 */
export function code(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, " ").replace(/\|/g, "\\|");
  let longest = 0;
  let run = 0;
  for (const c of flat) {
    run = c === "`" ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
