/**
 * Port of the schedule-related part of Hugging Face transformers'
 * `src/transformers/training_args.py` (transformers 5.17.0): the `TrainingArguments` fields a
 * training run's learning-rate schedule depends on, with their defaults and checks, and
 * `get_warmup_steps`. Keys are snake_case, exactly as users write them in a
 * `training_args.json` / YAML file or as keyword arguments of `TrainingArguments(...)`.
 *
 * @module
 */

import { boolean, finiteWhere, integer, oneOf, show } from "../_internal/validate.ts";
import { type SchedulerType, schedulerType } from "./trainer_utils.ts";
import { editDistance } from "../edit_distance.ts";
import { optionError } from "../errors.ts";

/**
 * The fields of transformers 5.17's `TrainingArguments` dataclass, in declaration order
 * (`training_args.py` lines 768–1495): the keys `HfArgumentParser` accepts.
 */
export const TRAINING_ARGUMENTS_FIELDS: readonly string[] = Object.freeze([
  "output_dir",
  "per_device_train_batch_size",
  "num_train_epochs",
  "max_steps",
  "learning_rate",
  "lr_scheduler_type",
  "lr_scheduler_kwargs",
  "warmup_steps",
  "optim",
  "optim_args",
  "weight_decay",
  "adam_beta1",
  "adam_beta2",
  "adam_epsilon",
  "optim_target_modules",
  "gradient_accumulation_steps",
  "average_tokens_across_devices",
  "max_grad_norm",
  "label_smoothing_factor",
  "bf16",
  "fp16",
  "bf16_full_eval",
  "fp16_full_eval",
  "tf32",
  "gradient_checkpointing",
  "gradient_checkpointing_kwargs",
  "torch_compile",
  "torch_compile_backend",
  "torch_compile_mode",
  "use_liger_kernel",
  "liger_kernel_config",
  "use_cache",
  "neftune_noise_alpha",
  "torch_empty_cache_steps",
  "auto_find_batch_size",
  "logging_strategy",
  "logging_steps",
  "logging_first_step",
  "log_on_each_node",
  "logging_nan_inf_filter",
  "include_num_input_tokens_seen",
  "log_level",
  "log_level_replica",
  "disable_tqdm",
  "report_to",
  "run_name",
  "project",
  "trackio_space_id",
  "trackio_bucket_id",
  "trackio_static_space_id",
  "eval_strategy",
  "eval_steps",
  "eval_delay",
  "per_device_eval_batch_size",
  "prediction_loss_only",
  "eval_on_start",
  "eval_do_concat_batches",
  "eval_use_gather_object",
  "eval_accumulation_steps",
  "include_for_metrics",
  "batch_eval_metrics",
  "save_only_model",
  "save_strategy",
  "save_steps",
  "save_on_each_node",
  "save_total_limit",
  "enable_jit_checkpoint",
  "push_to_hub",
  "hub_token",
  "hub_private_repo",
  "hub_model_id",
  "hub_strategy",
  "hub_always_push",
  "hub_revision",
  "load_best_model_at_end",
  "metric_for_best_model",
  "greater_is_better",
  "ignore_data_skip",
  "restore_callback_states_from_checkpoint",
  "full_determinism",
  "seed",
  "data_seed",
  "use_cpu",
  "accelerator_config",
  "parallelism_config",
  "dataloader_drop_last",
  "dataloader_num_workers",
  "dataloader_pin_memory",
  "dataloader_persistent_workers",
  "dataloader_prefetch_factor",
  "dataloader_multiprocessing_context",
  "dataloader_in_order",
  "remove_unused_columns",
  "label_names",
  "train_sampling_strategy",
  "length_column_name",
  "ddp_find_unused_parameters",
  "ddp_bucket_cap_mb",
  "ddp_broadcast_buffers",
  "ddp_static_graph",
  "ddp_backend",
  "ddp_timeout",
  "fsdp",
  "fsdp_config",
  "deepspeed",
  "debug",
  "skip_memory_metrics",
  "do_train",
  "do_eval",
  "do_predict",
  "resume_from_checkpoint",
  "local_rank",
]);

/** Keys of older transformers releases, with what 5.17 wants instead. */
const RENAMED: Readonly<Record<string, string>> = {
  warmup_ratio: "transformers 5 has no `warmup_ratio`: a `warmup_steps` below 1 is the ratio " +
    "(`warmup_steps: 0.03`)",
  evaluation_strategy: "use `eval_strategy`",
  per_gpu_train_batch_size: "use `per_device_train_batch_size`",
  no_cuda: "use `use_cpu`",
  group_by_length: "use `train_sampling_strategy: group_by_length`",
};

/** How the Trainer draws training examples (`TrainingArguments.train_sampling_strategy`). */
export type TrainSamplingStrategy = "random" | "sequential" | "group_by_length" | "batch_rebalance";

/**
 * `TrainingArguments` as users write them (snake_case keys, JSON or YAML values). The fields
 * below shape the learning-rate schedule; every other field of transformers 5.17's
 * `TrainingArguments` ({@linkcode TRAINING_ARGUMENTS_FIELDS}) is accepted and ignored.
 */
export interface TrainingArguments {
  /**
   * The peak learning rate: the optimizer's `lr` (and `defaults["lr"]`).
   * @default {5e-5}
   */
  learning_rate?: number;
  /**
   * Examples per device (per process) in each forward/backward pass.
   * @default {8}
   */
  per_device_train_batch_size?: number;
  /**
   * Epochs to train; a fraction trains that part of the last epoch. Ignored when `max_steps`
   * is positive.
   * @default {3.0}
   */
  num_train_epochs?: number;
  /**
   * The number of optimizer steps, overriding `num_train_epochs` when positive.
   * @default {-1}
   */
  max_steps?: number;
  /**
   * The schedule (a `SchedulerType` value).
   * @default {"linear"}
   */
  lr_scheduler_type?: SchedulerType;
  /**
   * The schedule's own keyword arguments (`num_cycles`, `min_lr`, …), snake_case; or that
   * object as a JSON string (`'{"num_cycles": 2}'`), as on upstream's command line.
   * @default {null}
   */
  lr_scheduler_kwargs?: Record<string, unknown> | string | null;
  /**
   * Warmup steps: an integer number of steps, or a ratio of the training steps when below 1.
   * @default {0}
   */
  warmup_steps?: number;
  /**
   * Micro-batches whose gradients are accumulated into one optimizer step.
   * @default {1}
   */
  gradient_accumulation_steps?: number;
  /**
   * Drop the last, incomplete batch of each epoch.
   * @default {false}
   */
  dataloader_drop_last?: boolean;
  /**
   * How examples are drawn; `"batch_rebalance"` counts batches differently.
   * @default {"random"}
   */
  train_sampling_strategy?: TrainSamplingStrategy;
  /**
   * accelerate's options; `split_batches: true` splits each batch over the processes instead of
   * giving each process its own.
   * @default {null}
   */
  accelerator_config?: { split_batches?: boolean; [option: string]: unknown } | null;
  /**
   * When to evaluate: `"reduce_lr_on_plateau"` and `"greedy"` need evaluations.
   * @default {"no"}
   */
  eval_strategy?: "no" | "steps" | "epoch";
  /** Every other `TrainingArguments` field: accepted, not used. */
  [field: string]: unknown;
}

/**
 * {@linkcode TrainingArguments} with every schedule-related field present (the given value, or
 * upstream's default) and `lr_scheduler_kwargs` converted to an object.
 */
export interface ResolvedTrainingArguments {
  /** The peak learning rate. */
  learning_rate: number;
  /** Examples per device and pass. */
  per_device_train_batch_size: number;
  /** Epochs (when `max_steps` is not positive). */
  num_train_epochs: number;
  /** Optimizer steps, or a value <= 0 for epoch-based training. */
  max_steps: number;
  /** The schedule. */
  lr_scheduler_type: SchedulerType;
  /** The schedule's keyword arguments (snake_case, as given). */
  lr_scheduler_kwargs: Record<string, unknown>;
  /** Warmup steps, or a ratio below 1. */
  warmup_steps: number;
  /** Gradient accumulation steps. */
  gradient_accumulation_steps: number;
  /** Whether each epoch's incomplete batch is dropped. */
  dataloader_drop_last: boolean;
  /** The sampler. */
  train_sampling_strategy: TrainSamplingStrategy;
  /** Whether accelerate splits batches over the processes. */
  split_batches: boolean;
  /** When to evaluate. */
  eval_strategy: "no" | "steps" | "epoch";
  /** Whether the batch size may shrink at run time (`auto_find_batch_size`). */
  auto_find_batch_size: boolean;
  /** Whether a DeepSpeed config is given (which may bring its own scheduler). */
  deepspeed: boolean;
  /** The keys given that are not `TrainingArguments` fields (with `allowExtraKeys`). */
  extra_keys: string[];
}

/** Options of {@linkcode trainingArguments}. */
export interface TrainingArgumentsOptions {
  /**
   * Ignore keys that are not `TrainingArguments` fields (another dataclass's keys in a shared
   * file), as `HfArgumentParser.parse_dict(..., allow_extra_keys=True)`; they are listed in
   * `extra_keys`.
   * @default {false}
   */
  allowExtraKeys?: boolean;
}

/** How many unknown keys an error names. */
const MAX_KEYS_NAMED = 20;

function hint(key: string): string {
  if (Object.hasOwn(RENAMED, key)) return ` (${RENAMED[key]})`;
  let best = "";
  let distance = Infinity;
  for (const field of TRAINING_ARGUMENTS_FIELDS) {
    const d = editDistance(key, field);
    if (d < distance) [best, distance] = [field, d];
  }
  return distance <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean \`${best}\`?)` : "";
}

/**
 * transformers' `_convert_str_dict` (`training_args.py` line 161): string values that read as
 * booleans or numbers become booleans and numbers (recursively), as upstream applies it to a
 * `lr_scheduler_kwargs` given as a JSON string.
 */
function convertStrDict(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      out[key] = convertStrDict(v as Record<string, unknown>);
    } else if (typeof v === "string") {
      const lower = v.toLowerCase();
      if (lower === "true" || lower === "false") out[key] = lower === "true";
      else if (/^[0-9]+$/.test(v)) out[key] = Number(v);
      else if (/^[0-9]+$/.test(v.replace(".", ""))) out[key] = Number(v);
      else out[key] = v;
    } else {
      out[key] = v;
    }
  }
  return out;
}

function schedulerKwargs(owner: string, value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value === "string") {
    if (!value.startsWith("{")) {
      throw optionError(
        TypeError,
        owner,
        "lr_scheduler_kwargs",
        value,
        `\`lr_scheduler_kwargs\` is a string that is not a JSON object: ${show(value)} ` +
          `(upstream keeps it as a string and get_scheduler raises TypeError)`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new SyntaxError(`${owner}: \`lr_scheduler_kwargs\`: ${(error as Error).message}`, {
        cause: { owner, option: "lr_scheduler_kwargs", value },
      });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw optionError(
        TypeError,
        owner,
        "lr_scheduler_kwargs",
        value,
        `\`lr_scheduler_kwargs\` must be a JSON object: ${show(value)}`,
      );
    }
    return convertStrDict(parsed as Record<string, unknown>);
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw optionError(
      TypeError,
      owner,
      "lr_scheduler_kwargs",
      value,
      `\`lr_scheduler_kwargs\` must be an object: got ${show(value)}`,
    );
  }
  return { ...(value as Record<string, unknown>) };
}

/**
 * Reads a `TrainingArguments` object as transformers 5.17's `HfArgumentParser` and
 * `TrainingArguments.__post_init__` do (`training_args.py` lines 1497–1775), as far as the
 * schedule is concerned: unknown keys are rejected (`parse_dict`), missing fields take
 * upstream's defaults, `lr_scheduler_type` must be a `SchedulerType`, a `lr_scheduler_kwargs`
 * JSON string is parsed and converted (`_convert_str_dict`), `warmup_steps` must not be
 * negative, and `reduce_lr_on_plateau` / `greedy` need an `eval_strategy`.
 *
 * ```text
 * defaults: learning_rate 5e-5, per_device_train_batch_size 8, num_train_epochs 3.0,
 *           max_steps -1, lr_scheduler_type "linear", warmup_steps 0,
 *           gradient_accumulation_steps 1, dataloader_drop_last false
 * ```
 *
 * Deliberate differences: counts must be integers in range and booleans booleans (Python's
 * dataclass takes what it is given and fails later, or not at all); `accelerator_config` must be
 * an object (upstream also reads a JSON file path, which a library without I/O cannot);
 * `parallelism_config` (tensor, context or sequence parallelism) is not modelled and rejected.
 *
 * @example
 * ```ts
 * import { trainingArguments } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const args = trainingArguments({ output_dir: "out", lr_scheduler_type: "cosine" });
 * assert.equal(args.learning_rate, 5e-5);
 * assert.equal(args.num_train_epochs, 3.0);
 * assert.throws(() => trainingArguments({ warmup_ratio: 0.1 }), /warmup_steps: 0.03/);
 * ```
 *
 * @param args The object, as read from JSON or YAML.
 * @param options {@linkcode TrainingArgumentsOptions}.
 * @returns The resolved fields.
 * @throws {TypeError} For a key that is not a field (upstream `ValueError: Some keys are not
 * used by the HfArgumentParser`), with a hint, or a value of the wrong type.
 * @throws {RangeError} For an unknown `lr_scheduler_type` or `eval_strategy` (upstream
 * `ValueError`), `warmup_steps < 0` (upstream `ValueError`), a plateau or greedy schedule
 * without evaluations (upstream `ValueError`), or a count out of range.
 * @throws {SyntaxError} If `lr_scheduler_kwargs` is a string that is not valid JSON.
 */
export function trainingArguments(
  args: TrainingArguments,
  options: TrainingArgumentsOptions = {},
): ResolvedTrainingArguments {
  const owner = "TrainingArguments";
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw optionError(
      TypeError,
      owner,
      "args",
      args,
      `expected an object of TrainingArguments fields: got ${show(args)}`,
    );
  }
  const allowExtraKeys = boolean(owner, "allowExtraKeys", options.allowExtraKeys ?? false);
  const extra = Object.keys(args).filter((k) => !TRAINING_ARGUMENTS_FIELDS.includes(k)).sort();
  if (extra.length > 0 && !allowExtraKeys) {
    // Named (with a did-you-mean) up to a screenful: a file of half a million unknown keys
    // is answered at once, not after half a million edit distances.
    const shown = extra.slice(0, MAX_KEYS_NAMED).map((k) => `\`${k}\`${hint(k)}`);
    const more = extra.length - shown.length;
    throw optionError(
      TypeError,
      owner,
      extra[0]!,
      args[extra[0]!],
      `Some keys are not used by the HfArgumentParser: ` + shown.join(", ") +
        (more > 0 ? `, and ${more} more` : ""),
    );
  }
  // A missing key takes upstream's default; `null` is Python's None, a value only where the
  // default is None (`lr_scheduler_kwargs`, `accelerator_config`, …), a type error elsewhere.
  const get = <T>(key: string, fallback: T): unknown =>
    args[key] === undefined ? fallback : args[key];
  const optional = <T>(key: string, fallback: T): unknown =>
    args[key] === undefined || args[key] === null ? fallback : args[key];
  const positive = (key: string, fallback: number) =>
    integer(owner, key, get(key, fallback), "an integer >= 1", (x) => x >= 1);
  const lrSchedulerType = schedulerType(get("lr_scheduler_type", "linear"));
  const evalStrategy = oneOf(owner, "eval_strategy", get("eval_strategy", "no"), [
    "no",
    "steps",
    "epoch",
  ], " (transformers raises ValueError)");
  const accelerator = optional("accelerator_config", {});
  if (typeof accelerator !== "object" || Array.isArray(accelerator)) {
    throw optionError(
      TypeError,
      owner,
      "accelerator_config",
      accelerator,
      `\`accelerator_config\` must be an object (lrspec reads no files; load the JSON ` +
        `file upstream would read and pass its object): got ${show(accelerator)}`,
    );
  }
  if (optional("parallelism_config", null) !== null) {
    throw optionError(
      RangeError,
      owner,
      "parallelism_config",
      optional("parallelism_config", null),
      `\`parallelism_config\` (tensor, context or sequence parallelism) is not ` +
        `modelled by lrspec; its step counts would differ`,
    );
  }
  const resolved: ResolvedTrainingArguments = {
    learning_rate: finiteWhere(
      owner,
      "learning_rate",
      get("learning_rate", 5e-5),
      ">= 0",
      (x) => x >= 0,
    ),
    per_device_train_batch_size: positive("per_device_train_batch_size", 8),
    num_train_epochs: finiteWhere(
      owner,
      "num_train_epochs",
      get("num_train_epochs", 3.0),
      ">= 0",
      (x) => x >= 0,
    ),
    max_steps: integer(owner, "max_steps", get("max_steps", -1)),
    lr_scheduler_type: lrSchedulerType,
    lr_scheduler_kwargs: schedulerKwargs(owner, args.lr_scheduler_kwargs),
    warmup_steps: finiteWhere(
      owner,
      "warmup_steps",
      get("warmup_steps", 0),
      ">= 0 (transformers: warmup_steps must be an integer or a float)",
      (x) => x >= 0,
    ),
    gradient_accumulation_steps: positive("gradient_accumulation_steps", 1),
    dataloader_drop_last: boolean(
      owner,
      "dataloader_drop_last",
      get("dataloader_drop_last", false),
    ),
    train_sampling_strategy: oneOf(
      owner,
      "train_sampling_strategy",
      get("train_sampling_strategy", "random"),
      ["random", "sequential", "group_by_length", "batch_rebalance"],
    ),
    split_batches: boolean(
      owner,
      "accelerator_config.split_batches",
      (accelerator as Record<string, unknown>).split_batches ?? false,
    ),
    eval_strategy: evalStrategy,
    auto_find_batch_size: boolean(
      owner,
      "auto_find_batch_size",
      get("auto_find_batch_size", false),
    ),
    deepspeed: optional("deepspeed", null) !== null,
    extra_keys: extra,
  };
  if (
    (lrSchedulerType === "reduce_lr_on_plateau" || lrSchedulerType === "greedy") &&
    evalStrategy === "no"
  ) {
    throw optionError(
      RangeError,
      owner,
      "lr_scheduler_type",
      lrSchedulerType,
      `lr_scheduler_type ${lrSchedulerType} requires an eval strategy ` +
        `(\`eval_strategy\`; transformers raises ValueError)`,
    );
  }
  return resolved;
}

/**
 * The number of warmup steps: `warmup_steps` itself when >= 1 (truncated to an integer), else
 * that ratio of the training steps, rounded up. Port of transformers'
 * `TrainingArguments.get_warmup_steps` (`training_args.py` line 2122).
 *
 * ```text
 * warmup = int(warmup_steps)                         warmup_steps >= 1
 *          ceil(numTrainingSteps · warmup_steps)     otherwise (a ratio)
 * ```
 *
 * @example 3 % of 1,068 steps
 * ```ts
 * import { getWarmupSteps, trainingArguments } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * assert.equal(getWarmupSteps(trainingArguments({ warmup_steps: 0.03 }), 1068), 33); // ceil(32.04)
 * assert.equal(getWarmupSteps(trainingArguments({ warmup_steps: 500 }), 1068), 500);
 * ```
 *
 * @param args Resolved arguments ({@linkcode trainingArguments}).
 * @param numTrainingSteps The number of optimizer steps.
 * @returns The number of warmup steps.
 * @throws {RangeError} If `numTrainingSteps` is not an integer.
 */
export function getWarmupSteps(args: ResolvedTrainingArguments, numTrainingSteps: number): number {
  integer("getWarmupSteps", "numTrainingSteps", numTrainingSteps);
  const w = args.warmup_steps;
  return w >= 1 ? Math.trunc(w) : Math.ceil(numTrainingSteps * w);
}
