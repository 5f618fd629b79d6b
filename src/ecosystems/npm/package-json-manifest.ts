import semver from "semver";
import { GraphBuilder, ROOT_ID } from "../../graph/dependency-graph.js";
import type { PackageInput } from "../../graph/package-node.js";
import { failed } from "../extractor.js";
import type { Extraction, Extractor, SourceFile } from "../extractor.js";
import { jsonErrorReason, visitKeys } from "./json-lines.js";
import { parsePackageJson } from "./package-json.js";
import { stripBom } from "../shared/text.js";
import type { DeclaredDependency } from "./package-json.js";
import { sourceOfSpec } from "./sources.js";
import { packageJsonFormat } from "./claims.js";

const SECTION_NAMES = new Set(["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]);

/**
 * A package.json on its own (no lockfile consumed it): the declared dependencies only, each with the spec as
 * written and a version only when the spec pins one exact version. Specs are classified the way npm reads them
 * (https://docs.npmjs.com/cli/configuring-npm/package-json#dependencies): registry ranges and `npm:` aliases,
 * git and GitHub shorthand, tarball URLs, and local paths (`file:`, plus yarn/pnpm `link:` and `workspace:`).
 * Files inside node_modules are installed packages, not projects, and are left alone.
 */
export const packageJsonExtractor: Extractor = {
  ...packageJsonFormat,
  companions: () => [],
  extract: extractManifest,
};

function extractManifest(file: SourceFile): Extraction {
  const text = stripBom(file.text);
  if (text.trim() === "") return failed("empty file");
  try {
    JSON.parse(text);
  } catch (error) {
    return failed(jsonErrorReason(text, error));
  }
  let manifest;
  try {
    manifest = parsePackageJson(text);
  } catch (error) {
    return failed((error as Error).message);
  }
  // Lines of each dependency key, and of the section it sits in, in one pass.
  const lines = new Map<string, number>();
  visitKeys(text, (parents, key, line) => {
    if (parents.length === 1 && SECTION_NAMES.has(parents[0] as string)) lines.set(`${parents[0]}\u0000${key}`, line);
  });
  const builder = new GraphBuilder("npm", {
    ...(manifest.name !== undefined ? { name: manifest.name } : {}),
    ...(manifest.version !== undefined ? { version: manifest.version } : {}),
    location: { file: file.path, line: 1 },
  });
  for (const dep of manifest.dependencies) {
    const location = { file: file.path, line: lines.get(`${sectionOf(dep)}\u0000${dep.name}`) ?? 1 };
    const id = builder.addPackage(declaredInput(dep, location));
    builder.addEdge(ROOT_ID, id, dep.kind, dep.spec, dep.target !== dep.name ? dep.name : undefined, location);
  }
  return {
    graph: builder.build(),
    status: manifest.skipped > 0 ? "partial" : "ok",
    ...(manifest.skipped > 0 ? { reason: `${manifest.skipped} dependency ${manifest.skipped === 1 ? "entry" : "entries"} with a spec that is not a string skipped` } : {}),
    consumed: [],
    problems: [],
  };
}

/** A declared dependency as a package: the real name (for aliases), the exact pin if any, the source it names. */
function declaredInput(dep: DeclaredDependency, location: { file: string; line: number }): PackageInput {
  const source = sourceOfSpec(dep.spec);
  const input: PackageInput = { name: dep.target, version: "", source, declared: dep.spec, location };
  if (source === "registry") {
    // `1.2.3`, `=1.2.3` and `v1.2.3` pin one version (npm-package-arg reads a loose-valid semver as a version).
    input.version = semver.valid(dep.range.trim(), { loose: true }) ?? "";
  } else {
    input.resolved = dep.spec;
  }
  return input;
}

/** The package.json section a parsed dependency came from (parsePackageJson keeps one entry per name). */
function sectionOf(dep: DeclaredDependency): string {
  switch (dep.kind) {
    case "dev":
      return "devDependencies";
    case "optional":
      return "optionalDependencies";
    case "peer":
      return "peerDependencies";
    default:
      return "dependencies";
  }
}
