import { test } from "node:test";
import assert from "node:assert/strict";
import { checkCi, ciContextFor } from "../testing/ci-context.js";
import { fixturePath } from "../testing/fixtures.js";
import { unpinnedContainerImage } from "./unpinned-container-image.js";

const flagged = fixturePath(import.meta.url, "ci-images", "flagged");
const clean = fixturePath(import.meta.url, "ci-install", "clean");
const CI = ".github/workflows/ci.yml";

test("images by tag: job containers, services, docker:// steps, GitLab image/services, Dockerfile FROM, known-bad tags", async () => {
  const drafts = await checkCi(unpinnedContainerImage, flagged);
  const expected: Array<[string, number, string, RegExp, RegExp, string]> = [
    [CI, 5, "high", /^`node:20` \(jobs\.test\.container\) is pulled by the tag `20`.*every step of the job runs in; the job test can publish and holds secret NPM_TOKEN\.$/, /`node:20@sha256:<digest>`.*docker buildx imagetools inspect node:20/, "node:20"],
    [CI, 8, "low", /^`postgres:15` \(jobs\.test\.services\.db\) .*runs as a service container beside the job\.$/, /postgres:15@sha256:<digest>/, "postgres:15"],
    [CI, 20, "medium", /^`alpine:3\.19` \(jobs\.matrix\.steps\[0\]\.uses\) .*runs as a step of the job\.$/, /alpine:3\.19@sha256:<digest>/, "alpine:3.19"],
    [CI, 21, "critical", /^`aquasec\/trivy:0\.69\.5` .*is a tag that served a malicious image \(GHSA-69fq-xp46-6x23, 2026-03-22 to 2026-03-23\)/, /rotate every secret/, "aquasec/trivy:0.69.5"],
    [".gitlab-ci.yml", 1, "medium", /^`python:3\.12` \(image\) .*every step of the job runs in\.$/, /python:3\.12@sha256:<digest>/, "python:3.12"],
    [".gitlab-ci.yml", 5, "low", /^`redis:7` \(test\.services\)/, /redis:7@sha256:<digest>/, "redis:7"],
    ["Dockerfile", 3, "low", /^`python:3\.12-slim` \(FROM\) is pulled by the tag `3\.12-slim`.*base of an image built here\.$/, /python:3\.12-slim@sha256:<digest>/, "python:3.12-slim"],
    ["Dockerfile", 4, "low", /^`ubuntu` \(FROM\) has no tag, so it pulls whatever `latest` points to/, /imagetools inspect ubuntu:latest/, "ubuntu"],
    [CI, 22, "critical", /^`docker run --rm -v "\$PWD:\/src" aquasec\/trivy:0\.69\.4 fs \/src` pulls `aquasec\/trivy:0\.69\.4`, a tag that served a malicious image/, /rotate every secret/, "aquasec/trivy:0.69.4"],
  ];
  assert.deepEqual(drafts.map((d) => `${d.file}:${d.line}`), expected.map(([file, line]) => `${file}:${line}`));
  for (const [file, line, severity, message, fix, image] of expected) {
    const draft = drafts.find((d) => d.file === file && d.line === line);
    assert.equal(draft?.severity, severity, `${file}:${line} severity`);
    assert.match(draft?.message ?? "", message, `${file}:${line} message`);
    assert.match(draft?.fix ?? "", fix, `${file}:${line} fix`);
    assert.deepEqual(draft?.key, [file, image], `${file}:${line} key`);
  }
});

test("digests, variables, build stages, scratch and clean docker run tags stay silent", async () => {
  assert.deepEqual(await checkCi(unpinnedContainerImage, clean), []);
  const drafts = await checkCi(unpinnedContainerImage, flagged);
  for (const silent of ["matrix.image", "CI_REGISTRY_IMAGE", "distroless", "BASE", "scratch", "0.69.3"]) {
    assert.equal(drafts.some((d) => d.message.includes(silent)), false, silent);
  }
});

test("docker:// steps are found from action references when the facts carry no image list", async () => {
  const { context } = await ciContextFor(flagged);
  const ci = context.facts.ci;
  assert.ok(ci);
  const drafts = unpinnedContainerImage.check({ ...context, facts: { ci: { commands: [], actions: ci.actions, images: [] } } });
  assert.deepEqual(drafts.map((d) => [d.line, d.severity, d.key[1]]), [[20, "medium", "alpine:3.19"], [21, "medium", "aquasec/trivy:0.69.5"]]);
});
