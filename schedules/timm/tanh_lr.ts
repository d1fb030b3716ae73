/**
 * Port of timm's `timm/scheduler/tanh_lr.py` (timm 1.0.29): {@linkcode TanhLRScheduler}.
 *
 * @module
 */

import { libm } from "../math.ts";
import { boolean, finite, finiteWhere, requireOptions } from "../_internal/validate.ts";
import { cycleLength, cyclePosition, warmupSteps, warmupValues } from "./_cycle.ts";
import { floatPow, trueDiv } from "../_internal/python.ts";
import { Scheduler, type TimmSchedulerOptions, type WarmupOptions } from "./scheduler.ts";
import type { CycleOptions } from "./cosine_lr.ts";
import { SCHEDULER_KEYS } from "./_shared.ts";

/** Options of {@linkcode TanhLRScheduler}: timm's keywords in camelCase. */
export interface TanhLRSchedulerOptions extends TimmSchedulerOptions, WarmupOptions, CycleOptions {
  /**
   * Lower bound of the tanh's argument (at the start of a cycle); `lb < ub`.
   * @default {-7.0}
   */
  lb?: number;
  /**
   * Upper bound of the tanh's argument (at the end of a cycle).
   * @default {3.0}
   */
  ub?: number;
  /**
   * `true`: the cycles start after the warmup (`t − warmupT`); `false`: the warmup overlays
   * the start of the first cycle.
   * @default {false}
   */
  warmupPrefix?: boolean;
}

/**
 * Hyperbolic-tangent decay with warmup, restarts (cycles) and noise. Port of timm
 * `TanhLRScheduler` (timm 1.0.29).
 *
 * ```text
 * t < warmupT:   warmupLrInit + t · (w_g − warmupLrInit) / warmupT
 *                w_g = base_g when warmupPrefix, else the rate at t = warmupT
 * otherwise:     t ← t − warmupT if warmupPrefix
 *                i, tI, tCurr = the cycle of t (as in CosineLRScheduler)
 *                i < cycleLimit:  tr = tCurr / tI
 *                                 lrMin + 0.5 · (base_g · cycleDecay^i − lrMin)
 *                                   · (1 − tanh(lb · (1 − tr) + ub · tr))
 *                otherwise:       lrMin
 * ```
 *
 * Unlike the cosine, timm's tanh warmup without prefix rises to the tanh curve's value at
 * `warmupT`, not to the base rate. `tanh`, `log` and `**` go through the runtime's libm
 * (V8's `Math.tanh` is fdlibm's, not glibc's: see the conformance report).
 *
 * @example timm's `--sched tanh --epochs 100`
 * ```ts
 * import { TanhLRScheduler } from "@lrspec/lrspec/timm";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = new TanhLRScheduler({ optimizer, tInitial: 100 });
 * scheduler.step(50);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.5 * 0.1 * (1 - Math.tanh(-7 * 0.5 + 3 * 0.5)));
 * ```
 */
export class TanhLRScheduler extends Scheduler {
  /** Lower bound of the tanh's argument. */
  lb: number;
  /** Upper bound of the tanh's argument. */
  ub: number;
  /** Length of the first cycle. */
  tInitial: number;
  /** The rate after the last cycle. */
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
  /** Each group's warmup increment per unit of `t` (timm's `warmup_steps`). */
  warmupSteps: number[];

  /**
   * Creates the scheduler and writes the rates of `t = 0` into the groups.
   *
   * @param options See {@linkcode TanhLRSchedulerOptions}.
   * @throws {RangeError} If `tInitial <= 0`, `lrMin < 0`, `lb >= ub`, `cycleLimit < 0`,
   * `warmupT < 0` or `warmupLrInit < 0` (timm's assertions), or a number is not finite.
   * @throws {TypeError} If an option is unknown or has the wrong type, or the optimizer is
   * malformed.
   */
  constructor(options: TanhLRSchedulerOptions) {
    const owner = "TanhLRScheduler";
    const o = requireOptions(owner, options, [
      ...SCHEDULER_KEYS,
      "tInitial",
      "lb",
      "ub",
      "lrMin",
      "cycleMul",
      "cycleDecay",
      "cycleLimit",
      "warmupT",
      "warmupLrInit",
      "warmupPrefix",
    ]);
    const tInitial = finiteWhere(owner, "tInitial", o.tInitial, "> 0 (timm asserts)", (x) => x > 0);
    const lb = finite(owner, "lb", o.lb ?? -7.0);
    const ub = finiteWhere(owner, "ub", o.ub ?? 3.0, "> lb (timm asserts lb < ub)", (x) => lb < x);
    const lrMin = finiteWhere(owner, "lrMin", o.lrMin ?? 0, ">= 0 (timm asserts)", (x) => x >= 0);
    const cycleMul = finite(owner, "cycleMul", o.cycleMul ?? 1);
    const cycleDecay = finite(owner, "cycleDecay", o.cycleDecay ?? 1);
    const cycleLimit = finiteWhere(
      owner,
      "cycleLimit",
      o.cycleLimit ?? 1,
      ">= 0 (timm asserts)",
      (x) => x >= 0,
    );
    const warmupT = finiteWhere(
      owner,
      "warmupT",
      o.warmupT ?? 0,
      ">= 0 (timm asserts)",
      (x) => x >= 0,
    );
    const warmupLrInit = finiteWhere(
      owner,
      "warmupLrInit",
      o.warmupLrInit ?? 0,
      ">= 0 (timm asserts)",
      (x) => x >= 0,
    );
    const warmupPrefix = boolean(owner, "warmupPrefix", o.warmupPrefix ?? false);
    super(owner, { ...o, paramGroupField: "lr", noiseSeed: o.noiseSeed ?? 42 });
    this.lb = lb;
    this.ub = ub;
    this.tInitial = tInitial;
    this.lrMin = lrMin;
    this.cycleMul = cycleMul;
    this.cycleDecay = cycleDecay;
    this.cycleLimit = cycleLimit;
    this.warmupT = warmupT;
    this.warmupLrInit = warmupLrInit;
    this.warmupPrefix = warmupPrefix;
    this.warmupSteps = [];
    if (this.warmupT) {
      const tV = this.warmupPrefix ? this.baseValues : this.getLr(this.warmupT);
      this.warmupSteps = warmupSteps(owner, tV, warmupLrInit, warmupT);
      this.updateGroups(this.warmupLrInit);
    } else {
      this.warmupSteps = warmupSteps(owner, this.baseValues, warmupLrInit, warmupT);
    }
  }

  /**
   * The rate of each group at `t`, before noise and `lrScale` (timm's `_get_lr`).
   *
   * @throws {RangeError} Where timm raises (see {@linkcode CosineLRScheduler}).
   */
  getLr(t: number): number[] {
    const owner = "TanhLRScheduler";
    if (t < this.warmupT) return warmupValues(this.warmupLrInit, t, this.warmupSteps);
    if (this.warmupPrefix) t = t - this.warmupT;
    const { i, tI, tCurr } = cyclePosition(owner, t, this.tInitial, this.cycleMul);
    if (i < this.cycleLimit) {
      const gamma = floatPow(owner, this.cycleDecay, i, "timm");
      const lrMaxValues = this.baseValues.map((v) => v * gamma);
      const tr = trueDiv(owner, tCurr, tI, "timm");
      return lrMaxValues.map((lrMax) =>
        this.lrMin +
        0.5 * (lrMax - this.lrMin) * (1 - libm.tanh(this.lb * (1. - tr) + this.ub * tr))
      );
    }
    return this.baseValues.map(() => this.lrMin);
  }

  /**
   * The length of `cycles` cycles (`cycleLimit` when 0), plus the warmup when it is a prefix
   * (timm's `get_cycle_length`).
   */
  getCycleLength(cycles = 0): number {
    return cycleLength("TanhLRScheduler", this, cycles);
  }
}
