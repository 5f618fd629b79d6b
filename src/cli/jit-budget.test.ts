import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { JIT_BUDGET, jitBudgetFlag } from "./jit-budget.js";

describe("the command's JIT budget", () => {
  it("is set when the user did not choose one", () => {
    assert.equal(jitBudgetFlag([], undefined), `--interrupt-budget=${JIT_BUDGET}`);
    assert.equal(jitBudgetFlag(["--max-old-space-size=64"], "--enable-source-maps"), `--interrupt-budget=${JIT_BUDGET}`);
  });

  it("leaves the user's own budget alone, from Node's command line or NODE_OPTIONS, in either spelling", () => {
    assert.equal(jitBudgetFlag(["--interrupt-budget=5000"], undefined), undefined);
    assert.equal(jitBudgetFlag([], "--enable-source-maps  --interrupt_budget=5000"), undefined);
  });

  it("is a flag this Node's V8 knows (an unknown one would be printed as an error on every run)", () => {
    const flag = jitBudgetFlag([], undefined) as string;
    const run = spawnSync(process.execPath, ["-e", `require("node:v8").setFlagsFromString(${JSON.stringify(flag)})`], { encoding: "utf8" });
    assert.equal(run.status, 0);
    assert.equal(`${run.stdout}${run.stderr}`, "");
    const bogus = spawnSync(process.execPath, ["-e", `require("node:v8").setFlagsFromString("--no-such-flag-at-all")`], { encoding: "utf8" });
    assert.match(`${bogus.stdout}${bogus.stderr}`, /unrecognized flag/, "V8 no longer reports unknown flags: this test cannot tell");
  });
});
