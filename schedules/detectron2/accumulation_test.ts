import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AccumulatingScheduler,
  autoScaleWorkers,
  buildLrScheduler,
  getCfg,
  gradientAccumulation,
  lrCurve,
} from "../../mod.ts";

function config(solver: Record<string, unknown>) {
  const cfg = getCfg();
  Object.assign(cfg.SOLVER, solver);
  return cfg;
}

test("gradientAccumulation", async (t) => {
  const cfg = config({ IMS_PER_BATCH: 16, BASE_LR: 0.02, MAX_ITER: 90000, STEPS: [60000, 80000] });
  await t.test("K = IMS_PER_BATCH / (workers × micro-batch); the schedule is unchanged", () => {
    const plan = gradientAccumulation(cfg, { numWorkers: 2, microBatch: 2 });
    assert.deepEqual(
      [plan.accumulationSteps, plan.imsPerBatch, plan.imagesPerMicroStep, plan.microSteps],
      [4, 16, 4, 360000],
    );
    assert.deepEqual(plan.cfg, cfg); // REFERENCE_WORLD_SIZE 0 stays 0
    assert.notEqual(plan.cfg, cfg);
  });
  await t.test("REFERENCE_WORLD_SIZE becomes the worker count, so auto_scale_workers is a no-op", () => {
    const ref8 = config({
      IMS_PER_BATCH: 16,
      BASE_LR: 0.02,
      MAX_ITER: 90000,
      REFERENCE_WORLD_SIZE: 8,
    });
    const plan = gradientAccumulation(ref8, { numWorkers: 1, microBatch: 2 });
    assert.equal(plan.accumulationSteps, 8);
    assert.equal(plan.cfg.SOLVER.REFERENCE_WORLD_SIZE, 1);
    assert.deepEqual(autoScaleWorkers(plan.cfg, 1).SOLVER, plan.cfg.SOLVER);
    assert.equal(ref8.SOLVER.REFERENCE_WORLD_SIZE, 8, "input untouched");
  });
  await t.test("impossible splits are explained", () => {
    assert.throws(
      () => gradientAccumulation(cfg, { numWorkers: 2, microBatch: 3 }),
      /IMS_PER_BATCH=16 is not a multiple of numWorkers × microBatch = 2 × 3 = 6; on 2 workers, microBatch can be 1, 2, 4, 8/,
    );
    assert.throws(
      () => gradientAccumulation(cfg, { numWorkers: 3, microBatch: 1 }),
      /not even a multiple of 3/,
    );
    assert.throws(() => gradientAccumulation(cfg, { numWorkers: 0, microBatch: 1 }), RangeError);
    assert.throws(
      () => gradientAccumulation(cfg, { numWorkers: 1, micro_batch: 1 } as never),
      TypeError,
    );
  });
});

test("AccumulatingScheduler", async (t) => {
  const cfg = config({
    IMS_PER_BATCH: 16,
    BASE_LR: 0.02,
    MAX_ITER: 90,
    STEPS: [60, 80],
    WARMUP_ITERS: 10,
  });
  await t.test("one scheduler step per K micro-batches: the config's curve, stretched K times", () => {
    const k = 4;
    const optimizer = { paramGroups: [{ lr: 0.02 }] };
    const acc = new AccumulatingScheduler({
      scheduler: buildLrScheduler(cfg, optimizer),
      accumulationSteps: k,
    });
    const curve = lrCurve(cfg).columns[0]!.values;
    const stepped: boolean[] = [];
    for (let micro = 0; micro < k * 90; micro++) {
      assert.ok(
        Object.is(optimizer.paramGroups[0]!.lr, curve[Math.floor(micro / k)]),
        `micro ${micro}`,
      );
      assert.equal(acc.optimizerStep, Math.floor(micro / k));
      const last = acc.isOptimizerStep;
      stepped.push(acc.step());
      assert.equal(stepped[stepped.length - 1], last);
    }
    assert.equal(stepped.filter(Boolean).length, 90);
    assert.equal(acc.microStep, 360);
    assert.ok(Object.is(optimizer.paramGroups[0]!.lr, curve[90]));
  });
  await t.test("resumes from its state", () => {
    const make = () => {
      const optimizer = { paramGroups: [{ lr: 0.02 }] };
      return {
        optimizer,
        acc: new AccumulatingScheduler({
          scheduler: buildLrScheduler(cfg, optimizer),
          accumulationSteps: 3,
        }),
      };
    };
    const a = make();
    for (let i = 0; i < 100; i++) a.acc.step();
    const state = JSON.parse(JSON.stringify(a.acc.stateDict()));
    const b = make();
    b.acc.loadStateDict(state);
    b.optimizer.paramGroups[0]!.lr = a.optimizer.paramGroups[0]!.lr;
    for (let i = 0; i < 50; i++) {
      a.acc.step();
      b.acc.step();
    }
    assert.equal(b.acc.microStep, 150);
    assert.equal(b.optimizer.paramGroups[0]!.lr, a.optimizer.paramGroups[0]!.lr);
    assert.throws(() => make().acc.loadStateDict({ ...state, accumulationSteps: 2 }), RangeError);
  });
  await t.test("validates its options", () => {
    assert.throws(
      () => new AccumulatingScheduler({ scheduler: {} as never, accumulationSteps: 2 }),
      TypeError,
    );
    assert.throws(
      () => new AccumulatingScheduler({ scheduler: { step() {} }, accumulationSteps: 0 }),
      RangeError,
    );
    assert.throws(
      () =>
        new AccumulatingScheduler({
          scheduler: { step() {} },
          accumulationSteps: 2,
          microStep: -1,
        }),
      RangeError,
    );
  });
});

test("AccumulatingScheduler defaults and branches", async (t) => {
  const counting = () => {
    const s = {
      steps: 0,
      step() {
        s.steps++;
      },
    };
    return s;
  };
  await t.test("microStep omitted: 0 — the K-th micro-batch steps the scheduler first", () => {
    const inner = counting();
    const acc = new AccumulatingScheduler({ scheduler: inner, accumulationSteps: 3 });
    assert.equal(acc.microStep, 0);
    assert.deepEqual([acc.step(), acc.step(), acc.step()], [false, false, true]);
    assert.equal(inner.steps, 1);
    assert.equal(acc.optimizerStep, 1);
  });
  await t.test("a wrapped scheduler without stateDict(): its state is null", () => {
    const acc = new AccumulatingScheduler({ scheduler: counting(), accumulationSteps: 2 });
    assert.deepEqual(acc.stateDict(), { microStep: 0, accumulationSteps: 2, scheduler: null });
    acc.loadStateDict({ microStep: 5, accumulationSteps: 2, scheduler: null });
    assert.equal(acc.microStep, 5);
  });
  await t.test("a saved scheduler state for a scheduler without loadStateDict(): TypeError", () => {
    const acc = new AccumulatingScheduler({ scheduler: counting(), accumulationSteps: 2 });
    assert.throws(() => acc.loadStateDict({ microStep: 1, accumulationSteps: 2, scheduler: {} }), {
      name: "TypeError",
      message: "AccumulatingScheduler.loadStateDict: the wrapped scheduler has no loadStateDict()",
    });
  });
});

test("gradientAccumulation branches", async (t) => {
  await t.test("a config without a SOLVER node: TypeError", () => {
    assert.throws(() => gradientAccumulation({} as never, { numWorkers: 1, microBatch: 1 }), {
      name: "TypeError",
      message: /^gradientAccumulation: `cfg` must be a config with a SOLVER node/,
    });
  });
  await t.test("REFERENCE_WORLD_SIZE 0 stays 0 (auto_scale_workers is off)", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, { IMS_PER_BATCH: 16, REFERENCE_WORLD_SIZE: 0 });
    const plan = gradientAccumulation(cfg, { numWorkers: 2, microBatch: 2 });
    assert.equal(plan.cfg.SOLVER.REFERENCE_WORLD_SIZE, 0);
    assert.equal(plan.accumulationSteps, 4);
  });
});
