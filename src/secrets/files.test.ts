import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadDetectors } from "./detect.js";
import { excludeMatcher, listScanTargets } from "./files.js";
import { scanSecrets } from "./scan-tree.js";

const IDENTITY = ["-c", "user.name=aiwarden test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"];

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const TREE = {
  ".gitignore": "*.log\nsecret-local/\n",
  "src/app.py": "print(1)\n",
  "dist/bundle.js": "tracked build output\n",
  "fixtures/sample.txt": "excluded\n",
  "src/lib/fixtures/a.txt": "excluded by a folder glob\n",
  "notes.txt": "untracked, not ignored\n",
  "debug.log": "ignored\n",
  "secret-local/key.txt": "ignored folder\n",
  "node_modules/pkg/index.js": "untracked dependency\n",
  "build/out.js": "untracked build output\n",
};

describe("listScanTargets", () => {
  let base: string;
  let repo: string;

  before(() => {
    base = mkdtempSync(join(tmpdir(), "aiwarden-files-"));
    repo = join(base, "repo");
    mkdirSync(repo);
    write(repo, TREE);
    execFileSync("git", ["-C", repo, "init", "-q"]);
    execFileSync("git", ["-C", repo, ...IDENTITY, "add", ".gitignore", "src/app.py", "dist/bundle.js", "fixtures/sample.txt", "src/lib/fixtures/a.txt"]);
    execFileSync("git", ["-C", repo, ...IDENTITY, "commit", "-q", "-m", "init"]);
    // Deleted from the work tree but still in the index: nothing to read, not an error.
    write(repo, { "gone.txt": "x" });
    execFileSync("git", ["-C", repo, ...IDENTITY, "add", "gone.txt"]);
    rmSync(join(repo, "gone.txt"));
    symlinkSync("/etc/hostname", join(repo, "outside-link"));
    symlinkSync("src/app.py", join(repo, "inside-link"));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it("in git: tracked files and untracked files that are not ignored, with the exclude globs applied", async () => {
    const listed = await listScanTargets(repo, { exclude: ["fixtures/**", "src/**/fixtures"] });
    assert.equal(listed.git, true);
    assert.deepEqual(listed.files.map((f) => [f.path, f.tracked]), [
      [".gitignore", true],
      ["dist/bundle.js", true],
      ["gone.txt", true],
      ["inside-link", false],
      ["notes.txt", false],
      ["outside-link", false],
      ["src/app.py", true],
    ]);
    assert.deepEqual(listed.skipped, []);
  });

  it("the scan opens listed paths without following links: a link out of the root is reported, the rest is silent", async () => {
    const scan = await scanSecrets(repo, { detectors: loadDetectors(), exclude: ["fixtures/**", "src/**/fixtures"] });
    assert.deepEqual(scan.files, [{ path: "outside-link", status: "unsupported", reason: "symlink to a path outside the scanned root: not followed" }]);
    assert.equal(scan.stats.files, 4, ".gitignore, dist/bundle.js, notes.txt, src/app.py");
    const parallel = await scanSecrets(repo, { detectors: loadDetectors(), exclude: ["fixtures/**", "src/**/fixtures"], concurrency: 4 });
    assert.deepEqual([parallel.files, parallel.stats.files], [scan.files, 4]);
  });

  it("a file as the root is scanned alone, relative to its folder", async () => {
    const listed = await listScanTargets(join(repo, "src", "app.py"));
    assert.deepEqual([listed.root.endsWith("src"), listed.git, listed.files.map((f) => f.path)], [true, false, ["app.py"]]);
  });

  it("a subfolder of a work tree lists paths relative to itself", async () => {
    const listed = await listScanTargets(join(repo, "src"));
    assert.deepEqual(listed.files.map((f) => f.path), ["app.py", "lib/fixtures/a.txt"]);
  });

  it("outside git: walks the tree, skipping dependency and build folders", async () => {
    const counts: number[] = [];
    const listed = await listScanTargets(repo, { useGit: false, exclude: ["fixtures/**"], progress: (_root, files) => counts.push(files.length) });
    assert.equal(listed.git, false);
    // Told the count after each folder: it only grows, and ends at every file listed.
    assert.ok(counts.length >= 5 && counts.every((n, i) => i === 0 || n >= (counts[i - 1] as number)), counts.join(" "));
    assert.equal(counts[counts.length - 1], listed.files.length);
    assert.deepEqual(listed.files.map((f) => f.path), [".gitignore", "debug.log", "notes.txt", "secret-local/key.txt", "src/app.py", "src/lib/fixtures/a.txt"]);
    assert.deepEqual(listed.skipped, [{ path: "outside-link", reason: "symlink to a path outside the scanned root: not followed" }]);
    assert.ok(listed.files.every((f) => !f.tracked));
    // Unsorted (as the secret scan asks): the same files, in the order they were found.
    const unsorted = await listScanTargets(repo, { useGit: false, exclude: ["fixtures/**"], sorted: false });
    assert.deepEqual(unsorted.files.map((f) => f.path).sort(), listed.files.map((f) => f.path));
  });
});

describe("excludeMatcher", () => {
  it("matches files and everything under a matching folder, like discovery", () => {
    const excluded = excludeMatcher(["examples", "src/**/fixtures/**", "**/*.min.js"]);
    assert.equal(excluded("examples/app/.env"), true);
    assert.equal(excluded("src/secrets/fixtures/tree/a.txt"), true);
    assert.equal(excluded("web/app.min.js"), true);
    assert.equal(excluded("src/secrets/scan.ts"), false);
    assert.equal(excludeMatcher([])("anything"), false);
  });
});
