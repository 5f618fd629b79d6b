import { test } from "node:test";
import assert from "node:assert/strict";
import { ciFileKind } from "./claims.js";

test("which paths are CI files, and of which kind", () => {
  const table: Array<[string, string | undefined]> = [
    [".github/workflows/ci.yml", "github-workflow"],
    [".github/workflows/release.yaml", "github-workflow"],
    ["sub/.github/workflows/ci.yml", "github-workflow"],
    [".github/workflows/nested/ci.yml", undefined],
    [".github/workflows/README.md", undefined],
    ["action.yml", "github-action"],
    [".github/actions/setup/action.yaml", "github-action"],
    [".gitlab-ci.yml", "gitlab-ci"],
    ["Dockerfile", "dockerfile"],
    ["docker/Dockerfile.prod", "dockerfile"],
    ["api.dockerfile", "dockerfile"],
    ["Containerfile", "dockerfile"],
    ["Makefile", "makefile"],
    ["GNUmakefile", "makefile"],
    ["build/rules.mk", "makefile"],
    ["scripts/install.sh", "shell"],
    ["setup.bash", "shell"],
    ["package.json", undefined],
    ["docker-compose.yml", undefined],
    ["src/ci/dockerfile.test.ts", undefined],
    ["docs/dockerfile.md", undefined],
    ["Dockerfile.dev", "dockerfile"],
  ];
  for (const [path, kind] of table) assert.equal(ciFileKind(path), kind, path);
});
