import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discover } from "./discover.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "aiwarden-discover-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test("finds dependency files, skips installed and build folders, ignores unrelated files", async () => {
  const root = tree({
    "package.json": "{}",
    "package-lock.json": "{}",
    "node_modules/x/package.json": "{}",
    ".venv/lib/requirements.txt": "x",
    "dist/package.json": "{}",
    "services/api/requirements.txt": "x",
    "services/api/README.md": "#",
    "py/poetry.lock": "",
    "py/bun.lockb": "",
  });
  const found = await discover(root);
  assert.deepEqual(found.files.map((f) => f.path), ["package-lock.json", "package.json", "py/bun.lockb", "py/poetry.lock", "services/api/requirements.txt"]);
  assert.match(found.files.find((f) => f.path === "py/bun.lockb")?.unsupported ?? "", /bun/);
});

test("never follows symlinks out of the root; a symlinked directory is not walked twice", async () => {
  const outside = tree({ "package-lock.json": "{}", "secret/requirements.txt": "x" });
  const root = tree({ "app/requirements.txt": "x" });
  symlinkSync(join(outside, "package-lock.json"), join(root, "package-lock.json"));
  symlinkSync(join(outside, "secret"), join(root, "linked-dir"));
  symlinkSync(join(root, "app"), join(root, "app-again"));
  symlinkSync(join(root, "app", "requirements.txt"), join(root, "requirements.txt"));
  const found = await discover(root);
  assert.deepEqual(found.files.map((f) => f.path), ["app/requirements.txt", "package-lock.json", "requirements.txt"]);
  const escaped = found.files.find((f) => f.path === "package-lock.json");
  assert.equal(escaped?.extractor, undefined);
  assert.match(escaped?.unsupported ?? "", /outside the scanned root/);
  assert.equal(found.files.find((f) => f.path === "requirements.txt")?.unsupported, undefined, "a link inside the root is read");
});

test("a file path scans just that file", async () => {
  const root = tree({ "a/package-lock.json": "{}", "a/b/package-lock.json": "{}" });
  const found = await discover(join(root, "a", "package-lock.json"));
  assert.deepEqual(found.files.map((f) => f.path), ["package-lock.json"]);
});
