// The one test in the project that measures time, as issue 5 asks: every detector gets 1 MB adversarial inputs (long
// runs of its prefix's characters, its prefix repeated, a prefix followed by a megabyte of body characters, near-miss
// tokens one character short or long, one gigantic line) and each must be scanned within one generous bound. A
// super-linear pattern would take minutes on these; a linear scanner takes milliseconds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { loadDetectors } from "./detect.js";
import { prefilterFor } from "./prefilter.js";
import { loadDetectorDocument } from "./detectors.js";
import { seededRandom } from "./samples.js";
import { charClass } from "./pattern.js";
import type { SegmentSpec } from "./pattern.js";

const MB = 1 << 20;
/** Generous on purpose: a linear scan of 1 MB takes a few milliseconds, a quadratic one minutes. */
const BOUND_MS = 1000;

const detectors = loadDetectors({ extraVariableNames: { OpenAI: ["OPENAI_API_KEY"], ElevenLabs: ["ELEVENLABS_API_KEY"] } });
const document = loadDetectorDocument();

/** `unit` repeated to 1 MB. */
function fill(unit: string): string {
  return unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
}

/** The characters of a class spec, as a string. */
function classChars(spec: string): string {
  const set = charClass(spec);
  let out = "";
  for (let c = 0; c < 128; c++) if (set[c] === 1) out += String.fromCharCode(c);
  return out;
}

/** `length` pseudo-random characters from `alphabet` (a random 4 KB block, repeated: still no terminator anywhere). */
function randomText(alphabet: string, length: number, seed: string): string {
  const random = seededRandom(seed);
  let block = "";
  for (let i = 0; i < Math.min(length, 4096); i++) block += alphabet[Math.floor(random() * alphabet.length)];
  return block.repeat(Math.ceil(length / block.length)).slice(0, length);
}

function bodyAlphabet(body: SegmentSpec[] | undefined): string {
  const chars = new Set<string>();
  const walk = (parts: SegmentSpec[]) => {
    for (const part of parts) {
      if ("chars" in part) for (const c of classChars(part.chars)) chars.add(c);
      else if ("literal" in part) for (const c of part.literal) chars.add(c);
      else walk(part.optional);
    }
  };
  walk(body ?? [{ chars: "A-Za-z0-9+/=" }]);
  return [...chars].join("");
}

function maxLength(body: SegmentSpec[] | undefined): number {
  const sum = (parts: SegmentSpec[]): number => parts.reduce((n, p) => n + ("chars" in p ? (p.length ?? p.max ?? 0) : "literal" in p ? p.literal.length : sum(p.optional)), 0);
  return body ? sum(body) : 16384;
}

/** Adversarial inputs, named, each about 1 MB. */
function adversarialInputs(): Map<string, string> {
  const inputs = new Map<string, string>();
  for (const spec of document.detectors) {
    const alphabet = bodyAlphabet(spec.body);
    const body = randomText(alphabet, MB, spec.id);
    const max = maxLength(spec.body);
    const literals = [...(spec.prefixes ?? []), ...(spec.anchor ? [spec.anchor.literal] : [])];
    for (const literal of literals) {
      inputs.set(`${literal} repeated`, fill(literal));
      inputs.set(`${literal} space-separated`, fill(` ${literal}`));
      inputs.set(`${literal} + 1 MB of body characters`, (literal + body).slice(0, MB));
      inputs.set(`${literal} near misses (one short)`, fill(` ${literal}${body.slice(0, Math.max(1, max - 1))}`));
      inputs.set(`${literal} near misses (one long)`, fill(` ${literal}${body.slice(0, max + 1)}`));
      inputs.set(`${literal} first character run`, fill(literal[0] as string));
    }
    if (spec.anchor) inputs.set(`${spec.id} anchors at their offset`, fill(`${body.slice(0, spec.anchor.offset)}${spec.anchor.literal}`));
    for (const variable of spec.context?.variables ?? []) {
      inputs.set(`${variable}= repeated`, fill(`${variable}=`));
      inputs.set(`${variable}= + 1 MB value`, (`${variable}="` + body).slice(0, MB));
      inputs.set(`${variable}= near misses`, fill(`${variable}=${body.slice(0, max + 1)}\n`));
    }
    for (const keyword of spec.context?.keywords ?? []) inputs.set(`${keyword} api_key= lines`, fill(`${keyword} api_key="${body.slice(0, max)}x"\n`));
  }
  const printable = classChars(" -~");
  Object.entries({
    "one gigantic line of printable ASCII": randomText(printable, MB, "line"),
    "one gigantic line of base64": randomText(classChars("A-Za-z0-9+/"), MB, "b64"),
    "equals signs": fill("="),
    "colons": fill(":"),
    "dashes": fill("-"),
    "underscores": fill("_"),
    "sk- then dashes": fill("sk-----"),
    "key= repeated": fill("key="),
    "api_key: repeated": fill("api_key: "),
    "value: repeated": fill("value: "),
    "name/value pairs": fill("- name: OPENAI_API_KEY\n  value: "),
    "key, then a megabyte of blanks, then =": `api_key${" ".repeat(MB - 10)}="x"`,
    "OPENAI_API_KEY= + quote + 1 MB": `OPENAI_API_KEY="${randomText(classChars("A-Za-z0-9"), MB, "v")}`,
    "escaped newlines": fill("\\n"),
    "PEM headers without footers": fill("-----BEGIN RSA PRIVATE KEY-----\n"),
    "PEM header + 1 MB base64": `-----BEGIN PRIVATE KEY-----\n${randomText(classChars("A-Za-z0-9+/"), MB, "pem")}`,
    "PEM header + 1 MB base64 lines": `-----BEGIN PRIVATE KEY-----\n${fill(`${randomText(classChars("A-Za-z0-9+/"), 64, "pem-line")}\n`)}`,
    "quotes": fill("\"'`"),
    "credential-named values of a keyword detector's length, no keyword": fill(`x_key="${randomText(classChars("a-z0-9"), 36, "kw")}"\n`),
    "name/value pairs with values of a keyword detector's length": fill(`- name: FOO\n  value: ${randomText(classChars("a-z0-9"), 36, "nv")}\n`),
  }).forEach(([name, text]) => inputs.set(name, text));
  return inputs;
}

test("every detector scans 1 MB adversarial inputs promptly (linear time)", () => {
  const inputs = adversarialInputs();
  assert.ok(inputs.size > 200, `only ${inputs.size} inputs`);
  const slow: string[] = [];
  let slowest = { name: "", ms: 0 };
  for (const [name, text] of inputs) {
    // The best of up to three runs: a busy machine can stall one run, but a super-linear scan is slow every time.
    let ms = Infinity;
    for (let run = 0; run < 3 && ms > BOUND_MS / 4; run++) {
      const started = performance.now();
      detectors.detect(text, "adversarial.txt");
      ms = Math.min(ms, performance.now() - started);
    }
    if (ms > slowest.ms) slowest = { name, ms };
    if (ms > BOUND_MS) slow.push(`${name}: ${Math.round(ms)} ms`);
  }
  assert.deepEqual(slow, [], `slowest: ${slowest.name} (${Math.round(slowest.ms)} ms)`);
});

test("the byte prefilter runs over the same 1 MB adversarial inputs promptly (linear time)", () => {
  const prefilter = prefilterFor(detectors.prefilterPlan);
  assert.ok(prefilter, "the prefilter loads");
  const encoder = new TextEncoder();
  const slow: string[] = [];
  let slowest = { name: "", ms: 0 };
  for (const [name, text] of adversarialInputs()) {
    const bytes = encoder.encode(text);
    let ms = Infinity;
    for (let run = 0; run < 3 && ms > BOUND_MS / 4; run++) {
      const started = performance.now();
      prefilter.mayHold(bytes);
      ms = Math.min(ms, performance.now() - started);
    }
    if (ms > slowest.ms) slowest = { name, ms };
    if (ms > BOUND_MS) slow.push(`${name}: ${Math.round(ms)} ms`);
  }
  assert.deepEqual(slow, [], `slowest: ${slowest.name} (${Math.round(slowest.ms)} ms)`);
});
