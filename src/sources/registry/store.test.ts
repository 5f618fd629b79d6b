import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePackument } from "./npm.js";
import { parsePypiProject } from "./pypi.js";
import { trimPackument, trimPypiProject } from "./store.js";
import { answersFrom } from "../../testing/registry.js";

const body = (set: string, key: string) => JSON.parse(answersFrom(set).get(key)?.body.toString("utf8") ?? "null") as Record<string, unknown>;

describe("trimmed documents", () => {
  it("keep every fact a packument gives: signatures, publisher, trusted publishing, provenance, deprecation, unpublished", () => {
    const doc = body("npm-public", "GET /venv");
    const versions = doc.versions as Record<string, Record<string, unknown>>;
    const v2 = versions["0.2.0"] as Record<string, unknown>;
    (v2.dist as Record<string, unknown>).attestations = { url: "https://registry.npmjs.org/-/npm/v1/attestations/venv@0.2.0", provenance: { predicateType: "https://slsa.dev/provenance/v1" } };
    v2.deprecated = "use 1.0.1";
    v2._npmUser = { name: "GitHub Actions", email: "npm-oidc-no-reply@github.com", trustedPublisher: { id: "github" } };
    (doc.time as Record<string, unknown>).unpublished = { time: "2020-01-01T00:00:00.000Z", versions: ["0.0.1"] };
    const trimmed = trimPackument(doc);
    assert.ok(JSON.stringify(trimmed).length < JSON.stringify(doc).length);
    assert.deepEqual(parsePackument(trimmed, "venv", "https://registry.npmjs.org/", true), parsePackument(doc, "venv", "https://registry.npmjs.org/", true));
    const full = body("npmjs", "GET /openai");
    assert.deepEqual(parsePackument(trimPackument(full), "openai", "r", false), parsePackument(full, "openai", "r", false));
  });

  it("keep every fact a PyPI project document gives", () => {
    const doc = body("pypi-now", "GET /pypi/requests/json");
    const trimmed = trimPypiProject(doc);
    assert.ok(JSON.stringify(trimmed).length < JSON.stringify(doc).length / 2);
    assert.deepEqual(parsePypiProject(trimmed, "requests", "https://pypi.org/pypi/"), parsePypiProject(doc, "requests", "https://pypi.org/pypi/"));
  });
});
