// File formats the secret scan treats specially: `.env` files (which variables hold values), Dockerfiles, Kubernetes
// manifests and docker-compose files (whether a credential is a literal in a deployment setting rather than a
// reference to a secret store), and Jupyter notebooks (credentials in cell sources and in saved outputs, mapped back to
// a line of the .ipynb file). Everything here is a pure function of a path and a text.
import { isLowerDockerfileName } from "../ci/claims.js";
import type { Document } from "yaml";
import type { TextLines } from "./lines.js";

/** How the scanner reads a file. */
export type FileKind = "env" | "env-template" | "dockerfile" | "compose" | "yaml" | "notebook" | "text";

/** Name parts that make an env file a template meant to be committed (`.env.example`, `example.env`, `.env.dist`). */
const TEMPLATE_WORDS = new Set(["example", "examples", "sample", "samples", "template", "tmpl", "tpl", "dist", "defaults", "default", "schema"]);

/** The kind of a root-relative POSIX path, by name. Kubernetes manifests are YAML files told apart by content. */
export function fileKindOf(path: string): FileKind {
  const name = path.slice(path.lastIndexOf("/") + 1);
  // Asked for every file: a name that neither starts nor ends like one of the kinds below (`.env…`, `dockerfile…`,
  // `containerfile…`; `…env`, `…ipynb`, `…dockerfile`, `…yml`, `…yaml`) is text without lower-casing it.
  const first = name.charCodeAt(0) | 0x20;
  const last = name.charCodeAt(name.length - 1) | 0x20;
  if (first !== 0x2e && first !== 0x64 && first !== 0x63 && last !== 0x76 && last !== 0x62 && last !== 0x65 && last !== 0x6c) return "text";
  const lower = name.toLowerCase();
  if (isEnvFileName(lower)) return lower.split(".").some((part) => TEMPLATE_WORDS.has(part)) ? "env-template" : "env";
  if (lower.endsWith(".ipynb")) return "notebook";
  if (isLowerDockerfileName(lower)) return "dockerfile";
  if (lower.endsWith(".yml") || lower.endsWith(".yaml")) {
    // https://docs.docker.com/compose/intro/compose-application-model/#the-compose-file
    if (lower.startsWith("docker-compose") || lower.startsWith("compose.") || lower.startsWith("compose-")) return "compose";
    return "yaml";
  }
  return "text";
}

/** `.env`, `.env.<anything>`, `<anything>.env` (the `env_file:` of docker-compose); not `.envrc` or `environment.yml`. */
export function isEnvFileName(lowerName: string): boolean {
  return lowerName === ".env" || lowerName.startsWith(".env.") || (lowerName.endsWith(".env") && lowerName.length > 4);
}

// ---------------------------------------------------------------------------------------------------------------------
// .env files

/** One `NAME=value` assignment of an env file (values are never kept: only whether they look like a secret). */
export interface EnvAssignment {
  name: string;
  line: number;
  /** True when the value is empty or a placeholder (`changeme`, `<your-key>`, `${OTHER}`, `xxxx`). */
  placeholder: boolean;
  /** True when the value looks like a credential: a secret-named variable with a real-looking value, or a URL with a password. */
  secretLike: boolean;
}

/**
 * The assignments of a dotenv file (https://hexdocs.pm/dotenvy/dotenv-file-format.html): `NAME=value`, optionally
 * after `export`, quoted or not, `#` comments. Multi-line quoted values count once, at their first line. In a template
 * (`.env.example`) a value counts as a credential only when it also looks generated: templates hold sample words.
 */
export function parseEnvAssignments(text: string, template = false): EnvAssignment[] {
  const out: EnvAssignment[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] as string).trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("export ")) line = line.slice(7).trimStart();
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const name = line.slice(0, eq).trim();
    if (!isVariableName(name)) continue;
    const value = unquote(line.slice(eq + 1).trim());
    const placeholder = isPlaceholderValue(value);
    const secretLike = !placeholder && (template ? urlPassword(value) || (isSecretValue(name, value) && looksGenerated(value)) : isSecretValue(name, value));
    out.push({ name, line: i + 1, placeholder, secretLike });
  }
  return out;
}

function isVariableName(name: string): boolean {
  if (name.length === 0 || name.length > 200) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (i > 0 && ((c >= 48 && c <= 57) || c === 46 || c === 45));
    if (!ok) return false;
  }
  return true;
}

/** The value without surrounding quotes, or an unquoted value without its trailing ` # comment`. */
function unquote(raw: string): string {
  const quote = raw[0];
  if (quote === "\"" || quote === "'" || quote === "`") {
    const end = raw.indexOf(quote, 1);
    return end < 0 ? raw.slice(1) : raw.slice(1, end);
  }
  const comment = raw.indexOf(" #");
  return (comment < 0 ? raw : raw.slice(0, comment)).trim();
}

/** Words that make a value a placeholder rather than a credential. */
const PLACEHOLDER_WORDS = ["your", "changeme", "change_me", "change-me", "placeholder", "example", "replace", "dummy", "fake", "redacted", "insert", "todo", "fixme", "secret_here", "key_here", "token_here", "xxx", "***", "..."];

/** True for an empty value, a reference to another variable, a `<…>` hole, or an obvious stand-in. */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  if (v === "" || v === "null" || v === "none" || v === "None" || v === "undefined" || v === "''" || v === "\"\"") return true;
  if (v.startsWith("$") || v.startsWith("<") || v.startsWith("{{") || v.startsWith("%")) return true;
  const lower = v.toLowerCase();
  if (PLACEHOLDER_WORDS.some((word) => lower.includes(word))) return true;
  // One character repeated (`aaaaaaaa`, `00000000`, `********`).
  if (v.length > 1 && [...v].every((c) => c === v[0])) return true;
  return false;
}

/**
 * Variable names that hold credentials: any word SECRET, PASSWORD, TOKEN, CREDENTIALS or APIKEY (`JWT_SECRET`,
 * `SECRET_KEY_BASE`, `GH_TOKEN`), or a last word KEY, PASS or PWD (`OPENAI_API_KEY`, `DB_PASS`); not public keys, ids,
 * URLs or paths (`NEXT_PUBLIC_…_KEY`, `AWS_ACCESS_KEY_ID`, `CACHE_KEY_PREFIX` stays out too).
 */
export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (upper.includes("PUBLIC") || upper.includes("PUBLISHABLE")) return false;
  const words = upper.split(/[^A-Z0-9]+/).filter((w) => w !== "");
  const last = words[words.length - 1] ?? "";
  if (last === "ID" || last === "URL" || last === "URI" || last === "PATH" || last === "FILE" || last === "HOST") return false;
  if (last === "KEY" || last === "PASS" || last === "PWD" || last.endsWith("APIKEY")) return true;
  return words.some((w) => w === "SECRET" || w === "PASSWORD" || w === "PASSWD" || w === "TOKEN" || w === "CREDENTIALS" || w === "APIKEY" || w.endsWith("TOKEN") || w.endsWith("SECRET") || w.endsWith("PASSWORD"));
}

/** A value that is itself a credential: for a secret-named variable, any real-looking value; or a URL carrying a password. */
function isSecretValue(name: string, value: string): boolean {
  if (urlPassword(value)) return true;
  if (!isSecretName(name) || value.length < 6 || value === "true" || value === "false") return false;
  // Durations, lengths and ports (`TOKEN_TTL=86400`) are settings, not secrets.
  return !/^[0-9]+[a-z]?$/.test(value);
}

/** True when a value is a URL with a password in its user info (`postgres://app:s3cret@db/app`). */
export function urlPassword(value: string): boolean {
  const scheme = value.indexOf("://");
  if (scheme <= 0) return false;
  const rest = value.slice(scheme + 3);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const at = authority.lastIndexOf("@");
  if (at < 0) return false;
  const colon = authority.indexOf(":");
  if (colon < 0 || colon > at) return false;
  return !isPlaceholderValue(authority.slice(colon + 1, at));
}

/** True for a value that is random enough to be a generated secret rather than a word (used for template files). */
export function looksGenerated(value: string): boolean {
  if (value.length < 16) return false;
  let lower = false;
  let upper = false;
  let digit = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 48 && c <= 57) digit = true;
  }
  return digit && (lower || upper);
}

// ---------------------------------------------------------------------------------------------------------------------
// Deployment settings

/** Where in a deployment file a credential is written as a literal. */
export type DeployContextKind =
  | "dockerfile-env"
  | "dockerfile-arg"
  | "kubernetes-env"
  | "kubernetes-configmap"
  | "kubernetes-secret-manifest"
  | "compose-environment"
  | "compose-build-arg";

/** A literal credential in a deployment setting. */
export interface DeployContext {
  kind: DeployContextKind;
  /** The variable, ConfigMap key or build argument it is assigned to, when known. */
  name?: string;
}

/** What {@link deployContexts} needs of a match. */
export interface Located {
  line: number;
  column: number;
}

/**
 * For each match in a Dockerfile, compose file or Kubernetes manifest, the deployment setting it is a literal of (or
 * undefined). Other kinds of file get all undefined. YAML is parsed only when called, which is only for files with
 * matches.
 */
export async function deployContexts(kind: FileKind, lines: TextLines, matches: readonly Located[]): Promise<Array<DeployContext | undefined>> {
  if (kind === "dockerfile") return matches.map((m) => dockerfileContext(lines, m.line));
  if (kind !== "compose" && kind !== "yaml") return matches.map(() => undefined);
  if (kind === "yaml" && !looksLikeKubernetes(lines.text)) return matches.map(() => undefined);
  return yamlContexts(kind, lines, matches);
}

/** The instruction a line belongs to (following `\` continuations back), when it is `ENV` or `ARG`. */
function dockerfileContext(lines: TextLines, line: number): DeployContext | undefined {
  let start = line;
  // Walk back over continued lines; comment lines inside a continuation do not end it (Dockerfile reference).
  while (start > 1) {
    const previous = lines.line(start - 1).trimEnd();
    if (previous.endsWith("\\") || (previous.trimStart().startsWith("#") && start - 2 >= 1 && lines.line(start - 2).trimEnd().endsWith("\\"))) start--;
    else break;
  }
  const first = lines.line(start).trimStart();
  const space = first.search(/\s/);
  const instruction = (space < 0 ? first : first.slice(0, space)).toUpperCase();
  if (instruction !== "ENV" && instruction !== "ARG") return undefined;
  const name = assignedName(lines.line(line), start === line ? instruction.length : 0);
  return { kind: instruction === "ENV" ? "dockerfile-env" : "dockerfile-arg", ...(name ? { name } : {}) };
}

/** The `NAME` of the last `NAME=` (or `ENV NAME value`) before the value on a line. */
function assignedName(text: string, from: number): string | undefined {
  const body = text.slice(from).trim();
  const eq = body.indexOf("=");
  const head = eq < 0 ? body.split(/\s+/)[0] ?? "" : body.slice(0, eq).trim().split(/\s+/).pop() ?? "";
  return isVariableName(head) ? head : undefined;
}

/** A YAML text with top-level `apiVersion:` and `kind:` keys (the start of every Kubernetes object). */
export function looksLikeKubernetes(text: string): boolean {
  return /^apiVersion:/m.test(text) && /^kind:/m.test(text);
}

type PathPart = string | number;

async function yamlContexts(kind: FileKind, lines: TextLines, matches: readonly Located[]): Promise<Array<DeployContext | undefined>> {
  const offsets = matches.map((m) => lines.offset(m.line, m.column));
  const results: Array<DeployContext | undefined> = matches.map(() => undefined);
  const { parseAllDocuments, isMap, isSeq, isScalar, isPair } = await import("yaml");
  let list: Array<{ document: Document.Parsed; base: number }> = [];
  for (const [start, end] of documentsHolding(lines.text, offsets)) {
    try {
      const documents = parseAllDocuments(lines.text.slice(start, end), { uniqueKeys: false });
      if (Array.isArray(documents)) list = list.concat(documents.map((document) => ({ document, base: start })));
    } catch {
      // Unparseable: the line fallback below still reads `- name:` / `value:` pairs.
    }
  }
  let parsed = false;
  for (const { document, base } of list) {
    if (document.errors.length > 0) continue;
    parsed = true;
    const root = document.contents;
    const objectKind = isMap(root) ? scalarText(root.get("kind", true)) : undefined;
    walk(root, []);

    function walk(node: unknown, path: PathPart[], parent?: unknown): void {
      if (isScalar(node)) {
        const range = node.range;
        if (!range) return;
        offsets.forEach((offset, i) => {
          if (offset >= base + range[0] && offset < base + range[1]) results[i] ??= classifyYaml(kind, objectKind, path, parent, node.value);
        });
        return;
      }
      if (isMap(node)) {
        for (const item of node.items) {
          if (!isPair(item)) continue;
          const key = isScalar(item.key) ? String(item.key.value) : "";
          walk(item.value, [...path, key], node);
        }
        return;
      }
      if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i], node));
    }
  }
  // Templated manifests (Helm, Kustomize placeholders) are not YAML until rendered: read `- name: X` / `value: …` pairs by line.
  if (!parsed || list.some(({ document }) => document.errors.length > 0)) {
    matches.forEach((m, i) => {
      results[i] ??= kind === "yaml" ? envValueByLine(lines, m.line) : undefined;
    });
  }
  return results;

  function scalarText(node: unknown): string | undefined {
    return isScalar(node) && typeof node.value === "string" ? node.value : undefined;
  }

  function classifyYaml(fileKind: FileKind, objectKind: string | undefined, path: PathPart[], parent: unknown, value: unknown): DeployContext | undefined {
    const last = path[path.length - 1];
    if (fileKind === "compose") {
      const services = path[0] === "services";
      if (services && path[2] === "environment" && path.length === 4) {
        // Map form `KEY: value`, or list form `- KEY=value`.
        const name = typeof last === "string" ? last : typeof value === "string" ? value.slice(0, Math.max(0, value.indexOf("="))) : "";
        return { kind: "compose-environment", ...(name ? { name } : {}) };
      }
      if (services && path[2] === "build" && path[3] === "args" && path.length === 5) {
        const name = typeof last === "string" ? last : typeof value === "string" ? value.slice(0, Math.max(0, value.indexOf("="))) : "";
        return { kind: "compose-build-arg", ...(name ? { name } : {}) };
      }
      return undefined;
    }
    // Kubernetes: containers[].env[].value anywhere in the object (Deployment, CronJob, Pod, …).
    if (last === "value" && path[path.length - 3] === "env" && isMap(parent)) {
      const name = scalarText(parent.get("name", true));
      return { kind: "kubernetes-env", ...(name ? { name } : {}) };
    }
    if (objectKind === "ConfigMap" && path[0] === "data" && path.length === 2 && typeof last === "string") return { kind: "kubernetes-configmap", name: last };
    if (objectKind === "Secret" && path[0] === "stringData" && path.length === 2 && typeof last === "string") return { kind: "kubernetes-secret-manifest", name: last };
    return undefined;
  }
}

/** A line starting a YAML document (`---`, alone or before content). */
const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;

/**
 * The `[start, end)` spans of the YAML documents (split at `---` lines) holding the offsets, in order, each once:
 * only these are parsed. A manifest file can hold dozens of objects, and parsing them all costs far more than
 * scanning them (the parser reads a few hundred KB a second until warmed up).
 */
export function documentsHolding(text: string, offsets: readonly number[]): Array<[number, number]> {
  const starts = [0];
  DOCUMENT_START.lastIndex = 0;
  for (let m = DOCUMENT_START.exec(text); m; m = DOCUMENT_START.exec(text)) if (m.index > 0) starts.push(m.index);
  const spans: Array<[number, number]> = [];
  // Offsets in order, and the documents in one sweep alongside: `i` is the last document starting at or before each.
  let i = 0;
  for (const offset of [...offsets].sort((a, b) => a - b)) {
    while (i + 1 < starts.length && (starts[i + 1] as number) <= offset) i++;
    const start = starts[i] as number;
    if (spans[spans.length - 1]?.[0] !== start) spans.push([start, starts[i + 1] ?? text.length]);
  }
  return spans;
}

/** `value: <secret>` right under `- name: X` (a container env entry), for templates that do not parse as YAML. */
function envValueByLine(lines: TextLines, line: number): DeployContext | undefined {
  const text = lines.line(line).trimStart();
  if (!text.startsWith("value:")) return undefined;
  for (let l = line - 1; l >= Math.max(1, line - 2); l--) {
    const previous = lines.line(l).trim();
    if (previous.startsWith("- name:")) {
      const name = unquote(previous.slice(7).trim());
      return { kind: "kubernetes-env", ...(isVariableName(name) ? { name } : {}) };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Jupyter notebooks

/** A piece of a notebook to scan: a cell's source, one text output, or metadata, with where it sits. */
export interface NotebookSegment {
  text: string;
  /** 0-based cell index, or -1 for the notebook's own metadata. */
  cell: number;
  part: "source" | "output" | "metadata";
}

/** Output MIME types holding text (everything else, images and PDFs, is base64 data and not scanned). */
function isTextMime(mime: string): boolean {
  return mime.startsWith("text/") || mime === "application/json" || mime === "application/javascript" || mime === "image/svg+xml" || mime.endsWith("+json");
}

/**
 * The parts of a notebook (nbformat 4, https://nbformat.readthedocs.io/en/latest/format_description.html) that can hold
 * a credential: cell sources, stream and error outputs, text representations of results, and metadata. Images and
 * attachments (base64) are left out: random base64 can spell a key prefix. Undefined when the text is not a notebook.
 */
export function notebookSegments(text: string): NotebookSegment[] | undefined {
  let notebook: unknown;
  try {
    notebook = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(notebook) || !Array.isArray(notebook.cells)) return undefined;
  const segments: NotebookSegment[] = [];
  if (isObject(notebook.metadata)) segments.push({ text: JSON.stringify(notebook.metadata, null, 1), cell: -1, part: "metadata" });
  notebook.cells.forEach((cell, index) => {
    if (!isObject(cell)) return;
    segments.push({ text: joinText(cell.source), cell: index, part: "source" });
    if (isObject(cell.metadata) && Object.keys(cell.metadata).length > 0) segments.push({ text: JSON.stringify(cell.metadata, null, 1), cell: index, part: "metadata" });
    if (!Array.isArray(cell.outputs)) return;
    for (const output of cell.outputs) {
      if (!isObject(output)) continue;
      if (output.text !== undefined) segments.push({ text: joinText(output.text), cell: index, part: "output" });
      if (output.evalue !== undefined) segments.push({ text: joinText(output.evalue), cell: index, part: "output" });
      if (output.traceback !== undefined) segments.push({ text: joinLines(output.traceback), cell: index, part: "output" });
      if (isObject(output.data)) {
        for (const [mime, value] of Object.entries(output.data)) {
          if (!isTextMime(mime)) continue;
          segments.push({ text: typeof value === "string" || Array.isArray(value) ? joinText(value) : JSON.stringify(value, null, 1), cell: index, part: "output" });
        }
      }
    }
  });
  return segments.filter((s) => s.text.length > 0);
}

/** nbformat "multiline strings": a string, or a list of strings each keeping its own line break. */
function joinText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : "")).join("");
  return "";
}

/** A traceback: a list of lines without line breaks. */
function joinLines(value: unknown): string {
  return Array.isArray(value) ? value.map((v) => (typeof v === "string" ? v : "")).join("\n") : joinText(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
