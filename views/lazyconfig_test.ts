import { test } from "node:test";
import assert from "node:assert/strict";
import { lazyConfigView } from "./lazyconfig.ts";
import { placeOf } from "./view.ts";

const config = (multiplier: Record<string, unknown>, maxIter: unknown = 100) => ({
  lr_multiplier: multiplier,
  train: { max_iter: maxIter },
  optimizer: { lr: 0.1 },
});
const multiStep = (milestones: number[]) => ({
  _target_: "fvcore.common.param_scheduler.MultiStepParamScheduler",
  values: [1, 0.1, 0.01],
  milestones,
  num_updates: 100,
});

test("lazyConfigView: an error is placed at the config key it is about, from its data", () => {
  const cases: [Record<string, unknown>, string][] = [
    [config(multiStep([50, 20])), "lr_multiplier.milestones"],
    [
      config({
        _target_: "detectron2.solver.WarmupParamScheduler",
        scheduler: multiStep([50, 20]),
        warmup_length: 0.1,
      }),
      "lr_multiplier.scheduler.milestones",
    ],
    [config({ _target_: "fvcore.common.param_scheduler.Nope" }), "lr_multiplier._target_"],
    [config(multiStep([20, 50]), -1), "train.max_iter"],
  ];
  for (const [cfg, key] of cases) {
    assert.throws(
      () => lazyConfigView(cfg, { path: "x.py" }),
      (e: unknown) => {
        assert.equal(placeOf(e)?.key, key, String(e));
        assert.match(String(e), /^\w+Error: x\.py: /);
        return true;
      },
    );
  }
});
