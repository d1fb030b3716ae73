/**
 * Python's `repr` of a double (detectron2's and the fixtures' CSV format) written straight into a
 * byte buffer, without building a string: the hot path of `lrspec curve` on a curve that changes
 * every row (a cosine).
 *
 * Python's `repr` and JavaScript's `String(x)` both write the **shortest** decimal that reads
 * back as `x`, and the one closest to `x` among those (David Gay's `dtoa` mode 0; V8's and
 * JavaScriptCore's `double-conversion`); they differ only in the layout (`1e-05` against
 * `0.00001`, `2.0` against `2`). For `x` in (10⁻⁵, 1) — learning rates — this module finds those
 * digits itself, exactly, with integer arithmetic on 24-bit limbs (int32 operations):
 *
 * ```text
 * x = m·2^e;  R = x·2^72 = m·2^(e+72), an integer below 2^72;  M± = the half-gaps to x's
 * neighbours in the same unit (2^(e+71); 2^(e+70) below when m = 2^52)
 * lz = the zeros after the point;  R·10^lz, then R·100 nine times: 18 significant digits D
 *      (what passes 2^72), and the rest R < 2^72:  x·10^K = D + R/2^72, K = lz + 18
 * drop the j last digits (T = D mod 10^j) for the largest j where
 *      low:  T + R/2^72 ≤ M−·10^K/2^72        the truncation reads back as x
 *      high: T + R/2^72 + M+·10^K/2^72 ≥ 10^j  the truncation plus one reads back as x
 *      (< and > when m is odd: a boundary reads back as the even neighbour); both: the closer
 * ```
 *
 * (In this range no boundary decides: x ± its half-gap has at least 54 binary, so as many
 * decimal, fraction digits, more than any candidate's 22; and a power of two's narrower gap below
 * never removes a shorter candidate, its exact expansion having at most 17 digits. The even/odd and
 * power-of-two rules are kept because they are what the definition says.)
 *
 * Each holds for every j below one where it holds (the values that read back as x form an
 * interval), and j = 0 always holds (18 digits identify any double), which is what makes the
 * search from the end correct. Everything else (other magnitudes, negative numbers, zero,
 * integers, `NaN`, infinities, and a tie between two shortest candidates, which cannot happen in
 * this range) takes {@linkcode pyFloatRepr}, the reference. Tested against `String(x)` and
 * `pyFloatRepr` on every runtime (`repr_bytes_test.ts`); BENCH.md gives the 10^8-value comparison
 * (`scripts/repr_proof.ts`).
 *
 * @module
 */

import { pyFloatRepr } from "../schedules/python.ts";

const L = 16777216; // 2^24, one limb
const MASK = L - 1;
const HALF = L / 2;
const INV_L = 1 / L;
const L2 = L * L;
const L3 = L2 * L;
const INV_L2 = 1 / L2;
const INV_L3 = 1 / L3;

/**
 * 10^i for i ≤ 22, exact doubles built by multiplication (`**` is not trusted: Node 20's
 * `10 ** -4` is not the double 1e-4).
 */
const POW10 = new Float64Array(23);
/** 2^i for i < 64. */
const POW2 = new Float64Array(64);
for (let i = 0, p = 1; i < 23; i++, p *= 10) POW10[i] = p;
for (let i = 0, p = 1; i < 64; i++, p *= 2) POW2[i] = p;

/** "00" … "99" as ASCII pairs. */
const PAIRS = Uint8Array.from(
  { length: 200 },
  (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)),
);

/**
 * The most bytes {@linkcode writeRepr} writes (`-2.2250738585072014e-308`), and the room it
 * needs: it may use that many bytes from `pos` as scratch space before settling on its text.
 */
export const REPR_MAX_BYTES = 24;

/**
 * Writes Python's `repr(x)` (as {@linkcode pyFloatRepr}) as ASCII bytes into `buf` from `pos`.
 *
 * @param x Any number.
 * @param buf The buffer; it must have at least {@linkcode REPR_MAX_BYTES} bytes free at `pos`.
 * @param pos Where to write.
 * @returns The position after the last byte written.
 */
export function writeRepr(x: number, buf: Uint8Array, pos: number): number {
  const end = writeShortFraction(x, buf, pos);
  if (end >= 0) return end;
  if (x > 0 && x <= 1e-5) return writeSmall(x, buf, pos);
  const s = pyFloatRepr(x);
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/**
 * Python's repr of 0 < x ≤ 1e-5 (the tail of a decay to zero) from `String(x)`'s digits, the
 * same shortest digits: always Python's exponent form, `d.ddde-0n`. `String` writes
 * `0.00000ddd` down to 1e-6 and `d.ddde-n` below.
 */
function writeSmall(x: number, buf: Uint8Array, pos: number): number {
  const s = String(x);
  let exponent: number;
  let i = 0;
  let end = s.length;
  if (s.charCodeAt(1) === 46 && s.charCodeAt(0) === 48) {
    // 0.000001 … 0.00001: the zeros after the point, then the digits.
    i = 2;
    while (s.charCodeAt(i) === 48) i++;
    exponent = i - 1;
  } else {
    // d.ddde-n (n ≥ 7)
    end = s.indexOf("e");
    exponent = -Number(s.slice(end + 1));
  }
  buf[pos++] = s.charCodeAt(i++);
  if (i < end && s.charCodeAt(i) === 46) i++; // String's own point, after the first digit
  if (i < end) {
    buf[pos++] = 46;
    while (i < end) buf[pos++] = s.charCodeAt(i++);
  }
  buf[pos++] = 101; // e
  buf[pos++] = 45; // -
  if (exponent < 10) buf[pos++] = 48;
  const e = String(exponent);
  for (let k = 0; k < e.length; k++) buf[pos++] = e.charCodeAt(k);
  return pos;
}

/**
 * The fast path of {@linkcode writeRepr}: `x` in (10⁻⁵, 1) written from its exact shortest
 * digits, returning the end; -1 for any other `x` (or the tie that cannot happen in this range),
 * the bytes at `pos` then being scratch. Needs {@linkcode REPR_MAX_BYTES} bytes of room.
 */
export function writeShortFraction(x: number, buf: Uint8Array, pos: number): number {
  // Above 1e-5 (a double above 10⁻⁵ itself; likewise 0.1 … 0.0001 lie above their powers of
  // ten, so the comparisons count the zeros exactly), lz ≤ 4 and K = lz + 18 ≤ 22: 10^K times a
  // power of two is an exact double (5^22 < 2^53).
  if (!(x > 1e-5 && x < 1)) return -1;
  const lz = x >= 0.1 ? 0 : x >= 0.01 ? 1 : x >= 0.001 ? 2 : x >= 0.0001 ? 3 : 4;
  // R = x·2^72, exact (a power-of-two scaling) and an integer below 2^72: x ≥ 2^-17 has no bit
  // below 2^-69. Its limbs, R = r0·2^48 + r1·2^24 + r2, each split exact.
  const r = x * 4722366482869645213696; // 2^72
  let r0 = (r * INV_L2) | 0;
  const r12 = r - r0 * L2;
  let r1 = (r12 * INV_L) | 0;
  let r2 = r12 - r1 * L;
  // x = m·2^e, m = 2^52 + fraction: x ∈ [2^k, 2^(k+1)) with k = 7 − clz32(r0) (r0 = ⌊x·2^24⌋ ≥ 2^7),
  // e = k − 52, and R = m·2^s with s = e + 72 ∈ [3, 19]: m's lowest bit is R's bit s (in r2), and
  // m = 2^52 (x a power of two) leaves only r0's top bit.
  const s = 27 - Math.clz32(r0);
  const even = ((r2 >> s) & 1) === 0;
  const pow2 = r1 === 0 && r2 === 0 && (r0 & (r0 - 1)) === 0;
  if (lz > 0) {
    const p = POW10[lz]!;
    let t = r2 * p;
    let c = Math.floor(t * INV_L);
    r2 = t - c * L;
    t = r1 * p + c;
    c = Math.floor(t * INV_L);
    r1 = t - c * L;
    r0 = r0 * p + c;
  }
  r0 |= 0;
  r1 |= 0;
  r2 |= 0;
  // 18 significant digits, two per step (R·100: every value below 2^31), straight to their place:
  // digit k after the point at pos + 1 + k, the lz zeros before them (the exponent form is moved
  // into shape at the end).
  const K = lz + 18;
  const at = pos + 1;
  for (let k = at + lz + 1; k < at + K; k += 2) {
    let u = r2 * 100;
    r2 = u & MASK;
    u = r1 * 100 + (u >>> 24);
    r1 = u & MASK;
    u = r0 * 100 + (u >>> 24);
    r0 = u & MASK;
    const d = (u >>> 24) << 1;
    buf[k] = PAIRS[d]!;
    buf[k + 1] = PAIRS[d + 1]!;
  }
  // The half-gaps at scale K, M±·10^K (exact doubles), as q + f/2^72 with q an integer (≤ 12).
  const mp = POW2[s - 1]! * POW10[K]!;
  const mm = pow2 ? mp * 0.5 : mp;
  const qp = (mp * INV_L3) | 0;
  const qm = (mm * INV_L3) | 0;
  // The largest j (at most 17) for which low or high holds. T and q are integers and R/2^72 < 1,
  // so only T = qm (low) and T + qp ∈ {10^j − 1, 10^j} (high) compare the fractions.
  let j = 0;
  let tj = 0; // T for j
  let pj = 1; // 10^j
  let low = false;
  let high = false;
  let ta = 0; // T, 10^j and j of the last j that held
  let pa = 1;
  let ja = 0;
  for (;;) {
    const l = tj < qm || (tj === qm && lowFraction(r0, r1, r2, mm - qm * L3, even));
    const sum = tj + qp;
    const h = sum > pj ||
      (sum === pj && (even || r0 !== 0 || r1 !== 0 || r2 !== 0 || mp !== qp * L3)) ||
      (sum === pj - 1 && highFraction(r0, r1, r2, mp - qp * L3, even));
    if (!l && !h) break;
    low = l;
    high = h;
    ta = tj;
    pa = pj;
    ja = j;
    if (j === 17) break;
    tj += (buf[at + K - j]! - 48) * pj;
    pj *= 10;
    j++;
  }
  if (!low && !high) return -1; // (18 digits always read back: not reached)
  const n = 18 - ja; // significant digits kept
  let up = high;
  if (low && high) {
    // Both read back as x: the closer, T + R/2^72 against 10^j / 2. For j ≥ 1, 2T and 10^j are
    // even and R/2^72 < 1, so 2T against 10^j decides unless they are equal.
    if (ja === 0) {
      if (r0 === HALF && r1 === 0 && r2 === 0) return -1; // a tie
      up = r0 >= HALF;
    } else {
      if (2 * ta === pa && r0 === 0 && r1 === 0 && r2 === 0) return -1; // a tie
      up = 2 * ta >= pa;
    }
  }
  const last = at + lz + n; // the last digit kept
  if (up) {
    // Rounding up never carries here (a 9 made 10 would have been a shorter candidate), except
    // into the zeros (x just below a power of ten): left to the reference.
    if (buf[last] === 57) return -1;
    buf[last]!++;
  }
  if (lz <= 3) {
    // x ≥ 1e-4: 0.000ddd (Python's repr and String(x) alike).
    buf[pos] = 48;
    buf[pos + 1] = 46;
    for (let i = pos + 2; i < pos + 2 + lz; i++) buf[i] = 48;
    return last + 1;
  }
  // 1e-5 < x < 1e-4: d.ddde-05 (Python's exponent form, two exponent digits), from
  // 0.0000dddd at pos.
  buf[pos] = buf[pos + 6]!;
  if (n > 1) {
    buf[pos + 1] = 46;
    buf.copyWithin(pos + 2, pos + 7, last + 1);
    pos += n + 1;
  } else pos += 1;
  buf[pos++] = 101; // e
  buf[pos++] = 45; // -
  buf[pos++] = 48;
  buf[pos++] = 53; // 5
  return pos;
}

/** R/2^72 ≤ f/2^72 (m even) or < (m odd), for R = (r0, r1, r2) and an integer f < 2^72. */
function lowFraction(r0: number, r1: number, r2: number, f: number, even: boolean): boolean {
  const f0 = Math.floor(f * INV_L2);
  const f12 = f - f0 * L2;
  const f1 = Math.floor(f12 * INV_L);
  const f2 = f12 - f1 * L;
  if (r0 !== f0) return r0 < f0;
  if (r1 !== f1) return r1 < f1;
  if (r2 !== f2) return r2 < f2;
  return even;
}

/** R + f ≥ 2^72 (m even) or > 2^72 (m odd), for R = (r0, r1, r2) and an integer f < 2^72. */
function highFraction(r0: number, r1: number, r2: number, f: number, even: boolean): boolean {
  const f0 = Math.floor(f * INV_L2);
  const f12 = f - f0 * L2;
  const f1 = Math.floor(f12 * INV_L);
  const f2 = f12 - f1 * L;
  let v2 = r2 + f2;
  let carry = v2 >= L ? 1 : 0;
  v2 -= carry * L;
  let v1 = r1 + f1 + carry;
  carry = v1 >= L ? 1 : 0;
  v1 -= carry * L;
  const v0 = r0 + f0 + carry;
  if (v0 !== L) return v0 > L;
  return v1 !== 0 || v2 !== 0 || even;
}
