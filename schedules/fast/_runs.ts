/**
 * The engine behind {@linkcode ScheduleCursor} and `sample()`: splits the iterations of a schedule
 * into *runs* — maximal intervals of iterations on which the value is provably the same — so that
 * a piecewise-constant schedule can be stepped or sampled at the cost of a comparison (or a
 * `Float64Array.fill`) per value.
 *
 * ## Why the result is bit-identical to `scheduler.at(i / numUpdates)`
 *
 * Every port decides which branch to take with a *piece function* of `where` that is monotone:
 * `MultiStepParamScheduler` uses `bisect_right(milestones, trunc((where + ε) · numUpdates))`,
 * `StepParamScheduler` uses `trunc((where + ε) · values.length)`, `CompositeParamScheduler` uses
 * `segmentAt(where)`, `ConstantParamScheduler` uses `where >= 1`. Each of these is a composition
 * of correctly rounded IEEE-754 operations that are monotone in their argument (`i / n`, `x + c`,
 * `x · c` and `(x − c) / l` for `c`, `l` constants) and of `trunc`/`bisect`/comparison, so it is
 * monotone in the iteration `i`. Two facts follow, with no algebra and no rounding argument:
 *
 * - the set of iterations that share a piece is an interval, and the boundary of that interval can
 *   be found by binary search, **evaluating the very same expression** the scheduler evaluates;
 * - inside a rescaled composite segment the map `where ↦ (where − start) / length` is monotone
 *   too (decreasing for a negative length), so the same holds for nested schedules.
 *
 * When a piece maps to a constant value (MultiStep, Step, StepWithFixedGamma, Constant), every
 * iteration of the interval has exactly that value. Anything else — a smooth schedule, a segment
 * that raises, a scheduler of unknown type, a subclass that overrides `at` — is a run whose
 * values are computed one by one: with an inlined kernel for the known smooth schedules (the
 * same expression, operation for operation, as their `at`), falling back to the scheduler's own
 * `at(i / n)` whenever the kernel signals (with NaN, which `at` never returns) that `at` would
 * throw. Only exact classes are recognised (`at` not overridden); their options are frozen, and
 * `at` is a pure function of `where`.
 *
 * @module
 */

import { libm } from "../math.ts";
import { bisectRightF64 } from "../_internal/python.ts";
import {
  CompositeParamScheduler,
  ConstantParamScheduler,
  CosineParamScheduler,
  ExponentialParamScheduler,
  LinearParamScheduler,
  MultiStepParamScheduler,
  type ParamSchedulerLike,
  PolynomialDecayParamScheduler,
  StepParamScheduler,
  StepWithFixedGammaParamScheduler,
  WHERE_EPSILON,
} from "../fvcore/param_scheduler.ts";

/** A value of the schedule at (mapped) progress `w`; NaN when the caller must use `at()`. */
export type Kernel = (w: number) => number;

const PIECES = 0;
const VALUE = 1;
const STAGE = 2;
const EVAL = 3;

/** A schedule whose branch is chosen by a monotone piece function of `where`. */
interface PiecesPlan {
  readonly kind: typeof PIECES;
  /** Monotone in `w` (non-decreasing); ±Infinity for a non-finite `w`. */
  piece(w: number): number;
  /** What the schedule is on one piece. */
  resolve(p: number): Plan;
}

/** The same value everywhere. */
interface ValuePlan {
  readonly kind: typeof VALUE;
  readonly value: number;
}

/** A rescaled composite segment: the child sees `(w − start) / length`. */
export interface StagePlan {
  readonly kind: typeof STAGE;
  readonly start: number;
  readonly length: number;
  readonly child: Plan;
}

/** Values computed one by one: with `kernel` when known, else with the scheduler's `at`. */
interface EvalPlan {
  readonly kind: typeof EVAL;
  readonly kernel: Kernel | undefined;
  /** Set for a cosine leaf: `end + half · (1 + cos(π · w))`, for the specialised sampling loop. */
  readonly cosine: { readonly end: number; readonly half: number } | undefined;
}

export type Plan = PiecesPlan | ValuePlan | StagePlan | EvalPlan;

/** A rescaling map of a composite segment, applied to `where` on the way down. */
export type Stage = StagePlan;

const OPAQUE: EvalPlan = Object.freeze({ kind: EVAL, kernel: undefined, cosine: undefined });

function value(v: number): ValuePlan {
  return { kind: VALUE, value: v };
}

/** Whether `s` is an instance of exactly the behaviour of `C` (its `at` not overridden). */
function isExactly<T extends ParamSchedulerLike>(
  s: ParamSchedulerLike,
  C: abstract new (...args: never[]) => T,
): s is T {
  return s instanceof C && s.at === C.prototype.at;
}

/**
 * Wraps a finite-argument piece function: a non-finite `w` (possible after rescaling by a tiny
 * segment length) gets its own extreme piece, which keeps the function monotone and maps to
 * "evaluate with at()" (which throws there).
 */
function pieces(piece: (w: number) => number, resolve: (p: number) => Plan): PiecesPlan {
  return {
    kind: PIECES,
    piece: (w) => (w - w !== 0 ? (w > 0 ? Infinity : -Infinity) : piece(w)),
    resolve: (p) => (p === Infinity || p === -Infinity ? OPAQUE : resolve(p)),
  };
}

const cache = new WeakMap<object, Plan>();

/** The plan of a scheduler (cached: the recognised schedulers are immutable). */
export function planOf(s: ParamSchedulerLike): Plan {
  let plan = cache.get(s);
  if (plan === undefined) {
    plan = compile(s);
    cache.set(s, plan);
  }
  return plan;
}

function compile(s: ParamSchedulerLike): Plan {
  if (isExactly(s, MultiStepParamScheduler)) {
    const { values, numUpdates } = s;
    const milestones = Float64Array.from(s.milestones);
    const last = values.length;
    return pieces(
      (w) =>
        w > 1.0 ? last : bisectRightF64(milestones, Math.trunc((w + WHERE_EPSILON) * numUpdates)),
      (p) => (p < last ? value(values[p]!) : OPAQUE),
    );
  }
  if (isExactly(s, StepParamScheduler) || isExactly(s, StepWithFixedGammaParamScheduler)) {
    const values = s.values;
    const n = values.length;
    return pieces(
      (w) => Math.trunc((w + WHERE_EPSILON) * n),
      (p) => {
        const ind = p < 0 ? p + n : p; // Python's negative indexing, as `at` does
        return ind < 0 || ind >= n ? OPAQUE : value(values[ind]!);
      },
    );
  }
  if (isExactly(s, ConstantParamScheduler)) {
    const v = value(s.value);
    return pieces((w) => (w >= 1.0 ? 1 : 0), (p) => (p === 0 ? v : OPAQUE));
  }
  if (isExactly(s, CompositeParamScheduler)) return compileComposite(s);
  if (isExactly(s, CosineParamScheduler)) {
    const end = s.endValue;
    const half = 0.5 * (s.startValue - s.endValue); // as the constructor computes #halfRange
    return {
      kind: EVAL,
      kernel: (w) => end + half * (1 + libm.cos(Math.PI * w)), // NaN for a non-finite w
      cosine: { end, half },
    };
  }
  if (isExactly(s, LinearParamScheduler)) {
    const { startValue, endValue } = s;
    return {
      kind: EVAL,
      kernel: (w) => (w - w !== 0 ? NaN : finiteOrNaN(endValue * w + startValue * (1 - w))),
      cosine: undefined,
    };
  }
  if (isExactly(s, ExponentialParamScheduler)) {
    const { startValue, decay } = s;
    return {
      kind: EVAL,
      kernel: (w) =>
        w - w !== 0 || (decay === 0 && w < 0) ? NaN : finiteOrNaN(startValue * libm.pow(decay, w)),
      cosine: undefined,
    };
  }
  if (isExactly(s, PolynomialDecayParamScheduler)) {
    const { baseValue, power } = s;
    const integral = Number.isInteger(power);
    return {
      kind: EVAL,
      kernel: (w) => {
        if (w - w !== 0) return NaN;
        const base = 1 - w;
        if ((base === 0 && power < 0) || (base < 0 && !integral)) return NaN;
        return finiteOrNaN(baseValue * libm.pow(base, power));
      },
      cosine: undefined,
    };
  }
  return OPAQUE;
}

/** `at()` throws where the value would not be finite: the kernel hands those back to it. */
function finiteOrNaN(v: number): number {
  return v - v === 0 ? v : NaN;
}

function compileComposite(s: CompositeParamScheduler): Plan {
  if (s.segmentAt !== CompositeParamScheduler.prototype.segmentAt) return OPAQUE;
  const { lengths, schedulers, intervalScaling } = s;
  // fvcore's running_total, accumulated exactly as the constructor does.
  const starts: number[] = [];
  let runningTotal = 0;
  let previous = -Infinity;
  for (let i = 0; i < lengths.length; i++) {
    runningTotal = i === 0 ? lengths[0]! : runningTotal + lengths[i]!;
    if (runningTotal < previous) return OPAQUE; // segmentAt scans linearly: not monotone
    previous = runningTotal;
    starts.push(runningTotal - lengths[i]!);
  }
  const children: Plan[] = schedulers.map((child, i) => {
    const plan = planOf(child);
    if (intervalScaling[i] !== "rescaled") return plan;
    const length = lengths[i]!;
    if (length === 0) return OPAQUE; // fvcore raises ZeroDivisionError
    return { kind: STAGE, start: starts[i]!, length, child: plan };
  });
  return pieces((w) => s.segmentAt(w), (p) => children[p]!);
}

/** `where` as the innermost schedule of `chain` sees it. */
export function mapChain(chain: readonly Stage[], w: number): number {
  for (let k = 0; k < chain.length; k++) w = (w - chain[k]!.start) / chain[k]!.length;
  return w;
}

/** An interval of iterations `[start, end)` over which the schedule is evaluated one way. */
export interface Run {
  /** First iteration of the run. */
  start: number;
  /** One past the last iteration of the run. */
  end: number;
  /** Whether every iteration of the run has the value `value`. */
  constant: boolean;
  /** The value of every iteration, when `constant`; NaN otherwise. */
  value: number;
  /** How the values are computed when not constant (undefined: with the scheduler's `at`). */
  kernel: Kernel | undefined;
  /** Set for a cosine leaf (values computed with the specialised loop). */
  cosine: { readonly end: number; readonly half: number } | undefined;
  /** The rescaling maps from the top-level `where` to the kernel's argument. */
  chain: readonly Stage[];
}

const BISECT_DIRECTLY = 2 ** 24;

/**
 * The smallest `j` in `(i, hi)` with `f(j) !== p`, or `hi`; `f(i) === p` and `f` monotone, so the
 * iterations with `f(j) !== p` above `i` form a suffix. Exponential, then binary search.
 */
function firstChangeAbove(f: (j: number) => number, p: number, i: number, hi: number): number {
  let good = i;
  let bad = hi;
  // A bounded window (sampling) is bisected directly; an unbounded one (a cursor) is searched
  // exponentially first, so that the cost grows with the run's length, not the window's.
  for (let step = hi - i <= BISECT_DIRECTLY ? Infinity : 1;; step *= 2) {
    const j = good + step;
    if (j >= hi) break;
    if (f(j) !== p) {
      bad = j;
      break;
    }
    good = j;
  }
  while (bad - good > 1) {
    const mid = good + Math.floor((bad - good) / 2);
    if (f(mid) === p) good = mid;
    else bad = mid;
  }
  return bad;
}

/** The smallest `j` in `[lo, i]` such that `f` equals `p` on `[j, i]`. */
function firstSameAtOrBelow(f: (j: number) => number, p: number, i: number, lo: number): number {
  let good = i;
  let bad = lo - 1;
  for (let step = i - lo <= BISECT_DIRECTLY ? Infinity : 1;; step *= 2) {
    const j = good - step;
    if (j < lo) break;
    if (f(j) !== p) {
      bad = j;
      break;
    }
    good = j;
  }
  while (good - bad > 1) {
    const mid = good - Math.floor((good - bad) / 2);
    if (f(mid) === p) good = mid;
    else bad = mid;
  }
  return good;
}

/**
 * The run that contains iteration `i` (a safe integer in `[lo, hi)`), clipped to `[lo, hi)`, for
 * `where = i / n`.
 */
export function findRun(root: Plan, n: number, i: number, lo: number, hi: number): Run {
  let plan = root;
  const chain: Stage[] = [];
  for (;;) {
    switch (plan.kind) {
      case VALUE:
        return {
          start: lo,
          end: hi,
          constant: true,
          value: plan.value,
          kernel: undefined,
          cosine: undefined,
          chain,
        };
      case EVAL:
        return {
          start: lo,
          end: hi,
          constant: false,
          value: NaN,
          kernel: plan.kernel,
          cosine: plan.cosine,
          chain,
        };
      case STAGE:
        chain.push(plan);
        plan = plan.child;
        break;
      case PIECES: {
        const { piece } = plan;
        const depth = chain.slice();
        const f = (j: number) => piece(mapChain(depth, j / n));
        const p = f(i);
        if (lo < i) lo = firstSameAtOrBelow(f, p, i, lo);
        if (i + 1 < hi) hi = firstChangeAbove(f, p, i, hi);
        plan = plan.resolve(p);
        break;
      }
    }
  }
}

// The per-value loops live in small functions of their own, which engines compile (and enter
// from the interpreter) far more reliably than a loop inside a larger function.

/**
 * The cosine hot loop: exactly `CosineParamScheduler.at`'s expression, one `cos` per value; with
 * the runtime's own `Math.cos` installed in `libm`, called directly so that engines inline it.
 */
function fillCosine(
  out: Float64Array,
  a: number,
  b: number,
  i: number,
  n: number,
  end: number,
  half: number,
): void {
  for (let j = i, k = a; k < b; j++, k++) out[k] = end + half * (1 + Math.cos(Math.PI * (j / n)));
}

/** {@linkcode fillCosine} with a substituted `cos` (the conformance oracle). */
function fillCosineWith(
  cos: (x: number) => number,
  out: Float64Array,
  a: number,
  b: number,
  i: number,
  n: number,
  end: number,
  half: number,
): void {
  for (let j = i, k = a; k < b; j++, k++) out[k] = end + half * (1 + cos(Math.PI * (j / n)));
}

/** A known smooth kernel through the rescaling chain; `at()` wherever the kernel declines. */
function fillKernel(
  scheduler: ParamSchedulerLike,
  kernel: Kernel,
  chain: readonly Stage[],
  out: Float64Array,
  a: number,
  b: number,
  i: number,
  n: number,
): void {
  for (let j = i, k = a; k < b; j++, k++) {
    const v = kernel(mapChain(chain, j / n));
    out[k] = v === v ? v : scheduler.at(j / n);
  }
}

/**
 * Writes `scale · scheduler.at(i / n)` (or the unscaled value when `scale` is undefined) for
 * `i` in `[from, to)` into `out[offset + (i − from)]`, run by run. Throws what `at` throws, at
 * the first iteration where it throws (the values before it are written).
 */
export function fillRuns(
  scheduler: ParamSchedulerLike,
  n: number,
  from: number,
  to: number,
  out: Float64Array,
  offset: number,
  scale: number | undefined,
): void {
  const plan = planOf(scheduler);
  let i = from;
  while (i < to) {
    const run = findRun(plan, n, i, i, to);
    const a = offset + (i - from);
    const b = offset + (run.end - from);
    if (run.constant) {
      out.fill(scale === undefined ? run.value : scale * run.value, a, b);
      i = run.end;
      continue;
    }
    const { chain, cosine, kernel } = run;
    if (cosine !== undefined && chain.length === 0) {
      const cos = libm.cos;
      if (cos === Math.cos) fillCosine(out, a, b, i, n, cosine.end, cosine.half);
      else fillCosineWith(cos, out, a, b, i, n, cosine.end, cosine.half);
    } else if (kernel !== undefined) {
      fillKernel(scheduler, kernel, chain, out, a, b, i, n);
    } else {
      for (let j = i, k = a; k < b; j++, k++) out[k] = scheduler.at(j / n);
    }
    if (scale !== undefined) { for (let k = a; k < b; k++) out[k] = scale * out[k]!; }
    i = run.end;
  }
}
