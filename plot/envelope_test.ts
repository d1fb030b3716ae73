// curveEnvelope: what every chart (the CLI's `plot`, the playground) draws of a curve.
import { test } from "node:test";
import assert from "node:assert/strict";
import { StepLR } from "../schedules/torch/mod.ts";
import { errorAt, valuesRuns } from "../curve/runs.ts";
import { getCfg, lrCurveRuns } from "../mod.ts";
import { curveEnvelope } from "./envelope.ts";

/** torch's StepLR(step_size=30) on SGD(lr=0.1), stepped 100 times: rows 0 … 100. */
function stepLr(): Float64Array {
  const optimizer = { paramGroups: [{ lr: 0.1 }] };
  const s = new StepLR({ optimizer, stepSize: 30 });
  const out = new Float64Array(101);
  out[0] = optimizer.paramGroups[0]!.lr;
  for (let i = 1; i <= 100; i++) {
    s.step();
    out[i] = optimizer.paramGroups[0]!.lr;
  }
  return out;
}

test("curveEnvelope: a stepped schedule's drops are vertical, where the new value starts", () => {
  const values = stepLr();
  const { x, y } = curveEnvelope(valuesRuns(values));
  // Each value is drawn up to the row the next one starts at, then straight down there.
  assert.deepEqual(x, [0, 30, 30, 60, 60, 90, 90, 100]);
  assert.deepEqual(y, [
    values[0],
    values[29],
    values[30],
    values[59],
    values[60],
    values[89],
    values[90],
    values[100],
  ]);
  assert.ok(values[29]! > values[30]!);
  // Zoomed: the same, within the range; the range's last row ends the last value.
  const zoomed = curveEnvelope(valuesRuns(values), { from: 25, to: 45 });
  assert.deepEqual(zoomed.x, [25, 30, 30, 44]);
});

test("curveEnvelope: detectron2's steps are drawn the same way as every family's", () => {
  const cfg = getCfg();
  Object.assign(cfg.SOLVER, { STEPS: [300], MAX_ITER: 900, WARMUP_ITERS: 0 });
  const { x, y } = curveEnvelope(lrCurveRuns(cfg));
  assert.deepEqual(x, [0, 300, 300, 900]);
  assert.deepEqual(y, [0.001, 0.001, 0.0001, 0.0001]);
});

test("curveEnvelope: computed runs keep their points; a raising row is a gap after the value", () => {
  const values = new Float64Array([0.1, 0.1, 0.1, 0.05, 0.02, 0.01, 0.01]);
  const { x, y } = curveEnvelope(valuesRuns(values, { rows: 9, error: errorAt(7, new Error()) }));
  assert.deepEqual(x, [0, 3, 3, 4, 5, 7, 7]);
  assert.deepEqual(y, [0.1, 0.1, 0.05, 0.02, 0.01, 0.01, NaN]);
  // A curve of one constant run ends at its last row.
  assert.deepEqual(curveEnvelope(valuesRuns(new Float64Array([1, 1, 1]))).x, [0, 2]);
});

test("curveEnvelope: more steps than buckets stay O(buckets) points, each bucket's extremes kept", () => {
  // 10⁶ alternating constant runs of 3 rows each: 2·10⁶ change points for 1,600 buckets.
  const runs = 1_000_000;
  const curve = {
    columns: ["lr"],
    rows: 3 * runs,
    error: undefined,
    warnings: [],
    *runs(from: number, to: number) {
      for (let k = Math.floor(from / 3); k < runs && 3 * k < to; k++) {
        const v = k % 2 === 0 ? 1 + k / runs : -k / runs;
        yield {
          start: Math.max(from, 3 * k),
          end: Math.min(to, 3 * k + 3),
          constant: true,
          monotone: true,
          values: [v],
          fill: (_c: number, a: number, b: number, out: Float64Array) => out.fill(v, 0, b - a),
        };
      }
    },
  };
  const { x, y } = curveEnvelope(curve);
  assert.ok(x.length <= 4 * 1600 + 4, `${x.length} points`);
  // Ascending x, and the largest and smallest values of the whole curve are among the points.
  assert.ok(x.every((v, i) => i === 0 || v >= x[i - 1]!));
  assert.equal(Math.max(...y), 1 + (runs - 2) / runs);
  assert.equal(Math.min(...y), -(runs - 1) / runs);
  // A few steps per bucket are still drawn exactly (four points or fewer are kept as they are).
  const few = curveEnvelope(curve, { to: 30 });
  assert.deepEqual(few.x.slice(0, 4), [0, 3, 3, 6]);
});
