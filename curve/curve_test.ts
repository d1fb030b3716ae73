import { test } from "node:test";
import assert from "node:assert/strict";
import { diffCurves, getCfg, lrCurve, sampledIterations } from "../mod.ts";

function cfgWith(solver: Record<string, unknown>) {
  const cfg = getCfg();
  Object.assign(cfg.SOLVER, solver);
  return cfg;
}

test("sampledIterations: the generator's sampling", () => {
  assert.deepEqual(sampledIterations(3), [0, 1, 2, 3]);
  assert.deepEqual(sampledIterations(3, { extraEnd: 1 }), [0, 1, 2, 3, 4]);
  const s = sampledIterations(90000, { marks: [1000, 60000], extraEnd: 1 });
  for (const it of [0, 40, 960, 1040, 59960, 60040, 89961, 90001, 450]) {
    assert.ok(s.includes(it), `${it}`);
  }
  assert.ok(!s.includes(41) && !s.includes(60041));
});

test("sampledIterations: counts a double cannot step through are refused, not a hang", () => {
  for (const bad of [1e17, 2 ** 53, -1, 1.5, NaN]) {
    assert.throws(() => sampledIterations(bad), {
      name: "RangeError",
      message: `sampledIterations: \`maxIter\` must be an integer from 0 to 2^53 − 1: got ${bad}`,
    });
  }
  assert.throws(
    () => sampledIterations(2 ** 53 - 1, { extraEnd: 1 }),
    /`maxIter \+ extraEnd` must be an integer from 0 to 2\^53 − 1/,
  );
  // The largest count still samples: a thousand strides and the windows.
  assert.ok(sampledIterations(2 ** 53 - 1).length < 1200);
});

test("diffCurves", async (t) => {
  await t.test("a curve against itself", () => {
    const c = lrCurve(cfgWith({ MAX_ITER: 100, STEPS: [50] }));
    const d = diffCurves(c, c);
    assert.deepEqual([d.compared, d.identical, d.differences.length], [101, 101, 0]);
  });
  await t.test("runs, ratios, and what only one side has", () => {
    const a = lrCurve(cfgWith({ MAX_ITER: 100, STEPS: [50], WARMUP_ITERS: 0 }));
    const b = lrCurve(cfgWith({ MAX_ITER: 120, STEPS: [60], WARMUP_ITERS: 0, BIAS_LR_FACTOR: 2 }));
    const d = diffCurves(a, b);
    assert.deepEqual(d.differences.map((r) => [r.from, r.to]), [[50, 59]]);
    assert.deepEqual(d.differences[0]!.a, [0.0001, 0.0001]);
    assert.deepEqual(d.iterationsOnlyInB, [101, 120]);
    assert.deepEqual(d.onlyInB, ["lr_bias"]);
  });
});
