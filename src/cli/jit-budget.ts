// How long V8 runs a function before it optimises it, for the command-line tool only (never set by the library: a
// program embedding aiwarden keeps its own runtime settings), and only on the V8 of Node 20.
//
// A run of the tool is short and touches a lot of code briefly: listing the tree, reading each file, the rules, the
// report. Node 20's V8 (11.3) has no tier between its baseline code and its optimising compiler, and with the default
// budget dozens of functions are hot for a moment and go to that compiler (and back again when a rare path
// deoptimises them), whose background threads then compete with the scan for the cores. Measured on two cores
// (2026-12-07, medians of 9 to 15 interleaved runs): the secret scan of a 14,000-file tree used 10-17% less CPU and
// 5-9% less wall time, a scan of git history 23% less CPU and 13% less time, a whole `aiwarden scan` 10% less CPU,
// and a tree that keeps the detectors busy (12 MB of env files), whose hot loops still get optimised, did not change.
// The V8 of Node 22 and later optimises in two steps (Maglev first), has no such flag, and its nearest one (the
// call count before TurboFan, ten times higher) made that busy tree 5-10% slower there: nothing is set.

/** The budget, in bytes of bytecode run (V8 11.3's default is 132 KB). */
export const JIT_BUDGET = 1_000_000;

/**
 * The V8 flag to set at start-up for the running V8 (`process.versions.v8`), or undefined: on another V8 than Node 20's,
 * or when the user set the budget themselves (on the command line that started Node, or in NODE_OPTIONS): theirs wins.
 */
export function jitBudgetFlag(execArgv: readonly string[], nodeOptions: string | undefined, v8Version: string): string | undefined {
  if (!v8Version.startsWith("11.3.")) return undefined;
  const chosen = (arg: string) => arg.startsWith("--interrupt-budget") || arg.startsWith("--interrupt_budget");
  if (execArgv.some(chosen) || (nodeOptions ?? "").split(/\s+/).some(chosen)) return undefined;
  return `--interrupt-budget=${JIT_BUDGET}`;
}
