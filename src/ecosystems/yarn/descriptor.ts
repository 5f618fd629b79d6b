// Yarn descriptors (`name@range`) and locators (`name@reference`), as both lockfile formats key their entries.
// Berry: https://yarnpkg.com/advanced/lexicon#descriptor and #locator; protocols: https://yarnpkg.com/protocols.
import type { SourceKind } from "../../graph/package-node.js";

/** Where an entry's code comes from, as read from its range or resolution. */
export interface SourceInfo {
  source: SourceKind;
  resolved?: string;
  /** Set for berry `workspace:` references: the workspace folder relative to the project. */
  workspacePath?: string;
  /** The reference went through the `patch:` protocol (the package is a locally patched copy). */
  patched?: boolean;
}

const GIT_PROTOCOLS = new Set(["git", "git+ssh", "git+https", "git+http", "git+file", "ssh", "github", "gitlab", "bitbucket"]);
const PATH_PROTOCOLS = new Set(["file", "link", "portal", "exec"]);

/** Splits `@scope/name@range` at the `@` that ends the name; undefined when there is none. */
export function splitDescriptor(text: string): { name: string; range: string } | undefined {
  const at = text.indexOf("@", text.startsWith("@") ? 1 : 0);
  if (at <= 0) return undefined;
  return { name: text.slice(0, at), range: text.slice(at + 1) };
}

/** The protocol a range starts with (`npm`, `workspace`, `git+ssh`...), or "" for a bare semver range or tag. */
export function protocolOf(range: string): string {
  let i = 0;
  while (i < range.length) {
    const c = range.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46; // a-z 0-9 + - .
    if (!ok) break;
    i++;
  }
  return i > 0 && range[i] === ":" ? range.slice(0, i) : "";
}

/** Removes berry's `::key=value&...` binding suffix (the locator a relative path or patch is bound to). */
export function stripBinding(text: string): string {
  const at = text.indexOf("::");
  return at < 0 ? text : text.slice(0, at);
}

/** A git URL written as http(s): it names a `.git` repository or pins a commit. */
function looksLikeGitUrl(url: string): boolean {
  const hash = url.indexOf("#");
  const base = hash < 0 ? url : url.slice(0, hash);
  return base.endsWith(".git") || url.includes("#commit=");
}

/** GitHub shorthand (`user/repo`, `user/repo#ref`), which both yarns read as a git dependency. */
function isGithubShorthand(range: string): boolean {
  if (range.startsWith(".") || range.startsWith("/") || range.startsWith("~") || range.startsWith("@")) return false;
  const slash = range.indexOf("/");
  return slash > 0 && !range.includes(" ") && range.indexOf("/", slash + 1) < 0;
}

/**
 * Classifies a range or resolution reference by its protocol. `fallbackResolved` is what the lockfile recorded as
 * the resolved location (classic `resolved`), used instead of the range when present.
 */
export function classifyReference(reference: string, fallbackResolved?: string): SourceInfo {
  const ref = stripBinding(reference);
  const protocol = protocolOf(ref);
  const rest = ref.slice(protocol.length + 1);
  if (protocol === "npm") {
    // An `npm:` alias (`npm:other@^1`) or an explicit registry range: both come from the registry.
    return registryOrResolved(fallbackResolved);
  }
  if (protocol === "workspace") return { source: "path", resolved: rest, workspacePath: rest };
  if (protocol === "patch") {
    // patch:<url-encoded descriptor of the original>#<patch file>: the package is the original, patched locally.
    const hash = rest.indexOf("#");
    const inner = safeDecode(hash < 0 ? rest : rest.slice(0, hash));
    const original = splitDescriptor(inner);
    const info = original ? classifyReference(original.range) : { source: "registry" as SourceKind };
    return { ...info, patched: true };
  }
  if (PATH_PROTOCOLS.has(protocol)) {
    const hash = rest.indexOf("#");
    return { source: "path", resolved: hash < 0 ? rest : rest.slice(0, hash) };
  }
  if (GIT_PROTOCOLS.has(protocol)) return { source: "git", resolved: fallbackResolved ?? ref };
  if (protocol === "http" || protocol === "https") {
    return { source: looksLikeGitUrl(ref) ? "git" : "url", resolved: fallbackResolved ?? ref };
  }
  if (protocol !== "") return { source: "url", resolved: fallbackResolved ?? ref };
  if (ref.startsWith("./") || ref.startsWith("../") || ref.startsWith("/") || ref.startsWith("~/")) {
    return { source: "path", resolved: ref };
  }
  if (isGithubShorthand(ref)) return { source: "git", resolved: fallbackResolved ?? ref };
  return registryOrResolved(fallbackResolved);
}

/** A registry range, unless the recorded resolution itself points at git or a local path (a `resolutions` override). */
function registryOrResolved(resolved: string | undefined): SourceInfo {
  if (resolved === undefined) return { source: "registry" };
  const protocol = protocolOf(resolved);
  if (GIT_PROTOCOLS.has(protocol)) return { source: "git", resolved };
  if (PATH_PROTOCOLS.has(protocol)) return { source: "path", resolved };
  return { source: "registry", resolved };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
