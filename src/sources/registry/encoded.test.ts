import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { coversVersions, decodePackage, encodePackage, isEncodedPackage, readDocument } from "./encoded.js";
import { parsePackument } from "./npm.js";
import { parsePypiProject, pypiVersion } from "./pypi.js";
import type { RegistryPackageFacts, RegistryVersionFacts } from "./types.js";
import { answersFrom } from "../../testing/registry.js";

const body = (set: string, key: string) => JSON.parse(answersFrom(set).get(key)?.body.toString("utf8") ?? "null") as Record<string, unknown>;

/** What the rules may read of a version that was not locked: everything but hashes and signatures. */
function history(version: RegistryVersionFacts): RegistryVersionFacts {
  const { integrity: _i, shasum: _s, fileSha256: _f, signature: _g, ...rest } = version;
  return rest;
}

/** The facts as the loader keeps them: hashes for the locked versions, history for the rest. */
function expected(facts: RegistryPackageFacts, locked: readonly string[]): RegistryPackageFacts {
  const versions = new Map<string, RegistryVersionFacts>();
  for (const [key, version] of facts.versions) versions.set(key, locked.includes(key) ? version : history(version));
  return { ...facts, versions };
}

describe("encoded registry facts", () => {
  it("keep every fact of a packument the rules read: history of all versions, hashes of the locked ones", () => {
    const doc = body("npm-public", "GET /venv");
    const versions = doc.versions as Record<string, Record<string, unknown>>;
    const v2 = versions["0.2.0"] as Record<string, unknown>;
    (v2.dist as Record<string, unknown>).attestations = { url: "https://registry.npmjs.org/-/npm/v1/attestations/venv@0.2.0", provenance: { predicateType: "https://slsa.dev/provenance/v1" } };
    v2.deprecated = "use 1.0.1";
    v2._npmUser = { name: "GitHub Actions", email: "npm-oidc-no-reply@github.com", trustedPublisher: { id: "github" } };
    (doc.time as Record<string, unknown>).unpublished = { time: "2020-01-01T00:00:00.000Z", versions: ["0.0.1"] };
    const facts = parsePackument(doc, "venv", "https://registry.npmjs.org/", true)?.facts as RegistryPackageFacts;
    const locked = ["0.2.0", "9.9.9"];
    const encoded = encodePackage(facts, locked);
    const decoded = decodePackage(JSON.parse(JSON.stringify(encoded)), "venv", "https://registry.npmjs.org/", true);
    assert.deepEqual(decoded, expected(facts, locked));
    assert.equal(decoded.versions.get("0.2.0")?.trustedPublisher, true);
    assert.equal(decoded.versions.get("0.2.0")?.provenance, true);
    assert.deepEqual(encoded.unserved, ["9.9.9"]);
    assert.ok(coversVersions(encoded, ["0.2.0", "9.9.9"]), "a version not served when read is a fact, not a gap");
    const other = [...facts.versions.keys()].find((v) => v !== "0.2.0") as string;
    assert.equal(coversVersions(encoded, [other]), false, "a served version locked since needs its hashes read");
  });

  it("are far smaller than the document for a real packument, and read the same through readDocument", () => {
    const doc = body("npmjs", "GET /openai");
    const locked = ["6.21.0"];
    const read = readDocument("npm", doc, "openai", locked);
    assert.ok(read);
    assert.ok(JSON.stringify(read.encoded).length < JSON.stringify(doc).length / 5);
    const facts = parsePackument(doc, "openai", "r", false)?.facts as RegistryPackageFacts;
    assert.deepEqual(decodePackage(read.encoded, "openai", "r", false), expected(facts, locked));
  });

  it("keep PyPI releases with yanks and the locked spelling of a version written otherwise", () => {
    const doc = body("pypi-now", "GET /pypi/requests/json");
    const releases = doc.releases as Record<string, Array<Record<string, unknown>>>;
    for (const file of releases["2.32.0"] ?? []) Object.assign(file, { yanked: true, yanked_reason: "broken" });
    const facts = parsePypiProject(doc, "requests", "https://pypi.org/pypi/") as RegistryPackageFacts;
    const read = readDocument("pypi", doc, "requests", ["2.32.0", "2.31"]);
    assert.ok(read);
    const decoded = decodePackage(read.encoded, "requests", "https://pypi.org/pypi/", false);
    assert.deepEqual(decoded.versions.get("2.32.0"), facts.versions.get("2.32.0"));
    assert.deepEqual(decoded.versions.get("2.32.0")?.yanked, { reason: "broken" });
    const spelled = pypiVersion(facts, "2.31");
    assert.equal(spelled?.version, "2.31.0");
    assert.deepEqual(decoded.versions.get("2.31"), spelled, "filed under the locked spelling too");
    assert.equal(decoded.versions.get("2.30.0")?.fileSha256, undefined, "no hashes kept for versions not locked");
    assert.equal(decoded.versions.get("2.30.0")?.published, facts.versions.get("2.30.0")?.published);
  });

  it("tells a damaged entry from a good one", () => {
    const good = encodePackage({ ecosystem: "npm", name: "x", registry: "r", state: "gone", versions: new Map(), signsAll: false }, []);
    assert.ok(isEncodedPackage(JSON.parse(JSON.stringify(good))));
    for (const bad of [null, 1, {}, { ...good, versions: [1] }, { ...good, locked: null }, { ...good, ecosystem: "cargo" }]) assert.equal(isEncodedPackage(bad), false);
  });
});
