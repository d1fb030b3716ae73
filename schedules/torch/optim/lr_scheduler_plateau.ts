/**
 * Port of PyTorch's {@linkcode ReduceLROnPlateau} (`torch/optim/lr_scheduler.py`, torch 1.13 and
 * 2.11).
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { pyMax } from "../../_internal/python.ts";
import { formatEpoch, requireStateKeys, requireTorch } from "./_helpers.ts";
import { checkStateGroups, checkStateValues, copyState } from "../../_internal/state.ts";
import { formatExp4 } from "../../_internal/python.ts";
import {
  boolean,
  finite,
  finiteWhere,
  integer,
  oneOf,
  requireOptions,
  show,
} from "../../_internal/validate.ts";
import type { Optimizer, StateDict } from "../../optimizer.ts";
import { LRScheduler, type TorchVersion } from "./lr_scheduler.ts";

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
   * torch 1.13 only: print each reduction, as torch's `verbose=True` does (torch 2.7 removed the
   * parameter: with `torch: "2.11"` or `"2.13"` passing it throws a `TypeError`).
   * @default {false}
   */
  verbose?: boolean;
  /**
   * The torch release to reproduce: its errors and state-dict keys.
   * @default {"2.13"}
   */
  torch?: TorchVersion;
}

/** torch 2.x's `ReduceLROnPlateau` state keys, in the order torch's `__dict__` has them. */
const TORCH2_STATE_KEYS: readonly string[] = [
  "factor",
  "defaultMinLr",
  "minLrs",
  "patience",
  "cooldown",
  "eps",
  "lastEpoch",
  "_lastLr",
  "modeWorse",
  "mode",
  "threshold",
  "thresholdMode",
  "best",
  "cooldownCounter",
  "numBadEpochs",
];

/** The attributes torch keeps in each release's state dict (lrspec's camelCase names). */
const STATE_KEYS: Readonly<Record<TorchVersion, readonly string[]>> = {
  "1.13": [
    "factor",
    "minLrs",
    "patience",
    "verbose",
    "cooldown",
    "cooldownCounter",
    "mode",
    "threshold",
    "thresholdMode",
    "best",
    "numBadEpochs",
    "modeWorse",
    "eps",
    "lastEpoch",
    "_lastLr",
  ],
  "2.11": TORCH2_STATE_KEYS,
  "2.13": TORCH2_STATE_KEYS,
};

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
 * It takes no initial step and its `step` takes the metric. A NaN metric is never an improvement
 * (every comparison is false), as in torch. `best` starts at ±Infinity, which `JSON.stringify`
 * writes as `null`; {@linkcode ReduceLROnPlateau.loadStateDict} reads a `null` best back as the
 * mode's worst value. lrspec validates `patience`, `cooldown`, `minLr` and `eps`, which torch
 * takes as they come.
 *
 * torch 2.11 and 2.13 (PR #108464, #119556): an {@linkcode LRScheduler} (without calling its constructor:
 * no `initialLr`, no initial step), with `getLastLr()` from construction on, and `defaultMinLr`
 * in its state (the scalar `minLr`, or `null` for a list), used to follow groups added later (a
 * list then throws, torch `RuntimeError`); `verbose` is gone. torch 1.13: not an `LRScheduler`
 * (here it is one in both modes, being one JavaScript class) and without `get_last_lr`
 * (lrspec's {@linkcode ReduceLROnPlateau.getLastLr} works anyway); its state has `verbose`.
 * Both releases' state dicts hold exactly torch's attributes.
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
export class ReduceLROnPlateau extends LRScheduler {
  /** The reduction factor. */
  factor: number;
  /** Lower bound of each group's rate (torch's `min_lrs`). */
  minLrs: number[];
  /** torch 2.11's and 2.13's `default_min_lr`: the scalar `minLr`, or `null` when a list was given. */
  defaultMinLr: number | null;
  /** Bad epochs tolerated. */
  patience: number;
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
  #stepped = false;

  /**
   * Creates the scheduler, validating every option once. Does not touch the optimizer.
   *
   * @param options See {@linkcode ReduceLROnPlateauOptions}.
   * @throws {RangeError} If `factor >= 1` (torch `ValueError`), `mode` or `thresholdMode` is
   * unknown (torch `ValueError`), `minLr` has the wrong length (torch `ValueError`), or a
   * number is out of range.
   * @throws {TypeError} If an option has the wrong type, the optimizer is malformed, or
   * `verbose` is given with torch 2.11 and 2.13.
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
      "torch",
    ]);
    requireTorch(owner, o);
    const factor = finite(owner, "factor", o.factor ?? 0.1);
    if (factor >= 1.0) {
      throw optionError(
        RangeError,
        owner,
        "factor",
        factor,
        `Factor should be < 1.0: got ${show(factor)}`,
      );
    }
    boolean(owner, "verbose", o.verbose ?? false);
    super(owner, o, "attach");
    this.factor = factor;
    const n = this.optimizer.paramGroups.length;
    const minLr = o.minLr ?? 0;
    let minLrs: number[];
    if (Array.isArray(minLr)) {
      if (minLr.length !== n) {
        throw optionError(
          RangeError,
          owner,
          "minLr",
          minLr,
          `expected ${n} min_lrs, got ${minLr.length} (torch ValueError)`,
        );
      }
      minLrs = minLr.map((m, i) => finiteWhere(owner, `minLr[${i}]`, m, ">= 0", (x) => x >= 0));
      this.defaultMinLr = null;
    } else {
      const m = finiteWhere(owner, "minLr", minLr, ">= 0", (x) => x >= 0);
      minLrs = new Array<number>(n).fill(m);
      this.defaultMinLr = m;
    }
    this.minLrs = minLrs;
    this.patience = integer(owner, "patience", o.patience ?? 10, "an integer >= 0", (x) => x >= 0);
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
  override step(metrics: number, epoch?: number): void {
    this.#stepped = true;
    const owner = "ReduceLROnPlateau";
    if (typeof metrics !== "number") {
      throw optionError(
        TypeError,
        owner,
        "metrics",
        metrics,
        `\`metrics\` must be a number: got ${show(metrics)}`,
      );
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
    const groups = this.optimizer.paramGroups;
    if (this.torch !== "1.13" && groups.length !== this.minLrs.length) {
      if (this.defaultMinLr === null) {
        throw optionError(
          RangeError,
          "ReduceLROnPlateau",
          "optimizer.paramGroups",
          groups,
          `The number of param groups in the \`optimizer\` (${groups.length}) ` +
            `differs from when \`ReduceLROnPlateau\` was initialized (${this.minLrs.length}), ` +
            "usually due to a new param group being added to the optimizer. Please modify the " +
            "`minLrs` field to match the length of the `optimizer` param groups. (torch " +
            "RuntimeError)",
        );
      }
      this.minLrs = new Array<number>(groups.length).fill(this.defaultMinLr);
    }
    if (groups.length > this.minLrs.length) {
      throw optionError(
        RangeError,
        "ReduceLROnPlateau",
        "minLr",
        this.minLrs,
        `list index out of range: ${groups.length} param groups and ` +
          `${this.minLrs.length} \`minLrs\` (torch 1.13 IndexError)`,
      );
    }
    groups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = pyMax(oldLr * this.factor, this.minLrs[i]!);
      if (oldLr - newLr > this.eps) {
        group.lr = newLr;
        if (this.verbose) {
          console.log(
            `Epoch ${formatEpoch(epoch)}: reducing learning rate of group ${i} to ${
              formatExp4(newLr)
            }.`,
          );
        }
      }
    });
  }

  /**
   * Not defined: torch 2.11 and 2.13 inherits `LRScheduler.get_lr`, which raises.
   * @throws {TypeError} Always (torch raises `NotImplementedError`).
   */
  getLr(): number[] {
    throw optionError(
      TypeError,
      "ReduceLROnPlateau",
      "getLr()",
      undefined,
      "getLr() is not implemented (torch NotImplementedError); use getLastLr()",
    );
  }

  /**
   * The attributes torch's `state_dict` holds in this release (every one but the optimizer;
   * torch 1.13 has `_lastLr` only once `step` ran).
   */
  override stateDict(): StateDict {
    const state: StateDict = {};
    const self = this as unknown as Record<string, unknown>;
    for (const key of STATE_KEYS[this.torch]) {
      if (key === "_lastLr" && this.torch === "1.13" && !this.#stepped) continue;
      state[key] = copyState(self[key]);
    }
    return state;
  }

  /**
   * Restores a state from {@linkcode ReduceLROnPlateau.stateDict} and re-derives `modeWorse`, as
   * torch does. A `null` `best` (what `JSON.stringify` makes of ±Infinity) means the mode's
   * worst value.
   *
   * @throws {TypeError} If the state is not an object or has a key this scheduler lacks.
   * @throws {RangeError} If its `mode` or `thresholdMode` is unknown.
   */
  override loadStateDict(state: StateDict): void {
    const keys = STATE_KEYS[this.torch];
    const { best, ...rest } = requireStateKeys("ReduceLROnPlateau", keys, state);
    const { best: _best, ...current } = this.stateDict();
    checkStateValues("ReduceLROnPlateau", current, rest, {
      optional: ["defaultMinLr", "modeWorse"],
    });
    // Checked before anything is restored: a refused state leaves the scheduler as it was.
    checkStateGroups(
      "ReduceLROnPlateau",
      rest,
      ["_lastLr", "minLrs"],
      this.optimizer.paramGroups.length,
    );
    oneOf("ReduceLROnPlateau", "mode", rest.mode ?? this.mode, MODES);
    oneOf(
      "ReduceLROnPlateau",
      "thresholdMode",
      rest.thresholdMode ?? this.thresholdMode,
      THRESHOLD_MODES,
    );
    Object.assign(this, copyState(rest));
    if ("_lastLr" in rest) this.#stepped = true;
    this.#initIsBetter(this.mode, this.threshold, this.thresholdMode);
    if (best === null) this.best = this.modeWorse;
    else if (typeof best === "number") this.best = best;
    else if (best !== undefined) {
      throw optionError(
        TypeError,
        "ReduceLROnPlateau",
        "state.best",
        best,
        `state \`best\` must be a number: got ${show(best)}`,
      );
    }
  }
}
