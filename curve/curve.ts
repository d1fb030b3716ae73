/**
 * Learning-rate curves in memory, of any family: an {@linkcode LrCurve} (the values of some
 * iterations, one column per parameter group), where it raised ({@linkcode CurveError}), and the
 * iterations the golden fixtures record ({@linkcode sampledIterations}).
 *
 * @module
 */

/** Where stepping the scheduler raised, as detectron2 would at that iteration. */
export interface CurveError {
  /** The first iteration whose learning rate does not exist. */
  iteration: number;
  /** The error's class name (`RangeError`). */
  name: string;
  /** Its message. */
  message: string;
}

/** A learning-rate curve. */
export interface LrCurve {
  /** The last iteration of training (detectron2's `SOLVER.MAX_ITER`). */
  maxIter: number;
  /** The iterations recorded, ascending. */
  iterations: number[];
  /** One column per distinct parameter-group learning rate. */
  columns: { name: string; baseLr: number; values: Float64Array }[];
  /** Set when the scheduler raised: values from that iteration on are `NaN`. */
  error?: CurveError;
  /** What the schedule warned while being built. */
  warnings: string[];
}

/** Options of {@linkcode sampledIterations}. */
export interface SampledIterationsOptions {
  /**
   * Iterations to keep a window around (warmup end, steps).
   * @default {[]}
   */
  marks?: readonly number[];
  /**
   * Schedules up to this long are kept whole.
   * @default {5000}
   */
  fullUpTo?: number;
  /**
   * Half-width of the window around each mark and at both ends.
   * @default {40}
   */
  window?: number;
  /**
   * About how many evenly spaced iterations to keep besides the windows.
   * @default {1000}
   */
  strideCount?: number;
  /**
   * Iterations past `maxIter` to include.
   * @default {0}
   */
  extraEnd?: number;
}

/**
 * The iterations the golden fixtures record for a schedule: all of them for short schedules; for
 * long ones, windows around each mark and at both ends plus an even stride (the generator's
 * `sampled_iterations`).
 *
 * @param maxIter The last iteration of training (`SOLVER.MAX_ITER`).
 * @param options Marks, sizes.
 * @returns The iterations, ascending.
 * @throws {RangeError} If `maxIter` (or `maxIter + extraEnd`) is not an integer from 0 to
 * 2^53 − 1.
 *
 * @example
 * ```ts
 * import { sampledIterations } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sampledIterations(40).length, 41);
 * assert.ok(sampledIterations(90000, { marks: [60000] }).includes(59999));
 * ```
 */
export function sampledIterations(
  maxIter: number,
  options: SampledIterationsOptions = {},
): number[] {
  const { marks = [], fullUpTo = 5000, window = 40, strideCount = 1000, extraEnd = 0 } = options;
  for (const [name, value] of [["maxIter", maxIter], ["extraEnd", extraEnd]] as const) {
    if (typeof value !== "number") {
      throw new TypeError(`sampledIterations: \`${name}\` must be a number: got ${typeof value}`);
    }
  }
  const last = maxIter + extraEnd;
  // Past 2^53 `i += stride` can stop advancing: refuse what a double cannot count.
  for (const [name, value] of [["maxIter", maxIter], ["maxIter + extraEnd", last]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(
        `sampledIterations: \`${name}\` must be an integer from 0 to 2^53 − 1: got ${value}`,
      );
    }
  }
  if (maxIter <= fullUpTo) return Array.from({ length: last + 1 }, (_, i) => i);
  const its = new Set<number>();
  const range = (a: number, b: number) => {
    for (let i = a; i <= b; i++) its.add(i);
  };
  range(0, Math.min(window, last));
  for (const m of marks) range(Math.max(0, m - window), Math.min(last, m + window));
  const stride = Math.max(1, Math.floor(maxIter / strideCount));
  for (let i = 0; i <= last; i += stride) its.add(i);
  range(Math.max(0, last - window), last);
  return [...its].sort((a, b) => a - b);
}
