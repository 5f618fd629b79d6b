// Test-only helpers: locate fixtures that live next to the module's source, from the compiled test in dist/.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT_ID } from "../graph/dependency-graph.js";
import type { DependencyGraph } from "../graph/dependency-graph.js";
import type { ExtractContext, Extraction, Extractor, SourceFile } from "../ecosystems/extractor.js";

/** The compiled output folder (dist/, or another --outDir inside the repository). */
const outRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The repository root (the folder holding package.json). */
export const repoRoot = join(outRoot, "..");

/** Absolute path of a file in the `fixtures/` folder beside a test's source (`src/.../fixtures/<name>`). */
export function fixturePath(testUrl: string, ...name: string[]): string {
  const sourceDir = join(repoRoot, "src", relative(outRoot, dirname(fileURLToPath(testUrl))));
  return join(sourceDir, "fixtures", ...name);
}

/** Absolute path inside the shared real-world corpus (`fixtures/realworld/`, see its README for provenance). */
export function realworldPath(...name: string[]): string {
  return join(repoRoot, "fixtures", "realworld", ...name);
}

/** Reads a fixture file as text. */
export function readFixture(testUrl: string, ...name: string[]): string {
  return readFileSync(fixturePath(testUrl, ...name), "utf8");
}

/**
 * Runs an extractor the way the scan layer does, over an in-memory file set: asks for companions until the list
 * stops growing, then extracts. `files` maps root-relative POSIX paths to text.
 */
export function extractFrom(extractor: Extractor, primary: string, files: Record<string, string>): Extraction {
  const file: SourceFile = { path: primary, text: files[primary] ?? "" };
  const discovered = Object.keys(files).sort();
  const read = new Map<string, string>();
  const unreadable = new Map<string, string>();
  const context: ExtractContext = { discovered, files: read, unreadable };
  for (let round = 0; round < 100; round++) {
    const wanted = extractor.companions(file, context).filter((p) => !read.has(p) && !unreadable.has(p));
    if (wanted.length === 0) break;
    for (const path of wanted) {
      const text = files[path];
      if (text === undefined) unreadable.set(path, "file not found");
      else read.set(path, text);
    }
  }
  return extractor.extract(file, context);
}

/** Loads every file under a fixture folder into the map `extractFrom` takes (paths relative to that folder). */
export function loadTree(dir: string, files: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of files) out[f] = readFileSync(join(dir, ...f.split("/")), "utf8");
  return out;
}

/** name@version of every package in a graph (the set `npm ls` would list), sorted. */
export function nameVersions(graph: DependencyGraph): string[] {
  return [...new Set(graph.packages().map((p) => `${p.name}@${p.version}`))].sort();
}

/** A chain from pathsTo, as names joined with " > " ("root" first). */
export function chainNames(graph: DependencyGraph, id: string, limit = 5): string[] {
  return graph.pathsTo(id, limit).map((chain) => chain.map((n) => (n.id === ROOT_ID ? "root" : n.name)).join(" > "));
}

