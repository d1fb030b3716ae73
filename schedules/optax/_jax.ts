/**
 * JAX's arithmetic, as optax's schedules meet it, in the two precisions a JAX program runs in.
 *
 * optax evaluates a schedule on the step count, a JAX integer array, mixed with Python scalars
 * (the schedule's parameters). JAX's type promotion decides what each operation computes in:
 *
 * - `"float32"` — JAX's default (`jax_enable_x64` off): the count is int32; integer arithmetic
 *   with Python ints stays int32 (and wraps around); true division of integers, and every
 *   operation mixing an integer array with a Python float, gives float32; a Python float that
 *   meets a float32 array is *weakly typed* and becomes float32 (rounded to nearest). Every
 *   operation rounds its result to float32.
 * - `"float64"` — `jax_enable_x64` on: the count is int64 and floats are float64, which is plain
 *   JavaScript arithmetic.
 *
 * Arithmetic between Python scalars alone (`init_value - end_value`) is Python's, in double
 * precision, before any of this; the ports do it in plain JavaScript and pass the result through
 * {@linkcode JaxArith.float} where it meets the array.
 *
 * Rounding a double-precision `+ − × ÷` of two float32 values to float32 gives the correctly
 * rounded float32 operation (53 ≥ 2·24 + 2: double rounding is innocuous), so `Math.fround` of
 * the JavaScript operation is exactly XLA's float32 operation.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { libm } from "../math.ts";
import { integer, oneOf, show } from "../_internal/validate.ts";

/** A JAX floating-point dtype: `"float32"` (JAX's default) or `"float64"` (`jax_enable_x64`). */
export type Dtype = "float32" | "float64";

/** The dtypes, in the order error messages list them. */
export const DTYPES: readonly Dtype[] = ["float32", "float64"];

/** JAX's arithmetic in one dtype. */
export interface JaxArith {
  /** The float dtype: float32 (int32 counts) or float64 (int64 counts). */
  readonly dtype: Dtype;
  /** The smallest integer JAX (or, for int64, a JavaScript number exactly) holds. */
  readonly intMin: number;
  /** The largest integer JAX (or, for int64, a JavaScript number exactly) holds. */
  readonly intMax: number;
  /**
   * A Python scalar or an integer array element meeting a float array: `jnp.asarray(x)` in the
   * float dtype (float32: rounded to nearest; float64: unchanged).
   */
  float(x: number): number;
  /** `a + b` of two float array elements. */
  add(a: number, b: number): number;
  /** `a - b`. */
  sub(a: number, b: number): number;
  /** `a * b`. */
  mul(a: number, b: number): number;
  /** `a / b`. */
  div(a: number, b: number): number;
  /** `a - b` of integers, in int32 (wrapping around, as XLA's integer arithmetic does) or int64. */
  isub(a: number, b: number): number;
  /** `jnp.cos(x)`: the C library's `cos` (float64) or `cosf` (float32), through {@linkcode libm}. */
  cos(x: number): number;
  /** `x ** y` for a float `y` (`lax.pow`): libm's `pow` or `powf`. */
  pow(x: number, y: number): number;
}

const FLOAT32: JaxArith = {
  dtype: "float32",
  intMin: -(2 ** 31),
  intMax: 2 ** 31 - 1,
  float: Math.fround,
  add: (a, b) => Math.fround(a + b),
  sub: (a, b) => Math.fround(a - b),
  mul: (a, b) => Math.fround(a * b),
  div: (a, b) => Math.fround(a / b),
  isub: (a, b) => (a - b) | 0,
  cos: (x) => libm.cosf(x),
  pow: (x, y) => libm.powf(x, y),
};

const FLOAT64: JaxArith = {
  dtype: "float64",
  intMin: -Number.MAX_SAFE_INTEGER,
  intMax: Number.MAX_SAFE_INTEGER,
  float: (x) => x,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  isub: (a, b) => a - b,
  cos: (x) => libm.cos(x),
  pow: (x, y) => libm.pow(x, y),
};

/** The arithmetic of a dtype. */
export function jaxArith(dtype: Dtype): JaxArith {
  return dtype === "float32" ? FLOAT32 : FLOAT64;
}

/** Validates the `dtype` option (default `"float32"`, JAX's default) and returns its arithmetic. */
export function dtypeOption(owner: string, value: unknown): JaxArith {
  return jaxArith(oneOf(owner, "dtype", value ?? "float32", DTYPES));
}

/**
 * An integer parameter that JAX turns into an integer array (a Python int meeting the count):
 * within int32 for float32 (JAX raises `OverflowError` beyond), a safe integer for float64.
 */
export function intOption(owner: string, name: string, value: unknown, jax: JaxArith): number {
  const what = jax.dtype === "float32"
    ? "an integer within int32 (JAX raises OverflowError beyond it without jax_enable_x64)"
    : "a safe integer";
  return integer(owner, name, value, what, (x) => x >= jax.intMin && x <= jax.intMax);
}

/**
 * An exponent: a `number` is a Python float (`x ** y` is `lax.pow`, libm's `pow`/`powf`); a
 * `bigint` is a Python int (`x ** k` is `lax.integer_pow`, repeated multiplication).
 */
export function exponentOption(owner: string, name: string, value: unknown): number | bigint {
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw optionError(
        RangeError,
        owner,
        name,
        value,
        `\`${name}\` must be a safe integer: got ${show(value)}`,
      );
    }
    return value;
  }
  if (typeof value !== "number") {
    throw optionError(
      TypeError,
      owner,
      name,
      value,
      `\`${name}\` must be a number (a Python float) or a bigint (a Python int): got ${
        show(value)
      }`,
    );
  }
  if (!Number.isFinite(value)) {
    throw optionError(
      RangeError,
      owner,
      name,
      value,
      `\`${name}\` must be finite: got ${show(value)}`,
    );
  }
  return value;
}

/**
 * `lax.integer_pow(x, k)`, as JAX lowers `x ** k` for a Python int `k`: binary exponentiation,
 * each product rounded in the dtype; `1 / x ** |k|` for a negative `k`; `1` for `k = 0`.
 */
export function integerPow(jax: JaxArith, x: number, k: number): number {
  if (k === 0) return 1;
  let y = Math.abs(k);
  let acc: number | undefined;
  let base = x;
  while (y > 0) {
    if (y % 2 === 1) acc = acc === undefined ? base : jax.mul(acc, base);
    y = Math.floor(y / 2);
    if (y > 0) base = jax.mul(base, base);
  }
  return k < 0 ? jax.div(1, acc!) : acc!;
}

/** `x ** exponent`, by `lax.integer_pow` for a Python int exponent and `lax.pow` for a float. */
export function raiseTo(jax: JaxArith, exponent: number | bigint): (x: number) => number {
  if (typeof exponent === "bigint") {
    const k = Number(exponent);
    return (x) => integerPow(jax, x, k);
  }
  const y = jax.float(exponent);
  return (x) => jax.pow(x, y);
}

/** Throws unless `count` is an integer step JAX can hold (int32, or int64 within 2^53). */
export function checkCount(owner: string, count: number, jax: JaxArith): void {
  if (typeof count !== "number") {
    throw optionError(
      TypeError,
      owner,
      "count",
      count,
      `\`count\` must be a number: got ${show(count)}`,
    );
  }
  if (!Number.isInteger(count) || count > jax.intMax || count < jax.intMin) {
    throw optionError(
      RangeError,
      owner,
      "count",
      count,
      `\`count\` must be an integer step ${
        jax.dtype === "float32" ? "within int32 (JAX's default integer)" : "within ±(2^53 − 1)"
      }: got ${show(count)}`,
    );
  }
}

/** Returns a schedule's value, or throws where optax would return NaN or ±Infinity. */
export function finiteResult(owner: string, count: number, value: number): number {
  if (value - value !== 0) {
    throw optionError(
      RangeError,
      owner,
      "count",
      count,
      `the value at count=${count} is ${value} (optax returns a non-finite value here)`,
    );
  }
  return value;
}
