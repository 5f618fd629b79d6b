import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { loadDetectors } from "./detect.js";
import { loadDetectorDocument, parseDetectorDocument } from "./detectors.js";
import type { DetectorSpec } from "./detectors.js";
import { expandSample } from "./samples.js";
import { repoRoot } from "../testing/fixtures.js";

const document = loadDetectorDocument();
const detectors = loadDetectors();

test("the shipped file validates against its JSON schema", () => {
  const schema = JSON.parse(readFileSync(join(repoRoot, "data", "schema", "secret-detectors.schema.json"), "utf8")) as object;
  const data = JSON.parse(readFileSync(join(repoRoot, "data", "secret-detectors.json"), "utf8")) as unknown;
  const validate = new Ajv({ allErrors: true }).compile(schema);
  assert.equal(validate(data), true, JSON.stringify(validate.errors));
});

test("the shipped detectors load, with unique ids and the formats the issue asks for", () => {
  const ids = detectors.detectors.map((d) => d.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids.length, document.detectors.length);
  for (const id of [
    "openai-project-key", "openai-service-account-key", "openai-admin-key", "openai-user-key", "anthropic-api-key",
    "anthropic-admin-key", "groq-api-key", "huggingface-token", "huggingface-org-token", "google-api-key", "xai-api-key",
    "replicate-api-token", "perplexity-api-key", "openrouter-api-key", "langsmith-api-key", "langfuse-secret-key",
    "pinecone-api-key", "together-api-key", "wandb-api-key", "cerebras-api-key", "nvidia-api-key", "aws-access-key-id",
    "aws-secret-access-key", "aws-bedrock-api-key", "github-personal-access-token", "github-fine-grained-token",
    "npm-access-token", "pypi-upload-token", "cohere-api-key", "mistral-api-key", "deepseek-api-key",
    "azure-openai-api-key", "wandb-legacy-api-key", "pinecone-legacy-api-key",
  ]) assert.ok(ids.includes(id), id);
});

test("every detector documents its sources and has true and false samples", () => {
  for (const spec of document.detectors) {
    assert.ok(spec.references.length > 0 && spec.references.every((r) => r.startsWith("https://")), spec.id);
    assert.ok(spec.samples.true.length > 0 && spec.samples.false.length > 0, spec.id);
  }
});

test("no sample in the data file is a key by itself: true samples are templates expanded at test time", () => {
  for (const spec of document.detectors) {
    for (const template of spec.samples.true) {
      const literal = detectors.detect(template, "data/secret-detectors.json").filter((m) => m.detector.id === spec.id);
      assert.deepEqual(literal, [], `${spec.id}: ${template.slice(0, 20)}… must be a template`);
    }
  }
});

/** Ways a bare token is written; `{}` is replaced by the token. Each gives its line and column. */
const CONTEXTS: { name: string; text: string }[] = [
  { name: "bare line", text: "{}" },
  { name: ".env", text: "SOME_CREDENTIAL={}" },
  { name: "shell export", text: "export SOME_CREDENTIAL=\"{}\"" },
  { name: "YAML", text: "  credential: '{}'" },
  { name: "JSON", text: "  \"credential\": \"{}\"," },
  { name: "Python", text: "client = Client(api_key=\"{}\")" },
  { name: "JS", text: "const client = new Client({ apiKey: `{}` });" },
  { name: "URL", text: "curl -H \"Authorization: Bearer {}\" https://api.example.com/v1" },
  { name: "JSON string with escapes", text: "\"source\": [\"x = \\\"{}\\\"\\n\"]" },
];

/** The header lines every recall text starts with, so that line numbers are not trivially 1. */
const HEADER = "# settings\n\n";

function recallCases(spec: DetectorSpec): { name: string; text: string; secret: string; line: number; column: number }[] {
  const out = [];
  for (const [i, template] of spec.samples.true.entries()) {
    const sample = expandSample(template, `${spec.id}#${i}`);
    if (sample.secret !== sample.text) {
      // A sample with its own context: used as written.
      const before = HEADER + sample.text.slice(0, sample.offset);
      const lines = before.split("\n");
      out.push({ name: `sample ${i}`, text: `${HEADER}${sample.text}\n`, secret: sample.secret, line: lines.length, column: (lines.at(-1) ?? "").length + 1 });
      continue;
    }
    for (const context of spec.context ? [] : CONTEXTS) {
      const at = context.text.indexOf("{}");
      out.push({ name: `sample ${i} in ${context.name}`, text: `${HEADER}${context.text.replace("{}", sample.secret)}\n`, secret: sample.secret, line: 3, column: at + 1 });
    }
  }
  return out;
}

test("recall: every true sample of every detector is found with its detector, line and column", () => {
  let checked = 0;
  for (const spec of document.detectors) {
    for (const c of recallCases(spec)) {
      const matches = detectors.detect(c.text, "src/config.py");
      const found = matches.find((m) => m.secret === c.secret);
      assert.ok(found, `${spec.id} ${c.name}: not found (got ${matches.map((m) => m.detector.id).join(", ") || "nothing"})`);
      assert.equal(found.detector.id, spec.id, `${spec.id} ${c.name}`);
      assert.equal(found.line, c.line, `${spec.id} ${c.name}: line`);
      assert.equal(found.column, c.column, `${spec.id} ${c.name}: column`);
      checked++;
    }
  }
  assert.ok(checked > 300, `only ${checked} cases`);
});

test("false samples match nothing at all", () => {
  for (const spec of document.detectors) {
    for (const [i, template] of spec.samples.false.entries()) {
      const sample = expandSample(template, `${spec.id}#false${i}`);
      const matches = detectors.detect(`${HEADER}${sample.text}\n`, "src/config.py");
      assert.deepEqual(matches.map((m) => `${m.detector.id}@${m.line}:${m.column}`), [], `${spec.id} false sample ${i}: ${template}`);
    }
  }
});

test("random keys of every format are accepted: the entropy and placeholder rules reject at most 1 in 200", () => {
  for (const spec of document.detectors) {
    const template = spec.samples.true[0] as string;
    let missed = 0;
    const runs = 200;
    for (let i = 0; i < runs; i++) {
      const sample = expandSample(template, `${spec.id}#random${i}`);
      if (!detectors.detect(`${sample.text}\n`, "a.txt").some((m) => m.detector.id === spec.id && m.secret === sample.secret)) missed++;
    }
    assert.ok(missed <= 1, `${spec.id}: ${missed} of ${runs} random keys missed`);
  }
});

/** A minimal valid document for the error-message table. */
function doc(detector: Record<string, unknown>): string {
  return JSON.stringify({
    version: 1,
    detectors: [{ id: "x-key", provider: "X", kind: "API key", confidence: "high", prefixes: ["xk_"], body: [{ chars: "A-Za-z0-9", length: 32 }], references: ["https://example.com"], samples: { true: ["xk_{alnum:32}"], false: ["xk_"] }, ...detector }],
  });
}

test("a broken detector document is refused with the field that is wrong", () => {
  const cases: [string, string, RegExp][] = [
    ["not JSON", "{", /not valid JSON/],
    ["wrong version", JSON.stringify({ version: 2, detectors: [] }), /\/version must be 1/],
    ["bad id", doc({ id: "X Key" }), /\/detectors\/0\/id must be kebab-case/],
    ["unknown field", doc({ regex: "xk_.*" }), /\/detectors\/0\/regex is not a detector field/],
    ["bad confidence", doc({ confidence: "certain" }), /confidence must be high, medium or low/],
    ["no references", doc({ references: [] }), /references must cite at least one source/],
    ["no false samples", doc({ samples: { true: ["x"], false: [] } }), /needs true and false samples/],
    ["bare shape", doc({ prefixes: undefined }), /needs prefixes, an anchor or a context/],
    ["short prefix", doc({ prefixes: ["x"] }), /too short to search for/],
    ["reversed range", doc({ body: [{ chars: "z-a", length: 3 }] }), /bad range/],
    ["min above max", doc({ body: [{ chars: "a-z", min: 9, max: 3 }] }), /min <= max/],
    ["empty body", doc({ body: [{ chars: "a-z", min: 0, max: 3 }] }), /body can be empty/],
    ["unknown pair", doc({ context: { pairedWith: "nope" } }), /pairedWith names no detector/],
    ["empty context", doc({ context: {} }), /context needs variables, keywords or pairedWith/],
    ["bad checksum", doc({ checksum: "md5" }), /checksum must be crc32-base62/],
    ["anchor outside body", doc({ prefixes: undefined, anchor: { literal: "ABCD", offset: 40 } }), /offset lies outside the body/],
  ];
  for (const [name, text, message] of cases) assert.throws(() => parseDetectorDocument(text, "test.json"), message, name);
  const duplicate = JSON.parse(doc({})) as { detectors: unknown[] };
  duplicate.detectors.push(duplicate.detectors[0]);
  assert.throws(() => parseDetectorDocument(JSON.stringify(duplicate), "test.json"), /"x-key" is used twice/);
  assert.doesNotThrow(() => parseDetectorDocument(doc({}), "test.json"));
});

test("docs/secret-detectors.md lists every detector", () => {
  const docs = readFileSync(join(repoRoot, "docs", "secret-detectors.md"), "utf8");
  for (const spec of document.detectors) assert.ok(docs.includes(`\`${spec.id}\``), `${spec.id} missing from docs/secret-detectors.md`);
});
