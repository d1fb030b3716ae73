/**
 * `exp(x)` exactly as glibc 2.36 computes it on x86-64 (its FMA variant, `__exp_fma`).
 *
 * Port of Arm optimized-routines `math/exp.c` (Szabolcs Nagy, 2018; MIT OR Apache-2.0 WITH
 * LLVM-exception, see `LICENSE-optimized-routines`), which glibc ships as
 * `sysdeps/ieee754/dbl-64/e_exp.c` since 2.28. glibc's x86-64 build compiles it with `-mfma` and
 * GCC contracts seven multiply-adds; each is an {@linkcode fma} here, at the place GCC 12.2 put it
 * (read from `-fdump-tree-optimized` of the same source with Debian's flags, and checked against
 * this machine's `libm.so.6` bit for bit).
 *
 * ```text
 * exp(x) = 2^(k/N) · exp(r),  x = k·ln2/N + r,  |r| <= ln2/2N,  N = 128
 * ```
 *
 * @module
 */

import { fma } from "./fma.ts";
import { fromWords, highWord, lowWord } from "./_bits.ts";
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

const C0 = C[0]!, C1 = C[1]!, C2 = C[2]!, C3 = C[3]!;
const TOP12_TINY = 0x3c9; // top12(0x1p-54)
const TOP12_512 = 0x408;
const TOP12_1024 = 0x409;

/**
 * glibc's result scaled out of the range where `scale` is a normal double (`|x| > 512`).
 * `hi`/`lo` are the words of `sbits`, `ki` the low word of the rounding integer.
 * @internal
 */
export function specialCase(
  tmp: number,
  hi: number,
  lo: number,
  ki: number,
  signed: boolean,
): number {
  if ((ki & 0x80000000) === 0) {
    // k > 0: the exponent of scale may have overflowed by <= 460.
    const scale = fromWords((hi - (1009 << 20)) >>> 0, lo);
    return 2 ** 1009 * fma(tmp, scale, scale);
  }
  // k < 0: round once in the normal range, then scale into the subnormals.
  const sbitsHi = (hi + (1022 << 20)) >>> 0;
  const scale = fromWords(sbitsHi, lo);
  const st = tmp * scale;
  let y = scale + st;
  if (signed ? Math.abs(y) < 1 : y < 1) {
    const one = y < 0 ? -1 : 1;
    let l = (scale - y) + st;
    const h = y + one;
    l = l + ((one - h) + y);
    y = (h + l) - one;
    if (y === 0) y = signed && sbitsHi >>> 31 ? -0 : 0;
  }
  return 2 ** -1022 * y;
}

/**
 * `exp(x)` as glibc's x86-64 `exp` (Python's `math.exp` on Linux), bit for bit.
 *
 * @param x Any double.
 * @returns `e^x`; `Infinity` above ~709.78, `0` below ~-745.13, `NaN` for `NaN`.
 * @example
 * ```ts
 * import { exp } from "./exp.ts";
 * exp(1); // 2.718281828459045
 * ```
 */
export function exp(x: number): number {
  let abstop = (highWord(x) >>> 20) & 0x7ff;
  if (((abstop - TOP12_TINY) >>> 0) >= TOP12_512 - TOP12_TINY) {
    if (abstop < TOP12_TINY) return 1 + x; // |x| < 2^-54, and 0
    if (abstop >= TOP12_1024) {
      if (x === -Infinity) return 0;
      if (abstop >= 0x7ff) return 1 + x;
      return x < 0 ? 0 : Infinity;
    }
    abstop = 0; // large |x|: scaled in specialCase
  }
  // x = ln2/N·k + r, with an integer k and r in [-ln2/2N, ln2/2N].
  let kd = fma(INV_LN2_N, x, SHIFT);
  const ki = lowWord(kd);
  kd -= SHIFT;
  const r = fma(NEG_LN2_LO_N, kd, fma(NEG_LN2_HI_N, kd, x));
  // 2^(k/N) ~= scale·(1 + tail)
  const i = ki & 127;
  const hi = (T_HI[i]! + (ki << 13)) >>> 0;
  const lo = T_LO[i]!;
  const r2 = r * r;
  const tmp = fma(r2 * r2, fma(C3, r, C2), fma(fma(C1, r, C0), r2, r + T_TAIL[i]!));
  if (abstop === 0) return specialCase(tmp, hi, lo, ki, false);
  const scale = fromWords(hi, lo);
  return fma(tmp, scale, scale);
}
