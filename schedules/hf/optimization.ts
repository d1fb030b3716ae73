/**
 * Port of Hugging Face transformers' `src/transformers/optimization.py` (transformers 5.17.0):
 * every `get_*_schedule*` function, `get_scheduler` and `GreedyLR`, on lrspec's torch-style
 * schedulers.
 *
 * Upstream's schedules are torch `LambdaLR`s whose lambdas compute a factor of the step; lrspec
 * builds the same {@linkcode LambdaLR} with the same lambda, operation for operation (Python's
 * `float()` conversions, `max(1, W)`, `math.cos(math.pi * …)` through lrspec's libm seam,
 * Python's `**` and `%`), so every learning rate is bit-identical to upstream's wherever the
 * arithmetic is plain IEEE (and differs only by the runtime's `cos`/`pow` elsewhere: see the
 * README's conformance table). Line numbers below are those of `optimization.py` in the
 * transformers 5.17.0 release.
 *
 * Options are upstream's keyword arguments in camelCase (`num_warmup_steps` →
 * `numWarmupSteps`); `None` is `null` (or the option left out). Deliberate differences, all of
 * them earlier and clearer errors: step counts must be integers >= 0 (upstream takes any
 * number); every option is validated at construction; an error upstream raises while stepping
 * (a division by zero, `math.sqrt` of a negative number) is a `RangeError` at that step.
 * `get_scheduler`'s layer-wise path (`LayerWiseDummyOptimizer`) is not ported.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { floatMod, floatPow, formatExp4, pyMax, pyMin, trueDiv } from "../_internal/python.ts";
import { boolean, finite, integer, oneOf, requireOptions, show } from "../_internal/validate.ts";
import { requireOptimizer } from "../_internal/optimizer.ts";
import { checkStateGroups, checkStateValues } from "../_internal/state.ts";
import { libm } from "../math.ts";
import type { Optimizer, StateDict } from "../optimizer.ts";
import { LambdaLR, type LrLambda } from "../torch/optim/lr_scheduler.ts";
import {
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
} from "../torch/optim/lr_scheduler_plateau.ts";
import { type SchedulerType, schedulerType } from "./trainer_utils.ts";

const UPSTREAM = "transformers";

// ---------------------------------------------------------------------------------------------
// Shared option checks
// ---------------------------------------------------------------------------------------------

/** Options every `LambdaLR`-based schedule accepts. */
export interface ScheduleOptions {
  /** The optimizer whose parameter groups are scheduled. */
  optimizer: Optimizer;
  /**
   * The index of the last step when resuming (torch's `last_epoch`); `-1` starts afresh.
   * @default {-1}
   */
  lastEpoch?: number;
}

/** Options of the schedules with a linear warmup. */
export interface WarmupScheduleOptions extends ScheduleOptions {
  /** The number of warmup steps: an integer >= 0. */
  numWarmupSteps: number;
}

/** Options of the schedules with a warmup and a known length. */
export interface WarmupTrainingScheduleOptions extends WarmupScheduleOptions {
  /** The total number of training steps: an integer >= 0. */
  numTrainingSteps: number;
}

function steps(owner: string, name: string, value: unknown): number {
  return integer(owner, name, value, "an integer >= 0", (x) => x >= 0);
}

function optionalNumber(owner: string, name: string, value: unknown): number | null {
  return value === undefined || value === null ? null : finite(owner, name, value);
}

/** `optimizer.defaults["lr"]`, which some upstream schedules read instead of the groups' lr. */
function defaultsLr(owner: string, optimizer: Optimizer): number {
  const lr = optimizer.defaults?.lr;
  if (lr === undefined) {
    throw optionError(
      TypeError,
      owner,
      "optimizer.defaults.lr",
      lr,
      `\`optimizer.defaults.lr\` is required: transformers reads ` +
        `optimizer.defaults["lr"] (the lr the torch optimizer was built with, not a group's); ` +
        `set \`defaults: { lr }\` on the optimizer`,
    );
  }
  return finite(owner, "optimizer.defaults.lr", lr);
}

function lambdaLR(optimizer: Optimizer, lrLambda: LrLambda, lastEpoch: number | undefined) {
  return new LambdaLR({ optimizer, lrLambda, ...(lastEpoch === undefined ? {} : { lastEpoch }) });
}

/** The linear warmup every lambda starts with: `float(current_step) / float(max(1, W))`. */
function warmup(currentStep: number, numWarmupSteps: number): number {
  return currentStep / pyMax(1, numWarmupSteps);
}

// ---------------------------------------------------------------------------------------------
// constant, reduce_lr_on_plateau, constant_with_warmup, linear
// ---------------------------------------------------------------------------------------------

/**
 * A constant learning rate: each group's own. Port of transformers'
 * `get_constant_schedule` (`optimization.py` line 39).
 *
 * ```text
 * lr_g(step) = initialLr_g · 1
 * ```
 *
 * @example
 * ```ts
 * import { getConstantSchedule } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 5e-5 }] };
 * const scheduler = getConstantSchedule({ optimizer });
 * scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 5e-5);
 * ```
 *
 * @param options `{ optimizer, lastEpoch? }`.
 * @returns A {@linkcode LambdaLR}, after its initial step.
 * @throws {TypeError} If an option is unknown or the optimizer is malformed.
 */
export function getConstantSchedule(options: ScheduleOptions): LambdaLR {
  const o = requireOptions("getConstantSchedule", options, ["optimizer", "lastEpoch"]);
  return lambdaLR(o.optimizer, () => 1, o.lastEpoch);
}

/**
 * torch's `ReduceLROnPlateau` with the given options. Port of transformers'
 * `get_reduce_on_plateau_schedule` (`optimization.py` line 56): `ReduceLROnPlateau(optimizer,
 * **kwargs)`.
 *
 * ```text
 * after `patience` steps without improvement of the metric: lr_g ← max(lr_g · factor, minLr_g)
 * ```
 *
 * @example
 * ```ts
 * import { getReduceOnPlateauSchedule } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = getReduceOnPlateauSchedule({ optimizer, patience: 0 });
 * scheduler.step(1.0);
 * scheduler.step(1.0); // no improvement
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1 * 0.1);
 * ```
 *
 * @param options {@linkcode ReduceLROnPlateauOptions}.
 * @returns A {@linkcode ReduceLROnPlateau}.
 * @throws {TypeError} If an option is unknown or has the wrong type.
 * @throws {RangeError} Where torch raises `ValueError` (see {@linkcode ReduceLROnPlateau}).
 */
export function getReduceOnPlateauSchedule(options: ReduceLROnPlateauOptions): ReduceLROnPlateau {
  return new ReduceLROnPlateau(options);
}

/**
 * A constant learning rate after a linear warmup from 0. Port of transformers'
 * `get_constant_schedule_with_warmup` and its lambda (`optimization.py` lines 74–98).
 *
 * ```text
 * factor(s) = s / max(1.0, W)   s < W
 *             1.0               otherwise
 * ```
 *
 * @example
 * ```ts
 * import { getConstantScheduleWithWarmup } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1e-4 }] };
 * const scheduler = getConstantScheduleWithWarmup({ optimizer, numWarmupSteps: 4 });
 * assert.equal(optimizer.paramGroups[0]!.lr, 0);
 * for (let s = 0; s < 4; s++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 1e-4);
 * ```
 *
 * @param options `{ optimizer, numWarmupSteps, lastEpoch? }`.
 * @returns A {@linkcode LambdaLR}, after its initial step.
 * @throws {TypeError} If an option is unknown, missing or of the wrong type.
 * @throws {RangeError} If `numWarmupSteps` is not an integer >= 0.
 */
export function getConstantScheduleWithWarmup(options: WarmupScheduleOptions): LambdaLR {
  const owner = "getConstantScheduleWithWarmup";
  const o = requireOptions(owner, options, ["optimizer", "numWarmupSteps", "lastEpoch"]);
  const w = steps(owner, "numWarmupSteps", o.numWarmupSteps);
  const lrLambda = (s: number) => (s < w ? s / pyMax(1.0, w) : 1.0);
  return lambdaLR(o.optimizer, lrLambda, o.lastEpoch);
}

/**
 * A linear warmup from 0, then a linear decay to 0 at `numTrainingSteps` (and 0 after). Port of
 * transformers' `get_linear_schedule_with_warmup` and its lambda (`optimization.py` lines
 * 101–131) — the Trainer's default (`lr_scheduler_type="linear"`).
 *
 * ```text
 * factor(s) = s / max(1, W)                          s < W
 *             max(0.0, (N − s) / max(1, N − W))      otherwise
 * ```
 *
 * @example
 * ```ts
 * import { getLinearScheduleWithWarmup } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = getLinearScheduleWithWarmup({
 *   optimizer,
 *   numWarmupSteps: 2,
 *   numTrainingSteps: 10,
 * });
 * const lrs = [optimizer.paramGroups[0]!.lr];
 * for (let s = 0; s < 10; s++) {
 *   scheduler.step();
 *   lrs.push(optimizer.paramGroups[0]!.lr);
 * }
 * assert.deepEqual(lrs.slice(0, 3), [0, 0.05, 0.1]);
 * assert.equal(lrs[10], 0);
 * ```
 *
 * @param options `{ optimizer, numWarmupSteps, numTrainingSteps, lastEpoch? }`.
 * @returns A {@linkcode LambdaLR}, after its initial step.
 * @throws {TypeError} If an option is unknown, missing or of the wrong type.
 * @throws {RangeError} If a step count is not an integer >= 0.
 */
export function getLinearScheduleWithWarmup(options: WarmupTrainingScheduleOptions): LambdaLR {
  const owner = "getLinearScheduleWithWarmup";
  const o = requireOptions(owner, options, [
    "optimizer",
    "numWarmupSteps",
    "numTrainingSteps",
    "lastEpoch",
  ]);
  const w = steps(owner, "numWarmupSteps", o.numWarmupSteps);
  const n = steps(owner, "numTrainingSteps", o.numTrainingSteps);
  const lrLambda = (s: number) => (s < w ? warmup(s, w) : pyMax(0.0, (n - s) / pyMax(1, n - w)));
  return lambdaLR(o.optimizer, lrLambda, o.lastEpoch);
}

// ---------------------------------------------------------------------------------------------
// cosine, cosine_with_restarts, cosine_with_min_lr
// ---------------------------------------------------------------------------------------------

/** Options of {@linkcode getCosineScheduleWithWarmup}. */
export interface CosineScheduleOptions extends WarmupTrainingScheduleOptions {
  /**
   * The number of cosine waves over the decay; 0.5 decreases from the peak to 0 once.
   * @default {0.5}
   */
  numCycles?: number;
}

/**
 * transformers' `_get_cosine_schedule_with_warmup_lr_lambda` — the *second* definition
 * (`optimization.py` line 326, with `min_lr_rate`), which shadows the first (line 134), so that
 * `cosine` runs it too, with `min_lr_rate = 0.0`.
 */
function cosineLambda(w: number, n: number, numCycles: number, minLrRate: number): LrLambda {
  return (s) => {
    if (s < w) return warmup(s, w);
    const progress = (s - w) / pyMax(1, n - w);
    let factor = 0.5 * (1.0 + libm.cos(Math.PI * numCycles * 2.0 * progress));
    factor = factor * (1 - minLrRate) + minLrRate;
    return pyMax(0, factor);
  };
}

/**
 * A linear warmup from 0, then a cosine decay to 0 at `numTrainingSteps` (with `numCycles` 0.5,
 * the default; more cycles go up and down again). Port of transformers'
 * `get_cosine_schedule_with_warmup` (`optimization.py` line 143).
 *
 * ```text
 * factor(s) = s / max(1, W)                                        s < W
 *             p = (s − W) / max(1, N − W)
 *             max(0, (0.5 · (1 + cos(π · numCycles · 2 · p))) · (1 − 0.0) + 0.0)   otherwise
 * ```
 *
 * The lambda is upstream's second `_get_cosine_schedule_with_warmup_lr_lambda` (line 326),
 * which shadows the first (line 134) and applies a `min_lr_rate` of 0.0: the same values.
 *
 * @example Cosine to 0 over 100 steps after 10 warmup steps
 * ```ts
 * import { getCosineScheduleWithWarmup } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const scheduler = getCosineScheduleWithWarmup({
 *   optimizer,
 *   numWarmupSteps: 10,
 *   numTrainingSteps: 110,
 * });
 * for (let s = 0; s < 60; s++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * 0.5)));
 * ```
 *
 * @param options {@linkcode CosineScheduleOptions}.
 * @returns A {@linkcode LambdaLR}, after its initial step.
 * @throws {TypeError} If an option is unknown, missing or of the wrong type.
 * @throws {RangeError} If a step count is not an integer >= 0 or `numCycles` is not finite.
 */
export function getCosineScheduleWithWarmup(options: CosineScheduleOptions): LambdaLR {
  const owner = "getCosineScheduleWithWarmup";
  const o = requireOptions(owner, options, [
    "optimizer",
    "numWarmupSteps",
    "numTrainingSteps",
    "numCycles",
    "lastEpoch",
  ]);
  const w = steps(owner, "numWarmupSteps", o.numWarmupSteps);
  const n = steps(owner, "numTrainingSteps", o.numTrainingSteps);
  const numCycles = finite(owner, "numCycles", o.numCycles ?? 0.5);
  return lambdaLR(o.optimizer, cosineLambda(w, n, numCycles, 0.0), o.lastEpoch);
}

/**
 * A linear warmup from 0, then `numCycles` cosine decays from the peak to 0, each restarting
 * at the peak ("hard restarts"); 0 from `numTrainingSteps` on. Port of transformers'
 * `get_cosine_with_hard_restarts_schedule_with_warmup` and its lambda (`optimization.py` lines
 * 177–218).
 *
 * ```text
 * factor(s) = s / max(1, W)                                   s < W
 *             p = (s − W) / max(1, N − W)
 *             0.0                                             p >= 1
 *             max(0.0, 0.5 · (1 + cos(π · ((numCycles · p) % 1.0))))   otherwise
 * ```
 *
 * `%` is Python's (the sign of the divisor).
 *
 * @example Two restarts
 * ```ts
 * import { getCosineWithHardRestartsScheduleWithWarmup } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const scheduler = getCosineWithHardRestartsScheduleWithWarmup({
 *   optimizer,
 *   numWarmupSteps: 0,
 *   numTrainingSteps: 10,
 *   numCycles: 2,
 * });
 * for (let s = 0; s < 5; s++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 1); // the second cycle starts at the peak
 * ```
 *
 * @param options {@linkcode CosineScheduleOptions}; `numCycles` defaults to 1 here.
 * @returns A {@linkcode LambdaLR}, after its initial step.
 * @throws {TypeError} If an option is unknown, missing or of the wrong type.
 * @throws {RangeError} If a step count is not an integer >= 0 or `numCycles` is not finite.
 */
export function getCosineWithHardRestartsScheduleWithWarmup(
  options: CosineScheduleOptions,
): LambdaLR {
  const owner = "getCosineWithHardRestartsScheduleWithWarmup";
  const o = requireOptions(owner, options, [
    "optimizer",
    "numWarmupSteps",
    "numTrainingSteps",
    "numCycles",
    "lastEpoch",
  ]);
  const w = steps(owner, "numWarmupSteps", o.numWarmupSteps);
  const n = steps(owner, "numTrainingSteps", o.numTrainingSteps);
  const numCycles = finite(owner, "numCycles", o.numCycles ?? 1);
  const lrLambda: LrLambda = (s) => {
    if (s < w) return warmup(s, w);
    const progress = (s - w) / pyMax(1, n - w);
    if (progress >= 1.0) return 0.0;
    const phase = floatMod(owner, numCycles * progress, 1.0, UPSTREAM);
    return pyMax(0.0, 0.5 * (1.0 + libm.cos(Math.PI * phase)));
  };
  return lambdaLR(o.optimizer, lrLambda, o.lastEpoch);
}

/** Options of the schedules that decay to a minimum learning rate. */
export interface CosineWithMinLrScheduleOptions extends CosineScheduleOptions {
  /**
   * The learning rate to end at, in absolute terms: `minLrRate = minLr / optimizer.defaults.lr`.
   * Give `minLr` or `minLrRate`, not both.
   * @default {null}
   */
  minLr?: number | null;
  /**
   * The learning rate to end at, as a fraction of each group's initial learning rate.
   * @default {null}
   */
  minLrRate?: number | null;
}

/** transformers' `min_lr` / `min_lr_rate` resolution (lines 372–377 and 452–457). */
function minLrRateOf(
  owner: string,
  optimizer: Optimizer,
  minLr: number | null,
  minLrRate: number | null,
): number {
  if (minLr !== null && minLrRate !== null) {
    throw optionError(
      RangeError,
      owner,
      "minLrRate",
      minLrRate,
      `Only one of min_lr or min_lr_rate should be set (transformers raises ValueError)`,
    );
  }
  if (minLr !== null) return trueDiv(owner, minLr, defaultsLr(owner, optimizer), UPSTREAM);
  if (minLrRate === null) {
    throw optionError(
      TypeError,
      owner,
      "minLrRate",
      minLrRate,
      `One of min_lr or min_lr_rate should be set through the \`lr_scheduler_kwargs\` ` +
        `(\`minLr\` or \`minLrRate\`; transformers raises ValueError)`,
    );
  }
  return minLrRate;
}

/**
 * A linear warmup from 0, then a cosine decay to a minimum learning rate. Port of
 * transformers' `get_cosine_with_min_lr_schedule_with_warmup` (`optimization.py` line 337),
 * with the lambda of {@linkcode getCosineScheduleWithWarmup} (line 326).
 *
 * ```text
 * minLrRate = minLr / optimizer.defaults.lr     when minLr is given
 * factor(s) = s / max(1, W)                                        s < W
 *             p = (s − W) / max(1, N − W)
 *             max(0, (0.5 · (1 + cos(π · numCycles · 2 · p))) · (1 − minLrRate) + minLrRate)
 * ```
 *
 * `minLr` is divided by `optimizer.defaults.lr` (torch's `optimizer.defaults["lr"]`, the lr
 * the optimizer was built with), not by each group's: a group with another learning rate ends
 * at `minLr · lr_g / defaults.lr`.
 *
 * @example Cosine to 10 % of the peak
 * ```ts
 * import { getCosineWithMinLrScheduleWithWarmup } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const scheduler = getCosineWithMinLrScheduleWithWarmup({
 *   optimizer,
 *   numWarmupSteps: 0,
 *   numTrainingSteps: 10,
 *   minLrRate: 0.1,
 * });
 * for (let s = 0; s < 10; s++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
 * ```
 *
 * @param options {@linkcode CosineWithMinLrScheduleOptions}.
 * @returns A {@linkcode LambdaLR}, after its initial step.
 * @throws {TypeError} If an option is unknown or of the wrong type, neither `minLr` nor
 * `minLrRate` is given (transformers `ValueError`), or `minLr` is given without
 * `optimizer.defaults.lr`.
 * @throws {RangeError} If both are given (transformers `ValueError`), `optimizer.defaults.lr`
 * is 0 (`ZeroDivisionError`), or a step count is not an integer >= 0.
 */
export function getCosineWithMinLrScheduleWithWarmup(
  options: CosineWithMinLrScheduleOptions,
): LambdaLR {
  const owner = "getCosineWithMinLrScheduleWithWarmup";
  const o = requireOptions(owner, options, [
    "optimizer",
    "numWarmupSteps",
    "numTrainingSteps",
    "numCycles",
    "lastEpoch",
    "minLr",
    "minLrRate",
  ]);
  const w = steps(owner, "numWarmupSteps", o.numWarmupSteps);
  const n = steps(owner, "numTrainingSteps", o.numTrainingSteps);
  const numCycles = finite(owner, "numCycles", o.numCycles ?? 0.5);
  const optimizer = requireOptimizer(owner, o.optimizer);
  const minLrRate = minLrRateOf(
    owner,
    optimizer,
    optionalNumber(owner, "minLr", o.minLr),
    optionalNumber(owner, "minLrRate", o.minLrRate),
  );
  return lambdaLR(optimizer, cosineLambda(w, n, numCycles, minLrRate), o.lastEpoch);
}

/** Options of {@linkcode getCosineWithMinLrScheduleWithWarmupLrRate}. */
export interface CosineWithMinLrLrRateScheduleOptions extends CosineWithMinLrScheduleOptions {
  /**
   * The warmup's first factor, rising linearly to 1 at step `W − 1`. Without it the warmup is
   * `(s + 1) / W`.
   * @default {null}
   */
  warmupLrRate?: number | null;
}

/**
 * The `cosine_warmup_with_min_lr` schedule: like
 * {@linkcode getCosineWithMinLrScheduleWithWarmup}, but one step ahead — the warmup reaches the
 * peak at step `W − 1`, not `W`, and the cosine starts one step into its decay. Port of
 * transformers' `get_cosine_with_min_lr_schedule_with_warmup_lr_rate` and its lambda
 * (`optimization.py` lines 389–467).
 *
 * ```text
 * (s, W, N as floats)
 * factor(s) = (s + 1.0) / max(1.0, W)                               s < W, no warmupLrRate
 *             r + ((1.0 − r) · s) / max(1, W − 1)                   s < W, r = warmupLrRate
 *             p = (s − W + 1.0) / max(1.0, N − W)
 *             max(0, (0.5 · (1 + cos(π · numCycles · 2 · p))) · (1 − minLrRate) + minLrRate)
 * ```
 *
 * @example The shift: the peak is reached at step W − 1
 * ```ts
 * import { getCosineWithMinLrScheduleWithWarmupLrRate } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const scheduler = getCosineWithMinLrScheduleWithWarmupLrRate({
 *   optimizer,
 *   numWarmupSteps: 4,
 *   numTrainingSteps: 10,
 *   minLrRate: 0,
 * });
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.25); // (0 + 1) / 4
 * for (let s = 0; s < 3; s++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 1);
 * ```
 *
 * @param options {@linkcode CosineWithMinLrLrRateScheduleOptions}.
 * @returns A {@linkcode LambdaLR}, after its initial step.
 * @throws {TypeError} As {@linkcode getCosineWithMinLrScheduleWithWarmup}.
 * @throws {RangeError} As {@linkcode getCosineWithMinLrScheduleWithWarmup}.
 */
export function getCosineWithMinLrScheduleWithWarmupLrRate(
  options: CosineWithMinLrLrRateScheduleOptions,
): LambdaLR {
  const owner = "getCosineWithMinLrScheduleWithWarmupLrRate";
  const o = requireOptions(owner, options, [
    "optimizer",
    "numWarmupSteps",
    "numTrainingSteps",
    "numCycles",
    "lastEpoch",
    "minLr",
    "minLrRate",
    "warmupLrRate",
  ]);
  const w = steps(owner, "numWarmupSteps", o.numWarmupSteps);
  const n = steps(owner, "numTrainingSteps", o.numTrainingSteps);
  const numCycles = finite(owner, "numCycles", o.numCycles ?? 0.5);
  const optimizer = requireOptimizer(owner, o.optimizer);
  const minLrRate = minLrRateOf(
    owner,
    optimizer,
    optionalNumber(owner, "minLr", o.minLr),
    optionalNumber(owner, "minLrRate", o.minLrRate),
  );
  const warmupLrRate = optionalNumber(owner, "warmupLrRate", o.warmupLrRate);
  const lrLambda: LrLambda = (s) => {
    if (s < w) {
      if (warmupLrRate === null) return (s + 1.0) / pyMax(1.0, w);
      return warmupLrRate + (1.0 - warmupLrRate) * s / pyMax(1, w - 1);
    }
    const progress = (s - w + 1.0) / pyMax(1.0, n - w);
    let factor = 0.5 * (1.0 + libm.cos(Math.PI * numCycles * 2.0 * progress));
    factor = factor * (1 - minLrRate) + minLrRate;
    return pyMax(0, factor);
  };
  return lambdaLR(optimizer, lrLambda, o.lastEpoch);
}

// ---------------------------------------------------------------------------------------------
// polynomial, inverse_sqrt
// ---------------------------------------------------------------------------------------------

/** Options of {@linkcode getPolynomialDecayScheduleWithWarmup}. */
export interface PolynomialDecayScheduleOptions extends WarmupTrainingScheduleOptions {
  /**
   * The learning rate reached at `numTrainingSteps` (and kept after), for a group whose initial
   * learning rate is `optimizer.defaults.lr`.
   * @default {1e-7}
   */
  lrEnd?: number;
  /**
   * The power of the decay (1: linear).
   * @default {1.0}
   */
  power?: number;
}

/**
 * A linear warmup from 0, then a polynomial decay to `lrEnd` at `numTrainingSteps`, `lrEnd`
 * after. Port of transformers' `get_polynomial_decay_schedule_with_warmup` and its lambda
 * (`optimization.py` lines 221–285).
 *
 * ```text
 * lrInit = optimizer.defaults.lr            (must be > lrEnd)
 * factor(s) = s / max(1, W)                                          s < W
 *             lrEnd / lrInit                                         s > N
 *             ((lrInit − lrEnd) · (1 − (s − W) / (N − W)) ** power + lrEnd) / lrInit
 * ```
 *
 * The factor is computed from `optimizer.defaults.lr` (torch's `optimizer.defaults["lr"]`) and
 * multiplies every group's initial learning rate: a group with another learning rate decays to
 * `lrEnd · lr_g / lrInit`, as upstream.
 *
 * @example BERT's linear decay to 1e-7
 * ```ts
 * import { getPolynomialDecayScheduleWithWarmup } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1e-4 }], defaults: { lr: 1e-4 } };
 * const scheduler = getPolynomialDecayScheduleWithWarmup({
 *   optimizer,
 *   numWarmupSteps: 0,
 *   numTrainingSteps: 10,
 * });
 * for (let s = 0; s < 11; s++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 1e-4 * (1e-7 / 1e-4));
 * ```
 *
 * @param options {@linkcode PolynomialDecayScheduleOptions}.
 * @returns A {@linkcode LambdaLR}, after its initial step.
 * @throws {TypeError} If an option is unknown or of the wrong type, or
 * `optimizer.defaults.lr` is missing (transformers reads it; torch optimizers always have it).
 * @throws {RangeError} If `lrEnd >= optimizer.defaults.lr` (transformers `ValueError`), or a
 * step count is not an integer >= 0; while stepping, at step `N` when `W == N` (Python's
 * `ZeroDivisionError`).
 */
export function getPolynomialDecayScheduleWithWarmup(
  options: PolynomialDecayScheduleOptions,
): LambdaLR {
  const owner = "getPolynomialDecayScheduleWithWarmup";
  const o = requireOptions(owner, options, [
    "optimizer",
    "numWarmupSteps",
    "numTrainingSteps",
    "lrEnd",
    "power",
    "lastEpoch",
  ]);
  const w = steps(owner, "numWarmupSteps", o.numWarmupSteps);
  const n = steps(owner, "numTrainingSteps", o.numTrainingSteps);
  const lrEnd = finite(owner, "lrEnd", o.lrEnd ?? 1e-7);
  const power = finite(owner, "power", o.power ?? 1.0);
  const optimizer = requireOptimizer(owner, o.optimizer);
  const lrInit = defaultsLr(owner, optimizer);
  if (!(lrInit > lrEnd)) {
    throw optionError(
      RangeError,
      owner,
      "lrEnd",
      lrEnd,
      `lr_end (${lrEnd}) must be smaller than initial lr (${lrInit}) ` +
        `(transformers raises ValueError)`,
    );
  }
  const lrLambda: LrLambda = (s) => {
    if (s < w) return warmup(s, w);
    if (s > n) return trueDiv(owner, lrEnd, lrInit, UPSTREAM);
    const lrRange = lrInit - lrEnd;
    const decaySteps = n - w;
    if (decaySteps === 0) {
      throw optionError(
        RangeError,
        owner,
        "numWarmupSteps",
        w,
        `division by zero at step ${s}: numTrainingSteps == numWarmupSteps ` +
          `(transformers raises ZeroDivisionError)`,
      );
    }
    const pctRemaining = 1 - (s - w) / decaySteps;
    const decay = lrRange * floatPow(owner, pctRemaining, power, UPSTREAM) + lrEnd;
    return trueDiv(owner, decay, lrInit, UPSTREAM);
  };
  return lambdaLR(optimizer, lrLambda, o.lastEpoch);
}

/** Options of {@linkcode getInverseSqrtSchedule}. */
export interface InverseSqrtScheduleOptions extends WarmupScheduleOptions {
  /**
   * The time scale of the decay; `null` means `numWarmupSteps`, or 10,000 when that is 0.
   * @default {null}
   */
  timescale?: number | null;
}

/**
 * A linear warmup from 0, then a decay as the inverse square root of the step. Port of
 * transformers' `get_inverse_sqrt_schedule` and its lambda (`optimization.py` lines 288–323;
 * adapted upstream from big_vision).
 *
 * ```text
 * T = timescale ?? (W || 10000)
 * factor(s) = s / max(1, W)                            s < W
 *             1.0 / sqrt((s + (T − W)) / T)            otherwise
 * ```
 *
 * @example Halving by step 4·T
 * ```ts
 * import { getInverseSqrtSchedule } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const scheduler = getInverseSqrtSchedule({ optimizer, numWarmupSteps: 10 });
 * for (let s = 0; s < 40; s++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.5); // 1 / sqrt(40 / 10)
 * ```
 *
 * @param options {@linkcode InverseSqrtScheduleOptions}.
 * @returns A {@linkcode LambdaLR}, after its initial step.
 * @throws {TypeError} If an option is unknown, missing or of the wrong type.
 * @throws {RangeError} If `numWarmupSteps` is not an integer >= 0 or `timescale` is not
 * finite; while stepping, where Python raises: a zero `timescale` (`ZeroDivisionError`), a
 * negative square root (`ValueError: math domain error`), `1.0 / 0.0`.
 */
export function getInverseSqrtSchedule(options: InverseSqrtScheduleOptions): LambdaLR {
  const owner = "getInverseSqrtSchedule";
  const o = requireOptions(owner, options, [
    "optimizer",
    "numWarmupSteps",
    "timescale",
    "lastEpoch",
  ]);
  const w = steps(owner, "numWarmupSteps", o.numWarmupSteps);
  const timescale = optionalNumber(owner, "timescale", o.timescale) ?? (w || 10_000);
  const lrLambda: LrLambda = (s) => {
    if (s < w) return warmup(s, w);
    const shift = timescale - w;
    const x = trueDiv(owner, s + shift, timescale, UPSTREAM);
    if (x < 0) {
      throw optionError(
        RangeError,
        owner,
        "timescale",
        timescale,
        `math domain error: sqrt(${x}) at step ${s} (transformers raises ValueError)`,
      );
    }
    return trueDiv(owner, 1.0, libm.sqrt(x), UPSTREAM);
  };
  return lambdaLR(o.optimizer, lrLambda, o.lastEpoch);
}

// ---------------------------------------------------------------------------------------------
// warmup_stable_decay
// ---------------------------------------------------------------------------------------------

/** The shapes of the warmup and decay of {@linkcode getWsdSchedule}. */
export type WsdShape = "linear" | "cosine" | "1-sqrt";

const WSD_SHAPES: readonly WsdShape[] = ["linear", "cosine", "1-sqrt"];

/** Options of {@linkcode getWsdSchedule}. */
export interface WsdScheduleOptions extends WarmupScheduleOptions {
  /** The number of decay steps: an integer >= 0. */
  numDecaySteps: number;
  /**
   * The total number of steps, from which the stable phase is derived when `numStableSteps` is
   * not given: `N − W − numDecaySteps`. One of the two is required.
   * @default {null}
   */
  numTrainingSteps?: number | null;
  /**
   * The number of steps at the peak; wins over `numTrainingSteps` when both are given.
   * @default {null}
   */
  numStableSteps?: number | null;
  /**
   * The warmup's shape, from `minLrRatio` to 1.
   * @default {"linear"}
   */
  warmupType?: WsdShape;
  /**
   * The decay's shape, from 1 to `minLrRatio`.
   * @default {"cosine"}
   */
  decayType?: WsdShape;
  /**
   * Where the warmup starts and the decay ends, as a fraction of the peak (the value after the
   * decay, too).
   * @default {0}
   */
  minLrRatio?: number;
  /**
   * The number of cosine waves of a `"cosine"` decay.
   * @default {0.5}
   */
  numCycles?: number;
}

/**
 * Warmup, stable, decay ("WSD"): a warmup from `minLrRatio` to the peak, the peak for
 * `numStableSteps`, a decay back to `minLrRatio` over `numDecaySteps`, then `minLrRatio`. Port
 * of transformers' `get_wsd_schedule` and its lambda (`optimization.py` lines 470–578).
 *
 * ```text
 * S = numStableSteps ?? N − W − D      (may be negative, as upstream)
 * s < W:           p = s / max(1, W)
 *                  linear: f = p;  cosine: f = 0.5 · (1 − cos(π · p));  1-sqrt: f = 1 − sqrt(1 − p)
 *                  max(0.0, f · (1 − minLrRatio) + minLrRatio)
 * s < W + S:       1.0
 * s < W + S + D:   p = (s − W − S) / max(1, D)
 *                  linear: f = 1 − p;  cosine: f = 0.5 · (1 + cos(π · numCycles · 2 · p));
 *                  1-sqrt: f = 1 − sqrt(p)
 *                  max(0.0, f · (1 − minLrRatio) + minLrRatio)
 * otherwise:       minLrRatio
 * ```
 *
 * Upstream warns when both `numTrainingSteps` and `numStableSteps` are given (the latter is
 * used); lrspec uses it silently.
 *
 * @example 10 warmup, 70 stable and 20 decay steps
 * ```ts
 * import { getWsdSchedule } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const scheduler = getWsdSchedule({
 *   optimizer,
 *   numWarmupSteps: 10,
 *   numDecaySteps: 20,
 *   numTrainingSteps: 100,
 *   minLrRatio: 0.1,
 * });
 * for (let s = 0; s < 50; s++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 1);
 * for (let s = 50; s < 100; s++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
 * ```
 *
 * @param options {@linkcode WsdScheduleOptions}.
 * @returns A {@linkcode LambdaLR}, after its initial step.
 * @throws {TypeError} If an option is unknown or of the wrong type, or neither
 * `numTrainingSteps` nor `numStableSteps` is given (transformers `ValueError`).
 * @throws {RangeError} If `warmupType` or `decayType` is unknown (transformers `ValueError`),
 * or a step count is not an integer (>= 0, except `numStableSteps`).
 */
export function getWsdSchedule(options: WsdScheduleOptions): LambdaLR {
  const owner = "getWsdSchedule";
  const o = requireOptions(owner, options, [
    "optimizer",
    "numWarmupSteps",
    "numDecaySteps",
    "numTrainingSteps",
    "numStableSteps",
    "warmupType",
    "decayType",
    "minLrRatio",
    "numCycles",
    "lastEpoch",
  ]);
  const w = steps(owner, "numWarmupSteps", o.numWarmupSteps);
  if (o.numDecaySteps === undefined) {
    throw optionError(
      TypeError,
      owner,
      "numDecaySteps",
      o.numDecaySteps,
      `missing required option \`numDecaySteps\` ` +
        `(transformers raises TypeError: missing 1 required positional argument: 'num_decay_steps')`,
    );
  }
  const d = steps(owner, "numDecaySteps", o.numDecaySteps);
  const n = o.numTrainingSteps == null
    ? null
    : steps(owner, "numTrainingSteps", o.numTrainingSteps);
  const given = o.numStableSteps == null
    ? null
    : integer(owner, "numStableSteps", o.numStableSteps);
  if (n === null && given === null) {
    throw optionError(
      TypeError,
      owner,
      "numTrainingSteps",
      o.numTrainingSteps,
      `Either num_training_steps or num_stable_steps must be specified ` +
        `(\`numTrainingSteps\` or \`numStableSteps\`; transformers raises ValueError)`,
    );
  }
  const warmupType = oneOf(
    owner,
    "warmupType",
    o.warmupType ?? "linear",
    WSD_SHAPES,
    ` (transformers: Unknown warmup type, expected 'linear', 'cosine' or '1-sqrt')`,
  );
  const decayType = oneOf(
    owner,
    "decayType",
    o.decayType ?? "cosine",
    WSD_SHAPES,
    ` (transformers: Unknown decay type, expected 'linear', 'cosine' or '1-sqrt')`,
  );
  const stable = given ?? n! - w - d;
  const minLrRatio = finite(owner, "minLrRatio", o.minLrRatio ?? 0);
  const numCycles = finite(owner, "numCycles", o.numCycles ?? 0.5);
  const lrLambda: LrLambda = (s) => {
    if (s < w) {
      const progress = s / pyMax(1, w);
      let factor = warmupType === "linear"
        ? progress
        : warmupType === "cosine"
        ? 0.5 * (1.0 - libm.cos(Math.PI * progress))
        : 1.0 - libm.sqrt(1.0 - progress);
      factor = factor * (1.0 - minLrRatio) + minLrRatio;
      return pyMax(0.0, factor);
    }
    if (s < w + stable) return 1.0;
    if (s < w + stable + d) {
      const progress = (s - w - stable) / pyMax(1, d);
      let factor = decayType === "linear"
        ? 1.0 - progress
        : decayType === "cosine"
        ? 0.5 * (1.0 + libm.cos(Math.PI * numCycles * 2.0 * progress))
        : 1.0 - libm.sqrt(progress);
      factor = factor * (1.0 - minLrRatio) + minLrRatio;
      return pyMax(0.0, factor);
    }
    return minLrRatio;
  };
  return lambdaLR(o.optimizer, lrLambda, o.lastEpoch);
}

// ---------------------------------------------------------------------------------------------
// greedy
// ---------------------------------------------------------------------------------------------

/**
 * A rolling average over the last `windowSize` values, kept as a running sum. Port of
 * transformers' `StreamingAverage` (`optimization.py` line 581), which {@linkcode GreedyLR}
 * uses to smooth its metric.
 *
 * ```text
 * streamavg(v): values.push(v); sum += v
 *               if values.length > windowSize: sum −= values.shift()
 *               return sum / values.length
 * ```
 *
 * @example
 * ```ts
 * import { StreamingAverage } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const avg = new StreamingAverage(2);
 * avg.streamavg(1);
 * avg.streamavg(2);
 * assert.equal(avg.streamavg(6), 4); // (2 + 6) / 2
 * ```
 */
export class StreamingAverage {
  /** The number of values kept. */
  windowSize: number;
  /** The values in the window, oldest first. */
  values: number[];
  /** Their running sum (added and subtracted as they come and go, as upstream). */
  sum: number;

  /**
   * Creates an empty window.
   * @param windowSize The number of values kept.
   * @throws {RangeError} If `windowSize` is not an integer >= 0.
   */
  constructor(windowSize: number) {
    this.windowSize = integer(
      "StreamingAverage",
      "windowSize",
      windowSize,
      "an integer >= 0",
      (x) => x >= 0,
    );
    this.values = [];
    this.sum = 0.0;
  }

  /**
   * Adds a value and returns the average of the window.
   * @param value The new value.
   * @returns `sum / values.length`.
   * @throws {RangeError} With a window of 0 (Python's `ZeroDivisionError`).
   */
  streamavg(value: number): number {
    this.values.push(value);
    this.sum += value;
    if (this.values.length > this.windowSize) {
      const removed = this.values.shift()!;
      this.sum -= removed;
    }
    return trueDiv("StreamingAverage", this.sum, this.values.length, UPSTREAM);
  }

  /** The window's state: `{ windowSize, values, sum }` (copies). */
  stateDict(): StateDict {
    return { windowSize: this.windowSize, values: this.values.slice(), sum: this.sum };
  }

  /**
   * Restores a state; missing keys keep their value (upstream's `dict.get(key, default)`).
   * @param state A {@linkcode StreamingAverage.stateDict}.
   */
  loadStateDict(state: StateDict): void {
    this.windowSize = (state.windowSize as number | undefined) ?? this.windowSize;
    this.values = ((state.values as number[] | undefined) ?? []).slice();
    this.sum = (state.sum as number | undefined) ?? 0.0;
  }
}

/** Options of {@linkcode GreedyLR}. */
export interface GreedyLROptions {
  /** The optimizer whose groups' `lr` is adjusted. */
  optimizer: Optimizer;
  /**
   * `"min"`: the metric should decrease; `"max"`: increase.
   * @default {"min"}
   */
  mode?: "min" | "max";
  /**
   * The factor: the rate is multiplied by it on a plateau and divided by it on improvement.
   * Must be < 1.
   * @default {0.95}
   */
  factor?: number;
  /**
   * Steps with (or without) improvement tolerated before the rate is raised (or lowered).
   * @default {10}
   */
  patience?: number;
  /**
   * How much better a metric must be to count as an improvement.
   * @default {1e-6}
   */
  threshold?: number;
  /**
   * `"rel"`: better than `best · (1 ∓ threshold)`; `"abs"`: better than `best ∓ threshold`.
   * @default {"abs"}
   */
  thresholdMode?: "rel" | "abs";
  /**
   * Steps to wait after a reduction.
   * @default {0}
   */
  cooldown?: number;
  /**
   * Steps to wait after an increase.
   * @default {0}
   */
  warmup?: number;
  /**
   * Lower bound of the rate, for every group or one per group.
   * @default {1e-3}
   */
  minLr?: number | readonly number[];
  /**
   * Upper bound of the rate, for every group or one per group.
   * @default {1.0}
   */
  maxLr?: number | readonly number[];
  /**
   * A change smaller than this is skipped.
   * @default {1e-8}
   */
  eps?: number;
  /**
   * Print each change, as upstream's `verbose=True` does.
   * @default {false}
   */
  verbose?: boolean;
  /**
   * Smooth the metric with a {@linkcode StreamingAverage} of `windowSize` values.
   * @default {false}
   */
  smooth?: boolean;
  /**
   * The smoothing window.
   * @default {50}
   */
  windowSize?: number;
  /**
   * Reductions with every group at its minimum before the scheduler resets to its initial
   * state (learning rates included).
   * @default {500}
   */
  resetStart?: number;
}

function perGroup(
  owner: string,
  name: string,
  upstreamName: string,
  value: unknown,
  groups: number,
): number[] {
  if (Array.isArray(value)) {
    if (value.length !== groups) {
      throw optionError(
        RangeError,
        owner,
        name,
        value,
        `expected ${groups} ${upstreamName}s, got ${value.length} ` +
          `(transformers raises ValueError)`,
      );
    }
    return value.map((v, i) => finite(owner, `${name}[${i}]`, v));
  }
  return new Array<number>(groups).fill(finite(owner, name, value));
}

/**
 * An adaptive learning rate: divided by `factor` after more than `patience` steps of
 * improvement of a metric, multiplied by it after more than `patience` steps without, within
 * `[minLr, maxLr]`; after `resetStart` reductions with every group at its minimum it resets.
 * Port of transformers' `GreedyLR` (`optimization.py` line 621; Subramanian & Ganapathiraman,
 * "Zeroth Order GreedyLR").
 *
 * ```text
 * step(metric):  m = smooth ? streamingAverage(metric) : metric
 *   cooldownCounter > 0:  cooldownCounter −= 1; bad = good = 0
 *   warmupCounter > 0:    warmupCounter −= 1;   bad = good = 0
 *   otherwise:  better(m, best) ? (best = m, bad = 0, good += 1) : (bad += 1, good = 0)
 *     good > patience:  lr_g ← min(lr_g / factor, maxLr_g) if that raises it by > eps;
 *                       warmupCounter = warmup; good = 0; resetStart = its initial value
 *     bad > patience:   lr_g ← max(lr_g · factor, minLr_g) if that lowers it by > eps;
 *                       cooldownCounter = cooldown; bad = 0;
 *                       if every lr_g <= minLr_g: resetStart −= 1, and at 0 reset everything
 * better(m, best):  min/rel m < best · (1 − threshold)   min/abs m < best − threshold
 *                   max/rel m > best · (1 + threshold)   max/abs m > best + threshold
 * ```
 *
 * Not a torch scheduler upstream either: it takes no initial step and `step` takes the metric.
 * lrspec validates the counts (`patience`, `cooldown`, `warmup`, `windowSize` integers >= 0,
 * `resetStart` an integer), which upstream takes as they come; a `factor` of 0 raises (Python's
 * `ZeroDivisionError`) at the first increase, as upstream.
 *
 * @example Three improving steps with patience 2 raise the rate
 * ```ts
 * import { GreedyLR } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = new GreedyLR({ optimizer, factor: 0.5, patience: 2 });
 * for (const loss of [1.0, 0.9, 0.8]) scheduler.step(loss);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.2);
 * ```
 */
export class GreedyLR {
  /** The optimizer whose groups are scheduled. Not part of the state dict. */
  readonly optimizer: Optimizer;
  /** The factor. */
  factor: number;
  /** Steps tolerated before a change. */
  patience: number;
  /** Whether changes are printed. */
  verbose: boolean;
  /** Steps of cooldown after a reduction. */
  cooldown: number;
  /** Steps of warmup after an increase. */
  warmup: number;
  /** Cooldown steps left. */
  cooldownCounter: number;
  /** Warmup steps left. */
  warmupCounter: number;
  /** `"min"` or `"max"`. */
  mode: "min" | "max";
  /** The improvement threshold. */
  threshold: number;
  /** `"rel"` or `"abs"`. */
  thresholdMode: "rel" | "abs";
  /** Minimal change. */
  eps: number;
  /** Whether the metric is smoothed. */
  smooth: boolean;
  /** The smoothing window. */
  windowSize: number;
  /** Reductions at the minimum left before a reset. */
  resetStart: number;
  /** `resetStart` as given. */
  resetStartOriginal: number;
  /** The last step's epoch (0 before the first step). */
  lastEpoch: number;
  /** Each group's lower bound. */
  minLrs: number[];
  /** Each group's upper bound. */
  maxLrs: number[];
  /** The best metric so far (±Infinity before any). */
  best: number;
  /** Consecutive steps without improvement. */
  numBadEpochs: number;
  /** Consecutive steps with improvement. */
  numGoodEpochs: number;
  /** Each group's learning rate at construction (restored by a reset). */
  protected _initLrs: number[];
  /** The learning rates after the last step. */
  protected _lastLr: number[];
  /** The smoothing window, when `smooth`. */
  protected _streamingAvg: StreamingAverage | null;

  /**
   * Creates the scheduler, validating every option once, in upstream's order. Does not touch
   * the optimizer.
   *
   * @param options See {@linkcode GreedyLROptions}.
   * @throws {RangeError} If `factor >= 1` ("Factor should be < 1.0."), a `minLr`/`maxLr` list
   * does not have one value per group, `mode` or `thresholdMode` is unknown (each a
   * transformers `ValueError`), or a count is out of range.
   * @throws {TypeError} If the optimizer is malformed (transformers `TypeError`) or an option is
   * unknown or of the wrong type.
   */
  constructor(options: GreedyLROptions) {
    const owner = "GreedyLR";
    const o = requireOptions(owner, options, [
      "optimizer",
      "mode",
      "factor",
      "patience",
      "threshold",
      "thresholdMode",
      "cooldown",
      "warmup",
      "minLr",
      "maxLr",
      "eps",
      "verbose",
      "smooth",
      "windowSize",
      "resetStart",
    ]);
    const factor = finite(owner, "factor", o.factor ?? 0.95);
    if (factor >= 1.0) {
      throw optionError(
        RangeError,
        owner,
        "factor",
        factor,
        `Factor should be < 1.0.: got ${show(factor)} (transformers raises ValueError)`,
      );
    }
    this.optimizer = requireOptimizer(owner, o.optimizer);
    this.factor = factor;
    const count = (name: string, value: unknown) =>
      integer(owner, name, value, "an integer >= 0", (x) => x >= 0);
    this.patience = count("patience", o.patience ?? 10);
    this.verbose = boolean(owner, "verbose", o.verbose ?? false);
    this.cooldown = count("cooldown", o.cooldown ?? 0);
    this.warmup = count("warmup", o.warmup ?? 0);
    this.cooldownCounter = 0;
    this.warmupCounter = 0;
    const mode = o.mode ?? "min";
    this.threshold = finite(owner, "threshold", o.threshold ?? 1e-6);
    this.eps = finite(owner, "eps", o.eps ?? 1e-8);
    this.smooth = boolean(owner, "smooth", o.smooth ?? false);
    this.windowSize = count("windowSize", o.windowSize ?? 50);
    this.resetStart = integer(owner, "resetStart", o.resetStart ?? 500);
    this.resetStartOriginal = this.resetStart;
    this.lastEpoch = 0;
    const n = this.optimizer.paramGroups.length;
    this.minLrs = perGroup(owner, "minLr", "min_lr", o.minLr ?? 1e-3, n);
    this.maxLrs = perGroup(owner, "maxLr", "max_lr", o.maxLr ?? 1.0, n);
    this._initLrs = this.optimizer.paramGroups.map((g) => g.lr);
    this._lastLr = this._initLrs.slice();
    this.mode = oneOf(owner, "mode", mode, ["min", "max"], " (transformers: mode is unknown!)");
    this.thresholdMode = oneOf(
      owner,
      "thresholdMode",
      o.thresholdMode ?? "abs",
      ["rel", "abs"],
      " (transformers: threshold mode is unknown!)",
    );
    this.best = this.mode === "min" ? Infinity : -Infinity;
    this.numBadEpochs = 0;
    this.numGoodEpochs = 0;
    this._streamingAvg = this.smooth ? new StreamingAverage(this.windowSize) : null;
  }

  /**
   * Records a metric and adjusts the learning rates (see the class's formula).
   *
   * @param metrics The monitored quantity (NaN never counts as an improvement).
   * @param epoch The epoch to record (used in `verbose` messages) instead of `lastEpoch + 1`.
   * @throws {TypeError} If `metrics` is not a number (upstream: `float(metrics)` raises).
   * @throws {RangeError} Where Python raises `ZeroDivisionError` (a `factor` of 0 at an
   * increase, a smoothing window of 0), or if `epoch` is not an integer.
   */
  step(metrics: number, epoch?: number): void {
    const owner = "GreedyLR";
    if (typeof metrics !== "number") {
      throw optionError(
        TypeError,
        owner,
        "metrics",
        metrics,
        `\`metrics\` must be a number: got ${show(metrics)}`,
      );
    }
    let current = metrics;
    if (this.smooth && this._streamingAvg !== null) {
      current = this._streamingAvg.streamavg(current);
    }
    const e = epoch === undefined ? this.lastEpoch + 1 : integer(owner, "epoch", epoch);
    this.lastEpoch = e;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
      this.numGoodEpochs = 0;
    } else if (this.warmupCounter > 0) {
      this.warmupCounter -= 1;
      this.numBadEpochs = 0;
      this.numGoodEpochs = 0;
    } else {
      if (this.isBetter(current, this.best)) {
        this.best = current;
        this.numBadEpochs = 0;
        this.numGoodEpochs += 1;
      } else {
        this.numBadEpochs += 1;
        this.numGoodEpochs = 0;
      }
      if (this.numGoodEpochs > this.patience) {
        this.#increaseLr(e);
        this.warmupCounter = this.warmup;
        this.numGoodEpochs = 0;
      } else if (this.numBadEpochs > this.patience) {
        this.#reduceLr(e);
        this.cooldownCounter = this.cooldown;
        this.numBadEpochs = 0;
      }
    }
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /**
   * Whether `current` improves on `best` under the mode and threshold (upstream's `is_better`).
   * @param current The new metric.
   * @param best The best so far.
   * @returns Whether it is an improvement.
   */
  isBetter(current: number, best: number): boolean {
    if (this.mode === "min") {
      return this.thresholdMode === "rel"
        ? current < best * (1.0 - this.threshold)
        : current < best - this.threshold;
    }
    return this.thresholdMode === "rel"
      ? current > best * (1.0 + this.threshold)
      : current > best + this.threshold;
  }

  #reduceLr(epoch: number): void {
    let allAtMin = true;
    this.optimizer.paramGroups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = pyMax(oldLr * this.factor, this.minLrs[i]!);
      if (oldLr - newLr > this.eps) {
        group.lr = newLr;
        if (this.verbose) {
          console.log(
            `Epoch ${epoch}: reducing learning rate of group ${i} to ${formatExp4(newLr)}.`,
          );
        }
      }
      if (group.lr > this.minLrs[i]!) allAtMin = false;
    });
    if (allAtMin) {
      this.resetStart -= 1;
      if (this.resetStart <= 0) this.#reset();
    }
  }

  #increaseLr(epoch: number): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = pyMin(trueDiv("GreedyLR", oldLr, this.factor, UPSTREAM), this.maxLrs[i]!);
      if (newLr - oldLr > this.eps) {
        group.lr = newLr;
        if (this.verbose) {
          console.log(
            `Epoch ${epoch}: increasing learning rate of group ${i} to ${formatExp4(newLr)}.`,
          );
        }
      }
    });
    this.resetStart = this.resetStartOriginal;
  }

  #reset(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = this._initLrs[i]!;
    });
    this.best = this.mode === "min" ? Infinity : -Infinity;
    this.numBadEpochs = 0;
    this.numGoodEpochs = 0;
    this.cooldownCounter = 0;
    this.warmupCounter = 0;
    this.resetStart = this.resetStartOriginal;
    if (this.smooth && this._streamingAvg !== null) {
      this._streamingAvg = new StreamingAverage(this.windowSize);
    }
    if (this.verbose) console.log("Scheduler reset to initial state.");
  }

  /** The learning rates after the last step (the initial ones before any step); a copy. */
  getLastLr(): number[] {
    return this._lastLr.slice();
  }

  /**
   * The state: every attribute but the optimizer (plain data), with the smoothing window's own
   * state under `_streamingAvg` when smoothing, as upstream's `state_dict`.
   */
  stateDict(): StateDict {
    const state: StateDict = {
      factor: this.factor,
      minLrs: this.minLrs.slice(),
      maxLrs: this.maxLrs.slice(),
      patience: this.patience,
      verbose: this.verbose,
      cooldown: this.cooldown,
      warmup: this.warmup,
      cooldownCounter: this.cooldownCounter,
      warmupCounter: this.warmupCounter,
      mode: this.mode,
      threshold: this.threshold,
      thresholdMode: this.thresholdMode,
      best: this.best,
      numBadEpochs: this.numBadEpochs,
      numGoodEpochs: this.numGoodEpochs,
      eps: this.eps,
      lastEpoch: this.lastEpoch,
      smooth: this.smooth,
      windowSize: this.windowSize,
      resetStart: this.resetStart,
      resetStartOriginal: this.resetStartOriginal,
      _lastLr: this._lastLr.slice(),
      _initLrs: this._initLrs.slice(),
    };
    if (this.smooth && this._streamingAvg !== null) {
      state._streamingAvg = this._streamingAvg.stateDict();
    }
    return state;
  }

  /**
   * Restores a state from {@linkcode GreedyLR.stateDict}: missing keys keep their value, and
   * `_lastLr` is written into the groups, as upstream's `load_state_dict`. A `null` `best`
   * (what `JSON.stringify` makes of ±Infinity) means the mode's worst value.
   *
   * @param state The state.
   * @throws {TypeError} If `state` is not an object or has a key this scheduler does not save
   * (upstream ignores unknown keys).
   */
  loadStateDict(state: StateDict): void {
    if (typeof state !== "object" || state === null || Array.isArray(state)) {
      throw optionError(
        TypeError,
        "GreedyLR",
        "state",
        state,
        `state must be an object: got ${show(state)}`,
      );
    }
    const known = Object.keys(this.stateDict()).concat("_streamingAvg");
    for (const key of Object.keys(state)) {
      if (!known.includes(key)) {
        throw optionError(
          TypeError,
          "GreedyLR",
          `state.${key}`,
          state[key],
          `unknown state key \`${key}\``,
        );
      }
    }
    const { _streamingAvg, best, ...rest } = state;
    const { best: _best, ...current } = this.stateDict();
    checkStateValues("GreedyLR", current, rest);
    oneOf("GreedyLR", "mode", rest.mode ?? this.mode, ["min", "max"] as const);
    if (best !== undefined && best !== null && typeof best !== "number") {
      throw optionError(
        TypeError,
        "GreedyLR",
        "state.best",
        best,
        `state \`best\` must be a number or null: got ${show(best)}`,
      );
    }
    checkStateGroups(
      "GreedyLR",
      rest,
      ["_lastLr", "_initLrs", "minLrs", "maxLrs"],
      this.optimizer.paramGroups.length,
    );
    for (const [key, value] of Object.entries(rest)) {
      (this as unknown as Record<string, unknown>)[key] = Array.isArray(value)
        ? value.slice()
        : value;
    }
    if (best !== undefined) {
      this.best = best === null ? (this.mode === "min" ? Infinity : -Infinity) : best as number;
    }
    if (_streamingAvg !== undefined) {
      if (this._streamingAvg === null) this._streamingAvg = new StreamingAverage(this.windowSize);
      this._streamingAvg.loadStateDict(_streamingAvg as StateDict);
    }
    if (rest._lastLr !== undefined) {
      this.optimizer.paramGroups.forEach((group, i) => {
        if (i < this._lastLr.length) group.lr = this._lastLr[i]!;
      });
    }
  }
}

/**
 * A {@linkcode GreedyLR} with the given options. Port of transformers' `get_greedy_schedule`
 * (`optimization.py` line 928): `GreedyLR(optimizer, **kwargs)`.
 *
 * ```text
 * see GreedyLR
 * ```
 *
 * @example
 * ```ts
 * import { getGreedySchedule } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = getGreedySchedule({ optimizer, patience: 0, factor: 0.5, minLr: 0 });
 * scheduler.step(1.0); // an improvement on +Infinity: raised
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.2);
 * ```
 *
 * @param options {@linkcode GreedyLROptions}.
 * @returns A {@linkcode GreedyLR}.
 * @throws {TypeError} As {@linkcode GreedyLR}.
 * @throws {RangeError} As {@linkcode GreedyLR}.
 */
export function getGreedySchedule(options: GreedyLROptions): GreedyLR {
  return new GreedyLR(options);
}

// ---------------------------------------------------------------------------------------------
// get_scheduler
// ---------------------------------------------------------------------------------------------

/** The schedulers {@linkcode getScheduler} returns. */
export type HfScheduler = LambdaLR | ReduceLROnPlateau | GreedyLR;

/** The names whose schedule is a {@linkcode LambdaLR}. */
export type LambdaSchedulerType = Exclude<SchedulerType, "reduce_lr_on_plateau" | "greedy">;

/** Options of {@linkcode getScheduler}. */
export interface GetSchedulerOptions {
  /** The schedule's name (a transformers `SchedulerType` value, e.g. `"cosine"`). */
  name: SchedulerType;
  /** The optimizer. */
  optimizer: Optimizer;
  /**
   * The number of warmup steps; required by every name except `"constant"`,
   * `"reduce_lr_on_plateau"` and `"greedy"` (which ignore it).
   * @default {null}
   */
  numWarmupSteps?: number | null;
  /**
   * The number of training steps; required by the names that decay to an end, ignored by
   * `"constant"`, `"constant_with_warmup"`, `"inverse_sqrt"`, `"reduce_lr_on_plateau"` and
   * `"greedy"`; optional for `"warmup_stable_decay"`.
   * @default {null}
   */
  numTrainingSteps?: number | null;
  /**
   * The schedule's own options (upstream's `scheduler_specific_kwargs`, the Trainer's
   * `lr_scheduler_kwargs`), camelCase: `numCycles`, `lrEnd`, `power`, `timescale`, `minLr`,
   * `minLrRate`, `warmupLrRate`, `numDecaySteps`, `numStableSteps`, `warmupType`, `decayType`,
   * `minLrRatio`, `lastEpoch`, or `ReduceLROnPlateau`'s / `GreedyLR`'s options. Ignored for
   * `"constant"` and `"constant_with_warmup"`, as upstream.
   * @default {{}}
   */
  schedulerSpecificKwargs?: Record<string, unknown> | null;
}

/** Merges keyword arguments as Python's `f(a=…, **kwargs)` does: a repeated name is an error. */
function withKwargs(
  fixed: Record<string, unknown>,
  kwargs: Record<string, unknown>,
): Record<string, unknown> {
  for (const key of Object.keys(kwargs)) {
    if (key in fixed) {
      throw optionError(
        TypeError,
        "getScheduler",
        `schedulerSpecificKwargs.${key}`,
        kwargs[key],
        `\`schedulerSpecificKwargs\` repeats \`${key}\`, which getScheduler ` +
          `passes itself (transformers raises TypeError: got multiple values for keyword argument)`,
      );
    }
  }
  return { ...fixed, ...kwargs };
}

/**
 * Any schedule by its name, with upstream's routing of the arguments. Port of transformers'
 * `get_scheduler` (`optimization.py` line 960) — what the Trainer calls with
 * `lr_scheduler_type`, the warmup steps, the training steps and `lr_scheduler_kwargs`.
 *
 * ```text
 * constant                    getConstantSchedule({ optimizer })                     (kwargs ignored)
 * reduce_lr_on_plateau        getReduceOnPlateauSchedule({ optimizer, ...kwargs })
 * greedy                      getGreedySchedule({ optimizer, ...kwargs })
 *   (the others need numWarmupSteps)
 * constant_with_warmup        getConstantScheduleWithWarmup({ optimizer, W })       (kwargs ignored)
 * inverse_sqrt                getInverseSqrtSchedule({ optimizer, W, ...kwargs })
 * warmup_stable_decay         getWsdSchedule({ optimizer, W, N, ...kwargs })         (N may be null)
 *   (the others need numTrainingSteps)
 * linear, cosine, cosine_with_restarts, polynomial, cosine_with_min_lr,
 * cosine_warmup_with_min_lr   their get_* function({ optimizer, W, N, ...kwargs })
 * ```
 *
 * @example The Trainer's `lr_scheduler_type="cosine"`
 * ```ts
 * import { getScheduler } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 2e-5 }], defaults: { lr: 2e-5 } };
 * const scheduler = getScheduler({
 *   name: "cosine",
 *   optimizer,
 *   numWarmupSteps: 32,
 *   numTrainingSteps: 1068,
 * });
 * for (let step = 0; step < 32; step++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 2e-5);
 * ```
 *
 * @param options {@linkcode GetSchedulerOptions}.
 * @returns The {@linkcode LambdaLR}, {@linkcode ReduceLROnPlateau} or {@linkcode GreedyLR}.
 * @throws {RangeError} If `name` is not a `SchedulerType` (transformers `ValueError`), or
 * where the schedule throws.
 * @throws {TypeError} If `numWarmupSteps` or `numTrainingSteps` is missing where needed
 * (transformers `ValueError: … requires num_warmup_steps`), a kwarg is unknown to the schedule
 * or repeats an argument (transformers `TypeError`), or an option has the wrong type.
 */
export function getScheduler(
  options: GetSchedulerOptions & { name: "reduce_lr_on_plateau" },
): ReduceLROnPlateau;
/**
 * `getScheduler` for `"greedy"`: a {@linkcode GreedyLR} (see the first signature).
 *
 * @param options {@linkcode GetSchedulerOptions}.
 * @returns A {@linkcode GreedyLR}.
 */
export function getScheduler(options: GetSchedulerOptions & { name: "greedy" }): GreedyLR;
/**
 * `getScheduler` for the names whose schedule is a torch `LambdaLR` (see the first signature).
 *
 * @param options {@linkcode GetSchedulerOptions}.
 * @returns A {@linkcode LambdaLR}, after its initial step.
 */
export function getScheduler(
  options: GetSchedulerOptions & { name: LambdaSchedulerType },
): LambdaLR;
/**
 * `getScheduler` for a name known only at run time (see the first signature).
 *
 * @param options {@linkcode GetSchedulerOptions}.
 * @returns The {@linkcode LambdaLR}, {@linkcode ReduceLROnPlateau} or {@linkcode GreedyLR}.
 */
export function getScheduler(options: GetSchedulerOptions): HfScheduler;
export function getScheduler(options: GetSchedulerOptions): HfScheduler {
  const owner = "getScheduler";
  const o = requireOptions(owner, options, [
    "name",
    "optimizer",
    "numWarmupSteps",
    "numTrainingSteps",
    "schedulerSpecificKwargs",
  ]);
  const name = schedulerType(o.name);
  const optimizer = o.optimizer;
  if (name === "constant") return getConstantSchedule({ optimizer });
  const kwargs = o.schedulerSpecificKwargs ?? {};
  if (typeof kwargs !== "object" || Array.isArray(kwargs)) {
    throw optionError(
      TypeError,
      owner,
      "schedulerSpecificKwargs",
      kwargs,
      `\`schedulerSpecificKwargs\` must be an object: got ${show(kwargs)}`,
    );
  }
  if (name === "reduce_lr_on_plateau") {
    return getReduceOnPlateauSchedule(withKwargs({ optimizer }, kwargs) as never);
  }
  if (name === "greedy") return getGreedySchedule(withKwargs({ optimizer }, kwargs) as never);
  const numWarmupSteps = o.numWarmupSteps ?? null;
  if (numWarmupSteps === null) {
    throw optionError(
      TypeError,
      owner,
      "numWarmupSteps",
      o.numWarmupSteps,
      `${name} requires \`num_warmup_steps\`, please provide that argument ` +
        `(\`numWarmupSteps\`; transformers raises ValueError)`,
    );
  }
  if (name === "constant_with_warmup") {
    return getConstantScheduleWithWarmup({ optimizer, numWarmupSteps });
  }
  if (name === "inverse_sqrt") {
    return getInverseSqrtSchedule(withKwargs({ optimizer, numWarmupSteps }, kwargs) as never);
  }
  const numTrainingSteps = o.numTrainingSteps ?? null;
  if (name === "warmup_stable_decay") {
    return getWsdSchedule(
      withKwargs({ optimizer, numWarmupSteps, numTrainingSteps }, kwargs) as never,
    );
  }
  if (numTrainingSteps === null) {
    throw optionError(
      TypeError,
      owner,
      "numTrainingSteps",
      o.numTrainingSteps,
      `${name} requires \`num_training_steps\`, please provide that argument ` +
        `(\`numTrainingSteps\`; transformers raises ValueError)`,
    );
  }
  const all = withKwargs({ optimizer, numWarmupSteps, numTrainingSteps }, kwargs) as never;
  switch (name) {
    case "linear":
      return getLinearScheduleWithWarmup(all);
    case "cosine":
      return getCosineScheduleWithWarmup(all);
    case "cosine_with_restarts":
      return getCosineWithHardRestartsScheduleWithWarmup(all);
    case "polynomial":
      return getPolynomialDecayScheduleWithWarmup(all);
    case "cosine_with_min_lr":
      return getCosineWithMinLrScheduleWithWarmup(all);
    case "cosine_warmup_with_min_lr":
      return getCosineWithMinLrScheduleWithWarmupLrRate(all);
  }
}
