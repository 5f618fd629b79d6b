import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { JIT_BUDGET, jitBudgetFlag } from "./jit-budget.js";
import { repoRoot } from "../testing/fixtures.js";

const NODE_20_V8 = "11.3.244.8-node.38";

describe("the command's JIT budget", () => {
  it("is set on Node 20's V8 when the user did not choose one", () => {
    assert.equal(jitBudgetFlag([], undefined, NODE_20_V8), `--interrupt-budget=${JIT_BUDGET}`);
    assert.equal(jitBudgetFlag(["--max-old-space-size=64"], "--enable-source-maps", NODE_20_V8), `--interrupt-budget=${JIT_BUDGET}`);
  });

  it("leaves the user's own budget alone, from Node's command line or NODE_OPTIONS, in either spelling", () => {
    assert.equal(jitBudgetFlag(["--interrupt-budget=5000"], undefined, NODE_20_V8), undefined);
    assert.equal(jitBudgetFlag([], "--enable-source-maps  --interrupt_budget=5000", NODE_20_V8), undefined);
  });

  it("sets nothing on the V8 of later Node versions, which have no such flag", () => {
    for (const v8 of ["12.4.254.21-node.57", "13.6.233.17-node.63", "14.6.202.34-node.40"]) assert.equal(jitBudgetFlag([], undefined, v8), undefined);
  });

  it("gives a flag this Node's V8 knows, if any (an unknown one would be printed as an error on every run)", () => {
    const flag = jitBudgetFlag([], undefined, process.versions.v8);
    if (flag === undefined) return;
    const run = spawnSync(process.execPath, ["-e", `require("node:v8").setFlagsFromString(${JSON.stringify(flag)})`], { encoding: "utf8" });
    assert.equal(run.status, 0);
    assert.equal(`${run.stdout}${run.stderr}`, "");
    const bogus = spawnSync(process.execPath, ["-e", `require("node:v8").setFlagsFromString("--no-such-flag-at-all")`], { encoding: "utf8" });
    assert.match(`${bogus.stdout}${bogus.stderr}`, /unrecognized flag/, "V8 no longer reports unknown flags: this test cannot tell");
  });

  it("the command prints nothing about V8 flags on this Node", () => {
    const run = spawnSync(process.execPath, [join(repoRoot, "dist", "cli.js"), "--version"], { encoding: "utf8" });
    assert.equal(run.status, 0);
    assert.doesNotMatch(`${run.stdout}${run.stderr}`, /flag/i);
  });
});
