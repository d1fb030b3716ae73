/**
 * Port of PyTorch's cyclical schedulers (`torch/optim/lr_scheduler.py`, torch 1.13 and
 * 2.11):
 * {@linkcode CyclicLR} and {@linkcode OneCycleLR}, with their momentum (or Adam `beta1`)
 * cycling.
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { libm } from "../../math.ts";
import { type Blame, floatPow, trueDiv } from "../../_internal/python.ts";
import {
  BASE_KEYS,
  callFactor,
  type EpochFunction,
  formatParam,
  functionState,
  groupNumber,
  requireTorch,
} from "./_helpers.ts";
import {
  boolean,
  finite,
  finiteWhere,
  fn,
  integer,
  oneOf,
  requireOptions,
  show,
} from "../../_internal/validate.ts";
import { LRScheduler, type LRSchedulerOptions } from "./lr_scheduler.ts";
import type { ParamGroup, StateDict } from "../../optimizer.ts";
import { requireOptimizer } from "../../_internal/optimizer.ts";

function hasMomentum(groups: readonly ParamGroup[]): boolean {
  return groups.every((g) => typeof g.momentum === "number");
}

function hasBetas(groups: readonly ParamGroup[]): boolean {
  return groups.every((g) => Array.isArray(g.betas) && typeof g.betas[0] === "number");
}

/**
 * Writes a group's momentum as torch does: Adam's `betas[0]` (a new tuple, as
 * `group["betas"] = (m, *group["betas"][1:])`) when `useBeta1`, else `momentum`.
 */
function writeMomentum(group: ParamGroup, momentum: number, useBeta1: boolean): void {
  if (useBeta1) group.betas = [momentum, ...(group.betas as number[]).slice(1)];
  else group.momentum = momentum;
}

/** A fresh start's momentum bookkeeping (torch 2.x, `last_epoch == -1`): the max, both recorded. */
function startMomentums(
  groups: ParamGroup[],
  maxMomentums: readonly number[],
  baseMomentums: readonly number[],
  useBeta1: boolean,
): void {
  groups.forEach((g, i) => {
    writeMomentum(g, maxMomentums[i]!, useBeta1);
    g.maxMomentum = maxMomentums[i]!;
    g.baseMomentum = baseMomentums[i]!;
  });
}

// ---------------------------------------------------------------------------------------------
// CyclicLR
// ---------------------------------------------------------------------------------------------

/** The built-in policies of {@linkcode CyclicLR}. */
export type CyclicLRMode = "triangular" | "triangular2" | "exp_range";

/** What a custom {@linkcode CyclicLR} scale function is evaluated on. */
export type CyclicLRScaleMode = "cycle" | "iterations";

const CYCLIC_MODES: readonly CyclicLRMode[] = ["triangular", "triangular2", "exp_range"];
const SCALE_MODES: readonly CyclicLRScaleMode[] = ["cycle", "iterations"];

/** Options of {@linkcode CyclicLR}. */
export interface CyclicLROptions extends LRSchedulerOptions {
  /** Lower learning-rate boundary, for every group or one per group. */
  baseLr: number | readonly number[];
  /** Upper learning-rate boundary, for every group or one per group. */
  maxLr: number | readonly number[];
  /**
   * Iterations in the increasing half of a cycle.
   * @default {2000}
   */
  stepSizeUp?: number;
  /**
   * Iterations in the decreasing half of a cycle; `null` means `stepSizeUp`.
   * @default {null}
   */
  stepSizeDown?: number | null;
  /**
   * The policy; ignored when `scaleFn` is given.
   * @default {"triangular"}
   */
  mode?: CyclicLRMode;
  /**
   * The base of `exp_range`'s scale `gamma ** iterations`.
   * @default {1}
   */
  gamma?: number;
  /**
   * A custom scale function (0 <= scaleFn(x) <= 1); replaces `mode`.
   * @default {undefined}
   */
  scaleFn?: (x: number) => number;
  /**
   * What `scaleFn` is evaluated on: the cycle number or the iteration. Only used with `scaleFn`.
   * @default {"cycle"}
   */
  scaleMode?: CyclicLRScaleMode;
  /**
   * Cycle the groups' `momentum` inversely to the learning rate.
   * @default {true}
   */
  cycleMomentum?: boolean;
  /**
   * Lower momentum boundary, for every group or one per group.
   * @default {0.8}
   */
  baseMomentum?: number | readonly number[];
  /**
   * Upper momentum boundary, for every group or one per group.
   * @default {0.9}
   */
  maxMomentum?: number | readonly number[];
}

/**
 * Cycles each group's learning rate between `baseLr` and `maxLr` (cyclical learning rates,
 * Smith 2017), and its momentum inversely. Port of torch `CyclicLR` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * totalSize = stepSizeUp + stepSizeDown,  stepRatio = stepSizeUp / totalSize
 * cycle = floor(1 + e / totalSize),       x = 1 + e / totalSize − cycle
 * scale = x / stepRatio                   if x <= stepRatio
 *       = (x − 1) / (stepRatio − 1)       otherwise
 * s     = scaleFn(cycle) or scaleFn(e)    (triangular: 1; triangular2: 1 / 2 ** (cycle − 1);
 *                                          exp_range: gamma ** e, on iterations)
 * lr_g       = baseLr_g + (maxLr_g − baseLr_g) · scale · s
 * momentum_g = maxMomentum_g − (maxMomentum_g − baseMomentum_g) · scale · s
 * ```
 *
 * Not recursive. As in torch, construction sets each group's `lr` to `baseLr` when `lastEpoch`
 * is -1, the initial step computes from the groups' `initialLr`, and later steps from `baseLr`.
 *
 * Momentum cycling, torch 1.13: needs a numeric `momentum` in every group (torch: `'momentum'` in
 * the optimizer's defaults; Adam is rejected); construction sets `momentum` to `baseMomentum`
 * (when `lastEpoch` is -1) and then reads the lower boundaries back from the groups. torch 2.11 and 2.13
 * (PR #113548): a group with `betas` (Adam) has its `betas[0]` cycled instead (`useBeta1`);
 * construction sets `momentum` (or `betas[0]`) to `maxMomentum` and writes `maxMomentum` and
 * `baseMomentum` into each group, and the lower boundaries are the `baseMomentum` option. The
 * state dict of torch 2.11 and 2.13 has `useBeta1` and `_scaleFnCustom` (`null`, or the own fields of a
 * stateful `scaleFn`, as torch saves a callable object's `__dict__`).
 * lrspec validates `scaleMode` (torch treats any value but `"cycle"` as iterations).
 *
 * @example The triangular policy with momentum cycling
 * ```ts
 * import { CyclicLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.5, momentum: 0.9 }] };
 * const scheduler = new CyclicLR({ optimizer, baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4 });
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.01);
 * for (let i = 0; i < 4; i++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1); // the peak
 * assert.equal(optimizer.paramGroups[0]!.momentum, 0.8);
 * ```
 */
export class CyclicLR extends LRScheduler {
  /** Upper learning-rate boundary of each group (torch's `max_lrs`). */
  maxLrs: number[];
  /** Iterations per cycle. */
  totalSize: number;
  /** Fraction of the cycle spent increasing. */
  stepRatio: number;
  /** The policy (meaningless when a custom `scaleFn` is used). */
  mode: string;
  /** The base of `exp_range`'s scale. */
  gamma: number;
  /** What the scale function is evaluated on. */
  scaleMode: CyclicLRScaleMode;
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Lower momentum boundary of each group (empty without momentum cycling). */
  baseMomentums: number[];
  /** Upper momentum boundary of each group (empty without momentum cycling). */
  maxMomentums: number[];
  /** torch 2.11 and 2.13: whether `betas[0]` is cycled instead of `momentum` (torch's `use_beta1`). */
  useBeta1: boolean;
  readonly #scaleFnCustom: EpochFunction | undefined;
  /** What a division by a zero ratio is about (torch's ZeroDivisionError in `get_lr`). */
  readonly #upBlame: Blame;
  readonly #downBlame: Blame;

  /**
   * Creates the scheduler, validating every option once, and takes torch's initial step.
   *
   * @param options See {@linkcode CyclicLROptions}.
   * @throws {RangeError} If `mode` is unknown and there is no `scaleFn` (torch `ValueError`), a
   * list has the wrong length (torch `ValueError`), a step size is negative or both are 0, or
   * the initial step divides by zero (`stepSizeUp = 0`; torch `ZeroDivisionError`).
   * @throws {TypeError} If an option has the wrong type, momentum cycling is asked of groups
   * without `momentum` (torch `ValueError`), the optimizer is malformed or `initialLr` is
   * missing when resuming.
   */
  constructor(options: CyclicLROptions) {
    const owner = "CyclicLR";
    const o = requireOptions(owner, options, [
      ...BASE_KEYS,
      "baseLr",
      "maxLr",
      "stepSizeUp",
      "stepSizeDown",
      "mode",
      "gamma",
      "scaleFn",
      "scaleMode",
      "cycleMomentum",
      "baseMomentum",
      "maxMomentum",
    ]);
    const torch = requireTorch(owner, o);
    const optimizer = requireOptimizer(owner, o.optimizer);
    const groups = optimizer.paramGroups;
    const lastEpoch = o.lastEpoch ?? -1;
    const baseLrs = formatParam(owner, "baseLr", o.baseLr, groups.length, torch);
    const maxLrs = formatParam(owner, "maxLr", o.maxLr, groups.length, torch);
    const stepSizeUp = finiteWhere(
      owner,
      "stepSizeUp",
      o.stepSizeUp ?? 2000,
      ">= 0",
      (x) => x >= 0,
    );
    const stepSizeDown = o.stepSizeDown === undefined || o.stepSizeDown === null
      ? stepSizeUp
      : finiteWhere(owner, "stepSizeDown", o.stepSizeDown, ">= 0", (x) => x >= 0);
    const totalSize = stepSizeUp + stepSizeDown;
    const stepRatio = trueDiv(owner, stepSizeUp, totalSize, "torch", "stepSizeUp");
    let scaleFnCustom: EpochFunction | undefined;
    let mode: string;
    let scaleMode: CyclicLRScaleMode;
    if (o.scaleFn === undefined || o.scaleFn === null) {
      mode = oneOf(
        owner,
        "mode",
        o.mode ?? "triangular",
        CYCLIC_MODES,
        " (torch: mode is invalid and scale_fn is None)",
      );
      scaleMode = mode === "exp_range" ? "iterations" : "cycle";
      oneOf(owner, "scaleMode", o.scaleMode ?? "cycle", SCALE_MODES);
    } else {
      scaleFnCustom = fn<EpochFunction>(owner, "scaleFn", o.scaleFn);
      const m = o.mode ?? "triangular";
      if (typeof m !== "string") {
        throw optionError(TypeError, owner, "mode", m, `\`mode\` must be a string: got ${show(m)}`);
      }
      mode = m;
      scaleMode = oneOf(owner, "scaleMode", o.scaleMode ?? "cycle", SCALE_MODES);
    }
    const gamma = finite(owner, "gamma", o.gamma ?? 1.0);
    const cycleMomentum = boolean(owner, "cycleMomentum", o.cycleMomentum ?? true);
    let baseMomentums: number[] = [];
    let maxMomentums: number[] = [];
    const useBeta1 = cycleMomentum && torch !== "1.13" && hasBetas(groups);
    if (cycleMomentum) {
      if (torch === "1.13" && !hasMomentum(groups)) {
        throw optionError(
          TypeError,
          owner,
          "cycleMomentum",
          cycleMomentum,
          `optimizer must support momentum with \`cycleMomentum\` option enabled: ` +
            "every group needs a numeric `momentum` (torch 1.13 ValueError)",
        );
      }
      if (torch !== "1.13" && !useBeta1 && !hasMomentum(groups)) {
        throw optionError(
          TypeError,
          owner,
          "cycleMomentum",
          cycleMomentum,
          `optimizer must support momentum or beta1 with \`cycleMomentum\` option ` +
            "enabled: every group needs a numeric `momentum` or a `betas` array (torch ValueError)",
        );
      }
      baseMomentums = formatParam(
        owner,
        "baseMomentum",
        o.baseMomentum ?? 0.8,
        groups.length,
        torch,
      );
      maxMomentums = formatParam(owner, "maxMomentum", o.maxMomentum ?? 0.9, groups.length, torch);
    }
    // Everything is valid: mutate the groups as torch does before its base constructor runs.
    if (lastEpoch === -1) groups.forEach((g, i) => (g.lr = baseLrs[i]!));
    if (cycleMomentum && torch === "1.13") {
      if (lastEpoch === -1) groups.forEach((g, i) => (g.momentum = baseMomentums[i]!));
      baseMomentums = groups.map((g) => g.momentum as number);
    }
    if (cycleMomentum && torch !== "1.13" && lastEpoch === -1) {
      startMomentums(groups, maxMomentums, baseMomentums, useBeta1);
    }
    super(owner, o);
    this.maxLrs = maxLrs;
    this.totalSize = totalSize;
    this.stepRatio = stepRatio;
    this.#upBlame = { option: "stepSizeUp", value: stepSizeUp };
    this.#downBlame = { option: "stepSizeDown", value: stepSizeDown };
    this.mode = mode;
    this.gamma = gamma;
    this.#scaleFnCustom = scaleFnCustom;
    this.scaleMode = scaleMode;
    this.cycleMomentum = cycleMomentum;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.useBeta1 = useBeta1;
    this.initialStep(); // with baseLrs = the groups' initialLr, as in torch
    this.baseLrs = baseLrs;
  }

  /**
   * The scale function at `x`: the custom one, or the policy's (`triangular`: 1,
   * `triangular2`: `1 / 2 ** (x − 1)`, `exp_range`: `gamma ** x`).
   */
  scaleFn(x: number): number {
    const owner = "CyclicLR";
    if (this.#scaleFnCustom !== undefined) {
      return callFactor(owner, "scaleFn", this.#scaleFnCustom, x);
    }
    if (this.mode === "triangular") return 1.0;
    if (this.mode === "triangular2") return trueDiv(owner, 1, floatPow(owner, 2.0, x - 1));
    return floatPow(owner, this.gamma, x);
  }

  /**
   * The learning rate of each group at iteration `lastEpoch`; also writes each group's
   * `momentum` when cycling it, as torch does.
   */
  getLr(): number[] {
    const owner = "CyclicLR";
    const e = this.lastEpoch;
    const cycle = Math.floor(1 + e / this.totalSize);
    const x = 1.0 + e / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio
      ? trueDiv(owner, x, this.stepRatio, "torch", this.#upBlame)
      : trueDiv(owner, x - 1, this.stepRatio - 1, "torch", this.#downBlame);
    const at = this.scaleMode === "cycle" ? cycle : e;
    const lrs: number[] = [];
    const n = Math.min(this.baseLrs.length, this.maxLrs.length);
    for (let i = 0; i < n; i++) {
      const baseLr = this.baseLrs[i]!;
      const baseHeight = (this.maxLrs[i]! - baseLr) * scaleFactor;
      lrs.push(baseLr + baseHeight * this.scaleFn(at));
    }
    if (this.cycleMomentum) {
      const momentums: number[] = [];
      const m = Math.min(this.baseMomentums.length, this.maxMomentums.length);
      for (let i = 0; i < m; i++) {
        const maxMomentum = this.maxMomentums[i]!;
        const baseHeight = (maxMomentum - this.baseMomentums[i]!) * scaleFactor;
        momentums.push(maxMomentum - baseHeight * this.scaleFn(at));
      }
      const groups = this.optimizer.paramGroups;
      if (this.torch !== "1.13" && groups.length !== momentums.length) {
        throw optionError(
          RangeError,
          owner,
          "optimizer.paramGroups",
          groups,
          `zip() arguments differ in length: ${momentums.length} momentums for ` +
            `${groups.length} groups (torch 2.11 and 2.13 raise ValueError)`,
        );
      }
      const k = Math.min(groups.length, momentums.length);
      for (let i = 0; i < k; i++) {
        writeMomentum(groups[i]!, momentums[i]!, this.useBeta1);
      }
    }
    return lrs;
  }

  /**
   * torch's state: momentum boundaries only when cycling momentum; torch 2.11 and 2.13 add `useBeta1`
   * (when cycling) and `_scaleFnCustom` (`null`, or the own fields of a stateful `scaleFn`).
   */
  override stateDict(): StateDict {
    const state = super.stateDict();
    if (!this.cycleMomentum) {
      delete state.baseMomentums;
      delete state.maxMomentums;
    }
    if (this.torch === "1.13" || !this.cycleMomentum) delete state.useBeta1;
    if (this.torch !== "1.13") {
      const fn = this.#scaleFnCustom;
      state._scaleFnCustom = fn === undefined ? null : functionState(fn);
    }
    return state;
  }

  /**
   * Restores a state; torch 2.11's and 2.13's `_scaleFnCustom` entry updates the fields of `scaleFn`.
   * @throws {TypeError} If the state is malformed.
   */
  override loadStateDict(state: StateDict): void {
    const { _scaleFnCustom, ...rest } = state;
    super.loadStateDict(rest);
    if (this.torch !== "1.13" && _scaleFnCustom !== undefined && _scaleFnCustom !== null) {
      if (typeof _scaleFnCustom !== "object" || this.#scaleFnCustom === undefined) {
        throw optionError(
          TypeError,
          "CyclicLR",
          "state._scaleFnCustom",
          _scaleFnCustom,
          `state \`_scaleFnCustom\` must be null or the fields of \`scaleFn\`: got ${
            show(_scaleFnCustom)
          }`,
        );
      }
      Object.assign(this.#scaleFnCustom, _scaleFnCustom);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// OneCycleLR
// ---------------------------------------------------------------------------------------------

/** The annealing shapes of {@linkcode OneCycleLR}. */
export type AnnealStrategy = "cos" | "linear";

const ANNEAL_STRATEGIES: readonly AnnealStrategy[] = ["cos", "linear"];

/** Options of {@linkcode OneCycleLR}. */
export interface OneCycleLROptions extends LRSchedulerOptions {
  /** Peak learning rate, for every group or one per group. */
  maxLr: number | readonly number[];
  /**
   * Total number of steps of the cycle; otherwise `epochs · stepsPerEpoch`.
   * @default {undefined}
   */
  totalSteps?: number | null;
  /**
   * Number of epochs (with `stepsPerEpoch`, when `totalSteps` is not given).
   * @default {undefined}
   */
  epochs?: number | null;
  /**
   * Steps per epoch (with `epochs`, when `totalSteps` is not given).
   * @default {undefined}
   */
  stepsPerEpoch?: number | null;
  /**
   * Fraction of the cycle spent increasing the rate, in [0, 1].
   * @default {0.3}
   */
  pctStart?: number;
  /**
   * `"cos"` or `"linear"` annealing.
   * @default {"cos"}
   */
  annealStrategy?: AnnealStrategy;
  /**
   * Cycle momentum (or Adam's `beta1`) inversely to the rate.
   * @default {true}
   */
  cycleMomentum?: boolean;
  /**
   * Momentum at the peak rate, for every group or one per group.
   * @default {0.85}
   */
  baseMomentum?: number | readonly number[];
  /**
   * Momentum at the start and end, for every group or one per group.
   * @default {0.95}
   */
  maxMomentum?: number | readonly number[];
  /**
   * `initialLr = maxLr / divFactor`.
   * @default {25}
   */
  divFactor?: number;
  /**
   * `minLr = initialLr / finalDivFactor`.
   * @default {1e4}
   */
  finalDivFactor?: number;
  /**
   * Use three phases (up, down to `initialLr`, annihilate to `minLr`) instead of two.
   * @default {false}
   */
  threePhase?: boolean;
}

/** One phase of {@linkcode OneCycleLR}: its last step and the group keys it anneals between. */
export interface OneCyclePhase {
  /** The (fractional) step at which the phase ends. */
  endStep: number;
  /** Group key of the starting rate. */
  startLr: "initialLr" | "maxLr";
  /** Group key of the final rate. */
  endLr: "maxLr" | "initialLr" | "minLr";
  /** Group key of the starting momentum. */
  startMomentum: "maxMomentum" | "baseMomentum";
  /** Group key of the final momentum. */
  endMomentum: "maxMomentum" | "baseMomentum";
}

/**
 * The 1cycle policy (Smith & Topin 2018, fastai's two-phase variant by default). Port of torch
 * `OneCycleLR` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * construction (lastEpoch = -1): initialLr_g = maxLr_g / divFactor, minLr_g = initialLr_g /
 *                                finalDivFactor; momentum (or beta1) ← maxMomentum
 * phases (two):   up to pctStart·T − 1:       initialLr → maxLr,  maxMomentum → baseMomentum
 *                 up to T − 1:                 maxLr → minLr,      baseMomentum → maxMomentum
 * phases (three): up to pctStart·T − 1:       initialLr → maxLr
 *                 up to 2·pctStart·T − 2:     maxLr → initialLr
 *                 up to T − 1:                 initialLr → minLr
 * pct  = (e − phaseStart) / (phaseEnd − phaseStart)
 * cos:    end + (start − end) / 2.0 · (cos(π · pct) + 1)
 * linear: (end − start) · pct + start
 * ```
 *
 * Not chainable: the rates come from the group keys `initialLr`, `maxLr`, `minLr`,
 * `maxMomentum`, `baseMomentum`, which construction writes (as torch writes `initial_lr`,
 * `max_lr`, …). Momentum cycling writes `momentum`, or `betas[0]` when every group has `betas`
 * (Adam), replacing the `betas` array as torch replaces the tuple. As in torch, stepping is
 * allowed up to `lastEpoch = totalSteps` — one step past the last phase, where the rate is
 * extrapolated and rises again — and the next step throws ("Tried to step …", torch
 * `ValueError`). A phase of zero length (e.g. `pctStart · totalSteps = 1`) makes torch raise
 * `ZeroDivisionError`; lrspec throws a `RangeError` at the same step. torch rejects an integer
 * `pctStart` (`1`); JavaScript cannot tell `1` from `1.0`, so lrspec accepts it. The values are the
 * same in torch 1.13, 2.11 and 2.13; the messages differ ("Tried to step N + 1 times" in 1.13, "N" in
 * 2.11; "momentum or beta1" in 2.11), as the list-length message of `maxLr` and the momentums does.
 *
 * @example Two phases over 100 steps with Adam-style betas
 * ```ts
 * import { OneCycleLR, type Optimizer } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer: Optimizer = { paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }] };
 * const scheduler = new OneCycleLR({ optimizer, maxLr: 0.01, totalSteps: 100 });
 * assert.equal(optimizer.paramGroups[0]!.initialLr, 0.01 / 25);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.0003999999999999993); // cos annealing at pct 0
 * assert.deepEqual(optimizer.paramGroups[0]!.betas, [0.95, 0.999]);
 * for (let i = 0; i < 29; i++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.01); // the peak, at pctStart · 100 − 1
 * for (let i = 0; i < 71; i++) scheduler.step();
 * assert.throws(() => scheduler.step(), RangeError); // "Tried to step 102 times"
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /** Total number of steps of the cycle. */
  totalSteps: number;
  /** The phases (torch's `_schedule_phases`). */
  _schedulePhases: OneCyclePhase[];
  /** The annealing shape (torch stores the function, `anneal_func`). */
  annealStrategy: AnnealStrategy;
  /** Whether momentum (or `beta1`) is cycled. */
  cycleMomentum: boolean;
  /** Whether `betas[0]` is cycled instead of `momentum` (torch's `use_beta1`). */
  useBeta1: boolean;

  /**
   * Creates the scheduler, validating every option once, and takes torch's initial step.
   *
   * @param options See {@linkcode OneCycleLROptions}.
   * @throws {TypeError} If neither `totalSteps` nor `epochs` and `stepsPerEpoch` are given
   * (torch `ValueError`/`TypeError`), an option has the wrong type, momentum cycling is asked of
   * groups with neither `momentum` nor `betas` (torch `ValueError`), or a key is missing when
   * resuming (torch `KeyError`).
   * @throws {RangeError} If `totalSteps`, `epochs` or `stepsPerEpoch` is not a positive integer,
   * `pctStart` is outside [0, 1], `annealStrategy` is unknown, a list has the wrong length (all
   * torch `ValueError`), or the initial step divides by zero (torch `ZeroDivisionError`).
   */
  constructor(options: OneCycleLROptions) {
    const owner = "OneCycleLR";
    const o = requireOptions(owner, options, [
      ...BASE_KEYS,
      "maxLr",
      "totalSteps",
      "epochs",
      "stepsPerEpoch",
      "pctStart",
      "annealStrategy",
      "cycleMomentum",
      "baseMomentum",
      "maxMomentum",
      "divFactor",
      "finalDivFactor",
      "threePhase",
    ]);
    const torch = requireTorch(owner, o);
    const optimizer = requireOptimizer(owner, o.optimizer);
    const groups = optimizer.paramGroups;
    const lastEpoch = o.lastEpoch ?? -1;
    const given = (v: unknown) => v !== undefined && v !== null;
    let totalSteps: number;
    if (!given(o.totalSteps) && !given(o.epochs) && !given(o.stepsPerEpoch)) {
      throw optionError(
        TypeError,
        owner,
        "totalSteps",
        o.totalSteps,
        `You must define either totalSteps OR (epochs AND stepsPerEpoch)`,
      );
    } else if (given(o.totalSteps)) {
      totalSteps = positiveInteger(owner, "totalSteps", o.totalSteps);
    } else {
      if (!given(o.epochs) || !given(o.stepsPerEpoch)) {
        throw optionError(
          TypeError,
          owner,
          given(o.epochs) ? "stepsPerEpoch" : "epochs",
          given(o.epochs) ? o.stepsPerEpoch : o.epochs,
          `\`epochs\` and \`stepsPerEpoch\` must both be given without \`totalSteps\`` +
            " (torch raises TypeError)",
        );
      }
      totalSteps = positiveInteger(owner, "epochs", o.epochs) *
        positiveInteger(owner, "stepsPerEpoch", o.stepsPerEpoch);
    }
    const pctStart = finite(owner, "pctStart", o.pctStart ?? 0.3);
    const threePhase = boolean(owner, "threePhase", o.threePhase ?? false);
    const phases: OneCyclePhase[] = threePhase
      ? [
        {
          endStep: pctStart * totalSteps - 1,
          startLr: "initialLr",
          endLr: "maxLr",
          startMomentum: "maxMomentum",
          endMomentum: "baseMomentum",
        },
        {
          endStep: 2 * pctStart * totalSteps - 2,
          startLr: "maxLr",
          endLr: "initialLr",
          startMomentum: "baseMomentum",
          endMomentum: "maxMomentum",
        },
        {
          endStep: totalSteps - 1,
          startLr: "initialLr",
          endLr: "minLr",
          startMomentum: "maxMomentum",
          endMomentum: "maxMomentum",
        },
      ]
      : [
        {
          endStep: pctStart * totalSteps - 1,
          startLr: "initialLr",
          endLr: "maxLr",
          startMomentum: "maxMomentum",
          endMomentum: "baseMomentum",
        },
        {
          endStep: totalSteps - 1,
          startLr: "maxLr",
          endLr: "minLr",
          startMomentum: "baseMomentum",
          endMomentum: "maxMomentum",
        },
      ];
    if (pctStart < 0 || pctStart > 1) {
      throw optionError(
        RangeError,
        owner,
        "pctStart",
        pctStart,
        `Expected float between 0 and 1 pctStart, but got ${show(pctStart)}`,
      );
    }
    const annealStrategy = oneOf(
      owner,
      "annealStrategy",
      o.annealStrategy ?? "cos",
      ANNEAL_STRATEGIES,
      " (torch ValueError)",
    );
    const maxLrs = formatParam(owner, "maxLr", o.maxLr, groups.length, torch);
    const divFactor = finite(owner, "divFactor", o.divFactor ?? 25.0);
    const finalDivFactor = finite(owner, "finalDivFactor", o.finalDivFactor ?? 1e4);
    const cycleMomentum = boolean(owner, "cycleMomentum", o.cycleMomentum ?? true);
    let useBeta1 = false;
    let maxMomentums: number[] = [];
    let baseMomentums: number[] = [];
    if (cycleMomentum) {
      useBeta1 = hasBetas(groups);
      if (!useBeta1 && !hasMomentum(groups)) {
        throw optionError(
          TypeError,
          owner,
          "cycleMomentum",
          cycleMomentum,
          `optimizer must support momentum${
            torch === "1.13" ? "" : " or beta1"
          } with \`cycleMomentum\` option enabled: every group needs a numeric \`momentum\` or a ` +
            "`betas` array (torch ValueError)",
        );
      }
      maxMomentums = formatParam(owner, "maxMomentum", o.maxMomentum ?? 0.95, groups.length, torch);
      baseMomentums = formatParam(
        owner,
        "baseMomentum",
        o.baseMomentum ?? 0.85,
        groups.length,
        torch,
      );
    }
    if (lastEpoch === -1) {
      const initialLrs = maxLrs.map((m) => trueDiv(owner, m, divFactor, "torch", "divFactor"));
      const minLrs = initialLrs.map((i) =>
        trueDiv(owner, i, finalDivFactor, "torch", "finalDivFactor")
      );
      groups.forEach((g, i) => {
        g.initialLr = initialLrs[i]!;
        g.maxLr = maxLrs[i]!;
        g.minLr = minLrs[i]!;
      });
      if (cycleMomentum) startMomentums(groups, maxMomentums, baseMomentums, useBeta1);
    }
    super(owner, o);
    this.totalSteps = totalSteps;
    this._schedulePhases = phases;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.initialStep();
  }

  /** Anneals from `start` to `end` as `pct` goes from 0 to 1. */
  #anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "cos") {
      const cosOut = libm.cos(Math.PI * pct) + 1;
      return end + (start - end) / 2.0 * cosOut;
    }
    return (end - start) * pct + start;
  }

  /**
   * The learning rate of each group at step `lastEpoch`; also writes each group's momentum (or
   * `betas[0]`) when cycling it, as torch does.
   *
   * @throws {RangeError} Past `totalSteps` ("Tried to step …", torch `ValueError`).
   */
  getLr(): number[] {
    const owner = "OneCycleLR";
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw optionError(
        RangeError,
        owner,
        "totalSteps",
        this.totalSteps,
        `Tried to step ${
          this.torch === "1.13" ? stepNum + 1 : stepNum
        } times. The specified number of total steps is ${this.totalSteps} (torch ValueError)`,
      );
    }
    const phases = this._schedulePhases;
    const lrs: number[] = [];
    this.optimizer.paramGroups.forEach((group, g) => {
      let startStep = 0;
      let computedLr = 0;
      let computedMomentum = 0;
      for (let i = 0; i < phases.length; i++) {
        const phase = phases[i]!;
        const endStep = phase.endStep;
        if (stepNum <= endStep || i === phases.length - 1) {
          const pct = trueDiv(owner, stepNum - startStep, endStep - startStep);
          computedLr = this.#anneal(
            groupNumber(owner, group, g, phase.startLr),
            groupNumber(owner, group, g, phase.endLr),
            pct,
          );
          if (this.cycleMomentum) {
            computedMomentum = this.#anneal(
              groupNumber(owner, group, g, phase.startMomentum),
              groupNumber(owner, group, g, phase.endMomentum),
              pct,
            );
          }
          break;
        }
        startStep = phase.endStep;
      }
      lrs.push(computedLr);
      if (this.cycleMomentum) writeMomentum(group, computedMomentum, this.useBeta1);
    });
    return lrs;
  }
}

function positiveInteger(owner: string, name: string, value: unknown): number {
  return integer(
    owner,
    name,
    value,
    `a positive integer (torch: Expected positive integer ${name})`,
    (x) => x > 0,
  );
}
