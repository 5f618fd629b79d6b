// AIW-LOCK-001: a project read from its manifest alone (package.json, pyproject.toml or Pipfile with no lockfile
// beside it) that declares dependencies. Every install then resolves the newest versions the ranges allow, so a
// poisoned release is installed the moment it is published. Requirements files are their own lock format and are not
// flagged here; workspace members of a locked root never become manifest-only projects (the root's lock consumes
// them), and a manifest whose folder holds a lockfile aiwarden cannot read (bun, PDM, a broken file) is left alone:
// that file has its own status.
import { baseName, dirOf, joinPath } from "../ecosystems/extractor.js";
import type { Ecosystem, PackageNode } from "../graph/package-node.js";
import type { ContextProject, FindingDraft, Rule, ScanContext } from "./rule.js";

/** File names that lock a manifest's dependencies, read by aiwarden or not (a project with one is not unlocked). */
const LOCKFILE_NAMES: Readonly<Record<Ecosystem, ReadonlySet<string>>> = {
  npm: new Set(["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb"]),
  pypi: new Set(["poetry.lock", "uv.lock", "Pipfile.lock", "pdm.lock", "pixi.lock", "pylock.toml"]),
};

/** Flags manifest-only projects that declare dependencies. */
export const lockfileMissing: Rule = {
  id: "AIW-LOCK-001",
  title: "No lockfile for the declared dependencies",
  severity: "medium",
  docs: {
    what: "A package.json, pyproject.toml or Pipfile declares dependencies but no lockfile sits beside it (requirements files, which pin versions themselves, are not flagged).",
    why: "Without a lockfile every install, in CI and on every laptop, resolves the newest versions the ranges allow: a compromised release (litellm 1.82.7/1.82.8 in March 2026, the chalk/debug and nx releases in 2025) is installed within minutes of being published, and nobody can say afterwards which version ran.",
    fix: "Generate the lockfile with the project's package manager (`npm install --package-lock-only`, `uv lock`, `poetry lock`, `pipenv lock`), commit it, and install from it in CI (`npm ci`, `uv sync --locked`, `poetry install`, `pipenv install --deploy`).",
    references: [
      "https://docs.npmjs.com/cli/configuring-npm/package-lock-json",
      "https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile",
      "https://python-poetry.org/docs/basic-usage/#committing-your-poetrylock-file-to-version-control",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const drafts: FindingDraft[] = [];
    const lockDirs: Record<Ecosystem, Set<string>> = { npm: new Set(), pypi: new Set() };
    for (const file of context.files) {
      const name = baseName(file.path);
      if (LOCKFILE_NAMES.npm.has(name)) lockDirs.npm.add(dirOf(file.path));
      if (LOCKFILE_NAMES.pypi.has(name) || isPylock(name) || isRequirementsFile(name)) lockDirs.pypi.add(dirOf(file.path));
    }
    for (const project of context.projects) {
      if (project.locked) continue;
      const manifest = project.files[0] as string;
      if (lockDirs[project.ecosystem].has(dirOf(manifest))) continue;
      if (lockedThroughAnotherProject(project, context)) continue;
      const declared = declaredPackages(project);
      if (declared.length === 0) continue;
      const ai = declared.filter((n) => project.blastRadius(n) === "ai").map((n) => n.name);
      const lines = declared.map((n) => n.locations.find((l) => l.file === manifest)?.line).filter((l): l is number => l !== undefined);
      const line = lines.length > 0 ? Math.min(...lines) : undefined;
      const count = `${declared.length} ${declared.length === 1 ? "dependency" : "dependencies"}`;
      const aiNote = ai.length > 0 ? `, including the AI ${ai.length === 1 ? "package" : "packages"} ${listNames(ai)},` : "";
      const command = lockCommand(project, context);
      drafts.push({
        severity: ai.length > 0 ? "high" : "medium",
        message: `${manifest} declares ${count}${aiNote} but has no lockfile: every install resolves the newest versions its ranges allow, so a compromised release is installed as soon as it is published.`,
        fix: `Run \`${command.generate}\` in ${dirOf(manifest) || "the project folder"}, commit ${command.lockfile}, and install from it in CI with \`${command.install}\`.`,
        file: manifest,
        ...(line !== undefined ? { line } : {}),
        project: project.path,
        key: [project.path, manifest],
      });
    }
    return drafts;
  },
};

/** `requirements*.txt` and the like: pip installs them as they are, so they count as the project's pins. */
function isRequirementsFile(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith(".txt") && lower.includes("requirements");
}

/** PEP 751 lockfiles: `pylock.toml` and `pylock.<name>.toml`. https://peps.python.org/pep-0751/ */
function isPylock(name: string): boolean {
  return name.startsWith("pylock.") && name.endsWith(".toml");
}

/** The packages the project itself declares (not only peer dependencies, which the consumer installs). */
function declaredPackages(project: ContextProject): PackageNode[] {
  const out = new Map<string, PackageNode>();
  for (const importer of project.graph.importers()) {
    for (const edge of project.graph.dependenciesOf(importer.id)) {
      const node = project.graph.get(edge.to);
      if (!node || node.workspace || edge.kind === "peer") continue;
      out.set(node.id, node);
    }
  }
  return [...out.values()];
}

/**
 * True when a locked project of the same ecosystem pulls this folder in as a local dependency (`file:`, `link:`, a
 * Poetry or uv path dependency): its dependencies are then resolved and pinned by that project's lock.
 */
function lockedThroughAnotherProject(project: ContextProject, context: ScanContext): boolean {
  const folder = project.path === "." ? "" : project.path;
  for (const other of context.projects) {
    if (!other.locked || other.ecosystem !== project.ecosystem) continue;
    const base = other.path === "." ? "" : other.path;
    for (const node of other.graph.packages()) {
      if (node.source !== "path" || node.resolved === undefined) continue;
      const target = joinPath(base, stripProtocol(node.resolved));
      if (target === folder) return true;
    }
  }
  return false;
}

function stripProtocol(resolved: string): string {
  const colon = resolved.indexOf(":");
  // `file:../lib`, `link:../lib`; but keep Windows drive letters and plain relative paths as they are.
  return colon > 1 && /^[a-z+]+$/.test(resolved.slice(0, colon)) ? resolved.slice(colon + 1) : resolved;
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 3).join(", ");
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/** How to create the missing lockfile with the tool the project uses, and how CI should install from it. */
function lockCommand(project: ContextProject, context: ScanContext): { generate: string; lockfile: string; install: string } {
  const manifest = project.files[0] as string;
  const text = context.texts.get(manifest) ?? "";
  switch (project.extractorId) {
    case "pipfile":
      return { generate: "pipenv lock", lockfile: "Pipfile.lock", install: "pipenv install --deploy" };
    case "pyproject":
      if (/^\[tool\.poetry[\].]/m.test(text) || text.includes("poetry.core.masonry")) return { generate: "poetry lock", lockfile: "poetry.lock", install: "poetry install" };
      return { generate: "uv lock", lockfile: "uv.lock", install: "uv sync --locked" };
    default:
      return npmCommand(packageManagerOf(text) ?? siblingManager(context));
  }
}

type NodeManager = "npm" | "yarn-classic" | "yarn" | "pnpm";

function npmCommand(manager: NodeManager): { generate: string; lockfile: string; install: string } {
  switch (manager) {
    case "pnpm":
      return { generate: "pnpm install --lockfile-only", lockfile: "pnpm-lock.yaml", install: "pnpm install --frozen-lockfile" };
    case "yarn":
      return { generate: "yarn install --mode=update-lockfile", lockfile: "yarn.lock", install: "yarn install --immutable" };
    case "yarn-classic":
      return { generate: "yarn install", lockfile: "yarn.lock", install: "yarn install --frozen-lockfile" };
    default:
      return { generate: "npm install --package-lock-only", lockfile: "package-lock.json", install: "npm ci" };
  }
}

/** The `packageManager` field of a package.json (Corepack: `pnpm@9.1.0`, `yarn@4.1.0`). */
function packageManagerOf(text: string): NodeManager | undefined {
  let field: unknown;
  try {
    field = (JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as { packageManager?: unknown }).packageManager;
  } catch {
    return undefined;
  }
  if (typeof field !== "string") return undefined;
  if (field.startsWith("pnpm@")) return "pnpm";
  if (field.startsWith("yarn@1.")) return "yarn-classic";
  if (field.startsWith("yarn@")) return "yarn";
  if (field.startsWith("npm@")) return "npm";
  return undefined;
}

/** Without a `packageManager` field: the tool the other npm projects of the scan lock with, when they agree. */
function siblingManager(context: ScanContext): NodeManager {
  const used = new Set(context.projects.filter((p) => p.locked && p.ecosystem === "npm").map((p) => p.extractorId));
  if (used.size !== 1) return "npm";
  if (used.has("pnpm-lock")) return "pnpm";
  if (used.has("yarn-lock")) {
    const lock = context.projects.find((p) => p.extractorId === "yarn-lock")?.files[0];
    const text = lock === undefined ? "" : (context.texts.get(lock) ?? "");
    return text.includes("__metadata:") ? "yarn" : "yarn-classic";
  }
  return "npm";
}
