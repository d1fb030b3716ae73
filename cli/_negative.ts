/**
 * A negative learning rate, found and said (issue 26). Some upstreams compute one without a
 * word — Keras's `PiecewiseConstantDecay` with a negative value, any Keras or optax schedule
 * with a negative initial rate, a DeepSpeed or Megatron minimum below zero — and lrspec computes
 * what they compute; an optimizer stepping with a negative rate ascends the gradient, so the CLI
 * warns on stderr, once per schedule, with the first row and its value. (torch's optimizers,
 * timm and detectron2 refuse a negative `lr`, and so do their views.)
 *
 * @module
 */

import { pyFloatRepr } from "../config/python.ts";
import type { CurveRun } from "../curve/runs.ts";
import type { ScheduleView } from "../views/view.ts";

/**
 * The most rows of stretches that are neither constant nor provably monotone the check looks at
 * before the output is written: 65,536 (a schedule that can only be stepped, such as a torch
 * `LambdaLR`, costs up to ~10 µs a row). Constant and monotone stretches cost two values each, at
 * any length. `curve` watches the rest as it writes them ({@linkcode watchNegativeRate}).
 */
export const NEGATIVE_CHECK_ROWS = 65_536;

/** The first negative learning rate of a view: its row, its column and its value. */
export interface NegativeRate {
  /** The row (0-based). */
  row: number;
  /** The column (`lr`, `lr_bias`, …). */
  column: string;
  /** The value. */
  value: number;
}

/** The columns that hold a learning rate: those whose name holds `lr`. */
function lrColumns(view: ScheduleView): number[] {
  return view.columns.flatMap((name, i) => (/lr/i.test(name) ? [i] : []));
}

const checked = new WeakMap<ScheduleView, { found: NegativeRate | undefined; complete: boolean }>();

/**
 * The first row at which a learning-rate column (a column whose name holds `lr`) is negative,
 * or undefined when there is none — or none in the first {@linkcode NEGATIVE_CHECK_ROWS} rows of
 * the stretches that must be computed row by row (a monotone stretch is judged by its ends).
 *
 * @param view The schedule.
 * @returns Where the rate is first negative.
 */
export function firstNegativeRate(view: ScheduleView): NegativeRate | undefined {
  return checkNegativeRate(view).found;
}

/** {@linkcode firstNegativeRate}, and whether the whole curve was looked at (memoized per view). */
function checkNegativeRate(
  view: ScheduleView,
): { found: NegativeRate | undefined; complete: boolean } {
  let c = checked.get(view);
  if (c === undefined) {
    c = walk(view);
    checked.set(view, c);
  }
  return c;
}

function walk(view: ScheduleView): { found: NegativeRate | undefined; complete: boolean } {
  const columns = lrColumns(view);
  if (columns.length === 0 || view.rows === 0) return { found: undefined, complete: true };
  let budget = NEGATIVE_CHECK_ROWS;
  const buffer = new Float64Array(Math.min(32768, view.rows));
  for (const run of view.runs(0, view.rows)) {
    if (run.constant) {
      for (const c of columns) {
        const v = run.values[c]!;
        if (v < 0) {
          return { found: { row: run.start, column: view.columns[c]!, value: v }, complete: true };
        }
      }
      continue;
    }
    let first: NegativeRate | undefined;
    for (const c of columns) {
      // Monotone: negative somewhere only if negative at an end; the first row of a decreasing
      // stretch that is negative is found by bisection.
      if (run.monotone) {
        run.fill(c, run.start, run.start + 1, buffer);
        const a = buffer[0]!;
        run.fill(c, run.end - 1, run.end, buffer);
        const b = buffer[0]!;
        if (!(a < 0 || b < 0)) continue;
        let row = run.start;
        if (!(a < 0)) {
          let lo = run.start; // not negative
          let hi = run.end - 1; // negative
          while (hi - lo > 1) {
            const mid = lo + Math.floor((hi - lo) / 2);
            run.fill(c, mid, mid + 1, buffer);
            if (buffer[0]! < 0) hi = mid;
            else lo = mid;
          }
          row = hi;
        }
        run.fill(c, row, row + 1, buffer);
        if (first === undefined || row < first.row) {
          first = { row, column: view.columns[c]!, value: buffer[0]! };
        }
        continue;
      }
      for (let from = run.start; from < run.end && budget > 0;) {
        const to = Math.min(run.end, from + buffer.length, from + budget);
        run.fill(c, from, to, buffer);
        for (let i = 0; i < to - from; i++) {
          if (buffer[i]! < 0) {
            if (first === undefined || from + i < first.row) {
              first = { row: from + i, column: view.columns[c]!, value: buffer[i]! };
            }
            break;
          }
        }
        budget -= to - from;
        if (first !== undefined && first.row < to) break;
        from = to;
      }
    }
    if (first !== undefined) return { found: first, complete: true };
    if (budget <= 0) return { found: undefined, complete: false };
  }
  return { found: undefined, complete: true };
}

/**
 * The warning for a schedule whose learning rate goes negative, or undefined:
 * `k.json: the learning rate goes negative at step 200 (lr = -2147483648.0); …`. The row is
 * shown as the CSV numbers it (`firstIndex + row`).
 *
 * @param view The schedule.
 * @returns The warning's text, without `lrspec: warning: `.
 */
export function negativeRateWarning(view: ScheduleView): string | undefined {
  const n = firstNegativeRate(view);
  return n === undefined ? undefined : warningText(view, n);
}

function warningText(view: ScheduleView, n: NegativeRate): string {
  return `${view.path}: the learning rate goes negative at ${view.indexColumn} ` +
    `${view.firstIndex + n.row} (${n.column} = ${
      pyFloatRepr(n.value)
    }); upstream (${view.family}) ` +
    `computes it as written and so does lrspec, but an optimizer stepping with a negative rate ` +
    `ascends the gradient`;
}

/**
 * The view as `curve` writes it: where {@linkcode firstNegativeRate} could not look at the whole
 * curve before the output, the rows are watched as they are written, and the first negative one
 * is warned of (`warn` gets the text {@linkcode negativeRateWarning} would give) when its stretch
 * has been written. Elsewhere the view itself.
 *
 * @param view The schedule.
 * @param warn Receives the warning's text, at most once.
 * @returns The view to write.
 */
export function watchNegativeRate(view: ScheduleView, warn: (text: string) => void): ScheduleView {
  const c = checkNegativeRate(view);
  if (c.complete || c.found !== undefined) return view;
  const columns = new Set(lrColumns(view));
  let warned = false;
  function* runs(from: number, to: number): Generator<CurveRun> {
    for (const run of view.runs(from, to)) {
      if (warned) {
        yield run;
        continue;
      }
      let first: NegativeRate | undefined;
      if (run.constant) {
        for (const col of columns) {
          const v = run.values[col]!;
          if (v < 0 && first === undefined) {
            first = { row: run.start, column: view.columns[col]!, value: v };
          }
        }
        yield run;
      } else {
        yield {
          ...run,
          fill(column: number, a: number, b: number, out: Float64Array) {
            run.fill(column, a, b, out);
            if (!columns.has(column)) return;
            for (let i = 0; i < b - a; i++) {
              if (out[i]! < 0) {
                if (first === undefined || a + i < first.row) {
                  first = { row: a + i, column: view.columns[column]!, value: out[i]! };
                }
                break;
              }
            }
          },
        };
      }
      if (first !== undefined) {
        warned = true;
        warn(warningText(view, first));
      }
    }
  }
  // The view's other members as they are (a family's view may be a class with private fields).
  return new Proxy(view, {
    get(target, key) {
      if (key === "runs") return runs;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
