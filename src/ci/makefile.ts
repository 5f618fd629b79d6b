// Makefiles: rules (targets and prerequisites, so `make target` can be followed) and the shell commands of their
// recipes. Recipe lines start with a tab, may continue with `\`, and may carry `@`, `-`, `+` prefixes; make runs each
// line in its own shell, in the Makefile's folder. `$(VAR)` and `$(MAKE)` stay opaque words.
// Syntax: https://www.gnu.org/software/make/manual/make.html#Rule-Syntax and #Recipes
import { dirOf } from "./paths.js";
import { lineMapOf } from "./reader.js";
import type { MakeRule, ReaderCommand, ReaderOutput } from "./reader.js";
import { scriptCommands } from "./script.js";

/** Lines that are conditionals: they may sit between recipe lines without ending the rule. */
const CONDITIONALS = ["ifeq", "ifneq", "ifdef", "ifndef", "else", "endif"];

/** Reads a Makefile. */
export function readMakefile(path: string, text: string): ReaderOutput {
  const out: ReaderOutput = { commands: [], actions: [], images: [], rules: new Map() };
  const rules = out.rules as Map<string, MakeRule>;
  const problems: string[] = [];
  const lines = text.split("\n");
  const dir = dirOf(path);
  let targets: string[] = [];
  let inDefine = false;
  let i = 0;
  while (i < lines.length) {
    const line = (lines[i] as string).replace(/\r$/, "");
    const lineNumber = i + 1;
    i++;
    if (inDefine) {
      if (/^\s*endef\b/.test(line)) inDefine = false;
      continue;
    }
    if (line.startsWith("\t") && targets.length > 0) {
      // A recipe line and its continuations: make passes `\`-newline to the shell, dropping one leading tab.
      let recipe = line.slice(1);
      while (recipe.endsWith("\\") && i < lines.length) {
        const next = (lines[i] as string).replace(/\r$/, "");
        recipe += "\n" + (next.startsWith("\t") ? next.slice(1) : next);
        i++;
      }
      addRecipe(recipe, lineNumber);
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    if (/^\s*define\b/.test(line)) {
      inDefine = true;
      targets = [];
      continue;
    }
    if (CONDITIONALS.some((c) => trimmed === c || trimmed.startsWith(`${c} `) || trimmed.startsWith(`${c}(`))) continue;
    // A logical line may continue with `\`.
    let logical = line;
    while (logical.endsWith("\\") && i < lines.length) {
      logical = logical.slice(0, -1) + " " + (lines[i] as string).replace(/\r$/, "");
      i++;
    }
    const rule = ruleLine(logical);
    if (!rule) {
      targets = [];
      continue;
    }
    targets = rule.targets;
    for (const target of targets) {
      const existing = rules.get(target);
      if (existing) existing.prerequisites.push(...rule.prerequisites);
      else rules.set(target, { prerequisites: [...rule.prerequisites] });
      if (out.defaultGoal === undefined && !target.startsWith(".") && !target.includes("%")) out.defaultGoal = target;
    }
    if (rule.inlineRecipe !== undefined) addRecipe(rule.inlineRecipe, lineNumber);
  }
  if (problems.length > 0) out.problem = { status: "partial", reason: problems.slice(0, 3).join("; ") };
  return out;

  function addRecipe(recipe: string, firstLine: number): void {
    // Prefixes: @ (silent), - (ignore errors), + (run even with -n), in any order.
    const script = recipe.replace(/^[\s@+-]*/, "");
    const result = scriptCommands(script, { cwd: dir, env: {}, lineOf: lineMapOf(script, firstLine) });
    if (result.problem) problems.push(`recipe on line ${firstLine}: ${result.problem}`);
    for (const target of targets) {
      for (const command of result.commands) {
        out.commands.push({ ...command, file: path, where: `target ${target}`, target, jobSecrets: [], jobPublishes: false } satisfies ReaderCommand);
      }
    }
  }
}

/** `targets: prerequisites [| order-only] [; recipe]`, or undefined for assignments and other directives. */
function ruleLine(line: string): { targets: string[]; prerequisites: string[]; inlineRecipe?: string } | undefined {
  const colon = findRuleColon(line);
  if (colon < 0) return undefined;
  const before = line.slice(0, colon);
  // `VAR = a:b` is an assignment: an `=` before the colon.
  if (before.includes("=")) return undefined;
  let after = line.slice(colon + 1);
  if (after.startsWith(":")) after = after.slice(1);
  // `x := y`, `x ::= y` are assignments; `target: VAR = value` is a target-specific variable, not a recipe.
  if (after.startsWith("=") || after.startsWith(":=")) return undefined;
  const semicolon = after.indexOf(";");
  const prerequisitePart = semicolon < 0 ? after : after.slice(0, semicolon);
  if (prerequisitePart.includes("=")) return undefined;
  const targets = before.trim().split(/\s+/).filter((t) => t !== "" && !t.startsWith("export"));
  if (targets.length === 0) return undefined;
  const prerequisites = prerequisitePart.split("#")[0]?.replace("|", " ").trim().split(/\s+/).filter(Boolean) ?? [];
  return semicolon < 0 ? { targets, prerequisites } : { targets, prerequisites, inlineRecipe: after.slice(semicolon + 1) };
}

/** The offset of the colon that separates targets from prerequisites, skipping `$(…)` references; -1 if none. */
function findRuleColon(line: string): number {
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "#" && depth === 0) return -1;
    if (c === "(" || c === "{") depth++;
    else if ((c === ")" || c === "}") && depth > 0) depth--;
    else if (c === ":" && depth === 0) return i;
  }
  return -1;
}
