import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  DEFAULT_REGISTRY_CONFIG, hasCredentials, loadRegistryConfig, npmRegistryFor, parseNpmrc, parsePipConf, pypiJsonApiFor, registryConfigFrom, sameRegistry,
} from "./config.js";

describe("npmrc parsing", () => {
  it("reads registry, scope registries and comments, substitutes ${VAR}, and drops credential values", () => {
    const text = [
      "; project settings",
      "# another comment",
      "registry = https://npm.corp.example/api/npm/ ",
      "@acme:registry=\"https://npm.pkg.github.com\"",
      "//npm.pkg.github.com/:_authToken=${GITHUB_TOKEN}",
      "//npm.corp.example/api/npm/:_auth=c2VjcmV0",
      "cache=${HOME}/.npm-cache",
      "optional=${UNSET?}x",
    ].join("\n");
    const entries = parseNpmrc(text, { GITHUB_TOKEN: "ghp_example_not_a_token", HOME: "/home/dev" });
    assert.deepEqual(entries.map((e) => [e.key, e.value, e.line, e.secret]), [
      ["registry", "https://npm.corp.example/api/npm/", 3, false],
      ["@acme:registry", "https://npm.pkg.github.com", 4, false],
      ["//npm.pkg.github.com/:_authToken", "", 5, true],
      ["//npm.corp.example/api/npm/:_auth", "", 6, true],
      ["cache", "/home/dev/.npm-cache", 7, false],
      ["optional", "x", 8, false],
    ]);
    assert.ok(!JSON.stringify(entries).includes("ghp_example_not_a_token"));
    assert.ok(!JSON.stringify(entries).includes("c2VjcmV0"));
  });
});

describe("registry configuration", () => {
  it("defaults to the public registries", () => {
    assert.deepEqual(registryConfigFrom({}).config, DEFAULT_REGISTRY_CONFIG);
  });

  it("takes the first file that sets a key, the environment over files, and scope registries per scope", () => {
    const { config, problems } = registryConfigFrom({
      npmrc: [
        { file: "/p/.npmrc", text: "@acme:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken=x\n" },
        { file: "/home/u/.npmrc", text: "registry=https://mirror.example/npm\n@acme:registry=https://ignored.example/\n" },
      ],
      env: {},
    });
    assert.deepEqual(problems, []);
    assert.equal(config.npm.registry, "https://mirror.example/npm/");
    assert.deepEqual(config.npm.scopes, { "@acme": "https://npm.pkg.github.com/" });
    assert.deepEqual(config.npm.authenticated, ["//npm.pkg.github.com/"]);
    assert.equal(npmRegistryFor(config.npm, "@acme/widgets"), "https://npm.pkg.github.com/");
    assert.equal(npmRegistryFor(config.npm, "@other/x"), "https://mirror.example/npm/");
    assert.equal(npmRegistryFor(config.npm, "openai"), "https://mirror.example/npm/");
    assert.equal(hasCredentials(config.npm, "https://npm.pkg.github.com/"), true);
    assert.equal(hasCredentials(config.npm, "https://mirror.example/npm/"), false);
    const env = registryConfigFrom({ npmrc: [{ file: ".npmrc", text: "registry=https://a.example/" }], env: { npm_config_registry: "https://b.example" } });
    assert.equal(env.config.npm.registry, "https://b.example/");
  });

  it("reports a registry that is not an http(s) URL and keeps the default", () => {
    const { config, problems } = registryConfigFrom({ npmrc: [{ file: ".npmrc", text: "registry=file:///tmp/x\n" }] });
    assert.equal(config.npm.registry, "https://registry.npmjs.org/");
    assert.deepEqual(problems, [".npmrc:1: registry is not an http(s) URL; ignored"]);
  });

  it("reads pip's index-url from PIP_INDEX_URL, else pip.conf ([install] before [global]), and knows which hosts serve the JSON API", () => {
    assert.deepEqual(parsePipConf("[global]\nindex-url = https://a.example/simple\n[install]\nindex_url = https://b.example/simple\n"), { indexUrl: "https://b.example/simple" });
    assert.deepEqual(parsePipConf("[global]\ntimeout = 60\n"), {});
    const fromConf = registryConfigFrom({ pipConf: [{ file: "pip.conf", text: "[global]\nindex-url = https://nexus.corp.example/repository/pypi/simple\n" }] }).config.pypi;
    assert.deepEqual(fromConf, { index: "https://nexus.corp.example/repository/pypi/simple" });
    const fromEnv = registryConfigFrom({ pipConf: [{ file: "pip.conf", text: "[global]\nindex-url = https://x.example/simple\n" }], env: { PIP_INDEX_URL: "https://test.pypi.org/simple/" } }).config.pypi;
    assert.deepEqual(fromEnv, { index: "https://test.pypi.org/simple/", jsonApi: "https://test.pypi.org/pypi/" });
    assert.equal(pypiJsonApiFor("https://pypi.python.org/simple"), "https://pypi.org/pypi/");
    assert.equal(pypiJsonApiFor("https://pypi.corp.example/simple"), undefined);
  });

  it("asks the configured registry about public-registry URLs (npm rewrites them), never about other hosts", () => {
    assert.equal(sameRegistry("npm", "registry.yarnpkg.com", "https://registry.npmjs.org/"), true);
    assert.equal(sameRegistry("npm", "registry.npmjs.org", "https://npm.corp.example/api/npm/"), true);
    assert.equal(sameRegistry("npm", "npm.other.example", "https://npm.corp.example/api/npm/"), false);
    assert.equal(sameRegistry("npm", "npm.pkg.github.com", "https://registry.npmjs.org/"), false);
    assert.equal(sameRegistry("npm", "npm.corp.example", "https://npm.corp.example/api/npm/"), true);
    assert.equal(sameRegistry("pypi", "pypi.org", "https://pypi.org/pypi/"), true);
    assert.equal(sameRegistry("pypi", "files.pythonhosted.org", "https://pypi.org/pypi/"), true);
    assert.equal(sameRegistry("pypi", "download.pytorch.org", "https://pypi.org/pypi/"), false);
  });

  it("loads the project .npmrc before the user's and the user's pip.conf, from injected paths", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aiwarden-registry-config-"));
    try {
      const project = join(dir, "project");
      const home = join(dir, "home");
      await mkdir(project, { recursive: true });
      await mkdir(join(home, ".config", "pip"), { recursive: true });
      await writeFile(join(project, ".npmrc"), "registry=https://project.example/\n");
      await writeFile(join(home, ".npmrc"), "registry=https://user.example/\n@acme:registry=https://acme.example/\n");
      await writeFile(join(home, ".config", "pip", "pip.conf"), "[global]\nindex-url = https://pypi.org/simple\n");
      const { config } = await loadRegistryConfig({ projectDirs: [project], home, env: {} });
      assert.equal(config.npm.registry, "https://project.example/");
      assert.deepEqual(config.npm.scopes, { "@acme": "https://acme.example/" });
      assert.deepEqual(config.pypi, { index: "https://pypi.org/simple", jsonApi: "https://pypi.org/pypi/" });
      const none = await loadRegistryConfig({ projectDirs: [join(dir, "missing")], env: {} });
      assert.deepEqual(none.config, DEFAULT_REGISTRY_CONFIG);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
