import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CompositeParamScheduler,
  ConstantParamScheduler,
  CosineParamScheduler,
  getCfg,
  LinearParamScheduler,
  lrCurve,
  lrCurveRuns,
  MultiStepParamScheduler,
  sample,
  StepParamScheduler,
  WarmupParamScheduler,
} from "../mod.ts";
import { lrCurveAsRuns, paramSchedulerRuns, steppedRuns } from "./runs.ts";
import { diffCurves, diffRuns } from "./diff.ts";
import { expandRuns } from "../testing/runs.ts";

function cfgWith(solver: Record<string, unknown>) {
  const cfg = getCfg();
  Object.assign(cfg.SOLVER, solver);
  return cfg;
}

test("steppedRuns: the per-step fallback, its first error, and runs from anywhere", () => {
  const curve = steppedRuns({
    columns: ["lr"],
    rows: 100_000,
    start: () => {
      let i = 0;
      return {
        values: (out) => (out[0] = 1 / (1 + i)),
        step: () => {
          if (++i === 70_000) throw new RangeError("no learning rate at 70000");
        },
      };
    },
  });
  assert.deepEqual(curve.error, {
    iteration: 70_000,
    name: "RangeError",
    message: "no learning rate at 70000",
  });
  const runs = [...curve.runs(40_000, 100_000)];
  assert.equal(runs[0]!.start, 40_000);
  assert.equal(runs[runs.length - 1]!.end, 70_000);
  const one = new Float64Array(1);
  runs[0]!.fill(0, 40_000, 40_001, one);
  assert.equal(one[0], 1 / 40_001);
});

test("diffRuns agrees with diffCurves, and lrCurveAsRuns wants consecutive iterations", () => {
  const a = cfgWith({ STEPS: [60, 80], MAX_ITER: 90, WARMUP_ITERS: 10, BIAS_LR_FACTOR: 2.0 });
  const b = cfgWith({ STEPS: [70], MAX_ITER: 100, WARMUP_ITERS: 10, GAMMA: 0.5 });
  const fast = diffRuns(lrCurveRuns(a), lrCurveRuns(b));
  const slow = diffCurves(lrCurve(a), lrCurve(b));
  assert.deepEqual(fast, slow);
  assert.deepEqual(fast.onlyInA, ["lr_bias"]);
  assert.deepEqual(fast.iterationsOnlyInB, [91, 100]);
  assert.deepEqual(
    fast.differences.filter((d) => d.maxUlp > 4).map((d) => [d.from, d.to, d.a[0], d.b[0]]),
    [[60, 69, 0.0001, 0.001], [70, 79, 0.0001, 0.0005], [80, 90, 0.000010000000000000003, 0.0005]],
  );
  assert.throws(() => lrCurveAsRuns(lrCurve(a, { iterations: [0, 5] })), RangeError);
});

test("paramSchedulerRuns: sample's values, bit for bit, and the first raising iteration", async (t) => {
  const warmupCosine = new WarmupParamScheduler({
    scheduler: new CosineParamScheduler({ startValue: 1, endValue: 0.01 }),
    warmupFactor: 0.001,
    warmupLength: 0.05,
  });
  const composite = new CompositeParamScheduler({
    schedulers: [
      new LinearParamScheduler({ startValue: 0, endValue: 1 }),
      new ConstantParamScheduler({ value: 1 }),
      new CosineParamScheduler({ startValue: 1, endValue: 0 }),
    ],
    lengths: [0.1, 0.4, 0.5],
    intervalScaling: ["rescaled", "fixed", "rescaled"],
  });
  const multistep = new MultiStepParamScheduler({
    values: [1, 0.1, 0.01],
    milestones: [300, 800],
    numUpdates: 1000,
  });
  const cases = [["warmup cosine", warmupCosine], ["composite", composite], [
    "multistep",
    multistep,
  ]] as const;
  for (const [name, scheduler] of cases) {
    for (const scale of [undefined, 0.02]) {
      await t.test(`${name}, scale ${scale}`, () => {
        const curve = paramSchedulerRuns(scheduler, {
          numUpdates: 1000,
          ...(scale === undefined ? {} : { scale }),
        });
        assert.equal(curve.rows, 1000);
        assert.equal(curve.error, undefined);
        assert.deepEqual(curve.columns, ["value"]);
        const expected = sample(scheduler, {
          numUpdates: 1000,
          ...(scale === undefined ? {} : { scale }),
        });
        const got = expandRuns(curve)[0]!;
        for (let i = 0; i < 1000; i++) {
          assert.ok(
            Object.is(got[i], expected[i]),
            `${name}: iteration ${i}: ${got[i]} vs ${expected[i]}`,
          );
        }
      });
    }
  }
  await t.test("multistep: three constant runs; a column name", () => {
    const curve = paramSchedulerRuns(multistep, { numUpdates: 1000, column: "lr" });
    assert.deepEqual(curve.columns, ["lr"]);
    const runs = [...curve.runs(0, curve.rows)].map((r) => [r.start, r.end, r.constant]);
    assert.deepEqual(runs, [[0, 300, true], [300, 800, true], [800, 1000, true]]);
  });
  await t.test(
    "rows: numUpdates + 1 reaches where = 1, where fvcore's StepParamScheduler raises",
    () => {
      const step = new StepParamScheduler({ numUpdates: 10, values: [1, 0.5] });
      const curve = paramSchedulerRuns(step, { numUpdates: 10, rows: 11 });
      assert.equal(curve.error?.iteration, 10);
      assert.equal(curve.error?.name, "RangeError");
      assert.throws(() => step.at(1), (e: Error) => e.message === curve.error?.message);
      assert.equal(expandRuns(curve)[0]!.length, 11);
      assert.ok(Number.isNaN(expandRuns(curve)[0]![10]));
      assert.equal(paramSchedulerRuns(step, { numUpdates: 10 }).error, undefined);
    },
  );
  await t.test("invalid options", () => {
    assert.throws(() => paramSchedulerRuns(multistep, { numUpdates: 0 }), RangeError);
    assert.throws(() => paramSchedulerRuns(multistep, { numUpdates: 10, rows: 0 }), /`rows`/);
    assert.throws(() => paramSchedulerRuns(multistep, { numUpdates: 10, scale: NaN }), /`scale`/);
  });
});
