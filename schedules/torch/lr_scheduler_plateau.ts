/**
 * Port of PyTorch's {@linkcode ReduceLROnPlateau} (`torch/optim/lr_scheduler.py`, torch 1.13).
 *
 * @module
 */

import { pyMax } from "../_internal/python.ts";
import {
  attributeState,
  copyState,
  formatE4,
  formatEpoch,
  formatParam,
  requireStateKeys,
} from "./_helpers.ts";
import {
  boolean,
  finite,
  finiteWhere,
  integer,
  oneOf,
  requireOptions,
  show,
} from "../_internal/validate.ts";
import type { Optimizer, StateDict } from "../optimizer.ts";
import { requireOptimizer } from "../_internal/optimizer.ts";

/** Whether the monitored quantity should decrease (`"min"`) or increase (`"max"`). */
export type PlateauMode = "min" | "max";

/** How `threshold` is applied: relative to `best` or absolute. */
export type ThresholdMode = "rel" | "abs";

const MODES: readonly PlateauMode[] = ["min", "max"];
const THRESHOLD_MODES: readonly ThresholdMode[] = ["rel", "abs"];

/** Options of {@linkcode ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** The optimizer whose groups' `lr` is reduced. */
  optimizer: Optimizer;
  /**
   * `"min"`: reduce when the metric stops decreasing; `"max"`: when it stops increasing.
   * @default {"min"}
   */
  mode?: PlateauMode;
  /**
   * The factor the rate is multiplied by: a number < 1.
   * @default {0.1}
   */
  factor?: number;
  /**
   * Number of epochs without improvement tolerated before reducing: an integer >= 0.
   * @default {10}
   */
  patience?: number;
  /**
   * How much better a metric must be to count as an improvement.
   * @default {1e-4}
   */
  threshold?: number;
  /**
   * `"rel"`: better than `best · (1 ∓ threshold)`; `"abs"`: better than `best ∓ threshold`.
   * @default {"rel"}
   */
  thresholdMode?: ThresholdMode;
  /**
   * Epochs to wait after a reduction before counting bad epochs again: an integer >= 0.
   * @default {0}
   */
  cooldown?: number;
  /**
   * Lower bound of the rate, for every group or one per group.
   * @default {0}
   */
  minLr?: number | readonly number[];
  /**
   * A reduction smaller than this (`old − new <= eps`) is skipped.
   * @default {1e-8}
   */
  eps?: number;
  /**
   * Print each reduction, as torch's `verbose=True` does.
   * @default {false}
   */
  verbose?: boolean;
}

/**
 * Reduces the learning rate when a metric has stopped improving. Port of torch
 * `ReduceLROnPlateau` (torch 1.13).
 *
 * ```text
 * step(metric):  better = metric < best · (1 − threshold)   (min, rel)
 *                         metric < best − threshold         (min, abs)
 *                         metric > best · (threshold + 1)   (max, rel)
 *                         metric > best + threshold         (max, abs)
 *                better: best ← metric, bad ← 0;  else bad ← bad + 1
 *                in cooldown: cooldownCounter ← cooldownCounter − 1, bad ← 0
 *                bad > patience: for each group
 *                    new = max(lr · factor, minLr_g);  if lr − new > eps: lr ← new
 *                  cooldownCounter ← cooldown, bad ← 0
 * ```
 *
 * As in torch 1.13 this is not an {@linkcode LRScheduler}: it takes no initial step and its
 * `step` takes the metric. A NaN metric is never an improvement (every comparison is false), as
 * in torch. `best` starts at ±Infinity, which `JSON.stringify` writes as `null`;
 * {@linkcode ReduceLROnPlateau.loadStateDict} reads a `null` best back as the mode's worst
 * value. Additions: {@linkcode ReduceLROnPlateau.getLastLr} works before the first step (torch
 * 1.13 has no `get_last_lr` here; torch 2 does). lrspec validates `patience`, `cooldown`,
 * `minLr` and `eps`, which torch takes as they come.
 *
 * @example Reduce after two epochs without improvement
 * ```ts
 * import { ReduceLROnPlateau } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = new ReduceLROnPlateau({ optimizer, patience: 2 });
 * for (const loss of [1.0, 0.9, 0.9, 0.9]) scheduler.step(loss);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
 * scheduler.step(0.9); // the third bad epoch in a row
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1 * 0.1);
 * ```
 */
export class ReduceLROnPlateau {
  /** The optimizer whose groups are scheduled. Not part of the state dict. */
  readonly optimizer: Optimizer;
  /** The reduction factor. */
  factor: number;
  /** Lower bound of each group's rate (torch's `min_lrs`). */
  minLrs: number[];
  /** Bad epochs tolerated. */
  patience: number;
  /** Whether reductions are printed. */
  verbose: boolean;
  /** Epochs of cooldown after a reduction. */
  cooldown: number;
  /** Cooldown epochs left. */
  cooldownCounter: number;
  /** `"min"` or `"max"`. */
  mode: PlateauMode;
  /** The improvement threshold. */
  threshold: number;
  /** `"rel"` or `"abs"`. */
  thresholdMode: ThresholdMode;
  /** The best metric so far (±Infinity before any). */
  best: number;
  /** Consecutive epochs without improvement. */
  numBadEpochs: number;
  /** The worst value of the mode: Infinity for `"min"`, -Infinity for `"max"`. */
  modeWorse: number;
  /** Minimal reduction. */
  eps: number;
  /** The last epoch (0 before the first step). */
  lastEpoch: number;
  /** The rates after the last step. */
  protected _lastLr: number[];

  /**
   * Creates the scheduler, validating every option once. Does not touch the optimizer.
   *
   * @param options See {@linkcode ReduceLROnPlateauOptions}.
   * @throws {RangeError} If `factor >= 1` (torch `ValueError`), `mode` or `thresholdMode` is
   * unknown (torch `ValueError`), `minLr` has the wrong length (torch `ValueError`), or a
   * number is out of range.
   * @throws {TypeError} If an option has the wrong type or the optimizer is malformed.
   */
  constructor(options: ReduceLROnPlateauOptions) {
    const owner = "ReduceLROnPlateau";
    const o = requireOptions(owner, options, [
      "optimizer",
      "mode",
      "factor",
      "patience",
      "threshold",
      "thresholdMode",
      "cooldown",
      "minLr",
      "eps",
      "verbose",
    ]);
    const factor = finite(owner, "factor", o.factor ?? 0.1);
    if (factor >= 1.0) {
      throw new RangeError(`${owner}: Factor should be < 1.0: got ${show(factor)}`);
    }
    this.factor = factor;
    this.optimizer = requireOptimizer(owner, o.optimizer);
    const n = this.optimizer.paramGroups.length;
    const minLrs = formatParam(owner, "minLr", o.minLr ?? 0, n);
    minLrs.forEach((m, i) => finiteWhere(owner, `minLr[${i}]`, m, ">= 0", (x) => x >= 0));
    this.minLrs = minLrs;
    this.patience = integer(owner, "patience", o.patience ?? 10, "an integer >= 0", (x) => x >= 0);
    this.verbose = boolean(owner, "verbose", o.verbose ?? false);
    this.cooldown = integer(owner, "cooldown", o.cooldown ?? 0, "an integer >= 0", (x) => x >= 0);
    this.cooldownCounter = 0;
    this.mode = "min";
    this.threshold = finite(owner, "threshold", o.threshold ?? 1e-4);
    this.thresholdMode = "rel";
    this.best = Infinity;
    this.numBadEpochs = 0;
    this.modeWorse = Infinity;
    this.eps = finiteWhere(owner, "eps", o.eps ?? 1e-8, ">= 0", (x) => x >= 0);
    this.lastEpoch = 0;
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
    this.#initIsBetter(o.mode ?? "min", this.threshold, o.thresholdMode ?? "rel");
    this.#reset();
  }

  /** torch's `_reset`: forgets the best value and the counters. */
  #reset(): void {
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  /** torch's `_init_is_better`: validates the modes and sets `modeWorse`. */
  #initIsBetter(mode: unknown, threshold: number, thresholdMode: unknown): void {
    const owner = "ReduceLROnPlateau";
    const m = oneOf(owner, "mode", mode, MODES, " (torch: mode is unknown!)");
    const t = oneOf(
      owner,
      "thresholdMode",
      thresholdMode,
      THRESHOLD_MODES,
      " (torch: threshold mode is unknown!)",
    );
    this.modeWorse = m === "min" ? Infinity : -Infinity;
    this.mode = m;
    this.threshold = threshold;
    this.thresholdMode = t;
  }

  /** Whether the cooldown is running. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether metric `a` improves on `best` under the mode and threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === "min" && this.thresholdMode === "rel") {
      const relEpsilon = 1 - this.threshold;
      return a < best * relEpsilon;
    }
    if (this.mode === "min" && this.thresholdMode === "abs") return a < best - this.threshold;
    if (this.mode === "max" && this.thresholdMode === "rel") {
      const relEpsilon = this.threshold + 1;
      return a > best * relEpsilon;
    }
    return a > best + this.threshold;
  }

  /**
   * Records a metric and reduces the rates after too many epochs without improvement.
   *
   * @param metrics The monitored quantity (NaN counts as no improvement).
   * @param epoch Deprecated in torch: the epoch to record instead of `lastEpoch + 1`.
   * @throws {TypeError} If `metrics` is not a number.
   * @throws {RangeError} If `epoch` is not an integer.
   */
  step(metrics: number, epoch?: number): void {
    const owner = "ReduceLROnPlateau";
    if (typeof metrics !== "number") {
      throw new TypeError(`${owner}: \`metrics\` must be a number: got ${show(metrics)}`);
    }
    const current = metrics;
    if (epoch === undefined) epoch = this.lastEpoch + 1;
    else integer(owner, "epoch", epoch);
    this.lastEpoch = epoch;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // ignore any bad epochs in cooldown
    }
    if (this.numBadEpochs > this.patience) {
      this.#reduceLr(epoch);
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  #reduceLr(epoch: number): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = pyMax(oldLr * this.factor, this.minLrs[i]!);
      if (oldLr - newLr > this.eps) {
        group.lr = newLr;
        if (this.verbose) {
          console.log(
            `Epoch ${formatEpoch(epoch)}: reducing learning rate of group ${i} to ${
              formatE4(newLr)
            }.`,
          );
        }
      }
    });
  }

  /** The rates after the last step (the current rates before any step). */
  getLastLr(): number[] {
    return this._lastLr.slice();
  }

  /** Every attribute except the optimizer, as torch's `state_dict`. */
  stateDict(): StateDict {
    return attributeState(this);
  }

  /**
   * Restores a state from {@linkcode ReduceLROnPlateau.stateDict} and re-derives `modeWorse`, as
   * torch does. A `null` `best` (what `JSON.stringify` makes of ±Infinity) means the mode's
   * worst value.
   *
   * @throws {TypeError} If the state is not an object or has a key this scheduler lacks.
   * @throws {RangeError} If its `mode` or `thresholdMode` is unknown.
   */
  loadStateDict(state: StateDict): void {
    const { best, ...rest } = requireStateKeys("ReduceLROnPlateau", this, state);
    Object.assign(this, copyState(rest));
    this.#initIsBetter(this.mode, this.threshold, this.thresholdMode);
    if (best !== undefined) this.best = best === null ? this.modeWorse : (best as number);
  }
}
