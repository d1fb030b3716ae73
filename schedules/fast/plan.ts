/**
 * The plan protocol: how a schedule tells {@linkcode sample}, {@linkcode ScheduleCursor} and
 * `sampleLr()` its piecewise structure, so that they can evaluate it at the cost of its change
 * points instead of one `at()` call per iteration — bit for bit as `at()` would.
 *
 * A schedule is anything with `at(where)` ({@linkcode ScheduleLike}). One that also has a
 * `plan()` method ({@linkcode Plannable}) describes itself with a {@linkcode SchedulePlan}:
 *
 * ```text
 * piece(where)   a monotone function of where (non-decreasing or non-increasing) that names the
 *                branch at() takes: a range index, a segment index, "past the end", …
 * resolve(p)     what the schedule is on piece p:
 *                  { kind: "value", value }                  every where of the piece has value
 *                  { kind: "stage", schedule, start, length } schedule.at((where − start) / length)
 *                  { kind: "formula", formula, monotone, fill? }   formula(where), one by one
 *                  { kind: "opaque" }                        call at() itself
 * ```
 *
 * The engine evaluates `where = i / numUpdates` for iteration `i`, finds where `piece` changes by
 * binary search over those very doubles (monotone, so the iterations of one piece form an
 * interval), fills a value piece at memory speed, maps a stage's `where` with the same
 * operations the port uses and descends into the child's plan, and calls a formula per
 * iteration. No algebra is involved: every double it produces is one that `at()` computes too.
 *
 * The contract a port signs when it returns a plan:
 *
 * - `at` is the `at` method the plan describes. The engine uses the plan only while the
 *   scheduler's own `at` is that very function, so a subclass that overrides `at` (and not
 *   `plan`) is evaluated through its `at`, opaquely.
 * - `piece` is monotone in `where` and is only called with finite `where` (the engine gives a
 *   non-finite mapped `where` a piece of its own that calls `at()`, which throws there).
 * - A value piece holds exactly the double `at()` returns everywhere on that piece; a formula
 *   is the very function `at()` evaluates on that piece (the port writes it once and calls it
 *   from both). Where `at()` throws, the formula must return a non-finite value (the engine then
 *   calls `at()`, which throws there), or the piece must be opaque.
 * - `monotone: true` declares the formula monotone in `where` over the whole piece, in exact
 *   arithmetic. The doubles follow it up to rounding: libm's `cos` and `pow` are not guaranteed
 *   monotone in the last bit, nor is a sum of rounded terms (the property tests check fvcore's
 *   plans to within 4 ULPs on random schedules). Declare it only where no cancellation can
 *   magnify that rounding: fvcore's plans declare it on `where` ∈ [0, 1], not beyond, where
 *   `end · where + start · (1 − where)` cancels.
 * - `fill(out, from, to, first, n)`, when given, writes `out[k] = formula((first + k − from) / n)`
 *   for `k` from `from` up to `to` (`first` itself for `k = from`, so that an iteration of -0
 *   stays -0), stopping at the first value that is not finite, and returns the index where it
 *   stopped (`to` when it wrote them all): a loop around the port's own formula function, used
 *   instead of calling `formula` per value (BENCH.md § Optimisations).
 * - The schedule is immutable: the engine caches plans per scheduler object.
 *
 * ## Schedules of an integer step
 *
 * fvcore's schedules are functions of the training progress `where ∈ [0, 1]`; Hugging Face's
 * `LambdaLR` lambdas, optax's `count → value` functions and timm's `t` are functions of an integer
 * step. They use the same protocol with `numUpdates: 1`: `where = i / 1` is the step `i` itself,
 * exactly, so their `at(step)`, `piece(step)` and `formula(step)` receive the step (and a
 * `fill`'s `first + k − from` is the step of `out[k]`). A warmup that ends at step 1000, for
 * instance, is the piece function `step < 1000 ? 0 : 1`.
 *
 * @example A schedule of your own with a plan: halve every 100 steps, 1000 steps long
 * ```ts
 * import { sample, type SchedulePlan, ScheduleCursor } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const halving = {
 *   at(step: number): number {
 *     if (step < 0 || step > 1000) throw new RangeError(`step ${step} out of range`);
 *     return 0.5 ** Math.floor(step / 100);
 *   },
 *   plan(): SchedulePlan {
 *     return {
 *       at: halving.at,
 *       // monotone: -1 before the schedule, 0…10 inside, 11 after it
 *       piece: (step) => (step < 0 ? -1 : step > 1000 ? 11 : Math.floor(step / 100)),
 *       resolve: (p) =>
 *         p < 0 || p > 10 ? { kind: "opaque" } : { kind: "value", value: halving.at(100 * p) },
 *     };
 *   },
 * };
 * const values = sample(halving, { numUpdates: 1, to: 1001 }); // 11 fills, no at() per step
 * assert.equal(values[250], 0.25);
 * const run = new ScheduleCursor(halving, { numUpdates: 1 }).runAt(250);
 * assert.deepEqual(run, { start: 200, end: 300, constant: true, value: 0.25, monotone: true });
 * ```
 *
 * @module
 */

/** Anything with an `at(where)` method: the structural type the fast path drives. */
export interface ScheduleLike {
  /** The value at training progress `where` (or at step `where`, for schedules of a step). */
  at(where: number): number;
}

/** A schedule that describes its piecewise structure with a {@linkcode SchedulePlan}. */
export interface Plannable extends ScheduleLike {
  /** The schedule's plan; see the module documentation for the contract. */
  plan(): SchedulePlan;
}

/**
 * The piecewise structure of a schedule's `at()`: which branch it takes where, and what it
 * computes on each branch.
 */
export interface SchedulePlan {
  /** The `at` method this plan describes: the plan is used only while `scheduler.at === at`. */
  readonly at: (where: number) => number;
  /**
   * The branch `at(where)` takes, as a number, monotone in `where` (only called with a finite
   * `where`). Omitted: the schedule is one piece, `resolve(0)`.
   */
  readonly piece?: (where: number) => number;
  /** What the schedule is on piece `p` (a number `piece` returned). */
  readonly resolve: (p: number) => PlanPiece;
}

/** What a schedule is on one piece of its {@linkcode SchedulePlan}. */
export type PlanPiece = ValuePiece | StagePiece | FormulaPiece | OpaquePiece;

/** Every `where` of the piece has the value `value`, exactly. */
export interface ValuePiece {
  /** Discriminant. */
  readonly kind: "value";
  /** The value, a finite double. */
  readonly value: number;
}

/**
 * The piece is another schedule, run over an interval of its own:
 * `schedule.at((where − start) / length)`, computed with exactly those two operations
 * (`start: 0, length: 1` passes `where` through unchanged).
 */
export interface StagePiece {
  /** Discriminant. */
  readonly kind: "stage";
  /** The schedule of the piece (its own plan, if any, is used in turn). */
  readonly schedule: ScheduleLike;
  /** Subtracted from `where`. */
  readonly start: number;
  /** Divides `where − start`; not 0. */
  readonly length: number;
}

/** The piece is a formula of `where`, evaluated one value at a time. */
export interface FormulaPiece {
  /** Discriminant. */
  readonly kind: "formula";
  /** The function `at()` computes on this piece (non-finite where `at()` throws). */
  readonly formula: (where: number) => number;
  /** Whether `formula` is monotone in `where` over the piece (in exact arithmetic). */
  readonly monotone: boolean;
  /**
   * Optional: writes `out[k] = formula((first + k − from) / n)` for `k` in `[from, to)`, stops at
   * the first non-finite value, and returns the index where it stopped (`to` when done).
   */
  readonly fill?: (out: Float64Array, from: number, to: number, first: number, n: number) => number;
}

/** The piece is evaluated by calling the scheduler's own `at()` (also where `at()` throws). */
export interface OpaquePiece {
  /** Discriminant. */
  readonly kind: "opaque";
}
