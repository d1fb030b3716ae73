import { test } from "node:test";
import assert from "node:assert/strict";
import { autoScaleWorkers, getCfg } from "../../mod.ts";

test("getCfg", async (t) => {
  await t.test("detectron2's SOLVER and TEST defaults", () => {
    const cfg = getCfg();
    assert.equal(cfg.SOLVER.LR_SCHEDULER_NAME, "WarmupMultiStepLR");
    assert.equal(cfg.SOLVER.MAX_ITER, 40000);
    assert.equal(cfg.SOLVER.BASE_LR, 0.001);
    assert.deepEqual(cfg.SOLVER.STEPS, [30000]);
    assert.equal(cfg.SOLVER.WARMUP_FACTOR, 1 / 1000);
    assert.equal(cfg.SOLVER.WARMUP_ITERS, 1000);
    assert.equal(cfg.SOLVER.WARMUP_METHOD, "linear");
    assert.equal(cfg.SOLVER.RESCALE_INTERVAL, false);
    assert.equal(cfg.SOLVER.NUM_DECAYS, 3);
    assert.equal(cfg.SOLVER.WEIGHT_DECAY_BIAS, null);
    assert.equal(cfg.SOLVER.POLY_LR_POWER, 0.9);
    assert.equal(cfg.SOLVER.POLY_LR_CONSTANT_ENDING, 0);
    assert.equal(cfg.TEST.EVAL_PERIOD, 0);
  });
  await t.test("every section of get_cfg(), not only the solver", () => {
    const cfg = getCfg();
    assert.equal(cfg.VERSION, 2);
    assert.equal(cfg.MODEL.ROI_HEADS.NUM_CLASSES, 80);
    assert.deepEqual(cfg.MODEL.ANCHOR_GENERATOR.SIZES, [[32, 64, 128, 256, 512]]);
    assert.deepEqual(cfg.DATASETS.TRAIN, []);
  });
  await t.test("a fresh deep copy every call", () => {
    const a = getCfg();
    a.SOLVER.STEPS.push(1);
    a.MODEL.ANCHOR_GENERATOR.SIZES[0]![0] = 1;
    const b = getCfg();
    assert.deepEqual(b.SOLVER.STEPS, [30000]);
    assert.equal(b.MODEL.ANCHOR_GENERATOR.SIZES[0]![0], 32);
  });
});

test("autoScaleWorkers", async (t) => {
  const base = () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, {
      IMS_PER_BATCH: 16,
      BASE_LR: 0.1,
      REFERENCE_WORLD_SIZE: 8,
      MAX_ITER: 5000,
      STEPS: [4000],
      CHECKPOINT_PERIOD: 1000,
    });
    return cfg;
  };
  await t.test("detectron2's docstring example, without touching the input", () => {
    const cfg = base();
    const scaled = autoScaleWorkers(cfg, 16);
    assert.deepEqual(
      [
        scaled.SOLVER.IMS_PER_BATCH,
        scaled.SOLVER.BASE_LR,
        scaled.SOLVER.MAX_ITER,
        scaled.SOLVER.STEPS,
        scaled.SOLVER.CHECKPOINT_PERIOD,
        scaled.SOLVER.REFERENCE_WORLD_SIZE,
        scaled.SOLVER.WARMUP_ITERS,
      ],
      [32, 0.2, 2500, [2000], 500, 16, 500],
    );
    assert.equal(cfg.SOLVER.IMS_PER_BATCH, 16);
    assert.equal(
      scaled.SOLVER.WARMUP_FACTOR,
      cfg.SOLVER.WARMUP_FACTOR,
      "not scaled, as in detectron2",
    );
  });
  await t.test("Python's round(): halves to even", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, {
      IMS_PER_BATCH: 8,
      REFERENCE_WORLD_SIZE: 4,
      MAX_ITER: 5,
      WARMUP_ITERS: 7,
      STEPS: [3, 9],
      CHECKPOINT_PERIOD: 11,
    });
    cfg.TEST.EVAL_PERIOD = 1;
    const s = autoScaleWorkers(cfg, 8);
    assert.deepEqual([
      s.SOLVER.MAX_ITER,
      s.SOLVER.WARMUP_ITERS,
      s.SOLVER.STEPS,
      s.SOLVER.CHECKPOINT_PERIOD,
      s.TEST.EVAL_PERIOD,
    ], [2, 4, [2, 4], 6, 0]);
  });
  await t.test("identity when REFERENCE_WORLD_SIZE is 0 or equals numWorkers (still a copy)", () => {
    const cfg = base();
    for (const [ref, n] of [[0, 3], [8, 8]] as const) {
      cfg.SOLVER.REFERENCE_WORLD_SIZE = ref;
      const out = autoScaleWorkers(cfg, n);
      assert.deepEqual(out, cfg);
      assert.notEqual(out, cfg);
    }
  });
  await t.test("errors", () => {
    const cfg = base();
    cfg.SOLVER.IMS_PER_BATCH = 10;
    assert.throws(() => autoScaleWorkers(cfg, 4), {
      name: "RangeError",
      message: /Invalid REFERENCE_WORLD_SIZE in config!/,
    });
    assert.throws(() => autoScaleWorkers(base(), 0), RangeError);
    assert.throws(() => autoScaleWorkers(base(), 2.5), RangeError);
    assert.throws(() => autoScaleWorkers(null as never, 2), TypeError);
    const steps = base();
    (steps.SOLVER as { STEPS: unknown }).STEPS = 3000;
    assert.throws(() => autoScaleWorkers(steps, 4), {
      name: "TypeError",
      message: "autoScaleWorkers: `cfg.SOLVER.STEPS` must be an array: got 3000",
    });
  });
});
