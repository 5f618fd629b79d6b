import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeInstall, npmSpec } from "./install-commands.js";
import type { InstallIssue } from "./install-commands.js";

/** A compact view: kind, tool, and the fields that differ from the defaults. */
function summary(command: string, env: Record<string, string> = {}): string[] {
  return analyzeInstall(command.split(" "), env).map((issue: InstallIssue) => {
    const parts = [issue.kind, issue.tool];
    if (issue.unpinned.length > 0) parts.push(`unpinned=${issue.unpinned.join(",")}`);
    if (issue.requirementFiles.length > 0) parts.push(`r=${issue.requirementFiles.join(",")}`);
    if (issue.requireHashes) parts.push("hashes");
    if (issue.lockFlag !== "default") parts.push(issue.lockFlag);
    if (issue.directory !== undefined) parts.push(`dir=${issue.directory}`);
    if (issue.upgrade) parts.push("upgrade");
    if (issue.global) parts.push("global");
    if (issue.mayBeLocal) parts.push("local?");
    return parts.join(" ");
  });
}

test("npm", () => {
  const table: Array<[string, string[]]> = [
    ["npm install", ["npm-install npm"]],
    ["npm i --include=optional", ["npm-install npm"]],
    ["npm --prefix web install", ["npm-install npm dir=web"]],
    ["npm ci", []],
    ["npm clean-install", []],
    ["npm install -g @vscode/vsce ovsx@1.2.3 npm@^10", ["unpinned-package npm install unpinned=@vscode/vsce,npm@^10 global"]],
    ["npm install --global license-checker-rseidelsohn@4.4.2", []],
    ["npm i -D typescript@latest", ["unpinned-package npm install unpinned=typescript@latest"]],
    ["npm i ./local-pkg file:../x pkg.tgz", []],
    ["npm i github:o/r#0123456789abcdef0123456789abcdef01234567", []],
    ["npm i o/r", ["unpinned-package npm install unpinned=o/r"]],
    ["npm i $PKG", []],
    ["npm update", ["lock-update npm update"]],
    ["npm run build", []],
    ["npm exec --package=cowsay@1.2.0 -- cowsay hi", []],
    ["npm exec cowsay", ["tool-run npm exec unpinned=cowsay local?"]],
    ["npm init vite@latest", ["tool-run npm init unpinned=create-vite@latest"]],
    ["npm init -y", []],
  ];
  for (const [command, expected] of table) assert.deepEqual(summary(command), expected, command);
});

test("npx and bunx", () => {
  const table: Array<[string, string[]]> = [
    ["npx prettier --check .", ["tool-run npx unpinned=prettier local?"]],
    ["npx --yes semantic-release@24.2.0", []],
    ["npx -y create-react-app@latest app", ["tool-run npx unpinned=create-react-app@latest"]],
    ["npx -p @vscode/vsce@3.2.1 vsce package", []],
    ["npx --package typescript tsc", ["tool-run npx unpinned=typescript"]],
    ["npx --no-install eslint", []],
    ["npx -c 'echo hi'", []],
    ["bunx cowsay", ["tool-run bunx unpinned=cowsay local?"]],
    ["npx", []],
  ];
  for (const [command, expected] of table) assert.deepEqual(summary(command), expected, command);
});

test("yarn, pnpm, bun: install flags, env and adds", () => {
  const table: Array<[string, Record<string, string>, string[]]> = [
    ["yarn", {}, ["lockfile-install yarn"]],
    ["yarn install --frozen-lockfile", {}, ["lockfile-install yarn frozen"]],
    ["yarn --immutable", {}, ["lockfile-install yarn frozen"]],
    ["yarn install --no-immutable", {}, ["lockfile-install yarn unfrozen"]],
    ["yarn install", { YARN_ENABLE_IMMUTABLE_INSTALLS: "true" }, ["lockfile-install yarn frozen"]],
    ["yarn --cwd server install", {}, ["lockfile-install yarn dir=server"]],
    ["yarn --version", {}, []],
    ["yarn lint:check", {}, []],
    ["yarn add left-pad@1.3.0", {}, []],
    ["yarn global add serve", {}, ["unpinned-package yarn global add unpinned=serve global"]],
    ["yarn dlx create-next-app", {}, ["tool-run yarn dlx unpinned=create-next-app"]],
    ["yarn up", {}, ["lock-update yarn up"]],
    ["pnpm install", {}, ["lockfile-install pnpm"]],
    ["pnpm i --frozen-lockfile", {}, ["lockfile-install pnpm frozen"]],
    ["pnpm i --frozen-lockfile=false", {}, ["lockfile-install pnpm unfrozen"]],
    ["pnpm install --no-frozen-lockfile", {}, ["lockfile-install pnpm unfrozen"]],
    ["pnpm -C web install", { npm_config_frozen_lockfile: "true" }, ["lockfile-install pnpm frozen dir=web"]],
    ["pnpm add -g vercel", {}, ["unpinned-package pnpm add unpinned=vercel global"]],
    ["pnpm dlx shadcn@2.1.0 init", {}, []],
    ["pnpm run build", {}, []],
    ["bun install", {}, ["lockfile-install bun"]],
    ["bun install --frozen-lockfile", {}, ["lockfile-install bun frozen"]],
    ["bun add zod", {}, ["unpinned-package bun add unpinned=zod"]],
    ["bun run test", {}, []],
  ];
  for (const [command, env, expected] of table) assert.deepEqual(summary(command, env), expected, command);
});

test("pip and uv pip", () => {
  const table: Array<[string, Record<string, string>, string[]]> = [
    ["pip install -r requirements.txt", {}, ["requirements-install pip r=requirements.txt"]],
    ["pip install --require-hashes -r requirements.txt", {}, ["requirements-install pip r=requirements.txt hashes"]],
    ["pip install -r requirements.txt", { PIP_REQUIRE_HASHES: "1" }, ["requirements-install pip r=requirements.txt hashes"]],
    ["python3 -m pip install --upgrade pip setuptools==70.0.0", {}, ["unpinned-package pip unpinned=pip upgrade"]],
    ["pip3 install -qU requests", {}, ["unpinned-package pip unpinned=requests upgrade"]],
    ["pip install torch==2.3.1+cpu torchvision --extra-index-url https://x", {}, ["unpinned-package pip unpinned=torchvision"]],
    ["pip install requests==2.32.3 litellm[proxy]==1.82.6", {}, []],
    ["pip install requests>=2", {}, ["unpinned-package pip unpinned=requests>=2"]],
    ["pip install pkg==1.*", {}, ["unpinned-package pip unpinned=pkg==1.*"]],
    ["pip install -c constraints.txt requests", {}, []],
    ["pip install .", {}, ["project-install pip"]],
    ["pip install -e .[dev]", {}, ["project-install pip"]],
    ["pip install --no-deps .", {}, []],
    ["pip install -r req.txt -e .", {}, ["requirements-install pip r=req.txt"]],
    ["pip install dist/pkg-1.0-py3-none-any.whl", {}, []],
    ["pip install git+https://github.com/o/r@0123456789abcdef0123456789abcdef01234567#egg=r", {}, []],
    ["pip install git+https://github.com/o/r@main#egg=r", {}, ["unpinned-package pip unpinned=git+https://github.com/o/r@main#egg=r"]],
    ["pip install $PKGS", {}, []],
    ["pip uninstall -y x", {}, []],
    ["python -c import", {}, []],
    ["uv pip install -r requirements/dev.txt", {}, ["requirements-install uv pip r=requirements/dev.txt"]],
    ["uv pip install pytest-dotenv", {}, ["unpinned-package uv pip unpinned=pytest-dotenv"]],
    ["uv pip install pip-licenses==5.0.0", {}, []],
    ["uv pip install --system pip", {}, ["unpinned-package uv pip unpinned=pip"]],
  ];
  for (const [command, env, expected] of table) assert.deepEqual(summary(command, env), expected, command);
});

test("uv, uvx, poetry, pipenv, pipx", () => {
  const table: Array<[string, Record<string, string>, string[]]> = [
    ["uv sync", {}, ["uv-sync uv sync"]],
    ["uv sync --locked --all-extras", {}, []],
    ["uv sync --frozen", {}, []],
    ["uv sync", { UV_LOCKED: "1" }, []],
    ["uv --directory api sync", {}, ["uv-sync uv sync dir=api"]],
    ["uv sync -U", {}, ["lock-update uv sync --upgrade"]],
    ["uv run pytest --frozen", {}, ["uv-sync uv run"]],
    ["uv run --locked pytest", {}, []],
    ["uv run --no-project script.py", {}, []],
    ["uv run --with httpx pytest", {}, ["uv-sync uv run", "tool-run uv run --with unpinned=httpx"]],
    ["uv lock --upgrade", {}, ["lock-update uv lock --upgrade"]],
    ["uv lock --check", {}, []],
    ["uvx ruff check", {}, ["tool-run uvx unpinned=ruff"]],
    ["uvx ruff@0.6.9 check", {}, []],
    ["uvx ruff@latest check", {}, ["tool-run uvx unpinned=ruff@latest"]],
    ["uvx --from ruff==0.6.9 ruff", {}, []],
    ["uv tool install pre-commit", {}, ["unpinned-package uv tool install unpinned=pre-commit global"]],
    ["uv tool run black==24.1.0", {}, []],
    ["poetry install --no-root", {}, ["poetry-install poetry install"]],
    ["poetry -C api sync", {}, ["poetry-install poetry sync dir=api"]],
    ["poetry add httpx@^0.27 rich==13.7.1", {}, ["unpinned-package poetry add unpinned=httpx@^0.27"]],
    ["poetry add httpx@0.27.0", {}, []],
    ["poetry update", {}, ["lock-update poetry update"]],
    ["poetry check --lock", {}, []],
    ["pipenv install", {}, ["pipenv-install pipenv install"]],
    ["pipenv install --deploy --system", {}, []],
    ["pipenv install requests", {}, ["unpinned-package pipenv install unpinned=requests"]],
    ["pipenv sync", {}, []],
    ["pipx install poetry", {}, ["unpinned-package pipx install unpinned=poetry global"]],
    ["pipx install poetry==1.8.3", {}, []],
    ["pipx run --spec black==24.1.0 black .", {}, []],
    ["pipx run cowsay", {}, ["tool-run pipx run unpinned=cowsay"]],
  ];
  for (const [command, env, expected] of table) assert.deepEqual(summary(command, env), expected, command);
});

test("npm specs: exact semver, git commits and tarballs pin; ranges, tags and bare names do not", () => {
  const table: Array<[string, { name: string; pinned: boolean } | undefined]> = [
    ["left-pad", { name: "left-pad", pinned: false }],
    ["left-pad@1.3.0", { name: "left-pad", pinned: true }],
    ["@scope/pkg@1.0.0-beta.1", { name: "@scope/pkg", pinned: true }],
    ["@scope/pkg@^1", { name: "@scope/pkg", pinned: false }],
    ["alias@npm:real@2.0.0", { name: "alias", pinned: true }],
    ["https://example.com/x.tgz", undefined],
    ["https://example.com/x", { name: "https://example.com/x", pinned: true }],
    ["./dir", undefined],
    ["$X", undefined],
  ];
  for (const [spec, expected] of table) assert.deepEqual(npmSpec(spec), expected, spec);
});
