// Shared timing helpers for the benchmarks: wall time per run and the child's peak RSS (GNU time's %M), with
// warm-up runs discarded. Nothing here asserts a timing; scripts print medians and ratios.
import { spawnSync } from "node:child_process";

/**
 * Runs `command` `runs` times after `warmups` warm-ups (default two); returns the median and minimum wall time (ms), peak
 * RSS (MB), the median CPU time (user + system, ms) and the standard output of the last run.
 */
export function measure(command, { cwd, runs, okCodes = [0, 1], warmups = 2, env }) {
  const times = [];
  const cpu = [];
  let peakKb = 0;
  let stdout = "";
  for (let i = 0; i < runs + warmups; i++) {
    const start = process.hrtime.bigint();
    const out = spawnSync("/usr/bin/time", ["-f", "%M %U %S", ...command], { cwd, env, encoding: "utf8", maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!okCodes.includes(out.status)) fail(`${command.join(" ")} exited ${out.status}: ${out.stderr.slice(-500)}`);
    const [kb, user, system] = out.stderr.trim().split("\n").pop().split(" ").map(Number);
    if (i >= warmups) {
      times.push(ms);
      cpu.push((user + system) * 1000);
      peakKb = Math.max(peakKb, kb);
      stdout = out.stdout;
    }
  }
  return { median: median(times), min: Math.min(...times), peakMb: peakKb / 1024, cpuMs: median(cpu), times, stdout };
}

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `--runs N` from the arguments (removed from the list), or the default. */
export function runsFrom(args, fallback) {
  const at = args.indexOf("--runs");
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
}

/** One formatted result line. */
export function line(name, s) {
  return `  ${name.padEnd(22)} median ${s.median.toFixed(0).padStart(6)} ms   min ${s.min.toFixed(0).padStart(6)} ms   peak RSS ${s.peakMb.toFixed(0).padStart(4)} MB`;
}

export function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}
