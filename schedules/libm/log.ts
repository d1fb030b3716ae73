/**
 * `log(x)` exactly as glibc 2.36 computes it on x86-64 (its FMA variant, `__log_fma`).
 *
 * Port of Arm optimized-routines `math/log.c` (Szabolcs Nagy, 2018; MIT OR Apache-2.0 WITH
 * LLVM-exception, see `LICENSE-optimized-routines`), glibc's `sysdeps/ieee754/dbl-64/e_log.c`
 * since 2.28, with `__FP_FAST_FMA` defined as in glibc's `-mfma` build, and every multiply-add
 * GCC 12.2 contracts computed as an {@linkcode fma}.
 *
 * ```text
 * log(x) = k·ln2 + log(c) + log1p(z/c - 1),  x = 2^k·z,  c the centre of z's subinterval
 * near 1: log(x) = r - r²/2 + r³·poly(r),    r = x - 1
 * ```
 *
 * @module
 */

import { fma } from "./fma.ts";
import { fromWords, highWord, lowWord } from "./_bits.ts";
import { A, B, INVC, LN2_HI, LN2_LO, LOGC } from "./_log_data.ts";

const A0 = A[0]!, A1 = A[1]!, A2 = A[2]!, A3 = A[3]!, A4 = A[4]!;
const B0 = B[0]!, B1 = B[1]!, B2 = B[2]!, B3 = B[3]!, B4 = B[4]!, B5 = B[5]!;
const B6 = B[6]!, B7 = B[7]!, B8 = B[8]!, B9 = B[9]!, B10 = B[10]!;

/**
 * The natural logarithm as glibc's x86-64 `log` (Python's `math.log` of one float on Linux), bit
 * for bit.
 *
 * @param x Any double.
 * @returns `ln x`; `-Infinity` for ±0, `NaN` below zero and for `NaN`, `Infinity` for `Infinity`.
 * @example
 * ```ts
 * import { log } from "./log.ts";
 * log(10); // 2.302585092994046
 * ```
 */
export function log(x: number): number {
  let hi = highWord(x);
  let lo = lowWord(x);
  if (hi >= 0x3fee0000 && hi < 0x3ff10900) {
    // 1 - 2^-4 <= x < 1 + 0x1.09p-4
    if (x === 1) return 0;
    const r = x - 1;
    const r2 = r * r;
    const r3 = r * r2;
    const poly = fma(
      fma(fma(B10, r3, fma(B9, r2, fma(B8, r, B7))), r3, fma(B6, r2, fma(B5, r, B4))),
      r3,
      fma(B3, r2, fma(B2, r, B1)),
    );
    const w = r * 2 ** 27;
    const rhi = (w + r) - w; // fma(r, 2^27, r) and fma(-r, 2^27, ·): the products are exact
    const rlo = r - rhi;
    const rhi2 = rhi * rhi;
    const h = fma(rhi2, B0, r);
    let l = fma(rhi2, B0, r - h);
    l = fma(B0 * rlo, r + rhi, l);
    return h + fma(poly, r3, l);
  }
  const top = hi >>> 16;
  if (top < 0x0010 || top >= 0x7ff0) {
    // x < 0x1p-1022, or Infinity, or NaN
    if (x === 0) return -Infinity;
    if (x === Infinity) return x;
    if ((top & 0x8000) !== 0 || (top & 0x7ff0) === 0x7ff0) return NaN;
    // subnormal: normalise
    const xs = x * 2 ** 52;
    hi = (highWord(xs) - (52 << 20)) >>> 0;
    lo = lowWord(xs);
  }
  // x = 2^k·z with z in [OFF, 2·OFF) exactly, OFF = 0x3fe6000000000000.
  const tmp = (hi - 0x3fe60000) >>> 0;
  const i = (tmp >>> 13) & 127;
  const k = (tmp | 0) >> 20;
  const z = fromWords((hi - (tmp & 0xfff00000)) >>> 0, lo);
  const invc = INVC[i]!;
  const logc = LOGC[i]!;
  const r = fma(invc, z, -1);
  const w = k * LN2_HI + logc; // fma(LN2_HI, k, logc): |k| < 2^11 and LN2_HI has 42 bits, exact
  const hi2 = r + w;
  const lo2 = fma(LN2_LO, k, (w - hi2) + r);
  const r2 = r * r;
  const y = fma(r * r2, fma(fma(A4, r, A3), r2, fma(A2, r, A1)), fma(A0, r2, lo2));
  return y + hi2;
}
