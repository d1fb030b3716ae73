/**
 * The timm family's view (`--timm FILE`, the page's `train` form): the `args.yaml` timm's
 * `train.py` saves in every output folder as a {@linkcode ScheduleView} — the learning rate of
 * every epoch (or,
 * with `sched_on_updates`, of every optimizer update) of timm 1.0.29's training loop, from
 * {@linkcode timmTrainSchedule} (the `lr_base` rule when `lr` is unset, the optimizer's groups,
 * `create_scheduler_v2`, the loop's `step` / `step_update` calls, noise included).
 *
 * The file is read as `train.py --config FILE` reads one: PyYAML's `yaml.safe_load`, then
 * argparse's defaults, which pass a string through the option's type (`lr: 1e-3`, a string to
 * PyYAML, is the float 0.001). An `args.yaml` written by `train.py` (`yaml.safe_dump`) reads back
 * unchanged; a hand-written one may hold only the keys it changes.
 *
 * @module
 */

import { formatLr, grouped } from "../curve/format.ts";
import { valuesRuns } from "../curve/runs.ts";
import {
  explainTimmSchedule,
  type TimmTrainOptions,
  type TimmTrainSchedule,
  timmTrainSchedule,
  TRAIN_PY_DEFAULTS,
} from "../schedules/timm/train.ts";
import { fileLabel, placeIn, readSettings, type SettingsFile, textOf } from "./settings.ts";
import { editDistance } from "../schedules/edit_distance.ts";
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

/** Options of {@linkcode timmView}. */
export interface TimmViewOptions {
  /** The file's name (messages). */
  path: string;
  /**
   * Optimizer updates per epoch (needed with `sched_on_updates`).
   * @default {undefined}
   */
  updatesPerEpoch?: number | undefined;
  /**
   * Training processes (`world_size`): multiplies the batch in the `lr_base` rule.
   * @default {1}
   */
  numProcesses?: number;
  /**
   * The legend entry instead of the folder's name.
   * @default {undefined}
   */
  label?: string | undefined;
  /**
   * What else `timmTrainSchedule` takes that `args.yaml` does not record: each group's
   * `lr_scale`, the evaluation metrics of a plateau schedule.
   * @default {{}}
   */
  train?: Pick<TimmTrainOptions, "lrScales" | "metrics" | "decreasingMetric">;
}

/** A timm run as a view, with the schedule it was made from. */
export interface TimmView extends ScheduleView {
  /** The library's schedule ({@linkcode timmTrainSchedule}). */
  readonly schedule: TimmTrainSchedule;
}

/** The argparse types of `train.py`'s schedule options (timm 1.0.29 `train.py`). */
const ARG_TYPES: Readonly<Record<string, "float" | "int">> = {
  lr: "float",
  lr_base: "float",
  lr_base_size: "int",
  lr_noise: "float",
  lr_noise_pct: "float",
  lr_noise_std: "float",
  lr_cycle_mul: "float",
  lr_cycle_decay: "float",
  lr_cycle_limit: "int",
  lr_k_decay: "float",
  warmup_lr: "float",
  min_lr: "float",
  epochs: "int",
  start_epoch: "int",
  decay_milestones: "int",
  decay_epochs: "float",
  warmup_epochs: "int",
  cooldown_epochs: "int",
  patience_epochs: "int",
  decay_rate: "float",
  seed: "int",
  batch_size: "int",
  grad_accum_steps: "int",
  weight_decay: "float",
  layer_decay: "float",
  val_interval: "int",
};

/** The options of timm's scheduler classes and factory, as the `args.yaml` keys that set them. */
const OPTION_KEYS: Readonly<Record<string, string>> = {
  tInitial: "epochs",
  numEpochs: "epochs",
  lrMin: "min_lr",
  minLr: "min_lr",
  warmupT: "warmup_epochs",
  warmupEpochs: "warmup_epochs",
  warmupLrInit: "warmup_lr",
  warmupLr: "warmup_lr",
  warmupPrefix: "warmup_prefix",
  decayT: "decay_epochs",
  decayEpochs: "decay_epochs",
  decayMilestones: "decay_milestones",
  decayRate: "decay_rate",
  power: "decay_rate",
  cycleMul: "lr_cycle_mul",
  cycleDecay: "lr_cycle_decay",
  cycleLimit: "lr_cycle_limit",
  kDecay: "lr_k_decay",
  noiseRangeT: "lr_noise",
  noise: "lr_noise",
  noisePct: "lr_noise_pct",
  noiseStd: "lr_noise_std",
  noiseSeed: "seed",
  patienceT: "patience_epochs",
  patienceEpochs: "patience_epochs",
  cooldownT: "cooldown_epochs",
  cooldownEpochs: "cooldown_epochs",
};

/** What to say about a binary file given as an `args.yaml`. */
export const TIMM_BINARY_HINT: string =
  "timm's train.py writes args.yaml (plain YAML) in the run's output folder";

/** Python's `float()` / `int()` of a string, as argparse applies an option's type. */
function argparseValue(file: SettingsFile, key: string, text: string): number {
  const s = text.trim().replaceAll("_", "");
  const type = ARG_TYPES[key]!;
  const ok = type === "int"
    ? /^[-+]?\d+$/.test(s)
    : /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$|^[-+]?(?:inf|infinity|nan)$/i.test(s);
  if (!ok) {
    throw placed(
      new TypeError(
        `${file.where(key)}: ${key}: invalid ${type} value: '${text}' (train.py's argparse ` +
          `exits with this error)`,
      ),
      placeIn(file, key),
    );
  }
  return /inf/i.test(s) ? (s.startsWith("-") ? -Infinity : Infinity) : Number(s);
}

/** The `args.yaml` key a library error is about, from its data (owner, option). */
function keyOfProblem(problem: OptionProblem): string | undefined {
  const name = problem.option.replace(/^args\./, "").replace(/\[\d+\]$/, "");
  if (name in OPTION_KEYS) return OPTION_KEYS[name];
  if (name in TRAIN_PY_DEFAULTS || name === "sched_on_updates") return name;
  return undefined;
}

/**
 * An error of the library, located from its data (owner, option; never its message):
 * `args.yaml:75: epochs must be …`, or the file alone when the option is not a key of the file.
 */
function located(error: unknown, file: SettingsFile): unknown {
  if (!(error instanceof Error) || placeOf(error) !== undefined) return error;
  const problem = optionProblem(error);
  const key = problem && keyOfProblem(problem);
  const make = (message: string) =>
    placed(sameKind(error, message), key === undefined ? { file: file.path } : placeIn(file, key));
  if (problem === undefined || key === undefined) return make(`${file.path}: ${error.message}`);
  return make(`${file.where(key)}: ${keyMessage(error, problem, key)}`);
}

/** Keys near one the schedule reads, which train.py would take as a new attribute and ignore. */
function misspelled(file: SettingsFile): string[] {
  const known = [...Object.keys(TRAIN_PY_DEFAULTS), "sched_on_updates"];
  const out: string[] = [];
  for (const key of Object.keys(file.value)) {
    if (known.includes(key)) continue;
    const near = known.find((k) => editDistance(key, k) <= Math.max(1, Math.floor(k.length / 5)));
    if (near !== undefined) {
      out.push(
        `${file.where(key)}: ${key} is not a train.py option (did you mean ${near}?); train.py ` +
          `would keep it as an attribute nobody reads`,
      );
    }
  }
  return out;
}

/**
 * A timm `args.yaml` as a {@linkcode ScheduleView}: one row per epoch (`epoch,lr`), or
 * per optimizer update with `sched_on_updates` (`update,lr`, update `t = epoch · N + u`): the
 * rate that epoch (update) trains with. Everything is checked here, once.
 *
 * @param contents The file's bytes, or its text.
 * @param options Its name, and what `args.yaml` does not record.
 * @returns The view.
 * @throws {SyntaxError | TypeError | RangeError} With the file, the key and the line.
 */
export function timmView(contents: Uint8Array | string, options: TimmViewOptions): TimmView {
  const { path } = options;
  const numProcesses = options.numProcesses ?? 1;
  const text = textOf(path, contents, TIMM_BINARY_HINT);
  const file = readSettings(path, text, "yaml", "train.py arguments");
  if (Object.keys(file.value).length === 0) {
    throw placed(
      new TypeError(
        `${path}: no train.py arguments (an empty file): an args.yaml holds the keys train.py ` +
          `saves (sched, epochs, lr, …); timm's defaults alone would be drawn`,
      ),
      { file: path },
    );
  }
  const args: Record<string, unknown> = { ...file.value };
  for (const [key, value] of Object.entries(args)) {
    if (key in ARG_TYPES && typeof value === "string") {
      args[key] = argparseValue(file, key, value);
    }
  }
  const notes = misspelled(file);
  const perUpdate = args.sched_on_updates === true;
  if (perUpdate && options.updatesPerEpoch === undefined) {
    throw placed(
      new TypeError(
        `${file.where("sched_on_updates")}: sched_on_updates: the schedule steps after every ` +
          `optimizer update, so --updates-per-epoch N is needed (N = (len(loader_train) + ` +
          `grad_accum_steps − 1) // grad_accum_steps, what train.py logs as "Train: 0 [   0/N …]")`,
      ),
      placeIn(file, "sched_on_updates"),
    );
  }
  if (!perUpdate && options.updatesPerEpoch !== undefined && options.updatesPerEpoch !== 0) {
    notes.push(`${path}: --updates-per-epoch changes nothing: the schedule steps per epoch`);
  }
  const start = args.start_epoch;
  if (typeof start === "number" && start > 0) {
    notes.push(
      `${file.where("start_epoch")}: start_epoch ${start}: train.py resumes at epoch ${start}; ` +
        `the curve shows every epoch from 0 (timm's schedules are functions of the epoch)`,
    );
    args.start_epoch = null;
  }
  if (typeof args.layer_decay === "number") {
    notes.push(
      `${file.where("layer_decay")}: layer_decay ${args.layer_decay}: each layer's group trains ` +
        `at the rate × its lr_scale (the model's depth decides it); the curve is the rate of ` +
        `the groups with lr_scale 1 (the head)`,
    );
  }
  let schedule: TimmTrainSchedule;
  try {
    schedule = timmTrainSchedule(args, {
      ...options.train,
      ...(options.updatesPerEpoch !== undefined
        ? { updatesPerEpoch: options.updatesPerEpoch }
        : {}),
      worldSize: numProcesses,
    });
  } catch (error) {
    throw located(error, file);
  }
  const k = schedule.kwargs;
  if (k.sched === "plateau") {
    notes.push(
      `${path}: the plateau schedule decays on evaluation metrics, which args.yaml does not hold: ` +
        `the curve shows no decay`,
    );
  }
  if (schedule.scheduler === null) {
    notes.push(`${file.where("sched")}: timm knows no sched "${k.sched}": no scheduler`);
  }
  const values = schedule.lrs[0]!;
  const rows = values.length;
  if (rows < 1) {
    throw placed(
      new RangeError(`${file.where("epochs")}: epochs: train.py runs no epoch`),
      placeIn(file, "epochs"),
    );
  }
  const per = schedule.unit === "update" ? schedule.updatesPerEpoch : 1;
  const warmupRows = schedule.scheduler === null ? 0 : (k.warmupEpochs ?? 0) * per;
  const warmupEnd = warmupRows > 0 && warmupRows < rows ? warmupRows : 0;
  const marks: ViewMark[] = warmupEnd > 0 ? [{ iteration: warmupEnd, what: "warmup" }] : [];
  const cooldown = (k.cooldownEpochs ?? 0) * per;
  if (cooldown > 0 && ["cosine", "tanh", "poly"].includes(k.sched ?? "") && cooldown < rows) {
    marks.push({ iteration: rows - cooldown, what: "cooldown" });
  }
  if ((k.sched === "step" || k.sched === "multistep") && (k.noise ?? null) === null) {
    for (let i = Math.max(1, warmupEnd + 1); i < rows && marks.length < 16; i++) {
      if (values[i] !== values[i - 1] && values[i - 1] !== 0) {
        marks.push({ iteration: i, what: `×${formatLr(values[i]! / values[i - 1]!)}` });
      }
    }
  }
  const unit = schedule.unit;
  const globalBatch = schedule.lrRule.globalBatchSize;
  const explain = () => {
    const r = schedule.lrRule;
    const lines = explainTimmSchedule(schedule).split("\n");
    lines.push(
      `  global batch: batch_size ${
        grouped(Number(args.batch_size ?? TRAIN_PY_DEFAULTS.batch_size))
      }` +
        ` × ${numProcesses} process(es) × grad_accum_steps ` +
        `${String(args.grad_accum_steps ?? TRAIN_PY_DEFAULTS.grad_accum_steps)} = ` +
        `${grouped(globalBatch)}` +
        (r.lr === null ? " (--num-processes: args.yaml does not record it)" : ""),
    );
    lines.push(
      unit === "update"
        ? `  one row per optimizer update: update t = epoch × ${grouped(per)} + u trains with ` +
          `the rate shown (0 … ${grouped(rows - 1)})`
        : `  one row per epoch: epoch E trains with the rate shown` +
          (typeof args.layer_decay === "number"
            ? ""
            : `, which train.py's summary.csv logs as lr at epoch E`),
    );
    return lines.join("\n");
  };
  const summary = explainTimmSchedule(schedule).split("\n").slice(0, 2).map((l) => l.trim())
    .join("; ");
  return {
    ...valuesRuns(values),
    schedule,
    family: "timm",
    path,
    label: options.label ?? fileLabel(path),
    imagesPerIteration: unit === "update" ? globalBatch : undefined,
    unit,
    indexColumn: unit,
    firstIndex: 0,
    marks,
    warmupEnd,
    identity: JSON.stringify(
      ["timm", unit, rows, schedule.lr, per, k],
      (_, v) => (typeof v === "bigint" ? `${v}n` : v),
    ),
    summary,
    explain,
    notes,
  };
}
