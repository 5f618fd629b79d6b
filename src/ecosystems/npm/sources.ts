import type { SourceKind } from "../../graph/package-node.js";

/** Prefixes npm reads as git specifiers (npm-package-arg: git+ protocols, scp-like git@, hosted shortcuts). */
const GIT_PREFIXES = ["git+", "git://", "git@", "github:", "gitlab:", "bitbucket:", "gist:"];

/** Prefixes of local specs: npm `file:`, plus yarn/pnpm `link:`, `portal:` and `workspace:` protocols. */
const PATH_PREFIXES = ["file:", "link:", "portal:", "workspace:"];

/**
 * Where a lockfile's `resolved` value points. npm writes a registry tarball URL (`<registry>/<name>/-/<file>.tgz`)
 * for registry packages, `git+<protocol>://…#<commit>` for git, `file:<path>` for local tarballs, any other URL
 * for remote tarballs, and a bare relative path for links. A registry is recognised by the `/-/` tarball layout
 * every npm-compatible registry serves (npmjs, Verdaccio, Artifactory, Nexus), so mirrors stay `registry`.
 * https://docs.npmjs.com/cli/configuring-npm/package-lock-json#packages
 */
export function sourceOfResolved(resolved: string | undefined): SourceKind {
  if (!resolved) return "registry";
  if (resolved.startsWith("https://") || resolved.startsWith("http://")) {
    const path = urlPath(resolved);
    if (path.includes("/-/") && path.endsWith(".tgz")) return "registry";
    return path.endsWith(".git") ? "git" : "url";
  }
  if (GIT_PREFIXES.some((p) => resolved.startsWith(p))) return "git";
  return "path";
}

/**
 * The source kind a package.json dependency spec asks for, following npm-package-arg's classification
 * (https://github.com/npm/npm-package-arg): aliases and ranges/tags are registry; git protocols, hosted
 * shortcuts and `user/repo` GitHub shorthand are git; other URLs are remote tarballs; `file:` and relative or
 * absolute paths (and the yarn/pnpm `link:`/`portal:`/`workspace:` protocols) are local.
 */
export function sourceOfSpec(spec: string): SourceKind {
  const s = spec.trim();
  if (s.startsWith("npm:")) return "registry";
  if (PATH_PREFIXES.some((p) => s.startsWith(p))) return "path";
  if (s.startsWith("./") || s.startsWith("../") || s.startsWith("/") || s.startsWith("~/") || s === "." || s === "..") return "path";
  if (/^[a-zA-Z]:[\\/]/.test(s)) return "path";
  if (GIT_PREFIXES.some((p) => s.startsWith(p))) return "git";
  if (s.startsWith("http://") || s.startsWith("https://")) {
    const path = urlPath(s);
    if (path.endsWith(".git")) return "git";
    // https://github.com/user/repo is a hosted git repository, not a tarball.
    if (/^https?:\/\/(www\.)?github\.com\/[^/]+\/[^/]+\/?$/.test(s.split("#")[0] as string)) return "git";
    return "url";
  }
  return isGitHubShorthand(s) ? "git" : "registry";
}

/** `user/repo` or `user/repo#ref`: npm installs it from GitHub. */
function isGitHubShorthand(spec: string): boolean {
  const hash = spec.indexOf("#");
  const body = hash < 0 ? spec : spec.slice(0, hash);
  const slash = body.indexOf("/");
  if (slash <= 0 || slash !== body.lastIndexOf("/") || slash === body.length - 1) return false;
  if ("@%.-".includes(body[0] as string)) return false;
  for (const ch of body) if (ch === "@" || ch === "%" || ch === ":" || ch === " " || ch === "\t") return false;
  return true;
}

/** The path part of a URL without query or fragment. */
function urlPath(url: string): string {
  let end = url.length;
  const query = url.indexOf("?");
  const fragment = url.indexOf("#");
  if (query >= 0) end = query;
  if (fragment >= 0 && fragment < end) end = fragment;
  return url.slice(0, end);
}
