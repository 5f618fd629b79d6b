import { test } from "node:test";
import assert from "node:assert/strict";
import { lineMapOf } from "./reader.js";
import { scriptCommands } from "./script.js";
import { inlineShellScript, simpleCommand, tokenizeShell } from "./shell.js";

/** The argv of every command the script runs, after keywords, assignments and wrappers are stripped. */
function argvs(script: string): string[][] {
  return tokenizeShell(script).commands.map(simpleCommand).filter((c) => c !== undefined).map((c) => c.argv);
}

test("splits commands on newlines, ;, &&, ||, |, & and parentheses", () => {
  const table: Array<[string, string[][]]> = [
    ["npm ci && npm run build", [["npm", "ci"], ["npm", "run", "build"]]],
    ["a; b || c | d & e", [["a"], ["b"], ["c"], ["d"], ["e"]]],
    ["(cd web && npm install) && npm ci", [["cd", "web"], ["npm", "install"], ["npm", "ci"]]],
    ["a |& b ;; c", [["a"], ["b"], ["c"]]],
    ["", []],
    ["   \n\n  ", []],
  ];
  for (const [script, expected] of table) assert.deepEqual(argvs(script), expected, script);
});

test("quotes, escapes, comments and continuations", () => {
  const table: Array<[string, string[][]]> = [
    [`echo 'a b' "c d" e\\ f`, [["echo", "a b", "c d", "e f"]]],
    [`echo "say \\"hi\\"" 'it''s'`, [["echo", "say \"hi\"", "its"]]],
    ["npm i # not an argument\nnpm ci", [["npm", "i"], ["npm", "ci"]]],
    [`echo a#b "#c"`, [["echo", "a#b", "#c"]]],
    ["npm \\\n  install \\\n  --foo", [["npm", "install", "--foo"]]],
    ["npm \\\r\n install", [["npm", "install"]]],
    [`printf $'a\\'b'`, [["printf", "a'b"]]],
  ];
  for (const [script, expected] of table) assert.deepEqual(argvs(script), expected, script);
});

test("expansions stay opaque words, marked dynamic; commands inside them are not split out", () => {
  const { commands } = tokenizeShell("echo $(npm install x) `npm i y` ${HOME} $PKG \"${{ matrix.node }}\" && pnpm i");
  const echo = commands[0];
  assert.deepEqual(echo?.words.map((w) => w.value), ["echo", "$(npm install x)", "`npm i y`", "${HOME}", "$PKG", "${{ matrix.node }}"]);
  assert.deepEqual(echo?.words.map((w) => w.dynamic), [false, true, true, true, true, true]);
  assert.deepEqual(argvs("echo $(echo \")\") done && npm ci"), [["echo", "$(echo \")\")", "done"], ["npm", "ci"]]);
});

test("redirections and here-documents are not arguments or commands", () => {
  const table: Array<[string, string[][]]> = [
    ["npm ci > log 2>&1", [["npm", "ci"]]],
    ["npm ci &> log; cat < in >> out", [["npm", "ci"], ["cat"]]],
    ["cat <<EOF > file\nnpm install\nEOF\nnpm ci", [["cat"], ["npm", "ci"]]],
    ["cat <<-'EOF'\n\tnpm install\n\tEOF\nyarn", [["cat"], ["yarn"]]],
    ["cat <<< 'npm install'", [["cat"]]],
  ];
  for (const [script, expected] of table) assert.deepEqual(argvs(script), expected, script);
});

test("keywords, leading assignments and wrappers are stripped", () => {
  const table: Array<[string, string[] | undefined, Record<string, string>?]> = [
    ["FOO=1 BAR=\"a b\" sudo -E -u root npm install -g x", ["npm", "install", "-g", "x"], { FOO: "1", BAR: "a b" }],
    ["env -i CI=true time -p npx --yes cowsay", ["npx", "--yes", "cowsay"], { CI: "true" }],
    ["then pip install x", ["pip", "install", "x"]],
    ["! npm ci", ["npm", "ci"]],
    ["timeout 10m nice -n 5 exec npm ci", ["npm", "ci"]],
    ["xargs -n1 pip install", ["pip", "install"]],
    ["command -v npm", undefined],
    ["fi", undefined],
    ["for p in a b", undefined],
    ["X=1", undefined],
    ["sudo", undefined],
  ];
  for (const [script, argv, assignments] of table) {
    const [command] = tokenizeShell(script).commands;
    const simple = command ? simpleCommand(command) : undefined;
    assert.deepEqual(simple?.argv, argv, script);
    if (assignments) assert.deepEqual(simple?.assignments, assignments, script);
  }
});

test("reports the first construct it cannot close, and still returns what it read", () => {
  const table: Array<[string, RegExp]> = [
    ["echo 'open", /single quote/],
    ["echo \"open", /double quote/],
    ["echo $(open", /\$\(/],
    ["cat <<EOF\nbody", /here-document EOF/],
    ["echo `open", /backtick/],
  ];
  for (const [script, problem] of table) {
    const result = tokenizeShell(script);
    assert.match(result.problem ?? "", problem, script);
    assert.equal(result.commands[0]?.words[0]?.value, script.startsWith("cat") ? "cat" : "echo");
  }
});

test("inline shell scripts: sh -c, bash -ec, options before the script", () => {
  assert.equal(inlineShellScript(["bash", "-ec", "npm ci"]), "npm ci");
  assert.equal(inlineShellScript(["sh", "-c", "npm ci", "arg0"]), "npm ci");
  assert.equal(inlineShellScript(["/bin/sh", "-o", "pipefail", "-c", "x"]), "x");
  assert.equal(inlineShellScript(["bash", "script.sh"]), undefined);
  assert.equal(inlineShellScript(["node", "-c", "x"]), undefined);
});

test("linear on adversarial input", () => {
  const inputs = ["$(".repeat(20000), "\"".repeat(40001), "a\\\n".repeat(20000), "<<E\n".repeat(10000), "${".repeat(20000) + "}".repeat(20000)];
  for (const input of inputs) {
    const started = performance.now();
    tokenizeShell(input);
    assert.ok(performance.now() - started < 1000, `${input.slice(0, 6)}… took too long`);
  }
});

test("script commands follow cd, pushd/popd, subshells, export and sh -c", () => {
  const script = [
    "cd backend",
    "npm install",
    "(cd ../web && yarn)",
    "export UV_LOCKED=1",
    "pip install x",
    "pushd sub",
    "make",
    "popd",
    "cd \"$(dirname \"$0\")/..\"",
    "CI=true bash -c 'cd api && pnpm i'",
    "cd $SOMEWHERE",
    "ls",
  ].join("\n");
  const { commands } = scriptCommands(script, { cwd: ".", env: { A: "1" }, scriptDir: "scripts/dev", lineOf: lineMapOf(script, 10) });
  const rows = commands.map((c) => [c.line, c.cwd, c.argv.join(" ")]);
  assert.deepEqual(rows, [
    [10, ".", "cd backend"],
    [11, "backend", "npm install"],
    [12, "backend", "cd ../web"],
    [12, "web", "yarn"],
    [13, "backend", "export UV_LOCKED=1"],
    [14, "backend", "pip install x"],
    [15, "backend", "pushd sub"],
    [16, "backend/sub", "make"],
    [17, "backend/sub", "popd"],
    [18, "backend", "cd $(dirname \"$0\")/.."],
    [19, "scripts", "cd api"],
    [19, "scripts/api", "pnpm i"],
    [20, "scripts", "cd $SOMEWHERE"],
    [21, undefined, "ls"],
  ]);
  assert.equal(commands[5]?.env.UV_LOCKED, "1");
  assert.equal(commands[5]?.env.A, "1");
  assert.equal(commands[11]?.env.CI, "true");
  assert.equal(commands[11]?.text, "pnpm i");
});
