/**
 * Where two learning-rate curves differ, and by how much: {@linkcode diffRuns} compares two
 * curves run by run (constant stretches in O(1), the rest value by value, in constant memory);
 * {@linkcode diffCurves} does the same for curves held in memory.
 *
 * @module
 */

import type { LrCurve } from "./curve.ts";
import { type CurveRuns, lrCurveAsRuns, RUN_CHUNK } from "./runs.ts";
import { ulpDistance } from "../schedules/math.ts";

/** A maximal run of consecutive iterations where the curves differ. */
export interface CurveDifference {
  /** First iteration of the run. */
  from: number;
  /** Last iteration of the run. */
  to: number;
  /** The column (`lr`, `lr_bias`). */
  column: string;
  /** Smallest and largest value of curve A over the run. */
  a: [number, number];
  /** Smallest and largest value of curve B over the run. */
  b: [number, number];
  /** Largest `|a − b|` over the run. */
  maxAbs: number;
  /** Largest `|a − b| / max(|a|, |b|)` over the run. */
  maxRel: number;
  /** Largest distance in units in the last place over the run (1 = adjacent doubles). */
  maxUlp: number;
  /** The first iteration of the run where `|a − b|` is `maxAbs`. */
  maxAbsAt: number;
}

/**
 * What a bounded comparison ({@linkcode DiffRunsOptions.exactRows}) did not compare value by
 * value: those rows, and what the samples taken among them found.
 */
export interface CurveDiffUnchecked {
  /** How many rows were not compared value by value. */
  rows: number;
  /** The first of them. */
  from: number;
  /** The last of them. */
  to: number;
  /** How many of them were sampled (both curves read there, evenly spaced): 0 when a curve is not random access. */
  sampled: number;
  /** Of the samples, how many differ in some common column. */
  differing: number;
  /** Of those, how many differ by at most `roundingUlps` in every column. */
  rounding: number;
  /** The first sampled row that differs. */
  firstDifference?: number;
  /** The sample with the largest `|a − b|`: its row, column and values. */
  largest?: { at: number; column: string; a: number; b: number; abs: number; rel: number };
}

/** Options of {@linkcode diffRuns}. */
export interface DiffRunsOptions {
  /**
   * The most computed rows compared value by value (constant stretches of both curves cost
   * O(1) each and are always compared whole). Past it, the rest is sampled: `samples` rows,
   * evenly spaced, when both curves are random access ({@linkcode CurveRuns.random}); and the
   * result's `unchecked` says what was not compared. `Infinity` compares every row.
   * @default {Infinity}
   */
  exactRows?: number;
  /**
   * How many of the rows past `exactRows` to sample.
   * @default {4096}
   */
  samples?: number;
  /**
   * Sampled differences up to this many ULPs are counted as rounding (`unchecked.rounding`).
   * @default {4}
   */
  roundingUlps?: number;
}

/** The comparison of two curves. */
export interface CurveDiff {
  /** Iterations present in both curves (with a value in both). */
  compared: number;
  /**
   * Of those compared (all of them, or those not in `unchecked`), iterations where every common
   * column is bit-identical.
   */
  identical: number;
  /** Set when the comparison was bounded and left rows uncompared: which, and what sampling found. */
  unchecked?: CurveDiffUnchecked;
  /** The runs of differing iterations, per column, in iteration order. */
  differences: CurveDifference[];
  /** Columns only one curve has. */
  onlyInA: string[];
  /** Columns only B has. */
  onlyInB: string[];
  /** Iterations with a value only in A (`[first, last]`), e.g. a longer schedule. */
  iterationsOnlyInA?: [number, number];
  /** Iterations with a value only in B. */
  iterationsOnlyInB?: [number, number];
}

/**
 * Compares two curves iteration by iteration (bit for bit, `Object.is`), column by column.
 *
 * @param a The first curve (consecutive iterations from 0, as `lrCurve` makes by default).
 * @param b The second curve.
 * @returns The runs of differences and what only one curve has.
 * @throws {RangeError} If a curve's iterations are not `0, 1, 2, …`.
 *
 * @example A 1x and a 3x schedule
 * ```ts
 * import { diffCurves, getCfg, lrCurve } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const a = getCfg(), b = getCfg();
 * Object.assign(a.SOLVER, { STEPS: [60], MAX_ITER: 90, WARMUP_ITERS: 10 });
 * Object.assign(b.SOLVER, { STEPS: [70], MAX_ITER: 100, WARMUP_ITERS: 10 });
 * const d = diffCurves(lrCurve(a), lrCurve(b));
 * const last = d.differences[d.differences.length - 1]!; // before it: 1-ULP warmup differences
 * assert.deepEqual([last.from, last.to, last.a[0], last.b[0]], [60, 69, 0.0001, 0.001]);
 * assert.deepEqual(d.iterationsOnlyInB, [91, 100]);
 * ```
 */
export function diffCurves(a: LrCurve, b: LrCurve): CurveDiff {
  return diffRuns(lrCurveAsRuns(a), lrCurveAsRuns(b));
}

/** At most this many pieces of one stretch are reported one by one ("×10, then ×100"). */
const MAX_PIECES = 10;

/** A difference of iterations [from, to] alone: A is x and B is y throughout. */
function single(
  column: string,
  from: number,
  to: number,
  x: number,
  y: number,
  maxAbs: number,
  maxRel: number,
  maxUlp: number,
): CurveDifference {
  return { from, to, column, a: [x, x], b: [y, y], maxAbs, maxRel, maxUlp, maxAbsAt: from };
}

/** The open stretch of differing iterations of one column. */
class Stretch {
  /** The whole stretch, aggregated. */
  run: CurveDifference | undefined;
  /** Its pieces of constant (a, b) pairs, while there are at most MAX_PIECES. */
  pieces: CurveDifference[] = [];
  split = true;
  constructor(readonly column: string) {}

  /** Adds iterations [from, to] with values x (A) and y (B), which differ. */
  add(from: number, to: number, x: number, y: number): void {
    const abs = Math.abs(x - y);
    const rel = abs / Math.max(Math.abs(x), Math.abs(y));
    const ulp = ulpDistance(x, y);
    const run = this.run;
    if (run === undefined) {
      this.run = single(this.column, from, to, x, y, abs, rel, ulp);
    } else {
      run.to = to;
      run.a = [Math.min(run.a[0], x), Math.max(run.a[1], x)];
      run.b = [Math.min(run.b[0], y), Math.max(run.b[1], y)];
      if (abs > run.maxAbs) (run.maxAbs = abs, run.maxAbsAt = from);
      run.maxRel = Math.max(run.maxRel, rel);
      run.maxUlp = Math.max(run.maxUlp, ulp);
    }
    if (!this.split) return;
    const last = this.pieces[this.pieces.length - 1];
    if (last && last.a[0] === x && last.b[0] === y) last.to = to;
    else if (this.pieces.length === MAX_PIECES) this.split = false;
    else {
      this.pieces.push(single(this.column, from, to, x, y, abs, rel, ulp));
    }
  }

  /**
   * Ends the stretch: where both curves are piecewise constant (steps), one run per pair of
   * values, so that "×10 until 80000, then ×100" reads as two runs; smooth stretches stay whole.
   */
  close(out: CurveDifference[]): void {
    if (this.run === undefined) return;
    if (this.split && this.pieces.every((p) => p.to > p.from)) out.push(...this.pieces);
    else out.push(this.run);
    this.run = undefined;
    this.pieces = [];
    this.split = true;
  }
}

/**
 * Compares two curves given as runs, iteration by iteration (bit for bit, `Object.is`), column by
 * column: where both are constant a stretch costs O(1), elsewhere the values are compared a
 * chunk at a time, in constant memory — all of them, or (with `exactRows`) up to a budget, the
 * rest sampled and said so (`unchecked`).
 *
 * @param a The first curve.
 * @param b The second curve.
 * @param options A bound on the rows compared value by value, and the samples past it.
 * @returns The runs of differences and what only one curve has.
 *
 * @example Two 10⁹-iteration schedules, compared in microseconds
 * ```ts
 * import { diffRuns, getCfg, lrCurveRuns } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const a = getCfg(), b = getCfg();
 * Object.assign(a.SOLVER, { STEPS: [6e8], MAX_ITER: 1e9, WARMUP_ITERS: 0 });
 * Object.assign(b.SOLVER, { STEPS: [7e8], MAX_ITER: 1e9, WARMUP_ITERS: 0 });
 * const d = diffRuns(lrCurveRuns(a), lrCurveRuns(b));
 * assert.equal(d.compared, 1e9 + 1);
 * assert.equal(d.differences.length, 1);
 * assert.equal(d.differences[0]!.b[0] / d.differences[0]!.a[0], 10);
 * ```
 *
 * @example A cosine against a step schedule, 10⁹ iterations: bounded, the rest sampled
 * ```ts
 * import { diffRuns, getCfg, lrCurveRuns } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const a = getCfg(), b = getCfg();
 * Object.assign(a.SOLVER, { LR_SCHEDULER_NAME: "WarmupCosineLR", MAX_ITER: 1e9 });
 * Object.assign(b.SOLVER, { STEPS: [6e8], MAX_ITER: 1e9 });
 * const d = diffRuns(lrCurveRuns(a), lrCurveRuns(b), { exactRows: 10_000, samples: 100 });
 * assert.equal(d.unchecked!.rows, 1e9 + 1 - 10_000);
 * assert.equal(d.unchecked!.sampled, 100);
 * assert.equal(d.unchecked!.differing, 100);
 * ```
 */
export function diffRuns(a: CurveRuns, b: CurveRuns, options: DiffRunsOptions = {}): CurveDiff {
  const validA = a.error ? Math.min(a.error.iteration, a.rows) : a.rows;
  const validB = b.error ? Math.min(b.error.iteration, b.rows) : b.rows;
  const n = Math.min(validA, validB);
  const names = a.columns.filter((c) => b.columns.includes(c));
  const ca = names.map((c) => a.columns.indexOf(c));
  const cb = names.map((c) => b.columns.indexOf(c));
  const stretches = names.map((c) => new Stretch(c));
  const differences: CurveDifference[] = [];
  const bufA = names.map(() => new Float64Array(RUN_CHUNK));
  const bufB = names.map(() => new Float64Array(RUN_CHUNK));
  let budget = options.exactRows ?? Infinity;
  if (!(budget >= 0)) {
    throw new RangeError(`diffRuns: \`exactRows\` must be a number >= 0: got ${budget}`);
  }
  // Past the budget, the runs of both are walked on only when that computes nothing.
  const walk = a.random === true && b.random === true;
  /** Rows not compared value by value: [start, end) pairs, ascending, merged. */
  const unchecked: number[] = [];
  const skip = (s: number, e: number) => {
    for (const st of stretches) st.close(differences);
    if (unchecked.length > 0 && unchecked[unchecked.length - 1] === s) {
      unchecked[unchecked.length - 1] = e;
    } else unchecked.push(s, e);
  };
  let differing = 0;
  const runsB = b.runs(0, n)[Symbol.iterator]();
  let rb = runsB.next();
  outer: for (const ra of a.runs(0, n)) {
    let s = ra.start;
    while (s < ra.end && !rb.done) {
      const run = rb.value;
      const e = Math.min(ra.end, run.end);
      if (ra.constant && run.constant) {
        let any = false;
        names.forEach((_, k) => {
          const x = ra.values[ca[k]!]!, y = run.values[cb[k]!]!;
          if (Object.is(x, y)) stretches[k]!.close(differences);
          else {
            stretches[k]!.add(s, e - 1, x, y);
            any = true;
          }
        });
        if (any) differing += e - s;
      } else {
        const m = Math.min(e, s + budget);
        budget -= m - s;
        for (let c0 = s; c0 < m; c0 += RUN_CHUNK) {
          const c1 = Math.min(m, c0 + RUN_CHUNK);
          names.forEach((_, k) => {
            ra.fill(ca[k]!, c0, c1, bufA[k]!);
            run.fill(cb[k]!, c0, c1, bufB[k]!);
          });
          for (let i = 0; i < c1 - c0; i++) {
            let any = false;
            for (let k = 0; k < names.length; k++) {
              const x = bufA[k]![i]!, y = bufB[k]![i]!;
              if (Object.is(x, y)) stretches[k]!.close(differences);
              else {
                stretches[k]!.add(c0 + i, c0 + i, x, y);
                any = true;
              }
            }
            if (any) differing++;
          }
        }
        if (m < e) {
          if (!walk) {
            skip(m, n);
            break outer;
          }
          skip(m, e);
        }
      }
      s = e;
      if (e === run.end) rb = runsB.next();
    }
  }
  for (const st of stretches) st.close(differences);
  differences.sort((x, y) => x.from - y.from || x.column.localeCompare(y.column));
  let skipped = 0;
  for (let k = 0; k < unchecked.length; k += 2) skipped += unchecked[k + 1]! - unchecked[k]!;
  return {
    compared: n,
    identical: n - skipped - differing,
    ...(skipped > 0
      ? {
        unchecked: sampleUnchecked(a, b, names, ca, cb, unchecked, skipped, {
          samples: walk ? options.samples ?? 4096 : 0,
          roundingUlps: options.roundingUlps ?? 4,
        }),
      }
      : {}),
    differences,
    onlyInA: a.columns.filter((c) => !b.columns.includes(c)),
    onlyInB: b.columns.filter((c) => !a.columns.includes(c)),
    ...(validA > validB ? { iterationsOnlyInA: [validB, validA - 1] as [number, number] } : {}),
    ...(validB > validA ? { iterationsOnlyInB: [validA, validB - 1] as [number, number] } : {}),
  };
}

/** Samples, evenly spaced by rank, of the rows `[s, e)` of `intervals`, compared. */
function sampleUnchecked(
  a: CurveRuns,
  b: CurveRuns,
  names: string[],
  ca: number[],
  cb: number[],
  intervals: number[],
  rows: number,
  o: { samples: number; roundingUlps: number },
): CurveDiffUnchecked {
  const out: CurveDiffUnchecked = {
    rows,
    from: intervals[0]!,
    to: intervals[intervals.length - 1]! - 1,
    sampled: 0,
    differing: 0,
    rounding: 0,
  };
  const count = Math.min(o.samples, rows);
  if (count <= 0) return out;
  const one = new Float64Array(1);
  const read = (curve: CurveRuns, row: number, columns: number[]): number[] => {
    const values: number[] = [];
    for (const run of curve.runs(row, row + 1)) {
      for (const c of columns) {
        if (run.constant) values.push(run.values[c]!);
        else {
          run.fill(c, row, row + 1, one);
          values.push(one[0]!);
        }
      }
    }
    return values;
  };
  let k = 0; // the interval
  let before = 0; // rows in the intervals before k
  for (let j = 0; j < count; j++) {
    // The rank of sample j among the unchecked rows: the first, the last, evenly between.
    const rank = count === 1 ? 0 : Math.round((j * (rows - 1)) / (count - 1));
    while (rank >= before + intervals[k + 1]! - intervals[k]!) {
      before += intervals[k + 1]! - intervals[k]!;
      k += 2;
    }
    const row = intervals[k]! + (rank - before);
    const x = read(a, row, ca), y = read(b, row, cb);
    out.sampled++;
    let differs = false, rounding = true;
    names.forEach((column, c) => {
      const p = x[c]!, q = y[c]!;
      if (Object.is(p, q)) return;
      differs = true;
      if (!(ulpDistance(p, q) <= o.roundingUlps)) rounding = false;
      const abs = Math.abs(p - q);
      if (out.largest === undefined || abs > out.largest.abs) {
        out.largest = {
          at: row,
          column,
          a: p,
          b: q,
          abs,
          rel: abs / Math.max(Math.abs(p), Math.abs(q)),
        };
      }
    });
    if (differs) {
      out.differing++;
      if (rounding) out.rounding++;
      out.firstDifference ??= row;
    }
  }
  return out;
}
