import type { Hash, SourceKind } from "../../graph/package-node.js";
import { normalizeName } from "../../graph/names.js";
import { exactVersion, isValidSpecifier, parseRequirement } from "../python/pep508.js";

/** What one requirement of a requirements file asks for: the package, where it comes from and what was written. */
export interface RequirementTarget {
  /** PEP 503-normalised name (for URLs and paths without a name: derived from the file or folder name). */
  name: string;
  /** The exact version when the line pins one (`==`, `===`, or a wheel/sdist file name); "" otherwise. */
  version: string;
  source: SourceKind;
  /** URL (without fragment), VCS URL including its `@rev`, or the path as written. */
  resolved?: string;
  /** What the line asked for: `[extras]specifier ; marker` for PEP 508 lines, the whole text for URLs and paths. */
  declared: string;
  /** Version specifier without spaces ("" for none, or for URL/path forms). */
  specifier: string;
  /** Extras of a PEP 508 requirement (normalised). */
  extras: string[];
  marker?: string;
  /** Hashes carried in the URL fragment (`#sha256=…`). */
  hashes: Hash[];
}

const VCS_PREFIXES = ["git+", "hg+", "svn+", "bzr+"];
const ARCHIVE_SUFFIXES = [".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar.lz", ".tlz", ".tar", ".zip"];
const HASH_ALGORITHMS = new Set(["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]);

/**
 * Interprets the text of a requirement line the way pip's `install_req_from_line` / `parse_editable` do
 * (https://pip.pypa.io/en/stable/reference/requirement-specifiers/): a URL (http/https/ftp/file or a VCS scheme), then
 * `name @ url`, then a local path or archive file name, else a PEP 508 requirement. Returns a reason when it cannot.
 */
export function interpretRequirement(text: string, editable: boolean): RequirementTarget | { error: string } {
  const written = text.trim();
  const declaredText = editable ? `-e ${written}` : written;
  // URLs need "; " before a marker since ";" may occur in them (pip's parse_req_from_line).
  const url = isUrl(written);
  const markerAt = written.indexOf(url ? "; " : ";");
  const base = (markerAt < 0 ? written : written.slice(0, markerAt)).trim();
  const marker = markerAt < 0 ? undefined : written.slice(markerAt + 1).trim() || undefined;
  if (base === "") return { error: "empty requirement" };

  if (isUrl(base)) return fromUrl(base, undefined, declaredText, marker);
  if (!editable) {
    const at = base.indexOf("@");
    if (at >= 0 && !looksLikePath(base.slice(0, at))) {
      const req = parseRequirement(written);
      if (!req?.url) return { error: `not a requirement: ${clip(written)}` };
      const declared = declaredText.slice(req.rawName.length).trim();
      if (isUrl(req.url)) return fromUrl(req.url, req.name, declared, req.marker);
      if (!looksLikePath(req.url)) return { error: `not a URL after @: ${clip(req.url)}` };
      return pathTarget(req.url, req.name, "", declared, req.marker);
    }
  }
  const path = stripExtras(base);
  if (editable || looksLikePath(path) || isArchive(path)) {
    const fromFile = isArchive(path) ? fromFileName(lastSegment(path)) : undefined;
    const name = fromFile?.name || normalizeName("pypi", lastSegment(path)) || path;
    return pathTarget(path, name, fromFile?.version ?? "", declaredText, marker);
  }

  const req = parseRequirement(written);
  if (!req) return { error: `not a requirement: ${clip(written)}` };
  if (!isValidSpecifier(req.specifier)) return { error: `invalid version specifier in ${clip(written)}` };
  return {
    name: req.name,
    version: exactVersion(req.specifier) ?? "",
    source: "registry",
    declared: declaredSpec(req.extras, req.specifier, req.marker),
    specifier: req.specifier,
    extras: req.extras,
    ...(req.marker !== undefined ? { marker: req.marker } : {}),
    hashes: [],
  };
}

/** The declared text of a PEP 508 requirement after its name: `[extras]specifier ; marker`. */
export function declaredSpec(extras: readonly string[], specifier: string, marker: string | undefined): string {
  const extrasText = extras.length > 0 ? `[${extras.join(",")}]` : "";
  return `${extrasText}${specifier}${marker !== undefined ? ` ; ${marker}` : ""}`;
}

/** A local directory or archive; `resolved` is the path as written (pip resolves it against the working directory). */
function pathTarget(path: string, name: string, version: string, declared: string, marker: string | undefined): RequirementTarget {
  return { name, version, source: "path", resolved: path, declared, specifier: "", extras: [], ...(marker !== undefined ? { marker } : {}), hashes: [] };
}

/** A URL requirement: VCS → git (resolved keeps `@rev`), file: → path, others → url. */
function fromUrl(rawUrl: string, pepName: string | undefined, declared: string, marker: string | undefined): RequirementTarget | { error: string } {
  const hashAt = rawUrl.indexOf("#");
  const withoutFragment = hashAt < 0 ? rawUrl : rawUrl.slice(0, hashAt);
  const fragment = hashAt < 0 ? "" : rawUrl.slice(hashAt + 1);
  let egg: string | undefined;
  const hashes: Hash[] = [];
  for (const param of fragment.split("&")) {
    const eq = param.indexOf("=");
    if (eq < 0) continue;
    const key = param.slice(0, eq).toLowerCase();
    const value = param.slice(eq + 1);
    if (key === "egg") egg = value;
    else if (HASH_ALGORITHMS.has(key) && value) hashes.push({ algorithm: key, value });
  }
  const eggReq = egg ? parseRequirement(egg) : undefined;
  const lower = withoutFragment.toLowerCase();
  const vcs = VCS_PREFIXES.some((p) => lower.startsWith(p)) || lower.startsWith("git://") || lower.startsWith("svn://");
  // Credentials in a URL would otherwise travel into every report and SBOM built from the graph.
  const resolved = redactCredentials(withoutFragment);
  const common = { declared: redactCredentials(declared), specifier: "", extras: [], hashes, ...(marker !== undefined ? { marker } : {}) };
  if (vcs) {
    const name = pepName ?? eggReq?.name ?? normalizeName("pypi", repoName(withoutFragment));
    if (!name) return { error: `cannot tell the package name of ${clip(redactCredentials(rawUrl))}` };
    return { name, version: "", source: "git", resolved, ...common };
  }
  const fromFile = fromFileName(lastSegment(stripQuery(withoutFragment)));
  const name = pepName ?? eggReq?.name ?? fromFile?.name;
  if (!name) return { error: `cannot tell the package name of ${clip(redactCredentials(rawUrl))}` };
  const version = fromFile && fromFile.name === name ? fromFile.version : (eggReq ? exactVersion(eggReq.specifier) ?? "" : "");
  return { name, version, source: lower.startsWith("file:") ? "path" : "url", resolved, ...common };
}

/**
 * Hides the credentials of a URL's userinfo: `https://user:token@host/…` → `https://user:***@host/…`, a lone
 * `https://token@host/…` → `https://***@host/…`. The `git@` of SSH URLs and `${VAR}` references (pip expands
 * environment variables) are kept, since they are not secrets. Only the first `scheme://` of the text is looked at.
 */
export function redactCredentials(text: string): string {
  const schemeEnd = text.indexOf("://");
  if (schemeEnd < 0) return text;
  const start = schemeEnd + 3;
  let end = text.length;
  for (const c of ["/", "?", "#", " "]) {
    const i = text.indexOf(c, start);
    if (i >= 0 && i < end) end = i;
  }
  const at = text.lastIndexOf("@", end - 1);
  if (at < start) return text;
  const userinfo = text.slice(start, at);
  const colon = userinfo.indexOf(":");
  const isVariable = (s: string) => /^\$\{[A-Za-z0-9_]+\}$/.test(s);
  let kept: string;
  if (colon >= 0) {
    const secret = userinfo.slice(colon + 1);
    kept = `${userinfo.slice(0, colon)}:${secret === "" || isVariable(secret) ? secret : "***"}`;
  } else kept = userinfo === "git" || isVariable(userinfo) ? userinfo : "***";
  return `${text.slice(0, start)}${kept}${text.slice(at)}`;
}

/**
 * Name and version from a distribution file name: wheels are `{name}-{version}(-{build})?-{py}-{abi}-{platform}.whl`
 * (https://packaging.python.org/en/latest/specifications/binary-distribution-format/); source archives are
 * `{name}-{version}.tar.gz`, where older ones may keep `-` inside the name, so the version starts at the first
 * `-` followed by a digit.
 */
export function fromFileName(fileName: string): { name: string; version: string } | undefined {
  let file = fileName;
  try {
    file = decodeURIComponent(fileName);
  } catch {
    // Keep the raw name when the percent-encoding is broken.
  }
  const lower = file.toLowerCase();
  if (lower.endsWith(".whl")) {
    const parts = file.slice(0, -4).split("-");
    if (parts.length < 5 || !parts[0] || !parts[1]) return undefined;
    return { name: normalizeName("pypi", parts[0]), version: parts[1] };
  }
  const suffix = ARCHIVE_SUFFIXES.find((s) => lower.endsWith(s));
  if (!suffix) return undefined;
  const stem = file.slice(0, file.length - suffix.length);
  for (let i = stem.indexOf("-"); i > 0; i = stem.indexOf("-", i + 1)) {
    const next = stem.charCodeAt(i + 1);
    if (next >= 48 && next <= 57) return { name: normalizeName("pypi", stem.slice(0, i)), version: stem.slice(i + 1) };
  }
  return stem ? { name: normalizeName("pypi", stem), version: "" } : undefined;
}

/** pip's is_url: a scheme pip can fetch from (http, https, file, ftp, or a VCS scheme). */
export function isUrl(text: string): boolean {
  const colon = text.indexOf(":");
  if (colon <= 0) return false;
  const scheme = text.slice(0, colon).toLowerCase();
  if (scheme === "http" || scheme === "https" || scheme === "file" || scheme === "ftp") return true;
  if (scheme === "git" || scheme === "svn") return true;
  return VCS_PREFIXES.some((p) => scheme.startsWith(p) && scheme.length > p.length);
}

/** pip's _looks_like_path: contains a path separator or starts with a dot. */
function looksLikePath(text: string): boolean {
  return text.includes("/") || text.includes("\\") || text.startsWith(".");
}

function isArchive(text: string): boolean {
  const lower = text.toLowerCase();
  return ARCHIVE_SUFFIXES.some((s) => lower.endsWith(s));
}

/** The path of `./pkg[extra1,extra2]` without its extras (pip's _strip_extras). */
function stripExtras(text: string): string {
  if (!text.endsWith("]")) return text;
  const open = text.lastIndexOf("[");
  return open < 0 ? text : text.slice(0, open);
}

/** The repository name of a VCS URL: last path segment without `@rev` and `.git`. */
function repoName(url: string): string {
  const schemeEnd = url.indexOf("://");
  const afterScheme = schemeEnd < 0 ? url.slice(url.indexOf(":") + 1) : url.slice(schemeEnd + 3);
  const slash = afterScheme.indexOf("/");
  let path = slash < 0 ? "" : afterScheme.slice(slash);
  const at = path.lastIndexOf("@");
  if (at >= 0) path = path.slice(0, at);
  let segment = lastSegment(path);
  if (segment.toLowerCase().endsWith(".git")) segment = segment.slice(0, -4);
  return segment;
}

function lastSegment(path: string): string {
  const trimmed = path.replace(/\\/g, "/");
  let end = trimmed.length;
  while (end > 0 && trimmed[end - 1] === "/") end--;
  const segment = trimmed.slice(trimmed.lastIndexOf("/", end - 1) + 1, end);
  return segment === "." || segment === ".." ? "" : segment;
}

function stripQuery(url: string): string {
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
