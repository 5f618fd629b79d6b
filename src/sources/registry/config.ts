// Which registries the project installs from, so registry facts come from the same place the package manager uses:
// npm's `registry` and `@scope:registry` (environment, project `.npmrc`, user `~/.npmrc`), pip's `index-url`
// (`PIP_INDEX_URL`, pip.conf). Parsing is pure (`parseNpmrc`, `parsePipConf`, `registryConfigFrom`); only
// `loadRegistryConfig` reads files, from paths and an environment it is given.
//
// Credentials: aiwarden never sends any. `_authToken`, `_auth`, `_password` and friends are recognised only to say
// which registries have credentials configured (their values are dropped while parsing, never stored or printed);
// a private registry that refuses anonymous reads is reported once and its packages go unchecked. Sending a token
// would mean deciding, per redirect and per proxy, which host may see it; reading public metadata needs none.
// References: https://docs.npmjs.com/cli/configuring-npm/npmrc, https://pip.pypa.io/en/stable/topics/configuration/
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Ecosystem } from "../../graph/package-node.js";

/** The public npm registry. */
export const NPM_REGISTRY = "https://registry.npmjs.org/";

/** The public Python package index (simple API). */
export const PYPI_INDEX = "https://pypi.org/simple/";

/** Hosts that serve the public npm registry's packages under another name (yarn classic writes this one). */
const NPM_ALIASES: ReadonlySet<string> = new Set(["registry.npmjs.org", "registry.yarnpkg.com", "registry.npmjs.com"]);

/** Index hosts that serve the PyPI JSON API (https://docs.pypi.org/api/json/) at `/pypi/<name>/json`. */
const PYPI_JSON_HOSTS: Readonly<Record<string, string>> = {
  "pypi.org": "pypi.org",
  "pypi.python.org": "pypi.org",
  "files.pythonhosted.org": "pypi.org",
  "test.pypi.org": "test.pypi.org",
};

/** npm registries for one scan. */
export interface NpmRegistryConfig {
  /** Default registry URL, with a trailing slash. */
  registry: string;
  /** Per-scope registry URLs (`@scope` → URL with a trailing slash). */
  scopes: Readonly<Record<string, string>>;
  /** Registry prefixes (`//host/path/`) that have credentials configured. Never the credentials themselves. */
  authenticated: readonly string[];
}

/** The Python index for one scan. */
export interface PypiRegistryConfig {
  /** The index URL pip installs from. */
  index: string;
  /** Base of the JSON API (`https://pypi.org/pypi/`) when the index host serves one; undefined for other indexes. */
  jsonApi?: string;
}

/** Where registry facts come from. */
export interface RegistryConfig {
  npm: NpmRegistryConfig;
  pypi: PypiRegistryConfig;
}

/** The public registries. */
export const DEFAULT_REGISTRY_CONFIG: RegistryConfig = {
  npm: { registry: NPM_REGISTRY, scopes: {}, authenticated: [] },
  pypi: { index: PYPI_INDEX, jsonApi: "https://pypi.org/pypi/" },
};

/** One `key = value` line of an npmrc file. Values of credential keys are never kept. */
export interface NpmrcEntry {
  key: string;
  value: string;
  line: number;
  /** The key holds a credential; `value` is empty. */
  secret: boolean;
}

/** npm keys whose values are credentials (`//host/:_authToken`, `_auth`, `_password`, client `keyfile`/`certfile` paths are not secret). */
function isCredentialKey(key: string): boolean {
  const bare = key.slice(key.lastIndexOf(":") + 1).toLowerCase();
  return bare === "_authtoken" || bare === "_auth" || bare === "_password" || bare === "password" || bare === "token";
}

/**
 * Parses npmrc text (npm's `ini` dialect): `key = value` lines, `;`/`#` comments, optional quotes, `${VAR}`
 * substitution from `env` (`${VAR?}` becomes empty when unset). Credential values are dropped.
 */
export function parseNpmrc(text: string, env: Readonly<Record<string, string | undefined>> = {}): NpmrcEntry[] {
  const entries: NpmrcEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? "").trim();
    if (raw === "" || raw.startsWith(";") || raw.startsWith("#") || raw.startsWith("[")) continue;
    const eq = raw.indexOf("=");
    if (eq <= 0) continue;
    const key = substitute(unquote(raw.slice(0, eq).trim()), env);
    const secret = isCredentialKey(key);
    const value = secret ? "" : substitute(unquote(raw.slice(eq + 1).trim()), env);
    entries.push({ key, value, line: i + 1, secret });
  }
  return entries;
}

function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) return text.slice(1, -1);
  return text;
}

/** npm's `${VAR}` / `${VAR?}` substitution (https://docs.npmjs.com/cli/configuring-npm/npmrc#files). */
function substitute(text: string, env: Readonly<Record<string, string | undefined>>): string {
  let out = "";
  let at = 0;
  for (let start = text.indexOf("${"); start >= 0; start = text.indexOf("${", at)) {
    const end = text.indexOf("}", start + 2);
    if (end < 0) break;
    // A backslash before `${` keeps it literal.
    if (start > 0 && text[start - 1] === "\\") {
      out += text.slice(at, start - 1) + text.slice(start, end + 1);
      at = end + 1;
      continue;
    }
    let name = text.slice(start + 2, end);
    const optional = name.endsWith("?");
    if (optional) name = name.slice(0, -1);
    const value = env[name];
    out += text.slice(at, start) + (value ?? (optional ? "" : text.slice(start, end + 1)));
    at = end + 1;
  }
  return out + text.slice(at);
}

/** A URL with exactly one trailing slash, or undefined when it is not an http(s) URL. */
export function normalizeRegistryUrl(url: string): string | undefined {
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  try {
    const parsed = new URL(trimmed);
    parsed.hash = "";
    parsed.search = "";
    const base = parsed.toString();
    return base.endsWith("/") ? base : `${base}/`;
  } catch {
    return undefined;
  }
}

/** `//host/path/`: how npmrc names a registry for per-registry settings ("nerf-darting"). */
function nerfDart(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.endsWith("/") ? parsed.pathname : `${parsed.pathname}/`;
  return `//${parsed.host}${path}`;
}

/** pip.conf settings aiwarden uses. */
export interface PipConfSettings {
  indexUrl?: string;
}

/**
 * Parses pip.conf text (INI): `index-url` from `[install]`, else from `[global]`, the sections `pip install` reads
 * (https://pip.pypa.io/en/stable/topics/configuration/#config-file). Keys may use `_` or `-`.
 */
export function parsePipConf(text: string): PipConfSettings {
  let section = "";
  const found: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    if (line.startsWith("[") && line.endsWith("]")) {
      section = line.slice(1, -1).trim().toLowerCase();
      continue;
    }
    const eq = line.search(/[=:]/);
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase().replace(/_/g, "-");
    if (key === "index-url" && (section === "install" || section === "global")) {
      // A value may continue on indented lines (multi-value keys); index-url takes the first word.
      const value = line.slice(eq + 1).trim().split(/\s+/)[0] ?? "";
      if (value !== "") found[section] = value;
    }
  }
  const indexUrl = found.install ?? found.global;
  return indexUrl !== undefined ? { indexUrl } : {};
}

/** The JSON API base for an index URL on a host that serves it (`https://pypi.org/pypi/`), else undefined. */
export function pypiJsonApiFor(indexUrl: string): string | undefined {
  try {
    const host = PYPI_JSON_HOSTS[new URL(indexUrl).host.toLowerCase()];
    return host ? `https://${host}/pypi/` : undefined;
  } catch {
    return undefined;
  }
}

/** The inputs of {@link registryConfigFrom}: file texts in precedence order (highest first) and the environment. */
export interface RegistryConfigInputs {
  /** npmrc texts, highest precedence first (project files, then the user's). */
  npmrc?: ReadonlyArray<{ file: string; text: string }>;
  /** pip.conf texts, highest precedence first. */
  pipConf?: ReadonlyArray<{ file: string; text: string }>;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Settings that could not be used, worth one line each to the user. */
export interface RegistryConfigResult {
  config: RegistryConfig;
  problems: string[];
}

/**
 * Builds the registry configuration from npmrc and pip.conf texts and the environment, the way npm and pip resolve
 * them: `npm_config_registry` beats npmrc files; the first file that sets a key wins; `PIP_INDEX_URL` beats pip.conf.
 */
export function registryConfigFrom(inputs: RegistryConfigInputs): RegistryConfigResult {
  const env = inputs.env ?? {};
  const problems: string[] = [];
  let registry: string | undefined;
  const scopes: Record<string, string> = {};
  const authenticated = new Set<string>();
  const envRegistry = env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY;
  if (envRegistry !== undefined && envRegistry !== "") {
    registry = normalizeRegistryUrl(envRegistry);
    if (registry === undefined) problems.push(`npm_config_registry is not an http(s) URL; using the default npm registry`);
  }
  for (const { file, text } of inputs.npmrc ?? []) {
    for (const entry of parseNpmrc(text, env)) {
      if (entry.secret) {
        const colon = entry.key.lastIndexOf(":");
        authenticated.add(colon > 0 ? entry.key.slice(0, colon) : "(default registry)");
        continue;
      }
      if (entry.key === "registry") {
        if (registry !== undefined) continue;
        registry = normalizeRegistryUrl(entry.value);
        if (registry === undefined) problems.push(`${file}:${entry.line}: registry is not an http(s) URL; ignored`);
      } else if (entry.key.startsWith("@") && entry.key.endsWith(":registry")) {
        const scope = entry.key.slice(0, -":registry".length);
        if (scopes[scope] !== undefined) continue;
        const url = normalizeRegistryUrl(entry.value);
        if (url === undefined) problems.push(`${file}:${entry.line}: ${scope}:registry is not an http(s) URL; ignored`);
        else scopes[scope] = url;
      }
    }
  }
  let index: string | undefined;
  const envIndex = env.PIP_INDEX_URL;
  if (envIndex !== undefined && envIndex !== "") index = envIndex.trim();
  for (const { text } of inputs.pipConf ?? []) {
    if (index !== undefined) break;
    index = parsePipConf(text).indexUrl;
  }
  index ??= PYPI_INDEX;
  const jsonApi = pypiJsonApiFor(index);
  return {
    config: {
      npm: { registry: registry ?? NPM_REGISTRY, scopes, authenticated: [...authenticated].sort() },
      pypi: jsonApi !== undefined ? { index, jsonApi } : { index },
    },
    problems,
  };
}

/** The registry an npm package is fetched from: its scope's registry, else the default. */
export function npmRegistryFor(config: NpmRegistryConfig, name: string): string {
  if (name.startsWith("@")) {
    const slash = name.indexOf("/");
    const scoped = slash > 0 ? config.scopes[name.slice(0, slash)] : undefined;
    if (scoped !== undefined) return scoped;
  }
  return config.registry;
}

/** True when a registry has credentials configured (so anonymous reads may be refused). */
export function hasCredentials(config: NpmRegistryConfig, registry: string): boolean {
  const dart = nerfDart(registry);
  return config.authenticated.some((prefix) => dart.startsWith(prefix) || (prefix === "(default registry)" && registry === config.registry));
}

/**
 * True when a package the lockfile resolved from `resolvedHost` is fetched from `registry` today: the same host, or
 * (npm) a lockfile URL on the public registry under any of its names, which npm rewrites to the configured registry
 * (`replace-registry-host` defaults to `npmjs`). A package resolved from another host entirely is not asked about at
 * a registry that never served it (a 404 there would read as "removed").
 */
export function sameRegistry(ecosystem: Ecosystem, resolvedHost: string, registry: string): boolean {
  let registryHost: string;
  try {
    registryHost = new URL(registry).host.toLowerCase();
  } catch {
    return false;
  }
  const host = resolvedHost.toLowerCase();
  if (host === registryHost) return true;
  if (ecosystem === "npm") return NPM_ALIASES.has(host);
  return PYPI_JSON_HOSTS[host] !== undefined && PYPI_JSON_HOSTS[host] === PYPI_JSON_HOSTS[registryHost];
}

/** Where {@link loadRegistryConfig} looks, all injectable for tests. */
export interface RegistryConfigLocation {
  /** Project directories (absolute), each of which may hold an `.npmrc`; earlier ones take precedence. */
  projectDirs: readonly string[];
  /** The user's home directory, for `~/.npmrc` and the user pip.conf; omit to skip user files. */
  home?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads the project and user npmrc files and the pip configuration files (`PIP_CONFIG_FILE`, the user's
 * `$XDG_CONFIG_HOME/pip/pip.conf` or `~/.config/pip/pip.conf`, legacy `~/.pip/pip.conf`, then `/etc/pip.conf`) and
 * builds the configuration. Missing or unreadable files are skipped; never throws.
 */
export async function loadRegistryConfig(location: RegistryConfigLocation): Promise<RegistryConfigResult> {
  const env = location.env ?? {};
  const npmrcPaths = location.projectDirs.map((dir) => join(dir, ".npmrc"));
  const userConfig = env.npm_config_userconfig ?? env.NPM_CONFIG_USERCONFIG ?? (location.home ? join(location.home, ".npmrc") : undefined);
  if (userConfig) npmrcPaths.push(userConfig);
  const pipPaths: string[] = [];
  if (env.PIP_CONFIG_FILE && env.PIP_CONFIG_FILE !== "os.devnull") pipPaths.push(env.PIP_CONFIG_FILE);
  if (location.home) {
    pipPaths.push(join(env.XDG_CONFIG_HOME ?? join(location.home, ".config"), "pip", "pip.conf"));
    pipPaths.push(join(location.home, ".pip", "pip.conf"));
    pipPaths.push("/etc/pip.conf");
  }
  const [npmrc, pipConf] = await Promise.all([readAll(dedupe(npmrcPaths)), readAll(pipPaths)]);
  return registryConfigFrom({ npmrc, pipConf, env });
}

function dedupe(paths: string[]): string[] {
  return [...new Set(paths)];
}

async function readAll(paths: readonly string[]): Promise<Array<{ file: string; text: string }>> {
  const texts = await Promise.all(paths.map(async (file) => {
    try {
      return { file, text: await readFile(file, "utf8") };
    } catch {
      return undefined;
    }
  }));
  return texts.filter((t): t is { file: string; text: string } => t !== undefined);
}
