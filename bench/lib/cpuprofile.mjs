// Reads a V8 CPU profile (`node --cpu-prof`) and sums time by function: self time (samples in the function itself)
// and total time (samples in it or anything it called, counted once when it recurses).
import { readFileSync } from "node:fs";

/**
 * Per-function times of a .cpuprofile, longest self time first: `{ name, url, line, selfMs, totalMs }`, and the
 * profile's whole duration in ms.
 */
export function summariseProfile(file) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  // timeDeltas[i] is the time since the previous sample; it is spent in the node of sample i-1 (V8's convention).
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
  }
  const keyOf = (node) => `${node.callFrame.functionName || "(anonymous)"}\0${node.callFrame.url}\0${node.callFrame.lineNumber}`;
  const functions = new Map();
  const entry = (node) => {
    const key = keyOf(node);
    let f = functions.get(key);
    if (!f) {
      f = { name: node.callFrame.functionName || "(anonymous)", url: node.callFrame.url, line: node.callFrame.lineNumber + 1, selfMs: 0, totalMs: 0 };
      functions.set(key, f);
    }
    return f;
  };
  // Total time: each node's subtree, added once per function on the current stack (recursion is not counted twice).
  const onStack = new Map();
  const visit = (node) => {
    let total = selfUs.get(node.id) ?? 0;
    const key = keyOf(node);
    onStack.set(key, (onStack.get(key) ?? 0) + 1);
    for (const child of node.children ?? []) total += visit(byId.get(child));
    onStack.set(key, onStack.get(key) - 1);
    const f = entry(node);
    f.selfMs += (selfUs.get(node.id) ?? 0) / 1000;
    if (onStack.get(key) === 0) f.totalMs += total / 1000;
    return total;
  };
  visit(profile.nodes[0]);
  const durationMs = (profile.endTime - profile.startTime) / 1000;
  return { durationMs, functions: [...functions.values()].sort((a, b) => b.selfMs - a.selfMs) };
}

/** Where a profiled function is, shortened: `src/secrets/detect.ts` for `file:///…/dist/secrets/detect.js`. */
export function shortUrl(url, repo) {
  if (!url) return "";
  let path = url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
  if (path.startsWith(`${repo}/dist/`)) path = `src/${path.slice(repo.length + 6).replace(/\.js$/, ".ts")}`;
  else if (path.startsWith(`${repo}/`)) path = path.slice(repo.length + 1);
  return path;
}
