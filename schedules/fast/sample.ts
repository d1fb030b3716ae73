/**
 * Exact evaluation of a whole schedule: {@linkcode sample} fills a `Float64Array` with the values
 * of a schedule at `where = i / numUpdates` (detectron2's `sampleLr` and the stepping
 * `ScheduleCursor` are built on the same engine).
 *
 * The values are bit-identical to evaluating `scheduler.at(i / numUpdates)` at every `i` — the
 * same doubles, and the same error at the same iteration when the schedule raises — but a
 * piecewise-constant schedule takes one `Float64Array.fill` per constant interval (or one
 * comparison per step) instead of one evaluation per iteration: its change points are found by
 * binary search over the piece function of the schedule's plan (its own branch expression; see
 * `SchedulePlan`), never by algebra.
 *
 * @module
 */

import { fillRuns } from "./_runs.ts";
import type { ScheduleLike } from "./plan.ts";
import {
  finite,
  integer,
  iterationRange,
  requireOptions,
  requireScheduler,
} from "../_internal/validate.ts";

/** Options of {@linkcode sample}. */
export interface SampleOptions {
  /** The number of iterations that `where ∈ [0, 1]` spans: `where = i / numUpdates`. */
  numUpdates: number;
  /**
   * The first iteration.
   * @default {0}
   */
  from?: number;
  /**
   * One past the last iteration: the default samples the `numUpdates` iterations of a training
   * run, `where = 0, 1/n, …, (n−1)/n` (`where = 1` is reached only by the last `step()`).
   * @default {numUpdates}
   */
  to?: number;
  /**
   * Where to write the values (`out[0]` is iteration `from`); must hold at least `to − from`
   * values. A new array is allocated when omitted.
   */
  out?: Float64Array;
  /**
   * A factor every value is multiplied by, as `scale · value` — the product an `LRMultiplier`
   * writes (`initialLr · multiplier`). Unscaled values when omitted.
   */
  scale?: number;
}

/**
 * The values of a schedule at `where = i / numUpdates` for every iteration `i` in
 * `[from, to)`, written into a `Float64Array`.
 *
 * ```text
 * out[i − from] = scheduler.at(i / numUpdates)        for from <= i < to
 * ```
 *
 * Bit-identical to that loop for every scheduler and every iteration: piecewise-constant parts
 * (multistep, step, constant, and such segments of composites and warmups) are filled interval
 * by interval, smooth parts are computed with the formula their `at` evaluates, and schedulers
 * without a plan (see `SchedulePlan`) are called once per iteration. BENCH.md has the figures.
 *
 * @param scheduler Any scheduler with `at(where)`.
 * @param options `{ numUpdates, from?, to?, out?, scale? }`.
 * @returns `out` (or a new array of `to − from` values).
 * @throws {TypeError | RangeError} If an option is malformed (`numUpdates` not a positive
 * integer, `from`/`to` not safe integers, `to < from`, `out` too short).
 * @throws Whatever `scheduler.at` throws, at the first iteration where it throws; the values
 * before that iteration have been written to `out`.
 *
 * @example The 90,000 multipliers of detectron2's 1x schedule
 * ```ts
 * import { MultiStepParamScheduler, sample, WarmupParamScheduler } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new WarmupParamScheduler({
 *   scheduler: new MultiStepParamScheduler({
 *     values: [1, 0.1, 0.01], milestones: [60000, 80000], numUpdates: 90000,
 *   }),
 *   warmupFactor: 0.001,
 *   warmupLength: 1000 / 90000,
 * });
 * const values = sample(s, { numUpdates: 90000 });
 * assert.equal(values.length, 90000);
 * for (const i of [0, 500, 999, 1000, 59999, 60000, 89999]) {
 *   assert.equal(values[i], s.at(i / 90000));
 * }
 * ```
 */
export function sample(scheduler: ScheduleLike, options: SampleOptions): Float64Array {
  const owner = "sample";
  requireScheduler(owner, "scheduler", scheduler);
  const o = requireOptions(owner, options, ["numUpdates", "from", "to", "out", "scale"]);
  const n = integer(
    owner,
    "numUpdates",
    o.numUpdates,
    "a positive integer",
    (x) => x > 0 && x <= Number.MAX_SAFE_INTEGER,
  );
  const { from, to, out } = iterationRange(owner, o, n);
  const scale = o.scale === undefined ? undefined : finite(owner, "scale", o.scale);
  fillRuns(scheduler, n, from, to, out, 0, scale);
  return out;
}
