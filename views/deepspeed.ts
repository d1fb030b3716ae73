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
import { type CurveRuns, RUN_CHUNK, steppedRuns, valuesRuns } from "../curve/runs.ts";
import {
  type DeepSpeedConfig,
  type DeepSpeedSchedule,
  deepspeedSchedule,
  type DeepSpeedScheduler,
  engineStep,
} from "../schedules/deepspeed/runtime/engine.ts";
import {
  BatchScheduler,
  OneCycle,
  WarmupCosineLR,
  WarmupDecayLR,
  WarmupLR,
} from "../schedules/deepspeed/runtime/lr_schedules.ts";
import {
  type DeepSpeedMismatch,
  type FilledValue,
  hfTrainerDeepSpeedConfig,
} from "../schedules/hf/integrations/deepspeed.ts";
import { type TrainerSchedule, trainerSchedule } from "../schedules/hf/trainer.ts";
import {
  checkYamlNumbers,
  placeTrainingArgumentsError,
  requireDatasetSize,
  requireTrainerSteps,
} from "./hf.ts";
import type { Optimizer } from "../schedules/optimizer.ts";
import { sameName, snakeCase } from "../schedules/names.ts";
import { fileLabel, placeIn, readSettings, type SettingsFile, textOf } from "./settings.ts";
import {
  keyMessage,
  type OptionProblem,
  optionProblem,
  placed,
  placeOf,
  sameKind,
  type ScheduleView,
  type ViewMark,
} from "./view.ts";

/** The Hugging Face Trainer a `ds_config.json` runs under. */
export interface DeepSpeedHfOptions {
  /** The `TrainingArguments` fields (snake_case). */
  trainingArgs: Record<string, unknown>;
  /** Where they came from (messages). */
  path: string;
  /**
   * The file they were read from (`readTrainingArguments`): messages then give the line of each
   * key, and a YAML number PyYAML read as a string is refused as `--hf` refuses it.
   * @default {undefined (messages name `path`, without lines)}
   */
  file?: SettingsFile | undefined;
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
  /** The scheduler as built (before any step; its options, for explanations). */
  readonly scheduler: DeepSpeedScheduler;
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
    3, // scheduler.params.warmup_num_steps
  );
  let config = file.value as DeepSpeedConfig;
  const notes: string[] = [];
  let filled: FilledValue[] = [];
  let steps = options.steps;
  let optimizer: Optimizer | undefined;
  const fail = (error: unknown, key?: string): never => {
    if (!(error instanceof Error)) throw error;
    const problem = key === undefined || placeOf(error) ? undefined : optionProblem(error);
    const at = problem && keyOfProblem(problem, file);
    const fill = at === undefined ? undefined : filled.find((f) => f.key === at);
    if (problem && at && fill && trainer) throw filledError(error, problem, fill, file, trainer);
    if (problem?.owner === "deepspeedOptimizer" && problem.option === "optimizer") {
      // No optimizer in the file: DeepSpeed steps the client's, whose rates the file lacks.
      throw placed(
        sameKind(
          error,
          `${path}: no "optimizer" section: DeepSpeed then steps the training script's own ` +
            `optimizer, whose learning rates are not in the file; add one ("optimizer": ` +
            `{"type": "AdamW", "params": {"lr": …}}), or give the Hugging Face Trainer's ` +
            `arguments with --hf-args FILE`,
        ),
        { file: path, key: "optimizer" },
      );
    }
    if (problem && at) {
      throw placed(
        sameKind(error, `${whereOf(at, file)}: ${keyMessage(error, problem, at)}`),
        placeIn(file, at),
      );
    }
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
  let trainer: TrainerOrigin | undefined;
  if (options.hf !== undefined) {
    const hf = options.hf;
    const argsFile = hf.file ?? unread(hf.path, hf.trainingArgs);
    checkYamlNumbers(argsFile, notes);
    requireDatasetSize(argsFile, hf.datasetSize);
    let plan: TrainerSchedule;
    try {
      plan = trainerSchedule(
        { ...hf.trainingArgs, deepspeed: path } as never,
        { datasetSize: hf.datasetSize ?? null, numProcesses: hf.numProcesses ?? 1 },
        { allowExtraKeys: true },
      );
    } catch (error) {
      throw placeTrainingArgumentsError(error, argsFile);
    }
    requireTrainerSteps(plan, argsFile);
    trainer = { file: argsFile, plan };
    const numTrainingSteps = plan.maxSteps;
    // The ZeRO bucket keys the Trainer fills from the model's hidden_size (not a TrainingArguments
    // field, and not read by the schedule): left "auto", with a note, instead of transformers'
    // error for a model without one.
    const zero = file.value.zero_optimization;
    const unfilled = typeof zero === "object" && zero !== null && !Array.isArray(zero)
      ? ZERO_HIDDEN_SIZE_KEYS.filter((k) => (zero as Record<string, unknown>)[k] === "auto")
      : [];
    let input = file.value;
    if (unfilled.length > 0) {
      const rest = { ...(zero as Record<string, unknown>) };
      for (const k of unfilled) delete rest[k];
      input = { ...file.value, zero_optimization: rest };
    }
    try {
      const r = hfTrainerDeepSpeedConfig(input, hf.trainingArgs, {
        numTrainingSteps,
        numWarmupSteps: plan.numWarmupSteps,
        worldSize: hf.numProcesses ?? 1,
      });
      config = r.config as DeepSpeedConfig;
      filled = r.filled;
    } catch (error) {
      throw fillError(error, file, trainer);
    }
    for (const k of unfilled) {
      const key = `zero_optimization.${k}`;
      notes.push(
        `${whereOf(key, file)}: ${key} "auto" is left: the Trainer fills it from the model's ` +
          `hidden_size (not a TrainingArguments field); the schedule does not read it`,
      );
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
  if (steps < 1) {
    // DeepSpeed itself runs as many steps as the client's loop; the file's count says none.
    const key = options.steps === undefined && options.hf === undefined ? "scheduler" : undefined;
    throw placed(
      new RangeError(
        `${key ? file.where(key) : path}: ${grouped(steps)} optimizer steps` +
          (key ? " (the scheduler's total_num_steps)" : "") +
          ": nothing to show; give --steps N",
        options.steps === undefined ? undefined : {
          cause: { owner: "deepspeedView", option: "steps", value: options.steps },
        },
      ),
      key ? placeIn(file, key) : { file: path },
    );
  }
  const total = steps;
  // A fresh run at step 1: the scheduler built (its constructor writes step 1's rates).
  const fresh = () => {
    try {
      return deepspeedSchedule(config, {
        steps: 0,
        ...(optimizer ? { optimizer: structuredClone(optimizer) } : {}),
      });
    } catch (error) {
      return fail(error, "scheduler");
    }
  };
  const built = fresh();
  const s = built.scheduler;
  const groups = built.optimizer.paramGroups.length;
  const batch = typeof config.train_batch_size === "number" ? config.train_batch_size : undefined;
  let runs: CurveRuns;
  let warnings: readonly string[];
  if (total <= DEEPSPEED_EAGER_STEPS) {
    let schedule: DeepSpeedSchedule;
    try {
      schedule = deepspeedSchedule(config, {
        steps: total,
        ...(optimizer ? { optimizer: structuredClone(optimizer) } : {}),
      });
    } catch (error) {
      return fail(error, "scheduler");
    }
    const lrs = schedule.lr;
    const differ = lrs.some((a) => a.some((v, i) => !Object.is(v, lrs[0]![i])));
    runs = differ ? multi(lrs) : valuesRuns(lrs[0]!);
    warnings = "warnings" in schedule.scheduler
      ? (schedule.scheduler as { warnings: string[] }).warnings
      : [];
  } else {
    // Streamed: each pass builds the scheduler again and steps it as the engine does; DeepSpeed's
    // own schedulers jump to a step (`step(batch_iteration)`, the rate a function of it) and
    // validate everything at construction, so they cannot raise later.
    const columns = Array.from({ length: groups }, (_, j) => (j === 0 ? "lr" : `lr${j}`));
    const stepper = (run: DeepSpeedSchedule) => {
      const g = run.optimizer.paramGroups;
      return {
        values: (out: number[]) => g.forEach((group, j) => (out[j] = group.lr)),
        step: () => engineStep(run.scheduler, batch),
      };
    };
    const native = s instanceof BatchScheduler;
    let last: DeepSpeedSchedule | undefined;
    runs = steppedRuns({
      columns,
      rows: total,
      start: () => stepper(last = fresh()),
      ...(native
        ? {
          raises: false,
          startAt: (row: number) => {
            const run = fresh();
            // Row r trains with the rate written by the r-th step (batch iteration r - 1).
            if (row > 0) (run.scheduler as BatchScheduler).step(row - 1);
            return stepper(run);
          },
        }
        : {}),
    });
    // The pass that looked for a raising step (torch's schedulers) went through every step.
    const after = (native ? built : last ?? built).scheduler;
    warnings = "warnings" in after ? (after as { warnings: string[] }).warnings : [];
  }
  for (const w of new Set(warnings)) {
    if (!/before it has started/.test(w)) notes.push(`${path}: DeepSpeed warns: ${w}`);
  }
  let warmupEnd = 0;
  const marks: ViewMark[] = [];
  if (s instanceof WarmupLR || s instanceof WarmupCosineLR) {
    warmupEnd = s.warmupNumSteps + 1 < total ? s.warmupNumSteps + 1 : 0;
    if (warmupEnd > 0) marks.push({ iteration: warmupEnd, what: "warmup" });
  }
  if (s instanceof OneCycle && s.totalSize < total) {
    marks.push({ iteration: Math.floor(s.firstStepSize), what: "peak" });
    marks.push({ iteration: Math.floor(s.totalSize), what: "decay" });
  }
  const explain = () => explainDeepSpeed(config, s, runs, total, filled, file.value);
  return {
    ...runs,
    scheduler: s,
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
    identity: JSON.stringify(["deepspeed", config, total]),
    summary: headline(config, runs, total),
    explain,
    notes,
  };
}

/**
 * The key of the file a library error is about, from its data (owner, option; never its
 * message): the engine's own options are the file's paths (`scheduler.type`,
 * `optimizer.params.lr`); a scheduler's option (`warmupNumSteps`) is the `params` key written for
 * it (`scheduler.params.warmup_num_steps`). Undefined for `steps` (`--steps`, not the file).
 */
function keyOfProblem(problem: OptionProblem, file: SettingsFile): string | undefined {
  const { option } = problem;
  if (option === "steps") return undefined;
  if (/^(?:scheduler|optimizer)(?:\.|$)/.test(option)) return option;
  const name = option.replace(/\[\d+\]$/, "");
  const params = (file.value.scheduler as { params?: unknown } | undefined)?.params;
  const written = typeof params === "object" && params !== null
    ? Object.keys(params).find((k) => sameName(k, name))
    : undefined;
  return `scheduler.params.${written ?? snakeCase(name)}`;
}

/** The ZeRO keys the Trainer fills from the model's `hidden_size` (`trainer_config_finalize`). */
const ZERO_HIDDEN_SIZE_KEYS = [
  "reduce_bucket_size",
  "stage3_prefetch_bucket_size",
  "stage3_param_persistence_threshold",
];

/** The Trainer a config runs under: its arguments' file and its step arithmetic. */
interface TrainerOrigin {
  readonly file: SettingsFile;
  readonly plan: TrainerSchedule;
}

/** `TrainingArguments` given as a mapping (the page's form): their name, no lines. */
function unread(path: string, value: Record<string, unknown>): SettingsFile {
  return {
    path,
    format: "json",
    value,
    line: () => undefined,
    where: () => path,
    pyType: () => undefined,
  };
}

/** A JSON value as a message shows it. */
function shown(value: unknown): string {
  return value === undefined ? "None" : JSON.stringify(value);
}

/**
 * Where a value the Trainer computes comes from, in the user's words: a `TrainingArguments` key
 * with its line and value (`training_args.json:3: learning_rate 2e-05`, or the default when the
 * file does not set it), a flag (`--num-processes 8`), the step arithmetic.
 */
function originOf(name: string, trainer: TrainerOrigin): string {
  const { file, plan } = trainer;
  if (name === "worldSize") return `--num-processes ${plan.numProcesses}`;
  if (name === "hiddenSize") return "the model's hidden_size";
  if (name === "numTrainingSteps") {
    const by = plan.args.max_steps > 0 ? [originOf("max_steps", trainer)] : [
      originOf("num_train_epochs", trainer),
      ...(plan.datasetSize === null ? [] : [`--dataset-size ${plan.datasetSize}`]),
      originOf("per_device_train_batch_size", trainer),
      originOf("gradient_accumulation_steps", trainer),
      `--num-processes ${plan.numProcesses}`,
    ];
    return `the Trainer's ${plan.maxSteps} optimizer steps, from ${by.join(", ")}`;
  }
  if (name === "numWarmupSteps") {
    return `the Trainer's ${plan.numWarmupSteps} warmup steps, from ${
      originOf("warmup_steps", trainer)
    }`;
  }
  const line = file.line(name);
  if (line !== undefined) return `${file.path}:${line}: ${name} ${shown(file.value[name])}`;
  const value = (plan.args as unknown as Record<string, unknown>)[name];
  return `${name} ${shown(value)} (the default: ${file.path} does not set it)`;
}

/** The Trainer's side of a filled or compared value, in the user's words. */
function trainerSide(
  from: string,
  fields: readonly string[],
  value: unknown,
  trainer: TrainerOrigin,
): string {
  if (fields.length === 1) return originOf(fields[0]!, trainer);
  if (fields.length === 0) return `${from} ${shown(value)}`;
  return `${from} ${shown(value)} (from ${fields.map((f) => originOf(f, trainer)).join(", ")})`;
}

/**
 * The error for values of the config that disagree with the Trainer's (transformers' "Please
 * correct the following DeepSpeed config values that mismatch TrainingArguments values"), from
 * its data: each config key with its line and value, and the Trainer's value with where it
 * comes from (`ds.json:11: scheduler.params.warmup_max_lr 0.0003 vs training_args.json:3:
 * learning_rate 2e-05`); placed at the first config key. Other errors of the filling are placed
 * at their config key; the rest name the file.
 */
function fillError(error: unknown, file: SettingsFile, trainer: TrainerOrigin): unknown {
  if (!(error instanceof Error) || placeOf(error) !== undefined) return error;
  const cause = (error as { cause?: { mismatches?: readonly DeepSpeedMismatch[] } }).cause;
  const mismatches = cause?.mismatches;
  if (Array.isArray(mismatches) && mismatches.length > 0) {
    const parts = mismatches.map((m: DeepSpeedMismatch) =>
      `${whereOf(m.key, file)}: ${m.key} ${shown(m.value)} vs ${
        trainerSide(m.from, m.fields, m.trainerValue, trainer)
      }`
    );
    const first = mismatches[0]!.key;
    return placed(
      sameKind(
        error,
        `${parts.join("; ")}: the Hugging Face Trainer requires the values it sets to match ` +
          `(transformers: "Please correct the following DeepSpeed config values that mismatch ` +
          `TrainingArguments values"; "The easiest method is to set these DeepSpeed config ` +
          `values to 'auto'")`,
      ),
      placeIn(file, first),
    );
  }
  const problem = optionProblem(error);
  const option = problem?.option.replace(/^dsConfig\.?/, "");
  if (problem && option) {
    return placed(
      sameKind(error, `${whereOf(option, file)}: ${keyMessage(error, problem, option)}`),
      placeIn(file, option),
    );
  }
  return placed(sameKind(error, `${file.path}: ${error.message}`), { file: file.path });
}

/**
 * An error of the scheduler about a value the Trainer filled (`"auto"`): placed at the
 * `TrainingArguments` key that gave it when the file writes it (`training_args.json:5:
 * warmup_steps 0 …`), else at the config's key, with where the value came from.
 */
function filledError(
  error: Error,
  problem: OptionProblem,
  fill: FilledValue,
  file: SettingsFile,
  trainer: TrainerOrigin,
): Error {
  const detail = keyMessage(error, problem, fill.key);
  const field = fill.fields.length === 1
    ? fill.fields[0] === "numWarmupSteps" ? "warmup_steps" : fill.fields[0]!
    : undefined;
  const written = field !== undefined && trainer.file.line(field) !== undefined;
  const origin = fill.fields.length === 0
    ? `${fill.from}`
    : trainerSide(fill.from, fill.fields, fill.value, trainer);
  if (written) {
    return placed(
      sameKind(
        error,
        `${originOf(field, trainer)} fills "auto" of ${whereOf(fill.key, file)}: ${fill.key} ` +
          `with ${shown(fill.value)}: ${detail}`,
      ),
      placeIn(trainer.file, field),
    );
  }
  return placed(
    sameKind(
      error,
      `${whereOf(fill.key, file)}: ${detail} ("auto" filled with ${origin})`,
    ),
    placeIn(file, fill.key),
  );
}

/** Where a key is written, or the nearest section holding it (`scheduler` for a default). */
function whereOf(key: string, file: SettingsFile): string {
  const parts = key.split(".");
  for (let n = parts.length; n > 0; n--) {
    const k = parts.slice(0, n).join(".");
    if (file.line(k) !== undefined) return file.where(k);
  }
  return file.path;
}

/** Above this many steps the view streams the rates (each pass steps the scheduler again). */
export const DEEPSPEED_EAGER_STEPS = 1 << 20;

/** The most steps `explain` reads for its counts (lr 0 steps, the log warmup's half way). */
export const DEEPSPEED_EXPLAIN_SCAN = 1 << 20;

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

/** Calls `visit` with each row's first-column value for rows `[0, to)`; stops when it says so. */
function scan(curve: CurveRuns, to: number, visit: (row: number, v: number) => boolean): void {
  const buf = new Float64Array(RUN_CHUNK);
  for (const run of curve.runs(0, to)) {
    for (let a = run.start; a < run.end; a += RUN_CHUNK) {
      const b = Math.min(run.end, a + RUN_CHUNK);
      run.fill(0, a, b, buf);
      for (let k = 0; k < b - a; k++) if (!visit(a + k, buf[k]!)) return;
    }
  }
}

/** The first line of the explanation. */
function headline(config: DeepSpeedConfig, curve: CurveRuns, steps: number): string {
  let first = NaN;
  scan(curve, 1, (_, v) => ((first = v), false));
  return `DeepSpeed ${config.scheduler!.type!}: ${grouped(steps)} optimizer steps, lr ${
    formatLr(first)
  } at step 1`;
}

/** The schedule in words, with the traps this config falls into. */
function explainDeepSpeed(
  config: DeepSpeedConfig,
  s: DeepSpeedScheduler,
  curve: CurveRuns,
  steps: number,
  filled: readonly FilledValue[],
  original: Record<string, unknown>,
): string {
  const scanned = Math.min(steps, DEEPSPEED_EXPLAIN_SCAN);
  const within = scanned < steps ? ` in the first ${grouped(scanned)} steps` : "";
  const lines = [headline(config, curve, steps)];
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
      let half = -1;
      scan(curve, scanned, (i, v) => (v >= 0.5 * peak ? ((half = i), false) : true));
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
  scan(curve, scanned, (i, v) => {
    if (v === 0) {
      zero++;
      if (first.length < 3) first.push(i + 1);
    }
    return true;
  });
  if (zero > 0) {
    lines.push(
      `  trap: ${grouped(zero)} update(s) at lr 0${within} (step ${first.join(", ")}${
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
