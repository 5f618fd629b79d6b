// Shared timing helpers for the benchmarks: wall time per run and the child's peak RSS (GNU time's %M), with
// warm-up runs discarded. Nothing here asserts a timing; scripts print medians and ratios.
import { spawnSync } from "node:child_process";

/** Runs `command` `runs` times after two warm-ups; returns the median and minimum wall time (ms) and peak RSS (MB). */
export function measure(command, { cwd, runs, okCodes = [0, 1] }) {
  const times = [];
  let peakKb = 0;
  for (let i = 0; i < runs + 2; i++) {
    const start = process.hrtime.bigint();
    const out = spawnSync("/usr/bin/time", ["-f", "%M", ...command], { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!okCodes.includes(out.status)) fail(`${command.join(" ")} exited ${out.status}: ${out.stderr.slice(-500)}`);
    const kb = Number(out.stderr.trim().split("\n").pop());
    if (i >= 2) {
      times.push(ms);
      peakKb = Math.max(peakKb, kb);
    }
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { median, min: times[0], peakMb: peakKb / 1024 };
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
