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

// ---------------------------------------------------------------------------------------------
// The fast path of `cos`: the same operations with each fused multiply-add replaced by a plain
// multiply and add, and a proof, per call, that the result still rounds to glibc's.
//
// glibc's kernels end with one rounding of A + cor — `cs + cor` (do_cos), `sn + cor` (do_sin),
// `x + t` (TAYLOR_SIN) — where A is a table value or the argument, identical here, and cor a small
// correction computed through fused multiply-adds. Computed unfused, cor' differs from glibc's
// cor by at most E (the bounds below). With hi + lo = A + cor' exactly (Fast2Sum: |A| > |cor'|),
// glibc's result is RN(hi + lo + δ), |δ| ≤ E; and if RN(hi + RN(lo + E)) and RN(hi + RN(lo − E))
// both equal hi, so does every RN(hi + t) between (rounding is monotone), glibc's included:
// RN(lo ± E) lies beyond lo ± |δ| since |lo| ≤ 2^-53 and E ≥ 2^-61 make its rounding error below
// 2^-105, far inside the margins. Otherwise (a few percent of arguments: A + cor' within E of a
// rounding boundary) the exact kernel decides. Either way the bits are glibc's; proved above, and
// checked against the exact kernels on 10^8+ arguments (scripts/libm/cos_fast_proof.ts, BENCH.md).
//
// Bounds, with ulp(v) the spacing at v, |r| ≤ 2^-8 (+|dx| ≤ 2^-50) the argument less its table
// point k/128, xx = r², q = r·xx (all plain operations, identical to glibc's):
//
// do_cos: sin/cos polynomial values p1 ≈ −1/6, p2 ≈ −1/24, p3 ≈ 1/2 differ from glibc's by at
//   most 2^-55, 2^-57, 2^-54 (a rounding each side, plus the product's); s = r + q·p1 (|s| < 2^-8,
//   half-ulp 2^-61) by 2^-61 + 2^-78; c = xx·p3 (≤ 2^-17) by 2^-68.4; the inner corrections
//   (−s·ssn + ccs, −c·cs + …) by under 2^-67.4; cor = −s·sn + … (|cor| < 2^-8, sn < 0.76): glibc's
//   rounding 2^-62, ours two of 2^-62, sn·Δs ≤ 0.76·2^-61: in all ≤ 1.14·2^-60. E = 2^-59.
// do_sin (|x| ≥ 0.126): s = r + (q·p1 + dx) by 2^-61 + 2^-77; c = r·dx + xx·p3 by 2^-67.8; the
//   inner −c·sn + (s·ccs + ssn) by 2^-67.8; cor = s·cs + … (cs < 0.993): 3·2^-62 + 0.993·2^-61
//   + 2^-67.8 ≤ 1.25·2^-60. E = 2^-59.
// TAYLOR_SIN (|x| < 0.126, 2^j ≤ |x| < 2^(j+1)): the polynomial ≈ −1/6 by 2^-55 + 2^-64;
//   w = x·poly − dx/2 (|w| < 2^(j−1.58)) by 7·2^(j−55); t = xx·w + dx by xx·Δw + ulp(t) + the
//   product's half-ulp ≤ 11.02·2^(3j−53) + 2^(j−104) ≤ 11.02·|x|³·2^-53 + |x|·2^-104.
//   E = |x|³·2^-49 + |x|·2^-103 (its own roundings are far inside the margin).

const E_TABLE = 2 ** -59;
const E_CUBE = 2 ** -49;
const E_LIN = 2 ** -103;

/** hi = RN(a + cor) if it is provably RN(a + cor + δ) for every |δ| ≤ e; NaN otherwise. */
function settle(a: number, cor: number, e: number): number {
  const hi = a + cor;
  const lo = (a - hi) + cor; // Fast2Sum: exact, |a| > |cor|
  return hi + (lo + e) === hi && hi + (lo - e) === hi ? hi : NaN;
}

/** {@linkcode doCos} unfused, settled; NaN where the exact kernel must decide. */
function doCosFast(x: number, dx: number): number {
  if (x < 0) dx = -dx;
  const ax = Math.abs(x);
  const u = big + ax;
  x = ax - (u - big) + dx;
  const xx = x * x;
  const s = x + x * xx * (xx * sn5 + sn3);
  const c = xx * (xx * (xx * cs6 + cs4) + cs2);
  const k = lowWord(u) << 2;
  const sn = SINCOSTAB[k]!, ssn = SINCOSTAB[k + 1]!, cs = SINCOSTAB[k + 2]!;
  const ccs = SINCOSTAB[k + 3]!;
  const cor = ((ccs - s * ssn) - c * cs) - s * sn;
  return settle(cs, cor, E_TABLE);
}

/** {@linkcode doSin} unfused, settled; NaN where the exact kernel must decide. */
function doSinFast(x: number, dx: number): number {
  const xold = x;
  if (Math.abs(x) < 0.126) {
    const xx = x * x;
    const poly = xx * (xx * (xx * (xx * s5 + s4) + s3) + s2) + s1;
    const t = xx * (x * poly - dx * 0.5) + dx;
    const a = Math.abs(x);
    return settle(x, t, a * a * a * E_CUBE + a * E_LIN);
  }
  if (x <= 0) dx = -dx;
  const ax = Math.abs(x);
  const u = big + ax;
  x = ax - (u - big);
  const xx = x * x;
  const s = x + (x * xx * (xx * sn5 + sn3) + dx);
  const c = x * dx + xx * (xx * (xx * cs6 + cs4) + cs2);
  const k = lowWord(u) << 2;
  const sn = SINCOSTAB[k]!, ssn = SINCOSTAB[k + 1]!, cs = SINCOSTAB[k + 2]!;
  const ccs = SINCOSTAB[k + 3]!;
  const cor = s * cs + ((s * ccs + ssn) - c * sn);
  const r = settle(sn, cor, E_TABLE);
  return xold < 0 ? -Math.abs(r) : Math.abs(r);
}

/**
 * `cos(x)` as glibc's x86-64 `cos` (C's `cos`, Python's `math.cos` on Linux), bit for bit.
 *
 * For |x| ≤ 3.5 (every argument of a cosine schedule, π·t) it evaluates glibc's kernels without
 * emulating their fused multiply-adds and proves, per call, that the result rounds as glibc's
 * (see the fast path's notes above); the few arguments where that proof fails, and all others,
 * take {@linkcode cosExact}'s computation. The result is the same double either way.
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
  if (k < 0x3feb6000) {
    // |x| < 0.855469
    const r = doCosFast(x, 0);
    return r === r ? r : doCos(x, 0);
  }
  if (k < 0x400368fd) {
    // |x| < 2.426265
    const y = hp0 - Math.abs(x);
    const a = y + hp1;
    const da = (y - a) + hp1;
    const r = doSinFast(a, da);
    return r === r ? r : doSin(a, da);
  }
  if (k < 0x400c0000) {
    // |x| < 3.5: x = n·π/2 + (b + db) with n = ±2, so (reduceSincos) every product by n is exact
    // and each fused multiply-add rounds as a plain multiply and add: the same b, db and n & 3 = 2.
    const xn = x < 0 ? -2 : 2;
    const y = fma2(x, xn);
    const t2 = y - xn * pp3;
    let db = (y - t2) - xn * pp3;
    const b = t2 - xn * pp4;
    db += (t2 - b) - xn * pp4;
    // doSincos(b, db, 3): −do_cos.
    const r = doCosFast(b, db);
    return -(r === r ? r : doCos(b, db));
  }
  return cosExact(x);
}

/** glibc's `fma(xn, -mp2, fma(-xn, mp1, x))` for xn = ±2: both products exact, so unfused. */
function fma2(x: number, xn: number): number {
  return (x - xn * mp1) - xn * mp2;
}

/**
 * `cos(x)` as glibc's x86-64 `cos`, computed the way glibc does: every fused multiply-add emulated
 * by {@linkcode fma}. {@linkcode cos} gives the same bits faster; this is its reference (and its
 * fallback), kept for the tests and the proof script that compare the two.
 *
 * @param x Any double.
 * @returns The cosine of `x`; `NaN` for ±Infinity and `NaN`.
 * @example
 * ```ts
 * import { cos, cosExact } from "./s_sin.ts";
 * cosExact(Math.PI * 0.3) === cos(Math.PI * 0.3); // true, for every double
 * ```
 */
export function cosExact(x: number): number {
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
