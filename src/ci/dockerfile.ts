// Dockerfiles: the commands of `RUN` (shell form with continuations, exec form, here-documents) and the images of
// `FROM` (with ARG defaults substituted and build stages told apart from images).
// Syntax: https://docs.docker.com/reference/dockerfile/
import { dirOf } from "./paths.js";
import { inlineShellScript, isShellProgram } from "./shell.js";
import { lineMapOf } from "./reader.js";
import type { ReaderCommand, ReaderOutput } from "./reader.js";
import { scriptCommands } from "./script.js";

/** One instruction: keyword, the text after it (continuations kept, comment lines blanked), where it starts. */
interface Instruction {
  keyword: string;
  /** Offset in the file where the arguments start. */
  argsStart: number;
  /** The arguments as the file has them (same length and newlines as the file slice). */
  args: string;
  line: number;
  /** Here-document bodies that follow the instruction, with the offset where each starts. */
  heredocs: Array<{ delimiter: string; body: string; start: number }>;
}

/** Reads a Dockerfile. */
export function readDockerfile(path: string, text: string): ReaderOutput {
  const out: ReaderOutput = { commands: [], actions: [], images: [] };
  const problems: string[] = [];
  const lineOf = lineMapOf(text, 1);
  const instructions = splitInstructions(text, problems);
  const globalArgs: Record<string, string> = {};
  const stages = new Set<string>();
  let env: Record<string, string> = {};
  let seenFrom = false;
  let shellIsSh = true;
  for (const instruction of instructions) {
    const { keyword } = instruction;
    if (keyword === "ARG") {
      for (const [name, value] of declarations(instruction.args, true)) {
        if (!seenFrom) globalArgs[name] = value ?? globalArgs[name] ?? "";
        else if (value !== undefined) env[name] = value;
        else if (globalArgs[name] !== undefined) env[name] = globalArgs[name] as string;
      }
      continue;
    }
    if (keyword === "FROM") {
      seenFrom = true;
      env = {};
      shellIsSh = true;
      const words = instruction.args.trim().split(/\s+/).filter((w) => !w.startsWith("--"));
      const written = words[0];
      if (words.length >= 3 && words[1]?.toLowerCase() === "as" && words[2]) stages.add(words[2].toLowerCase());
      if (!written) continue;
      const image = substitute(written, globalArgs);
      if (image.toLowerCase() === "scratch" || stages.has(image.toLowerCase())) continue;
      out.images.push({ file: path, line: instruction.line, image, use: "base-image", where: "FROM", jobSecrets: [], jobPublishes: false });
      continue;
    }
    if (keyword === "ENV") {
      for (const [name, value] of declarations(instruction.args, false)) env[name] = value ?? "";
      continue;
    }
    if (keyword === "SHELL") {
      const argv = execForm(instruction.args);
      shellIsSh = argv !== undefined && argv[0] !== undefined && isShellProgram(argv[0]);
      continue;
    }
    if (keyword !== "RUN") continue;
    for (const command of runCommands(path, instruction, env, shellIsSh, lineOf, problems)) out.commands.push(command);
  }
  if (problems.length > 0) out.problem = { status: "partial", reason: problems.slice(0, 3).join("; ") };
  return out;
}

function runCommands(path: string, instruction: Instruction, env: Record<string, string>, shellIsSh: boolean, lineOf: (offset: number) => number, problems: string[]): ReaderCommand[] {
  const base = { file: path, where: "RUN", jobSecrets: [], jobPublishes: false };
  // Flags first: --mount=…, --network=…, --security=….
  let args = instruction.args;
  let offset = instruction.argsStart;
  for (;;) {
    const match = /^\s*--[^\s]+/.exec(args);
    if (!match) break;
    args = args.slice(match[0].length);
    offset += match[0].length;
  }
  const exec = execForm(args);
  if (exec !== undefined) {
    const inline = inlineShellScript(exec);
    if (inline !== undefined) return fromScript(inline, () => instruction.line);
    if (exec.length === 0) return [];
    return [{ ...base, line: instruction.line, argv: exec, dynamic: exec.map(() => false), text: exec.join(" "), cwd: dirOf(path), env: { ...env } }];
  }
  if (!shellIsSh) return [];
  const trimmed = args.trim();
  const heredocOnly = instruction.heredocs.length > 0 && /^(?:<<-?\s*["']?[A-Za-z0-9_]+["']?\s*)+$/.test(trimmed);
  const shellWithHeredoc = instruction.heredocs.length > 0 && isShellProgram(trimmed.split(/\s+/)[0] ?? "") && trimmed.includes("<<");
  if (heredocOnly || shellWithHeredoc) {
    // `RUN <<EOF` (and `RUN bash <<EOF`): the body is the script.
    return instruction.heredocs.flatMap((doc) => fromScript(doc.body, (o) => lineOf(doc.start + o)));
  }
  // Other here-documents are input to a command (`cat <<EOF > file`): their bodies follow the instruction, so the
  // markers are blanked (same length) for the tokenizer not to wait for a body.
  const withoutMarkers = instruction.heredocs.length > 0 ? args.replace(/<<-?\s*["']?[A-Za-z0-9_]+["']?/g, (m) => " ".repeat(m.length)) : args;
  return fromScript(withoutMarkers, (o) => lineOf(offset + o));

  function fromScript(script: string, map: (offset: number) => number): ReaderCommand[] {
    // Read as if the build context (usually the Dockerfile's folder) were copied into the working directory, as most
    // Dockerfiles do (`WORKDIR /app` + `COPY . .`); lookups from there also search parent folders.
    const result = scriptCommands(script, { cwd: dirOf(path), env, lineOf: map });
    if (result.problem) problems.push(`RUN on line ${instruction.line}: ${result.problem}`);
    return result.commands.map((c) => ({ ...base, ...c }));
  }
}

/** `["a", "b"]` as a list of strings, or undefined when the text is not a JSON array of strings. */
function execForm(args: string): string[] | undefined {
  const trimmed = args.trim();
  if (!trimmed.startsWith("[")) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed.replace(/\\\r?\n/g, ""));
    return Array.isArray(parsed) && parsed.every((p) => typeof p === "string") ? parsed as string[] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits a Dockerfile into instructions. Continuation lines end with the escape character (`\`, or the one a
 * `# escape=` directive names); comment lines inside an instruction are dropped (blanked here, so offsets still map to
 * lines). Here-document bodies (`<<EOF` … `EOF`) follow their instruction.
 */
function splitInstructions(text: string, problems: string[]): Instruction[] {
  const lines = text.split("\n");
  const starts: number[] = [];
  let at = 0;
  for (const line of lines) {
    starts.push(at);
    at += line.length + 1;
  }
  let escape = "\\";
  // Parser directives: `# key=value` lines at the very top.
  for (const line of lines) {
    const match = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line.trim());
    if (!match) break;
    if (match[1]?.toLowerCase() === "escape" && (match[2] === "`" || match[2] === "\\")) escape = match[2];
  }
  const instructions: Instruction[] = [];
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i] as string;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      i++;
      continue;
    }
    const keywordMatch = /^\s*([A-Za-z]+)/.exec(raw);
    const keyword = (keywordMatch?.[1] ?? "").toUpperCase();
    const firstLine = i + 1;
    const argsStart = (starts[i] as number) + (keywordMatch?.[0].length ?? 0);
    let args = raw.slice(keywordMatch?.[0].length ?? 0);
    let current = raw;
    while (continues(current, escape) && i + 1 < lines.length) {
      // Replace the escape with a backslash so the shell tokenizer sees a continuation; same length.
      args = args.replace(/[\\`](\s*)$/, "\\$1");
      i++;
      current = lines[i] as string;
      // Docker drops comment lines and empty lines inside an instruction; the instruction goes on after them.
      const dropped = current.trim() === "" || current.trim().startsWith("#");
      args += "\n" + (dropped ? " ".repeat(current.length) : current);
      if (dropped) current = escape;
    }
    i++;
    const heredocs: Instruction["heredocs"] = [];
    if (keyword === "RUN" || keyword === "COPY" || keyword === "ADD") {
      for (const marker of heredocMarkers(args)) {
        const start = i < lines.length ? (starts[i] as number) : text.length;
        let end = i;
        while (end < lines.length && stripTabs(lines[end] as string, marker.stripTabs).replace(/\r$/, "") !== marker.delimiter) end++;
        if (end >= lines.length) problems.push(`here-document ${marker.delimiter} on line ${firstLine} is not closed`);
        heredocs.push({ delimiter: marker.delimiter, body: lines.slice(i, end).join("\n"), start });
        i = Math.min(lines.length, end + 1);
      }
    }
    instructions.push({ keyword, argsStart, args, line: firstLine, heredocs });
  }
  return instructions;
}

function continues(line: string, escape: string): boolean {
  const trimmed = line.replace(/\s+$/, "");
  return trimmed.endsWith(escape) && !trimmed.endsWith(escape + escape);
}

function stripTabs(line: string, strip: boolean): string {
  return strip ? line.replace(/^\t+/, "") : line;
}

/** `<<EOF`, `<<-EOF`, `<<"EOF"` markers in an instruction (not `<<<`). */
function heredocMarkers(args: string): Array<{ delimiter: string; stripTabs: boolean }> {
  const markers: Array<{ delimiter: string; stripTabs: boolean }> = [];
  const pattern = /(?:^|[^<])<<(-?)\s*["']?([A-Za-z0-9_]+)["']?/g;
  for (let match = pattern.exec(args); match; match = pattern.exec(args)) {
    markers.push({ delimiter: match[2] as string, stripTabs: match[1] === "-" });
  }
  return markers;
}

/** `NAME=value NAME2="v 2"` (or the legacy `NAME value` form of ENV); ARG may omit the value. */
function declarations(args: string, isArg: boolean): Array<[string, string | undefined]> {
  const text = args.replace(/\\\r?\n/g, " ").trim();
  const out: Array<[string, string | undefined]> = [];
  if (!text.includes("=") && !isArg) {
    const space = text.search(/\s/);
    if (space > 0) out.push([text.slice(0, space), text.slice(space + 1).trim()]);
    return out;
  }
  const pattern = /([A-Za-z_][A-Za-z0-9_]*)(?:=("[^"]*"|'[^']*'|\S*))?/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const value = match[2];
    out.push([match[1] as string, value === undefined ? undefined : unquote(value)]);
  }
  return out;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === "\"" || value[0] === "'") && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

/** Replaces `$NAME`, `${NAME}`, `${NAME:-default}` with ARG values; unknown names are left as written. */
function substitute(text: string, args: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? "";
    const value = args[name];
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined) return fallback;
    return whole;
  });
}
