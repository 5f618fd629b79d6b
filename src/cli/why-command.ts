import { Command, InvalidArgumentError } from "commander";
import { renderWhyText } from "../report/why-text.js";
import { analyze } from "../scan/scan.js";
import { why } from "../scan/why.js";
import { addGlobalOptions, reportFileProblems, scanSettings, styleFor } from "./common.js";
import type { GlobalOptions, Io } from "./common.js";
import { EXIT } from "./exit-codes.js";
import type { ExitCode } from "./exit-codes.js";

interface WhyOptions extends GlobalOptions {
  limit: number;
}

/** `aiwarden why <package> [path]`: every chain that pulls a package in, in every project. */
export function whyCommand(io: Io, done: (code: ExitCode) => void): Command {
  const command = new Command("why")
    .description("show every chain that pulls a package in, in every project under the path")
    .argument("<package>", "package name, or name@version (PyPI names match in any spelling: LiteLLM, lite_llm → litellm)")
    .argument("[path]", "directory or dependency file to scan", ".")
    .option("-n, --limit <count>", "chains to show per package version", parseCount, 20)
    .addHelpText("after", `
Examples:
  $ aiwarden why litellm                  which projects hold litellm, and through what
  $ aiwarden why litellm@1.82.8 services/
  $ aiwarden why @langchain/core --limit 5
  $ aiwarden why openai --format json

Exit status is 1 when no project holds the package.`);
  addGlobalOptions(command, ["text", "json"]).action(async (query: string, path: string, options: WhyOptions) => {
    const { result, projects } = await analyze({ paths: [path], ...scanSettings(options, io), rules: [] });
    const matches = why(projects, query, options.limit);
    io.stdout(options.format === "json"
      ? JSON.stringify({ schemaVersion: result.schemaVersion, query, matches }, null, 2) + "\n"
      : renderWhyText(query, matches, styleFor(options, io)));
    const inputCode = reportFileProblems(result, options, io, false);
    done(matches.length === 0 ? EXIT.findings : inputCode);
  });
  return command;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number of at least 1");
  return n;
}
