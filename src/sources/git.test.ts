import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { mayBeInWorkTree, readGitFacts } from "./git.js";

const IDENTITY = ["-c", "user.name=aiwarden test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"];

function gitIn(dir: string, ...args: string[]): void {
  execFileSync("git", ["-C", dir, ...IDENTITY, ...args], { stdio: "ignore" });
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe("readGitFacts", () => {
  let base: string;
  let repo: string;

  before(() => {
    base = mkdtempSync(join(tmpdir(), "aiwarden-git-"));
    repo = join(base, "repo");
    mkdirSync(repo);
    gitIn(repo, "init", "-q");
    write(repo, {
      ".gitignore": "# lockfiles are regenerated\nyarn.lock\n*.tmp\n!keep.tmp\n",
      "package.json": "{}\n",
      "package-lock.json": "{}\n",
      "yarn.lock": "# yarn lockfile v1\n",
      "forced/.gitignore": "poetry.lock\n",
      "forced/pyproject.toml": "[project]\nname = 'x'\n",
      "forced/poetry.lock": "",
      "keep.tmp": "",
      "dir with space/requirements ü.txt": "requests==2.32.3\n",
      "app/package.json": "{}\n",
      "app/pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
    });
    gitIn(repo, "add", ".gitignore", "package.json", "forced/.gitignore", "forced/pyproject.toml", "keep.tmp", "dir with space/requirements ü.txt", "app/package.json");
    // Ignored, then force-added: tracked and ignored at once.
    gitIn(repo, "add", "-f", "forced/poetry.lock");
    gitIn(repo, "commit", "-q", "-m", "init");
  });

  after(() => rmSync(base, { recursive: true, force: true }));

  it("tells tracked from untracked files, and ignored ones by their pattern", async () => {
    const facts = await readGitFacts(repo, ["package-lock.json", "yarn.lock", "forced/poetry.lock", "keep.tmp", "package.json", "dir with space/requirements ü.txt"]);
    assert.ok(facts);
    const table: Array<[string, boolean, boolean]> = [
      ["package.json", true, false],
      ["package-lock.json", false, false],
      ["yarn.lock", false, true],
      ["forced/poetry.lock", true, true],
      ["keep.tmp", true, false],
      ["dir with space/requirements ü.txt", true, false],
      ["./package.json", true, false],
      ["no-such-file", false, false],
    ];
    for (const [path, tracked, ignored] of table) {
      assert.equal(facts.isTracked(path), tracked, `tracked ${path}`);
      assert.equal(facts.isIgnored(path), ignored, `ignored ${path}`);
    }
    assert.deepEqual(facts.ignoredBy("yarn.lock"), { file: ".gitignore", line: 2, pattern: "yarn.lock" });
    assert.deepEqual(facts.ignoredBy("forced/poetry.lock"), { file: "forced/.gitignore", line: 1, pattern: "poetry.lock" });
    assert.equal(facts.ignoredBy("keep.tmp"), undefined);
  });

  it("answers with paths relative to a root that is a subfolder of the repository", async () => {
    const facts = await readGitFacts(join(repo, "app"), ["pnpm-lock.yaml", "package.json"]);
    assert.ok(facts);
    assert.equal(facts.isTracked("package.json"), true);
    assert.equal(facts.isTracked("pnpm-lock.yaml"), false);
    assert.equal(facts.isTracked("app/package.json"), false);
    assert.equal(facts.isIgnored("pnpm-lock.yaml"), false);
  });

  it("works without candidate paths", async () => {
    const facts = await readGitFacts(repo, []);
    assert.equal(facts?.isTracked("package.json"), true);
    assert.equal(facts?.isIgnored("yarn.lock"), false);
  });

  it("is undefined outside a work tree", async () => {
    const plain = join(base, "plain");
    mkdirSync(plain);
    assert.equal(await readGitFacts(plain, ["package.json"]), undefined);
    assert.equal(await readGitFacts(join(repo, ".git"), []), undefined);
    assert.equal(await readGitFacts(join(base, "missing"), []), undefined);
  });

  it("is undefined when git cannot be found", async () => {
    const path = process.env.PATH;
    process.env.PATH = join(base, "no-bin");
    try {
      assert.equal(await readGitFacts(repo, ["package.json"]), undefined);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe("mayBeInWorkTree", () => {
  it("agrees with git on folders inside and outside a work tree, and sees linked work trees' .git files", () => {
    const base = mkdtempSync(join(tmpdir(), "aiwarden-gitdir-"));
    try {
      const repo = join(base, "repo");
      mkdirSync(join(repo, "deep", "er"), { recursive: true });
      gitIn(repo, "init", "-q");
      const linked = join(base, "linked");
      mkdirSync(linked);
      writeFileSync(join(linked, ".git"), `gitdir: ${join(repo, ".git")}\n`);
      const plain = join(base, "plain");
      mkdirSync(plain);
      assert.equal(mayBeInWorkTree(repo), true);
      assert.equal(mayBeInWorkTree(join(repo, "deep", "er")), true);
      assert.equal(mayBeInWorkTree(linked), true);
      // Outside: only when git agrees (a temporary folder could itself sit inside some work tree).
      let gitSaysInside = true;
      try {
        execFileSync("git", ["-C", plain, "rev-parse", "--is-inside-work-tree"], { stdio: "ignore" });
      } catch {
        gitSaysInside = false;
      }
      if (!gitSaysInside) assert.equal(mayBeInWorkTree(plain), false);
      else assert.equal(mayBeInWorkTree(plain), true);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
