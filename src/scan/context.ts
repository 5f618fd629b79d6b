// Builds what the rules see (a ScanContext) from the assembled projects: AI facts per project, the texts read, the
// configuration, and the facts the enrich stage loads (git, blocklist, CI commands, popular names). Rules are pure;
// this is the edge where those facts are gathered.
import type { AiwardenConfig } from "../config/config.js";
import type { DependencyGraph } from "../graph/dependency-graph.js";
import type { PackageNode } from "../graph/package-node.js";
import type { BlastRadius, ContextFacts, ContextProject, GitFacts, ScanContext } from "../rules/rule.js";
import type { AssembledProject } from "./assemble.js";
import type { FileResult, ProjectResult } from "./result.js";
import type { AiLookup } from "./scan.js";

/** One assembled project with its public description. */
export interface ProjectPair {
  assembled: AssembledProject;
  result: ProjectResult;
}

/** Inputs of {@link buildContext}; facts default to none. */
export interface ContextInputs {
  projects: ProjectPair[];
  files: FileResult[];
  texts: ReadonlyMap<string, string>;
  config: AiwardenConfig;
  catalog: AiLookup;
  git?: GitFacts;
  facts?: ContextFacts;
  /** YYYY-MM-DD; defaults to today (UTC). */
  today?: string;
}

/** Assembles the rules' view of one scanned root. */
export function buildContext(inputs: ContextInputs): ScanContext {
  return {
    projects: inputs.projects.map(({ assembled, result }) => contextProject(assembled, result, inputs.catalog)),
    files: inputs.files,
    texts: inputs.texts,
    config: inputs.config,
    ...(inputs.git ? { git: inputs.git } : {}),
    today: inputs.today ?? new Date().toISOString().slice(0, 10),
    facts: inputs.facts ?? {},
  };
}

function contextProject(assembled: AssembledProject, result: ProjectResult, catalog: AiLookup): ContextProject {
  const graph = assembled.graph;
  let radius: Map<string, BlastRadius> | undefined;
  return {
    path: result.path,
    ecosystem: assembled.ecosystem,
    files: result.files,
    extractorId: assembled.extractorId,
    locked: assembled.kind === "lockfile",
    graph,
    result,
    blastRadius(node: PackageNode): BlastRadius {
      radius ??= blastRadii(graph, catalog);
      return radius.get(node.id) ?? "other";
    },
  };
}

/** AI packages, and everything reachable from one (its dependency subtree), computed in one traversal. */
export function blastRadii(graph: DependencyGraph, catalog: AiLookup): Map<string, BlastRadius> {
  const radius = new Map<string, BlastRadius>();
  const queue: string[] = [];
  for (const node of graph.packages()) {
    if (!node.workspace && catalog.lookup(graph.ecosystem, node.name)) {
      radius.set(node.id, "ai");
      queue.push(node.id);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    for (const edge of graph.dependenciesOf(queue[i] as string)) {
      if (radius.has(edge.to)) continue;
      radius.set(edge.to, "ai-subtree");
      queue.push(edge.to);
    }
  }
  return radius;
}
