/**
 * The engine behind {@linkcode ScheduleCursor} and `sample()`: splits the iterations of a schedule
 * into *runs* — maximal intervals of iterations evaluated one way (one value, or one formula) —
 * from the {@linkcode SchedulePlan} the schedule carries, so that a piecewise-constant schedule
 * can be stepped or sampled at the cost of a comparison (or a `Float64Array.fill`) per value.
 *
 * ## Why the result is bit-identical to `scheduler.at(i / numUpdates)`
 *
 * A plan's piece function is monotone in `where` (the port's promise; see `plan.ts`), and
 * `where = i / n` is monotone in `i`, as is each stage's `(where − start) / length` (decreasing
 * for a negative length): every operation is a correctly rounded IEEE-754 operation, monotone in
 * its argument. So the piece of iteration `i` is a monotone function of `i`, and two facts
 * follow, with no algebra and no rounding argument:
 *
 * - the iterations that share a piece form an interval, whose ends are found by binary search,
 *   **evaluating the very same expressions** the scheduler evaluates;
 * - the same holds through any number of nested stages.
 *
 * On a value piece every iteration of the interval has exactly that value. A formula piece is
 * evaluated per iteration with the port's own formula, and with the scheduler's `at(i / n)`
 * wherever the formula's value (or the mapped `where`) is not finite — where `at` throws. An
 * opaque piece, a scheduler without a plan, and one whose `at` is not the one its plan describes
 * (a subclass overriding `at`) are evaluated with `at(i / n)` itself.
 *
 * The engine knows no schedule family: it reads plans, nothing else.
 *
 * @module
 */

import type { FormulaPiece, PlanPiece, ScheduleLike } from "./plan.ts";

const PIECES = 0;
const VALUE = 1;
const STAGE = 2;
const FORMULA = 3;
const OPAQUE = 4;

/** A schedule whose branch is chosen by a monotone piece function of `where`. */
interface PiecesNode {
  readonly kind: typeof PIECES;
  /** Monotone in `w`; ±Infinity for a non-finite `w`. */
  piece(w: number): number;
  /** What the schedule is on one piece. */
  resolve(p: number): Node;
}

/** The same value everywhere. */
interface ValueNode {
  readonly kind: typeof VALUE;
  readonly value: number;
}

/** A rescaled stage: the child sees `(w − start) / length`. */
interface StageNode {
  readonly kind: typeof STAGE;
  readonly start: number;
  readonly length: number;
  readonly child: Node;
}

/** Values computed one by one with the port's formula. */
interface FormulaNode {
  readonly kind: typeof FORMULA;
  readonly formula: (w: number) => number;
  readonly monotone: boolean;
  readonly fill: FormulaPiece["fill"];
}

/** Values computed with the scheduler's own `at`. */
interface OpaqueNode {
  readonly kind: typeof OPAQUE;
}

/** A compiled plan. */
export type Node = PiecesNode | ValueNode | StageNode | FormulaNode | OpaqueNode;

/** A rescaling map of a stage, applied to `where` on the way down. */
export type Stage = StageNode;

const OPAQUE_NODE: OpaqueNode = Object.freeze({ kind: OPAQUE });

const cache = new WeakMap<object, Node>();

/** The compiled plan of a scheduler (cached: planned schedules are immutable). */
export function planOf(s: ScheduleLike): Node {
  let node = cache.get(s);
  if (node === undefined) {
    node = compile(s);
    cache.set(s, node);
  }
  return node;
}

/**
 * The scheduler's plan, when it has one that describes its current `at` (a `plan()` that throws
 * counts as none: e.g. an object derived with `Object.create` from a port, whose private fields
 * it cannot read).
 */
function compile(s: ScheduleLike): Node {
  const planner = (s as { plan?: unknown }).plan;
  if (typeof planner !== "function") return OPAQUE_NODE;
  let plan: unknown;
  try {
    plan = planner.call(s);
  } catch {
    return OPAQUE_NODE;
  }
  if (typeof plan !== "object" || plan === null) return OPAQUE_NODE;
  const { at, piece, resolve } = plan as Record<string, unknown>;
  if (at !== s.at || typeof resolve !== "function") return OPAQUE_NODE;
  const leaf = (p: number) => compilePiece(resolve(p) as PlanPiece);
  if (piece === undefined) return leaf(0);
  if (typeof piece !== "function") return OPAQUE_NODE;
  return pieces(piece as (w: number) => number, leaf);
}

function compilePiece(piece: PlanPiece): Node {
  switch (piece?.kind) {
    case "value":
      return typeof piece.value === "number" && piece.value - piece.value === 0
        ? { kind: VALUE, value: piece.value }
        : OPAQUE_NODE;
    case "stage": {
      const { schedule, start, length } = piece;
      if (typeof schedule !== "object" || schedule === null) return OPAQUE_NODE;
      if (start - start !== 0 || length - length !== 0 || length === 0) return OPAQUE_NODE;
      const child = planOf(schedule);
      // (w − 0) / 1 is w exactly, for every double w.
      return start === 0 && length === 1 ? child : { kind: STAGE, start, length, child };
    }
    case "formula":
      return typeof piece.formula === "function"
        ? {
          kind: FORMULA,
          formula: piece.formula,
          monotone: piece.monotone === true,
          fill: piece.fill,
        }
        : OPAQUE_NODE;
    default:
      return OPAQUE_NODE;
  }
}

/**
 * Wraps a piece function for finite `w`: a non-finite `w` (possible after rescaling by a tiny
 * stage length) gets its own extreme piece, which keeps the function monotone and maps to
 * "evaluate with at()" (which throws there).
 */
function pieces(piece: (w: number) => number, resolve: (p: number) => Node): PiecesNode {
  return {
    kind: PIECES,
    piece: (w) => (w - w !== 0 ? (w > 0 ? Infinity : -Infinity) : piece(w)),
    resolve: (p) => (p === Infinity || p === -Infinity ? OPAQUE_NODE : resolve(p)),
  };
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
  /** Whether the values are monotone in the iteration (constant, or a monotone formula). */
  monotone: boolean;
  /** The formula of a formula run (undefined: constant, or evaluated with `at`). */
  formula: ((w: number) => number) | undefined;
  /** The port's fill loop of a formula run, if any. */
  fill: FormulaPiece["fill"];
  /** The rescaling maps from the top-level `where` to the formula's argument. */
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
export function findRun(root: Node, n: number, i: number, lo: number, hi: number): Run {
  let node = root;
  const chain: Stage[] = [];
  for (;;) {
    switch (node.kind) {
      case VALUE:
      case FORMULA:
      case OPAQUE:
        return leafRun(node, lo, hi, chain);
      case STAGE:
        chain.push(node);
        node = node.child;
        break;
      case PIECES: {
        const { piece } = node;
        const depth = chain.slice();
        const f = (j: number) => piece(mapChain(depth, j / n));
        const p = f(i);
        if (lo < i) lo = firstSameAtOrBelow(f, p, i, lo);
        if (i + 1 < hi) hi = firstChangeAbove(f, p, i, hi);
        node = node.resolve(p);
        break;
      }
    }
  }
}

/**
 * {@linkcode firstChangeAbove} with a guess: `guess` (the length of the piece before, at the same
 * level: steps of one schedule are often evenly spaced) is tried first, two evaluations when right;
 * otherwise the search goes on from what they told. The same answer as without the guess.
 */
function firstChangeNear(
  f: (j: number) => number,
  p: number,
  i: number,
  hi: number,
  guess: number,
): number {
  if (!(guess > i + 1 && guess < hi)) return firstChangeAbove(f, p, i, hi);
  if (f(guess - 1) === p) return f(guess) !== p ? guess : firstChangeAbove(f, p, guess, hi);
  // The change is in (i, guess − 1].
  let good = i;
  let bad = guess - 1;
  while (bad - good > 1) {
    const mid = good + Math.floor((bad - good) / 2);
    if (f(mid) === p) good = mid;
    else bad = mid;
  }
  return bad;
}

/**
 * The runs covering `[from, to)` (safe integers, within `[lo, hi)`), in order: the very runs
 * `findRun(root, n, from, lo, hi)`, `findRun(…, its end, …)`, … return, found in one walk down the
 * plan — each level's piece is searched once, not again from the top for every run below it, and
 * the end of each piece is first guessed from the length of the one before — so that iterating
 * the 10⁶ steps of a schedule costs a few evaluations per step.
 */
export function* walkRuns(
  root: Node,
  n: number,
  from: number,
  to: number,
  lo: number,
  hi: number,
): Generator<Run> {
  if (from < to) yield* walk(root, [], n, from, to, lo, hi);
}

function* walk(
  node: Node,
  chain: Stage[],
  n: number,
  from: number,
  to: number,
  lo: number,
  hi: number,
): Generator<Run> {
  for (;;) {
    switch (node.kind) {
      case VALUE:
      case FORMULA:
      case OPAQUE:
        yield leafRun(node, lo, hi, chain);
        return;
      case STAGE:
        chain = [...chain, node];
        node = node.child;
        break;
      case PIECES: {
        const { piece } = node;
        const depth = chain;
        const f = (j: number) => piece(mapChain(depth, j / n));
        let i = Math.max(from, lo);
        const end = Math.min(to, hi);
        let start = lo;
        let length = 0;
        while (i < end) {
          const p = f(i);
          if (start < i) start = firstSameAtOrBelow(f, p, i, start);
          const stop = i + 1 < hi ? firstChangeNear(f, p, i, hi, i + length) : hi;
          yield* walk(node.resolve(p), depth, n, i, end, start, stop);
          length = stop - i;
          start = i = stop;
        }
        return;
      }
    }
  }
}

/** The run of a leaf over `[lo, hi)`. */
function leafRun(
  node: ValueNode | FormulaNode | OpaqueNode,
  lo: number,
  hi: number,
  chain: Stage[],
): Run {
  switch (node.kind) {
    case VALUE:
      return {
        start: lo,
        end: hi,
        constant: true,
        value: node.value,
        monotone: true,
        formula: undefined,
        fill: undefined,
        chain,
      };
    case FORMULA:
      return {
        start: lo,
        end: hi,
        constant: false,
        value: NaN,
        monotone: node.monotone,
        formula: node.formula,
        fill: node.fill,
        chain,
      };
    default:
      return {
        start: lo,
        end: hi,
        constant: false,
        value: NaN,
        monotone: false,
        formula: undefined,
        fill: undefined,
        chain,
      };
  }
}

/** A formula run through its stages, value by value; `at()` wherever the formula declines. */
function fillFormula(
  scheduler: ScheduleLike,
  formula: (w: number) => number,
  chain: readonly Stage[],
  out: Float64Array,
  a: number,
  b: number,
  i: number,
  n: number,
): void {
  for (let j = i, k = a; k < b; j++, k++) {
    const w = mapChain(chain, j / n);
    const v = w - w === 0 ? formula(w) : NaN;
    out[k] = v - v === 0 ? v : scheduler.at(j / n);
  }
}

/** A formula run with the port's own fill loop; `at()` wherever the loop stops. */
function fillWith(
  scheduler: ScheduleLike,
  fill: NonNullable<FormulaPiece["fill"]>,
  out: Float64Array,
  a: number,
  b: number,
  i: number,
  n: number,
): void {
  // The first iteration is passed as it is: `i + 0` would turn an iteration of -0 into 0.
  for (let k = fill(out, a, b, i, n); k < b; k = fill(out, k, b, i + (k - a), n)) {
    out[k] = scheduler.at((i + (k - a)) / n);
    if (++k === b) break;
  }
}

/**
 * Writes `scale · scheduler.at(i / n)` (or the unscaled value when `scale` is undefined) for
 * `i` in `[from, to)` into `out[offset + (i − from)]`, run by run. Throws what `at` throws, at
 * the first iteration where it throws (the values before it are written).
 */
export function fillRuns(
  scheduler: ScheduleLike,
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
    const { chain, fill, formula } = run;
    if (fill !== undefined && chain.length === 0) {
      fillWith(scheduler, fill, out, a, b, i, n);
    } else if (formula !== undefined) {
      fillFormula(scheduler, formula, chain, out, a, b, i, n);
    } else {
      for (let j = i, k = a; k < b; j++, k++) out[k] = scheduler.at(j / n);
    }
    if (scale !== undefined) { for (let k = a; k < b; k++) out[k] = scale * out[k]!; }
    i = run.end;
  }
}
