/**
 * Port of timm's `timm/scheduler/step_lr.py` (timm 1.0.29): {@linkcode StepLRScheduler}.
 *
 * @module
 */

import { boolean, finite, requireOptions } from "../_internal/validate.ts";
import { warmupSteps, warmupValues } from "./_cycle.ts";
import { floatPow, floorDiv } from "../_internal/python.ts";
import { Scheduler, type TimmSchedulerOptions, type WarmupOptions } from "./scheduler.ts";
import { SCHEDULER_KEYS } from "./_shared.ts";

/** Options of {@linkcode StepLRScheduler}: timm's keywords in camelCase. */
export interface StepLRSchedulerOptions extends TimmSchedulerOptions, WarmupOptions {
  /** The decay interval (timm's `decay_t`; may be fractional). */
  decayT: number;
  /**
   * The factor applied every `decayT`.
   * @default {1.0}
   */
  decayRate?: number;
  /**
   * `true`: the decay counts from the end of the warmup (`t − warmupT`).
   * @default {true}
   */
  warmupPrefix?: boolean;
}

/**
 * Step decay with warmup and noise. Port of timm `StepLRScheduler` (timm 1.0.29).
 *
 * ```text
 * t < warmupT:   warmupLrInit + t · (base_g − warmupLrInit) / warmupT
 * otherwise:     t ← t − warmupT if warmupPrefix
 *                base_g · decayRate ** (t // decayT)
 * ```
 *
 * `//` is Python's floor division (on floats, CPython's algorithm); `**` goes through the
 * runtime's libm. `decayT = 0` raises at the first step past the warmup, as in timm
 * (`ZeroDivisionError`). Unlike the cycle schedulers, the warmup is a prefix by default.
 *
 * @example timm's `--sched step --decay-epochs 30 --decay-rate 0.1`
 * ```ts
 * import { StepLRScheduler } from "@lrspec/lrspec/timm";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = new StepLRScheduler({ optimizer, decayT: 30, decayRate: 0.1 });
 * scheduler.step(29);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
 * scheduler.step(30);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1 * 0.1);
 * ```
 */
export class StepLRScheduler extends Scheduler {
  /** The decay interval. */
  decayT: number;
  /** The factor applied every `decayT`. */
  decayRate: number;
  /** Warmup length. */
  warmupT: number;
  /** The warmup's starting rate. */
  warmupLrInit: number;
  /** Whether the decay counts from the end of the warmup. */
  warmupPrefix: boolean;
  /** Each group's warmup increment per unit of `t` (timm's `warmup_steps`). */
  warmupSteps: number[];

  /**
   * Creates the scheduler and writes the rates of `t = 0` into the groups.
   *
   * @param options See {@linkcode StepLRSchedulerOptions}.
   * @throws {RangeError} If a number is not finite.
   * @throws {TypeError} If an option is unknown or has the wrong type, or the optimizer is
   * malformed.
   */
  constructor(options: StepLRSchedulerOptions) {
    const owner = "StepLRScheduler";
    const o = requireOptions(owner, options, [
      ...SCHEDULER_KEYS,
      "decayT",
      "decayRate",
      "warmupT",
      "warmupLrInit",
      "warmupPrefix",
    ]);
    const decayT = finite(owner, "decayT", o.decayT);
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

  /**
   * The rate of each group at `t`, before noise and `lrScale` (timm's `_get_lr`).
   *
   * @throws {RangeError} If `decayT` is 0 (timm raises `ZeroDivisionError`) or the power
   * overflows.
   */
  getLr(t: number): number[] {
    const owner = "StepLRScheduler";
    if (t < this.warmupT) return warmupValues(this.warmupLrInit, t, this.warmupSteps);
    if (this.warmupPrefix) t = t - this.warmupT;
    if (this.decayT === 0) {
      // `t // decay_t` raises ZeroDivisionError: about `decayT` (floorDiv's own words).
      floorDiv(owner, t, 0, "timm", "decayT");
    }
    return this.baseValues.map((v) =>
      v * floatPow(owner, this.decayRate, floorDiv(owner, t, this.decayT, "timm"), "timm")
    );
  }
}
