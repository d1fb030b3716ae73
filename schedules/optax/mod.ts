/**
 * optax's learning-rate schedules (`optax/schedules/`, optax 0.2.8), in the float32 that JAX
 * computes by default and in float64 (`jax_enable_x64`), operation for operation.
 *
 * Every schedule takes one options object (optax's keyword arguments in camelCase) and returns a
 * pure function of the integer step count. `dtype: "float32"` (the default, as in JAX) rounds
 * every operation to float32 the way XLA evaluates it on the CPU; `dtype: "float64"` is the
 * `jax_enable_x64` arithmetic.
 *
 * @example optax.warmup_cosine_decay_schedule, as a JAX program gets it
 * ```ts
 * import { warmupCosineDecaySchedule } from "@lrspec/lrspec/optax";
 * import assert from "node:assert/strict";
 *
 * // optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=1e-3,
 * //                                    warmup_steps=1000, decay_steps=10000)
 * const schedule = warmupCosineDecaySchedule({
 *   initValue: 0.0,
 *   peakValue: 1e-3,
 *   warmupSteps: 1000,
 *   decaySteps: 10000,
 * });
 * assert.equal(schedule(1000), Math.fround(1e-3)); // float32: 0.0010000000474974513
 * assert.equal(Math.fround(schedule(5000)), schedule(5000)); // every value is a float32
 * ```
 *
 * @module
 */

export * from "./schedule.ts";
export * from "./join.ts";
export * from "./inject.ts";
export { cosf, powf } from "../math.ts";
