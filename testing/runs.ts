/**
 * Helpers shared by the tests of curves as runs (`curve/runs.ts`): every value of a curve, filled
 * from its runs, with each run checked on the way; and the curve and the row-by-row CSV that the
 * CLI's streamed writer (`cli/_csv.ts`) and the page's Export CSV (`site/curves.ts`) are both
 * checked against, with an epoch column.
 *
 * @module
 */

import assert from "node:assert/strict";
import { type CurveRuns, errorAt, valuesRuns } from "../curve/runs.ts";
import { pyFloatRepr } from "../config/python.ts";

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

/** Rows per epoch the epoch-column CSVs are checked with: every row, odd, round, one, none. */
export const EPOCH_LENGTHS: readonly number[] = [1, 7, 10, 1000, 5000];

/**
 * The curve the epoch-column CSVs are checked on: 0.1 for 25 rows (a constant run over three
 * epochs of 7), then 5 computed rows, then 0.01 for 1,000 rows (blocks copied across epoch ends);
 * with `raising`, 1,100 rows that raise a RangeError at row 1,030.
 *
 * @param raising Whether the curve raises after its values.
 * @returns The curve and its values.
 */
export function epochCurve(raising = false): { curve: CurveRuns; values: Float64Array } {
  const values = new Float64Array(1030);
  values.fill(0.1, 0, 25);
  for (let i = 25; i < 30; i++) values[i] = 0.1 / (i - 23);
  values.fill(0.01, 30);
  const curve = raising
    ? valuesRuns(values, { rows: 1100, error: errorAt(1030, new RangeError("no")) })
    : valuesRuns(values);
  return { curve, values };
}

/**
 * The `iter,epoch,lr` CSV of `values`, row by row, without runs: `rows` rows (past the values: an
 * empty value, and `error` in an `error` column).
 *
 * @param values The values.
 * @param rows The rows.
 * @param perEpoch Rows per epoch.
 * @param error The error's class, for rows past the values.
 * @returns The CSV.
 */
export function epochCsv(
  values: Float64Array,
  rows: number,
  perEpoch: number,
  error?: string,
): string {
  let out = `iter,epoch,lr${error ? ",error" : ""}\n`;
  for (let i = 0; i < rows; i++) {
    const value = i < values.length ? pyFloatRepr(values[i]!) : "";
    out += `${i},${Math.floor(i / perEpoch)},${value}${
      error ? (i < values.length ? "," : `,${error}`) : ""
    }\n`;
  }
  return out;
}
