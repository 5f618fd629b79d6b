import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRequirementsFile } from "./requirements-file.js";
import { fromFileName, interpretRequirement, redactCredentials } from "./requirement-target.js";

test("requirement forms: registry, URL, VCS, editable, path, wheel and sdist names", () => {
  const wheelUrl = "https://files.pythonhosted.org/packages/02/6c/5327667e6dbe9e98cbfbd4261c8e91386a52e38f41419575854248bbab6a/litellm-1.82.6-py3-none-any.whl";
  const cases: Array<[string, boolean, Record<string, unknown>]> = [
    ["litellm==1.82.6", false, { name: "litellm", version: "1.82.6", source: "registry", declared: "==1.82.6" }],
    ["Django===4.2.1", false, { name: "django", version: "4.2.1", source: "registry" }],
    ["openai==1.*", false, { name: "openai", version: "", declared: "==1.*" }],
    ["LiteLLM[Proxy, caching] >= 1.40, <2", false, { name: "litellm", version: "", declared: "[proxy,caching]>=1.40,<2" }],
    [`numpy>=2.3,<2.5; python_version >= "3.11"`, false, { name: "numpy", version: "", declared: `>=2.3,<2.5 ; python_version >= "3.11"`, marker: `python_version >= "3.11"` }],
    ["pydantic", false, { name: "pydantic", version: "", declared: "", source: "registry" }],
    ["git+https://github.com/BerriAI/litellm.git@v1.82.6#egg=litellm", false, { name: "litellm", version: "", source: "git", resolved: "git+https://github.com/BerriAI/litellm.git@v1.82.6" }],
    ["git+ssh://git@github.com/acme/agent-kit.git@4f2c1e0", false, { name: "agent-kit", source: "git", resolved: "git+ssh://git@github.com/acme/agent-kit.git@4f2c1e0" }],
    ["my_lib @ git+https://github.com/acme/mylib@main ; sys_platform == 'linux'", false, { name: "my-lib", source: "git", resolved: "git+https://github.com/acme/mylib@main", marker: "sys_platform == 'linux'" }],
    ["git+https://github.com/acme/tools.git@main#egg=acme_tools", true, { name: "acme-tools", source: "git", declared: "-e git+https://github.com/acme/tools.git@main#egg=acme_tools" }],
    [".", true, { name: ".", source: "path", resolved: "." }],
    ["./libs/core[dev]", true, { name: "core", source: "path", resolved: "./libs/core" }],
    ["../shared", false, { name: "shared", source: "path", resolved: "../shared" }],
    ["./vendor/litellm-1.82.6-py3-none-any.whl", false, { name: "litellm", version: "1.82.6", source: "path" }],
    ["python-dateutil-2.8.2.tar.gz", false, { name: "python-dateutil", version: "2.8.2", source: "path" }],
    [`${wheelUrl}#sha256=164a3ef3e19f309e3cabc199bef3d2045212712fefdfa25fc7f75884a5b5b205`, false, { name: "litellm", version: "1.82.6", source: "url", resolved: wheelUrl, hashes: [{ algorithm: "sha256", value: "164a3ef3e19f309e3cabc199bef3d2045212712fefdfa25fc7f75884a5b5b205" }] }],
    [`litellm @ ${wheelUrl}`, false, { name: "litellm", version: "1.82.6", source: "url", declared: `@ ${wheelUrl}` }],
    ["https://example.test/dist/openai-1.30.1.tar.gz; python_version >= '3.8'", false, { name: "openai", version: "1.30.1", source: "url", marker: "python_version >= '3.8'" }],
    ["file:///opt/wheels/openai-1.30.1-py3-none-any.whl", false, { name: "openai", version: "1.30.1", source: "path" }],
    ["https://example.test/archive/main.zip#egg=agent-kit", false, { name: "agent-kit", version: "", source: "url" }],
  ];
  for (const [text, editable, expected] of cases) {
    const target = interpretRequirement(text, editable);
    assert.ok(!("error" in target), `${text}: ${"error" in target ? target.error : ""}`);
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(target[key as keyof typeof target], value, `${text}: ${key}`);
  }
});

test("requirement texts that are not requirements are errors, not packages", () => {
  for (const text of ["This is a readme", "litellm>=>1", "litellm[proxy", "@ https://x.test/a.whl", "pkg @ not-a-url", "https://example.test/"]) {
    const target = interpretRequirement(text, false);
    assert.ok("error" in target, text);
  }
});

test("distribution file names", () => {
  assert.deepEqual(fromFileName("torch-2.1.0%2Bcpu-cp311-cp311-linux_x86_64.whl"), { name: "torch", version: "2.1.0+cpu" });
  assert.deepEqual(fromFileName("Google_Generativeai-0.5.0-1-py3-none-any.whl"), { name: "google-generativeai", version: "0.5.0" });
  assert.equal(fromFileName("broken.whl"), undefined);
  assert.deepEqual(fromFileName("pkg.zip"), { name: "pkg", version: "" });
});

test("credentials in URLs never reach the graph or the recorded options", () => {
  const cases: Array<[string, string]> = [
    ["https://user:s3cret@private.test/simple", "https://user:***@private.test/simple"],
    ["git+https://ghp_abcdef@github.com/acme/private.git@v1", "git+https://***@github.com/acme/private.git@v1"],
    ["git+ssh://git@github.com/acme/tools.git@v1", "git+ssh://git@github.com/acme/tools.git@v1"],
    ["https://${PYPI_USER}:${PYPI_TOKEN}@private.test/simple", "https://${PYPI_USER}:${PYPI_TOKEN}@private.test/simple"],
    ["https://host.test/a@b", "https://host.test/a@b"],
    ["no url here", "no url here"],
  ];
  for (const [input, expected] of cases) assert.equal(redactCredentials(input), expected, input);
  const parsed = parseRequirementsFile("--extra-index-url https://user:s3cret@private.test/simple\n");
  assert.deepEqual(parsed.options.map((o) => o.value), ["https://user:***@private.test/simple"]);
  const target = interpretRequirement("git+https://x-access-token:ghp_abcdef@github.com/acme/private.git@v1#egg=private", true);
  assert.ok(!("error" in target));
  assert.equal(target.resolved, "git+https://x-access-token:***@github.com/acme/private.git@v1");
  assert.equal(target.declared.includes("ghp_abcdef"), false);
});
