/**
 * Port of timm's `timm/scheduler/cosine_lr.py` (timm 1.0.29): {@linkcode CosineLRScheduler}.
 *
 * @module
 */

import { libm } from "../math.ts";
import { boolean, finite, finiteWhere, requireOptions } from "../_internal/validate.ts";
import { cycleLength, cyclePosition, warmupSteps, warmupValues } from "./_cycle.ts";
import { floatPow, trueDiv } from "../_internal/python.ts";
import { Scheduler, type TimmSchedulerOptions, type WarmupOptions } from "./scheduler.ts";
import { SCHEDULER_KEYS } from "./_shared.ts";

/** The cycle keywords of timm's cosine, tanh and poly schedulers. */
export interface CycleOptions {
  /** Length of the first cycle (timm's `t_initial`): a number > 0. */
  tInitial: number;
  /**
   * The rate at the end of each cycle, and after the last one: a number >= 0.
   * @default {0}
   */
  lrMin?: number;
  /**
   * Each cycle is `cycleMul` times longer than the one before.
   * @default {1}
   */
  cycleMul?: number;
  /**
   * Each cycle starts at `cycleDecay` times the previous cycle's peak.
   * @default {1}
   */
  cycleDecay?: number;
  /**
   * Number of cycles; from cycle `cycleLimit` on the rate is `lrMin`.
   * @default {1}
   */
  cycleLimit?: number;
}

/** Options of {@linkcode CosineLRScheduler}: timm's keywords in camelCase. */
export interface CosineLRSchedulerOptions
  extends TimmSchedulerOptions, WarmupOptions, CycleOptions {
  /**
   * `true`: the cycles start after the warmup (`t − warmupT`); `false`: the warmup overlays
   * the start of the first cycle.
   * @default {false}
   */
  warmupPrefix?: boolean;
  /**
   * k-decay exponent: the cosine's argument is `π · tCurr^k / tI^k`.
   * @default {1.0}
   */
  kDecay?: number;
}

/**
 * Cosine decay with warmup, restarts (cycles), k-decay and noise (SGDR). Port of timm
 * `CosineLRScheduler` (timm 1.0.29).
 *
 * ```text
 * t < warmupT:   warmupLrInit + t · (base_g − warmupLrInit) / warmupT
 * otherwise:     t ← t − warmupT if warmupPrefix
 *                i, tI, tCurr = the cycle of t (see below)
 *                i < cycleLimit:  lrMin + 0.5 · (base_g · cycleDecay^i − lrMin)
 *                                   · (1 + cos(π · tCurr^k / tI^k))
 *                otherwise:       lrMin
 * cycle of t:    cycleMul = 1:  i = t // tInitial, tI = tInitial, tCurr = t − tInitial · i
 *                otherwise:     i = floor(log(1 − t / tInitial · (1 − cycleMul), cycleMul))
 *                               tI = cycleMul^i · tInitial
 *                               tCurr = t − (1 − cycleMul^i) / (1 − cycleMul) · tInitial
 * ```
 *
 * At construction the groups get `warmupLrInit` when `warmupT` is set, else their base rate.
 * The training loop calls {@linkcode Scheduler.step} with the next epoch's index (and
 * {@linkcode Scheduler.stepUpdate} with the update count when `tInEpochs` is `false`); noise
 * and `lrScale` are applied as described in {@linkcode Scheduler}. `cos`, `log` and `**` go
 * through the runtime's libm. timm's warning for `tInitial = cycleMul = cycleDecay = 1` is not
 * logged. Where timm raises computing a value (`math.log` of a number <= 0 when `cycleMul < 1`
 * runs out of cycles, `0.0 ** -k`), lrspec throws a `RangeError` at the same call.
 *
 * @example timm's `--sched cosine --epochs 100 --warmup-epochs 5`
 * ```ts
 * import { CosineLRScheduler } from "@lrspec/lrspec/timm";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = new CosineLRScheduler({
 *   optimizer,
 *   tInitial: 100,
 *   warmupT: 5,
 *   warmupLrInit: 1e-5,
 * });
 * assert.equal(optimizer.paramGroups[0]!.lr, 1e-5); // epoch 0 trains at warmupLrInit
 * scheduler.step(5); // the end of epoch 4: epoch 5's rate
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.5 * 0.1 * (1 + Math.cos(Math.PI * 5 / 100)));
 * scheduler.step(100);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0); // after the last cycle: lrMin
 * ```
 */
export class CosineLRScheduler extends Scheduler {
  /** Length of the first cycle. */
  tInitial: number;
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
   * @param options See {@linkcode CosineLRSchedulerOptions}.
   * @throws {RangeError} If `tInitial <= 0` or `lrMin < 0` (timm's assertions), or a number is
   * not finite.
   * @throws {TypeError} If an option is unknown or has the wrong type, or the optimizer is
   * malformed.
   */
  constructor(options: CosineLRSchedulerOptions) {
    const owner = "CosineLRScheduler";
    const o = requireOptions(owner, options, [
      ...SCHEDULER_KEYS,
      "tInitial",
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
    const owner = "CosineLRScheduler";
    if (t < this.warmupT) return warmupValues(this.warmupLrInit, t, this.warmupSteps);
    if (this.warmupPrefix) t = t - this.warmupT;
    const { i, tI, tCurr } = cyclePosition(owner, t, this.tInitial, this.cycleMul);
    const gamma = floatPow(owner, this.cycleDecay, i, "timm");
    const lrMaxValues = this.baseValues.map((v) => v * gamma);
    const k = this.kDecay;
    if (i < this.cycleLimit) {
      return lrMaxValues.map((lrMax) =>
        this.lrMin +
        0.5 * (lrMax - this.lrMin) *
          (1 +
            libm.cos(
              trueDiv(
                owner,
                Math.PI * floatPow(owner, tCurr, k, "timm", "kDecay"),
                floatPow(owner, tI, k, "timm", "kDecay"),
                "timm",
              ),
            ))
      );
    }
    return this.baseValues.map(() => this.lrMin);
  }

  /**
   * The length of `cycles` cycles (`cycleLimit` when 0), plus the warmup when it is a prefix
   * (timm's `get_cycle_length`).
   */
  getCycleLength(cycles = 0): number {
    return cycleLength("CosineLRScheduler", this, cycles);
  }
}
