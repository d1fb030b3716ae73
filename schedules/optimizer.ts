/**
 * The optimizer that every learning-rate scheduler of lrspec drives: torch's `param_groups`
 * with camelCase keys. Any object of this shape works — a TensorFlow.js adapter, your own
 * trainer's state — and is updated in place, as torch updates `param_groups`.
 *
 * @module
 */

/**
 * One parameter group of an optimizer: torch's `param_groups[i]` with camelCase keys. Only `lr`
 * is required; schedulers add `initialLr` and may read or write others (`momentum`, `betas`,
 * `maxLr`, …).
 */
export interface ParamGroup {
  /** The current learning rate, written by the scheduler. */
  lr: number;
  /** The learning rate at the time the first scheduler was attached (torch's `initial_lr`). */
  initialLr?: number;
  /** Any other per-group option. */
  [option: string]: unknown;
}

/**
 * An optimizer's default options (torch's `optimizer.defaults`): what a parameter group that sets
 * no value of its own uses. Only `lr` is read by lrspec.
 */
export interface OptimizerDefaults {
  /** The learning rate the optimizer was built with (torch's `defaults["lr"]`). */
  lr?: number;
  /** Any other default option. */
  [option: string]: unknown;
}

/** The part of an optimizer that a learning-rate scheduler drives. */
export interface Optimizer {
  /** The parameter groups, modified in place. */
  paramGroups: ParamGroup[];
  /**
   * The optimizer's defaults (torch's `optimizer.defaults`). Only the schedules that read
   * `optimizer.defaults["lr"]` upstream need it (Hugging Face's `polynomial` and min-lr
   * cosines); they throw a `TypeError` without it. Schedulers never write it.
   * @default {undefined}
   */
  defaults?: OptimizerDefaults;
}

/** A scheduler's resumable state: plain data, safe to `JSON.stringify`. */
export type StateDict = Record<string, unknown>;
