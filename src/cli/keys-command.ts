import { Command } from "commander";
import { renderKeyInventory, renderRotationPlan } from "../report/keys-text.js";
import type { Analysis } from "../scan/scan.js";
import { analyze } from "../scan/scan.js";
import { keyOccurrences } from "../secrets/facts.js";
import { buildInventory, rotationPlan } from "../secrets/hygiene.js";
import type { KeyInventoryEntry, KeyRegistry } from "../secrets/hygiene.js";
import { TOOL } from "../version.js";
import { addGlobalOptions, reportNotices, reportUnscanned, scanSettings, styleFor, writeReport } from "./common.js";
import type { GlobalOptions, Io } from "./common.js";
import { EXIT } from "./exit-codes.js";
import type { ExitCode } from "./exit-codes.js";

interface KeysOptions extends GlobalOptions {
  history?: boolean;
  output?: string;
}

/** `aiwarden keys [paths...]` (the inventory) and `aiwarden keys rotate-plan [paths...]`. */
export function keysCommand(io: Io, done: (code: ExitCode) => void): Command {
  const keys = new Command("keys")
    .description("the credentials of the projects: where each key is referenced and which environments and services it feeds (list, the default), and which to rotate first (rotate-plan)")
    .addHelpText("after", `
Examples:
  $ aiwarden keys                         inventory of the current directory
  $ aiwarden keys services/api services/worker --format json
  $ aiwarden keys rotate-plan --history   what to rotate first, counting keys only git history still holds
Keys are shown only as a redacted prefix and a fingerprint (16 hex characters of SHA-256 of the key).
A rotation registry (aiwarden.keys.json, or keys: in the configuration) adds owners, environments and creation dates.`);
  const list = new Command("list")
    .description("every credential found, with its places, environments, services and variables")
    .argument("[paths...]", "directories to scan (default: the current directory); keys shared between them show up as shared");
  const plan = new Command("rotate-plan")
    .description("per provider, which keys to rotate first and which services and variables each one feeds")
    .argument("[paths...]", "directories to scan (default: the current directory)");
  for (const sub of [list, plan]) {
    sub.option("--history", "also count keys found only in git history");
    addGlobalOptions(sub, ["text", "json"]).option("-o, --output <file>", "write to a file instead of standard output");
  }
  list.action(async (paths: string[], options: KeysOptions) => {
    const { inventory, analysis } = await inventoryOf(paths, options, io);
    const report = options.format === "json"
      ? JSON.stringify({ schemaVersion: 1, tool: { ...TOOL }, keys: inventory }, null, 2) + "\n"
      : renderKeyInventory(inventory, styleFor(options, io));
    await finish(report, analysis, options, io, done);
  });
  plan.action(async (paths: string[], options: KeysOptions) => {
    const { inventory, analysis, registry } = await inventoryOf(paths, options, io);
    const steps = rotationPlan(inventory, registry, today());
    const report = options.format === "json"
      ? JSON.stringify({ schemaVersion: 1, tool: { ...TOOL }, providers: Object.fromEntries(steps) }, null, 2) + "\n"
      : renderRotationPlan(steps, styleFor(options, io));
    await finish(report, analysis, options, io, done);
  });
  keys.addCommand(list, { isDefault: true });
  keys.addCommand(plan);
  return keys;
}

async function inventoryOf(paths: string[], options: KeysOptions, io: Io): Promise<{ inventory: KeyInventoryEntry[]; analysis: Analysis; registry?: KeyRegistry }> {
  // No rules: only the credential scan's facts are needed.
  const analysis = await analyze({ paths, ...scanSettings(options, io), rules: [], secrets: true, dependencies: false, ...(options.history ? { history: true } : {}) });
  const occurrences = analysis.secrets.flatMap((s) => keyOccurrences(s.facts));
  const inventory = buildInventory(occurrences, { environments: analysis.config.environments, services: analysis.config.services });
  const registry = analysis.secrets.find((s) => s.keyRegistry)?.keyRegistry;
  return { inventory, analysis, ...(registry ? { registry } : {}) };
}

async function finish(report: string, analysis: Analysis, options: KeysOptions, io: Io, done: (code: ExitCode) => void): Promise<void> {
  await writeReport(report, options, io);
  reportNotices(analysis.notices, options, io);
  const files = analysis.secrets.flatMap((s) => s.files);
  reportUnscanned(files, options, io);
  done(files.some((f) => f.status === "failed") ? EXIT.incomplete : EXIT.ok);
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
