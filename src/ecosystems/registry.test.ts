import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../testing/fixtures.js";
import { extractorFor, extractors } from "./index.js";

const sourceDir = join(repoRoot, "src", "ecosystems");

/** Folders that hold shared code rather than a format. */
const NOT_FORMATS = new Set(["shared", "python"]);

test("every format folder has a registered entry", () => {
  const folders = readdirSync(sourceDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !NOT_FORMATS.has(e.name))
    .map((e) => e.name)
    .sort();
  assert.ok(folders.length >= 8, `found ${folders.join(", ")}`);
  for (const folder of folders) {
    assert.ok(extractors.some((e) => e.module.startsWith(`${folder}/`)), `src/ecosystems/${folder} has no entry in the registry`);
  }
});

test("each entry loads an extractor with the same id, ecosystem, kind and claim rule", async () => {
  for (const entry of extractors) {
    const extractor = await entry.load();
    assert.equal(extractor.id, entry.id, entry.module);
    assert.equal(extractor.ecosystem, entry.ecosystem, entry.id);
    assert.equal(extractor.kind, entry.kind, entry.id);
    assert.equal(extractor.claims, entry.claims, `${entry.id}: one claim rule, shared by the registry and the extractor`);
    assert.equal(typeof extractor.companions, "function", entry.id);
    assert.equal(typeof extractor.extract, "function", entry.id);
    // `module` names the file `load` imports.
    const exports = (await import(`./${entry.module}.js`)) as Record<string, unknown>;
    assert.ok(Object.values(exports).includes(extractor), `${entry.id}: ${entry.module} exports the extractor load() returns`);
  }
});

test("each entry's module has tests beside it, and ids are unique", () => {
  for (const entry of extractors) {
    assert.ok(existsSync(join(sourceDir, `${entry.module}.ts`)), `${entry.module}.ts exists`);
    assert.ok(existsSync(join(sourceDir, `${entry.module}.test.ts`)), `${entry.module}.test.ts exists`);
  }
  const ids = extractors.map((e) => e.id);
  assert.deepEqual([...new Set(ids)], ids);
});

test("real file names are claimed by exactly the expected format, or by none", () => {
  const table: Array<[string, string | undefined]> = [
    ["package-lock.json", "npm-lock"],
    ["apps/web/package-lock.json", "npm-lock"],
    ["npm-shrinkwrap.json", "npm-lock"],
    ["yarn.lock", "yarn-lock"],
    ["server/yarn.lock", "yarn-lock"],
    ["pnpm-lock.yaml", "pnpm-lock"],
    ["package.json", "npm-manifest"],
    ["packages/a/package.json", "npm-manifest"],
    ["requirements.txt", "pip-requirements"],
    ["requirements-dev.txt", "pip-requirements"],
    ["requirements/prod.txt", "pip-requirements"],
    ["requirements/base.in", "pip-requirements"],
    ["constraints.txt", "pip-requirements"],
    ["requirements.in", "pip-requirements"],
    ["test-requirements.txt", "pip-requirements"],
    ["poetry.lock", "poetry-lock"],
    ["uv.lock", "uv-lock"],
    ["Pipfile", "pipfile"],
    ["Pipfile.lock", "pipfile-lock"],
    ["pyproject.toml", "pyproject"],
    ["lib/crewai/pyproject.toml", "pyproject"],
    ["README.md", undefined],
    ["bun.lockb", undefined],
    ["bun.lock", undefined],
    ["setup.py", undefined],
    ["setup.cfg", undefined],
    ["node_modules/x/package.json", undefined],
    ["Cargo.lock", undefined],
    ["pdm.lock", undefined],
    ["requirements/README.txt", undefined],
    ["package.json.bak", undefined],
    ["yarn.lock.orig", undefined],
    ["pnpm-workspace.yaml", undefined],
    [".yarnrc.yml", undefined],
  ];
  for (const [path, expected] of table) {
    const claimants = extractors.filter((e) => e.claims(path)).map((e) => e.id);
    assert.ok(claimants.length <= 1, `${path} is claimed by ${claimants.join(" and ")}`);
    assert.equal(claimants[0], expected, path);
    assert.equal(extractorFor(path)?.id, expected, path);
  }
});

test("the registry and the claim modules import no parser", () => {
  // What the registry loads at startup: index.ts, extractor.ts and every claims.ts. Value imports may only reach each
  // other; type imports are erased and cost nothing.
  const files = ["index.ts", "extractor.ts", ...extractors.map((e) => `${e.module.split("/")[0]}/claims.ts`)];
  for (const file of new Set(files)) {
    const text = readFileSync(join(sourceDir, file), "utf8");
    for (const match of text.matchAll(/^import (?!type )[^;]*? from "([^"]+)";$/gm)) {
      const target = match[1] as string;
      assert.match(target, /^(\.\/extractor\.js|\.\.\/extractor\.js|\.\/[a-z]+\/claims\.js)$/, `${file} imports ${target}`);
    }
    const dynamic = [...text.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]);
    if (file !== "index.ts") assert.deepEqual(dynamic, [], `${file} loads modules dynamically`);
  }
});
