/**
 * Learning-rate curves as *runs*: maximal stretches of iterations that are evaluated one way —
 * a constant value (nothing to compute per iteration), or values computed on demand — so that
 * writing, drawing and comparing a curve of any length costs what its change points cost, in
 * constant memory.
 *
 * A {@linkcode CurveRuns} is the curve of iterations `0 … rows − 1`, whatever family it comes
 * from: {@linkcode cursorCurveRuns} makes one from a schedule whose change points a
 * `ScheduleCursor` knows (detectron2's `lrCurveRuns` for `LRMultiplier` schedules),
 * {@linkcode paramSchedulerRuns} from an fvcore `ParamScheduler`, {@linkcode steppedRuns} from
 * anything that can only be stepped, {@linkcode valuesRuns} from values already in memory (a
 * trainer's rate per step), and {@linkcode lrCurveAsRuns} from an {@linkcode LrCurve}.
 *
 * @module
 */

import { ScheduleCursor } from "../schedules/fast/cursor.ts";
import { sample } from "../schedules/fast/sample.ts";
import type { ParamSchedulerLike } from "../schedules/fvcore/param_scheduler.ts";
import type { CurveError, LrCurve } from "./curve.ts";

export type { CurveError };

/** A maximal stretch of iterations `[start, end)` of a curve, evaluated one way. */
export interface CurveRun {
  /** The first iteration. */
  readonly start: number;
  /** One past the last iteration. */
  readonly end: number;
  /** Whether every iteration of the run has the values {@linkcode CurveRun.values}. */
  readonly constant: boolean;
  /**
   * Whether each column's values are provably monotone over the run (so its minimum and maximum
   * over any stretch are at the stretch's ends). Always true for a constant run.
   */
  readonly monotone: boolean;
  /** For a constant run, the value of each column; empty otherwise. */
  readonly values: readonly number[];
  /**
   * Writes the values of column `column` for iterations `[from, to)` (within the run) into
   * `out[0 … to − from)`. Valid until the run's iterator advances.
   */
  fill(column: number, from: number, to: number, out: Float64Array): void;
}

/** A learning-rate curve over iterations `0 … rows − 1`, as runs. */
export interface CurveRuns {
  /** The column names (`lr`, `lr_bias`, …); the first is the headline learning rate. */
  readonly columns: readonly string[];
  /** The number of iterations (rows), including those that raise. */
  readonly rows: number;
  /** The first iteration that raises (it and all after it have no value), if any. */
  readonly error: CurveError | undefined;
  /** What the schedule warned while being built. */
  readonly warnings: readonly string[];
  /**
   * The runs covering `[from, min(to, error.iteration))`, in order. A source that can only be
   * stepped costs O(from) to reach `from`.
   */
  runs(from: number, to: number): Iterable<CurveRun>;
  /**
   * Whether the runs are random access: iterating `runs(from, to)` computes no value, and a
   * computed run's `fill` may be asked for any part of it, in any order, at the cost of what it
   * fills (plus, for a stepped schedule that can start at any row, one jump). Then a sampled
   * look at a curve of any length (a plot's pixels, a diff's samples) costs its samples. Absent
   * or false: values are computed as the runs are iterated, every row before the ones wanted.
   */
  readonly random?: boolean;
}

/** The largest number of values a run computes at once (a quarter of a MiB of doubles). */
export const RUN_CHUNK = 32768;

function constantRun(start: number, end: number, values: readonly number[]): CurveRun {
  return {
    start,
    end,
    constant: true,
    monotone: true,
    values,
    fill(column, from, to, out) {
      out.fill(values[column]!, 0, to - from);
    },
  };
}

/**
 * The runs over `[from, to)` of a schedule whose change points the cursor knows: a constant run
 * (with the values `constant(value)`) per constant stretch, a computed one (filled by `fill`)
 * per stretch that is computed iteration by iteration.
 */
function* cursorRuns(
  cursor: ScheduleCursor,
  from: number,
  to: number,
  constant: (value: number) => readonly number[],
  fill: CurveRun["fill"],
): Generator<CurveRun> {
  if (from >= to) return;
  let i = from;
  for (const r of cursor.runs(from, to)) {
    const end = Math.min(r.end, to);
    if (r.constant) yield constantRun(i, end, constant(r.value));
    else yield { start: i, end, constant: false, monotone: r.monotone, values: [], fill };
    i = end;
  }
}

/**
 * A {@linkcode CurveError} from an exception thrown at `iteration`: its `name` (`RangeError`; the
 * error's own `name`, which a minifier leaves alone, not its constructor's) and message.
 *
 * @param iteration The first iteration that raises.
 * @param e What was thrown.
 * @returns The curve's error.
 */
export function errorAt(iteration: number, e: unknown): CurveError {
  const err = e instanceof Error ? e : new Error(String(e));
  return { iteration, name: err.name, message: err.message };
}

/**
 * A curve of `rows` rows whose runs (`runs(from, to, limit)`, computed up to `limit`) stop at its
 * first error: the rows from the error on have no values.
 */
function stoppedAt(
  columns: readonly string[],
  rows: number,
  error: CurveError | undefined,
  warnings: readonly string[] | undefined,
  runs: (from: number, to: number, limit: number) => Iterable<CurveRun>,
  random: boolean,
): CurveRuns {
  const limit = error ? error.iteration : rows;
  return {
    columns,
    rows,
    error,
    warnings: warnings ?? [],
    runs: (from, to) => runs(from, to, limit),
    random,
  };
}

/**
 * The first raising iteration of a curve: constant runs with a non-finite value raise from
 * their start; a computed run is probed at its start and its last iteration, and bisected when
 * only the last raises.
 */
function firstError(
  runs: Iterable<CurveRun>,
  columns: number,
  errorOf: (iteration: number) => CurveError | undefined,
): CurveError | undefined {
  const one = new Float64Array(1);
  const raises = (run: CurveRun, i: number) => {
    try {
      for (let c = 0; c < columns; c++) run.fill(c, i, i + 1, one);
      return false;
    } catch {
      return true;
    }
  };
  const found = (i: number) =>
    errorOf(i) ?? { iteration: i, name: "RangeError", message: `raises at iteration ${i}` };
  for (const run of runs) {
    if (run.constant) {
      if (run.values.some((v) => v - v !== 0)) return found(run.start);
      continue;
    }
    if (raises(run, run.start)) return found(run.start);
    if (run.end - 1 > run.start && raises(run, run.end - 1)) {
      let good = run.start;
      let bad = run.end - 1;
      while (bad - good > 1) {
        const mid = good + Math.floor((bad - good) / 2);
        if (raises(run, mid)) bad = mid;
        else good = mid;
      }
      return found(bad);
    }
  }
  return undefined;
}

/** Options of {@linkcode cursorCurveRuns}. */
export interface CursorCurveRunsOptions {
  /** The cursor over the schedule's change points (its `numUpdates` iterations). */
  cursor: ScheduleCursor;
  /** The column names. */
  columns: readonly string[];
  /** The number of iterations (rows). */
  rows: number;
  /** The value of each column on a constant stretch where the schedule's value is `value`. */
  constant: (value: number) => readonly number[];
  /** Writes a column's values for iterations `[from, to)` of a computed stretch (may throw). */
  fill: CurveRun["fill"];
  /** What stepping raises at `iteration` (undefined: nothing, or unknown). */
  errorAt: (iteration: number) => CurveError | undefined;
  /**
   * What the schedule warned while being built.
   * @default {[]}
   */
  warnings?: readonly string[];
}

/**
 * The curve of a schedule whose change points a {@linkcode ScheduleCursor} knows, as runs: a
 * constant run per constant stretch (nothing computed per iteration), a computed run (`fill`)
 * per stretch the schedule computes iteration by iteration. The first raising iteration is found
 * when the curve is made, by probing the ends of each computed run.
 *
 * Every family with a plan (`schedules/fast/plan.ts`) makes its curve this way: fvcore's
 * `ParamScheduler`s ({@linkcode paramSchedulerRuns}), detectron2's `LRMultiplier`.
 *
 * @param options The cursor, the columns and rows, how to fill a computed stretch.
 * @returns The curve's runs.
 */
export function cursorCurveRuns(options: CursorCurveRunsOptions): CurveRuns {
  const { cursor, columns, rows, constant, fill } = options;
  const runs = (from: number, to: number, limit: number) =>
    cursorRuns(cursor, from, Math.min(to, limit), constant, fill);
  const error = firstError(runs(0, rows, rows), columns.length, options.errorAt);
  return stoppedAt(columns, rows, error, options.warnings, runs, true);
}

/** Options of {@linkcode paramSchedulerRuns}. */
export interface ParamSchedulerRunsOptions {
  /** The number of iterations that `where ∈ [0, 1]` spans: row `i` is `at(i / numUpdates)`. */
  numUpdates: number;
  /**
   * The number of rows: the default covers `where = 0, 1/n, …, (n−1)/n`, as `sample` does;
   * `numUpdates + 1` adds `where = 1`.
   * @default {numUpdates}
   */
  rows?: number;
  /**
   * A factor every value is multiplied by (`scale · value`, as `sample`'s `scale`); the values
   * themselves when omitted.
   * @default {undefined}
   */
  scale?: number;
  /**
   * The column's name.
   * @default {"value"}
   */
  column?: string;
}

/**
 * The curve of an fvcore-style scheduler (anything with `at(where)`) as runs: row `i` is
 * `scale · scheduler.at(i / numUpdates)`, bit for bit as {@linkcode sample} writes it — constant
 * stretches from `ScheduleCursor.runAt`, the rest filled by `sample`.
 *
 * @param scheduler The scheduler.
 * @param options The iterations `where` spans, the rows, a scale.
 * @returns The curve's runs; the first iteration where `at` throws, if any, is its `error`.
 * @throws {RangeError | TypeError} If an option is invalid (as `ScheduleCursor` and `sample`).
 *
 * @example A step schedule in three runs
 * ```ts
 * import { MultiStepParamScheduler, paramSchedulerRuns } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new MultiStepParamScheduler({ values: [1, 0.1, 0.01], milestones: [30, 80], numUpdates: 90 });
 * const curve = paramSchedulerRuns(s, { numUpdates: 90, scale: 0.02 });
 * const runs = [...curve.runs(0, curve.rows)].map((r) => [r.start, r.end, r.values[0]]);
 * assert.deepEqual(runs, [[0, 30, 0.02], [30, 80, 0.002], [80, 90, 0.0002]]);
 * ```
 */
export function paramSchedulerRuns(
  scheduler: ParamSchedulerLike,
  options: ParamSchedulerRunsOptions,
): CurveRuns {
  const { numUpdates, scale } = options;
  const cursor = new ScheduleCursor(scheduler, { numUpdates });
  const rows = options.rows ?? numUpdates;
  if (!Number.isSafeInteger(rows) || rows < 1) {
    throw new RangeError(
      `paramSchedulerRuns: \`rows\` must be a positive safe integer: got ${rows}`,
    );
  }
  if (scale !== undefined) sample(scheduler, { numUpdates, from: 0, to: 0, scale }); // validates
  const scaled = scale === undefined ? {} : { scale };
  return cursorCurveRuns({
    cursor,
    columns: [options.column ?? "value"],
    rows,
    constant: (v) => [scale === undefined ? v : scale * v],
    fill: (_c, a, b, out) => void sample(scheduler, { numUpdates, from: a, to: b, out, ...scaled }),
    errorAt: (iteration) => {
      try {
        scheduler.at(iteration / numUpdates);
      } catch (e) {
        return errorAt(iteration, e);
      }
      return undefined;
    },
  });
}

/** A scheduler that can only be stepped, for {@linkcode steppedRuns}. */
export interface Stepper {
  /** Writes the current iteration's value of each column into `out`. */
  values(out: number[]): void;
  /** Advances one iteration; throws where the schedule raises. */
  step(): void;
}

/** Options of {@linkcode steppedRuns}. */
export interface SteppedRunsOptions {
  /** The column names. */
  columns: readonly string[];
  /** The number of iterations. */
  rows: number;
  /** Makes a fresh stepper at iteration 0 (called once per pass). */
  start: () => Stepper;
  /**
   * Makes a stepper at iteration `row` directly (a scheduler with random access, such as
   * DeepSpeed's `step(batch_iteration)`), so that `runs(from, to)` costs nothing to reach
   * `from`, and the curve is random access ({@linkcode CurveRuns.random}): its runs compute
   * values where they are read. Without it a pass steps from iteration 0.
   * @default {undefined}
   */
  startAt?: (row: number) => Stepper;
  /**
   * Whether stepping can raise. `false` (the schedule validates everything at construction and
   * its step is arithmetic only) skips the pass that finds the first raising iteration, so the
   * curve is made in O(1); a throw in a later pass then propagates (a bug, not a user error).
   * @default {true}
   */
  raises?: boolean;
  /**
   * With `startAt`: find the first raising row by probing instead of a pass over every row. These
   * rows (where the schedule's formula changes: the warmup's end, the decay's start) cut the
   * curve into pieces, each started at its first and last row and bisected when only the last
   * raises — exact when, within a piece, the rows that raise are a prefix or a suffix of it (a
   * division by zero at the last step, a domain error up to some step), as for the ends of a
   * cursor's computed runs. O(pieces · log rows) starts instead of O(rows) steps.
   * @default {undefined}
   */
  probeAt?: readonly number[];
  /**
   * What the schedule warned.
   * @default {[]}
   */
  warnings?: readonly string[];
}

/**
 * The per-step fallback: a curve of a schedule with no change points to offer, computed by
 * stepping it, {@linkcode RUN_CHUNK} iterations per run (non-constant, not known monotone). The
 * first raising iteration is found by one pass when the curve is made (O(rows) time, O(1)
 * memory; none with `raises: false`; probed with `probeAt`); every `runs(from, to)` steps again
 * from iteration 0 — or, with `startAt`, computes nothing until a run is read, and then starts a
 * stepper where it is read (random access).
 *
 * @param options Columns, rows, how to start a stepper.
 * @returns The curve's runs.
 *
 * @example
 * ```ts
 * import { steppedRuns } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const curve = steppedRuns({
 *   columns: ["lr"],
 *   rows: 4,
 *   start: () => {
 *     let lr = 1;
 *     return { values: (out) => (out[0] = lr), step: () => void (lr /= 2) };
 *   },
 * });
 * const out = new Float64Array(4);
 * for (const run of curve.runs(0, 4)) run.fill(0, run.start, run.end, out.subarray(run.start));
 * assert.deepEqual([...out], [1, 0.5, 0.25, 0.125]);
 * ```
 */
export function steppedRuns(options: SteppedRunsOptions): CurveRuns {
  const { columns, rows, start, startAt } = options;
  const width = columns.length;
  function* runs(from: number, to: number, limit: number): Generator<CurveRun> {
    to = Math.min(to, limit);
    if (from >= to) return;
    const stepper = start();
    const row: number[] = new Array(width).fill(NaN);
    for (let i = 0; i < from; i++) stepper.step();
    const buffers = columns.map(() => new Float64Array(Math.min(RUN_CHUNK, to - from)));
    for (let i = from; i < to;) {
      const end = Math.min(to, i + RUN_CHUNK);
      for (let k = 0; i + k < end; k++) {
        if (i + k > from) stepper.step();
        stepper.values(row);
        for (let c = 0; c < width; c++) buffers[c]![k] = row[c]!;
      }
      const base = i;
      yield {
        start: base,
        end,
        constant: false,
        monotone: false,
        values: [],
        fill(column, a, b, out) {
          out.set(buffers[column]!.subarray(a - base, b - base));
        },
      };
      i = end;
    }
  }
  let error: CurveError | undefined;
  const probe = options.probeAt;
  if (startAt && probe !== undefined) {
    error = probedError(rows, probe, startAt);
  } else if (options.raises !== false) {
    const stepper = start();
    for (let i = 1; i < rows; i++) {
      try {
        stepper.step();
      } catch (e) {
        error = errorAt(i, e);
        break;
      }
    }
  }
  if (startAt) {
    return stoppedAt(columns, rows, error, options.warnings, (from, to, limit) => {
      return jumpingRuns(width, from, Math.min(to, limit), startAt);
    }, true);
  }
  return stoppedAt(columns, rows, error, options.warnings, runs, false);
}

/** The most steps a stepped curve takes forward to reach a row rather than start there anew. */
const MAX_STEPS_FORWARD = 64;

/**
 * The run of a stepped schedule that can start at any row, computed where it is read: one run
 * over `[from, to)`, whose `fill` steps a stepper on from where the last read stopped (reading in
 * order costs a step per row) or starts one at the row asked (a jump). Iterating it computes
 * nothing; the last block read (up to {@linkcode RUN_CHUNK} rows) is kept for the other columns.
 */
function* jumpingRuns(
  width: number,
  from: number,
  to: number,
  startAt: (row: number) => Stepper,
): Generator<CurveRun> {
  if (from >= to) return;
  let stepper: Stepper | undefined;
  let at = -1; // the row whose values the stepper holds
  const row: number[] = new Array(width).fill(NaN);
  /** Steps (or jumps) to row `i` and reads its values into `row`. */
  const seek = (i: number) => {
    if (stepper === undefined || i < at || i - at > MAX_STEPS_FORWARD) {
      stepper = startAt(i);
      at = i;
    }
    while (at < i) {
      stepper.step();
      at++;
    }
    stepper.values(row);
  };
  let blockStart = 0, blockEnd = 0; // rows [blockStart, blockEnd) in `block`
  let block: Float64Array[] = [];
  const fill: CurveRun["fill"] = (column, a, b, out) => {
    if (a >= b) return;
    if (a >= blockStart && b <= blockEnd) {
      out.set(block[column]!.subarray(a - blockStart, b - blockStart));
      return;
    }
    if (b - a > RUN_CHUNK) {
      // A long read (a whole curve at once): straight into `out`, nothing kept.
      for (let i = a; i < b; i++) (seek(i), out[i - a] = row[column]!);
      return;
    }
    if (block.length === 0 || block[0]!.length < b - a) {
      block = Array.from({ length: width }, () => new Float64Array(Math.max(b - a, 64)));
    }
    for (let i = a; i < b; i++) {
      seek(i);
      for (let c = 0; c < width; c++) block[c]![i - a] = row[c]!;
    }
    blockStart = a;
    blockEnd = b;
    out.set(block[column]!.subarray(0, b - a));
  };
  yield { start: from, end: to, constant: false, monotone: false, values: [], fill };
}

/**
 * The first raising row of a stepped schedule that can start at any row, found without a pass:
 * the rows `probeAt` (where its formula changes) cut `[0, rows)` into pieces, each started at
 * its first and its last row, and bisected when only the last raises.
 */
function probedError(
  rows: number,
  probeAt: readonly number[],
  startAt: (row: number) => Stepper,
): CurveError | undefined {
  const one: number[] = [];
  const thrown = (i: number): unknown => {
    try {
      startAt(i).values(one);
      return undefined;
    } catch (e) {
      return e ?? new Error(`raises at row ${i}`);
    }
  };
  const cuts = [...new Set([0, ...probeAt.filter((r) => r > 0 && r < rows), rows])]
    .sort((x, y) => x - y);
  for (let k = 0; k + 1 < cuts.length; k++) {
    const first = cuts[k]!, last = cuts[k + 1]! - 1;
    const e = thrown(first);
    if (e !== undefined) return errorAt(first, e);
    if (last > first && thrown(last) !== undefined) {
      let good = first, bad = last;
      while (bad - good > 1) {
        const mid = good + Math.floor((bad - good) / 2);
        if (thrown(mid) !== undefined) bad = mid;
        else good = mid;
      }
      return errorAt(bad, thrown(bad));
    }
  }
  return undefined;
}

/** Options of {@linkcode valuesRuns}. */
export interface ValuesRunsOptions {
  /**
   * The column's name.
   * @default {"lr"}
   */
  column?: string;
  /**
   * The number of rows, when more than the values: the rows past them raise (`error`).
   * @default {values.length}
   */
  rows?: number;
  /**
   * The first iteration without a value (set when `rows` exceeds the values).
   * @default {undefined}
   */
  error?: CurveError;
  /**
   * What the schedule warned.
   * @default {[]}
   */
  warnings?: readonly string[];
}

/**
 * Values already in memory (a trainer's learning rate per step, a schedule stepped once) as a
 * curve: rows `0 … values.length − 1`, equal neighbours as constant runs (a step schedule
 * costs its steps to write, draw and compare), the rest as computed runs. The one way every
 * family turns values into runs.
 *
 * @param values The values (not copied: do not change them afterwards).
 * @param options The column's name; more rows, with the error they raise.
 * @returns The curve.
 *
 * @example
 * ```ts
 * import { valuesRuns } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const curve = valuesRuns(new Float64Array([0.1, 0.1, 0.1, 0.01, 0.005]));
 * const runs = [...curve.runs(0, curve.rows)].map((r) => [r.start, r.end, r.constant]);
 * assert.deepEqual(runs, [[0, 3, true], [3, 5, false]]);
 * ```
 */
export function valuesRuns(values: Float64Array, options: ValuesRunsOptions = {}): CurveRuns {
  const rows = options.rows ?? values.length;
  const limit = Math.min(values.length, rows);
  function* runs(from: number, to: number): Generator<CurveRun> {
    to = Math.min(to, limit);
    for (let i = from; i < to;) {
      let j = i + 1;
      while (j < to && Object.is(values[j], values[i])) j++;
      const start = i;
      if (j - i >= 2) {
        yield constantRun(start, j, [values[i]!]);
      } else {
        while (j < to && !(j + 1 < to && Object.is(values[j], values[j + 1]))) j++;
        yield {
          start,
          end: j,
          constant: false,
          monotone: false,
          values: [],
          fill: (_c, a, b, out) => out.set(values.subarray(a, b)),
        };
      }
      i = j;
    }
  }
  return {
    columns: [options.column ?? "lr"],
    rows,
    error: options.error,
    warnings: options.warnings ?? [],
    runs,
    random: true,
  };
}

/**
 * An {@linkcode LrCurve} of consecutive iterations from 0 (as `lrCurve` makes by default) as
 * runs: one computed run over its values.
 *
 * @param curve The curve.
 * @returns The same values as runs.
 * @throws {RangeError} If the curve's iterations are not `0, 1, 2, …`.
 */
export function lrCurveAsRuns(curve: LrCurve): CurveRuns {
  const its = curve.iterations;
  if (its.length > 0 && (its[0] !== 0 || its[its.length - 1] !== its.length - 1)) {
    throw new RangeError(
      "lrCurveAsRuns: the curve must hold consecutive iterations from 0 (lrCurve's default)",
    );
  }
  const rows = its.length;
  const limit = curve.error ? Math.min(curve.error.iteration, rows) : rows;
  return {
    columns: curve.columns.map((c) => c.name),
    rows,
    error: curve.error,
    warnings: curve.warnings,
    *runs(from, to) {
      const end = Math.min(to, limit);
      if (from >= end) return;
      yield {
        start: from,
        end,
        constant: false,
        monotone: false,
        values: [],
        fill(column, a, b, out) {
          out.set(curve.columns[column]!.values.subarray(a, b));
        },
      };
    },
    random: true,
  };
}
