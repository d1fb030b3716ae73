/**
 * Port of mmengine's `mmengine/optim/scheduler/momentum_scheduler.py` (mmengine commit 2543429):
 * the momentum schedulers, each `MomentumSchedulerMixin` + a generic class of
 * `param_scheduler.ts`. They schedule `momentum` (SGD) or, for optimizers whose defaults have
 * `betas` (the Adam family), `betas[0]` through a `momentum` key, as mmengine does.
 *
 * @module
 */

import { optionError } from "../../../errors.ts";
import { requireOptimizer } from "../../../_internal/optimizer.ts";
import { show } from "../../../_internal/validate.ts";
import type { Optimizer } from "../../../optimizer.ts";
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
  type PolyOptions,
  PolyParamScheduler,
  type ReduceOnPlateauOptions,
  ReduceOnPlateauParamScheduler,
  type StepOptions,
  StepParamScheduler,
} from "./param_scheduler.ts";

/** Whether the optimizer's momentum is `betas[0]` (defaults without `momentum`, with `betas`). */
function usesBetas(optimizer: Optimizer): boolean {
  const defaults = optimizer.defaults ?? {};
  return !("momentum" in defaults) && "betas" in defaults;
}

/**
 * mmengine's `MomentumSchedulerMixin.__init__`: checks that the optimizer has a momentum, copies
 * `betas[0]` into each group's `momentum` for the Adam family, and fixes the parameter name.
 */
function momentumOptions<O extends { optimizer: Optimizer }>(
  owner: string,
  options: O,
): O & { paramName: string } {
  const optimizer = requireOptimizer(owner, (options as { optimizer?: unknown } | null)?.optimizer);
  const defaults = optimizer.defaults ?? {};
  if (usesBetas(optimizer)) {
    optimizer.paramGroups.forEach((group, i) => {
      const betas = group.betas;
      if (!Array.isArray(betas) || typeof betas[0] !== "number") {
        throw optionError(
          TypeError,
          owner,
          `optimizer.paramGroups[${i}].betas`,
          betas,
          `\`paramGroups[${i}].betas\` must be a pair of numbers: got ${show(betas)}`,
        );
      }
      group.momentum = betas[0];
    });
  } else if (!("momentum" in defaults)) {
    throw optionError(
      RangeError,
      owner,
      "optimizer.defaults",
      defaults,
      `optimizer must support momentum when using momentum scheduler (its defaults ` +
        "have neither `momentum` nor `betas`; mmengine raises ValueError)",
    );
  }
  return { ...options, [FIXED]: "momentum", [OWNER]: owner } as unknown as O & {
    paramName: string;
  };
}

/** `MomentumSchedulerMixin.step`'s tail: `betas = (momentum, betas[1])` in every group. */
function writeBetas(optimizer: Optimizer): void {
  if (!usesBetas(optimizer)) return;
  for (const group of optimizer.paramGroups) {
    const betas = group.betas as number[];
    group.betas = [group.momentum as number, betas[1]!];
  }
}

/** Options of {@linkcode ConstantMomentum}: mmengine's keywords in camelCase. */
export interface ConstantMomentumOptions extends ConstantOptions {}

/**
 * Multiplies the momentum by `factor` from `begin` and restores it at `end − 1`. Port of mmengine `ConstantMomentum` (`MomentumSchedulerMixin` +
 * `ConstantParamScheduler`).
 * @example Adam's `betas[0]` is scheduled as `momentum`
 * ```ts
 * import { ConstantMomentum, type Optimizer } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer: Optimizer = {
 *   paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }],
 *   defaults: { lr: 0.001, betas: [0.9, 0.999] },
 * };
 * const s = new ConstantMomentum({ optimizer, factor: 0.5, end: 4 });
 * const group = optimizer.paramGroups[0]!;
 * assert.equal(group.momentum, (group.betas as number[])[0]);
 * assert.equal(s.useBetas, true);
 * ```
 */
export class ConstantMomentum extends ConstantParamScheduler {
  /** Whether `betas[0]` is scheduled (mmengine's `use_betas`). */
  useBetas: boolean;

  /**
   * Creates the scheduler for the groups' momentum and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If the optimizer's defaults have neither `momentum` nor `betas`
   * (mmengine `ValueError`), and where the generic class throws.
   */
  constructor(options: ConstantMomentumOptions) {
    super(momentumOptions("ConstantMomentum", options));
    this.useBetas = usesBetas(this.optimizer);
  }

  /**
   * The generic step, then `betas[0]` from `momentum` for the Adam family
   * (`MomentumSchedulerMixin.step`).
   *
   * @throws {RangeError} Where the generic step throws.
   */
  override step(): void {
    super.step();
    writeBetas(this.optimizer);
  }
}

/** Options of {@linkcode CosineAnnealingMomentum}: mmengine's keywords in camelCase. */
export interface CosineAnnealingMomentumOptions extends CosineAnnealingOptions {}

/**
 * Cosine annealing of the momentum from its initial value to `etaMin` (recursive form). Port of mmengine `CosineAnnealingMomentum` (`MomentumSchedulerMixin` +
 * `CosineAnnealingParamScheduler`).
 * @example Adam's `betas[0]` is scheduled as `momentum`
 * ```ts
 * import { CosineAnnealingMomentum, type Optimizer } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer: Optimizer = {
 *   paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }],
 *   defaults: { lr: 0.001, betas: [0.9, 0.999] },
 * };
 * const s = new CosineAnnealingMomentum({ optimizer, tMax: 10 });
 * const group = optimizer.paramGroups[0]!;
 * assert.equal(group.momentum, (group.betas as number[])[0]);
 * assert.equal(s.useBetas, true);
 * ```
 */
export class CosineAnnealingMomentum extends CosineAnnealingParamScheduler {
  /** Whether `betas[0]` is scheduled (mmengine's `use_betas`). */
  useBetas: boolean;

  /**
   * Creates the scheduler for the groups' momentum and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If the optimizer's defaults have neither `momentum` nor `betas`
   * (mmengine `ValueError`), and where the generic class throws.
   */
  constructor(options: CosineAnnealingMomentumOptions) {
    super(momentumOptions("CosineAnnealingMomentum", options));
    this.useBetas = usesBetas(this.optimizer);
  }

  /**
   * The generic step, then `betas[0]` from `momentum` for the Adam family
   * (`MomentumSchedulerMixin.step`).
   *
   * @throws {RangeError} Where the generic step throws.
   */
  override step(): void {
    super.step();
    writeBetas(this.optimizer);
  }
}

/** Options of {@linkcode ExponentialMomentum}: mmengine's keywords in camelCase. */
export interface ExponentialMomentumOptions extends ExponentialOptions {}

/**
 * Multiplies the momentum by `gamma` every step. Port of mmengine `ExponentialMomentum` (`MomentumSchedulerMixin` +
 * `ExponentialParamScheduler`).
 * @example Adam's `betas[0]` is scheduled as `momentum`
 * ```ts
 * import { ExponentialMomentum, type Optimizer } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer: Optimizer = {
 *   paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }],
 *   defaults: { lr: 0.001, betas: [0.9, 0.999] },
 * };
 * const s = new ExponentialMomentum({ optimizer, gamma: 0.9 });
 * const group = optimizer.paramGroups[0]!;
 * assert.equal(group.momentum, (group.betas as number[])[0]);
 * assert.equal(s.useBetas, true);
 * ```
 */
export class ExponentialMomentum extends ExponentialParamScheduler {
  /** Whether `betas[0]` is scheduled (mmengine's `use_betas`). */
  useBetas: boolean;

  /**
   * Creates the scheduler for the groups' momentum and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If the optimizer's defaults have neither `momentum` nor `betas`
   * (mmengine `ValueError`), and where the generic class throws.
   */
  constructor(options: ExponentialMomentumOptions) {
    super(momentumOptions("ExponentialMomentum", options));
    this.useBetas = usesBetas(this.optimizer);
  }

  /**
   * The generic step, then `betas[0]` from `momentum` for the Adam family
   * (`MomentumSchedulerMixin.step`).
   *
   * @throws {RangeError} Where the generic step throws.
   */
  override step(): void {
    super.step();
    writeBetas(this.optimizer);
  }
}

/** Options of {@linkcode LinearMomentum}: mmengine's keywords in camelCase. */
export interface LinearMomentumOptions extends LinearOptions {}

/**
 * Changes the momentum's factor linearly from `startFactor` to `endFactor` (the usual warmup). Port of mmengine `LinearMomentum` (`MomentumSchedulerMixin` +
 * `LinearParamScheduler`).
 * @example Adam's `betas[0]` is scheduled as `momentum`
 * ```ts
 * import { LinearMomentum, type Optimizer } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer: Optimizer = {
 *   paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }],
 *   defaults: { lr: 0.001, betas: [0.9, 0.999] },
 * };
 * const s = new LinearMomentum({ optimizer, startFactor: 0.5, end: 4 });
 * const group = optimizer.paramGroups[0]!;
 * assert.equal(group.momentum, (group.betas as number[])[0]);
 * assert.equal(s.useBetas, true);
 * ```
 */
export class LinearMomentum extends LinearParamScheduler {
  /** Whether `betas[0]` is scheduled (mmengine's `use_betas`). */
  useBetas: boolean;

  /**
   * Creates the scheduler for the groups' momentum and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If the optimizer's defaults have neither `momentum` nor `betas`
   * (mmengine `ValueError`), and where the generic class throws.
   */
  constructor(options: LinearMomentumOptions) {
    super(momentumOptions("LinearMomentum", options));
    this.useBetas = usesBetas(this.optimizer);
  }

  /**
   * The generic step, then `betas[0]` from `momentum` for the Adam family
   * (`MomentumSchedulerMixin.step`).
   *
   * @throws {RangeError} Where the generic step throws.
   */
  override step(): void {
    super.step();
    writeBetas(this.optimizer);
  }
}

/** Options of {@linkcode MultiStepMomentum}: mmengine's keywords in camelCase. */
export interface MultiStepMomentumOptions extends MultiStepOptions {}

/**
 * Multiplies the momentum by `gamma` at each milestone. Port of mmengine `MultiStepMomentum` (`MomentumSchedulerMixin` +
 * `MultiStepParamScheduler`).
 * @example Adam's `betas[0]` is scheduled as `momentum`
 * ```ts
 * import { MultiStepMomentum, type Optimizer } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer: Optimizer = {
 *   paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }],
 *   defaults: { lr: 0.001, betas: [0.9, 0.999] },
 * };
 * const s = new MultiStepMomentum({ optimizer, milestones: [2] });
 * const group = optimizer.paramGroups[0]!;
 * assert.equal(group.momentum, (group.betas as number[])[0]);
 * assert.equal(s.useBetas, true);
 * ```
 */
export class MultiStepMomentum extends MultiStepParamScheduler {
  /** Whether `betas[0]` is scheduled (mmengine's `use_betas`). */
  useBetas: boolean;

  /**
   * Creates the scheduler for the groups' momentum and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If the optimizer's defaults have neither `momentum` nor `betas`
   * (mmengine `ValueError`), and where the generic class throws.
   */
  constructor(options: MultiStepMomentumOptions) {
    super(momentumOptions("MultiStepMomentum", options));
    this.useBetas = usesBetas(this.optimizer);
  }

  /**
   * The generic step, then `betas[0]` from `momentum` for the Adam family
   * (`MomentumSchedulerMixin.step`).
   *
   * @throws {RangeError} Where the generic step throws.
   */
  override step(): void {
    super.step();
    writeBetas(this.optimizer);
  }
}

/** Options of {@linkcode StepMomentum}: mmengine's keywords in camelCase. */
export interface StepMomentumOptions extends StepOptions {}

/**
 * Multiplies the momentum by `gamma` every `stepSize` steps. Port of mmengine `StepMomentum` (`MomentumSchedulerMixin` +
 * `StepParamScheduler`).
 * @example Adam's `betas[0]` is scheduled as `momentum`
 * ```ts
 * import { StepMomentum, type Optimizer } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer: Optimizer = {
 *   paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }],
 *   defaults: { lr: 0.001, betas: [0.9, 0.999] },
 * };
 * const s = new StepMomentum({ optimizer, stepSize: 2 });
 * const group = optimizer.paramGroups[0]!;
 * assert.equal(group.momentum, (group.betas as number[])[0]);
 * assert.equal(s.useBetas, true);
 * ```
 */
export class StepMomentum extends StepParamScheduler {
  /** Whether `betas[0]` is scheduled (mmengine's `use_betas`). */
  useBetas: boolean;

  /**
   * Creates the scheduler for the groups' momentum and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If the optimizer's defaults have neither `momentum` nor `betas`
   * (mmengine `ValueError`), and where the generic class throws.
   */
  constructor(options: StepMomentumOptions) {
    super(momentumOptions("StepMomentum", options));
    this.useBetas = usesBetas(this.optimizer);
  }

  /**
   * The generic step, then `betas[0]` from `momentum` for the Adam family
   * (`MomentumSchedulerMixin.step`).
   *
   * @throws {RangeError} Where the generic step throws.
   */
  override step(): void {
    super.step();
    writeBetas(this.optimizer);
  }
}

/** Options of {@linkcode PolyMomentum}: mmengine's keywords in camelCase. */
export interface PolyMomentumOptions extends PolyOptions {}

/**
 * Polynomial decay of the momentum to `etaMin`. Port of mmengine `PolyMomentum` (`MomentumSchedulerMixin` +
 * `PolyParamScheduler`).
 * @example Adam's `betas[0]` is scheduled as `momentum`
 * ```ts
 * import { PolyMomentum, type Optimizer } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer: Optimizer = {
 *   paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }],
 *   defaults: { lr: 0.001, betas: [0.9, 0.999] },
 * };
 * const s = new PolyMomentum({ optimizer, end: 10 });
 * const group = optimizer.paramGroups[0]!;
 * assert.equal(group.momentum, (group.betas as number[])[0]);
 * assert.equal(s.useBetas, true);
 * ```
 */
export class PolyMomentum extends PolyParamScheduler {
  /** Whether `betas[0]` is scheduled (mmengine's `use_betas`). */
  useBetas: boolean;

  /**
   * Creates the scheduler for the groups' momentum and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If the optimizer's defaults have neither `momentum` nor `betas`
   * (mmengine `ValueError`), and where the generic class throws.
   */
  constructor(options: PolyMomentumOptions) {
    super(momentumOptions("PolyMomentum", options));
    this.useBetas = usesBetas(this.optimizer);
  }

  /**
   * The generic step, then `betas[0]` from `momentum` for the Adam family
   * (`MomentumSchedulerMixin.step`).
   *
   * @throws {RangeError} Where the generic step throws.
   */
  override step(): void {
    super.step();
    writeBetas(this.optimizer);
  }
}

/** Options of {@linkcode CosineRestartMomentum}: mmengine's keywords in camelCase. */
export interface CosineRestartMomentumOptions extends CosineRestartOptions {}

/**
 * Cosine annealing of the momentum with restarts. Port of mmengine `CosineRestartMomentum` (`MomentumSchedulerMixin` +
 * `CosineRestartParamScheduler`).
 * @example Adam's `betas[0]` is scheduled as `momentum`
 * ```ts
 * import { CosineRestartMomentum, type Optimizer } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer: Optimizer = {
 *   paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }],
 *   defaults: { lr: 0.001, betas: [0.9, 0.999] },
 * };
 * const s = new CosineRestartMomentum({ optimizer, periods: [5], etaMin: 0 });
 * const group = optimizer.paramGroups[0]!;
 * assert.equal(group.momentum, (group.betas as number[])[0]);
 * assert.equal(s.useBetas, true);
 * ```
 */
export class CosineRestartMomentum extends CosineRestartParamScheduler {
  /** Whether `betas[0]` is scheduled (mmengine's `use_betas`). */
  useBetas: boolean;

  /**
   * Creates the scheduler for the groups' momentum and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If the optimizer's defaults have neither `momentum` nor `betas`
   * (mmengine `ValueError`), and where the generic class throws.
   */
  constructor(options: CosineRestartMomentumOptions) {
    super(momentumOptions("CosineRestartMomentum", options));
    this.useBetas = usesBetas(this.optimizer);
  }

  /**
   * The generic step, then `betas[0]` from `momentum` for the Adam family
   * (`MomentumSchedulerMixin.step`).
   *
   * @throws {RangeError} Where the generic step throws.
   */
  override step(): void {
    super.step();
    writeBetas(this.optimizer);
  }
}

/** Options of {@linkcode ReduceOnPlateauMomentum}: mmengine's keywords in camelCase. */
export interface ReduceOnPlateauMomentumOptions extends ReduceOnPlateauOptions {}

/**
 * Reduces the momentum when a validation metric stops improving. Port of mmengine `ReduceOnPlateauMomentum` (`MomentumSchedulerMixin` +
 * `ReduceOnPlateauParamScheduler`).
 * @example Adam's `betas[0]` is scheduled as `momentum`
 * ```ts
 * import { ReduceOnPlateauMomentum, type Optimizer } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer: Optimizer = {
 *   paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }],
 *   defaults: { lr: 0.001, betas: [0.9, 0.999] },
 * };
 * const s = new ReduceOnPlateauMomentum({ optimizer });
 * const group = optimizer.paramGroups[0]!;
 * assert.equal(group.momentum, (group.betas as number[])[0]);
 * assert.equal(s.useBetas, true);
 * ```
 */
export class ReduceOnPlateauMomentum extends ReduceOnPlateauParamScheduler {
  /** Whether `betas[0]` is scheduled (mmengine's `use_betas`). */
  useBetas: boolean;

  /**
   * Creates the scheduler for the groups' momentum (no first step, as mmengine).
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If the optimizer's defaults have neither `momentum` nor `betas`
   * (mmengine `ValueError`), and where the generic class throws.
   */
  constructor(options: ReduceOnPlateauMomentumOptions) {
    super(momentumOptions("ReduceOnPlateauMomentum", options));
    this.useBetas = usesBetas(this.optimizer);
  }

  /**
   * mmengine's `ReduceOnPlateauMomentum.step(metrics)`: the generic step, then `betas[0]` from
   * `momentum` for the Adam family.
   *
   * @param metrics Validation results by name; without them, only counts the epoch.
   * @throws {TypeError} As {@linkcode ReduceOnPlateauParamScheduler.step}.
   */
  override step(metrics?: Record<string, number>): void {
    super.step(metrics);
    writeBetas(this.optimizer);
  }
}
