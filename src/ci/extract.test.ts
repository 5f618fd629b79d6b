import { test } from "node:test";
import assert from "node:assert/strict";
import { ciFileKind } from "./claims.js";
import type { CiFileKind } from "./claims.js";
import { extractCiFacts } from "./extract.js";

function files(entries: Record<string, string>): Array<{ path: string; kind: CiFileKind; text: string }> {
  return Object.entries(entries).map(([path, text]) => ({ path, kind: ciFileKind(path) as CiFileKind, text }));
}

const REPO = {
  ".github/workflows/ci.yml": [
    "jobs:",
    "  build:",
    "    permissions:",
    "      id-token: write",
    "    steps:",
    "      - run: ../scripts/ci.sh",
    "        working-directory: app",
    "      - run: bash scripts/shared.sh",
    "      - run: make -C tools",
  ].join("\n"),
  "scripts/ci.sh": "#!/usr/bin/env bash\nnpm install\nsource ./scripts/helper.sh\n",
  "scripts/helper.sh": "pip install x\n",
  "scripts/shared.sh": "pnpm install\n",
  "scripts/dev-setup.sh": "npm install\n",
  "scripts/tool.sh": "#!/usr/bin/env python3\nimport os\n",
  "tools/Makefile": "all: build\nbuild:\n\tnpm install\ndev:\n\tyarn add left-pad\n",
  "docker/Dockerfile": "FROM node:20\nRUN /app/scripts/shared.sh\n",
};

test("scripts and Makefile targets inherit where their first caller runs; the rest stays unreached", () => {
  const { facts, files: statuses } = extractCiFacts(files(REPO));
  assert.deepEqual(statuses, []);
  const rows = facts.commands.map((c) => [c.file, c.line, c.argv.join(" "), c.environment, c.cwd, c.job, c.jobPublishes]);
  assert.deepEqual(rows, [
    [".github/workflows/ci.yml", 6, "../scripts/ci.sh", "ci", "app", "build", true],
    [".github/workflows/ci.yml", 8, "bash scripts/shared.sh", "ci", ".", "build", true],
    [".github/workflows/ci.yml", 9, "make -C tools", "ci", ".", "build", true],
    ["docker/Dockerfile", 2, "/app/scripts/shared.sh", "image-build", "docker", undefined, false],
    ["scripts/ci.sh", 2, "npm install", "ci", "app", "build", true],
    ["scripts/ci.sh", 3, "source ./scripts/helper.sh", "ci", "app", "build", true],
    ["scripts/dev-setup.sh", 1, "npm install", "unreached", undefined, undefined, false],
    // Reached from ci.sh, which runs in app/: `./scripts/helper.sh` resolves from the root as a fallback.
    ["scripts/helper.sh", 1, "pip install x", "ci", "app", "build", true],
    // Run by the Dockerfile and by CI: the image build, where package managers' CI defaults do not apply, wins.
    ["scripts/shared.sh", 1, "pnpm install", "image-build", "docker", undefined, false],
    ["tools/Makefile", 3, "npm install", "ci", "tools", "build", true],
    ["tools/Makefile", 5, "yarn add left-pad", "unreached", "tools", undefined, false],
  ]);
});

test("statuses: only files that failed or were read in part are listed", () => {
  const { facts, files: statuses } = extractCiFacts(files({
    ".github/workflows/bad.yml": "on: push\n",
    "run.sh": "echo 'open\n",
    "Dockerfile": "FROM a\nRUN npm ci\n",
  }));
  assert.deepEqual(statuses, [
    { path: ".github/workflows/bad.yml", status: "failed", reason: "not a GitHub Actions workflow: no `jobs` mapping" },
    { path: "run.sh", status: "partial", reason: "a single quote is not closed" },
  ]);
  assert.deepEqual(facts.commands.map((c) => c.argv.join(" ")), ["npm ci", "echo open\n"]);
  assert.deepEqual(extractCiFacts([]), { facts: { commands: [], actions: [], images: [] }, files: [] });
});
