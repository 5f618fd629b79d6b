import type { DependencyGraph } from "../graph/dependency-graph.js";
import type { Ecosystem, SourceKind } from "../graph/package-node.js";
import type { FileStatus } from "../ecosystems/extractor.js";
import type { Finding } from "../rules/rule.js";

/** Bumped on any breaking change to the JSON result (documented in the README). */
export const SCHEMA_VERSION = 1;

/** The AI facts about a package, from the catalog. */
export interface AiInfo {
  category: string;
  provider: string;
}

/** One package of a project, as `--format json` prints it. */
export interface PackageResult {
  name: string;
  version: string;
  purl: string;
  direct: boolean;
  dev: boolean;
  optional: boolean;
  source: SourceKind;
  /** The range or specifier the project declared, when it is a direct dependency and the file says. */
  declared?: string;
  ai: AiInfo | null;
  /** Shortest chains from the project root, each `["root", …, name]`; at most five. Empty when the file format
   *  does not record how the package is pulled in (Pipfile.lock) or it is unreachable. */
  paths: string[][];
}

/** One project: a lockfile (or a manifest without one) and the files that feed it. */
export interface ProjectResult {
  /** Directory of the project, relative to the scanned root ("." for the root itself). */
  path: string;
  ecosystem: Ecosystem;
  /** The files this project was read from, relative to the scanned root; the lockfile first. */
  files: string[];
  packages: PackageResult[];
}

/** One finding, as the rules report it (see src/rules/rule.ts). */
export type FindingResult = Finding;

/** The outcome for one discovered file. */
export interface FileResult {
  path: string;
  status: FileStatus;
  reason?: string;
}

/** The public result of a scan: what `--format json` prints and `scan()` returns. */
export interface ScanResult {
  schemaVersion: number;
  tool: { name: string; version: string };
  projects: ProjectResult[];
  findings: FindingResult[];
  files: FileResult[];
}

/** A project with its graph, for commands that need more than the public result (why, manifest). */
export interface AnalyzedProject {
  result: ProjectResult;
  graph: DependencyGraph;
}
