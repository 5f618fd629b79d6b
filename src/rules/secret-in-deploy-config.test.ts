import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { contextFor } from "../testing/context.js";
import { fixturePath } from "../testing/fixtures.js";
import { leakedKeys, scannedSecretFixture } from "../testing/secret-tree.js";
import type { SecretFixture } from "../testing/secret-tree.js";
import type { FindingDraft } from "./rule.js";
import { secretInDeployConfig } from "./secret-in-deploy-config.js";

describe("AIW-SECRET-005 secret-in-deploy-config", () => {
  let fixture: SecretFixture;
  let drafts: FindingDraft[];

  before(async () => {
    fixture = await scannedSecretFixture();
    drafts = secretInDeployConfig.check(await contextFor(fixture.root, { facts: { secrets: fixture.scan.facts } as never }));
  });
  after(() => fixture.cleanup());

  const at = (file: string, line: number) => drafts.find((d) => d.file === file && d.line === line);

  it("one finding per literal, for every kind of deployment setting", () => {
    assert.deepEqual(drafts.map((d) => `${d.file}:${d.line}`).sort(), [
      "Dockerfile:2", "Dockerfile:3", "docker-compose.yml:11", "docker-compose.yml:5", "k8s/config.yaml:13", "k8s/config.yaml:6", "k8s/deployment.yaml:13",
    ]);
  });

  const cases: Array<[string, number, string, RegExp, RegExp]> = [
    ["Dockerfile", 3, "critical", /^Dockerfile:3 sets `ENV OPENAI_API_KEY` to OpenAI project API key `sk-proj-…` \(fingerprint [0-9a-f]{16}\): it is baked into every image layer/, /then pass `OPENAI_API_KEY` at run time .* `RUN --mount=type=secret,id=openai_api_key`\.$/],
    ["Dockerfile", 2, "critical", /^Dockerfile:2 sets `ARG HF_TOKEN` default to Hugging Face .*: build arguments are recorded in the image history\.$/, /use a BuildKit secret/],
    ["k8s/deployment.yaml", 13, "critical", /^k8s\/deployment\.yaml:13 sets the container variable `ANTHROPIC_API_KEY` \(`env: - value:`\) to Anthropic .*: the manifest, etcd and every `kubectl get -o yaml` show it in plain text\.$/, /`valueFrom: \{ secretKeyRef: \{ name: <secret>, key: ANTHROPIC_API_KEY \} \}`/],
    ["k8s/config.yaml", 6, "high", /^k8s\/config\.yaml:6 sets ConfigMap key `MISTRAL_API_KEY` to Mistral /, /move it into a Secret/],
    ["k8s/config.yaml", 13, "critical", /^k8s\/config\.yaml:13 sets `stringData\.PERPLEXITY_API_KEY` of a Secret manifest to Perplexity /, /sealed-secrets or SOPS/],
    ["docker-compose.yml", 5, "critical", /^docker-compose\.yml:5 sets the compose `environment:` entry `XAI_API_KEY` to xAI /, /`XAI_API_KEY: \$\{XAI_API_KEY\}`/],
    ["docker-compose.yml", 11, "critical", /^docker-compose\.yml:11 sets the compose build argument `HF_TOKEN` to Hugging Face /, /compose build secret/],
  ];
  for (const [file, line, severity, message, fix] of cases) {
    it(`${file}:${line}`, () => {
      const draft = at(file, line);
      assert.equal(draft?.severity, severity);
      assert.match(draft?.message ?? "", message);
      assert.match(draft?.fix ?? "", fix);
      assert.match(draft?.fix ?? "", /^Revoke the /);
      assert.equal(draft?.key.length, 2);
      assert.equal(draft?.key[0], file);
    });
  }

  it("no output carries a planted key", () => {
    assert.deepEqual(leakedKeys(JSON.stringify(drafts), fixture.planted), []);
  });

  it("stays silent on secret references, non-secret settings and without secret facts", async () => {
    const clean = await scannedSecretFixture({ template: fixturePath(import.meta.url, "secrets-clean") });
    try {
      assert.deepEqual(secretInDeployConfig.check(await contextFor(clean.root, { facts: { secrets: clean.scan.facts } as never })), []);
      assert.deepEqual(secretInDeployConfig.check(await contextFor(clean.root)), []);
    } finally {
      clean.cleanup();
    }
  });
});
