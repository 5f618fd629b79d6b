import type { BlastRadius, FindingDraft, Rule, Severity } from "./rule.js";
import { nameVersion, packageOf, site } from "./support/supply-chain.js";

/** Severity by where the package sits: the AI package itself ranks highest (see the docs). */
const SEVERITY: Readonly<Record<BlastRadius, Severity>> = { other: "low", "ai-subtree": "medium", ai: "high" };

/** How to keep scripts from running, per lockfile format. */
const FIX_BY_FORMAT: Readonly<Record<string, (name: string) => string>> = {
  "npm-lock": () => "install with `npm ci --ignore-scripts` (or `ignore-scripts=true` in .npmrc) and run `npm rebuild <name>` only for the packages that need their script",
  "pnpm-lock": (name) => `leave ${name} out of \`pnpm.onlyBuiltDependencies\` (package.json): pnpm then skips its script`,
};

/**
 * AIW-SCRIPT-001: a locked package that runs a script at install time (npm `hasInstallScript`, pnpm `requiresBuild`).
 * The script runs with the environment of whoever installs: a developer's shell or the CI job, tokens included.
 * Formats that do not record it (npm lockfileVersion 1, yarn, pnpm 9, Python lockfiles) are not judged.
 */
export const installScript: Rule = {
  id: "AIW-SCRIPT-001",
  title: "Package runs an install script",
  severity: "low",
  docs: {
    what: "A package the lockfile marks as running a `preinstall`, `install` or `postinstall` script (or a native build) when it is installed: npm lockfileVersion 2/3 `hasInstallScript`, pnpm 5–8 `requiresBuild`. npm lockfileVersion 1, yarn, pnpm 9+ and Python lockfiles do not record it. Severity: low; medium inside an AI package's dependency subtree; high for an AI package itself. Packages listed under `installScripts.allow` in the configuration (`name` or `name@version`) are accepted. No allowlist is built in: the packages that legitimately build at install time (esbuild, sharp, @swc/core…) are the most attractive ones to compromise, so trusting them is the project's decision.",
    why: "An install script is arbitrary code that runs before anyone has looked at or used the package, with the installer's environment: CI tokens, cloud credentials, the API keys an AI project keeps in its environment. Hijacked releases such as ua-parser-js (2021) and the Shai-Hulud npm worm (2025) ran their payload from install scripts, and the token behind the poisoned litellm releases was stolen by code running inside a CI job.",
    fix: "Install with scripts disabled (`npm ci --ignore-scripts`, pnpm `onlyBuiltDependencies`) and rebuild only the packages that need it; review the script of each remaining package and accept it under `installScripts.allow` in the aiwarden configuration.",
    references: [
      "https://docs.npmjs.com/cli/using-npm/scripts#life-cycle-scripts",
      "https://pnpm.io/package_json#pnpmonlybuiltdependencies",
      "https://github.blog/security/supply-chain-security/our-plan-for-a-more-secure-npm-supply-chain/",
    ],
  },
  check(context) {
    const allow = new Set(context.config.installScripts.allow.map((a) => a.trim()));
    const drafts: FindingDraft[] = [];
    for (const project of context.projects) {
      const primary = project.files[0] ?? project.path;
      const seen = new Set<string>();
      for (const node of project.graph.packages()) {
        if (!node.hasInstallScript || node.workspace) continue;
        // One finding per package, not per installed copy or peer variant.
        const id = nameVersion(node);
        if (seen.has(id)) continue;
        seen.add(id);
        if (allow.has(node.name) || allow.has(id)) continue;
        const radius = project.blastRadius(node);
        const how = FIX_BY_FORMAT[project.extractorId]?.(node.name) ?? "install with scripts disabled and rebuild only the packages that need it";
        drafts.push({
          severity: SEVERITY[radius],
          message: `${id} runs an install script${radius === "ai" ? ", and it is an AI package" : radius === "ai-subtree" ? " inside an AI package's dependency tree" : ""}: the script executes with the credentials of whoever installs it, CI included.`,
          fix: `Review what ${node.name}'s install script does; if it is not needed, ${how}. If it is, accept it with \`installScripts: { allow: ["${id}"] }\` in the aiwarden configuration.`,
          ...site(node.locations[0], primary),
          project: project.path,
          package: packageOf(project, node),
          key: [project.path, id],
        });
      }
    }
    return drafts;
  },
};
