// Copyright (C) 2001-2022 Free Software Foundation, Inc. (IBM Accurate Mathematical Library).
// TypeScript port for lrspec, 2026. This file is part of lrspec's `glibc` module and, like the
// glibc source it is derived from, is free software under the GNU Lesser General Public License
// version 2.1 or (at your option) any later version (see ./LICENSE). It is distributed WITHOUT ANY
// WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR
// PURPOSE.

/**
 * glibc's `__branred`: reduction of a huge double modulo π/2, as glibc 2.36 computes it
 * (`sysdeps/ieee754/dbl-64/branred.c`, compiled without FMA, so plain double arithmetic).
 *
 * @module
 */

/** 2/π in base 2^24 digits (glibc's `toverp`). */
const TOVERP: readonly number[] = [
  10680707,
  7228996,
  1387004,
  2578385,
  16069853,
  12639074,
  9804092,
  4427841,
  16666979,
  11263675,
  12935607,
  2387514,
  4345298,
  14681673,
  3074569,
  13734428,
  16653803,
  1880361,
  10960616,
  8533493,
  3062596,
  8710556,
  7349940,
  6258241,
  3772886,
  3769171,
  3798172,
  8675211,
  12450088,
  3874808,
  9961438,
  366607,
  15675153,
  9132554,
  7151469,
  3571407,
  2607881,
  12013382,
  4155038,
  6285869,
  7677882,
  13102053,
  15825725,
  473591,
  9065106,
  15363067,
  6271263,
  9264392,
  5636912,
  4652155,
  7056368,
  13614112,
  10155062,
  1944035,
  9527646,
  15080200,
  6658437,
  6231200,
  6832269,
  16767104,
  5075751,
  3212806,
  1398474,
  7579849,
  6349435,
  12618859,
  4703257,
  12806093,
  14477321,
  2786137,
  12875403,
  9837734,
  14528324,
  13719321,
  343717,
];

const tm600 = 2 ** -600;
const split = 134217729; // 2^27 + 1
const big = 6755399441055744; // 0x1.8p52
const big1 = 27021597764222976; // 0x1.8p54
const hp0 = 1.5707963267948966; // 0x1.921FB54442D18p0
const hp1 = 6.123233995736766e-17; // 0x1.1A62633145C07p-54
const mp1 = 1.5707963407039642; // 0x1.921FB58000000p0
const mp2 = -1.3909067675399456e-08; // 0xBE4DDE9740000000
const tm24 = 2 ** -24;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const r = new Float64Array(6);

/** One half (x1 or x2) of the reduction: sum (integer part, mod 4 later), b + bb (fraction). */
function part(x: number, out: Float64Array): void {
  f64[0] = x;
  let k = (u32[HI]! >>> 20) & 2047;
  k = Math.trunc((k - 450) / 24);
  if (k < 0) k = 0;
  let gor = 2 ** (576 - k * 24); // t576 with (k·24) taken off its exponent
  for (let i = 0; i < 6; i++) {
    r[i] = x * TOVERP[k + i]! * gor;
    gor *= tm24;
  }
  let sum = 0;
  let s: number;
  for (let i = 0; i < 3; i++) {
    s = (r[i]! + big) - big;
    sum += s;
    r[i] = r[i]! - s;
  }
  let t = 0;
  for (let i = 0; i < 6; i++) t += r[5 - i]!;
  let bb = (((((r[0]! - t) + r[1]!) + r[2]!) + r[3]!) + r[4]!) + r[5]!;
  s = (t + big) - big;
  sum += s;
  t -= s;
  const b = t + bb;
  bb = (t - b) + bb;
  s = (sum + big1) - big1;
  sum -= s;
  out[0] = sum;
  out[1] = b;
  out[2] = bb;
}

const p1 = new Float64Array(3);
const p2 = new Float64Array(3);

/**
 * Reduces a finite `x` with |x| >= 105414350 to `x = n·π/2 + (a + aa)`, |a + aa| <= π/4.
 *
 * @param x A finite double.
 * @param out Receives `a` (index 0) and `aa` (index 1).
 * @returns `n` mod 4.
 */
export function branred(x: number, out: Float64Array): number {
  x *= tm600;
  let t = x * split; // split x into two numbers
  const x1 = t - (t - x);
  const x2 = x - x1;
  part(x1, p1);
  part(x2, p2);
  const b1 = p1[1]!, bb1 = p1[2]!, b2 = p2[1]!, bb2 = p2[2]!;
  let sum = p1[0]! + p2[0]!;
  let b = b1 + b2;
  let bb = Math.abs(b1) > Math.abs(b2) ? (b1 - b) + b2 : (b2 - b) + b1;
  if (b > 0.5) {
    b -= 1.0;
    sum += 1.0;
  } else if (b < -0.5) {
    b += 1.0;
    sum -= 1.0;
  }
  let s = b + (bb + bb1 + bb2);
  t = ((b - s) + bb) + (bb1 + bb2);
  b = s * split;
  const t1 = b - (b - s);
  const t2 = s - t1;
  b = s * hp0;
  bb = (((t1 * mp1 - b) + t1 * mp2) + t2 * mp1) + (t2 * mp2 + s * hp1 + t * hp0);
  s = b + bb;
  t = (b - s) + bb;
  out[0] = s;
  out[1] = t;
  return Math.trunc(sum) & 3;
}
