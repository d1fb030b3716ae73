/**
 * Port of fvcore's parameter schedulers (`fvcore/common/param_scheduler.py`, fvcore commit
 * 3378afe): pure functions of the training progress `where` ∈ [0, 1].
 *
 * Every scheduler validates its options once, at construction, and `at(where)` is then a pure
 * function with no hidden state. The arithmetic is fvcore's, operation for operation, so values
 * are bit-identical to fvcore's wherever the formula is plain IEEE-754 arithmetic; `cos` and
 * `pow` come from the runtime (see the README's conformance table for how often they differ from
 * glibc's by an ULP).
 *
 * Deliberate differences from fvcore, all of them stricter:
 * - options are validated (types, finiteness) and unknown option keys are rejected;
 * - `at()` throws a `RangeError` for a non-finite `where` and wherever fvcore raises, and never
 *   returns NaN (fvcore would return `nan`, a complex number or raise `ZeroDivisionError`);
 * - `CompositeParamScheduler` never mutates the caller's `lengths` and checks that
 *   `intervalScaling` has one entry per scheduler.
 *
 * @module
 */

import { libm } from "../math.ts";
import { optionError } from "../errors.ts";
import { ownerOf } from "../_internal/owner.ts";
import { bisectRightF64, listIndex, pySum } from "../_internal/python.ts";
import type { PlanPiece, SchedulePlan } from "../fast/plan.ts";
import {
  array,
  checkSchedulerValue,
  finite,
  finiteArgument,
  finiteArray,
  finiteWhere,
  integer,
  oneOf,
  requireOptions,
  requireScheduler,
  show,
} from "../_internal/validate.ts";

/**
 * fvcore's `ParamScheduler.WHERE_EPSILON`: added to `where` before it is turned into a step
 * index (MultiStep, Step) or compared with a segment end (Composite), so that `where = i / n`
 * maps back to step `i` despite rounding.
 *
 * Side effect, reproduced: on schedules of `n ≥ 10^6` updates, transitions happen
 * `⌊10^-6 · n⌋` updates early.
 */
export const WHERE_EPSILON = 1e-6;

/**
 * Base class of the fvcore-style schedulers: a mapping from training progress
 * `where` ∈ [0, 1] to a value (a learning-rate multiplier, a momentum, …).
 *
 * Port of fvcore `ParamScheduler`; fvcore's `__call__(where)` is {@linkcode ParamScheduler.at}.
 * Subclass it to write your own schedule; anything with an `at(where)` method is accepted
 * wherever a scheduler is expected. Every scheduler of this module also has a `plan()` (a
 * {@linkcode SchedulePlan}) through which `sample()` and `ScheduleCursor` evaluate it at the cost
 * of its change points; a subclass that overrides `at` is evaluated through its `at` instead,
 * unless it provides a plan of its own.
 */
export abstract class ParamScheduler {
  /** {@linkcode WHERE_EPSILON}, as the class attribute fvcore code refers to. */
  static readonly WHERE_EPSILON: number = WHERE_EPSILON;

  /**
   * The value at training progress `where`.
   *
   * @param where Fraction of training completed, normally in [0, 1].
   * @returns The scheduled value.
   * @throws {RangeError} If `where` is not finite, or where fvcore raises for this `where`.
   */
  abstract at(where: number): number;
}

/** Something with an `at(where)` method: a {@linkcode ParamScheduler} or a duck-typed equivalent. */
export interface ParamSchedulerLike {
  /** The value at training progress `where`. */
  at(where: number): number;
}

/**
 * Returns `value` if it is finite; otherwise throws the RangeError Python would raise
 * (`OverflowError` from `**`) or that stands in for the `nan`/`inf` it would return.
 */
function finiteGuard(owner: string, where: number, value: number): number {
  if (value - value !== 0) {
    throw optionError(
      RangeError,
      owner,
      "where",
      where,
      `the value at where=${show(where)} is ${value} (out of range: Python raises ` +
        `OverflowError or returns a non-finite value here)`,
    );
  }
  return value;
}

const OPAQUE: PlanPiece = Object.freeze({ kind: "opaque" });

/** A value piece of a plan. */
function valuePiece(value: number): PlanPiece {
  return { kind: "value", value };
}

/**
 * The plan of a smooth schedule: `formula` everywhere, declared monotone on `where` ∈ [0, 1]
 * only — the schedule's domain, where each fvcore formula is monotone; extrapolated beyond it, a
 * cosine turns and a linear interpolation cancels (`end · where` against `start · (1 − where)`).
 */
function smoothPlan(
  at: (where: number) => number,
  formula: (where: number) => number,
  fill?: (out: Float64Array, from: number, to: number, first: number, n: number) => number,
): SchedulePlan {
  const extra = fill === undefined ? {} : { fill };
  const inside: PlanPiece = { kind: "formula", formula, monotone: true, ...extra };
  const outside: PlanPiece = { kind: "formula", formula, monotone: false, ...extra };
  return {
    at,
    piece: (where) => (where < 0 ? -1 : where <= 1 ? 0 : 1),
    resolve: (p) => (p === 0 ? inside : outside),
  };
}

/** Options of {@linkcode ConstantParamScheduler}. */
export interface ConstantParamSchedulerOptions {
  /** The constant value. */
  value: number;
}

/**
 * A constant value. Port of fvcore `ConstantParamScheduler`.
 *
 * ```text
 * value(where) = value      for where < 1
 * ```
 *
 * @example Constant
 * ```ts
 * import { ConstantParamScheduler } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new ConstantParamScheduler({ value: 0.42 });
 * assert.equal(s.at(0.5), 0.42);
 * assert.throws(() => s.at(1), RangeError); // fvcore raises at where >= 1
 * ```
 */
export class ConstantParamScheduler extends ParamScheduler {
  /** The constant value. */
  readonly value: number;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ value }`.
   * @throws {TypeError | RangeError} If `value` is not a finite number.
   */
  constructor(options: ConstantParamSchedulerOptions) {
    super();
    const o = requireOptions("ConstantParamScheduler", options, ["value"]);
    this.value = finite("ConstantParamScheduler", "value", o.value);
  }

  /**
   * The value at training progress `where`.
   *
   * @throws {RangeError} At `where >= 1` (fvcore raises `RuntimeError`) or a non-finite `where`.
   */
  at(where: number): number {
    finiteArgument("ConstantParamScheduler", "where", where);
    if (constantPastEnd(where)) {
      throw optionError(
        RangeError,
        "ConstantParamScheduler",
        "where",
        where,
        `where in ParamScheduler must be in [0, 1]: got ${where}`,
      );
    }
    return this.value;
  }

  /**
   * The plan of {@linkcode ConstantParamScheduler.at}: `value` below `where = 1`, `at()` (which
   * throws) from there on.
   */
  plan(): SchedulePlan {
    const value = valuePiece(this.value);
    return {
      at: ConstantParamScheduler.prototype.at,
      piece: (where) => (constantPastEnd(where) ? 1 : 0),
      resolve: (p) => (p === 0 ? value : OPAQUE),
    };
  }
}

/** fvcore `ConstantParamScheduler` raises from `where = 1` on. */
function constantPastEnd(where: number): boolean {
  return where >= 1.0;
}

/** Options of {@linkcode CosineParamScheduler}. */
export interface CosineParamSchedulerOptions {
  /** Value at `where = 0`. */
  startValue: number;
  /** Value at `where = 1`. */
  endValue: number;
}

/**
 * Half-cosine annealing from `startValue` to `endValue` (SGDR without restarts). Port of fvcore
 * `CosineParamScheduler`.
 *
 * ```text
 * value(where) = endValue + 0.5 · (startValue − endValue) · (1 + cos(π · where))
 * ```
 *
 * @example Cosine decay
 * ```ts
 * import { CosineParamScheduler } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new CosineParamScheduler({ startValue: 1, endValue: 0 });
 * assert.equal(s.at(0), 1);
 * assert.equal(s.at(1), 0);
 * ```
 */
export class CosineParamScheduler extends ParamScheduler {
  /** Value at `where = 0`. */
  readonly startValue: number;
  /** Value at `where = 1`. */
  readonly endValue: number;
  readonly #halfRange: number;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ startValue, endValue }`.
   * @throws {TypeError | RangeError} If a value is not a finite number, or their difference
   * overflows.
   */
  constructor(options: CosineParamSchedulerOptions) {
    super();
    const owner = "CosineParamScheduler";
    const o = requireOptions(owner, options, ["startValue", "endValue"]);
    this.startValue = finite(owner, "startValue", o.startValue);
    this.endValue = finite(owner, "endValue", o.endValue);
    // fvcore evaluates `0.5 * (start - end)` first; computing it once gives the same double.
    this.#halfRange = 0.5 * (this.startValue - this.endValue);
    if (!Number.isFinite(this.startValue - this.endValue)) {
      throw optionError(
        RangeError,
        owner,
        "endValue",
        this.endValue,
        `\`startValue\` - \`endValue\` overflows: got ${this.startValue} and ${this.endValue}`,
      );
    }
  }

  /**
   * The value at training progress `where`.
   *
   * @throws {RangeError} For a non-finite `where`.
   */
  at(where: number): number {
    finiteArgument("CosineParamScheduler", "where", where);
    return cosine(libm.cos, this.endValue, this.#halfRange, where);
  }

  /**
   * The plan of {@linkcode CosineParamScheduler.at}: the formula everywhere (with a fill loop),
   * declared monotone on `where` ∈ [0, 1], a half period of the cosine.
   */
  plan(): SchedulePlan {
    const end = this.endValue;
    const halfRange = this.#halfRange;
    return smoothPlan(
      CosineParamScheduler.prototype.at,
      (where) => cosine(libm.cos, end, halfRange, where),
      (out, from, to, first, n) => fillCosine(out, from, to, first, n, end, halfRange),
    );
  }
}

/**
 * fvcore `CosineParamScheduler`: `end + 0.5 · (start − end) · (1 + cos(π · where))`, with `cos`
 * from {@linkcode libm}.
 */
function cosine(
  cos: (x: number) => number,
  endValue: number,
  halfRange: number,
  where: number,
): number {
  return endValue + halfRange * (1 + cos(Math.PI * where));
}

/**
 * {@linkcode cosine} at `where = j / n` for `j = first, first + 1, …`, into `out[from, to)`, two
 * values per turn (BENCH.md § Optimisations). Finite everywhere: each value lies between
 * `startValue` and `endValue`.
 */
function fillCosine(
  out: Float64Array,
  from: number,
  to: number,
  first: number,
  n: number,
  endValue: number,
  halfRange: number,
): number {
  const cos = libm.cos;
  let j = first;
  let k = from;
  for (; k + 1 < to; j += 2, k += 2) {
    out[k] = cosine(cos, endValue, halfRange, j / n);
    out[k + 1] = cosine(cos, endValue, halfRange, (j + 1) / n);
  }
  if (k < to) out[k] = cosine(cos, endValue, halfRange, j / n);
  return to;
}

/** Options of {@linkcode ExponentialParamScheduler}. */
export interface ExponentialParamSchedulerOptions {
  /** Value at `where = 0`. */
  startValue: number;
  /** Factor reached at `where = 1`: `value(1) = startValue · decay`. Must be `>= 0`. */
  decay: number;
}

/**
 * Exponential decay. Port of fvcore `ExponentialParamScheduler`.
 *
 * ```text
 * value(where) = startValue · decay ** where
 * ```
 *
 * @example From 2.0 towards 0.04
 * ```ts
 * import { ExponentialParamScheduler } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new ExponentialParamScheduler({ startValue: 2.0, decay: 0.02 });
 * assert.equal(s.at(0), 2);
 * assert.equal(s.at(1), 0.04);
 * ```
 */
export class ExponentialParamScheduler extends ParamScheduler {
  /** Value at `where = 0`. */
  readonly startValue: number;
  /** The decay factor over the whole schedule. */
  readonly decay: number;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ startValue, decay }`.
   * @throws {TypeError | RangeError} If a value is not finite, `decay < 0` (Python would produce
   * a complex number), or `startValue · max(1, decay)` overflows.
   */
  constructor(options: ExponentialParamSchedulerOptions) {
    super();
    const owner = "ExponentialParamScheduler";
    const o = requireOptions(owner, options, ["startValue", "decay"]);
    this.startValue = finite(owner, "startValue", o.startValue);
    this.decay = finiteWhere(owner, "decay", o.decay, ">= 0", (x) => x >= 0);
    if (!Number.isFinite(this.startValue * Math.max(1, this.decay))) {
      throw optionError(
        RangeError,
        owner,
        "startValue",
        this.startValue,
        `\`startValue\` * \`decay\` overflows: got ${this.startValue} and ${this.decay}`,
      );
    }
  }

  /**
   * The value at training progress `where`.
   *
   * @throws {RangeError} For a non-finite `where`, `where < 0` with `decay = 0` (Python raises
   * `ZeroDivisionError`), or a result that is not a number.
   */
  at(where: number): number {
    const owner = "ExponentialParamScheduler";
    finiteArgument(owner, "where", where);
    if (this.decay === 0 && where < 0) {
      throw optionError(
        RangeError,
        owner,
        "where",
        where,
        `0.0 cannot be raised to a negative power (where=${where})`,
      );
    }
    return finiteGuard(owner, where, exponential(this.startValue, this.decay, where));
  }

  /**
   * The plan of {@linkcode ExponentialParamScheduler.at}: the formula everywhere, declared
   * monotone on `where` ∈ [0, 1].
   */
  plan(): SchedulePlan {
    const { startValue, decay } = this;
    return smoothPlan(
      ExponentialParamScheduler.prototype.at,
      (where) => exponential(startValue, decay, where),
    );
  }
}

/** fvcore `ExponentialParamScheduler`: `start · decay ** where`. */
function exponential(startValue: number, decay: number, where: number): number {
  return startValue * libm.pow(decay, where);
}

/** Options of {@linkcode LinearParamScheduler}. */
export interface LinearParamSchedulerOptions {
  /** Value at `where = 0`. */
  startValue: number;
  /** Value at `where = 1`. */
  endValue: number;
}

/**
 * Linear interpolation, for warmup or decay. Port of fvcore `LinearParamScheduler`.
 *
 * ```text
 * value(where) = endValue · where + startValue · (1 − where)
 * ```
 *
 * @example Linear warmup
 * ```ts
 * import { LinearParamScheduler } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new LinearParamScheduler({ startValue: 0.0001, endValue: 0.01 });
 * assert.equal(s.at(0), 0.0001);
 * assert.equal(s.at(1), 0.01);
 * ```
 */
export class LinearParamScheduler extends ParamScheduler {
  /** Value at `where = 0`. */
  readonly startValue: number;
  /** Value at `where = 1`. */
  readonly endValue: number;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ startValue, endValue }`.
   * @throws {TypeError | RangeError} If a value is not a finite number.
   */
  constructor(options: LinearParamSchedulerOptions) {
    super();
    const owner = "LinearParamScheduler";
    const o = requireOptions(owner, options, ["startValue", "endValue"]);
    this.startValue = finite(owner, "startValue", o.startValue);
    this.endValue = finite(owner, "endValue", o.endValue);
  }

  /**
   * The value at training progress `where`.
   *
   * @throws {RangeError} For a non-finite `where` or one so large the result is not a number.
   */
  at(where: number): number {
    finiteArgument("LinearParamScheduler", "where", where);
    return finiteGuard(
      "LinearParamScheduler",
      where,
      linear(this.startValue, this.endValue, where),
    );
  }

  /**
   * The plan of {@linkcode LinearParamScheduler.at}: the formula everywhere, declared monotone on
   * `where` ∈ [0, 1].
   */
  plan(): SchedulePlan {
    const { startValue, endValue } = this;
    return smoothPlan(
      LinearParamScheduler.prototype.at,
      (where) => linear(startValue, endValue, where),
    );
  }
}

/** fvcore `LinearParamScheduler`: `end · where + start · (1 − where)`. */
function linear(startValue: number, endValue: number, where: number): number {
  return endValue * where + startValue * (1 - where);
}

/** Options of {@linkcode MultiStepParamScheduler}. */
export interface MultiStepParamSchedulerOptions {
  /** The value in each range: one more than the milestones strictly inside the schedule. */
  values: readonly number[];
  /**
   * The end of the last range. When omitted, the last entry of `milestones` is used (and
   * removed from the milestones).
   * @default {milestones[milestones.length - 1]}
   */
  numUpdates?: number;
  /**
   * The (exclusive) upper boundary of each range, strictly increasing, all in (0, numUpdates).
   * When omitted, `numUpdates` is split evenly: `milestones[i] = ceil(numUpdates / values.length) · (i + 1)`.
   * @default {equispaced}
   */
  milestones?: readonly number[];
}

/**
 * Piecewise-constant values that change at given milestones. Port of fvcore
 * `MultiStepParamScheduler`.
 *
 * ```text
 * step(where)  = trunc((where + WHERE_EPSILON) · numUpdates)
 * value(where) = values[#{ m ∈ milestones : m <= step(where) }]      for where <= 1
 * ```
 *
 * The schedule is scale-invariant: `milestones: [30, 60], numUpdates: 90` and
 * `milestones: [3, 6], numUpdates: 9` agree (up to {@linkcode WHERE_EPSILON}).
 *
 * @example Detectron2's 1x schedule as a multiplier
 * ```ts
 * import { MultiStepParamScheduler } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new MultiStepParamScheduler({
 *   values: [1, 0.1, 0.01],
 *   milestones: [60000, 80000],
 *   numUpdates: 90000,
 * });
 * assert.equal(s.at(59999 / 90000), 1);
 * assert.equal(s.at(60000 / 90000), 0.1);
 * assert.equal(s.at(1), 0.01);
 * ```
 */
export class MultiStepParamScheduler extends ParamScheduler {
  /** The value in each range (frozen copy). */
  readonly values: readonly number[];
  /** The end of the last range. */
  readonly numUpdates: number;
  /** The milestones strictly inside the schedule (frozen copy). */
  readonly milestones: readonly number[];
  readonly #milestones: Float64Array;
  readonly #values: Float64Array;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ values, numUpdates?, milestones? }`.
   * @throws {TypeError} If both `numUpdates` and `milestones` are missing (fvcore `ValueError`),
   * or an option has the wrong type.
   * @throws {RangeError} If `values` is empty, `milestones` has the wrong length, a milestone is
   * not in (previous milestone, numUpdates), or `numUpdates < values.length` — the conditions
   * under which fvcore raises `ValueError`.
   */
  constructor(options: MultiStepParamSchedulerOptions) {
    super();
    const owner = "MultiStepParamScheduler";
    const o = requireOptions(owner, options, ["values", "numUpdates", "milestones"]);
    const values = finiteArray(owner, "values", o.values);
    if (values.length === 0) {
      throw optionError(RangeError, owner, "values", values, `\`values\` must not be empty`);
    }
    let numUpdates = o.numUpdates === undefined
      ? undefined
      : finite(owner, "numUpdates", o.numUpdates);
    let milestones: number[];
    if (numUpdates === undefined && o.milestones === undefined) {
      throw optionError(
        TypeError,
        owner,
        "numUpdates",
        o.numUpdates,
        `\`numUpdates\` and \`milestones\` cannot both be undefined`,
      );
    }
    if (o.milestones === undefined) {
      // Default equispaced drop_epochs behaviour.
      const stepWidth = Math.ceil(numUpdates! / values.length);
      milestones = [];
      for (let idx = 0; idx < values.length - 1; idx++) milestones.push(stepWidth * (idx + 1));
    } else {
      milestones = finiteArray(owner, "milestones", o.milestones);
      const expected = values.length - (numUpdates === undefined ? 0 : 1);
      if (milestones.length !== expected) {
        throw optionError(
          RangeError,
          owner,
          "milestones",
          milestones,
          `MultiStep scheduler requires a list of ${expected} milestones ` +
            `(values.length${numUpdates === undefined ? "" : " - 1"}): got ${show(milestones)}`,
        );
      }
    }
    if (numUpdates === undefined) {
      numUpdates = milestones[milestones.length - 1]!;
      milestones = milestones.slice(0, -1);
    }
    if (numUpdates < values.length) {
      throw optionError(
        RangeError,
        owner,
        "numUpdates",
        numUpdates,
        `total \`numUpdates\` must be at least the length of \`values\` ` +
          `(${values.length}): got ${numUpdates}`,
      );
    }
    let startEpoch = 0;
    milestones.forEach((milestone, i) => {
      if (milestone >= numUpdates!) {
        throw optionError(
          RangeError,
          owner,
          "milestones",
          milestones,
          `milestone must be smaller than total number of updates: ` +
            `numUpdates=${numUpdates}, milestones[${i}]=${milestone}`,
        );
      }
      if (startEpoch >= milestone) {
        throw optionError(
          RangeError,
          owner,
          "milestones",
          milestones,
          `\`milestones\` must be positive and strictly increasing: got ${
            show(milestones)
          } at index ${i}`,
        );
      }
      startEpoch = milestone;
    });
    this.values = Object.freeze(values);
    this.numUpdates = numUpdates;
    this.milestones = Object.freeze(milestones);
    this.#values = Float64Array.from(values);
    this.#milestones = Float64Array.from(milestones);
  }

  /**
   * The value at training progress `where`.
   *
   * @throws {RangeError} At `where > 1` (fvcore raises `RuntimeError`) or a non-finite `where`.
   */
  at(where: number): number {
    finiteArgument("MultiStepParamScheduler", "where", where);
    if (multiStepPastEnd(where)) {
      throw optionError(
        RangeError,
        "MultiStepParamScheduler",
        "where",
        where,
        `where in ParamScheduler must be in [0, 1]: got ${where}`,
      );
    }
    return this.#values[multiStepRange(this.#milestones, this.numUpdates, where)]!;
  }

  /**
   * The plan of {@linkcode MultiStepParamScheduler.at}: one value per range between milestones,
   * `at()` (which throws) past `where = 1`.
   */
  plan(): SchedulePlan {
    const milestones = this.#milestones;
    const numUpdates = this.numUpdates;
    const values = this.#values;
    return {
      at: MultiStepParamScheduler.prototype.at,
      piece: (where) =>
        multiStepPastEnd(where) ? values.length : multiStepRange(milestones, numUpdates, where),
      resolve: (p) => (p < values.length ? valuePiece(values[p]!) : OPAQUE),
    };
  }
}

/** fvcore `MultiStepParamScheduler` raises past `where = 1`. */
function multiStepPastEnd(where: number): boolean {
  return where > 1.0;
}

/**
 * fvcore `MultiStepParamScheduler`'s range at `where <= 1`: `bisect_right(milestones, epoch_num)`
 * with `epoch_num = trunc((where + WHERE_EPSILON) · numUpdates)`.
 */
function multiStepRange(milestones: Float64Array, numUpdates: number, where: number): number {
  const epochNum = Math.trunc((where + WHERE_EPSILON) * numUpdates);
  return bisectRightF64(milestones, epochNum);
}

/** Options of {@linkcode PolynomialDecayParamScheduler}. */
export interface PolynomialDecayParamSchedulerOptions {
  /** Value at `where = 0`. */
  baseValue: number;
  /** The exponent. */
  power: number;
}

/**
 * Polynomial decay to zero. Port of fvcore `PolynomialDecayParamScheduler`.
 *
 * ```text
 * value(where) = baseValue · (1 − where) ** power
 * ```
 *
 * @example Poly decay with power 0.9
 * ```ts
 * import { PolynomialDecayParamScheduler } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new PolynomialDecayParamScheduler({ baseValue: 0.1, power: 0.9 });
 * assert.equal(s.at(0), 0.1);
 * assert.equal(s.at(1), 0);
 * ```
 */
export class PolynomialDecayParamScheduler extends ParamScheduler {
  /** Value at `where = 0`. */
  readonly baseValue: number;
  /** The exponent. */
  readonly power: number;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ baseValue, power }`.
   * @throws {TypeError | RangeError} If a value is not a finite number.
   */
  constructor(options: PolynomialDecayParamSchedulerOptions) {
    super();
    const owner = "PolynomialDecayParamScheduler";
    const o = requireOptions(owner, options, ["baseValue", "power"]);
    this.baseValue = finite(owner, "baseValue", o.baseValue);
    this.power = finite(owner, "power", o.power);
  }

  /**
   * The value at training progress `where`.
   *
   * @throws {RangeError} For a non-finite `where`; at `where = 1` with a negative `power` (Python
   * raises `ZeroDivisionError`); at `where > 1` with a non-integer `power` (Python would return a
   * complex number); or when the result is not a number.
   */
  at(where: number): number {
    const owner = "PolynomialDecayParamScheduler";
    finiteArgument(owner, "where", where);
    const base = 1 - where;
    if (base === 0 && this.power < 0) {
      throw optionError(
        RangeError,
        owner,
        "power",
        this.power,
        `0.0 cannot be raised to a negative power (where=${where})`,
      );
    }
    if (base < 0 && !Number.isInteger(this.power)) {
      throw optionError(
        RangeError,
        owner,
        "power",
        this.power,
        `(1 - where) ** power is complex for where=${where} > 1 and power=${this.power}`,
      );
    }
    return finiteGuard(owner, where, polynomialDecay(this.baseValue, this.power, where));
  }

  /**
   * The plan of {@linkcode PolynomialDecayParamScheduler.at}: the formula everywhere, declared
   * monotone on `where` ∈ [0, 1].
   */
  plan(): SchedulePlan {
    const { baseValue, power } = this;
    return smoothPlan(
      PolynomialDecayParamScheduler.prototype.at,
      (where) => polynomialDecay(baseValue, power, where),
    );
  }
}

/** fvcore `PolynomialDecayParamScheduler`: `base · (1 − where) ** power`. */
function polynomialDecay(baseValue: number, power: number, where: number): number {
  return baseValue * libm.pow(1 - where, power);
}

/** Options of {@linkcode StepParamScheduler}. */
export interface StepParamSchedulerOptions {
  /** Total number of updates; only checked to be positive, as in fvcore. */
  numUpdates: number;
  /** The values, each held for an equal share of the schedule. */
  values: readonly number[];
}

/**
 * Equal-length steps through a list of values. Port of fvcore `StepParamScheduler`.
 *
 * ```text
 * value(where) = values[trunc((where + WHERE_EPSILON) · values.length)]
 * ```
 *
 * As in Python, a negative index counts from the end; an index outside
 * `[-values.length, values.length)` throws (fvcore raises `IndexError`), which happens for
 * `where >= 1 - WHERE_EPSILON`.
 *
 * @example Four values over 120 updates
 * ```ts
 * import { StepParamScheduler } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new StepParamScheduler({ numUpdates: 120, values: [0.1, 0.01, 0.001, 0.0001] });
 * assert.equal(s.at(29 / 120), 0.1);
 * assert.equal(s.at(30 / 120), 0.01);
 * ```
 */
export class StepParamScheduler extends ParamScheduler {
  /** The values (frozen copy). */
  readonly values: readonly number[];
  /** Total number of updates (informational, as in fvcore). */
  readonly numUpdates: number;
  readonly #values: Float64Array;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ numUpdates, values }`.
   * @throws {RangeError} If `numUpdates <= 0` or `values` is empty (fvcore `ValueError`).
   * @throws {TypeError} If an option has the wrong type.
   */
  constructor(options: StepParamSchedulerOptions) {
    super();
    const owner = "StepParamScheduler";
    const o = requireOptions(owner, options, ["numUpdates", "values"]);
    this.numUpdates = finiteWhere(owner, "numUpdates", o.numUpdates, "> 0", (x) => x > 0);
    const values = finiteArray(owner, "values", o.values);
    if (values.length === 0) {
      throw optionError(
        RangeError,
        owner,
        "values",
        values,
        `\`values\` must hold at least one value`,
      );
    }
    this.values = Object.freeze(values);
    this.#values = Float64Array.from(values);
  }

  /**
   * The value at training progress `where`.
   *
   * @throws {RangeError} When the index runs past the end — `where >= 1 - WHERE_EPSILON`
   * (fvcore raises `IndexError`) — or for a non-finite `where`.
   */
  at(where: number): number {
    finiteArgument("StepParamScheduler", "where", where);
    const n = this.#values.length;
    const index = stepIndex(where, n);
    const ind = listIndex(index, n); // Python's negative indexing
    if (ind < 0) {
      throw optionError(
        RangeError,
        "StepParamScheduler",
        "where",
        where,
        `list index out of range at where=${where} ` +
          `(index ${index} of ${n} values; fvcore raises IndexError)`,
      );
    }
    return this.#values[ind]!;
  }

  /**
   * The plan of {@linkcode StepParamScheduler.at}: one value per index (negative ones counting
   * from the end), `at()` (which throws) where the index is out of range.
   */
  plan(): SchedulePlan {
    const values = this.#values;
    const n = values.length;
    return {
      at: StepParamScheduler.prototype.at,
      piece: (where) => stepIndex(where, n),
      resolve: (p) => {
        const ind = listIndex(p, n);
        return ind < 0 ? OPAQUE : valuePiece(values[ind]!);
      },
    };
  }
}

/** fvcore `StepParamScheduler`'s index: `trunc((where + WHERE_EPSILON) · len(values))`. */
function stepIndex(where: number, length: number): number {
  return Math.trunc((where + WHERE_EPSILON) * length);
}

const MAX_DECAYS = 100_000;

/** Options of {@linkcode StepWithFixedGammaParamScheduler}. */
export interface StepWithFixedGammaParamSchedulerOptions {
  /** The initial value, > 0. */
  baseValue: number;
  /** How many times the value is multiplied by `gamma`: a positive integer. */
  numDecays: number;
  /** The decay factor, > 0. */
  gamma: number;
  /** Total number of updates: a positive integer. */
  numUpdates: number;
}

/**
 * `numDecays` equally spaced decays by `gamma`. Port of fvcore
 * `StepWithFixedGammaParamScheduler`.
 *
 * ```text
 * values = [baseValue, baseValue·gamma, (baseValue·gamma)·gamma, …]   (numDecays + 1 values)
 * value(where) = StepParamScheduler({ numUpdates, values }).at(where)
 * ```
 *
 * The values are built by repeated multiplication, as fvcore does (not `gamma ** k`).
 *
 * @example Three decays over 120 updates
 * ```ts
 * import { StepWithFixedGammaParamScheduler } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new StepWithFixedGammaParamScheduler({
 *   baseValue: 0.1, gamma: 0.1, numDecays: 3, numUpdates: 120,
 * });
 * assert.equal(s.at(0), 0.1);
 * assert.equal(s.at(90 / 120), 0.1 * 0.1 * 0.1 * 0.1);
 * ```
 */
export class StepWithFixedGammaParamScheduler extends ParamScheduler {
  /** The initial value. */
  readonly baseValue: number;
  /** Number of decays. */
  readonly numDecays: number;
  /** The decay factor. */
  readonly gamma: number;
  /** Total number of updates. */
  readonly numUpdates: number;
  readonly #step: StepParamScheduler;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ baseValue, numDecays, gamma, numUpdates }`.
   * @throws {RangeError} If `baseValue` or `gamma` is not positive, or `numDecays` or
   * `numUpdates` is not a positive integer (fvcore `ValueError`).
   */
  constructor(options: StepWithFixedGammaParamSchedulerOptions) {
    super();
    const owner = "StepWithFixedGammaParamScheduler";
    const o = requireOptions(owner, options, ["baseValue", "numDecays", "gamma", "numUpdates"]);
    this.baseValue = finiteWhere(owner, "baseValue", o.baseValue, "> 0", (x) => x > 0);
    this.numDecays = integer(owner, "numDecays", o.numDecays, "a positive integer", (x) => x > 0);
    this.gamma = finiteWhere(owner, "gamma", o.gamma, "> 0", (x) => x > 0);
    this.numUpdates = integer(
      owner,
      "numUpdates",
      o.numUpdates,
      "a positive integer",
      (x) => x > 0,
    );
    if (this.numDecays > MAX_DECAYS) {
      throw optionError(
        RangeError,
        owner,
        "numDecays",
        this.numDecays,
        `\`numDecays\` must be at most ${MAX_DECAYS} (fvcore builds a list of numDecays + 1 values): got ${this.numDecays}`,
      );
    }
    const values = [this.baseValue];
    for (let i = 0; i < this.numDecays; i++) {
      const next = values[values.length - 1]! * this.gamma;
      if (next === Infinity) {
        throw optionError(
          RangeError,
          owner,
          "gamma",
          this.gamma,
          `\`baseValue\` * \`gamma\` ** ${
            i + 1
          } overflows: got baseValue=${this.baseValue}, gamma=${this.gamma}`,
        );
      }
      values.push(next);
    }
    this.#step = new StepParamScheduler({ numUpdates: this.numUpdates, values });
  }

  /** The `numDecays + 1` values, as fvcore builds them. */
  get values(): readonly number[] {
    return this.#step.values;
  }

  /**
   * The value at training progress `where`.
   *
   * @throws {RangeError} As {@linkcode StepParamScheduler.at}.
   */
  at(where: number): number {
    return this.#step.at(where);
  }

  /** The plan of {@linkcode StepWithFixedGammaParamScheduler.at}: its step schedule's. */
  plan(): SchedulePlan {
    return { ...this.#step.plan(), at: StepWithFixedGammaParamScheduler.prototype.at };
  }
}

/** How a {@linkcode CompositeParamScheduler} maps `where` into one of its schedulers. */
export type IntervalScaling = "rescaled" | "fixed";

/**
 * The Python release whose `sum()` a {@linkcode CompositeParamScheduler} reproduces: `"3.11"`
 * (and earlier) adds left to right; `"3.12"` (3.12 and later) uses CPython 3.12's compensated
 * float sum.
 */
export type PythonVersion = "3.11" | "3.12";

const PYTHON_VERSIONS: readonly PythonVersion[] = ["3.11", "3.12"];

/** Options of {@linkcode CompositeParamScheduler}. */
export interface CompositeParamSchedulerOptions {
  /** The schedulers, run in order. */
  schedulers: readonly ParamSchedulerLike[];
  /**
   * The fraction of training each scheduler runs for; must sum to 1 within 1e-3. If the sum is
   * not exactly 1, the last length is replaced by `1 - sum(lengths[:-1])` (on a copy).
   */
  lengths: readonly number[];
  /**
   * Per scheduler: `"rescaled"` runs it over its own [0, 1]; `"fixed"` passes the global
   * `where` unchanged.
   */
  intervalScaling: readonly IntervalScaling[];
  /**
   * The Python whose `sum()` fvcore's `lengths` check and correction run under: `"3.12"` (3.12
   * and later: compensated summation) or `"3.11"` (and earlier: left to right). The two differ
   * for three or more lengths, e.g. `sum([0.7, 0.2, 0.1])` is `1.0` on 3.12 (no correction) and
   * `0.9999999999999999` on 3.11 (the last length becomes `1.0 - 0.8999999999999999`).
   * @default {"3.12"}
   */
  python?: PythonVersion;
}

/**
 * Schedulers run one after another, each for a fraction of training. Port of fvcore
 * `CompositeParamScheduler`.
 *
 * ```text
 * total_i = lengths[0] + … + lengths[i]            (accumulated with +=, left to right)
 * i       = first i with where + WHERE_EPSILON <= total_i (or the last scheduler)
 * where_i = (where − (total_i − lengths[i])) / lengths[i]    if rescaled
 *         = where                                             if fixed
 * value   = schedulers[i].at(where_i)
 * ```
 *
 * fvcore replaces `lengths[-1]` by `1.0 - sum(lengths[:-1])` when `sum(lengths) != 1.0`, with
 * Python's `sum()`, which CPython 3.12 made compensated: `python` picks the release (default
 * `"3.12"`, i.e. today's Python; `"3.11"` reproduces runs under Python 3.11 and earlier).
 *
 * @example Constant then cosine
 * ```ts
 * import {
 *   CompositeParamScheduler, ConstantParamScheduler, CosineParamScheduler,
 * } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new CompositeParamScheduler({
 *   schedulers: [
 *     new ConstantParamScheduler({ value: 0.42 }),
 *     new CosineParamScheduler({ startValue: 0.42, endValue: 1e-4 }),
 *   ],
 *   intervalScaling: ["rescaled", "rescaled"],
 *   lengths: [0.3, 0.7],
 * });
 * assert.equal(s.at(0.2), 0.42);
 * assert.equal(s.at(1), 1e-4);
 * ```
 */
export class CompositeParamScheduler extends ParamScheduler {
  /** The schedulers (frozen copy). */
  readonly schedulers: readonly ParamSchedulerLike[];
  /** The lengths after fvcore's correction of the last one (frozen copy). */
  readonly lengths: readonly number[];
  /** The interval scaling of each scheduler (frozen copy). */
  readonly intervalScaling: readonly IntervalScaling[];
  /** The Python whose `sum()` corrected `lengths`. */
  readonly python: PythonVersion;
  /** `running_total` after each segment, accumulated exactly as fvcore does. */
  readonly #totals: Float64Array;
  /** `running_total - lengths[i]`: where each segment starts, as fvcore computes it. */
  readonly #starts: Float64Array;
  readonly #rescaled: boolean[];
  readonly #monotone: boolean;
  readonly #schedulers: ParamSchedulerLike[];
  readonly #lengths: Float64Array;

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param options `{ schedulers, lengths, intervalScaling, python? }`.
   * @throws {RangeError} If the arrays differ in length or are empty, the lengths do not sum to
   * 1 within 1e-3, or an interval scaling is unknown (fvcore `ValueError`), or `python` is not
   * `"3.11"` or `"3.12"`.
   * @throws {TypeError} If an option has the wrong type.
   */
  constructor(options: CompositeParamSchedulerOptions) {
    super();
    const owner = ownerOf(options, "CompositeParamScheduler");
    const o = requireOptions(owner, options, [
      "schedulers",
      "lengths",
      "intervalScaling",
      "python",
    ]);
    const python = oneOf(owner, "python", o.python ?? "3.12", PYTHON_VERSIONS);
    const schedulers = array(owner, "schedulers", o.schedulers).map((s, i) =>
      requireScheduler(owner, `schedulers[${i}]`, s)
    );
    const lengths = finiteArray(owner, "lengths", o.lengths);
    const scaling = array(owner, "intervalScaling", o.intervalScaling).map((s, i) =>
      oneOf(owner, `intervalScaling[${i}]`, s, ["rescaled", "fixed"] as const)
    );
    if (schedulers.length !== lengths.length) {
      throw optionError(
        RangeError,
        owner,
        "lengths",
        lengths,
        `\`schedulers\` and \`lengths\` must be same length: got ${schedulers.length} and ${lengths.length}`,
      );
    }
    if (schedulers.length === 0) {
      throw optionError(
        RangeError,
        owner,
        "schedulers",
        schedulers,
        `there must be at least one scheduler in the composite`,
      );
    }
    if (scaling.length !== schedulers.length) {
      throw optionError(
        RangeError,
        owner,
        "intervalScaling",
        scaling,
        `\`intervalScaling\` must have one entry per scheduler: got ${scaling.length} for ${schedulers.length}`,
      );
    }
    const sum = (xs: readonly number[]): number => pySum(xs, python); // that Python's sum()
    if (Math.abs(sum(lengths) - 1.0) >= 1e-3) {
      throw optionError(
        RangeError,
        owner,
        "lengths",
        lengths,
        `the sum of all values in \`lengths\` must be 1: got ${show(lengths)} (sum ${
          sum(lengths)
        })`,
      );
    }
    if (sum(lengths) !== 1.0) lengths[lengths.length - 1] = 1.0 - sum(lengths.slice(0, -1));
    const n = lengths.length;
    this.#totals = new Float64Array(n);
    this.#starts = new Float64Array(n);
    let runningTotal = 0;
    let monotone = true;
    for (let i = 0; i < n; i++) {
      runningTotal = i === 0 ? lengths[0]! : runningTotal + lengths[i]!;
      if (i > 0 && runningTotal < this.#totals[i - 1]!) monotone = false;
      this.#totals[i] = runningTotal;
      this.#starts[i] = runningTotal - lengths[i]!;
    }
    this.#monotone = monotone;
    this.schedulers = Object.freeze(schedulers);
    this.lengths = Object.freeze(lengths);
    this.intervalScaling = Object.freeze(scaling);
    this.python = python;
    this.#rescaled = scaling.map((s) => s === "rescaled");
    this.#schedulers = schedulers.slice();
    this.#lengths = Float64Array.from(lengths);
  }

  /**
   * Index of the scheduler that handles `where`: the first `i` with
   * `where + WHERE_EPSILON <= total_i`, or the last one.
   */
  segmentAt(where: number): number {
    const x = where + WHERE_EPSILON;
    const totals = this.#totals;
    const last = totals.length - 1;
    if (this.#monotone) {
      let lo = 0, hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (x > totals[mid]!) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
    let i = 0;
    while (x > totals[i]! && i < last) i++;
    return i;
  }

  /**
   * The value at training progress `where`.
   *
   * @throws {RangeError} For a non-finite `where`, a rescaled segment of length 0 (fvcore raises
   * `ZeroDivisionError`), or whatever the selected scheduler throws.
   */
  at(where: number): number {
    finiteArgument("CompositeParamScheduler", "where", where);
    const i = this.segmentAt(where);
    if (!this.#rescaled[i]) {
      return checkSchedulerValue(
        "CompositeParamScheduler",
        `schedulers[${i}]`,
        where,
        this.#schedulers[i]!.at(where),
      );
    }
    const length = this.#lengths[i]!;
    if (length === 0) {
      throw optionError(
        RangeError,
        "CompositeParamScheduler",
        `lengths[${i}]`,
        length,
        `float division by zero: rescaled segment ${i} has length 0 ` +
          `(where=${where}; fvcore raises ZeroDivisionError)`,
      );
    }
    const local = (where - this.#starts[i]!) / length;
    return checkSchedulerValue(
      "CompositeParamScheduler",
      `schedulers[${i}]`,
      local,
      this.#schedulers[i]!.at(local),
    );
  }

  /**
   * The plan of {@linkcode CompositeParamScheduler.at}: one piece per segment (as
   * {@linkcode CompositeParamScheduler.segmentAt} finds it), each the segment's scheduler over
   * `(where − start) / length` when rescaled or over `where` itself when fixed; `at()` (which
   * throws) on a rescaled segment of length 0. A subclass that overrides `segmentAt` gets a plan
   * that always calls `at()`.
   */
  plan(): SchedulePlan {
    const at = CompositeParamScheduler.prototype.at;
    if (this.segmentAt !== CompositeParamScheduler.prototype.segmentAt) {
      return { at, resolve: () => OPAQUE };
    }
    const pieces = this.#schedulers.map((schedule, i): PlanPiece => {
      if (!this.#rescaled[i]) return { kind: "stage", schedule, start: 0, length: 1 };
      const length = this.#lengths[i]!;
      return length === 0 ? OPAQUE : { kind: "stage", schedule, start: this.#starts[i]!, length };
    });
    return { at, piece: (where) => this.segmentAt(where), resolve: (p) => pieces[p]! };
  }
}
