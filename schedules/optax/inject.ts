/**
 * Port of optax's `WrappedSchedule` (`optax/schedules/_inject.py`, optax 0.2.8): a stateful
 * schedule around a stateless one, as `inject_hyperparams` wraps every schedule it is given.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { show } from "../_internal/validate.ts";
import type { Schedule } from "./join.ts";

/** The largest int32, where optax's `numerics.safe_increment` stops a count. */
const INT32_MAX = 2147483647;

/** The state of a {@linkcode WrappedSchedule} (optax `WrappedScheduleState`). */
export interface WrappedScheduleState {
  /** The step count, an int32 (JAX `int32` array in optax): 0 after `init()`. */
  readonly count: number;
}

function requireState(owner: string, state: unknown): number {
  if (typeof state !== "object" || state === null) {
    throw optionError(
      TypeError,
      owner,
      "state",
      state,
      `the state must be a WrappedScheduleState: got ${show(state)}`,
    );
  }
  const count = (state as { count?: unknown }).count;
  if (typeof count !== "number") {
    throw optionError(
      TypeError,
      owner,
      "state.count",
      count,
      `\`state.count\` must be a number: got ${show(count)}`,
    );
  }
  if (!Number.isInteger(count) || count < -INT32_MAX - 1 || count > INT32_MAX) {
    throw optionError(
      RangeError,
      owner,
      "state.count",
      count,
      `\`state.count\` must be an int32: got ${show(count)}`,
    );
  }
  return count;
}

/**
 * A stateful schedule that wraps a stateless one: the state is the step count, `init()` starts
 * it at 0, `update(state)` adds 1 (stopping at the int32 maximum, optax's `safe_increment`) and
 * `call(state)` — Python's `wrapped(state)` — is `scheduleFn(state.count)`. Port of optax
 * `optax.schedules.WrappedSchedule` (optax 0.2.8), the wrapper `inject_hyperparams` puts around
 * every schedule it is given.
 *
 * ```text
 * init()        → { count: 0 }                                   (jnp.zeros([], int32))
 * update(state) → { count: count < 2³¹ − 1 ? count + 1 : 2³¹ − 1 } (numerics.safe_increment)
 * call(state)   → scheduleFn(count)                              (__call__; extra args ignored)
 * ```
 *
 * The count is an int32 whatever the dtype. In JAX's default float32 that is the count every
 * schedule is evaluated on anyway, and `call(state)` equals `scheduleFn(count)` bit for bit: the
 * goldens (`fixtures/optax-wrapped`, from optax 0.2.8 itself) check every schedule function of
 * optax. With `jax_enable_x64` optax still hands the schedule an int32 count, where
 * `schedule(step)` gets an int64 one, and several schedules then compute partly in float32
 * (`polynomial_schedule`, `linear_schedule`, `exponential_decay`, the `warmup_*` schedules, the
 * onecycles, `piecewise_interpolate_schedule`; measured in the README's optax section): a
 * `"float64"` lrspec schedule gives `schedule(step)`'s value, which is what optax's wrapped value
 * is only for `constant_schedule`, `cosine_decay_schedule`, `piecewise_constant_schedule` and
 * schedules built from them. Wrap `"float32"` schedules to reproduce optax exactly.
 *
 * Deliberate differences: the state is a plain object `{ count }` (optax's is a `NamedTuple` of
 * a JAX array) and is validated (an int32); the states are never mutated.
 *
 * @example `inject_hyperparams`' view of a schedule: one value per optimizer step
 * ```ts
 * import { linearSchedule, WrappedSchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * // optax.WrappedSchedule(optax.linear_schedule(0.0, 1e-3, 4))
 * const wrapped = new WrappedSchedule(
 *   linearSchedule({ initValue: 0, endValue: 1e-3, transitionSteps: 4 }),
 * );
 * let state = wrapped.init(); // { count: 0 }
 * const lrs: number[] = [];
 * for (let step = 0; step < 6; step++) {
 *   lrs.push(wrapped.call(state)); // the learning rate of this optimizer step
 *   state = wrapped.update(state);
 * }
 * assert.equal(state.count, 6);
 * // float32 values, as optax returns them (optax 0.2.8, jax 0.10.2)
 * assert.deepEqual(lrs, [
 *   0,
 *   0.0002500000409781933,
 *   0.0005000000237487257,
 *   0.000750000006519258,
 *   0.0010000000474974513,
 *   0.0010000000474974513,
 * ]);
 * assert.equal(wrapped.update({ count: 2147483647 }).count, 2147483647); // safe_increment
 * ```
 */
export class WrappedSchedule {
  /** The wrapped stateless schedule (optax's `schedule_fn`). */
  readonly scheduleFn: Schedule;

  /**
   * Wraps a schedule.
   *
   * @param scheduleFn A function of the step count: any of this module's schedules.
   * @throws {TypeError} If `scheduleFn` is not a function.
   */
  constructor(scheduleFn: Schedule) {
    if (typeof scheduleFn !== "function") {
      throw optionError(
        TypeError,
        "WrappedSchedule",
        "scheduleFn",
        scheduleFn,
        `\`scheduleFn\` must be a schedule (a function of the step count): got ${show(scheduleFn)}`,
      );
    }
    this.scheduleFn = scheduleFn;
  }

  /** The initial state: `{ count: 0 }` (optax `init()`). */
  init(): WrappedScheduleState {
    return { count: 0 };
  }

  /**
   * The next state: the count plus one, or the int32 maximum once reached (optax `update`, with
   * `numerics.safe_increment`). Extra arguments are ignored, as optax deletes them.
   *
   * @throws {TypeError} If `state` is not a `{ count }` object.
   * @throws {RangeError} If `state.count` is not an int32.
   */
  update(state: WrappedScheduleState, extraArgs?: Record<string, unknown>): WrappedScheduleState {
    void extraArgs;
    const count = requireState("WrappedSchedule.update", state);
    return { count: count < INT32_MAX ? count + 1 : INT32_MAX };
  }

  /**
   * The schedule's value at the state's count: optax's `__call__(state)`, i.e.
   * `scheduleFn(state.count)`. Extra arguments are ignored, as optax ignores them.
   *
   * @throws {TypeError} If `state` is not a `{ count }` object.
   * @throws {RangeError} If `state.count` is not an int32, or where the schedule throws.
   */
  call(state: WrappedScheduleState, extraArgs?: Record<string, unknown>): number {
    void extraArgs;
    return this.scheduleFn(requireState("WrappedSchedule.call", state));
  }
}
