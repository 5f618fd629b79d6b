import { Command, CommanderError } from "commander";
import { TOOL } from "../version.js";
import { ConfigError } from "../config/config.js";
import { UsageError, processIo } from "./common.js";
import type { Io } from "./common.js";
import { EXIT } from "./exit-codes.js";
import type { ExitCode } from "./exit-codes.js";

type CommandFactory = (io: Io, done: (code: ExitCode) => void) => Command;

/**
 * The commands, in the order help lists them, each loaded only when needed: a run loads the one it names (its
 * modules are most of the start-up time), help and unknown names load them all.
 */
const COMMANDS: ReadonlyArray<[string, () => Promise<CommandFactory>]> = [
  ["scan", async () => (await import("./scan-command.js")).scanCommand],
  ["why", async () => (await import("./why-command.js")).whyCommand],
  ["manifest", async () => (await import("./manifest-command.js")).manifestCommand],
  ["secrets", async () => (await import("./secrets-command.js")).secretsCommand],
  ["keys", async () => (await import("./keys-command.js")).keysCommand],
];

/**
 * Runs the CLI with the given arguments (without `node` and the script) and resolves to the exit code.
 * Commands write through `io`, so tests can run them in-process.
 */
export async function runCli(argv: string[], io: Io = processIo()): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const done = (code: ExitCode) => {
    exitCode = code;
  };
  const program = new Command("aiwarden")
    .description("Secure the AI stack of a project: map every AI dependency and the chain that pulls it in, check the supply chain, find credentials.")
    .version(TOOL.version, "-V, --version", "print the aiwarden version")
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .addHelpText("after", `
Examples:
  $ aiwarden scan                       AI dependencies of every project under the current directory
  $ aiwarden why litellm                every chain that pulls litellm in
  $ aiwarden manifest --check           fail when the committed AI dependency baseline is out of date
  $ aiwarden secrets --history          credentials in the files and in every commit (never printed)
  $ aiwarden keys rotate-plan           which keys to rotate first, and what each one feeds

Exit status: 0 ok, 1 findings (or manifest out of date, or why found nothing), 2 usage error,
3 some input could not be read.`);
  const named = COMMANDS.filter(([name]) => name === argv[0]);
  for (const [, load] of named.length > 0 ? named : COMMANDS) program.addCommand((await load())(io, done));
  // Every command and subcommand reports through `io` and returns instead of exiting.
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    for (const sub of command.commands) configure(sub);
  };
  for (const command of program.commands) configure(command);
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version requests end through here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`aiwarden: ${error.message}\n`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`aiwarden: ${message.split("\n")[0]}\n`);
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? EXIT.usage : EXIT.incomplete;
  }
}
