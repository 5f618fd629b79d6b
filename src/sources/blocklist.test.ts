import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fixturePath, repoRoot } from "../testing/fixtures.js";
import { loadBlocklist, readRecords, shippedBlocklistDir, versionKey } from "./blocklist.js";

const fixture = (...name: string[]) => fixturePath(import.meta.url, "blocklist", ...name);

describe("loadBlocklist: shipped records", () => {
  it("reads every shipped file from data/blocklist", async () => {
    assert.equal(shippedBlocklistDir(), join(repoRoot, "data", "blocklist") + "/");
    const { blocklist, files } = await loadBlocklist([]);
    assert.deepEqual(files, []);
    const cases: Array<[ "npm" | "pypi", string, string, string]> = [
      ["pypi", "litellm", "1.82.7", "MAL-2026-2144"],
      ["pypi", "litellm", "1.82.8", "MAL-2026-2144"],
      ["pypi", "telnyx", "4.87.1", "MAL-2026-2254"],
      ["pypi", "telnyx", "4.87.2", "MAL-2026-2254"],
      ["pypi", "ultralytics", "8.3.41", "AIWARDEN-2024-0001"],
      ["pypi", "ultralytics", "8.3.46", "AIWARDEN-2024-0001"],
      ["pypi", "guardrails-ai", "0.10.1", "MAL-2026-3607"],
      ["npm", "@mistralai/mistralai", "2.2.3", "MAL-2026-3432"],
      ["npm", "axios", "0.30.4", "MAL-2026-2307"],
      ["npm", "axios", "1.14.1", "MAL-2026-2307"],
      ["npm", "chalk", "5.6.1", "AIWARDEN-2025-0001"],
      ["npm", "debug", "4.4.2", "AIWARDEN-2025-0001"],
      ["npm", "ansi-styles", "6.2.2", "AIWARDEN-2025-0001"],
      ["npm", "supports-color", "10.2.1", "AIWARDEN-2025-0001"],
      ["npm", "@ctrl/tinycolor", "4.1.1", "MAL-2025-47141"],
      ["npm", "@ctrl/tinycolor", "4.1.2", "MAL-2025-47141"],
      ["npm", "nx", "21.8.0", "AIWARDEN-2025-0002"],
      ["npm", "@nx/devkit", "20.9.0", "AIWARDEN-2025-0002"],
      ["npm", "@nx/node", "21.5.0", "AIWARDEN-2025-0002"],
    ];
    for (const [ecosystem, name, version, id] of cases) {
      assert.deepEqual(blocklist.match(ecosystem, name, version).map((e) => e.id), [id], `${name}@${version}`);
    }
  });

  it("never matches outside the exact versions (stale open ranges are not shipped)", async () => {
    const { blocklist } = await loadBlocklist([]);
    for (const [ecosystem, name, version] of [
      ["npm", "@ctrl/tinycolor", "4.1.0"],
      ["npm", "@ctrl/tinycolor", "4.1.3"],
      ["npm", "@mistralai/mistralai", "2.2.1"],
      ["npm", "@mistralai/mistralai", "1.0.0"],
      ["pypi", "litellm", "1.82.6"],
      ["pypi", "ultralytics", "8.3.43"],
      ["npm", "@nx/devkit", "21.6.0"],
      ["npm", "axios", "1.14.0"],
      ["npm", "chalk", ""],
      ["npm", "litellm", "1.82.8"],
    ] as const) {
      assert.deepEqual(blocklist.match(ecosystem, name, version), [], `${ecosystem} ${name}@${version}`);
    }
  });

  it("keeps ids, aliases, summaries, references and the source file of an entry", async () => {
    const { blocklist } = await loadBlocklist([]);
    const [entry] = blocklist.match("pypi", "LiteLLM", "1.82.8");
    assert.ok(entry);
    assert.equal(entry.id, "MAL-2026-2144");
    assert.deepEqual(entry.aliases, ["PYSEC-2026-2", "GHSA-92x9-889m-jgmw"]);
    assert.equal(entry.summary, "Malicious code in litellm (PyPI)");
    assert.equal(entry.source, "data/blocklist/MAL-2026-2144.json");
    assert.ok(entry.references.includes("https://osv.dev/vulnerability/MAL-2026-2144"));
  });

  it("ships valid OSV: every record has id, modified, summary and exact versions, no ranges, file named by id", () => {
    const dir = join(repoRoot, "data", "blocklist");
    const names = readdirSync(dir).filter((n) => n.endsWith(".json"));
    assert.ok(names.length >= 9);
    const ids = new Set<string>();
    for (const name of names) {
      const record = JSON.parse(readFileSync(join(dir, name), "utf8")) as Record<string, unknown>;
      assert.equal(`${String(record.id)}.json`, name);
      assert.ok(!ids.has(record.id as string));
      ids.add(record.id as string);
      assert.match(String(record.modified), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(typeof record.summary === "string" && record.summary.length > 0, name);
      for (const affected of record.affected as Array<Record<string, unknown>>) {
        assert.equal(affected.ranges, undefined, `${name}: shipped records carry no ranges`);
        assert.ok(Array.isArray(affected.versions) && affected.versions.length > 0, name);
        const pkg = affected.package as Record<string, string>;
        assert.ok(pkg.ecosystem === "npm" || pkg.ecosystem === "PyPI", name);
      }
      assert.match(String(record.id), /^(MAL-\d{4}-\d+|AIWARDEN-\d{4}-\d{4})$/);
    }
  });
});

describe("loadBlocklist: user files", () => {
  it("adds the entries of a user file, names normalised per ecosystem, other ecosystems ignored", async () => {
    const { blocklist, files } = await loadBlocklist([fixture("internal.json")]);
    assert.deepEqual(files, [{ path: fixture("internal.json"), status: "ok" }]);
    const [entry] = blocklist.match("npm", "is-number", "7.0.0");
    assert.equal(entry?.id, "ACME-2026-0001");
    assert.equal(entry?.source, fixture("internal.json"));
    assert.deepEqual(blocklist.match("pypi", "acme-internal-tools", "2.0").map((e) => e.id), ["ACME-2026-0001"]);
    // PEP 440: 2.0 and 2.0.0 are the same version.
    assert.deepEqual(blocklist.match("pypi", "Acme.Internal_Tools", "2.0.0").map((e) => e.id), ["ACME-2026-0001"]);
    assert.deepEqual(blocklist.match("pypi", "acme-internal-tools", "2.0.1"), []);
    // The shipped records are still there.
    assert.equal(blocklist.match("pypi", "litellm", "1.82.7").length, 1);
  });

  it("reads arrays of records, summarises from details, and skips withdrawn records", async () => {
    const { blocklist, files } = await loadBlocklist([fixture("array.json")]);
    assert.deepEqual(files, [{ path: fixture("array.json"), status: "ok" }]);
    assert.equal(blocklist.match("npm", "left-pad", "1.3.1")[0]?.summary, "First line of the details.");
    assert.deepEqual(blocklist.match("npm", "left-pad", "1.3.2"), []);
  });

  it("walks folders for .json files", async () => {
    const { blocklist, files } = await loadBlocklist([fixture("folder")]);
    assert.deepEqual(files, [{ path: fixture("folder", "npm", "is-number", "ACME-2026-0005.json"), status: "ok" }]);
    assert.equal(blocklist.match("npm", "is-number", "6.0.0")[0]?.id, "ACME-2026-0005");
  });

  it("marks broken files failed under their own path with a one-line reason, and goes on", async () => {
    const missing = fixture("does-not-exist.json");
    const { blocklist, files } = await loadBlocklist([fixture("broken.json"), fixture("not-osv.json"), missing, fixture("internal.json")]);
    assert.deepEqual(files.map((f) => [f.path, f.status]), [
      [fixture("broken.json"), "failed"],
      [fixture("not-osv.json"), "failed"],
      [missing, "failed"],
      [fixture("internal.json"), "ok"],
    ]);
    for (const file of files.slice(0, 3)) {
      assert.ok(!file.reason?.includes(file.path), "the path is the entry's own field; the reason does not repeat it");
      assert.ok(!file.reason?.includes("\n"));
    }
    assert.match(files[0]?.reason ?? "", /invalid JSON/);
    assert.match(files[1]?.reason ?? "", /not an OSV record: no `id`/);
    assert.match(files[2]?.reason ?? "", /no such file or folder/);
    assert.equal(blocklist.match("npm", "is-number", "7.0.0").length, 1);
  });

  it("skips ranges-only entries with a partial status (exact versions only) and keeps listed versions", async () => {
    const { blocklist, files } = await loadBlocklist([fixture("ranges-only.json")]);
    assert.equal(files[0]?.status, "partial");
    assert.match(files[0]?.reason ?? "", /@ctrl\/tinycolor\) lists only ranges and no exact `versions`: skipped, the blocklist matches exact versions only/);
    // The shipped record still lists 4.1.1; the user's ranges add nothing, not even 4.1.0 or 1.0.0.
    assert.deepEqual(blocklist.match("npm", "@ctrl/tinycolor", "4.1.0"), []);
    assert.deepEqual(blocklist.match("npm", "@ctrl/tinycolor", "4.1.1").map((e) => e.id), ["MAL-2025-47141"]);
    assert.deepEqual(blocklist.match("npm", "ranged-but-listed", "2.0.0").map((e) => e.id), ["MAL-2025-47141"]);
    assert.deepEqual(blocklist.match("npm", "ranged-but-listed", "1.0.0"), []);
  });

  it("says when a file has no npm or PyPI entries", async () => {
    const { files } = await loadBlocklist([fixture("go-only.json")]);
    assert.equal(files[0]?.status, "unsupported");
    assert.match(files[0]?.reason ?? "", /no npm or PyPI entries/);
  });
});

describe("readRecords", () => {
  it("rejects what is not OSV", () => {
    const table: Array<[string, RegExp]> = [
      ["", /invalid JSON/],
      ["[]", /empty array/],
      ["42", /not a JSON object/],
      ['{"id": "X"}', /X has no `affected` list/],
      ['{"affected": []}', /no `id`/],
    ];
    for (const [text, reason] of table) {
      const read = readRecords(text, "x.json");
      assert.ok("error" in read, text);
      assert.match(read.error, reason);
    }
  });

  it("reports affected entries without a package, name or versions", () => {
    const read = readRecords(JSON.stringify({ id: "X-1", affected: [{}, { package: { ecosystem: "npm" }, versions: ["1.0.0"] }, { package: { ecosystem: "npm", name: "a" } }] }), "x.json");
    assert.ok(!("error" in read));
    assert.deepEqual(read.entries, []);
    assert.deepEqual(read.skipped, ["X-1 affected[0] has no `package`", "X-1 affected[1] has no package name", "X-1 affected[2] (a) lists no `versions`"]);
  });
});

describe("versionKey", () => {
  it("matches PEP 440-equal versions and keeps npm versions exact", () => {
    assert.equal(versionKey("pypi", "1.0"), versionKey("pypi", "1.0.0"));
    assert.equal(versionKey("pypi", "1.0RC1"), versionKey("pypi", "1.0rc1"));
    assert.notEqual(versionKey("pypi", "1.0"), versionKey("pypi", "1.0.post1"));
    assert.notEqual(versionKey("pypi", "1.0"), versionKey("pypi", "1.0+cpu"));
    assert.notEqual(versionKey("pypi", "1.0"), versionKey("pypi", "0!1.1"));
    assert.equal(versionKey("npm", "v1.2.3"), "1.2.3");
    assert.notEqual(versionKey("npm", "1.2.3"), versionKey("npm", "1.2.3-beta.1"));
  });
});
