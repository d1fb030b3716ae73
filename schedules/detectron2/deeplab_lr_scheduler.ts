/**
 * Port of DeepLab's poly learning-rate schedule (detectron2
 * `projects/DeepLab/deeplab/lr_scheduler.py`, detectron2 commit 02b5c4e).
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { libm } from "../math.ts";
import { finite, requireOptions } from "../_internal/validate.ts";
import {
  getWarmupFactorAtIter,
  type LegacyWarmupOptions,
  type WarmupMethod,
} from "./lr_scheduler.ts";
import { legacyWarmup } from "./_legacy.ts";
import { LRScheduler, type TorchVersion } from "../torch/optim/lr_scheduler.ts";

/** Options of {@linkcode WarmupPolyLR}. */
export interface WarmupPolyLROptions extends LegacyWarmupOptions {
  /** The total number of iterations: the poly factor reaches 0 there. */
  maxIters: number;
  /**
   * The exponent of the poly factor.
   * @default {0.9}
   */
  power?: number;
  /**
   * When > 0, once warmup is over the factor never falls below this value.
   * @default {0}
   */
  constantEnding?: number;
  /**
   * The torch release whose `LRScheduler` base this follows (see {@linkcode LRScheduler}).
   * @default {"2.13"}
   */
  torch?: TorchVersion;
}

/**
 * The "poly" schedule used to train DeepLab, with warmup. Port of DeepLab `WarmupPolyLR`.
 *
 * ```text
 * poly(e)  = pow(1 − e / maxIters, power)
 * lr_g(e)  = initialLr_g · constantEnding        if constantEnding > 0, warmup(e) = 1
 *                                                 and poly(e) < constantEnding
 *          = initialLr_g · warmup(e) · poly(e)    otherwise
 * ```
 *
 * @example
 * ```ts
 * import { WarmupPolyLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.01 }] };
 * const s = new WarmupPolyLR({ optimizer, maxIters: 10, warmupIters: 0, power: 1 });
 * for (let i = 0; i < 10; i++) s.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0);
 * ```
 */
export class WarmupPolyLR extends LRScheduler {
  /** The total number of iterations. */
  maxIters: number;
  /** The warmup factor at iteration 0. */
  warmupFactor: number;
  /** The number of warmup iterations. */
  warmupIters: number;
  /** The warmup shape. */
  warmupMethod: WarmupMethod;
  /** The exponent. */
  power: number;
  /** The floor of the factor after warmup, when > 0. */
  constantEnding: number;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ optimizer, maxIters, warmupFactor?, warmupIters?, warmupMethod?,
   * lastEpoch?, power?, constantEnding?, torch? }`.
   * @throws {TypeError | RangeError} If an option has the wrong type or is out of range.
   */
  constructor(options: WarmupPolyLROptions) {
    const owner = "WarmupPolyLR";
    const o = requireOptions(owner, options, [
      "optimizer",
      "maxIters",
      "warmupFactor",
      "warmupIters",
      "warmupMethod",
      "lastEpoch",
      "power",
      "constantEnding",
      "torch",
    ]);
    const maxIters = finite(owner, "maxIters", o.maxIters);
    if (!Number.isInteger(maxIters) || maxIters <= 0) {
      throw optionError(
        RangeError,
        owner,
        "maxIters",
        maxIters,
        `\`maxIters\` must be a positive integer: got ${maxIters}`,
      );
    }
    const warmup = legacyWarmup(owner, o);
    const power = finite(owner, "power", o.power ?? 0.9);
    const constantEnding = finite(owner, "constantEnding", o.constantEnding ?? 0.0);
    super(owner, {
      optimizer: o.optimizer,
      lastEpoch: o.lastEpoch ?? -1,
      ...(o.torch === undefined ? {} : { torch: o.torch }),
    });
    this.maxIters = maxIters;
    this.warmupFactor = warmup.warmupFactor;
    this.warmupIters = warmup.warmupIters;
    this.warmupMethod = warmup.warmupMethod;
    this.power = power;
    this.constantEnding = constantEnding;
    this.initialStep();
  }

  /** Python's `math.pow(1.0 - lastEpoch / maxIters, power)`, with its domain errors. */
  #poly(): number {
    const base = 1.0 - this.lastEpoch / this.maxIters;
    if ((base < 0 && !Number.isInteger(this.power)) || (base === 0 && this.power < 0)) {
      throw optionError(
        RangeError,
        "WarmupPolyLR",
        "power",
        this.power,
        `math domain error: pow(${base}, ${this.power}) at iteration ` +
          `${this.lastEpoch} of maxIters=${this.maxIters} (Python raises ValueError)`,
      );
    }
    const poly = libm.pow(base, this.power);
    if (poly - poly !== 0) {
      throw optionError(
        RangeError,
        "WarmupPolyLR",
        "power",
        this.power,
        `math range error: pow(${base}, ${this.power}) overflows at iteration ` +
          `${this.lastEpoch} (Python raises OverflowError)`,
      );
    }
    return poly;
  }

  /** The poly factor times warmup (or the constant ending) for each group. */
  getLr(): number[] {
    const warmupFactor = getWarmupFactorAtIter(
      this.warmupMethod,
      this.lastEpoch,
      this.warmupIters,
      this.warmupFactor,
    );
    const poly = this.#poly();
    if (this.constantEnding > 0 && warmupFactor === 1.0 && poly < this.constantEnding) {
      return this.baseLrs.map((baseLr) => baseLr * this.constantEnding);
    }
    return this.baseLrs.map((baseLr) => baseLr * warmupFactor * poly);
  }
}
