import { test } from "node:test";
import assert from "node:assert/strict";
import { checkCi, ciContextFor } from "../testing/ci-context.js";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { ciInstallCommand } from "./ci-install-command.js";

const flagged = fixturePath(import.meta.url, "ci-install", "flagged");
const clean = fixturePath(import.meta.url, "ci-install", "clean");
const WORKFLOW = ".github/workflows/ci.yml";

test("every kind of unlocked or unpinned install, with its line, severity, message, fix and key", async () => {
  const drafts = await checkCi(ciInstallCommand, flagged);
  const expected: Array<[string, number, string, RegExp, RegExp]> = [
    [WORKFLOW, 7, "high", /^`npm install` resolves package\.json ranges and may rewrite package-lock\.json .*\(jobs\.build\.steps\[0\]\.run\); it installs AI packages \(openai\)\.$/, /^Use `npm ci` instead:/],
    [WORKFLOW, 8, "medium", /^`yarn install` \(Yarn 1\) updates yarn\.lock and installs newly resolved versions/, /^Use `yarn install --frozen-lockfile`\.$/],
    [WORKFLOW, 10, "high", /^`bun install` may update bun\.lock/, /bun install --frozen-lockfile/],
    [WORKFLOW, 11, "high", /requirements\.txt has no hashes at all and leaves 1 of 2 requirements without an exact version.*AI packages \(litellm\)/, /--generate-hashes.*--require-hashes/],
    [WORKFLOW, 12, "low", /requirements\/pinned\.txt pins versions but has no hashes at all/, /--require-hashes/],
    [WORKFLOW, 13, "medium", /without `--require-hashes`; missing\.txt was not found to check for hashes/, /--require-hashes/],
    [WORKFLOW, 14, "low", /^`python -m pip install --upgrade pip` upgrades `pip` to whatever is newest/, /`pip==<exact version>`/],
    [WORKFLOW, 15, "high", /^`pip install litellm` installs whatever version of `litellm` is newest.*AI packages \(litellm\)/, /`litellm==<exact version>`/],
    [WORKFLOW, 16, "medium", /^`pip install \.` installs the project and resolves its declared dependency ranges/, /pip install --no-deps \./],
    [WORKFLOW, 17, "medium", /^`poetry install` runs without a poetry\.lock for poetry-app/, /poetry check --lock/],
    [WORKFLOW, 19, "medium", /^`uv sync` re-locks when pyproject\.toml no longer matches uv\.lock/, /uv sync --locked/],
    [WORKFLOW, 21, "medium", /^`npx cowsay hello` downloads and runs the newest `cowsay`/, /cowsay@<exact version>/],
    [WORKFLOW, 23, "high", /^`npm update` re-resolves dependencies/, /Dependabot, Renovate/],
    [WORKFLOW, 24, "medium", /^`pipenv install` re-locks when the Pipfile changed/, /pipenv install --deploy/],
    [WORKFLOW, 25, "high", /^`pnpm install --no-frozen-lockfile` turns off pnpm's frozen lockfile/, /pnpm install --frozen-lockfile/],
    [WORKFLOW, 32, "high", /^`npm install -g @vscode\/vsce` installs whatever version of `@vscode\/vsce`.*; the job publish can publish\.$/, /@vscode\/vsce@<exact version>/],
    ["Dockerfile", 4, "high", /^`pnpm install` runs where `CI` is not set \(an image build\)/, /pnpm install --frozen-lockfile/],
    ["scripts/ci.sh", 3, "high", /^`npm install` resolves package\.json ranges/, /npm ci/],
  ];
  assert.deepEqual(drafts.map((d) => `${d.file}:${d.line}`), expected.map(([file, line]) => `${file}:${line}`));
  for (const [file, line, severity, message, fix] of expected) {
    const draft = drafts.find((d) => d.file === file && d.line === line);
    assert.equal(draft?.severity, severity, `${file}:${line} severity`);
    assert.match(draft?.message ?? "", message, `${file}:${line} message`);
    assert.match(draft?.fix ?? "", fix, `${file}:${line} fix`);
  }
  assert.deepEqual(drafts[0]?.key, [WORKFLOW, "npm-install", "npm install"]);
  assert.deepEqual(drafts.find((d) => d.line === 14)?.key, [WORKFLOW, "unpinned-package", "python -m pip install --upgrade pip"]);
});

test("scripts nothing in CI or a Dockerfile runs are developer tooling: not reported", async () => {
  const drafts = await checkCi(ciInstallCommand, flagged);
  assert.equal(drafts.some((d) => d.file === "scripts/dev-setup.sh"), false);
});

test("locked installs, hashes, version pins, CI defaults and lock checks stay silent", async () => {
  assert.deepEqual(await checkCi(ciInstallCommand, clean), []);
});

test("the same command twice in a file is one finding, ranked by its most exposed job", async () => {
  const { context } = await ciContextFor(flagged);
  const ci = context.facts.ci;
  assert.ok(ci);
  const first = ci.commands.find((c) => c.argv.join(" ") === "npm install -g @vscode/vsce");
  assert.ok(first);
  const quiet = { ...first, line: 99, jobPublishes: false, job: "lint" };
  const drafts = ciInstallCommand.check({ ...context, facts: { ci: { ...ci, commands: [quiet, ...ci.commands] } } });
  const vsce = drafts.filter((d) => d.key[2] === "npm install -g @vscode/vsce");
  assert.deepEqual(vsce.map((d) => [d.line, d.severity]), [[32, "high"]]);
});

test("facts from elsewhere without the readers' details, and no facts at all", async () => {
  const context = await contextFor(flagged);
  assert.deepEqual(ciInstallCommand.check(context), []);
  const bare = { commands: [{ file: "Dockerfile", line: 3, argv: ["pnpm", "install"], text: "pnpm install", where: "RUN" }], actions: [], images: [] };
  const drafts = ciInstallCommand.check({ ...context, facts: { ci: bare as never } });
  assert.deepEqual(drafts.map((d) => [d.file, d.line, d.severity]), [["Dockerfile", 3, "high"]]);
});

test("when a command's folder is unknown, lockfiles anywhere in the repository count", async () => {
  const { context } = await ciContextFor(clean);
  const command = (argv: string[], cwd?: string) => ({
    file: WORKFLOW, line: 5, argv, text: argv.join(" "), where: "jobs.x.steps[0].run", env: {}, environment: "ci" as const,
    jobSecrets: [], jobPublishes: false, ...(cwd !== undefined ? { cwd } : {}),
  });
  const run = (commands: ReturnType<typeof command>[]) => ciInstallCommand.check({ ...context, facts: { ci: { commands, actions: [], images: [] } } });
  // The only yarn.lock (berry/) is Yarn 2+, immutable by default in CI.
  assert.deepEqual(run([command(["yarn", "install"])]), []);
  assert.match(run([command(["yarn", "install"], ".")])[0]?.message ?? "", /^`yarn install` updates yarn\.lock/);
  assert.match(run([command(["npm", "install"])])[0]?.message ?? "", /may rewrite package-lock\.json instead of installing exactly what it locks \(jobs/);
  assert.match(run([command(["uv", "sync"])])[0]?.message ?? "", /re-locks when pyproject\.toml no longer matches uv\.lock/);
  assert.match(run([command(["uv", "sync"], ".")])[0]?.message ?? "", /finds no uv\.lock and resolves every dependency afresh/);
  assert.deepEqual(run([command(["poetry", "install"])]).length, 1, "no poetry.lock anywhere: reported even without a folder");
});
