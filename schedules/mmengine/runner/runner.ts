/**
 * The learning-rate arithmetic of mmengine's `Runner` (`mmengine/runner/runner.py`,
 * `mmengine/runner/loops.py`, `mmengine/hooks/param_scheduler_hook.py`,
 * `mmengine/registry/build_functions.py`; mmengine commit 2543429), from a config dict:
 * {@linkcode Runner} builds the train loop, the {@linkcode OptimWrapper}, scales the learning
 * rate (`auto_scale_lr`), builds the parameter schedulers and steps them as
 * `ParamSchedulerHook` does, yielding the learning rate of every training iteration.
 *
 * A config is mmengine's merged config as a JSON-like dict (what `Config.fromfile(...).to_dict()`
 * holds, tuples as arrays), with snake_case keys and `type` strings: the keys read are
 * `train_cfg`, `optim_wrapper`, `param_scheduler`, `auto_scale_lr` and `train_dataloader`.
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { show } from "../../_internal/validate.ts";
import type { StateDict } from "../../optimizer.ts";
import {
  buildOptimWrapper,
  type BuildOptimWrapperOptions,
} from "../optim/optimizer/default_constructor.ts";
import type { OptimWrapper } from "../optim/optimizer/optimizer_wrapper.ts";
import * as lr from "../optim/scheduler/lr_scheduler.ts";
import * as momentum from "../optim/scheduler/momentum_scheduler.ts";
import * as generic from "../optim/scheduler/param_scheduler.ts";
import { _ParamScheduler } from "../optim/scheduler/param_scheduler.ts";

/** A scheduler class of the registry: its constructor and, except ReduceOnPlateau, its converter. */
export interface RegisteredScheduler {
  /** The class. */
  new (options: never): _ParamScheduler;
  /** `build_iter_from_epoch`, which every class but the ReduceOnPlateau ones has. */
  buildIterFromEpoch?: (options: never) => _ParamScheduler;
}

/**
 * mmengine's `PARAM_SCHEDULERS` registry: every parameter-scheduler class by its mmengine name
 * (`LinearLR`, `CosineAnnealingMomentum`, `StepParamScheduler`, …).
 */
export const PARAM_SCHEDULERS: Readonly<Record<string, RegisteredScheduler>> = Object.freeze(
  Object.fromEntries(
    [generic, lr, momentum].flatMap((m) =>
      Object.entries(m).filter(([name, v]) =>
        typeof v === "function" && /(?:LR|Momentum|ParamScheduler)$/.test(name) &&
        (v as { prototype?: unknown }).prototype instanceof _ParamScheduler
      )
    ),
  ) as Record<string, RegisteredScheduler>,
);

/** mmengine's keyword → lrspec's option name: `T_max` → `tMax`, `eta_min_ratio` → `etaMinRatio`. */
export function optionName(keyword: string): string {
  return keyword.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function dict(owner: string, name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw optionError(
      TypeError,
      owner,
      name,
      value,
      `\`${name}\` must be a dict: got ${show(value)}`,
    );
  }
  return value as Record<string, unknown>;
}

/** A registry name without its scope (`mmdet.LinearLR` → `LinearLR`). */
function registryName(type: unknown): string {
  if (typeof type !== "string") {
    throw optionError(
      TypeError,
      "build_scheduler_from_cfg",
      "type",
      type,
      `type must be a str: got ${show(type)}`,
    );
  }
  return type.replace(/^[A-Za-z_][A-Za-z0-9_]*\./, "");
}

function lookup(type: unknown): RegisteredScheduler {
  const name = registryName(type);
  const cls = PARAM_SCHEDULERS[name];
  if (cls === undefined) {
    throw new RangeError(
      `${name} is not in the param scheduler registry (mmengine raises KeyError); lrspec knows ` +
        Object.keys(PARAM_SCHEDULERS).join(", "),
      { cause: { owner: "build_scheduler_from_cfg", option: "type", value: type } },
    );
  }
  return cls;
}

/** The default arguments the Runner gives every scheduler config. */
export interface SchedulerDefaultArgs {
  /** The optim wrapper. */
  optimizer: OptimWrapper;
  /** `len(train_dataloader)`. */
  epochLength: number;
}

/**
 * mmengine's `build_scheduler_from_cfg`: a scheduler from one config dict (snake_case keywords,
 * `type` a registry name), through `build_iter_from_epoch` when `convert_to_iter_based` is set.
 *
 * @throws {RangeError} If `type` is not registered (mmengine `KeyError`), or
 * `convert_to_iter_based` is set with `by_epoch=False` (mmengine `AssertionError`).
 * @throws {TypeError} If the class has no `build_iter_from_epoch` (the ReduceOnPlateau classes:
 * mmengine `AttributeError`), an option is unknown (Python `TypeError`), and where the class's
 * constructor throws.
 */
export function buildSchedulerFromCfg(
  cfg: Record<string, unknown>,
  defaultArgs: SchedulerDefaultArgs,
): _ParamScheduler {
  const args: Record<string, unknown> = { ...dict("build_scheduler_from_cfg", "cfg", cfg) };
  const convert = args.convert_to_iter_based ?? false;
  delete args.convert_to_iter_based;
  delete args._scope_;
  const cls = lookup(args.type);
  delete args.type;
  const options: Record<string, unknown> = { optimizer: defaultArgs.optimizer };
  for (const [key, value] of Object.entries(args)) {
    if (key === "optimizer" || key === "epoch_length") continue;
    options[optionName(key)] = key === "param_name" && typeof value === "string"
      ? optionName(value)
      : value;
  }
  if (convert) {
    if (!(args.by_epoch ?? true)) {
      throw new RangeError(
        "Only epoch-based parameter scheduler can be converted to iter-based, and " +
          "`epoch_length` should be set (mmengine raises AssertionError)",
        { cause: { owner: "build_scheduler_from_cfg", option: "by_epoch", value: args.by_epoch } },
      );
    }
    if (cls.buildIterFromEpoch === undefined) {
      throw new TypeError(
        `type object '${cls.name}' has no attribute 'build_iter_from_epoch' (mmengine raises ` +
          "AttributeError)",
        {
          cause: {
            owner: "build_scheduler_from_cfg",
            option: "convert_to_iter_based",
            value: convert,
          },
        },
      );
    }
    return cls.buildIterFromEpoch.call(
      cls,
      { ...options, epochLength: args.epoch_length ?? defaultArgs.epochLength } as never,
    );
  }
  return new cls(options as never);
}

/** The train loop a `train_cfg` builds: its type and length. */
export interface TrainLoop {
  /** `EpochBasedTrainLoop` or `IterBasedTrainLoop`. */
  type: "EpochBasedTrainLoop" | "IterBasedTrainLoop";
  /** Epochs (1 for the iteration loop, mmengine's "compatibility" value). */
  maxEpochs: number;
  /** Iterations: `maxEpochs · epochLength` for the epoch loop. */
  maxIters: number;
  /** `len(train_dataloader)`. */
  epochLength: number;
}

/**
 * mmengine's `Runner.build_train_loop` for the two built-in loops: `type` or `by_epoch` selects
 * `EpochBasedTrainLoop(max_epochs)` or `IterBasedTrainLoop(max_iters)`.
 *
 * @throws {TypeError} If `train_cfg` is not a dict, has both or neither of `type` and
 * `by_epoch` (mmengine `RuntimeError` / `KeyError`), or names another loop.
 * @throws {RangeError} If `max_epochs` / `max_iters` is not an integer (mmengine
 * `AssertionError`).
 */
export function buildTrainLoop(trainCfg: unknown, epochLength: number): TrainLoop {
  const owner = "build_train_loop";
  const cfg = dict(owner, "train_cfg", trainCfg);
  if ("type" in cfg && "by_epoch" in cfg) {
    throw new TypeError(
      "Only one of `type` or `by_epoch` can exist in `loop_cfg` (mmengine raises RuntimeError)",
      { cause: { owner: owner, option: "train_cfg", value: cfg } },
    );
  }
  let type: string;
  if ("type" in cfg) type = registryName(cfg.type);
  else if ("by_epoch" in cfg) type = cfg.by_epoch ? "EpochBasedTrainLoop" : "IterBasedTrainLoop";
  else {throw new TypeError("train_cfg needs `type` or `by_epoch` (mmengine raises KeyError)", {
      cause: { owner: owner, option: "train_cfg", value: cfg },
    });}
  const count = (name: string): number => {
    const v = cfg[name];
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new RangeError(
        `\`${name}\` should be a integer number, but get ${show(v)} (mmengine raises ` +
          "AssertionError)",
        { cause: { owner: owner, option: `train_cfg.${name}`, value: v } },
      );
    }
    return v;
  };
  if (type === "EpochBasedTrainLoop") {
    const maxEpochs = count("max_epochs");
    return { type, maxEpochs, maxIters: maxEpochs * epochLength, epochLength };
  }
  if (type === "IterBasedTrainLoop") {
    return { type, maxEpochs: 1, maxIters: count("max_iters"), epochLength };
  }
  throw new TypeError(
    `train loop ${show(type)} is not supported (EpochBasedTrainLoop, IterBasedTrainLoop)`,
    { cause: { owner: owner, option: "train_cfg.type", value: type } },
  );
}

/** Inputs of {@linkcode dataloaderLength}. */
export interface DataloaderLengthOptions {
  /** Number of samples in the training set. */
  datasetSize: number;
  /**
   * Number of processes (GPUs).
   * @default {1}
   */
  worldSize?: number;
  /** Samples per GPU (`train_dataloader.batch_size`). */
  batchSize: number;
  /**
   * Drop the last incomplete batch.
   * @default {false}
   */
  dropLast?: boolean;
  /**
   * The sampler: `"DefaultSampler"` (each process gets `ceil(N / worldSize)` samples) or
   * `"InfiniteSampler"` (its `len` is the whole dataset).
   * @default {"DefaultSampler"}
   */
  sampler?: "DefaultSampler" | "InfiniteSampler";
}

/**
 * `len(train_dataloader)` on each process: mmengine's `DefaultSampler` (`round_up=True`:
 * `ceil(N / worldSize)` samples) batched by torch's `BatchSampler` or MMDetection's
 * `AspectRatioBatchSampler`, which have the same `len`.
 *
 * ```text
 * samples = ceil(datasetSize / worldSize)     (InfiniteSampler: datasetSize)
 * length  = ceil(samples / batchSize)          (dropLast: floor)
 * ```
 *
 * @throws {RangeError} Unless the sizes are positive integers.
 *
 * @example COCO train2017 (117,266 images after filtering), 8 GPUs × 2 images
 * ```ts
 * import { dataloaderLength } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * assert.equal(dataloaderLength({ datasetSize: 117266, worldSize: 8, batchSize: 2 }), 7330);
 * ```
 */
export function dataloaderLength(options: DataloaderLengthOptions): number {
  const { datasetSize, worldSize = 1, batchSize, dropLast = false, sampler = "DefaultSampler" } =
    options;
  for (
    const [name, v] of [["datasetSize", datasetSize], ["worldSize", worldSize], [
      "batchSize",
      batchSize,
    ]] as const
  ) {
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
      throw optionError(
        RangeError,
        "dataloaderLength",
        name,
        v,
        `\`${name}\` must be a positive integer: got ${show(v)}`,
      );
    }
  }
  const samples = sampler === "InfiniteSampler" ? datasetSize : Math.ceil(datasetSize / worldSize);
  return dropLast ? Math.floor(samples / batchSize) : Math.ceil(samples / batchSize);
}

/**
 * mmengine's `Runner.scale_lr`: when `auto_scale_lr.enable` is true, multiplies every real
 * group's `lr` by `worldSize · batchSize / base_batch_size` (a float ratio). The pseudo-group is
 * not scaled (mmengine scales `optimizer.param_groups` only), so what mmengine logs as `base_lr`
 * stays unscaled.
 *
 * @returns The ratio applied, or `null` when scaling is off.
 * @throws {TypeError} If `auto_scale_lr` is enabled without `base_batch_size` (mmengine
 * `AssertionError`).
 */
export function scaleLr(
  optimWrapper: OptimWrapper,
  autoScaleLr: Record<string, unknown> | null | undefined,
  options: { batchSize: number; worldSize?: number },
): number | null {
  if (autoScaleLr === null || autoScaleLr === undefined || !autoScaleLr.enable) return null;
  if (!("base_batch_size" in autoScaleLr)) {
    throw new TypeError(
      "Lack of `base_batch_size` in `auto_scale_lr` (mmengine raises AssertionError)",
      { cause: { owner: "scaleLr", option: "auto_scale_lr", value: autoScaleLr } },
    );
  }
  const realBs = (options.worldSize ?? 1) * options.batchSize;
  const baseBs = autoScaleLr.base_batch_size;
  if (typeof baseBs !== "number" || baseBs === 0) {
    throw new RangeError(
      `auto_scale_lr.base_batch_size must be a non-zero number: got ${show(baseBs)}`,
      { cause: { owner: "scaleLr", option: "auto_scale_lr.base_batch_size", value: baseBs } },
    );
  }
  const ratio = realBs / baseBs;
  for (const group of optimWrapper.optimizer.paramGroups) group.lr = group.lr * ratio;
  return ratio;
}

/**
 * mmengine's `Runner._build_param_scheduler` for one optimizer: each config dict gets the
 * default `end` (`max_epochs` when `by_epoch` — the default — else `max_iters`) and the
 * default arguments `optimizer` and `epoch_length`, then is built by
 * {@linkcode buildSchedulerFromCfg}. A single dict is a list of one.
 *
 * @throws {TypeError} If an entry is not a dict (mmengine `TypeError`), and as
 * {@linkcode buildSchedulerFromCfg}.
 */
export function buildParamScheduler(
  scheduler: unknown,
  optimWrapper: OptimWrapper,
  loop: TrainLoop,
): _ParamScheduler[] {
  const list = Array.isArray(scheduler) ? scheduler : [scheduler];
  return list.map((entry) => {
    const cfg = { ...dict("build_param_scheduler", "param_scheduler entry", entry) };
    if (!("end" in cfg)) cfg.end = (cfg.by_epoch ?? true) ? loop.maxEpochs : loop.maxIters;
    return buildSchedulerFromCfg(cfg, { optimizer: optimWrapper, epochLength: loop.epochLength });
  });
}

/** Options of {@linkcode Runner}. */
export interface RunnerOptions extends BuildOptimWrapperOptions {
  /** mmengine's merged config dict (snake_case keys, `type` strings). */
  cfg: Record<string, unknown>;
  /** `len(train_dataloader)` on each process (see {@linkcode dataloaderLength}). */
  epochLength: number;
  /**
   * Number of processes (GPUs): multiplies the batch size in `auto_scale_lr`.
   * @default {1}
   */
  worldSize?: number;
  /**
   * `tools/train.py --auto-scale-lr`: sets `auto_scale_lr.enable = True` before training.
   * @default {false}
   */
  autoScaleLr?: boolean;
}

/** One training iteration: the learning rate each group's optimizer step uses. */
export interface IterationLr {
  /** The iteration (`runner.iter`). */
  iter: number;
  /** The epoch (`runner.epoch`; 0 throughout an iteration-based loop). */
  epoch: number;
  /** `lr` of every group of `optimWrapper.paramGroups`, the pseudo-group last. */
  lrs: number[];
}

/** What a checkpoint keeps for the schedule (mmengine's `meta`, `optimizer`, `param_schedulers`). */
export interface RunnerCheckpoint {
  /** The epoch to resume at. */
  epoch: number;
  /** The iteration to resume at. */
  iter: number;
  /** The optimizer wrapper's state. */
  optimizer: ReturnType<OptimWrapper["stateDict"]>;
  /** Each scheduler's state dict. */
  paramSchedulers: StateDict[];
}

/**
 * mmengine's `Runner.train()` reduced to its learning-rate arithmetic: built from a config as
 * `Runner.train` builds (train loop, optim wrapper, `scale_lr`, `build_param_scheduler`, in that
 * order); {@linkcode Runner.train} runs the loop with `ParamSchedulerHook` and yields each
 * iteration's learning rates.
 *
 * ```text
 * EpochBasedTrainLoop: for each epoch: for each of epochLength iterations:
 *                        read lrs; step every scheduler with byEpoch = false (list order)
 *                      then step every scheduler with byEpoch = true
 * IterBasedTrainLoop:  for each of maxIters iterations: read lrs; step the byEpoch = false ones
 *                      then, once, the byEpoch = true ones (after_train_epoch after the loop)
 * ```
 *
 * So in an iteration-based loop a `by_epoch` scheduler never changes a training iteration's
 * rate. The ReduceOnPlateau schedulers only count epochs here (no validation metrics).
 *
 * @example MMDetection's `schedule_1x.py` with 7,330 iterations per epoch
 * ```ts
 * import { Runner } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const cfg = {
 *   train_cfg: { type: "EpochBasedTrainLoop", max_epochs: 12, val_interval: 1 },
 *   param_scheduler: [
 *     { type: "LinearLR", start_factor: 0.001, by_epoch: false, begin: 0, end: 500 },
 *     { type: "MultiStepLR", begin: 0, end: 12, by_epoch: true, milestones: [8, 11], gamma: 0.1 },
 *   ],
 *   optim_wrapper: { type: "OptimWrapper", optimizer: { type: "SGD", lr: 0.02, momentum: 0.9 } },
 * };
 * const lrs: number[] = [];
 * for (const { lrs: [lr] } of new Runner({ cfg, epochLength: 7330 }).train()) lrs.push(lr!);
 * assert.equal(lrs.length, 12 * 7330);
 * assert.equal(lrs[0], 0.02 * 0.001);
 * assert.equal(lrs[8 * 7330], lrs[8 * 7330 - 1]! * 0.1);
 * ```
 */
export class Runner {
  /** The train loop. */
  readonly trainLoop: TrainLoop;
  /** The optim wrapper (its groups are updated in place). */
  optimWrapper: OptimWrapper;
  /** The parameter schedulers, in config order. */
  paramSchedulers: _ParamScheduler[];
  /** The ratio `scale_lr` applied, or `null`. */
  readonly lrScale: number | null;
  /** Current epoch. */
  epoch = 0;
  /** Current iteration. */
  iter = 0;
  readonly #options: RunnerOptions;

  /**
   * Builds what `Runner.train()` builds before its loop runs.
   *
   * @throws {TypeError | RangeError} Where mmengine raises building the loop, the optim wrapper or
   * the schedulers (see {@linkcode buildTrainLoop}, {@linkcode buildOptimWrapper},
   * {@linkcode buildParamScheduler}).
   */
  constructor(options: RunnerOptions) {
    this.#options = options;
    const cfg = dict("Runner", "cfg", options.cfg);
    const epochLength = options.epochLength;
    if (typeof epochLength !== "number" || !Number.isInteger(epochLength) || epochLength <= 0) {
      throw optionError(
        RangeError,
        "Runner",
        "epochLength",
        epochLength,
        `\`epochLength\` must be a positive integer: got ${show(epochLength)}`,
      );
    }
    this.trainLoop = buildTrainLoop(cfg.train_cfg, epochLength);
    const built = this.#build();
    this.optimWrapper = built.optimWrapper;
    this.paramSchedulers = built.paramSchedulers;
    this.lrScale = built.lrScale;
  }

  #build(): {
    optimWrapper: OptimWrapper;
    paramSchedulers: _ParamScheduler[];
    lrScale: number | null;
  } {
    const o = this.#options;
    const cfg = o.cfg;
    const optimWrapper = buildOptimWrapper(
      dict("Runner", "optim_wrapper", cfg.optim_wrapper),
      o.paramNames === undefined ? {} : { paramNames: o.paramNames },
    );
    let autoScale = cfg.auto_scale_lr as Record<string, unknown> | null | undefined;
    if (o.autoScaleLr) autoScale = { ...(autoScale ?? {}), enable: true };
    const dataloader = (cfg.train_dataloader ?? {}) as Record<string, unknown>;
    const lrScale = scaleLr(optimWrapper, autoScale, {
      batchSize: autoScale?.enable ? batchSizeOf(dataloader) : 0,
      worldSize: o.worldSize ?? 1,
    });
    const scheduler = cfg.param_scheduler;
    const paramSchedulers = scheduler === undefined || scheduler === null
      ? []
      : buildParamScheduler(scheduler, optimWrapper, this.trainLoop);
    return { optimWrapper, paramSchedulers, lrScale };
  }

  /**
   * Runs (the rest of) the train loop, yielding before each iteration the rate its optimizer
   * step uses, and stepping the schedulers after it as `ParamSchedulerHook` does.
   *
   * @param checkpoint Called at each epoch end (epoch loop) or iteration end (iteration loop)
   * with a function that takes a {@linkcode RunnerCheckpoint} there.
   * @throws {RangeError} Where a scheduler throws mid-run (mmengine raises there too).
   */
  *train(
    checkpoint?: (at: { epoch: number; iter: number }, save: () => RunnerCheckpoint) => void,
  ): Generator<IterationLr, void, undefined> {
    const loop = this.trainLoop;
    const stepIter = () => {
      for (const s of this.paramSchedulers) if (!s.byEpoch) s.step();
    };
    const stepEpoch = () => {
      for (const s of this.paramSchedulers) if (s.byEpoch) s.step();
    };
    if (loop.type === "EpochBasedTrainLoop") {
      while (this.epoch < loop.maxEpochs) {
        for (let i = 0; i < loop.epochLength; i++) {
          yield this.#read();
          stepIter();
          this.iter += 1;
        }
        stepEpoch();
        this.epoch += 1;
        checkpoint?.({ epoch: this.epoch, iter: this.iter }, () => this.#save());
      }
      return;
    }
    while (this.iter < loop.maxIters) {
      yield this.#read();
      stepIter();
      this.iter += 1;
      checkpoint?.({ epoch: this.epoch, iter: this.iter }, () => this.#save());
    }
    stepEpoch();
  }

  #read(): IterationLr {
    return {
      iter: this.iter,
      epoch: this.epoch,
      lrs: this.optimWrapper.paramGroups.map((g) => g.lr),
    };
  }

  #save(): RunnerCheckpoint {
    return {
      epoch: this.epoch,
      iter: this.iter,
      optimizer: this.optimWrapper.stateDict(),
      paramSchedulers: this.paramSchedulers.map((s) => s.stateDict()),
    };
  }

  /**
   * mmengine's `Runner.resume`: rebuilds the optim wrapper and the schedulers (as `train()`
   * does), then loads the checkpoint's optimizer state and each scheduler's state dict, and sets
   * the loop's epoch and iteration. Training on gives the uninterrupted values.
   *
   * @throws {TypeError} If a state dict does not fit (an unknown key).
   */
  resume(checkpoint: RunnerCheckpoint): void {
    const built = this.#build();
    built.optimWrapper.loadStateDict(checkpoint.optimizer);
    built.paramSchedulers.forEach((s, i) => {
      const state = checkpoint.paramSchedulers[i];
      if (state !== undefined) s.loadStateDict(state);
    });
    this.optimWrapper = built.optimWrapper;
    this.paramSchedulers = built.paramSchedulers;
    this.epoch = checkpoint.epoch;
    this.iter = checkpoint.iter;
  }
}

function batchSizeOf(dataloader: Record<string, unknown>): number {
  const bs = dataloader.batch_size;
  if (typeof bs !== "number") {
    throw new TypeError(
      `auto_scale_lr needs train_dataloader.batch_size: got ${show(bs)} (mmengine raises KeyError)`,
      { cause: { owner: "scaleLr", option: "train_dataloader.batch_size", value: bs } },
    );
  }
  return bs;
}
