import { test } from "node:test";
import assert from "node:assert/strict";
import { checkCi, ciContextFor } from "../testing/ci-context.js";
import { fixturePath } from "../testing/fixtures.js";
import { unpinnedAction } from "./unpinned-action.js";

const flagged = fixturePath(import.meta.url, "ci-actions", "flagged");
const clean = fixturePath(import.meta.url, "ci-install", "clean");
const RELEASE = ".github/workflows/release.yml";

test("tags, branches and short SHAs; severity by owner, compromised tags and the job's exposure", async () => {
  const drafts = await checkCi(unpinnedAction, flagged);
  const expected: Array<[string, number, string, RegExp, RegExp]> = [
    [".github/actions/local/action.yml", 6, "medium", /^`actions\/cache@v4` is pinned to the tag `v4`, which .* can move to other code\.$/, /`uses: actions\/cache@<40-character SHA> # v4`.*gh api repos\/actions\/cache\/commits\/v4 --jq \.sha/],
    // Used in two jobs: one finding, ranked by the job that can publish.
    [RELEASE, 22, "high", /^`actions\/checkout@v4` is pinned to the tag `v4`.*; the job publish can publish\.$/, /actions\/checkout@<40-character SHA> # v4/],
    [RELEASE, 10, "critical", /^`aquasecurity\/trivy-action@0\.24\.0` uses a tag that was force-pushed to credential-stealing code \(GHSA-69fq-xp46-6x23, 2026-03-19 to 2026-03-20\)\.$/, /aquasecurity\/trivy-action@57a97c7e7821a5776cebc9bb87c984fa69cba8f1 # v0\.35\.0.*rotate every secret/],
    [RELEASE, 11, "critical", /^`aquasecurity\/setup-trivy@v0\.2\.1` uses a tag that was force-pushed/, /full commit SHA of a release the maintainers confirmed as clean/],
    [RELEASE, 12, "high", /^`aquasecurity\/trivy-action@v0\.24\.0` is pinned to the tag `v0\.24\.0`/, /# v0\.24\.0/],
    [RELEASE, 13, "high", /^`some-org\/lint-action@main` follows the branch `main`: every push to it changes the code this job runs\.$/, /commit SHA of main/],
    [RELEASE, 14, "high", /^`other-org\/tool@de0fac2` uses a shortened commit SHA `de0fac2`/, /full 40-character SHA of that commit \(`gh api repos\/other-org\/tool\/commits\/de0fac2 --jq \.sha`\)/],
    [RELEASE, 23, "critical", /^`pypa\/gh-action-pypi-publish@release\/v1` follows the branch `release\/v1`.*; the job publish can publish\.$/, /pypa\/gh-action-pypi-publish@<40-character SHA> # release\/v1/],
    [RELEASE, 25, "critical", /^`org\/shared\/\.github\/workflows\/ci\.yml@v1` is pinned to the tag `v1`.*; the job reuse inherits all the caller's secrets\.$/, /uses: org\/shared\/\.github\/workflows\/ci\.yml@<40-character SHA> # v1.*repos\/org\/shared\/commits\/v1/],
    [RELEASE, 34, "critical", /^`hashicorp\/setup-terraform@v3` .*; the job deploy holds secret DEPLOY_KEY\.$/, /setup-terraform@<40-character SHA> # v3/],
    [RELEASE, 35, "high", /^`github\/codeql-action\/upload-sarif@v3` .*; the job deploy holds secret DEPLOY_KEY\.$/, /codeql-action\/upload-sarif@<40-character SHA> # v3/],
  ];
  assert.deepEqual(drafts.map((d) => `${d.file}:${d.line}`), expected.map(([file, line]) => `${file}:${line}`));
  for (const [file, line, severity, message, fix] of expected) {
    const draft = drafts.find((d) => d.file === file && d.line === line);
    assert.equal(draft?.severity, severity, `${file}:${line} severity`);
    assert.match(draft?.message ?? "", message, `${file}:${line} message`);
    assert.match(draft?.fix ?? "", fix, `${file}:${line} fix`);
    assert.deepEqual(draft?.key, [file, draft?.message.slice(1, draft.message.indexOf("`", 1))], `${file}:${line} key`);
  }
});

test("SHA pins, local actions and docker:// images are not this rule's findings", async () => {
  assert.deepEqual(await checkCi(unpinnedAction, clean), []);
  const { context } = await ciContextFor(flagged);
  assert.equal(unpinnedAction.check(context).some((d) => d.message.includes("./.github/actions/local") || d.message.includes("setup-node")), false);
});

test("without the compromised-tag list the trivy tag is still reported, as any third-party tag", async () => {
  const { context } = await ciContextFor(flagged);
  const ci = context.facts.ci;
  assert.ok(ci);
  const withoutList = { ...ci, compromised: undefined };
  const drafts = unpinnedAction.check({ ...context, facts: { ci: withoutList } });
  const trivy = drafts.find((d) => d.line === 10);
  assert.deepEqual([trivy?.severity, /is pinned to the tag `0\.24\.0`/.test(trivy?.message ?? "")], ["high", true]);
  assert.deepEqual(unpinnedAction.check({ ...context, facts: {} }), []);
});
