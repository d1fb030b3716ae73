/**
 * Port of detectron2's learning-rate schedulers (`detectron2/solver/lr_scheduler.py`, detectron2
 * commit 02b5c4e): {@linkcode WarmupParamScheduler}, {@linkcode LRMultiplier} and the legacy
 * {@linkcode WarmupMultiStepLR} / {@linkcode WarmupCosineLR}.
 *
 * @module
 */

import { withOwner } from "../_internal/owner.ts";
import { optionError } from "../errors.ts";
import { libm } from "../math.ts";
import { bisectRight } from "../_internal/python.ts";
import {
  boolean,
  checkSchedulerValue,
  finite,
  finiteArray,
  integer,
  oneOf,
  requireOptions,
  requireScheduler,
  show,
} from "../_internal/validate.ts";
import { ScheduleCursor } from "../fast/cursor.ts";
import { LEGACY_KEYS, legacyWarmup, WARMUP_METHODS } from "./_legacy.ts";
import {
  CompositeParamScheduler,
  ConstantParamScheduler,
  LinearParamScheduler,
  type ParamSchedulerLike,
  type PythonVersion,
} from "../fvcore/param_scheduler.ts";
import { LRScheduler, type TorchVersion } from "../torch/optim/lr_scheduler.ts";
import type { Optimizer, StateDict } from "../optimizer.ts";

/** The warmup shapes detectron2 knows. */
export type WarmupMethod = "linear" | "constant";

/** Options of {@linkcode WarmupParamScheduler}. */
export interface WarmupParamSchedulerOptions {
  /** The schedule that warmup is prepended to. */
  scheduler: ParamSchedulerLike;
  /** Warmup starts at `warmupFactor · scheduler.at(0)`. */
  warmupFactor: number;
  /** Length of warmup as a fraction of training, normally in [0, 1]. */
  warmupLength: number;
  /**
   * `"linear"` ramps to the main schedule; `"constant"` holds the start value.
   * @default {"linear"}
   */
  warmupMethod?: WarmupMethod;
  /**
   * `false`: after warmup the main schedule continues at the global `where` (it "loses" the
   * warmup interval). `true`: the main schedule is rescaled to run over the rest of training
   * from its own start.
   * @default {false}
   */
  rescaleInterval?: boolean;
  /**
   * The Python whose `sum()` the underlying {@linkcode CompositeParamScheduler} uses (see
   * there; with two segments both releases give the same lengths).
   * @default {"3.12"}
   */
  python?: PythonVersion;
}

/**
 * Adds an initial warmup stage to a schedule. Port of detectron2 `WarmupParamScheduler`.
 *
 * ```text
 * end   = rescaleInterval ? scheduler.at(0) : scheduler.at(warmupLength)
 * start = warmupFactor · scheduler.at(0)
 * CompositeParamScheduler({
 *   schedulers: [linear ? Linear(start, end) : Constant(start), scheduler],
 *   intervalScaling: ["rescaled", rescaleInterval ? "rescaled" : "fixed"],
 *   lengths: [warmupLength, 1 − warmupLength],
 * })
 * ```
 *
 * @example detectron2's default warmup on a 1x multistep schedule
 * ```ts
 * import { MultiStepParamScheduler, WarmupParamScheduler } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new WarmupParamScheduler({
 *   scheduler: new MultiStepParamScheduler({
 *     values: [1, 0.1, 0.01], milestones: [60000, 80000], numUpdates: 90000,
 *   }),
 *   warmupFactor: 0.001,
 *   warmupLength: 1000 / 90000,
 * });
 * assert.equal(s.at(0), 0.001);
 * assert.equal(s.at(1000 / 90000), 1);
 * ```
 */
export class WarmupParamScheduler extends CompositeParamScheduler {
  /** The main schedule. */
  readonly scheduler: ParamSchedulerLike;
  /** The warmup start factor. */
  readonly warmupFactor: number;
  /** The warmup length, as a fraction of training. */
  readonly warmupLength: number;
  /** The warmup shape. */
  readonly warmupMethod: WarmupMethod;
  /** Whether the main schedule is rescaled after warmup. */
  readonly rescaleInterval: boolean;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ scheduler, warmupFactor, warmupLength, warmupMethod?, rescaleInterval?,
   * python? }`.
   * @throws {RangeError} For an unknown `warmupMethod` (detectron2 `ValueError`), or whatever the
   * main scheduler throws when evaluated at 0 and at `warmupLength`.
   * @throws {TypeError} If an option has the wrong type.
   */
  constructor(options: WarmupParamSchedulerOptions) {
    const parts = WarmupParamScheduler.#parts(options);
    super(withOwner(parts.composite, "WarmupParamScheduler"));
    this.scheduler = parts.scheduler;
    this.warmupFactor = parts.warmupFactor;
    this.warmupLength = parts.warmupLength;
    this.warmupMethod = parts.warmupMethod;
    this.rescaleInterval = parts.rescaleInterval;
  }

  static #parts(options: WarmupParamSchedulerOptions) {
    const owner = "WarmupParamScheduler";
    const o = requireOptions(owner, options, [
      "scheduler",
      "warmupFactor",
      "warmupLength",
      "warmupMethod",
      "rescaleInterval",
      "python",
    ]);
    const scheduler = requireScheduler(owner, "scheduler", o.scheduler);
    const warmupFactor = finite(owner, "warmupFactor", o.warmupFactor);
    const warmupLength = finite(owner, "warmupLength", o.warmupLength);
    const warmupMethod = oneOf(
      owner,
      "warmupMethod",
      o.warmupMethod ?? "linear",
      WARMUP_METHODS,
      " (detectron2: Unknown warmup method)",
    );
    const rescaleInterval = boolean(owner, "rescaleInterval", o.rescaleInterval ?? false);
    // The value to reach when warmup ends.
    const endValue = rescaleInterval ? scheduler.at(0.0) : scheduler.at(warmupLength);
    const startValue = warmupFactor * scheduler.at(0.0);
    const warmup = warmupMethod === "constant"
      ? new ConstantParamScheduler({ value: startValue })
      : new LinearParamScheduler({ startValue, endValue });
    return {
      scheduler,
      warmupFactor,
      warmupLength,
      warmupMethod,
      rescaleInterval,
      composite: {
        schedulers: [warmup, scheduler],
        intervalScaling: ["rescaled", rescaleInterval ? "rescaled" : "fixed"] as const,
        lengths: [warmupLength, 1 - warmupLength],
        ...(o.python === undefined ? {} : { python: o.python }),
      },
    };
  }
}

/** Options of {@linkcode LRMultiplier}. */
export interface LRMultiplierOptions {
  /** The optimizer whose groups' `lr` is set to `initialLr · multiplier.at(lastEpoch / maxIter)`. */
  optimizer: Optimizer;
  /** The schedule of the multiplier: a {@linkcode ParamScheduler} or anything with `at(where)`. */
  multiplier: ParamSchedulerLike;
  /** The total number of training iterations: a positive integer. */
  maxIter: number;
  /**
   * The last iteration done (torch's `last_epoch`); -1 for a fresh start.
   * @default {-1}
   */
  lastIter?: number;
  /**
   * The torch release whose `LRScheduler` base this follows (see {@linkcode LRScheduler}).
   * @default {"2.13"}
   */
  torch?: TorchVersion;
}

/**
 * A torch-style scheduler that multiplies every group's initial learning rate by one fvcore
 * schedule of the training progress. Port of detectron2 `LRMultiplier`.
 *
 * ```text
 * lr_g(step) = initialLr_g · multiplier.at(step / maxIter)
 * ```
 *
 * As in detectron2's `LRScheduler` hook, the learning rate used for iteration `i` is the one
 * present before the `i`-th call to `step()`; the last call of a run reaches `where = 1`.
 *
 * @example detectron2's trainer loop
 * ```ts
 * import { CosineParamScheduler, LRMultiplier } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.02 }, { lr: 0.04 }] };
 * const scheduler = new LRMultiplier({
 *   optimizer,
 *   multiplier: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
 *   maxIter: 100,
 * });
 * for (let iter = 0; iter < 100; iter++) {
 *   const lr = optimizer.paramGroups[0]!.lr; // train iteration `iter` with this
 *   assert.ok(lr >= 0 && lr <= 0.02);
 *   scheduler.step();
 * }
 * assert.equal(optimizer.paramGroups[0]!.lr, 0);
 * ```
 */
export class LRMultiplier extends LRScheduler {
  readonly #multiplier: ParamSchedulerLike;
  readonly #maxIter: number;
  readonly #cursor: ScheduleCursor;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ optimizer, multiplier, maxIter, lastIter?, torch? }`.
   * @throws {TypeError} If `multiplier` has no `at` method (detectron2 `ValueError`), the
   * optimizer is malformed, or `initialLr` is missing when resuming.
   * @throws {RangeError} If `maxIter` is not a positive integer or `lastIter` not an integer
   * >= -1, or the multiplier throws at the initial step.
   */
  constructor(options: LRMultiplierOptions) {
    const owner = "LRMultiplier";
    const o = requireOptions(owner, options, [
      "optimizer",
      "multiplier",
      "maxIter",
      "lastIter",
      "torch",
    ]);
    const multiplier = requireScheduler(owner, "multiplier", o.multiplier);
    const maxIter = integer(
      owner,
      "maxIter",
      o.maxIter,
      "a positive integer up to 2^53 - 1",
      (x) => x > 0 && Number.isSafeInteger(x),
    );
    super(owner, {
      optimizer: o.optimizer,
      lastEpoch: o.lastIter ?? -1,
      ...(o.torch === undefined ? {} : { torch: o.torch }),
    });
    this.#multiplier = multiplier;
    this.#maxIter = maxIter;
    this.#cursor = new ScheduleCursor(multiplier, { numUpdates: maxIter });
    this.initialStep();
  }

  /** The multiplier schedule. */
  get multiplier(): ParamSchedulerLike {
    return this.#multiplier;
  }

  /** The total number of iterations. */
  get maxIter(): number {
    return this.#maxIter;
  }

  /** `initialLr · multiplier.at(lastEpoch / maxIter)` for each group. */
  getLr(): number[] {
    const where = this.lastEpoch / this.#maxIter;
    const multiplier = checkSchedulerValue(
      "LRMultiplier",
      "multiplier",
      where,
      this.#multiplier.at(where),
    );
    const baseLrs = this.baseLrs;
    const out = new Array<number>(baseLrs.length);
    for (let i = 0; i < baseLrs.length; i++) out[i] = baseLrs[i]! * multiplier;
    return out;
  }

  /**
   * Advances one iteration and writes `initialLr · multiplier.at(lastEpoch / maxIter)` into every
   * group, as torch's `step()` does with {@linkcode LRMultiplier.getLr}.
   *
   * The same values, state and errors as the base class's `step()`, with the multiplier looked
   * up through a {@linkcode ScheduleCursor} instead of `getLr()`. `step(epoch)`, `verbose`, a
   * subclass that overrides `getLr`, and groups added after construction take the base class's
   * path.
   *
   * @param epoch Deprecated in torch: jump to this epoch.
   * @throws Whatever the multiplier throws (e.g. past `maxIter` for a multistep schedule);
   * `lastEpoch` has then advanced and the groups are untouched, as in the base class.
   */
  override step(epoch?: number): void {
    const groups = this.optimizer.paramGroups;
    const baseLrs = this.baseLrs;
    if (
      epoch !== undefined || this.verbose || groups.length !== baseLrs.length ||
      this.getLr !== LRMultiplier.prototype.getLr
    ) {
      super.step(epoch);
      return;
    }
    this._stepCount += 1;
    const multiplier = this.#cursor.valueAt(++this.lastEpoch);
    if (typeof multiplier !== "number" || !(multiplier >= -1 && multiplier <= 1)) {
      // Not a number, or a factor that could overflow a group's rate: the checked path throws
      // before writing anything, as the base class does.
      this.applyLrs(this.getLr());
      return;
    }
    const last = this._lastLr;
    if (last.length !== groups.length) last.length = groups.length;
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i]!;
      group.lr = baseLrs[i]! * multiplier;
      last[i] = group.lr;
    }
  }

  /** `{ baseLrs, lastEpoch }`, as detectron2 keeps (fvcore schedulers are stateless). */
  override stateDict(): StateDict {
    return { baseLrs: this.baseLrs.slice(), lastEpoch: this.lastEpoch };
  }

  /**
   * Restores `{ baseLrs, lastEpoch }`.
   * @throws {TypeError | RangeError} If the state is malformed.
   */
  override loadStateDict(state: StateDict): void {
    const owner = "LRMultiplier";
    const o = requireOptions(owner + " state", state, ["baseLrs", "lastEpoch"]);
    if (o.baseLrs !== undefined) this.baseLrs = finiteArray(owner, "state.baseLrs", o.baseLrs);
    if (o.lastEpoch !== undefined) {
      this.lastEpoch = integer(
        owner,
        "state.lastEpoch",
        o.lastEpoch,
        "an integer >= -1",
        (x) => x >= -1,
      );
    }
  }
}

/**
 * detectron2's `_get_warmup_factor_at_iter`: the warmup multiplier at iteration `iter`.
 *
 * ```text
 * iter >= warmupIters : 1
 * "constant"          : warmupFactor
 * "linear"            : alpha = iter / warmupIters;  warmupFactor · (1 − alpha) + alpha
 * ```
 *
 * @param method `"linear"` or `"constant"`.
 * @param iter The iteration.
 * @param warmupIters The number of warmup iterations.
 * @param warmupFactor The factor at iteration 0.
 * @returns The warmup factor.
 * @throws {RangeError} For an unknown method while `iter < warmupIters` (detectron2 `ValueError`).
 *
 * @example
 * ```ts
 * import { getWarmupFactorAtIter } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * assert.equal(getWarmupFactorAtIter("linear", 0, 1000, 0.001), 0.001);
 * assert.equal(getWarmupFactorAtIter("linear", 1000, 1000, 0.001), 1);
 * ```
 */
export function getWarmupFactorAtIter(
  method: WarmupMethod,
  iter: number,
  warmupIters: number,
  warmupFactor: number,
): number {
  if (iter >= warmupIters) return 1.0;
  if (method === "constant") return warmupFactor;
  if (method === "linear") {
    const alpha = iter / warmupIters;
    return warmupFactor * (1 - alpha) + alpha;
  }
  throw new RangeError(`Unknown warmup method: ${show(method)}`, {
    cause: { owner: "getWarmupFactorAtIter", option: "method", value: method },
  });
}

/** Warmup options shared by the legacy detectron2 schedulers and DeepLab's `WarmupPolyLR`. */
export interface LegacyWarmupOptions {
  /** The optimizer. */
  optimizer: Optimizer;
  /**
   * The warmup factor at iteration 0.
   * @default {0.001}
   */
  warmupFactor?: number;
  /**
   * The number of warmup iterations.
   * @default {1000}
   */
  warmupIters?: number;
  /**
   * `"linear"` or `"constant"`.
   * @default {"linear"}
   */
  warmupMethod?: WarmupMethod;
  /**
   * The last iteration done; -1 for a fresh start.
   * @default {-1}
   */
  lastEpoch?: number;
}

/** Options of {@linkcode WarmupMultiStepLR}. */
export interface WarmupMultiStepLROptions extends LegacyWarmupOptions {
  /** Iterations at which the learning rate is multiplied by `gamma`; non-decreasing. */
  milestones: readonly number[];
  /**
   * The decay factor.
   * @default {0.1}
   */
  gamma?: number;
}

/**
 * detectron2's legacy multistep schedule with warmup (deprecated upstream in favour of
 * {@linkcode LRMultiplier}). Port of detectron2 `WarmupMultiStepLR`.
 *
 * ```text
 * lr_g(e) = initialLr_g · warmup(e) · gamma ** bisect_right(milestones, e)
 * ```
 *
 * `gamma ** k` is glibc's `pow`, as Python's (under `setLibm("runtime")`: correctly rounded,
 * equal to glibc's for the gammas used in practice, rather than the runtime's `**`). detectron2 logs a deprecation warning here;
 * this port does not.
 *
 * @example
 * ```ts
 * import { WarmupMultiStepLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const s = new WarmupMultiStepLR({ optimizer, milestones: [2], warmupIters: 0 });
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
 * s.step();
 * s.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1 * 1 * 0.1);
 * ```
 */
export class WarmupMultiStepLR extends LRScheduler {
  /** The milestones. */
  milestones: number[];
  /** The decay factor. */
  gamma: number;
  /** The warmup factor at iteration 0. */
  warmupFactor: number;
  /** The number of warmup iterations. */
  warmupIters: number;
  /** The warmup shape. */
  warmupMethod: WarmupMethod;
  #gammaPowers: number[] = [];
  #gammaOf = NaN;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ optimizer, milestones, gamma?, warmupFactor?, warmupIters?, warmupMethod?,
   * lastEpoch? }`.
   * @throws {RangeError} If `milestones` is not sorted (detectron2 `ValueError`) or a warmup
   * option is out of range.
   * @throws {TypeError} If an option has the wrong type.
   */
  constructor(options: WarmupMultiStepLROptions) {
    const owner = "WarmupMultiStepLR";
    const o = requireOptions(owner, options, [...LEGACY_KEYS, "milestones", "gamma"]);
    const milestones = finiteArray(owner, "milestones", o.milestones);
    milestones.forEach((m, i) => {
      if (i > 0 && m < milestones[i - 1]!) {
        throw optionError(
          RangeError,
          owner,
          "milestones",
          milestones,
          `Milestones should be a list of increasing integers: got ${
            show(milestones)
          } at index ${i}`,
        );
      }
    });
    const gamma = finite(owner, "gamma", o.gamma ?? 0.1);
    const warmup = legacyWarmup(owner, o);
    super(owner, { optimizer: o.optimizer, lastEpoch: o.lastEpoch ?? -1 });
    this.milestones = milestones;
    this.gamma = gamma;
    this.warmupFactor = warmup.warmupFactor;
    this.warmupIters = warmup.warmupIters;
    this.warmupMethod = warmup.warmupMethod;
    this.initialStep();
  }

  /** `gamma ** k` (`libm.powi`), cached per gamma (the state dict may change gamma). */
  #gammaPower(k: number): number {
    if (this.#gammaOf !== this.gamma) {
      this.#gammaOf = this.gamma;
      this.#gammaPowers = [];
    }
    return (this.#gammaPowers[k] ??= libm.powi(this.gamma, k));
  }

  /** `initialLr · warmup · gamma ** bisect_right(milestones, lastEpoch)` for each group. */
  getLr(): number[] {
    const warmupFactor = getWarmupFactorAtIter(
      this.warmupMethod,
      this.lastEpoch,
      this.warmupIters,
      this.warmupFactor,
    );
    const decay = this.#gammaPower(bisectRight(this.milestones, this.lastEpoch));
    return this.baseLrs.map((baseLr) => baseLr * warmupFactor * decay);
  }
}

/** Options of {@linkcode WarmupCosineLR}. */
export interface WarmupCosineLROptions extends LegacyWarmupOptions {
  /** The length of the half cosine, in iterations. */
  maxIters: number;
}

/**
 * detectron2's legacy half-cosine schedule with warmup (deprecated upstream). Port of
 * detectron2 `WarmupCosineLR`.
 *
 * ```text
 * lr_g(e) = initialLr_g · warmup(e) · 0.5 · (1 + cos(π · e / maxIters))
 * ```
 *
 * @example
 * ```ts
 * import { WarmupCosineLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * new WarmupCosineLR({ optimizer, maxIters: 100, warmupIters: 0 });
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
 * ```
 */
export class WarmupCosineLR extends LRScheduler {
  /** The length of the half cosine, in iterations. */
  maxIters: number;
  /** The warmup factor at iteration 0. */
  warmupFactor: number;
  /** The number of warmup iterations. */
  warmupIters: number;
  /** The warmup shape. */
  warmupMethod: WarmupMethod;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ optimizer, maxIters, warmupFactor?, warmupIters?, warmupMethod?,
   * lastEpoch? }`.
   * @throws {RangeError} If `maxIters` is not a positive integer or a warmup option is out of
   * range.
   * @throws {TypeError} If an option has the wrong type.
   */
  constructor(options: WarmupCosineLROptions) {
    const owner = "WarmupCosineLR";
    const o = requireOptions(owner, options, [...LEGACY_KEYS, "maxIters"]);
    const maxIters = integer(owner, "maxIters", o.maxIters, "a positive integer", (x) => x > 0);
    const warmup = legacyWarmup(owner, o);
    super(owner, { optimizer: o.optimizer, lastEpoch: o.lastEpoch ?? -1 });
    this.maxIters = maxIters;
    this.warmupFactor = warmup.warmupFactor;
    this.warmupIters = warmup.warmupIters;
    this.warmupMethod = warmup.warmupMethod;
    this.initialStep();
  }

  /** `initialLr · warmup · 0.5 · (1 + cos(π · lastEpoch / maxIters))` for each group. */
  getLr(): number[] {
    const warmupFactor = getWarmupFactorAtIter(
      this.warmupMethod,
      this.lastEpoch,
      this.warmupIters,
      this.warmupFactor,
    );
    const cosine = 1.0 + libm.cos(Math.PI * this.lastEpoch / this.maxIters);
    return this.baseLrs.map((baseLr) => baseLr * warmupFactor * 0.5 * cosine);
  }
}
