import { Command } from "commander";
import { renderScanText } from "../report/scan-text.js";
import { analyze } from "../scan/scan.js";
import { addGlobalOptions, reportFileProblems, scanSettings, styleFor } from "./common.js";
import type { GlobalOptions, Io } from "./common.js";
import type { ExitCode } from "./exit-codes.js";

interface ScanOptions extends GlobalOptions {
  all?: boolean;
}

/** `aiwarden scan [paths...]`: every AI dependency of every project, with the chain that pulls it in. */
export function scanCommand(io: Io, done: (code: ExitCode) => void): Command {
  const command = new Command("scan")
    .description("map the AI dependencies of every project under the paths (default: the current directory)")
    .argument("[paths...]", "directories or dependency files to scan")
    .option("-a, --all", "list every package in the text output, not only the AI ones")
    .addHelpText("after", `
Examples:
  $ aiwarden scan                         scan the current directory
  $ aiwarden scan services/api services/worker
  $ aiwarden scan --all                   every package, not only AI ones
  $ aiwarden scan --format json > deps.json
  $ aiwarden scan path/to/poetry.lock     just one file (and its companions)`);
  addGlobalOptions(command, ["text", "json"]).action(async (paths: string[], options: ScanOptions) => {
    const { result } = await analyze({ paths, ...scanSettings(options, io) });
    const text = options.format === "json";
    io.stdout(text ? JSON.stringify(result, null, 2) + "\n" : renderScanText(result, { all: options.all === true, style: styleFor(options, io) }));
    // The text report already lists file problems; JSON keeps stdout clean and notes them on stderr.
    done(reportFileProblems(result, options, io, !text));
  });
  return command;
}
