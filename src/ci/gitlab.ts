// GitLab CI (.gitlab-ci.yml): the shell commands of `before_script`, `script` and `after_script` of every job, of
// `default:` and of hidden `.template` jobs (what `extends:` and `!reference` pull in is read where it is written),
// plus `image:` and `services:` images. Syntax: https://docs.gitlab.com/ci/yaml/
import type { Node, YAMLMap } from "yaml";
import { isPublishCommand, isPublishingName } from "./publishing.js";
import { failed, looksSecret, variableNames } from "./reader.js";
import type { ReaderCommand, ReaderOutput } from "./reader.js";
import { scriptCommands } from "./script.js";
import type { ContainerImageReference } from "./types.js";
import { asMap, asSeq, asText, deref, entries, get, lineOfNode, parseYaml, scalarLineMap, sourceOf } from "./yaml-nodes.js";
import type { ParsedYaml } from "./yaml-nodes.js";
import { isScalar, isSeq } from "yaml";

/** Top-level keys that are configuration, not jobs. https://docs.gitlab.com/ci/yaml/#global-keywords */
const GLOBAL_KEYS: ReadonlySet<string> = new Set([
  "stages", "variables", "include", "workflow", "default", "image", "services", "before_script", "after_script",
  "cache", "spec",
]);

/** How many nested lists a script may have (GitLab flattens up to 10 levels). */
const MAX_SCRIPT_NESTING = 10;

/** Script lines read per file at most: aliases of aliases could otherwise multiply (a "billion laughs" document). */
const MAX_SCRIPT_ITEMS = 20000;

/** Reads a .gitlab-ci.yml file. */
export function readGitlabCi(path: string, text: string): ReaderOutput {
  const yaml = parseYaml(text);
  const top = asMap(yaml, yaml.doc.contents);
  if (!top) return failed(yaml.error ?? (text.trim() === "" ? "empty file" : "not a GitLab CI file: the top level is not a mapping"));
  const globalVariables = variablesOf(yaml, get(yaml, top, "variables"));
  const out: ReaderOutput = { commands: [], actions: [], images: [] };
  const problems: string[] = yaml.error ? [yaml.error] : [];
  const budget = { left: MAX_SCRIPT_ITEMS };
  // Deprecated top-level image/services/before_script/after_script act as defaults: read them as a job named "(global)".
  const jobs: Array<[string, YAMLMap]> = [["(global)", top]];
  const defaults = asMap(yaml, get(yaml, top, "default"));
  if (defaults) jobs.push(["default", defaults]);
  for (const [name, node] of entries(yaml, top)) {
    if (GLOBAL_KEYS.has(name)) continue;
    const job = asMap(yaml, node);
    if (job) jobs.push([name, job]);
  }
  for (const [name, job] of jobs) {
    const global = job === top;
    const variables = global ? globalVariables : { ...globalVariables, ...variablesOf(yaml, get(yaml, job, "variables")) };
    const commands: ReaderCommand[] = [];
    const images: ContainerImageReference[] = [];
    let cwd: string | undefined = ".";
    for (const section of ["before_script", "script", "after_script"]) {
      // after_script runs in a new shell, back in the project folder.
      if (section === "after_script") cwd = ".";
      const where = `${global ? "" : `${name}.`}${section}`;
      for (const item of scriptItems(yaml, get(yaml, job, section), budget)) {
        const script = asText(yaml, item);
        if (script === undefined) continue;
        const result = scriptCommands(script, { cwd, env: variables, lineOf: scalarLineMap(yaml, item) });
        if (result.problem) problems.push(`${where}: ${result.problem}`);
        cwd = result.cwd;
        for (const command of result.commands) commands.push({ ...command, file: path, where, job: name, jobSecrets: [], jobPublishes: false });
      }
    }
    addImage(yaml, path, get(yaml, job, "image"), "job-container", `${global ? "" : `${name}.`}image`, name, images);
    for (const service of asSeq(yaml, get(yaml, job, "services"))) addImage(yaml, path, service, "service", `${global ? "" : `${name}.`}services`, name, images);
    const referenced = variableNames(global ? scriptSources(yaml, job) : sourceOf(yaml, job));
    const jobSecrets = referenced.filter(looksSecret);
    const jobPublishes = commands.some((c) => isPublishCommand(c.argv)) || referenced.some(isPublishingName);
    for (const command of commands) out.commands.push({ ...command, jobSecrets, jobPublishes });
    for (const image of images) out.images.push({ ...image, jobSecrets, jobPublishes });
  }
  if (budget.left < 0) problems.push(`more than ${MAX_SCRIPT_ITEMS} script lines (aliases of aliases?): the rest were not read`);
  if (problems.length > 0) out.problem = { status: "partial", reason: problems.slice(0, 3).join("; ") };
  return out;
}

/** The script lines of a `script`-like key: one string or a list, nested lists flattened; `!reference` tags skipped. */
function scriptItems(yaml: ParsedYaml, node: Node | undefined, budget: { left: number }): Node[] {
  const items: Node[] = [];
  const visit = (value: Node | undefined, depth: number) => {
    const target = deref(yaml, value);
    if (!target || depth > MAX_SCRIPT_NESTING || --budget.left < 0) return;
    if (isScalar(target)) {
      items.push(target);
      return;
    }
    if (isSeq(target)) {
      // `!reference [.job, script]` points at text read where it is written.
      if (target.tag === "!reference") return;
      for (const item of target.items) visit(item as Node, depth + 1);
    }
  };
  visit(node, 0);
  return items;
}

/** For the global pseudo-job: only its script keys, not the whole file. */
function scriptSources(yaml: ParsedYaml, top: YAMLMap): string {
  return ["before_script", "after_script", "image", "services"].map((key) => sourceOf(yaml, get(yaml, top, key))).join("\n");
}

/** `image: name` or `image: { name: … }`; `services: [name | { name: … }]`. */
function addImage(yaml: ParsedYaml, path: string, node: Node | undefined, use: "job-container" | "service", where: string, job: string, images: ContainerImageReference[]): void {
  const object = asMap(yaml, node);
  const nameNode = object ? get(yaml, object, "name") : node;
  const image = asText(yaml, nameNode)?.trim();
  if (!image) return;
  images.push({ file: path, line: lineOfNode(yaml, nameNode), image, use, where, job, jobSecrets: [], jobPublishes: false });
}

/** `variables:` as strings; `{ value: … }` entries read through. */
function variablesOf(yaml: ParsedYaml, node: Node | undefined): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [key, value] of entries(yaml, asMap(yaml, node))) {
    const text = asText(yaml, value) ?? asText(yaml, get(yaml, asMap(yaml, value), "value"));
    if (text !== undefined) variables[key] = text;
  }
  return variables;
}
