/**
 * DeepSpeed's learning-rate schedules (DeepSpeed commit edaa722, 0.19.6 in development, after
 * v0.19.5), bit for bit: `deepspeed/runtime/lr_schedules.py`'s {@linkcode WarmupLR} (log and
 * linear warmup), {@linkcode WarmupDecayLR}, {@linkcode WarmupCosineLR}, {@linkcode OneCycle}
 * (rate and Adam `betas`) and {@linkcode LRRangeTest}, with their state dicts and errors; and the
 * engine's `_scheduler_from_config` ({@linkcode schedulerFromConfig}, torch names falling back to
 * lrspec's torch family) and stepping ({@linkcode deepspeedSchedule}: `lr_scheduler.step()` after
 * each optimizer step, none on an fp16 overflow).
 *
 * @example A `ds_config.json`'s schedule
 * ```ts
 * import { deepspeedSchedule } from "@lrspec/lrspec/deepspeed";
 * import assert from "node:assert/strict";
 *
 * const dsConfig = {
 *   train_batch_size: 256,
 *   optimizer: { type: "AdamW", params: { lr: 1e-4, betas: [0.9, 0.95] } },
 *   scheduler: { type: "WarmupCosineLR", params: { total_num_steps: 500, warmup_num_steps: 50 } },
 * };
 * const run = deepspeedSchedule(dsConfig, { steps: 500, overflowSteps: [1, 2] });
 * assert.equal(run.lr[0]![0], 0); // WarmupCosineLR starts at 0
 * assert.equal(run.lr[0]![2], 0); // two overflowed steps did not move the scheduler
 * ```
 *
 * @module
 */

export type * from "../optimizer.ts";
export * from "./runtime/lr_schedules.ts";
export * from "./runtime/engine.ts";
