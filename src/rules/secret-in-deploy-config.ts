// AIW-SECRET-005: a credential written as a literal in a deployment setting: a Dockerfile `ENV`/`ARG`, a Kubernetes
// container's `env: - value:` (instead of `valueFrom.secretKeyRef`), a ConfigMap, the `stringData` of a committed
// Secret manifest, or a docker-compose `environment:` / `build.args` entry. Besides the repository, such a key ends up
// in image layers, the cluster's object store or every `docker inspect`. These occurrences are not repeated as
// AIW-SECRET-001.
import type { DeployContextKind } from "../secrets/file-kinds.js";
import type { SecretOccurrence } from "../secrets/facts.js";
import type { FindingDraft, Rule, ScanContext } from "./rule.js";
import { describeCredential, groupByFileAndKey, MARKER_WITHOUT_REASON, rotateStep, secretFacts, secretSeverity } from "./support/secrets.js";

/** Flags credentials set as literals in Dockerfiles, Kubernetes manifests and compose files. */
export const secretInDeployConfig: Rule = {
  id: "AIW-SECRET-005",
  title: "Credential as a literal in deployment configuration",
  severity: "critical",
  docs: {
    what: "An API key or token written as a literal value in a Dockerfile `ENV`/`ARG`, a Kubernetes manifest's container `env` value, ConfigMap or committed Secret `stringData`, or a docker-compose `environment`/`build.args` entry, instead of a reference to a secret store.",
    why: "Besides everyone with the repository, a Dockerfile `ENV`/`ARG` value is baked into image layers and visible in `docker history`; a manifest's literal sits unencrypted in etcd and in every `kubectl get -o yaml`. Rotating it means rebuilding and redeploying, so it tends to live for years.",
    fix: "Rotate the key, then inject it at run time: a Kubernetes Secret referenced with `valueFrom.secretKeyRef` (created by an external secret operator, sealed-secrets or SOPS, not committed in plain text), compose `secrets:` or an `env_file` that is not committed, Docker BuildKit `RUN --mount=type=secret` for build-time needs.",
    references: [
      "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables",
      "https://docs.docker.com/build/building/secrets/",
      "https://docs.docker.com/compose/how-tos/use-secrets/",
    ],
  },
  check(context: ScanContext): FindingDraft[] {
    const facts = secretFacts(context);
    if (!facts) return [];
    const literal = facts.occurrences.filter((o) => o.deploy !== undefined);
    return groupByFileAndKey(literal).map(({ first, count }) => draft(first, count));
  },
};

/** Where the literal sits (for the message) and how to reference the key instead (for the fix), per setting. */
const SETTINGS: Readonly<Record<DeployContextKind, { where: (name: string) => string; risk: string; instead: (name: string) => string }>> = {
  "dockerfile-env": {
    where: (name) => `\`ENV ${name || "…"}\``,
    risk: "it is baked into every image layer built from this file and shown by `docker history` and `docker inspect`",
    instead: (name) => `pass \`${name || "the variable"}\` at run time (\`docker run -e\`, an orchestrator secret) and remove the ENV line; for build-time use, \`RUN --mount=type=secret,id=${(name || "key").toLowerCase()}\``,
  },
  "dockerfile-arg": {
    where: (name) => `\`ARG ${name || "…"}\` default`,
    risk: "build arguments are recorded in the image history",
    instead: () => "use a BuildKit secret (`RUN --mount=type=secret,id=…` with `docker build --secret`) instead of a build argument",
  },
  "kubernetes-env": {
    where: (name) => `the container variable \`${name || "…"}\` (\`env: - value:\`)`,
    risk: "the manifest, etcd and every `kubectl get -o yaml` show it in plain text",
    instead: (name) => `store it in a Secret and use \`valueFrom: { secretKeyRef: { name: <secret>, key: ${name || "<key>"} } }\` for \`${name || "the variable"}\``,
  },
  "kubernetes-configmap": {
    where: (name) => `ConfigMap key \`${name || "…"}\``,
    risk: "ConfigMaps are meant for non-secret settings and are readable by anyone who may read the namespace's configuration",
    instead: () => "move it into a Secret (created outside the repository) and reference it with `secretKeyRef`",
  },
  "kubernetes-secret-manifest": {
    where: (name) => `\`stringData.${name || "…"}\` of a Secret manifest`,
    risk: "a Secret committed in plain text is only as secret as the repository",
    instead: () => "create the Secret outside the repository (an external secret operator, sealed-secrets or SOPS-encrypted manifests) and stop committing its plain text",
  },
  "compose-environment": {
    where: (name) => `the compose \`environment:\` entry \`${name || "…"}\``,
    risk: "it is visible in the compose file, `docker inspect` and `docker compose config`",
    instead: (name) => `reference it as \`${name || "KEY"}: \${${name || "KEY"}}\` from an \`.env\` file that is not committed, or use compose \`secrets:\``,
  },
  "compose-build-arg": {
    where: (name) => `the compose build argument \`${name || "…"}\``,
    risk: "build arguments are recorded in the image history",
    instead: () => "use a compose build secret (`build.secrets`) instead of a build argument",
  },
};

function draft(o: SecretOccurrence, count: number): FindingDraft {
  const deploy = o.deploy as NonNullable<SecretOccurrence["deploy"]>;
  const setting = SETTINGS[deploy.kind];
  const name = deploy.name ?? o.variable ?? "";
  const more = count > 1 ? ` (${count} places in this file)` : "";
  return {
    severity: secretSeverity(o.detector),
    message: `${o.path}:${o.line} sets ${setting.where(name)} to ${describeCredential(o)}${more}: ${setting.risk}.${o.markerWithoutReason ? MARKER_WITHOUT_REASON : ""}`,
    fix: `${rotateStep(o)}, then ${setting.instead(name)}.`,
    file: o.path,
    line: o.line,
    key: [o.path, o.fingerprint],
    secret: { fingerprint: o.fingerprint },
  };
}
