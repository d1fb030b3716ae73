/**
 * Port of timm's `timm/scheduler/poly_lr.py` (timm 1.0.29): {@linkcode PolyLRScheduler}.
 *
 * @module
 */

import { boolean, finite, finiteWhere, requireOptions } from "../_internal/validate.ts";
import { cycleLength, cyclePosition, warmupSteps, warmupValues } from "./_cycle.ts";
import { floatPow, trueDiv } from "../_internal/python.ts";
import { Scheduler, type TimmSchedulerOptions, type WarmupOptions } from "./scheduler.ts";
import type { CycleOptions } from "./cosine_lr.ts";
import { SCHEDULER_KEYS } from "./_shared.ts";

/** Options of {@linkcode PolyLRScheduler}: timm's keywords in camelCase. */
export interface PolyLRSchedulerOptions extends TimmSchedulerOptions, WarmupOptions, CycleOptions {
  /**
   * The polynomial's exponent.
   * @default {0.5}
   */
  power?: number;
  /**
   * `true`: the cycles start after the warmup (`t − warmupT`); `false`: the warmup overlays
   * the start of the first cycle.
   * @default {false}
   */
  warmupPrefix?: boolean;
  /**
   * k-decay exponent: the polynomial's base is `1 − tCurr^k / tI^k`.
   * @default {1.0}
   */
  kDecay?: number;
}

/**
 * Polynomial decay with warmup, restarts (cycles), k-decay and noise. Port of timm
 * `PolyLRScheduler` (timm 1.0.29).
 *
 * ```text
 * t < warmupT:   warmupLrInit + t · (base_g − warmupLrInit) / warmupT
 * otherwise:     t ← t − warmupT if warmupPrefix
 *                i, tI, tCurr = the cycle of t (as in CosineLRScheduler)
 *                i < cycleLimit:  lrMin + (base_g · cycleDecay^i − lrMin)
 *                                   · (1 − tCurr^k / tI^k)^power
 *                otherwise:       lrMin
 * ```
 *
 * `log` and `**` go through the runtime's libm. timm's warning for
 * `tInitial = cycleMul = cycleDecay = 1` is not logged. Where timm would write a complex rate
 * (a negative base to a fractional `power`), lrspec throws a `RangeError`.
 *
 * @example timm's `--sched poly --decay-rate 2` (the factory passes `decay_rate` as `power`)
 * ```ts
 * import { PolyLRScheduler } from "@lrspec/lrspec/timm";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = new PolyLRScheduler({ optimizer, tInitial: 100, power: 2 });
 * scheduler.step(50);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1 * (1 - 50 / 100) ** 2);
 * ```
 */
export class PolyLRScheduler extends Scheduler {
  /** Length of the first cycle. */
  tInitial: number;
  /** The polynomial's exponent. */
  power: number;
  /** The rate at the end of each cycle. */
  lrMin: number;
  /** Cycle length multiplier. */
  cycleMul: number;
  /** Peak multiplier per cycle. */
  cycleDecay: number;
  /** Number of cycles. */
  cycleLimit: number;
  /** Warmup length. */
  warmupT: number;
  /** The warmup's starting rate. */
  warmupLrInit: number;
  /** Whether the warmup comes before the cycles. */
  warmupPrefix: boolean;
  /** The k-decay exponent. */
  kDecay: number;
  /** Each group's warmup increment per unit of `t` (timm's `warmup_steps`). */
  warmupSteps: number[];

  /**
   * Creates the scheduler and writes the rates of `t = 0` into the groups.
   *
   * @param options See {@linkcode PolyLRSchedulerOptions}.
   * @throws {RangeError} If `tInitial <= 0` or `lrMin < 0` (timm's assertions), or a number is
   * not finite.
   * @throws {TypeError} If an option is unknown or has the wrong type, or the optimizer is
   * malformed.
   */
  constructor(options: PolyLRSchedulerOptions) {
    const owner = "PolyLRScheduler";
    const o = requireOptions(owner, options, [
      ...SCHEDULER_KEYS,
      "tInitial",
      "power",
      "lrMin",
      "cycleMul",
      "cycleDecay",
      "cycleLimit",
      "warmupT",
      "warmupLrInit",
      "warmupPrefix",
      "kDecay",
    ]);
    const tInitial = finiteWhere(owner, "tInitial", o.tInitial, "> 0 (timm asserts)", (x) => x > 0);
    const power = finite(owner, "power", o.power ?? 0.5);
    const lrMin = finiteWhere(owner, "lrMin", o.lrMin ?? 0, ">= 0 (timm asserts)", (x) => x >= 0);
    const cycleMul = finite(owner, "cycleMul", o.cycleMul ?? 1);
    const cycleDecay = finite(owner, "cycleDecay", o.cycleDecay ?? 1);
    const cycleLimit = finite(owner, "cycleLimit", o.cycleLimit ?? 1);
    const warmupT = finite(owner, "warmupT", o.warmupT ?? 0);
    const warmupLrInit = finite(owner, "warmupLrInit", o.warmupLrInit ?? 0);
    const warmupPrefix = boolean(owner, "warmupPrefix", o.warmupPrefix ?? false);
    const kDecay = finite(owner, "kDecay", o.kDecay ?? 1.0);
    super(owner, { ...o, paramGroupField: "lr", noiseSeed: o.noiseSeed ?? 42 });
    this.tInitial = tInitial;
    this.power = power;
    this.lrMin = lrMin;
    this.cycleMul = cycleMul;
    this.cycleDecay = cycleDecay;
    this.cycleLimit = cycleLimit;
    this.warmupT = warmupT;
    this.warmupLrInit = warmupLrInit;
    this.warmupPrefix = warmupPrefix;
    this.kDecay = kDecay;
    this.warmupSteps = warmupSteps(owner, this.baseValues, warmupLrInit, warmupT);
    if (this.warmupT) this.updateGroups(this.warmupLrInit);
  }

  /**
   * The rate of each group at `t`, before noise and `lrScale` (timm's `_get_lr`).
   *
   * @throws {RangeError} Where timm raises (see the class).
   */
  getLr(t: number): number[] {
    const owner = "PolyLRScheduler";
    if (t < this.warmupT) return warmupValues(this.warmupLrInit, t, this.warmupSteps);
    if (this.warmupPrefix) t = t - this.warmupT;
    const { i, tI, tCurr } = cyclePosition(owner, t, this.tInitial, this.cycleMul);
    const gamma = floatPow(owner, this.cycleDecay, i, "timm");
    const lrMaxValues = this.baseValues.map((v) => v * gamma);
    const k = this.kDecay;
    if (i < this.cycleLimit) {
      return lrMaxValues.map((lrMax) =>
        this.lrMin +
        (lrMax - this.lrMin) *
          floatPow(
            owner,
            1 -
              trueDiv(
                owner,
                floatPow(owner, tCurr, k, "timm", "kDecay"),
                floatPow(owner, tI, k, "timm", "kDecay"),
                "timm",
              ),
            this.power,
            "timm",
            "power",
          )
      );
    }
    return this.baseValues.map(() => this.lrMin);
  }

  /**
   * The length of `cycles` cycles (`cycleLimit` when 0), plus the warmup when it is a prefix
   * (timm's `get_cycle_length`).
   */
  getCycleLength(cycles = 0): number {
    return cycleLength("PolyLRScheduler", this, cycles);
  }
}
