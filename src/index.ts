/**
 * aiwarden's library entry: `scan()` returns the same result `aiwarden scan --format json` prints.
 */
export { scan, analyze } from "./scan/scan.js";
export type { ScanOptions, Analysis, AiLookup } from "./scan/scan.js";
export type { ScanResult, ProjectResult, PackageResult, FileResult, AiInfo } from "./scan/result.js";
export { SCHEMA_VERSION } from "./scan/result.js";
export { why } from "./scan/why.js";
export type { WhyMatch } from "./scan/why.js";
export { DependencyGraph, GraphBuilder, ROOT_ID } from "./graph/dependency-graph.js";
export type { PackageNode, Edge, Ecosystem, SourceKind } from "./graph/package-node.js";
export { extractors } from "./ecosystems/index.js";
export type { Extractor, ExtractorEntry, Extraction, SourceFile } from "./ecosystems/extractor.js";
