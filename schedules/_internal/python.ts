/**
 * Python's float semantics where JavaScript's differ, shared by the ports: true division and
 * `**` that raise where Python raises, `max`/`min` with Python's tie rule, and `bisect_right`.
 * Private to `schedules/`.
 *
 * @module
 */

import { libm } from "../math.ts";

/**
 * Python's `a / b` on floats: IEEE division, except that a zero divisor raises (Python's
 * `ZeroDivisionError`) instead of producing an infinity or NaN.
 *
 * @throws {RangeError} If `b` is zero, naming `owner` and the upstream error (raised by
 * `upstream`, torch unless said otherwise).
 */
export function trueDiv(owner: string, a: number, b: number, upstream = "torch"): number {
  if (b === 0) {
    throw new RangeError(`${owner}: float division by zero (${upstream} raises ZeroDivisionError)`);
  }
  return a / b;
}

/**
 * Python's `a % b` on floats: the remainder has the sign of `b` (`-0.25 % 1.0 == 0.75`), where
 * JavaScript's `%` keeps the sign of `a`. CPython's `float_rem`: `fmod`, then `b` added when
 * the signs differ; a zero remainder takes the sign of `b`.
 *
 * @throws {RangeError} If `b` is zero (Python's `ZeroDivisionError`).
 */
export function floatMod(owner: string, a: number, b: number, upstream = "torch"): number {
  if (b === 0) {
    throw new RangeError(`${owner}: float modulo by zero (${upstream} raises ZeroDivisionError)`);
  }
  let mod = a % b; // C's fmod: exact
  if (mod !== 0) {
    if ((b < 0) !== (mod < 0)) mod += b;
  } else {
    mod = b < 0 ? -0 : 0;
  }
  return mod;
}

/** Python's `f"{x:.4e}"` for a finite float (`1.0000e-05`). */
export function formatExp4(x: number): string {
  const [mantissa, exponent] = x.toExponential(4).split("e") as [string, string];
  const sign = exponent.startsWith("-") ? "-" : "+";
  return `${mantissa}e${sign}${exponent.replace(/^[-+]/, "").padStart(2, "0")}`;
}

/**
 * Python's `x ** y` on finite floats, through {@linkcode libm}: raises where Python raises or
 * where Python's result would be complex, instead of returning an infinity or NaN.
 *
 * @throws {RangeError} For `0 ** negative` (Python `ZeroDivisionError`), a negative base with a
 * fractional exponent (Python returns a complex number) and an overflowing result (Python
 * `OverflowError`).
 */
export function floatPow(owner: string, x: number, y: number, upstream = "torch"): number {
  if (y === 0) return 1;
  if (x === 0 && y < 0) {
    throw new RangeError(
      `${owner}: 0.0 cannot be raised to a negative power (${y}) (${upstream} raises ZeroDivisionError)`,
    );
  }
  if (x < 0 && !Number.isInteger(y)) {
    throw new RangeError(
      `${owner}: ${x} ** ${y} is a complex number in Python; refusing to produce NaN`,
    );
  }
  const result = libm.pow(x, y);
  if (!Number.isFinite(result)) {
    throw new RangeError(`${owner}: ${x} ** ${y} overflows (Python raises OverflowError)`);
  }
  return result;
}

/** Python's `max(a, b)` on floats: the first argument unless the second is greater. */
export function pyMax(a: number, b: number): number {
  return b > a ? b : a;
}

/** Python's `min(a, b)` on floats: the first argument unless the second is smaller. */
export function pyMin(a: number, b: number): number {
  return b < a ? b : a;
}

/**
 * {@linkcode bisectRight} on a `Float64Array`: a separate function so that the schedules' hot
 * paths stay monomorphic (engines optimise a typed-array loop far better than one that also sees
 * frozen arrays, which JavaScriptCore reads through a slow path).
 */
export function bisectRightF64(sorted: Float64Array, x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < sorted[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Python's `bisect.bisect_right(sorted, x)`: the number of entries `<= x`. */
export function bisectRight(sorted: ArrayLike<number>, x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < sorted[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
