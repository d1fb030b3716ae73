/**
 * The parts of DeepSpeed's `deepspeed/runtime/engine.py` (DeepSpeed edaa722) that decide the
 * learning rate: `_scheduler_from_config` ({@linkcode schedulerFromConfig}: a `ds_config.json`'s
 * `"scheduler"` to a scheduler, with `torch.optim.lr_scheduler` names falling back to lrspec's
 * torch family), the basic optimizer's groups ({@linkcode deepspeedOptimizer}) and the stepping
 * of `_take_model_step` ({@linkcode deepspeedSchedule}: one `lr_scheduler.step()` after each
 * optimizer step, none when fp16 overflowed).
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { show } from "../../_internal/validate.ts";
import type { Optimizer, StateDict } from "../../optimizer.ts";
import * as torch from "../../torch/mod.ts";
import {
  LRRangeTest,
  OneCycle,
  VALID_LR_SCHEDULES,
  WarmupCosineLR,
  WarmupDecayLR,
  WarmupLR,
} from "./lr_schedules.ts";

/** A `ds_config.json` (only what decides the learning rate is read). */
export interface DeepSpeedConfig {
  /** `{"type": "AdamW", "params": {"lr": …, "betas": […], …}}`: DeepSpeed builds it. */
  optimizer?: { type?: string; params?: Record<string, unknown> };
  /** `{"type": "WarmupLR", "params": {…}}` (upstream's keyword names). */
  scheduler?: { type?: string; params?: Record<string, unknown> };
  /** Samples per optimizer step over all processes. */
  train_batch_size?: number | string;
  /** Any other key. */
  [key: string]: unknown;
}

/** A scheduler that {@linkcode schedulerFromConfig} builds. */
export interface DeepSpeedScheduler {
  /** Steps once (DeepSpeed's `lr_scheduler.step()`). */
  step(arg?: number): void;
  /** The resumable state. */
  stateDict(): StateDict;
  /** Restores a state. */
  loadStateDict(state: StateDict): void;
}

const OWNER = "schedulerFromConfig";
const DEEPSPEED = { LRRangeTest, OneCycle, WarmupLR, WarmupDecayLR, WarmupCosineLR } as const;

/** The `torch.optim.lr_scheduler` classes a `ds_config.json` can name (JSON parameters only). */
export const TORCH_FALLBACK_SCHEDULERS: readonly string[] = [
  "StepLR",
  "MultiStepLR",
  "ConstantLR",
  "LinearLR",
  "ExponentialLR",
  "PolynomialLR",
  "CosineAnnealingLR",
  "CosineAnnealingWarmRestarts",
  "CyclicLR",
  "OneCycleLR",
  "ReduceLROnPlateau",
];

/** snake_case keyword names to lrspec's camelCase option names. */
function camelKeys(owner: string, params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === "auto") {
      throw optionError(
        TypeError,
        owner,
        `scheduler.params.${key}`,
        value,
        `${key} is "auto": only the Hugging Face Trainer fills "auto" values ` +
          `(hfTrainerDeepSpeedConfig in @lrspec/lrspec/hf); DeepSpeed alone cannot use it`,
      );
    }
    out[key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return out;
}

/**
 * The scheduler DeepSpeed's engine builds from a config's `"scheduler"` section (port of
 * `DeepSpeedEngine._scheduler_from_config`): a class of `deepspeed/runtime/lr_schedules.py` when
 * the type names one, else the `torch.optim.lr_scheduler` class of that name (lrspec's torch
 * family, torch 2.13), built with the section's `params` as keyword arguments
 * (`warmup_num_steps` → `warmupNumSteps`). `null` without a `"scheduler"` section.
 *
 * @param config The `ds_config.json` object.
 * @param optimizer The optimizer (see {@linkcode deepspeedOptimizer}).
 * @throws {RangeError} For a type that is neither (DeepSpeed's "does not recognize LR
 * scheduler" assertion), or where the scheduler's constructor throws.
 * @throws {TypeError} For a parameter left `"auto"`, or one the class does not take.
 */
export function schedulerFromConfig(
  config: DeepSpeedConfig,
  optimizer: Optimizer,
): DeepSpeedScheduler | null {
  const section = config.scheduler;
  if (section === undefined || section === null) return null;
  const name = section.type;
  if (typeof name !== "string") {
    throw optionError(
      TypeError,
      OWNER,
      "scheduler.type",
      name,
      `\`scheduler.type\` must be a string: got ${show(name)}`,
    );
  }
  const params = camelKeys(OWNER, section.params ?? {});
  if ((VALID_LR_SCHEDULES as readonly string[]).includes(name)) {
    const Scheduler = DEEPSPEED[name as keyof typeof DEEPSPEED] as unknown as new (
      o: Record<string, unknown>,
    ) => DeepSpeedScheduler;
    return new Scheduler({ ...params, optimizer });
  }
  if (TORCH_FALLBACK_SCHEDULERS.includes(name)) {
    const Scheduler = (torch as unknown as Record<string, unknown>)[name] as new (
      o: Record<string, unknown>,
    ) => DeepSpeedScheduler;
    return new Scheduler({ ...params, optimizer });
  }
  throw optionError(
    RangeError,
    OWNER,
    "scheduler.type",
    name,
    `DeepSpeed does not recognize LR scheduler ${show(name)} (DeepSpeed asserts): ` +
      `expected one of ${[...VALID_LR_SCHEDULES, ...TORCH_FALLBACK_SCHEDULERS].join(", ")}` +
      (["LambdaLR", "MultiplicativeLR", "SequentialLR", "ChainedScheduler"].includes(name)
        ? ` (${name} takes functions or schedulers, which a JSON config cannot hold)`
        : ""),
  );
}

/** Optimizer types whose `defaults` have `betas` (Adam-like), lower-case. */
const BETAS_OPTIMIZERS = [
  "adam",
  "adamw",
  "lamb",
  "onebitadam",
  "zerooneadam",
  "onebitlamb",
  "muadam",
  "muadamw",
  "lion",
  "adamax",
  "nadam",
  "radam",
];
/** Optimizer types without `betas` (momentum-based or none), lower-case. */
const MOMENTUM_OPTIMIZERS = ["sgd", "musgd", "adagrad", "rmsprop", "adadelta", "asgd", "rprop"];

/**
 * The basic optimizer DeepSpeed builds from a config's `"optimizer"` section, as far as the
 * schedules see it: one parameter group with `params.lr` (default 1e-3, the Adam family's
 * default) and the class's `defaults`, which tell {@linkcode OneCycle} whether to cycle
 * `betas` (Adam, AdamW, Lamb, Lion, …: `params.betas`, default `[0.9, 0.999]`) or not (SGD,
 * Adagrad, RMSprop, …).
 *
 * @throws {RangeError} For an optimizer type lrspec does not know (say which kind with an
 * optimizer of your own), or a section without a type.
 */
export function deepspeedOptimizer(config: DeepSpeedConfig): Optimizer {
  const section = config.optimizer;
  if (section === undefined || section === null) {
    throw optionError(
      RangeError,
      "deepspeedOptimizer",
      "optimizer",
      section,
      `the config has no "optimizer" section: DeepSpeed then uses the ` +
        `client's optimizer; pass it as \`optimizer\``,
    );
  }
  const type = String(section.type ?? "").toLowerCase();
  const params = camelKeys("deepspeedOptimizer", section.params ?? {});
  const lr = (params.lr ?? 1e-3) as number;
  if (typeof lr !== "number" || !Number.isFinite(lr)) {
    throw optionError(
      TypeError,
      "deepspeedOptimizer",
      "optimizer.params.lr",
      lr,
      `\`optimizer.params.lr\` must be a number: got ${show(lr)}`,
    );
  }
  if (BETAS_OPTIMIZERS.includes(type)) {
    const betas = (params.betas ?? [0.9, 0.999]) as [number, number];
    return { paramGroups: [{ lr, betas: [...betas] }], defaults: { lr, betas: [...betas] } };
  }
  if (MOMENTUM_OPTIMIZERS.includes(type)) {
    const momentum = (params.momentum ?? 0) as number;
    return { paramGroups: [{ lr, momentum }], defaults: { lr, momentum } };
  }
  throw optionError(
    RangeError,
    "deepspeedOptimizer",
    "optimizer.type",
    section.type,
    `unknown optimizer type ${show(section.type)}: expected one of ` +
      `${[...BETAS_OPTIMIZERS, ...MOMENTUM_OPTIMIZERS].join(", ")} (case-insensitive); for ` +
      `another, pass an optimizer whose defaults have \`betas\` or not`,
  );
}

/** Options of {@linkcode deepspeedSchedule}. */
export interface DeepSpeedScheduleOptions {
  /** The number of optimizer steps (training batches). */
  steps: number;
  /**
   * Optimizer steps (1-based) on which fp16's loss scaler found an overflow: the update is
   * skipped and the scheduler does not step.
   * @default {[]}
   */
  overflowSteps?: readonly number[];
  /**
   * The optimizer (default: {@linkcode deepspeedOptimizer}`(config)`), e.g. the Hugging Face
   * Trainer's AdamW when the config has no `"optimizer"`.
   * @default {undefined}
   */
  optimizer?: Optimizer;
  /**
   * Resume: the scheduler's state saved after `step` optimizer steps; the run continues at
   * `step + 1` (DeepSpeed's `load_checkpoint` with `load_lr_scheduler_states`).
   * @default {undefined}
   */
  resume?: { step: number; state: StateDict };
}

/** What {@linkcode deepspeedSchedule} returns: one row per optimizer step. */
export interface DeepSpeedSchedule {
  /** The scheduler, after the last step. */
  scheduler: DeepSpeedScheduler;
  /** The optimizer its groups were written in. */
  optimizer: Optimizer;
  /** The first step (1, or the resumed step + 1). */
  firstStep: number;
  /** Per group, the rate each optimizer step uses. */
  lr: Float64Array[];
  /** Per group, `betas[0]` each step uses, when the groups have `betas`. */
  beta1: Float64Array[] | null;
  /** Per step: 1 when the step overflowed (no update, no scheduler step). */
  overflow: Uint8Array;
}

/**
 * The learning rate of every optimizer step of a DeepSpeed run, stepped as
 * `DeepSpeedEngine._take_model_step` steps: the scheduler is built once
 * ({@linkcode schedulerFromConfig}; its constructor writes the rate of the first step), each
 * optimizer step uses the groups' current rates, then — unless the fp16 loss scaler overflowed
 * — `lr_scheduler.step()`. A scheduler whose `step()` needs an argument (torch's
 * `ReduceLROnPlateau`) gets `train_batch_size`, as the engine's `except TypeError` does.
 *
 * @param config The `ds_config.json` object, with a `"scheduler"` section.
 * @param options The number of steps, overflowed steps, the optimizer, a resume.
 * @throws {RangeError} Without a `"scheduler"` section, or where DeepSpeed raises.
 *
 * @example `WarmupDecayLR` with DeepSpeed's log warmup
 * ```ts
 * import { deepspeedSchedule } from "@lrspec/lrspec/deepspeed";
 * import assert from "node:assert/strict";
 *
 * const run = deepspeedSchedule({
 *   optimizer: { type: "AdamW", params: { lr: 3e-4 } },
 *   scheduler: {
 *     type: "WarmupDecayLR",
 *     params: { total_num_steps: 1000, warmup_max_lr: 3e-4, warmup_num_steps: 100 },
 *   },
 * }, { steps: 1000 });
 * assert.equal(run.lr[0]![0], 0); // step 1: warmup_min_lr
 * assert.equal(run.lr[0]![1], 0); // step 2 as well: log(1) = 0
 * assert.equal(run.lr[0]![101], 3e-4 * (900 / 900)); // step 102: the decay starts
 * ```
 */
export function deepspeedSchedule(
  config: DeepSpeedConfig,
  options: DeepSpeedScheduleOptions,
): DeepSpeedSchedule {
  const owner = "deepspeedSchedule";
  const steps = options.steps;
  if (!Number.isSafeInteger(steps) || steps < 0) {
    throw optionError(
      RangeError,
      owner,
      "steps",
      steps,
      `\`steps\` must be a non-negative integer: got ${show(steps)}`,
    );
  }
  const optimizer = options.optimizer ?? deepspeedOptimizer(config);
  const scheduler = schedulerFromConfig(config, optimizer);
  if (scheduler === null) {
    throw optionError(
      RangeError,
      owner,
      "scheduler",
      config.scheduler,
      `the config has no "scheduler" section`,
    );
  }
  let first = 1;
  if (options.resume !== undefined) {
    const at = options.resume.step;
    if (!Number.isSafeInteger(at) || at < 0 || at > steps) {
      throw optionError(
        RangeError,
        owner,
        "resume.step",
        at,
        `\`resume.step\` must be an integer in [0, ${steps}]: got ${show(at)}`,
      );
    }
    scheduler.loadStateDict(options.resume.state);
    first = at + 1;
  }
  const overflowed = new Set(options.overflowSteps ?? []);
  const n = steps - first + 1;
  const groups = optimizer.paramGroups;
  const lr = groups.map(() => new Float64Array(n));
  const hasBetas = groups.every((g) => Array.isArray(g.betas));
  const beta1 = hasBetas ? groups.map(() => new Float64Array(n)) : null;
  const overflow = new Uint8Array(n);
  const batch = typeof config.train_batch_size === "number" ? config.train_batch_size : undefined;
  for (let k = 0; k < n; k++) {
    groups.forEach((g, j) => {
      lr[j]![k] = g.lr;
      if (beta1) beta1[j]![k] = (g.betas as number[])[0]!;
    });
    if (overflowed.has(first + k)) {
      overflow[k] = 1;
      continue;
    }
    engineStep(scheduler, batch);
  }
  return { scheduler, optimizer, firstStep: first, lr, beta1, overflow };
}

/**
 * One `lr_scheduler.step()` as `DeepSpeedEngine._take_model_step` makes it after an optimizer
 * step: `step()`, and where that raises a `TypeError` (a scheduler whose `step` needs an
 * argument, torch's `ReduceLROnPlateau`) `step(train_batch_size)`, as the engine's
 * `except TypeError` does. {@linkcode deepspeedSchedule} steps with it; so does a caller that
 * streams the rates instead of holding them.
 *
 * @param scheduler The scheduler ({@linkcode schedulerFromConfig}).
 * @param trainBatchSize The config's `train_batch_size` (undefined: the `TypeError` propagates).
 * @throws {TypeError | RangeError} Where the scheduler's step raises.
 *
 * @example
 * ```ts
 * import { engineStep, schedulerFromConfig } from "@lrspec/lrspec/deepspeed";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const s = schedulerFromConfig(
 *   { scheduler: { type: "StepLR", params: { step_size: 1, gamma: 0.5 } } },
 *   optimizer,
 * )!;
 * engineStep(s, 32);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.05);
 * ```
 */
export function engineStep(scheduler: DeepSpeedScheduler, trainBatchSize?: number): void {
  try {
    scheduler.step();
  } catch (error) {
    // engine.py: `except TypeError: self.lr_scheduler.step(self.train_batch_size())`
    if (!(error instanceof TypeError) || trainBatchSize === undefined) throw error;
    scheduler.step(trainBatchSize);
  }
}
