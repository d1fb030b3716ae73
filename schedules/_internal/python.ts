/**
 * Python's semantics where JavaScript's differ, shared by the ports: true division and `**` that
 * raise where Python raises, `max` with Python's tie rule, `bisect_right` and list indexing.
 * Private to `schedules/`.
 *
 * @module
 */

import { libm } from "../math.ts";

/**
 * Python's `a / b` on floats: IEEE division, except that a zero divisor raises (Python's
 * `ZeroDivisionError`) instead of producing an infinity or NaN.
 *
 * @throws {RangeError} If `b` is zero, naming `owner` and the upstream error.
 */
export function trueDiv(owner: string, a: number, b: number): number {
  if (b === 0) {
    throw new RangeError(`${owner}: float division by zero (torch raises ZeroDivisionError)`);
  }
  return a / b;
}

/**
 * Python's `x ** y` on finite floats, through {@linkcode libm}: raises where Python raises or
 * where Python's result would be complex, instead of returning an infinity or NaN.
 *
 * @throws {RangeError} For `0 ** negative` (Python `ZeroDivisionError`), a negative base with a
 * fractional exponent (Python returns a complex number) and an overflowing result (Python
 * `OverflowError`).
 */
export function floatPow(owner: string, x: number, y: number): number {
  if (y === 0) return 1;
  if (x === 0 && y < 0) {
    throw new RangeError(
      `${owner}: 0.0 cannot be raised to a negative power (${y}) (torch raises ZeroDivisionError)`,
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

/** {@linkcode bisectRight} on a `Float64Array` (see BENCH.md § Optimisations for why twice). */
export function bisectRightF64(sorted: Float64Array, x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < sorted[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Python's list indexing: the position that `values[index]` reads in a list of `length` values
 * (a negative index counts from the end), or -1 where Python raises `IndexError`.
 */
export function listIndex(index: number, length: number): number {
  const i = index < 0 ? index + length : index;
  return i >= 0 && i < length ? i : -1;
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
