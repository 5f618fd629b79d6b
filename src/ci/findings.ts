// Helpers the CI rules share for turning facts into findings.
import { SEVERITIES } from "../rules/rule.js";
import type { FindingDraft } from "../rules/rule.js";

/**
 * One draft per key, the most severe (then the first in file order). The same action or command often appears in
 * several jobs of a file; the finding is one (its key has no line), and it should rank by the most exposed job.
 */
export function keepWorst(drafts: readonly FindingDraft[]): FindingDraft[] {
  const best = new Map<string, FindingDraft>();
  for (const draft of drafts) {
    const key = draft.key.join("\u0000");
    const current = best.get(key);
    if (!current || SEVERITIES.indexOf(draft.severity) < SEVERITIES.indexOf(current.severity)) best.set(key, draft);
  }
  return [...best.values()];
}

/** Secrets that matter for exposure: every job has GITHUB_TOKEN, so naming it alone says nothing about this job. */
export function exposedSecrets(jobSecrets: readonly string[]): string[] {
  return jobSecrets.filter((name) => name !== "GITHUB_TOKEN" && name !== "github_token");
}

/** "; the job build can publish and holds secrets A, B" (or ""): why a finding ranks one step higher. */
export function exposureNote(job: string | undefined, publishes: boolean, secrets: readonly string[]): string {
  const parts: string[] = [];
  if (publishes) parts.push("can publish");
  if (secrets.length > 0) parts.push(secrets.includes("inherit") ? "inherits all the caller's secrets" : `holds secret${secrets.length === 1 ? "" : "s"} ${secrets.slice(0, 4).join(", ")}${secrets.length > 4 ? ", …" : ""}`);
  if (parts.length === 0) return "";
  return `; the job${job !== undefined ? ` ${job}` : ""} ${parts.join(" and ")}`;
}
