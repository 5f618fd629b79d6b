import type { EdgeKind } from "../../graph/package-node.js";
import { stripBom } from "../shared/text.js";
import { visitKeys } from "./json-lines.js";

/** One dependency a package.json declares. */
export interface DeclaredDependency {
  /** The name the project imports it under (for `npm:` aliases, the alias). */
  name: string;
  /** The real package name (differs from `name` for `npm:` aliases). */
  target: string;
  /** The range after removing an `npm:name@` alias prefix. */
  range: string;
  /** The spec exactly as written. */
  spec: string;
  kind: EdgeKind;
}

/** The parts of a package.json that dependency extraction needs. */
export interface PackageManifest {
  name?: string;
  version?: string;
  dependencies: DeclaredDependency[];
  /** Workspace globs (`workspaces` array or `workspaces.packages`). */
  workspaces: string[];
  /** Names listed in bundleDependencies / bundledDependencies. */
  bundled: string[];
  /** Lifecycle scripts that run at install time (preinstall/install/postinstall/prepare). */
  installScripts: string[];
  /** Dependency entries ignored because their spec is not a string (or a section is not an object). */
  skipped: number;
}

const SECTIONS: ReadonlyArray<[string, EdgeKind]> = [
  ["dependencies", "prod"],
  ["devDependencies", "dev"],
  ["optionalDependencies", "optional"],
  ["peerDependencies", "peer"],
];

const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepare"];

/**
 * Parses package.json text. Throws a one-line Error on invalid JSON (callers turn it into a file status);
 * fields of the wrong type are skipped. When a name appears in both `dependencies` and
 * `optionalDependencies`, npm installs it as optional, so the optional entry wins.
 */
export function parsePackageJson(text: string): PackageManifest {
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text));
  } catch (error) {
    throw new Error(`invalid JSON: ${(error as Error).message}`);
  }
  if (!isObject(data)) throw new Error("not a package.json: the top level is not an object");
  const byName = new Map<string, DeclaredDependency>();
  let skipped = 0;
  for (const [section, kind] of SECTIONS) {
    const deps = data[section];
    if (deps === undefined || deps === null) continue;
    if (!isObject(deps)) {
      skipped++;
      continue;
    }
    for (const [name, spec] of Object.entries(deps)) {
      if (typeof spec !== "string") {
        skipped++;
        continue;
      }
      const existing = byName.get(name);
      // dependencies + peerDependencies of the same name: the regular one decides what is installed.
      if (existing && kind === "peer") continue;
      if (existing && existing.kind === "optional" && kind === "prod") continue;
      const alias = parseAlias(spec);
      byName.set(name, { name, target: alias?.name ?? name, range: alias?.range ?? spec, spec, kind });
    }
  }
  const workspacesField = data.workspaces;
  const workspaces = Array.isArray(workspacesField)
    ? workspacesField
    : isObject(workspacesField) && Array.isArray(workspacesField.packages)
      ? workspacesField.packages
      : [];
  const bundledField = data.bundleDependencies ?? data.bundledDependencies;
  const scripts = isObject(data.scripts) ? data.scripts : {};
  return {
    ...(typeof data.name === "string" ? { name: data.name } : {}),
    ...(typeof data.version === "string" ? { version: data.version } : {}),
    dependencies: [...byName.values()],
    workspaces: workspaces.filter((w): w is string => typeof w === "string"),
    bundled: Array.isArray(bundledField) ? bundledField.filter((b): b is string => typeof b === "string") : [],
    installScripts: INSTALL_SCRIPTS.filter((s) => typeof scripts[s] === "string"),
    skipped,
  };
}

/** Splits `npm:real-name@range` into its parts; undefined for any other spec. */
export function parseAlias(spec: string): { name: string; range: string } | undefined {
  if (!spec.startsWith("npm:")) return undefined;
  const rest = spec.slice(4);
  const at = rest.indexOf("@", rest.startsWith("@") ? 1 : 0);
  return at < 0 ? { name: rest, range: "*" } : { name: rest.slice(0, at), range: rest.slice(at + 1) };
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The package.json section each edge kind is declared in (`peerOptional` is a peer dependency marked optional). */
const SECTION_OF: Readonly<Record<EdgeKind | "peerOptional", string>> = {
  prod: "dependencies",
  dev: "devDependencies",
  optional: "optionalDependencies",
  peer: "peerDependencies",
  peerOptional: "peerDependencies",
};

const DEPENDENCY_SECTIONS: ReadonlySet<string> = new Set(["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]);

/**
 * Lines of the dependency keys of a package.json (or of any JSON object holding the four dependency sections), keyed
 * `<section>\u0000<name>`, in one pass over the text. The text must be valid JSON (callers parsed it already).
 */
export function dependencyKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  visitKeys(text, (parents, key, line) => {
    if (parents.length === 1 && DEPENDENCY_SECTIONS.has(parents[0] as string)) {
      const id = `${parents[0]}\u0000${key}`;
      if (!lines.has(id)) lines.set(id, line);
    }
  });
  return lines;
}

/**
 * The line that declares `name` for an edge of this kind: in its own section, else in any section (npm merges a name
 * listed twice into one edge), from a map built by {@link dependencyKeyLines}.
 */
export function declarationLine(lines: ReadonlyMap<string, number>, name: string, kind: EdgeKind | "peerOptional"): number | undefined {
  const own = lines.get(`${SECTION_OF[kind]}\u0000${name}`);
  if (own !== undefined) return own;
  for (const section of DEPENDENCY_SECTIONS) {
    const line = lines.get(`${section}\u0000${name}`);
    if (line !== undefined) return line;
  }
  return undefined;
}
