import { test } from "node:test";
import assert from "node:assert/strict";
import { getCfg, lrCurve, lrCurveRuns } from "../../mod.ts";
import { expandRuns } from "../../testing/runs.ts";

function cfgWith(solver: Record<string, unknown>) {
  const cfg = getCfg();
  Object.assign(cfg.SOLVER, solver);
  return cfg;
}

const CASES: [string, Record<string, unknown>][] = [
  ["multistep 1x (scaled)", { BASE_LR: 0.02, STEPS: [600, 800], MAX_ITER: 900, WARMUP_ITERS: 10 }],
  ["bias column", { BIAS_LR_FACTOR: 2.0, STEPS: [50], MAX_ITER: 100, WARMUP_ITERS: 5 }],
  ["constant warmup", {
    STEPS: [30],
    MAX_ITER: 60,
    WARMUP_ITERS: 10,
    WARMUP_METHOD: "constant",
    WARMUP_FACTOR: 0.1,
  }],
  ["warmup longer than the run", { STEPS: [], MAX_ITER: 40, WARMUP_ITERS: 1000 }],
  ["cosine", { LR_SCHEDULER_NAME: "WarmupCosineLR", MAX_ITER: 300, BASE_LR_END: 0.0001 }],
  ["step with fixed gamma (raises at MAX_ITER)", {
    LR_SCHEDULER_NAME: "WarmupStepWithFixedGammaLR",
    MAX_ITER: 100,
    WARMUP_ITERS: 10,
    NUM_DECAYS: 3,
  }],
  ["rescaled interval", {
    STEPS: [40, 80],
    MAX_ITER: 100,
    WARMUP_ITERS: 20,
    RESCALE_INTERVAL: true,
  }],
  ["poly (stepped)", {
    LR_SCHEDULER_NAME: "WarmupPolyLR",
    MAX_ITER: 120,
    WARMUP_ITERS: 10,
    POLY_LR_POWER: 0.9,
    POLY_LR_CONSTANT_ENDING: 0.0,
  }],
];

test("lrCurveRuns: the values and the first raising iteration of lrCurve, bit for bit", async (t) => {
  for (const [name, solver] of CASES) {
    for (const extra of [0, 1]) {
      await t.test(`${name}${extra ? ", one step past the end" : ""}`, () => {
        const cfg = cfgWith(solver);
        const rows = cfg.SOLVER.MAX_ITER + 1 + extra;
        const runs = lrCurveRuns(cfg, { rows });
        const reference = lrCurve(cfg, {
          iterations: Array.from({ length: rows }, (_, i) => i),
        });
        assert.deepEqual(runs.columns, reference.columns.map((c) => c.name));
        assert.deepEqual(runs.error, reference.error);
        const values = expandRuns(runs);
        reference.columns.forEach((column, c) => {
          for (let i = 0; i < rows; i++) {
            assert.ok(
              Object.is(values[c]![i], column.values[i]),
              `${name}: ${column.name}[${i}]: ${values[c]![i]} vs lrCurve's ${column.values[i]}`,
            );
          }
        });
      });
    }
  }
});

test("lrCurveRuns: a multistep schedule of 10^9 iterations is a handful of runs", () => {
  const curve = lrCurveRuns(cfgWith({ STEPS: [6e8, 8e8], MAX_ITER: 1e9, WARMUP_ITERS: 1000 }));
  const runs = [...curve.runs(0, curve.rows)];
  assert.ok(runs.length <= 5, `${runs.length} runs`);
  assert.equal(runs[runs.length - 1]!.end, 1e9 + 1);
  assert.equal(curve.error, undefined);
  const late = [...curve.runs(7e8, 7e8 + 10)];
  assert.deepEqual(late.map((r) => [r.start, r.end, r.constant]), [[7e8, 7e8 + 10, true]]);
});
