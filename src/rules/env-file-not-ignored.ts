// AIW-SECRET-004: a `.env` / `.env.*` file in the working tree that git does not track and that no ignore rule covers:
// the next `git add -A` (or an IDE's "commit all") publishes it. Templates (`.env.example`, …) are meant to be
// committed and stay silent; so do files without values.
import type { EnvFileFact, SecretFacts } from "../secrets/facts.js";
import type { FindingDraft, Rule, ScanContext } from "./rule.js";
import { secretFacts } from "./support/secrets.js";

/** Flags env files that .gitignore does not cover. */
export const envFileNotIgnored: Rule = {
  id: "AIW-SECRET-004",
  title: ".env file not covered by .gitignore",
  severity: "medium",
  docs: {
    what: "A `.env` or `.env.*` file with values that git does not track yet and that no ignore rule (.gitignore, .git/info/exclude, the global excludes file) excludes. High when it holds a credential, medium otherwise.",
    why: "Nothing stands between such a file and the next `git add -A` or \"commit all\": that is how most leaked `.env` files reach public repositories, where scrapers collect the keys within minutes.",
    fix: "Add `.env` and `.env.*` to .gitignore (with `!.env.example` to keep the template), and check `git check-ignore -v <file>` reports it as ignored.",
    references: [
      "https://git-scm.com/docs/gitignore",
      "https://git-scm.com/docs/git-check-ignore",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const facts = secretFacts(context);
    if (!facts?.git) return [];
    return facts.envFiles.filter((env) => !env.tracked && !env.template).flatMap((env) => draft(env, facts) ?? []);
  },
};

function draft(env: EnvFileFact, facts: SecretFacts): FindingDraft | undefined {
  const keys = facts.occurrences.filter((o) => o.path === env.path);
  const credential = keys.length > 0 || env.secretLike.length > 0;
  if (env.values === 0 && !credential) return undefined;
  const name = env.path.slice(env.path.lastIndexOf("/") + 1);
  const pattern = name === ".env" ? ".env" : name.startsWith(".env.") ? ".env.*" : `*.env`;
  const holds = credential ? `holds credentials (${[...new Set([...keys.map((k) => k.variable ?? `${k.detector.provider} ${k.detector.kind}`), ...env.secretLike.map((s) => s.variable)])].slice(0, 5).map((n) => `\`${n}\``).join(", ")})` : `holds ${env.values} value${env.values === 1 ? "" : "s"}`;
  return {
    severity: credential ? "high" : "medium",
    message: `${env.path} ${holds} and is neither tracked nor ignored by git: the next \`git add -A\` commits it.`,
    fix: `Add \`${pattern}\`${pattern === ".env" ? " and `.env.*`" : ""} to .gitignore${pattern !== "*.env" ? " (and `!.env.example` to keep a template committed)" : ""}; \`git check-ignore -v ${env.path}\` should then name the rule.`,
    file: env.path,
    ...(env.firstValueLine !== undefined ? { line: env.firstValueLine } : {}),
    key: [env.path],
  };
}
