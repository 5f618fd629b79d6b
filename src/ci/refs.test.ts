import { test } from "node:test";
import assert from "node:assert/strict";
import { loadCompromisedTags, parseCompromisedTags } from "./compromised-tags.js";
import { compromisedAction, compromisedImage, hasDigest, parseImage, parseUses, refKind } from "./refs.js";

test("uses references: remote (with path), local, docker, malformed", () => {
  assert.deepEqual(parseUses("actions/checkout@v4"), { kind: "remote", owner: "actions", repo: "checkout", path: "", ref: "v4" });
  assert.deepEqual(parseUses("github/codeql-action/upload-sarif@v3"), { kind: "remote", owner: "github", repo: "codeql-action", path: "upload-sarif", ref: "v3" });
  assert.deepEqual(parseUses("o/r/.github/workflows/x.yml@main"), { kind: "remote", owner: "o", repo: "r", path: ".github/workflows/x.yml", ref: "main" });
  assert.deepEqual(parseUses("./.github/actions/setup"), { kind: "local", path: "./.github/actions/setup" });
  assert.deepEqual(parseUses("docker://alpine:3.19"), { kind: "docker", image: "alpine:3.19" });
  assert.equal(parseUses("actions/checkout"), undefined);
  assert.equal(parseUses("@v4"), undefined);
});

test("ref kinds", () => {
  const table: Array<[string, string]> = [
    ["de0fac2e4500dabe0009e67214ff5f5447ce83dd", "sha"],
    ["DE0FAC2E4500DABE0009E67214FF5F5447CE83DD", "sha"],
    ["de0fac2", "short-sha"],
    ["v4", "version-tag"],
    ["0.24.0", "version-tag"],
    ["v1.2.3-rc.1", "version-tag"],
    ["main", "branch"],
    ["release/v1", "branch"],
    ["latest", "ref"],
    ["beef", "ref"],
  ];
  for (const [ref, kind] of table) assert.equal(refKind(ref), kind, ref);
});

test("compromised action tags from the shipped data: trivy-action 0.0.1–0.34.2, setup-trivy v0.2.0–v0.2.6", () => {
  const data = loadCompromisedTags();
  const table: Array<[string, string, string, boolean]> = [
    ["aquasecurity", "trivy-action", "0.24.0", true],
    ["AquaSecurity", "Trivy-Action", "0.0.1", true],
    ["aquasecurity", "trivy-action", "0.34.2", true],
    ["aquasecurity", "trivy-action", "0.35.0", false],
    ["aquasecurity", "trivy-action", "v0.24.0", false],
    ["aquasecurity", "trivy-action", "master", false],
    ["aquasecurity", "setup-trivy", "v0.2.0", true],
    ["aquasecurity", "setup-trivy", "v0.2.6", true],
    ["aquasecurity", "setup-trivy", "v0.2.7", false],
    ["aquasecurity", "setup-trivy", "0.2.1", false],
    ["actions", "checkout", "0.24.0", false],
  ];
  for (const [owner, repo, ref, bad] of table) assert.equal(compromisedAction(data, owner, repo, ref) !== undefined, bad, `${owner}/${repo}@${ref}`);
  assert.equal(compromisedAction(data, "aquasecurity", "trivy-action", "0.24.0")?.safe?.sha, "57a97c7e7821a5776cebc9bb87c984fa69cba8f1");
  assert.equal(compromisedAction(undefined, "aquasecurity", "trivy-action", "0.24.0"), undefined);
});

test("images: parsing, digests, compromised tags under every spelling", () => {
  assert.deepEqual(parseImage("node"), { repository: "node" });
  assert.deepEqual(parseImage("localhost:5000/team/app:1.2"), { repository: "localhost:5000/team/app", tag: "1.2" });
  assert.deepEqual(parseImage(`Ghcr.io/o/i:v1@sha256:${"c".repeat(64)}`), { repository: "ghcr.io/o/i", tag: "v1", digest: `sha256:${"c".repeat(64)}` });
  assert.equal(hasDigest(parseImage(`i@sha256:${"c".repeat(64)}`)), true);
  assert.equal(hasDigest(parseImage("i@sha256:abc")), false);
  const data = loadCompromisedTags();
  const table: Array<[string, boolean]> = [
    ["aquasec/trivy:0.69.4", true],
    ["docker.io/aquasec/trivy:0.69.5", true],
    ["ghcr.io/aquasecurity/trivy:0.69.4", true],
    ["ghcr.io/aquasecurity/trivy:0.69.5", false],
    ["aquasec/trivy:0.69.3", false],
    [`aquasec/trivy:0.69.4@sha256:${"d".repeat(64)}`, false],
    ["aquasec/trivy", false],
  ];
  for (const [image, bad] of table) assert.equal(compromisedImage(data, parseImage(image)) !== undefined, bad, image);
});

test("the data file is checked: bad documents name the field", () => {
  const table: Array<[string, RegExp]> = [
    ["{", /not valid JSON/],
    ["{\"version\": 2, \"actions\": [], \"images\": []}", /\/version must be 1/],
    ["{\"version\": 1, \"actions\": [{\"action\": \"x\"}], \"images\": []}", /\/actions\/0\/action must be owner\/repo/],
    ["{\"version\": 1, \"actions\": [{\"action\": \"o/r\", \"advisory\": \"A\", \"window\": \"w\", \"note\": \"n\", \"references\": [\"u\"]}], \"images\": []}", /\/actions\/0 needs tags or a range/],
    ["{\"version\": 1, \"actions\": [{\"action\": \"o/r\", \"tags\": [\"v1\"], \"advisory\": \"A\", \"window\": \"w\", \"note\": \"n\", \"references\": []}], \"images\": []}", /references must cite at least one source/],
    ["{\"version\": 1, \"actions\": [], \"images\": [{\"images\": [], \"tags\": [\"1\"]}]}", /\/images\/0 needs images and tags/],
  ];
  for (const [text, error] of table) assert.throws(() => parseCompromisedTags(text, "test.json"), error, text);
  assert.deepEqual(parseCompromisedTags("{\"version\": 1, \"actions\": [], \"images\": []}", "t"), { actions: [], images: [] });
});
