// The CI readers' entry point: reads every CI file (GitHub Actions workflows and actions, GitLab CI, Dockerfiles,
// Makefiles, shell scripts), follows the scripts and Makefile targets that CI jobs and Dockerfiles call, and returns
// the facts the install-command and pinning rules check, plus a status for each file that could not be read.
// Pure: the scan layer reads the files and passes their text.
//
// Following calls matters because a package manager's defaults depend on where it runs: pnpm and Yarn 2+ refuse to
// touch the lockfile when `CI` is set (GitHub Actions and GitLab set it), not in a `docker build`, and a script only a
// developer runs is not a CI install at all. See ./types.ts (CommandEnvironment).
import type { ActionReference } from "../rules/rule.js";
import type { FileResult } from "../scan/result.js";
import type { CiFileKind } from "./claims.js";
import { readDockerfile } from "./dockerfile.js";
import { readGitlabCi } from "./gitlab.js";
import { readAction, readWorkflow } from "./github.js";
import { readMakefile } from "./makefile.js";
import { dirOf, joinPath, resolvePath } from "./paths.js";
import { lineMapOf } from "./reader.js";
import type { ReaderCommand, ReaderOutput } from "./reader.js";
import { scriptCommands } from "./script.js";
import type { CiCommandDetail, CiFactsDetail, CommandEnvironment, ContainerImageReference } from "./types.js";

/** One CI file as discovery classified it, with its text. */
export interface CiFile {
  path: string;
  kind: CiFileKind;
  text: string;
}

/** What {@link extractCiFacts} returns: the facts, and statuses for files that failed or were read in part. */
export interface CiExtraction {
  facts: CiFactsDetail;
  files: FileResult[];
}

/** How the first caller of a script or Makefile target ran it: its surroundings carry over. */
interface Caller {
  environment: Exclude<CommandEnvironment, "unreached">;
  cwd: string | undefined;
  env: Readonly<Record<string, string>>;
  job?: string;
  jobSecrets: string[];
  jobPublishes: boolean;
}

interface FileState {
  file: CiFile;
  output: ReaderOutput;
  /** Shell scripts: the caller that reached it first. */
  caller?: Caller;
  /** Makefiles: the caller that reached each target first. */
  targets?: Map<string, Caller>;
}

/** Shells a script's `#!` line may name for the tokenizer to read it. */
const SH_INTERPRETERS = ["sh", "bash", "dash", "zsh", "ksh", "ash"];

/** Reads all CI files and follows calls between them. Never throws. */
export function extractCiFacts(files: CiFile[]): CiExtraction {
  // By path, so the facts (and findings in file order) do not depend on the order the caller read the files in.
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const states = sorted.map((file) => ({ file, output: readSafely(file) }) as FileState);
  const byPath = new Map(states.map((s) => [s.file.path, s]));

  // Dockerfiles first: a script run by both `docker build` and a CI job gets the stricter image-build reading.
  for (const environment of ["image-build", "ci"] as const) {
    const queue: Array<{ command: ReaderCommand; caller: Caller; state: FileState }> = [];
    for (const state of states) {
      const kind = state.file.kind;
      const own = environment === "image-build" ? kind === "dockerfile" : kind === "github-workflow" || kind === "github-action" || kind === "gitlab-ci";
      if (!own) continue;
      for (const command of state.output.commands) queue.push({ command, state, caller: callerOf(command, environment) });
    }
    for (let i = 0; i < queue.length; i++) {
      const { command, caller, state } = queue[i] as (typeof queue)[number];
      for (const call of callsOf(command, state.file.path, byPath)) {
        if (call.kind === "script") {
          if (call.state.caller) continue;
          call.state.caller = caller;
          for (const reached of scriptOutput(call.state, caller).commands) queue.push({ command: reached, state: call.state, caller: { ...caller, cwd: reached.cwd, env: reached.env } });
          continue;
        }
        const targets = (call.state.targets ??= new Map());
        for (const target of closure(call.state, call.targets)) {
          if (targets.has(target)) continue;
          targets.set(target, caller);
          for (const reached of call.state.output.commands.filter((c) => c.target === target)) {
            queue.push({ command: reached, state: call.state, caller: { ...caller, cwd: reached.cwd, env: { ...caller.env, ...reached.env } } });
          }
        }
      }
    }
  }

  const commands: CiCommandDetail[] = [];
  const actions: ActionReference[] = [];
  const images: ContainerImageReference[] = [];
  const results: FileResult[] = [];
  for (const state of states) {
    const { file, output } = state;
    actions.push(...output.actions);
    images.push(...output.images);
    for (const command of finalCommands(state)) commands.push(command);
    const problem = state.file.kind === "shell" ? scriptOutput(state, state.caller).problem ?? output.problem : output.problem;
    if (problem) results.push({ path: file.path, status: problem.status, reason: problem.reason });
  }
  return { facts: { commands, actions, images }, files: results };
}

function readSafely(file: CiFile): ReaderOutput {
  try {
    switch (file.kind) {
      case "github-workflow": return readWorkflow(file.path, file.text);
      case "github-action": return readAction(file.path, file.text);
      case "gitlab-ci": return readGitlabCi(file.path, file.text);
      case "dockerfile": return readDockerfile(file.path, file.text);
      case "makefile": return readMakefile(file.path, file.text);
      case "shell": return { commands: [], actions: [], images: [], script: file.text };
    }
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    return { commands: [], actions: [], images: [], problem: { status: "failed", reason: `internal error in the ${file.kind} reader: ${message}` } };
  }
}

function callerOf(command: ReaderCommand, environment: Caller["environment"]): Caller {
  return {
    environment,
    cwd: command.cwd,
    env: command.env,
    ...(command.job !== undefined ? { job: command.job } : {}),
    jobSecrets: command.jobSecrets,
    jobPublishes: command.jobPublishes,
  };
}

/** Memo of a script's commands, computed once with the surroundings of its first caller (or none). */
const scriptCache = new WeakMap<FileState, ReaderOutput>();

function scriptOutput(state: FileState, caller: Caller | undefined): ReaderOutput {
  const cached = scriptCache.get(state);
  if (cached) return cached;
  const { path, text } = state.file;
  const firstLine = text.slice(0, text.indexOf("\n") < 0 ? text.length : text.indexOf("\n"));
  let output: ReaderOutput;
  if (firstLine.startsWith("#!") && !isShInterpreter(firstLine)) {
    output = { commands: [], actions: [], images: [] };
  } else {
    const result = scriptCommands(text, { cwd: caller?.cwd, scriptDir: dirOf(path), env: caller?.env ?? {}, lineOf: lineMapOf(text, 1) });
    output = {
      commands: result.commands.map((c): ReaderCommand => ({
        line: c.line, argv: c.argv, dynamic: c.dynamic, text: c.text, cwd: c.cwd, env: c.env,
        file: path, where: "script", jobSecrets: [], jobPublishes: false,
      })),
      actions: [],
      images: [],
      ...(result.problem ? { problem: { status: "partial" as const, reason: result.problem } } : {}),
    };
  }
  scriptCache.set(state, output);
  return output;
}

function isShInterpreter(shebang: string): boolean {
  const words = shebang.slice(2).trim().split(/\s+/);
  const program = (words[0] ?? "").slice((words[0] ?? "").lastIndexOf("/") + 1);
  const interpreter = program === "env" ? words.find((w, i) => i > 0 && !w.startsWith("-")) ?? "" : program;
  return SH_INTERPRETERS.includes(interpreter);
}

function finalCommands(state: FileState): CiCommandDetail[] {
  const { kind } = state.file;
  if (kind === "shell") {
    const caller = state.caller;
    return scriptOutput(state, caller).commands.map((c) => detail(c, caller?.environment ?? "unreached", caller));
  }
  if (kind === "makefile") {
    return state.output.commands.map((c) => {
      const caller = c.target !== undefined ? state.targets?.get(c.target) : undefined;
      return detail({ ...c, env: { ...caller?.env, ...c.env } }, caller?.environment ?? "unreached", caller);
    });
  }
  const environment: CommandEnvironment = kind === "dockerfile" ? "image-build" : "ci";
  return state.output.commands.map((c) => detail(c, environment, undefined));
}

function detail(command: ReaderCommand, environment: CommandEnvironment, caller: Caller | undefined): CiCommandDetail {
  // Built field by field: object spreads with conditional members were the hot spot on large files.
  const out: CiCommandDetail = {
    file: command.file,
    line: command.line,
    argv: command.argv,
    text: command.text,
    where: command.where,
    env: command.env,
    environment,
    jobSecrets: caller ? caller.jobSecrets : command.jobSecrets,
    jobPublishes: caller ? caller.jobPublishes : command.jobPublishes,
  };
  if (command.cwd !== undefined) out.cwd = command.cwd;
  const job = caller?.job ?? command.job;
  if (job !== undefined) out.job = job;
  return out;
}

type Call =
  | { kind: "script"; state: FileState }
  | { kind: "make"; state: FileState; targets: string[] };

/** Programs that run a script file given as their first argument. */
const SCRIPT_RUNNERS: ReadonlySet<string> = new Set(["sh", "bash", "dash", "zsh", "ksh", "ash", "source", "."]);

/** Scripts and Makefile targets a command runs, among the files read. */
function callsOf(command: ReaderCommand, callerPath: string, byPath: ReadonlyMap<string, FileState>): Call[] {
  const [program = "", ...args] = command.argv;
  const name = program.slice(program.lastIndexOf("/") + 1);
  const base = { cwd: command.cwd, scriptDir: dirOf(callerPath) };
  if (name === "make" || name === "gmake" || program === "$(MAKE)" || program === "${MAKE}" || program === "$MAKE") {
    return makeCall(args, command, callerPath, byPath);
  }
  let scriptWord: string | undefined;
  if (SCRIPT_RUNNERS.has(name)) {
    for (let j = 0; j < args.length; j++) {
      const arg = args[j] as string;
      if (arg === "-o" || arg === "+o") {
        j++;
        continue;
      }
      if (arg.startsWith("-") || arg.startsWith("+")) continue;
      scriptWord = arg;
      break;
    }
  } else if (program.includes("/") || program.endsWith(".sh") || program.endsWith(".bash")) {
    scriptWord = program;
  }
  if (scriptWord === undefined) return [];
  const state = findFile(scriptWord, base, callerPath, byPath, (s) => s.file.kind === "shell");
  return state ? [{ kind: "script", state }] : [];
}

/** `make [-C dir] [-f file] [targets…]`. */
function makeCall(args: string[], command: ReaderCommand, callerPath: string, byPath: ReadonlyMap<string, FileState>): Call[] {
  let directory: string | undefined;
  let makefile: string | undefined;
  const targets: string[] = [];
  for (let j = 0; j < args.length; j++) {
    const arg = args[j] as string;
    const valueOf = (long: string, short: string): string | undefined => {
      if (arg === short || arg === long) return args[++j];
      if (arg.startsWith(`${long}=`)) return arg.slice(long.length + 1);
      if (short.length === 2 && arg.startsWith(short) && !arg.startsWith("--")) return arg.slice(2);
      return undefined;
    };
    const dir = valueOf("--directory", "-C");
    if (dir !== undefined) {
      directory = dir;
      continue;
    }
    const file = arg.startsWith("--makefile") ? valueOf("--makefile", "-f") : valueOf("--file", "-f");
    if (file !== undefined) {
      makefile = file;
      continue;
    }
    if (arg === "-j" || arg === "-l") {
      if (/^[0-9.]+$/.test(args[j + 1] ?? "")) j++;
      continue;
    }
    if (["-I", "-o", "-W", "--include-dir", "--old-file", "--what-if", "--assume-old", "--assume-new"].includes(arg)) {
      j++;
      continue;
    }
    if (arg.startsWith("-") || arg.includes("=")) continue;
    targets.push(arg);
  }
  const base = { cwd: command.cwd, scriptDir: dirOf(callerPath) };
  const dirs = directory === undefined
    ? [command.cwd ?? dirOf(callerPath)]
    : candidatesFor(directory, base, callerPath);
  for (const dir of dirs) {
    const names = makefile !== undefined ? [makefile] : ["GNUmakefile", "makefile", "Makefile"];
    for (const name of names) {
      const path = joinPath(dir, name);
      const state = path !== undefined ? byPath.get(path) : undefined;
      if (state && state.file.kind === "makefile") return [{ kind: "make", state, targets }];
    }
  }
  return [];
}

/** Root-relative candidates for a path word: from the current folder, the caller's folder, the root, and (for absolute container paths) each suffix. */
function candidatesFor(word: string, base: { cwd: string | undefined; scriptDir: string }, callerPath: string): string[] {
  const out: string[] = [];
  const push = (path: string | undefined) => {
    if (path !== undefined && !out.includes(path)) out.push(path);
  };
  push(resolvePath(word, base));
  if (!word.includes("$") && !word.includes("`") && !word.startsWith("~")) {
    if (word.startsWith("/")) {
      const segments = word.split("/").filter(Boolean);
      for (let k = 0; k < segments.length; k++) {
        const suffix = segments.slice(k).join("/");
        push(joinPath(dirOf(callerPath), suffix));
        push(joinPath(".", suffix));
      }
    } else {
      push(joinPath(dirOf(callerPath), word));
      push(joinPath(".", word));
    }
  }
  return out;
}

function findFile(word: string, base: { cwd: string | undefined; scriptDir: string }, callerPath: string, byPath: ReadonlyMap<string, FileState>, accept: (s: FileState) => boolean): FileState | undefined {
  for (const candidate of candidatesFor(word, base, callerPath)) {
    const state = byPath.get(candidate);
    if (state && accept(state)) return state;
  }
  return undefined;
}

/** The targets `make` builds for a request: the named ones (or the default goal) and their prerequisites. */
function closure(state: FileState, requested: string[]): string[] {
  const rules = state.output.rules ?? new Map();
  const start = requested.length > 0 ? requested : state.output.defaultGoal !== undefined ? [state.output.defaultGoal] : [];
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const target = stack.pop() as string;
    if (seen.has(target)) continue;
    seen.add(target);
    for (const prerequisite of rules.get(target)?.prerequisites ?? []) if (rules.has(prerequisite)) stack.push(prerequisite);
  }
  return [...seen];
}
