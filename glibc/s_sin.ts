// Copyright (C) 2001-2022 Free Software Foundation, Inc. (IBM Accurate Mathematical Library).
// TypeScript port for lrspec, 2026. This file is part of lrspec's `glibc` module and, like the
// glibc source it is derived from, is free software under the GNU Lesser General Public License
// version 2.1 or (at your option) any later version (see ./LICENSE). It is distributed WITHOUT ANY
// WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR
// PURPOSE.

/**
 * `sin(x)` and `cos(x)` exactly as glibc 2.36 computes them on x86-64 (`__sin_fma`, `__cos_fma`).
 *
 * Port of glibc's `sysdeps/ieee754/dbl-64/s_sin.c` (IBM Accurate Mathematical Library; the
 * slow multi-precision paths were removed in glibc 2.28, so results are the same from 2.28 on).
 * glibc's x86-64 build compiles this file a second time with `-mfma`, and its ifunc picks that
 * variant on CPUs with FMA (every x86-64 CPU since 2013); GCC 12.2 contracts the polynomial and
 * table-combination steps into fused multiply-adds. Each contraction is an {@linkcode fma} here,
 * at the place GCC put it (read from `-fdump-tree-optimized` of the same file with glibc's flags,
 * and checked bit for bit against this machine's `libm.so.6`). Huge arguments are reduced by
 * {@linkcode branred}, which glibc compiles without FMA.
 *
 * ```text
 * |x| < 0.855469:  sin, cos by a table of sin/cos(i/128) and short polynomials
 * |x| < 2.426265:  through π/2 - |x|
 * |x| < 105414350: x = n·π/2 + (a + da), π/2 in four parts (136 bits)
 * otherwise:       branred (x·2/π in 24-bit pieces)
 * ```
 *
 * @module
 */

import { fma } from "../schedules/libm/fma.ts";
import { branred } from "./branred.ts";
import { SINCOSTAB } from "./_sincostab.ts";

const sn3 = -1.66666666666664880952546298448555e-01;
const sn5 = 8.33333214285722277379541354343671e-03;
const cs2 = 4.99999999999999999999950396842453e-01;
const cs4 = -4.16666666666664434524222570944589e-02;
const cs6 = 1.38888874007937613028114285595617e-03;
const s1 = -0.16666666666666666; // -0x1.5555555555555p-3
const s2 = 0.0083333333333323288; // 0x1.1111111110ECEp-7
const s3 = -0.00019841269834414642; // -0x1.A01A019DB08B8p-13
const s4 = 2.755729806860771e-06; // 0x1.71DE27B9A7ED9p-19
const s5 = -2.5022014848318398e-08; // -0x1.ADDFFC2FCDF59p-26
const big = 52776558133248; // 0x1.8p45: adding it rounds to a multiple of 1/128
const hp0 = 1.5707963267948966; // 0x1.921FB54442D18p0
const hp1 = 6.123233995736766e-17; // 0x1.1A62633145C07p-54
const mp1 = 1.5707963407039642; // 0x1.921FB58000000p0
const mp2 = -1.3909067564377153e-08; // -0x1.DDE973C000000p-27
const pp3 = -4.9789962314799099e-17; // -0x1.CB3B398000000p-55
const pp4 = -1.9034889620193266e-25; // -0x1.d747f23e32ed7p-83
const hpinv = 0.63661977236758138; // 0x1.45F306DC9C883p-1
const toint = 6755399441055744; // 0x1.8p52

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/** The low word of a double: after `big + |x|`, round(128·|x|); after `toint + t`, round(t). */
function lowWord(x: number): number {
  f64[0] = x;
  return u32[LO]!;
}

/** The high word of |x| (sign cleared). */
function absHighWord(x: number): number {
  f64[0] = x;
  return u32[1 - LO]! & 0x7fffffff;
}

/** cos(x + dx) from the table entry nearest |x| and short polynomials (glibc's `do_cos`). */
function doCos(x: number, dx: number): number {
  if (x < 0) dx = -dx;
  const ax = Math.abs(x);
  const u = big + ax;
  x = ax - (u - big) + dx;
  const xx = x * x;
  const s = fma(x * xx, fma(xx, sn5, sn3), x);
  const c = xx * fma(xx, fma(xx, cs6, cs4), cs2);
  const k = lowWord(u) << 2;
  const sn = SINCOSTAB[k]!, ssn = SINCOSTAB[k + 1]!, cs = SINCOSTAB[k + 2]!;
  const ccs = SINCOSTAB[k + 3]!;
  const cor = fma(-s, sn, fma(-c, cs, fma(-s, ssn, ccs)));
  return cs + cor;
}

/** sin(x + dx) by Taylor's series (|x| < 0.126) or the table (glibc's `do_sin`). */
function doSin(x: number, dx: number): number {
  const xold = x;
  if (Math.abs(x) < 0.126) {
    // TAYLOR_SIN(x·x, x, dx)
    const xx = x * x;
    const poly = fma(xx, fma(xx, fma(xx, fma(xx, s5, s4), s3), s2), s1);
    const t = fma(xx, fma(x, poly, -(dx * 0.5)), dx);
    return x + t;
  }
  if (x <= 0) dx = -dx;
  const ax = Math.abs(x);
  const u = big + ax;
  x = ax - (u - big);
  const xx = x * x;
  const s = x + fma(x * xx, fma(xx, sn5, sn3), dx);
  const c = fma(x, dx, xx * fma(xx, fma(xx, cs6, cs4), cs2));
  const k = lowWord(u) << 2;
  const sn = SINCOSTAB[k]!, ssn = SINCOSTAB[k + 1]!, cs = SINCOSTAB[k + 2]!;
  const ccs = SINCOSTAB[k + 3]!;
  const cor = fma(s, cs, fma(-c, sn, fma(s, ccs, ssn)));
  const r = sn + cor;
  return xold < 0 ? -Math.abs(r) : Math.abs(r); // copysign(r, xold); |xold| >= 0.126
}

/** The reduced argument of the last {@linkcode reduceSincos} or `branred`: a + da. */
const reduced = new Float64Array(2);

/** x = n·π/2 + (a + da) for |x| < 105414350; returns n mod 4 (glibc's `reduce_sincos`). */
function reduceSincos(x: number): number {
  const t = fma(x, hpinv, toint);
  const xn = t - toint;
  const y = fma(xn, -mp2, fma(-xn, mp1, x));
  const n = lowWord(t) & 3;
  const t2 = fma(-xn, pp3, y);
  let db = fma(-xn, pp3, y - t2);
  const b = fma(-xn, pp4, t2);
  db += fma(-xn, pp4, t2 - b);
  reduced[0] = b;
  reduced[1] = db;
  return n;
}

/** sin (n even) or cos (n odd) of a + da, negated in quadrants 2 and 3. */
function doSincos(a: number, da: number, n: number): number {
  const r = n & 1 ? doCos(a, da) : doSin(a, da);
  return n & 2 ? -r : r;
}

/**
 * `sin(x)` as glibc's x86-64 `sin` (C's `sin`, Python's `math.sin` on Linux), bit for bit.
 *
 * @param x Any double.
 * @returns The sine of `x`; `NaN` for ±Infinity and `NaN`.
 * @example
 * ```ts
 * import { sin } from "./s_sin.ts";
 * sin(1); // 0.8414709848078965
 * ```
 */
export function sin(x: number): number {
  const k = absHighWord(x);
  if (k < 0x3e500000) return x; // |x| < 2^-26
  if (k < 0x3feb6000) return doSin(x, 0); // |x| < 0.855469
  if (k < 0x400368fd) {
    // |x| < 2.426265
    const t = hp0 - Math.abs(x);
    const r = doCos(t, hp1);
    return x < 0 ? -Math.abs(r) : Math.abs(r); // copysign(r, x)
  }
  if (k < 0x419921fb) {
    const n = reduceSincos(x);
    return doSincos(reduced[0]!, reduced[1]!, n);
  }
  if (k < 0x7ff00000) {
    const n = branred(x, reduced);
    return doSincos(reduced[0]!, reduced[1]!, n);
  }
  return x / x;
}

/**
 * `cos(x)` as glibc's x86-64 `cos` (C's `cos`, Python's `math.cos` on Linux), bit for bit.
 *
 * @param x Any double.
 * @returns The cosine of `x`; `NaN` for ±Infinity and `NaN`.
 * @example
 * ```ts
 * import { cos } from "./s_sin.ts";
 * cos(Math.PI * 0.3); // 0.5877852522924731
 * ```
 */
export function cos(x: number): number {
  const k = absHighWord(x);
  if (k < 0x3e400000) return 1; // |x| < 2^-27
  if (k < 0x3feb6000) return doCos(x, 0); // |x| < 0.855469
  if (k < 0x400368fd) {
    // |x| < 2.426265
    const y = hp0 - Math.abs(x);
    const a = y + hp1;
    const da = (y - a) + hp1;
    return doSin(a, da);
  }
  if (k < 0x419921fb) {
    const n = reduceSincos(x);
    return doSincos(reduced[0]!, reduced[1]!, n + 1);
  }
  if (k < 0x7ff00000) {
    const n = branred(x, reduced);
    return doSincos(reduced[0]!, reduced[1]!, n + 1);
  }
  return x / x;
}
