/**
 * Port of optax's `optax/schedules/_schedule.py` (optax 0.2.8): every schedule of
 * `optax.schedules` but `join_schedules` (in `join.ts`) and `inject_hyperparams` (not ported).
 *
 * Each function validates its options once and returns a pure function of the integer step
 * count, computed with JAX's arithmetic in the chosen dtype: `"float32"` (JAX's default, what a
 * JAX program gets without `jax_enable_x64`) or `"float64"` (`jax_enable_x64`). The operations
 * are optax's, in optax's order, with JAX's type promotion: Python-side arithmetic on the
 * parameters in double precision, integer arithmetic on the count in int32 (float32) or int64
 * (float64), and every float operation rounded to the dtype. `cos` and `x ** y` (float `y`) are
 * the C library's, as XLA:CPU calls them (see {@linkcode libm}).
 *
 * The values are those optax returns when a schedule is called on a step (`schedule(step)`),
 * which is how the golden fixtures were produced. Under `jax.jit` on an int32 step (as an
 * optimizer evaluates it) optax's values often differ: XLA rewrites operations, and with
 * `jax_enable_x64` the arithmetic on the step is float32; the README's optax section measures
 * by how much.
 *
 * Deliberate differences from optax, none of which changes a value optax returns:
 * - options are validated: numbers must be finite, step counts and boundaries integers (optax's
 *   type annotations say `int`), within int32 for float32 (JAX raises `OverflowError`
 *   beyond); unknown option keys are rejected;
 * - where optax raises (`ValueError`, `ZeroDivisionError`) a `RangeError` is thrown at the same
 *   call;
 * - a schedule throws a `RangeError` where optax would return NaN or ±Infinity, and for a count
 *   that is not an integer JAX can hold;
 * - optax's `logging.info` notes on degenerate arguments (`transition_steps <= 0`, …; hidden by
 *   absl's default verbosity) are not reproduced: the behaviour they describe is.
 *
 * JavaScript has one number type where Python has `int` and `float`. It matters for the
 * exponents `power` and `exponent`: a Python int exponent is `lax.integer_pow` (repeated
 * multiplication), a float one libm's `pow`. A `number` is a Python float (`power=2.0` →
 * `power: 2`), a `bigint` a Python int (`power=2` → `power: 2n`).
 *
 * @module
 */

import { optionError, optionProblem } from "../errors.ts";
import { boolean, finite, integer, oneOf, requireOptions, show } from "../_internal/validate.ts";
import {
  checkCount,
  dtypeOption,
  exponentOption,
  finiteResult,
  intOption,
  type JaxArith,
  raiseTo,
} from "./_jax.ts";
import { joinSchedules, type Schedule } from "./join.ts";

/** Python's `a / b` on floats: raises where Python raises `ZeroDivisionError`. */
function pyDiv(
  owner: string,
  what: string,
  a: number,
  b: number,
  option: string,
  value: unknown,
): number {
  if (b === 0) {
    throw optionError(
      RangeError,
      owner,
      option,
      value,
      `${what} divides by zero (optax raises ZeroDivisionError)`,
    );
  }
  return a / b;
}

/** optax's `lambda count: value`: the Python value itself, whatever the dtype. */
function constant(owner: string, jax: JaxArith, value: number): Schedule {
  return (count) => {
    checkCount(owner, count, jax);
    return value;
  };
}

/** A positive safe integer step count that optax converts to a Python float. */
function positiveSteps(owner: string, name: string, value: unknown, upstream: string): number {
  const x = finite(owner, name, value);
  if (!Number.isInteger(x) || !Number.isSafeInteger(x)) {
    throw optionError(RangeError, owner, name, x, `\`${name}\` must be an integer: got ${show(x)}`);
  }
  if (!(x > 0)) {
    throw optionError(RangeError, owner, name, x, `${upstream}, got ${name}=${show(x)}`);
  }
  return x;
}

/**
 * `boundaries_and_scales`: a plain object keyed by integer steps (Python's `dict[int, float]`),
 * or `null`/`undefined` for `None`. Returns the items sorted by step, as `sorted(d.items())`.
 */
function boundariesOption(
  owner: string,
  value: unknown,
  jax: JaxArith,
): [number, number][] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw optionError(
      TypeError,
      owner,
      "boundariesAndScales",
      value,
      `\`boundariesAndScales\` must be an object keyed by step (a Python dict): got ${show(value)}`,
    );
  }
  const items: [number, number][] = [];
  for (const [key, scale] of Object.entries(value)) {
    if (!/^-?(0|[1-9][0-9]*)$/.test(key)) {
      throw optionError(
        RangeError,
        owner,
        "boundariesAndScales",
        value,
        `\`boundariesAndScales\` keys must be integer steps: got ${JSON.stringify(key)}`,
      );
    }
    const step = intOption(owner, `boundariesAndScales[${key}]'s step`, Number(key), jax);
    items.push([step, finite(owner, `boundariesAndScales[${key}]`, scale)]);
  }
  return items.sort((a, b) => a[0] - b[0]);
}

// ------------------------------------------------------------------------------------------------
// constant_schedule

/** Options of {@linkcode constantSchedule} (optax `constant_schedule`). */
export interface ConstantScheduleOptions {
  /** The value held throughout (optax `value`). */
  value: number;
  /**
   * The JAX float dtype. It does not change the value: optax returns `value` itself, not an
   * array.
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

/**
 * A constant schedule. Port of optax `constant_schedule` (optax 0.2.8).
 *
 * ```text
 * schedule(count) = value
 * ```
 *
 * optax returns the Python value itself (`lambda count: value`), not a JAX array: the value is
 * not rounded to float32 (until it meets an array, e.g. in {@linkcode joinSchedules}).
 *
 * @param options `{ value, dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} If `value` is not a finite number.
 *
 * @example Constant
 * ```ts
 * import { constantSchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = constantSchedule({ value: 0.1 });
 * assert.equal(schedule(0), 0.1);
 * assert.equal(schedule(100), 0.1); // not Math.fround(0.1): optax returns the Python float
 * ```
 */
export function constantSchedule(options: ConstantScheduleOptions): Schedule {
  const owner = "constantSchedule";
  const o = requireOptions(owner, options, ["value", "dtype"]);
  const jax = dtypeOption(owner, o.dtype);
  return constant(owner, jax, finite(owner, "value", o.value));
}

// ------------------------------------------------------------------------------------------------
// polynomial_schedule, linear_schedule

/** Options of {@linkcode polynomialSchedule} (optax `polynomial_schedule`). */
export interface PolynomialScheduleOptions {
  /** The value before and at the start of the transition (optax `init_value`). */
  initValue: number;
  /** The value at and after the end of the transition (optax `end_value`). */
  endValue: number;
  /**
   * The power of the polynomial (optax `power`): a `number` is a Python float (libm's `pow`), a
   * `bigint` a Python int (`lax.integer_pow`, repeated multiplication): optax's `power=2` is
   * `2n`, `power=2.0` is `2`.
   */
  power: number | bigint;
  /**
   * Number of steps of the transition (optax `transition_steps`). `<= 0` gives a constant
   * schedule at `initValue`.
   */
  transitionSteps: number;
  /**
   * Steps before the transition starts (optax `transition_begin`); a negative value counts as 0.
   *
   * @default {0}
   */
  transitionBegin?: number;
  /**
   * The JAX float dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

function polynomial(
  owner: string,
  jax: JaxArith,
  initValue: number,
  endValue: number,
  power: number | bigint,
  transitionSteps: number,
  transitionBegin: number,
): Schedule {
  if (transitionSteps <= 0) return constant(owner, jax, initValue);
  const begin = transitionBegin < 0 ? 0 : transitionBegin;
  const range = jax.float(initValue - endValue); // Python arithmetic, then it meets the array
  const end = jax.float(endValue);
  const steps = jax.float(transitionSteps); // true division converts both integers to float
  const raise = raiseTo(jax, power);
  return (count) => {
    checkCount(owner, count, jax);
    const clipped = Math.min(Math.max(jax.isub(count, begin), 0), transitionSteps); // jnp.clip
    const frac = jax.sub(1, jax.div(jax.float(clipped), steps));
    return finiteResult(owner, count, jax.add(jax.mul(range, raise(frac)), end));
  };
}

/**
 * A polynomial transition from `initValue` to `endValue`. Port of optax `polynomial_schedule`
 * (optax 0.2.8).
 *
 * ```text
 * count' = clip(count − transitionBegin, 0, transitionSteps)          (integers)
 * frac   = 1 − count' / transitionSteps
 * value  = (initValue − endValue) · frac ** power + endValue
 * ```
 *
 * `transitionSteps <= 0` returns `initValue` itself at every step (optax logs a note); a
 * negative `transitionBegin` counts as 0 (likewise).
 *
 * @param options `{ initValue, endValue, power, transitionSteps, transitionBegin?, dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} For an invalid option. The schedule throws a `RangeError` for
 * a count JAX cannot hold and where optax returns a non-finite value (`frac ** power` with a
 * negative `power` at the end of the transition).
 *
 * @example optax's docstring example
 * ```ts
 * import { polynomialSchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * // optax.polynomial_schedule(init_value=1.0, end_value=0.01, transition_steps=100, power=2)
 * const schedule = polynomialSchedule({
 *   initValue: 1.0,
 *   endValue: 0.01,
 *   transitionSteps: 100,
 *   power: 2n,
 * });
 * assert.equal(schedule(0), 1);
 * assert.equal(schedule(100), Math.fround(0.01)); // Array(0.01, dtype=float32)
 * ```
 */
export function polynomialSchedule(options: PolynomialScheduleOptions): Schedule {
  const owner = "polynomialSchedule";
  const o = requireOptions(owner, options, [
    "initValue",
    "endValue",
    "power",
    "transitionSteps",
    "transitionBegin",
    "dtype",
  ]);
  const jax = dtypeOption(owner, o.dtype);
  return polynomial(
    owner,
    jax,
    finite(owner, "initValue", o.initValue),
    finite(owner, "endValue", o.endValue),
    exponentOption(owner, "power", o.power),
    intOption(owner, "transitionSteps", o.transitionSteps, jax),
    intOption(owner, "transitionBegin", o.transitionBegin ?? 0, jax),
  );
}

/** Options of {@linkcode linearSchedule} (optax `linear_schedule`). */
export interface LinearScheduleOptions {
  /** The value before and at the start of the transition (optax `init_value`). */
  initValue: number;
  /** The value at and after the end of the transition (optax `end_value`). */
  endValue: number;
  /**
   * Number of steps of the transition (optax `transition_steps`). `<= 0` gives a constant
   * schedule at `initValue`.
   */
  transitionSteps: number;
  /**
   * Steps before the transition starts (optax `transition_begin`); a negative value counts as 0.
   *
   * @default {0}
   */
  transitionBegin?: number;
  /**
   * The JAX float dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

/**
 * A linear transition from `initValue` to `endValue`. Port of optax `linear_schedule` (optax
 * 0.2.8): {@linkcode polynomialSchedule} with the Python int `power=1`.
 *
 * ```text
 * count' = clip(count − transitionBegin, 0, transitionSteps)
 * value  = (initValue − endValue) · (1 − count' / transitionSteps) + endValue
 * ```
 *
 * @param options `{ initValue, endValue, transitionSteps, transitionBegin?, dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} For an invalid option; the schedule, for a count JAX cannot
 * hold.
 *
 * @example From 1 to 0.01 over 100 steps
 * ```ts
 * import { linearSchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = linearSchedule({ initValue: 1.0, endValue: 0.01, transitionSteps: 100 });
 * assert.equal(schedule(0), 1);
 * assert.equal(schedule(50), 0.5049999952316284); // float32, as JAX computes it
 * const x64 = linearSchedule({
 *   initValue: 1.0,
 *   endValue: 0.01,
 *   transitionSteps: 100,
 *   dtype: "float64",
 * });
 * assert.equal(x64(50), 0.505);
 * ```
 */
export function linearSchedule(options: LinearScheduleOptions): Schedule {
  const owner = "linearSchedule";
  const o = requireOptions(owner, options, [
    "initValue",
    "endValue",
    "transitionSteps",
    "transitionBegin",
    "dtype",
  ]);
  const jax = dtypeOption(owner, o.dtype);
  return polynomial(
    owner,
    jax,
    finite(owner, "initValue", o.initValue),
    finite(owner, "endValue", o.endValue),
    1n,
    intOption(owner, "transitionSteps", o.transitionSteps, jax),
    intOption(owner, "transitionBegin", o.transitionBegin ?? 0, jax),
  );
}

// ------------------------------------------------------------------------------------------------
// piecewise_constant_schedule

/** Options of {@linkcode piecewiseConstantSchedule} (optax `piecewise_constant_schedule`). */
export interface PiecewiseConstantScheduleOptions {
  /** The value before the first boundary (optax `init_value`). */
  initValue: number;
  /**
   * `{ step: scale }` (optax `boundaries_and_scales`, a Python `dict[int, float]`): from `step`
   * on, the value is multiplied by `scale` (`>= 0`). Keys are integer steps; they are applied in
   * increasing order. `null` or absent: optax's `None`.
   *
   * @default {undefined}
   */
  boundariesAndScales?: Readonly<Record<number, number>> | null;
  /**
   * The JAX float dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

/**
 * A piecewise-constant schedule: `initValue` scaled by every factor whose boundary the count has
 * reached. Port of optax `piecewise_constant_schedule` (optax 0.2.8).
 *
 * ```text
 * v = initValue
 * for (threshold, scale) in sorted(boundariesAndScales):
 *   indicator = max(0, sign(threshold − count))         (1 before the threshold, 0 from it on)
 *   v = v · indicator + (1 − indicator) · scale · v
 * ```
 *
 * Without boundaries (`None` or `{}`) the schedule returns `initValue` itself; with some, the
 * result is an array of the dtype (float32: rounded, every product rounded).
 *
 * @param options `{ initValue, boundariesAndScales?, dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} For an invalid option, and for a negative scale (optax raises
 * `ValueError`).
 *
 * @example optax's docstring example
 * ```ts
 * import { piecewiseConstantSchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = piecewiseConstantSchedule({
 *   initValue: 1.0,
 *   boundariesAndScales: { 100: 0.1, 200: 0.01 },
 *   dtype: "float64",
 * });
 * assert.equal(schedule(50), 1);
 * assert.equal(schedule(150), 0.1);
 * assert.equal(schedule(250), 0.001);
 * ```
 */
export function piecewiseConstantSchedule(options: PiecewiseConstantScheduleOptions): Schedule {
  const owner = "piecewiseConstantSchedule";
  const o = requireOptions(owner, options, ["initValue", "boundariesAndScales", "dtype"]);
  const jax = dtypeOption(owner, o.dtype);
  const initValue = finite(owner, "initValue", o.initValue);
  const items = boundariesOption(owner, o.boundariesAndScales, jax);
  if (items !== undefined && !items.every(([, scale]) => scale >= 0.0)) {
    throw optionError(
      RangeError,
      owner,
      "boundariesAndScales",
      o.boundariesAndScales,
      `\`piecewise_constant_schedule\` expects non-negative scale factors (optax raises ValueError)`,
    );
  }
  if (items === undefined || items.length === 0) return constant(owner, jax, initValue);
  const init = jax.float(initValue);
  const thresholds = items.map(([step]) => step);
  const scales = items.map(([, scale]) => jax.float(scale));
  return (count) => {
    checkCount(owner, count, jax);
    let v = init;
    for (let i = 0; i < thresholds.length; i++) {
      const indicator = Math.max(0, Math.sign(jax.isub(thresholds[i]!, count)));
      v = jax.add(jax.mul(v, indicator), jax.mul(jax.mul(jax.sub(1, indicator), scales[i]!), v));
    }
    return finiteResult(owner, count, v);
  };
}

// ------------------------------------------------------------------------------------------------
// exponential_decay

/** Options of {@linkcode exponentialDecay} (optax `exponential_decay`). */
export interface ExponentialDecayOptions {
  /** The initial value (optax `init_value`). */
  initValue: number;
  /**
   * The steps per decay by `decayRate` (optax `transition_steps`). `<= 0` gives a constant
   * schedule at `initValue`.
   */
  transitionSteps: number;
  /** The decay rate (optax `decay_rate`). `0` gives a constant schedule at `initValue`. */
  decayRate: number;
  /**
   * Steps before the decay starts (optax `transition_begin`); a negative value counts as 0.
   *
   * @default {0}
   */
  transitionBegin?: number;
  /**
   * Decay at discrete intervals: the exponent is floored (optax `staircase`).
   *
   * @default {false}
   */
  staircase?: boolean;
  /**
   * Where the decay stops (optax `end_value`): a lower bound when `decayRate < 1`, an upper bound
   * otherwise. `null` or absent: no bound (optax's `None`).
   *
   * @default {undefined}
   */
  endValue?: number | null;
  /**
   * The JAX float dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

function exponential(
  owner: string,
  jax: JaxArith,
  initValue: number,
  transitionSteps: number,
  decayRate: number,
  transitionBegin: number,
  staircase: boolean,
  endValue: number | undefined,
): Schedule {
  if (transitionSteps <= 0) return constant(owner, jax, initValue);
  if (decayRate === 0) return constant(owner, jax, initValue);
  const begin = transitionBegin < 0 ? 0 : transitionBegin;
  const clip = endValue === undefined ? undefined : decayRate < 1.0 ? Math.max : Math.min;
  const end = endValue === undefined ? 0 : jax.float(endValue);
  const init = jax.float(initValue);
  const rate = jax.float(decayRate);
  const steps = jax.float(transitionSteps);
  return (count) => {
    checkCount(owner, count, jax);
    const decreased = jax.isub(count, begin);
    let p = jax.div(jax.float(decreased), steps);
    if (staircase) p = Math.floor(p);
    // jnp.where(decreased_count <= 0, init_value, init_value * jnp.power(decay_rate, p))
    let decayed = decreased <= 0 ? init : jax.mul(init, jax.pow(rate, p));
    if (clip !== undefined) decayed = clip(decayed, end);
    return finiteResult(owner, count, decayed);
  };
}

/**
 * Continuous or staircase exponential decay. Port of optax `exponential_decay` (optax 0.2.8).
 *
 * ```text
 * d     = count − transitionBegin                                    (integers)
 * p     = d / transitionSteps,   floored if staircase
 * value = initValue                      if d <= 0
 *         initValue · decayRate ** p     otherwise
 * value = max(value, endValue) if decayRate < 1, else min(value, endValue)   (with endValue)
 * ```
 *
 * `transitionSteps <= 0` or `decayRate == 0` returns `initValue` itself at every step (optax
 * logs a note); a negative `transitionBegin` counts as 0.
 *
 * @param options `{ initValue, transitionSteps, decayRate, transitionBegin?, staircase?,
 * endValue?, dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} For an invalid option. The schedule throws a `RangeError` for
 * a count JAX cannot hold and where optax returns NaN (a negative `decayRate` to a fractional
 * power).
 *
 * @example Halving every 10 steps, down to 0.1
 * ```ts
 * import { exponentialDecay } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = exponentialDecay({
 *   initValue: 1.0,
 *   transitionSteps: 10,
 *   decayRate: 0.5,
 *   staircase: true,
 *   endValue: 0.1,
 * });
 * assert.equal(schedule(9), 1);
 * assert.equal(schedule(10), 0.5);
 * assert.equal(schedule(1000), Math.fround(0.1));
 * ```
 */
export function exponentialDecay(options: ExponentialDecayOptions): Schedule {
  const owner = "exponentialDecay";
  const o = requireOptions(owner, options, [
    "initValue",
    "transitionSteps",
    "decayRate",
    "transitionBegin",
    "staircase",
    "endValue",
    "dtype",
  ]);
  const jax = dtypeOption(owner, o.dtype);
  return exponential(
    owner,
    jax,
    finite(owner, "initValue", o.initValue),
    intOption(owner, "transitionSteps", o.transitionSteps, jax),
    finite(owner, "decayRate", o.decayRate),
    intOption(owner, "transitionBegin", o.transitionBegin ?? 0, jax),
    boolean(owner, "staircase", o.staircase ?? false),
    o.endValue === undefined || o.endValue === null
      ? undefined
      : finite(owner, "endValue", o.endValue),
  );
}

// ------------------------------------------------------------------------------------------------
// cosine_decay_schedule

/** Options of {@linkcode cosineDecaySchedule} (optax `cosine_decay_schedule`). */
export interface CosineDecayScheduleOptions {
  /** The initial value (optax `init_value`). */
  initValue: number;
  /** The steps of the decay, a positive integer (optax `decay_steps`). */
  decaySteps: number;
  /**
   * The minimum multiplier (optax `alpha`): the value ends at `alpha · initValue`.
   *
   * @default {0.0}
   */
  alpha?: number;
  /**
   * The exponent of the cosine factor (optax `exponent`): a `number` is a Python float (libm's
   * `pow`), a `bigint` a Python int (`lax.integer_pow`).
   *
   * @default {1.0}
   */
  exponent?: number | bigint;
  /**
   * The JAX float dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

function cosineDecay(
  owner: string,
  jax: JaxArith,
  initValue: number,
  decaySteps: number,
  alpha: number,
  exponent: number | bigint,
): Schedule {
  // optax turns a Python int `decay_steps` into a float ("avoid int -> int32 overflow").
  const steps = jax.float(decaySteps);
  const pi = jax.float(Math.PI);
  const oneMinusAlpha = jax.float(1 - alpha);
  const a = jax.float(alpha);
  const init = jax.float(initValue);
  const raise = raiseTo(jax, exponent);
  return (count) => {
    checkCount(owner, count, jax);
    const c = Math.min(jax.float(count), steps); // jnp.minimum(count, decay_steps)
    const cosine = jax.mul(0.5, jax.add(1, jax.cos(jax.div(jax.mul(pi, c), steps))));
    const decayed = jax.add(jax.mul(oneMinusAlpha, raise(cosine)), a);
    return finiteResult(owner, count, jax.mul(init, decayed));
  };
}

/**
 * Cosine decay from `initValue` to `alpha · initValue` over `decaySteps`, then constant. Port of
 * optax `cosine_decay_schedule` (optax 0.2.8).
 *
 * ```text
 * c      = min(count, decaySteps)                        (as floats)
 * cosine = 0.5 · (1 + cos(π · c / decaySteps))
 * value  = initValue · ((1 − alpha) · cosine ** exponent + alpha)
 * ```
 *
 * @param options `{ initValue, decaySteps, alpha?, exponent?, dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} For an invalid option, and for `decaySteps <= 0` (optax raises
 * `ValueError`).
 *
 * @example optax's test: decay over 5 steps with `alpha = 0.1`
 * ```ts
 * import { cosineDecaySchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = cosineDecaySchedule({ initValue: 0.1, decaySteps: 5, alpha: 0.1 });
 * assert.equal(schedule(0), Math.fround(0.1));
 * assert.equal(schedule(5), Math.fround(Math.fround(0.1) * Math.fround(0.1)));
 * assert.equal(schedule(11), schedule(5));
 * ```
 */
export function cosineDecaySchedule(options: CosineDecayScheduleOptions): Schedule {
  const owner = "cosineDecaySchedule";
  const o = requireOptions(owner, options, [
    "initValue",
    "decaySteps",
    "alpha",
    "exponent",
    "dtype",
  ]);
  const jax = dtypeOption(owner, o.dtype);
  return cosineDecay(
    owner,
    jax,
    finite(owner, "initValue", o.initValue),
    positiveSteps(
      owner,
      "decaySteps",
      o.decaySteps,
      "The cosine_decay_schedule requires positive decay_steps (optax raises ValueError)",
    ),
    finite(owner, "alpha", o.alpha ?? 0.0),
    exponentOption(owner, "exponent", o.exponent ?? 1.0),
  );
}

// ------------------------------------------------------------------------------------------------
// piecewise_interpolate_schedule, linear_onecycle_schedule, cosine_onecycle_schedule

/** Options of {@linkcode piecewiseInterpolateSchedule} (optax `piecewise_interpolate_schedule`). */
export interface PiecewiseInterpolateScheduleOptions {
  /** `"linear"` or `"cosine"` interpolation between boundaries (optax `interpolate_type`). */
  interpolateType: "linear" | "cosine";
  /** The value at step 0 (optax `init_value`). */
  initValue: number;
  /**
   * `{ step: scale }` (optax `boundaries_and_scales`): the value at each boundary is the previous
   * boundary's times `scale` (`>= 0`), and the schedule interpolates between them. `null` or
   * absent: optax's `None`.
   *
   * @default {undefined}
   */
  boundariesAndScales?: Readonly<Record<number, number>> | null;
  /**
   * The JAX float dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

function interpolate(
  owner: string,
  jax: JaxArith,
  interpolateType: "linear" | "cosine",
  initValue: number,
  items: readonly (readonly [number, number])[],
): Schedule {
  if (!items.every(([, scale]) => scale >= 0.0)) {
    throw optionError(
      RangeError,
      owner,
      "boundariesAndScales",
      Object.fromEntries(items),
      `\`piecewise_interpolate_schedule\` expects non-negative scale factors (optax raises ValueError)`,
    );
  }
  const bounds = [0, ...items.map(([step]) => step)];
  // jnp.cumprod(jnp.stack((init_value,) + scales)): left to right, each product in the dtype.
  const values = [jax.float(initValue)];
  for (const [, scale] of items) values.push(jax.mul(values[values.length - 1]!, jax.float(scale)));
  const sizes = bounds.slice(1).map((b, i) => Math.max(jax.isub(b, bounds[i]!), 1));
  const pi = jax.float(Math.PI);
  const between = interpolateType === "linear"
    ? (start: number, end: number, pct: number) => jax.add(jax.mul(jax.sub(end, start), pct), start) // (end - start) * pct + start
    : (start: number, end: number, pct: number) =>
      // end + (start - end) / 2.0 * (cos(pi * pct) + 1)
      jax.add(end, jax.mul(jax.div(jax.sub(start, end), 2), jax.add(jax.cos(jax.mul(pi, pct)), 1)));
  const last = bounds.length - 1;
  return (count) => {
    checkCount(owner, count, jax);
    // indicator.dot(interp_vals): at most one interval [bounds[i], bounds[i+1]) holds the count;
    // the others contribute exact zeros to a sum that starts at +0.
    let dot = 0;
    for (let i = 0; i < last; i++) {
      if (bounds[i]! <= count && count < bounds[i + 1]!) {
        const pct = jax.div(jax.float(jax.isub(count, bounds[i]!)), jax.float(sizes[i]!));
        dot = jax.add(dot, between(values[i]!, values[i + 1]!, pct));
      }
    }
    const tail = jax.mul(bounds[last]! <= count ? 1 : 0, values[last]!);
    return finiteResult(owner, count, jax.add(dot, tail));
  };
}

/**
 * A schedule that interpolates, linearly or along a cosine, between values scaled at given
 * boundaries. Port of optax `piecewise_interpolate_schedule` (optax 0.2.8).
 *
 * ```text
 * bounds = [0, b_1, …, b_n]                 (b_i: the sorted steps of boundariesAndScales)
 * values = cumprod([initValue, s_1, …, s_n])
 * on [bounds[i], bounds[i+1]):  pct = (count − bounds[i]) / max(bounds[i+1] − bounds[i], 1)
 *   linear: value = (values[i+1] − values[i]) · pct + values[i]
 *   cosine: value = values[i+1] + (values[i] − values[i+1]) / 2 · (cos(π · pct) + 1)
 * from bounds[n] on: values[n];  before 0: 0
 * ```
 *
 * @param options `{ interpolateType, initValue, boundariesAndScales?, dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} For an invalid option, an `interpolateType` other than
 * `"linear"` and `"cosine"`, and a negative scale (optax raises `ValueError` for both).
 *
 * @example optax's docstring example
 * ```ts
 * import { piecewiseInterpolateSchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = piecewiseInterpolateSchedule({
 *   interpolateType: "linear",
 *   initValue: 1.0,
 *   boundariesAndScales: { 4: 0.1, 8: 0.01 },
 *   dtype: "float64",
 * });
 * assert.equal(schedule(2), 0.55);
 * assert.equal(schedule(4), 0.1);
 * assert.equal(schedule(10), 0.001);
 * ```
 */
export function piecewiseInterpolateSchedule(
  options: PiecewiseInterpolateScheduleOptions,
): Schedule {
  const owner = "piecewiseInterpolateSchedule";
  const o = requireOptions(owner, options, [
    "interpolateType",
    "initValue",
    "boundariesAndScales",
    "dtype",
  ]);
  const jax = dtypeOption(owner, o.dtype);
  const interpolateType = oneOf(
    owner,
    "interpolateType",
    o.interpolateType,
    ["linear", "cosine"],
    " (optax raises ValueError)",
  );
  const initValue = finite(owner, "initValue", o.initValue);
  const items = boundariesOption(owner, o.boundariesAndScales, jax) ?? [];
  return interpolate(owner, jax, interpolateType, initValue, items);
}

/**
 * The boundaries of a one-cycle schedule, as optax writes its dict literal: a repeated step keeps
 * the last value (Python's dict), and `int()` truncates towards zero.
 */
function dictOf(
  owner: string,
  jax: JaxArith,
  entries: readonly (readonly [number, number])[],
): [number, number][] {
  const dict = new Map<number, number>();
  for (const [key, value] of entries) {
    dict.set(intOption(owner, "a boundary step", Math.trunc(key) + 0, jax), value);
  }
  return [...dict].sort((a, b) => a[0] - b[0]);
}

/** Options of {@linkcode linearOnecycleSchedule} (optax `linear_onecycle_schedule`). */
export interface LinearOnecycleScheduleOptions {
  /** The length of the cycle, a positive integer (optax `transition_steps`). */
  transitionSteps: number;
  /** The value at the top of the cycle (optax `peak_value`). */
  peakValue: number;
  /**
   * The fraction of the cycle spent rising to `peakValue` (optax `pct_start`).
   *
   * @default {0.3}
   */
  pctStart?: number;
  /**
   * The fraction of the cycle at which the value is back at the initial one (optax `pct_final`).
   *
   * @default {0.85}
   */
  pctFinal?: number;
  /**
   * The initial value is `peakValue / divFactor` (optax `div_factor`).
   *
   * @default {25.0}
   */
  divFactor?: number;
  /**
   * The final value is `peakValue / divFactor / finalDivFactor` (optax `final_div_factor`).
   *
   * @default {1e4}
   */
  finalDivFactor?: number;
  /**
   * The JAX float dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

/**
 * A one-cycle schedule of three linear phases (Smith & Topin). Port of optax
 * `linear_onecycle_schedule` (optax 0.2.8): {@linkcode piecewiseInterpolateSchedule} with
 *
 * ```text
 * "linear", peakValue / divFactor, {
 *   int(pctStart · transitionSteps): divFactor,
 *   int(pctFinal · transitionSteps): 1 / divFactor,
 *   transitionSteps:                 1 / finalDivFactor }
 * ```
 *
 * @param options `{ transitionSteps, peakValue, pctStart?, pctFinal?, divFactor?,
 * finalDivFactor?, dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} For an invalid option, `transitionSteps <= 0` (optax raises
 * `ValueError`), a zero `divFactor` or `finalDivFactor` (`ZeroDivisionError`) and a negative
 * scale (`ValueError`).
 *
 * @example optax's test
 * ```ts
 * import { linearOnecycleSchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = linearOnecycleSchedule({
 *   transitionSteps: 10,
 *   peakValue: 1000,
 *   pctStart: 0.3,
 *   pctFinal: 0.7,
 *   divFactor: 10.0,
 *   finalDivFactor: 100.0,
 *   dtype: "float64",
 * });
 * assert.deepEqual(
 *   [0, 1, 3, 5, 7, 9, 10].map(schedule),
 *   [100, 400, 1000, 550, 100, 34, 1],
 * );
 * ```
 */
export function linearOnecycleSchedule(options: LinearOnecycleScheduleOptions): Schedule {
  const owner = "linearOnecycleSchedule";
  const o = requireOptions(owner, options, [
    "transitionSteps",
    "peakValue",
    "pctStart",
    "pctFinal",
    "divFactor",
    "finalDivFactor",
    "dtype",
  ]);
  const jax = dtypeOption(owner, o.dtype);
  const transitionSteps = intOption(owner, "transitionSteps", o.transitionSteps, jax);
  const peakValue = finite(owner, "peakValue", o.peakValue);
  const pctStart = finite(owner, "pctStart", o.pctStart ?? 0.3);
  const pctFinal = finite(owner, "pctFinal", o.pctFinal ?? 0.85);
  const divFactor = finite(owner, "divFactor", o.divFactor ?? 25.0);
  const finalDivFactor = finite(owner, "finalDivFactor", o.finalDivFactor ?? 1e4);
  if (transitionSteps <= 0) {
    throw optionError(
      RangeError,
      owner,
      "transitionSteps",
      transitionSteps,
      `A linear onecycle schedule was set with a non-positive \`transition_steps\` (optax raises ValueError)`,
    );
  }
  const initValue = pyDiv(
    owner,
    "peakValue / divFactor",
    peakValue,
    divFactor,
    "divFactor",
    divFactor,
  );
  const items = dictOf(owner, jax, [
    [pctStart * transitionSteps, divFactor],
    [
      pctFinal * transitionSteps,
      pyDiv(owner, "1.0 / divFactor", 1.0, divFactor, "divFactor", divFactor),
    ],
    [
      transitionSteps,
      pyDiv(
        owner,
        "1.0 / finalDivFactor",
        1.0,
        finalDivFactor,
        "finalDivFactor",
        finalDivFactor,
      ),
    ],
  ]);
  return interpolate(owner, jax, "linear", initValue, items);
}

/** Options of {@linkcode cosineOnecycleSchedule} (optax `cosine_onecycle_schedule`). */
export interface CosineOnecycleScheduleOptions {
  /** The length of the cycle, a positive integer (optax `transition_steps`). */
  transitionSteps: number;
  /** The value at the top of the cycle (optax `peak_value`). */
  peakValue: number;
  /**
   * The fraction of the cycle spent rising to `peakValue` (optax `pct_start`).
   *
   * @default {0.3}
   */
  pctStart?: number;
  /**
   * The initial value is `peakValue / divFactor` (optax `div_factor`).
   *
   * @default {25.0}
   */
  divFactor?: number;
  /**
   * The final value is `peakValue / divFactor / finalDivFactor` (optax `final_div_factor`).
   *
   * @default {1e4}
   */
  finalDivFactor?: number;
  /**
   * The JAX float dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

/**
 * A one-cycle schedule of two cosine phases. Port of optax `cosine_onecycle_schedule` (optax
 * 0.2.8): {@linkcode piecewiseInterpolateSchedule} with
 *
 * ```text
 * "cosine", peakValue / divFactor, {
 *   int(pctStart · transitionSteps): divFactor,
 *   int(transitionSteps):            1 / (divFactor · finalDivFactor) }
 * ```
 *
 * @param options `{ transitionSteps, peakValue, pctStart?, divFactor?, finalDivFactor?, dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} For an invalid option, `transitionSteps <= 0` (optax raises
 * `ValueError`, with the linear schedule's message), a zero `divFactor · finalDivFactor`
 * (`ZeroDivisionError`) and a negative scale (`ValueError`).
 *
 * @example optax's test
 * ```ts
 * import { cosineOnecycleSchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = cosineOnecycleSchedule({
 *   transitionSteps: 5,
 *   peakValue: 1000.0,
 *   pctStart: 0.4,
 *   divFactor: 10.0,
 *   finalDivFactor: 100.0,
 *   dtype: "float64",
 * });
 * assert.deepEqual([0, 1, 2, 5].map(schedule), [100, 550, 1000, 1]);
 * ```
 */
export function cosineOnecycleSchedule(options: CosineOnecycleScheduleOptions): Schedule {
  const owner = "cosineOnecycleSchedule";
  const o = requireOptions(owner, options, [
    "transitionSteps",
    "peakValue",
    "pctStart",
    "divFactor",
    "finalDivFactor",
    "dtype",
  ]);
  const jax = dtypeOption(owner, o.dtype);
  const transitionSteps = intOption(owner, "transitionSteps", o.transitionSteps, jax);
  const peakValue = finite(owner, "peakValue", o.peakValue);
  const pctStart = finite(owner, "pctStart", o.pctStart ?? 0.3);
  const divFactor = finite(owner, "divFactor", o.divFactor ?? 25.0);
  const finalDivFactor = finite(owner, "finalDivFactor", o.finalDivFactor ?? 1e4);
  if (transitionSteps <= 0) {
    throw optionError(
      RangeError,
      owner,
      "transitionSteps",
      transitionSteps,
      `A linear onecycle schedule was set with a non-positive \`transition_steps\` (optax raises ValueError, with this message)`,
    );
  }
  const initValue = pyDiv(
    owner,
    "peakValue / divFactor",
    peakValue,
    divFactor,
    "divFactor",
    divFactor,
  );
  const items = dictOf(owner, jax, [
    [pctStart * transitionSteps, divFactor],
    [
      transitionSteps,
      pyDiv(
        owner,
        "1.0 / (divFactor * finalDivFactor)",
        1.0,
        divFactor * finalDivFactor,
        divFactor === 0 ? "divFactor" : "finalDivFactor",
        divFactor === 0 ? divFactor : finalDivFactor,
      ),
    ],
  ]);
  return interpolate(owner, jax, "cosine", initValue, items);
}

// ------------------------------------------------------------------------------------------------
// warmup_constant_schedule, warmup_cosine_decay_schedule, warmup_exponential_decay_schedule

/** Options of {@linkcode warmupConstantSchedule} (optax `warmup_constant_schedule`). */
export interface WarmupConstantScheduleOptions {
  /** The value at step 0 (optax `init_value`). */
  initValue: number;
  /** The value at the end of the warmup and after (optax `peak_value`). */
  peakValue: number;
  /** The length of the linear warmup (optax `warmup_steps`). */
  warmupSteps: number;
  /**
   * The JAX float dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

/**
 * A linear warmup, then constant. Port of optax `warmup_constant_schedule` (optax 0.2.8):
 * {@linkcode linearSchedule} from `initValue` to `peakValue` over `warmupSteps`.
 *
 * ```text
 * value = (initValue − peakValue) · (1 − min(count, warmupSteps) / warmupSteps) + peakValue
 * ```
 *
 * @param options `{ initValue, peakValue, warmupSteps, dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} For an invalid option.
 *
 * @example Ten steps of warmup to 0.5
 * ```ts
 * import { warmupConstantSchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = warmupConstantSchedule({ initValue: 0, peakValue: 0.5, warmupSteps: 10 });
 * assert.equal(schedule(0), 0);
 * assert.equal(schedule(5), 0.25);
 * assert.equal(schedule(1000), 0.5);
 * ```
 */
export function warmupConstantSchedule(options: WarmupConstantScheduleOptions): Schedule {
  const owner = "warmupConstantSchedule";
  const o = requireOptions(owner, options, ["initValue", "peakValue", "warmupSteps", "dtype"]);
  const jax = dtypeOption(owner, o.dtype);
  return polynomial(
    owner,
    jax,
    finite(owner, "initValue", o.initValue),
    finite(owner, "peakValue", o.peakValue),
    1n,
    intOption(owner, "warmupSteps", o.warmupSteps, jax),
    0,
  );
}

/** Options of {@linkcode warmupCosineDecaySchedule} (optax `warmup_cosine_decay_schedule`). */
export interface WarmupCosineDecayScheduleOptions {
  /** The value at step 0 (optax `init_value`). */
  initValue: number;
  /** The value at the end of the warmup (optax `peak_value`). */
  peakValue: number;
  /** The length of the linear warmup (optax `warmup_steps`). */
  warmupSteps: number;
  /**
   * The length of the whole schedule, warmup included (optax `decay_steps`): the cosine decay
   * lasts `decaySteps − warmupSteps` steps, which must be positive.
   */
  decaySteps: number;
  /**
   * The value at the end (optax `end_value`).
   *
   * @default {0.0}
   */
  endValue?: number;
  /**
   * The exponent of the cosine factor (optax `exponent`): a `number` is a Python float, a
   * `bigint` a Python int.
   *
   * @default {1.0}
   */
  exponent?: number | bigint;
  /**
   * The JAX float dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

/** The options of one warmup-cosine cycle, validated. */
interface WarmupCosine {
  initValue: number;
  peakValue: number;
  warmupSteps: number;
  decaySteps: number;
  endValue: number;
  exponent: number | bigint;
}

const WARMUP_COSINE_KEYS = [
  "initValue",
  "peakValue",
  "warmupSteps",
  "decaySteps",
  "endValue",
  "exponent",
] as const;

function warmupCosineOptions(
  owner: string,
  o: Omit<WarmupCosineDecayScheduleOptions, "dtype">,
  jax: JaxArith,
  prefix = "",
): WarmupCosine {
  return {
    initValue: finite(owner, `${prefix}initValue`, o.initValue),
    peakValue: finite(owner, `${prefix}peakValue`, o.peakValue),
    warmupSteps: intOption(owner, `${prefix}warmupSteps`, o.warmupSteps, jax),
    // Only `decaySteps − warmupSteps` reaches JAX (as a Python float), so no int32 bound here.
    decaySteps: integer(
      owner,
      `${prefix}decaySteps`,
      o.decaySteps,
      "a safe integer",
      Number.isSafeInteger,
    ),
    endValue: finite(owner, `${prefix}endValue`, o.endValue ?? 0.0),
    exponent: exponentOption(owner, `${prefix}exponent`, o.exponent ?? 1.0),
  };
}

function warmupCosine(owner: string, jax: JaxArith, w: WarmupCosine): Schedule {
  const alpha = w.peakValue === 0.0 ? 0.0 : w.endValue / w.peakValue;
  const decaySteps = w.decaySteps - w.warmupSteps;
  if (!(decaySteps > 0)) {
    throw optionError(
      RangeError,
      owner,
      "decaySteps",
      w.decaySteps,
      `The cosine_decay_schedule requires positive decay_steps, got decay_steps=${decaySteps} (decaySteps − warmupSteps; optax raises ValueError)`,
    );
  }
  return joinSchedules({
    schedules: [
      polynomial(owner, jax, w.initValue, w.peakValue, 1n, w.warmupSteps, 0),
      cosineDecay(owner, jax, w.peakValue, decaySteps, alpha, w.exponent),
    ],
    boundaries: [w.warmupSteps],
    dtype: jax.dtype,
  });
}

/**
 * A linear warmup, then a cosine decay. Port of optax `warmup_cosine_decay_schedule` (optax
 * 0.2.8): {@linkcode joinSchedules} of {@linkcode linearSchedule} (`initValue` → `peakValue` over
 * `warmupSteps`) and {@linkcode cosineDecaySchedule} (from `peakValue` over `decaySteps −
 * warmupSteps`, `alpha = endValue / peakValue`, or 0 when `peakValue` is 0) at `warmupSteps`.
 *
 * ```text
 * count < warmupSteps:  linear(count)
 * otherwise:            cosine(count − warmupSteps)
 * ```
 *
 * @param options `{ initValue, peakValue, warmupSteps, decaySteps, endValue?, exponent?,
 * dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} For an invalid option, and for `decaySteps <= warmupSteps`
 * (optax raises `ValueError`).
 *
 * @example From `optax.warmup_cosine_decay_schedule(0.0, 1e-3, 1000, 10000, 1e-5)`
 * ```ts
 * import { warmupCosineDecaySchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = warmupCosineDecaySchedule({
 *   initValue: 0.0,
 *   peakValue: 1e-3,
 *   warmupSteps: 1000,
 *   decaySteps: 10000,
 *   endValue: 1e-5,
 * });
 * assert.equal(schedule(0), 0);
 * assert.equal(schedule(1000), Math.fround(1e-3));
 * // peak · alpha in float32 arithmetic, which is not Math.fround(1e-5) = 9.999999747378752e-6:
 * assert.equal(schedule(10000), 0.000010000000656873453);
 * ```
 */
export function warmupCosineDecaySchedule(options: WarmupCosineDecayScheduleOptions): Schedule {
  const owner = "warmupCosineDecaySchedule";
  const o = requireOptions(owner, options, [...WARMUP_COSINE_KEYS, "dtype"]);
  const jax = dtypeOption(owner, o.dtype);
  return warmupCosine(owner, jax, warmupCosineOptions(owner, o, jax));
}

/**
 * Options of {@linkcode warmupExponentialDecaySchedule} (optax
 * `warmup_exponential_decay_schedule`).
 */
export interface WarmupExponentialDecayScheduleOptions {
  /** The value at step 0 (optax `init_value`). */
  initValue: number;
  /** The value at the end of the warmup (optax `peak_value`). */
  peakValue: number;
  /** The length of the linear warmup (optax `warmup_steps`). */
  warmupSteps: number;
  /** The steps per decay by `decayRate` (optax `transition_steps`); `<= 0`: constant. */
  transitionSteps: number;
  /** The decay rate (optax `decay_rate`); `0`: constant. */
  decayRate: number;
  /**
   * Steps after the warmup before the decay starts (optax `transition_begin`).
   *
   * @default {0}
   */
  transitionBegin?: number;
  /**
   * Decay at discrete intervals (optax `staircase`).
   *
   * @default {false}
   */
  staircase?: boolean;
  /**
   * The bound where the decay stops (optax `end_value`); `null` or absent: none.
   *
   * @default {undefined}
   */
  endValue?: number | null;
  /**
   * The JAX float dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

/**
 * A linear warmup, then an exponential decay. Port of optax `warmup_exponential_decay_schedule`
 * (optax 0.2.8): {@linkcode joinSchedules} of {@linkcode linearSchedule} (`initValue` →
 * `peakValue` over `warmupSteps`) and {@linkcode exponentialDecay} (from `peakValue`) at
 * `warmupSteps`.
 *
 * ```text
 * count < warmupSteps:  linear(count)
 * otherwise:            exponentialDecay(count − warmupSteps)
 * ```
 *
 * @param options `{ initValue, peakValue, warmupSteps, transitionSteps, decayRate,
 * transitionBegin?, staircase?, endValue?, dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} For an invalid option; the schedule, as
 * {@linkcode exponentialDecay}'s.
 *
 * @example Warmup over 100 steps, then halving every 1000
 * ```ts
 * import { warmupExponentialDecaySchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = warmupExponentialDecaySchedule({
 *   initValue: 0.0,
 *   peakValue: 0.1,
 *   warmupSteps: 100,
 *   transitionSteps: 1000,
 *   decayRate: 0.5,
 *   staircase: true,
 * });
 * assert.equal(schedule(50), Math.fround(0.05));
 * assert.equal(schedule(1100), Math.fround(Math.fround(0.1) * 0.5));
 * ```
 */
export function warmupExponentialDecaySchedule(
  options: WarmupExponentialDecayScheduleOptions,
): Schedule {
  const owner = "warmupExponentialDecaySchedule";
  const o = requireOptions(owner, options, [
    "initValue",
    "peakValue",
    "warmupSteps",
    "transitionSteps",
    "decayRate",
    "transitionBegin",
    "staircase",
    "endValue",
    "dtype",
  ]);
  const jax = dtypeOption(owner, o.dtype);
  const initValue = finite(owner, "initValue", o.initValue);
  const peakValue = finite(owner, "peakValue", o.peakValue);
  const warmupSteps = intOption(owner, "warmupSteps", o.warmupSteps, jax);
  return joinSchedules({
    schedules: [
      polynomial(owner, jax, initValue, peakValue, 1n, warmupSteps, 0),
      exponential(
        owner,
        jax,
        peakValue,
        intOption(owner, "transitionSteps", o.transitionSteps, jax),
        finite(owner, "decayRate", o.decayRate),
        intOption(owner, "transitionBegin", o.transitionBegin ?? 0, jax),
        boolean(owner, "staircase", o.staircase ?? false),
        o.endValue === undefined || o.endValue === null
          ? undefined
          : finite(owner, "endValue", o.endValue),
      ),
    ],
    boundaries: [warmupSteps],
    dtype: jax.dtype,
  });
}

// ------------------------------------------------------------------------------------------------
// sgdr_schedule

/** One cycle of {@linkcode sgdrSchedule}: {@linkcode warmupCosineDecaySchedule}'s options. */
export type SgdrCycleOptions = Omit<WarmupCosineDecayScheduleOptions, "dtype">;

/** Options of {@linkcode sgdrSchedule} (optax `sgdr_schedule`). */
export interface SgdrScheduleOptions {
  /**
   * The cycles (optax `cosine_kwargs`): each is a {@linkcode warmupCosineDecaySchedule} of
   * these options, lasting `decaySteps`. At least one.
   */
  cosineKwargs: readonly SgdrCycleOptions[];
  /**
   * The JAX float dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

/**
 * SGD with warm restarts: warmup-cosine cycles, one after another. Port of optax `sgdr_schedule`
 * (optax 0.2.8): {@linkcode joinSchedules} of one {@linkcode warmupCosineDecaySchedule} per
 * entry of `cosineKwargs`, each starting where the previous one's `decaySteps` end.
 *
 * ```text
 * boundaries = cumulative sums of decaySteps (all but the last)
 * value      = cycle_i(count − start of cycle i)
 * ```
 *
 * Deliberate difference: an empty `cosineKwargs` throws at construction (optax raises
 * `IndexError` at the first call).
 *
 * @param options `{ cosineKwargs, dtype? }`.
 * @returns The schedule.
 * @throws {TypeError | RangeError} For an invalid cycle (named `cosineKwargs[i].…`), as
 * {@linkcode warmupCosineDecaySchedule}.
 *
 * @example optax's test: three cycles
 * ```ts
 * import { sgdrSchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = sgdrSchedule({
 *   cosineKwargs: [2000, 3000, 5000].map((decaySteps, i) => ({
 *     decaySteps,
 *     peakValue: [1.6, 0.8, 0.4][i]!,
 *     initValue: 0,
 *     endValue: 0.0,
 *     warmupSteps: 500,
 *   })),
 * });
 * assert.equal(schedule(500), Math.fround(1.6));
 * assert.equal(schedule(2500), Math.fround(0.8));
 * assert.equal(schedule(5500), Math.fround(0.4));
 * ```
 */
export function sgdrSchedule(options: SgdrScheduleOptions): Schedule {
  const owner = "sgdrSchedule";
  const o = requireOptions(owner, options, ["cosineKwargs", "dtype"]);
  const jax = dtypeOption(owner, o.dtype);
  if (!Array.isArray(o.cosineKwargs)) {
    throw optionError(
      TypeError,
      owner,
      "cosineKwargs",
      o.cosineKwargs,
      `\`cosineKwargs\` must be an array of option objects: got ${show(o.cosineKwargs)}`,
    );
  }
  if (o.cosineKwargs.length === 0) {
    throw optionError(
      RangeError,
      owner,
      "cosineKwargs",
      o.cosineKwargs,
      `\`cosineKwargs\` must not be empty (optax raises IndexError)`,
    );
  }
  const boundaries: number[] = [];
  const schedules: Schedule[] = [];
  let step = 0;
  o.cosineKwargs.forEach((kwargs: SgdrCycleOptions, i: number) => {
    const prefix = `cosineKwargs[${i}].`;
    let checked: SgdrCycleOptions;
    try {
      checked = requireOptions(`${owner}: ${prefix.slice(0, -1)}`, kwargs, [
        ...WARMUP_COSINE_KEYS,
      ]);
    } catch (error) {
      // The owner is sgdrSchedule; the option, the cycle's (`cosineKwargs[0].peakValue`).
      const problem = optionProblem(error);
      if (problem === undefined) throw error;
      const option = problem.option === "options" ? prefix.slice(0, -1) : prefix + problem.option;
      throw new (error instanceof RangeError ? RangeError : TypeError)((error as Error).message, {
        cause: { owner, option, value: problem.value },
      });
    }
    const cycle = warmupCosineOptions(owner, checked, jax, prefix);
    schedules.push(warmupCosine(owner, jax, cycle));
    step += cycle.decaySteps;
    boundaries.push(intOption(owner, `the end of cosineKwargs[${i}]`, step, jax));
  });
  return joinSchedules({ schedules, boundaries: boundaries.slice(0, -1), dtype: jax.dtype });
}
