import type { FindingDraft, Rule } from "./rule.js";
import { count, isCompileInput, requirementsSets } from "./support/supply-chain.js";
import type { RequirementEntry } from "./support/supply-chain.js";

/** Unhashed lines named in a message. */
const SHOWN = 5;

/**
 * AIW-HASH-003: a set of requirements files (a file and its `-r` includes, installed together) in which some
 * requirements carry `--hash` and others do not, or `--require-hashes` is set while some carry none. pip then runs in
 * hash-checking mode for the whole install and refuses every requirement without a hash: the install fails, and the
 * usual way out (deleting the hashes) throws the protection away.
 */
export const partialHashes: Rule = {
  id: "AIW-HASH-003",
  title: "Requirements file hashes only some of its requirements",
  severity: "high",
  docs: {
    what: "A requirements file, together with the files its `-r` lines include, in which some requirements carry `--hash` (or `--require-hashes` is set) and others carry none: editable (`-e`), path and VCS requirements included, since pip cannot hash those either.",
    why: "One `--hash` puts pip in hash-checking mode for the whole install: every requirement must then be pinned with `==` and hashed, or pip stops with \"Hashes are required in --require-hashes mode\". Such a file does not install as written; the shortcut people take is to strip the hashes, which removes the only check that the downloaded files are the ones that were reviewed.",
    fix: "Regenerate the file with `pip-compile --generate-hashes` or `uv pip compile --generate-hashes` so every requirement is pinned and hashed; move editable and VCS requirements to a separate file installed without hash checking.",
    references: [
      "https://pip.pypa.io/en/stable/topics/secure-installs/#hash-checking-mode",
      "https://pip-tools.readthedocs.io/en/stable/#using-hashes",
    ],
  },
  check(context) {
    const drafts: FindingDraft[] = [];
    for (const set of requirementsSets(context)) {
      if (isCompileInput(set.primary)) continue;
      const hashed = set.requirements.filter((r) => r.line.hashes.length > 0);
      if (hashed.length === 0 && !set.requireHashes) continue;
      const missing = set.requirements.filter((r) => r.line.hashes.length === 0);
      if (missing.length === 0) continue;
      const first = missing[0] as RequirementEntry;
      const shown = missing.slice(0, SHOWN).map(describe).join(", ");
      const more = missing.length > SHOWN ? ` and ${missing.length - SHOWN} more` : "";
      const trigger = hashed.length > 0 ? `${hashed.length} of ${set.requirements.length} requirements carry --hash` : "--require-hashes is set";
      drafts.push({
        severity: "high",
        message: `${count(missing.length, "requirement")} installed by ${set.primary} ${missing.length === 1 ? "has" : "have"} no --hash while ${trigger}, so pip refuses the whole install in hash-checking mode: ${shown}${more}.`,
        fix: `Add \`--hash=sha256:…\` to ${missing.length === 1 ? "that line" : "those lines"} (regenerate with \`pip-compile --generate-hashes\` or \`uv pip compile --generate-hashes\`); install editable, path and VCS requirements from a separate file.`,
        file: first.file,
        line: first.line.line,
        project: set.project.path,
        key: [set.primary],
      });
    }
    return drafts;
  },
};

/** `file:line name` of an unhashed requirement: the name of a registry requirement, else the text as written. */
function describe(entry: RequirementEntry): string {
  const written = entry.line.text.trim();
  const what = entry.target?.source === "registry" ? entry.target.name : written.length > 60 ? `${written.slice(0, 57)}...` : written;
  return `${entry.file}:${entry.line.line} ${entry.line.editable ? `-e ${what}` : what}`;
}
