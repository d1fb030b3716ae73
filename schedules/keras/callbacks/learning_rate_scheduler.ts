/**
 * Port of Keras 3's `keras/src/callbacks/learning_rate_scheduler.py` (Keras 3.15.1).
 *
 * @module
 */

import { requireOptions, show } from "../../_internal/validate.ts";
import { optionError } from "../../errors.ts";

/**
 * What Keras' LR callbacks read and write: the optimizer's `learning_rate`, a float32 variable.
 * The callbacks write `Math.fround` of the value Keras computes, as assigning to the variable
 * rounds it.
 */
export interface KerasOptimizerLike {
  /** The current learning rate (a float32 value). */
  learningRate: number;
}

/** Options of {@linkcode LearningRateScheduler}. */
export interface LearningRateSchedulerOptions {
  /**
   * `schedule(epoch, lr)`: the learning rate of the epoch from its 0-based index and the current
   * learning rate (Keras `schedule`; a one-argument function works too).
   */
  schedule: (epoch: number, lr: number) => number;
  /**
   * Keras `verbose`: only 0 (no messages) is ported.
   *
   * @default {0}
   */
  verbose?: 0;
}

/**
 * Sets the learning rate at the start of every epoch from a function of the epoch. Port of
 * Keras `LearningRateScheduler` (Keras 3.15.1), stepped as `model.fit` steps it:
 * {@linkcode LearningRateScheduler.onEpochBegin} before each epoch.
 *
 * The function receives the current learning rate as Keras reads it (`float()` of the float32
 * variable: `0.1` arrives as `0.10000000149011612`), and what it returns is stored rounded to
 * float32.
 *
 * Differences: Keras raises `ValueError` unless the function returns a Python or numpy float (a
 * Python int is refused); lrspec throws a `TypeError` unless it returns a number, and a
 * `RangeError` for a non-finite one (Keras would train with it).
 *
 * @example
 * ```ts
 * import { LearningRateScheduler } from "@lrspec/lrspec/keras";
 * import assert from "node:assert/strict";
 *
 * // keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr if epoch < 3 else lr * 0.9)
 * const callback = new LearningRateScheduler({
 *   schedule: (epoch, lr) => epoch < 3 ? lr : lr * 0.9,
 * });
 * const optimizer = { learningRate: Math.fround(0.1) };
 * for (let epoch = 0; epoch < 4; epoch++) callback.onEpochBegin(epoch, optimizer);
 * assert.equal(optimizer.learningRate, Math.fround(Math.fround(0.1) * 0.9));
 * ```
 */
export class LearningRateScheduler {
  /** Keras `schedule`. */
  readonly schedule: (epoch: number, lr: number) => number;

  /**
   * Validates the options, once.
   *
   * @param options `{ schedule, verbose? }`.
   * @throws {TypeError} If `schedule` is not a function, or for an unknown option.
   * @throws {RangeError} For `verbose` other than 0.
   */
  constructor(options: LearningRateSchedulerOptions) {
    const owner = "LearningRateScheduler";
    const o = requireOptions(owner, options, ["schedule", "verbose"]);
    if (typeof o.schedule !== "function") {
      throw optionError(
        TypeError,
        owner,
        "schedule",
        o.schedule,
        `\`schedule\` must be a function: got ${show(o.schedule)}`,
      );
    }
    if ((o.verbose ?? 0) !== 0) {
      throw optionError(
        RangeError,
        owner,
        "verbose",
        o.verbose,
        `only \`verbose: 0\` is ported (Keras prints messages otherwise): got ${show(o.verbose)}`,
      );
    }
    this.schedule = o.schedule;
  }

  /**
   * Keras' `on_epoch_begin`: `optimizer.learningRate = float32(schedule(epoch, lr))`.
   *
   * @param epoch The epoch about to start (0-based).
   * @param optimizer The optimizer whose `learningRate` to read and write.
   * @returns The value the schedule returned (before the float32 rounding).
   * @throws {TypeError} If the schedule returns something other than a number.
   * @throws {RangeError} If it returns NaN or ±Infinity.
   */
  onEpochBegin(epoch: number, optimizer: KerasOptimizerLike): number {
    const lr = this.schedule(epoch, optimizer.learningRate);
    if (typeof lr !== "number") {
      throw optionError(
        TypeError,
        "LearningRateScheduler",
        "schedule",
        lr,
        `The output of the \`schedule\` function should be a float. Got: ${show(lr)}`,
      );
    }
    if (!Number.isFinite(lr)) {
      throw optionError(
        RangeError,
        "LearningRateScheduler",
        "schedule",
        lr,
        `the schedule returned ${lr} at epoch ${epoch}`,
      );
    }
    optimizer.learningRate = Math.fround(lr);
    return lr;
  }
}
