/**
 * Python's semantics where JavaScript's differ, in one place for every family: true and floor
 * division, `%`, `**` and `math.log(x, base)` that raise where Python raises
 * (`ZeroDivisionError`, `ValueError`, `OverflowError`; the message names the upstream that
 * raises), `max` with Python's tie rule, `f"{x:.4e}"`, `bisect_right`, list indexing and `sum`.
 * Private to `schedules/`.
 *
 * @module
 */

import { libm } from "../math.ts";

/**
 * The option an arithmetic error is about, when the caller knows it (`decayT` for `t // decayT`):
 * the error then carries `{ owner, option, value }` as its `cause`, as option errors do. A string
 * names the option of the operand that decides (its value): the divisor of `/`, `//` and `%`,
 * the exponent of `**`, the base of `math.log(x, base)`.
 */
export interface Blame {
  /** The option. */
  readonly option: string;
  /** Its value. */
  readonly value: unknown;
}

function arithmeticError(
  owner: string,
  message: string,
  blame: Blame | string | undefined,
  operand?: number,
): RangeError {
  const text = `${owner}: ${message}`;
  if (blame === undefined) return new RangeError(text);
  const about = typeof blame === "string" ? { option: blame, value: operand } : blame;
  return new RangeError(text, { cause: { owner, option: about.option, value: about.value } });
}

/**
 * Python's `a / b` on floats: IEEE division, except that a zero divisor raises (Python's
 * `ZeroDivisionError`) instead of producing an infinity or NaN.
 *
 * @throws {RangeError} If `b` is zero, naming `owner` and the upstream error (raised by
 * `upstream`, torch unless said otherwise).
 */
export function trueDiv(
  owner: string,
  a: number,
  b: number,
  upstream = "torch",
  blame?: Blame | string,
): number {
  if (b === 0) {
    throw arithmeticError(
      owner,
      `float division by zero (${upstream} raises ZeroDivisionError)`,
      blame,
      b,
    );
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
export function floatMod(
  owner: string,
  a: number,
  b: number,
  upstream = "torch",
  blame?: Blame | string,
): number {
  if (b === 0) {
    throw arithmeticError(
      owner,
      `float modulo by zero (${upstream} raises ZeroDivisionError)`,
      blame,
      b,
    );
  }
  let mod = a % b; // C's fmod: exact
  if (mod !== 0) {
    if ((b < 0) !== (mod < 0)) mod += b;
  } else {
    mod = b < 0 ? -0 : 0;
  }
  return mod;
}

/**
 * Python's `f"{x:.4e}"` for a finite float (`1.0000e-05`): the value correctly rounded to five
 * significant digits, an exact tie to even (`1.03125` → `1.0312e+00`, where JavaScript's
 * `toExponential(4)` rounds ties up to `1.0313e+0`).
 */
export function formatExp4(x: number): string {
  let text = x.toExponential(4);
  // A tie is a double whose exact decimal expansion ends at its sixth significant digit, a 5.
  // 25 digits show any other double's deviation from that decimal (at most ~17 digits deep).
  const exact = /^(-?)(\d)\.(\d{4})(\d)(\d*)e([-+]\d+)$/.exec(x.toExponential(25));
  if (exact !== null && exact[4] === "5" && /^0*$/.test(exact[5]!)) {
    const [, sign, lead, frac] = exact;
    const kept = BigInt(lead! + frac!);
    if (kept % 2n === 0n) text = `${sign}${lead}.${frac}e${exact[6]!.replace(/^\+/, "+")}`;
  }
  const [mantissa, exponent] = text.split("e") as [string, string];
  const expSign = exponent.startsWith("-") ? "-" : "+";
  return `${mantissa}e${expSign}${exponent.replace(/^[-+]/, "").padStart(2, "0")}`;
}

/**
 * Python's `x ** y` on finite floats, through {@linkcode libm}: raises where Python raises or
 * where Python's result would be complex, instead of returning an infinity or NaN.
 *
 * @throws {RangeError} For `0 ** negative` (Python `ZeroDivisionError`), a negative base with a
 * fractional exponent (Python returns a complex number) and an overflowing result (Python
 * `OverflowError`).
 */
export function floatPow(
  owner: string,
  x: number,
  y: number,
  upstream = "torch",
  blame?: Blame | string,
): number {
  if (y === 0 || x === 1) return 1;
  // x ** 1 is x in Python: glibc's pow is within 0.52 ULP of the exact value, here x itself.
  if (y === 1) return x;
  if (x === 0 && y < 0) {
    throw arithmeticError(
      owner,
      `0.0 cannot be raised to a negative power (${y}) (${upstream} raises ZeroDivisionError)`,
      blame,
      y,
    );
  }
  if (x < 0 && !Number.isInteger(y)) {
    throw arithmeticError(
      owner,
      `${x} ** ${y} is a complex number in Python (${upstream} fails or writes a ` +
        `complex rate; lrspec refuses to produce NaN)`,
      blame,
      y,
    );
  }
  const result = libm.pow(x, y);
  if (!Number.isFinite(result)) {
    throw arithmeticError(owner, `${x} ** ${y} overflows (Python raises OverflowError)`, blame, y);
  }
  return result;
}

/**
 * Python's `a // b` on floats (CPython's `float_floor_div`: `fmod`, then the rounding
 * correction), which equals the exact floor for integers below 2^53 and can differ from
 * `Math.floor(a / b)` for fractional operands.
 *
 * @throws {RangeError} If `b` is zero (Python's `ZeroDivisionError`).
 */
export function floorDiv(
  owner: string,
  a: number,
  b: number,
  upstream = "torch",
  blame?: Blame | string,
): number {
  if (b === 0) {
    throw arithmeticError(
      owner,
      `integer division or modulo by zero (${upstream} raises ZeroDivisionError)`,
      blame,
      b,
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

/** Python's one-argument `math.log(x)`: `ValueError` ("math domain error") for `x <= 0`. */
function mathLog(
  owner: string,
  x: number,
  upstream: string,
  blame: Blame | string | undefined,
  base: number,
): number {
  if (!(x > 0)) {
    throw arithmeticError(
      owner,
      `math domain error: log(${x}) (${upstream} raises ValueError)`,
      blame,
      base,
    );
  }
  return libm.log(x);
}

/**
 * Python's `math.log(x, base)`: `log(x) / log(base)`, with Python's errors.
 *
 * @throws {RangeError} For `x <= 0` or `base <= 0` (`ValueError`), `base` 1 (`ZeroDivisionError`).
 */
export function logBase(
  owner: string,
  x: number,
  base: number,
  upstream = "torch",
  blame?: Blame | string,
): number {
  const num = mathLog(owner, x, upstream, blame, base);
  const den = mathLog(owner, base, upstream, blame, base);
  if (den === 0) {
    throw arithmeticError(
      owner,
      `float division by zero (${upstream} raises ZeroDivisionError)`,
      blame,
      base,
    );
  }
  return num / den;
}

/** Python's `max(a, b)` on floats: the first argument unless the second is greater. */
export function pyMax(a: number, b: number): number {
  return b > a ? b : a;
}

/** Python's `min(a, b)` on floats: the first argument unless the second is smaller. */
export function pyMin(a: number, b: number): number {
  return b < a ? b : a;
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

/**
 * Python's `sum(xs)` of floats (start: the int `0`), as the given CPython release computes it.
 *
 * - `"3.11"` (and earlier): `((0 + x0) + x1) + …`, left to right, one rounding per addition.
 * - `"3.12"` (and later): CPython 3.12's `builtin_sum_impl` (`Python/bltinmodule.c`). The int
 *   fast path turns `0 + x0` into the float `x0`; the float fast path then adds the remaining
 *   items with Neumaier's compensated summation ("Improved Kahan–Babuška algorithm by Arnold
 *   Neumaier"), and adds the compensation once at the end when it is non-zero and finite:
 *
 *   ```text
 *   f = 0 + x0; c = 0
 *   for x in x1, x2, …:  t = f + x
 *                        c += |f| >= |x| ? (f − t) + x : (x − t) + f
 *                        f = t
 *   return c ≠ 0 and c finite ? f + c : f
 *   ```
 *
 * JavaScript cannot tell `1` from `1.0`: every item is treated as a Python float.
 */
export function pySum(xs: readonly number[], python: "3.11" | "3.12"): number {
  const n = xs.length;
  if (n === 0) return 0;
  let f = 0 + xs[0]!;
  if (python === "3.11") {
    for (let i = 1; i < n; i++) f = f + xs[i]!;
    return f;
  }
  let c = 0.0;
  for (let i = 1; i < n; i++) {
    const x = xs[i]!;
    const t = f + x;
    if (Math.abs(f) >= Math.abs(x)) c += (f - t) + x;
    else c += (x - t) + f;
    f = t;
  }
  if (c !== 0 && Number.isFinite(c)) f += c;
  return f;
}
