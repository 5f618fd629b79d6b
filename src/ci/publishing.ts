// Signs that a CI job publishes something (a package, an image, a release): a compromised step in such a job can
// poison what the project ships, as the stolen PyPI token did for litellm 1.82.7/1.82.8 in March 2026.

/** Parts of secret and variable names that hold registry credentials. */
const PUBLISHING_NAME_PARTS = [
  "NPM", "NODE_AUTH_TOKEN", "PYPI", "TWINE", "VSCE", "OVSX", "CARGO_REGISTRY", "RUBYGEMS", "GEM_HOST", "DOCKERHUB",
  "DOCKER_HUB", "DOCKER_PASSWORD", "DOCKER_TOKEN", "REGISTRY_PASSWORD", "REGISTRY_TOKEN", "PUBLISH", "HATCH_INDEX",
  "FLIT_PASSWORD", "MARKETPLACE",
];

/** True for a secret or variable name that looks like a registry/publishing credential (NPM_TOKEN, PYPI_API_TOKEN, …). */
export function isPublishingName(name: string): boolean {
  const upper = name.toUpperCase();
  return PUBLISHING_NAME_PARTS.some((part) => upper.includes(part));
}

/** Actions (owner/repo, lower-case) whose purpose is to publish or release. */
const PUBLISHING_ACTIONS: ReadonlySet<string> = new Set([
  "pypa/gh-action-pypi-publish", "js-devtools/npm-publish", "docker/build-push-action", "softprops/action-gh-release",
  "ncipollo/release-action", "changesets/action", "haaleo/publish-vscode-extension", "actions/create-release",
  "actions/upload-release-asset", "svenstaro/upload-release-action", "google-github-actions/release-please-action",
  "googleapis/release-please-action", "cycjimmy/semantic-release-action",
]);

/** True when a `uses:` reference names a publishing action. */
export function isPublishingAction(uses: string): boolean {
  const at = uses.indexOf("@");
  const path = (at < 0 ? uses : uses.slice(0, at)).toLowerCase();
  const repo = path.split("/").slice(0, 2).join("/");
  return PUBLISHING_ACTIONS.has(repo);
}

/** True when a command publishes: `npm publish`, `twine upload`, `docker push`, `gh release create`, … */
export function isPublishCommand(argv: readonly string[]): boolean {
  const program = (argv[0] ?? "").slice((argv[0] ?? "").lastIndexOf("/") + 1);
  const sub = argv[1];
  const args = argv.slice(1);
  switch (program) {
    case "npm":
    case "pnpm":
    case "bun":
      return sub === "publish" || (sub === "run" && (argv[2] ?? "").startsWith("publish"));
    case "yarn":
      return sub === "publish" || (sub === "npm" && argv[2] === "publish") || (sub === "run" && (argv[2] ?? "").startsWith("publish")) || (sub ?? "").startsWith("publish");
    case "twine":
      return sub === "upload";
    case "poetry":
    case "uv":
    case "flit":
    case "hatch":
    case "pdm":
    case "vsce":
    case "ovsx":
    case "lerna":
      return sub === "publish";
    case "changeset":
      return sub === "publish";
    case "semantic-release":
      return true;
    case "npx":
      return args.some((a) => a === "semantic-release" || a.startsWith("semantic-release@")) || (args.includes("changeset") && args.includes("publish"))
        || ((args.includes("vsce") || args.includes("@vscode/vsce") || args.includes("ovsx")) && args.includes("publish"));
    case "gh":
      return sub === "release" && (argv[2] === "create" || argv[2] === "upload");
    case "docker":
    case "podman":
      return sub === "push" || (sub === "buildx" && args.includes("--push")) || (sub === "image" && argv[2] === "push");
    default:
      return false;
  }
}

/** True when GitHub `permissions` grant a publishing scope: write-all, id-token, contents or packages write. */
export function permissionsPublish(permissions: string | Readonly<Record<string, string>> | undefined): boolean {
  if (permissions === undefined) return false;
  if (typeof permissions === "string") return permissions === "write-all";
  return ["id-token", "contents", "packages"].some((scope) => permissions[scope] === "write");
}
