/**
 * Port of optax's `optax/schedules/_join.py` (optax 0.2.8): {@linkcode joinSchedules}.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { array, fn, requireOptions, show } from "../_internal/validate.ts";
import { checkCount, dtypeOption, finiteResult, intOption } from "./_jax.ts";

/**
 * A schedule: a pure function from the step count to a value (optax's `base.Schedule`). The
 * count is an integer step, as optax's optimizers pass it (`count` in their state).
 */
export type Schedule = (count: number) => number;

/** Options of {@linkcode joinSchedules} (optax `join_schedules`). */
export interface JoinSchedulesOptions {
  /** The schedules, applied in turn (optax `schedules`). At least one. */
  schedules: readonly Schedule[];
  /**
   * The steps at which to move to the next schedule, one fewer than `schedules` (optax
   * `boundaries`). They need not be increasing: at step `t`, the schedule after the *last*
   * boundary `b` with `t >= b` runs, at `t - b`.
   */
  boundaries: readonly number[];
  /**
   * The JAX float dtype: `"float32"` (JAX's default) rounds the joined value to float32, as
   * `jnp.where` returns an array of that dtype; `"float64"` (`jax_enable_x64`) keeps it.
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

/**
 * Applies several schedules one after another. Port of optax `join_schedules` (optax 0.2.8,
 * `optax/schedules/_join.py`).
 *
 * ```text
 * output = schedules[0](step)
 * for each boundary b_i and schedule s_{i+1}:
 *   output = where(step < b_i, output, s_{i+1}(step − b_i))
 * ```
 *
 * Each schedule after the first receives the number of steps since its boundary. With at least
 * one boundary the result is what `jnp.where` returns: an array of the dtype, so in float32 a
 * schedule returning a Python float (such as a constant) is rounded to float32; with none it is
 * `schedules[0](step)` unchanged.
 *
 * Deliberate differences from optax: `boundaries` must have exactly one entry fewer than
 * `schedules` (optax's `zip` silently ignores the extra ones) and `schedules` must not be empty
 * (optax raises `IndexError` at the first call); only the schedule whose value is selected is
 * evaluated (optax evaluates every one and selects; the values are the same for pure schedules);
 * a schedule returning a non-finite value throws a `RangeError`.
 *
 * @param options `{ schedules, boundaries, dtype? }`.
 * @returns The joined schedule.
 * @throws {TypeError | RangeError} If `schedules` is empty or holds a non-function, or a boundary
 * is not an integer (within int32 for float32).
 *
 * @example Ten steps at 1, then a constant 0.1
 * ```ts
 * import { constantSchedule, joinSchedules } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * const schedule = joinSchedules({
 *   schedules: [constantSchedule({ value: 1 }), constantSchedule({ value: 0.1 })],
 *   boundaries: [10],
 *   dtype: "float64",
 * });
 * assert.equal(schedule(9), 1);
 * assert.equal(schedule(10), 0.1);
 * // In float32 (JAX's default) jnp.where returns a float32 array:
 * const f32 = joinSchedules({
 *   schedules: [constantSchedule({ value: 1 }), constantSchedule({ value: 0.1 })],
 *   boundaries: [10],
 * });
 * assert.equal(f32(10), Math.fround(0.1));
 * ```
 */
export function joinSchedules(options: JoinSchedulesOptions): Schedule {
  const owner = "joinSchedules";
  const o = requireOptions(owner, options, ["schedules", "boundaries", "dtype"]);
  const jax = dtypeOption(owner, o.dtype);
  const schedules = array(owner, "schedules", o.schedules).map((s, i) =>
    fn<Schedule>(owner, `schedules[${i}]`, s)
  );
  const boundaries = array(owner, "boundaries", o.boundaries).map((b, i) =>
    intOption(owner, `boundaries[${i}]`, b, jax)
  );
  if (schedules.length === 0) {
    throw optionError(
      RangeError,
      owner,
      "schedules",
      schedules,
      `\`schedules\` must not be empty (optax raises IndexError)`,
    );
  }
  if (boundaries.length !== schedules.length - 1) {
    throw optionError(
      RangeError,
      owner,
      "boundaries",
      boundaries,
      `\`boundaries\` must have one entry fewer than \`schedules\`: got ${boundaries.length} boundaries for ${schedules.length} schedules`,
    );
  }
  const evaluate = (i: number, count: number): number => {
    const value: unknown = schedules[i]!(count);
    if (typeof value !== "number") {
      throw optionError(
        TypeError,
        owner,
        `schedules[${i}]`,
        schedules[i],
        `schedules[${i}] returned ${show(value)} at count=${count}, not a number`,
      );
    }
    return value;
  };
  if (boundaries.length === 0) {
    return (step) => {
      checkCount(owner, step, jax);
      return finiteResult(owner, step, evaluate(0, step));
    };
  }
  return (step) => {
    checkCount(owner, step, jax);
    let selected = 0;
    for (let i = 0; i < boundaries.length; i++) if (!(step < boundaries[i]!)) selected = i + 1;
    const value = selected === 0
      ? evaluate(0, step)
      : evaluate(selected, jax.isub(step, boundaries[selected - 1]!));
    return finiteResult(owner, step, jax.float(value));
  };
}
