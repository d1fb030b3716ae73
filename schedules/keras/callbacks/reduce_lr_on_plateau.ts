/**
 * Port of Keras 3's `keras/src/callbacks/reduce_lr_on_plateau.py` (with the parts of
 * `monitor_callback.py` it inherits), Keras 3.15.1.
 *
 * @module
 */

import { finite, oneOf, requireOptions, show } from "../../_internal/validate.ts";
import { optionError } from "../../errors.ts";
import { type Backend, BACKENDS } from "../ops.ts";
import type { KerasOptimizerLike } from "./learning_rate_scheduler.ts";

/** Options of {@linkcode ReduceLROnPlateau} (Keras' keyword arguments, camelCase). */
export interface ReduceLROnPlateauOptions {
  /**
   * The quantity watched, a key of the epoch's logs (Keras `monitor`).
   *
   * @default {"val_loss"}
   */
  monitor?: string;
  /**
   * The factor the learning rate is multiplied by (Keras `factor`); must be < 1.
   *
   * @default {0.1}
   */
  factor?: number;
  /**
   * Epochs without improvement before the learning rate is reduced (Keras `patience`).
   *
   * @default {10}
   */
  patience?: number;
  /**
   * Keras `verbose`: only 0 (no messages) is ported.
   *
   * @default {0}
   */
  verbose?: 0;
  /**
   * `"min"`, `"max"`, or `"auto"` (Keras `mode`): `auto` minimises a `loss` and maximises or
   * minimises a Keras metric by its direction. An unknown mode falls back to `"auto"`, as Keras
   * does (with a warning, kept in {@linkcode ReduceLROnPlateau.warnings}).
   *
   * @default {"auto"}
   */
  mode?: "auto" | "min" | "max";
  /**
   * The smallest change that counts as an improvement (Keras `min_delta`; its absolute value is
   * used).
   *
   * @default {0.0001}
   */
  minDelta?: number;
  /**
   * Epochs to wait after a reduction before counting again (Keras `cooldown`).
   *
   * @default {0}
   */
  cooldown?: number;
  /**
   * The lower bound of the learning rate (Keras `min_lr`).
   *
   * @default {0.0}
   */
  minLr?: number;
  /**
   * The Keras backend whose comparison to emulate (not a Keras argument): `ops.less` /
   * `ops.greater` on two Python floats compare in float64 on numpy (`np.less`) and in float32 on
   * JAX and torch (both values converted to float32 tensors first).
   *
   * @default {"jax"}
   */
  backend?: Backend;
}

/** Keras' built-in metrics with a direction (`_direction`), by their default names. */
const UP = new Set([
  "accuracy",
  "binary_accuracy",
  "categorical_accuracy",
  "sparse_categorical_accuracy",
  "top_k_categorical_accuracy",
  "sparse_top_k_categorical_accuracy",
  "precision",
  "recall",
  "auc",
  "pearson_correlation",
  "concordance_correlation",
  "fbeta_score",
  "f1_score",
  "cosine_similarity",
  "r2_score",
  "iou",
  "mean_iou",
  "binary_iou",
  "one_hot_iou",
  "one_hot_mean_iou",
]);
const DOWN = new Set([
  "hinge",
  "squared_hinge",
  "categorical_hinge",
  "binary_crossentropy",
  "categorical_crossentropy",
  "sparse_categorical_crossentropy",
  "mean_squared_error",
  "mean_absolute_error",
  "mean_absolute_percentage_error",
  "mean_squared_logarithmic_error",
  "root_mean_squared_error",
  "logcosh",
]);

/**
 * Reduces the learning rate when a metric stops improving. Port of Keras `ReduceLROnPlateau`
 * (Keras 3.15.1), stepped as `model.fit` steps it: {@linkcode ReduceLROnPlateau.onTrainBegin},
 * then {@linkcode ReduceLROnPlateau.onEpochEnd} after every epoch with the epoch's logs.
 *
 * Keras' arithmetic, including where it is float32: the optimizer's learning rate is a float32
 * variable (each reduction `lr * factor` is computed in double from the float32 value, bounded
 * below by `min_lr`, then stored rounded to float32); the improvement test
 * `current - min_delta < best` (`>` in `max` mode) is `ops.less` / `ops.greater` on Python floats,
 * which the JAX and torch backends convert to float32 tensors first — so there improvements finer
 * than float32's resolution do not count (numpy compares the doubles; the `backend` option picks). A reduction happens only while `lr > float32(min_lr)`.
 *
 * Differences: Keras' `auto` mode looks the monitored metric up in the model to find its
 * direction; lrspec knows the directions of Keras' built-in metrics by their default names and
 * throws Keras' `ValueError` (as a `RangeError`) for any other name. `verbose` messages are not
 * printed. Keras also writes `learning_rate` into the epoch's logs; lrspec leaves the logs alone.
 *
 * @example
 * ```ts
 * import { ReduceLROnPlateau } from "@lrspec/lrspec/keras";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { learningRate: Math.fround(0.1) };
 * const callback = new ReduceLROnPlateau({ monitor: "val_loss", factor: 0.5, patience: 2 });
 * callback.onTrainBegin();
 * for (const [epoch, loss] of [0.9, 0.8, 0.8, 0.8, 0.8].entries()) {
 *   callback.onEpochEnd(epoch, { val_loss: loss }, optimizer);
 * }
 * assert.equal(optimizer.learningRate, Math.fround(Math.fround(0.1) * 0.5));
 * ```
 */
export class ReduceLROnPlateau {
  /** Keras `monitor`. */
  readonly monitor: string;
  /** Keras `factor`. */
  readonly factor: number;
  /** Keras `patience`. */
  readonly patience: number;
  /** Keras `mode`, after the fallback of an unknown mode to `"auto"`. */
  readonly mode: "auto" | "min" | "max";
  /** Keras `min_delta`: its absolute value, negated once the mode is known to minimise. */
  minDelta: number;
  /** Keras `cooldown`. */
  readonly cooldown: number;
  /** Keras `min_lr`. */
  readonly minLr: number;
  /** The best monitored value so far (`null` before the first). */
  best: number | null = null;
  /** Epochs since the last improvement. */
  wait = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** The emulated backend. */
  readonly backend: Backend;
  /** What Keras would have warned about (an unknown mode, a missing metric). */
  readonly warnings: string[] = [];
  #op: "less" | "greater" | null = null;

  /**
   * Validates the options, once.
   *
   * @param options See {@linkcode ReduceLROnPlateauOptions}.
   * @throws {RangeError} Where Keras raises `ValueError`: `factor >= 1.0`; for `verbose` other
   * than 0, a negative `patience` or `cooldown` that is not an integer.
   * @throws {TypeError} For an option of the wrong type or an unknown option.
   */
  constructor(options: ReduceLROnPlateauOptions = {}) {
    const owner = "ReduceLROnPlateau";
    const o = requireOptions(owner, options, [
      "monitor",
      "factor",
      "patience",
      "verbose",
      "mode",
      "minDelta",
      "cooldown",
      "minLr",
      "backend",
    ]);
    const monitor = o.monitor ?? "val_loss";
    if (typeof monitor !== "string") {
      throw optionError(
        TypeError,
        owner,
        "monitor",
        monitor,
        `\`monitor\` must be a string: got ${show(monitor)}`,
      );
    }
    let mode = o.mode ?? "auto";
    if (typeof mode !== "string") {
      throw optionError(
        TypeError,
        owner,
        "mode",
        mode,
        `\`mode\` must be a string: got ${show(mode)}`,
      );
    }
    if (!["auto", "min", "max"].includes(mode)) {
      this.warnings.push(`ReduceLROnPlateau mode '${mode}' is unknown, fallback to auto mode.`);
      mode = "auto";
    }
    const factor = finite(owner, "factor", o.factor ?? 0.1);
    if (factor >= 1.0) {
      throw optionError(
        RangeError,
        owner,
        "factor",
        factor,
        `ReduceLROnPlateau does not support a factor >= 1.0. Received factor=${show(factor)}`,
      );
    }
    const count = (name: string, value: unknown): number => {
      const x = finite(owner, name, value);
      if (!Number.isInteger(x)) {
        throw optionError(
          RangeError,
          owner,
          name,
          x,
          `\`${name}\` must be an integer: got ${show(x)}`,
        );
      }
      return x;
    };
    if ((o.verbose ?? 0) !== 0) {
      throw optionError(
        RangeError,
        owner,
        "verbose",
        o.verbose,
        `only \`verbose: 0\` is ported (Keras prints messages otherwise): got ${show(o.verbose)}`,
      );
    }
    this.monitor = monitor;
    this.mode = mode as "auto" | "min" | "max";
    this.factor = factor;
    this.patience = count("patience", o.patience ?? 10);
    this.minDelta = Math.abs(finite(owner, "minDelta", o.minDelta ?? 1e-4));
    this.cooldown = count("cooldown", o.cooldown ?? 0);
    this.minLr = finite(owner, "minLr", o.minLr ?? 0.0);
    this.backend = oneOf(owner, "backend", o.backend ?? "jax", BACKENDS);
  }

  /** Keras' `on_train_begin`: resets the best value, the wait and the cooldown. */
  onTrainBegin(): void {
    this.best = null;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  /** Whether a cooldown is running (Keras `in_cooldown`). */
  inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  #setMonitorOp(): void {
    if (this.mode === "min") this.#op = "less";
    else if (this.mode === "max") this.#op = "greater";
    else {
      const metric = this.monitor.startsWith("val_") ? this.monitor.slice(4) : this.monitor;
      if (metric === "loss" || DOWN.has(metric)) this.#op = "less";
      else if (UP.has(metric)) this.#op = "greater";
      else {
        throw optionError(
          RangeError,
          "ReduceLROnPlateau",
          "monitor",
          this.monitor,
          `ReduceLROnPlateau callback received monitor=${this.monitor}, but Keras isn't able to ` +
            "automatically determine whether that metric should be maximized or minimized. " +
            "Pass `mode='max'` in order to monitor based on the highest metric value, or pass " +
            "`mode='min'` in order to use the lowest value.",
        );
      }
    }
    if (this.#op === "less") this.minDelta *= -1;
  }

  #isImprovement(current: number, reference: number | null): boolean {
    if (reference === null) return true;
    // ops.less / ops.greater: numpy compares the Python floats (float64); JAX and torch convert
    // both to float32 tensors first.
    const f32 = this.backend !== "numpy";
    const a = f32 ? Math.fround(current - this.minDelta) : current - this.minDelta;
    const b = f32 ? Math.fround(reference) : reference;
    return this.#op === "less" ? a < b : a > b;
  }

  /**
   * Keras' `on_epoch_end`: reads the monitored value from `logs` and reduces the optimizer's
   * learning rate (a float32 variable: the value written is `Math.fround`ed) after `patience`
   * epochs without improvement.
   *
   * @param epoch The epoch that ended (0-based; Keras uses it for messages only).
   * @param logs The epoch's logs (`{ loss, val_loss, … }`).
   * @param optimizer The optimizer whose `learningRate` to read and write.
   * @returns Whether the learning rate was reduced.
   * @throws {RangeError} In `auto` mode, for a metric whose direction Keras would not know.
   */
  onEpochEnd(
    epoch: number,
    logs: Readonly<Record<string, number | undefined>>,
    optimizer: KerasOptimizerLike,
  ): boolean {
    void epoch;
    if (this.#op === null) this.#setMonitorOp();
    const current = logs[this.monitor];
    if (current === undefined) {
      this.warnings.push(
        `Learning rate reduction is conditioned on metric \`${this.monitor}\` which is not ` +
          `available. Available metrics are: ${[...Object.keys(logs), "learning_rate"].join(",")}.`,
      );
      return false;
    }
    if (this.inCooldown()) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.#isImprovement(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown()) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const oldLr = optimizer.learningRate;
        if (oldLr > Math.fround(this.minLr)) {
          const newLr = Math.max(oldLr * this.factor, this.minLr);
          optimizer.learningRate = Math.fround(newLr);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
          return true;
        }
      }
    }
    return false;
  }
}
