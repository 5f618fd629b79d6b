// Turns one shell script (a `run:` block, a GitLab script, a Dockerfile RUN, a Makefile recipe line, a *.sh file) into
// the simple commands it runs, each with its line, the folder it runs in (following `cd`, `pushd`/`popd` and
// subshells) and the variables exported before it. Pure: the caller supplies text, line mapping and surroundings.
import { resolvePath } from "./paths.js";
import type { PathBase } from "./paths.js";
import { inlineShellScript, simpleCommand, tokenizeShell } from "./shell.js";

/** A command found in a script, before the job-level facts are attached. */
export interface ScriptCommand {
  line: number;
  argv: string[];
  /** Whether each argv word holds an expansion whose value the text does not tell. */
  dynamic: boolean[];
  /** The command as written, continuations joined, on one line. */
  text: string;
  cwd: string | undefined;
  env: Record<string, string>;
}

/** What surrounds a script. */
export interface ScriptSurroundings extends PathBase {
  /** Variables set around the script (they apply to every command in it). */
  env: Readonly<Record<string, string>>;
  /** Maps an offset in the script text to its 1-based line in the file. */
  lineOf(offset: number): number;
}

/** How deep `sh -c '…'` scripts are followed inside each other. */
const MAX_INLINE_DEPTH = 3;

/** What {@link scriptCommands} returns. */
export interface ScriptResult {
  commands: ScriptCommand[];
  /** The folder the script ends in (GitLab runs `before_script` and `script` items in one shell). */
  cwd: string | undefined;
  /** The first construct the tokenizer could not close. */
  problem?: string;
}

/** The commands of a script. */
export function scriptCommands(script: string, around: ScriptSurroundings): ScriptResult {
  const commands: ScriptCommand[] = [];
  const { problem, cwd } = collect(script, around, commands, 0, undefined);
  return problem === undefined ? { commands, cwd } : { commands, cwd, problem };
}

function collect(script: string, around: ScriptSurroundings, out: ScriptCommand[], depth: number, fixedLine: number | undefined): { problem?: string; cwd: string | undefined } {
  const { commands, problem } = tokenizeShell(script);
  let cwd = around.cwd;
  const env: Record<string, string> = { ...around.env };
  // cwd before each open subshell level, restored when the level closes.
  const saved: Array<string | undefined> = [];
  const dirStack: Array<string | undefined> = [];
  let level = 0;
  for (const command of commands) {
    while (level < command.depth) {
      saved.push(cwd);
      level++;
    }
    while (level > command.depth) {
      cwd = saved.pop();
      level--;
    }
    const simple = simpleCommand(command);
    if (!simple) continue;
    const line = fixedLine ?? around.lineOf(simple.start);
    const [program, ...args] = simple.argv;
    const inline = depth < MAX_INLINE_DEPTH ? inlineShellScript(simple.argv) : undefined;
    if (inline !== undefined) {
      collect(inline, { ...around, cwd, env: { ...env, ...simple.assignments } }, out, depth + 1, line);
      continue;
    }
    out.push({
      line,
      argv: simple.argv,
      dynamic: simple.dynamic,
      text: oneLine(script.slice(simple.start, simple.end)),
      cwd,
      env: Object.keys(simple.assignments).length > 0 ? { ...env, ...simple.assignments } : { ...env },
    });
    switch (program) {
      case "cd":
      case "pushd": {
        const target = args.find((a) => !a.startsWith("-") || a === "-");
        if (program === "pushd") dirStack.push(cwd);
        cwd = target === undefined || target === "-" ? undefined : resolvePath(target, { ...around, cwd });
        break;
      }
      case "popd":
        cwd = dirStack.length > 0 ? dirStack.pop() : undefined;
        break;
      case "export":
        for (const arg of args) {
          const eq = arg.indexOf("=");
          if (eq > 0) env[arg.slice(0, eq)] = arg.slice(eq + 1);
        }
        break;
      case "unset":
        for (const arg of args) delete env[arg];
        break;
      default:
        break;
    }
  }
  while (level > 0) {
    cwd = saved.pop();
    level--;
  }
  return problem === undefined ? { cwd } : { problem, cwd };
}

/** Joins continuation lines and collapses runs of blanks, for messages. */
export function oneLine(text: string): string {
  return text.replace(/\\\r?\n/g, " ").replace(/\s+/g, " ").trim();
}
