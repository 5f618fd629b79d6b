import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readGitFacts } from "../sources/git.js";
import { check, contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { runRules } from "./engine.js";
import { lockfileNotCommitted } from "./lockfile-not-committed.js";
import type { GitFacts } from "./rule.js";

const root = fixturePath(import.meta.url, "lockfile-not-committed");

/** Git facts from literal sets, with the optional ignore-source extension of src/sources/git.ts. */
function fakeGit(tracked: string[], ignored: Record<string, { file: string; line: number; pattern: string } | null> = {}): GitFacts {
  return {
    isTracked: (path) => tracked.includes(path),
    isIgnored: (path) => path in ignored,
    ignoredBy: (path: string) => ignored[path] ?? undefined,
  } as GitFacts;
}

describe("AIW-LOCK-002 lockfile-not-committed", () => {
  it("flags untracked, ignored, and tracked-but-ignored lockfiles of committed projects", async () => {
    const git = fakeGit(
      ["web/package.json", "api/pyproject.toml", "api/poetry.lock", "reqs/requirements.txt"],
      { "api/poetry.lock": { file: ".gitignore", line: 4, pattern: "*.lock" }, "reqs/base.txt": { file: "reqs/.gitignore", line: 1, pattern: "base.txt" } },
    );
    const drafts = await check(lockfileNotCommitted, root, { git });
    const byFile = new Map(drafts.map((d) => [d.file, d]));
    assert.deepEqual([...byFile.keys()].sort(), ["api/poetry.lock", "reqs/base.txt", "web/package-lock.json"]);

    const web = byFile.get("web/package-lock.json");
    assert.equal(web?.severity, "high");
    assert.equal(web?.message, "web/package-lock.json is not tracked by git although its project is: CI and every fresh clone resolve dependency versions anew on each install, so a newly published compromised release is picked up unreviewed.");
    assert.equal(web?.fix, "`git add web/package-lock.json` and commit it; in CI install with `npm ci` so the committed versions are the ones installed.");
    assert.deepEqual(web?.key, ["web/package-lock.json"]);
    assert.equal(web?.project, "web");

    const reqs = byFile.get("reqs/base.txt");
    assert.equal(reqs?.severity, "high");
    assert.equal(reqs?.message, "reqs/base.txt is ignored by the pattern `base.txt` (reqs/.gitignore:1) and not committed: CI and every fresh clone resolve dependency versions anew on each install, so a newly published compromised release is picked up unreviewed.");
    assert.match(reqs?.fix ?? "", /^Remove `base\.txt` from reqs\/\.gitignore \(line 1\) or add `!base\.txt` after it, then `git add reqs\/base\.txt`/);
    assert.match(reqs?.fix ?? "", /`pip install -r reqs\/requirements\.txt`/);

    const api = byFile.get("api/poetry.lock");
    assert.equal(api?.severity, "medium");
    assert.match(api?.message ?? "", /^api\/poetry\.lock is committed but also ignored by the pattern `\*\.lock` \(\.gitignore:4\)/);
  });

  it("stays silent for a project nobody committed (the whole folder is untracked)", async () => {
    const drafts = await check(lockfileNotCommitted, root, { git: fakeGit(["web/package.json"]) });
    assert.ok(!drafts.some((d) => d.file.startsWith("scratch/")));
  });

  it("stays silent when every lockfile is tracked and not ignored, and without git facts", async () => {
    const all = ["web/package.json", "web/package-lock.json", "api/pyproject.toml", "api/poetry.lock", "reqs/requirements.txt", "reqs/base.txt", "scratch/package.json", "scratch/package-lock.json"];
    assert.deepEqual(await check(lockfileNotCommitted, root, { git: fakeGit(all) }), []);
    assert.deepEqual(await check(lockfileNotCommitted, root), []);
  });

  it("says when an ignore rule without a known source excludes the file", async () => {
    const git = fakeGit(["web/package.json"], { "web/package-lock.json": null });
    const [draft] = (await check(lockfileNotCommitted, root, { git })).filter((d) => d.file === "web/package-lock.json");
    assert.equal(draft?.message, "web/package-lock.json is ignored and not committed: CI and every fresh clone resolve dependency versions anew on each install, so a newly published compromised release is picked up unreviewed.");
    assert.match(draft?.fix ?? "", /^Stop ignoring it \(see `git check-ignore -v web\/package-lock\.json`\), then `git add web\/package-lock\.json`/);
  });

  it("reads a real repository: a .gitignore'd package-lock.json is reported with its pattern", async () => {
    const repo = mkdtempSync(join(tmpdir(), "aiwarden-lock002-"));
    try {
      cpSync(join(root, "web"), repo, { recursive: true });
      writeFileSync(join(repo, ".gitignore"), "node_modules/\npackage-lock.json\n");
      const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", ...args], { stdio: "ignore" });
      git("init", "-q");
      git("add", ".");
      git("commit", "-q", "-m", "init");
      const pre = await contextFor(repo);
      const facts = await readGitFacts(repo, pre.files.map((f) => f.path));
      assert.ok(facts);
      const { findings } = runRules([lockfileNotCommitted], await contextFor(repo, { git: facts }));
      assert.equal(findings.length, 1);
      assert.equal(findings[0]?.ruleId, "AIW-LOCK-002");
      assert.equal(findings[0]?.severity, "high");
      assert.equal(findings[0]?.file, "package-lock.json");
      assert.match(findings[0]?.message ?? "", /^package-lock\.json is ignored by the pattern `package-lock\.json` \(\.gitignore:2\) and not committed/);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
