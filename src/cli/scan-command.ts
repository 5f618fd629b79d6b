import { Command } from "commander";
import type { FailOn } from "../config/config.js";
import { renderFindingsText } from "../report/findings-text.js";
import { renderMarkdown } from "../report/markdown.js";
import { renderSarif } from "../report/sarif.js";
import { renderScanText } from "../report/scan-text.js";
import { SEVERITIES } from "../rules/rule.js";
import type { Rule } from "../rules/rule.js";
import type { ScanResult } from "../scan/result.js";
import { analyze } from "../scan/scan.js";
import { addGlobalOptions, reportFileProblems, reportNotices, scanSettings, styleFor, writeReport } from "./common.js";
import type { GlobalOptions, Io } from "./common.js";
import type { ExitCode } from "./exit-codes.js";
import { DEFAULT_FAIL_ON, exitCode, parseFailOn } from "./fail-on.js";

interface ScanOptions extends GlobalOptions {
  all?: boolean;
  checks: boolean;
  failOn?: FailOn;
  output?: string;
  osv: boolean;
  npmAdvisories: boolean;
  registry: boolean;
  osvDb?: string;
  secrets: boolean;
  history?: boolean;
}

/** `aiwarden scan [paths...]`: every AI dependency of every project, with the chain that pulls it in, and findings. */
export function scanCommand(io: Io, done: (code: ExitCode) => void): Command {
  const command = new Command("scan")
    .description("map the AI dependencies of every project under the paths (default: the current directory) and check the supply chain")
    .argument("[paths...]", "directories or dependency files to scan")
    .option("-a, --all", "list every package in the text output, not only the AI ones")
    .option("--fail-on <severity>", `exit 1 when a finding is at least this severe: ${SEVERITIES.join(", ")} or none (default ${DEFAULT_FAIL_ON}, or failOn in the configuration)`, parseFailOn)
    .option("-o, --output <file>", "write the report to a file instead of standard output (e.g. results.sarif)")
    .option("--no-checks", "only map the dependencies: run no rules (findings stay empty)")
    .option("--osv-db <dir>", "read advisories from an OSV database folder (osv-scanner layout: <Ecosystem>/all.zip) instead of the OSV API")
    .option("--no-osv", "do not ask OSV for advisories")
    .option("--no-npm-advisories", "do not ask the npm registry's advisory endpoint")
    .option("--no-registry", "do not read registry metadata (release age, removed versions, hashes, signatures, provenance)")
    .option("--no-secrets", "do not scan the files for credentials")
    .option("--history", "also scan every commit of git history for credentials")
    .addHelpText("after", `
Examples:
  $ aiwarden scan                         scan the current directory
  $ aiwarden scan services/api services/worker
  $ aiwarden scan --all                   every package, not only AI ones
  $ aiwarden scan --format json > deps.json
  $ aiwarden scan --format sarif -o aiwarden.sarif    for GitHub code scanning
  $ aiwarden scan --format markdown       a pull-request comment
  $ aiwarden scan --fail-on critical      fail CI only on critical findings
  $ aiwarden scan --offline --osv-db ~/osv    no network: a mirrored OSV database and the cache
  $ aiwarden scan --history               credentials in every commit too
  $ aiwarden scan path/to/poetry.lock     just one file (and its companions)`);
  addGlobalOptions(command, ["text", "json", "sarif", "markdown"]).action(async (paths: string[], options: ScanOptions) => {
    const analysis = await analyze({
      paths, ...scanSettings(options, io), ...(options.checks ? {} : { rules: [] }),
      sources: { osv: options.osv, npmAdvisories: options.npmAdvisories, registry: options.registry },
      ...(options.osvDb ? { osvDb: options.osvDb } : {}),
      ...(options.secrets ? {} : { secrets: false }),
      ...(options.history ? { history: true } : {}),
    });
    const { result } = analysis;
    reportNotices(analysis.notices, options, io);
    // Loaded here, not at start-up, and only for the formats that describe rules: JSON carries the findings alone.
    const rules = options.format === "json" ? [] : (await import("../rules/index.js")).rules;
    await writeReport(render(result, rules, options, io), options, io);
    for (const error of analysis.ruleErrors) io.stderr(`aiwarden: rule ${error.ruleId} failed and was skipped (a bug, please report it): ${error.message}\n`);
    // The text report already lists file problems; the other formats keep stdout clean and note them on stderr.
    const inputCode = reportFileProblems(result, options, io, options.format === "text" && !options.output);
    done(exitCode(result, options.failOn ?? analysis.config.failOn ?? DEFAULT_FAIL_ON, inputCode));
  });
  return command;
}

function render(result: ScanResult, rules: readonly Rule[], options: ScanOptions, io: Io): string {
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
