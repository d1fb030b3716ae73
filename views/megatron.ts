/**
 * The Megatron family's view (`--megatron FILE`, `--megatron-args "…"`, the page's Megatron
 * form): a training script's arguments as a launch script writes them (`--lr 3e-4 --min-lr 3e-5
 * --lr-decay-style WSD …`) as a {@linkcode ScheduleView} — the learning rate (and weight decay,
 * when it changes) of every iteration 1..train_iters of Megatron-LM's training loop, from
 * {@linkcode parseMegatronArgs} and {@linkcode getOptimizerParamScheduler}, stepped as
 * `train_step` steps: `step(global_batch_size)` after each update.
 *
 * @module
 */

import { formatLr, grouped } from "../curve/format.ts";
import { steppedRuns } from "../curve/runs.ts";
import {
  type MegatronArgs,
  parseMegatronArgs,
  type WrittenOption,
} from "../schedules/megatron/training/arguments.ts";
import type { OptimizerParamScheduler } from "../schedules/megatron/core/optimizer_param_scheduler.ts";
import type { StateDict } from "../schedules/optimizer.ts";
import {
  getOptimizerParamScheduler,
  megatronParamGroups,
  type NamedMegatronParamGroup,
} from "../schedules/megatron/training/training.ts";
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
import { fileLabel, placeIn, readSettings, type SettingsFile, textOf } from "./settings.ts";
import {
  destFlag,
  schedulerOptionDest,
  STATE_KEY_OPTION,
} from "../schedules/megatron/training/flags.ts";
import { launchScript, lineAt } from "../schedules/megatron/training/shell.ts";

/** Options of {@linkcode megatronView}. */
export interface MegatronViewOptions {
  /** The file's name, or `--megatron-args` (messages). */
  path: string;
  /**
   * The number of processes (torchrun's world size): with the parallel sizes, the data-parallel
   * size (the global batch's default and the batch check).
   * @default {1}
   */
  worldSize?: number;
  /**
   * The legend entry.
   * @default {the file's name}
   */
  label?: string | undefined;
  /**
   * Resume from a checkpoint: a JSON file with the checkpoint's `iteration` and its scheduler
   * state (`opt_param_scheduler`, or an old checkpoint's `lr_scheduler`), as Megatron's
   * `load_checkpoint` reads them from `model_optim_rng.pt`. The rows are then iterations
   * `iteration + 1 … train_iters`, stepped from the state `load_state_dict` restores (with the
   * arguments' `--use-checkpoint-opt_param-scheduler` / `--override-opt_param-scheduler`).
   * @default {undefined (a fresh run)}
   */
  checkpoint?: { path: string; contents: Uint8Array | string } | undefined;
  /**
   * Whether messages give the line of an argument (`train.args:4: --min-lr …`); false for
   * arguments given on one line of a command (`--megatron-args`).
   * @default {true}
   */
  lines?: boolean;
}

/** A Megatron run as a view, with its arguments. */
export interface MegatronView extends ScheduleView {
  /** The parsed arguments. */
  readonly args: MegatronArgs;
  /** The parameter groups (default, decoupled, no-wd). */
  readonly groups: readonly NamedMegatronParamGroup[];
}

/**
 * An error about an argument, placed from its data (never its message): the source, the line of
 * the flag as written (from the error's `offset`, or where the flag was last written), the flag.
 */
function argumentError(
  error: Error,
  text: string,
  options: MegatronViewOptions,
  flag: string | undefined,
  offset: number | null | undefined,
  problem: OptionProblem | undefined,
): Error {
  const { path } = options;
  const line = (options.lines ?? true) && typeof offset === "number"
    ? lineAt(text, offset)
    : undefined;
  const where = line === undefined ? path : `${path}:${line}`;
  const message = flag !== undefined && problem !== undefined
    ? keyMessage(error, problem, flag)
    : error.message;
  return placed(sameKind(error, `${where}: ${message}`), {
    file: path,
    ...(line !== undefined ? { line } : {}),
    ...(flag !== undefined ? { key: flag } : {}),
  });
}

/** The offset an error of {@linkcode parseMegatronArgs} gives for its option, if any. */
function offsetOf(error: unknown): number | undefined {
  const offset = (error as { cause?: { offset?: unknown } }).cause?.offset;
  return typeof offset === "number" ? offset : undefined;
}

/**
 * Megatron arguments as a {@linkcode ScheduleView}: one row per iteration 1..train_iters
 * (`iteration,lr[,lr_decoupled][,weight_decay]`), each the rate that iteration's update uses.
 * Megatron's log line `learning rate:` at iteration i is read after the step: it is the rate of
 * iteration i + 1 (the next row).
 *
 * @param text The arguments (a launch script's lines, continuation backslashes allowed).
 * @param options The source's name and the world size.
 * @returns The view.
 * @throws {SyntaxError | TypeError | RangeError} As {@linkcode parseMegatronArgs} and the
 * scheduler, with the source and the option.
 */
export function megatronView(text: string, options: MegatronViewOptions): MegatronView {
  const { path } = options;
  // A launch script with bash arrays (Megatron's examples): their words, offsets in the script.
  const script = launchScript(text);
  const origin = (offset: number | null | undefined) =>
    script === undefined || typeof offset !== "number" ? offset : script.offset(offset);
  let parsed;
  try {
    parsed = parseMegatronArgs(script?.text ?? text, { worldSize: options.worldSize ?? 1 });
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const problem = optionProblem(error);
    const option = problem?.option;
    const flag = option !== undefined && option.startsWith("--") ? option : undefined;
    throw argumentError(error, text, options, flag, origin(offsetOf(error)), problem);
  }
  const { args, ignored } = parsed;
  const written = Object.fromEntries(
    Object.entries(parsed.written).map(([k, w]) => [k, { ...w, offset: origin(w.offset) ?? null }]),
  );
  const groups = megatronParamGroups(args);
  // A scheduler's error: the flag that sets its option, as the line wrote it, where it wrote it.
  const schedulerError = (error: unknown): unknown => {
    if (!(error instanceof Error) || placeOf(error) !== undefined) return error;
    const problem = optionProblem(error);
    const dest = problem && schedulerOptionDest(problem.option, args);
    const given = dest === undefined ? undefined : written[dest];
    const flag = given?.flag ?? (dest === undefined ? undefined : destFlag(dest));
    const placedError = argumentError(error, text, options, flag, given?.offset, problem);
    // Both checkpoint flags set: the other one too, where it is written.
    const other = dest === "useCheckpointOptParamScheduler"
      ? written.overrideOptParamScheduler
      : undefined;
    if (other === undefined) return placedError;
    const line = (options.lines ?? true) && other.offset !== null
      ? `:${lineAt(text, other.offset)}`
      : "";
    return placed(
      sameKind(error, `${placedError.message}; with ${path}${line}: ${other.flag}`),
      placeOf(placedError)!,
    );
  };
  let scheduler;
  try {
    scheduler = getOptimizerParamScheduler(args, { paramGroups: groups.map((g) => ({ ...g })) });
  } catch (error) {
    throw schedulerError(error);
  }
  const notes: string[] = [];
  if (script !== undefined) {
    notes.push(
      `${path}: read as a launch script: the arrays ${script.arrays.join(", ")} and the words ` +
        `after the training script, whatever the conditions around them (lrspec reads the ` +
        `script, it does not run it)`,
    );
  }
  // The decoupled group's flags, as Megatron reads them: where they are written.
  const at = (dest: string) => {
    const w = written[dest];
    return w === undefined
      ? `${path}: `
      : `${path}${
        (options.lines ?? true) && w.offset !== null ? `:${lineAt(text, w.offset)}` : ""
      }: ${w.flag} `;
  };
  if (args.decoupledLr === null && args.decoupledMinLr !== null) {
    notes.push(
      `${at("decoupledMinLr")}${args.decoupledMinLr} is ignored without --decoupled-lr ` +
        `(Megatron's optimizer reads it only for the decoupled group)`,
    );
  }
  const decoupledMin = args.decoupledMinLr ?? args.minLr;
  if (args.decoupledLr !== null && decoupledMin > args.decoupledLr) {
    notes.push(
      `${at(args.decoupledMinLr === null ? "minLr" : "decoupledMinLr")}${decoupledMin} is above ` +
        `${at("decoupledLr")}${args.decoupledLr}: the embedding and output ` +
        `layer's rate rises as the others decay (Megatron checks only --min-lr <= --lr)`,
    );
  }
  const resume = options.checkpoint === undefined
    ? undefined
    : readCheckpoint(options.checkpoint, args, ignored, notes);
  // The scheduler as training starts: built, then the checkpoint loaded as Megatron's
  // load_checkpoint loads it — the optimizer's state first (each group's max_lr and min_lr as
  // saved: the scheduler's, for the groups that follow --lr and --min-lr), the scheduler's state
  // (load_state_dict), and with --override-opt_param-scheduler the arguments' bounds again and
  // num_steps set to the checkpoint's consumed_train_samples; its errors placed at the
  // checkpoint's key or the flag.
  const override = args.overrideOptParamScheduler;
  const load = (s: OptimizerParamScheduler) => {
    if (resume === undefined) return;
    const { state, consumed } = resume;
    try {
      if (!override) {
        const maxLr = state.startLr ?? state.maxLr;
        for (const g of s.optimizer.paramGroups as NamedMegatronParamGroup[]) {
          if (g.name === "decoupled") continue;
          if (typeof maxLr === "number") g.maxLr = maxLr;
          if (typeof state.minLr === "number") g.minLr = state.minLr;
        }
      }
      s.loadStateDict(state);
      if (override && consumed !== undefined && s.numSteps !== consumed) {
        s.numSteps = consumed;
        s.step(0);
      }
    } catch (error) {
      throw checkpointError(error, resume, args, (e) => schedulerError(e), {
        text,
        options,
        written,
      });
    }
  };
  load(scheduler);
  // An error a later step raises (a checkpoint's decay style Megatron cannot step), placed as
  // the loading's are.
  const placeStepError = (error: unknown) =>
    resume === undefined ? schedulerError(error) : checkpointError(
      error,
      resume,
      args,
      (e) => schedulerError(e),
      { text, options, written },
    );
  if (resume !== undefined && override && resume.consumed === undefined) {
    notes.push(
      `${resume.path}: no consumed_train_samples: with --override-opt_param-scheduler Megatron ` +
        `sets num_steps to the checkpoint's consumed_train_samples; lrspec keeps the state's ` +
        `num_steps ${grouped(scheduler.numSteps)}`,
    );
  }
  if (resume !== undefined && !override && groups.some((g) => g.name === "decoupled")) {
    notes.push(
      `${resume.path}: the embedding and output layer's max_lr and min_lr are the arguments' ` +
        `(--decoupled-lr); Megatron restores them from the optimizer's state, which the ` +
        `checkpoint's JSON does not hold`,
    );
  }
  const start = resume?.iteration ?? 0;
  const gbs = args.globalBatchSize;
  const rows = args.trainIters - start;
  const decoupled = groups.findIndex((g) => g.name === "decoupled");
  const wdChanges = args.startWeightDecay !== args.endWeightDecay;
  const columns = [
    "lr",
    ...(decoupled >= 0 ? ["lr_decoupled"] : []),
    ...(wdChanges ? ["weight_decay"] : []),
  ];
  const skipped = new Set(args.iterationsToSkip);
  const runs = steppedRuns({
    columns,
    rows,
    start: () => {
      const paramGroups = groups.map((g) => ({ ...g }));
      const s = getOptimizerParamScheduler(args, { paramGroups });
      load(s);
      let iteration = start + 1;
      return {
        values(out) {
          let k = 0;
          out[k++] = paramGroups[0]!.lr;
          if (decoupled >= 0) out[k++] = paramGroups[decoupled]!.lr;
          if (wdChanges) out[k++] = paramGroups[0]!.weightDecay ?? NaN;
        },
        step() {
          if (!skipped.has(iteration)) {
            try {
              s.step(gbs);
            } catch (error) {
              throw placeStepError(error);
            }
          }
          iteration++;
        },
      };
    },
  });
  // Where things happen, in rows: row r is iteration start + r + 1, at numSteps = n0 + r · gbs
  // (n0: 0, or the checkpoint's count); the first row past `samples`.
  const n0 = scheduler.numSteps;
  const rowAfter = (samples: number) => samples >= n0 ? Math.floor((samples - n0) / gbs) + 1 : 0;
  const warmupSamples = scheduler.lrWarmupSteps;
  const warmupRows = warmupSamples > 0 ? rowAfter(warmupSamples) : 0;
  const decayRows = rowAfter(scheduler.lrDecaySteps);
  const style = scheduler.lrDecayStyle;
  const marks: ViewMark[] = [];
  if (warmupRows > 0 && warmupRows < rows) marks.push({ iteration: warmupRows, what: "warmup" });
  if (style === "WSD" && scheduler.wsdDecaySteps !== null) {
    const anneal = rowAfter(scheduler.lrDecaySteps - scheduler.wsdDecaySteps);
    if (anneal > 0 && anneal < rows) marks.push({ iteration: anneal, what: "anneal" });
  }
  if (style !== "constant" && decayRows > 0 && decayRows < rows) {
    marks.push({ iteration: decayRows, what: "min_lr" });
  }
  const explain = () =>
    explainMegatron(args, scheduler, rows, ignored, {
      first: start + 1,
      n0,
      resumed: resume && `${resume.path}: resumed at iteration ${grouped(start)}`,
      fresh: () => {
        const paramGroups = groups.map((g) => ({ ...g }));
        const s = getOptimizerParamScheduler(args, { paramGroups });
        load(s);
        return {
          lr: () => paramGroups[0]!.lr,
          step: () => {
            try {
              s.step(gbs);
            } catch (error) {
              throw placeStepError(error);
            }
          },
        };
      },
    });
  const summary = explain().split("\n")[0]!;
  if (style !== "constant" && decayRows > 0 && decayRows < rows) {
    notes.push(
      `${path}: decay ends at iteration ${grouped(start + decayRows)} of ${
        grouped(args.trainIters)
      } (--lr-decay-${args.trainSamples ? "samples" : "iters"}): the last ${
        grouped(rows - decayRows)
      } iterations train at min_lr ${formatLr(scheduler.minLr)}`,
    );
  }
  if (runs.error && runs.error.iteration < rows) {
    notes.push(
      `the scheduler raises at iteration ${
        grouped(start + runs.error.iteration + 1)
      }, as Megatron's does: ${runs.error.message}`,
    );
  }
  return {
    ...runs,
    args,
    groups,
    family: "megatron",
    path,
    label: options.label ?? (path === "--megatron-args" ? "Megatron" : fileLabel(path)),
    imagesPerIteration: gbs,
    unit: "iteration",
    indexColumn: "iteration",
    firstIndex: start + 1,
    marks,
    warmupEnd: warmupRows > 0 && warmupRows < rows ? warmupRows : 0,
    identity: JSON.stringify(["megatron", args, resume?.iteration, resume?.state]),
    summary,
    explain,
    notes: [...notes, ...runs.warnings],
  };
}

/** The schedule in words, with the traps this run falls into. */
function explainMegatron(
  args: MegatronArgs,
  s: ReturnType<typeof getOptimizerParamScheduler>,
  rows: number,
  ignored: readonly string[],
  run: {
    first: number;
    n0: number;
    resumed: string | undefined;
    fresh: () => { lr(): number; step(): void };
  },
): string {
  const gbs = args.globalBatchSize;
  const lines: string[] = [];
  const style = args.lrDecayStyle === "WSD"
    ? `WSD (annealing: ${args.lrWsdDecayStyle})`
    : args.lrDecayStyle;
  lines.push(
    `Megatron ${style}: peak ${formatLr(args.lr)}, min ${formatLr(args.minLr)}, ` +
      `${grouped(rows)} iterations of ${grouped(gbs)} samples`,
  );
  lines.push(
    `  steps count samples: iteration i's update uses the rate at ${grouped(gbs)}·(i − 1) ` +
      `samples; warmup ${grouped(s.lrWarmupSteps)}, decay ends at ${grouped(s.lrDecaySteps)} ` +
      `samples` +
      (s.wsdDecaySteps !== null ? `, annealing the last ${grouped(s.wsdDecaySteps)}` : ""),
  );
  lines.push(
    '  Megatron\'s log line "learning rate:" at iteration i is read after the step: it is the ' +
      "rate of iteration i + 1 (the next row)",
  );
  if (run.resumed !== undefined) {
    lines.push(
      `  ${run.resumed}: the scheduler's state restored (${grouped(run.n0)} samples stepped; ` +
        `peak ${formatLr(s.maxLr)}, min ${formatLr(s.minLr)}, ${s.lrDecayStyle}), rows ` +
        `${grouped(run.first)}…${grouped(args.trainIters)}`,
    );
  }
  // Traps.
  const w = s.lrWarmupSteps;
  const warmRow = w >= run.n0 ? Math.floor((w - run.n0) / gbs) + 1 : 0;
  if (w > 0 && w % gbs !== 0 && warmRow > 0) {
    lines.push(
      `  trap: the warmup is ${grouped(w)} samples = ${formatLr(w / gbs)} iterations, not a ` +
        `whole number (--lr-warmup-fraction ${args.lrWarmupFraction ?? ""} of the decay ` +
        `samples): the peak is never hit exactly; iteration ${
          grouped(run.first + warmRow)
        } is the first after warmup`,
    );
  }
  const decayRow = s.lrDecaySteps >= run.n0 ? Math.floor((s.lrDecaySteps - run.n0) / gbs) + 1 : 0;
  const decayIter = run.first - 1 + decayRow;
  if (s.lrDecayStyle !== "constant" && decayRow > 0 && decayRow < rows) {
    lines.push(
      `  trap: decay ends before training does: from iteration ${grouped(decayIter + 1)} ` +
        `on, ${grouped(rows - decayRow)} iterations train at min_lr ${formatLr(s.minLr)}` +
        (args.lrDecayStyle === "inverse-square-root"
          ? " (inverse-square-root drops to min_lr after --lr-decay-iters)"
          : ""),
    );
  }
  // zero-lr updates
  const sched = run.fresh();
  let zero = 0;
  const firstZero: number[] = [];
  const limit = Math.min(rows, 5_000_000);
  let raises: string | undefined;
  for (let r = 1; r <= limit; r++) {
    if (sched.lr() === 0) {
      zero++;
      if (firstZero.length < 3) firstZero.push(run.first - 1 + r);
    }
    if (r === limit) break;
    try {
      sched.step();
    } catch (error) {
      // Megatron raises there too (a checkpoint's decay style it cannot step): the curve stops.
      raises = `  the scheduler raises at iteration ${grouped(run.first + r)}, as ` +
        `Megatron's does: ${error instanceof Error ? error.message : String(error)}`;
      break;
    }
  }
  if (raises !== undefined) lines.push(raises);
  if (zero > 0) {
    lines.push(
      `  trap: ${grouped(zero)} update(s) at lr 0 (iteration ${firstZero.join(", ")}${
        zero > 3 ? ", …" : ""
      })` + (firstZero[0] === 1 ? ": --lr-warmup-init 0 makes the first update a no-op" : ""),
    );
  }
  if (args.decoupledLr !== null) {
    lines.push(
      `  embedding and output layer: peak ${formatLr(args.decoupledLr)}, min ` +
        `${formatLr(args.decoupledMinLr ?? args.minLr)} (--decoupled-lr), same shape`,
    );
  }
  if (args.startWeightDecay !== args.endWeightDecay) {
    lines.push(
      `  weight decay: ${formatLr(args.startWeightDecay)} → ${formatLr(args.endWeightDecay)} ` +
        `(${args.weightDecayIncrStyle}) over ${grouped(rows)} iterations; biases and norms 0`,
    );
  }
  if (ignored.length > 0) {
    lines.push(
      `  not read (no effect on the schedule): ${ignored.slice(0, 12).join(" ")}${
        ignored.length > 12 ? " …" : ""
      }`,
    );
  }
  return lines.join("\n");
}

/** A checkpoint's iteration and scheduler state, read from its JSON. */
interface Checkpoint {
  /** The file. */
  readonly path: string;
  /** The file, with the line of each key. */
  readonly file: SettingsFile;
  /** `opt_param_scheduler`, or an old checkpoint's `lr_scheduler`. */
  readonly section: string;
  /** The iteration it was saved after (`iteration`, or an old one's `total_iters`). */
  readonly iteration: number;
  /** The scheduler's state, keys camelCased (`max_lr` → `maxLr`). */
  readonly state: StateDict;
  /** The state's keys as written, by their camelCase name. */
  readonly keys: ReadonlyMap<string, string>;
  /** The checkpoint arguments' `consumed_train_samples`, when the file holds it. */
  readonly consumed: number | undefined;
}

/** What to say about a binary file given as a checkpoint. */
const CHECKPOINT_HINT = "a Megatron checkpoint (model_optim_rng.pt) is a torch.save file; " +
  'write what the schedule needs as JSON: python -c "import json, sys, torch; ' +
  "sd = torch.load(sys.argv[1], map_location='cpu', weights_only=False); " +
  "print(json.dumps({'iteration': sd['iteration'], " +
  "'consumed_train_samples': sd['args'].consumed_train_samples, " +
  "'opt_param_scheduler': sd['opt_param_scheduler']}))\" model_optim_rng.pt > checkpoint.json";

/**
 * Reads a checkpoint's JSON as Megatron's `load_checkpoint` reads the checkpoint: `iteration`
 * (or `total_iters`), and the scheduler's state from `lr_scheduler` if present, else
 * `opt_param_scheduler`. With `--finetune` Megatron loads neither: undefined, and a note.
 */
function readCheckpoint(
  checkpoint: { path: string; contents: Uint8Array | string },
  args: MegatronArgs,
  ignored: readonly string[],
  notes: string[],
): Checkpoint | undefined {
  const { path } = checkpoint;
  const file = readSettings(
    path,
    textOf(path, checkpoint.contents, CHECKPOINT_HINT),
    "json",
    "a Megatron checkpoint's iteration and opt_param_scheduler",
    2,
  );
  if (ignored.includes("--finetune")) {
    notes.push(
      `${path}: not loaded: with --finetune Megatron starts at iteration 0 with a fresh ` +
        `schedule (load_checkpoint)`,
    );
    return undefined;
  }
  const fail = (kind: typeof TypeError, key: string, message: string): never => {
    throw placed(new kind(`${file.where(key)}: ${message}`), placeIn(file, key));
  };
  const v = file.value;
  const section = "lr_scheduler" in v ? "lr_scheduler" : "opt_param_scheduler";
  const sd = v[section];
  if (typeof sd !== "object" || sd === null || Array.isArray(sd)) {
    fail(
      TypeError,
      section,
      sd === undefined
        ? `no "opt_param_scheduler": the scheduler's state_dict, which load_checkpoint loads`
        : `${section} must be a mapping (the scheduler's state_dict): got ${JSON.stringify(sd)}`,
    );
  }
  const iterationKey = "iteration" in v || !("total_iters" in v) ? "iteration" : "total_iters";
  const iteration = v[iterationKey];
  if (typeof iteration !== "number" || !Number.isSafeInteger(iteration) || iteration < 0) {
    fail(
      TypeError,
      iterationKey,
      iteration === undefined
        ? `no "iteration": the iteration the checkpoint was saved after`
        : `${iterationKey} must be a whole number >= 0: got ${JSON.stringify(iteration)}`,
    );
  }
  if ((iteration as number) >= args.trainIters) {
    fail(
      RangeError,
      iterationKey,
      `${iterationKey} ${iteration}: training ends at iteration ${args.trainIters} ` +
        `(--train-iters): no iteration left to show`,
    );
  }
  const state: StateDict = {};
  const keys = new Map<string, string>();
  for (const [key, value] of Object.entries(sd as Record<string, unknown>)) {
    const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    state[camel] = value;
    keys.set(camel, key);
  }
  const consumedKey = "consumed_train_samples";
  const consumed = v[consumedKey] ??
    (v.args as Record<string, unknown> | undefined)?.[consumedKey];
  if (consumed !== undefined && (typeof consumed !== "number" || !Number.isFinite(consumed))) {
    fail(
      TypeError,
      consumedKey,
      `${consumedKey} must be a number: got ${JSON.stringify(consumed)}`,
    );
  }
  return {
    path,
    file,
    section,
    iteration: iteration as number,
    state,
    keys,
    consumed: consumed as number | undefined,
  };
}

/**
 * An error of `load_state_dict`, placed from its data: a checkpoint's key (`state.maxLr` →
 * `opt_param_scheduler.max_lr`, at its line), with the argument it disagrees with (the flag as
 * written, where) for Megatron's `_check_and_set` assertion; an error of a value the checkpoint
 * set (a decay style Megatron cannot step) at that key; the rest at the flag.
 */
function checkpointError(
  error: unknown,
  checkpoint: Checkpoint,
  args: MegatronArgs,
  atFlag: (error: unknown) => unknown,
  source: {
    text: string;
    options: MegatronViewOptions;
    written: Readonly<Record<string, WrittenOption>>;
  },
): unknown {
  if (!(error instanceof Error) || placeOf(error) !== undefined) return error;
  const problem = optionProblem(error);
  if (problem === undefined) return atFlag(error);
  const { file, section, keys } = checkpoint;
  const cause = error.cause as { schedulerOption?: string; schedulerValue?: unknown };
  // The state's key the error is about: named (`state.startLr`), or the key that set the
  // scheduler's option when the checkpoint's value was taken (`lrDecayStyle` ← `lr_decay_style`).
  let camel = problem.option.startsWith("state.") ? problem.option.slice(6) : undefined;
  if (camel === undefined && !args.overrideOptParamScheduler) {
    camel = [...keys.keys()].find((k) => STATE_KEY_OPTION[k] === problem.option);
  }
  if (camel === undefined) {
    // WSD's own values are not in a state dict: the checkpoint's style asked for them.
    const style = [...keys.keys()].find((k) => STATE_KEY_OPTION[k] === "lrDecayStyle");
    const placedError = atFlag(error);
    if (
      style === undefined || args.overrideOptParamScheduler ||
      !["wsdDecaySteps", "lrWsdDecayStyle"].includes(problem.option) ||
      !(placedError instanceof Error)
    ) {
      return placedError;
    }
    const at = `${section}.${keys.get(style)}`;
    return placed(
      sameKind(
        error,
        `${placedError.message}, which the checkpoint's ${file.where(at)}: ${at} ` +
          `${JSON.stringify(checkpoint.state[style])} needs`,
      ),
      placeOf(placedError) ?? placeIn(file, at),
    );
  }
  const key = `${section}.${
    keys.get(camel) ?? camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
  }`;
  let message = `${file.where(key)}: ${keyMessage(error, problem, key)}`;
  const option = cause.schedulerOption;
  if (option !== undefined) {
    const dest = schedulerOptionDest(option, args);
    const given = dest === undefined ? undefined : source.written[dest];
    const flag = given?.flag ?? (dest === undefined ? undefined : destFlag(dest));
    const { text, options } = source;
    const where = given?.offset != null && (options.lines ?? true)
      ? `${options.path}:${lineAt(text, given.offset)}: `
      : `${options.path}: `;
    const value = dest === undefined ? undefined : args[dest];
    const samples = value !== cause.schedulerValue
      ? ` (${JSON.stringify(cause.schedulerValue)} as the scheduler counts it)`
      : "";
    message += flag === undefined
      ? ""
      : `; the arguments: ${where}${flag} ${JSON.stringify(value)}${samples}` +
        (given === undefined ? " (the default)" : "");
    message += "; give --use-checkpoint-opt_param-scheduler to take the checkpoint's values, " +
      "or --override-opt_param-scheduler to keep the arguments'";
  }
  return placed(sameKind(error, message), placeIn(file, key));
}
