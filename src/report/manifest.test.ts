import { test } from "node:test";
import assert from "node:assert/strict";
import type { PackageResult, ScanResult } from "../scan/result.js";
import { diffManifest, manifestSections, parseManifest, renderManifest } from "./manifest.js";

function pkg(name: string, version: string, ai: string | null, extra: Partial<PackageResult> = {}): PackageResult {
  return { name, version, purl: "", direct: true, dev: false, optional: false, source: "registry", ai: ai ? { category: ai, provider: "P" } : null, paths: [["root", name]], ...extra };
}

function result(packages: PackageResult[]): ScanResult {
  return { schemaVersion: 1, tool: { name: "aiwarden", version: "0" }, projects: [{ path: "worker", ecosystem: "pypi", files: ["worker/uv.lock", "worker/pyproject.toml"], packages }], findings: [], files: [] };
}

const base = [
  pkg("crewai", "0.1.0", "orchestration"),
  pkg("litellm", "1.74.3", "gateway", { direct: false, paths: [["root", "crewai", "litellm"]] }),
  pkg("requests", "2.32.0", null),
];

test("renders only AI packages, sorted, with the chain for transitive ones, and parses back", () => {
  const text = renderManifest(result(base));
  assert.match(text, /^\[worker\] pypi uv\.lock$/m);
  assert.match(text, /^crewai 0\.1\.0 direct orchestration$/m);
  assert.match(text, /^litellm 1\.74\.3 transitive gateway via crewai>litellm$/m);
  assert.doesNotMatch(text, /requests/);
  const parsed = parseManifest(text);
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.sections, manifestSections(result(base)));
  assert.equal(renderManifest(result([...base].reverse())), text, "input order does not change the manifest");
});

test("the diff names new, changed and removed AI packages", () => {
  const committed = manifestSections(result(base));
  const now = manifestSections(result([
    pkg("crewai", "0.2.0", "orchestration"),
    pkg("openai", "1.0.0", "llm-sdk", { direct: false, paths: [["root", "crewai", "openai"]] }),
  ]));
  const changes = diffManifest(committed, now);
  assert.deepEqual(changes.map((c) => `${c.kind} ${c.name}`), ["changed crewai", "removed litellm", "added openai"]);
  assert.deepEqual(diffManifest(committed, committed), []);
});

test("a file that is not a manifest is reported with its line", () => {
  const parsed = parseManifest("[x] npm package-lock.json\nthis is not an entry at all really ok\n");
  assert.match(parsed.errors[0] ?? "", /^line 2:/);
});
