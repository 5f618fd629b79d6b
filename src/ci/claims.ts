// Which files hold install commands or CI action references. By name only, like the extractors' claims, so
// discovery stays cheap: GitHub Actions workflows and composite actions, GitLab CI, Dockerfiles, Makefiles and shell
// scripts.

/** The kind of CI-related file a path names, or undefined. */
export type CiFileKind = "github-workflow" | "github-action" | "gitlab-ci" | "dockerfile" | "makefile" | "shell";

/** Classifies a root-relative POSIX path. */
export function ciFileKind(path: string): CiFileKind | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const lower = name.toLowerCase();
  if ((lower.endsWith(".yml") || lower.endsWith(".yaml")) && (path.startsWith(".github/workflows/") || path.includes("/.github/workflows/"))) {
    // Only files directly in the workflows folder are workflows; GitHub ignores subfolders.
    const folder = path.slice(0, path.lastIndexOf("/"));
    if (folder.endsWith(".github/workflows")) return "github-workflow";
  }
  if (lower === "action.yml" || lower === "action.yaml") return "github-action";
  if (lower === ".gitlab-ci.yml" || lower === ".gitlab-ci.yaml") return "gitlab-ci";
  if (isDockerfileName(name)) return "dockerfile";
  if (lower === "makefile" || lower === "gnumakefile" || lower.endsWith(".mk")) return "makefile";
  if (lower.endsWith(".sh") || lower.endsWith(".bash")) return "shell";
  return undefined;
}

/** Extensions that mark a `dockerfile.*` name as source code about Dockerfiles (dockerfile.test.ts), not one. */
const SOURCE_EXTENSIONS = new Set(["ts", "js", "mjs", "cjs", "py", "go", "rs", "java", "rb", "md", "txt", "json", "yml", "yaml", "toml", "lock", "sh"]);

/** `Dockerfile`, `Containerfile`, `Dockerfile.dev`, `api.dockerfile`; not `dockerfile.test.ts` or `dockerfile.md`. */
export function isDockerfileName(name: string): boolean {
  return isLowerDockerfileName(name.toLowerCase());
}

/** isDockerfileName of a name already in lower case. */
export function isLowerDockerfileName(lower: string): boolean {
  if (lower === "dockerfile" || lower === "containerfile" || lower.endsWith(".dockerfile")) return true;
  if (!lower.startsWith("dockerfile.") && !lower.startsWith("containerfile.")) return false;
  const suffix = lower.slice(lower.indexOf(".") + 1);
  return !suffix.includes(".") && !SOURCE_EXTENSIONS.has(suffix);
}
