import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answersFrom, contextWithRegistry, editJson } from "../testing/registry.js";
import type { Answers } from "../testing/registry.js";
import { fixturePath } from "../testing/fixtures.js";
import { runRules } from "./engine.js";
import { newPublisher } from "./new-publisher.js";

const fixture = (name: string) => fixturePath(import.meta.url, "registry", name);

/**
 * Sets `_npmUser` on every version of a recorded packument (the registry reachable here does not serve it): `usual`
 * for all, `locked` for one version. The names are invented; the version history and times are the recording's.
 */
function withPublishers(answers: Answers, name: string, usual: string, locked: { version: string; user: Record<string, unknown> }): void {
  editJson(answers, `GET /${name.replace("/", "%2f")}`, (doc) => {
    for (const [version, manifest] of Object.entries(doc.versions as Record<string, Record<string, unknown>>)) {
      manifest._npmUser = version === locked.version ? locked.user : { name: usual, email: `${usual}@example.com` };
    }
  });
}

describe("AIW-PUBLISHER-001 new-publisher", () => {
  it("reports an AI package published by an account that never published it before as high", async () => {
    const answers = answersFrom("npmjs");
    withPublishers(answers, "openai", "release-bot", { version: "6.21.0", user: { name: "fresh-account", email: "fresh@example.com" } });
    const { context } = await contextWithRegistry(fixture("npm-app"), { answers });
    const { findings, errors } = runRules([newPublisher], context);
    assert.deepEqual(errors, []);
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.ruleId, "AIW-PUBLISHER-001");
    assert.equal(finding?.severity, "high");
    assert.equal(finding?.file, "package-lock.json");
    assert.equal(finding?.line, 32);
    assert.match(finding?.message ?? "", /^openai 6\.21\.0 was published by fresh-account, an account that published none of its \d+ earlier versions \(those came from release-bot\)\.$/);
    assert.match(finding?.fix ?? "", /npm owner ls openai/);
    const [draft] = newPublisher.check(context);
    assert.deepEqual(draft?.key, [".", "openai@6.21.0", "fresh-account"]);
  });

  it("reports a utility package as medium", async () => {
    const answers = answersFrom("npmjs");
    withPublishers(answers, "@ctrl/tinycolor", "tinycolor-maintainer", { version: "4.1.0", user: { name: "someone-else" } });
    const { context } = await contextWithRegistry(fixture("npm-app"), { answers });
    assert.deepEqual(runRules([newPublisher], context).findings.map((f) => [f.package?.name, f.severity]), [["@ctrl/tinycolor", "medium"]]);
  });

  it("stays silent for a known publisher, for OIDC trusted publishing, and without publisher facts", async () => {
    const same = answersFrom("npmjs");
    withPublishers(same, "openai", "release-bot", { version: "6.21.0", user: { name: "release-bot" } });
    assert.deepEqual(runRules([newPublisher], (await contextWithRegistry(fixture("npm-app"), { answers: same })).context).findings, []);
    const trusted = answersFrom("npmjs");
    withPublishers(trusted, "openai", "release-bot", { version: "6.21.0", user: { name: "GitHub Actions", email: "npm-oidc-no-reply@github.com", trustedPublisher: { id: "github", oidcConfigId: "oidc:0" } } });
    assert.deepEqual(runRules([newPublisher], (await contextWithRegistry(fixture("npm-app"), { answers: trusted })).context).findings, []);
    assert.deepEqual(runRules([newPublisher], (await contextWithRegistry(fixture("npm-app"), { answers: answersFrom("npmjs") })).context).findings, []);
  });
});
