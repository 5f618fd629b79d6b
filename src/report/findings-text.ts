// The findings of a scan for a terminal: most severe first, each with where to look, why the package is there, what
// to do and the fingerprint to ignore it by; then counts per severity. Never "no findings" about files it could not
// read (STYLE.md §10).
import { sortFindings } from "../rules/engine.js";
import { SEVERITIES } from "../rules/rule.js";
import type { Finding, Rule, Severity } from "../rules/rule.js";
import type { FileResult, ScanResult } from "../scan/result.js";
import type { Style } from "./style.js";

/** Options for the text rendering of findings. */
export interface FindingsTextOptions {
  style: Style;
  /** Every recorded chain instead of the first, the package URL, the rule's "why", and the paths of unread files. */
  verbose?: boolean;
}

/** Findings per severity, every severity present (zero when none). */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** Files the findings do not fully cover: not read at all (failed, unsupported) or read in part. */
export interface UnreadFiles {
  failed: FileResult[];
  unsupported: FileResult[];
  partial: FileResult[];
}

/** Sorts the file statuses that limit what "no findings" can claim. */
export function unreadFiles(files: readonly FileResult[]): UnreadFiles {
  return {
    failed: files.filter((f) => f.status === "failed"),
    unsupported: files.filter((f) => f.status === "unsupported"),
    partial: files.filter((f) => f.status === "partial"),
  };
}

/**
 * One sentence on what the findings cover, or undefined when every file was read in full. Shared by the text and
 * Markdown outputs so both say the same thing.
 */
export function coverageNote(files: readonly FileResult[]): string | undefined {
  const { failed, unsupported, partial } = unreadFiles(files);
  const unread = failed.length + unsupported.length;
  const parts: string[] = [];
  if (unread > 0) {
    const kinds = [failed.length > 0 ? `${failed.length} failed` : "", unsupported.length > 0 ? `${unsupported.length} unsupported` : ""].filter(Boolean);
    parts.push(`${plural(unread, "file")} could not be read (${kinds.join(", ")})`);
  }
  if (partial.length > 0) parts.push(`${plural(partial.length, "file")} ${partial.length === 1 ? "was" : "were"} read only in part`);
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/** The one-line summary: counts per severity, or an honest "no findings" that names what was not read. */
export function findingsSummary(result: ScanResult): string {
  const note = coverageNote(result.files);
  if (result.findings.length === 0) {
    if (result.files.length === 0) return "No findings: no files were read.";
    return note ? `No findings in the files read; ${note}.` : "No findings.";
  }
  const counts = countBySeverity(result.findings);
  const perSeverity = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(", ");
  return `${plural(result.findings.length, "finding")}: ${perSeverity}.${note ? ` Not covered: ${note}.` : ""}`;
}

/** Renders the findings of a scan for a terminal, grouped by severity, most severe first. */
export function renderFindingsText(result: ScanResult, rules: readonly Rule[], options: FindingsTextOptions): string {
  const { style } = options;
  const byId = new Map(rules.map((r) => [r.id, r]));
  const lines: string[] = [];
  let group: Severity | undefined;
  for (const finding of sortFindings([...result.findings])) {
    if (group !== undefined && finding.severity !== group) lines.push(style.dim("─".repeat(40)), "");
    group = finding.severity;
    lines.push(...renderFinding(finding, byId.get(finding.ruleId), options), "");
  }
  const summary = findingsSummary(result);
  lines.push(result.findings.length > 0 ? style.bold(summary) : result.files.length > 0 && !coverageNote(result.files) ? style.green(summary) : style.yellow(summary));
  if (options.verbose) {
    const { failed, unsupported, partial } = unreadFiles(result.files);
    for (const file of [...failed, ...unsupported, ...partial]) lines.push(`  ${file.status === "failed" ? style.red(file.status) : style.yellow(file.status)}  ${printable(`${file.path}${file.reason ? `: ${file.reason}` : ""}`, "    ")}`);
  }
  if (result.findings.length > 0) lines.push(style.dim("Accept a finding with an ignore entry (fingerprint, reason, expires) in .aiwarden.yml; see docs/rules.md."));
  return lines.join("\n") + "\n";
}

/** The coloured, fixed-width severity label. */
export function severityLabel(severity: Severity, style: Style): string {
  const label = severity.toUpperCase().padEnd(8);
  switch (severity) {
    case "critical":
      return style.bold(style.red(label));
    case "high":
      return style.red(label);
    case "medium":
      return style.yellow(label);
    case "low":
      return style.cyan(label);
    case "info":
      return style.dim(label);
  }
}

function renderFinding(finding: Finding, rule: Rule | undefined, options: FindingsTextOptions): string[] {
  const { style, verbose } = options;
  const indent = "          ";
  const t = (text: string) => printable(text, indent);
  const location = t(finding.line !== undefined ? `${finding.file}:${finding.line}` : finding.file);
  const pkg = finding.package ? `  ${style.bold(t(`${finding.package.name} ${finding.package.version || "(unlocked)"}`))}` : "";
  const lines = [
    `${severityLabel(finding.severity, style)}  ${style.bold(t(finding.ruleId))}  ${t(finding.title)}`,
    `${indent}${style.cyan(location)}${pkg}`,
    `${indent}${t(finding.message)}`,
  ];
  const [first, ...rest] = finding.paths;
  if (first) {
    const chains = verbose ? finding.paths : [first];
    for (const chain of chains) lines.push(`${indent}${style.dim("via")} ${t(chain.join(" › "))}`);
    if (!verbose && rest.length > 0) lines.push(`${indent}${style.dim(`(+${plural(rest.length, "more chain")}; --verbose lists them)`)}`);
  }
  if (verbose && finding.package?.purl) lines.push(`${indent}${style.dim(t(finding.package.purl))}`);
  lines.push(`${indent}${style.green("fix:")} ${t(finding.fix)}`);
  if (verbose && rule) lines.push(`${indent}${style.dim("why:")} ${t(rule.docs.why)}`);
  lines.push(`${indent}${style.dim(`fingerprint ${finding.fingerprint}`)}`);
  return lines;
}

/**
 * Text from scanned files made safe for a terminal: control characters (an ESC could recolour the screen, move the
 * cursor or set the window title) become U+FFFD, tabs spaces, and further lines keep the finding's indentation.
 */
export function printable(text: string, indent = ""): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) continue;
    if (c === 0x0a || c === 0x0d) out += `\n${indent}`;
    else if (c === 0x09) out += " ";
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += "\uFFFD";
    else out += text[i];
  }
  return out;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
