import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildLrMultiplier,
  buildLrScheduler,
  getCfg,
  LRMultiplier,
  WarmupPolyLR,
} from "../../mod.ts";

function run(cfg: ReturnType<typeof getCfg>, groups = [cfg.SOLVER.BASE_LR]) {
  const optimizer = { paramGroups: groups.map((lr) => ({ lr })) };
  const warnings: string[] = [];
  const scheduler = buildLrScheduler(cfg, optimizer, { onWarning: (w) => warnings.push(w) });
  const lrs: number[] = [];
  for (let i = 0; i < cfg.SOLVER.MAX_ITER; i++) {
    lrs.push(optimizer.paramGroups[0]!.lr);
    scheduler.step();
  }
  lrs.push(optimizer.paramGroups[0]!.lr);
  return { lrs, warnings, scheduler, optimizer };
}

test("buildLrScheduler", async (t) => {
  await t.test("WarmupMultiStepLR → LRMultiplier(WarmupParamScheduler(MultiStep(GAMMA ** k)))", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, { BASE_LR: 0.02, STEPS: [60, 80], MAX_ITER: 100, WARMUP_ITERS: 10 });
    const { lrs, scheduler } = run(cfg);
    assert.ok(scheduler instanceof LRMultiplier);
    assert.equal(lrs[0], 0.02 * 0.001);
    assert.equal(lrs[10], 0.02);
    assert.equal(lrs[59], 0.02);
    assert.equal(lrs[60], 0.02 * 0.1);
    assert.equal(lrs[80], 0.02 * 0.010000000000000002, "GAMMA ** 2 as Python computes it");
    assert.equal(lrs[100], 0.02 * 0.010000000000000002);
    assert.throws(
      () => scheduler.step(),
      RangeError,
      "one step past MAX_ITER raises, as in detectron2",
    );
  });
  await t.test("STEPS beyond MAX_ITER are dropped with detectron2's warning", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, { STEPS: [50, 150], MAX_ITER: 100, WARMUP_ITERS: 0 });
    const { lrs, warnings } = run(cfg);
    assert.deepEqual(warnings, [
      "SOLVER.STEPS contains values larger than SOLVER.MAX_ITER. These values will be ignored.",
    ]);
    assert.equal(lrs[99], 0.001 * 0.1);
  });
  await t.test("a step equal to MAX_ITER is kept by detectron2 and rejected by fvcore (#4375)", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, { STEPS: [50, 100], MAX_ITER: 100 });
    assert.throws(() => run(cfg), {
      name: "RangeError",
      message: /milestone must be smaller than total number of updates: numUpdates=100/,
    });
  });
  await t.test("WarmupCosineLR ends at BASE_LR_END; the ratio is range-checked", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, {
      LR_SCHEDULER_NAME: "WarmupCosineLR",
      BASE_LR: 0.02,
      BASE_LR_END: 0.0002,
      MAX_ITER: 200,
      WARMUP_ITERS: 20,
    });
    const { lrs } = run(cfg);
    assert.equal(lrs[200], 0.02 * (0.0002 / 0.02));
    cfg.SOLVER.BASE_LR_END = 0.03;
    assert.throws(() => run(cfg), { name: "RangeError", message: /must be in \[0, 1\]: got 1.5/ });
    cfg.SOLVER.BASE_LR = 0;
    assert.throws(() => run(cfg), { name: "RangeError", message: /division by zero/ });
  });
  await t.test("WarmupStepWithFixedGammaLR", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, {
      LR_SCHEDULER_NAME: "WarmupStepWithFixedGammaLR",
      GAMMA: 0.5,
      NUM_DECAYS: 3,
      MAX_ITER: 400,
      WARMUP_ITERS: 0,
    });
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const scheduler = buildLrScheduler(cfg, optimizer);
    const lrs: number[] = [];
    for (let i = 0; i < 399; i++) {
      lrs.push(optimizer.paramGroups[0]!.lr);
      scheduler.step();
    }
    lrs.push(optimizer.paramGroups[0]!.lr);
    assert.deepEqual([lrs[0], lrs[99], lrs[100], lrs[200], lrs[300], lrs[399]], [
      1,
      1,
      0.5,
      0.25,
      0.125,
      0.125,
    ]);
    // detectron2 quirk, reproduced: the final step (where = 1) indexes past the values.
    assert.throws(() => scheduler.step(), {
      name: "RangeError",
      message: /index out of range at where=1/,
    });
  });
  await t.test("warmup length is min(WARMUP_ITERS / MAX_ITER, 1)", () => {
    const m = (iters: number) => {
      const cfg = getCfg();
      Object.assign(cfg.SOLVER, { MAX_ITER: 100, STEPS: [60], WARMUP_ITERS: iters });
      return buildLrMultiplier(cfg.SOLVER).warmupLength;
    };
    assert.equal(m(0), 0);
    assert.equal(m(10), 0.1);
    assert.equal(m(250), 1);
  });
  await t.test("WarmupPolyLR (DeepLab) reads POLY_LR_POWER and POLY_LR_CONSTANT_ENDING", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, {
      LR_SCHEDULER_NAME: "WarmupPolyLR",
      MAX_ITER: 100,
      WARMUP_ITERS: 0,
      POLY_LR_POWER: 1,
      POLY_LR_CONSTANT_ENDING: 0.25,
      BASE_LR: 1,
    });
    const { lrs, scheduler } = run(cfg, [1]);
    assert.ok(scheduler instanceof WarmupPolyLR);
    assert.equal(lrs[50], 0.5);
    assert.equal(lrs[90], 0.25);
  });
  await t.test("several param groups keep their ratios", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, { STEPS: [5], MAX_ITER: 10, WARMUP_ITERS: 2 });
    const { optimizer } = run(cfg, [0.02, 0.04, 0]);
    assert.deepEqual(optimizer.paramGroups.map((g) => g.lr), [0.02 * 0.1, 0.04 * 0.1, 0]);
  });
  await t.test("errors name the config key", () => {
    const cases: [Record<string, unknown>, ErrorConstructor, RegExp][] = [
      [
        { LR_SCHEDULER_NAME: "WarmupExponentialLR" },
        RangeError,
        /Unknown LR scheduler: "WarmupExponentialLR"/,
      ],
      [
        { MAX_ITER: 0 },
        RangeError,
        /`cfg.SOLVER.MAX_ITER` must be a positive integer up to 2\^53 - 1: got 0/,
      ],
      [{ STEPS: "30000" }, TypeError, /`cfg.SOLVER.STEPS` must be an array/],
      [{ WARMUP_METHOD: "cosine" }, RangeError, /`cfg.SOLVER.WARMUP_METHOD` must be one of/],
      [{ RESCALE_INTERVAL: "False" }, TypeError, /`cfg.SOLVER.RESCALE_INTERVAL` must be a boolean/],
      [{ GAMMA: NaN }, RangeError, /`cfg.SOLVER.GAMMA` must be finite/],
    ];
    for (const [patch, type, message] of cases) {
      const cfg = getCfg();
      Object.assign(cfg.SOLVER, patch);
      assert.throws(() => buildLrScheduler(cfg, { paramGroups: [{ lr: 0.1 }] }), {
        name: type.name,
        message,
      }, JSON.stringify(patch));
    }
  });
  await t.test("does not modify the config", () => {
    const cfg = getCfg();
    cfg.SOLVER.STEPS = [50, 150];
    cfg.SOLVER.MAX_ITER = 100;
    buildLrScheduler(cfg, { paramGroups: [{ lr: 0.1 }] }, { onWarning: () => {} });
    assert.deepEqual(cfg.SOLVER.STEPS, [50, 150]);
  });
});

test("buildLrScheduler defaults and branches", async (t) => {
  await t.test("onWarning omitted: console.warn receives detectron2's warning", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, { STEPS: [50, 150], MAX_ITER: 100 });
    const warned: unknown[][] = [];
    const saved = console.warn;
    console.warn = (...args: unknown[]) => void warned.push(args);
    try {
      buildLrScheduler(cfg, { paramGroups: [{ lr: 1 }] });
      buildLrMultiplier(cfg.SOLVER);
    } finally {
      console.warn = saved;
    }
    const message =
      "SOLVER.STEPS contains values larger than SOLVER.MAX_ITER. These values will be ignored.";
    assert.deepEqual(warned, [[message], [message]]);
  });
  await t.test("no warning when every step is within MAX_ITER", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, { STEPS: [50, 100 - 1], MAX_ITER: 100 });
    const { warnings } = run(cfg);
    assert.deepEqual(warnings, []);
  });
  await t.test("the default config (getCfg()) builds detectron2's default schedule", () => {
    const { lrs } = run(getCfg());
    assert.equal(lrs[0], 0.001 * 0.001);
    assert.equal(lrs[1000], 0.001);
    assert.equal(lrs[29999], 0.001);
    assert.equal(lrs[30000], 0.001 * 0.1);
  });
  await t.test("a cfg or SOLVER that is not an object: TypeError naming the key", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    assert.throws(() => buildLrScheduler(null as never, optimizer), {
      name: "TypeError",
      message: "buildLrScheduler: `cfg` must be a config object: got null",
    });
    assert.throws(() => buildLrScheduler({ SOLVER: 3 } as never, optimizer), {
      name: "TypeError",
      message: "buildLrScheduler: `cfg.SOLVER` must be an object: got 3",
    });
  });
  await t.test("WARMUP_ITERS > MAX_ITER: warmup length capped at 1", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, { MAX_ITER: 10, WARMUP_ITERS: 30, STEPS: [] });
    assert.equal(buildLrMultiplier(cfg.SOLVER).warmupLength, 1);
  });
});
