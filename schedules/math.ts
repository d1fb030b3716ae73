/**
 * Exact arithmetic helpers and the single place where the ports call the runtime's `cos`, `pow`
 * and `log`.
 *
 * Upstream (CPython on glibc) computes `math.cos(x)`, `x ** y` and `math.log(x)` with glibc's
 * libm. JavaScript
 * runtimes ship their own: V8's `Math.cos` is fdlibm's, JavaScriptCore computes `x ** k` for
 * integer `k` by repeated multiplication. Everything else the schedules do is plain IEEE-754
 * arithmetic, which is the same everywhere. Routing every libm call through {@linkcode libm}
 * keeps that boundary explicit and lets the conformance suite substitute glibc's recorded results
 * to prove that all remaining arithmetic is bit-identical to upstream.
 *
 * @module
 */

/** The libm functions the schedules use. */
interface Libm {
  /** `cos(x)`, as Python's `math.cos`. */
  cos(x: number): number;
  /** `x ** y` for doubles, as Python's `float.__pow__` / `math.pow`. */
  pow(x: number, y: number): number;
  /** The natural logarithm, as Python's one-argument `math.log` (used by torch's SGDR restarts). */
  log(x: number): number;
}

/** Splits a finite double into an odd-or-normalised integer significand and a binary exponent. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  return biased === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | 0x10000000000000n, exponent: biased - 1075 };
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds the exact positive rational `num / den * 2 ** exp2` to the nearest double, ties to even,
 * with gradual underflow and overflow to `Infinity`, as IEEE-754 prescribes.
 */
export function roundRational(num: bigint, den: bigint, exp2: number): number {
  if (num === 0n) return 0;
  // Choose s so that num * 2^s / den has 53 integer bits (or fewer, for subnormal results).
  let s = 53 - (bitLength(num) - bitLength(den));
  const scaled = (shift: number): bigint =>
    shift >= 0 ? (num << BigInt(shift)) / den : num / (den << BigInt(-shift));
  let q = scaled(s);
  if (q >= 1n << 53n) s -= 1;
  else if (q < 1n << 52n) s += 1;
  // Leading bit of the value sits at 2^(52 + exp2 - s); subnormals have a fixed quantum 2^-1074.
  if (exp2 - s < -1074) s = exp2 + 1074;
  const n = s >= 0 ? num << BigInt(s) : num;
  const d = s >= 0 ? den : den << BigInt(-s);
  q = n / d;
  const twiceRemainder = (n - q * d) * 2n;
  if (twiceRemainder > d || (twiceRemainder === d && (q & 1n) === 1n)) q += 1n;
  const e = exp2 - s;
  if (e > 971) return Infinity; // q >= 2^52 here, so the value is at least 2^1024
  return Number(q) * 2 ** e;
}

/** Exact `x ** k` for a finite double `x` and integer `k`, rounded once (BigInt arithmetic). */
function powIntExact(x: number, k: number): number {
  const negative = x < 0 && k % 2 !== 0;
  const { mantissa, exponent } = decompose(Math.abs(x));
  const kk = BigInt(Math.abs(k));
  let result: number;
  if (k > 0) {
    result = roundRational(mantissa ** kk, 1n, exponent * Math.abs(k));
  } else {
    result = roundRational(1n, mantissa ** kk, -exponent * Math.abs(k));
  }
  return negative ? -result : result;
}

// Error-free transformations (Dekker) for a fast double-double power.
const SPLITTER = 134217729; // 2^27 + 1

function ddMul(ah: number, al: number, bh: number, bl: number, out: Float64Array): void {
  const p = ah * bh;
  let c = SPLITTER * ah;
  const ahh = c - (c - ah);
  const ahl = ah - ahh;
  c = SPLITTER * bh;
  const bhh = c - (c - bh);
  const bhl = bh - bhh;
  let e = ((ahh * bhh - p) + ahh * bhl + ahl * bhh) + ahl * bhl;
  e += ah * bl + al * bh;
  const s = p + e;
  out[0] = s;
  out[1] = e - (s - p);
}

const scratch = new Float64Array(2);
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: word 1

/** The exponent of ulp(d) for a positive normal double, and whether d is a power of two. */
function ulpExponent(d: number): { exponent: number; isPowerOfTwo: boolean } {
  f64[0] = d;
  const hi = u32[HI]!;
  const lo = u32[1 - HI]!;
  return { exponent: ((hi >>> 20) & 0x7ff) - 1075, isPowerOfTwo: (hi & 0xfffff) === 0 && lo === 0 };
}
const acc = new Float64Array(2);

/**
 * Exact BigInt arithmetic costs time and memory proportional to |k| (a 53·|k|-bit integer), so
 * it is only used up to this |k|: at most a few milliseconds.
 */
const EXACT_POW_LIMIT = 2 ** 16;

/**
 * `x ** k` for a double `x` and an integer `k`, correctly rounded (round-half-even on the exact
 * value). Python's `x ** k` on glibc agrees with this for all the `gamma ** k` values that
 * schedules use in practice (measured: `0.1`…`0.99` for `k` ≤ 30), and for ~99.9% of random
 * inputs.
 *
 * A double-double product (error below 2^-100 relative) decides the rounding; when the result
 * lies too close to a rounding boundary, or outside [2^-900, 2^900], exact BigInt arithmetic
 * does. Results beyond 2^±1200 (by a `k · log2|x|` estimate, far from the boundary) are ±0 or
 * ±Infinity. Exact arithmetic is bounded to |k| ≤ 2^16, where it takes milliseconds: beyond, a
 * result within 2^-40 ULP of a rounding boundary keeps the double-double rounding, and a
 * negative `k` or an intermediate outside [2^-900, 2^900] falls back to the runtime's `x ** k`
 * (none of which any schedule reaches in practice: `where` or a step count of 65,536+ as an
 * exponent).
 */
export function powInt(x: number, k: number): number {
  if (k === 0) return 1;
  if (x === 0 || !Number.isFinite(x)) return x ** k;
  const negative = x < 0 && k % 2 !== 0;
  const log2 = k * Math.log2(Math.abs(x));
  if (log2 < -1200) return negative ? -0 : 0;
  if (log2 > 1200) return negative ? -Infinity : Infinity;
  const exact = Math.abs(k) <= EXACT_POW_LIMIT;
  if (k < 0) return exact ? powIntExact(x, k) : x ** k;
  const base = Math.abs(x);
  // Binary exponentiation in double-double.
  let bh = base, bl = 0;
  acc[0] = 1;
  acc[1] = 0;
  let n = k;
  for (;;) {
    if (n % 2 === 1) {
      ddMul(acc[0]!, acc[1]!, bh, bl, acc);
    }
    n = Math.floor(n / 2);
    if (n === 0) break;
    ddMul(bh, bl, bh, bl, scratch);
    bh = scratch[0]!;
    bl = scratch[1]!;
    if (!(bh > 2 ** -900 && bh < 2 ** 900)) return exact ? powIntExact(x, k) : x ** k;
  }
  const hi = acc[0]!, lo = acc[1]!;
  if (!(hi > 2 ** -900 && hi < 2 ** 900)) return exact ? powIntExact(x, k) : x ** k;
  const d = hi + lo;
  const r = (hi - d) + lo; // exact value minus d, up to a negligible rounding
  const { exponent, isPowerOfTwo } = ulpExponent(d);
  const ulp = 2 ** exponent; // ulp(d) for a normal d
  const halfBelow = isPowerOfTwo ? ulp / 4 : ulp / 2;
  const distance = r >= 0 ? Math.abs(r - ulp / 2) : Math.abs(-r - halfBelow);
  if (distance < ulp * 2 ** -40 && exact) return powIntExact(x, k);
  return negative ? -d : d;
}

const INTEGER_POW_PROBES: readonly (readonly [number, number])[] = [
  [0.1, 4],
  [0.1, 7],
  [0.9, 4],
  [0.95, 10],
  [0.3, 25],
  [0.96, 17],
];

/**
 * Whether this runtime's `x ** k` for integer `k` is correctly rounded on a probe set where
 * glibc's is. JavaScriptCore (Bun) multiplies repeatedly (`0.1 ** 4` is 2 ULP off) and older V8
 * (Node 20) is off on `0.9 ** 4`; V8 in Deno 2.9 passes.
 */
export const RUNTIME_INTEGER_POW_IS_CORRECTLY_ROUNDED: boolean = INTEGER_POW_PROBES.every(
  ([x, k]) => x ** k === powIntExact(x, k),
);

function runtimePow(x: number, y: number): number {
  if (!RUNTIME_INTEGER_POW_IS_CORRECTLY_ROUNDED && Number.isInteger(y) && Number.isFinite(x)) {
    return powInt(x, y);
  }
  return x ** y;
}

/**
 * The libm functions the ports call. Defaults to the runtime's `Math.cos` and `**` (with integer
 * exponents routed through {@linkcode powInt} on runtimes whose integer power is not correctly
 * rounded).
 *
 * This object is a test seam for the conformance suite, which temporarily replaces both functions
 * by glibc's recorded results (see `conformance/`). It is not exported from the package.
 */
export const libm: Libm = { cos: Math.cos, pow: runtimePow, log: Math.log };

/** The runtime's own libm functions, as installed in {@linkcode libm} by default. */
export const RUNTIME_LIBM: Readonly<Libm> = Object.freeze({
  cos: Math.cos,
  pow: runtimePow,
  log: Math.log,
});

/**
 * Python's `round(x)` for a float: nearest integer, ties to even (`round(2.5) == 2`).
 */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor; // exact for every finite double
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

const ulpF64 = new Float64Array(1);
const ulpI64 = new BigInt64Array(ulpF64.buffer);

function ordered(x: number): bigint {
  ulpF64[0] = x;
  const bits = ulpI64[0]!;
  // Map the sign-magnitude bit pattern onto a monotone integer line (-0 and +0 both to 0).
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/**
 * The distance between two doubles in units in the last place: the number of doubles between
 * `a` and `b` plus one (0 when equal up to the sign of zero); `Infinity` when one is NaN.
 */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}
