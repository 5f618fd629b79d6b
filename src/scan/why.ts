import { ROOT_ID } from "../graph/dependency-graph.js";
import { normalizeName } from "../graph/names.js";
import type { PackageNode } from "../graph/package-node.js";
import type { AnalyzedProject } from "./result.js";

/** One chain element: a package name and version ("root" has no version). */
export interface ChainLink {
  name: string;
  version: string;
}

/** One version of the asked-for package in one project, with the chains that pull it in. */
export interface WhyMatch {
  project: string;
  ecosystem: string;
  files: string[];
  name: string;
  version: string;
  direct: boolean;
  dev: boolean;
  chains: ChainLink[][];
  /** True when there may be more chains than the limit allowed. */
  truncated: boolean;
}

/**
 * Answers "why is this package here": every project that holds it, every version, and the chains from the project root,
 * shortest first, up to `limit` per version. The query may be `name` or `name@version`; PyPI names match normalised.
 */
export function why(projects: AnalyzedProject[], query: string, limit: number): WhyMatch[] {
  const at = query.lastIndexOf("@");
  const [rawName, version] = at > 0 ? [query.slice(0, at), query.slice(at + 1)] : [query, undefined];
  const matches: WhyMatch[] = [];
  for (const { graph, result } of projects) {
    const name = normalizeName(graph.ecosystem, rawName);
    for (const node of graph.packages()) {
      if (node.workspace || node.name !== name || (version !== undefined && node.version !== version)) continue;
      const chains = graph.pathsTo(node.id, limit + 1);
      matches.push({
        project: result.path,
        ecosystem: graph.ecosystem,
        files: result.files,
        name: node.name,
        version: node.version,
        direct: graph.isDirect(node.id),
        dev: node.dev,
        chains: chains.slice(0, limit).map((chain) => chain.map(link)),
        truncated: chains.length > limit,
      });
    }
  }
  return matches;
}

function link(node: PackageNode): ChainLink {
  return node.id === ROOT_ID ? { name: "root", version: "" } : { name: node.name, version: node.version };
}
