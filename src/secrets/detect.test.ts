import { test } from "node:test";
import assert from "node:assert/strict";
import { buildDetectorSet, loadDetectors, literalSearch } from "./detect.js";
import { loadDetectorDocument } from "./detectors.js";
import { fakeSecret } from "./samples.js";
import type { SecretMatch } from "./types.js";

const detectors = loadDetectors();
const cohere = fakeSecret("cohere-api-key");
const openai = fakeSecret("openai-project-key");
const groq = fakeSecret("groq-api-key");
const awsId = fakeSecret("aws-access-key-id");
const awsSecret = fakeSecret("aws-secret-access-key");

function only(text: string, path = "app/settings.py", set = detectors): SecretMatch {
  const matches = set.detect(text, path);
  assert.equal(matches.length, 1, `expected one match, got ${matches.map((m) => m.detector.id).join(", ") || "none"} in ${JSON.stringify(text)}`);
  return matches[0] as SecretMatch;
}

test("a prefix-less key is found in every assignment form, with the variable it is assigned to", () => {
  const cases: [string, string, string][] = [
    [".env", `COHERE_API_KEY=${cohere}\n`, "COHERE_API_KEY"],
    ["shell export", `export CO_API_KEY="${cohere}"\n`, "CO_API_KEY"],
    ["shell single quotes", `CO_API_KEY='${cohere}'`, "CO_API_KEY"],
    ["YAML", `cohere:\n  cohere_api_key: ${cohere}\n`, "cohere_api_key"],
    ["YAML quoted", `cohere_api_key: "${cohere}"`, "cohere_api_key"],
    ["JSON", `{"cohereApiKey": "${cohere}"}`, "cohereApiKey"],
    ["TOML", `cohere_api_key = "${cohere}"`, "cohere_api_key"],
    ["Python", `COHERE_API_KEY = "${cohere}"`, "COHERE_API_KEY"],
    ["Python keyword argument with the provider on the line", `co = cohere.ClientV2(api_key="${cohere}")`, "api_key"],
    ["Python os.environ", `os.environ["COHERE_API_KEY"] = "${cohere}"`, "COHERE_API_KEY"],
    ["JS object", `const config = { cohereApiKey: '${cohere}' };`, "cohereApiKey"],
    ["JS process.env", `process.env.COHERE_API_KEY = "${cohere}";`, "process.env.COHERE_API_KEY"],
    ["Go", `coHereKey := "${cohere}" // cohere`, "coHereKey"],
    ["PHP", `'cohere_api_key' => '${cohere}',`, "cohere_api_key"],
    ["Dockerfile ENV", `FROM python:3.12\nENV COHERE_API_KEY=${cohere}\n`, "COHERE_API_KEY"],
    ["Dockerfile ARG", `ARG COHERE_API_KEY=${cohere}\n`, "COHERE_API_KEY"],
    ["compose list", `    environment:\n      - COHERE_API_KEY=${cohere}\n`, "COHERE_API_KEY"],
    ["Kubernetes env", `        env:\n          - name: COHERE_API_KEY\n            value: "${cohere}"\n`, "COHERE_API_KEY"],
    ["ECS task definition", `"environment": [{"name": "COHERE_API_KEY", "value": "${cohere}"}]`, "COHERE_API_KEY"],
    ["notebook source (escaped JSON)", `"source": ["COHERE_API_KEY = \\"${cohere}\\"\\n"]`, "COHERE_API_KEY"],
    ["comment after an unquoted value", `COHERE_API_KEY=${cohere} # prod\n`, "COHERE_API_KEY"],
  ];
  for (const [name, text, variable] of cases) {
    const match = only(text);
    assert.equal(match.detector.id, "cohere-api-key", name);
    assert.equal(match.secret, cohere, name);
    assert.equal(match.variable, variable, name);
    assert.equal(match.column, (text.split("\n")[match.line - 1] ?? "").indexOf(cohere) + 1, name);
  }
});

test("prefixed keys record the variable they are assigned to, when there is one", () => {
  const cases: [string, string | undefined][] = [
    [`OPENAI_API_KEY=${openai}`, "OPENAI_API_KEY"],
    [`export OPENAI_API_KEY="${openai}"`, "OPENAI_API_KEY"],
    [`openai_api_key: ${openai}`, "openai_api_key"],
    [`ENV OPENAI_API_KEY ${openai}`, "OPENAI_API_KEY"],
    [`- name: OPENAI_API_KEY\n  value: ${openai}`, "OPENAI_API_KEY"],
    [`client = OpenAI(api_key="${openai}")`, "api_key"],
    [`openai --api-key=${openai} models list`, "api-key"],
    [`Authorization: Bearer ${openai}`, undefined],
    [`${openai}`, undefined],
  ];
  for (const [text, variable] of cases) assert.equal(only(text).variable, variable, text);
});

test("references, expressions and placeholders in assignments are not secrets", () => {
  const withCatalog = loadDetectors({ extraVariableNames: { OpenAI: ["OPENAI_API_KEY"], Cohere: ["COHERE_API_KEY"] } });
  const values = [
    "${OPENAI_API_KEY}", "$OPENAI_API_KEY", "${{ secrets.OPENAI_API_KEY }}", "{{ secrets.OPENAI_API_KEY }}", "<your-key>",
    "<your-openai-api-key-here>", "os.environ[\"OPENAI_API_KEY\"]", "os.getenv(\"OPENAI_API_KEY\")", "process.env.OPENAI_API_KEY",
    "your_api_key_here", "changeme", "REPLACE_ME", "dummy-key-1234567890abcdef", "test-key-1234567890abcdef",
    "sk-example-1234567890abcdefABCDEF", "fake_key_1234567890abcdefABCDEF", "sk-...", "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "12345678901234567890123456789012", "abcdefghijklmnopqrstuvwxyzabcdef",
    "abcd1234abcd1234abcd1234abcd1234", "settings.OPENAI_API_KEY", "config.openai.apiKey", "/run/secrets/openai_api_key",
    "~/.config/openai/key", "sk-1234567890abcdef1234567890abcdef",
  ];
  for (const value of values) {
    for (const line of [`OPENAI_API_KEY=${value}`, `OPENAI_API_KEY = "${value}"`, `openai_api_key: '${value}'`, `COHERE_API_KEY=${value}`]) {
      assert.deepEqual(withCatalog.detect(`${line}\n`, ".env").map((m) => m.detector.id), [], line);
    }
  }
});

test("variable names from the catalog add a generic detector per provider; URLs, hosts and ids are not credentials", () => {
  const set = loadDetectors({ extraVariableNames: { ElevenLabs: ["ELEVENLABS_API_KEY", "ELEVENLABS_BASE_URL"], Cohere: ["COHERE_API_KEY", "CO_API_URL"] } });
  const ids = set.detectors.map((d) => d.id);
  assert.ok(ids.includes("assigned-elevenlabs-key"));
  assert.ok(!ids.includes("assigned-cohere-key"), "COHERE_API_KEY keeps its shipped detector, CO_API_URL is no credential");
  const value = "Zx81Lq0Wb3Nr5Ts7Uv9Ya2Cd4Ef6Gh";
  const match = only(`ELEVENLABS_API_KEY=${value}\n`, ".env", set);
  assert.deepEqual([match.detector.id, match.detector.provider, match.detector.confidence, match.variable, match.redacted], ["assigned-elevenlabs-key", "ElevenLabs", "medium", "ELEVENLABS_API_KEY", "…"]);
  assert.deepEqual(set.detect(`ELEVENLABS_BASE_URL=${value}\n`, ".env"), []);
  assert.deepEqual(set.detect(`elevenLabsApiKey: "${value}"\n`, "config.yml").map((m) => m.variable), ["elevenLabsApiKey"]);
  assert.deepEqual(detectors.detect(`ELEVENLABS_API_KEY=${value}\n`, ".env"), [], "without the catalog names the value is unknown");
});

test("a shipped format wins over the generic detector of the variable it is assigned to", () => {
  const set = loadDetectors({ extraVariableNames: { OpenAI: ["OPENAI_API_KEY"] } });
  const match = only(`OPENAI_API_KEY="${openai}"\n`, ".env", set);
  assert.equal(match.detector.id, "openai-project-key");
  assert.equal(match.variable, "OPENAI_API_KEY");
  // Joined at run time so this file holds no key-shaped literal (aiwarden scans its own repository).
  const legacy = ["sk", "Qw8Rt2Yu6Io0Pa4Sd8Fg2Hj6Kl0Zx4Cv"].join("-");
  assert.equal(only(`OPENAI_API_KEY="${legacy}"\n`, ".env", set).detector.id, "assigned-openai-key");
});

test("the longest prefix decides between formats that share one", () => {
  assert.equal(only(openai).detector.id, "openai-project-key");
  assert.equal(only(fakeSecret("openai-user-key")).detector.id, "openai-user-key");
  assert.equal(only(fakeSecret("openrouter-api-key")).detector.id, "openrouter-api-key");
  assert.equal(only(fakeSecret("anthropic-api-key")).detector.id, "anthropic-api-key");
  assert.equal(only(fakeSecret("langfuse-secret-key")).detector.id, "langfuse-secret-key");
});

test("tokens are whole words: no match inside a longer token, but after an escape sequence", () => {
  assert.deepEqual(detectors.detect(`x${groq}`, "a.txt"), []);
  assert.deepEqual(detectors.detect(`${groq}x`, "a.txt"), []);
  assert.deepEqual(detectors.detect(`${groq}_suffix`, "a.txt"), []);
  assert.deepEqual(detectors.detect(`a-${openai}`, "a.txt"), []);
  assert.equal(only(`"line one\\n${groq}\\nline two"`).column, 12);
  assert.equal(only(`key=${groq};`).column, 5);
  assert.equal(only(`(${groq})`).column, 2);
});

test("DeepSeek's sk- plus hex counts only next to DeepSeek", () => {
  const key = fakeSecret("deepseek-api-key");
  assert.equal(only(`DEEPSEEK_API_KEY=${key}`).detector.id, "deepseek-api-key");
  assert.equal(only(`# DeepSeek\napi_key = "${key}"`).detector.id, "deepseek-api-key");
  assert.deepEqual(detectors.detect(`api_key = "${key}"`, "a.py"), []);
  assert.deepEqual(detectors.detect(`LITELLM_MASTER_KEY=${key}`, ".env"), []);
});

test("an AWS secret counts when assigned to an AWS variable or within 1,000 characters of an access key ID", () => {
  assert.equal(only(`aws_secret_access_key = ${awsSecret}`).detector.id, "aws-secret-access-key");
  const paired = detectors.detect(`key_id = "${awsId}"\nsecret = "${awsSecret}"\n`, "a.py");
  assert.deepEqual(paired.map((m) => m.detector.id), ["aws-access-key-id", "aws-secret-access-key"]);
  const far = detectors.detect(`key_id = "${awsId}"\n${"#\n".repeat(600)}secret = "${awsSecret}"\n`, "a.py");
  assert.deepEqual(far.map((m) => m.detector.id), ["aws-access-key-id"]);
  assert.deepEqual(detectors.detect(`secret = "${awsSecret}"\n`, "a.py"), []);
  // The key ID written after the secret counts too: assignments are checked once the whole text has been searched.
  const before = detectors.detect(`secret = "${awsSecret}"\nkey_id = "${awsId}"\n`, "a.py");
  assert.deepEqual(before.map((m) => m.detector.id), ["aws-secret-access-key", "aws-access-key-id"]);
});

test("the one search finds prefixes inside an assigned value and operators in any case, but none inside a value", () => {
  // The prefix of a key assigned to a credential name is still found, and so is the next assignment on the line.
  const both = detectors.detect(`API_KEY="${openai}" COHERE_API_KEY=${cohere}\n`, ".env");
  assert.deepEqual(both.map((m) => [m.detector.id, m.variable]), [["openai-project-key", "API_KEY"], ["cohere-api-key", "COHERE_API_KEY"]]);
  assert.equal(only(`Cohere_Api_KEY := "${cohere}"`, "main.go").detector.id, "cohere-api-key");
  // An operator inside the value just read starts no second assignment (as `key=` inside a URL would not).
  assert.deepEqual(detectors.detect(`PASSWORD=x_COHERE_API_KEY=${cohere}\n`, ".env"), []);
  assert.equal(only(`PASSWORD=x\nCOHERE_API_KEY=${cohere}\n`, ".env").detector.id, "cohere-api-key");
});

test("lines and columns are 1-based, counted in UTF-16 code units, across CRLF and several matches per line", () => {
  const text = `first\r\nsecond ${groq}\r\n\r\nü→ ${openai} and ${groq}\n`;
  const matches = detectors.detect(text, "notes.txt");
  assert.deepEqual(matches.map((m) => [m.detector.id, m.line, m.column]), [
    ["groq-api-key", 2, 8],
    ["openai-project-key", 4, 4],
    ["groq-api-key", 4, 9 + openai.length],
  ]);
  assert.equal(matches[0]?.fingerprint, matches[2]?.fingerprint, "the same key twice has one fingerprint");
});

test("example and template files report only self-verifying formats", () => {
  const github = fakeSecret("github-personal-access-token");
  const text = `COHERE_API_KEY=${cohere}\nGROQ_API_KEY=${groq}\nGH_TOKEN=${github}\nLANGFUSE_PUBLIC_KEY=${fakeSecret("langfuse-public-key")}\n`;
  assert.deepEqual(detectors.detect(text, ".env").map((m) => m.detector.id), ["cohere-api-key", "groq-api-key", "github-personal-access-token", "langfuse-public-key"]);
  for (const path of [".env.example", "deploy/.env.sample", "config.example.yml", "secrets.template", ".env.dist"]) {
    assert.deepEqual(detectors.detect(text, path).map((m) => m.detector.id), ["groq-api-key", "github-personal-access-token"], path);
  }
});

test("a line that says it is an example is not reported, unless a checksum proves the token", () => {
  assert.deepEqual(detectors.detect(`# for example: GROQ_API_KEY=${groq}\n`, "README.md"), []);
  assert.deepEqual(detectors.detect(`GROQ_API_KEY=${groq}  # placeholder\n`, "README.md"), []);
  const github = fakeSecret("github-personal-access-token");
  assert.equal(only(`e.g. ${github}`).detector.id, "github-personal-access-token");
  assert.equal(only(`curl -H "Authorization: Bearer ${groq}" https://api.example.com`).detector.id, "groq-api-key");
});

test("GitHub and npm tokens must carry a valid checksum", () => {
  const token = fakeSecret("github-personal-access-token");
  assert.equal(only(token).detector.id, "github-personal-access-token");
  const last = token.at(-1) === "a" ? "b" : "a";
  assert.deepEqual(detectors.detect(token.slice(0, -1) + last, "a.txt"), []);
  const npm = fakeSecret("npm-access-token");
  assert.equal(only(`//registry.npmjs.org/:_authToken=${npm}`).detector.id, "npm-access-token");
});

test("PEM private keys: whole blocks, with real or escaped newlines; public keys and broken blocks are not", () => {
  const escaped = fakeSecret("private-key", 1);
  const json = `{"type": "service_account", "private_key": "${escaped}\\n", "client_email": "x@y.iam.gserviceaccount.com"}`;
  const match = only(json, "sa.json");
  assert.equal(match.secret, escaped);
  assert.equal(match.redacted, "-----BEGIN…");
  const block = fakeSecret("private-key", 0);
  assert.equal(only(`before\n${block}\nafter\n`).line, 2);
  assert.deepEqual(detectors.detect(block.replace("-----END RSA", "-----END EC"), "k.pem"), []);
  assert.deepEqual(detectors.detect(block.replace(/-----END[^\n]*/, ""), "k.pem"), []);
});

test("an Azure AI services key is found by its signature, with or without its == tail", () => {
  const short = fakeSecret("azure-ai-services-key", 0);
  const long = fakeSecret("azure-ai-services-key", 1);
  assert.equal(short.length, 84);
  assert.equal(long.length, 88);
  assert.equal(only(`AZURE_OPENAI_API_KEY=${short}`).detector.id, "azure-ai-services-key");
  assert.equal(only(`key: "${long}"`).secret, long);
  assert.deepEqual(detectors.detect(`x${short}`, "a.txt"), []);
});

test("a custom document builds its own set; the literal search groups prefixes by their separator", () => {
  const shipped = loadDetectorDocument();
  const set = buildDetectorSet({ version: 1, detectors: shipped.detectors.filter((d) => d.id === "groq-api-key") });
  assert.deepEqual(set.detectors.map((d) => d.id), ["groq-api-key"]);
  assert.equal(only(groq, "a.txt", set).detector.id, "groq-api-key");
  assert.deepEqual(set.detect(openai, "a.txt"), []);
  const search = literalSearch(["sk-proj-", "sk-", "gsk_", "AKIA", "-----BEGIN "]);
  assert.deepEqual([...search.heads.values()].flat(), [{ head: "sk-", literals: ["sk-proj-", "sk-"] }, { head: "gsk_", literals: ["gsk_"] }]);
  assert.deepEqual([...search.plain], [["-", ["-----BEGIN "]], ["A", ["AKIA"]]]);
  const hits = [..."xx AKIA sk-proj- gsk_ -----BEGIN ".matchAll(search.regex)].map((m) => m[0]);
  assert.deepEqual(hits, ["AKIA", "-", "_", "-----BEGIN "]);
  // With the assignment operators: they are found in the same search.
  assert.equal(literalSearch(["AKIA"], { assignments: true }).regex.exec("api_key: 1")?.index, 7);
});

test("detect is pure: the same input gives the same output, and the input is not changed", () => {
  const text = `OPENAI_API_KEY=${openai}\nCOHERE_API_KEY=${cohere}\n`;
  const copy = `${text}`;
  assert.deepEqual(detectors.detect(text, ".env"), detectors.detect(text, ".env"));
  assert.equal(text, copy);
  assert.equal(loadDetectors(), detectors, "loadDetectors is cached");
});
