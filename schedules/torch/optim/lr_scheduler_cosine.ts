/**
 * Port of PyTorch's cosine schedulers (`torch/optim/lr_scheduler.py`, torch 1.13, 2.11 and 2.13):
 * {@linkcode CosineAnnealingLR} and {@linkcode CosineAnnealingWarmRestarts} (SGDR).
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { libm } from "../../math.ts";
import { trueDiv } from "../../_internal/python.ts";
import { BASE_KEYS, requireTorch } from "./_helpers.ts";
import { finite, finiteWhere, integer, requireOptions, show } from "../../_internal/validate.ts";
import { LRScheduler, type LRSchedulerOptions } from "./lr_scheduler.ts";

/** Options of {@linkcode CosineAnnealingLR}. */
export interface CosineAnnealingLROptions extends LRSchedulerOptions {
  /** Half period of the cosine, in epochs (torch's `T_max`): a positive number. */
  TMax: number;
  /**
   * The minimum learning rate (torch's `eta_min`).
   * @default {0}
   */
  etaMin?: number;
}

/**
 * Anneals each group's learning rate along a cosine from its initial value to `etaMin` over
 * `TMax` epochs, recursively. Port of torch `CosineAnnealingLR` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * initial step (torch 1.13: e = 0): lr_g
 * first step with e > 0 (resume): etaMin + (initialLr_g − etaMin) · (1 + cos(e·π / TMax)) / 2
 * (e − 1 − TMax) mod 2·TMax = 0:  lr_g + (initialLr_g − etaMin) · (1 − cos(π / TMax)) / 2
 * otherwise:                      (1 + cos(π·e / TMax)) / (1 + cos(π·(e − 1) / TMax))
 *                                   · (lr_g − etaMin) + etaMin
 * closed form (step(epoch)):      etaMin + (initialLr_g − etaMin) · (1 + cos(π·e / TMax)) / 2
 * ```
 *
 * The recursive form is torch's: it differs from the closed form by a few ULPs (and follows any
 * change made to `lr` from outside). Past `TMax` the rate does not stop at `etaMin`: it rises
 * again along the cosine (the second branch restarts the ascent), exactly as in torch.
 * `cos` is the runtime's (see the conformance report for how it compares with glibc's).
 * lrspec requires `TMax > 0` (torch raises `ZeroDivisionError` at the second step for 0).
 *
 * torch 1.13 keeps the rate when `e = 0`, so a scheduler built with `lastEpoch >= 0` takes the
 * second branch at construction and jumps to the closed form of that epoch; torch 2.11 and 2.13 keep the
 * rate at the initial step instead (PR #149312), so the resumed rate stays and the recursion
 * continues from it (the second branch is then reached only if the step count is reset, e.g. by
 * loading a state with `_stepCount: 0`).
 *
 * @example One half period, then the rate climbs back
 * ```ts
 * import { CosineAnnealingLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = new CosineAnnealingLR({ optimizer, TMax: 10 });
 * for (let i = 0; i < 10; i++) scheduler.step();
 * assert.ok(optimizer.paramGroups[0]!.lr < 1e-17); // ~0, not exactly 0: it is recursive
 * for (let i = 0; i < 10; i++) scheduler.step();
 * assert.ok(Math.abs(optimizer.paramGroups[0]!.lr - 0.1) < 1e-12);
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half period of the cosine (torch's `T_max`). */
  TMax: number;
  /** The minimum learning rate (torch's `eta_min`). */
  etaMin: number;

  /**
   * Creates the scheduler, validating every option once, and takes torch's initial step.
   *
   * @param options `{ optimizer, TMax, etaMin?, lastEpoch?, verbose? }`.
   * @throws {RangeError} If `TMax` is not a positive number, `etaMin` is not finite or
   * `lastEpoch` is out of range.
   * @throws {TypeError} If an option has the wrong type or is missing, the optimizer is
   * malformed or `initialLr` is missing when resuming.
   */
  constructor(options: CosineAnnealingLROptions) {
    const owner = "CosineAnnealingLR";
    const o = requireOptions(owner, options, [...BASE_KEYS, "TMax", "etaMin"]);
    requireTorch(owner, o);
    const TMax = finiteWhere(owner, "TMax", o.TMax, "> 0", (x) => x > 0);
    const etaMin = finite(owner, "etaMin", o.etaMin ?? 0);
    super(owner, o);
    this.TMax = TMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  /** The chainable update: see the class documentation. */
  getLr(): number[] {
    const owner = "CosineAnnealingLR";
    const groups = this.optimizer.paramGroups;
    const e = this.lastEpoch;
    const T = this.TMax;
    const etaMin = this.etaMin;
    if (this.torch === "1.13" ? e === 0 : this._isInitial) return groups.map((g) => g.lr);
    if (this._stepCount === 1 && e > 0) {
      return this.baseLrs.slice(0, groups.length).map((baseLr) =>
        etaMin + (baseLr - etaMin) * (1 + libm.cos(e * Math.PI / T)) / 2
      );
    }
    if ((e - 1 - T) % (2 * T) === 0) {
      return this.baseLrs.slice(0, groups.length).map((baseLr, i) =>
        groups[i]!.lr + (baseLr - etaMin) * (1 - libm.cos(Math.PI / T)) / 2
      );
    }
    return groups.map((g) =>
      trueDiv(owner, 1 + libm.cos(Math.PI * e / T), 1 + libm.cos(Math.PI * (e - 1) / T)) *
        (g.lr - etaMin) + etaMin
    );
  }

  /** `etaMin + (initialLr − etaMin) · (1 + cos(π · lastEpoch / TMax)) / 2`. */
  protected override getClosedFormLr(): number[] {
    const e = this.lastEpoch;
    return this.baseLrs.map((baseLr) =>
      this.etaMin + (baseLr - this.etaMin) * (1 + libm.cos(Math.PI * e / this.TMax)) / 2
    );
  }
}

/** Options of {@linkcode CosineAnnealingWarmRestarts}. */
export interface CosineAnnealingWarmRestartsOptions extends LRSchedulerOptions {
  /** Length of the first period, in epochs (torch's `T_0`): a positive integer. */
  T0: number;
  /**
   * Factor by which each period is longer than the previous one (torch's `T_mult`): an integer
   * >= 1.
   * @default {1}
   */
  TMult?: number;
  /**
   * The minimum learning rate (torch's `eta_min`).
   * @default {0}
   */
  etaMin?: number;
}

/**
 * Cosine annealing with warm restarts (SGDR), with integer or fractional epochs. Port of torch
 * `CosineAnnealingWarmRestarts` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * lr_g = etaMin + (initialLr_g − etaMin) · (1 + cos(π · TCur / Ti)) / 2
 * step():       TCur ← TCur + 1;  if TCur >= Ti: TCur ← TCur − Ti (torch 2.11 and 2.13: TCur mod Ti),
 *                                                  Ti ← Ti · TMult
 * step(epoch):  epoch < T0:      Ti ← T0, TCur ← epoch
 *               TMult = 1:       TCur ← epoch mod T0
 *               otherwise:       n = int(log(epoch / T0 · (TMult − 1) + 1) / log(TMult))
 *                                TCur ← epoch − T0 · (TMult ** n − 1) / (TMult − 1)
 *                                Ti ← T0 · TMult ** n
 *               lastEpoch ← floor(epoch)
 * ```
 *
 * Not recursive: every rate is computed from `initialLr`. `step(epoch)` accepts any finite
 * `epoch >= 0`, fractional ones included (`step(epoch + i / iters)` inside an epoch), as torch
 * does. The period index `n` is computed with floating-point logarithms, as torch does, so it
 * is one too small where the argument is an exact power of `TMult` that `log` does not divide
 * exactly: with `T0 = 1, TMult = 10`, `step(111)` gives `TCur = 100, Ti = 100` (the rate is
 * `etaMin`), not the restart at `TCur = 0`. lrspec reproduces this.
 *
 * @example Restarts every 10 epochs, then every 20
 * ```ts
 * import { CosineAnnealingWarmRestarts } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = new CosineAnnealingWarmRestarts({ optimizer, T0: 10, TMult: 2 });
 * for (let i = 0; i < 10; i++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1); // restart
 * assert.equal(scheduler.Ti, 20);
 * scheduler.step(12.5); // fractional epochs are allowed
 * assert.equal(scheduler.TCur, 2.5);
 * ```
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** Length of the first period (torch's `T_0`). */
  T0: number;
  /** Length of the current period (torch's `T_i`). */
  Ti: number;
  /** Growth factor of the periods (torch's `T_mult`). */
  TMult: number;
  /** The minimum learning rate (torch's `eta_min`). */
  etaMin: number;
  /** Epochs since the last restart, possibly fractional (torch's `T_cur`). */
  TCur: number;

  /**
   * Creates the scheduler, validating every option once, and takes torch's initial step.
   *
   * @param options `{ optimizer, T0, TMult?, etaMin?, lastEpoch?, verbose? }`.
   * @throws {RangeError} If `T0` is not a positive integer or `TMult` not an integer >= 1 (torch
   * `ValueError`), `etaMin` is not finite or `lastEpoch` is out of range.
   * @throws {TypeError} If an option has the wrong type or is missing, the optimizer is
   * malformed or `initialLr` is missing when resuming.
   */
  constructor(options: CosineAnnealingWarmRestartsOptions) {
    const owner = "CosineAnnealingWarmRestarts";
    const o = requireOptions(owner, options, [...BASE_KEYS, "T0", "TMult", "etaMin"]);
    requireTorch(owner, o);
    const T0 = integer(owner, "T0", o.T0, "a positive integer", (x) => x > 0);
    const TMult = integer(owner, "TMult", o.TMult ?? 1, "an integer >= 1", (x) => x >= 1);
    const etaMin = finite(owner, "etaMin", o.etaMin ?? 0);
    super(owner, o);
    this.T0 = T0;
    this.Ti = T0;
    this.TMult = TMult;
    this.etaMin = etaMin;
    this.TCur = this.lastEpoch;
    this.initialStep();
  }

  /** `etaMin + (initialLr − etaMin) · (1 + cos(π · TCur / Ti)) / 2` for each group. */
  getLr(): number[] {
    const c = libm.cos(Math.PI * this.TCur / this.Ti);
    return this.baseLrs.map((baseLr) => this.etaMin + (baseLr - this.etaMin) * (1 + c) / 2);
  }

  /**
   * Advances to the next epoch, or jumps to `epoch` (any finite number >= 0, fractional
   * allowed), and writes the new rates. Like torch, it does not count steps.
   *
   * @param epoch The (possibly fractional) epoch to jump to.
   * @throws {RangeError} If `epoch` is negative (torch `ValueError`) or not finite.
   * @throws {TypeError} If `epoch` is not a number.
   */
  override step(epoch?: number): void {
    const owner = "CosineAnnealingWarmRestarts";
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.TCur = this.TCur + 1;
      if (this.TCur >= this.Ti) {
        this.TCur = this.torch === "1.13" ? this.TCur - this.Ti : this.TCur % this.Ti;
        this.Ti = this.Ti * this.TMult;
      }
    } else {
      finite(owner, "epoch", epoch);
      if (epoch < 0) {
        throw optionError(
          RangeError,
          owner,
          "epoch",
          epoch,
          `Expected non-negative epoch, but got ${show(epoch)}`,
        );
      }
      if (epoch >= this.T0) {
        if (this.TMult === 1) {
          this.TCur = epoch % this.T0;
        } else {
          const n = Math.trunc(
            libm.log(epoch / this.T0 * (this.TMult - 1) + 1) / libm.log(this.TMult),
          );
          const power = intPow(this.TMult, n);
          this.TCur = epoch - this.T0 * (power - 1) / (this.TMult - 1);
          this.Ti = this.T0 * power;
        }
      } else {
        this.Ti = this.T0;
        this.TCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this.applyLrs(this.getLr(), epoch);
  }
}

/** `base ** n` for integers, exact while the result is below 2^53 (Python's int power). */
function intPow(base: number, n: number): number {
  let result = 1;
  for (let i = 0; i < n; i++) result *= base;
  return result;
}
