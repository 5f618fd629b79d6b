// AIW-SECRET-003: a `.env` / `.env.*` file committed to git while holding values. High when a value looks like a
// credential (a detected key, a secret-named variable with a real value, a URL with a password); low when it holds
// settings only (frameworks such as Vite commit a `.env` of public defaults on purpose). Templates (`.env.example`,
// `.env.sample`, `.env.template`, …) are meant to be committed: they count only when a value is not a placeholder but a
// generated-looking credential.
import type { EnvFileFact, SecretFacts } from "../secrets/facts.js";
import type { FindingDraft, Rule, ScanContext } from "./rule.js";
import { secretFacts } from "./support/secrets.js";

/** Flags committed env files that hold values. */
export const envFileCommitted: Rule = {
  id: "AIW-SECRET-003",
  title: "Committed .env file holds values",
  severity: "high",
  docs: {
    what: "A `.env` or `.env.*` file that git tracks and that assigns values: high when one of them looks like a credential (a detected key, a `*_KEY`/`*_TOKEN`/`*_SECRET`/`*_PASSWORD` variable with a real value, a URL with a password), low for other settings. Templates (`.env.example`, `.env.sample`, `.env.template`) count only when they hold a real-looking credential instead of a placeholder.",
    why: "`.env` files exist to keep credentials out of code; committed, they hand every credential in them to anyone with the repository. The LiteLLM payload of March 2026 went looking for exactly these files.",
    fix: "Stop tracking the file (`git rm --cached <file>`), add it to .gitignore, commit a `.env.example` with placeholders instead, and rotate every credential it held (history keeps them).",
    references: [
      "https://12factor.net/config",
      "https://github.com/motdotla/dotenv#should-i-commit-my-env-file",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const facts = secretFacts(context);
    if (!facts?.git) return [];
    const drafts: FindingDraft[] = [];
    for (const env of facts.envFiles) {
      if (!env.tracked) continue;
      const found = draft(env, facts);
      if (found) drafts.push(found);
    }
    return drafts;
  },
};

function draft(env: EnvFileFact, facts: SecretFacts): FindingDraft | undefined {
  const keys = facts.occurrences.filter((o) => o.path === env.path);
  const credentialNames = [...new Set([...keys.map((k) => k.variable ?? `${k.detector.provider} ${k.detector.kind}`), ...env.secretLike.map((s) => s.variable)])];
  const credential = credentialNames.length > 0;
  if (env.template && !credential) return undefined;
  if (!env.template && env.values === 0 && !credential) return undefined;
  const line = Math.min(...[...keys.map((k) => k.line), ...env.secretLike.map((s) => s.line)].filter((l) => l > 0), Infinity);
  const names = credentialNames.slice(0, 5).map((n) => `\`${n}\``).join(", ") + (credentialNames.length > 5 ? ` and ${credentialNames.length - 5} more` : "");
  const example = exampleName(env.path);
  if (env.template) {
    return {
      severity: "high",
      message: `${env.path} is a committed template, yet ${names} ${credentialNames.length > 1 ? "hold" : "holds"} a real-looking credential rather than a placeholder.`,
      fix: `Replace the value${credentialNames.length > 1 ? "s" : ""} of ${names} in ${env.path} with placeholders (\`${credentialNames[0]}=\` or \`<your-key>\`) and rotate ${credentialNames.length > 1 ? "those credentials" : "that credential"}: the repository history keeps the old value.`,
      file: env.path,
      ...(Number.isFinite(line) ? { line } : {}),
      key: [env.path],
    };
  }
  const values = `${env.values} value${env.values === 1 ? "" : "s"}`;
  const firstLine = Number.isFinite(line) ? line : env.firstValueLine;
  return {
    severity: credential ? "high" : "low",
    message: credential
      ? `${env.path} is committed to git and holds ${values}, including credentials in ${names}: everyone with the repository has them.`
      : `${env.path} is committed to git and holds ${values} (none looks like a credential): a secret added to it later is committed with it.`,
    fix: `\`git rm --cached ${env.path}\`, add \`${baseName(env.path)}\` to .gitignore, and commit \`${example}\` with placeholders instead${credential ? `; rotate ${names}, which stay in the repository history` : ""}.`,
    file: env.path,
    ...(firstLine !== undefined ? { line: firstLine } : {}),
    key: [env.path],
  };
}

/** `.env.example` beside the file (the conventional template name). */
function exampleName(path: string): string {
  const slash = path.lastIndexOf("/");
  return `${slash < 0 ? "" : path.slice(0, slash + 1)}.env.example`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
