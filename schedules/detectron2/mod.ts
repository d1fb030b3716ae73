/**
 * detectron2's learning-rate schedules: `WarmupParamScheduler`, `LRMultiplier`,
 * `build_lr_scheduler`, `get_cfg()`'s defaults and `DefaultTrainer.auto_scale_workers`, the
 * legacy `WarmupMultiStepLR` / `WarmupCosineLR`, DeepLab's `WarmupPolyLR`, and gradient
 * accumulation on top of them. The fvcore schedulers they compose are in
 * `@lrspec/lrspec/fvcore`.
 *
 * @example detectron2's default schedule, iteration by iteration
 * ```ts
 * import { buildLrScheduler, getCfg } from "@lrspec/lrspec/detectron2";
 * import assert from "node:assert/strict";
 *
 * const cfg = getCfg();
 * const optimizer = { paramGroups: [{ lr: cfg.SOLVER.BASE_LR }] };
 * const scheduler = buildLrScheduler(cfg, optimizer);
 * assert.equal(optimizer.paramGroups[0]!.lr, cfg.SOLVER.BASE_LR * cfg.SOLVER.WARMUP_FACTOR);
 * for (let iter = 0; iter < 1000; iter++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, cfg.SOLVER.BASE_LR);
 * ```
 *
 * @module
 */

export * from "./lr_scheduler.ts";
export * from "./build.ts";
export * from "./config.ts";
export * from "./deeplab_lr_scheduler.ts";
export * from "./accumulation.ts";
export * from "./sample_lr.ts";
export * from "./curve.ts";
export * from "./explain.ts";
export * from "./plot.ts";
