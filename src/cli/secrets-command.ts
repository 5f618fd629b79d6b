import { Command } from "commander";
import type { FailOn } from "../config/config.js";
import { secretRules } from "../rules/secret-rules.js";
import { SEVERITIES } from "../rules/rule.js";
import type { ScanResult } from "../scan/result.js";
import { analyze } from "../scan/scan.js";
import { addGlobalOptions, reportNotices, reportUnscanned, scanSettings, styleFor, writeReport } from "./common.js";
import type { GlobalOptions, Io } from "./common.js";
import { EXIT } from "./exit-codes.js";
import type { ExitCode } from "./exit-codes.js";
import { DEFAULT_FAIL_ON, exitCode, parseFailOn } from "./fail-on.js";

interface SecretsOptions extends GlobalOptions {
  history?: boolean;
  failOn?: FailOn;
  output?: string;
}

/** `aiwarden secrets [paths...]`: credentials in the files (and with --history, in every commit), never printed. */
export function secretsCommand(io: Io, done: (code: ExitCode) => void): Command {
  const command = new Command("secrets")
    .description("find API keys, tokens and cloud credentials in the files git tracks (and untracked files it does not ignore), .env files, and with --history every commit; keys are shown only as a redacted prefix and a fingerprint")
    .argument("[paths...]", "directories to scan (default: the current directory)")
    .option("--history", "also scan every blob reachable from any ref (branches, tags, stashes)")
    .option("--fail-on <severity>", `exit 1 when a finding is at least this severe: ${SEVERITIES.join(", ")} or none (default ${DEFAULT_FAIL_ON}, or failOn in the configuration)`, parseFailOn)
    .option("-o, --output <file>", "write the report to a file instead of standard output")
    .addHelpText("after", `
Examples:
  $ aiwarden secrets                      the working tree of the current directory
  $ aiwarden secrets --history            and every commit of every branch and tag
  $ aiwarden secrets --format sarif -o secrets.sarif
Accept one line with a comment on it or the line before: aiwarden-ignore: <reason>`);
  addGlobalOptions(command, ["text", "json", "sarif", "markdown"]).action(async (paths: string[], options: SecretsOptions) => {
    const analysis = await analyze({ paths, ...scanSettings(options, io), rules: secretRules, secrets: true, dependencies: false, ...(options.history ? { history: true } : {}) });
    // Only what the credential scan read matters here: dependency files are not this command's business.
    const result: ScanResult = { ...analysis.result, projects: [], files: analysis.secrets.flatMap((s) => s.files) };
    // Each renderer loads only when its format is asked for.
    const report = options.format === "json" ? JSON.stringify(result, null, 2) + "\n"
      : options.format === "sarif" ? (await import("../report/sarif.js")).renderSarif(result, secretRules)
        : options.format === "markdown" ? (await import("../report/markdown.js")).renderMarkdown(result, secretRules)
          : (await import("../report/findings-text.js")).renderFindingsText(result, secretRules, { style: styleFor(options, io) });
    await writeReport(report, options, io);
    reportNotices(analysis.notices, options, io);
    reportUnscanned(result.files, options, io);
    for (const error of analysis.ruleErrors) io.stderr(`aiwarden: rule ${error.ruleId} failed and was skipped (a bug, please report it): ${error.message}\n`);
    const unreadable = result.files.some((f) => f.status === "failed");
    done(exitCode(result, options.failOn ?? analysis.config.failOn ?? DEFAULT_FAIL_ON, unreadable ? EXIT.incomplete : EXIT.ok));
  });
  return command;
}

