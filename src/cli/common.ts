import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Option } from "commander";
import type { Command } from "commander";
import { createStyle } from "../report/style.js";
import type { Style } from "../report/style.js";
import type { ScanResult } from "../scan/result.js";
import { EXIT } from "./exit-codes.js";
import type { ExitCode } from "./exit-codes.js";

/** Options every command accepts. */
export interface GlobalOptions {
  format: string;
  offline?: boolean;
  quiet?: boolean;
  color: boolean;
  maxFileSize?: string;
  config?: string;
  exclude?: string[];
  cacheDir?: string;
}

/** Where a command writes; injectable so tests run commands in-process. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The real process streams. */
export function processIo(): Io {
  // A reader that stops early (`aiwarden scan | head`) closes the pipe: the rest of the output has nobody to read it,
  // so the run ends quietly, as other command-line tools do, instead of with an unhandled EPIPE error.
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount("error") === 0) {
      stream.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
        throw error;
      });
    }
  }
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Adds the options every command shares, so `--help` on each command lists them. */
export function addGlobalOptions(command: Command, formats: string[]): Command {
  return command
    .addOption(new Option("-f, --format <format>", "output format").choices(formats).default(formats[0]))
    .option("--offline", "never touch the network: online sources (OSV, npm advisories, registry metadata) answer from the cache only")
    .option("--cache-dir <dir>", "cache folder for online sources (default: $XDG_CACHE_HOME/aiwarden, or ~/.cache/aiwarden)")
    .option("-q, --quiet", "print only the result: no notes about partial or unsupported files")
    .option("--no-color", "never colour the output (also honoured: NO_COLOR; FORCE_COLOR forces it on)")
    .option("--max-file-size <MB>", "largest dependency file to read, in megabytes", "64")
    .option("-x, --exclude <glob>", "leave out paths matching the glob, relative to the scanned path (repeatable; adds to the configuration's exclude)", collect)
    .option("-c, --config <file>", "configuration file (default: aiwarden.config.json or .aiwarden.yml in the scanned path, then the working directory)");
}

/** Commander option parser for repeatable options: each use appends. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Colour decision: --no-color and NO_COLOR win, FORCE_COLOR forces it, otherwise only on a TTY. */
export function styleFor(options: GlobalOptions, io: Io): Style {
  const forced = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0";
  const color = options.color && !io.env.NO_COLOR && (forced || io.isTTY);
  return createStyle(color);
}

/** The scan options every command derives from the global options. */
export function scanSettings(options: GlobalOptions, io: Io): { cwd: string; env: NodeJS.ProcessEnv; offline: boolean; cacheDir?: string; maxFileBytes?: number; configFile?: string; exclude?: string[] } {
  const bytes = maxFileBytes(options);
  return {
    cwd: io.cwd,
    env: io.env,
    offline: options.offline === true,
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    ...(bytes !== undefined ? { maxFileBytes: bytes } : {}),
    ...(options.config ? { configFile: options.config } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
  };
}

/** Parses --max-file-size into bytes; throws a usage error for nonsense. */
export function maxFileBytes(options: GlobalOptions): number | undefined {
  if (options.maxFileSize === undefined) return undefined;
  const mb = Number(options.maxFileSize);
  if (!Number.isFinite(mb) || mb <= 0) throw new UsageError(`--max-file-size must be a positive number of megabytes, not "${options.maxFileSize}"`);
  return Math.round(mb * 1024 * 1024);
}

/** A mistake on the command line: reported in one line, exit code 2. */
export class UsageError extends Error {}

/**
 * Writes one line per file that was not read cleanly to stderr (failed always; partial and unsupported unless quiet),
 * and returns the exit code the input alone calls for.
 */
export function reportFileProblems(result: ScanResult, options: GlobalOptions, io: Io, alreadyShown: boolean): ExitCode {
  if (!alreadyShown) {
    for (const file of result.files) {
      if (file.status === "ok" || (options.quiet && file.status !== "failed")) continue;
      io.stderr(`aiwarden: ${file.status} ${file.path}: ${file.reason ?? ""}\n`);
    }
  }
  const usable = result.files.some((f) => f.status === "ok" || f.status === "partial");
  if (!usable) {
    io.stderr(result.files.length === 0
      ? "aiwarden: no dependency files found (looked for package-lock.json, yarn.lock, pnpm-lock.yaml, package.json, requirements*.txt, poetry.lock, uv.lock, Pipfile.lock, pyproject.toml, …)\n"
      : "aiwarden: none of the dependency files found could be read\n");
    return EXIT.incomplete;
  }
  return result.files.some((f) => f.status === "failed") ? EXIT.incomplete : EXIT.ok;
}

/**
 * Prints each outside-source notice once (network unreachable, a source that answered partly): findings those sources
 * would give may be missing, which the user must know. `--quiet` keeps them out.
 */
export function reportNotices(notices: ReadonlyArray<{ source: string; message: string }>, options: GlobalOptions, io: Io): void {
  if (options.quiet) return;
  for (const notice of notices) io.stderr(`aiwarden: note: ${notice.source}: ${notice.message}\n`);
}

/** Writes a report to `--output` (creating its folder) or standard output. */
export async function writeReport(report: string, options: GlobalOptions & { output?: string }, io: Io): Promise<void> {
  if (!options.output) {
    io.stdout(report);
    return;
  }
  const target = resolve(io.cwd, options.output);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, report);
  if (!options.quiet) io.stderr(`aiwarden: wrote ${options.output}\n`);
}

/** One stderr line per file the credential scan could not read (over the size limit, unreadable, links out of the root). */
export function reportUnscanned(files: ReadonlyArray<{ path: string; status: string; reason?: string }>, options: GlobalOptions, io: Io): void {
  for (const file of files) {
    if (options.quiet && file.status !== "failed") continue;
    io.stderr(`aiwarden: ${file.status} ${file.path}: ${file.reason ?? ""}\n`);
  }
}
