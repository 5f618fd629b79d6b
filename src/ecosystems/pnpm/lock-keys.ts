// Package keys and dependency references of pnpm lockfiles, per lockfile version
// (https://github.com/pnpm/spec/tree/master/lockfile, and pnpm's `dependency-path` package):
//   5.x  /name/1.0.0, /@scope/name/1.0.0_peer@2.0.0+other@1.0.0   refs: 1.0.0, 1.0.0_peer@2.0.0, /alias-target/1.0.0
//   6.x  /name@1.0.0, /@scope/name@1.0.0(peer@2.0.0)(other@1.0.0)  refs: 1.0.0, 1.0.0(peer@2.0.0), /alias-target@1.0.0
//   9.x  name@1.0.0,  @scope/name@1.0.0(peer@2.0.0)                refs: 1.0.0, 1.0.0(peer@2.0.0), alias-target@1.0.0
// Non-registry packages (git, tarball URL, local directory) have keys such as `github.com/user/repo/<sha>`,
// `file:vendor/pkg` (5/6) or `name@file:vendor/pkg`, `name@https://...` (9); their entries name themselves.

/** The major lockfile format, which decides how keys and references are written. */
export type KeyStyle = 5 | 6 | 9;

/** A package key taken apart: the name and version it encodes (when it encodes them) and its peer-free form. */
export interface ParsedKey {
  name?: string;
  /** The version part without peer suffix; for non-registry keys the reference (`file:...`, a URL). */
  version?: string;
  /** The key without its peer suffix: the `packages:` key of a v9 snapshot. */
  base: string;
}

/** Takes a package key apart. */
export function parseKey(key: string, style: KeyStyle): ParsedKey {
  const base = stripPeers(key, style);
  const body = style === 9 ? base : base.startsWith("/") ? base.slice(1) : undefined;
  if (body === undefined) return { base }; // 5/6 keys without a leading slash are non-registry (`file:`, a host path)
  if (style === 5) {
    const slash = body.indexOf("/", body.startsWith("@") ? body.indexOf("/") + 1 : 0);
    if (slash <= 0 || (body.startsWith("@") && body.indexOf("/") <= 0)) return { base };
    return { name: body.slice(0, slash), version: body.slice(slash + 1), base };
  }
  const at = body.indexOf("@", body.startsWith("@") ? 1 : 0);
  if (at <= 0) return { base };
  return { name: body.slice(0, at), version: body.slice(at + 1), base };
}

/** Removes the peer suffix: `(peer@1.0.0)...` in 6/9, `_peer@1.0.0+other@2.0.0` (or a hash) in 5. */
export function stripPeers(key: string, style: KeyStyle): string {
  if (style === 5) {
    // `/name/version_suffix`: the suffix starts at the first `_` after the name (names may hold `_`, versions not).
    if (!key.startsWith("/")) return key;
    const scoped = key.startsWith("/@");
    const nameEnd = key.indexOf("/", scoped ? key.indexOf("/", 2) + 1 : 1);
    if (nameEnd < 0) return key;
    const underscore = key.indexOf("_", nameEnd);
    return underscore < 0 ? key : key.slice(0, underscore);
  }
  const paren = key.indexOf("(");
  return paren < 0 ? key : key.slice(0, paren);
}

/** True when a version part is a plain registry version (no protocol, path or URL). */
export function isRegistryVersion(version: string | undefined): boolean {
  if (!version) return false;
  const first = version.charCodeAt(0);
  return first >= 48 && first <= 57 && !version.includes(":") && !version.includes("/");
}

/**
 * The package keys a dependency reference may point at, most likely first. `link:` references are not keys and are
 * handled by the caller.
 */
export function candidateKeys(name: string, ref: string, style: KeyStyle): string[] {
  if (style === 5) return [`/${name}/${ref}`, ref];
  if (style === 6) return [`/${name}@${ref}`, ref];
  return [`${name}@${ref}`, ref];
}
