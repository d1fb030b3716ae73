/**
 * {@linkcode ScheduleCursor}: steps through a schedule iteration by iteration, at amortised O(1)
 * cost on piecewise-constant schedules, bit-identical to `scheduler.at(i / numUpdates)`.
 *
 * @module
 */

import { findRun, mapChain, type Node, planOf, type Run, type Stage, walkRuns } from "./_runs.ts";
import type { ScheduleLike } from "./plan.ts";
import { integer, requireOptions, requireScheduler } from "../_internal/validate.ts";

const MIN_ITERATION = -Number.MAX_SAFE_INTEGER;
const END_ITERATION = Number.MAX_SAFE_INTEGER + 1; // exclusive bound, exactly 2^53
const CACHE_WINDOW = 2 ** 28;

/** Options of {@linkcode ScheduleCursor}. */
export interface ScheduleCursorOptions {
  /** The number of iterations that `where ∈ [0, 1]` spans: `where = iteration / numUpdates`. */
  numUpdates: number;
  /**
   * The iteration {@linkcode ScheduleCursor.next} returns first.
   * @default {0}
   */
  start?: number;
}

/** A run of iterations, as {@linkcode ScheduleCursor.runAt} reports it. */
export interface ScheduleRun {
  /** First iteration of the run. */
  start: number;
  /** One past the last iteration of the run. */
  end: number;
  /** Whether every iteration of the run has the value `value`. */
  constant: boolean;
  /** The value of every iteration of the run when `constant`; NaN otherwise. */
  value: number;
  /**
   * Whether the values of the run are monotone in the iteration: true for a constant run and
   * for a formula its schedule's plan declares monotone there (fvcore's cosine, linear,
   * exponential and polynomial schedules on `where` ∈ [0, 1]), up to the rounding of the formula
   * (see `SchedulePlan`). The minimum and maximum of a monotone run are at its two ends.
   */
  monotone: boolean;
}

/**
 * Steps through a schedule iteration by iteration, at amortised O(1) cost on piecewise-constant
 * schedules: the value at iteration `i` is `scheduler.at(i / numUpdates)`, bit for bit.
 *
 * The cursor remembers the *run* — the interval of iterations on which the value is provably
 * constant — that the last lookup fell in, so stepping a multistep schedule costs one comparison
 * per iteration plus a binary search at each of its few change points. The change points are
 * found by evaluating the piece function of the schedule's plan (`SchedulePlan`) — the
 * port's own branch expression — so `WHERE_EPSILON` effects, rescaled composite segments and
 * raising segments behave exactly as with `at`. Smooth schedules (cosine, linear, exponential,
 * polynomial) are evaluated at every iteration with the formula their `at` evaluates; schedulers
 * without a plan (duck-typed, or subclasses that override `at`) are simply called.
 *
 * Random access ({@linkcode ScheduleCursor.valueAt}) is supported; it is fastest when
 * consecutive lookups stay in the same run.
 *
 * @example Stepping detectron2's 1x multistep multiplier
 * ```ts
 * import { MultiStepParamScheduler, ScheduleCursor } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const s = new MultiStepParamScheduler({
 *   values: [1, 0.1, 0.01], milestones: [60000, 80000], numUpdates: 90000,
 * });
 * const cursor = new ScheduleCursor(s, { numUpdates: 90000 });
 * let sum = 0;
 * for (let i = 0; i < 90000; i++) sum += cursor.next();
 * assert.equal(cursor.index, 90000);
 * assert.equal(cursor.valueAt(59999), s.at(59999 / 90000));
 * assert.equal(cursor.valueAt(60000), 0.1);
 * assert.ok(sum > 0);
 * ```
 */
export class ScheduleCursor {
  /** The schedule. */
  readonly scheduler: ScheduleLike;
  /** `where = iteration / numUpdates`. */
  readonly numUpdates: number;
  private readonly _plan: Node;
  // next(): iterations below _stepEnd have the value _stepValue. It is set from inside a
  // constant run reached by next(), and otherwise to the current iteration (no fast path), also
  // when `index` is assigned, so the iteration next() is at never lies before that run's start.
  // Cached runs are clipped to ±2^28 around the lookup (BENCH.md § Optimisations says why).
  private _next: number;
  private _stepEnd: number;
  private _stepValue = NaN;
  // valueAt(): the run [_first, _last] that the last lookup located (empty at first).
  private _first = 1;
  private _last = 0;
  private _constant = false;
  private _value = NaN;
  private _formula: ((w: number) => number) | undefined = undefined;
  private _chain: readonly Stage[] = [];

  /**
   * Creates a cursor at iteration `start`.
   *
   * @param scheduler Any scheduler with `at(where)`.
   * @param options `{ numUpdates, start? }`.
   * @throws {TypeError} If `scheduler` has no `at` method or an option has the wrong type.
   * @throws {RangeError} If `numUpdates` is not a positive integer or `start` not a safe integer.
   */
  constructor(scheduler: ScheduleLike, options: ScheduleCursorOptions) {
    const owner = "ScheduleCursor";
    this.scheduler = requireScheduler(owner, "scheduler", scheduler);
    const o = requireOptions(owner, options, ["numUpdates", "start"]);
    this.numUpdates = integer(
      owner,
      "numUpdates",
      o.numUpdates,
      "a positive integer up to 2^53 - 1",
      (x) => x > 0 && x <= Number.MAX_SAFE_INTEGER,
    );
    this._next = integer(
      owner,
      "start",
      o.start ?? 0,
      "a safe integer",
      (x) => Number.isSafeInteger(x),
    );
    this._stepEnd = this._next;
    this._plan = planOf(this.scheduler);
  }

  /** The iteration that {@linkcode ScheduleCursor.next} returns next; assign it to jump. */
  get index(): number {
    return this._next;
  }

  set index(iteration: number) {
    this._next = iteration;
    this._stepEnd = iteration;
  }

  /**
   * The value at iteration `index`, then advances `index` by one. Inside a constant run this is
   * a comparison and a field read.
   *
   * @returns `scheduler.at(index / numUpdates)`.
   * @throws Whatever `scheduler.at` throws at that iteration (`index` still advances).
   */
  next(): number {
    const i = this._next++;
    if (i < this._stepEnd) return this._stepValue;
    return this._nextSlow(i);
  }

  /** next() outside a cached constant run: looks the run up and arms the fast path. */
  private _nextSlow(i: number): number {
    const v = this.valueAt(i);
    if (this._constant && i >= this._first && i <= this._last && Number.isSafeInteger(i)) {
      this._stepEnd = this._last + 1;
      this._stepValue = this._value;
    } else {
      this._stepEnd = i;
    }
    return v;
  }

  /**
   * The value at any iteration, without moving the cursor.
   *
   * @param iteration The iteration (any number; runs are cached for safe integers).
   * @returns `scheduler.at(iteration / numUpdates)`, bit for bit.
   * @throws Whatever `scheduler.at` throws there.
   */
  valueAt(iteration: number): number {
    if (iteration >= this._first && iteration <= this._last) {
      return this._constant ? this._value : this._evaluate(iteration);
    }
    return this._locate(iteration);
  }

  /**
   * The run that contains `iteration`: the interval `[start, end)` of iterations around it on
   * which the value is constant (`constant: true`), or on which it is computed per iteration
   * one way (and then `monotone` says whether its minimum and maximum are at its ends).
   * A run is maximal within one branch of the schedule (neighbouring branches that happen to
   * have the same value are separate runs).
   *
   * @param iteration A safe integer.
   * @returns `{ start, end, constant, value, monotone }` (`value` is NaN when not constant).
   * @throws {RangeError} If `iteration` is not a safe integer.
   *
   * @example Plotting a curve in O(width + change points)
   * ```ts
   * import { CosineParamScheduler, ScheduleCursor, WarmupParamScheduler } from "@lrspec/lrspec";
   * import assert from "node:assert/strict";
   *
   * const s = new WarmupParamScheduler({
   *   scheduler: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
   *   warmupFactor: 0.001,
   *   warmupLength: 0.01,
   * });
   * const cursor = new ScheduleCursor(s, { numUpdates: 10000 });
   * const warmup = cursor.runAt(0);
   * assert.deepEqual([warmup.end, warmup.constant, warmup.monotone], [100, false, true]);
   * const decay = cursor.runAt(5000); // one monotone run: min and max at its ends
   * assert.deepEqual([decay.start, decay.end, decay.monotone], [100, 10001, true]);
   * ```
   */
  runAt(iteration: number): ScheduleRun {
    integer("ScheduleCursor", "iteration", iteration, "a safe integer", Number.isSafeInteger);
    return scheduleRun(
      findRun(this._plan, this.numUpdates, iteration, MIN_ITERATION, END_ITERATION),
    );
  }

  /**
   * The runs that cover iterations `[from, to)`, in order: the same runs as
   * {@linkcode ScheduleCursor.runAt} gives for `from`, then for the end of each, found in one
   * walk over the schedule's plan (each branch searched once, and a step's end first guessed from
   * the step before), so that the runs of a schedule with 10⁶ steps cost a few evaluations each.
   *
   * @param from The first iteration (a safe integer).
   * @param to One past the last (a safe integer, or 2^53).
   * @returns The runs, as {@linkcode ScheduleCursor.runAt} reports them (the first may start
   * before `from`, the last end after `to`).
   * @throws {RangeError} If `from` or `to` is not a safe integer.
   *
   * @example The steps of a multistep schedule
   * ```ts
   * import { MultiStepParamScheduler, ScheduleCursor } from "@lrspec/lrspec";
   * import assert from "node:assert/strict";
   *
   * const s = new MultiStepParamScheduler({
   *   values: [1, 0.1, 0.01], milestones: [60000, 80000], numUpdates: 90000,
   * });
   * const cursor = new ScheduleCursor(s, { numUpdates: 90000 });
   * const runs = [...cursor.runs(0, 90000)].map((r) => [r.end, r.value]);
   * assert.deepEqual(runs, [[60000, 1], [80000, 0.1], [90001, 0.01]]);
   * ```
   */
  *runs(from: number, to: number): Generator<ScheduleRun> {
    integer("ScheduleCursor", "from", from, "a safe integer", Number.isSafeInteger);
    integer("ScheduleCursor", "to", to, "a safe integer or 2^53", (x) => x <= END_ITERATION);
    const walk = walkRuns(this._plan, this.numUpdates, from, to, MIN_ITERATION, END_ITERATION);
    for (const run of walk) yield scheduleRun(run);
  }

  /** The value in a non-constant run: the port's formula, or the scheduler's own `at`. */
  private _evaluate(iteration: number): number {
    const where = iteration / this.numUpdates;
    const formula = this._formula;
    if (formula !== undefined) {
      const chain = this._chain;
      // A mapped `where` may overflow to ±Infinity; an unmapped one is finite here.
      const w = chain.length === 0 ? where : mapChain(chain, where);
      if (w - w === 0) {
        const v = formula(w);
        if (v - v === 0) return v;
      }
    }
    return this.scheduler.at(where);
  }

  /** valueAt() outside the cached run: finds and caches the run of `iteration`. */
  private _locate(iteration: number): number {
    if (!Number.isSafeInteger(iteration)) return this.scheduler.at(iteration / this.numUpdates);
    const run = findRun(
      this._plan,
      this.numUpdates,
      iteration,
      Math.max(MIN_ITERATION, iteration - CACHE_WINDOW),
      Math.min(END_ITERATION, iteration + CACHE_WINDOW),
    );
    this._first = run.start;
    this._last = run.end - 1;
    this._constant = run.constant;
    this._value = run.value;
    this._formula = run.formula;
    this._chain = run.chain;
    return run.constant ? run.value : this._evaluate(iteration);
  }
}

/** A run as the cursor reports it (`runAt`, `runs`): without the plan's formula and chain. */
function scheduleRun(run: Run): ScheduleRun {
  return {
    start: run.start,
    end: run.end,
    constant: run.constant,
    value: run.value,
    monotone: run.monotone,
  };
}
