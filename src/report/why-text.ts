import type { WhyMatch } from "../scan/why.js";
import type { Style } from "./style.js";

/** Renders the answer to `aiwarden why <package>` for a terminal. */
export function renderWhyText(query: string, matches: WhyMatch[], style: Style): string {
  if (matches.length === 0) return `${query} is not a dependency of any project scanned.\n`;
  const projects = new Set(matches.map((m) => `${m.project}\u0000${m.files[0]}`)).size;
  const chains = matches.reduce((n, m) => n + m.chains.length, 0);
  const lines = [`${style.bold(query)}: ${chains} chain${chains === 1 ? "" : "s"} in ${projects} project${projects === 1 ? "" : "s"}`];
  let last = "";
  for (const match of matches) {
    const key = `${match.project}\u0000${match.files[0]}`;
    if (key !== last) {
      last = key;
      lines.push("", `${style.bold(match.project)}  ${match.ecosystem}  ${style.dim(match.files.join(", "))}`);
    }
    const flags = [match.direct ? "direct" : "transitive", ...(match.dev ? ["dev"] : [])].join(", ");
    lines.push(`  ${style.bold(`${match.name} ${match.version || "(unlocked)"}`)}  ${style.dim(flags)}`);
    if (match.chains.length === 0) lines.push(style.dim("    chain not recorded in this file format"));
    for (const chain of match.chains) {
      lines.push("    " + chain.map((l) => (l.version ? `${l.name}@${l.version}` : l.name)).join(" › "));
    }
    if (match.truncated) lines.push(style.dim("    … more chains exist (raise --limit)"));
  }
  return lines.join("\n") + "\n";
}
