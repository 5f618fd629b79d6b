import { test } from "node:test";
import assert from "node:assert/strict";
import { readMakefile } from "./makefile.js";

const MAKEFILE = `VERSION := $(shell git describe)
PY ?= python3
.PHONY: all install test

all: install test

install: deps
\t@npm install
\t-$(PY) -m pip install \\
\t\t-r requirements.txt
ifeq ($(CI),true)
\t+cd web && yarn
endif

deps: ; pip install poetry

test:
\t$(MAKE) -C sub lint

define HELP
\tnpm install left-pad
endef
target: VAR = value
`;

test("recipes: tab lines, continuations, @-+ prefixes, inline recipes; run in the Makefile's folder", () => {
  const out = readMakefile("tools/Makefile", MAKEFILE);
  assert.equal(out.problem, undefined);
  const rows = out.commands.map((c) => [c.line, c.where, c.cwd, c.argv.join(" ")]);
  assert.deepEqual(rows, [
    [8, "target install", "tools", "npm install"],
    [9, "target install", "tools", "$(PY) -m pip install -r requirements.txt"],
    [12, "target install", "tools", "cd web"],
    [12, "target install", "tools/web", "yarn"],
    [15, "target deps", "tools", "pip install poetry"],
    [18, "target test", "tools", "$(MAKE) -C sub lint"],
  ]);
});

test("rules and the default goal; assignments and target-specific variables are no rules", () => {
  const out = readMakefile("Makefile", MAKEFILE);
  assert.equal(out.defaultGoal, "all");
  assert.deepEqual(out.rules?.get("all")?.prerequisites, ["install", "test"]);
  assert.deepEqual(out.rules?.get("install")?.prerequisites, ["deps"]);
  assert.equal(out.rules?.has("VERSION"), false);
  assert.equal(out.rules?.has("target"), false);
  assert.deepEqual(readMakefile("Makefile", "").commands, []);
});
