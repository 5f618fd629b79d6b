import type { Ecosystem, SourceKind } from "./package-node.js";

/**
 * Builds a Package URL (https://github.com/package-url/purl-spec) for a package.
 * npm: the scope is the namespace, `@` percent-encoded. PyPI: lower-case, `_` becomes `-`.
 * Non-registry packages carry where they come from as a qualifier (`vcs_url`, `download_url`).
 */
export function purlFor(ecosystem: Ecosystem, name: string, version: string, source: SourceKind = "registry", resolved?: string): string {
  let base: string;
  if (ecosystem === "npm") {
    const slash = name.startsWith("@") ? name.indexOf("/") : -1;
    base = slash > 0
      ? `pkg:npm/${encodeURIComponent(name.slice(0, slash))}/${encodeSegment(name.slice(slash + 1))}`
      : `pkg:npm/${encodeSegment(name)}`;
  } else {
    base = `pkg:pypi/${encodeSegment(name.toLowerCase().replace(/_/g, "-"))}`;
  }
  if (version) base += `@${encodeSegment(version)}`;
  if (resolved && source === "git") return `${base}?vcs_url=${encodeURIComponent(resolved)}`;
  if (resolved && source === "url") return `${base}?download_url=${encodeURIComponent(resolved)}`;
  return base;
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment);
}
