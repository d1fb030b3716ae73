/**
 * Deterministic arguments for the libm tests: the same on every runtime and in the browser (the
 * function is self-contained, so the Chromium test can ship its source to the page), and fed to
 * this machine's C library by `scripts/libm/make_fixture.ts` to record glibc's results.
 *
 * A quarter of the arguments lie where LR schedules call the function (`cos(π·progress)`,
 * `gamma ** k`, `(1 - where) ** power`, `log(1 + …)`, `tanh` of a few units, …), a quarter in
 * wider practical ranges, a quarter are random bit patterns over the whole double range (huge
 * arguments included), and a quarter are special values, subnormals and powers of two.
 *
 * @module
 */

/** The functions the fixture covers. */
export const LIBM_FUNCTIONS = [
  "cos",
  "sin",
  "exp",
  "log",
  "log1p",
  "tanh",
  "expm1",
  "pow",
] as const;

/** One of {@linkcode LIBM_FUNCTIONS}. */
export type LibmFunction = typeof LIBM_FUNCTIONS[number];

/**
 * `count` arguments for `fn` (pairs x, y interleaved for `pow`), from a seed.
 *
 * @param fn The function's name.
 * @param count How many arguments (pairs for `pow`).
 * @param seed Any 32-bit integer.
 * @returns The arguments, `count` (or `2·count` for `pow`) doubles.
 */
export function libmCases(fn: string, count: number, seed: number): Float64Array {
  // xorshift128 on 32-bit words (Marsaglia 2003): only integer operations, so identical everywhere.
  let a = seed | 0 || 1, b = 362436069, c = 521288629, d = 88675123;
  const next = (): number => {
    const t = a ^ (a << 11);
    a = b;
    b = c;
    c = d;
    d = (d ^ (d >>> 19)) ^ (t ^ (t >>> 8));
    return d >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const lo = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
  /** A uniform double in [0, 1) with 53 random bits. */
  const unit = (): number => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  const bits = (): number => {
    u32[lo] = next();
    u32[1 - lo] = next();
    return f64[0]!;
  };
  const specials = [
    0,
    -0,
    1,
    -1,
    Infinity,
    -Infinity,
    NaN,
    0.5,
    -0.5,
    2,
    -2,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    2.225073858507201e-308,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    Math.PI,
    Math.PI / 2,
    709.782712893384,
    -745.1332191019411,
    1e300,
    1e22,
    2 ** -54,
    2 ** -27,
    2 ** -26,
    0.855469,
    2.426265,
    105414350,
    105414349.99999999,
  ];
  /** A special value, a subnormal, a power of two or a value spread over all binades. */
  const edge = (): number => {
    const pick = next() % 4;
    const sign = next() & 1 ? -1 : 1;
    if (pick === 0) return specials[next() % specials.length]!;
    if (pick === 1) {
      u32[lo] = next();
      u32[1 - lo] = next() & 0x800fffff; // subnormal
      return f64[0]!;
    }
    if (pick === 2) return sign * 2 ** ((next() % 2098) - 1074);
    return sign * (0.5 + unit()) * 2 ** ((next() % 2098) - 1074);
  };
  const schedule = (): number => {
    const u = unit();
    const pick = next() % 4;
    switch (fn) {
      case "cos":
      case "sin":
        if (pick === 0) return Math.PI * u;
        if (pick === 1) return Math.PI * (next() % 100001) / (1 + (next() % 100000));
        if (pick === 2) return 2 * Math.PI * u;
        return Math.PI * 64 * u;
      case "exp":
        return pick === 0 ? -u : (u * 2 - 1) * (pick === 1 ? 10 : 745);
      case "log":
        return pick === 0 ? u : pick === 1 ? 1 + u * 16 : 1 + (next() % 1000000);
      case "log1p":
        return pick === 0 ? -u : pick === 1 ? u : -(1 - u * 2 ** -(next() % 53));
      case "tanh":
        return (u * 2 - 1) * (pick === 0 ? 4 : 25);
      case "expm1":
        return (u * 2 - 1) * (pick === 0 ? 1 : 40);
      default:
        return u;
    }
  };
  const wide = (): number => (unit() * 2 - 1) * 2 ** ((next() % 64) - 32);
  const width = fn === "pow" ? 2 : 1;
  const out = new Float64Array(count * width);
  for (let i = 0; i < count; i++) {
    const kind = i & 3;
    if (fn === "pow") {
      let x: number, y: number;
      if (kind === 0) {
        const pick = next() % 4;
        const u = unit();
        if (pick === 0) [x, y] = [1 - u, unit() * 10]; // (1 - where) ** power
        else if (pick === 1) [x, y] = [0.01 + 0.99 * u, next() % 1001]; // gamma ** k
        else if (pick === 2) [x, y] = [1e-6 + u * 10, u * 4 - 2]; // decay ** where, x ** -0.5
        else [x, y] = [1 + (next() % 100000), -unit()]; // step ** -power
      } else if (kind === 1) [x, y] = [Math.abs(wide()), wide()];
      else if (kind === 2) [x, y] = [bits(), next() % 4 === 0 ? (next() % 2001) - 1000 : bits()];
      else [x, y] = [edge(), next() % 2 === 0 ? edge() : (next() % 41) - 20];
      out[2 * i] = x;
      out[2 * i + 1] = y;
    } else {
      out[i] = kind === 0 ? schedule() : kind === 1 ? wide() : kind === 2 ? bits() : edge();
    }
  }
  return out;
}

/**
 * FNV-1a (64-bit) of the bits of `values`, all NaNs counted as one: a digest that changes with
 * any one bit of any result. Computed on 16-bit limbs so that it needs no BigInt.
 *
 * @param values The results.
 * @returns 16 hexadecimal digits.
 */
export function bitsDigest(values: Float64Array): string {
  const f64 = new Float64Array(1);
  const u8 = new Uint8Array(f64.buffer);
  const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  // h = 0xcbf29ce484222325 as four 16-bit limbs, least significant first.
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    f64[0] = v !== v ? NaN : v;
    for (let j = 0; j < 8; j++) {
      h0 ^= u8[le ? j : 7 - j]!;
      // h *= 0x100000001b3 (limbs 0x01b3, 0, 0x0100, 0), modulo 2^64.
      const t0 = h0 * 0x1b3;
      const t1 = h1 * 0x1b3 + (t0 >>> 16);
      const t2 = h2 * 0x1b3 + (t1 >>> 16) + h0 * 0x100;
      const t3 = h3 * 0x1b3 + (t2 >>> 16) + h1 * 0x100;
      h0 = t0 & 0xffff;
      h1 = t1 & 0xffff;
      h2 = t2 & 0xffff;
      h3 = t3 & 0xffff;
    }
  }
  const hex = (n: number) => n.toString(16).padStart(4, "0");
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}
