import { test } from "node:test";
import assert from "node:assert/strict";
import { buildLrScheduler, type LRMultiplier, WarmupParamScheduler } from "../../mod.ts";
import { ConstantParamScheduler } from "../fvcore/param_scheduler.ts";
import { getCfg } from "./config.ts";

test("python and torch pass through detectron2's builders", async (t) => {
  await t.test("WarmupParamScheduler passes `python` to its composite (default 3.12)", () => {
    const make = (python?: "3.11" | "3.12") =>
      new WarmupParamScheduler({
        scheduler: new ConstantParamScheduler({ value: 1 }),
        warmupFactor: 0.001,
        warmupLength: 0.1,
        ...(python === undefined ? {} : { python }),
      });
    assert.equal(make().python, "3.12");
    assert.equal(make("3.11").python, "3.11");
    assert.throws(() => make("2.7" as never), RangeError);
  });
  await t.test("buildLrScheduler(cfg, optimizer, { python, torch })", () => {
    const cfg = getCfg();
    const build = (options: { python?: "3.11" | "3.12"; torch?: "1.13" | "2.11" | "2.13" }) =>
      buildLrScheduler(cfg, { paramGroups: [{ lr: 0.1 }] }, options) as LRMultiplier;
    const today = build({});
    assert.equal(today.torch, "2.13");
    assert.equal((today.multiplier as WarmupParamScheduler).python, "3.12");
    const old = build({ python: "3.11", torch: "1.13" });
    assert.equal(old.torch, "1.13");
    assert.equal((old.multiplier as WarmupParamScheduler).python, "3.11");
    cfg.SOLVER.LR_SCHEDULER_NAME = "WarmupPolyLR";
    assert.equal(build({ torch: "1.13" }).torch, "1.13");
    assert.equal(build({}).torch, "2.13");
    assert.equal(build({ torch: "2.11" }).torch, "2.11");
  });
});
