import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { test } from "node:test";
import { trimPackument, trimPypiProject } from "./store.js";
import { createTrimPool } from "./trim-pool.js";

const packument = {
  name: "left-pad", "dist-tags": { latest: "1.3.0" }, readme: "x".repeat(10_000),
  versions: { "1.3.0": { name: "left-pad", dist: { integrity: "sha512-abc", shasum: "00", tarball: "https://r/x.tgz" }, _npmUser: { name: "alice", email: "a@b" } } },
  time: { "1.3.0": "2018-04-09T00:00:00.000Z" },
};
const project = { info: { name: "litellm" }, releases: { "1.82.6": [{ digests: { sha256: "ab" }, upload_time_iso_8601: "2026-03-20T00:00:00Z", yanked: false }] } };

for (const [label, expected] of [["in worker threads (many documents)", 500], ["in place (a few documents)", 3]] as const) {
  test(`trims like the store does, ${label}; a body that is not JSON is refused`, async () => {
    const pool = createTrimPool(expected);
    try {
      const [npm, pypi] = await Promise.all([
        pool.trim("npm", Buffer.from(JSON.stringify(packument))),
        pool.trim("pypi", Buffer.from(JSON.stringify(project))),
      ]);
      assert.deepEqual(JSON.parse(npm), JSON.parse(JSON.stringify(trimPackument(packument))));
      assert.deepEqual(JSON.parse(pypi), JSON.parse(JSON.stringify(trimPypiProject(project))));
      await assert.rejects(pool.trim("npm", Buffer.from("{not json")), /not JSON/);
      const many = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.trim("npm", Buffer.from(JSON.stringify({ ...packument, name: `p${i}` })))));
      assert.deepEqual(many.map((text) => (JSON.parse(text) as { name: string }).name), Array.from({ length: 20 }, (_, i) => `p${i}`));
    } finally {
      await pool.close();
    }
  });
}
