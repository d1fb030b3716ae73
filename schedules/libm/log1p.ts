// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunPro, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
//
// TypeScript port of glibc 2.36 sysdeps/ieee754/dbl-64/s_log1p.c (fdlibm's, as modified by
// Naohiko Shimizu, Tokai University, 1997, for pipelined processors), in the FMA variant that
// glibc's release/2.36 branch added for x86-64 (78a9a50bf2 "x86_64: Add log1p with FMA", shipped
// in Debian 12's 2.36-9+deb12u*): `__log1p_fma`, the same C compiled with `-mfma -mavx2`, selected
// by ifunc on CPUs with FMA. The multiply-adds GCC 12.2 contracts are {@linkcode fma}s here; those
// whose product is exact (k·ln2_hi, x²·0.5) are written as plain operations.

/**
 * `log1p(x) = log(1 + x)` exactly as glibc 2.36 computes it on x86-64 (fdlibm's algorithm).
 *
 * @module
 */

import { fma } from "./fma.ts";
import { fromWords, highWord, lowWord } from "./_bits.ts";

const ln2_hi = 6.93147180369123816490e-01;
const ln2_lo = 1.90821492927058770002e-10;
const two54 = 1.80143985094819840000e+16;
const Lp1 = 6.666666666666735130e-01;
const Lp2 = 3.999999999940941908e-01;
const Lp3 = 2.857142874366239149e-01;
const Lp4 = 2.222219843214978396e-01;
const Lp5 = 1.818357216161805012e-01;
const Lp6 = 1.531383769920937332e-01;
const Lp7 = 1.479819860511658591e-01;

/**
 * `log(1 + x)` as glibc's x86-64 `log1p` (C's `log1p`, Python's `math.log1p` on Linux), bit for
 * bit.
 *
 * @param x Any double.
 * @returns `ln(1 + x)`, accurate near 0; `-Infinity` at -1, `NaN` below -1 and for `NaN`.
 * @example
 * ```ts
 * import { log1p } from "./log1p.ts";
 * log1p(1e-10); // 9.999999999500001e-11
 * ```
 */
export function log1p(x: number): number {
  const hx = highWord(x) | 0;
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0, c = 0, hu = 0;
  if (hx < 0x3fda827a) {
    // x < 0.41422
    if (ax >= 0x3ff00000) {
      // x <= -1.0
      if (x === -1.0) return -two54 / 0; // log1p(-1) = -inf
      return (x - x) / (x - x); // log1p(x < -1) = NaN
    }
    if (ax < 0x3e200000) {
      // |x| < 2^-29
      if (ax < 0x3c900000) return x; // |x| < 2^-54
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec3 | 0)) {
      // -0.2929 < x < 0.41422
      k = 0;
      f = x;
      hu = 1;
    }
  } else if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = highWord(u) | 0;
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0); // correction term
      c /= u;
    } else {
      u = x;
      hu = highWord(u) | 0;
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = fromWords(hu | 0x3ff00000, lowWord(u)); // normalise u
    } else {
      k += 1;
      u = fromWords(hu | 0x3fe00000, lowWord(u)); // normalise u/2
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      c = fma(k, ln2_lo, c);
      return k * ln2_hi + c;
    }
    const R = fma(-f, 0.66666666666666666, 1.0) * hfsq;
    if (k === 0) return f - R;
    return k * ln2_hi - ((R - fma(k, ln2_lo, c)) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const z2 = z * z;
  const R2 = fma(z, Lp3, Lp2);
  const z4 = z2 * z2;
  const R3 = fma(z, Lp5, Lp4);
  const z6 = z2 * z4;
  const R4 = fma(z, Lp7, Lp6);
  const R = fma(z6, R4, fma(z4, R3, fma(z, Lp1, z2 * R2)));
  const sR = s * (R + hfsq);
  if (k === 0) return f - (hfsq - sR);
  return k * ln2_hi - ((hfsq - (sR + fma(k, ln2_lo, c))) - f);
}
