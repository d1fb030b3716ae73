/**
 * {@linkcode sampleLr}: the learning-rate curve of an {@linkcode LRMultiplier} without stepping it,
 * on the fast path of `sample()`.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { sample } from "../fast/sample.ts";
import { finite, integer, iterationRange, requireOptions, show } from "../_internal/validate.ts";
import type { LRScheduler } from "../torch/optim/lr_scheduler.ts";
import { LRMultiplier } from "./lr_scheduler.ts";

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
    throw optionError(
      TypeError,
      owner,
      "scheduler",
      scheduler,
      `\`scheduler\` must be an LRMultiplier (other LRSchedulers must be stepped): got ${
        show(scheduler)
      }`,
    );
  }
  if (scheduler.getLr !== LRMultiplier.prototype.getLr) {
    throw optionError(
      TypeError,
      owner,
      "scheduler",
      scheduler,
      `\`scheduler\` overrides getLr(); step it instead`,
    );
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
  const { from, to, out } = iterationRange(owner, o, scheduler.maxIter);
  const scale = finite(owner, `baseLrs[${group}]`, baseLrs[group]);
  return sample(scheduler.multiplier, { numUpdates: scheduler.maxIter, from, to, out, scale });
}
