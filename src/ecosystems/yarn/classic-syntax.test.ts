import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseSyml } from "@yarnpkg/parsers";
import { fixturePath, realworldPath } from "../../testing/fixtures.js";
import { CLASSIC_HEADER } from "./classic.js";
import { parseClassicSyntax } from "./classic-syntax.js";

/** What yarn's own grammar makes of a classic lockfile (as classic.ts calls it). */
function grammar(text: string): unknown {
  return parseSyml(`${CLASSIC_HEADER}\n${text}`);
}

/** The entries grouped by object identity: descriptors that share one entry object. */
function groups(data: Record<string, unknown>): string[][] {
  const byObject = new Map<unknown, string[]>();
  for (const [key, value] of Object.entries(data)) byObject.set(value, [...(byObject.get(value) ?? []), key]);
  return [...byObject.values()];
}

test("the fast reader agrees with yarn's grammar on every classic lockfile in the fixtures", () => {
  const files = [
    fixturePath(import.meta.url, "classic-workspace", "yarn.lock"),
    realworldPath("Mintplex-Labs__anything-llm", "server", "yarn.lock"),
    realworldPath("Mintplex-Labs__anything-llm", "collector", "yarn.lock"),
  ];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const fast = parseClassicSyntax(text);
    assert.ok(fast, `${file}: read by the fast path`);
    const slow = grammar(text) as Record<string, unknown>;
    assert.deepEqual(fast, slow, file);
    assert.deepEqual(groups(fast), groups(slow), `${file}: descriptors of one entry share one object`);
  }
});

test("snippets: the same value as the grammar, or a fallback to it", () => {
  const handled = [
    "",
    "# yarn lockfile v1\n\n\na@^1:\n  version \"1.0.0\"\n",
    "\"@s/a@^1\", \"@s/a@^1.1\":\n  version \"1.1.0\"\n  dependencies:\n    b \"^2\"\n    \"@s/c\" \"~3\"\n  optionalDependencies:\n    d \"*\"\n",
    "a@1, a@^1:\n  version \"1.0.0\"\n  integrity sha512-AbC+/9==\n  resolved \"https://r.test/a/-/a-1.0.0.tgz#0123456789abcdef0123456789abcdef01234567\"\n",
    "a@1:\n  version \"1.0.0\"\n  dependencies:\nb@2:\n  version \"2.0.0\"\n",
    "a@1:\n  version \"1.0.0\"\n  optional true\n  bin null\n  x \"nullable\"\n",
    "a@1:\n  version \"with \\\"escapes\\\" \\u00e9\"\n",
    "  # an indented comment\n\t\na@1:\n  version \"1\"\n   \n",
    "a@1:\n  version \"1\"\na@1:\n  version \"2\"\n",
    "top \"level\"\n",
  ];
  for (const text of handled) {
    const fast = parseClassicSyntax(text);
    assert.ok(fast, `handled: ${JSON.stringify(text)}`);
    assert.deepEqual(fast, grammar(text), JSON.stringify(text));
  }
  const fallback = [
    "a@1:\r\n  version \"1\"\r\n",
    "a@1:\n\tversion \"1\"\n",
    "a@1:\n   version \"1\"\n",
    "a@1:\n  version: \"1\"\n",
    "a@1:\n  version \"1\" # comment\n",
    "a@1:\n  version  \"1\"\n",
    "a@1:\n    version \"1\"\n",
    "a@1 :\n  version \"1\"\n",
    "#\na@1:\n  version \"1\"\n",
    "\"__proto__\":\n  version \"1\"\n",
    "a@1:\n  list:\n    - x\n",
    "a@https://x.test/a.tgz:\n  version \"1\"\n",
    "{\"name\": \"not a lockfile\"}\n",
    "a@1:\n  version \"1\n",
    "a@1:\n  x nullable\n", // the grammar commits to `null` and then fails
  ];
  for (const text of fallback) {
    assert.equal(parseClassicSyntax(text), undefined, `falls back: ${JSON.stringify(text)}`);
  }
});

test("generated lines: whatever the fast reader accepts, the grammar reads the same way", () => {
  // A seeded generator of near-miss lines (odd indentation, separators, quoting, `null` prefixes, comments).
  let seed = 20_260_325;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed % n;
  };
  const pick = <T>(items: readonly T[]): T => items[random(items.length)] as T;
  const bareChars = "abz09@^~./_-:,[]{}#\"'?*!|>%`+= ";
  const bare = () => {
    let s = pick(["a", "z", "0", "/", "-", "@", "n", "--", "t"]);
    for (let i = random(6); i > 0; i--) s += bareChars[random(bareChars.length)];
    return s;
  };
  const token = () => pick([bare, () => JSON.stringify(pick(["a", "a@^1", "", 'x"y', "a b", "__proto__"])), () => "null", () => "nullx", () => "true"])();
  const line = () => {
    const indent = pick(["", "", "  ", "  ", "    ", "   ", "\t"]);
    switch (random(6)) {
      case 0: return indent + pick(["# c", "#", "", "  "]);
      case 1: return `${indent}${token()}:${pick(["", " "])}`;
      case 2: return `${indent}${token()}, ${token()}:`;
      case 3: return `${indent}${token()}: ${token()}`;
      default: return `${indent}${token()}${pick([" ", "  "])}${token()}${pick(["", "", " ", " # x"])}`;
    }
  };
  let handled = 0;
  for (let n = 0; n < 5_000; n++) {
    const text = `${Array.from({ length: 1 + random(6) }, line).join("\n")}\n`;
    const fast = parseClassicSyntax(text);
    if (fast === undefined) continue;
    handled++;
    assert.deepEqual(fast, grammar(text), JSON.stringify(text));
  }
  assert.ok(handled > 500, `the generator reaches the fast path (${handled} texts)`);
});

test("the fast reader is linear", () => {
  const entry = (i: number) => `"pkg${i}@^1.0.0", pkg${i}@~1.0.0:\n  version "1.0.${i}"\n  integrity sha512-${"A".repeat(86)}==\n  dependencies:\n    dep "^2"\n\n`;
  const text = Array.from({ length: 50_000 }, (_, i) => entry(i)).join("");
  const start = Date.now();
  assert.equal(Object.keys(parseClassicSyntax(text) ?? {}).length, 100_000);
  assert.ok(Date.now() - start < 20_000, "generous bound");
});
