import type { Hash } from "../../graph/package-node.js";
import { parseRequirement } from "../python/pep508.js";
import { redactCredentials } from "./requirement-target.js";

/**
 * A line-level reader of pip's requirements-file format
 * (https://pip.pypa.io/en/stable/reference/requirements-file-format/), following pip's own reader
 * (`pip/_internal/req/req_file.py`): physical lines ending in `\` are joined, a `#` at the start of a line or after
 * whitespace starts a comment, the remaining text is split into requirement arguments and options, and the options
 * are read the way optparse reads them. Comments are not simply dropped: pip-compile and `uv pip compile` write
 * `# via` annotations into them, which are the only record of why a package is in a compiled file.
 * Everything here is a hand-written scanner, linear in the size of the text.
 */

/** What a `# via` annotation names: a requirements file (`-r x.in`), a constraints file (`-c x.txt`) or a package. */
export type ViaEntry =
  | { kind: "file"; mode: IncludeMode; path: string }
  /** `project` is set when the name carries a `(pyproject.toml)`-style suffix: the project itself, not a package. */
  | { kind: "package"; name: string; project: boolean };

/** `-r` adds the included file's requirements; `-c` only constrains versions. */
export type IncludeMode = "requirement" | "constraint";

/** One requirement line (a plain requirement or `-e`), with its per-requirement options and annotations. */
export interface RequirementLine {
  /** 1-based line where the (possibly continued) line starts. */
  line: number;
  /** The requirement as written: the arguments of the line, or the value of `-e`. */
  text: string;
  editable: boolean;
  hashes: Hash[];
  /** `--config-settings`/`--global-option` values, kept for completeness. */
  buildOptions: string[];
  /** The `# via` annotation when the file has one for this entry (an empty list for a bare `# via`). */
  via?: ViaEntry[];
}

/** A `-r`/`-c` line. */
export interface IncludeLine {
  line: number;
  mode: IncludeMode;
  /** The path or URL as written. */
  target: string;
}

/** A global option line (`--index-url`, `--extra-index-url`, `--find-links`, `--pre`, ...). */
export interface OptionLine {
  line: number;
  /** Canonical long name without dashes, e.g. "extra-index-url". */
  name: string;
  /** The value, with URL credentials replaced by `***` (private index URLs often carry a token). */
  value?: string;
}

/** A line that could not be read, with a short reason. */
export interface BadLine {
  line: number;
  reason: string;
}

/** Everything a requirements file says, in file order per kind. */
export interface RequirementsFile {
  requirements: RequirementLine[];
  includes: IncludeLine[];
  options: OptionLine[];
  bad: BadLine[];
  /** True when at least one entry carries a `# via` annotation (pip-compile / uv output). */
  annotated: boolean;
}

interface OptionSpec {
  name: string;
  short?: string;
  takesValue: boolean;
}

/**
 * The options pip accepts in a requirements file (SUPPORTED_OPTIONS and SUPPORTED_OPTIONS_REQ in req_file.py).
 * Anything else is an error for pip, so it is a bad line here.
 */
const OPTIONS: readonly OptionSpec[] = [
  { name: "index-url", short: "i", takesValue: true },
  { name: "extra-index-url", takesValue: true },
  { name: "no-index", takesValue: false },
  { name: "constraint", short: "c", takesValue: true },
  { name: "requirement", short: "r", takesValue: true },
  { name: "editable", short: "e", takesValue: true },
  { name: "find-links", short: "f", takesValue: true },
  { name: "no-binary", takesValue: true },
  { name: "only-binary", takesValue: true },
  { name: "no-deps-for", takesValue: true },
  { name: "prefer-binary", takesValue: false },
  { name: "require-hashes", takesValue: false },
  { name: "pre", takesValue: false },
  { name: "trusted-host", takesValue: true },
  { name: "use-feature", takesValue: true },
  { name: "global-option", takesValue: true },
  { name: "hash", takesValue: true },
  { name: "config-settings", short: "C", takesValue: true },
];

/** Parses the text of one requirements file. Never throws; unreadable lines land in `bad`. */
export function parseRequirementsFile(text: string): RequirementsFile {
  const out: RequirementsFile = { requirements: [], includes: [], options: [], bad: [], annotated: false };
  const state: AnnotationState = { last: undefined, viaOpen: false };
  // pip decodes with auto_decode, which drops a byte-order mark; str.splitlines() then splits on these breaks.
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/);
  let pending: string[] = [];
  let pendingStart = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const lineNo = i + 1;
    const comment = isCommentLine(raw);
    if (!raw.endsWith("\\") || comment) {
      // pip's join_lines: a comment line ends a continuation (and contributes nothing to it).
      if (pending.length > 0) {
        if (!comment) pending.push(raw);
        handleLogicalLine(pendingStart, pending.join(""), out, state);
        pending = [];
      } else if (!comment) {
        handleLogicalLine(lineNo, raw, out, state);
      }
      if (comment) handleComment(raw, out, state);
    } else {
      if (pending.length === 0) pendingStart = lineNo;
      pending.push(stripBackslashes(raw));
    }
  }
  if (pending.length > 0) handleLogicalLine(pendingStart, pending.join(""), out, state);
  return out;
}

interface AnnotationState {
  /** The requirement the next `# via` comment belongs to. */
  last: RequirementLine | undefined;
  /** Inside a multi-line `# via` list. */
  viaOpen: boolean;
}

function handleLogicalLine(lineNo: number, logical: string, out: RequirementsFile, state: AnnotationState): void {
  const hash = commentStart(logical);
  const content = (hash < 0 ? logical : logical.slice(0, hash)).trim();
  const inlineComment = hash < 0 ? undefined : logical.slice(hash);
  state.viaOpen = false;
  if (content === "") {
    // A blank line ends any annotation block; a whitespace-then-comment line is handled as a comment by the caller.
    if (inlineComment === undefined) state.last = undefined;
    return;
  }
  state.last = undefined;
  const split = splitArgsOptions(content);
  const tokens = shellSplit(split.options);
  if (tokens === undefined) {
    out.bad.push({ line: lineNo, reason: "unbalanced quotes in options" });
    return;
  }
  const parsed = parseOptions(tokens);
  if ("error" in parsed) {
    out.bad.push({ line: lineNo, reason: parsed.error });
    return;
  }
  const opts = parsed.values;
  const editable = opts.get("editable")?.[0];
  if (split.args !== "" || editable !== undefined) {
    // A requirement line: only per-requirement options count (pip ignores the others on such a line).
    const hashes: Hash[] = [];
    if (split.args !== "") {
      for (const value of opts.get("hash") ?? []) {
        const colon = value.indexOf(":");
        if (colon <= 0 || colon === value.length - 1) out.bad.push({ line: lineNo, reason: `malformed --hash ${value}` });
        else hashes.push({ algorithm: value.slice(0, colon).toLowerCase(), value: value.slice(colon + 1) });
      }
    }
    const entry: RequirementLine = {
      line: lineNo,
      text: split.args !== "" ? split.args : (editable as string),
      editable: split.args === "",
      hashes,
      buildOptions: [...(opts.get("config-settings") ?? []), ...(opts.get("global-option") ?? [])],
    };
    out.requirements.push(entry);
    state.last = entry;
    if (inlineComment !== undefined) handleComment(inlineComment, out, state);
    return;
  }
  // pip follows the first -r of a line, else the first -c (RequirementsFileParser._parse_and_recurse).
  const requirement = opts.get("requirement")?.[0];
  const constraint = opts.get("constraint")?.[0];
  if (requirement !== undefined) out.includes.push({ line: lineNo, mode: "requirement", target: requirement });
  else if (constraint !== undefined) out.includes.push({ line: lineNo, mode: "constraint", target: constraint });
  for (const [name, values] of opts) {
    if (name === "requirement" || name === "constraint" || name === "hash") continue;
    if (values.length === 0) out.options.push({ line: lineNo, name });
    for (const value of values) out.options.push({ line: lineNo, name, value: redactCredentials(value) });
  }
}

/** Reads annotations out of a comment (text starting at its `#`, possibly indented). */
function handleComment(raw: string, out: RequirementsFile, state: AnnotationState): void {
  const hashAt = raw.indexOf("#");
  const body = raw.slice(hashAt + 1);
  const trimmed = body.trim();
  const target = state.last;
  if (trimmed === "via" || trimmed.startsWith("via ") || trimmed.startsWith("via\t")) {
    if (!target) return;
    target.via ??= [];
    out.annotated = true;
    const rest = trimmed.slice(3).trim();
    if (rest === "") {
      state.viaOpen = true;
      return;
    }
    // Single-line form `# via a` (pip-compile also wrote `# via a, b` before version 6).
    for (const part of rest.split(",")) {
      const entry = parseViaEntry(part);
      if (entry) target.via.push(entry);
    }
    state.viaOpen = false;
    return;
  }
  // Entries of a multi-line list are indented after the `#` (`#   aiohttp`).
  if (state.viaOpen && target?.via && (body.startsWith("  ") || body.startsWith("\t"))) {
    const entry = parseViaEntry(trimmed);
    if (entry) target.via.push(entry);
    return;
  }
  state.viaOpen = false;
  // Annotations are indented under their requirement; a comment at column 0 starts something else (e.g. pip-compile's
  // "The following packages are considered to be unsafe" block), so later `# via` lines cannot belong to `last`.
  if (hashAt === 0) state.last = undefined;
}

function parseViaEntry(text: string): ViaEntry | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  for (const [flag, mode] of [["-r", "requirement"], ["--requirement", "requirement"], ["-c", "constraint"], ["--constraint", "constraint"]] as const) {
    if (t.startsWith(flag + " ") || t.startsWith(flag + "=")) return { kind: "file", mode, path: t.slice(flag.length + 1).trim() };
  }
  const req = parseRequirement(t);
  if (!req) return undefined;
  // `aider-chat (pyproject.toml)`: the project itself, named after its manifest. parseRequirement reads the
  // parenthesised part as a specifier, so look at the text instead.
  const paren = t.indexOf("(");
  const project = paren > 0 && t.endsWith(")") && !/[<>=!~]/.test(t.slice(paren));
  return { kind: "package", name: req.name, project };
}

/** pip's COMMENT_RE.match: the line is only a comment (optional whitespace, then `#`). */
function isCommentLine(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "#") return true;
    if (!isSpace(c)) return false;
  }
  return false;
}

/** Index of the whitespace run before the first `#` that starts a comment (at line start or after whitespace), or -1. */
function commentStart(line: string): number {
  for (let i = line.indexOf("#"); i >= 0; i = line.indexOf("#", i + 1)) {
    if (i === 0) return 0;
    if (isSpace(line[i - 1])) {
      let start = i - 1;
      while (start > 0 && isSpace(line[start - 1])) start--;
      return start;
    }
  }
  return -1;
}

/** Python's `str.strip("\\")`, which join_lines applies to each continued line. */
function stripBackslashes(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && line[start] === "\\") start++;
  while (end > start && line[end - 1] === "\\") end--;
  return line.slice(start, end);
}

/**
 * pip's break_args_options: the arguments are the leading tokens up to the first one starting with `-`; the rest are
 * options. Arguments are not shell-split because markers contain quotes.
 */
function splitArgsOptions(content: string): { args: string; options: string } {
  let i = 0;
  while (i < content.length) {
    while (i < content.length && isSpace(content[i])) i++;
    if (i >= content.length) break;
    if (content[i] === "-") return { args: content.slice(0, i).trim(), options: content.slice(i) };
    while (i < content.length && !isSpace(content[i])) i++;
  }
  return { args: content.trim(), options: "" };
}

/** A POSIX-mode shlex.split: whitespace separates, quotes group, backslash escapes. Undefined on an open quote. */
export function shellSplit(text: string): string[] | undefined {
  const tokens: string[] = [];
  let current = "";
  let inToken = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (isSpace(c)) {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return undefined;
      current += text.slice(i + 1, close);
      inToken = true;
      i = close;
    } else if (c === '"') {
      inToken = true;
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        // Inside double quotes a backslash escapes only these characters.
        if (text[j] === "\\" && j + 1 < text.length && '\\"$`'.includes(text[j + 1] as string)) j++;
        current += text[j];
      }
      if (j >= text.length) return undefined;
      i = j;
    } else if (c === "\\") {
      if (i + 1 < text.length) current += text[++i];
      inToken = true;
    } else {
      current += c;
      inToken = true;
    }
  }
  if (inToken) tokens.push(current);
  return tokens;
}

/** Reads option tokens the way optparse does: `--name=value`, `--name value`, `-xvalue`, `-x value`, unique prefixes. */
function parseOptions(tokens: string[]): { values: Map<string, string[]> } | { error: string } {
  const values = new Map<string, string[]>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    // optparse collects stray positional arguments and pip ignores them.
    if (!token.startsWith("-") || token === "-") continue;
    let spec: OptionSpec | undefined;
    let value: string | undefined;
    if (token.startsWith("--")) {
      const eq = token.indexOf("=");
      const name = token.slice(2, eq < 0 ? undefined : eq);
      spec = OPTIONS.find((o) => o.name === name);
      if (!spec) {
        const candidates = name === "" ? [] : OPTIONS.filter((o) => o.name.startsWith(name));
        if (candidates.length === 1) spec = candidates[0];
      }
      if (!spec) return { error: `unknown option --${name}` };
      if (eq >= 0) {
        if (!spec.takesValue) return { error: `option --${spec.name} takes no value` };
        value = token.slice(eq + 1);
      }
    } else {
      const letter = token[1];
      spec = OPTIONS.find((o) => o.short === letter);
      if (!spec) return { error: `unknown option -${letter}` };
      if (token.length > 2) value = token.slice(2);
    }
    if (spec.takesValue && value === undefined) {
      const next = tokens[i + 1];
      if (next === undefined) return { error: `option --${spec.name} requires a value` };
      value = next;
      i++;
    }
    const list = values.get(spec.name) ?? [];
    if (value !== undefined) list.push(value);
    values.set(spec.name, list);
  }
  return { values };
}

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\f" || c === "\v";
}
