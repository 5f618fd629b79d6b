import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../../testing/fixtures.js";
import { mentionsWanted, namesIn, readOsvDb } from "./offline.js";

const osvFixtures = (...p: string[]) => join(repoRoot, "src", "sources", "fixtures", "osv", ...p);

describe("readOsvDb", () => {
  it("reads `<Ecosystem>/all.zip` exports and keeps only records naming a wanted package", async () => {
    const read = await readOsvDb(osvFixtures("db"), [
      { ecosystem: "pypi", name: "LiteLLM" },
      { ecosystem: "npm", name: "lodash" },
      { ecosystem: "npm", name: "@ctrl/tinycolor" },
    ]);
    assert.deepEqual(read.records.map((r) => r.id).sort(), ["GHSA-29mw-wpgm-hmr9", "GHSA-35jh-r3h4-6jhm", "MAL-2025-47141", "MAL-2026-2144"]);
    assert.deepEqual(read.files.map((f) => [f.path.slice(osvFixtures("db").length + 1), f.status]).sort(), [["PyPI/all.zip", "ok"], ["npm/all.zip", "ok"]]);
    assert.deepEqual(read.missing, []);
  });

  it("reads a folder of extracted records (nested, lower-case folder name)", async () => {
    const read = await readOsvDb(osvFixtures("extracted"), [{ ecosystem: "pypi", name: "langchain" }, { ecosystem: "npm", name: "@mistralai/mistralai" }]);
    assert.deepEqual(read.records.map((r) => r.id).sort(), ["MAL-2026-3432", "PYSEC-2024-43"]);
    assert.deepEqual(read.files.map((f) => f.status), ["ok", "ok"]);
  });

  it("names the ecosystems it has no database for, and a folder it cannot read", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aiwarden-osvdb-"));
    try {
      await mkdir(join(dir, "npm"));
      await writeFile(join(dir, "npm", "all.zip"), "this is not a zip archive, only text pretending to be one");
      const read = await readOsvDb(dir, [{ ecosystem: "npm", name: "a" }, { ecosystem: "pypi", name: "b" }]);
      assert.deepEqual(read.missing, ["pypi"]);
      assert.equal(read.files.length, 1);
      assert.equal(read.files[0]?.status, "failed");
      assert.match(read.files[0]?.reason ?? "", /^not a usable OSV export: not a ZIP file/);
      const none = await readOsvDb(join(dir, "nope"), [{ ecosystem: "npm", name: "a" }]);
      assert.deepEqual(none.missing, ["npm"]);
      assert.match(none.files[0]?.reason ?? "", /cannot read the OSV database folder \(ENOENT\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports broken and withdrawn records in a folder: partial status, withdrawn left out", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aiwarden-osvdb-"));
    try {
      await mkdir(join(dir, "PyPI"));
      await writeFile(join(dir, "PyPI", "A.json"), JSON.stringify({ id: "A", affected: [{ package: { ecosystem: "PyPI", name: "p" }, versions: ["1.0"] }] }));
      await writeFile(join(dir, "PyPI", "B.json"), JSON.stringify({ id: "B", withdrawn: "2024-01-01T00:00:00Z", affected: [{ package: { ecosystem: "PyPI", name: "p" }, versions: ["1.0"] }] }));
      await writeFile(join(dir, "PyPI", "C.json"), '{"name": "p", broken');
      const read = await readOsvDb(dir, [{ ecosystem: "pypi", name: "p" }]);
      assert.deepEqual(read.records.map((r) => r.id), ["A"]);
      assert.equal(read.files[0]?.status, "partial");
      assert.equal(read.files[0]?.reason, "C.json: invalid JSON");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("archive indexes", () => {
  it("the first read writes an index; later reads inflate only the wanted entries; a changed archive is re-indexed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aiwarden-osvdb-"));
    try {
      await mkdir(join(dir, "db", "npm"), { recursive: true });
      const archive = join(dir, "db", "npm", "all.zip");
      await copyFile(osvFixtures("db", "npm", "all.zip"), archive);
      const indexDir = join(dir, "cache");
      const wanted = [{ ecosystem: "npm" as const, name: "lodash" }];
      const first = await readOsvDb(join(dir, "db"), wanted, { indexDir });
      assert.deepEqual(first.records.map((r) => r.id), ["GHSA-29mw-wpgm-hmr9", "GHSA-35jh-r3h4-6jhm"]);
      const [file] = await readdir(join(indexDir, "osv-db-index"));
      const index = JSON.parse(await readFile(join(indexDir, "osv-db-index", file ?? ""), "utf8")) as { entries: number; names: Record<string, number[]> };
      assert.equal(index.entries, 5);
      assert.deepEqual(index.names.lodash, [2, 3]);
      assert.deepEqual(index.names["@ctrl/tinycolor"], [0]);
      assert.equal(index.names["embedded malicious code"], undefined, "names with spaces (CWE names) are not indexed");
      // A forged index proves the second read trusts it: it points lodash at the tinycolor entry.
      await writeFile(join(indexDir, "osv-db-index", file ?? ""), JSON.stringify({ ...index, names: { lodash: [0] } }));
      const second = await readOsvDb(join(dir, "db"), wanted, { indexDir });
      assert.deepEqual(second.records.map((r) => r.id), []);
      // Touching the archive invalidates the index: a full read again.
      await utimes(archive, new Date(), new Date(Date.now() + 5000));
      const third = await readOsvDb(join(dir, "db"), wanted, { indexDir });
      assert.deepEqual(third.records.map((r) => r.id), ["GHSA-29mw-wpgm-hmr9", "GHSA-35jh-r3h4-6jhm"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("namesIn", () => {
  it("lists name values without spaces, normalised, with a marker for escaped ones", () => {
    assert.deepEqual(namesIn(Buffer.from('{"package":{"name":"Lite_LLM"},"cwes":[{"name":"Embedded Malicious Code"}],"x":{"name":"a\\/b"}}'), "pypi"), ["lite-llm", "\\"]);
  });
});

describe("mentionsWanted", () => {
  const wanted = new Set(["litellm", "@ctrl/tinycolor"]);
  it("finds wanted `name` values, normalised per ecosystem, in linear time", () => {
    assert.equal(mentionsWanted(Buffer.from('{"affected":[{"package":{"ecosystem":"PyPI","name" : "LiteLLM"}}]}'), "pypi", wanted), true);
    assert.equal(mentionsWanted(Buffer.from('{"affected":[{"package":{"name":"litellm-proxy"}}],"credits":[{"name":"OpenSSF"}]}'), "pypi", wanted), false);
    assert.equal(mentionsWanted(Buffer.from('{"package":{"name":"@ctrl\\/tinycolor"}}'), "npm", wanted), true, "escaped values are parsed to be sure");
    assert.equal(mentionsWanted(Buffer.from('{"name": 5, "x": "name"}'), "npm", wanted), false);
    assert.equal(mentionsWanted(Buffer.from(`{"name":"${"a".repeat(100000)}`), "npm", wanted), false);
  });
});
