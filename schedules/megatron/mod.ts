/**
 * Megatron-LM's learning-rate and weight-decay schedule (Megatron-LM commit d98e8a6), bit for
 * bit: Megatron-core's {@linkcode OptimizerParamScheduler} (every `lr_decay_style`, WSD with each
 * `lr_wsd_decay_style`, the weight-decay increment styles, `state_dict` / `load_state_dict`), the
 * arguments of a training script ({@linkcode parseMegatronArgs}: `--lr 3e-4 --min-lr 3e-5
 * --lr-decay-style WSD …`, with Megatron's argparse defaults), training.py's arguments →
 * scheduler mapping ({@linkcode getOptimizerParamScheduler}) and its stepping
 * ({@linkcode megatronTrainSchedule}: one `step(global_batch_size)` per successful update, none
 * for a skipped one; steps count samples).
 *
 * @example A WSD pre-training run from its launch arguments
 * ```ts
 * import { megatronTrainSchedule, parseMegatronArgs } from "@lrspec/lrspec/megatron";
 * import assert from "node:assert/strict";
 *
 * const { args } = parseMegatronArgs(`
 *   --micro-batch-size 4 --global-batch-size 256 --train-iters 1000 \
 *   --lr 3e-4 --min-lr 3e-5 --lr-warmup-iters 100 \
 *   --lr-decay-style WSD --lr-wsd-decay-style linear --lr-wsd-decay-iters 200
 * `, { worldSize: 8 });
 * const run = megatronTrainSchedule(args);
 * assert.equal(run.increment, 256); // samples per step
 * assert.equal(run.lr[0]![500], 3e-4); // iteration 501: stable phase
 * assert.equal(run.lr[0]![999], 3e-5 + (1 - 199 / 200) * (3e-4 - 3e-5)); // the last update
 * ```
 *
 * @module
 */

export type * from "../optimizer.ts";
export * from "./core/optimizer_param_scheduler.ts";
export * from "./training/arguments.ts";
export * from "./training/training.ts";
