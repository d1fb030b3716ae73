/**
 * A schedule *view*: everything the CLI and the playground ask of a schedule, built once by its
 * family from the family's input (a config or a settings file and its options), so that no front
 * end adapts a family twice.
 *
 * | member | used by | what it is |
 * | --- | --- | --- |
 * | `columns`, `rows`, `runs(from, to)`, `error` | curve, diff, plot, the page's chart and Export CSV | the curve as runs (`curve/runs.ts`): one column per parameter group with its own rate (`lr`, `lr_bias`), rows `0 … rows − 1`, the first raising row |
 * | `unit`, `indexColumn`, `firstIndex` | every command, the page's axis and CSV | what a row is (`iteration`, `step`, `epoch`, `update`), the CSV's first column, the number row 0 is written as (1 for the Trainer's `global_step`) |
 * | `rowsPerEpoch` | curve, the page's CSV | when set, an `epoch` column after the first: row `r` is in epoch ⌊r / rowsPerEpoch⌋ (mmengine's `EpochBasedTrainLoop`) |
 * | `marks`, `warmupEnd` | plot, the page's chart | warmup end, steps, decays (rows); the warmup for the inset |
 * | `label`, `imagesPerIteration` | plot, the page's legend | the legend entry; the x scale of `--x images` |
 * | `identity` | plot | equal for two views whose curves are provably the same |
 * | `summary`, `explain()` | explain, diff, plot, the page's Explain panel | the schedule in words |
 * | `notes` | every command (stderr), the page's notes | what the family warns about |
 *
 * A family's view module (`views/<family>.ts`) exports one function that builds its view from
 * text or a config in memory — no file system, so the page runs it too. Errors it throws carry
 * where they are (the file, the line, the key as the user wrote it) as data: {@linkcode placeOf}.
 *
 * @module
 */

import type { CurveRuns } from "../curve/runs.ts";
import { type OptionProblem, optionProblem } from "../schedules/errors.ts";
import { sameName } from "../schedules/names.ts";

export type { CurveRuns, OptionProblem };
export { optionProblem };

/** A vertical marker of a chart (warmup end, a step). */
export interface ViewMark {
  /** The row (not the shown number: row 0 is `firstIndex`). */
  iteration: number;
  /** What happens there, without the row (`warmup`, `×0.1`, `decay`). */
  what: string;
}

/** A learning-rate schedule as the CLI and the page see it, whatever family it comes from. */
export interface ScheduleView extends CurveRuns {
  /** The family that built it (`detectron2`, `hf`, `timm`, `torch`, …). */
  readonly family: string;
  /** The file (or the page's form) it was read from, as given: messages name it. */
  readonly path: string;
  /** The legend entry (`faster_rcnn_R_50_FPN_1x on 16 workers`). */
  readonly label: string;
  /** Images (or examples) per row, for `--x images`; undefined when unknown. */
  readonly imagesPerIteration: number | undefined;
  /** What a row is, in words (`iteration`, `step`, `epoch`, `update`): axes and messages. */
  readonly unit: string;
  /** The CSV's first column (`iter`, `step`, `epoch`, `update`). */
  readonly indexColumn: string;
  /** The number row 0 is written as (0, or 1 for the Trainer's `global_step`). */
  readonly firstIndex: number;
  /**
   * Rows per epoch, where rows are iterations in epochs: the CSV then has an `epoch` column after
   * the first (row `r` is in epoch ⌊r / rowsPerEpoch⌋, counted from 0). Undefined: no such column.
   */
  readonly rowsPerEpoch?: number;
  /** The warmup end and the steps (rows). */
  readonly marks: readonly ViewMark[];
  /** The first row after warmup (0 without warmup). */
  readonly warmupEnd: number;
  /** Equal for two views whose curves are provably identical. */
  readonly identity: string;
  /** The schedule in one line. */
  readonly summary: string;
  /** The schedule in words, in full (computed when first asked). */
  explain(): string;
  /** Notes for the user (upstream's warnings, rescaling notes, traps in the file). */
  readonly notes: readonly string[];
}

/** Where an error is: the file, the line when known, the key as the user wrote it. */
export interface ErrorPlace {
  /** The file (or the page's field) the value came from. */
  file: string;
  /** The line of the key's value in that file. */
  line?: number;
  /** The key as the user wrote it (`SOLVER.BASE_LR`, `lr_scheduler_kwargs.min_lr`, `epochs`). */
  key?: string;
}

const PLACE = Symbol.for("lrspec.place");

/**
 * Attaches where an error is to it, as data (front ends map it to a field or a `file:line`
 * without reading the message).
 *
 * @param error The error.
 * @param place Where it is.
 * @returns The same error.
 */
export function placed<E extends Error>(error: E, place: ErrorPlace): E {
  Object.defineProperty(error, PLACE, { value: place, enumerable: false, configurable: true });
  return error;
}

/**
 * Where an error a view threw is, if it says.
 *
 * @param error What was thrown.
 * @returns The file, line and key; undefined when unknown.
 */
export function placeOf(error: unknown): ErrorPlace | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  return (error as { [PLACE]?: ErrorPlace })[PLACE];
}

/**
 * An error of the same class as `error` (`TypeError`, `RangeError`, `SyntaxError`, or `Error`),
 * with another message: the class survives a minifier, where `error.constructor.name` does not.
 *
 * @param error The original.
 * @param message The new message.
 * @returns The new error, with the original as its `cause`.
 */
export function sameKind(error: Error, message: string): Error {
  const make = error instanceof TypeError
    ? TypeError
    : error instanceof RangeError
    ? RangeError
    : error instanceof SyntaxError
    ? SyntaxError
    : Error;
  return new make(message, { cause: error });
}

/** Options of {@linkcode curveView}. */
export interface CurveViewOptions {
  /** The family (`torch`). */
  family: string;
  /** Where it came from (a file, or the page's form: `torch.optim.lr_scheduler.StepLR`). */
  path: string;
  /**
   * The legend entry.
   * @default {path}
   */
  label?: string;
  /** What a row is (`step`, `epoch`, `iteration`). */
  unit: string;
  /**
   * The CSV's first column.
   * @default {unit, or `iter` for iterations}
   */
  indexColumn?: string;
  /**
   * The number row 0 is written as.
   * @default {0}
   */
  firstIndex?: number;
  /**
   * Marks on a chart.
   * @default {[]}
   */
  marks?: readonly ViewMark[];
  /**
   * The first row after warmup.
   * @default {0}
   */
  warmupEnd?: number;
  /**
   * Images (examples) per row.
   * @default {undefined}
   */
  imagesPerIteration?: number;
  /**
   * The schedule in words (its first line is the summary).
   * @default {""}
   */
  explain?: string | (() => string);
  /**
   * Notes.
   * @default {the curve's warnings}
   */
  notes?: readonly string[];
  /**
   * Equal for provably identical curves.
   * @default {a fresh identity (equal to no other view)}
   */
  identity?: string;
}

let fresh = 0;

/**
 * A curve (runs) with what a front end says about it, as a {@linkcode ScheduleView}: for
 * families whose schedules are driven by their protocol alone (torch's `step()`, fvcore's
 * `at(where)`, optax's `schedule(count)`), where a view is little more than its runs.
 *
 * @param runs The curve.
 * @param options Its family, numbering and words.
 * @returns The view.
 */
export function curveView(runs: CurveRuns, options: CurveViewOptions): ScheduleView {
  const text = options.explain ?? "";
  const explain = typeof text === "string" ? () => text : text;
  return {
    columns: runs.columns,
    rows: runs.rows,
    error: runs.error,
    warnings: runs.warnings,
    runs: (from, to) => runs.runs(from, to),
    ...(runs.random === undefined ? {} : { random: runs.random }),
    family: options.family,
    path: options.path,
    label: options.label ?? options.path,
    imagesPerIteration: options.imagesPerIteration,
    unit: options.unit,
    indexColumn: options.indexColumn ?? (options.unit === "iteration" ? "iter" : options.unit),
    firstIndex: options.firstIndex ?? 0,
    marks: options.marks ?? [],
    warmupEnd: options.warmupEnd ?? 0,
    identity: options.identity ?? `${options.family}#${++fresh}`,
    get summary() {
      return explain().split("\n")[0] ?? "";
    },
    explain,
    notes: options.notes ?? runs.warnings,
  };
}

/**
 * The message of a library error about an option, said about the user's key instead:
 * `` StepLR: `stepSize` must be … `` becomes `` step_size must be … `` when the option is the
 * key's own, else `` KEY: … (Owner `option`) ``. Built from the error's data
 * ({@linkcode optionProblem}), not by reading its message.
 *
 * @param error The library's error.
 * @param problem Its owner, option and value.
 * @param key The key as the user wrote it.
 * @returns The message, without the file and line.
 */
export function keyMessage(error: Error, problem: OptionProblem, key: string): string {
  const prefix = `${problem.owner}: `;
  const detail = error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
  const quoted = `\`${problem.option}\``;
  // `` `option` must be … `` or `` `option`: … ``: said about the key instead.
  const own = detail.startsWith(`${quoted}: `) ? `${quoted}:` : `${quoted} `;
  if (detail.startsWith(own)) {
    const last = (name: string) => name.replace(/^.*\./, "").replace(/\[\d+\]$/, "");
    const named = sameName(last(problem.option), last(key));
    // An element keeps its index (`lr_noise[1]` for `noiseRangeT[1]`).
    const index = /\[\d+\]$/.exec(problem.option)?.[0] ?? "";
    const shown = key.endsWith(index) ? key : key + index;
    return `${shown}${own.endsWith(":") ? ":" : ""} ${detail.slice(own.length).trimStart()}` +
      (named ? "" : ` (${problem.owner} \`${problem.option}\`)`);
  }
  return `${key}: ${detail} (${problem.owner})`;
}
