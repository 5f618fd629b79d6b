// The run's notices, each said once. A host that cannot be reached shows up twice at the source: the HTTP client says
// the network is unreachable, and each source that depended on it says what it could not do. The user needs one line
// per host: what was skipped, and why.
import { NOT_REACHED } from "./types.js";
import type { SourceNotice } from "./types.js";

/**
 * Drops repeated notices, and folds each "network unreachable" notice into the source notices about the same host
 * (their {@link NOT_REACHED} phrase becomes the host and the reason). A host no source notice names keeps its own line.
 * In an `--offline` run the phrase says so instead of hedging.
 */
export function mergeNotices(notices: readonly SourceNotice[], run: { offline?: boolean } = {}): SourceNotice[] {
  const reasons = new Map<string, string>();
  for (const n of notices) if (n.source === "network" && n.host !== undefined && n.reason !== undefined && !reasons.has(n.host)) reasons.set(n.host, n.reason);
  const folded = new Set<string>();
  const out: SourceNotice[] = [];
  const seen = new Set<string>();
  for (const n of notices) {
    let notice = n;
    if (run.offline && n.message.includes(NOT_REACHED)) notice = { ...n, message: n.message.replace(NOT_REACHED, "--offline, and nothing cached") };
    else if (n.source !== "network" && n.host !== undefined && n.message.includes(NOT_REACHED)) {
      const reason = reasons.get(n.host);
      if (reason !== undefined) {
        notice = { ...n, message: n.message.replace(NOT_REACHED, `${n.host} unreachable: ${reason}; nothing cached`) };
        folded.add(n.host);
      }
    }
    const key = `${notice.source}\u0000${notice.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(notice);
  }
  return out.filter((n) => !(n.source === "network" && n.host !== undefined && folded.has(n.host)));
}
