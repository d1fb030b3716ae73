/**
 * What timm's cycle schedulers (cosine, tanh, poly) and its warmup share, written once
 * (private to `schedules/timm/`): the warmup increments, the cycle index of `t` and
 * `get_cycle_length`.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { pyMax } from "../_internal/python.ts";
import { floatPow, floorDiv, logBase, trueDiv } from "../_internal/python.ts";

/**
 * timm's warmup increments: `(v − warmupLrInit) / warmupT` per value when `warmupT` is truthy,
 * else `1` per value (unused then).
 */
export function warmupSteps(
  owner: string,
  values: readonly number[],
  warmupLrInit: number,
  warmupT: number,
): number[] {
  if (warmupT) return values.map((v) => trueDiv(owner, v - warmupLrInit, warmupT, "timm"));
  return values.map(() => 1);
}

/** The warmup value at `t < warmupT`: `warmupLrInit + t · step` per group. */
export function warmupValues(warmupLrInit: number, t: number, steps: readonly number[]): number[] {
  return steps.map((s) => warmupLrInit + t * s);
}

/** The cycle a position falls in: its index `i`, length `tI` and position within it `tCurr`. */
export interface CyclePosition {
  /** The cycle index (a Python `int` from `math.floor`, or `t // tInitial`). */
  i: number;
  /** The cycle's length. */
  tI: number;
  /** The position within the cycle. */
  tCurr: number;
}

/**
 * timm's cycle arithmetic, as in `CosineLRScheduler._get_lr` (and tanh, poly):
 *
 * ```text
 * cycleMul ≠ 1:  i = floor(log(1 − t / tInitial · (1 − cycleMul), cycleMul))
 *                tI = cycleMul ** i · tInitial
 *                tCurr = t − (1 − cycleMul ** i) / (1 − cycleMul) · tInitial
 * cycleMul = 1:  i = t // tInitial,  tI = tInitial,  tCurr = t − tInitial · i
 * ```
 */
export function cyclePosition(
  owner: string,
  t: number,
  tInitial: number,
  cycleMul: number,
): CyclePosition {
  if (cycleMul !== 1) {
    const i = Math.floor(
      logBase(
        owner,
        1 - trueDiv(owner, t, tInitial, "timm", "tInitial") * (1 - cycleMul),
        cycleMul,
        "timm",
        "cycleMul",
      ),
    );
    const tI = floatPow(owner, cycleMul, i, "timm") * tInitial;
    const tCurr = t -
      trueDiv(owner, 1 - floatPow(owner, cycleMul, i, "timm"), 1 - cycleMul, "timm") * tInitial;
    return { i, tI, tCurr };
  }
  const i = floorDiv(owner, t, tInitial, "timm", "tInitial");
  return { i, tI: tInitial, tCurr: t - (tInitial * i) };
}

/** The options `get_cycle_length` reads. */
export interface CycleLengthSource {
  /** Length of the first cycle. */
  tInitial: number;
  /** Cycle length multiplier. */
  cycleMul: number;
  /** Number of cycles. */
  cycleLimit: number;
  /** Warmup length. */
  warmupT: number;
  /** Whether the warmup comes before the cycles. */
  warmupPrefix: boolean;
}

/**
 * timm's `get_cycle_length(cycles=0)`: the length of `cycles` cycles (`cycleLimit` when 0, at
 * least 1), plus `warmupT` when the warmup is a prefix.
 *
 * ```text
 * cycles = max(1, cycles or cycleLimit)
 * cycleMul = 1:  tInitial · cycles
 * otherwise:     int(floor(−tInitial · (cycleMul ** cycles − 1) / (1 − cycleMul)))
 * ```
 */
export function cycleLength(owner: string, s: CycleLengthSource, cycles: number): number {
  const n = pyMax(1, cycles || s.cycleLimit);
  const t = s.cycleMul === 1.0 ? s.tInitial * n : Math.floor(
    trueDiv(
      owner,
      -s.tInitial * (floatPow(owner, s.cycleMul, n, "timm") - 1),
      1 - s.cycleMul,
      "timm",
    ),
  );
  if (!Number.isFinite(t)) {
    throw optionError(
      RangeError,
      owner,
      "cycleMul",
      s.cycleMul,
      `the cycle length overflows (timm raises OverflowError)`,
    );
  }
  return s.warmupPrefix ? t + s.warmupT : t;
}
