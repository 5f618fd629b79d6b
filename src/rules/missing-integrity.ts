import type { PackageNode } from "../graph/package-node.js";
import type { BlastRadius, ContextProject, FindingDraft, Rule, ScanContext, Severity } from "./rule.js";
import { severityByBlastRadius } from "./rule.js";
import {
  berryConditional, count, isCompileInput, listSome, lockEntry, nameVersion, packageOf, requirementsSets, site, textLines, widerRadius,
} from "./support/supply-chain.js";

/** Base severity: without a hash the lockfile pins a version, not its bytes (see the docs for the scale). */
const BASE: Severity = "low";

/** At least this many affected entries, making up at least half of a lockfile, are one finding about the file. */
const WHOLE_FILE_MIN = 20;

/** How each lockfile format records hashes, and how to get them back. */
const FIX_BY_FORMAT: Readonly<Record<string, string>> = {
  "npm-lock": "Delete the affected entries (or the lockfile) and run `npm install --package-lock-only`: npm records `integrity` for every registry tarball. Review the diff before committing.",
  "yarn-lock": "Delete the affected entries and run `yarn install`: yarn 1.10+ records `integrity`, yarn 2+ a `checksum` (do not set `checksumBehavior: ignore`).",
  "pnpm-lock": "Run `pnpm install --lockfile-only`: pnpm records `resolution.integrity` for every registry and tarball package.",
  "poetry-lock": "Run `poetry lock` (Poetry records the `files` hashes the index serves; a private source that serves none needs fixing on the index side).",
  "uv-lock": "Run `uv lock` against an index that serves hashes (uv records the `sdist`/`wheels` hashes the index publishes).",
  "pipfile-lock": "Run `pipenv lock`: pipenv records the `hashes` of every file it may install.",
};

/**
 * AIW-HASH-001: a locked package without any integrity hash. A lockfile entry without a hash pins a version but not
 * its bytes, so whatever the registry, a mirror or a proxy serves for that version is installed unverified.
 * Requirements files are judged per file: without a single `--hash` (pip-compile's default output) they are one
 * finding; with some hashes they are AIW-HASH-003's business (pip then refuses the unhashed lines).
 */
export const missingIntegrity: Rule = {
  id: "AIW-HASH-001",
  title: "Locked package has no integrity hash",
  severity: BASE,
  docs: {
    what: "A lockfile entry for a registry or tarball package that records no integrity hash (npm/yarn `integrity`, yarn berry `checksum`, pnpm `resolution.integrity`, poetry `files`, uv `sdist`/`wheels` hashes, Pipfile.lock `hashes`), or a requirements file in which no requirement carries `--hash`. Entries that never carry a hash by design are left alone: workspace and linked folders, git and path sources (AIW-SOURCE-001), npm bundled dependencies, yarn berry packages of other platforms (`conditions:`), uv editable and virtual projects. One finding per package; when at least 20 entries and half of a lockfile lack hashes (an old or hash-less tool wrote it), one finding for the file. Severity: low, medium for an AI package or anything in an AI package's dependency subtree; a file-level finding takes the widest blast radius of the packages it covers.",
    why: "The version pin says which release to install; only the hash says which bytes. Without it a compromised or misconfigured mirror, proxy or registry can serve different code for the same version and the install succeeds. PyPI lets a release gain new files after publication (a new wheel for an existing version), so for Python a hash is the only way to freeze what gets installed; an AI package's dependencies run with the API keys the AI package is given.",
    fix: "Regenerate the lockfile with a tool and registry that record hashes; for requirements files, generate them with `pip-compile --generate-hashes` or `uv pip compile --generate-hashes` and install with `pip install --require-hashes`.",
    references: [
      "https://docs.npmjs.com/cli/configuring-npm/package-lock-json#packages",
      "https://pip.pypa.io/en/stable/topics/secure-installs/#hash-checking-mode",
      "https://docs.astral.sh/uv/pip/compile/#generating-hashes",
    ],
  },
  check(context) {
    const drafts: FindingDraft[] = [];
    for (const project of context.projects) {
      if (!project.locked || project.extractorId === "pip-requirements") continue;
      drafts.push(...lockfileFindings(context, project));
    }
    drafts.push(...requirementsFindings(context));
    return drafts;
  },
};

/** Registry and tarball packages the project's lockfile locks, and whether each is missing its hash. */
function lockfileFindings(context: ScanContext, project: ContextProject): FindingDraft[] {
  const primary = project.files[0] ?? project.path;
  const berry = project.extractorId === "yarn-lock" && /(?:^|\n)__metadata:/.test(context.texts.get(primary) ?? "");
  const lines = berry ? textLines(context, primary) : undefined;
  let eligible = 0;
  const missing: PackageNode[] = [];
  for (const node of project.graph.packages()) {
    if ((node.source !== "registry" && node.source !== "url") || node.workspace || node.bundled) continue;
    const entry = lockEntry(project, node);
    if (!entry) continue;
    // Yarn berry only checksums what it fetched: packages of other platforms carry `conditions` and no checksum.
    if (lines && entry.line !== undefined && node.hashes.length === 0 && berryConditional(lines, entry.line)) continue;
    eligible++;
    if (node.hashes.length === 0) missing.push(node);
  }
  if (missing.length === 0) return [];
  const fix = FIX_BY_FORMAT[project.extractorId] ?? "Regenerate the lockfile so that it records an integrity hash for every package.";
  if (missing.length >= WHOLE_FILE_MIN && missing.length * 2 >= eligible) {
    // The whole file lacks hashes (an old or hash-less tool wrote it): one finding, the fix is the same for all.
    let radius: BlastRadius = "other";
    for (const node of missing) radius = widerRadius(radius, project.blastRadius(node));
    const ai = missing.filter((n) => project.blastRadius(n) !== "other").map(nameVersion);
    return [{
      severity: severityByBlastRadius(BASE, radius),
      message: `${primary} records no integrity hash for ${missing.length} of its ${eligible} registry packages${ai.length > 0 ? `, including ${listSome(ai)} in the AI stack` : ""}: their bytes are installed unverified.`,
      fix,
      file: primary,
      project: project.path,
      key: [primary],
    }];
  }
  return missing.map((node) => ({
    severity: severityByBlastRadius(BASE, project.blastRadius(node)),
    message: `${nameVersion(node)} is locked in ${primary} without an integrity hash: whatever bytes the registry or a mirror serves for this version are installed unverified.`,
    fix,
    ...site(lockEntry(project, node), primary),
    project: project.path,
    package: packageOf(project, node),
    key: [project.path, node.id],
  }));
}

/**
 * One finding per requirements file that pip installs without a single `--hash` (and without `--require-hashes`
 * anywhere in the set it is installed with). Compile inputs (`.in`) are loose by intent and left alone.
 */
function requirementsFindings(context: ScanContext): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const set of requirementsSets(context)) {
    if (isCompileInput(set.primary)) continue;
    // Any hash (or --require-hashes) switches pip to hash-checking mode for the whole set: AIW-HASH-003's case.
    if (set.requireHashes || set.requirements.some((r) => r.line.hashes.length > 0)) continue;
    for (const { path, parsed } of set.files) {
      if (isCompileInput(path)) continue;
      const fetched = set.requirements.filter((r) => r.file === path && (r.target?.source === "registry" || r.target?.source === "url"));
      if (fetched.length === 0) continue;
      const names = new Set(fetched.map((r) => r.target?.name as string));
      let radius: BlastRadius = "other";
      const ai: string[] = [];
      for (const node of set.project.graph.packages()) {
        if (!names.has(node.name) || !node.locations.some((l) => l.file === path)) continue;
        const r = set.project.blastRadius(node);
        radius = widerRadius(radius, r);
        if (r === "ai") ai.push(node.name);
      }
      const first = fetched[0]?.line.line;
      const command = parsed.compileCommand?.text;
      drafts.push({
        severity: severityByBlastRadius(BASE, radius),
        message: `No hashes in ${path}: ${count(names.size, "package")} ${names.size === 1 ? "is" : "are"} installed without verification${ai.length > 0 ? `, AI packages among them (${listSome([...new Set(ai)].sort())})` : ""}.`,
        fix: command
          ? `Add \`--generate-hashes\` to the command that writes it (\`${command}\`), then install with \`pip install --require-hashes -r ${path}\`.`
          : `Pin every requirement with \`==\` and generate hashes (\`pip-compile --generate-hashes\` or \`uv pip compile --generate-hashes\`), then install with \`pip install --require-hashes -r ${path}\`.`,
        file: path,
        ...(first !== undefined ? { line: first } : {}),
        project: set.project.path,
        key: [path],
      });
    }
  }
  return drafts;
}
