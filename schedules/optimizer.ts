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

/** The part of an optimizer that a learning-rate scheduler drives. */
export interface Optimizer {
  /** The parameter groups, modified in place. */
  paramGroups: ParamGroup[];
}

/** A scheduler's resumable state: plain data, safe to `JSON.stringify`. */
export type StateDict = Record<string, unknown>;
