import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deployContexts, documentsHolding, fileKindOf, isPlaceholderValue, isSecretName, notebookSegments, parseEnvAssignments, urlPassword } from "./file-kinds.js";
import type { FileKind } from "./file-kinds.js";
import { TextLines } from "./lines.js";

describe("fileKindOf", () => {
  const cases: Array<[string, FileKind]> = [
    [".env", "env"],
    ["services/api/.env.production", "env"],
    [".env.local", "env"],
    ["config/prod.env", "env"],
    [".env.example", "env-template"],
    ["web/.env.sample", "env-template"],
    [".env.template", "env-template"],
    [".env.production.example", "env-template"],
    ["example.env", "env-template"],
    [".env.dist", "env-template"],
    [".envrc", "text"],
    ["environment.yml", "yaml"],
    ["Dockerfile", "dockerfile"],
    ["docker/api.Dockerfile", "dockerfile"],
    ["Containerfile", "dockerfile"],
    // Known only by how they start (the last letter alone would call them text).
    ["Dockerfile.prod", "dockerfile"],
    ["containerfile.ci", "dockerfile"],
    [".ENV.STAGING", "env"],
    ["CONFIG/APP.YML", "yaml"],
    ["src/dockerfile.test.ts", "text"],
    ["docker-compose.yml", "compose"],
    ["deploy/docker-compose.prod.yaml", "compose"],
    ["compose.yaml", "compose"],
    ["k8s/deployment.yaml", "yaml"],
    ["notebooks/Explore.ipynb", "notebook"],
    ["main.tf", "text"],
    ["src/app.py", "text"],
  ];
  for (const [path, kind] of cases) it(`${path} → ${kind}`, () => assert.equal(fileKindOf(path), kind));
});

describe("parseEnvAssignments", () => {
  it("reads names, lines, placeholders and credential-looking values without keeping values", () => {
    const text = [
      "# comment",
      "export OPENAI_API_KEY=abcDEF123456ghiJKL789",
      "PORT=3000",
      "JWT_SECRET=\"s3cr3t-value\"",
      "DATABASE_URL=postgres://app:hunter22@db:5432/app",
      "EMPTY=",
      "STRIPE_KEY=<your-key>",
      "OTHER=${OPENAI_API_KEY}",
      "TOKEN_TTL=86400",
      "CACHE_KEY_PREFIX=myapp",
      "NEXT_PUBLIC_ANALYTICS_KEY=pk_live_abcdef123",
      "AWS_ACCESS_KEY_ID=AKIAEXAMPLEVALUE0000",
      "PASSWORD=xxxxxxxx",
      "not an assignment",
      "=novalue",
    ].join("\n");
    const parsed = parseEnvAssignments(text);
    assert.deepEqual(parsed.map((a) => [a.name, a.line, a.placeholder, a.secretLike]), [
      ["OPENAI_API_KEY", 2, false, true],
      ["PORT", 3, false, false],
      ["JWT_SECRET", 4, false, true],
      ["DATABASE_URL", 5, false, true],
      ["EMPTY", 6, true, false],
      ["STRIPE_KEY", 7, true, false],
      ["OTHER", 8, true, false],
      ["TOKEN_TTL", 9, false, false],
      ["CACHE_KEY_PREFIX", 10, false, false],
      ["NEXT_PUBLIC_ANALYTICS_KEY", 11, false, false],
      ["AWS_ACCESS_KEY_ID", 12, true, false],
      ["PASSWORD", 13, true, false],
    ]);
    assert.ok(!JSON.stringify(parsed).includes("hunter22"), "values are not kept");
  });

  it("in a template, only generated-looking values or URL passwords count as credentials", () => {
    const text = "OPENAI_API_KEY=sk-your-key-here\nJWT_SECRET=changeme\nSECRET_KEY=dev\nAPI_TOKEN=Zq81hsP0aLw9Kd72mXv3\nDB_URL=postgres://u:realpass@h/db\n";
    const parsed = parseEnvAssignments(text, true);
    assert.deepEqual(parsed.filter((a) => a.secretLike).map((a) => a.name), ["API_TOKEN", "DB_URL"]);
  });
});

describe("value and name heuristics", () => {
  it("isPlaceholderValue", () => {
    for (const v of ["", "''", "${KEY}", "$KEY", "<your-api-key>", "{{ .Values.key }}", "changeme", "your_key_here", "sk-xxxxxxxx", "...", "********", "000000", "null", "EXAMPLE_KEY"]) assert.equal(isPlaceholderValue(v), true, v);
    for (const v of ["hunter22", "Zq81hsP0aLw9Kd72mXv3", "production"]) assert.equal(isPlaceholderValue(v), false, v);
  });
  it("isSecretName", () => {
    for (const n of ["OPENAI_API_KEY", "JWT_SECRET", "SECRET_KEY_BASE", "GH_TOKEN", "DB_PASSWORD", "DB_PASS", "apiKey", "HF_TOKEN", "AWS_SECRET_ACCESS_KEY"]) assert.equal(isSecretName(n), true, n);
    for (const n of ["PORT", "AWS_ACCESS_KEY_ID", "TOKEN_URL", "CACHE_KEY_PREFIX", "NEXT_PUBLIC_SUPABASE_ANON_KEY", "STRIPE_PUBLISHABLE_KEY", "KEY_FILE"]) assert.equal(isSecretName(n), false, n);
  });
  it("urlPassword", () => {
    assert.equal(urlPassword("postgres://app:s3cret@db/app"), true);
    assert.equal(urlPassword("redis://:s3cret@cache:6379"), true);
    assert.equal(urlPassword("postgres://app@db/app"), false);
    assert.equal(urlPassword("postgres://app:${DB_PASSWORD}@db/app"), false);
    assert.equal(urlPassword("https://example.com/a:b@c"), false);
  });
});

/** Positions of every `MARK` in a text, as detector matches would give them. */
function marks(text: string): Array<{ line: number; column: number }> {
  const lines = new TextLines(text);
  const out = [];
  for (let at = text.indexOf("MARK"); at >= 0; at = text.indexOf("MARK", at + 1)) out.push(lines.position(at));
  return out;
}

async function contexts(kind: FileKind, text: string) {
  return deployContexts(kind, new TextLines(text), marks(text));
}

describe("deployContexts", () => {
  it("Dockerfile ENV and ARG, continued lines, and not RUN", async () => {
    const text = [
      "FROM python:3.12",
      "ARG HF_TOKEN=MARK1",
      "ENV OPENAI_API_KEY=MARK2 \\",
      "    OTHER=MARK3",
      "env LEGACY_KEY MARK4",
      "RUN curl -H 'Authorization: Bearer MARK5' https://api.example.com",
    ].join("\n");
    assert.deepEqual(await contexts("dockerfile", text), [
      { kind: "dockerfile-arg", name: "HF_TOKEN" },
      { kind: "dockerfile-env", name: "OPENAI_API_KEY" },
      { kind: "dockerfile-env", name: "OTHER" },
      { kind: "dockerfile-env", name: "LEGACY_KEY" },
      undefined,
    ]);
  });

  it("Kubernetes env values, ConfigMap data and Secret stringData; not valueFrom or annotations", async () => {
    const text = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  annotations:",
      "    note: MARK0",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: api",
      "          env:",
      "            - name: OPENAI_API_KEY",
      "              value: \"MARK1\"",
      "            - name: FROM_SECRET",
      "              valueFrom:",
      "                secretKeyRef: { name: keys, key: MARK2 }",
      "---",
      "apiVersion: v1",
      "kind: ConfigMap",
      "data:",
      "  ANTHROPIC_API_KEY: MARK3",
      "---",
      "apiVersion: v1",
      "kind: Secret",
      "stringData:",
      "  token: MARK4",
    ].join("\n");
    assert.deepEqual(await contexts("yaml", text), [
      undefined,
      { kind: "kubernetes-env", name: "OPENAI_API_KEY" },
      undefined,
      { kind: "kubernetes-configmap", name: "ANTHROPIC_API_KEY" },
      { kind: "kubernetes-secret-manifest", name: "token" },
    ]);
  });

  it("parses only the documents holding matches: a broken document elsewhere in the file does not matter", async () => {
    const text = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "data: [unclosed",
      "--- # the second object",
      "apiVersion: v1",
      "kind: Secret",
      "stringData:",
      "  token: MARK1",
      "---",
      "apiVersion: v1",
      "kind: ConfigMap",
      "data:",
      "  GROQ_API_KEY: MARK2",
    ].join("\n");
    assert.deepEqual(await contexts("yaml", text), [
      { kind: "kubernetes-secret-manifest", name: "token" },
      { kind: "kubernetes-configmap", name: "GROQ_API_KEY" },
    ]);
    const second = text.indexOf("--- #");
    const third = text.indexOf("---\n");
    assert.deepEqual(documentsHolding(text, [text.indexOf("MARK2"), 0, text.indexOf("MARK1"), 1]), [[0, second], [second, third], [third, text.length]]);
    // `---` not at the start of a line, or followed by more dashes, starts no document.
    assert.deepEqual(documentsHolding("a: 1\n ---\nb: ----\n----\nc: 2\n", [20]), [[0, 28]]);
  });

  it("a Helm template that is not YAML yet: `- name:` / `value:` pairs by line", async () => {
    const text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  containers:\n  {{- with .Values }}\n    env:\n      - name: GROQ_API_KEY\n        value: MARK1\n  {{- end }}\n";
    assert.deepEqual(await contexts("yaml", text), [{ kind: "kubernetes-env", name: "GROQ_API_KEY" }]);
  });

  it("docker-compose environment (map and list) and build args", async () => {
    const text = [
      "services:",
      "  api:",
      "    image: api",
      "    environment:",
      "      OPENAI_API_KEY: MARK1",
      "      - ignored",
      "  worker:",
      "    build:",
      "      context: .",
      "      args:",
      "        - HF_TOKEN=MARK2",
      "    environment:",
      "      - GROQ_API_KEY=MARK3",
      "    labels:",
      "      note: MARK4",
    ].filter((l) => l !== "      - ignored").join("\n");
    assert.deepEqual(await contexts("compose", text), [
      { kind: "compose-environment", name: "OPENAI_API_KEY" },
      { kind: "compose-build-arg", name: "HF_TOKEN" },
      { kind: "compose-environment", name: "GROQ_API_KEY" },
      undefined,
    ]);
  });

  it("plain YAML that is not a manifest, and other kinds, have no deployment context", async () => {
    assert.deepEqual(await contexts("yaml", "env:\n  - name: X\n    value: MARK\n"), [undefined]);
    assert.deepEqual(await contexts("text", "ENV X=MARK"), [undefined]);
  });
});

describe("notebookSegments", () => {
  it("keeps sources, text outputs, errors and metadata; drops images and attachments", () => {
    const notebook = {
      metadata: { kernelspec: { name: "python3" } },
      nbformat: 4,
      cells: [
        { cell_type: "markdown", metadata: {}, source: ["# Title\n"], attachments: { "a.png": { "image/png": "iVBORw0KGgo=" } } },
        {
          cell_type: "code", metadata: {}, source: ["import os\n", "key = 'A'\n"],
          outputs: [
            { output_type: "stream", name: "stdout", text: ["printed B\n"] },
            { output_type: "execute_result", data: { "text/plain": ["'C'"], "image/png": "iVBORw0KGgo=", "application/json": { k: "D" } } },
            { output_type: "error", ename: "KeyError", evalue: "E", traceback: ["line 1", "line 2"] },
          ],
        },
      ],
    };
    const segments = notebookSegments(JSON.stringify(notebook, null, 1));
    assert.ok(segments);
    assert.deepEqual(segments.map((s) => [s.cell, s.part]), [[-1, "metadata"], [0, "source"], [1, "source"], [1, "output"], [1, "output"], [1, "output"], [1, "output"], [1, "output"]]);
    const all = segments.map((s) => s.text).join("\n");
    for (const part of ["key = 'A'", "printed B", "'C'", "\"D\"", "line 1\nline 2"]) assert.ok(all.includes(part), part);
    assert.ok(!all.includes("iVBORw0KGgo"), "base64 images are not scanned");
  });

  it("is undefined for JSON that is not a notebook, or not JSON", () => {
    assert.equal(notebookSegments("{\"a\": 1}"), undefined);
    assert.equal(notebookSegments("not json"), undefined);
  });
});
