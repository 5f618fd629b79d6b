// Test support for the registry rules and sources: builds a fixture folder's scan context the way a scan does and
// adds registry facts loaded through the in-memory recorded client (recordings under
// src/sources/fixtures/registry/<set>/), optionally edited first so a test can derive a case from real data.
import { join } from "node:path";
import type { AiwardenConfig } from "../config/config.js";
import type { ContextFacts, ScanContext } from "../rules/rule.js";
import { contextFor } from "./context.js";
import { repoRoot } from "./fixtures.js";
import { DEFAULT_REGISTRY_CONFIG } from "../sources/registry/config.js";
import type { RegistryConfig } from "../sources/registry/config.js";
import { loadRegistryFacts, lockedPackagesOf } from "../sources/registry/facts.js";
import type { RegistryFactsResult } from "../sources/registry/facts.js";
import { loadRecordings, recordedClient } from "./recorded-http.js";
import type { RecordedClient } from "./recorded-http.js";

/** The recording sets: `npmjs` (recorded from the registry reachable here), `npm-public`, `pypi-2026-03-24`, `pypi-now`. */
export function recordingsDir(set: string): string {
  return join(repoRoot, "src", "sources", "fixtures", "registry", set);
}

/** Recorded answers, editable before use. */
export type Answers = ReturnType<typeof loadRecordings>;

/** Loads recording sets (later sets override earlier ones). */
export function answersFrom(...sets: string[]): Answers {
  return loadRecordings(...sets.map(recordingsDir));
}

/** Rewrites one recorded JSON body (`GET /openai`) in place. */
export function editJson(answers: Answers, key: string, edit: (doc: Record<string, unknown>) => void): void {
  const answer = answers.get(key);
  if (!answer) throw new Error(`no recording for ${key}`);
  const doc = JSON.parse(answer.body.toString("utf8")) as Record<string, unknown>;
  edit(doc);
  answers.set(key, { ...answer, body: Buffer.from(JSON.stringify(doc), "utf8") });
}

/** What {@link contextWithRegistry} accepts. */
export interface RegistryContextOptions {
  answers: Answers;
  /** The scan time (ISO); default 2026-11-22T04:00:00Z, the day the npmjs recordings were made. */
  now?: string;
  config?: Partial<AiwardenConfig>;
  registries?: RegistryConfig;
  offline?: boolean;
  facts?: ContextFacts;
}

/** A fixture folder's context with registry facts from recordings, plus the loader's result and the client's log. */
export async function contextWithRegistry(folder: string, options: RegistryContextOptions): Promise<{ context: ScanContext; result: RegistryFactsResult; client: RecordedClient }> {
  const now = options.now ?? "2026-11-22T04:00:00Z";
  const context = await contextFor(folder, { ...(options.config ? { config: options.config } : {}), ...(options.facts ? { facts: options.facts } : {}), today: now.slice(0, 10) });
  const client = recordedClient(options.answers, options.offline ? { offline: true } : {});
  const result = await loadRegistryFacts(lockedPackagesOf(context.projects.map((p) => p.graph)), {
    http: client,
    registries: options.registries ?? DEFAULT_REGISTRY_CONFIG,
    now: new Date(now),
  });
  (context.facts as { registry?: unknown }).registry = result.facts;
  return { context, result, client };
}
