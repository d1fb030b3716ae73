/**
 * Port of mmengine's `mmengine/optim/scheduler/lr_scheduler.py` (mmengine commit 2543429): the
 * learning-rate schedulers, each `LRSchedulerMixin` + a generic class of
 * `param_scheduler.ts` with `paramName` fixed to `"lr"`.
 *
 * @module
 */

import { FIXED, OWNER } from "./_param_name.ts";
import {
  type ConstantOptions,
  ConstantParamScheduler,
  type CosineAnnealingOptions,
  CosineAnnealingParamScheduler,
  type CosineRestartOptions,
  CosineRestartParamScheduler,
  type ExponentialOptions,
  ExponentialParamScheduler,
  type LinearOptions,
  LinearParamScheduler,
  type MultiStepOptions,
  MultiStepParamScheduler,
  type OneCycleOptions,
  OneCycleParamScheduler,
  type PolyOptions,
  PolyParamScheduler,
  type ReduceOnPlateauOptions,
  ReduceOnPlateauParamScheduler,
  type StepOptions,
  StepParamScheduler,
} from "./param_scheduler.ts";

/** The options with the fixed parameter name added (never an option key the caller sees). */
function lrOptions<O extends object>(options: O, owner: string): O & { paramName: string } {
  return { ...options, [FIXED]: "lr", [OWNER]: owner } as unknown as O & { paramName: string };
}

/** Options of {@linkcode ConstantLR}: mmengine's keywords in camelCase. */
export interface ConstantLROptions extends ConstantOptions {}

/**
 * Multiplies the learning rate by `factor` from `begin` and restores it at `end − 1`. Port of mmengine `ConstantLR` (`LRSchedulerMixin` +
 * `ConstantParamScheduler`, whose formula and arithmetic it shares).
 */
export class ConstantLR extends ConstantParamScheduler {
  /**
   * Creates the scheduler for the groups' `lr` and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} Where mmengine raises `ValueError` / `AssertionError` (see
   * {@linkcode ConstantParamScheduler}).
   */
  constructor(options: ConstantLROptions) {
    super(lrOptions(options, "ConstantLR"));
  }
}

/** Options of {@linkcode CosineAnnealingLR}: mmengine's keywords in camelCase. */
export interface CosineAnnealingLROptions extends CosineAnnealingOptions {}

/**
 * Cosine annealing of the learning rate from its initial value to `etaMin` (recursive form). Port of mmengine `CosineAnnealingLR` (`LRSchedulerMixin` +
 * `CosineAnnealingParamScheduler`, whose formula and arithmetic it shares).
 * @example Converted from epochs: `dict(type='CosineAnnealingLR', T_max=2, by_epoch=True, convert_to_iter_based=True)`
 * ```ts
 * import { CosineAnnealingLR } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const s = CosineAnnealingLR.buildIterFromEpoch({ optimizer, tMax: 2, end: 2, epochLength: 3 });
 * assert.equal(s.tMax, 6);
 * assert.equal(s.end, 6);
 * assert.equal(s.byEpoch, false);
 * ```
 */
export class CosineAnnealingLR extends CosineAnnealingParamScheduler {
  /**
   * Creates the scheduler for the groups' `lr` and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} Where mmengine raises `ValueError` / `AssertionError` (see
   * {@linkcode CosineAnnealingParamScheduler}).
   */
  constructor(options: CosineAnnealingLROptions) {
    super(lrOptions(options, "CosineAnnealingLR"));
  }
}

/** Options of {@linkcode ExponentialLR}: mmengine's keywords in camelCase. */
export interface ExponentialLROptions extends ExponentialOptions {}

/**
 * Multiplies the learning rate by `gamma` every step. Port of mmengine `ExponentialLR` (`LRSchedulerMixin` +
 * `ExponentialParamScheduler`, whose formula and arithmetic it shares).
 */
export class ExponentialLR extends ExponentialParamScheduler {
  /**
   * Creates the scheduler for the groups' `lr` and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} Where mmengine raises `ValueError` / `AssertionError` (see
   * {@linkcode ExponentialParamScheduler}).
   */
  constructor(options: ExponentialLROptions) {
    super(lrOptions(options, "ExponentialLR"));
  }
}

/** Options of {@linkcode LinearLR}: mmengine's keywords in camelCase. */
export interface LinearLROptions extends LinearOptions {}

/**
 * Changes the learning rate's factor linearly from `startFactor` to `endFactor` (the usual warmup). Port of mmengine `LinearLR` (`LRSchedulerMixin` +
 * `LinearParamScheduler`, whose formula and arithmetic it shares).
 * @example MMDetection's warmup: `dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500)`
 * ```ts
 * import { LinearLR, MultiStepLR } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.02 }] };
 * const warmup = new LinearLR({ optimizer, startFactor: 0.001, byEpoch: false, begin: 0, end: 500 });
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.02 * 0.001);
 * for (let iter = 0; iter < 499; iter++) warmup.step();
 * // The recursion reaches the full rate at `end - 1` — not exactly 0.02 (as in mmengine):
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.019999999999999952);
 * // An epoch-based decay on the same optimizer multiplies whatever the warmup left:
 * const decay = new MultiStepLR({ optimizer, milestones: [8, 11], gamma: 0.1, end: 12 });
 * assert.equal(decay.byEpoch, true);
 * ```
 */
export class LinearLR extends LinearParamScheduler {
  /**
   * Creates the scheduler for the groups' `lr` and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} Where mmengine raises `ValueError` / `AssertionError` (see
   * {@linkcode LinearParamScheduler}).
   */
  constructor(options: LinearLROptions) {
    super(lrOptions(options, "LinearLR"));
  }
}

/** Options of {@linkcode MultiStepLR}: mmengine's keywords in camelCase. */
export interface MultiStepLROptions extends MultiStepOptions {}

/**
 * Multiplies the learning rate by `gamma` at each milestone. Port of mmengine `MultiStepLR` (`LRSchedulerMixin` +
 * `MultiStepParamScheduler`, whose formula and arithmetic it shares).
 */
export class MultiStepLR extends MultiStepParamScheduler {
  /**
   * Creates the scheduler for the groups' `lr` and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} Where mmengine raises `ValueError` / `AssertionError` (see
   * {@linkcode MultiStepParamScheduler}).
   */
  constructor(options: MultiStepLROptions) {
    super(lrOptions(options, "MultiStepLR"));
  }
}

/** Options of {@linkcode StepLR}: mmengine's keywords in camelCase. */
export interface StepLROptions extends StepOptions {}

/**
 * Multiplies the learning rate by `gamma` every `stepSize` steps. Port of mmengine `StepLR` (`LRSchedulerMixin` +
 * `StepParamScheduler`, whose formula and arithmetic it shares).
 */
export class StepLR extends StepParamScheduler {
  /**
   * Creates the scheduler for the groups' `lr` and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} Where mmengine raises `ValueError` / `AssertionError` (see
   * {@linkcode StepParamScheduler}).
   */
  constructor(options: StepLROptions) {
    super(lrOptions(options, "StepLR"));
  }
}

/** Options of {@linkcode PolyLR}: mmengine's keywords in camelCase. */
export interface PolyLROptions extends PolyOptions {}

/**
 * Polynomial decay of the learning rate to `etaMin`. Port of mmengine `PolyLR` (`LRSchedulerMixin` +
 * `PolyParamScheduler`, whose formula and arithmetic it shares).
 */
export class PolyLR extends PolyParamScheduler {
  /**
   * Creates the scheduler for the groups' `lr` and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} Where mmengine raises `ValueError` / `AssertionError` (see
   * {@linkcode PolyParamScheduler}).
   */
  constructor(options: PolyLROptions) {
    super(lrOptions(options, "PolyLR"));
  }
}

/** Options of {@linkcode OneCycleLR}: mmengine's keywords in camelCase. */
export interface OneCycleLROptions extends OneCycleOptions {}

/**
 * The 1cycle policy for the learning rate. Port of mmengine `OneCycleLR` (`LRSchedulerMixin` +
 * `OneCycleParamScheduler`, whose formula and arithmetic it shares).
 */
export class OneCycleLR extends OneCycleParamScheduler {
  /**
   * Creates the scheduler for the groups' `lr` and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} Where mmengine raises `ValueError` / `AssertionError` (see
   * {@linkcode OneCycleParamScheduler}).
   */
  constructor(options: OneCycleLROptions) {
    super(lrOptions(options, "OneCycleLR"));
  }
}

/** Options of {@linkcode CosineRestartLR}: mmengine's keywords in camelCase. */
export interface CosineRestartLROptions extends CosineRestartOptions {}

/**
 * Cosine annealing of the learning rate with restarts. Port of mmengine `CosineRestartLR` (`LRSchedulerMixin` +
 * `CosineRestartParamScheduler`, whose formula and arithmetic it shares).
 */
export class CosineRestartLR extends CosineRestartParamScheduler {
  /**
   * Creates the scheduler for the groups' `lr` and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} Where mmengine raises `ValueError` / `AssertionError` (see
   * {@linkcode CosineRestartParamScheduler}).
   */
  constructor(options: CosineRestartLROptions) {
    super(lrOptions(options, "CosineRestartLR"));
  }
}

/** Options of {@linkcode ReduceOnPlateauLR}: mmengine's keywords in camelCase. */
export interface ReduceOnPlateauLROptions extends ReduceOnPlateauOptions {}

/**
 * Reduces the learning rate when a validation metric stops improving. Port of mmengine `ReduceOnPlateauLR` (`LRSchedulerMixin` +
 * `ReduceOnPlateauParamScheduler`, whose formula and arithmetic it shares).
 */
export class ReduceOnPlateauLR extends ReduceOnPlateauParamScheduler {
  /**
   * Creates the scheduler for the groups' `lr` (no first step, as mmengine).
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} Where mmengine raises `ValueError` / `AssertionError` (see
   * {@linkcode ReduceOnPlateauParamScheduler}).
   */
  constructor(options: ReduceOnPlateauLROptions) {
    super(lrOptions(options, "ReduceOnPlateauLR"));
  }
}
