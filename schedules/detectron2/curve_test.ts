import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildLrScheduler,
  explainSchedule,
  formatLr,
  getCfg,
  lrCurve,
  paramGroupLrs,
  scheduleEvents,
} from "../../mod.ts";

function cfgWith(solver: Record<string, unknown>) {
  const cfg = getCfg();
  Object.assign(cfg.SOLVER, solver);
  return cfg;
}

test("lrCurve", async (t) => {
  await t.test("the same values as stepping buildLrScheduler by hand", () => {
    const cfg = cfgWith({ BASE_LR: 0.02, STEPS: [300, 400], MAX_ITER: 500, WARMUP_ITERS: 50 });
    const curve = lrCurve(cfg);
    const optimizer = { paramGroups: [{ lr: 0.02 }] };
    const scheduler = buildLrScheduler(cfg, optimizer);
    assert.equal(curve.iterations.length, 501);
    for (let i = 0; i <= 500; i++) {
      assert.ok(Object.is(curve.columns[0]!.values[i], optimizer.paramGroups[0]!.lr), `iter ${i}`);
      if (i < 500) scheduler.step();
    }
    assert.equal(curve.error, undefined);
  });
  await t.test("a bias column when BIAS_LR_FACTOR != 1", () => {
    const curve = lrCurve(cfgWith({ BIAS_LR_FACTOR: 2.0, MAX_ITER: 100, STEPS: [50] }));
    assert.deepEqual(curve.columns.map((c) => [c.name, c.baseLr]), [["lr", 0.001], [
      "lr_bias",
      0.002,
    ]]);
    assert.equal(curve.columns[1]!.values[100], 2 * curve.columns[0]!.values[100]!);
  });
  await t.test("where detectron2 raises, the curve says so and stops", () => {
    const curve = lrCurve(
      cfgWith({ LR_SCHEDULER_NAME: "WarmupStepWithFixedGammaLR", MAX_ITER: 100, WARMUP_ITERS: 10 }),
    );
    assert.equal(curve.error?.iteration, 100);
    assert.equal(curve.error?.name, "RangeError");
    assert.ok(Number.isNaN(curve.columns[0]!.values[100]!));
    assert.ok(Number.isFinite(curve.columns[0]!.values[99]!));
  });
  await t.test("sampled iterations, progress, warnings and bad input", () => {
    const cfg = cfgWith({ MAX_ITER: 200000, STEPS: [150000, 300000] });
    const seen: number[] = [];
    const curve = lrCurve(cfg, { iterations: [0, 150000], onProgress: (done) => seen.push(done) });
    assert.deepEqual([...curve.columns[0]!.values], [0.001 * 0.001, 0.0001]);
    assert.deepEqual(curve.warnings, [
      "SOLVER.STEPS contains values larger than SOLVER.MAX_ITER. These values will be ignored.",
    ]);
    assert.deepEqual(seen, [65536, 131072, 150000]);
    assert.throws(() => lrCurve(cfg, { iterations: [5, 5] }), RangeError);
    assert.throws(() => lrCurve(cfg, { iterations: [-1] }), RangeError);
  });
});

test("paramGroupLrs", () => {
  assert.deepEqual(paramGroupLrs(getCfg()), [{ name: "lr", lr: 0.001 }]);
  assert.deepEqual(paramGroupLrs(cfgWith({ BASE_LR: 0, BIAS_LR_FACTOR: 2 })), [{
    name: "lr",
    lr: 0,
  }]);
  assert.throws(() => paramGroupLrs(cfgWith({ BASE_LR: "0.1" })), TypeError);
});

test("explainSchedule", async (t) => {
  await t.test("each family in one sentence", () => {
    const first = (solver: Record<string, unknown>) =>
      explainSchedule(cfgWith(solver)).split("\n")[0];
    assert.equal(
      first({ BASE_LR: 0.02, STEPS: [60000, 80000], MAX_ITER: 90000 }),
      "linear warmup over 1000 iterations from 2e-05 to 0.02, ×0.1 at 60000 and 80000, ends at 90000",
    );
    assert.equal(
      first({
        LR_SCHEDULER_NAME: "WarmupCosineLR",
        BASE_LR: 0.01,
        MAX_ITER: 1000,
        WARMUP_ITERS: 0,
      }),
      "starts at 0.01, cosine decay to 0, ends at 1000",
    );
    assert.equal(
      first({
        LR_SCHEDULER_NAME: "WarmupStepWithFixedGammaLR",
        GAMMA: 0.5,
        NUM_DECAYS: 2,
        MAX_ITER: 900,
        WARMUP_ITERS: 0,
      }),
      "starts at 0.001, ×0.5 at 300 and 600 (2 decays), ends at 900",
    );
    assert.equal(
      first({ LR_SCHEDULER_NAME: "WarmupPolyLR", MAX_ITER: 100, WARMUP_ITERS: 0, BASE_LR: 0.01 }),
      "starts at 0.01, polynomial decay (power 0.9) to 0, ends at 100",
    );
    assert.equal(
      first({
        STEPS: [],
        MAX_ITER: 300,
        WARMUP_ITERS: 30,
        WARMUP_METHOD: "constant",
        WARMUP_FACTOR: 0.1,
      }),
      "constant warmup at 0.0001 for 30 iterations, then 0.001, then constant, ends at 300",
    );
  });
  await t.test("detectron2's quirks show up: WHERE_EPSILON, dropped steps", () => {
    const long = explainSchedule(cfgWith({ STEPS: [6666667], MAX_ITER: 10000000 }));
    assert.match(long, /×0\.1 at 6666657 \(STEPS says 6666667/);
    assert.match(long, /reached at 991/);
    const dropped = explainSchedule(
      cfgWith({ STEPS: [500, 2000], MAX_ITER: 1000, WARMUP_ITERS: 10 }),
    );
    assert.match(dropped, /×0\.1 at 500, ends at 1000/);
    assert.match(dropped, /detectron2 warns: SOLVER\.STEPS contains values larger/);
    assert.match(explainSchedule(cfgWith({ BIAS_LR_FACTOR: 2.0 })), /bias parameters: ×2/);
    assert.throws(() => explainSchedule(cfgWith({ STEPS: [1000], MAX_ITER: 1000 })), RangeError);
  });
  await t.test("scheduleEvents", () => {
    const e = scheduleEvents(cfgWith({ STEPS: [60, 80], MAX_ITER: 90, WARMUP_ITERS: 10 }));
    assert.deepEqual([e.warmupIters, e.warmupEnd, e.steps], [10, 10, [60, 80]]);
    assert.equal(e.lrAt(85), 0.001 * 0.010000000000000002);
  });
  await t.test("formatLr", () => {
    assert.equal(formatLr(0.0199997), "0.0199997");
    assert.equal(formatLr(0.019999700000000003), "0.0199997");
    assert.equal(formatLr(1e-5), "1e-05");
    assert.equal(formatLr(2), "2");
  });
});

test("explainSchedule: 10^5 milestones are summarised, in full on request", () => {
  // 0.999^100000 ≈ 4e-44: the rate changes at every milestone (no underflow to 0).
  const steps = Array.from({ length: 100_000 }, (_, i) => 2 * (i + 1));
  const cfg = cfgWith({
    BASE_LR: 1,
    GAMMA: 0.999,
    STEPS: steps,
    MAX_ITER: 300_000,
    WARMUP_ITERS: 0,
  });
  const text = explainSchedule(cfg);
  assert.ok(text.length < 3000, `${text.length} characters`);
  const [sentence, settings] = text.split("\n");
  assert.equal(
    sentence,
    "starts at 1, ×0.999 at 2, 4, 6, 8, 10, 12, 14, 16, … 99990 more …, 199998 and 200000, ends at 300000",
  );
  assert.match(settings!, /STEPS \(2, 4, 6, 8, 10, 12, 14, 16, … 99990 more …, 199998, 200000\)/);
  const full = explainSchedule(cfg, { full: true });
  assert.ok(full.includes(", 199996, 199998 and 200000, ends at 300000"));
  assert.ok(full.split("\n")[0]!.split(", ").length > 100_000);
  // Twelve entries or fewer are always written out.
  const twelve = explainSchedule(
    cfgWith({ STEPS: steps.slice(0, 12), MAX_ITER: 1000, WARMUP_ITERS: 0 }),
  );
  assert.ok(twelve.split("\n")[0]!.includes("at 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22 and 24"));
});

test("scheduleEvents: steps found by bisection where a scan finds them, 10^5 of them at once", () => {
  // Dense steps on a 3·10⁶-iteration schedule: WHERE_EPSILON's windows (±5 iterations) overlap
  // and merge; every change a scan of each iteration finds, and no other.
  const steps = [
    ...Array.from({ length: 300 }, (_, i) => 1000 + 7 * i),
    ...Array.from({ length: 50 }, (_, i) => 5000 + 2.5 * i),
    9000,
    9001,
  ];
  const e = scheduleEvents(
    cfgWith({ STEPS: steps, GAMMA: 0.9, MAX_ITER: 3_000_000, WARMUP_ITERS: 100 }),
  );
  const scan: number[] = [];
  for (let i = 101; i <= 12_000; i++) if (e.lrAt(i) !== e.lrAt(i - 1)) scan.push(i);
  assert.equal(e.lrAt(12_000), e.lrAt(3_000_000));
  assert.deepEqual(e.steps, scan);
  assert.ok(scan.length > 300, `${scan.length} changes`);
  // 10⁵ milestones of a 10⁹-iteration schedule: each window (±1002 iterations) scanned took
  // 2·10⁸ evaluations (150 CPU-s for `lrspec explain`).
  const many = Array.from({ length: 100_000 }, (_, i) => (i + 1) * 9_999);
  const t0 = performance.now();
  const big = scheduleEvents(cfgWith({ STEPS: many, GAMMA: 0.99999, MAX_ITER: 1e9 }));
  const ms = performance.now() - t0;
  assert.equal(big.steps.length, 100_000);
  // WHERE_EPSILON: each step 10⁻⁶·MAX_ITER = 1000 iterations early (or 999 by rounding).
  assert.ok(big.steps.every((s, i) => many[i]! - s >= 999 && many[i]! - s <= 1000));
  assert.ok(ms < 30_000, `${ms.toFixed(0)} ms`);
});
