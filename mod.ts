/**
 * **lrspec** — learning-rate schedules, specified and verified.
 *
 * Bit-exact TypeScript ports of the learning-rate schedules of fvcore/detectron2, PyTorch,
 * Hugging Face transformers, timm and optax, proven against golden values produced by upstream's
 * own Python code. Names, options and arithmetic mirror upstream: a detectron2 config, a PyTorch
 * recipe, a `TrainingArguments`, a timm `args.yaml` or an optax call translates mechanically.
 *
 * - fvcore's `ParamScheduler`s: pure functions of training progress `where` ∈ [0, 1]
 *   ({@linkcode CosineParamScheduler}, {@linkcode MultiStepParamScheduler}, …).
 * - detectron2's {@linkcode WarmupParamScheduler}, {@linkcode LRMultiplier},
 *   {@linkcode buildLrScheduler}, {@linkcode getCfg} and {@linkcode autoScaleWorkers}; the legacy
 *   {@linkcode WarmupMultiStepLR} / {@linkcode WarmupCosineLR}; DeepLab's
 *   {@linkcode WarmupPolyLR}.
 * - Every scheduler of PyTorch's `torch.optim.lr_scheduler` (torch 2.13, or 2.11 / 1.13 with
 *   `torch: "2.11"` / `"1.13"`): {@linkcode StepLR},
 *   {@linkcode MultiStepLR}, {@linkcode CosineAnnealingLR}, {@linkcode OneCycleLR},
 *   {@linkcode SequentialLR}, {@linkcode ReduceLROnPlateau}, … and `torch.optim.swa_utils`'s
 *   {@linkcode SWALR} (with {@linkcode swaLrs}, the SWA switch) on the {@linkcode LRScheduler}
 *   protocol: an optimizer is any `{ paramGroups: { lr }[] }`, updated in place as torch updates
 *   `param_groups`, with torch's recursive arithmetic.
 * - Hugging Face transformers' schedules (transformers 5.17): {@linkcode getScheduler}, every
 *   `get_*_schedule*` ({@linkcode getCosineScheduleWithWarmup}, {@linkcode getWsdSchedule}, …) and
 *   the Trainer's step arithmetic ({@linkcode trainerSchedule}).
 * - timm's schedulers ({@linkcode CosineLRScheduler}, {@linkcode PlateauLRScheduler}, …,
 *   {@linkcode createSchedulerV2}), noise included, through a port of torch's CPU generator
 *   ({@linkcode TorchGenerator}).
 * - detectron2's config merging with its types and errors ({@linkcode CfgNode},
 *   {@linkcode literalEval}); curves, explanations, diffs and SVG charts of a config's schedule
 *   ({@linkcode lrCurve}, {@linkcode explainSchedule}, {@linkcode diffCurves},
 *   {@linkcode plotSvg}); gradient accumulation ({@linkcode gradientAccumulation},
 *   {@linkcode AccumulatingScheduler}).
 * - optax's schedules (optax 0.2.8), in the float32 JAX computes by default and in float64:
 *   {@linkcode warmupCosineDecaySchedule}, {@linkcode exponentialDecay}, {@linkcode joinSchedules},
 *   … (also `@lrspec/lrspec/optax`).
 * - Whole curves at memory speed, bit-identical to per-step evaluation: {@linkcode sample},
 *   {@linkcode sampleLr} and the stepping {@linkcode ScheduleCursor}.
 * - A TensorFlow.js adapter in the `@lrspec/lrspec/tfjs` entry point.
 *
 * The library has no dependencies and no I/O. YAML files are read by `@lrspec/lrspec/config`
 * (which depends on the `yaml` package); the command line is `@lrspec/lrspec/cli`.
 *
 * @example The learning rate of every iteration of a detectron2 config
 * ```ts
 * import { buildLrScheduler, getCfg } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const cfg = getCfg(); // detectron2's defaults: 40k iterations, x0.1 at 30k, 1k warmup
 * cfg.SOLVER.BASE_LR = 0.02;
 * const optimizer = { paramGroups: [{ lr: cfg.SOLVER.BASE_LR }] };
 * const scheduler = buildLrScheduler(cfg, optimizer);
 * const lrs: number[] = [];
 * for (let iter = 0; iter < cfg.SOLVER.MAX_ITER; iter++) {
 *   lrs.push(optimizer.paramGroups[0]!.lr); // the LR detectron2 trains iteration `iter` with
 *   scheduler.step();
 * }
 * assert.equal(lrs[0], 0.02 * 0.001);
 * assert.equal(lrs[1000], 0.02);
 * assert.equal(lrs[30000], 0.002);
 * ```
 *
 * @module
 */

export * from "./schedules/fvcore/mod.ts";
export * from "./schedules/detectron2/mod.ts";
export * from "./schedules/torch/mod.ts";
export * from "./schedules/hf/mod.ts";
export * from "./schedules/optax/mod.ts";
export * from "./schedules/timm/mod.ts";
export * from "./schedules/fast/sample.ts";
export * from "./schedules/fast/cursor.ts";
export * from "./schedules/fast/plan.ts";
export { powInt, roundHalfEven } from "./schedules/math.ts";
export { currentLibm, type LibmName, setLibm, withLibm } from "./schedules/math.ts";
export * from "./schedules/errors.ts";
export * from "./schedules/names.ts";
export * from "./config/python.ts";
export * from "./config/cfg_node.ts";
export * from "./curve/curve.ts";
export * from "./curve/format.ts";
export * from "./curve/diff.ts";
export * from "./curve/runs.ts";
export * from "./plot/svg.ts";
export * from "./plot/envelope.ts";
export { VERSION } from "./version.ts";
