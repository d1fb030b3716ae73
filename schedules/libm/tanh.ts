// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunPro, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
//
// TypeScript port of glibc 2.36 sysdeps/ieee754/dbl-64/s_tanh.c (fdlibm's); glibc compiles it
// without FMA on x86-64, so plain double arithmetic and glibc's expm1 reproduce it.

/**
 * `tanh(x)` exactly as glibc 2.36 computes it on x86-64 (fdlibm's algorithm).
 *
 * ```text
 * 0 <= x < 2^-55:  x·(1 + x)
 * 2^-55 <= x < 1:  -t / (t + 2),    t = expm1(-2x)
 * 1 <= x < 22:     1 - 2 / (t + 2), t = expm1(2x)
 * 22 <= x:         1
 * ```
 *
 * @module
 */

import { expm1 } from "./expm1.ts";
import { highWord } from "./_bits.ts";

/**
 * The hyperbolic tangent as glibc's x86-64 `tanh` (Python's `math.tanh` on Linux), bit for bit.
 *
 * @param x Any double.
 * @returns `tanh(x)`; ±1 for ±Infinity, `NaN` for `NaN`.
 * @example
 * ```ts
 * import { tanh } from "./tanh.ts";
 * tanh(0.5); // 0.46211715726000974
 * ```
 */
export function tanh(x: number): number {
  const jx = highWord(x) | 0;
  const ix = jx & 0x7fffffff;
  if (ix >= 0x7ff00000) {
    // Infinity or NaN
    return jx >= 0 ? 1 / x + 1 : 1 / x - 1;
  }
  let z: number;
  if (ix < 0x40360000) {
    // |x| < 22
    if (x === 0) return x; // ±0
    if (ix < 0x3c800000) return x * (1 + x); // |x| < 2^-55
    if (ix >= 0x3ff00000) {
      // |x| >= 1
      const t = expm1(2 * Math.abs(x));
      z = 1 - 2 / (t + 2);
    } else {
      const t = expm1(-2 * Math.abs(x));
      z = -t / (t + 2);
    }
  } else {
    z = 1 - 1.0e-300; // |x| >= 22: ±1
  }
  return jx >= 0 ? z : -z;
}
