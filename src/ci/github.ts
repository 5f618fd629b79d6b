// GitHub Actions: workflows (.github/workflows/*.yml) and actions (action.yml). Finds the shell commands of `run:`
// steps (with their real file lines), every `uses:` reference (steps and reusable-workflow jobs), job and service
// container images, and per job the secrets it can read and whether it publishes.
// Syntax: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax and
// https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax
import type { Node, YAMLMap } from "yaml";
import type { ActionReference } from "../rules/rule.js";
import { dirOf, resolvePath } from "./paths.js";
import { isPublishCommand, isPublishingAction, isPublishingName, permissionsPublish } from "./publishing.js";
import { failed, secretNames } from "./reader.js";
import type { ReaderCommand, ReaderOutput } from "./reader.js";
import { scriptCommands } from "./script.js";
import type { ContainerImageReference } from "./types.js";
import { asMap, asSeq, asText, entries, get, lineOfNode, parseYaml, scalarLineMap, sourceOf } from "./yaml-nodes.js";
import type { ParsedYaml } from "./yaml-nodes.js";

/** Shells whose scripts the tokenizer reads; `pwsh`, `python`, `cmd` and custom programs are skipped. */
const SH_SHELLS: ReadonlySet<string> = new Set(["bash", "sh", "zsh", "dash", "ksh"]);

/** Everything gathered for one job (or one composite action) before the job facts are attached. */
interface JobParts {
  commands: ReaderCommand[];
  actions: ActionReference[];
  images: ContainerImageReference[];
  problems: string[];
  /** Every step's effective `env:`, to spot `NODE_AUTH_TOKEN: ${{ secrets.X }}` and the like. */
  envs: Array<Record<string, string>>;
}

/** Reads a workflow file. */
export function readWorkflow(path: string, text: string): ReaderOutput {
  const yaml = parseYaml(text);
  const top = asMap(yaml, yaml.doc.contents);
  if (!top) return failed(yaml.error ?? (text.trim() === "" ? "empty file" : "not a GitHub Actions workflow: the top level is not a mapping"));
  const jobs = asMap(yaml, get(yaml, top, "jobs"));
  if (!jobs) return failed(yaml.error ?? "not a GitHub Actions workflow: no `jobs` mapping");
  const workflowEnvNode = get(yaml, top, "env");
  const workflowEnv = envOf(yaml, workflowEnvNode);
  const workflowSecrets = secretNames(sourceOf(yaml, workflowEnvNode));
  const workflowPermissions = permissionsOf(yaml, get(yaml, top, "permissions"));
  const workflowDefaults = runDefaults(yaml, get(yaml, top, "defaults"));
  const out: ReaderOutput = { commands: [], actions: [], images: [] };
  const problems: string[] = yaml.error ? [yaml.error] : [];
  for (const [jobId, jobNode] of entries(yaml, jobs)) {
    const job = asMap(yaml, jobNode);
    if (!job) {
      problems.push(`job ${jobId} is not a mapping`);
      continue;
    }
    const defaults = { ...workflowDefaults, ...runDefaults(yaml, get(yaml, job, "defaults")) };
    const env = { ...workflowEnv, ...envOf(yaml, get(yaml, job, "env")) };
    const parts: JobParts = { commands: [], actions: [], images: [], problems, envs: [env] };
    readSteps(yaml, path, asSeq(yaml, get(yaml, job, "steps")), `jobs.${jobId}.steps`, jobId, { env, ...defaults }, parts);
    const usesNode = get(yaml, job, "uses");
    const uses = asText(yaml, usesNode);
    if (uses !== undefined) parts.actions.push(actionReference(path, uses, lineOfNode(yaml, usesNode), jobId));
    readContainers(yaml, path, job, jobId, parts);

    const secretsNode = get(yaml, job, "secrets");
    const secrets = new Set([...secretNames(sourceOf(yaml, jobNode)), ...workflowSecrets]);
    if (asText(yaml, secretsNode) === "inherit") secrets.add("inherit");
    const jobPermissions = get(yaml, job, "permissions");
    const permissions = jobPermissions !== undefined ? permissionsOf(yaml, jobPermissions) : workflowPermissions;
    // Names a reusable workflow receives its secrets under (`secrets: { PYPI_TOKEN: … }`) say what it does with them.
    const passedSecrets = entries(yaml, asMap(yaml, secretsNode)).map(([name]) => name);
    const publishes = permissionsPublish(permissions)
      || [...secrets, ...passedSecrets].some(isPublishingName)
      || parts.envs.some((stepEnv) => Object.entries(stepEnv).some(([k, v]) => isPublishingName(k) && v.includes("secrets.")))
      || parts.commands.some((c) => isPublishCommand(c.argv))
      || parts.actions.some((a) => isPublishingAction(a.uses));
    attach(parts, out, jobId, [...secrets].sort(), publishes);
  }
  if (problems.length > 0) out.problem = { status: "partial", reason: problems.slice(0, 3).join("; ") };
  return out;
}

/** Reads an action metadata file: composite steps, `docker://` images of Docker container actions. */
export function readAction(path: string, text: string): ReaderOutput {
  const yaml = parseYaml(text);
  const top = asMap(yaml, yaml.doc.contents);
  if (!top) return failed(yaml.error ?? (text.trim() === "" ? "empty file" : "not a GitHub action: the top level is not a mapping"));
  const runs = asMap(yaml, get(yaml, top, "runs"));
  if (!runs) return failed(yaml.error ?? "not a GitHub action: no `runs` mapping");
  const problems: string[] = yaml.error ? [yaml.error] : [];
  const parts: JobParts = { commands: [], actions: [], images: [], problems, envs: [] };
  readSteps(yaml, path, asSeq(yaml, get(yaml, runs, "steps")), "runs.steps", undefined, { env: {}, actionDir: dirOf(path) }, parts);
  const imageNode = get(yaml, runs, "image");
  const image = asText(yaml, imageNode);
  if (image?.startsWith("docker://")) {
    parts.images.push({ file: path, line: lineOfNode(yaml, imageNode), image: image.slice("docker://".length), use: "step", where: "runs.image", jobSecrets: [], jobPublishes: false });
  }
  const publishes = parts.commands.some((c) => isPublishCommand(c.argv)) || parts.actions.some((a) => isPublishingAction(a.uses));
  const out: ReaderOutput = { commands: [], actions: [], images: [] };
  attach(parts, out, undefined, [], publishes);
  if (problems.length > 0) out.problem = { status: "partial", reason: problems.slice(0, 3).join("; ") };
  return out;
}

interface StepSurroundings {
  env: Record<string, string>;
  shell?: string;
  workingDirectory?: string;
  actionDir?: string;
}

function readSteps(yaml: ParsedYaml, path: string, steps: Node[], prefix: string, jobId: string | undefined, around: StepSurroundings, parts: JobParts): void {
  steps.forEach((stepNode, index) => {
    const step = asMap(yaml, stepNode);
    if (!step) return;
    const usesNode = get(yaml, step, "uses");
    const uses = asText(yaml, usesNode);
    if (uses !== undefined) {
      const line = lineOfNode(yaml, usesNode);
      parts.actions.push(actionReference(path, uses, line, jobId));
      if (uses.startsWith("docker://")) {
        parts.images.push({ file: path, line, image: uses.slice("docker://".length), use: "step", where: `${prefix}[${index}].uses`, jobSecrets: [], jobPublishes: false, ...(jobId !== undefined ? { job: jobId } : {}) });
      }
    }
    const env = { ...around.env, ...envOf(yaml, get(yaml, step, "env")) };
    parts.envs.push(env);
    const runNode = get(yaml, step, "run");
    const run = asText(yaml, runNode);
    if (run === undefined || !runNode) return;
    const shell = asText(yaml, get(yaml, step, "shell")) ?? around.shell;
    if (shell !== undefined && !SH_SHELLS.has(programOf(shell))) return;
    const workingDirectory = asText(yaml, get(yaml, step, "working-directory")) ?? around.workingDirectory;
    const cwd = workingDirectory === undefined ? "." : resolvePath(workingDirectory, { cwd: ".", ...(around.actionDir !== undefined ? { actionDir: around.actionDir } : {}) });
    const where = `${prefix}[${index}].run`;
    const result = scriptCommands(run, { cwd, env, lineOf: scalarLineMap(yaml, runNode), ...(around.actionDir !== undefined ? { actionDir: around.actionDir } : {}) });
    if (result.problem) parts.problems.push(`${where}: ${result.problem}`);
    for (const command of result.commands) {
      const entry: ReaderCommand = { line: command.line, argv: command.argv, dynamic: command.dynamic, text: command.text, cwd: command.cwd, env: command.env, file: path, where, jobSecrets: [], jobPublishes: false };
      if (jobId !== undefined) entry.job = jobId;
      parts.commands.push(entry);
    }
  });
}

/** `container:` and `services:` images of a job. */
function readContainers(yaml: ParsedYaml, path: string, job: YAMLMap, jobId: string, parts: JobParts): void {
  const add = (node: Node | undefined, use: "job-container" | "service", where: string) => {
    const asObject = asMap(yaml, node);
    const imageNode = asObject ? get(yaml, asObject, "image") : node;
    const image = asText(yaml, imageNode);
    if (image === undefined || image.trim() === "") return;
    parts.images.push({ file: path, line: lineOfNode(yaml, imageNode), image: image.trim(), use, where, job: jobId, jobSecrets: [], jobPublishes: false });
  };
  add(get(yaml, job, "container"), "job-container", `jobs.${jobId}.container`);
  for (const [name, service] of entries(yaml, asMap(yaml, get(yaml, job, "services")))) add(service, "service", `jobs.${jobId}.services.${name}`);
}

function actionReference(file: string, uses: string, line: number, job: string | undefined): ActionReference {
  return { file, line, uses: uses.trim(), ...(job !== undefined ? { job } : {}), jobSecrets: [], jobPublishes: false };
}

/** Copies a job's parts into the output with its secrets and publishing flag. */
function attach(parts: JobParts, out: ReaderOutput, job: string | undefined, jobSecrets: string[], jobPublishes: boolean): void {
  // The parts were built for this job alone: set the job facts in place rather than copying (large files).
  for (const command of parts.commands) {
    command.jobSecrets = jobSecrets;
    command.jobPublishes = jobPublishes;
    out.commands.push(command);
  }
  for (const action of parts.actions) {
    action.jobSecrets = jobSecrets;
    action.jobPublishes = jobPublishes;
    out.actions.push(action);
  }
  for (const image of parts.images) {
    image.jobSecrets = jobSecrets;
    image.jobPublishes = jobPublishes;
    if (job !== undefined) image.job = job;
    out.images.push(image);
  }
}

/** An `env:` mapping as strings (expressions kept as written). */
function envOf(yaml: ParsedYaml, node: Node | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of entries(yaml, asMap(yaml, node))) {
    const text = asText(yaml, value);
    if (text !== undefined) env[key] = text;
  }
  return env;
}

/** `permissions:` as `write-all`/`read-all` or scope → access. */
function permissionsOf(yaml: ParsedYaml, node: Node | undefined): string | Record<string, string> | undefined {
  if (node === undefined) return undefined;
  const text = asText(yaml, node);
  if (text !== undefined) return text;
  const scopes: Record<string, string> = {};
  for (const [key, value] of entries(yaml, asMap(yaml, node))) scopes[key] = asText(yaml, value) ?? "";
  return scopes;
}

/** `defaults.run.shell` and `defaults.run.working-directory`. */
function runDefaults(yaml: ParsedYaml, node: Node | undefined): { shell?: string; workingDirectory?: string } {
  const run = asMap(yaml, get(yaml, asMap(yaml, node), "run"));
  const shell = asText(yaml, get(yaml, run, "shell"));
  const workingDirectory = asText(yaml, get(yaml, run, "working-directory"));
  return { ...(shell !== undefined ? { shell } : {}), ...(workingDirectory !== undefined ? { workingDirectory } : {}) };
}

/** The program of a `shell:` value (`bash {0}` → bash, `/usr/bin/bash -e {0}` → bash). */
function programOf(shell: string): string {
  const first = shell.trim().split(/\s+/)[0] ?? "";
  return first.slice(first.lastIndexOf("/") + 1);
}
