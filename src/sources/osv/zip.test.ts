import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { deflateRawSync } from "node:zlib";
import { repoRoot } from "../../testing/fixtures.js";
import { ZipError, ZipReader, crc32 } from "./zip.js";

const db = (...p: string[]) => join(repoRoot, "src", "sources", "fixtures", "osv", "db", ...p);

/** Test-only ZIP writer: entries with chosen method, and sizes/CRC that may lie. */
function buildZip(entries: Array<{ name: string; data: Buffer; method?: 0 | 8 | 12; declaredSize?: number; flags?: number; crc?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const method = entry.method ?? 8;
    const compressed = method === 8 ? deflateRawSync(entry.data) : entry.data;
    const name = Buffer.from(entry.name, "utf8");
    const size = entry.declaredSize ?? entry.data.length;
    const crc = entry.crc ?? crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

describe("ZipReader", () => {
  it("reads an OSV export written by Info-ZIP (deflate)", () => {
    const reader = ZipReader.open(readFileSync(db("npm", "all.zip")));
    assert.deepEqual(reader.entries.map((e) => e.name), ["MAL-2025-47141.json", "MAL-2026-3432.json", "GHSA-29mw-wpgm-hmr9.json", "GHSA-35jh-r3h4-6jhm.json", "GHSA-wf5p-g6vw-rhxx.json"]);
    const first = reader.entries[0];
    assert.ok(first);
    assert.equal(first.method, 8);
    const record = JSON.parse(reader.read(first).toString("utf8")) as { id: string };
    assert.equal(record.id, "MAL-2025-47141");
    assert.deepEqual(reader.read(first), readFileSync(join(repoRoot, "src", "sources", "fixtures", "osv", "records", "MAL-2025-47141.json")));
  });

  it("reads a ZIP64 archive (`zip -fz`: ZIP64 end records and extra fields)", () => {
    const data = readFileSync(db("PyPI", "all.zip"));
    assert.ok(data.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06])), "the fixture has a ZIP64 end of central directory record");
    const reader = ZipReader.open(data);
    assert.deepEqual(reader.entries.map((e) => e.name), ["MAL-2026-2144.json", "PYSEC-2024-43.json"]);
    const ids = reader.entries.map((e) => (JSON.parse(reader.read(e).toString("utf8")) as { id: string }).id);
    assert.deepEqual(ids, ["MAL-2026-2144", "PYSEC-2024-43"]);
  });

  it("reads stored entries", () => {
    const reader = ZipReader.open(buildZip([{ name: "a.json", data: Buffer.from('{"id":"A"}'), method: 0 }]));
    assert.equal(reader.read(reader.entries[0] as never).toString(), '{"id":"A"}');
  });

  it("refuses an entry whose declared size exceeds the limit, before inflating it", () => {
    const zeros = Buffer.alloc(2 * 1024 * 1024);
    const zip = buildZip([{ name: "bomb.json", data: zeros }]);
    assert.ok(zip.length < 10_000, `a ${zip.length}-byte archive declaring 2 MiB`);
    const reader = ZipReader.open(zip, { maxEntrySize: 1024 * 1024, maxEntries: 10, maxTotalSize: 1e9 });
    assert.throws(() => reader.read(reader.entries[0] as never), (error: unknown) => error instanceof ZipError && /declared size 2097152 exceeds the limit of 1048576 bytes/.test(error.message));
  });

  it("refuses an entry that inflates past its declared size (a lying header)", () => {
    const zip = buildZip([{ name: "liar.json", data: Buffer.alloc(500_000), declaredSize: 100 }]);
    const reader = ZipReader.open(zip);
    assert.throws(() => reader.read(reader.entries[0] as never), /liar\.json: inflates past its declared size of 100 bytes/);
  });

  it("refuses an entry that inflates to less than declared, or with a wrong CRC", () => {
    const short = ZipReader.open(buildZip([{ name: "short.json", data: Buffer.from("abc"), declaredSize: 10 }]));
    assert.throws(() => short.read(short.entries[0] as never), /short\.json: inflated to 3 bytes, declared 10/);
    const crc = ZipReader.open(buildZip([{ name: "crc.json", data: Buffer.from("abc"), crc: 1 }]));
    assert.throws(() => crc.read(crc.entries[0] as never), /crc\.json: CRC-32 mismatch/);
  });

  it("caps the total bytes read through one reader", () => {
    const reader = ZipReader.open(buildZip([{ name: "a", data: Buffer.alloc(600) }, { name: "b", data: Buffer.alloc(600) }]), { maxEntrySize: 1000, maxEntries: 10, maxTotalSize: 1000 });
    reader.read(reader.entries[0] as never);
    assert.throws(() => reader.read(reader.entries[1] as never), /reading b would exceed the total limit of 1000 bytes/);
  });

  it("refuses encrypted entries, unknown methods, too many entries and non-ZIP data", () => {
    const encrypted = ZipReader.open(buildZip([{ name: "e", data: Buffer.from("x"), flags: 1 }]));
    assert.throws(() => encrypted.read(encrypted.entries[0] as never), /e: encrypted/);
    const bzip = ZipReader.open(buildZip([{ name: "b", data: Buffer.from("x"), method: 12 }]));
    assert.throws(() => bzip.read(bzip.entries[0] as never), /unsupported compression method 12/);
    assert.throws(() => ZipReader.open(buildZip([{ name: "a", data: Buffer.from("1") }, { name: "b", data: Buffer.from("2") }]), { maxEntrySize: 10, maxEntries: 1, maxTotalSize: 10 }), /2 entries, more than the limit of 1/);
    assert.throws(() => ZipReader.open(Buffer.from("not a zip file at all, just some text")), /no end of central directory record/);
    assert.throws(() => ZipReader.open(Buffer.alloc(5)), /too short/);
  });

  it("refuses a central directory that points outside the file", () => {
    const zip = buildZip([{ name: "a", data: Buffer.from("1") }]);
    zip.writeUInt32LE(0xfffff, zip.length - 6);
    assert.throws(() => ZipReader.open(zip), /central directory lies outside the file/);
  });
});

describe("crc32", () => {
  it("matches the standard check value", () => {
    assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
  });
});
