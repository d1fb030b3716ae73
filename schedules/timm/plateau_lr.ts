/**
 * Port of timm's `timm/scheduler/plateau_lr.py` (timm 1.0.29): {@linkcode PlateauLRScheduler}.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { ReduceLROnPlateau } from "../torch/optim/lr_scheduler_plateau.ts";
import {
  finite,
  finiteWhere,
  integer,
  oneOf,
  requireOptions,
  show,
} from "../_internal/validate.ts";
import type { Optimizer, StateDict } from "../optimizer.ts";
import { warmupSteps, warmupValues } from "./_cycle.ts";
import { type NoiseOptions, type NoiseType, Scheduler, type WarmupOptions } from "./scheduler.ts";

/** Options of {@linkcode PlateauLRScheduler}: timm's keywords in camelCase. */
export interface PlateauLRSchedulerOptions extends NoiseOptions, WarmupOptions {
  /** The optimizer whose groups' `lr` is scheduled. */
  optimizer: Optimizer;
  /**
   * The factor applied on a plateau (torch's `factor`): a number < 1.
   * @default {0.1}
   */
  decayRate?: number;
  /**
   * Epochs without improvement tolerated (torch's `patience`): an integer >= 0.
   * @default {10}
   */
  patienceT?: number;
  /**
   * How much better a metric must be to count as an improvement (relative).
   * @default {1e-4}
   */
  threshold?: number;
  /**
   * Epochs to wait after a reduction (torch's `cooldown`): an integer >= 0.
   * @default {0}
   */
  cooldownT?: number;
  /**
   * Lower bound of the rate (torch's `min_lr`), for every group or one per group.
   * @default {0}
   */
  lrMin?: number | readonly number[];
  /**
   * `"max"`: a larger metric is better (accuracy); `"min"`: a smaller one (loss).
   * @default {"max"}
   */
  mode?: "min" | "max";
  /**
   * `"normal"` (redrawn until below `noisePct`) or `"uniform"`.
   * @default {"normal"}
   */
  noiseType?: NoiseType;
  /**
   * Record each group's `lr` as `initialLr` (or require `initialLr` when `false`).
   * @default {true}
   */
  initialize?: boolean;
}

/**
 * Decays the rate when a metric stops improving, after a warmup, with noise — timm's wrapper of
 * torch's `ReduceLROnPlateau` (lrspec's {@linkcode ReduceLROnPlateau}). Port of timm
 * `PlateauLRScheduler` (timm 1.0.29).
 *
 * ```text
 * step(epoch, metric):
 *   epoch <= warmupT:  lr_g ← (warmupLrInit + epoch · (base_g − warmupLrInit) / warmupT) · lrScale_g
 *   otherwise:         lr_g ← restoreLr_g (the rate before the last noise), if any
 *                      metric given: ReduceLROnPlateau.step(metric)
 *                      noise applies at epoch:  restoreLr_g ← lr_g,  lr_g ← lr_g + lr_g · noise
 * stepUpdate(...):     nothing
 * ```
 *
 * The noise is applied on top of the plateau scheduler's rate and undone before its next step,
 * so it never compounds. timm's quirks are kept: with `warmupT = 0`, `step(0)` sets every
 * group to `warmupLrInit` (timm's training loop steps from epoch 1); `tInEpochs` is not an
 * option; the state dict holds only the plateau scheduler's `best` and `lastEpoch`.
 *
 * @example timm's `--sched plateau --patience-epochs 2` on a loss (`mode: "min"`)
 * ```ts
 * import { PlateauLRScheduler } from "@lrspec/lrspec/timm";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = new PlateauLRScheduler({ optimizer, patienceT: 2, mode: "min" });
 * const losses = [1.0, 0.9, 0.9, 0.9, 0.9];
 * losses.forEach((loss, epoch) => scheduler.step(epoch + 1, loss));
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1 * 0.1); // the third epoch without improvement
 * ```
 */
export class PlateauLRScheduler extends Scheduler {
  /** The torch scheduler that decays the rate (timm's `lr_scheduler`). */
  lrScheduler: ReduceLROnPlateau;
  /** Warmup length. */
  warmupT: number;
  /** The warmup's starting rate. */
  warmupLrInit: number;
  /** Each group's warmup increment per epoch (timm's `warmup_steps`). */
  warmupSteps: number[];
  /** The rates before the last noise, restored before the next plateau step. */
  restoreLr: number[] | null;

  /**
   * Creates the scheduler and writes the rates of epoch 0 into the groups.
   *
   * @param options See {@linkcode PlateauLRSchedulerOptions}.
   * @throws {RangeError} If `decayRate >= 1` (torch: "Factor should be < 1.0."), `mode` is
   * unknown (torch: "mode is unknown!"), `patienceT` or `cooldownT` is not an integer >= 0,
   * `lrMin` is negative or has the wrong length, or a number is not finite.
   * @throws {TypeError} If an option is unknown or has the wrong type, or the optimizer is
   * malformed.
   */
  constructor(options: PlateauLRSchedulerOptions) {
    const owner = "PlateauLRScheduler";
    const o = requireOptions(owner, options, [
      "optimizer",
      "decayRate",
      "patienceT",
      "threshold",
      "cooldownT",
      "warmupT",
      "warmupLrInit",
      "lrMin",
      "mode",
      "noiseRangeT",
      "noiseType",
      "noisePct",
      "noiseStd",
      "noiseSeed",
      "initialize",
    ]);
    const factor = finiteWhere(
      owner,
      "decayRate",
      o.decayRate ?? 0.1,
      "< 1 (torch: Factor should be < 1.0.)",
      (x) => x < 1.0,
    );
    const patience = integer(
      owner,
      "patienceT",
      o.patienceT ?? 10,
      "an integer >= 0",
      (x) => x >= 0,
    );
    const threshold = finite(owner, "threshold", o.threshold ?? 1e-4);
    const cooldown = integer(
      owner,
      "cooldownT",
      o.cooldownT ?? 0,
      "an integer >= 0",
      (x) => x >= 0,
    );
    const warmupT = finite(owner, "warmupT", o.warmupT ?? 0);
    const warmupLrInit = finite(owner, "warmupLrInit", o.warmupLrInit ?? 0);
    const minLr = o.lrMin ?? 0;
    const mode = oneOf(
      owner,
      "mode",
      o.mode ?? "max",
      ["min", "max"],
      " (torch: mode is unknown!)",
    );
    const groups = (o.optimizer as { paramGroups?: unknown } | null | undefined)?.paramGroups;
    if (Array.isArray(minLr) && Array.isArray(groups) && minLr.length !== groups.length) {
      throw optionError(
        RangeError,
        owner,
        "lrMin",
        minLr,
        `expected ${groups.length} values for \`lrMin\`, got ${minLr.length} (torch ValueError)`,
      );
    }
    (Array.isArray(minLr) ? minLr : [minLr]).forEach((m, i) =>
      finiteWhere(owner, Array.isArray(minLr) ? `lrMin[${i}]` : "lrMin", m, ">= 0", (x) => x >= 0)
    );
    super(owner, { ...o, paramGroupField: "lr" });
    this.lrScheduler = new ReduceLROnPlateau({
      optimizer: this.optimizer,
      patience,
      factor,
      threshold,
      cooldown,
      mode,
      minLr: Array.isArray(minLr) ? minLr.slice() : minLr,
    });
    this.warmupT = warmupT;
    this.warmupLrInit = warmupLrInit;
    this.warmupSteps = warmupSteps(owner, this.baseValues, warmupLrInit, warmupT);
    if (this.warmupT) this.updateGroups(this.warmupLrInit);
    this.restoreLr = null;
  }

  /** The plateau scheduler's `best` and `lastEpoch` (timm's `state_dict`). */
  override stateDict(): StateDict {
    return { best: this.lrScheduler.best, lastEpoch: this.lrScheduler.lastEpoch };
  }

  /**
   * Restores `best` (a `null` best, what `JSON.stringify` makes of ±Infinity, is the mode's
   * worst value) and `lastEpoch` when present (timm's `load_state_dict`).
   *
   * @throws {TypeError} If `state` is not an object or `best` is not a number or `null`.
   */
  override loadStateDict(state: StateDict): void {
    const owner = "PlateauLRScheduler";
    if (typeof state !== "object" || state === null || Array.isArray(state)) {
      throw optionError(
        TypeError,
        owner,
        "state",
        state,
        `state must be an object: got ${show(state)}`,
      );
    }
    const best = state.best;
    if (best !== null && typeof best !== "number") {
      throw optionError(
        TypeError,
        owner,
        "state.best",
        best,
        `state \`best\` must be a number: got ${show(best)}`,
      );
    }
    this.lrScheduler.loadStateDict({ best });
    if ("lastEpoch" in state) {
      this.lrScheduler.lastEpoch = integer(owner, "lastEpoch", state.lastEpoch);
    }
  }

  /**
   * timm's `step(epoch, metric)`, which replaces the base class's entirely: the warmup, then
   * the plateau scheduler on `metric` (when given) and the noise.
   *
   * @throws {RangeError} If `epoch` is not finite.
   * @throws {TypeError} If `metric` is not a number or `null`.
   */
  override step(epoch: number, metric: number | null = null): void {
    const owner = "PlateauLRScheduler";
    finite(owner, "epoch", epoch);
    if (metric !== null && typeof metric !== "number") {
      throw optionError(
        TypeError,
        owner,
        "metric",
        metric,
        `\`metric\` must be a number or null: got ${show(metric)}`,
      );
    }
    if (epoch <= this.warmupT) {
      this.updateGroups(warmupValues(this.warmupLrInit, epoch, this.warmupSteps));
      return;
    }
    if (this.restoreLr !== null) {
      // restore the rate from before the last noise, before stepping the plateau scheduler
      const restore = this.restoreLr;
      this.optimizer.paramGroups.forEach((group, i) => {
        if (i >= restore.length) {
          throw optionError(
            RangeError,
            owner,
            "state.restoreLr",
            restore,
            `no rate to restore for group ${i} (timm IndexError)`,
          );
        }
        group.lr = restore[i]!;
      });
      this.restoreLr = null;
    }
    if (metric !== null) this.lrScheduler.step(metric);
    if (this.isApplyNoise(epoch)) this.applyNoise(epoch);
  }

  /** Does nothing: timm's plateau scheduler steps per epoch only. */
  override stepUpdate(_numUpdates: number, _metric: number | null = null): void {}

  /** timm's `_apply_noise`: noise on top of the current rates, remembering them for restore. */
  protected applyNoise(epoch: number): void {
    const noise = this.calculateNoise(epoch);
    const restore: number[] = [];
    for (const group of this.optimizer.paramGroups) {
      const oldLr = group.lr;
      restore.push(oldLr);
      group.lr = oldLr + oldLr * noise;
    }
    this.restoreLr = restore;
  }

  /**
   * Never called by the plateau scheduler (timm's `_get_lr` asserts).
   *
   * @throws {TypeError} Always: "should not be called as step is overridden".
   */
  getLr(_t: number): number[] {
    throw optionError(
      TypeError,
      "PlateauLRScheduler",
      "t",
      _t,
      "getLr should not be called as step is overridden (timm asserts)",
    );
  }
}
