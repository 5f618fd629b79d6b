// Text renderers of `aiwarden keys`: the inventory of credentials (where each is referenced, which environments and
// services it feeds) and the rotation plan. Keys appear only as a redacted prefix and a fingerprint.
import type { KeyInventoryEntry, RotationStep } from "../secrets/hygiene.js";
import { printable } from "./findings-text.js";
import type { Style } from "./style.js";

/** Places listed per key before "and N more". */
const MAX_PLACES = 8;

/** The inventory, one block per key, grouped by provider. */
export function renderKeyInventory(inventory: readonly KeyInventoryEntry[], style: Style): string {
  if (inventory.length === 0) return "No credentials found.\n";
  const lines: string[] = [];
  let provider: string | undefined;
  for (const key of inventory) {
    if (key.provider !== provider) {
      if (provider !== undefined) lines.push("");
      provider = key.provider;
      lines.push(style.bold(key.provider));
    }
    lines.push(`  ${key.fingerprint}  ${printable(key.redacted)}  ${style.dim(key.detector)}`);
    lines.push(`    environments: ${key.environments.length > 0 ? key.environments.join(", ") : style.dim("unknown")}` +
      `   services: ${key.services.length > 0 ? key.services.map(serviceLabel).join(", ") : style.dim("history only")}` +
      (key.variables.length > 0 ? `   variables: ${key.variables.join(", ")}` : ""));
    for (const place of key.locations.slice(0, MAX_PLACES)) lines.push(`    ${printable(`${place.path}:${place.line}`)}${place.historyOnly ? style.dim("  (git history only)") : ""}`);
    if (key.locations.length > MAX_PLACES) lines.push(style.dim(`    … and ${key.locations.length - MAX_PLACES} more (--format json lists all)`));
  }
  const shared = inventory.filter((k) => k.environments.length > 1 || k.services.length > 1).length;
  lines.push("", `${inventory.length} credential${inventory.length === 1 ? "" : "s"}${shared > 0 ? style.yellow(`, ${shared} shared across environments or services`) : ""}.`);
  return lines.join("\n") + "\n";
}

/** The rotation plan: per provider, most urgent first, with what to update after each rotation. */
export function renderRotationPlan(plan: ReadonlyMap<string, readonly RotationStep[]>, style: Style): string {
  if (plan.size === 0) return "No credentials found: nothing to rotate.\n";
  const lines: string[] = [];
  for (const [provider, steps] of plan) {
    if (lines.length > 0) lines.push("");
    lines.push(style.bold(provider));
    steps.forEach((step, i) => {
      const why = step.reasons.length > 0 ? step.reasons.join("; ") : "routine rotation";
      lines.push(`  ${i + 1}. ${step.fingerprint}  ${printable(step.redacted)}  ${step.urgency >= 30 ? style.red(why) : why}`);
      const feeds = [
        step.services.length > 0 ? `services ${step.services.map(serviceLabel).join(", ")}` : undefined,
        step.environments.length > 0 ? `environments ${step.environments.join(", ")}` : undefined,
        step.variables.length > 0 ? `variables ${step.variables.join(", ")}` : undefined,
      ].filter((x): x is string => x !== undefined);
      if (feeds.length > 0) lines.push(`     update: ${feeds.join("; ")}`);
      if (step.ageDays !== undefined) lines.push(style.dim(`     created ${step.ageDays} days ago`));
    });
  }
  lines.push("", style.dim("Rotate at the provider first, then update every place listed, then revoke the old key."));
  return lines.join("\n") + "\n";
}

/** The service of files at the top of a repository is ".": say so in words. */
function serviceLabel(service: string): string {
  return service === "." ? "(repository root)" : service;
}
