/**
 * Keras 3's learning-rate schedules (`keras.optimizers.schedules`) and LR callbacks
 * (`ReduceLROnPlateau`, `LearningRateScheduler`), in the float32 that Keras computes, operation
 * for operation, as the numpy, JAX or torch backend evaluates it (Keras 3.15.1).
 *
 * Every schedule takes one options object (Keras' keyword arguments in camelCase) plus the
 * `backend` to emulate, and `call(step)` returns Keras' `schedule(step)` for the optimizer's int32
 * `iterations`. `serialize` / `deserialize` read and write Keras' `serialize()` JSON, as stored in
 * a `.keras` file's optimizer config.
 *
 * @example keras.optimizers.schedules.CosineDecay with a warmup
 * ```ts
 * import { CosineDecay, deserialize } from "@lrspec/lrspec/keras";
 * import assert from "node:assert/strict";
 *
 * // CosineDecay(0.0, decay_steps=1000, warmup_target=0.1, warmup_steps=100)
 * const schedule = new CosineDecay({
 *   initialLearningRate: 0.0,
 *   decaySteps: 1000,
 *   warmupTarget: 0.1,
 *   warmupSteps: 100,
 * });
 * assert.equal(schedule.call(100), Math.fround(0.1));
 * assert.equal(Math.fround(schedule.call(600)), schedule.call(600)); // every value is a float32
 * // The same from the JSON Keras writes:
 * const again = deserialize({ class_name: "CosineDecay", config: schedule.getConfig() });
 * assert.equal(again.call(600), schedule.call(600));
 * ```
 *
 * @module
 */

export * from "./optimizers/schedules/learning_rate_schedule.ts";
export * from "./callbacks/learning_rate_scheduler.ts";
export * from "./callbacks/reduce_lr_on_plateau.ts";
export { type Backend, BACKENDS } from "./ops.ts";
