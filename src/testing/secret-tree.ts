// Test-only: fixture trees and repositories with planted credentials, built at run time so that no key-shaped string
// is stored in the repository (GitHub push protection and aiwarden's own scan would flag it). Fixture folders hold
// templates: `{{key:<detector>}}` (or `{{key:<detector>:<variant>}}` for a second, different key) is replaced by a
// format-valid made-up key from the detector's true sample (src/secrets/samples.ts), `{{random:<class>:<n>}}` by n
// pseudo-random characters, and a leading `dot-` in a file or folder name becomes `.` (`dot-env` → `.env`), so the
// templates are never mistaken for real dotfiles.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadDetectors } from "../secrets/detect.js";
import { loadDetectorDocument } from "../secrets/detectors.js";
import { expandSample } from "../secrets/samples.js";
import { scanSecrets } from "../secrets/scan-tree.js";
import type { SecretScan } from "../secrets/scan-tree.js";
import { repoRoot } from "./fixtures.js";

/** One planted credential: the detector meant to find it, the key, and the text that plants it (with its context). */
export interface PlantedKey {
  detector: string;
  secret: string;
  /** The key as written in a file: the sample's text, which for context detectors includes the assignment. */
  text: string;
}

/** A key for a detector; `variant` gives a different key of the same format. */
export function plantedKey(detector: string, variant = ""): PlantedKey {
  const spec = loadDetectorDocument().detectors.find((d) => d.id === detector);
  if (!spec) throw new Error(`no detector "${detector}"`);
  const template = spec.samples.true[0] as string;
  const sample = expandSample(template, `planted:${detector}:${variant}`);
  return { detector, secret: sample.secret, text: sample.text };
}

/** One planted key per shipped detector. */
export function plantedKeys(variant = ""): PlantedKey[] {
  return loadDetectorDocument().detectors.map((d) => plantedKey(d.id, variant));
}

/** Fills one template text; records every key it plants in `planted`. */
export function fillTemplate(text: string, planted: PlantedKey[]): string {
  return text
    .replace(/\{\{random:([A-Za-z0-9]+):(\d+)\}\}/g, (_whole, name: string, count: string) => expandSample(`{${name}:${count}}`, `random:${name}:${count}`).text)
    .replace(/\{\{key:([a-z0-9-]+)(?::([a-z0-9-]+))?\}\}/g, (_whole, detector: string, variant: string | undefined) => {
      const key = plantedKey(detector, variant ?? "");
      planted.push(key);
      return key.secret;
    });
}

/**
 * Copies a template folder into `target` (created), renaming `dot-` names and filling templates. Returns the keys
 * planted, each with the root-relative path of the file it went into.
 */
export function materialize(templateDir: string, target: string): Array<PlantedKey & { path: string }> {
  const planted: Array<PlantedKey & { path: string }> = [];
  copy(templateDir, target, "");
  return planted;

  function copy(from: string, to: string, rel: string): void {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from).sort()) {
      const real = name.startsWith("dot-") ? `.${name.slice(4)}` : name;
      const source = join(from, name);
      const path = rel ? `${rel}/${real}` : real;
      if (statSync(source).isDirectory()) {
        copy(source, join(to, real), path);
        continue;
      }
      const keys: PlantedKey[] = [];
      writeFileSync(join(to, real), fillTemplate(readFileSync(source, "utf8"), keys));
      for (const key of keys) planted.push({ ...key, path });
    }
  }
}

/** Writes files (root-relative path → text) under a root, creating folders. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Runs git in a test repository with a fixed identity and, when given, a fixed author and committer date. */
export function gitIn(dir: string, args: string[], date?: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_AUTHOR_NAME: "aiwarden test", GIT_AUTHOR_EMAIL: "test@example.invalid", GIT_COMMITTER_NAME: "aiwarden test", GIT_COMMITTER_EMAIL: "test@example.invalid" };
  for (const name of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"]) delete env[name];
  if (date) {
    env.GIT_AUTHOR_DATE = date;
    env.GIT_COMMITTER_DATE = date;
  }
  return execFileSync("git", ["-C", dir, "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", ...args], { env, encoding: "utf8" });
}

/**
 * The planted keys that appear in `output`, whole or as any 12-character window of the part after the detector's
 * public prefix (which redacted output may show). Empty means nothing leaked.
 */
export function leakedKeys(output: string, keys: readonly PlantedKey[]): PlantedKey[] {
  const prefixes = new Map(loadDetectorDocument().detectors.map((d) => [d.id, [...(d.prefixes ?? [])].sort((a, b) => b.length - a.length)]));
  return keys.filter((key) => {
    if (output.includes(key.secret)) return true;
    const prefix = (prefixes.get(key.detector) ?? []).find((p) => key.secret.startsWith(p)) ?? "";
    const body = key.secret.slice(prefix.length);
    for (let i = 0; i + 12 <= body.length; i++) if (output.includes(body.slice(i, i + 12))) return true;
    return false;
  });
}

/** The shared fixture tree (src/secrets/fixtures/tree) as a scanned git repository. */
export interface SecretFixture {
  root: string;
  /** Keys planted by the templates, with their paths (some sit in ignored files and are not found, by design). */
  planted: Array<PlantedKey & { path: string }>;
  scan: SecretScan;
  /** Removes the temporary folder. */
  cleanup(): void;
}

/**
 * Builds the fixture tree in a temporary git repository (everything committed except the untracked `paths` left out,
 * `.gitignore`d files never added) and scans it, with history when asked.
 */
export async function scannedSecretFixture(options: { untracked?: string[]; history?: boolean; template?: string } = {}): Promise<SecretFixture> {
  const base = mkdtempSync(join(tmpdir(), "aiwarden-secret-fixture-"));
  const root = join(base, "repo");
  const planted = materialize(options.template ?? join(repoRoot, "src", "secrets", "fixtures", "tree"), root);
  gitIn(root, ["init", "-q"]);
  gitIn(root, ["add", "--all", "--", ".", ...(options.untracked ?? []).map((p) => `:!${p}`)]);
  gitIn(root, ["commit", "-q", "--allow-empty", "-m", "fixture"]);
  const scan = await scanSecrets(root, { detectors: loadDetectors(), ...(options.history ? { history: true } : {}) });
  return { root, planted, scan, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}
