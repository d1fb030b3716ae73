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
import { type MegatronArgs, parseMegatronArgs } from "../schedules/megatron/training/arguments.ts";
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
import { fileLabel } from "./settings.ts";
import { destFlag, schedulerOptionDest } from "../schedules/megatron/training/flags.ts";
import { lineAt } from "../schedules/megatron/training/shell.ts";

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
  let parsed;
  try {
    parsed = parseMegatronArgs(text, { worldSize: options.worldSize ?? 1 });
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const problem = optionProblem(error);
    const option = problem?.option;
    const flag = option !== undefined && option.startsWith("--") ? option : undefined;
    throw argumentError(error, text, options, flag, offsetOf(error), problem);
  }
  const { args, ignored, written } = parsed;
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
  const gbs = args.globalBatchSize;
  const rows = args.trainIters;
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
      let iteration = 1;
      return {
        values(out) {
          let k = 0;
          out[k++] = paramGroups[0]!.lr;
          if (decoupled >= 0) out[k++] = paramGroups[decoupled]!.lr;
          if (wdChanges) out[k++] = paramGroups[0]!.weightDecay ?? NaN;
        },
        step() {
          if (!skipped.has(iteration)) s.step(gbs);
          iteration++;
        },
      };
    },
  });
  // Where things happen, in iterations (row r is iteration r + 1, at numSteps = r · gbs).
  const warmupSamples = scheduler.lrWarmupSteps;
  const warmupRows = warmupSamples > 0 ? Math.floor(warmupSamples / gbs) + 1 : 0;
  const decayRows = Math.floor(scheduler.lrDecaySteps / gbs) + 1;
  const marks: ViewMark[] = [];
  if (warmupRows > 0 && warmupRows < rows) marks.push({ iteration: warmupRows, what: "warmup" });
  if (args.lrDecayStyle === "WSD" && scheduler.wsdDecaySteps !== null) {
    const anneal = Math.floor((scheduler.lrDecaySteps - scheduler.wsdDecaySteps) / gbs) + 1;
    if (anneal > 0 && anneal < rows) marks.push({ iteration: anneal, what: "anneal" });
  }
  if (args.lrDecayStyle !== "constant" && decayRows < rows) {
    marks.push({ iteration: decayRows, what: "min_lr" });
  }
  const notes: string[] = [];
  const explain = () => explainMegatron(args, scheduler, rows, ignored);
  const summary = explain().split("\n")[0]!;
  if (args.lrDecayStyle !== "constant" && decayRows < rows) {
    notes.push(
      `${path}: decay ends at iteration ${grouped(decayRows)} of ${grouped(rows)} ` +
        `(--lr-decay-${args.trainSamples ? "samples" : "iters"}): the last ${
          grouped(rows - decayRows)
        } iterations train at min_lr ${formatLr(args.minLr)}`,
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
    firstIndex: 1,
    marks,
    warmupEnd: warmupRows > 0 && warmupRows < rows ? warmupRows : 0,
    identity: JSON.stringify(["megatron", args]),
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
  // Traps.
  const w = s.lrWarmupSteps;
  if (w > 0 && w % gbs !== 0) {
    lines.push(
      `  trap: the warmup is ${grouped(w)} samples = ${formatLr(w / gbs)} iterations, not a ` +
        `whole number (--lr-warmup-fraction ${args.lrWarmupFraction ?? ""} of the decay ` +
        `samples): the peak is never hit exactly; iteration ${
          grouped(Math.floor(w / gbs) + 2)
        } is the first after warmup`,
    );
  }
  const decayIter = Math.floor(s.lrDecaySteps / gbs) + 1;
  if (args.lrDecayStyle !== "constant" && decayIter < rows) {
    lines.push(
      `  trap: decay ends before training does: from iteration ${grouped(decayIter + 1)} ` +
        `on, ${grouped(rows - decayIter)} iterations train at min_lr ${formatLr(args.minLr)}` +
        (args.lrDecayStyle === "inverse-square-root"
          ? " (inverse-square-root drops to min_lr after --lr-decay-iters)"
          : ""),
    );
  }
  // zero-lr updates
  const groups = megatronParamGroups(args).map((g) => ({ ...g }));
  const sched = getOptimizerParamScheduler(args, { paramGroups: groups });
  let zero = 0;
  const firstZero: number[] = [];
  const limit = Math.min(rows, 5_000_000);
  for (let i = 1; i <= limit; i++) {
    if (groups[0]!.lr === 0) {
      zero++;
      if (firstZero.length < 3) firstZero.push(i);
    }
    if (i < limit) sched.step(gbs);
  }
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
