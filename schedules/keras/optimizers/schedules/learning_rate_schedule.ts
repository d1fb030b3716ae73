/**
 * Port of Keras 3's `keras/src/optimizers/schedules/learning_rate_schedule.py` (Keras 3.15.1):
 * `ExponentialDecay`, `PiecewiseConstantDecay`, `PolynomialDecay`, `InverseTimeDecay`,
 * `CosineDecay` (with its warmup) and `CosineDecayRestarts`, with `serialize` / `deserialize`.
 *
 * Keras computes a schedule in the dtype of `initial_learning_rate` — float32 for a Python float
 * — on the optimizer's `iterations`, an int32 variable on every backend. Each class here takes a
 * `backend` (`"numpy"`, `"jax"` or `"torch"`, default `"jax"`) and evaluates
 * {@linkcode LearningRateSchedule.call} operation by operation as Keras' ops do on that backend:
 * the step cast to float32 (`Math.fround`: 2^24 + 1 becomes 2^24), every `+ − × ÷` rounded to
 * float32, Python floats rounded to float32 where they meet a tensor, Python-side arithmetic
 * (`1 - alpha`) in double first; `cos`, `log` and `pow` are the backend's (see `../../ops.ts`:
 * glibc's `powf` everywhere and `cosf` on JAX bit for bit; the correctly rounded float32 `cos` and
 * `log` elsewhere, which differ from numpy's and torch's own in the last bit on a measured share of
 * arguments).
 *
 * Deliberate differences from Keras, none of which changes a value Keras returns:
 * - options are validated at construction (numbers finite, and finite once rounded to float32;
 *   unknown keys rejected); Keras' `ValueError`s are `RangeError`s with the same wording;
 * - a call throws a `RangeError` where Keras returns NaN or ±Infinity (an `ExponentialDecay` rate
 *   above 1 far enough, a `CosineDecayRestarts` with `t_mul < 1` past its last cycle) and for a
 *   step that is not an int32 (Keras' counter wraps around to −2^31 after 2^31 − 1 steps: pass the
 *   wrapped value);
 * - JavaScript has one number type: an `initial_learning_rate` written as a Python int (`0`, not
 *   `0.0`) makes Keras compute the whole schedule in int32 (`CosineDecay(0, 1000,
 *   warmup_target=0.1, warmup_steps=1000)`, the example of Keras' own docstring, is 0 at every
 *   step); lrspec always computes with a Python float. `PiecewiseConstantDecay` boundaries that
 *   are integers are Python ints, others Python floats (rounded to float32, then truncated to
 *   int32, as Keras casts them to the step's type).
 *
 * @module
 */

import { boolean, finite, oneOf, requireOptions, show } from "../../../_internal/validate.ts";
import { optionError } from "../../../errors.ts";
import { type Backend, backendMath, BACKENDS, castToInt32, fmaf } from "../../ops.ts";

const f = Math.fround;
const PI32 = f(Math.PI);
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Keras' `serialize()` of a schedule, as stored inside `.keras` files and optimizer configs. */
export interface SerializedSchedule {
  /** `"keras.optimizers.schedules"`. */
  module: string;
  /** The class name (`"CosineDecay"`). */
  class_name: string;
  /** The schedule's `get_config()`: Keras' keyword names, snake_case. */
  config: Record<string, unknown>;
  /** `null` for Keras' own classes. */
  registered_name: string | null;
}

/** The option every schedule takes besides upstream's: whose float32 arithmetic to emulate. */
export interface BackendOption {
  /**
   * The Keras backend (`KERAS_BACKEND`) whose float32 ops to emulate.
   *
   * @default {"jax"}
   */
  backend?: Backend;
}

function backendOption(owner: string, value: unknown): Backend {
  return oneOf(owner, "backend", value ?? "jax", BACKENDS);
}

/** A number that must stay finite once Keras rounds it to float32. */
function float32Finite(owner: string, name: string, value: unknown): number {
  const x = finite(owner, name, value);
  if (!Number.isFinite(f(x))) {
    throw optionError(
      RangeError,
      owner,
      name,
      x,
      `\`${name}\` overflows float32 (Keras casts it to float32): got ${show(x)}`,
    );
  }
  return x;
}

function nameOption(owner: string, value: unknown, fallback: string): string | null {
  if (value === undefined) return fallback;
  if (value === null || typeof value === "string") return value;
  throw optionError(
    TypeError,
    owner,
    "name",
    value,
    `\`name\` must be a string or null: got ${show(value)}`,
  );
}

/** Keras' `ValueError` for a step count that is not positive. */
function positive(owner: string, name: string, keras: string, value: unknown): number {
  const x = float32Finite(owner, name, value);
  if (!(x > 0)) {
    throw optionError(
      RangeError,
      owner,
      name,
      x,
      `Argument \`${keras}\` must be > 0. Received: ${keras}=${show(x)}`,
    );
  }
  return x;
}

function checkStep(owner: string, step: number): void {
  if (typeof step !== "number") {
    throw optionError(
      TypeError,
      owner,
      "step",
      step,
      `\`step\` must be a number: got ${show(step)}`,
    );
  }
  if (!Number.isInteger(step) || step < INT32_MIN || step > INT32_MAX) {
    throw optionError(
      RangeError,
      owner,
      "step",
      step,
      `\`step\` must be an int32 (Keras' optimizer.iterations; it wraps around to ` +
        `-2^31 after 2^31 - 1): got ${show(step)}`,
    );
  }
}

function finiteResult(owner: string, step: number, value: number): number {
  if (value - value !== 0) {
    throw optionError(
      RangeError,
      owner,
      "step",
      step,
      `the learning rate at step ${step} is ${value} (Keras returns a non-finite value here)`,
    );
  }
  return value;
}

/**
 * The learning-rate schedule base class (Keras `LearningRateSchedule`): a pure function of the
 * optimizer's step, with a config that round-trips through Keras' `serialize()` JSON.
 */
export abstract class LearningRateSchedule {
  /** The backend whose float32 arithmetic {@linkcode LearningRateSchedule.call} emulates. */
  abstract readonly backend: Backend;

  /**
   * The learning rate at `step` (Keras' `schedule(step)`, `__call__`): a float32 value.
   *
   * @param step The optimizer's `iterations`: an int32.
   */
  abstract call(step: number): number;

  /** Keras' `get_config()`: the constructor's keyword arguments, snake_case. */
  abstract getConfig(): Record<string, unknown>;
}

// ------------------------------------------------------------------------------------------------
// ExponentialDecay

/** Options of {@linkcode ExponentialDecay} (Keras' keyword arguments, camelCase). */
export interface ExponentialDecayOptions extends BackendOption {
  /** The initial learning rate (Keras `initial_learning_rate`, a Python float). */
  initialLearningRate: number;
  /** Steps per decay by `decayRate` (Keras `decay_steps`); must be > 0. */
  decaySteps: number;
  /** The decay rate (Keras `decay_rate`). */
  decayRate: number;
  /**
   * Decay at discrete intervals: `floor(step / decaySteps)` (Keras `staircase`).
   *
   * @default {false}
   */
  staircase?: boolean;
  /**
   * The name (Keras `name`; kept in the config only).
   *
   * @default {"ExponentialDecay"}
   */
  name?: string | null;
}

/**
 * Exponential decay. Port of Keras `ExponentialDecay` (Keras 3.15.1).
 *
 * ```text
 * p = float32(step) / float32(decay_steps)        (floor(p) with staircase)
 * lr = float32(initial_learning_rate) * powf(float32(decay_rate), p)
 * ```
 *
 * @example
 * ```ts
 * import { ExponentialDecay } from "@lrspec/lrspec/keras";
 * import assert from "node:assert/strict";
 *
 * // keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=100000, decay_rate=0.96,
 * //                                             staircase=True)
 * const s = new ExponentialDecay({
 *   initialLearningRate: 0.1,
 *   decaySteps: 100000,
 *   decayRate: 0.96,
 *   staircase: true,
 * });
 * assert.equal(s.call(99999), Math.fround(0.1));
 * assert.equal(s.call(100000), Math.fround(Math.fround(0.1) * Math.fround(0.96)));
 * ```
 */
export class ExponentialDecay extends LearningRateSchedule {
  /** Keras `initial_learning_rate`. */
  readonly initialLearningRate: number;
  /** Keras `decay_steps`. */
  readonly decaySteps: number;
  /** Keras `decay_rate`. */
  readonly decayRate: number;
  /** Keras `staircase`. */
  readonly staircase: boolean;
  /** Keras `name`. */
  readonly name: string | null;
  /** The emulated backend. */
  readonly backend: Backend;

  /**
   * Validates the options, once.
   *
   * @param options See {@linkcode ExponentialDecayOptions}.
   * @throws {TypeError} For an option of the wrong type or an unknown option.
   * @throws {RangeError} Where Keras raises `ValueError` (`decay_steps <= 0`), or for a number
   * that is not finite in float32.
   */
  constructor(options: ExponentialDecayOptions) {
    super();
    const owner = "ExponentialDecay";
    const o = requireOptions(owner, options, [
      "initialLearningRate",
      "decaySteps",
      "decayRate",
      "staircase",
      "name",
      "backend",
    ]);
    this.initialLearningRate = float32Finite(owner, "initialLearningRate", o.initialLearningRate);
    this.decaySteps = positive(owner, "decaySteps", "decay_steps", o.decaySteps);
    this.decayRate = float32Finite(owner, "decayRate", o.decayRate);
    this.staircase = boolean(owner, "staircase", o.staircase ?? false);
    this.name = nameOption(owner, o.name, "ExponentialDecay");
    this.backend = backendOption(owner, o.backend);
  }

  /**
   * The learning rate at `step`.
   *
   * @param step The optimizer's `iterations` (an int32).
   * @returns A float32 value.
   * @throws {RangeError} For a step that is not an int32, or where Keras' value is not finite.
   */
  call(step: number): number {
    checkStep("ExponentialDecay", step);
    const math = backendMath[this.backend];
    let p = f(f(step) / f(this.decaySteps));
    if (this.staircase) p = Math.floor(p);
    const value = f(f(this.initialLearningRate) * math.pow(f(this.decayRate), p));
    return finiteResult("ExponentialDecay", step, value);
  }

  /** Keras' `get_config()`. */
  getConfig(): {
    initial_learning_rate: number;
    decay_steps: number;
    decay_rate: number;
    staircase: boolean;
    name: string | null;
  } {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

// ------------------------------------------------------------------------------------------------
// PiecewiseConstantDecay

/** Options of {@linkcode PiecewiseConstantDecay}. */
export interface PiecewiseConstantDecayOptions extends BackendOption {
  /**
   * Step boundaries (Keras `boundaries`): integers are Python ints (int32 tensors; beyond int32
   * numpy and JAX raise `OverflowError`, torch wraps around), other numbers Python floats
   * (float32, truncated toward zero to int32 — Keras casts them to the step's type).
   */
  boundaries: readonly number[];
  /** The values, one more than `boundaries` (Keras `values`, Python floats). */
  values: readonly number[];
  /**
   * The name (Keras `name`).
   *
   * @default {"PiecewiseConstant"}
   */
  name?: string | null;
}

/**
 * Piecewise constant decay. Port of Keras `PiecewiseConstantDecay` (Keras 3.15.1).
 *
 * ```text
 * lr = values[0]   if step <= boundaries[0]
 *      values[i]   if boundaries[i-1] < step <= boundaries[i]
 *      values[-1]  if step > boundaries[-1]
 * ```
 *
 * computed as Keras does: a float32 sum of `float32(indicator) * value` terms (first, last, then
 * the middle intervals), with the boundaries cast to int32.
 *
 * @example
 * ```ts
 * import { PiecewiseConstantDecay } from "@lrspec/lrspec/keras";
 * import assert from "node:assert/strict";
 *
 * const s = new PiecewiseConstantDecay({ boundaries: [100000, 110000], values: [1.0, 0.5, 0.1] });
 * assert.equal(s.call(100000), 1);
 * assert.equal(s.call(100001), 0.5);
 * assert.equal(s.call(110001), Math.fround(0.1));
 * // A float boundary is truncated to the int32 step type: 10.7 acts as 10.
 * const t = new PiecewiseConstantDecay({ boundaries: [10.7], values: [1, 0.5] });
 * assert.equal(t.call(11), 0.5);
 * ```
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  /** Keras `boundaries`, as given. */
  readonly boundaries: readonly number[];
  /** Keras `values`. */
  readonly values: readonly number[];
  /** Keras `name`. */
  readonly name: string | null;
  /** The emulated backend. */
  readonly backend: Backend;
  /** The boundaries as int32 step values, as Keras casts them. */
  readonly #steps: readonly number[];

  /**
   * Validates the options, once.
   *
   * @param options See {@linkcode PiecewiseConstantDecayOptions}.
   * @throws {TypeError} For an option of the wrong type or an unknown option.
   * @throws {RangeError} Where Keras raises: lengths that do not match (`ValueError`), no
   * boundary at all (Keras' `IndexError` at the first call), an integer boundary beyond int32 on
   * numpy or JAX (`OverflowError` at the first call); and for a value not finite in float32.
   */
  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    const owner = "PiecewiseConstantDecay";
    const o = requireOptions(owner, options, ["boundaries", "values", "name", "backend"]);
    if (!Array.isArray(o.boundaries)) {
      throw optionError(
        TypeError,
        owner,
        "boundaries",
        o.boundaries,
        `\`boundaries\` must be an array: got ${show(o.boundaries)}`,
      );
    }
    if (!Array.isArray(o.values)) {
      throw optionError(
        TypeError,
        owner,
        "values",
        o.values,
        `\`values\` must be an array: got ${show(o.values)}`,
      );
    }
    const boundaries = o.boundaries.map((b: unknown, i) => finite(owner, `boundaries[${i}]`, b));
    const values = o.values.map((v: unknown, i) => float32Finite(owner, `values[${i}]`, v));
    if (boundaries.length !== values.length - 1) {
      throw optionError(
        RangeError,
        owner,
        "values",
        values,
        `The length of boundaries should be 1 less than the length of values. ` +
          `Received: boundaries=${show(boundaries)} of length ${boundaries.length}, and ` +
          `values=${show(values)} of length ${values.length}.`,
      );
    }
    if (boundaries.length === 0) {
      throw optionError(
        RangeError,
        owner,
        "boundaries",
        boundaries,
        "`boundaries` must not be empty (Keras raises IndexError at the first call)",
      );
    }
    this.backend = backendOption(owner, o.backend);
    this.#steps = boundaries.map((b, i) => {
      if (!Number.isInteger(b)) return castToInt32(this.backend, f(b));
      if (b >= INT32_MIN && b <= INT32_MAX) return b;
      if (this.backend !== "torch" || !Number.isSafeInteger(b)) {
        throw optionError(
          RangeError,
          owner,
          "boundaries",
          b,
          `\`boundaries[${i}]\` (a Python int) must be within int32 on ${this.backend}` +
            ` (Keras raises OverflowError at the first call): got ${show(b)}`,
        );
      }
      return Number(BigInt.asIntN(32, BigInt(b))); // torch: an int64 tensor cast to int32
    });
    this.boundaries = Object.freeze(boundaries);
    this.values = Object.freeze(values);
    this.name = nameOption(owner, o.name, "PiecewiseConstant");
  }

  /**
   * The learning rate at `step`.
   *
   * @param step The optimizer's `iterations` (an int32).
   * @returns A float32 value.
   * @throws {RangeError} For a step that is not an int32.
   */
  call(step: number): number {
    checkStep("PiecewiseConstantDecay", step);
    const b = this.#steps;
    const v = this.values;
    const term = (inside: boolean, value: number) => f((inside ? 1 : 0) * f(value));
    let result = 0;
    result = f(result + term(step <= b[0]!, v[0]!));
    result = f(result + term(step > b[b.length - 1]!, v[v.length - 1]!));
    for (let i = 0; i + 1 < b.length; i++) {
      result = f(result + term(step > b[i]! && step <= b[i + 1]!, v[i + 1]!));
    }
    return result;
  }

  /** Keras' `get_config()`. */
  getConfig(): { boundaries: number[]; values: number[]; name: string | null } {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}

// ------------------------------------------------------------------------------------------------
// PolynomialDecay

/** Options of {@linkcode PolynomialDecay}. */
export interface PolynomialDecayOptions extends BackendOption {
  /** The initial learning rate (Keras `initial_learning_rate`). */
  initialLearningRate: number;
  /** Steps to decay over (Keras `decay_steps`); must be > 0. */
  decaySteps: number;
  /**
   * The final learning rate (Keras `end_learning_rate`).
   *
   * @default {0.0001}
   */
  endLearningRate?: number;
  /**
   * The power of the polynomial (Keras `power`).
   *
   * @default {1.0}
   */
  power?: number;
  /**
   * Whether to cycle beyond `decaySteps`, stretching the decay to the next multiple of
   * `decaySteps` (Keras `cycle`).
   *
   * @default {false}
   */
  cycle?: boolean;
  /**
   * The name (Keras `name`).
   *
   * @default {"PolynomialDecay"}
   */
  name?: string | null;
}

/**
 * Polynomial decay. Port of Keras `PolynomialDecay` (Keras 3.15.1).
 *
 * ```text
 * without cycle: s = min(step, decay_steps),  d = decay_steps
 * with cycle:    s = step,  d = decay_steps * (step == 0 ? 1 : ceil(step / decay_steps))
 * lr = (initial - end) * powf(1 - s / d, power) + end          (every operation in float32)
 * ```
 *
 * @example
 * ```ts
 * import { PolynomialDecay } from "@lrspec/lrspec/keras";
 * import assert from "node:assert/strict";
 *
 * const s = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10000,
 *                                 endLearningRate: 0.01, power: 0.5 });
 * assert.equal(s.call(0), Math.fround(0.1));
 * assert.equal(s.call(20000), Math.fround(0.01));
 * ```
 */
export class PolynomialDecay extends LearningRateSchedule {
  /** Keras `initial_learning_rate`. */
  readonly initialLearningRate: number;
  /** Keras `decay_steps`. */
  readonly decaySteps: number;
  /** Keras `end_learning_rate`. */
  readonly endLearningRate: number;
  /** Keras `power`. */
  readonly power: number;
  /** Keras `cycle`. */
  readonly cycle: boolean;
  /** Keras `name`. */
  readonly name: string | null;
  /** The emulated backend. */
  readonly backend: Backend;

  /**
   * Validates the options, once.
   *
   * @param options See {@linkcode PolynomialDecayOptions}.
   * @throws {TypeError} For an option of the wrong type or an unknown option.
   * @throws {RangeError} Where Keras raises `ValueError` (`decay_steps <= 0`), or for a number
   * that is not finite in float32.
   */
  constructor(options: PolynomialDecayOptions) {
    super();
    const owner = "PolynomialDecay";
    const o = requireOptions(owner, options, [
      "initialLearningRate",
      "decaySteps",
      "endLearningRate",
      "power",
      "cycle",
      "name",
      "backend",
    ]);
    this.initialLearningRate = float32Finite(owner, "initialLearningRate", o.initialLearningRate);
    this.decaySteps = positive(owner, "decaySteps", "decay_steps", o.decaySteps);
    this.endLearningRate = float32Finite(owner, "endLearningRate", o.endLearningRate ?? 0.0001);
    this.power = float32Finite(owner, "power", o.power ?? 1.0);
    this.cycle = boolean(owner, "cycle", o.cycle ?? false);
    this.name = nameOption(owner, o.name, "PolynomialDecay");
    this.backend = backendOption(owner, o.backend);
  }

  /**
   * The learning rate at `step`.
   *
   * @param step The optimizer's `iterations` (an int32).
   * @returns A float32 value.
   * @throws {RangeError} For a step that is not an int32, or where Keras' value is not finite.
   */
  call(step: number): number {
    checkStep("PolynomialDecay", step);
    const math = backendMath[this.backend];
    const init = f(this.initialLearningRate);
    const end = f(this.endLearningRate);
    const power = f(this.power);
    let global = f(step);
    let decay = f(this.decaySteps);
    if (this.cycle) {
      const multiplier = global === 0 ? 1 : Math.ceil(f(global / f(this.decaySteps)));
      decay = f(decay * multiplier);
    } else {
      global = Math.min(global, decay);
    }
    const p = f(global / decay);
    const value = f(f(f(init - end) * math.pow(f(1 - p), power)) + end);
    return finiteResult("PolynomialDecay", step, value);
  }

  /** Keras' `get_config()`. */
  getConfig(): {
    initial_learning_rate: number;
    decay_steps: number;
    end_learning_rate: number;
    power: number;
    cycle: boolean;
    name: string | null;
  } {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      end_learning_rate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }
}

// ------------------------------------------------------------------------------------------------
// InverseTimeDecay

/** Options of {@linkcode InverseTimeDecay}. */
export interface InverseTimeDecayOptions extends BackendOption {
  /** The initial learning rate (Keras `initial_learning_rate`). */
  initialLearningRate: number;
  /** How often to apply the decay (Keras `decay_steps`); must be > 0. */
  decaySteps: number;
  /** The decay rate (Keras `decay_rate`). */
  decayRate: number;
  /**
   * Decay at discrete intervals (Keras `staircase`).
   *
   * @default {false}
   */
  staircase?: boolean;
  /**
   * The name (Keras `name`).
   *
   * @default {"InverseTimeDecay"}
   */
  name?: string | null;
}

/**
 * Inverse time decay. Port of Keras `InverseTimeDecay` (Keras 3.15.1).
 *
 * ```text
 * p = step / decay_steps        (floor(p) with staircase)
 * lr = initial_learning_rate / (1 + decay_rate * p)        (every operation in float32)
 * ```
 *
 * @example
 * ```ts
 * import { InverseTimeDecay } from "@lrspec/lrspec/keras";
 * import assert from "node:assert/strict";
 *
 * const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
 * assert.equal(s.call(2), Math.fround(Math.fround(0.1) / 2));
 * ```
 */
export class InverseTimeDecay extends LearningRateSchedule {
  /** Keras `initial_learning_rate`. */
  readonly initialLearningRate: number;
  /** Keras `decay_steps`. */
  readonly decaySteps: number;
  /** Keras `decay_rate`. */
  readonly decayRate: number;
  /** Keras `staircase`. */
  readonly staircase: boolean;
  /** Keras `name`. */
  readonly name: string | null;
  /** The emulated backend. */
  readonly backend: Backend;

  /**
   * Validates the options, once.
   *
   * @param options See {@linkcode InverseTimeDecayOptions}.
   * @throws {TypeError} For an option of the wrong type or an unknown option.
   * @throws {RangeError} Where Keras raises `ValueError` (`decay_steps <= 0`), or for a number
   * that is not finite in float32.
   */
  constructor(options: InverseTimeDecayOptions) {
    super();
    const owner = "InverseTimeDecay";
    const o = requireOptions(owner, options, [
      "initialLearningRate",
      "decaySteps",
      "decayRate",
      "staircase",
      "name",
      "backend",
    ]);
    this.initialLearningRate = float32Finite(owner, "initialLearningRate", o.initialLearningRate);
    this.decaySteps = positive(owner, "decaySteps", "decay_steps", o.decaySteps);
    this.decayRate = float32Finite(owner, "decayRate", o.decayRate);
    this.staircase = boolean(owner, "staircase", o.staircase ?? false);
    this.name = nameOption(owner, o.name, "InverseTimeDecay");
    this.backend = backendOption(owner, o.backend);
  }

  /**
   * The learning rate at `step`.
   *
   * @param step The optimizer's `iterations` (an int32).
   * @returns A float32 value.
   * @throws {RangeError} For a step that is not an int32, or where Keras' value is not finite.
   */
  call(step: number): number {
    checkStep("InverseTimeDecay", step);
    let p = f(f(step) / f(this.decaySteps));
    if (this.staircase) p = Math.floor(p);
    const denominator = f(1 + f(f(this.decayRate) * p));
    const value = f(f(this.initialLearningRate) / denominator);
    return finiteResult("InverseTimeDecay", step, value);
  }

  /** Keras' `get_config()`. */
  getConfig(): {
    initial_learning_rate: number;
    decay_steps: number;
    decay_rate: number;
    staircase: boolean;
    name: string | null;
  } {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

// ------------------------------------------------------------------------------------------------
// CosineDecay

/** Options of {@linkcode CosineDecay}. */
export interface CosineDecayOptions extends BackendOption {
  /** The initial learning rate (Keras `initial_learning_rate`): where the warmup starts. */
  initialLearningRate: number;
  /** Steps to decay over (Keras `decay_steps`); must be > 0. */
  decaySteps: number;
  /**
   * The final learning rate as a fraction of the decay's start (Keras `alpha`).
   *
   * @default {0.0}
   */
  alpha?: number;
  /**
   * The name (Keras `name`).
   *
   * @default {"CosineDecay"}
   */
  name?: string | null;
  /**
   * The learning rate the warmup reaches, where the decay starts (Keras `warmup_target`);
   * `null` skips the warmup and decays from `initialLearningRate`.
   *
   * @default {null}
   */
  warmupTarget?: number | null;
  /**
   * Steps of linear warmup (Keras `warmup_steps`); only used with a `warmupTarget`.
   *
   * @default {0}
   */
  warmupSteps?: number;
}

/**
 * Cosine decay with an optional linear warmup. Port of Keras `CosineDecay` (Keras 3.15.1).
 *
 * ```text
 * decay(s, from) = from * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps)) + alpha)
 * no warmup_target:  lr = decay(min(step, decay_steps), initial_learning_rate)
 * with one:          s = min(step, decay_steps + warmup_steps)
 *                    lr = s < warmup_steps
 *                         ? (warmup_target - initial_learning_rate) * (s / warmup_steps)
 *                           + initial_learning_rate
 *                         : decay(s - warmup_steps, warmup_target)
 * ```
 *
 * every operation in float32, `pi` the float32 π, `1 - alpha` in double first (Python).
 *
 * @example A warmup to 0.1 over 1000 steps, then 1000 steps of cosine decay
 * ```ts
 * import { CosineDecay } from "@lrspec/lrspec/keras";
 * import assert from "node:assert/strict";
 *
 * // keras.optimizers.schedules.CosineDecay(0.0, 1000, warmup_target=0.1, warmup_steps=1000)
 * const s = new CosineDecay({ initialLearningRate: 0.0, decaySteps: 1000, warmupTarget: 0.1,
 *                             warmupSteps: 1000 });
 * assert.equal(s.call(0), 0);
 * assert.equal(s.call(1000), Math.fround(0.1));
 * assert.equal(s.call(2000), 0);
 * ```
 */
export class CosineDecay extends LearningRateSchedule {
  /** Keras `initial_learning_rate`. */
  readonly initialLearningRate: number;
  /** Keras `decay_steps`. */
  readonly decaySteps: number;
  /** Keras `alpha`. */
  readonly alpha: number;
  /** Keras `name`. */
  readonly name: string | null;
  /** Keras `warmup_target`. */
  readonly warmupTarget: number | null;
  /** Keras `warmup_steps`. */
  readonly warmupSteps: number;
  /** The emulated backend. */
  readonly backend: Backend;

  /**
   * Validates the options, once.
   *
   * @param options See {@linkcode CosineDecayOptions}.
   * @throws {TypeError} For an option of the wrong type or an unknown option.
   * @throws {RangeError} Where Keras raises `ValueError` (`decay_steps <= 0`), or for a number
   * that is not finite in float32.
   */
  constructor(options: CosineDecayOptions) {
    super();
    const owner = "CosineDecay";
    const o = requireOptions(owner, options, [
      "initialLearningRate",
      "decaySteps",
      "alpha",
      "name",
      "warmupTarget",
      "warmupSteps",
      "backend",
    ]);
    this.initialLearningRate = float32Finite(owner, "initialLearningRate", o.initialLearningRate);
    this.decaySteps = positive(owner, "decaySteps", "decay_steps", o.decaySteps);
    this.alpha = float32Finite(owner, "alpha", o.alpha ?? 0.0);
    this.name = nameOption(owner, o.name, "CosineDecay");
    this.warmupTarget = o.warmupTarget === undefined || o.warmupTarget === null
      ? null
      : float32Finite(owner, "warmupTarget", o.warmupTarget);
    this.warmupSteps = float32Finite(owner, "warmupSteps", o.warmupSteps ?? 0);
    this.backend = backendOption(owner, o.backend);
  }

  /** `_decay_function`; `fused`: inside JAX's compiled `lax.cond` branch (see `fmaf`). */
  #decay(step: number, decaySteps: number, from: number, fused: boolean): number {
    const completed = f(step / decaySteps);
    const cos = backendMath[this.backend].cos(f(PI32 * completed));
    const cosineDecayed = f(0.5 * f(1 + cos));
    const oneMinusAlpha = f(1 - this.alpha);
    const decayed = fused
      ? fmaf(oneMinusAlpha, cosineDecayed, f(this.alpha))
      : f(f(oneMinusAlpha * cosineDecayed) + f(this.alpha));
    return f(from * decayed);
  }

  /**
   * The learning rate at `step`.
   *
   * @param step The optimizer's `iterations` (an int32).
   * @returns A float32 value.
   * @throws {RangeError} For a step that is not an int32, or where Keras' value is not finite.
   */
  call(step: number): number {
    checkStep("CosineDecay", step);
    const init = f(this.initialLearningRate);
    const decaySteps = f(this.decaySteps);
    let global = f(step);
    let value: number;
    if (this.warmupTarget === null) {
      value = this.#decay(Math.min(global, decaySteps), decaySteps, init, false);
    } else {
      // ops.cond: on JAX a compiled lax.cond, whose branches XLA contracts into FMAs.
      const fused = this.backend === "jax";
      const target = f(this.warmupTarget);
      const warmupSteps = f(this.warmupSteps);
      global = Math.min(global, f(decaySteps + warmupSteps));
      if (global < warmupSteps) {
        const completed = f(global / warmupSteps);
        const delta = f(target - init);
        value = fused ? fmaf(delta, completed, init) : f(f(delta * completed) + init);
      } else {
        value = this.#decay(f(global - warmupSteps), decaySteps, target, fused);
      }
    }
    return finiteResult("CosineDecay", step, value);
  }

  /** Keras' `get_config()`. */
  getConfig(): {
    initial_learning_rate: number;
    decay_steps: number;
    alpha: number;
    name: string | null;
    warmup_target: number | null;
    warmup_steps: number;
  } {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmup_target: this.warmupTarget,
      warmup_steps: this.warmupSteps,
    };
  }
}

// ------------------------------------------------------------------------------------------------
// CosineDecayRestarts

/** Options of {@linkcode CosineDecayRestarts}. */
export interface CosineDecayRestartsOptions extends BackendOption {
  /** The initial learning rate (Keras `initial_learning_rate`). */
  initialLearningRate: number;
  /** Steps of the first decay (Keras `first_decay_steps`); must be > 0. */
  firstDecaySteps: number;
  /**
   * Each period is `tMul` times longer than the previous (Keras `t_mul`).
   *
   * @default {2.0}
   */
  tMul?: number;
  /**
   * Each restart starts at `mMul` times the previous peak (Keras `m_mul`).
   *
   * @default {1.0}
   */
  mMul?: number;
  /**
   * The minimum as a fraction of the peak (Keras `alpha`).
   *
   * @default {0.0}
   */
  alpha?: number;
  /**
   * The name (Keras `name`).
   *
   * @default {"SGDRDecay"}
   */
  name?: string | null;
}

/**
 * Cosine decay with warm restarts (SGDR). Port of Keras `CosineDecayRestarts` (Keras 3.15.1).
 *
 * ```text
 * c = step / first_decay_steps
 * t_mul == 1:  i = floor(c),  c = c - i
 * otherwise:   i = floor(log(1 - c * (1 - t_mul)) / log(t_mul))
 *              c = (c - (1 - t_mul^i) / (1 - t_mul)) / t_mul^i
 * lr = initial * ((1 - alpha) * (0.5 * m_mul^i) * (1 + cos(pi * c)) + alpha)
 * ```
 *
 * every operation in float32 (`log` and `pow` the backend's).
 *
 * @example
 * ```ts
 * import { CosineDecayRestarts } from "@lrspec/lrspec/keras";
 * import assert from "node:assert/strict";
 *
 * const s = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10 });
 * assert.equal(s.call(0), Math.fround(0.1));
 * assert.equal(s.call(10), Math.fround(0.1)); // the first restart; the next period is 20 steps
 * assert.equal(s.call(30), Math.fround(0.1));
 * ```
 */
export class CosineDecayRestarts extends LearningRateSchedule {
  /** Keras `initial_learning_rate`. */
  readonly initialLearningRate: number;
  /** Keras `first_decay_steps`. */
  readonly firstDecaySteps: number;
  /** Keras `t_mul`. */
  readonly tMul: number;
  /** Keras `m_mul`. */
  readonly mMul: number;
  /** Keras `alpha`. */
  readonly alpha: number;
  /** Keras `name`. */
  readonly name: string | null;
  /** The emulated backend. */
  readonly backend: Backend;

  /**
   * Validates the options, once.
   *
   * @param options See {@linkcode CosineDecayRestartsOptions}.
   * @throws {TypeError} For an option of the wrong type or an unknown option.
   * @throws {RangeError} Where Keras raises `ValueError` (`first_decay_steps <= 0`), or for a
   * number that is not finite in float32.
   */
  constructor(options: CosineDecayRestartsOptions) {
    super();
    const owner = "CosineDecayRestarts";
    const o = requireOptions(owner, options, [
      "initialLearningRate",
      "firstDecaySteps",
      "tMul",
      "mMul",
      "alpha",
      "name",
      "backend",
    ]);
    this.initialLearningRate = float32Finite(owner, "initialLearningRate", o.initialLearningRate);
    this.firstDecaySteps = positive(
      owner,
      "firstDecaySteps",
      "first_decay_steps",
      o.firstDecaySteps,
    );
    this.tMul = float32Finite(owner, "tMul", o.tMul ?? 2.0);
    this.mMul = float32Finite(owner, "mMul", o.mMul ?? 1.0);
    this.alpha = float32Finite(owner, "alpha", o.alpha ?? 0.0);
    this.name = nameOption(owner, o.name, "SGDRDecay");
    this.backend = backendOption(owner, o.backend);
  }

  /**
   * The learning rate at `step`.
   *
   * @param step The optimizer's `iterations` (an int32).
   * @returns A float32 value.
   * @throws {RangeError} For a step that is not an int32, or where Keras' value is not finite.
   */
  call(step: number): number {
    checkStep("CosineDecayRestarts", step);
    const math = backendMath[this.backend];
    const alpha = f(this.alpha);
    const tMul = f(this.tMul);
    const mMul = f(this.mMul);
    let completed = f(f(step) / f(this.firstDecaySteps));
    let restart: number;
    if (tMul === 1) {
      restart = Math.floor(completed);
      completed = f(completed - restart);
    } else if (this.backend === "jax") {
      // Inside JAX's compiled lax.cond branch, XLA rewrites two operations: 1 - c·(1 - t_mul)
      // becomes one fused multiply-add, and x / t_mul^i becomes x · t_mul^(-i).
      const oneMinusT = f(1 - tMul);
      restart = Math.floor(f(math.log(fmaf(-completed, oneMinusT, 1)) / math.log(tMul)));
      const sumR = f(f(1 - math.pow(tMul, restart)) / oneMinusT);
      completed = f(f(completed - sumR) * math.pow(tMul, -restart));
    } else {
      const oneMinusT = f(1 - tMul);
      restart = Math.floor(
        f(math.log(f(1 - f(completed * oneMinusT))) / math.log(tMul)),
      );
      const sumR = f(f(1 - math.pow(tMul, restart)) / oneMinusT);
      completed = f(f(completed - sumR) / math.pow(tMul, restart));
    }
    const mFac = math.pow(mMul, restart);
    const cos = math.cos(f(PI32 * completed));
    const cosineDecayed = f(f(0.5 * mFac) * f(1 + cos));
    const decayed = f(f(f(1 - alpha) * cosineDecayed) + alpha);
    const value = f(f(this.initialLearningRate) * decayed);
    return finiteResult("CosineDecayRestarts", step, value);
  }

  /** Keras' `get_config()`. */
  getConfig(): {
    initial_learning_rate: number;
    first_decay_steps: number;
    t_mul: number;
    m_mul: number;
    alpha: number;
    name: string | null;
  } {
    return {
      initial_learning_rate: this.initialLearningRate,
      first_decay_steps: this.firstDecaySteps,
      t_mul: this.tMul,
      m_mul: this.mMul,
      alpha: this.alpha,
      name: this.name,
    };
  }
}

// ------------------------------------------------------------------------------------------------
// serialize / deserialize

/** Keras' schedule classes by name. */
export const SCHEDULE_CLASSES = {
  ExponentialDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  InverseTimeDecay,
  CosineDecay,
  CosineDecayRestarts,
} as const;

/** The name of a Keras schedule class. */
export type ScheduleClassName = keyof typeof SCHEDULE_CLASSES;

/**
 * Keras' `keras.optimizers.schedules.serialize(schedule)`: `{module, class_name, config,
 * registered_name}`, as inside a `.keras` file's optimizer config.
 *
 * @param schedule A schedule of this module.
 * @returns The JSON-compatible object.
 *
 * @example
 * ```ts
 * import { CosineDecay, serialize } from "@lrspec/lrspec/keras";
 * import assert from "node:assert/strict";
 *
 * const json = serialize(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 }));
 * assert.equal(json.class_name, "CosineDecay");
 * assert.deepEqual(json.config, {
 *   initial_learning_rate: 0.1, decay_steps: 1000, alpha: 0, name: "CosineDecay",
 *   warmup_target: null, warmup_steps: 0,
 * });
 * ```
 */
export function serialize(schedule: LearningRateSchedule): SerializedSchedule {
  const name = (Object.keys(SCHEDULE_CLASSES) as ScheduleClassName[]).find((k) =>
    schedule instanceof SCHEDULE_CLASSES[k]
  );
  if (name === undefined) {
    throw optionError(
      TypeError,
      "serialize",
      "schedule",
      schedule,
      `not a Keras schedule of lrspec: got ${show(schedule)}`,
    );
  }
  return {
    module: "keras.optimizers.schedules",
    class_name: name,
    config: schedule.getConfig(),
    registered_name: null,
  };
}

const camel = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Each class's keyword arguments, as its `get_config()` writes them. */
const CONFIG_KEYS: Readonly<Record<ScheduleClassName, readonly string[]>> = {
  ExponentialDecay: ["initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name"],
  PiecewiseConstantDecay: ["boundaries", "values", "name"],
  PolynomialDecay: [
    "initial_learning_rate",
    "decay_steps",
    "end_learning_rate",
    "power",
    "cycle",
    "name",
  ],
  InverseTimeDecay: ["initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name"],
  CosineDecay: [
    "initial_learning_rate",
    "decay_steps",
    "alpha",
    "name",
    "warmup_target",
    "warmup_steps",
  ],
  CosineDecayRestarts: [
    "initial_learning_rate",
    "first_decay_steps",
    "t_mul",
    "m_mul",
    "alpha",
    "name",
  ],
};

/**
 * Keras' `keras.optimizers.schedules.deserialize(config)` (and `Schedule.from_config`): builds
 * a schedule from `{"class_name", "config"}` — `serialize()`'s output, a `.keras` file's
 * optimizer `"learning_rate"` entry, or the older `{"class_name", "config"}` form without
 * `module`. The config's keys are Keras' (snake_case); an unknown one is a `TypeError`, as
 * `cls(**config)` raises.
 *
 * @param json The serialized schedule (an object, or its JSON text).
 * @param options `{ backend? }`: the backend to emulate (default `"jax"`).
 * @returns The schedule.
 * @throws {TypeError} For a shape that is not a serialized Keras schedule, an unknown class
 * (Keras: `TypeError: Could not locate class`), or an unknown config key.
 * @throws {RangeError} Where the constructor throws.
 *
 * @example The "learning_rate" of an optimizer config
 * ```ts
 * import { deserialize } from "@lrspec/lrspec/keras";
 * import assert from "node:assert/strict";
 *
 * const schedule = deserialize({
 *   module: "keras.optimizers.schedules",
 *   class_name: "ExponentialDecay",
 *   config: { initial_learning_rate: 0.1, decay_steps: 100000, decay_rate: 0.96,
 *             staircase: true, name: "ExponentialDecay" },
 *   registered_name: null,
 * }, { backend: "torch" });
 * assert.equal(schedule.call(0), Math.fround(0.1));
 * assert.equal(schedule.backend, "torch");
 * ```
 */
export function deserialize(
  json: unknown,
  options: BackendOption = {},
): LearningRateSchedule {
  const owner = "deserialize";
  const data = typeof json === "string" ? parseJson(json) : json;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw optionError(
      TypeError,
      owner,
      "json",
      json,
      `expected a serialized Keras schedule ({"class_name", "config"}): got ${show(data)}`,
    );
  }
  const { class_name: className, config, registered_name: registered, module } = data as Record<
    string,
    unknown
  >;
  if (typeof className !== "string") {
    throw optionError(
      TypeError,
      owner,
      "class_name",
      className,
      `\`class_name\` must be a string: got ${show(className)}`,
    );
  }
  if (
    !Object.hasOwn(SCHEDULE_CLASSES, className) ||
    (registered !== undefined && registered !== null && registered !== className) ||
    (module !== undefined && module !== null &&
      !(typeof module === "string" && module.startsWith("keras.")))
  ) {
    throw optionError(
      TypeError,
      owner,
      "class_name",
      className,
      `Could not locate class '${className}' (module ${show(module)}): lrspec knows ` +
        `Keras' ${Object.keys(SCHEDULE_CLASSES).join(", ")}`,
    );
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw optionError(
      TypeError,
      owner,
      "config",
      config,
      `\`config\` must be an object: got ${show(config)}`,
    );
  }
  const backend = backendOption(owner, options.backend);
  return fromConfig(className as ScheduleClassName, config as Record<string, unknown>, backend);
}

/**
 * `cls.from_config(config)`: the schedule `className` built from Keras' `get_config()` dict.
 *
 * @param className A Keras schedule class name.
 * @param config Its config (snake_case keys).
 * @param backend The backend to emulate.
 * @returns The schedule.
 * @throws {TypeError | RangeError} As {@linkcode deserialize}.
 */
export function fromConfig(
  className: ScheduleClassName,
  config: Readonly<Record<string, unknown>>,
  backend: Backend = "jax",
): LearningRateSchedule {
  const known = CONFIG_KEYS[className];
  const options: Record<string, unknown> = { backend };
  for (const [key, value] of Object.entries(config)) {
    if (!known.includes(key)) {
      throw optionError(
        TypeError,
        className,
        key,
        value,
        `from_config: ${className}.__init__() got an unexpected keyword argument ` +
          `'${key}' (Keras' keys: ${known.join(", ")})`,
      );
    }
    options[camel(key)] = value;
  }
  const Cls = SCHEDULE_CLASSES[className] as unknown as new (
    o: Record<string, unknown>,
  ) => LearningRateSchedule;
  return new Cls(options);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`deserialize: not JSON: ${(error as Error).message}`, {
      cause: { owner: "deserialize", option: "json", value: text },
    });
  }
}
