/**
 * Python's float operations as timm's schedulers evaluate them, raising where Python raises
 * (private to `schedules/timm/`): true and floor division, `**`, and `math.log(x, base)`.
 *
 * @module
 */

import { libm } from "../math.ts";

/** Python's `a / b` on floats; a zero divisor raises (`ZeroDivisionError`). */
export function trueDiv(owner: string, a: number, b: number): number {
  if (b === 0) {
    throw new RangeError(`${owner}: float division by zero (timm raises ZeroDivisionError)`);
  }
  return a / b;
}

/**
 * Python's `a // b` (CPython's `float_floor_div`: `fmod`, then the rounding correction), which
 * equals the exact floor for integers below 2^53 and can differ from `Math.floor(a / b)` for
 * fractional operands.
 */
export function floorDiv(owner: string, a: number, b: number): number {
  if (b === 0) {
    throw new RangeError(
      `${owner}: integer division or modulo by zero (timm raises ZeroDivisionError)`,
    );
  }
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && (b < 0) !== (mod < 0)) {
    mod += b;
    div -= 1.0;
  }
  if (div === 0) return (a / b < 0 || Object.is(a / b, -0)) ? -0 : 0;
  let floored = Math.floor(div);
  if (div - floored > 0.5) floored += 1.0;
  return floored;
}

/**
 * Python's `x ** y` on floats through {@linkcode libm}: raises where Python raises, and where
 * Python's result would be a complex number.
 */
export function pyPow(owner: string, x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  // x ** 1 is x in Python: glibc's pow is within 0.52 ULP of the exact value, here x itself.
  if (y === 1) return x;
  if (x === 0 && y < 0) {
    throw new RangeError(
      `${owner}: 0.0 cannot be raised to a negative power (${y}) (timm raises ZeroDivisionError)`,
    );
  }
  if (x < 0 && !Number.isInteger(y)) {
    throw new RangeError(
      `${owner}: ${x} ** ${y} is a complex number in Python (timm fails or writes a complex rate)`,
    );
  }
  const result = libm.pow(x, y);
  if (!Number.isFinite(result)) {
    throw new RangeError(`${owner}: ${x} ** ${y} overflows (timm raises OverflowError)`);
  }
  return result;
}

/** Python's one-argument `math.log(x)`: `ValueError` ("math domain error") for `x <= 0`. */
function mathLog(owner: string, x: number): number {
  if (!(x > 0)) {
    throw new RangeError(`${owner}: math domain error: log(${x}) (timm raises ValueError)`);
  }
  return libm.log(x);
}

/** Python's `math.log(x, base)`: `log(x) / log(base)`, with Python's errors. */
export function logBase(owner: string, x: number, base: number): number {
  return trueDiv(owner, mathLog(owner, x), mathLog(owner, base));
}
