// Parsing and matching the references CI files pin code with: action `uses:` strings and container image names.
// Pure; shared by the pinning rules and the compromised-tag lookups.
import semver from "semver";
import type { CompromisedActionTags, CompromisedImageTags, CompromisedTags } from "./types.js";

/** A `uses:` value taken apart. */
export type ParsedUses =
  | { kind: "local"; path: string }
  | { kind: "docker"; image: string }
  | { kind: "remote"; owner: string; repo: string; path: string; ref: string };

/** Parses `owner/repo[/path]@ref`, `./local/path`, `docker://image`; undefined for anything else. */
export function parseUses(uses: string): ParsedUses | undefined {
  const text = uses.trim();
  if (text.startsWith("./") || text.startsWith("../") || text === ".") return { kind: "local", path: text };
  if (text.startsWith("docker://")) return { kind: "docker", image: text.slice("docker://".length) };
  const at = text.lastIndexOf("@");
  if (at <= 0) return undefined;
  const [owner, repo, ...rest] = text.slice(0, at).split("/");
  if (!owner || !repo) return undefined;
  return { kind: "remote", owner, repo, path: rest.join("/"), ref: text.slice(at + 1) };
}

/** What a git ref looks like: a full commit SHA, a shortened one, a version tag, a branch name, or something else. */
export type RefKind = "sha" | "short-sha" | "version-tag" | "branch" | "ref";

/** Names that are branches by convention. */
const BRANCH_NAMES: ReadonlySet<string> = new Set(["main", "master", "develop", "development", "dev", "trunk", "stable", "next", "canary", "nightly", "edge", "head"]);

/** Classifies a ref by its shape (a tag and a branch of the same name are indistinguishable offline). */
export function refKind(ref: string): RefKind {
  if (/^[0-9a-fA-F]{40}$/.test(ref)) return "sha";
  if (/^[0-9a-fA-F]{7,39}$/.test(ref) && /[0-9]/.test(ref) && /[a-fA-F]/.test(ref)) return "short-sha";
  if (/^v?[0-9]+(?:\.[0-9]+)*(?:[-+.][0-9A-Za-z.-]+)?$/.test(ref)) return "version-tag";
  const lower = ref.toLowerCase();
  if (BRANCH_NAMES.has(lower) || lower.startsWith("release/") || lower.startsWith("releases/") || lower.startsWith("feature/")) return "branch";
  return "ref";
}

/** The compromised-tag entry a remote action reference matches, if any. */
export function compromisedAction(data: CompromisedTags | undefined, owner: string, repo: string, ref: string): CompromisedActionTags | undefined {
  if (!data) return undefined;
  const name = `${owner}/${repo}`.toLowerCase();
  for (const entry of data.actions) {
    if (entry.action !== name) continue;
    if (entry.tags.includes(ref)) return entry;
    const range = entry.range;
    if (!range || !ref.startsWith(range.prefix)) continue;
    const version = ref.slice(range.prefix.length);
    // Only a plain version continues the prefix: `v0.2.1` matches prefix "v"; `v0.2.1` does not match prefix "".
    if (!/^[0-9]/.test(version)) continue;
    const parsed = semver.valid(version);
    if (parsed && semver.gte(parsed, range.from) && semver.lte(parsed, range.to)) return entry;
  }
  return undefined;
}

/** A container image reference taken apart. */
export interface ParsedImage {
  /** Registry host and path, lower-case, as written (`node`, `ghcr.io/o/i`). */
  repository: string;
  tag?: string;
  /** `sha256:…` when pinned by digest. */
  digest?: string;
}

/** Parses `[registry/]path[:tag][@digest]`. */
export function parseImage(reference: string): ParsedImage {
  const text = reference.trim();
  const at = text.indexOf("@");
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  const name = at >= 0 ? text.slice(0, at) : text;
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  const hasTag = colon > slash;
  const repository = (hasTag ? name.slice(0, colon) : name).toLowerCase();
  return { repository, ...(hasTag ? { tag: name.slice(colon + 1) } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** True when an image is pinned to a content digest (`@sha256:<64 hex>`). */
export function hasDigest(image: ParsedImage): boolean {
  return image.digest !== undefined && /^sha256:[0-9a-f]{64}$/.test(image.digest);
}

/** The compromised-tag entry an image reference matches, if any (Docker Hub's `library/` and `docker.io/` spellings included). */
export function compromisedImage(data: CompromisedTags | undefined, image: ParsedImage): CompromisedImageTags | undefined {
  if (!data || image.tag === undefined || hasDigest(image)) return undefined;
  const names = new Set([image.repository, image.repository.replace(/^(?:docker\.io|index\.docker\.io)\//, "")]);
  return data.images.find((entry) => entry.tags.includes(image.tag as string) && entry.images.some((n) => names.has(n)));
}
