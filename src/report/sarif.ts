// SARIF 2.1.0 output (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) in the subset GitHub code
// scanning reads (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
// one run, every rule with its documentation, every result with a physical location and a stable partial fingerprint,
// and one notification per file that was not read, so an upload never reads as "clean" for files aiwarden skipped.
import { sortFindings } from "../rules/engine.js";
import type { Finding, Rule, Severity } from "../rules/rule.js";
import type { FileResult, ScanResult } from "../scan/result.js";
import { DEFAULT_RULES_DOC_URL, SEVERITY_DOCS, ruleDocUrl, ruleHelpMarkdown, ruleHelpText } from "./rule-docs.js";

/** Where the SARIF schema is published (the `$schema` GitHub and the SARIF SDKs write). */
export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

/** The key of aiwarden's fingerprint in `partialFingerprints`; the version changes only if the fingerprint's recipe does. */
export const FINGERPRINT_KEY = "aiwarden/v1";

/** The base every artifact URI is relative to: the scanned root (for GitHub, the repository checkout). */
export const SRCROOT = "%SRCROOT%";

/** The project's home page: SARIF `tool.driver.informationUri`. */
export const DEFAULT_TOOL_URI = "https://github.com/aiwarden/aiwarden";

/** Options for the SARIF rendering. */
export interface SarifOptions {
  /** `tool.driver.informationUri`; DEFAULT_TOOL_URI when omitted. */
  toolUri?: string;
  /** The published docs/rules.md that each rule's `helpUri` points into; DEFAULT_RULES_DOC_URL when omitted. */
  rulesDocUrl?: string;
}

/** Renders a scan as a SARIF 2.1.0 log (pretty-printed JSON with a trailing newline). */
export function renderSarif(result: ScanResult, rules: readonly Rule[], options: SarifOptions = {}): string {
  return JSON.stringify(sarifLog(result, rules, options), null, 2) + "\n";
}

/** The SARIF log as an object (what renderSarif serialises). */
export function sarifLog(result: ScanResult, rules: readonly Rule[], options: SarifOptions = {}): SarifLog {
  const docsUrl = options.rulesDocUrl ?? DEFAULT_RULES_DOC_URL;
  const descriptors = rules.map((rule) => ruleDescriptor(rule, docsUrl));
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const findings = sortFindings([...result.findings]);
  // A finding from a rule missing in the list (a caller passing a subset) still needs its rule described: GitHub shows
  // a rule's descriptions with every alert. It gets a minimal descriptor from the finding itself.
  for (const finding of findings) {
    if (index.has(finding.ruleId)) continue;
    index.set(finding.ruleId, descriptors.length);
    descriptors.push(fallbackDescriptor(finding, docsUrl));
  }
  const notifications = result.files.filter((f) => f.status !== "ok").map(fileNotification);
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: result.tool.name,
            version: result.tool.version,
            semanticVersion: result.tool.version,
            informationUri: options.toolUri ?? DEFAULT_TOOL_URI,
            rules: descriptors,
          },
        },
        invocations: [
          {
            // Failed files mean the analysis is incomplete (exit code 3); unsupported and partial files are warnings.
            executionSuccessful: !result.files.some((f) => f.status === "failed"),
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results: findings.map((finding) => sarifResult(finding, index.get(finding.ruleId) as number)),
      },
    ],
  };
}

function ruleDescriptor(rule: Rule, docsUrl: string): ReportingDescriptor {
  return {
    id: rule.id,
    name: pascalCase(rule.title),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.docs.what },
    help: { text: ruleHelpText(rule), markdown: ruleHelpMarkdown(rule) },
    helpUri: ruleDocUrl(rule.id, docsUrl),
    defaultConfiguration: { level: SEVERITY_DOCS[rule.severity].sarifLevel },
    properties: ruleProperties(rule.id, rule.severity),
  };
}

function fallbackDescriptor(finding: Finding, docsUrl: string): ReportingDescriptor {
  return {
    id: finding.ruleId,
    name: pascalCase(finding.title),
    shortDescription: { text: finding.title },
    helpUri: ruleDocUrl(finding.ruleId, docsUrl),
    defaultConfiguration: { level: SEVERITY_DOCS[finding.severity].sarifLevel },
    properties: ruleProperties(finding.ruleId, finding.severity),
  };
}

/** GitHub reads `tags` and `security-severity` from the rule; "security" marks the rule's alerts as security alerts. */
function ruleProperties(ruleId: string, severity: Severity): ReportingDescriptor["properties"] {
  const area = ruleId.split("-")[1]?.toLowerCase();
  return {
    tags: ["security", "supply-chain", ...(area ? [area] : [])],
    "security-severity": SEVERITY_DOCS[severity].securitySeverity,
  };
}

function sarifResult(finding: Finding, ruleIndex: number): SarifResult {
  const [chain] = finding.paths;
  // GitHub shows only `message.text` in the alert, so the chain and the fix go there too (also in properties, as data).
  const text = [finding.message, chain && chain.length > 2 ? `Pulled in by ${chain.join(" › ")}.` : "", `Fix: ${finding.fix}`].filter(Boolean).join(" ");
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: SEVERITY_DOCS[finding.severity].sarifLevel,
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(finding.file),
          // GitHub needs a region for every result; a finding about a whole file points at its first line.
          region: { startLine: finding.line !== undefined && finding.line >= 1 ? Math.floor(finding.line) : 1 },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    properties: {
      severity: finding.severity,
      ...(finding.package ? { package: finding.package } : {}),
      paths: finding.paths.map((p) => p.join(" › ")),
      fix: finding.fix,
    },
  };
}

function fileNotification(file: FileResult): Notification {
  return {
    level: file.status === "failed" ? "error" : "warning",
    message: { text: `${file.path}: ${file.status}${file.reason ? `: ${file.reason}` : ""}` },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(file.path) } }],
    properties: { status: file.status },
  };
}

/**
 * A root-relative path as a SARIF artifact location (§3.4.4: a URI reference, percent-encoded, `/`-separated, relative
 * to `%SRCROOT%`). A path outside the root (an absolute --config path) becomes a `file:` URI without a base.
 */
export function artifactLocation(path: string): ArtifactLocation {
  const posix = path.replace(/\\/g, "/");
  const drive = /^[A-Za-z]:\//.test(posix);
  if (posix.startsWith("/") || drive) return { uri: `file://${drive ? `/${posix.slice(0, 2)}${encodePath(posix.slice(2))}` : encodePath(posix)}` };
  return { uri: encodePath(posix.replace(/^\.\//, "")), uriBaseId: SRCROOT };
}

/** Percent-encodes a path; encodeURI leaves `#`, `?` and `:` alone, which would start a fragment, a query or a scheme. */
function encodePath(path: string): string {
  // encodeURI throws on a lone surrogate (a file name that is not valid UTF-16); it becomes U+FFFD instead.
  const wellFormed = path.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
  return encodeURI(wellFormed).replace(/[#?]/g, encodeURIComponent).replace(/:/g, "%3A");
}

/** "Ignore entry has expired" → "IgnoreEntryHasExpired" (SARIF §3.49.7: a name without spaces). */
function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join("");
}

/** The parts of the SARIF object model this module writes. */
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: Array<{
    tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: ReportingDescriptor[] } };
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: Notification[] }>;
    results: SarifResult[];
  }>;
}

/** SARIF `reportingDescriptor` (§3.49): one rule. */
export interface ReportingDescriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  help?: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: "error" | "warning" | "note" };
  properties: { tags: string[]; "security-severity": string };
}

/** SARIF `artifactLocation` (§3.4). */
export interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** SARIF `result` (§3.27): one finding. */
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: "error" | "warning" | "note";
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: ArtifactLocation; region: { startLine: number } } }>;
  partialFingerprints: Record<string, string>;
  properties: { severity: Severity; package?: Finding["package"]; paths: string[]; fix: string };
}

/** SARIF `notification` (§3.58): a file aiwarden could not read (fully). */
export interface Notification {
  level: "error" | "warning";
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: ArtifactLocation } }>;
  properties: { status: FileResult["status"] };
}
