// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunPro, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
//
// TypeScript port of glibc 2.36 sysdeps/ieee754/dbl-64/s_expm1.c (fdlibm's, as modified by
// Naohiko Shimizu, Tokai University, 1997, for pipelined processors), in the FMA variant that
// glibc's release/2.36 branch added for x86-64 (f3a9a9facc "x86_64: Add expm1 with FMA", shipped
// in Debian 12's 2.36-9+deb12u*): `__expm1_fma`, the same C compiled with `-mfma -mavx2`, selected
// by ifunc on CPUs with FMA. The multiply-adds GCC 12.2 contracts are {@linkcode fma}s here.

/**
 * `expm1(x) = e^x - 1` exactly as glibc 2.36 computes it on x86-64 (fdlibm's algorithm).
 *
 * @module
 */

import { fma } from "./fma.ts";
import { fromWords, highWord, lowWord } from "./_bits.ts";

const o_threshold = 7.09782712893383973096e+02;
const ln2_hi = 6.93147180369123816490e-01;
const ln2_lo = 1.90821492927058770002e-10;
const invln2 = 1.44269504088896338700e+00;
const Q1 = -3.33333333333331316428e-02;
const Q2 = 1.58730158725481460165e-03;
const Q3 = -7.93650757867487942473e-05;
const Q4 = 4.00821782732936239552e-06;
const Q5 = -2.01099218183624371326e-07;
const huge = 1.0e+300;
const tiny = 1.0e-300;

/** `y` with `k` added to its exponent (SET_HIGH_WORD(y, high + (k << 20))). */
function addExponent(y: number, k: number): number {
  return fromWords((highWord(y) + (k << 20)) >>> 0, lowWord(y));
}

/**
 * `e^x - 1` as glibc's x86-64 `expm1` (Python's `math.expm1` on Linux), bit for bit.
 *
 * @param x Any double.
 * @returns `e^x - 1`, accurate near 0; `-1` below ~-38.1, `Infinity` above ~709.78.
 * @example
 * ```ts
 * import { expm1 } from "./expm1.ts";
 * expm1(1e-10); // 1.00000000005e-10
 * ```
 */
export function expm1(x: number): number {
  let hx = highWord(x);
  const negative = hx >>> 31 !== 0;
  hx &= 0x7fffffff;
  // filter out huge and non-finite arguments
  if (hx >= 0x4043687a) {
    // |x| >= 56·ln2
    if (hx >= 0x40862e42) {
      // |x| >= 709.78...
      if (hx >= 0x7ff00000) {
        if (Number.isNaN(x)) return x + x;
        return negative ? -1.0 : x; // exp(±inf) - 1 = {inf, -1}
      }
      if (x > o_threshold) return huge * huge; // overflow
    }
    if (negative) return tiny - 1; // x < -56·ln2: -1 (inexact)
  }
  let hi: number, lo: number, k: number, c = 0;
  // argument reduction
  if (hx > 0x3fd62e42) {
    // |x| > 0.5·ln2
    if (hx < 0x3ff0a2b2) {
      // and |x| < 1.5·ln2
      if (!negative) {
        hi = x - ln2_hi;
        lo = ln2_lo;
        k = 1;
      } else {
        hi = x + ln2_hi;
        lo = -ln2_lo;
        k = -1;
      }
    } else {
      k = Math.trunc(invln2 * x + (negative ? -0.5 : 0.5));
      const t = k;
      hi = x - t * ln2_hi; // fma(-t, ln2_hi, x), but t·ln2_hi is exact here
      lo = t * ln2_lo;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x3c900000) {
    // |x| < 2^-54: x
    const t = huge + x;
    return x - (t - (huge + x));
  } else k = 0;
  // x is now in the primary range
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const R1 = fma(hxs, Q1, 1);
  const h2 = hxs * hxs;
  const R2 = fma(hxs, Q3, Q2);
  const h4 = h2 * h2;
  const R3 = fma(hxs, Q5, Q4);
  const r1 = fma(h4, R3, fma(h2, R2, R1));
  let t = fma(-hfx, r1, 3.0);
  let e = ((r1 - t) / fma(-x, t, 6.0)) * hxs;
  if (k === 0) return x - fma(x, e, -hxs); // c is 0
  e = fma(e - c, x, -c);
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5; // fma(x - e, 0.5, -0.5): the product is exact
  if (k === 1) {
    if (x < -0.25) return -2.0 * (e - (x + 0.5));
    return 1 + 2.0 * (x - e); // fma(x - e, 2, 1): the product is exact
  }
  if (k <= -2 || k > 56) {
    // suffices to return exp(x) - 1
    const y = addExponent(1 - (e - x), k);
    return y - 1;
  }
  let y: number;
  if (k < 20) {
    t = fromWords(0x3ff00000 - (0x200000 >> k), 0); // 1 - 2^-k
    y = addExponent(t - (e - x), k);
  } else {
    t = fromWords((0x3ff - k) << 20, 0); // 2^-k
    y = x - (e + t);
    y += 1;
    y = addExponent(y, k);
  }
  return y;
}
