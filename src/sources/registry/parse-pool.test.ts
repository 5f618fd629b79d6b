import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { test } from "node:test";
import { readDocument } from "./encoded.js";
import { createParsePool } from "./parse-pool.js";

const packument = {
  name: "left-pad", "dist-tags": { latest: "1.3.0" }, readme: "x".repeat(10_000),
  versions: { "1.3.0": { name: "left-pad", dist: { integrity: "sha512-abc", shasum: "00", tarball: "https://r/x.tgz", signatures: [{ keyid: "k", sig: "s" }] }, _npmUser: { name: "alice", email: "a@b" } } },
  time: { "1.3.0": "2018-04-09T00:00:00.000Z" },
};
const project = { info: { name: "litellm" }, releases: { "1.82.6": [{ digests: { sha256: "ab" }, upload_time_iso_8601: "2026-03-20T00:00:00Z", yanked: false }] } };

for (const [label, expected] of [["in worker threads (many documents)", 500], ["in place (a few documents)", 3]] as const) {
  test(`reads documents like readDocument does, ${label}; a body that is not JSON or not a document is refused`, async () => {
    const pool = createParsePool(expected);
    try {
      // A decoded answer spans its own ArrayBuffer (handed over whole); a pooled small Buffer is copied.
      const whole = Buffer.from(new TextEncoder().encode(JSON.stringify(packument)).buffer);
      const [npm, pypi] = await Promise.all([
        pool.read("npm", whole, "left-pad", ["1.3.0"]),
        pool.read("pypi", Buffer.from(JSON.stringify(project)), "litellm", ["1.82.6"]),
      ]);
      assert.deepEqual(npm, readDocument("npm", packument, "left-pad", ["1.3.0"]));
      assert.deepEqual(npm.signatures, { "1.3.0": [{ keyid: "k", sig: "s" }] });
      assert.deepEqual(pypi, readDocument("pypi", project, "litellm", ["1.82.6"]));
      await assert.rejects(pool.read("npm", Buffer.from("{not json"), "x", []), /not JSON/);
      await assert.rejects(pool.read("pypi", Buffer.from("[1]"), "x", []), /not a PyPI project document/);
      const many = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.read("npm", Buffer.from(JSON.stringify({ ...packument, versions: { [`1.0.${i}`]: packument.versions["1.3.0"] } })), `p${i}`, [])));
      assert.deepEqual(many.map((read) => read.encoded.versions), Array.from({ length: 20 }, (_, i) => [`1.0.${i}`]));
    } finally {
      await pool.close();
    }
  });
}
