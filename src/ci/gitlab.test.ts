import { test } from "node:test";
import assert from "node:assert/strict";
import { readGitlabCi } from "./gitlab.js";

const GITLAB = `variables:
  UV_LOCKED: "1"
image: python:3.12
default:
  before_script:
    - pip install --upgrade pip
.install: &install
  script:
    - cd backend
    - pip install -r requirements.txt
test:
  extends: .install
  image:
    name: node:20
  services:
    - postgres:15
    - name: redis:7
  variables:
    EXTRA: "yes"
  script:
    - npm ci
    - - nested
      - uv sync
    - !reference [.install, script]
    - |
      yarn
      npm publish
  after_script: npm install
deploy:
  <<: *install
  script: echo $NPM_TOKEN $CI_JOB_TOKEN $DEPLOY_PASSWORD
stages: [test]
`;

test("before_script, script and after_script of default, hidden and real jobs, in one shell per job", () => {
  const out = readGitlabCi(".gitlab-ci.yml", GITLAB);
  assert.equal(out.problem, undefined);
  const rows = out.commands.map((c) => [c.line, c.where, c.cwd, c.argv.join(" ")]);
  assert.deepEqual(rows, [
    [6, "default.before_script", ".", "pip install --upgrade pip"],
    [9, ".install.script", ".", "cd backend"],
    [10, ".install.script", "backend", "pip install -r requirements.txt"],
    [21, "test.script", ".", "npm ci"],
    [22, "test.script", ".", "nested"],
    [23, "test.script", ".", "uv sync"],
    [26, "test.script", ".", "yarn"],
    [27, "test.script", ".", "npm publish"],
    [28, "test.after_script", ".", "npm install"],
    [31, "deploy.script", ".", "echo $NPM_TOKEN $CI_JOB_TOKEN $DEPLOY_PASSWORD"],
  ]);
  const uv = out.commands.find((c) => c.argv[0] === "uv");
  assert.deepEqual([uv?.env.UV_LOCKED, uv?.env.EXTRA, uv?.job, uv?.jobPublishes], ["1", "yes", "test", true]);
  const deploy = out.commands.find((c) => c.job === "deploy");
  assert.deepEqual([deploy?.jobPublishes, deploy?.jobSecrets], [true, ["DEPLOY_PASSWORD", "NPM_TOKEN"]]);
});

test("image and services, global and per job", () => {
  const out = readGitlabCi(".gitlab-ci.yml", GITLAB);
  assert.deepEqual(out.images.map((i) => [i.line, i.image, i.use, i.where]), [
    [3, "python:3.12", "job-container", "image"],
    [14, "node:20", "job-container", "test.image"],
    [16, "postgres:15", "service", "test.services"],
    [17, "redis:7", "service", "test.services"],
  ]);
});

test("failures and partial reads", () => {
  assert.match(readGitlabCi(".gitlab-ci.yml", "").problem?.reason ?? "", /empty file/);
  assert.match(readGitlabCi(".gitlab-ci.yml", "- a").problem?.reason ?? "", /not a mapping/);
  assert.equal(readGitlabCi(".gitlab-ci.yml", "- [").problem?.status, "failed");
  const broken = readGitlabCi(".gitlab-ci.yml", "job:\n  script: [npm ci\n");
  assert.equal(broken.problem?.status, "partial");
  assert.match(broken.problem?.reason ?? "", /YAML syntax error on line \d/);
  const partial = readGitlabCi(".gitlab-ci.yml", "job:\n  script: echo \"open\n");
  assert.equal(partial.problem?.status, "partial");
});

test("aliases of aliases do not multiply without bound", () => {
  const lines = ["a0: &a0 [npm ci, npm ci, npm ci, npm ci, npm ci, npm ci, npm ci, npm ci, npm ci, npm ci]"];
  for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
  for (let j = 0; j < 50; j++) lines.push(`job${j}:\n  script: *a9`);
  const started = performance.now();
  const out = readGitlabCi(".gitlab-ci.yml", lines.join("\n"));
  assert.ok(performance.now() - started < 3000);
  assert.ok(out.commands.length <= 20000);
  assert.equal(out.problem?.status, "partial");
  assert.match(out.problem?.reason ?? "", /more than 20000 script lines/);
});
