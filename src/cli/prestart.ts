// The first thing the CLI does for commands that scan the files for secrets: start the scan's worker threads (see
// prestartScanThreads in src/secrets/scan-threads.ts). A worker takes 70-150 ms to start, about as long as the CLI
// takes to load its own modules, read the configuration and list the tree; started here, it is ready when the first
// files are listed instead of after the last. This module imports nothing else of the CLI, so that it runs first.

/** Whether the arguments (without `node` and the script) run a command that scans the files for secrets. */
export function scansSecrets(argv: readonly string[]): boolean {
  const [command] = argv;
  if (argv.some((a) => a === "-h" || a === "--help" || a === "-V" || a === "--version")) return false;
  if (command === "secrets" || command === "keys") return true;
  return command === "scan" && !argv.includes("--no-secrets");
}

/** Starts the secret scan's workers when the command will scan for secrets. */
export async function prestartFor(argv: readonly string[]): Promise<void> {
  if (scansSecrets(argv)) (await import("../secrets/scan-threads.js")).prestartScanThreads();
}
