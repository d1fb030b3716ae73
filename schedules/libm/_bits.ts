// The 32-bit words of a double, for the integer manipulations glibc does on `uint64_t` bits.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the low 32-bit word of a double in `u32` (0 on little-endian hosts). */
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** The high word (sign, exponent, top 20 fraction bits) of `x`, as an unsigned integer. */
export function highWord(x: number): number {
  f64[0] = x;
  return u32[HI]!;
}

/** The low word (the low 32 fraction bits) of `x`, as an unsigned integer. */
export function lowWord(x: number): number {
  f64[0] = x;
  return u32[LO]!;
}

/** The double whose bits are `hi << 32 | lo` (both taken modulo 2^32). */
export function fromWords(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0]!;
}
