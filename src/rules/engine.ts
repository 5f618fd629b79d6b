// Runs the rules over a scan context and turns their drafts into findings: configured severities and disabled rules,
// why-paths, stable fingerprints, ignores (with reasons and expiry dates; an expired ignore is itself a finding),
// deterministic order. Pure: the context holds everything.
import { createHash } from "node:crypto";
import type { IgnoreEntry } from "../config/config.js";
import { SEVERITIES } from "./rule.js";
import type { ContextProject, Finding, FindingDraft, Rule, ScanContext, Severity } from "./rule.js";

/** Chains per finding, as in the JSON result's packages. */
const PATHS_PER_FINDING = 5;

/** What the engine returns. */
export interface RuleRun {
  findings: Finding[];
  /** Findings an unexpired ignore suppressed, with the ignore's reason, for `--show-ignored` and the JSON summary. */
  suppressed: Array<{ finding: Finding; reason: string; expires: string }>;
  /** Rules that threw (a bug): their id and the one-line error. The run goes on without them. */
  errors: Array<{ ruleId: string; message: string }>;
}

/** Runs every enabled rule and applies the configuration. */
export function runRules(rules: readonly Rule[], context: ScanContext): RuleRun {
  const settings = context.config.rules;
  const findings: Finding[] = [];
  const errors: RuleRun["errors"] = [];
  const projects = new Map(context.projects.map((p) => [p.path, p]));
  for (const rule of rules) {
    const setting = settings[rule.id];
    if (setting === "off") continue;
    let drafts: FindingDraft[];
    try {
      drafts = rule.check(context);
    } catch (error) {
      errors.push({ ruleId: rule.id, message: error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error) });
      continue;
    }
    for (const draft of drafts) findings.push(finalize(rule, draft, setting, projects));
  }
  // An expired ignore no longer applies; the expired-ignore rule (AIW-CONFIG-001) reports the stale entry itself.
  const { kept, suppressed } = applyIgnores(findings, context.config.ignore.filter((entry) => entry.expires >= context.today));
  return { findings: sortFindings(dedupe(kept)), suppressed, errors };
}

function finalize(rule: Rule, draft: FindingDraft, setting: Severity | "off" | undefined, projects: ReadonlyMap<string, ContextProject>): Finding {
  const project = draft.project !== undefined ? projects.get(draft.project) : undefined;
  const pkg = draft.package;
  const node = pkg && project ? project.graph.get(pkg.id ?? packageKey(project, pkg.name, pkg.version)) : undefined;
  return {
    ruleId: rule.id,
    severity: setting && setting !== "off" ? setting : draft.severity,
    title: rule.title,
    message: draft.message,
    file: draft.file,
    ...(draft.line !== undefined ? { line: draft.line } : {}),
    ...(pkg ? { package: { ecosystem: pkg.ecosystem, name: pkg.name, version: pkg.version, purl: node?.purl ?? "" } } : {}),
    paths: node && project ? chainNames(project, node.id) : [],
    fingerprint: fingerprint(rule.id, draft.key),
    fix: draft.fix,
    ...(draft.secret ? { secret: { fingerprint: draft.secret.fingerprint } } : {}),
  };
}

/** Node ids by name@version per project, built on first use (rules that know the node id skip this). */
const nodeIndex = new WeakMap<ContextProject, Map<string, string>>();

function packageKey(project: ContextProject, name: string, version: string): string {
  let index = nodeIndex.get(project);
  if (!index) {
    index = new Map();
    for (const node of project.graph.packages()) if (!index.has(`${node.name}@${node.version}`)) index.set(`${node.name}@${node.version}`, node.id);
    nodeIndex.set(project, index);
  }
  return index.get(`${name}@${version}`) ?? "";
}

function chainNames(project: ContextProject, id: string): string[][] {
  const seen = new Set<string>();
  const chains: string[][] = [];
  for (const chain of project.graph.pathsTo(id, PATHS_PER_FINDING)) {
    const names = chain.map((n, i) => (i === 0 ? "root" : n.name || n.id));
    const key = names.join("\u0000");
    if (!seen.has(key)) {
      seen.add(key);
      chains.push(names);
    }
  }
  return chains;
}

/** A stable identity for a finding: 16 hex characters of SHA-256 over the rule id and the key parts. */
export function fingerprint(ruleId: string, key: readonly string[]): string {
  return createHash("sha256").update([ruleId, ...key].join("\u0000")).digest("hex").slice(0, 16);
}

function applyIgnores(findings: Finding[], ignores: readonly IgnoreEntry[]) {
  const kept: Finding[] = [];
  const suppressed: RuleRun["suppressed"] = [];
  for (const finding of findings) {
    const match = ignores.find((entry) => matches(entry, finding));
    if (match) suppressed.push({ finding, reason: match.reason, expires: match.expires });
    else kept.push(finding);
  }
  return { kept, suppressed };
}

/**
 * An ignore matches by fingerprint; by a credential's fingerprint (every finding about that key, or only `rule`'s); or
 * by rule id plus (optionally) a package name or name@version, or a file.
 */
function matches(entry: IgnoreEntry, finding: Finding): boolean {
  if (entry.fingerprint !== undefined) return entry.fingerprint === finding.fingerprint;
  if (entry.secret !== undefined) return finding.secret?.fingerprint === entry.secret && (entry.rule === undefined || entry.rule === finding.ruleId);
  if (entry.rule !== finding.ruleId) return false;
  if (entry.package === undefined) return entry.path === undefined || entry.path === finding.file;
  if (!finding.package) return false;
  const { name, version } = finding.package;
  return entry.package === name || entry.package === `${name}@${version}`;
}

/** The same rule reporting the same key twice (e.g. one package locked in two files of a project) is one finding. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    if (seen.has(f.fingerprint)) return false;
    seen.add(f.fingerprint);
    return true;
  });
}

/** Most severe first, then by file, line and rule, so output is stable. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) =>
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity)
    || compare(a.file, b.file)
    || (a.line ?? 0) - (b.line ?? 0)
    || compare(a.ruleId, b.ruleId)
    || compare(a.fingerprint, b.fingerprint));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
