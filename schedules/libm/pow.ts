/**
 * `pow(x, y)` exactly as glibc 2.36 computes it on x86-64 (its FMA variant, `__pow_fma`).
 *
 * Port of Arm optimized-routines `math/pow.c` (Szabolcs Nagy, 2018; MIT OR Apache-2.0 WITH
 * LLVM-exception, see `LICENSE-optimized-routines`), glibc's `sysdeps/ieee754/dbl-64/e_pow.c`
 * since 2.28, with `__FP_FAST_FMA` defined as in glibc's `-mfma` build, and every multiply-add
 * GCC 12.2 contracts computed as an {@linkcode fma}.
 *
 * ```text
 * pow(x, y) = exp(y · log(x)),  log(x) as hi + lo (~68 bits),  y·log(x) as ehi + elo
 * ```
 *
 * @module
 */

import { fma } from "./fma.ts";
import { fromWords, highWord, lowWord } from "./_bits.ts";
import { specialCase } from "./exp.ts";
import { A, INVC, LN2_HI, LN2_LO, LOGC, LOGCTAIL } from "./_pow_log_data.ts";
import {
  C,
  INV_LN2_N,
  NEG_LN2_HI_N,
  NEG_LN2_LO_N,
  SHIFT,
  T_HI,
  T_LO,
  T_TAIL,
} from "./_exp_data.ts";

const A0 = A[0]!, A1 = A[1]!, A2 = A[2]!, A3 = A[3]!, A4 = A[4]!, A5 = A[5]!, A6 = A[6]!;
const C0 = C[0]!, C1 = C[1]!, C2 = C[2]!, C3 = C[3]!;
const SIGN_BIAS = 0x800 << 7;

/** The low-order part of the last {@linkcode logInline} (glibc's `*tail`). */
let logTail = 0;

/** log(x) ≈ result + logTail for the words of a positive normal (or normalised) `x`. */
function logInline(hi: number, lo: number): number {
  // x = 2^k·z with z in [OFF, 2·OFF) exactly, OFF = 0x3fe6955500000000.
  const tmp = (hi - 0x3fe69555) >>> 0;
  const i = (tmp >>> 13) & 127;
  const k = (tmp | 0) >> 20;
  const z = fromWords((hi - (tmp & 0xfff00000)) >>> 0, lo);
  const r = fma(z, INVC[i]!, -1); // exact: 1/c has few bits and |z/c - 1| < 1/N
  const t1 = k * LN2_HI + LOGC[i]!; // fma(k, LN2_HI, logc): the product is exact
  const t2 = r + t1;
  const lo1 = fma(k, LN2_LO, LOGCTAIL[i]!);
  const lo2 = r + (t1 - t2);
  const ar = r * A0;
  const ar2 = r * ar;
  const ar3 = r * ar2;
  const h = t2 + ar2;
  const lo3 = fma(r, ar, -ar2);
  const lo4 = ar2 + (t2 - h);
  const p = fma(ar2, fma(ar2, fma(r, A6, A5), fma(r, A4, A3)), fma(r, A2, A1));
  const l = fma(ar3, p, lo4 + (lo3 + (lo1 + lo2)));
  const y = h + l;
  logTail = l + (h - y);
  return y;
}

/** sign · exp(x + xtail), `signBias` being 0 or SIGN_BIAS. */
function expInline(x: number, xtail: number, signBias: number): number {
  let abstop = (highWord(x) >>> 20) & 0x7ff;
  if (((abstop - 0x3c9) >>> 0) >= 0x408 - 0x3c9) {
    if (abstop < 0x3c9) {
      const one = 1 + x; // tiny x: 1 + x rounds to 1 (or to its neighbours)
      return signBias ? -one : one;
    }
    if (abstop >= 0x409) {
      if (x < 0) return signBias ? -0 : 0;
      return signBias ? -Infinity : Infinity;
    }
    abstop = 0;
  }
  let kd = fma(x, INV_LN2_N, SHIFT);
  const ki = lowWord(kd);
  kd -= SHIFT;
  const r = xtail + fma(kd, NEG_LN2_LO_N, fma(kd, NEG_LN2_HI_N, x));
  const i = ki & 127;
  const hi = (T_HI[i]! + ((ki + signBias) << 13)) >>> 0;
  const lo = T_LO[i]!;
  const r2 = r * r;
  const tmp = fma(r2 * r2, fma(r, C3, C2), fma(r2, fma(r, C1, C0), r + T_TAIL[i]!));
  if (abstop === 0) return specialCase(tmp, hi, lo, ki, true);
  const scale = fromWords(hi, lo);
  return fma(tmp, scale, scale);
}

/**
 * Whether `v` (high word `hi`) is a signaling NaN (quiet bit clear). JavaScript engines keep such
 * bit patterns when they come from a typed array; glibc then returns `x + y` (a quiet NaN), not 1.
 */
function isSignaling(hi: number, v: number): boolean {
  return v !== v && (hi & 0x00080000) === 0;
}

/** 0 if `y` is not an integer, 1 if it is an odd integer, 2 if an even one (finite, nonzero). */
function checkint(y: number): 0 | 1 | 2 {
  if (!Number.isInteger(y)) return 0;
  if (Math.abs(y) >= 2 ** 53) return 2;
  return y % 2 === 0 ? 2 : 1;
}

/**
 * `x ** y` as glibc's x86-64 `pow` (C's `pow`, Python's `math.pow`), bit for bit, with C99's
 * special cases: `pow(x, ±0) = 1`, `pow(1, y) = 1` (also for a quiet `NaN`; a signaling NaN gives
 * NaN, as in glibc), `pow(-1, ±Infinity) = 1`,
 * `NaN` for a negative `x` and a non-integer `y`.
 *
 * @param x The base.
 * @param y The exponent.
 * @returns `x` to the power `y`, within 0.52 ULP and exactly glibc's rounding.
 * @example
 * ```ts
 * import { pow } from "./pow.ts";
 * pow(0.1, 4); // 0.00010000000000000002
 * ```
 */
export function pow(x: number, y: number): number {
  let signBias = 0;
  let ixHi = highWord(x);
  const ixLo = lowWord(x);
  const iyHi = highWord(y);
  let topx = ixHi >>> 20;
  const topy = iyHi >>> 20;
  if (
    ((topx - 0x001) >>> 0) >= 0x7ff - 0x001 || (((topy & 0x7ff) - 0x3be) >>> 0) >= 0x43e - 0x3be
  ) {
    // x < 0x1p-1022 or x negative or Infinity or NaN; or |y| < 2^-65 or |y| >= 2^63 or NaN.
    if (y === 0 || !Number.isFinite(y)) {
      if (y === 0) return isSignaling(ixHi, x) ? x + y : 1;
      if (x === 1) return isSignaling(iyHi, y) ? x + y : 1;
      if (Number.isNaN(x) || Number.isNaN(y)) return x + y;
      if (Math.abs(x) === 1) return 1;
      if ((Math.abs(x) < 1) === (y > 0)) return 0; // |x| < 1, y = Infinity; |x| > 1, y = -Infinity
      return Infinity;
    }
    if (x === 0 || !Number.isFinite(x)) {
      let x2 = x * x;
      if (x < 0 || Object.is(x, -0)) {
        if (checkint(y) === 1) x2 = -x2;
      }
      return y < 0 ? 1 / x2 : x2;
    }
    if (x < 0) {
      const yint = checkint(y);
      if (yint === 0) return NaN;
      if (yint === 1) signBias = SIGN_BIAS;
      ixHi &= 0x7fffffff;
      topx &= 0x7ff;
    }
    if ((((topy & 0x7ff) - 0x3be) >>> 0) >= 0x43e - 0x3be) {
      const ax = Math.abs(x);
      if (ax === 1) return 1;
      if ((topy & 0x7ff) < 0x3be) return ax > 1 ? 1 + y : 1 - y; // |y| < 2^-65
      return (ax > 1) === (topy < 0x800) ? Infinity : 0; // |y| >= 2^63
    }
    if (topx === 0) {
      // subnormal x: normalise
      const xs = Math.abs(x * 2 ** 52);
      const h = (highWord(xs) - (52 << 20)) >>> 0;
      const hi = logInline(h, lowWord(xs));
      return finish(hi, y, signBias);
    }
  }
  const hi = logInline(ixHi, ixLo);
  return finish(hi, y, signBias);
}

function finish(hi: number, y: number, signBias: number): number {
  const ehi = y * hi;
  const elo = fma(y, logTail, fma(y, hi, -ehi));
  return expInline(ehi, elo, signBias);
}
