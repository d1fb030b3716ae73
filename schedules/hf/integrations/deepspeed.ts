/**
 * Port of transformers' `HfTrainerDeepSpeedConfig` (`transformers/integrations/deepspeed.py`,
 * transformers 5.17.0, on accelerate's `HfDeepSpeedConfig`): how the Trainer fills a
 * `ds_config.json`'s `"auto"` values from `TrainingArguments` and rejects values that disagree
 * with them — {@linkcode hfTrainerDeepSpeedConfig}.
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { show } from "../../_internal/validate.ts";
import { copyState } from "../../_internal/state.ts";

/** One value the Trainer wrote into the config. */
export interface FilledValue {
  /** The config key, dotted (`scheduler.params.warmup_num_steps`). */
  key: string;
  /** The value written. */
  value: unknown;
  /** Where it came from (`learning_rate`, `num_training_steps (calculated)`). */
  from: string;
  /**
   * What the value is made of, by name: `TrainingArguments` fields (`learning_rate`,
   * `per_device_train_batch_size`) and this function's options (`worldSize`,
   * `numTrainingSteps`, `numWarmupSteps`, `hiddenSize`); empty for a constant (`warmup_min_lr`).
   */
  fields: readonly string[];
}

/**
 * One value of the config that disagrees with the Trainer's (a line of transformers' "Please
 * correct the following DeepSpeed config values that mismatch TrainingArguments values").
 */
export interface DeepSpeedMismatch {
  /** The config key, dotted (`scheduler.params.warmup_max_lr`). */
  key: string;
  /** The config's value. */
  value: unknown;
  /** The Trainer's value. */
  trainerValue: unknown;
  /** The Trainer's key as transformers' message names it (`learning_rate`). */
  from: string;
  /** What the Trainer's value is made of ({@linkcode FilledValue.fields}). */
  fields: readonly string[];
}

/**
 * The data of the error {@linkcode hfTrainerDeepSpeedConfig} throws for values that disagree
 * (its `cause`): the first one as the option (`dsConfig.scheduler.params.warmup_max_lr`) and its
 * value, and every one of them.
 */
export interface DeepSpeedMismatchProblem {
  /** `hfTrainerDeepSpeedConfig`. */
  readonly owner: string;
  /** `dsConfig.` and the first mismatching key. */
  readonly option: string;
  /** The config's value of that key. */
  readonly value: unknown;
  /** Every mismatching key, in transformers' order. */
  readonly mismatches: readonly DeepSpeedMismatch[];
}

/** Options of {@linkcode hfTrainerDeepSpeedConfig}. */
export interface HfTrainerDeepSpeedConfigOptions {
  /** The number of optimizer steps (`max_steps` of the Trainer's plan). */
  numTrainingSteps: number;
  /** `get_warmup_steps(numTrainingSteps)`. */
  numWarmupSteps: number;
  /**
   * `args.world_size`: the number of processes.
   * @default {1}
   */
  worldSize?: number;
  /**
   * `auto_find_batch_size`: the batch keys are filled but not checked.
   * @default {false}
   */
  autoFindBatchSize?: boolean;
  /**
   * The model's `hidden_size`, for the ZeRO bucket keys set to `"auto"`.
   * @default {undefined}
   */
  hiddenSize?: number;
}

/** What {@linkcode hfTrainerDeepSpeedConfig} returns. */
export interface HfTrainerDeepSpeedConfigResult {
  /** The config with `"auto"` replaced (a copy; the input is not changed). */
  config: Record<string, unknown>;
  /** Each value the Trainer filled, in transformers' order. */
  filled: FilledValue[];
}

/** The `TrainingArguments` defaults these fills read (transformers 5.17.0). */
const DEFAULTS: Readonly<Record<string, unknown>> = {
  per_device_train_batch_size: 8,
  gradient_accumulation_steps: 1,
  max_grad_norm: 1.0,
  learning_rate: 5e-5,
  adam_beta1: 0.9,
  adam_beta2: 0.999,
  adam_epsilon: 1e-8,
  weight_decay: 0.0,
  save_on_each_node: false,
  fp16: false,
  fp16_full_eval: false,
  bf16: false,
  bf16_full_eval: false,
};

/** Python's `repr` of a float. */
function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  const e = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
  if (e < -4 || e >= 16) {
    const [m, ex] = x.toExponential().split("e") as [string, string];
    const n = Number(ex);
    return `${m}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  return String(x);
}

/** Python's `str()` of a JSON value (for the mismatch message). */
function pyStr(value: unknown, float = false): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return float ? pyFloat(value) : String(value);
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, float)).join(", ")}]`;
  return JSON.stringify(value);
}

function pyRepr(value: unknown, float: boolean): string {
  return typeof value === "string" ? `'${value}'` : pyStr(value, float);
}

/** Python's `==` on JSON values (`True == 1`, `1 == 1.0`, lists element-wise). */
function pyEq(a: unknown, b: unknown): boolean {
  const num = (x: unknown) => typeof x === "number" || typeof x === "boolean";
  if (num(a) && num(b)) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  }
  return a === b;
}

/**
 * The `ds_config.json` the Hugging Face Trainer hands DeepSpeed: every `"auto"` value filled as
 * `HfTrainerDeepSpeedConfig.trainer_config_process` and `trainer_config_finalize` fill it
 * (transformers 5.17.0), and every other value of those keys checked against the Trainer's:
 *
 * | config key | Trainer value |
 * | --- | --- |
 * | `train_micro_batch_size_per_gpu` | `per_device_train_batch_size` |
 * | `gradient_accumulation_steps` | `gradient_accumulation_steps` |
 * | `train_batch_size` | `world_size · per_device_train_batch_size · gradient_accumulation_steps` |
 * | `gradient_clipping` | `max_grad_norm` |
 * | `optimizer.params.lr` / `betas` / `eps` / `weight_decay` | `learning_rate` / `[adam_beta1, adam_beta2]` / `adam_epsilon` / `weight_decay` |
 * | `scheduler.params.warmup_min_lr` | 0 (filled, never checked) |
 * | `scheduler.params.warmup_max_lr` | `learning_rate` |
 * | `fp16.enabled`, `bf16.enabled` | `fp16 or fp16_full_eval`, `bf16 or bf16_full_eval` |
 * | `zero_optimization.reduce_bucket_size` (and the ZeRO-3 prefetch / persistence keys) | from the model's `hidden_size` |
 * | `scheduler.params.total_num_steps` | the run's optimizer steps |
 * | `scheduler.params.warmup_num_steps` | `get_warmup_steps(total)` |
 *
 * A key is filled only where it is present and `"auto"`; a key that is absent stays absent
 * (DeepSpeed's own default applies: WarmupLR's `warmup_num_steps` 1000, not the Trainer's). `TrainingArguments` fields left out take transformers'
 * defaults.
 *
 * @param dsConfig The `ds_config.json` object (not changed).
 * @param trainingArgs The `TrainingArguments` fields (snake_case, as in a JSON file).
 * @param options The run's step counts, processes, the model's hidden size.
 * @returns The filled config and what was filled.
 * @throws {RangeError} With transformers' message when values disagree ("Please correct the
 * following DeepSpeed config values that mismatch TrainingArguments values"; its `cause` is a
 * {@linkcode DeepSpeedMismatchProblem}: every key, both values, what the Trainer's is made of),
 * or when a ZeRO bucket key is `"auto"` without `hiddenSize` (transformers' ValueError; its
 * `cause` names the option `hiddenSize` and lists the config's `keys`).
 *
 * @example
 * ```ts
 * import { hfTrainerDeepSpeedConfig } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * const { config, filled } = hfTrainerDeepSpeedConfig(
 *   {
 *     optimizer: { type: "AdamW", params: { lr: "auto" } },
 *     scheduler: {
 *       type: "WarmupDecayLR",
 *       params: { warmup_min_lr: "auto", warmup_max_lr: "auto", total_num_steps: "auto" },
 *     },
 *   },
 *   { learning_rate: 3e-5 },
 *   { numTrainingSteps: 1000, numWarmupSteps: 0 },
 * );
 * assert.deepEqual((config.scheduler as { params: object }).params, {
 *   warmup_min_lr: 0,
 *   warmup_max_lr: 3e-5,
 *   total_num_steps: 1000,
 * });
 * assert.deepEqual(filled.map((f) => f.key), [
 *   "optimizer.params.lr",
 *   "scheduler.params.warmup_min_lr",
 *   "scheduler.params.warmup_max_lr",
 *   "scheduler.params.total_num_steps",
 * ]);
 * ```
 */
export function hfTrainerDeepSpeedConfig(
  dsConfig: Record<string, unknown>,
  trainingArgs: Record<string, unknown>,
  options: HfTrainerDeepSpeedConfigOptions,
): HfTrainerDeepSpeedConfigResult {
  const owner = "hfTrainerDeepSpeedConfig";
  if (typeof dsConfig !== "object" || dsConfig === null || Array.isArray(dsConfig)) {
    throw optionError(
      TypeError,
      owner,
      "dsConfig",
      dsConfig,
      `the DeepSpeed config must be an object: got ${show(dsConfig)}`,
    );
  }
  const config = copyState(dsConfig);
  const arg = (name: string): unknown => trainingArgs[name] ?? DEFAULTS[name];
  const filled: FilledValue[] = [];
  const mismatches: DeepSpeedMismatch[] = [];
  const node = (long: string): [Record<string, unknown> | undefined, string] => {
    const parts = long.split(".");
    const key = parts.pop()!;
    let c: unknown = config;
    for (const p of parts) {
      c = (c as Record<string, unknown> | null)?.[p];
      if (c === undefined || c === null) return [undefined, key];
    }
    return [c as Record<string, unknown>, key];
  };
  const get = (long: string): unknown => {
    const [c, key] = node(long);
    return c === undefined ? undefined : c[key];
  };
  const lines: string[] = [];
  const fill = (
    long: string,
    hfVal: unknown,
    hfKey: string,
    fields: readonly string[],
    mustMatch = true,
    float = false,
  ) => {
    const [c, key] = node(long);
    if (c === undefined) return;
    if (c[key] === "auto") {
      c[key] = hfVal;
      filled.push({ key: long, value: hfVal, from: hfKey, fields });
      return;
    }
    if (!mustMatch) return;
    const dsVal = c[key];
    if (dsVal !== undefined && dsVal !== null && !pyEq(dsVal, hfVal)) {
      lines.push(`- ds ${long}=${pyStr(dsVal, float)} vs hf ${hfKey}=${pyStr(hfVal, float)}`);
      mismatches.push({ key: long, value: dsVal, trainerValue: hfVal, from: hfKey, fields });
    }
  };
  const autoBatch = options.autoFindBatchSize ?? false;
  const mbs = arg("per_device_train_batch_size") as number;
  const gas = arg("gradient_accumulation_steps") as number;
  const worldSize = options.worldSize ?? 1;
  // trainer_config_process
  const one = (name: string) => [name];
  fill(
    "train_micro_batch_size_per_gpu",
    mbs,
    "per_device_train_batch_size",
    one("per_device_train_batch_size"),
    !autoBatch,
  );
  fill(
    "gradient_accumulation_steps",
    gas,
    "gradient_accumulation_steps",
    one("gradient_accumulation_steps"),
  );
  fill(
    "train_batch_size",
    worldSize * mbs * gas,
    "train_batch_size (calculated)",
    ["worldSize", "per_device_train_batch_size", "gradient_accumulation_steps"],
    !autoBatch,
  );
  fill(
    "gradient_clipping",
    arg("max_grad_norm"),
    "max_grad_norm",
    one("max_grad_norm"),
    true,
    true,
  );
  const lr = arg("learning_rate");
  fill("optimizer.params.lr", lr, "learning_rate", one("learning_rate"), true, true);
  fill(
    "optimizer.params.betas",
    [arg("adam_beta1"), arg("adam_beta2")],
    "adam_beta1+adam_beta2",
    ["adam_beta1", "adam_beta2"],
    true,
    true,
  );
  fill(
    "optimizer.params.eps",
    arg("adam_epsilon"),
    "adam_epsilon",
    one("adam_epsilon"),
    true,
    true,
  );
  fill(
    "optimizer.params.weight_decay",
    arg("weight_decay"),
    "weight_decay",
    one("weight_decay"),
    true,
    true,
  );
  fill("scheduler.params.warmup_min_lr", 0, "0 (not a trainer arg)", [], false);
  fill("scheduler.params.warmup_max_lr", lr, "learning_rate", one("learning_rate"), true, true);
  if (arg("save_on_each_node") === true) {
    const checkpoint = (config.checkpoint ?? {}) as Record<string, unknown>;
    checkpoint.use_node_local_storage = true;
    config.checkpoint = checkpoint;
  }
  fill("fp16.enabled", Boolean(arg("fp16") || arg("fp16_full_eval")), "fp16|fp16_full_eval", [
    "fp16",
    "fp16_full_eval",
  ]);
  fill("bf16.enabled", Boolean(arg("bf16") || arg("bf16_full_eval")), "bf16|bf16_full_eval", [
    "bf16",
    "bf16_full_eval",
  ]);
  // trainer_config_finalize
  const hiddenKeys = [
    "zero_optimization.reduce_bucket_size",
    "zero_optimization.stage3_prefetch_bucket_size",
    "zero_optimization.stage3_param_persistence_threshold",
  ].filter((k) => get(k) === "auto");
  if (hiddenKeys.length > 0) {
    const h = options.hiddenSize;
    if (h === undefined) {
      const error = optionError(
        RangeError,
        owner,
        "hiddenSize",
        h,
        `The model's config file has neither \`hidden_size\` nor \`hidden_sizes\` ` +
          `entry, therefore it's not possible to automatically fill out the following \`auto\` ` +
          `entries in the DeepSpeed config file: ${pyStr(hiddenKeys)}. (lrspec: pass hiddenSize)`,
      );
      // The config's keys that needed it, as data (`zero_optimization.reduce_bucket_size`).
      Object.assign(error.cause as object, { keys: hiddenKeys });
      throw error;
    }
    fill("zero_optimization.reduce_bucket_size", h * h, "hidden_size", one("hiddenSize"), false);
    if (get("zero_optimization.stage") === 3) {
      fill(
        "zero_optimization.stage3_prefetch_bucket_size",
        Math.trunc(0.9 * h * h),
        "hidden_size",
        one("hiddenSize"),
        false,
      );
      fill(
        "zero_optimization.stage3_param_persistence_threshold",
        10 * h,
        "hidden_size",
        one("hiddenSize"),
        false,
      );
    }
  }
  fill(
    "scheduler.params.total_num_steps",
    options.numTrainingSteps,
    "num_training_steps (calculated)",
    one("numTrainingSteps"),
  );
  fill(
    "scheduler.params.warmup_num_steps",
    options.numWarmupSteps,
    "warmup_steps",
    one("numWarmupSteps"),
  );
  if (mismatches.length > 0) {
    const first = mismatches[0]!;
    const problem: DeepSpeedMismatchProblem = {
      owner,
      option: `dsConfig.${first.key}`,
      value: first.value,
      mismatches,
    };
    throw new RangeError(
      "Please correct the following DeepSpeed config values that mismatch TrainingArguments" +
        ` values:\n${lines.join("\n")}\nThe easiest method is to set these DeepSpeed config ` +
        "values to 'auto'.",
      { cause: problem },
    );
  }
  return { config, filled };
}
