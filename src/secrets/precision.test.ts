// Precision: nothing that merely looks like a key is reported. Placeholders, references, example files, lockfile
// integrity hashes, base64 images, UUIDs, git SHAs and the whole real-world corpus give no match, with the shipped
// detectors and with every credential variable name of the AI catalog added.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { loadCatalog } from "../catalog/catalog.js";
import { loadDetectors } from "./detect.js";
import type { DetectorSet } from "./detect.js";
import { seededRandom } from "./samples.js";
import { fixturePath, realworldPath } from "../testing/fixtures.js";

/** Provider → credential variable names, from every entry and pattern of the bundled AI catalog. */
function catalogVariableNames(): Record<string, string[]> {
  return loadCatalog().keyVariables();
}

const sets: [string, DetectorSet][] = [
  ["shipped detectors", loadDetectors()],
  ["with the catalog's variable names", loadDetectors({ extraVariableNames: catalogVariableNames() })],
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function describe(set: DetectorSet, text: string, path: string): string[] {
  return set.detect(text, path).map((m) => `${path}:${m.line}:${m.column} ${m.detector.id} ${m.redacted}`);
}

test("the catalog gives the generic detectors something to work with", () => {
  const names = catalogVariableNames();
  assert.ok(Object.values(names).flat().includes("ELEVENLABS_API_KEY"));
  assert.ok((sets[1]?.[1].detectors.length ?? 0) > (sets[0]?.[1].detectors.length ?? 0) + 20);
});

test("placeholder, reference and documentation fixtures give no match, under their own names and as plain files", () => {
  const dir = fixturePath(import.meta.url, "detectors", "placeholders");
  const files = filesUnder(dir);
  assert.ok(files.length >= 9);
  for (const [label, set] of sets) {
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const name = relative(dir, file);
      assert.deepEqual(describe(set, text, name), [], `${label}: ${name}`);
      assert.deepEqual(describe(set, text, "notes.txt"), [], `${label}: ${name} read as notes.txt`);
    }
  }
});

test("every file of the real-world corpus gives no match (lockfiles, manifests, workflows)", () => {
  const files = filesUnder(realworldPath());
  assert.ok(files.length > 100);
  for (const [label, set] of sets) {
    const hits = files.flatMap((file) => describe(set, readFileSync(file, "utf8"), relative(realworldPath(), file)));
    assert.deepEqual(hits, [], label);
  }
});

/** Every integrity hash, checksum and --hash of the real-world lockfiles, in the forms lockfiles write them. */
function lockfileHashes(): string[] {
  const hashes = new Set<string>();
  const patterns = [
    /"integrity": "([^"]+)"/g, // package-lock.json
    /integrity: (sha\d+-[A-Za-z0-9+/=]+)/g, // pnpm-lock.yaml
    /integrity "?(sha\d+-[A-Za-z0-9+/=]+)/g, // yarn.lock v1
    /checksum: ([0-9a-f/]+)/g, // yarn berry
    /hash = "(sha256:[0-9a-f]{64})"/g, // poetry.lock, uv.lock
    /--hash=(sha256:[0-9a-f]{64})/g, // requirements.txt
    /"hash": "(sha256:[0-9a-f]{64})"/g,
  ];
  for (const file of filesUnder(realworldPath())) {
    if (!/(lock|requirements)/.test(file)) continue;
    const text = readFileSync(file, "utf8");
    for (const pattern of patterns) for (const m of text.matchAll(pattern)) if (m[1]) hashes.add(m[1]);
  }
  return [...hashes];
}

test("lockfile integrity strings and hashes give no match, even assigned to credential-like names", () => {
  const hashes = lockfileHashes();
  assert.ok(hashes.filter((h) => h.startsWith("sha512-")).length > 1000, "sha512 integrity strings from package-lock.json");
  assert.ok(hashes.filter((h) => h.startsWith("sha256:")).length > 1000, "sha256 hashes from poetry, uv and pip");
  const forms = (h: string) => [`"integrity": "${h}"`, `integrity: ${h}`, `api_key = "${h}"`, `TOKEN=${h}`, `secret: ${h}`, h];
  const text = hashes.flatMap(forms).join("\n");
  for (const [label, set] of sets) assert.deepEqual(describe(set, text, "hashes.txt"), [], label);
});

/** Pseudo-random base64 of `bytes` bytes (an image's shape, without shipping an image). */
function base64Blob(bytes: number, seed: string): string {
  const random = seededRandom(seed);
  const buffer = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) buffer[i] = Math.floor(random() * 256);
  return buffer.toString("base64");
}

test("base64 images, UUIDs and git SHAs give no match", () => {
  const png = base64Blob(300_000, "png");
  const svg = base64Blob(20_000, "svg");
  const random = seededRandom("ids");
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(random() * 16)]).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const lines = [
    `<img alt="logo" src="data:image/png;base64,${png}">`,
    `.icon { background: url(data:image/svg+xml;base64,${svg}); }`,
    `{"outputs": [{"data": {"image/png": "${png.slice(0, 100_000)}\\n"}, "output_type": "display_data"}]}`,
    ...Array.from({ length: 2000 }, () => `id: ${uuid()}`),
    ...Array.from({ length: 500 }, () => `index_id = "${uuid()}"`),
    ...Array.from({ length: 2000 }, () => `commit ${hex(40)}`),
    ...Array.from({ length: 500 }, () => `  - uses: actions/checkout@${hex(40)}`),
    ...Array.from({ length: 500 }, () => `sha256:${hex(64)}`),
  ];
  const text = lines.join("\n");
  for (const [label, set] of sets) assert.deepEqual(describe(set, text, "assets.txt"), [], label);
});
