import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Command } from "commander";
import { diffManifest, manifestSections, parseManifest, renderManifest, renderManifestDiff } from "../report/manifest.js";
import { analyze } from "../scan/scan.js";
import { describeError } from "../discover/fs-errors.js";
import { addGlobalOptions, reportFileProblems, scanSettings } from "./common.js";
import type { GlobalOptions, Io } from "./common.js";
import { EXIT } from "./exit-codes.js";
import type { ExitCode } from "./exit-codes.js";

/** Where `--check` looks when no -o is given, inside the scanned path. */
export const DEFAULT_MANIFEST = "docs/ai-dependency-manifest.txt";

interface ManifestOptions extends GlobalOptions {
  output?: string;
  check?: boolean;
}

/** `aiwarden manifest [path]`: a committed baseline of the AI dependencies, and a check that it is current. */
export function manifestCommand(io: Io, done: (code: ExitCode) => void): Command {
  const command = new Command("manifest")
    .description("write a stable, sorted, diff-friendly baseline of the AI dependencies per project, or check it")
    .argument("[path]", "directory to scan", ".")
    .option("-o, --output <file>", "write the manifest to this file (default: print it); with --check, the file to compare")
    .option("--check", `exit 1 and print the differences when the committed manifest (default ${DEFAULT_MANIFEST} in the path) is out of date`)
    .addHelpText("after", `
Examples:
  $ aiwarden manifest -o ${DEFAULT_MANIFEST}        create or update the baseline
  $ aiwarden manifest --check                       in CI: fail when an AI dependency appears, changes or goes
  $ aiwarden manifest services/api -o services/api/ai-deps.txt`);
  addGlobalOptions(command, ["text"]).action(async (path: string, options: ManifestOptions) => {
    const { result } = await analyze({ paths: [path], ...scanSettings(options, io), rules: [] });
    const inputCode = reportFileProblems(result, options, io, false);
    const rendered = renderManifest(result);
    if (!options.check) {
      if (!options.output) io.stdout(rendered);
      else {
        const target = resolve(io.cwd, options.output);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, rendered);
        if (!options.quiet) io.stderr(`aiwarden: wrote ${options.output}\n`);
      }
      return done(inputCode);
    }
    const file = options.output ?? (path === "." ? DEFAULT_MANIFEST : `${path.replace(/\/+$/, "")}/${DEFAULT_MANIFEST}`);
    let committed: string;
    try {
      committed = await readFile(resolve(io.cwd, file), "utf8");
    } catch (error) {
      io.stderr(`aiwarden: cannot read the manifest ${file}: ${describeError(error)}. Create it with: aiwarden manifest ${path} -o ${file}\n`);
      return done(EXIT.findings);
    }
    const parsed = parseManifest(committed);
    if (parsed.errors.length > 0) {
      io.stderr(`aiwarden: ${file} is not an aiwarden manifest (${parsed.errors[0]}). Regenerate it with: aiwarden manifest ${path} -o ${file}\n`);
      return done(EXIT.findings);
    }
    const changes = diffManifest(parsed.sections, manifestSections(result));
    if (changes.length === 0) {
      if (!options.quiet) io.stdout(`AI dependency manifest ${file} is up to date.\n`);
      return done(inputCode);
    }
    io.stdout(`AI dependency manifest ${file} is out of date:\n${renderManifestDiff(changes)}Review the change, then update it: aiwarden manifest ${path} -o ${file}\n`);
    done(EXIT.findings);
  });
  return command;
}
