/**
 * PyTorch's `torch.optim.lr_scheduler` and `torch.optim.swa_utils.SWALR`: every scheduler, on any
 * optimizer of the shape `{ paramGroups: { lr, … }[] }` (torch's `param_groups` with camelCase
 * keys), written in place exactly when torch writes it, with torch's recursive arithmetic.
 *
 * @example `StepLR(optimizer, step_size=30, gamma=0.1)`
 * ```ts
 * import { StepLR } from "@lrspec/lrspec/torch";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = new StepLR({ optimizer, stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 30; epoch++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1 * 0.1);
 * ```
 *
 * @module
 */

export type * from "../optimizer.ts";
export * from "./optim/lr_scheduler.ts";
export * from "./optim/lr_scheduler_cosine.ts";
export * from "./optim/lr_scheduler_cyclic.ts";
export * from "./optim/lr_scheduler_sequential.ts";
export * from "./optim/lr_scheduler_plateau.ts";
export * from "./optim/swa_utils.ts";
export * from "./generator.ts";
