/**
 * The Hugging Face family's view: a `TrainingArguments` file (`--hf FILE`, the page's Trainer
 * form) and the run's size (`--dataset-size`, `--num-processes`) as a {@linkcode ScheduleView} — the
 * learning rate of every optimizer step of transformers 5.17's `Trainer`, numbered as the
 * Trainer's `global_step` (1 … `max_steps`).
 *
 * How the file is read:
 *
 * - **JSON** (`.json`, or text that starts with `{`) as `HfArgumentParser.parse_json_file` reads
 *   it: `json.load`, then `parse_dict`. That is what users have: the dict of
 *   `TrainingArguments.to_json_string()` (a saved run: the Trainer pickles its arguments as
 *   `training_args.bin`, converted with one line of Python), or the config file of an example
 *   script (`python run_glue.py args.json`), whose other dataclasses' keys need
 *   `--allow-new-keys`.
 * - **YAML** as `HfArgumentParser.parse_yaml_file` reads it: PyYAML's `yaml.safe_load` (YAML 1.1),
 *   then `parse_dict`, which converts nothing. PyYAML reads `1e-5` (no dot) as the *string*
 *   `"1e-5"`, and transformers then fails when it creates the optimizer; lrspec stops at the same
 *   value with the file, the line and the fix (`1.0e-5`). TRL's `--config` happens to convert such
 *   strings through argparse; lrspec follows transformers.
 *
 * @module
 */

import { pyFloatRepr } from "../schedules/python.ts";
import { formatLr } from "../curve/format.ts";
import { type CurveRuns, steppedRuns } from "../curve/runs.ts";
import {
  createTrainerScheduler,
  explainTrainerSchedule,
  type TrainerSchedule,
  trainerSchedule,
} from "../schedules/hf/trainer.ts";
import { TRAINING_ARGUMENTS_FIELDS } from "../schedules/hf/training_args.ts";
import { LambdaLR } from "../schedules/torch/optim/lr_scheduler.ts";
import {
  fileLabel,
  placeIn,
  readSettings,
  type SettingsFile,
  snakeCase,
  textOf,
} from "./settings.ts";
import { grouped } from "../curve/format.ts";
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

/** Options of {@linkcode hfView}. */
export interface HfViewOptions {
  /** The file's name (messages; `.json` / `.yaml` says how to read it, else its first character). */
  path: string;
  /** `len(train_dataset)`; undefined when not given (then the file must set `max_steps`). */
  datasetSize: number | undefined;
  /**
   * Data-parallel processes.
   * @default {1}
   */
  numProcesses?: number;
  /**
   * Accept keys that are not `TrainingArguments` fields (`HfArgumentParser`'s `allow_extra_keys`).
   * @default {false}
   */
  allowExtraKeys?: boolean;
  /**
   * The legend entry instead of the file's name.
   * @default {undefined}
   */
  label?: string | undefined;
}

/** A Trainer run as a view, with the step arithmetic it was made from. */
export interface HfView extends ScheduleView {
  /** The Trainer's numbers ({@linkcode trainerSchedule}). */
  readonly plan: TrainerSchedule;
}

/** The fields the step counts and the schedule read (a string there is an error, not a note). */
const SCHEDULE_FIELDS = [
  "learning_rate",
  "per_device_train_batch_size",
  "num_train_epochs",
  "max_steps",
  "warmup_steps",
  "gradient_accumulation_steps",
];

/** The schedule functions' own option names that are `TrainingArguments` fields or CLI flags. */
const OPTION_KEYS: Record<string, string> = {
  numWarmupSteps: "warmup_steps",
  numTrainingSteps: "max_steps",
  datasetSize: "--dataset-size",
  numProcesses: "--num-processes",
};

/** What to say about a binary file given as `TrainingArguments`. */
export const HF_BINARY_HINT: string =
  "the Trainer saves its arguments pickled as training_args.bin; write them " +
  `as JSON with: python -c "import sys, torch; print(torch.load(sys.argv[1], ` +
  `weights_only=False).to_json_string())" training_args.bin > training_args.json`;

/** Where a key is written, or the nearest thing that decides it (its parent, the schedule). */
function whereOf(key: string, file: SettingsFile): string {
  const candidates = [key, key.replace(/\..*$/, "")];
  if (key.startsWith("lr_scheduler_kwargs.")) candidates.push("lr_scheduler_type");
  const found = candidates.find((k) => file.line(k) !== undefined);
  return found === undefined ? file.path : file.where(found);
}

/** The key of the file a library error is about, from its data (owner, option). */
function keyOfProblem(problem: OptionProblem, file: SettingsFile): string {
  const { owner, option } = problem;
  if (Object.hasOwn(OPTION_KEYS, option)) return OPTION_KEYS[option]!;
  if (owner === "TrainingArguments" || owner === "Trainer") return option; // the fields themselves
  if (owner === "SchedulerType") return "lr_scheduler_type";
  if (option === "optimizer.defaults.lr") return "learning_rate";
  const snake = snakeCase(option);
  if (file.line(snake) !== undefined || TRAINING_ARGUMENTS_FIELDS.includes(snake)) return snake;
  return `lr_scheduler_kwargs.${snake}`; // a schedule function's option, camelCased
}

/**
 * An error of the library, located in a `TrainingArguments` file from its data (owner, option;
 * never its message): `training_args.json:3: learning_rate must be …`, with its place
 * ({@linkcode placed}). An error already placed, or not an `Error`, is returned as it is.
 *
 * @param error What `trainerSchedule` or a Trainer schedule threw.
 * @param file The `TrainingArguments` file.
 * @returns The error to throw.
 */
export function placeTrainingArgumentsError(error: unknown, file: SettingsFile): unknown {
  if (!(error instanceof Error) || placeOf(error) !== undefined) return error;
  const problem = optionProblem(error);
  const key = problem ? keyOfProblem(problem, file) : undefined;
  // PyYAML's booleans include yes, no, on, off (any case): `eval_strategy: no` is False.
  const yamlBool = key !== undefined && file.pyType(key) === "bool" &&
    typeof file.value[key] === "boolean";
  const where = key === undefined || key.startsWith("--") ? file.path : whereOf(key, file);
  const line = key === undefined ? undefined : file.line(key);
  const make = (message: string) =>
    placed(
      sameKind(
        error,
        message + (yamlBool ? " (PyYAML reads yes/no/on/off as booleans: quote the value)" : ""),
      ),
      {
        file: file.path,
        ...(line !== undefined ? { line } : {}),
        ...(key !== undefined ? { key } : {}),
      },
    );
  if (problem === undefined || key === undefined || key.startsWith("--")) {
    return make(`${file.path}: ${error.message}`);
  }
  return make(`${where}: ${keyMessage(error, problem, key)}`);
}

/** Python's `float()` would read it: a number PyYAML left as a string. */
const NUMBER_TEXT = /^\s*[-+]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?\s*$/;

/** How to write a number so that PyYAML reads a float: `1e-5` → `1.0e-5 (or 0.00001)`. */
function yamlFloat(text: string): string {
  const m = /^\s*([-+]?)(\d+)(?:\.(\d*))?([eE])([-+]?)(\d+)\s*$/.exec(text.replaceAll("_", ""));
  if (!m) return `write ${text.trim()} without quotes`;
  const plain = String(Number(text.replaceAll("_", "")));
  return `write ${m[1]}${m[2]}.${m[3] || "0"}${m[4]}${m[5] || "+"}${m[6]}` +
    (/e/.test(plain) ? "" : ` (or ${plain})`);
}

/**
 * YAML values that PyYAML read as strings where a number was meant (`1e-5`): an error where the
 * schedule reads them, as transformers fails on them; a note elsewhere.
 *
 * @param file A `TrainingArguments` file (nothing is checked for JSON).
 * @param notes Where the notes go.
 * @throws {TypeError} For such a string where the schedule reads it, with its line and key.
 */
export function checkYamlNumbers(file: SettingsFile, notes: string[]): void {
  if (file.format !== "yaml") return;
  const keys = Object.keys(file.value).flatMap((k) => {
    const v = file.value[k];
    return k === "lr_scheduler_kwargs" && typeof v === "object" && v !== null
      ? Object.keys(v).map((s) => `${k}.${s}`)
      : [k];
  });
  for (const key of keys) {
    const value = key.includes(".")
      ? (file.value.lr_scheduler_kwargs as Record<string, unknown>)[key.replace(/^.*?\./, "")]
      : file.value[key];
    if (file.pyType(key) !== "str" || typeof value !== "string" || !NUMBER_TEXT.test(value)) {
      continue;
    }
    const why = /[eE]/.test(value)
      ? `PyYAML (yaml.safe_load, which HfArgumentParser.parse_yaml_file uses) reads a number ` +
        `with an exponent but no dot, or no sign after the e, as a string`
      : "quoted, a number is a string";
    const fix = yamlFloat(value);
    if (SCHEDULE_FIELDS.includes(key) || key.startsWith("lr_scheduler_kwargs.")) {
      throw placed(
        new TypeError(
          `${file.where(key)}: ${key} is the string ${JSON.stringify(value)}: ${why}, and ` +
            `transformers fails on it (TypeError); ${fix} (TRL's --config converts such ` +
            `strings; transformers does not)`,
        ),
        placeIn(file, key),
      );
    }
    notes.push(
      `${file.where(key)}: ${key} is the string ${JSON.stringify(value)}: ${why}; ` +
        `transformers' optimizer would fail on it (TypeError); the schedule does not read it`,
    );
  }
}

/**
 * Reads a `TrainingArguments` file: JSON or YAML, as `HfArgumentParser` would.
 *
 * @param path The file's name (messages, and how to read it: `.json`, `.yaml`, else by content).
 * @param contents Its bytes, or its text.
 * @returns The mapping, with the line of each key.
 * @throws {SyntaxError | TypeError} If it does not parse, is not a mapping, or is a
 * `trainer_state.json`.
 */
export function readTrainingArguments(path: string, contents: Uint8Array | string): SettingsFile {
  const text = textOf(path, contents, HF_BINARY_HINT);
  const yaml = /\.ya?ml$/i.test(path) || (!/\.json$/i.test(path) && !/^\s*\{/.test(text));
  const file = readSettings(path, text, yaml ? "yaml" : "json", "TrainingArguments fields");
  const v = file.value;
  if ("log_history" in v && "global_step" in v) {
    throw new TypeError(
      `${path}: a trainer_state.json (the Trainer's progress and logs), not TrainingArguments; ` +
        `give the run's arguments: ${HF_BINARY_HINT}`,
    );
  }
  return file;
}

/**
 * Refuses a `TrainingArguments` file that trains for epochs without the dataset's size: the
 * number of steps needs `--dataset-size` (`len(train_dataset)`).
 *
 * @param file The file.
 * @param datasetSize The size given, if any.
 * @throws {TypeError} Without it, unless the file sets a positive `max_steps`.
 */
export function requireDatasetSize(
  file: SettingsFile,
  datasetSize: number | null | undefined,
): void {
  const maxSteps = file.value.max_steps;
  if ((datasetSize ?? undefined) === undefined && !(typeof maxSteps === "number" && maxSteps > 0)) {
    throw placed(
      new TypeError(
        `${file.path}: --dataset-size N is needed: the number of training examples ` +
          `(len(train_dataset); the Trainer logs it as "Num examples"), as the file trains for ` +
          `num_train_epochs, not max_steps`,
      ),
      { file: file.path, key: "--dataset-size" },
    );
  }
}

/**
 * Refuses a Trainer run of no optimizer step, naming the key that sets its length.
 *
 * @param plan The Trainer's step arithmetic.
 * @param file Its `TrainingArguments` file.
 * @throws {RangeError} When `max_steps` (or `num_train_epochs`) gives no step.
 */
export function requireTrainerSteps(plan: TrainerSchedule, file: SettingsFile): void {
  if (plan.maxSteps >= 1) return;
  // max_steps >= 0 sets the length (0: no step at all); else num_train_epochs does.
  const key = plan.args.max_steps >= 0 ? "max_steps" : "num_train_epochs";
  throw placed(
    new RangeError(`${file.where(key)}: ${key}: the Trainer runs no optimizer step`),
    placeIn(file, key),
  );
}

/** How transformers counted: the arithmetic of the step counts, with the numbers. */
function arithmetic(plan: TrainerSchedule): string[] {
  const a = plan.args;
  const b = a.per_device_train_batch_size;
  const ga = a.gradient_accumulation_steps;
  const p = plan.numProcesses;
  const n = plan.datasetSize;
  const drop = a.dataloader_drop_last;
  const lines: string[] = [];
  const len = plan.lenDataloader;
  if (n === null || len === null) {
    lines.push(
      `no --dataset-size: max_steps ${grouped(a.max_steps)} sets the length (the dataset's ` +
        `size would only say how many epochs that is)`,
    );
  } else if (a.train_sampling_strategy === "batch_rebalance") {
    const e = b * ga * p;
    lines.push(
      `train_sampling_strategy batch_rebalance: optimizer steps of ${b} × ${ga} × ${p} = ` +
        `${grouped(e)} examples; ${drop ? "floor" : "ceil"}(${grouped(n)} / ${grouped(e)}) ` +
        `steps × ${ga} = ${grouped(len)} micro-batches per process per epoch`,
    );
  } else {
    const batches = drop ? Math.floor(n / b) : Math.ceil(n / b);
    lines.push(
      `${grouped(n)} examples in batches of per_device_train_batch_size ${b}: ` +
        `${drop ? "floor" : "ceil"}(${grouped(n)} / ${b}) = ${grouped(batches)} batches` +
        (drop ? " (dataloader_drop_last)" : ""),
    );
    if (a.split_batches) {
      lines.push(
        `accelerator_config.split_batches: each batch is split over the ${p} process(es): ` +
          `${grouped(len)} per process per epoch`,
      );
    } else if (p > 1) {
      const quotient = `${grouped(batches)} / ${p}`;
      const op = batches % p === 0 ? quotient : `${drop ? "floor" : "ceil"}(${quotient})`;
      lines.push(`dealt to ${p} processes: ${op} = ${grouped(len)} batches per process per epoch`);
    }
  }
  const u = plan.numUpdateStepsPerEpoch;
  if (len !== null) {
    lines.push(
      ga > 1
        ? `gradient_accumulation_steps ${ga}: ceil(${grouped(len)} / ${ga}) = ${grouped(u)} ` +
          `optimizer steps per epoch` +
          (len % ga > 0 ? ` (the last one of ${len % ga} micro-batch(es))` : "")
        : `${grouped(u)} optimizer steps per epoch`,
    );
  }
  const t = plan.maxSteps;
  const epochs = pyFloatRepr(a.num_train_epochs).replace(/\.0$/, "");
  if (a.max_steps > 0) {
    lines.push(
      `max_steps ${grouped(a.max_steps)} overrides num_train_epochs: ${grouped(t)} optimizer ` +
        `steps` + (len !== null ? ` (${grouped(plan.numTrainEpochs)} epoch(s) run)` : ""),
    );
  } else {
    const product = a.num_train_epochs * u;
    lines.push(
      `num_train_epochs ${epochs}: ${
        Number.isInteger(product)
          ? `${epochs} × ${grouped(u)}`
          : `ceil(${epochs} × ${grouped(u)}) = ceil(${pyFloatRepr(product)})`
      } = ${grouped(t)} optimizer steps`,
    );
  }
  lines.push(
    `total batch: ${b} per device × ${ga} accumulated × ${p} process(es) = ` +
      `${grouped(plan.totalTrainBatchSize)} examples per optimizer step`,
  );
  const w = a.warmup_steps;
  const warm = plan.numWarmupSteps;
  if (w === 0) lines.push("warmup_steps 0: no warmup");
  else if (w < 1) {
    lines.push(
      `warmup_steps ${pyFloatRepr(w)} < 1 is a ratio of the steps, rounded up: ` +
        `ceil(${grouped(t)} × ${pyFloatRepr(w)}) = ceil(${pyFloatRepr(t * w)}) = ${
          grouped(warm)
        } ` +
        `warmup steps`,
    );
  } else if (!Number.isInteger(w)) {
    lines.push(`warmup_steps ${pyFloatRepr(w)}: int(${pyFloatRepr(w)}) = ${grouped(warm)} steps`);
  } else lines.push(`warmup_steps ${grouped(warm)}`);
  return lines;
}

/** The values of column 0 at some rows (one pass over the curve). */
function valuesAt(curve: CurveRuns, rows: number[]): Map<number, number> {
  const want = [...new Set(rows)].filter((r) => r >= 0 && r < curve.rows).sort((x, y) => x - y);
  const out = new Map<number, number>();
  if (want.length === 0) return out;
  const one = new Float64Array(1);
  for (const run of curve.runs(0, want[want.length - 1]! + 1)) {
    for (const r of want) {
      if (r < run.start || r >= run.end) continue;
      run.fill(0, r, r + 1, one);
      out.set(r, one[0]!);
    }
  }
  return out;
}

/**
 * Up to this many optimizer steps the first step that raises is found by stepping through every
 * one; past it, by probing where the schedule's formula changes (`steppedRuns`' `probeAt`).
 */
export const HF_SCANNED_STEPS = 1 << 20;

/** Whether the schedule has a warmup the Trainer's `warmup_steps` sets. */
function warms(plan: TrainerSchedule): boolean {
  const t = plan.args.lr_scheduler_type;
  return t !== "constant" && t !== "reduce_lr_on_plateau" && t !== "greedy";
}

/**
 * Opens a `TrainingArguments` file (JSON, or YAML read as PyYAML reads it) as a
 * {@linkcode ScheduleView}: the Trainer's step arithmetic for `--dataset-size` examples on
 * `--num-processes` processes, and the learning rate of each optimizer step `1 … max_steps`
 * (row `k` is optimizer step `k + 1`: what it trains with, and what the Trainer logs as
 * `learning_rate` at that step). Everything is checked here, once.
 *
 * @param contents The file's bytes, or its text.
 * @param options Its name, the run's size, how to read it.
 * @returns The view.
 * @throws {SyntaxError | TypeError | RangeError} With the file, the key and the line.
 */
export function hfView(contents: Uint8Array | string, options: HfViewOptions): HfView {
  const { path } = options;
  const numProcesses = options.numProcesses ?? 1;
  const file = readTrainingArguments(path, contents);
  const notes: string[] = [];
  if (file.format === "yaml") checkYamlNumbers(file, notes);
  const v = file.value;
  requireDatasetSize(file, options.datasetSize);
  let plan: TrainerSchedule;
  try {
    plan = trainerSchedule(
      v,
      { datasetSize: options.datasetSize ?? null, numProcesses },
      { allowExtraKeys: options.allowExtraKeys ?? false },
    );
    createTrainerScheduler(plan);
  } catch (error) {
    // An unknown key (HfArgumentParser's "Some keys are not used"), known from its data.
    const problem = optionProblem(error);
    if (
      problem?.owner === "TrainingArguments" && !TRAINING_ARGUMENTS_FIELDS.includes(problem.option)
    ) {
      const e = placeTrainingArgumentsError(error, file) as Error;
      throw placed(
        new TypeError(
          `${e.message} (keys of other dataclasses in a script's config: --allow-new-keys)`,
          { cause: e },
        ),
        placeOf(e) ?? { file: path },
      );
    }
    throw placeTrainingArgumentsError(error, file);
  }
  if (plan.args.extra_keys.includes("warmup_ratio") && v.warmup_ratio) {
    notes.push(
      `${file.where("warmup_ratio")}: warmup_ratio ${String(v.warmup_ratio)} is ignored: ` +
        `transformers 5.17 has no warmup_ratio (HfArgumentParser with allow_extra_keys drops ` +
        `it); transformers 4 warmed up over ceil(ratio × steps): write warmup_steps: ` +
        `${String(v.warmup_ratio)}`,
    );
  }
  const rows = plan.maxSteps;
  requireTrainerSteps(plan, file);
  const a = plan.args;
  const w = plan.numWarmupSteps;
  const wsd = a.lr_scheduler_type === "warmup_stable_decay";
  const kw = a.lr_scheduler_kwargs;
  const decay = wsd && typeof kw.num_decay_steps === "number" ? kw.num_decay_steps : 0;
  const stable = wsd
    ? typeof kw.num_stable_steps === "number" ? kw.num_stable_steps : rows - w - decay
    : 0;
  /** A Trainer run's scheduler, `row` optimizer steps in (row 0: as the Trainer builds it). */
  const startAt = (row: number) => {
    const { optimizer, scheduler } = createTrainerScheduler(plan);
    const group = optimizer.paramGroups[0]!;
    // ReduceLROnPlateau and GreedyLR move only on evaluation metrics: the Trainer steps them
    // after evaluations, which lrspec does not know.
    const byStep = scheduler instanceof LambdaLR;
    // A LambdaLR's rate is initial_lr × lr_lambda(last_epoch), whatever came before: step `row`
    // is one step() from last_epoch row − 1, as torch does after `row` steps.
    if (byStep && row > 0) {
      scheduler.lastEpoch = row - 1;
      scheduler.step();
    }
    return {
      values: (out: number[]) => void (out[0] = group.lr),
      step: () => void (byStep && scheduler.step()),
    };
  };
  const curve = steppedRuns({
    columns: ["lr"],
    rows,
    start: () => startAt(0),
    startAt,
    // Past a million steps the first raising step is probed where the schedule's formula
    // changes (warmup end, stable end, the last step) instead of stepping through every one.
    ...(rows > HF_SCANNED_STEPS ? { probeAt: [w, w + stable, w + stable + decay, rows - 1] } : {}),
  });
  const warmupEnd = warms(plan) && w > 0 && w < rows ? w : 0;
  const marks: ViewMark[] = warmupEnd > 0 ? [{ iteration: warmupEnd, what: "warmup" }] : [];
  if (wsd && w + stable > 0 && w + stable < rows) {
    marks.push({ iteration: w + stable, what: "decay" });
  }
  notes.push(...plan.notes.map((n) => `${path}: ${n}`));
  if (curve.error && curve.error.iteration < rows) {
    notes.push(
      `${path}: the scheduler raises at step ${grouped(curve.error.iteration + 1)} (and every ` +
        `step after it), as transformers' does: ${curve.error.message}`,
    );
  }
  const onMetrics = a.lr_scheduler_type === "reduce_lr_on_plateau" ||
    a.lr_scheduler_type === "greedy";
  const library = explainTrainerSchedule(plan).split("\n");
  const summary = library.find((l) => l.startsWith(`${a.lr_scheduler_type}: `)) ?? library[0]!;
  const explain = () => {
    const at = valuesAt(curve, [0, w - 1, w, Math.floor(rows / 2), rows - 1]);
    const rates = [...at].map(([row, lr]) => {
      const tag = row === rows - 1
        ? " (last)"
        : warms(plan) && row === w && w > 0
        ? " (warmup done)"
        : "";
      return `step ${grouped(row + 1)} ${formatLr(lr)}${tag}`;
    });
    return [
      `${path}: transformers 5.17 Trainer, ${a.lr_scheduler_type} schedule, peak ` +
      `learning_rate ${formatLr(a.learning_rate)}`,
      ...arithmetic(plan),
      summary,
      `learning rate: ${rates.join(", ")}`,
      `steps are the Trainer's global_step 1 … ${grouped(rows)}: step N trains with the rate ` +
      `shown, which the Trainer logs as learning_rate at step N`,
      ...(onMetrics
        ? [
          `${a.lr_scheduler_type} changes the rate only after evaluations (on ` +
          `metric_for_best_model), which no file holds: the curve is the rate before any`,
        ]
        : []),
    ].join("\n");
  };
  const kwargs = Object.entries(a.lr_scheduler_kwargs).sort(([x], [y]) => (x < y ? -1 : 1));
  return {
    ...curve,
    plan,
    family: "hf",
    path,
    label: options.label ?? fileLabel(path),
    imagesPerIteration: plan.totalTrainBatchSize,
    unit: "step",
    indexColumn: "step",
    firstIndex: 1,
    marks,
    warmupEnd,
    identity: JSON.stringify(["hf", rows, w, a.learning_rate, a.lr_scheduler_type, kwargs]),
    summary,
    explain,
    notes,
  };
}
