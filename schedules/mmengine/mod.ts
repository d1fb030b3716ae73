/**
 * mmengine's (and so MMDetection's, MMSegmentation's, …) parameter schedulers, bit for bit:
 * every `*LR`, `*Momentum` and `*ParamScheduler` class of `mmengine/optim/scheduler/`
 * (mmengine commit 2543429), with `begin` / `end` / `byEpoch`, `buildIterFromEpoch` (the
 * `convert_to_iter_based` path), state dicts and upstream's errors; {@linkcode OptimWrapper} with
 * its pseudo-group; and the Runner's learning-rate arithmetic from a config dict.
 *
 * Names are mmengine's; options are its keywords in camelCase (`T_max` → `tMax`, `by_epoch` →
 * `byEpoch`). An optimizer is `{ paramGroups, defaults? }` (torch's `param_groups` with camelCase
 * keys), updated in place. The arithmetic is mmengine's recursive one: each step multiplies the
 * group's current value, so schedulers on one optimizer compose multiplicatively.
 *
 * @example MMDetection's `schedule_1x.py`, stepped like mmengine's `ParamSchedulerHook`
 * ```ts
 * import { LinearLR, MultiStepLR } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.02, momentum: 0.9 }] };
 * const epochLength = 1000; // len(train_dataloader)
 * const warmup = new LinearLR({ optimizer, startFactor: 0.001, byEpoch: false, begin: 0, end: 500 });
 * const decay = new MultiStepLR({ optimizer, begin: 0, end: 12, byEpoch: true, milestones: [8, 11], gamma: 0.1 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 12; epoch++) {
 *   for (let i = 0; i < epochLength; i++) {
 *     lrs.push(optimizer.paramGroups[0]!.lr); // the rate this iteration's optimizer step uses
 *     warmup.step(); // after_train_iter: by-iteration schedulers
 *   }
 *   decay.step(); // after_train_epoch: by-epoch schedulers
 * }
 * assert.equal(lrs[0], 0.02 * 0.001);
 * assert.equal(lrs[8000], lrs[7999]! * 0.1);
 * ```
 *
 * @module
 */

export type * from "../optimizer.ts";
export * from "./optim/scheduler/param_scheduler.ts";
export * from "./optim/scheduler/lr_scheduler.ts";
export * from "./optim/scheduler/momentum_scheduler.ts";
export * from "./optim/optimizer/optimizer_wrapper.ts";
export * from "./optim/optimizer/default_constructor.ts";
export * from "./runner/runner.ts";
