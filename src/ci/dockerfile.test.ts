import { test } from "node:test";
import assert from "node:assert/strict";
import { readDockerfile } from "./dockerfile.js";

const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG NODE_VERSION=20
ARG BASE
FROM node:\${NODE_VERSION}-alpine AS deps
ENV CI=true PNPM_HOME="/pnpm"
RUN --mount=type=cache,target=/root/.npm \\
    npm install \\
    # a comment Docker drops
    && pnpm i
RUN ["npm", "ci"]
RUN ["sh", "-c", "yarn install"]
RUN <<EOF
pip install -r requirements.txt
uv sync
EOF
RUN cat <<EOF > /etc/conf
npm install
EOF
FROM deps AS build
FROM \${BASE}
FROM --platform=$BUILDPLATFORM python:3.12@sha256:${"b".repeat(64)}
FROM scratch
SHELL ["pwsh", "-Command"]
RUN npm install
`;

test("RUN: shell form with continuations and comments, exec form, sh -c, here-documents", () => {
  const out = readDockerfile("docker/Dockerfile", DOCKERFILE);
  assert.equal(out.problem, undefined);
  const rows = out.commands.map((c) => [c.line, c.where, c.argv.join(" ")]);
  assert.deepEqual(rows, [
    [7, "RUN", "npm install"],
    [9, "RUN", "pnpm i"],
    [10, "RUN", "npm ci"],
    [11, "RUN", "yarn install"],
    [13, "RUN", "pip install -r requirements.txt"],
    [14, "RUN", "uv sync"],
    [16, "RUN", "cat"],
  ]);
  const pnpm = out.commands.find((c) => c.argv[0] === "pnpm");
  assert.deepEqual([pnpm?.env.CI, pnpm?.env.PNPM_HOME, pnpm?.cwd], ["true", "/pnpm", "docker"]);
});

test("FROM: ARG defaults substituted; stages, scratch and digests told apart", () => {
  const out = readDockerfile("Dockerfile", DOCKERFILE);
  assert.deepEqual(out.images.map((i) => [i.line, i.image, i.use]), [
    [4, "node:20-alpine", "base-image"],
    [20, "${BASE}", "base-image"],
    [21, `python:3.12@sha256:${"b".repeat(64)}`, "base-image"],
  ]);
});

test("escape directive, unclosed here-document", () => {
  const windows = readDockerfile("Dockerfile", "# escape=`\nFROM mcr.microsoft.com/windows:ltsc2022\nRUN npm `\n  install\n");
  assert.deepEqual(windows.commands.map((c) => c.argv), [["npm", "install"]]);
  const open = readDockerfile("Dockerfile", "FROM a\nRUN <<EOF\nnpm ci\n");
  assert.equal(open.problem?.status, "partial");
  assert.match(open.problem?.reason ?? "", /here-document EOF on line 2 is not closed/);
  assert.deepEqual(readDockerfile("Dockerfile", "").commands, []);
});
