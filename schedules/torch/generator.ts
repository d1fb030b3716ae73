/**
 * Port of PyTorch's CPU random number generator as `torch.Generator()` exposes it: the mt19937
 * engine (`aten/src/ATen/core/MT19937RNGEngine.h`), `manual_seed`
 * (`CPUGeneratorImpl::set_current_seed`, `torch/csrc/Generator.cpp`), and the draws of a
 * one-element CPU `float32` tensor: `torch.randn(1, generator=g)` and `torch.rand(1, generator=g)`
 * (`aten/src/ATen/core/DistributionsHelper.h`, `TransformationHelper.h`, the serial branch of the
 * CPU `normal_` / `uniform_` kernels). timm's learning-rate noise draws from it.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { libm } from "../math.ts";
import { show } from "../_internal/validate.ts";

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UMASK = 0x80000000;
const LMASK = 0x7fffffff;

/** torch's `default_rng_seed_val`: the seed of a fresh `torch.Generator()`. */
export const DEFAULT_RNG_SEED_VAL: bigint = 67280421310721n;

const TWO_POW_32 = 2 ** 32;
const TWO_POW_MINUS_53 = 2 ** -53;
const TWO_POW_MINUS_24 = 2 ** -24;
const UINT64_LIMIT = 1n << 64n;
const INT64_MIN = -(1n << 63n);

/** mt19937's twist of two state words. */
function twist(u: number, v: number): number {
  return (((u & UMASK) | (v & LMASK)) >>> 1) ^ (v & 1 ? MATRIX_A : 0);
}

/**
 * torch's CPU generator (`torch.Generator()` on the CPU), bit for bit: the same 32-bit words,
 * the same doubles, the same `float32` results.
 *
 * ```text
 * manualSeed(s):  state[0] = s mod 2^32,
 *                 state[j] = 1812433253 · (state[j-1] ^ (state[j-1] >> 30)) + j   (mod 2^32)
 * random():       the next tempered mt19937 word
 * random64():     (random() << 32) | random()
 * rand():         float32((random() & (2^24 − 1)) · 2^-24)
 * randn():        u1, u2 = (random64() & (2^53 − 1)) · 2^-53           (two draws)
 *                 r = sqrt(−2 · log1p(−u2)),  θ = 2π · u1
 *                 float32(r · cos θ), caching r · sin θ for the next randn()
 * ```
 *
 * `randn()` is `torch.randn(1, generator=g).item()`: a tensor of fewer than 16 elements is filled
 * by torch's scalar Box–Muller in double precision, which produces two normals at a time and
 * keeps the second for the next call (`next_double_normal_sample`); seeding clears it.
 * `rand()` is `torch.rand(1, generator=g).item()`. Both return the `float32` value as a
 * double, as `.item()` does. Larger tensors use other code paths (16 at a time, vectorised) and
 * are not ported. `log1p`, `cos` and `sin` go through {@linkcode libm} (glibc's in torch); the
 * final rounding to `float32` hides a one-ULP difference of the runtime's libm except when a
 * double lies within one ULP of a `float32` rounding boundary.
 *
 * Port of torch `CPUGeneratorImpl` with `at::mt19937` (torch 2.11; torch 1.13 computes
 * `log(1 − u2)` instead of `log1p(−u2)`, which gave the same 12,000 reference draws).
 *
 * @example The noise timm draws at epoch 10 with `noise_seed = 42`
 * ```ts
 * import { TorchGenerator } from "@lrspec/lrspec/torch";
 * import assert from "node:assert/strict";
 *
 * const g = new TorchGenerator().manualSeed(42 + 10); // g.manual_seed(noise_seed + t)
 * const a = g.randn(); // torch.randn(1, generator=g).item()
 * g.manualSeed(52);
 * assert.equal(g.randn(), a);
 * assert.equal(Math.fround(a), a); // a float32 value
 * ```
 */
export class TorchGenerator {
  readonly #state = new Uint32Array(N);
  #left = 1;
  #next = 0;
  /** The seed; the state is filled from it on the first draw (`#filled`). */
  #seed: number | bigint = DEFAULT_RNG_SEED_VAL;
  #filled = false;
  #nextDoubleNormal: number | undefined = undefined;

  /** A generator seeded with torch's default seed, 67280421310721, as `torch.Generator()`. */
  constructor() {}

  /**
   * Seeds the generator, as `g.manual_seed(seed)`: a seed in [0, 2^64) is taken as it is, a
   * negative one in [−2^63, 0) as its two's-complement 64-bit pattern (torch's fallback to a
   * signed unpack). The mt19937 state is initialised from the low 32 bits; the cached normal is
   * discarded.
   *
   * @param seed An integer: a `number` (any integral double is exact) or a `bigint` for seeds
   * beyond 2^53.
   * @returns This generator, as torch's `manual_seed` returns the generator.
   * @throws {TypeError} If `seed` is not an integer (torch: "manual_seed expected a long").
   * @throws {RangeError} If `seed` is outside [−2^63, 2^64) (torch 1.13 raises `RuntimeError`,
   * "Overflow when unpacking long"; torch 2.11 `ValueError`, "… unpacking long long").
   */
  manualSeed(seed: number | bigint): this {
    if (typeof seed === "number" && Number.isSafeInteger(seed) && seed >= 0) {
      this.#seed = seed;
    } else {
      let s: bigint;
      if (typeof seed === "bigint") s = seed;
      else if (typeof seed === "number" && Number.isInteger(seed)) s = BigInt(seed);
      else {
        throw optionError(
          TypeError,
          "TorchGenerator",
          "seed",
          seed,
          `manual_seed expected an integer seed, but got ${show(seed)}`,
        );
      }
      if (s < INT64_MIN || s >= UINT64_LIMIT) {
        throw optionError(
          RangeError,
          "TorchGenerator",
          "seed",
          seed,
          `seed ${s} is outside [-2^63, 2^64) (torch: Overflow when unpacking long)`,
        );
      }
      this.#seed = s < 0n ? s + UINT64_LIMIT : s;
    }
    this.#nextDoubleNormal = undefined;
    this.#filled = false;
    return this;
  }

  /** The seed the engine was last seeded with, as an unsigned 64-bit integer (`initial_seed()`). */
  initialSeed(): bigint {
    return BigInt(this.#seed);
  }

  /** mt19937's `init_with_uint32`: the state from the seed's low 32 bits. */
  #fill(): void {
    const seed = this.#seed;
    const state = this.#state;
    state[0] = typeof seed === "bigint" ? Number(seed & 0xffffffffn) : seed % TWO_POW_32;
    for (let j = 1; j < N; j++) {
      const prev = state[j - 1]!;
      state[j] = Math.imul(1812433253, prev ^ (prev >>> 30)) + j;
    }
    this.#left = 1;
    this.#next = 0;
    this.#filled = true;
  }

  #nextState(): void {
    const s = this.#state;
    this.#left = N;
    this.#next = 0;
    let p = 0;
    for (; p < N - M; p++) s[p] = s[p + M]! ^ twist(s[p]!, s[p + 1]!);
    for (; p < N - 1; p++) s[p] = s[p + M - N]! ^ twist(s[p]!, s[p + 1]!);
    s[p] = s[p + M - N]! ^ twist(s[p]!, s[0]!);
  }

  /**
   * The next 32-bit word of the engine (`CPUGeneratorImpl::random()`).
   *
   * @returns An integer in [0, 2^32).
   */
  random(): number {
    if (!this.#filled) this.#fill();
    if (--this.#left === 0) this.#nextState();
    let y = this.#state[this.#next++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * torch's `uniform_real_distribution<double>(0, 1)`: the low 53 bits of `random64()` (the
   * first word high), times 2^-53.
   */
  #uniformDouble(): number {
    const hi = this.random();
    const lo = this.random();
    return ((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_MINUS_53;
  }

  /**
   * The next `torch.randn(1, generator=g).item()`: a standard normal, rounded to `float32`.
   *
   * @returns A `float32` value, as a double.
   */
  randn(): number {
    const mean = 0.0;
    const std = 1.0;
    let ret: number;
    if (this.#nextDoubleNormal !== undefined) {
      ret = this.#nextDoubleNormal;
      this.#nextDoubleNormal = undefined;
      return Math.fround(ret * std + mean);
    }
    const u1 = this.#uniformDouble();
    const u2 = this.#uniformDouble();
    const r = Math.sqrt(-2.0 * libm.log1p(-u2));
    const theta = 2.0 * Math.PI * u1;
    this.#nextDoubleNormal = r * libm.sin(theta);
    ret = r * libm.cos(theta);
    return Math.fround(ret * std + mean);
  }

  /**
   * The next `torch.rand(1, generator=g).item()`: uniform on [0, 1) with 24 random bits
   * (`uniform_real_distribution<float>`).
   *
   * @returns A `float32` value, as a double.
   */
  rand(): number {
    const from = 0.0;
    const to = 1.0;
    const x = (this.random() & 0xffffff) * TWO_POW_MINUS_24;
    return Math.fround(x * (to - from) + from);
  }
}
