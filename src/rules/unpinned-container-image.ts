import { exposedSecrets, exposureNote, keepWorst } from "../ci/findings.js";
import { compromisedImage, hasDigest, parseImage, parseUses } from "../ci/refs.js";
import { ciDetail } from "../ci/types.js";
import type { ContainerImageReference, ImageUse } from "../ci/types.js";
import { shiftSeverity } from "./rule.js";
import type { FindingDraft, Rule, Severity } from "./rule.js";

/** Base severity by where the image runs: inside the job (sees its secrets and checkout) or beside it / at build. */
const BASE: Readonly<Record<ImageUse, Severity>> = {
  "step": "medium",
  "job-container": "medium",
  "service": "low",
  "base-image": "low",
};

/** Where each use sits, for messages. */
const ROLE: Readonly<Record<ImageUse, string>> = {
  "step": "runs as a step of the job",
  "job-container": "is the container every step of the job runs in",
  "service": "runs as a service container beside the job",
  "base-image": "is the base of an image built here",
};

/**
 * AIW-ACTION-002: a container image referenced by tag instead of digest in CI: `uses: docker://…` steps and Docker
 * container actions (medium), GitHub `container:` and GitLab `image:` (medium: every step runs inside it), `services:`
 * (low) and Dockerfile `FROM` (low: very common, and the built image is checked by whatever scans it, but the tag is
 * still mutable). One step higher for a step or job container when the job publishes or holds secrets; critical for
 * a tag known to have been overwritten with a malicious image (data/actions/compromised-tags.json), which is also
 * looked for in `docker run` / `docker pull` commands. References built from variables (`${{ matrix.image }}`,
 * `$CI_REGISTRY_IMAGE`, a Dockerfile ARG without a default) are skipped: their value is not in the file.
 */
export const unpinnedContainerImage: Rule = {
  id: "AIW-ACTION-002",
  title: "Container image in CI not pinned to a digest",
  severity: "medium",
  docs: {
    what: "A container image used by CI or an image build, referenced by tag (`node:20`, `ghcr.io/org/tool:v1`, or no tag at all, meaning `latest`) instead of by digest (`@sha256:…`): `uses: docker://…` steps, Docker container actions, GitHub job `container:` and `services:`, GitLab `image:` and `services:`, and Dockerfile `FROM`.",
    why: "An image tag is a pointer the image's publisher (or anyone with their registry credentials) can move. A job container sees the job's checkout and secrets; in March 2026 overwritten aquasec/trivy tags (0.69.4 to 0.69.6) served an infostealer to every pipeline that pulled them. A digest names exact content and cannot be moved.",
    fix: "Reference images by digest and keep the tag for readers: `image: node:20@sha256:<digest>` (find the digest with `docker buildx imagetools inspect node:20`). Dependabot (docker ecosystem) and Renovate update pinned digests.",
    references: [
      "https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier",
      "https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idcontainerimage",
      "https://github.com/aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23",
    ],
  },
  check(context) {
    const ci = ciDetail(context.facts.ci);
    if (!ci) return [];
    const images = [...ci.images];
    // Facts built without the images list still carry docker:// steps as action references.
    for (const action of ci.actions) {
      const parsed = parseUses(action.uses);
      if (parsed?.kind !== "docker" || images.some((i) => i.file === action.file && i.line === action.line)) continue;
      images.push({ file: action.file, line: action.line, image: parsed.image, use: "step", where: "uses", jobSecrets: action.jobSecrets, jobPublishes: action.jobPublishes, ...(action.job !== undefined ? { job: action.job } : {}) });
    }
    const drafts: FindingDraft[] = [];
    for (const reference of images) {
      const draft = imageDraft(reference, ci.compromised);
      if (draft) drafts.push(draft);
    }
    // `docker run` / `docker pull` of a known-bad tag: only those, as run commands take many images on purpose.
    for (const command of ci.commands) {
      if (command.environment === "unreached") continue;
      const image = dockerImageArgument(command.argv);
      if (image === undefined) continue;
      const bad = compromisedImage(ci.compromised, parseImage(image));
      if (!bad) continue;
      drafts.push({
        severity: "critical",
        message: `\`${command.text}\` pulls \`${image}\`, a tag that served a malicious image (${bad.advisory}, ${bad.window})${exposureNote(command.job, command.jobPublishes, exposedSecrets(command.jobSecrets))}.`,
        fix: `Pin a verified release by digest (\`${parseImage(image).repository}:<clean version>@sha256:<digest>\`). If this ran during ${bad.window}, rotate every secret the job could read.`,
        file: command.file,
        line: command.line,
        key: [command.file, image],
      });
    }
    return keepWorst(drafts);
  },
};

function imageDraft(reference: ContainerImageReference, compromised: Parameters<typeof compromisedImage>[0]): FindingDraft | undefined {
  const written = reference.image.trim();
  // A digest written after a variable still pins; a variable without one says nothing the file can check.
  if (written === "" || (written.includes("$") && !written.includes("@sha256:"))) return undefined;
  const image = parseImage(written);
  if (hasDigest(image)) return undefined;
  const bad = compromisedImage(compromised, image);
  const secrets = exposedSecrets(reference.jobSecrets);
  const insideJob = reference.use === "step" || reference.use === "job-container";
  const exposed = insideJob && (reference.jobPublishes || secrets.length > 0);
  const base: Severity = bad ? "critical" : BASE[reference.use];
  const note = insideJob ? exposureNote(reference.job, reference.jobPublishes, secrets) : "";
  const tagText = image.tag === undefined ? "has no tag, so it pulls whatever `latest` points to" : `is pulled by the tag \`${image.tag}\`, which its publisher can move to other content`;
  const message = bad
    ? `\`${written}\` (${reference.where}) is a tag that served a malicious image (${bad.advisory}, ${bad.window}) and ${ROLE[reference.use]}${note}.`
    : `\`${written}\` (${reference.where}) ${tagText}; it ${ROLE[reference.use]}${note}.`;
  const pinned = `${image.repository}:${image.tag ?? "<tag>"}@sha256:<digest>`;
  return {
    severity: exposed ? shiftSeverity(base, 1) : base,
    message,
    fix: bad
      ? `Pin a verified release by digest (\`${image.repository}:<clean version>@sha256:<digest>\`). If this ran during ${bad.window}, rotate every secret the job could read.`
      : `Pin the digest and keep the tag for readers: \`${pinned}\` (\`docker buildx imagetools inspect ${image.repository}:${image.tag ?? "latest"}\` shows it); Dependabot or Renovate keep digests current.`,
    file: reference.file,
    line: reference.line,
    key: [reference.file, written],
  };
}

/** `docker run` options that take a value, so the image is the first word that is not an option or its value. */
const DOCKER_RUN_VALUED: ReadonlySet<string> = new Set([
  "-a", "--attach", "-c", "--cpu-shares", "--cidfile", "--cpus", "--cpuset-cpus", "--detach-keys", "--device",
  "--dns", "-e", "--env", "--env-file", "--entrypoint", "--expose", "-h", "--hostname", "--ip", "-l", "--label",
  "--label-file", "--log-driver", "--log-opt", "-m", "--memory", "--mount", "--name", "--network", "--net",
  "--platform", "-p", "--publish", "--pull", "--restart", "--runtime", "--security-opt", "--shm-size", "--stop-signal",
  "--tmpfs", "-u", "--user", "--ulimit", "-v", "--volume", "--volumes-from", "-w", "--workdir", "--add-host", "--group-add",
  "--health-cmd", "--ipc", "--pid", "--userns", "--uts", "--gpus", "--cap-add", "--cap-drop",
]);

/** The image of `docker run …` / `docker pull …` (also `docker container run`, `docker image pull`, podman). */
function dockerImageArgument(argv: readonly string[]): string | undefined {
  const program = (argv[0] ?? "").slice((argv[0] ?? "").lastIndexOf("/") + 1);
  if (program !== "docker" && program !== "podman") return undefined;
  let i = 1;
  if (argv[i] === "container" || argv[i] === "image") i++;
  const sub = argv[i];
  if (sub !== "run" && sub !== "pull" && sub !== "create") return undefined;
  for (i++; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith("-")) {
      if (!arg.includes("=") && DOCKER_RUN_VALUED.has(arg)) i++;
      continue;
    }
    return arg;
  }
  return undefined;
}
