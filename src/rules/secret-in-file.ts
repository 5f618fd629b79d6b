// AIW-SECRET-001: a credential in a file of the working tree that git tracks, or that is untracked but not ignored
// (one `git add -A` from a commit). One finding per key per file; a key written as a literal in a deployment setting
// is AIW-SECRET-005 instead, which says how to reference it from a secret store.
import type { SecretOccurrence } from "../secrets/facts.js";
import type { FindingDraft, Rule, ScanContext } from "./rule.js";
import { describeCredential, groupByFileAndKey, MARKER_WITHOUT_REASON, rotateStep, secretFacts, secretSeverity } from "./support/secrets.js";

/** Flags credentials in the files of the tree. */
export const secretInFile: Rule = {
  id: "AIW-SECRET-001",
  title: "Credential in a file",
  severity: "critical",
  docs: {
    what: "An API key, token or cloud credential (AI providers, AWS, GitHub, npm, PyPI, …) written in a file that git tracks, or in an untracked file that .gitignore does not exclude. Critical for formats that cannot be mistaken (a provider prefix and checksum), high and medium for keys recognised by context.",
    why: "The LiteLLM compromise of March 2026 harvested API keys from environment variables, .env files and source trees; a key in a repository is readable by every clone, fork, CI runner and backup, and keeps working until it is revoked.",
    fix: "Revoke and replace the key at the provider, read it from the environment or a secret manager instead, and remove it from the file (and from git history, which keeps it). For a key that is safe to keep (a revoked test fixture), add `aiwarden-ignore: <reason>` in a comment on its line.",
    references: [
      "https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/",
      "https://docs.github.com/en/code-security/secret-scanning/about-secret-scanning",
      "https://help.openai.com/en/articles/5112595-best-practices-for-api-key-safety",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const facts = secretFacts(context);
    if (!facts) return [];
    const loose = facts.occurrences.filter((o) => o.deploy === undefined);
    return groupByFileAndKey(loose).map(({ first, count }) => draft(first, count, facts.git));
  },
};

function draft(o: SecretOccurrence, count: number, inGit: boolean): FindingDraft {
  const where = o.notebook ? notebookPlace(o.notebook) : "";
  const assigned = o.variable ? ` assigned to \`${o.variable}\`` : "";
  const more = count > 1 ? ` (${count} places in this file)` : "";
  const state = !inGit ? "" : o.tracked ? ", committed to git" : ", in a file git does not track but .gitignore does not exclude either";
  const message = `${o.path}:${o.line}${where} holds ${describeCredential(o)}${assigned}${more}${state}: anyone who can read ${o.tracked ? "the repository" : "the file"} can use it.${o.markerWithoutReason ? MARKER_WITHOUT_REASON : ""}`;
  const source = o.variable ? `read \`${o.variable}\` from the environment or a secret manager` : "read it from the environment or a secret manager";
  let cleanup: string;
  if (o.notebook?.part === "output") cleanup = `clear the notebook's saved outputs (\`jupyter nbconvert --clear-output --inplace ${o.path}\`, or nbstripout as a git filter)`;
  else cleanup = `${source} instead of writing it in ${o.path}`;
  const history = o.tracked ? "; the old commits still hold it, so the rotation is what protects you (rewrite history with `git filter-repo --replace-text` if you must)" : `; add ${o.path} to .gitignore if it is a local file`;
  return {
    severity: secretSeverity(o.detector),
    message,
    fix: `${rotateStep(o)}, then ${cleanup}${history}.`,
    file: o.path,
    line: o.line,
    key: [o.path, o.fingerprint],
    secret: { fingerprint: o.fingerprint },
  };
}

function notebookPlace(notebook: NonNullable<SecretOccurrence["notebook"]>): string {
  if (notebook.cell < 0) return " (notebook metadata)";
  return notebook.part === "output" ? ` (saved output of cell ${notebook.cell + 1})` : notebook.part === "metadata" ? ` (metadata of cell ${notebook.cell + 1})` : ` (cell ${notebook.cell + 1})`;
}
