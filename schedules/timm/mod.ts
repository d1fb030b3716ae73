/**
 * timm's learning-rate schedulers (`timm/scheduler/`, timm 1.0.29), bit for bit, noise
 * included: {@linkcode CosineLRScheduler}, {@linkcode TanhLRScheduler},
 * {@linkcode StepLRScheduler}, {@linkcode MultiStepLRScheduler},
 * {@linkcode PlateauLRScheduler}, {@linkcode PolyLRScheduler} on timm's
 * {@linkcode Scheduler} protocol (the training loop passes the epoch or update count), the
 * factory {@linkcode createSchedulerV2} with {@linkcode schedulerKwargs}, and
 * {@linkcode timmTrainSchedule}: the schedule timm's `train.py` runs for an `args.yaml`. The
 * noise is torch's own draw, through lrspec's port of torch's CPU generator
 * ({@linkcode TorchGenerator}).
 *
 * @example `--sched cosine --epochs 50 --warmup-epochs 3`, stepped as timm's `train.py` steps it
 * ```ts
 * import { createSchedulerV2 } from "@lrspec/lrspec/timm";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const [scheduler, numEpochs] = createSchedulerV2({
 *   optimizer,
 *   sched: "cosine",
 *   numEpochs: 50,
 *   warmupEpochs: 3,
 * });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < numEpochs; epoch++) {
 *   lrs.push(optimizer.paramGroups[0]!.lr); // the rate epoch `epoch` trains with
 *   scheduler!.step(epoch + 1); // after the epoch, as train.py does
 * }
 * assert.equal(lrs[0], 1e-5);
 * assert.equal(lrs.length, 50);
 * ```
 *
 * @module
 */

export type * from "../optimizer.ts";
export { TorchGenerator } from "../torch/generator.ts";
export * from "./scheduler.ts";
export * from "./cosine_lr.ts";
export * from "./tanh_lr.ts";
export * from "./step_lr.ts";
export * from "./multistep_lr.ts";
export * from "./plateau_lr.ts";
export * from "./poly_lr.ts";
export * from "./scheduler_factory.ts";
export * from "./train.ts";
