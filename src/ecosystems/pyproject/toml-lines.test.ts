import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { readFixture, realworldPath } from "../../testing/fixtures.js";
import { readFileSync } from "node:fs";
import { tomlLines } from "./toml-lines.js";

const TEXT = [
  '# a "comment" with [brackets] = and "quotes"', //  1
  "[project]", //                                      2
  'name = "demo" # trailing = comment', //             3
  'description = """', //                              4
  "dependencies = [ 'not', \"a key\" ]", //            5 (inside a multi-line string)
  '"""', //                                            6
  "dependencies = [", //                               7
  '    "litellm==1.82.6",  # pinned, "quoted"', //     8
  '    "crewai[tools]>=0.152.0", "openai>=1.40",', //  9
  "    'literal # not a comment',", //                 10
  '    "esc\\"aped ]",', //                             11
  "]", //                                              12
  "", //                                               13
  "[project.optional-dependencies]", //                14
  'ai = ["openai>=1.40"]', //                          15
  "", //                                               16
  '[tool.poetry.dependencies]', //                     17
  'python = "^3.10"', //                               18
  '"quoted.name" = { version = "1.0", extras = ["a"] }', // 19
  "dotted.key = 1", //                                 20
  "", //                                               21
  "[tool.poetry.dependencies.torch]", //              22
  'version = "^2.2"', //                               23
  "", //                                               24
  "[[tool.poetry.source]]", //                         25
  'name = "private"', //                               26
  "[dependency-groups]", //                            27
  'dev = [{ include-group = "test" }, "ipython"]', //  28
].join("\n");

test("keys, headers and array strings are found on their lines, whatever strings and comments hold", () => {
  parse(TEXT); // The scanner is only given text the TOML parser accepts.
  const lines = tomlLines(TEXT);
  const table: Array<[string, number | undefined]> = [
    [`key project name`, lines.key(["project"], "name")],
    [`key project dependencies`, lines.key(["project"], "dependencies")],
    [`string litellm`, lines.string(["project", "dependencies"], "litellm==1.82.6")],
    [`string crewai`, lines.string(["project", "dependencies"], "crewai[tools]>=0.152.0")],
    [`string openai (same line)`, lines.string(["project", "dependencies"], "openai>=1.40")],
    [`string literal`, lines.string(["project", "dependencies"], "literal # not a comment")],
    [`string escaped`, lines.string(["project", "dependencies"], 'esc"aped ]')],
    [`string openai in an extra`, lines.string(["project", "optional-dependencies", "ai"], "openai>=1.40")],
    [`key optional-dependencies header`, lines.key(["project"], "optional-dependencies")],
    [`key python`, lines.key(["tool", "poetry", "dependencies"], "python")],
    [`key quoted`, lines.key(["tool", "poetry", "dependencies"], "quoted.name")],
    [`key inside an inline table`, lines.key(["tool", "poetry", "dependencies", "quoted.name"], "extras")],
    [`key dotted`, lines.key(["tool", "poetry", "dependencies", "dotted"], "key")],
    [`key sub-table header`, lines.key(["tool", "poetry", "dependencies"], "torch")],
    [`key in sub-table`, lines.key(["tool", "poetry", "dependencies", "torch"], "version")],
    [`key in array of tables`, lines.key(["tool", "poetry", "source"], "name")],
    [`string after an inline table`, lines.string(["dependency-groups", "dev"], "ipython")],
  ];
  assert.deepEqual(table, [
    ["key project name", 3],
    ["key project dependencies", 7],
    ["string litellm", 8],
    ["string crewai", 9],
    ["string openai (same line)", 9],
    ["string literal", 10],
    ["string escaped", 11],
    ["string openai in an extra", 15],
    ["key optional-dependencies header", 14],
    ["key python", 18],
    ["key quoted", 19],
    ["key inside an inline table", 19],
    ["key dotted", 20],
    ["key sub-table header", 22],
    ["key in sub-table", 23],
    ["key in array of tables", 26],
    ["string after an inline table", 28],
  ]);
  // Nothing inside the multi-line string counts, and unknown lookups are undefined.
  assert.equal(lines.string(["project", "dependencies"], "not"), undefined);
  assert.equal(lines.key(["project"], "missing"), undefined);
});

test("CRLF line endings and an empty document", () => {
  const lines = tomlLines(TEXT.replace(/\n/g, "\r\n"));
  assert.equal(lines.string(["project", "dependencies"], "literal # not a comment"), 10);
  assert.equal(lines.key(["tool", "poetry", "dependencies"], "torch"), 22);
  assert.equal(tomlLines("").key([], "x"), undefined);
});

test("every declaration of the fixtures and of a large real pyproject.toml is found", () => {
  const poetry = readFixture(import.meta.url, "poetry.toml");
  const poetryLines = tomlLines(poetry);
  const text = poetry.split("\n");
  for (const name of ["langchain", "transformers", "openai", "torch", "numpy", "pyreadline3"]) {
    const line = poetryLines.key(["tool", "poetry", "dependencies"], name);
    assert.ok(line !== undefined && text[line - 1]?.startsWith(`${name} = `), name);
  }
  // crewAI's root pyproject: every [project] dependency string sits on the line the scanner names.
  const crewai = readFileSync(realworldPath("crewAIInc__crewAI", "lib", "crewai", "pyproject.toml"), "utf8");
  const data = parse(crewai) as { project: { dependencies: string[] } };
  const crewaiLines = tomlLines(crewai);
  const rows = crewai.split("\n");
  assert.ok(data.project.dependencies.length > 10);
  for (const dep of data.project.dependencies) {
    const line = crewaiLines.string(["project", "dependencies"], dep);
    assert.ok(line !== undefined && rows[line - 1]?.includes(`"${dep}"`), dep);
  }
});

test("a large document is scanned in linear time", () => {
  const deps = Array.from({ length: 50_000 }, (_, i) => `    "pkg-${i}>=1.0",`).join("\n");
  const text = `[project]\ndependencies = [\n${deps}\n]\n`;
  const start = performance.now();
  const lines = tomlLines(text);
  assert.equal(lines.string(["project", "dependencies"], "pkg-49999>=1.0"), 50_002);
  assert.ok(performance.now() - start < 2_000);
});
