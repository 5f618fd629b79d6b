import { test } from "node:test";
import assert from "node:assert/strict";
import { check } from "../testing/context.js";
import { fixturePath, realworldPath } from "../testing/fixtures.js";
import type { FindingDraft } from "./rule.js";
import { describeRange, unpinnedAiDependency } from "./unpinned-ai-dependency.js";

function row(d: FindingDraft): string {
  return `${d.severity} ${d.file}:${d.line ?? "-"} [${d.key.join("|")}] ${d.package?.name}@${d.package?.version}`;
}

test("npm: ranges and dist-tags on direct AI dependencies; exact pins, aliases to a pin, peers and other packages pass", async () => {
  const drafts = await check(unpinnedAiDependency, fixturePath(import.meta.url, "pins", "npm"));
  assert.deepEqual(drafts.map(row), [
    // A gateway holds every provider's key.
    "high package.json:6 [package.json|@ai-sdk/gateway] @ai-sdk/gateway@3.0.15",
    "medium package.json:12 [package.json|ai] ai@5.0.0",
    "medium package.json:5 [package.json|openai] openai@4.104.0",
  ]);
  const [gateway, ai, openai] = drafts as [FindingDraft, FindingDraft, FindingDraft];
  assert.equal(openai.message, `"openai": "^4.56.0" in package.json resolves to 4.104.0 today; ^ accepts any 4.x.`);
  assert.equal(openai.fix, `Pin the exact version the lockfile resolves: "openai": "4.104.0", and let a dependency bot propose upgrades you review.`);
  assert.equal(gateway.message, `"@ai-sdk/gateway": "~3.0.15" in package.json resolves to 3.0.15 today; ~ accepts any 3.0.x.`);
  assert.match(ai.message, /"ai": "latest" in package\.json resolves to 5\.0\.0 today; "latest" is a dist-tag/);
  assert.equal(openai.project, ".");
  assert.equal(openai.package?.id, "openai@4.104.0");
});

test("a range nothing locks is one step higher, and the fix asks for the tested version", async () => {
  const drafts = await check(unpinnedAiDependency, fixturePath(import.meta.url, "pins", "npm-manifest"));
  // `=0.39.0` is an exact pin.
  assert.deepEqual(drafts.map(row), ["high package.json:5 [package.json|openai] openai@"]);
  assert.equal(drafts[0]?.message, `"openai": "^4.0.0" in package.json is not pinned and no lockfile pins it: every install takes the newest release it accepts (^ accepts any 4.x).`);
  assert.match(drafts[0]?.fix ?? "", /`npm ls openai` prints the installed one\): "openai": "<version>"/);
});

test("Python declarations: requirements, compile inputs, Poetry, PEP 621 and dependency groups, Pipfile", async () => {
  const table: Array<[string, Array<[string, string, RegExp]>]> = [
    ["requirements", [
      ["high requirements.txt:3 [requirements.txt|anthropic] anthropic@", "anthropic~=0.30 in requirements.txt is not pinned and no lockfile pins it: every install takes the newest release it accepts (~= accepts any 0.x).", /anthropic==<version>/],
      ["high requirements.txt:1 [requirements.txt|litellm] litellm@", "litellm>=1.40 in requirements.txt is not pinned and no lockfile pins it: every install takes the newest release it accepts (>= accepts any later release, new majors included).", /litellm\[proxy\]==<version>/],
    ]],
    // The compiled file pins openai; the range the project wrote is in requirements.in, and that is where it points.
    ["compiled", [
      ["medium requirements.in:1 [requirements.in|openai] openai@1.40.0", "openai>=1.0 in requirements.in resolves to 1.40.0 today; >= accepts any later release, new majors included.", /: openai==1\.40\.0, /],
    ]],
    // A bare Poetry version (anthropic = "0.30.0") is an exact pin.
    ["poetry", [
      ["medium pyproject.toml:9 [pyproject.toml|openai] openai@1.99.9", `openai = "^1.40" in pyproject.toml resolves to 1.99.9 today; ^ accepts any 1.x.`, /: openai = "1\.99\.9", /],
    ]],
    ["pep621", [
      ["high pyproject.toml:10 [pyproject.toml|litellm] litellm@", "litellm (no version) in pyproject.toml is not pinned and no lockfile pins it: every install takes the newest release it accepts (it accepts any version).", /"litellm==<version>"/],
      ["high pyproject.toml:5 [pyproject.toml|openai] openai@", "openai>=1.40 in pyproject.toml is not pinned and no lockfile pins it: every install takes the newest release it accepts (>= accepts any later release, new majors included).", /"openai==<version>"/],
    ]],
    ["pipfile", [
      ["high Pipfile:2 [Pipfile|openai] openai@", `openai = "*" in Pipfile is not pinned and no lockfile pins it: every install takes the newest release it accepts (it accepts any version).`, /openai = "==<version>"/],
    ]],
  ];
  for (const [folder, expected] of table) {
    const drafts = await check(unpinnedAiDependency, fixturePath(import.meta.url, "pins", folder));
    assert.deepEqual(drafts.map((d) => [row(d), d.message]), expected.map(([r, m]) => [r, m]), folder);
    drafts.forEach((d, i) => assert.match(d.fix, expected[i]?.[2] as RegExp, folder));
  }
});

test("exact pins everywhere: no finding", async () => {
  assert.deepEqual(await check(unpinnedAiDependency, fixturePath(import.meta.url, "pins", "clean")), []);
  // gemini-cli pins @google/genai exactly in its workspace; DocsGPT pins openai and anthropic with ==.
  const docs = await check(unpinnedAiDependency, realworldPath("arc53__DocsGPT"));
  assert.deepEqual(docs.map((d) => d.package?.name), ["pgvector"]);
  assert.deepEqual(await check(unpinnedAiDependency, realworldPath("google-gemini__gemini-cli")), []);
});

test("real project: the litellm range of OpenInterpreter's pyproject, at its Poetry line", async () => {
  const drafts = await check(unpinnedAiDependency, realworldPath("OpenInterpreter__open-interpreter"));
  const litellm = drafts.find((d) => d.package?.name === "litellm");
  assert.equal(litellm?.severity, "high");
  assert.equal(litellm?.message, `litellm = "^1.41.26" in pyproject.toml resolves to 1.50.4 today; ^ accepts any 1.x.`);
  assert.equal(litellm?.line, 64);
});

test("what a spec accepts, or undefined for one exact version", () => {
  const table: Array<["npm" | "pypi", string, string | undefined]> = [
    ["npm", "4.56.0", undefined],
    ["npm", "=4.56.0", undefined],
    ["npm", "v4.56.0", undefined],
    ["npm", "^0.0.3", undefined],
    ["npm", "npm:openai@4.1.0", undefined],
    ["npm", "workspace:*", undefined],
    ["npm", "^4.56.0", "^ accepts any 4.x"],
    ["npm", "^0.3.1", "^ accepts any 0.3.x"],
    ["npm", "~4.56.0", "~ accepts any 4.56.x"],
    ["npm", "4.x", "it accepts any 4.x"],
    ["npm", "4", "it accepts any 4.x"],
    ["npm", "*", "it accepts any version"],
    ["npm", "", "it accepts any version"],
    ["npm", ">=4.0.0", "it accepts any later version, new majors included"],
    ["npm", ">=4.0.0 <5.0.0", "it accepts any version from 4.0.0 below 5.0.0"],
    ["npm", "next", `"next" is a dist-tag: it installs whatever the registry tags so at install time`],
    ["npm", "npm:openai@^4", "^ accepts any 4.x"],
    ["pypi", "==1.2.3", undefined],
    ["pypi", "===1.2.3", undefined],
    ["pypi", "1.2.3", undefined],
    ["pypi", "[proxy]==1.82.6 ; python_version >= \"3.9\"", undefined],
    ["pypi", "git+https://github.com/x/y", undefined],
    ["pypi", "", "it accepts any version"],
    ["pypi", "*", "it accepts any version"],
    ["pypi", ">=1.40", ">= accepts any later release, new majors included"],
    ["pypi", ">=1.40,<2", "it accepts any version from 1.40 below 2"],
    ["pypi", "~=1.4.2", "~= accepts any 1.4.x"],
    ["pypi", "~=1.4", "~= accepts any 1.x"],
    ["pypi", "==1.*", "it accepts any 1.x"],
    ["pypi", "^1.41", "^ accepts any 1.x"],
    ["pypi", "^0.37.1", "^ accepts any 0.37.x"],
    ["pypi", "~1.2", "~ accepts any 1.2.x"],
    ["pypi", "!=1.0", "it accepts any version but the excluded ones"],
    ["pypi", "<1.25 || ^1.26", "it accepts several ranges"],
  ];
  for (const [ecosystem, spec, expected] of table) assert.equal(describeRange(ecosystem, spec), expected, `${ecosystem} ${spec}`);
});
