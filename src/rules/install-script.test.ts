import { test } from "node:test";
import assert from "node:assert/strict";
import { check } from "../testing/context.js";
import { fixturePath, realworldPath } from "../testing/fixtures.js";
import { installScript } from "./install-script.js";
import type { FindingDraft } from "./rule.js";

function row(d: FindingDraft): string {
  return `${d.severity} ${d.file}:${d.line ?? "-"} [${d.key.join("|")}] ${d.package?.id}`;
}

const NPM_FINDINGS = [
  "medium package-lock.json:20 [.|ai-helper@1.0.0] ai-helper@1.0.0",
  "low package-lock.json:26 [.|core-js@3.37.1] core-js@3.37.1",
  "low package-lock.json:32 [.|esbuild@0.21.5] esbuild@0.21.5",
  "low package-lock.json:38 [.|fsevents@2.3.3] fsevents@2.3.3",
  "high package-lock.json:45 [.|ollama@0.5.0] ollama@0.5.0",
  "low package-lock.json:59 [.|sharp@0.33.0] sharp@0.33.0",
];

test("npm: one finding per package with an install script, ranked by blast radius", async () => {
  const drafts = await check(installScript, fixturePath(import.meta.url, "install-scripts", "npm"));
  // core-js is installed twice (hoisted and nested): one finding. ai-helper is a dependency of openai; ollama is AI.
  assert.deepEqual(drafts.map(row), NPM_FINDINGS);
  const ollama = drafts.find((d) => d.package?.name === "ollama");
  assert.equal(ollama?.message, "ollama@0.5.0 runs an install script, and it is an AI package: the script executes with the credentials of whoever installs it, CI included.");
  assert.match(ollama?.fix ?? "", /npm ci --ignore-scripts/);
  assert.match(ollama?.fix ?? "", /installScripts: \{ allow: \["ollama@0\.5\.0"\] \}/);
  assert.match(drafts[0]?.message ?? "", /inside an AI package's dependency tree/);
});

test("installScripts.allow accepts a name or an exact name@version", async () => {
  const drafts = await check(installScript, fixturePath(import.meta.url, "install-scripts", "npm"), {
    config: { installScripts: { allow: ["sharp", "fsevents@2.3.3", "esbuild@0.0.1"] } },
  });
  assert.deepEqual(drafts.map(row), NPM_FINDINGS.filter((r) => !r.includes("sharp@") && !r.includes("fsevents@")));
});

test("pnpm: requiresBuild", async () => {
  const drafts = await check(installScript, fixturePath(import.meta.url, "install-scripts", "pnpm"));
  assert.deepEqual(drafts.map(row), ["low pnpm-lock.yaml:10 [.|esbuild@0.21.5] esbuild@0.21.5"]);
  assert.match(drafts[0]?.fix ?? "", /pnpm\.onlyBuiltDependencies/);
});

test("no install scripts, or a format that does not record them: silent", async () => {
  assert.deepEqual(await check(installScript, fixturePath(import.meta.url, "integrity", "npm")), []);
  // pnpm 9 lockfiles no longer record requiresBuild; yarn never does.
  for (const folder of ["vercel__ai-chatbot", "langchain-ai__langchain-nextjs-template", "mozilla__pontoon"]) {
    assert.deepEqual(await check(installScript, realworldPath(folder)), [], folder);
  }
});
