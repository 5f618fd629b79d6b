import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cvss3BaseScore, severityOfScore } from "./cvss.js";

describe("cvss3BaseScore", () => {
  // Scores as published by NVD / GitHub for these vectors.
  const table: Array<[string, number | undefined]> = [
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10],
    ["CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N", 6.5],
    ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", 7.4],
    ["CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:U/C:H/I:L/A:H", 7.1],
    ["CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:L/A:L", 7.5],
    ["CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H", 6.5],
    ["CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 8.8],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0],
    ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", undefined],
    ["AV:N/AC:L/Au:N/C:P/I:P/A:P", undefined],
    ["CVSS:3.1/AV:N/AC:L", undefined],
  ];
  for (const [vector, score] of table) it(`${vector} → ${String(score)}`, () => assert.equal(cvss3BaseScore(vector), score));
});

describe("severityOfScore", () => {
  it("follows the CVSS v3.1 qualitative scale", () => {
    assert.deepEqual([10, 9, 8.9, 7, 6.9, 4, 3.9, 0.1, 0].map(severityOfScore), ["critical", "critical", "high", "high", "medium", "medium", "low", "low", "info"]);
  });
});
