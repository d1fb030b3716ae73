/**
 * Hugging Face transformers' learning-rate schedules (transformers 5.17.0), bit for bit:
 * `get_scheduler` and every `get_*_schedule*` of `optimization.py` on lrspec's torch-style
 * schedulers, `GreedyLR`, and the Trainer's step arithmetic — from a `TrainingArguments` object
 * (snake_case keys, as in a JSON or YAML file) and a dataset size to the optimizer steps, the
 * warmup and the learning rate of every step.
 *
 * @example The Trainer's default schedule for one epoch of 1,000 examples
 * ```ts
 * import { trainerLrs, trainerSchedule } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const plan = trainerSchedule(
 *   { learning_rate: 2e-5, per_device_train_batch_size: 16, num_train_epochs: 1, warmup_steps: 0.1 },
 *   { datasetSize: 1000 },
 * );
 * assert.equal(plan.maxSteps, 63); // ceil(1000 / 16)
 * assert.equal(plan.numWarmupSteps, 7); // ceil(63 * 0.1)
 * assert.equal(trainerLrs(plan)[7], 2e-5);
 * ```
 *
 * @module
 */

export type * from "../optimizer.ts";
export * from "./trainer_utils.ts";
export * from "./optimization.ts";
export * from "./training_args.ts";
export * from "./trainer.ts";
export * from "./integrations/deepspeed.ts";
