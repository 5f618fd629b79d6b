// Oracle test: the graph of each real npm lockfile must hold exactly the packages, and the dependency edges, that npm
// itself reports for the same files (`npm ls --all --package-lock-only --json --long`, which builds arborist's
// virtual tree from the lockfile alone). The test spawns npm as an oracle; the product never does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, resolve as resolvePath } from "node:path";
import { ROOT_ID } from "../../graph/dependency-graph.js";
import type { DependencyGraph } from "../../graph/dependency-graph.js";
import { extractFrom, fixturePath, realworldPath } from "../../testing/fixtures.js";
import { npmLockExtractor } from "./package-lock.js";

interface Case {
  name: string;
  dir: string;
  /** Number of name@version pairs expected, so a silently empty comparison cannot pass. */
  expectedPackages: number;
}

const cases: Case[] = [
  { name: "cline__cline", dir: realworldPath("cline__cline"), expectedPackages: 1396 },
  { name: "microsoft__vscode-copilot-chat", dir: realworldPath("microsoft__vscode-copilot-chat"), expectedPackages: 1483 },
  { name: "google-gemini__gemini-cli (workspaces)", dir: realworldPath("google-gemini__gemini-cli"), expectedPackages: 1359 },
  { name: "mckaywrigley__chatbot-ui", dir: realworldPath("mckaywrigley__chatbot-ui"), expectedPackages: 1339 },
  { name: "e2b-dev__fragments", dir: realworldPath("e2b-dev__fragments"), expectedPackages: 650 },
  { name: "huggingface__chat-ui", dir: realworldPath("huggingface__chat-ui"), expectedPackages: 822 },
  { name: "reworkd__AgentGPT/next (lockfileVersion 2)", dir: realworldPath("reworkd__AgentGPT", "next"), expectedPackages: 1077 },
  { name: "fixture v3-workspaces (npm 11)", dir: fixturePath(import.meta.url, "v3-workspaces"), expectedPackages: 15 },
  { name: "fixture v1 (npm 6)", dir: fixturePath(import.meta.url, "v1"), expectedPackages: 8 },
];

const npmAvailable = spawnSync("npm", ["--version"], { stdio: "ignore", shell: process.platform === "win32" }).status === 0;

/** The lockfile and every package.json of a fixture folder (workspace members included), relative POSIX paths. */
function projectFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((p) => p.split("\\").join("/"))
    .filter((p) => (p.endsWith("package.json") || p === "package-lock.json") && !p.startsWith(".github/"))
    .sort();
}

/** Copies the files to a fresh folder and runs npm ls there. Resolves to [project folder, parsed output]. */
function runNpmLs(files: Record<string, string>): Promise<[string, NpmLsNode]> {
  const project = realpathSync(mkdtempSync(join(tmpdir(), "aiwarden-npm-oracle-")));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  }
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["ls", "--all", "--package-lock-only", "--json", "--long"], {
      cwd: project,
      shell: process.platform === "win32",
      // Offline: `ls --package-lock-only` reads files only; make sure nothing reaches for the network.
      env: { ...process.env, npm_config_offline: "true", npm_config_update_notifier: "false", npm_config_fund: "false" },
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", reject);
    // npm ls exits 1 when it finds problems (missing/invalid dependencies); the JSON is complete either way.
    child.on("close", () => {
      rmSync(project, { recursive: true, force: true });
      try {
        resolve([project, JSON.parse(Buffer.concat(chunks).toString("utf8")) as NpmLsNode]);
      } catch (error) {
        reject(error);
      }
    });
  });
}

interface NpmLsNode {
  _id?: string;
  path?: string;
  resolved?: string;
  missing?: boolean;
  dependencies?: Record<string, NpmLsNode>;
}

/**
 * name@version of every node npm lists, and "from -> to" of every dependency it prints. Normalisations:
 * - npm ls keys an aliased dependency by its alias (`"wrap-ansi-cjs": {...}`); with --long each node carries `_id`,
 *   the real name@version, which is what the graph names the node (the alias lives on the edge).
 * - a workspace appears as a link node whose `_id` is the member's name@version: our workspace node.
 * - a link with no version (a v1 `file:` folder the lock has no entry for) and a missing dependency have no `_id`:
 *   neither is a package npm resolved from the lock, so both sides leave them out.
 * - a root that is its own workspace (`"workspaces": ["."]`, cline) shows up as a dependency of itself through the
 *   link `node_modules/<root name>` (`resolved: "file:.."`); a link to the project folder is the root.
 * npm ls prints every dependency edge of every node (a deduped node is printed as a stub, its edges elsewhere), and
 * lists extraneous entries too, so no category of entries needs excluding.
 */
function fromNpmLs(tree: NpmLsNode, project: string): { packages: Set<string>; edges: Set<string> } {
  // Links to the project folder, found where npm prints them in full (a deduped stub carries no `resolved`).
  const rootLinks = new Set<string>();
  const findRootLinks = (node: NpmLsNode) => {
    for (const child of Object.values(node.dependencies ?? {})) {
      if (child.path !== undefined && linkTarget(child) === project) rootLinks.add(child.path);
      findRootLinks(child);
    }
  };
  findRootLinks(tree);
  const packages = new Set<string>();
  const edges = new Set<string>();
  const walk = (node: NpmLsNode, from: string) => {
    for (const child of Object.values(node.dependencies ?? {})) {
      const id = child.path !== undefined && rootLinks.has(child.path) ? "ROOT" : child._id;
      if (id === undefined) continue;
      if (id !== "ROOT") packages.add(id);
      if (id !== from) edges.add(`${from} -> ${id}`);
      walk(child, id);
    }
  };
  walk(tree, "ROOT");
  return { packages, edges };
}

/** The folder a link node points at: npm ls gives links `resolved: "file:<target relative to the link's folder>"`. */
function linkTarget(node: NpmLsNode): string | undefined {
  if (node.path === undefined || !node.resolved?.startsWith("file:")) return undefined;
  return resolvePath(dirname(node.path), node.resolved.slice("file:".length));
}

function fromGraph(graph: DependencyGraph): { packages: Set<string>; edges: Set<string> } {
  const versionless = (id: string) => {
    const node = graph.get(id);
    return node !== undefined && node.source === "path" && node.version === "";
  };
  const nameVersion = (id: string) => {
    const node = graph.get(id);
    return id === ROOT_ID || node === undefined ? "ROOT" : `${node.name}@${node.version}`;
  };
  return {
    packages: new Set(graph.packages().filter((p) => !versionless(p.id)).map((p) => nameVersion(p.id))),
    edges: new Set(graph.edges.filter((e) => !versionless(e.from) && !versionless(e.to)).map((e) => `${nameVersion(e.from)} -> ${nameVersion(e.to)}`)),
  };
}

function difference(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

// Start every npm process up front, a few at a time, so the whole comparison takes a few seconds.
const limit = Math.max(1, availableParallelism());
let running = 0;
const waiting: Array<() => void> = [];
function limited<T>(job: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const start = () => {
      running++;
      job().then(resolve, reject).finally(() => {
        running--;
        waiting.shift()?.();
      });
    };
    if (running < limit) start();
    else waiting.push(start);
  });
}

const prepared = cases.map((c) => {
  const files = Object.fromEntries(projectFiles(c.dir).map((p) => [p, readFileSync(join(c.dir, p), "utf8")]));
  const oracle = npmAvailable ? limited(() => runNpmLs(files)) : undefined;
  // Keep an unawaited rejection from crashing the run before its test reports it.
  oracle?.catch(() => undefined);
  return { ...c, files, oracle };
});

for (const c of prepared) {
  test(`npm ls oracle: ${c.name}`, { skip: npmAvailable ? false : "npm is not on PATH" }, async () => {
    const result = extractFrom(npmLockExtractor, "package-lock.json", c.files);
    assert.ok(result.graph, `${result.status}: ${result.reason}`);
    const ours = fromGraph(result.graph);
    const [project, tree] = await (c.oracle as Promise<[string, NpmLsNode]>);
    const npm = fromNpmLs(tree, project);
    assert.equal(npm.packages.size, c.expectedPackages, "npm ls lists the expected number of packages");
    assert.deepEqual(difference(ours.packages, npm.packages), [], "packages in our graph that npm ls does not list");
    assert.deepEqual(difference(npm.packages, ours.packages), [], "packages npm ls lists that our graph lacks");
    assert.deepEqual(difference(ours.edges, npm.edges), [], "edges in our graph that npm ls does not print");
    assert.deepEqual(difference(npm.edges, ours.edges), [], "edges npm ls prints that our graph lacks");
  });
}
