/**
 * Fast, exact evaluation of a whole schedule: {@linkcode sample} fills a `Float64Array` with the
 * values of a {@linkcode ParamScheduler} at `where = i / numUpdates`, {@linkcode sampleLr} with
 * the learning rates an {@linkcode LRMultiplier} writes at each iteration, and
 * {@linkcode ScheduleCursor} steps through a schedule one iteration at a time.
 *
 * All three are bit-identical to evaluating `scheduler.at(i / numUpdates)` at every `i` — the
 * same doubles, and the same error at the same iteration when the schedule raises — but a
 * piecewise-constant schedule costs one `Float64Array.fill` per constant interval (or one
 * comparison per step) instead of one evaluation per iteration: its change points are found by
 * binary search over the schedule's own branch expression, never by algebra.
 *
 * @module
 */

import { fillRuns, ScheduleCursor, type ScheduleCursorOptions } from "./_runs.ts";
import { integer, requireOptions, requireScheduler, show } from "./_validate.ts";
import { LRMultiplier } from "./lr_scheduler.ts";
import type { ParamSchedulerLike } from "./param_scheduler.ts";
import type { LRScheduler } from "./torch_lr_scheduler.ts";

export { ScheduleCursor, type ScheduleCursorOptions };

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
}

function range(
  owner: string,
  o: Record<string, unknown>,
  defaultTo: number,
): { from: number; to: number; out: Float64Array } {
  const safe = (x: number) => Number.isSafeInteger(x);
  const from = integer(owner, "from", o.from ?? 0, "a safe integer", safe);
  const to = integer(owner, "to", o.to ?? defaultTo, "a safe integer", safe);
  if (to < from) {
    throw new RangeError(`${owner}: \`to\` must be >= \`from\`: got from=${from}, to=${to}`);
  }
  let out: Float64Array;
  if (o.out === undefined) {
    out = new Float64Array(to - from);
  } else {
    if (!(o.out instanceof Float64Array)) {
      throw new TypeError(`${owner}: \`out\` must be a Float64Array: got ${show(o.out)}`);
    }
    out = o.out;
    if (out.length < to - from) {
      throw new RangeError(
        `${owner}: \`out\` must hold at least ${to - from} values: got length ${out.length}`,
      );
    }
  }
  return { from, to, out };
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
 * by interval, smooth parts are computed with the same expression as their `at`, and schedulers
 * of unknown type are called once per iteration. The time is that of a memory fill for a
 * multistep schedule and within a few percent of the `cos` calls for a cosine one.
 *
 * @param scheduler Any scheduler with `at(where)`.
 * @param options `{ numUpdates, from?, to?, out? }`.
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
export function sample(scheduler: ParamSchedulerLike, options: SampleOptions): Float64Array {
  const owner = "sample";
  requireScheduler(owner, "scheduler", scheduler);
  const o = requireOptions(owner, options, ["numUpdates", "from", "to", "out"]);
  const n = integer(
    owner,
    "numUpdates",
    o.numUpdates,
    "a positive integer",
    (x) => x > 0 && x <= Number.MAX_SAFE_INTEGER,
  );
  const { from, to, out } = range(owner, o, n);
  fillRuns(scheduler, n, from, to, out, 0, undefined);
  return out;
}

/** Options of {@linkcode sampleLr}. */
export interface SampleLrOptions {
  /**
   * The first iteration.
   * @default {0}
   */
  from?: number;
  /**
   * One past the last iteration: the default covers the `maxIter` iterations of training.
   * @default {scheduler.maxIter}
   */
  to?: number;
  /**
   * The parameter group whose learning rate is sampled.
   * @default {0}
   */
  group?: number;
  /** Where to write the values (`out[0]` is iteration `from`); at least `to − from` long. */
  out?: Float64Array;
}

/**
 * The learning rate that an {@linkcode LRMultiplier} (e.g. from {@linkcode buildLrScheduler})
 * gives one parameter group at each iteration `i` in `[from, to)`: the value detectron2's
 * trainer trains iteration `i` with, which `step()` writes when `lastEpoch` becomes `i`.
 *
 * ```text
 * out[i − from] = baseLrs[group] · multiplier.at(i / maxIter)
 * ```
 *
 * Bit-identical to stepping the scheduler (see {@linkcode sample} for how); pure: the scheduler
 * and its optimizer are not touched. Uses the scheduler's current `baseLrs`.
 *
 * @param scheduler An {@linkcode LRMultiplier}.
 * @param options `{ from?, to?, group?, out? }`.
 * @returns `out` (or a new array of `to − from` learning rates).
 * @throws {TypeError} If `scheduler` is not an `LRMultiplier` (or overrides `getLr`, so that its
 * steps are not the multiplier's values), or an option has the wrong type.
 * @throws {RangeError} If `group` is not an index of `baseLrs`, or the range or `out` is invalid.
 * @throws Whatever the multiplier throws, at the first iteration where it throws.
 *
 * @example The learning-rate curve of a detectron2 config, without stepping
 * ```ts
 * import { buildLrScheduler, getCfg, sampleLr } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const cfg = getCfg();
 * cfg.SOLVER.BASE_LR = 0.02;
 * const optimizer = { paramGroups: [{ lr: cfg.SOLVER.BASE_LR }] };
 * const scheduler = buildLrScheduler(cfg, optimizer);
 * const lrs = sampleLr(scheduler); // 40,000 values
 * for (let iter = 0; iter < cfg.SOLVER.MAX_ITER; iter++) {
 *   assert.equal(lrs[iter], optimizer.paramGroups[0]!.lr);
 *   scheduler.step();
 * }
 * ```
 */
export function sampleLr(scheduler: LRScheduler, options: SampleLrOptions = {}): Float64Array {
  const owner = "sampleLr";
  if (!(scheduler instanceof LRMultiplier)) {
    throw new TypeError(
      `${owner}: \`scheduler\` must be an LRMultiplier (other LRSchedulers must be stepped): got ${
        show(scheduler)
      }`,
    );
  }
  if (scheduler.getLr !== LRMultiplier.prototype.getLr) {
    throw new TypeError(`${owner}: \`scheduler\` overrides getLr(); step it instead`);
  }
  const o = requireOptions(owner, options, ["from", "to", "group", "out"]);
  const baseLrs = scheduler.baseLrs;
  const group = integer(
    owner,
    "group",
    o.group ?? 0,
    `an index of baseLrs (0 to ${baseLrs.length - 1})`,
    (x) => x >= 0 && x < baseLrs.length,
  );
  const { from, to, out } = range(owner, o, scheduler.maxIter);
  fillRuns(scheduler.multiplier, scheduler.maxIter, from, to, out, 0, baseLrs[group]!);
  return out;
}
