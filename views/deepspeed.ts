/**
 * The DeepSpeed family's view (`--deepspeed ds_config.json`, the page's DeepSpeed form): a
 * `ds_config.json`'s `"scheduler"` as a {@linkcode ScheduleView} — the learning rate of each
 * optimizer step 1..N as DeepSpeed's engine steps it ({@linkcode deepspeedSchedule}), either
 * for `steps` given, or under the Hugging Face Trainer: the `TrainingArguments` fill the
 * config's `"auto"` values as transformers does ({@linkcode hfTrainerDeepSpeedConfig}) and give
 * the number of steps ({@linkcode trainerSchedule}).
 *
 * @module
 */

import { formatLr, grouped } from "../curve/format.ts";
import { type CurveRuns, steppedRuns, valuesRuns } from "../curve/runs.ts";
import {
  type DeepSpeedConfig,
  type DeepSpeedSchedule,
  deepspeedSchedule,
} from "../schedules/deepspeed/runtime/engine.ts";
import {
  OneCycle,
  WarmupCosineLR,
  WarmupDecayLR,
  WarmupLR,
} from "../schedules/deepspeed/runtime/lr_schedules.ts";
import {
  type FilledValue,
  hfTrainerDeepSpeedConfig,
} from "../schedules/hf/integrations/deepspeed.ts";
import { trainerSchedule } from "../schedules/hf/trainer.ts";
import type { Optimizer } from "../schedules/optimizer.ts";
import { fileLabel, placeIn, readSettings, textOf } from "./settings.ts";
import { placed, sameKind, type ScheduleView, type ViewMark } from "./view.ts";

/** The Hugging Face Trainer a `ds_config.json` runs under. */
export interface DeepSpeedHfOptions {
  /** The `TrainingArguments` fields (snake_case). */
  trainingArgs: Record<string, unknown>;
  /** Where they came from (messages). */
  path: string;
  /**
   * `len(train_dataset)` (needed unless `max_steps` is set).
   * @default {null}
   */
  datasetSize?: number | null;
  /**
   * Processes (the world size).
   * @default {1}
   */
  numProcesses?: number;
}

/** Options of {@linkcode deepspeedView}. */
export interface DeepSpeedViewOptions {
  /** The file's name (messages). */
  path: string;
  /** Optimizer steps (without `hf`; with it, the Trainer's `max_steps` unless given). */
  steps?: number | undefined;
  /** Run the config under the Hugging Face Trainer. */
  hf?: DeepSpeedHfOptions | undefined;
  /**
   * The legend entry.
   * @default {the file's name}
   */
  label?: string | undefined;
}

/** A DeepSpeed run as a view. */
export interface DeepSpeedView extends ScheduleView {
  /** The run ({@linkcode deepspeedSchedule}). */
  readonly schedule: DeepSpeedSchedule;
  /** The config DeepSpeed gets (after the Trainer filled it, with `hf`). */
  readonly config: DeepSpeedConfig;
  /** What the Trainer filled (empty without `hf`). */
  readonly filled: readonly FilledValue[];
}

/** What to say about a binary file given as a `ds_config.json`. */
export const DEEPSPEED_BINARY_HINT = "a DeepSpeed config is a JSON file (ds_config.json)";

/**
 * A `ds_config.json` as a {@linkcode ScheduleView}: one row per optimizer step
 * (`step,lr`, numbered 1..N; one column per group when groups differ).
 *
 * @param contents The file's bytes or text.
 * @param options Its name, the number of steps or the Trainer it runs under.
 * @returns The view.
 * @throws {SyntaxError | TypeError | RangeError} With the file and the key.
 */
export function deepspeedView(
  contents: Uint8Array | string,
  options: DeepSpeedViewOptions,
): DeepSpeedView {
  const { path } = options;
  const file = readSettings(
    path,
    textOf(path, contents, DEEPSPEED_BINARY_HINT),
    "json",
    "DeepSpeed config",
  );
  let config = file.value as DeepSpeedConfig;
  const notes: string[] = [];
  let filled: FilledValue[] = [];
  let steps = options.steps;
  let optimizer: Optimizer | undefined;
  const fail = (error: unknown, key?: string): never => {
    if (!(error instanceof Error)) throw error;
    throw placed(
      sameKind(error, `${key ? file.where(key) : path}: ${error.message}`),
      key ? placeIn(file, key) : { file: path },
    );
  };
  if (config.scheduler === undefined) {
    throw placed(
      new RangeError(
        `${path}: no "scheduler" section: DeepSpeed steps no scheduler` +
          (options.hf ? " (the Trainer's own lr_scheduler_type applies: use --hf alone)" : ""),
      ),
      { file: path, key: "scheduler" },
    );
  }
  if (options.hf !== undefined) {
    const hf = options.hf;
    let plan;
    try {
      plan = trainerSchedule(
        { ...hf.trainingArgs, deepspeed: path } as never,
        { datasetSize: hf.datasetSize ?? null, numProcesses: hf.numProcesses ?? 1 },
        { allowExtraKeys: true },
      );
    } catch (error) {
      fail(error instanceof Error ? sameKind(error, `${hf.path}: ${error.message}`) : error);
    }
    const numTrainingSteps = plan!.maxSteps;
    try {
      const r = hfTrainerDeepSpeedConfig(file.value, hf.trainingArgs, {
        numTrainingSteps,
        numWarmupSteps: plan!.numWarmupSteps,
        worldSize: hf.numProcesses ?? 1,
      });
      config = r.config as DeepSpeedConfig;
      filled = r.filled;
    } catch (error) {
      fail(error);
    }
    for (const f of filled) {
      notes.push(
        `${file.where(f.key.split(".")[0]!)}: ${f.key} "auto" = ${
          JSON.stringify(f.value)
        } (from ${f.from})`,
      );
    }
    if (steps !== undefined && steps !== numTrainingSteps) {
      notes.push(
        `${path}: --steps ${steps} instead of the Trainer's max_steps ${numTrainingSteps}`,
      );
    }
    steps ??= numTrainingSteps;
    if (config.optimizer === undefined) {
      const lr = (hf.trainingArgs.learning_rate ?? 5e-5) as number;
      const betas = [
        (hf.trainingArgs.adam_beta1 ?? 0.9) as number,
        (hf.trainingArgs.adam_beta2 ?? 0.999) as number,
      ];
      optimizer = { paramGroups: [{ lr, betas: [...betas] }], defaults: { lr, betas } };
    }
  }
  if (steps === undefined) {
    const params = config.scheduler?.params ?? {};
    const total = params.total_num_steps;
    if (total === "auto") {
      throw placed(
        new TypeError(
          `${file.where("scheduler")}: total_num_steps is "auto": the Hugging Face Trainer fills ` +
            `it; give its arguments with --hf-args FILE (or --steps N and no "auto" values)`,
        ),
        placeIn(file, "scheduler"),
      );
    }
    if (typeof total !== "number") {
      throw placed(
        new TypeError(
          `${path}: how many optimizer steps? give --steps N (or --hf-args with the Trainer's arguments)`,
        ),
        { file: path },
      );
    }
    steps = total;
    notes.push(
      `${path}: ${grouped(total)} steps: the scheduler's total_num_steps (--steps N for another)`,
    );
  }
  let schedule: DeepSpeedSchedule;
  try {
    schedule = deepspeedSchedule(config, { steps, ...(optimizer ? { optimizer } : {}) });
  } catch (error) {
    return fail(error, "scheduler");
  }
  const lrs = schedule.lr;
  const differ = lrs.some((a) => a.some((v, i) => !Object.is(v, lrs[0]![i])));
  const columns = differ ? lrs.map((_, j) => (j === 0 ? "lr" : `lr${j}`)) : ["lr"];
  const runs = columns.length === 1 ? valuesRuns(lrs[0]!) : multi(lrs);
  const s = schedule.scheduler;
  const warnings = "warnings" in s ? (s as { warnings: string[] }).warnings : [];
  for (const w of new Set(warnings)) {
    if (!/before it has started/.test(w)) notes.push(`${path}: DeepSpeed warns: ${w}`);
  }
  let warmupEnd = 0;
  const marks: ViewMark[] = [];
  if (s instanceof WarmupLR || s instanceof WarmupCosineLR) {
    warmupEnd = s.warmupNumSteps + 1 < steps ? s.warmupNumSteps + 1 : 0;
    if (warmupEnd > 0) marks.push({ iteration: warmupEnd, what: "warmup" });
  }
  if (s instanceof OneCycle && s.totalSize < steps) {
    marks.push({ iteration: Math.floor(s.firstStepSize), what: "peak" });
    marks.push({ iteration: Math.floor(s.totalSize), what: "decay" });
  }
  const explain = () => explainDeepSpeed(config, schedule, steps!, filled, file.value);
  return {
    ...runs,
    schedule,
    config,
    filled,
    family: "deepspeed",
    path,
    label: options.label ?? fileLabel(path),
    imagesPerIteration: typeof config.train_batch_size === "number"
      ? config.train_batch_size
      : undefined,
    unit: "step",
    indexColumn: "step",
    firstIndex: 1,
    marks,
    warmupEnd,
    identity: JSON.stringify(["deepspeed", config, steps]),
    summary: explain().split("\n")[0]!,
    explain,
    notes,
  };
}

/** Several groups' values as one curve (`lr`, `lr1`, …). */
function multi(lrs: Float64Array[]): CurveRuns {
  return steppedRuns({
    columns: lrs.map((_, j) => (j === 0 ? "lr" : `lr${j}`)),
    rows: lrs[0]!.length,
    start: () => {
      let i = 0;
      return {
        values: (out) => lrs.forEach((v, j) => (out[j] = v[i]!)),
        step: () => void i++,
      };
    },
  });
}

/** The schedule in words, with the traps this config falls into. */
function explainDeepSpeed(
  config: DeepSpeedConfig,
  run: DeepSpeedSchedule,
  steps: number,
  filled: readonly FilledValue[],
  original: Record<string, unknown>,
): string {
  const s = run.scheduler;
  const type = config.scheduler!.type!;
  const lr = run.lr[0]!;
  const lines = [
    `DeepSpeed ${type}: ${grouped(steps)} optimizer steps, lr ${formatLr(lr[0]!)} at step 1`,
  ];
  lines.push(
    "  the engine steps the scheduler after each optimizer step (none when fp16 overflows); " +
      "row k is the rate step k's update uses",
  );
  if (s instanceof WarmupLR) {
    const given = (original.scheduler as { params?: Record<string, unknown> } | undefined)?.params
      ?.warmup_num_steps ?? (filled.find((f) => f.key.endsWith("warmup_num_steps"))?.value);
    if (typeof given === "number" && given < 2) {
      lines.push(`  trap: warmup_num_steps ${given} is raised to 2 (DeepSpeed's max(2, n))`);
    }
    if (s.warmupType === "log") {
      const peak = Math.max(...s.maxLrs);
      const half = lr.findIndex((v) => v >= 0.5 * peak);
      lines.push(
        `  trap: the warmup is log-shaped (DeepSpeed's default warmup_type)` +
          (half >= 0 ? `: half the peak is reached at step ${grouped(half + 1)}` : "") +
          ` of a ${grouped(s.warmupNumSteps)}-step warmup; set "warmup_type": "linear" for a ` +
          `linear one`,
      );
    }
    if (
      !(s instanceof WarmupDecayLR) &&
      (config.scheduler!.params ?? {}).warmup_num_steps === undefined
    ) {
      lines.push("  warmup_num_steps is not set: DeepSpeed's default 1000 applies");
    }
    if (s instanceof WarmupDecayLR && s.totalNumSteps < steps) {
      lines.push(
        `  trap: decay ends before training does: total_num_steps ${grouped(s.totalNumSteps)} < ` +
          `${grouped(steps)} steps; the rest train at lr 0`,
      );
    }
  }
  if (s instanceof WarmupCosineLR) {
    lines.push("  WarmupCosineLR writes lr 0 at construction: the first update uses lr 0");
    if (s.totalNumSteps < steps) {
      lines.push(
        `  trap: the cosine ends at total_num_steps ${grouped(s.totalNumSteps)} < ${
          grouped(steps)
        } ` +
          `steps; the rest stay at cos_min_ratio × lr`,
      );
    }
  }
  if (s instanceof OneCycle) {
    if (s.cycleMomentum) {
      lines.push(
        "  OneCycle writes betas = (momentum, 0.99): the optimizer's beta2 is replaced by 0.99",
      );
    } else lines.push("  momentum is not cycled (the optimizer has no betas)");
  }
  let zero = 0;
  const first: number[] = [];
  for (let i = 0; i < lr.length; i++) {
    if (lr[i] === 0) {
      zero++;
      if (first.length < 3) first.push(i + 1);
    }
  }
  if (zero > 0) {
    lines.push(
      `  trap: ${grouped(zero)} update(s) at lr 0 (step ${first.join(", ")}${
        zero > 3 ? ", …" : ""
      })` +
        (first[0] === 1 && first[1] === 2 ? ": the first two steps both use warmup_min_lr" : ""),
    );
  }
  if (filled.length > 0) {
    lines.push(
      `  the Hugging Face Trainer filled ${filled.length} "auto" value(s): ` +
        filled.map((f) => `${f.key} = ${JSON.stringify(f.value)}`).join(", "),
    );
  }
  return lines.join("\n");
}
