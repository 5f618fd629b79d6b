import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DiskCache, cacheKey, decodeEntry, defaultCacheDir, encodeEntry } from "./cache.js";

describe("defaultCacheDir", () => {
  const table: Array<[string, NodeJS.ProcessEnv, NodeJS.Platform, string]> = [
    ["AIWARDEN_CACHE_DIR wins", { AIWARDEN_CACHE_DIR: "/x/cache", XDG_CACHE_HOME: "/xdg", HOME: "/home/u" }, "linux", "/x/cache"],
    ["XDG_CACHE_HOME", { XDG_CACHE_HOME: "/xdg", HOME: "/home/u" }, "linux", "/xdg/aiwarden"],
    ["a relative XDG_CACHE_HOME is ignored (XDG spec)", { XDG_CACHE_HOME: "rel", HOME: "/home/u" }, "linux", "/home/u/.cache/aiwarden"],
    ["~/.cache by default", { HOME: "/home/u" }, "darwin", "/home/u/.cache/aiwarden"],
    ["LOCALAPPDATA on Windows", { LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, "win32", join("C:\\Users\\u\\AppData\\Local", "aiwarden", "cache")],
  ];
  for (const [name, env, platform, expected] of table) {
    it(name, () => assert.equal(defaultCacheDir(env, platform), expected));
  }
});

describe("cacheKey", () => {
  it("differs by method, URL, body and accept header, and is hex SHA-256", () => {
    const keys = [cacheKey("GET", "https://a/x"), cacheKey("POST", "https://a/x"), cacheKey("POST", "https://a/x", "{}"), cacheKey("GET", "https://a/y"), cacheKey("GET", "https://a/x", "", "application/vnd.npm.install-v1+json")];
    assert.equal(new Set(keys).size, keys.length);
    for (const key of keys) assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(cacheKey("get", "https://a/x"), cacheKey("GET", "https://a/x"));
  });
});

describe("cache entries", () => {
  const entry = { storedAt: 1234, status: 200, kind: "packument" as const, url: "https://registry.npmjs.org/x", etag: '"e"', body: Buffer.from([0, 1, 2, 10, 255]) };

  it("round-trip through the file format, binary bodies included", () => {
    assert.deepEqual(decodeEntry(encodeEntry(entry)), entry);
  });

  it("refuse truncated or foreign files", () => {
    const data = encodeEntry(entry);
    assert.equal(decodeEntry(data.subarray(0, data.length - 1)), undefined);
    assert.equal(decodeEntry(Buffer.from("{}")), undefined);
    assert.equal(decodeEntry(Buffer.from("AIWC1\nnot json\n")), undefined);
  });

  it("are written atomically to one file per key, and damaged files read as misses", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aiwarden-cache-"));
    try {
      const cache = new DiskCache(dir);
      const key = cacheKey("GET", entry.url);
      assert.equal(await cache.write(key, entry), true);
      assert.deepEqual(await cache.read(key), entry);
      assert.deepEqual(await readdir(join(dir, "http", key.slice(0, 2))), [key]);
      await writeFile(cache.pathOf(key), (await readFile(cache.pathOf(key))).subarray(0, 20));
      assert.equal(await cache.read(key), undefined);
      assert.equal(await cache.read(cacheKey("GET", "https://other")), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
