import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Ecosystem } from "../../graph/package-node.js";
import { repoRoot } from "../../testing/fixtures.js";
import { matchRecord } from "./match.js";
import type { OsvRecord } from "./record.js";
import { compareVersions } from "./versions.js";

const record = (id: string) => JSON.parse(readFileSync(join(repoRoot, "src", "sources", "fixtures", "osv", "records", `${id}.json`), "utf8")) as OsvRecord;

/** [record, ecosystem, name, version, affected, fixed, stale range ignored] */
type Row = [OsvRecord, Ecosystem, string, string, boolean | "unknown", string | undefined, boolean];

describe("matchRecord on real records", () => {
  const tinycolor = record("MAL-2025-47141");
  const mistral = record("MAL-2026-3432");
  const litellm = record("MAL-2026-2144");
  const langchain = record("PYSEC-2024-43");
  const redos = record("GHSA-29mw-wpgm-hmr9");
  const axios = record("GHSA-wf5p-g6vw-rhxx");
  const table: Row[] = [
    // The stale open range of MAL-2025-47141 is ignored: only 4.1.1–4.1.2 (last_affected) are malicious.
    [tinycolor, "npm", "@ctrl/tinycolor", "4.1.0", false, undefined, true],
    [tinycolor, "npm", "@ctrl/tinycolor", "3.6.1", false, undefined, true],
    [tinycolor, "npm", "@ctrl/tinycolor", "4.1.1", true, undefined, false],
    [tinycolor, "npm", "@ctrl/tinycolor", "4.1.2", true, undefined, false],
    [tinycolor, "npm", "@ctrl/tinycolor", "4.1.3", false, undefined, true],
    // MAL-2026-3432: explicit versions beside a stale open range.
    [mistral, "npm", "@mistralai/mistralai", "2.2.2", true, undefined, false],
    [mistral, "npm", "@mistralai/mistralai", "2.2.4", true, undefined, false],
    [mistral, "npm", "@mistralai/mistralai", "2.2.1", false, undefined, true],
    [mistral, "npm", "@mistralai/mistralai", "1.7.0", false, undefined, true],
    [mistral, "npm", "other-package", "2.2.2", false, undefined, false],
    // MAL-2026-2144: exact versions only; PyPI names in any spelling.
    [litellm, "pypi", "litellm", "1.82.8", true, undefined, false],
    [litellm, "pypi", "LiteLLM", "1.82.7", true, undefined, false],
    [litellm, "pypi", "litellm", "1.82.6", false, undefined, false],
    [litellm, "pypi", "litellm", "1.82.8.post1", false, undefined, false],
    [litellm, "npm", "litellm", "1.82.8", false, undefined, false],
    // PYSEC-2024-43: ECOSYSTEM range introduced 0, fixed 0.1.11, PEP 440 ordering.
    [langchain, "pypi", "langchain", "0.1.10", true, "0.1.11", false],
    [langchain, "pypi", "langchain", "0.1.11", false, undefined, false],
    [langchain, "pypi", "langchain", "0.1.11rc1", true, "0.1.11", false],
    [langchain, "pypi", "langchain", "0.1.11.dev0", true, "0.1.11", false],
    [langchain, "pypi", "langchain", "0.1.10.post1", true, "0.1.11", false],
    [langchain, "pypi", "langchain", "0.1.11.post1", false, undefined, false],
    [langchain, "pypi", "langchain", "0.0.350", true, "0.1.11", false],
    [langchain, "pypi", "langchain", "1!0.0.1", false, undefined, false],
    [langchain, "pypi", "langchain", "0.1.10+cpu", true, "0.1.11", false],
    [langchain, "pypi", "Lang_Chain", "0.1.0", false, undefined, false],
    [langchain, "pypi", "langchain", "not-a-version", "unknown", undefined, false],
    // A GitHub advisory: SEMVER ranges, semver order (prereleases before their release).
    [redos, "npm", "lodash", "4.17.20", true, "4.17.21", false],
    [redos, "npm", "lodash", "4.17.21", false, undefined, false],
    [redos, "npm", "lodash", "4.17.21-beta.1", true, "4.17.21", false],
    [redos, "npm", "lodash", "3.10.1", false, undefined, false],
    [redos, "npm", "lodash.trim", "4.5.1", true, undefined, false],
    [redos, "npm", "lodash.trim", "4.5.2", false, undefined, false],
    [axios, "npm", "axios", "0.26.1", true, "0.28.0", false],
    [axios, "npm", "axios", "0.28.0", false, undefined, false],
    [axios, "npm", "axios", "1.5.1", true, "1.6.0", false],
    [axios, "npm", "axios", "0.8.0", false, undefined, false],
  ];
  for (const [rec, ecosystem, name, version, affected, fixed, stale] of table) {
    it(`${rec.id}: ${name} ${version} → ${String(affected)}${fixed ? ` (fixed ${fixed})` : ""}${stale ? ", stale range ignored" : ""}`, () => {
      const result = matchRecord(rec, ecosystem, name, version);
      assert.equal(result.verdict.affected, affected);
      assert.equal(result.verdict.affected === true ? result.verdict.fixed : undefined, fixed);
      assert.equal(result.staleRangeIgnored, stale);
    });
  }
});

describe("matchRecord on constructed records", () => {
  const make = (id: string, affected: OsvRecord["affected"], extra: Partial<OsvRecord> = {}): OsvRecord => ({ id, affected, ...extra });
  const open = { type: "SEMVER", events: [{ introduced: "0" }] };

  it("a malicious record whose only evidence is an open range matches every version (a package malicious from birth)", () => {
    const typosquat = make("MAL-2026-0001", [{ package: { ecosystem: "npm", name: "reqeusts" }, ranges: [open] }]);
    assert.equal(matchRecord(typosquat, "npm", "reqeusts", "0.0.1").verdict.affected, true);
    assert.equal(matchRecord(typosquat, "npm", "reqeusts", "9.9.9").verdict.affected, true);
  });

  it("a vulnerability (not malware) keeps its open range even beside explicit versions", () => {
    const unfixed = make("GHSA-aaaa-bbbb-cccc", [{ package: { ecosystem: "npm", name: "x" }, ranges: [open], versions: ["1.0.0"] }]);
    const result = matchRecord(unfixed, "npm", "x", "2.0.0");
    assert.equal(result.verdict.affected, true);
    assert.equal(result.staleRangeIgnored, false);
  });

  it("a GHSA malware advisory (CWE-506, no MAL id) gets the same stale-range handling", () => {
    const ghsa = make("GHSA-qjqf-7j6f-82c4", [{ package: { ecosystem: "npm", name: "@ctrl/tinycolor" }, ranges: [open], versions: ["4.1.1", "4.1.2"], database_specific: { cwes: [{ cweId: "CWE-506" }] } }]);
    assert.equal(matchRecord(ghsa, "npm", "@ctrl/tinycolor", "4.1.0").verdict.affected, false);
    assert.equal(matchRecord(ghsa, "npm", "@ctrl/tinycolor", "4.1.1").verdict.affected, true);
  });

  it("evaluates several introduced/fixed pairs in one range, unsorted events included", () => {
    const rec = make("GHSA-x", [{ package: { ecosystem: "npm", name: "p" }, ranges: [{ type: "SEMVER", events: [{ fixed: "3.2.2" }, { introduced: "3.0.0" }, { fixed: "2.6.4" }, { introduced: "0" }] }] }]);
    const rows: Array<[string, boolean, string | undefined]> = [["2.6.3", true, "2.6.4"], ["2.6.4", false, undefined], ["2.9.0", false, undefined], ["3.1.0", true, "3.2.2"], ["3.2.2", false, undefined]];
    for (const [version, affected, fixed] of rows) {
      const { verdict } = matchRecord(rec, "npm", "p", version);
      assert.equal(verdict.affected, affected, version);
      assert.equal(verdict.affected === true ? verdict.fixed : undefined, fixed, version);
    }
  });

  it("honours `limit` and ignores GIT ranges", () => {
    const limited = make("OSV-L", [{ package: { ecosystem: "PyPI", name: "p" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "1.0" }, { limit: "2.0" }] }] }]);
    assert.equal(matchRecord(limited, "pypi", "p", "1.5").verdict.affected, true);
    assert.equal(matchRecord(limited, "pypi", "p", "2.0").verdict.affected, false);
    const git = make("OSV-G", [{ package: { ecosystem: "PyPI", name: "p" }, ranges: [{ type: "GIT", events: [{ introduced: "0" }, { fixed: "abc123" }] }] }]);
    assert.equal(matchRecord(git, "pypi", "p", "1.0").verdict.affected, false);
  });

  it("PEP 440 epochs and pre/post/dev releases order ranges", () => {
    const rec = make("PYSEC-X", [{ package: { ecosystem: "PyPI", name: "p" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "1.0rc1" }, { fixed: "1.0.post2" }, { introduced: "1!0.5" }, { fixed: "1!0.6.dev1" }] }] }]);
    const rows: Array<[string, boolean]> = [["1.0b9", false], ["1.0rc1", true], ["1.0", true], ["1.0.post1", true], ["1.0.post2", false], ["2.0", false], ["1!0.5", true], ["1!0.6.dev0", true], ["1!0.6.dev1", false]];
    for (const [version, affected] of rows) assert.equal(matchRecord(rec, "pypi", "p", version).verdict.affected, affected, version);
  });

  it("an unparseable bound makes the verdict unknown; an unknown ecosystem never matches", () => {
    const bad = make("X-1", [{ package: { ecosystem: "npm", name: "p" }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "next" }] }] }]);
    const result = matchRecord(bad, "npm", "p", "1.0.0");
    assert.equal(result.verdict.affected, "unknown");
    const go = make("GO-1", [{ package: { ecosystem: "Go", name: "p" }, ranges: [open] }]);
    assert.equal(matchRecord(go, "npm", "p", "1.0.0").verdict.affected, false);
    assert.equal(matchRecord(make("X-2", undefined), "npm", "p", "1.0.0").verdict.affected, false);
  });
});

describe("compareVersions", () => {
  it("orders npm as semver and PyPI as PEP 440; undefined for invalid versions", () => {
    assert.equal(Math.sign(compareVersions("npm", "1.0.0-rc.1", "1.0.0") ?? 0), -1);
    assert.equal(compareVersions("npm", "v1.2.3", "1.2.3"), 0);
    assert.equal(Math.sign(compareVersions("pypi", "1.0.post1", "1.0") ?? 0), 1);
    assert.equal(Math.sign(compareVersions("pypi", "1!0.1", "2.0") ?? 0), 1);
    assert.equal(compareVersions("npm", "latest", "1.0.0"), undefined);
    assert.equal(compareVersions("pypi", "x.y", "1.0"), undefined);
  });
});
