/**
 * Port of the step arithmetic of Hugging Face transformers' `Trainer` (`src/transformers/
 * trainer.py`, transformers 5.17.0) and of the dataloader lengths it reads (accelerate's
 * `BatchSamplerShard`): from `TrainingArguments`, a dataset size and a number of processes to
 * the number of optimizer steps, the warmup, the scheduler the Trainer builds and the learning
 * rate of every optimizer step — the numbers behind "why does my schedule end early / warm up
 * for 33 steps", as the Trainer computes them.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { camelCase } from "../names.ts";
import { integer, show } from "../_internal/validate.ts";
import type { Optimizer } from "../optimizer.ts";
import { LambdaLR } from "../torch/optim/lr_scheduler.ts";
import { getScheduler, type HfScheduler } from "./optimization.ts";
import {
  getWarmupSteps,
  type ResolvedTrainingArguments,
  type TrainingArguments,
  trainingArguments,
  type TrainingArgumentsOptions,
} from "./training_args.ts";

/** The training run's size: how many examples, on how many processes. */
export interface TrainingSetup {
  /**
   * The number of training examples (`len(train_dataset)`); `null` for a dataset without a
   * length (a streaming `IterableDataset`), which needs a positive `max_steps`.
   */
  datasetSize: number | null;
  /**
   * The number of data-parallel processes (`accelerate launch --num_processes`, torchrun's
   * world size). One process driving several GPUs with `torch.nn.DataParallel` counts the same
   * (its batch is `per_device_train_batch_size` × GPUs): the step counts are equal.
   * @default {1}
   */
  numProcesses?: number;
}

/**
 * What transformers' `Trainer.set_initial_training_values` returns (its names in camelCase),
 * plus the per-process dataloader length it starts from.
 */
export interface TrainingValues {
  /** Batches per process per epoch (`len(train_dataloader)`), or `null` without a length. */
  lenDataloader: number | null;
  /** Optimizer steps per epoch: `ceil(lenDataloader / gradient_accumulation_steps)`, at least 1. */
  numUpdateStepsPerEpoch: number;
  /** The number of optimizer steps: the scheduler's `num_training_steps`. */
  maxSteps: number;
  /** The number of epochs the training loop runs (an integer). */
  numTrainEpochs: number;
  /** The number of examples (`len(train_dataset)`, or an estimate without a length). */
  numExamples: number;
  /** Examples over the whole run, as the Trainer logs it. */
  numTrainSamples: number;
  /** Examples per optimizer step over all processes. */
  totalTrainBatchSize: number;
  /** Micro-batches per epoch (`steps_in_epoch`). */
  stepsInEpoch: number;
}

function processes(owner: string, setup: TrainingSetup): number {
  return integer(owner, "numProcesses", setup.numProcesses ?? 1, "an integer >= 1", (x) => x >= 1);
}

function datasetSizeOf(owner: string, setup: TrainingSetup): number | null {
  const n = setup.datasetSize;
  if (n === null) return null;
  return integer(owner, "datasetSize", n, "an integer >= 0 or null", (x) => x >= 0);
}

/**
 * The length of each process's training dataloader: torch's `DataLoader` makes
 * `ceil(N / B)` batches (`floor` with `dataloader_drop_last`), which accelerate's
 * `BatchSamplerShard.__len__` (accelerate `data_loader.py`) deals to the processes —
 * `ceil(batches / P)` each (`floor` when dropping the last), or every batch to every process
 * with `split_batches`. `train_sampling_strategy: batch_rebalance` builds whole optimizer steps
 * of `B · GA · P` examples instead (`BatchRebalanceSampler.__len__`, `trainer_pt_utils.py`).
 */
function dataloaderLength(args: ResolvedTrainingArguments, n: number, p: number): number {
  const b = args.per_device_train_batch_size;
  const dropLast = args.dataloader_drop_last;
  if (args.train_sampling_strategy === "batch_rebalance") {
    const effective = b * args.gradient_accumulation_steps * p;
    const tail = !dropLast && n % effective > 0 ? 1 : 0;
    return (Math.floor(n / effective) + tail) * args.gradient_accumulation_steps;
  }
  const batches = dropLast ? Math.floor(n / b) : Math.ceil(n / b);
  if (args.split_batches) {
    if (b % p !== 0) {
      throw optionError(
        RangeError,
        "Trainer",
        "accelerator_config.split_batches",
        args.split_batches,
        `with \`accelerator_config.split_batches\`, the batch size (${b}) needs to be a ` +
          `round multiple of the number of processes (${p}) (accelerate raises ValueError)`,
      );
    }
    return batches;
  }
  if (batches % p === 0) return batches / p;
  const length = Math.floor(batches / p);
  return dropLast ? length : length + 1;
}

/**
 * The Trainer's step counts. Port of transformers' `Trainer.set_initial_training_values`
 * (`trainer.py` line 2412) and `get_total_train_batch_size` (line 2483), on the dataloader
 * length accelerate gives each process.
 *
 * ```text
 * B = per_device_train_batch_size, GA = gradient_accumulation_steps, P = processes
 * lenDataloader          = ceil(ceil(N / B) / P)          (floor, floor with drop_last)
 * numUpdateStepsPerEpoch = max(lenDataloader // GA + (lenDataloader % GA > 0), 1)
 * maxSteps               = max_steps                                        when max_steps >= 0
 *                          ceil(num_train_epochs · numUpdateStepsPerEpoch)  otherwise
 * totalTrainBatchSize    = B · GA · P
 * numTrainEpochs         = ceil(maxSteps / numUpdateStepsPerEpoch)     with max_steps > 0
 *                          ceil(num_train_epochs)                      otherwise
 * ```
 *
 * @example Gradient accumulation rounds up: 1,000 examples, batch 16, 4 accumulation steps
 * ```ts
 * import { setInitialTrainingValues, trainingArguments } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const args = trainingArguments({
 *   per_device_train_batch_size: 16,
 *   gradient_accumulation_steps: 4,
 *   num_train_epochs: 2,
 * });
 * const v = setInitialTrainingValues(args, { datasetSize: 1000 });
 * assert.equal(v.lenDataloader, 63); // ceil(1000 / 16)
 * assert.equal(v.numUpdateStepsPerEpoch, 16); // ceil(63 / 4): the last step has 3 micro-batches
 * assert.equal(v.maxSteps, 32);
 * ```
 *
 * @param args Resolved arguments ({@linkcode trainingArguments}).
 * @param setup {@linkcode TrainingSetup}.
 * @returns {@linkcode TrainingValues}.
 * @throws {RangeError} Where the Trainer raises `ValueError`: no dataset length (or an empty
 * dataloader) without a positive `max_steps`; `split_batches` with a batch size that is not a
 * multiple of the processes (accelerate). Also for a dataset size or process count out of range.
 */
export function setInitialTrainingValues(
  args: ResolvedTrainingArguments,
  setup: TrainingSetup,
): TrainingValues {
  const owner = "Trainer";
  if (typeof setup !== "object" || setup === null) {
    throw optionError(
      TypeError,
      owner,
      "setup",
      setup,
      `expected { datasetSize, numProcesses? }: got ${show(setup)}`,
    );
  }
  const p = processes(owner, setup);
  const n = datasetSizeOf(owner, setup);
  const ga = args.gradient_accumulation_steps;
  if (n === null && args.max_steps <= 0) {
    throw optionError(
      RangeError,
      owner,
      "max_steps",
      args.max_steps,
      `The train_dataset does not implement __len__, so the number of training steps ` +
        `cannot be inferred; max_steps has to be specified (transformers raises ValueError)`,
    );
  }
  const totalTrainBatchSize = args.per_device_train_batch_size * ga * p;
  const lenDataloader = n === null ? null : dataloaderLength(args, n, p);
  let maxSteps = args.max_steps;
  let numUpdateStepsPerEpoch = 0;
  if (lenDataloader !== null) {
    numUpdateStepsPerEpoch = Math.max(
      Math.floor(lenDataloader / ga) + (lenDataloader % ga > 0 ? 1 : 0),
      1,
    );
    if (args.max_steps < 0) maxSteps = Math.ceil(args.num_train_epochs * numUpdateStepsPerEpoch);
  }
  let numTrainEpochs: number, numExamples: number, numTrainSamples: number;
  if (lenDataloader) {
    numExamples = n!;
    if (args.max_steps > 0) {
      numTrainEpochs = Math.floor(maxSteps / numUpdateStepsPerEpoch) +
        (maxSteps % numUpdateStepsPerEpoch > 0 ? 1 : 0);
      numTrainSamples = maxSteps * totalTrainBatchSize;
    } else {
      numTrainEpochs = Math.ceil(args.num_train_epochs);
      numTrainSamples = n! * args.num_train_epochs;
    }
  } else if (args.max_steps > 0) {
    numTrainEpochs = Number.MAX_SAFE_INTEGER; // upstream: sys.maxsize
    numUpdateStepsPerEpoch = maxSteps;
    numExamples = totalTrainBatchSize * args.max_steps;
    numTrainSamples = args.max_steps * totalTrainBatchSize;
  } else {
    throw optionError(
      RangeError,
      owner,
      "max_steps",
      args.max_steps,
      `args.max_steps must be set to a positive value if dataloader does not have a ` +
        `length, was ${args.max_steps} (the dataloader is empty: ${n} examples, batch ` +
        `${args.per_device_train_batch_size}${
          args.dataloader_drop_last ? ", drop_last" : ""
        }; transformers raises ValueError)`,
    );
  }
  return {
    lenDataloader,
    numUpdateStepsPerEpoch,
    maxSteps,
    numTrainEpochs,
    numExamples,
    numTrainSamples,
    totalTrainBatchSize,
    stepsInEpoch: lenDataloader ?? maxSteps * ga,
  };
}

/** Options of {@linkcode createScheduler}. */
export interface CreateSchedulerOptions {
  /** The number of optimizer steps (`max_steps` of {@linkcode setInitialTrainingValues}). */
  numTrainingSteps: number;
  /**
   * The optimizer to schedule; by default a fresh one with one group at `learning_rate` and
   * `defaults.lr = learning_rate`, as the Trainer's optimizer (every group of the Trainer's
   * AdamW has the default learning rate).
   * @default {undefined}
   */
  optimizer?: Optimizer;
}

/**
 * The scheduler the Trainer builds. Port of transformers' `Trainer.create_scheduler`
 * (`trainer.py` line 1305): `get_scheduler(lr_scheduler_type, optimizer,
 * num_warmup_steps=get_warmup_steps(num_training_steps), num_training_steps,
 * scheduler_specific_kwargs=lr_scheduler_kwargs)`, with the kwargs' keys in camelCase.
 *
 * @example
 * ```ts
 * import { createScheduler, trainingArguments } from "@lrspec/lrspec/hf";
 * import { LambdaLR } from "@lrspec/lrspec/torch";
 * import assert from "node:assert/strict";
 *
 * const args = trainingArguments({ lr_scheduler_type: "cosine", warmup_steps: 0.1 });
 * const { optimizer, scheduler } = createScheduler(args, { numTrainingSteps: 100 });
 * assert.ok(scheduler instanceof LambdaLR); // ReduceLROnPlateau and GreedyLR step on metrics
 * for (let step = 0; step < 10; step++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 5e-5); // the peak after ceil(100 · 0.1) steps
 * ```
 *
 * @param args Resolved arguments ({@linkcode trainingArguments}).
 * @param options {@linkcode CreateSchedulerOptions}.
 * @returns The optimizer and the scheduler built on it.
 * @throws {TypeError} As {@linkcode getScheduler} (a kwarg unknown to the schedule, …).
 * @throws {RangeError} As {@linkcode getScheduler}.
 */
export function createScheduler(
  args: ResolvedTrainingArguments,
  options: CreateSchedulerOptions,
): { optimizer: Optimizer; scheduler: HfScheduler } {
  const numTrainingSteps = integer(
    "createScheduler",
    "numTrainingSteps",
    options.numTrainingSteps,
  );
  const optimizer = options.optimizer ??
    { paramGroups: [{ lr: args.learning_rate }], defaults: { lr: args.learning_rate } };
  const kwargs = Object.fromEntries(
    Object.entries(args.lr_scheduler_kwargs).map(([k, v]) => [camelCase(k), v]),
  );
  const scheduler = getScheduler({
    name: args.lr_scheduler_type,
    optimizer,
    numWarmupSteps: getWarmupSteps(args, numTrainingSteps),
    numTrainingSteps,
    schedulerSpecificKwargs: kwargs,
  });
  return { optimizer, scheduler };
}

/** Everything the Trainer derives for the schedule: see {@linkcode trainerSchedule}. */
export interface TrainerSchedule extends TrainingValues {
  /** The resolved arguments. */
  args: ResolvedTrainingArguments;
  /** The dataset size given (`null`: no length). */
  datasetSize: number | null;
  /** The number of processes. */
  numProcesses: number;
  /** `get_warmup_steps(maxSteps)`. */
  numWarmupSteps: number;
  /** Things the numbers depend on that lrspec does not model, in words (may be empty). */
  notes: string[];
}

/**
 * The whole step arithmetic of a Trainer run, from a `TrainingArguments` object (snake_case
 * keys, as read from `training_args.json` or YAML) and the dataset size:
 * {@linkcode trainingArguments}, {@linkcode setInitialTrainingValues} and
 * {@linkcode getWarmupSteps}. Build the scheduler with {@linkcode createTrainerScheduler}, get
 * every step's learning rate with {@linkcode trainerLrs}, say it in words with
 * {@linkcode explainTrainerSchedule}.
 *
 * ```text
 * maxSteps       = setInitialTrainingValues(args, setup).maxSteps
 * numWarmupSteps = getWarmupSteps(args, maxSteps)
 * ```
 *
 * @example Several processes and a warmup ratio
 * ```ts
 * import { trainerSchedule } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const plan = trainerSchedule({
 *   per_device_train_batch_size: 8,
 *   gradient_accumulation_steps: 2,
 *   num_train_epochs: 3,
 *   warmup_steps: 0.03,
 *   lr_scheduler_type: "cosine",
 * }, { datasetSize: 10_000, numProcesses: 4 });
 * assert.equal(plan.lenDataloader, 313); // ceil(ceil(10000 / 8) / 4)
 * assert.equal(plan.numUpdateStepsPerEpoch, 157); // ceil(313 / 2)
 * assert.equal(plan.maxSteps, 471);
 * assert.equal(plan.numWarmupSteps, 15); // ceil(471 · 0.03) = ceil(14.13)
 * ```
 *
 * @param args The `TrainingArguments` object.
 * @param setup {@linkcode TrainingSetup}.
 * @param options {@linkcode TrainingArgumentsOptions}.
 * @returns {@linkcode TrainerSchedule}.
 * @throws {TypeError} As {@linkcode trainingArguments}.
 * @throws {RangeError} As {@linkcode trainingArguments} and
 * {@linkcode setInitialTrainingValues}.
 * @throws {SyntaxError} As {@linkcode trainingArguments}.
 */
export function trainerSchedule(
  args: TrainingArguments,
  setup: TrainingSetup,
  options: TrainingArgumentsOptions = {},
): TrainerSchedule {
  const resolved = trainingArguments(args, options);
  const values = setInitialTrainingValues(resolved, setup);
  const notes: string[] = [];
  if (resolved.auto_find_batch_size) {
    notes.push(
      "auto_find_batch_size: the Trainer halves the batch size after an out-of-memory error, " +
        "which changes these counts; they assume per_device_train_batch_size fits",
    );
  }
  if (resolved.deepspeed) {
    notes.push(
      "deepspeed: a DeepSpeed config with a `scheduler` section replaces this scheduler",
    );
  }
  if (resolved.extra_keys.length > 0) {
    notes.push(`ignored keys (not TrainingArguments fields): ${resolved.extra_keys.join(", ")}`);
  }
  if (
    resolved.lr_scheduler_type === "constant" ||
    resolved.lr_scheduler_type === "constant_with_warmup"
  ) {
    if (Object.keys(resolved.lr_scheduler_kwargs).length > 0) {
      notes.push(`lr_scheduler_kwargs are ignored by ${resolved.lr_scheduler_type} (as upstream)`);
    }
  }
  return {
    ...values,
    args: resolved,
    datasetSize: setup.datasetSize,
    numProcesses: setup.numProcesses ?? 1,
    numWarmupSteps: getWarmupSteps(resolved, values.maxSteps),
    notes,
  };
}

/**
 * A fresh optimizer and the scheduler the Trainer would build for this run
 * ({@linkcode createScheduler} with `maxSteps`).
 *
 * @example
 * ```ts
 * import { createTrainerScheduler, trainerSchedule } from "@lrspec/lrspec/hf";
 * import { LambdaLR } from "@lrspec/lrspec/torch";
 * import assert from "node:assert/strict";
 *
 * const plan = trainerSchedule({ num_train_epochs: 1 }, { datasetSize: 80 });
 * const { optimizer, scheduler } = createTrainerScheduler(plan);
 * assert.ok(scheduler instanceof LambdaLR);
 * scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 5e-5 * (9 / 10)); // linear decay over 10 steps
 * ```
 *
 * @param schedule A {@linkcode TrainerSchedule}.
 * @returns The optimizer and its scheduler, after the scheduler's initial step.
 * @throws {TypeError} As {@linkcode createScheduler}.
 * @throws {RangeError} As {@linkcode createScheduler}.
 */
export function createTrainerScheduler(
  schedule: TrainerSchedule,
): { optimizer: Optimizer; scheduler: HfScheduler } {
  return createScheduler(schedule.args, { numTrainingSteps: schedule.maxSteps });
}

/**
 * The learning rate of every optimizer step of the run: entry `k` is the rate optimizer step
 * `k` (0-based) trains with — what the Trainer logs as `learning_rate` for that step (it reads
 * the rate before `lr_scheduler.step()`). `ReduceLROnPlateau` and `GreedyLR` change only on
 * evaluation metrics: their entries are the rate before any evaluation.
 *
 * ```text
 * lrs[k] = learning_rate · factor(k),  k = 0 … maxSteps − 1
 * ```
 *
 * @example
 * ```ts
 * import { trainerLrs, trainerSchedule } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const lrs = trainerLrs(trainerSchedule({ warmup_steps: 2, num_train_epochs: 1 }, {
 *   datasetSize: 80,
 * }));
 * assert.equal(lrs.length, 10);
 * assert.deepEqual([lrs[0], lrs[1], lrs[2]], [0, 2.5e-5, 5e-5]);
 * ```
 *
 * @param schedule A {@linkcode TrainerSchedule}.
 * @returns `maxSteps` learning rates.
 * @throws {RangeError} Where the schedule throws (see {@linkcode getScheduler}).
 */
export function trainerLrs(schedule: TrainerSchedule): Float64Array {
  const { optimizer, scheduler } = createTrainerScheduler(schedule);
  const lrs = new Float64Array(Math.max(0, schedule.maxSteps));
  const group = optimizer.paramGroups[0]!;
  const byStep = scheduler instanceof LambdaLR;
  for (let k = 0; k < lrs.length; k++) {
    lrs[k] = group.lr;
    if (byStep && k + 1 < lrs.length) scheduler.step();
  }
  return lrs;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** A rate as people write it: `2e-5`, `0.001`, `0.1`. */
function rate(x: number): string {
  return x !== 0 && Math.abs(x) < 1e-4 ? x.toExponential() : String(x);
}

function describeDecay(s: TrainerSchedule): string {
  const a = s.args;
  const kw = a.lr_scheduler_kwargs;
  const n = count(s.maxSteps);
  switch (a.lr_scheduler_type) {
    case "linear":
      return `linear decay to 0 at step ${n}`;
    case "cosine": {
      const cycles = (kw.num_cycles as number | undefined) ?? 0.5;
      return cycles === 0.5
        ? `cosine to 0 at step ${n}`
        : `cosine of ${cycles} cycles over steps ${count(s.numWarmupSteps)}–${n}`;
    }
    case "cosine_with_restarts":
      return `cosine to 0 with ${
        (kw.num_cycles as number | undefined) ?? 1
      } hard restart cycle(s), 0 from step ${n}`;
    case "polynomial":
      return `polynomial decay (power ${(kw.power as number | undefined) ?? 1}) to ${
        rate((kw.lr_end as number | undefined) ?? 1e-7)
      } at step ${n}`;
    case "constant":
      return `constant at ${rate(a.learning_rate)}`;
    case "constant_with_warmup":
      return `then constant`;
    case "inverse_sqrt": {
      const t = (kw.timescale as number | null | undefined) ?? (s.numWarmupSteps || 10000);
      return `then 1/sqrt decay (timescale ${count(t)})`;
    }
    case "reduce_lr_on_plateau":
      return `constant until evaluations show a plateau (ReduceLROnPlateau on ` +
        `metric_for_best_model, factor ${(kw.factor as number | undefined) ?? 0.1})`;
    case "greedy":
      return `adjusted after each evaluation (GreedyLR on metric_for_best_model)`;
    case "cosine_with_min_lr":
    case "cosine_warmup_with_min_lr": {
      const end = kw.min_lr !== undefined && kw.min_lr !== null
        ? rate(kw.min_lr as number)
        : `${(kw.min_lr_rate as number | undefined) ?? "?"} × the peak`;
      const shift = a.lr_scheduler_type === "cosine_warmup_with_min_lr"
        ? " (shifted one step earlier)"
        : "";
      return `cosine to ${end} at step ${n}${shift}`;
    }
    case "warmup_stable_decay": {
      const d = kw.num_decay_steps as number | undefined;
      return `stable, then ${(kw.decay_type as string | undefined) ?? "cosine"} decay over ${
        d === undefined ? "?" : count(d)
      } steps to ${(kw.min_lr_ratio as number | undefined) ?? 0} × the peak`;
    }
  }
}

/**
 * The run's schedule in words: the step arithmetic (examples, batches per process, accumulation,
 * epochs), the warmup (with the ratio it came from) and the schedule's shape.
 *
 * @example
 * ```ts
 * import { explainTrainerSchedule, trainerSchedule } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const text = explainTrainerSchedule(trainerSchedule({
 *   learning_rate: 2e-5,
 *   per_device_train_batch_size: 16,
 *   num_train_epochs: 3,
 *   warmup_steps: 0.03,
 *   lr_scheduler_type: "cosine",
 * }, { datasetSize: 5_691 }));
 * assert.match(text, /linear warmup over 33 steps \(3 % of 1,068\), cosine to 0 at step 1,068/);
 * ```
 *
 * @param schedule A {@linkcode TrainerSchedule}.
 * @returns Several lines of text.
 */
export function explainTrainerSchedule(schedule: TrainerSchedule): string {
  const s = schedule;
  const a = s.args;
  const lines: string[] = [];
  const b = a.per_device_train_batch_size;
  const ga = a.gradient_accumulation_steps;
  const p = s.numProcesses;
  if (s.lenDataloader !== null) {
    const split = a.split_batches ? " (split_batches: each batch split over the processes)" : "";
    lines.push(
      `${count(s.datasetSize!)} examples, batch ${b} per device × ${p} process(es)${split}: ` +
        `${count(s.lenDataloader)} batches per process per epoch` +
        (a.dataloader_drop_last ? " (last incomplete batch dropped)" : ""),
    );
    lines.push(
      ga > 1
        ? `gradient accumulation ${ga}: ${
          count(s.numUpdateStepsPerEpoch)
        } optimizer steps per epoch` +
          (s.lenDataloader % ga > 0
            ? ` (the last one of ${s.lenDataloader % ga} micro-batch(es))`
            : "")
        : `${count(s.numUpdateStepsPerEpoch)} optimizer steps per epoch`,
    );
  } else {
    lines.push(`dataset without a length: max_steps ${count(s.maxSteps)} decides the length`);
  }
  lines.push(
    a.max_steps > 0
      ? `max_steps ${count(a.max_steps)} overrides num_train_epochs: ${
        count(s.maxSteps)
      } optimizer steps (${
        s.numTrainEpochs === Number.MAX_SAFE_INTEGER ? "unbounded" : count(s.numTrainEpochs)
      } epoch(s) run)`
      : `${a.num_train_epochs} epoch(s): ${count(s.maxSteps)} optimizer steps` +
        (Number.isInteger(a.num_train_epochs * s.numUpdateStepsPerEpoch)
          ? ""
          : ` (ceil(${a.num_train_epochs} × ${count(s.numUpdateStepsPerEpoch)}))`),
  );
  lines.push(`total batch ${count(s.totalTrainBatchSize)} examples per optimizer step`);
  const w = s.numWarmupSteps;
  const from = a.warmup_steps > 0 && a.warmup_steps < 1
    ? ` (${+(a.warmup_steps * 100).toPrecision(12)} % of ${count(s.maxSteps)})`
    : "";
  const peak = `peak learning rate ${rate(a.learning_rate)}`;
  const warmup = a.lr_scheduler_type === "constant" ||
      a.lr_scheduler_type === "reduce_lr_on_plateau" || a.lr_scheduler_type === "greedy"
    ? ""
    : w > 0
    ? `linear warmup over ${count(w)} steps${from}, `
    : "no warmup, ";
  lines.push(`${a.lr_scheduler_type}: ${warmup}${describeDecay(s)}; ${peak}`);
  for (const note of s.notes) lines.push(`note: ${note}`);
  return lines.join("\n");
}
