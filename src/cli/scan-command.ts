import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import type { FailOn } from "../config/config.js";
import { renderFindingsText } from "../report/findings-text.js";
import { renderMarkdown } from "../report/markdown.js";
import { renderSarif } from "../report/sarif.js";
import { renderScanText } from "../report/scan-text.js";
import { rules } from "../rules/index.js";
import { atLeast, SEVERITIES } from "../rules/rule.js";
import type { Severity } from "../rules/rule.js";
import type { ScanResult } from "../scan/result.js";
import { analyze } from "../scan/scan.js";
import { addGlobalOptions, reportFileProblems, scanSettings, styleFor } from "./common.js";
import type { GlobalOptions, Io } from "./common.js";
import { EXIT } from "./exit-codes.js";
import type { ExitCode } from "./exit-codes.js";

interface ScanOptions extends GlobalOptions {
  all?: boolean;
  checks: boolean;
  failOn?: FailOn;
  output?: string;
}

/** Default threshold for exit code 1 when neither --fail-on nor the configuration's failOn says otherwise. */
export const DEFAULT_FAIL_ON: FailOn = "high";

/** `aiwarden scan [paths...]`: every AI dependency of every project, with the chain that pulls it in, and findings. */
export function scanCommand(io: Io, done: (code: ExitCode) => void): Command {
  const command = new Command("scan")
    .description("map the AI dependencies of every project under the paths (default: the current directory) and check the supply chain")
    .argument("[paths...]", "directories or dependency files to scan")
    .option("-a, --all", "list every package in the text output, not only the AI ones")
    .option("--fail-on <severity>", `exit 1 when a finding is at least this severe: ${SEVERITIES.join(", ")} or none (default ${DEFAULT_FAIL_ON}, or failOn in the configuration)`, parseFailOn)
    .option("-o, --output <file>", "write the report to a file instead of standard output (e.g. results.sarif)")
    .option("--no-checks", "only map the dependencies: run no rules (findings stay empty)")
    .addHelpText("after", `
Examples:
  $ aiwarden scan                         scan the current directory
  $ aiwarden scan services/api services/worker
  $ aiwarden scan --all                   every package, not only AI ones
  $ aiwarden scan --format json > deps.json
  $ aiwarden scan --format sarif -o aiwarden.sarif    for GitHub code scanning
  $ aiwarden scan --format markdown       a pull-request comment
  $ aiwarden scan --fail-on critical      fail CI only on critical findings
  $ aiwarden scan path/to/poetry.lock     just one file (and its companions)`);
  addGlobalOptions(command, ["text", "json", "sarif", "markdown"]).action(async (paths: string[], options: ScanOptions) => {
    const analysis = await analyze({ paths, ...scanSettings(options, io), ...(options.checks ? {} : { rules: [] }) });
    const { result } = analysis;
    const report = render(result, options, io);
    if (options.output) {
      const target = resolve(io.cwd, options.output);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, report);
      if (!options.quiet) io.stderr(`aiwarden: wrote ${options.output}\n`);
    } else io.stdout(report);
    for (const error of analysis.ruleErrors) io.stderr(`aiwarden: rule ${error.ruleId} failed and was skipped (a bug, please report it): ${error.message}\n`);
    // The text report already lists file problems; the other formats keep stdout clean and note them on stderr.
    const inputCode = reportFileProblems(result, options, io, options.format === "text" && !options.output);
    done(exitCode(result, options.failOn ?? analysis.config.failOn ?? DEFAULT_FAIL_ON, inputCode));
  });
  return command;
}

function render(result: ScanResult, options: ScanOptions, io: Io): string {
  switch (options.format) {
    case "json": return JSON.stringify(result, null, 2) + "\n";
    case "sarif": return renderSarif(result, rules);
    case "markdown": return renderMarkdown(result, rules);
    default: {
      const style = styleFor(options, io);
      return renderScanText(result, { all: options.all === true, style }) + "\n" + renderFindingsText(result, rules, { style });
    }
  }
}

/** Findings at or above the threshold win (1); otherwise what the input alone calls for (0 or 3). */
export function exitCode(result: ScanResult, failOn: FailOn, inputCode: ExitCode): ExitCode {
  if (failOn !== "none" && result.findings.some((f) => atLeast(f.severity, failOn as Severity))) return EXIT.findings;
  return inputCode;
}

function parseFailOn(value: string): FailOn {
  if (value === "none" || (SEVERITIES as readonly string[]).includes(value)) return value as FailOn;
  throw new InvalidArgumentError(`must be one of ${SEVERITIES.join(", ")}, none`);
}
