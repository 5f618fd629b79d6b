import { test } from "node:test";
import assert from "node:assert/strict";
import { readAction, readWorkflow } from "./github.js";

const WORKFLOW = `name: ci
on: push
env:
  GLOBAL: "1"
  SHARED_TOKEN: \${{ secrets.SHARED_TOKEN }}
defaults:
  run:
    working-directory: app
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      JOB: x
    steps:
      - uses: actions/checkout@v4
      - name: literal block
        run: |
          echo start

          npm install \\
            --no-audit
          cd sub && yarn
      - name: folded block
        run: >
          pip install
          requests
      - run: "npm ci"
        working-directory: web
      - run: uv sync
        shell: pwsh
      - run: print("hi")
        shell: python
      - run: pnpm i
        shell: bash -e {0}
        env:
          STEP: y
      - uses: docker://alpine:3.19
  release:
    permissions:
      contents: read
      id-token: write
    container:
      image: node:20
    services:
      db: postgres:15
      cache:
        image: redis@sha256:${"a".repeat(64)}
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          password: \${{ secrets['PYPI_TOKEN'] }}
  call:
    uses: org/repo/.github/workflows/reuse.yml@main
    secrets: inherit
  plain:
    steps:
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM }}
`;

test("run blocks: every command at its real file line, in its folder, with its variables", () => {
  const out = readWorkflow(".github/workflows/ci.yml", WORKFLOW);
  assert.equal(out.problem, undefined);
  const rows = out.commands.filter((c) => c.job === "build").map((c) => [c.line, c.cwd, c.argv.join(" "), c.where]);
  assert.deepEqual(rows, [
    [18, "app", "echo start", "jobs.build.steps[1].run"],
    [20, "app", "npm install --no-audit", "jobs.build.steps[1].run"],
    [22, "app", "cd sub", "jobs.build.steps[1].run"],
    [22, "app/sub", "yarn", "jobs.build.steps[1].run"],
    [25, "app", "pip install requests", "jobs.build.steps[2].run"],
    [27, "web", "npm ci", "jobs.build.steps[3].run"],
    [33, "app", "pnpm i", "jobs.build.steps[6].run"],
  ]);
  const pnpm = out.commands.find((c) => c.argv[0] === "pnpm");
  assert.deepEqual([pnpm?.env.GLOBAL, pnpm?.env.JOB, pnpm?.env.STEP], ["1", "x", "y"]);
  assert.equal(out.commands.find((c) => c.argv[0] === "npm")?.text, "npm install --no-audit");
});

test("uses references, with job, secrets and whether the job can publish", () => {
  const out = readWorkflow(".github/workflows/ci.yml", WORKFLOW);
  const rows = out.actions.map((a) => [a.line, a.uses, a.job, a.jobSecrets.join(","), a.jobPublishes]);
  assert.deepEqual(rows, [
    [15, "actions/checkout@v4", "build", "SHARED_TOKEN", false],
    [37, "docker://alpine:3.19", "build", "SHARED_TOKEN", false],
    [49, "pypa/gh-action-pypi-publish@release/v1", "release", "PYPI_TOKEN,SHARED_TOKEN", true],
    [53, "org/repo/.github/workflows/reuse.yml@main", "call", "SHARED_TOKEN,inherit", false],
  ]);
  const publish = out.commands.find((c) => c.job === "plain");
  assert.deepEqual([publish?.jobPublishes, publish?.jobSecrets], [true, ["NPM", "SHARED_TOKEN"]]);
});

test("job containers, services and docker:// steps are image references", () => {
  const out = readWorkflow(".github/workflows/ci.yml", WORKFLOW);
  const rows = out.images.map((i) => [i.line, i.image, i.use, i.where, i.job, i.jobPublishes]);
  assert.deepEqual(rows, [
    [37, "alpine:3.19", "step", "jobs.build.steps[7].uses", "build", false],
    [43, "node:20", "job-container", "jobs.release.container", "release", true],
    [45, "postgres:15", "service", "jobs.release.services.db", "release", true],
    [47, `redis@sha256:${"a".repeat(64)}`, "service", "jobs.release.services.cache", "release", true],
  ]);
});

test("publishing: permissions, publishing secret names, publish commands", () => {
  const cases: Array<[string, boolean]> = [
    ["permissions: write-all\njobs:\n  a:\n    steps:\n      - run: echo", true],
    ["permissions:\n  packages: write\njobs:\n  a:\n    steps:\n      - run: echo", true],
    ["permissions:\n  packages: write\njobs:\n  a:\n    permissions: {}\n    steps:\n      - run: echo", false],
    ["jobs:\n  a:\n    steps:\n      - run: echo ${{ secrets.TWINE_PASSWORD }}", true],
    ["jobs:\n  a:\n    steps:\n      - run: twine upload dist/*", true],
    ["jobs:\n  a:\n    steps:\n      - run: docker buildx build --push .", true],
    ["jobs:\n  a:\n    steps:\n      - run: echo ${{ secrets.SLACK_WEBHOOK }}", false],
  ];
  for (const [yaml, publishes] of cases) {
    const out = readWorkflow(".github/workflows/x.yml", yaml);
    assert.equal(out.commands[0]?.jobPublishes, publishes, yaml);
  }
});

test("GitLab-style anchors and merge keys are followed", () => {
  const yaml = "x-env: &env\n  CI_MODE: strict\njobs:\n  a:\n    env:\n      <<: *env\n    steps: &steps\n      - run: npm ci\n  b:\n    steps: *steps\n";
  const out = readWorkflow(".github/workflows/x.yml", yaml);
  assert.deepEqual(out.commands.map((c) => [c.job, c.line, c.env.CI_MODE]), [["a", 8, "strict"], ["b", 8, undefined]]);
});

test("files that are not workflows fail with a reason; a bad job makes it partial", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["", "failed", /empty file/],
    ["- a\n- b\n", "failed", /top level is not a mapping/],
    ["on: push\n", "failed", /no `jobs` mapping/],
    ["jobs: [\n", "failed", /YAML syntax error on line/],
    ["jobs:\n  a: 3\n  b:\n    steps:\n      - run: npm ci\n", "partial", /job a is not a mapping/],
    ["jobs:\n  a:\n    steps:\n      - run: echo 'open\n", "partial", /jobs\.a\.steps\[0\]\.run: a single quote is not closed/],
  ];
  for (const [text, status, reason] of cases) {
    const out = readWorkflow(".github/workflows/x.yml", text);
    assert.equal(out.problem?.status, status, text);
    assert.match(out.problem?.reason ?? "", reason, text);
  }
});

test("composite actions: steps with the action's folder; Docker actions: the docker:// image", () => {
  const composite = `name: setup
runs:
  using: composite
  steps:
    - uses: actions/setup-node@v4
    - run: |
        npm ci
        \${{ github.action_path }}/install.sh
      shell: bash
      working-directory: \${{ github.action_path }}
    - run: Write-Host hi
      shell: pwsh
`;
  const out = readAction(".github/actions/setup/action.yml", composite);
  assert.equal(out.problem, undefined);
  assert.deepEqual(out.commands.map((c) => [c.line, c.cwd, c.argv[0], c.job]), [[7, ".github/actions/setup", "npm", undefined], [8, ".github/actions/setup", "${{ github.action_path }}/install.sh", undefined]]);
  assert.deepEqual(out.actions.map((a) => [a.uses, a.job, a.jobSecrets]), [["actions/setup-node@v4", undefined, []]]);
  const docker = readAction("action.yaml", "runs:\n  using: docker\n  image: docker://ghcr.io/o/tool:1\n");
  assert.deepEqual(docker.images.map((i) => [i.image, i.use, i.where, i.line]), [["ghcr.io/o/tool:1", "step", "runs.image", 3]]);
  assert.match(readAction("action.yml", "name: x\n").problem?.reason ?? "", /no `runs` mapping/);
});
