// What the CI readers produce beyond the CiFacts fields declared in src/rules/rule.ts. The readers fill these in on
// the same objects, so a rule sees them through `ciDetail(context.facts.ci)`. Until rule.ts declares them (see the
// module notes in ./extract.ts), that accessor is the one place that widens the declared type.
import type { ActionReference, CiCommand, CiFacts } from "../rules/rule.js";
import { ciFileKind } from "./claims.js";

/**
 * Where a command runs, which decides what a package manager does by default: `ci` for GitHub Actions and GitLab CI
 * jobs and the scripts and Makefile targets they call (the runner sets `CI=true`), `image-build` for Dockerfile `RUN`
 * and what it calls (no `CI` unless the Dockerfile sets it), `unreached` for scripts and Makefile targets that no CI
 * file or Dockerfile aiwarden read invokes (developer tooling as far as the repository shows).
 */
export type CommandEnvironment = "ci" | "image-build" | "unreached";

/** A command with what the readers know about its surroundings. */
export interface CiCommandDetail extends CiCommand {
  /** Root-relative directory it runs in ("." for the root), when the file tells (working-directory, `cd`, make -C). */
  cwd?: string;
  /** Environment variables set around it (workflow/job/step `env`, GitLab `variables`, Dockerfile ENV/ARG, `export`, `VAR=x cmd`). */
  env: Readonly<Record<string, string>>;
  environment: CommandEnvironment;
  /** GitHub/GitLab job id (or the job of the CI file that calls the script). */
  job?: string;
  /** Same meaning as on ActionReference. */
  jobSecrets: string[];
  jobPublishes: boolean;
}

/** Where an image reference sits, which decides how much of the job it can reach. */
export type ImageUse =
  /** `uses: docker://image` step, or `runs.image: docker://image` of a Docker container action. */
  | "step"
  /** GitHub `jobs.<id>.container`, GitLab `image:`: every step of the job runs inside it. */
  | "job-container"
  /** GitHub `services:` / GitLab `services:`: a sidecar the job talks to. */
  | "service"
  /** Dockerfile `FROM`: the base of an image the repository builds. */
  | "base-image";

/** One container image reference in a CI file or Dockerfile. */
export interface ContainerImageReference {
  file: string;
  line: number;
  /** The image as it will be pulled (`node:20`, `ghcr.io/o/i@sha256:…`), Dockerfile ARG defaults substituted. */
  image: string;
  use: ImageUse;
  /** Where it sits, for messages: `jobs.build.container`, `FROM`, `test.image`. */
  where: string;
  job?: string;
  jobSecrets: string[];
  jobPublishes: boolean;
}

/** An action whose tags were force-pushed to malicious commits (data/actions/compromised-tags.json). */
export interface CompromisedActionTags {
  /** `owner/repo`, lower-case. */
  action: string;
  /** Tags as written in `uses:` (`0.24.0`, `v0.2.1`): either an explicit list or an inclusive version range. */
  tags: readonly string[];
  range?: { prefix: string; from: string; to: string };
  advisory: string;
  /** When the tags pointed at malicious code, as the advisory says. */
  window: string;
  note: string;
  /** A known-good replacement, when the maintainers named one. */
  safe?: { tag: string; sha: string };
  references: readonly string[];
}

/** A container image whose tags were overwritten with malicious images. */
export interface CompromisedImageTags {
  /** Repositories as pulled (`aquasec/trivy`, `ghcr.io/aquasecurity/trivy`), lower-case. */
  images: readonly string[];
  tags: readonly string[];
  advisory: string;
  window: string;
  note: string;
  references: readonly string[];
}

/** The known force-pushed tags, loaded by ./compromised-tags.ts. */
export interface CompromisedTags {
  actions: readonly CompromisedActionTags[];
  images: readonly CompromisedImageTags[];
}

/** CiFacts as the readers fill it. */
export interface CiFactsDetail extends CiFacts {
  commands: CiCommandDetail[];
  actions: ActionReference[];
  images: ContainerImageReference[];
  /** Known force-pushed action and image tags; absent when not loaded. */
  compromised?: CompromisedTags;
}

/**
 * The detailed view of `context.facts.ci`. Facts built by `extractCiFacts` (./extract.ts) always carry the extra fields; facts
 * built elsewhere (a test giving bare CiFacts) get safe defaults.
 */
export function ciDetail(facts: CiFacts | undefined): CiFactsDetail | undefined {
  if (!facts) return undefined;
  const wide = facts as CiFacts & Partial<Pick<CiFactsDetail, "images" | "compromised">>;
  const commands = (facts.commands as Array<CiCommand & Partial<CiCommandDetail>>).map((c): CiCommandDetail => ({
    ...c,
    env: c.env ?? {},
    environment: c.environment ?? defaultEnvironment(c.file),
    jobSecrets: c.jobSecrets ?? [],
    jobPublishes: c.jobPublishes ?? false,
  }));
  return {
    commands,
    actions: facts.actions,
    images: wide.images ?? [],
    ...(wide.compromised ? { compromised: wide.compromised } : {}),
  };
}

function defaultEnvironment(file: string): CommandEnvironment {
  const kind = ciFileKind(file);
  if (kind === "dockerfile") return "image-build";
  return kind === "github-workflow" || kind === "github-action" || kind === "gitlab-ci" ? "ci" : "unreached";
}
