import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildDetectorSet, loadDetectors } from "./detect.js";
import type { DetectorSet } from "./detect.js";
import { loadDetectorDocument } from "./detectors.js";
import { isBinary } from "./read-file.js";
import { Prefilter, prefilterFor } from "./prefilter.js";
import { expandSample, seededRandom } from "./samples.js";
import { repoRoot } from "../testing/fixtures.js";

// The prefilter may clear a text only when the detectors find nothing in it. Every test here checks that implication
// on texts the detectors do find something in, placed at every offset around the 64-byte steps of the vector search,
// and checks that it does clear ordinary text, so a prefilter that cleared nothing (or everything) would fail.

const document = loadDetectorDocument();
const detectors = loadDetectors();
/** As `aiwarden scan` builds them: with variable names from the catalog, read by generic detectors (values of 16+). */
const withCatalog = loadDetectors({ extraVariableNames: { "Acme AI": ["ACME_API_KEY", "ACME_TOKEN", "acme.secretKey"] } });
const prefilter = prefilterFor(detectors.prefilterPlan) as Prefilter;
const encoder = new TextEncoder();

function mayHold(text: string, set: DetectorSet = detectors): boolean {
  return (prefilterFor(set.prefilterPlan) as Prefilter).mayHold(encoder.encode(text));
}

/** Fails when the detectors find something in `text` that the prefilter clears. Returns whether they found anything. */
function assertNotCleared(text: string, label: string, set: DetectorSet = detectors): boolean {
  const found = set.detect(text, "src/config.py").length > 0;
  if (found) assert.ok(mayHold(text, set), `${label}: the prefilter cleared a text the detectors find ${set.detect(text, "src/config.py").map((m) => m.detector.id).join(", ")} in`);
  return found;
}

/** Every true sample as written, bare, and assigned to a variable its detector reads (keys without a prefix). */
function sampleTexts(): Array<{ label: string; text: string }> {
  const out: Array<{ label: string; text: string }> = [];
  for (const spec of document.detectors) {
    for (const [i, template] of spec.samples.true.entries()) {
      const sample = expandSample(template, `${spec.id}#${i}`);
      const label = `${spec.id} sample ${i}`;
      out.push({ label, text: sample.text });
      const variable = spec.context?.variables?.[0] ?? "API_KEY";
      out.push({ label: `${label} assigned`, text: `${variable}=${sample.secret}` });
      out.push({ label: `${label} quoted`, text: `${variable} = "${sample.secret}"` });
      out.push({ label: `${label} escaped`, text: `\\"${variable.toLowerCase()}\\": \\"${sample.secret}\\"` });
      out.push({ label: `${label} arrow`, text: `'${variable}'  =>  '${sample.secret}'` });
      out.push({ label: `${label} gap`, text: `${variable}:${" ".repeat(16)}${sample.secret}` });
      out.push({ label: `${label} widest gap`, text: `${variable}:=${" ".repeat(16)}\\"${sample.secret}\\"` });
      out.push({ label: `${label} name/value`, text: `env:\n  - name: OTHER\n    value: x\n  - name: ${variable}\n    value: "${sample.secret}"` });
      out.push({ label: `${label} JSON name/value`, text: `[{"name": "${variable}", "value": "${sample.secret}"}]` });
    }
  }
  // Generic keys: any value of 16 or more that looks generated, assigned to a catalog variable.
  const value = "k3Y9vLmQ2xT8wRzA5bN1";
  for (const variable of ["ACME_API_KEY", "acme_token", "config.acme.secretKey", "ACME-TOKEN"]) {
    out.push({ label: `generic ${variable}`, text: `${variable}=${value}` });
    out.push({ label: `generic ${variable} shortest`, text: `${variable}=${value.slice(0, 16)}` });
    out.push({ label: `generic ${variable} quoted`, text: `${variable}: '${value}' # acme` });
    out.push({ label: `generic ${variable} name/value`, text: `- name: ${variable}\n  value: ${value}` });
  }
  return out;
}

describe("secret prefilter", () => {
  it("loads (the build compiles src/secrets/wasm/prefilter.ts to WebAssembly)", () => {
    assert.ok(prefilter instanceof Prefilter);
  });

  it("never clears a text holding a true sample, at any offset around the 64-byte steps, with word or blank filler", () => {
    let found = 0;
    for (const { label, text } of sampleTexts()) {
      for (const filler of ["x", " ", "\n"]) {
        for (const offset of [0, 1, 15, 47, 62, 63, 64, 65, 127, 128]) {
          const before = filler.repeat(offset);
          for (const after of ["", " tail of the line", "x".repeat(70)]) {
            for (const set of [detectors, withCatalog]) {
              if (assertNotCleared(`${before}${filler === "x" ? " " : ""}${text}${after}`, `${label} at ${offset} after ${JSON.stringify(filler)}`, set)) found++;
            }
          }
        }
      }
    }
    assert.ok(found > 5000, `the detectors found only ${found} of the texts: the test lost its samples`);
  });

  it("never clears a text the detectors find something in, over random edits of samples in source-like text (fuzz)", () => {
    const random = seededRandom("prefilter fuzz");
    const samples = sampleTexts();
    const noise = ["const value = compute(x);\n", "key: name\n", "- name: ACME_API_KEY\n", "name: OTHER\n", "  value: ", "}", "\n", "\"name\": \"COHERE_API_KEY\", \"value\": ", "cohere ", "  - task-runner-with-a-very-long-name-here\n", "sk-", "_", "=", ":", " ", "\"", "AKIA", "api_key", "token = ", "\\\"", "-----", "\t"];
    let found = 0;
    let cleared = 0;
    for (let n = 0; n < 6000; n++) {
      const sample = samples[Math.floor(random() * samples.length)]?.text ?? "";
      let text = "";
      const pieces = 1 + Math.floor(random() * 6);
      for (let p = 0; p < pieces; p++) text += noise[Math.floor(random() * noise.length)]?.repeat(1 + Math.floor(random() * 4));
      text += sample;
      // A few edits: delete, duplicate or replace one character, anywhere.
      for (let e = Math.floor(random() * 4); e > 0; e--) {
        const at = Math.floor(random() * text.length);
        const choice = random();
        if (choice < 0.33) text = text.slice(0, at) + text.slice(at + 1);
        else if (choice < 0.66) text = text.slice(0, at) + text[at] + text.slice(at);
        else text = text.slice(0, at) + (noise[Math.floor(random() * noise.length)] ?? "") + text.slice(at + 1);
      }
      if (random() < 0.5) text += noise[Math.floor(random() * noise.length)]?.repeat(Math.floor(random() * 40));
      const set = n % 2 === 0 ? detectors : withCatalog;
      if (assertNotCleared(text, `fuzz case ${n}: ${JSON.stringify(text.slice(0, 60))}…`, set)) found++;
      else if (!mayHold(text, set)) cleared++;
    }
    assert.ok(found > 1000 && cleared > 100, `found ${found}, cleared ${cleared}: the fuzz no longer exercises both sides`);
  });

  it("never clears a fixture file of the repository the detectors find something in, and clears most of the others", () => {
    const root = repoRoot;
    let files = 0;
    let cleared = 0;
    let found = 0;
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) visit(path);
        else if (entry.isFile() && statSync(path).size <= 4 * 1024 * 1024) {
          const bytes = readFileSync(path);
          if (isBinary(bytes)) continue;
          files++;
          const text = bytes.toString("utf8");
          if (detectors.detect(text, path).length > 0) {
            found++;
            assert.ok(prefilter.mayHold(bytes), `${path}: cleared, but the detectors find something in it`);
          } else if (!prefilter.mayHold(bytes)) cleared++;
        }
      }
    };
    for (const dir of ["fixtures", "examples", "src", "data", "docs"]) visit(join(root, dir));
    assert.ok(files > 500 && found > 0, `${files} files, ${found} with findings`);
    assert.ok(cleared / (files - found) > 0.6, `only ${cleared} of ${files - found} files without findings were cleared`);
  });

  it("never clears a key without a prefix at the widest gap a value may leave after its operator", () => {
    let checked = 0;
    for (const spec of document.detectors) {
      const variable = spec.context?.variables?.[0];
      if (!variable || spec.prefixes?.length || spec.anchor) continue;
      const secret = expandSample(spec.samples.true[0] ?? "", spec.id).secret;
      for (const operator of [":=", "=>"]) {
        for (const offset of [0, 40, 50, 60, 63, 64]) {
          const text = `${" ".repeat(offset)}${variable} ${operator}${" ".repeat(16)}\\"${secret}\\"\n`;
          assert.ok(assertNotCleared(text, `${spec.id} after ${operator} at ${offset}`), `${spec.id}: the detectors no longer read ${JSON.stringify(text)}`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 24, `${checked} cases`);
  });

  it("keeps every operator after a credential word, across the 64-byte steps, whatever blanks and closers stand between", () => {
    // The first stage drops operators whose nearest byte before (past blanks and closers) ends no credential word;
    // these put the word, the bytes between and the operator on either side of a step.
    const value = "k3Y9vLmQ2xT8wRzA5bN1";
    const names = ["ACME_API_KEY", "acme_token", "config.acme.secretKey", "ACME-TOKEN", "COHERE_API_KEY", "db_password", "MISTRAL_API_KEY"];
    const between = ["", " ", "\t", "\"", "\"  ", "']", "\\\"", "`\t\t", "\"]\\ ", " ".repeat(16), `"]'${" ".repeat(16)}`];
    let found = 0;
    for (const name of names) {
      for (const gap of between) {
        for (const operator of ["=", ":", ":=", "=>"]) {
          const assignment = `${name}${gap}${operator} "${value}"\n`;
          const wordEnd = name.length + gap.length + operator.length;
          for (const step of [64, 128]) {
            for (let shift = -2; shift <= wordEnd + 1; shift++) {
              const offset = step - wordEnd + shift;
              if (offset < 0) continue;
              const text = `${"x".repeat(Math.max(0, offset - 1))}${offset > 0 ? " " : ""}${assignment}`;
              if (assertNotCleared(text, `${JSON.stringify(assignment)} at ${offset}`, withCatalog)) found++;
            }
          }
        }
      }
    }
    assert.ok(found > 3000, `the detectors found only ${found} of the texts: the test lost its cases`);
    // Operators after other words are still cleared.
    assert.equal(mayHold(`retryName = "${value}"\nconst mapping: "${value}"\n`.repeat(40), withCatalog), false);
  });

  it("keeps operators after credential words whose letters need more classes, or have one letter", () => {
    const assignments = withCatalog.prefilterPlan.assignments;
    assert.ok(assignments);
    const value = "k3Y9vLmQ2xT8wRzA5bN1";
    // Names ending in the words, read by a (made up) detector by name. One letter: no letter before the last is checked.
    // Digits, `_` and `$` give the last letters more classes: with four of them, the letters before the last get none
    // (with the four of blanks and closers, that would be nine); with five, no operator is filtered.
    for (const words of [["x"], ["key", "token", "ka", "k2", "k$"], ["key", "k2", "t_", "s$", "v9"]]) {
      const names = words.map((w) => `my${w}`);
      const set = Prefilter.create({ rules: [], assignments: { ...assignments, words, named: { names: names.map((n) => n.toUpperCase().replace(/[_$-]/g, "")), shortest: 16, longest: 64 } } }) as Prefilter;
      for (const name of names) {
        for (const pad of [0, 50, 60, 62, 63, 64, 65, 120]) {
          const text = encoder.encode(`${" ".repeat(pad)}${name} = "${value}"\n${"x".repeat(80)}`);
          assert.equal(set.firstHit(text), pad + name.length + 1, `${name} after ${pad} (words ${words.join(", ")})`);
        }
        assert.equal(set.firstHit(encoder.encode(`${name}z = "${value}"\n`)), -1, `${name}z is not one of the words`);
      }
    }
  });

  it("works with only the literal rules, or only the assignments, of the shipped detectors", () => {
    const plan = detectors.prefilterPlan;
    const rulesOnly = Prefilter.create({ rules: plan.rules }) as Prefilter;
    const assignmentsOnly = Prefilter.create({ rules: [], ...(plan.assignments ? { assignments: plan.assignments } : {}) }) as Prefilter;
    const value = "a1B2c3D4e5".repeat(4);
    const groq = expandSample(document.detectors.find((d) => d.id === "groq-api-key")?.samples.true[0] ?? "", "groq").secret;
    for (const pad of [0, 10, 70, 130]) {
      const assigned = encoder.encode(`${" ".repeat(pad)}COHERE_API_KEY = "${value}"\n${"x".repeat(100)}`);
      const prefixed = encoder.encode(`${" ".repeat(pad)}client(${groq})\n${"x".repeat(100)}`);
      assert.equal(assignmentsOnly.firstHit(assigned), pad + 15);
      assert.equal(rulesOnly.firstHit(assigned), -1);
      assert.equal(rulesOnly.firstHit(prefixed), pad + 10);
      assert.equal(assignmentsOnly.firstHit(prefixed), -1);
    }
  });

  it("never clears the longest value a generic detector reads", () => {
    const random = seededRandom("longest value");
    let value = "";
    while (value.length < 4096) value += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(random() * 62)];
    assert.ok(assertNotCleared(`ACME_API_KEY="${value}"\n`, "4096 bytes", withCatalog));
    assert.equal(withCatalog.detect(`ACME_API_KEY="${value}x"\n`, "a.env").length, 0, "one more is too long");
  });

  it("clears ordinary code, and does not clear the look of a credential assignment", () => {
    assert.equal(mayHold(""), false);
    assert.equal(mayHold("const task = createTask({ name: 'x', retries: 3 });\n".repeat(200)), false);
    assert.equal(mayHold("password: ${DB_PASSWORD}\napi_key = os.environ['OPENAI_API_KEY']\n".repeat(50)), false);
    assert.equal(mayHold(`COHERE_API_KEY = "${"a1B2c3D4e5".repeat(4)}"`), true);
  });

  it("verdict: binary when a NUL is among the probed bytes, else clear or may-hold, in the input area or copied there", () => {
    const key = `COHERE_API_KEY = "${"a1B2c3D4e5".repeat(4)}"\n`;
    const cases: Array<[string, number, string]> = [
      ["const task = createTask({ name: 'x' });\n".repeat(20), 8192, "clear"],
      [`${"x".repeat(100)}${key}`, 8192, "may-hold"],
      [`${"x".repeat(100)}\0${key}`, 8192, "binary"],
      [`${"x".repeat(100)}\0${key}`, 100, "may-hold"], // The NUL is past the probe.
    ];
    for (const [text, probe, expected] of cases) {
      const bytes = encoder.encode(text);
      assert.equal(prefilter.verdict(bytes, probe), expected, `copied: ${expected}`);
      const area = prefilter.area(bytes.length);
      area.set(bytes);
      assert.equal(prefilter.verdict(area, probe), expected, `in place: ${expected}`);
    }
  });

  it("reads texts larger than its memory (it grows), and finds a key at the very end", () => {
    const secret = expandSample(document.detectors.find((d) => d.id === "groq-api-key")?.samples.true[0] ?? "", "end").secret;
    const text = `${"let x = 1; // task-runner\n".repeat(200_000)}${secret}`;
    assert.ok(text.length > 5_000_000);
    assert.ok(detectors.detect(text, "a.js").length > 0);
    assert.equal(mayHold(text), true);
    assert.equal(mayHold(text.slice(0, -secret.length)), false);
  });

  it("works with more trigger bytes than vector classes (classes are then shared by group)", () => {
    const prefixes = ["ab_", "cd_", "ef-", "Ghq", "Ijq", "Klq", "Mnq", "Opq", "Qrq", "Stq"];
    const set = buildDetectorSet({
      detectors: prefixes.map((prefix, i) => ({
        id: `x-key-${i}`, provider: "X", kind: "API key", confidence: "high", prefixes: [prefix], body: [{ chars: "A-Za-z0-9", length: 32 }],
        references: ["https://example.com"], samples: { true: [`${prefix}{alnum:32}`], false: [prefix] },
      })),
    } as unknown as Parameters<typeof buildDetectorSet>[0]);
    let found = 0;
    for (const prefix of prefixes) {
      const key = expandSample(`${prefix}{alnum:32}`, prefix).secret;
      for (const offset of [0, 30, 63, 64, 100]) if (assertNotCleared(`${"word ".repeat(offset)}${key}\n`, `${prefix} at ${offset}`, set)) found++;
    }
    assert.equal(found, prefixes.length * 5);
    assert.equal(mayHold("ab_short and cd_x and Ghqst\n".repeat(40), set), false);
  });
});
