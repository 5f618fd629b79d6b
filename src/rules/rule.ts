// What a rule is and what it receives. A rule is data (id, title, default severity, docs) plus one pure function from
// the scan context to findings: no I/O (lint forbids it here), so `--offline` and tests need nothing special.
// See ../../docs/rules.md (generated from these definitions) for every rule's documentation.
import type { AiwardenConfig } from "../config/config.js";
import type { DependencyGraph } from "../graph/dependency-graph.js";
import type { Ecosystem, PackageNode } from "../graph/package-node.js";
import type { FileResult, ProjectResult } from "../scan/result.js";
import type { TyposquatFacts } from "../sources/popular.js";
import type { CiFactsDetail } from "../ci/types.js";
import type { AdvisoryFacts } from "../sources/advisories.js";
import type { CooldownFacts } from "../sources/cooldown.js";
import type { RegistryFacts } from "../sources/registry/types.js";
import type { SecretFacts } from "../secrets/facts.js";
import type { KeyRegistry } from "../secrets/hygiene.js";

/** How bad a finding is, most severe first. */
export type Severity = "critical" | "high" | "medium" | "low" | "info";

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

/** What a rule's documentation says: shared by the text, markdown, SARIF renderers and docs/rules.md. */
export interface RuleDocs {
  /** What the rule detects, one or two sentences. */
  what: string;
  /** Why it matters (the incident or attack it stands for). */
  why: string;
  /** How to fix it, in general. Findings carry a specific fix too. */
  fix: string;
  /** Links to the incident, advisory or documentation the rule follows. */
  references?: string[];
}

/** One rule: metadata plus a pure check. */
export interface Rule {
  /** Stable forever, never reused: `AIW-<AREA>-<NNN>`. */
  id: string;
  title: string;
  /** The severity the rule's findings usually have; a finding may rank higher or lower by blast radius. */
  severity: Severity;
  docs: RuleDocs;
  check(context: ScanContext): FindingDraft[];
}

/** What a rule reports; the engine adds the rule's title, the why-paths, the fingerprint, and applies config. */
export interface FindingDraft {
  severity: Severity;
  /** One sentence saying what is wrong here, naming the package/file/line facts (never a secret). */
  message: string;
  /** What to do about this one (a command, a version, a line to change). */
  fix: string;
  /** Root-relative path of the file where it can be seen and fixed. */
  file: string;
  /** 1-based line in that file, when known. */
  line?: number;
  /** The project (its path) the finding belongs to, when it is about a project. */
  project?: string;
  /** The package the finding is about, when it is about one. Its chains become the finding's `paths`. */
  package?: { ecosystem: Ecosystem; name: string; version: string; id?: string };
  /**
   * What identifies this finding apart from its rule, independent of line numbers: e.g. [project, name@version] or
   * [file, action reference]. Hashed into the fingerprint, so ignores survive edits elsewhere in the file.
   */
  key: string[];
  /** For credential findings: the key's fingerprint (never its text), so one ignore can accept a key everywhere. */
  secret?: { fingerprint: string };
}

/** A finding as every output format receives it. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  file: string;
  line?: number;
  package?: { ecosystem: Ecosystem; name: string; version: string; purl: string };
  /** Shortest chains from the project root to the package (`["root", …, name]`), when the finding is about one. */
  paths: string[][];
  /** Stable identity: a truncated SHA-256 of the rule id and the finding's key. */
  fingerprint: string;
  fix: string;
  /** The credential a finding is about (AIW-SECRET-*): its fingerprint, as `aiwarden keys` lists it. */
  secret?: { fingerprint: string };
}

/** Where a package sits relative to the AI stack, which decides how much a problem with it matters. */
export type BlastRadius = "ai" | "ai-subtree" | "other";

/** A project as rules see it: the public result, the graph, and AI facts computed once. */
export interface ContextProject {
  /** Project directory relative to the scanned root ("." for the root). */
  path: string;
  ecosystem: Ecosystem;
  /** Root-relative paths of its files, primary first. */
  files: string[];
  /** The extractor of the primary file (`npm-lock`, `npm-manifest`, `poetry-lock`, …). */
  extractorId: string;
  /** True when the project has a lockfile; false for a manifest read alone. */
  locked: boolean;
  graph: DependencyGraph;
  result: ProjectResult;
  /** Whether a node is an AI package, inside an AI package's dependency subtree, or neither. */
  blastRadius(node: PackageNode): BlastRadius;
}

/** One file that is not a dependency file but that rules read (CI workflows, Dockerfiles, shell scripts, …). */
export interface TextFile {
  path: string;
  text: string;
}

/** Facts git knows about the scanned root; absent when it is not a git work tree (or git is unavailable). */
export interface GitFacts {
  /** True when git tracks the root-relative path. */
  isTracked(path: string): boolean;
  /** True when .gitignore (or another exclude source) ignores the root-relative path. */
  isIgnored(path: string): boolean;
  /** The pattern that ignores the path and where it is written, when git can say. */
  ignoredBy?(path: string): { file: string; line: number; pattern: string } | undefined;
}

/** Everything the rules may look at: read and computed before any rule runs. */
export interface ScanContext {
  projects: ContextProject[];
  /** Status of every discovered file. */
  files: FileResult[];
  /** Text of every file that was read (dependency files and their companions, CI files), by root-relative path. */
  texts: ReadonlyMap<string, string>;
  config: AiwardenConfig;
  git?: GitFacts;
  /** Today's date as YYYY-MM-DD (injected, so expiry checks are testable). */
  today: string;
  /** Extra facts later stages add (blocklist, CI documents, popular names, …) live in typed fields below. */
  facts: ContextFacts;
}

/**
 * Facts loaded in the enrich stage (src/sources/, src/ci/), each owned by one module. Kept in one object so adding a
 * source does not change every rule's signature. A missing fact means its source was switched off or had nothing.
 */
export interface ContextFacts {
  /** Known-compromised versions: the shipped blocklist plus the user's (src/sources/blocklist.ts). */
  blocklist?: Blocklist;
  /** Install commands, action references and images found in CI files, Dockerfiles, Makefiles and scripts (src/ci/). */
  ci?: CiFactsDetail;
  /** Names of the most-used packages per ecosystem, most popular first (data/popular-packages.json). */
  popular?: Readonly<Record<Ecosystem, readonly string[]>>;
  /** Which popular names are AI packages, and reviewed look-alikes (src/sources/popular.ts). */
  typosquats?: TyposquatFacts;
  /** Advisories (OSV online or an OSV database folder, npm bulk advisories) per locked version (src/sources/advisories.ts). */
  advisories?: AdvisoryFacts;
  /** What the registries publish about locked versions: times, hashes, signatures, provenance (src/sources/registry/). */
  registry?: RegistryFacts;
  /** The release-age cooldown settings of the package managers in use (src/sources/cooldown.ts). */
  cooldown?: CooldownFacts;
  /** Credentials in the tree and in git history, `.env` files (src/secrets/). */
  secrets?: SecretFacts;
  /** The key rotation registry (aiwarden.keys.json and the configuration's `keys`), when one exists (src/secrets/key-registry.ts). */
  keyRegistry?: KeyRegistry;
}

/** One blocklist record (OSV format, matched on name + exact versions only). */
export interface BlocklistEntry {
  /** OSV id (MAL-…, GHSA-…, PYSEC-…, or the user's own). */
  id: string;
  aliases: string[];
  ecosystem: Ecosystem;
  /** Normalised for the ecosystem. */
  name: string;
  versions: readonly string[];
  summary: string;
  references: string[];
  /** Root-relative or absolute path of the file it came from ("data/blocklist/…" for shipped ones). */
  source: string;
}

/** Lookup of known-compromised versions. */
export interface Blocklist {
  /** Every entry that lists this exact version of this package (name normalised by the caller's ecosystem). */
  match(ecosystem: Ecosystem, name: string, version: string): BlocklistEntry[];
}

/** One simple command (no pipes or `&&`) found in a CI file, Dockerfile, Makefile or shell script. */
export interface CiCommand {
  /** Root-relative path of the file. */
  file: string;
  line: number;
  /** The words of the command after quote removal, e.g. ["npm", "install", "--no-audit"]. */
  argv: string[];
  /** The command as written (one line, continuations joined), for messages. */
  text: string;
  /** Where it sits, e.g. `jobs.build.steps[3].run`, `RUN` or a Makefile target; for messages. */
  where: string;
}

/** One `uses:` reference in a GitHub Actions workflow or composite action. */
export interface ActionReference {
  file: string;
  line: number;
  /** As written: `actions/checkout@v4`, `./local-action`, `docker://alpine:3.19`. */
  uses: string;
  /** The job id (workflows) or undefined (composite actions). */
  job?: string;
  /** Names of the secrets the job can read (`secrets.X` referenced anywhere in the job, plus `secrets: inherit`). */
  jobSecrets: string[];
  /** The job may publish (id-token: write, contents/packages write, or a known publishing secret). */
  jobPublishes: boolean;
}

/** What the CI readers found. */
export interface CiFacts {
  commands: CiCommand[];
  actions: ActionReference[];
}

/** Raises (positive steps) or lowers (negative) a severity, clamped to the scale. */
export function shiftSeverity(severity: Severity, steps: number): Severity {
  const index = SEVERITIES.indexOf(severity);
  const shifted = Math.min(SEVERITIES.length - 1, Math.max(0, index - steps));
  return SEVERITIES[shifted] as Severity;
}

/** True when `severity` is at least as severe as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/**
 * The severity for a problem on a package, by blast radius: one step higher for an AI package or anything inside an
 * AI package's dependency subtree (a compromised utility under an LLM client runs with the client's credentials).
 */
export function severityByBlastRadius(base: Severity, radius: BlastRadius): Severity {
  return radius === "other" ? base : shiftSeverity(base, 1);
}
