import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRequirementsFile, shellSplit } from "./requirements-file.js";

test("logical lines: continuations, comments, CRLF and blank lines", () => {
  const cases: Array<[string, string, Array<[number, string]>]> = [
    ["plain", "a==1\nb==2\n", [[1, "a==1"], [2, "b==2"]]],
    ["byte-order mark", "\ufeffa==1\n", [[1, "a==1"]]],
    ["CRLF and lone CR", "a==1\r\nb==2\rc==3", [[1, "a==1"], [2, "b==2"], [3, "c==3"]]],
    ["continuation keeps the first line number", "\n\na==1 \\\n  ; python_version < '3'\nb==2", [[3, "a==1   ; python_version < '3'"], [5, "b==2"]]],
    ["continuation at end of file", "a==1 \\", [[1, "a==1"]]],
    ["comment line ends a continuation", "a==1 \\\n# note\nb==2", [[1, "a==1"], [3, "b==2"]]],
    ["inline comment after whitespace", "a==1  # pinned for a reason", [[1, "a==1"]]],
    ["# without whitespace before is not a comment", "https://x.test/a-1.0.tar.gz#egg=a", [[1, "https://x.test/a-1.0.tar.gz#egg=a"]]],
    ["indented comment and blank lines", "   # c\n\n\t\na==1", [[4, "a==1"]]],
  ];
  for (const [label, text, expected] of cases) {
    const parsed = parseRequirementsFile(text);
    assert.deepEqual(parsed.requirements.map((r) => [r.line, r.text]), expected, label);
    assert.deepEqual(parsed.bad, [], label);
  }
});

test("options, includes and per-requirement options", () => {
  const text = [
    "-i https://pypi.org/simple",
    "--extra-index-url=https://download.pytorch.org/whl/cpu",
    "-f ./wheels",
    "--find-links https://example.test/links",
    "--no-binary :all:",
    "--only-binary=numpy",
    "--prefer-binary",
    "--require-hashes",
    "--pre",
    "--trusted-host example.test",
    "--use-feature=truststore",
    "--no-index",
    "-r base.txt",
    "--requirement=dev.txt",
    "-rextra.txt",
    "-c constraints.txt",
    "--constraint ../shared/constraints.txt",
    "litellm==1.82.6 --hash=sha256:AAA --hash sha256:bbb --config-settings=\"--build-option=--x\"",
    "-e ./libs/core --config-settings editable_mode=compat",
    "--extra-index https://prefix.test/simple",
  ].join("\n");
  const parsed = parseRequirementsFile(text);
  assert.deepEqual(parsed.bad, []);
  assert.deepEqual(parsed.includes.map((i) => [i.line, i.mode, i.target]), [
    [13, "requirement", "base.txt"],
    [14, "requirement", "dev.txt"],
    [15, "requirement", "extra.txt"],
    [16, "constraint", "constraints.txt"],
    [17, "constraint", "../shared/constraints.txt"],
  ]);
  assert.deepEqual(parsed.options.map((o) => `${o.name}=${o.value ?? ""}`), [
    "index-url=https://pypi.org/simple",
    "extra-index-url=https://download.pytorch.org/whl/cpu",
    "find-links=./wheels",
    "find-links=https://example.test/links",
    "no-binary=:all:",
    "only-binary=numpy",
    "prefer-binary=",
    "require-hashes=",
    "pre=",
    "trusted-host=example.test",
    "use-feature=truststore",
    "no-index=",
    "extra-index-url=https://prefix.test/simple",
  ], "a unique prefix of a long option is accepted, as optparse does");
  const [litellm, core] = parsed.requirements;
  assert.deepEqual(litellm?.hashes, [{ algorithm: "sha256", value: "AAA" }, { algorithm: "sha256", value: "bbb" }]);
  assert.deepEqual(litellm?.buildOptions, ["--build-option=--x"]);
  assert.equal(core?.editable, true);
  assert.equal(core?.text, "./libs/core");
  assert.deepEqual(core?.buildOptions, ["editable_mode=compat"]);
});

test("lines pip rejects are reported with their line number", () => {
  const cases: Array<[string, string]> = [
    ["--frobnicate", "unknown option --frobnicate"],
    ["-x foo", "unknown option -x"],
    ["-r", "option --requirement requires a value"],
    ["--pre=yes", "option --pre takes no value"],
    ["a==1 --hash='sha256:x", "unbalanced quotes in options"],
    ["a==1 --hash=nocolon", "malformed --hash nocolon"],
  ];
  for (const [line, reason] of cases) {
    const parsed = parseRequirementsFile(`ok==1\n${line}`);
    assert.deepEqual(parsed.bad, [{ line: 2, reason }], line);
  }
});

test("# via annotations: multi-line, single-line, inline, comma list, and what ends them", () => {
  const text = [
    "aiohttp==3.13.3",
    "    # via",
    "    #   -c requirements/common-constraints.txt",
    "    #   -r requirements.in",
    "    #   litellm",
    "    #   my-agent (pyproject.toml)",
    "yarl==1.23.0",
    "    # via aiohttp",
    "six==1.16.0               # via -r requirements.in, python-dateutil",
    "idna==3.15 \\",
    "    --hash=sha256:aaa",
    "    # via yarl",
    "    # from https://pypi.org/simple",
    "",
    "# The following packages are considered to be unsafe in a requirements file:",
    "# setuptools",
    "    # via foo",
    "plain==1.0",
  ].join("\n");
  const parsed = parseRequirementsFile(text);
  assert.equal(parsed.annotated, true);
  const via = Object.fromEntries(parsed.requirements.map((r) => [r.text, r.via]));
  assert.deepEqual(via["aiohttp==3.13.3"], [
    { kind: "file", mode: "constraint", path: "requirements/common-constraints.txt" },
    { kind: "file", mode: "requirement", path: "requirements.in" },
    { kind: "package", name: "litellm", project: false },
    { kind: "package", name: "my-agent", project: true },
  ]);
  assert.deepEqual(via["yarl==1.23.0"], [{ kind: "package", name: "aiohttp", project: false }]);
  assert.deepEqual(via["six==1.16.0"], [
    { kind: "file", mode: "requirement", path: "requirements.in" },
    { kind: "package", name: "python-dateutil", project: false },
  ]);
  assert.deepEqual(via["idna==3.15"], [{ kind: "package", name: "yarl", project: false }], "a via after --hash continuations");
  assert.equal(via["plain==1.0"], undefined, "a via under a column-0 comment block belongs to nothing");
  assert.equal(parseRequirementsFile("a==1\nb==2").annotated, false);
});

test("shellSplit follows POSIX shlex", () => {
  assert.deepEqual(shellSplit(`--a="x y" -b 'c d' e\\ f "g\\"h"`), ["--a=x y", "-b", "c d", "e f", 'g"h']);
  assert.equal(shellSplit(`"open`), undefined);
  assert.deepEqual(shellSplit("   "), []);
});

test("the reader stays linear on adversarial input", () => {
  const inputs = [
    "a" + " #".repeat(400_000),
    "#".repeat(1_000_000),
    "a==1 \\\n".repeat(200_000),
    "-".repeat(500_000),
    "pkg " + "--hash=sha256:a ".repeat(100_000),
    '-r "' + "x".repeat(500_000),
    "a==1\n    # via\n" + "    #   b\n".repeat(200_000),
    "x".repeat(2_000_000),
  ];
  const start = Date.now();
  for (const input of inputs) parseRequirementsFile(input);
  assert.ok(Date.now() - start < 10_000, "generous bound: quadratic behaviour would take minutes");
});
