import type { Ecosystem } from "./package-node.js";

/**
 * Normalises a package name for comparison within its ecosystem.
 * PyPI: PEP 503 (runs of `-`, `_`, `.` become one `-`, lower-case). npm names are case-sensitive
 * on the registry but new names must be lower-case, so they are kept as written.
 * https://peps.python.org/pep-0503/#normalized-names
 */
export function normalizeName(ecosystem: Ecosystem, name: string): string {
  const trimmed = name.trim();
  if (ecosystem === "npm") return trimmed;
  let out = "";
  let inSeparator = false;
  for (const ch of trimmed.toLowerCase()) {
    if (ch === "-" || ch === "_" || ch === ".") {
      if (!inSeparator) out += "-";
      inSeparator = true;
    } else {
      out += ch;
      inSeparator = false;
    }
  }
  return out;
}
