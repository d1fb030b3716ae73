/**
 * Schedule *sources*: where a learning-rate schedule comes from, apart from what the commands do
 * with it.
 *
 * Every command that reads schedules (`curve`, `plot`, `explain`, `diff`, `accumulate`) opens
 * one or more {@linkcode ScheduleSource}s and then works only through this interface:
 *
 * | member | used by | what it is |
 * | --- | --- | --- |
 * | `columns`, `rows` | curve, diff, plot | the CSV columns (`lr`, `lr_bias`, …) and iterations `0 … rows − 1` |
 * | `runs(from, to)` | curve, diff, plot | the values as runs ({@linkcode CurveRun}): a constant run is formatted, compared and drawn once; a computed one is filled a chunk at a time (`monotone` runs are drawn from their ends) |
 * | `error` | curve, diff, plot | the first iteration that raises, known before the first row is written (the CSV header depends on it) |
 * | `marks`, `warmupEnd` | plot | what to mark on a chart; the warmup, for the inset |
 * | `label`, `imagesPerIteration` | plot | the legend entry; the x scale of `--x images` |
 * | `unit`, `indexColumn`, `firstIndex` | curve, diff, plot, explain | what a row is (an iteration, an optimizer step, an epoch), the CSV's first column, and the number row 0 is shown as |
 * | `identity` | plot | equal for two sources whose curves are provably the same ("identical to …") |
 * | `summary`, `explain()` | explain, diff, plot | the schedule in words |
 * | `notes`, `warnings` | all | what to say on stderr |
 *
 * Opening a source validates everything the curve depends on, once, for every command alike:
 * an error names the file, the config key and the line (`my.yaml:2: SOLVER.BASE_LR: …`).
 *
 * ## Adding a family
 *
 * One adapter file, `cli/<family>.ts` (as {@linkcode openDetectron2Source} in `cli/detectron2.ts`):
 *
 * 1. read the family's file(s) and options, and build its scheduler with the library's public
 *    API;
 * 2. produce a {@linkcode CurveRuns}: from the family's fast path when it has change points
 *    (`ScheduleCursor.runAt` for a `ParamScheduler`, as `lrCurveRuns` does), otherwise with the
 *    per-step fallback `steppedRuns({ columns, rows, start })` — a function that makes a fresh
 *    stepper (`values(out)`, `step()`) is all it needs;
 * 3. add what a chart and `explain` say (`marks`, `summary`, `explain`), and an `identity`;
 * 4. open it in `cli/main.ts` where `openConfigs` opens detectron2 configs today, behind the
 *    family's flag (`--hf training_args.json --dataset-size N`), its options added to the
 *    commands' `parseArgs` options and to their `HELP` text.
 *
 * `cli/hf.ts` (the Trainer's optimizer steps, per-step fallback) and `cli/timm.ts` (epochs or
 * updates, from the curve the library computes) are the other two families.
 *
 * @module
 */

import type { CurveRun, CurveRuns } from "../curve/runs.ts";

export type { CurveRun, CurveRuns };

/** A vertical marker of a chart (warmup end, a step). */
export interface SourceMark {
  /** The iteration. */
  iteration: number;
  /** What happens there, without the iteration (`warmup`, `×0.1`). */
  what: string;
}

/** A learning-rate schedule as the commands see it, whatever family it comes from. */
export interface ScheduleSource extends CurveRuns {
  /** The file it was read from, as given (messages). */
  readonly path: string;
  /** The legend entry (`faster_rcnn_R_50_FPN_1x on 16 workers`). */
  readonly label: string;
  /** Images (or samples) per iteration, for `--x images`; undefined when unknown. */
  readonly imagesPerIteration: number | undefined;
  /**
   * What a row is, in words (`iteration`, `step`, `epoch`, `update`): charts' x axis and
   * messages.
   */
  readonly unit: string;
  /** The CSV's first column (`iter`, `step`, `epoch`, `update`). */
  readonly indexColumn: string;
  /**
   * The number row 0 is shown as: 0 for detectron2's iterations and timm's epochs, 1 for the
   * Trainer's `global_step` (row `k` is optimizer step `k + 1`, as the Trainer logs it).
   */
  readonly firstIndex: number;
  /** The warmup end and the steps (rows, not shown numbers). */
  readonly marks: readonly SourceMark[];
  /** The first row after warmup (0 without warmup): the number of warmup rows. */
  readonly warmupEnd: number;
  /** Equal for two sources whose curves are provably identical. */
  readonly identity: string;
  /** The schedule in one line. */
  readonly summary: string;
  /** The schedule in words, in full. */
  explain(): string;
  /** Notes for stderr (detectron2's warnings, rescaling notes). */
  readonly notes: readonly string[];
}
