import type { FileResult, PackageResult, ProjectResult, ScanResult } from "../scan/result.js";
import { columns } from "./style.js";
import type { Style } from "./style.js";

/** Options for the text rendering of a scan. */
export interface ScanTextOptions {
  /** List every package, not only the AI ones. */
  all: boolean;
  style: Style;
}

/**
 * Renders a scan for a terminal: per project, its AI packages (or all packages) with version, relation, category and
 * the shortest chain that pulls each in; then what happened to every file that was not read cleanly.
 */
export function renderScanText(result: ScanResult, options: ScanTextOptions): string {
  const { style } = options;
  const lines: string[] = [];
  for (const project of result.projects) lines.push(...renderProject(project, options), "");
  if (result.projects.length === 0) lines.push(result.files.some((f) => f.status === "ok") ? "No dependencies declared in the files read." : "No dependency files aiwarden can read were found.", "");
  lines.push(...renderFiles(result.files, style));
  const aiTotal = result.projects.reduce((n, p) => n + p.packages.filter((pkg) => pkg.ai).length, 0);
  if (aiTotal > 0) lines.push(style.dim("Every chain that pulls a package in: aiwarden why <package>"));
  return lines.join("\n") + "\n";
}

function renderProject(project: ProjectResult, options: ScanTextOptions): string[] {
  const { style } = options;
  const ai = project.packages.filter((p) => p.ai);
  const shown = options.all ? project.packages : ai;
  const header = `${style.bold(project.path)}  ${project.ecosystem}  ${style.dim(project.files.join(", "))}  ·  ${count(project.packages.length, "package")}, ${style.bold(`${ai.length} AI`)}`;
  if (shown.length === 0) return [header, style.dim(options.all ? "  no packages" : "  no AI packages")];
  const rows = shown.map((pkg) => [
    pkg.ai ? style.bold(pkg.name) : pkg.name,
    pkg.version || style.dim(pkg.declared ? `${pkg.declared} (unlocked)` : "(unlocked)"),
    relation(pkg),
    pkg.ai ? style.cyan(pkg.ai.category) : style.dim("-"),
    pkg.ai ? pkg.ai.provider : "",
    chain(pkg, style),
  ]);
  return [header, ...columns(rows, "  ")];
}

/** "direct", "transitive", with "dev"/"optional" when they apply. */
export function relation(pkg: PackageResult): string {
  const flags = [pkg.dev ? "dev" : "", pkg.optional ? "optional" : ""].filter(Boolean);
  return (pkg.direct ? "direct" : "transitive") + (flags.length > 0 ? ` (${flags.join(", ")})` : "");
}

function chain(pkg: PackageResult, style: Style): string {
  const [first] = pkg.paths;
  if (!first) return style.dim(pkg.direct ? "" : "chain not recorded in this file format");
  const more = pkg.paths.length > 1 ? style.dim(`  (+${pkg.paths.length - 1} more)`) : "";
  return style.dim(first.join(" › ")) + more;
}

function renderFiles(files: FileResult[], style: Style): string[] {
  const counts = { ok: 0, partial: 0, failed: 0, unsupported: 0 };
  for (const f of files) counts[f.status]++;
  const summary = (["ok", "partial", "failed", "unsupported"] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(", ");
  const lines = [`Read ${count(files.length, "file")}${summary ? `: ${summary}` : ""}.`];
  for (const f of files) {
    if (f.status === "ok") continue;
    const label = f.status === "failed" ? style.red(f.status) : style.yellow(f.status);
    lines.push(`  ${label}  ${f.path}: ${f.reason ?? ""}`);
  }
  return lines;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
