/**
 * Helpers shared by the tests of curves as runs (`curve/runs.ts`): every value of a curve, filled
 * from its runs, with each run checked on the way.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { CurveRuns } from "../curve/runs.ts";

/**
 * Every value of a curve, from its runs (NaN from the first raising iteration on); each run must
 * be non-empty, and a constant run must fill exactly its values.
 *
 * @param curve The curve.
 * @returns One array per column, `curve.rows` long.
 */
export function expandRuns(curve: CurveRuns): Float64Array[] {
  const out = curve.columns.map(() => new Float64Array(curve.rows).fill(NaN));
  for (const run of curve.runs(0, curve.rows)) {
    assert.ok(run.end > run.start, `empty run at ${run.start}`);
    curve.columns.forEach((_, c) => {
      run.fill(c, run.start, run.end, out[c]!.subarray(run.start, run.end));
      if (run.constant) {
        for (let i = run.start; i < run.end; i++) assert.ok(Object.is(out[c]![i], run.values[c]));
      }
    });
  }
  return out;
}
