/**
 * Port of timm's `timm/scheduler/multistep_lr.py` (timm 1.0.29):
 * {@linkcode MultiStepLRScheduler}.
 *
 * @module
 */

import { bisectRight } from "../_internal/python.ts";
import { boolean, finite, finiteArray, requireOptions } from "../_internal/validate.ts";
import { warmupSteps, warmupValues } from "./_cycle.ts";
import { floatPow } from "../_internal/python.ts";
import { Scheduler, type TimmSchedulerOptions, type WarmupOptions } from "./scheduler.ts";
import { SCHEDULER_KEYS } from "./_shared.ts";

/** Options of {@linkcode MultiStepLRScheduler}: timm's keywords in camelCase. */
export interface MultiStepLRSchedulerOptions extends TimmSchedulerOptions, WarmupOptions {
  /** The decay milestones (timm's `decay_t`), assumed sorted as in timm. */
  decayT: readonly number[];
  /**
   * The factor applied at each milestone.
   * @default {1.0}
   */
  decayRate?: number;
  /**
   * `true`: the milestones count from the end of the warmup (`t − warmupT`).
   * @default {true}
   */
  warmupPrefix?: boolean;
}

/**
 * Multi-step decay with warmup and noise. Port of timm `MultiStepLRScheduler` (timm 1.0.29).
 *
 * ```text
 * t < warmupT:   warmupLrInit + t · (base_g − warmupLrInit) / warmupT
 * otherwise:     t ← t − warmupT if warmupPrefix
 *                base_g · decayRate ** bisect_right(decayT, t + 1)
 * ```
 *
 * timm looks up `t + 1`, so each decay takes effect **one step before** its milestone:
 * `decayT = [30]` stepped per epoch gives the decayed rate from `step(29)` on, i.e. during epoch
 * 29 (`torch.optim.lr_scheduler.MultiStepLR` decays at 30). lrspec reproduces it. `bisect_right`
 * is Python's, on the list as given (timm assumes it sorted and does not check). `**` goes
 * through the runtime's libm.
 *
 * @example `decay_t=[30, 60]`: the drops come at epochs 29 and 59
 * ```ts
 * import { MultiStepLRScheduler } from "@lrspec/lrspec/timm";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = new MultiStepLRScheduler({ optimizer, decayT: [30, 60], decayRate: 0.5 });
 * scheduler.step(28);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
 * scheduler.step(29);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.05);
 * scheduler.step(59);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.025);
 * ```
 */
export class MultiStepLRScheduler extends Scheduler {
  /** The decay milestones. */
  decayT: number[];
  /** The factor applied at each milestone. */
  decayRate: number;
  /** Warmup length. */
  warmupT: number;
  /** The warmup's starting rate. */
  warmupLrInit: number;
  /** Whether the milestones count from the end of the warmup. */
  warmupPrefix: boolean;
  /** Each group's warmup increment per unit of `t` (timm's `warmup_steps`). */
  warmupSteps: number[];

  /**
   * Creates the scheduler and writes the rates of `t = 0` into the groups.
   *
   * @param options See {@linkcode MultiStepLRSchedulerOptions}.
   * @throws {RangeError} If a number is not finite.
   * @throws {TypeError} If an option is unknown or has the wrong type, or the optimizer is
   * malformed.
   */
  constructor(options: MultiStepLRSchedulerOptions) {
    const owner = "MultiStepLRScheduler";
    const o = requireOptions(owner, options, [
      ...SCHEDULER_KEYS,
      "decayT",
      "decayRate",
      "warmupT",
      "warmupLrInit",
      "warmupPrefix",
    ]);
    const decayT = finiteArray(owner, "decayT", o.decayT);
    const decayRate = finite(owner, "decayRate", o.decayRate ?? 1.0);
    const warmupT = finite(owner, "warmupT", o.warmupT ?? 0);
    const warmupLrInit = finite(owner, "warmupLrInit", o.warmupLrInit ?? 0);
    const warmupPrefix = boolean(owner, "warmupPrefix", o.warmupPrefix ?? true);
    super(owner, { ...o, paramGroupField: "lr", noiseSeed: o.noiseSeed ?? 42 });
    this.decayT = decayT;
    this.decayRate = decayRate;
    this.warmupT = warmupT;
    this.warmupLrInit = warmupLrInit;
    this.warmupPrefix = warmupPrefix;
    this.warmupSteps = warmupSteps(owner, this.baseValues, warmupLrInit, warmupT);
    if (this.warmupT) this.updateGroups(this.warmupLrInit);
  }

  /** The number of milestones `<= t + 1` (timm's `get_curr_decay_steps`). */
  getCurrDecaySteps(t: number): number {
    return bisectRight(this.decayT, t + 1);
  }

  /**
   * The rate of each group at `t`, before noise and `lrScale` (timm's `_get_lr`).
   *
   * @throws {RangeError} If the power overflows.
   */
  getLr(t: number): number[] {
    if (t < this.warmupT) return warmupValues(this.warmupLrInit, t, this.warmupSteps);
    if (this.warmupPrefix) t = t - this.warmupT;
    return this.baseValues.map((v) =>
      v * floatPow("MultiStepLRScheduler", this.decayRate, this.getCurrDecaySteps(t), "timm")
    );
  }
}
