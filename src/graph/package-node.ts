/** The two package universes aiwarden understands. */
export type Ecosystem = "npm" | "pypi";

/** Where a package's code comes from: a registry, or something that bypasses it. */
export type SourceKind = "registry" | "git" | "url" | "path";

/** How a dependant asks for a dependency. */
export type EdgeKind = "prod" | "dev" | "optional" | "peer";

/** One integrity hash as a lockfile records it; algorithm lower-case (`sha512`, `sha256`, `sha1`, `md5`). */
export interface Hash {
  algorithm: string;
  /** The digest as written in the lockfile (base64 for SRI, hex for pip/poetry/uv). */
  value: string;
}

/** Where in which file a package is recorded, for findings that point at a line. */
export interface Location {
  file: string;
  line?: number;
}

/** Everything an extractor knows about one resolved (or declared) package. */
export interface PackageInput {
  /** Name normalised for its ecosystem (PEP 503 for PyPI); for npm aliases, the real package name. */
  name: string;
  /** Exact resolved version; "" when only a declaration is known (manifest without lockfile). */
  version: string;
  source?: SourceKind;
  /** Resolved URL, git URL + commit or path, as the lockfile records it. */
  resolved?: string;
  hashes?: Hash[];
  /** Leave undefined to have the graph compute it from edge kinds (reachable only through dev edges). */
  dev?: boolean;
  /** Leave undefined to have the graph compute it (reachable only through optional edges). */
  optional?: boolean;
  /** The dependency is satisfied from inside another package's tarball (npm `inBundle`). */
  bundled?: boolean;
  hasInstallScript?: boolean;
  /** What the importer asked for, as written (range or specifier; a requirements file keeps its environment marker). */
  declared?: string;
  /** A local project of the workspace itself (npm/yarn/pnpm workspace, uv workspace member). */
  workspace?: boolean;
  location?: Location;
}

/** A package node in a {@link DependencyGraph}. */
export interface PackageNode {
  /** Unique within its graph. "root" is the project itself. */
  id: string;
  ecosystem: Ecosystem;
  name: string;
  version: string;
  purl: string;
  source: SourceKind;
  resolved?: string;
  hashes: Hash[];
  dev: boolean;
  optional: boolean;
  bundled: boolean;
  hasInstallScript: boolean;
  declared?: string;
  workspace: boolean;
  locations: Location[];
}

/** A dependency edge: `from` depends on `to`. */
export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** The range or specifier the dependant wrote, when known. */
  spec?: string;
  /** The name under which the dependant sees `to`, when it differs (npm `npm:` aliases). */
  alias?: string;
  /** Where the dependant declares it (the manifest line of a direct dependency), when known. */
  location?: Location;
}
