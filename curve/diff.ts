/**
 * Where two learning-rate curves differ, and by how much.
 *
 * @module
 */

import type { LrCurve } from "./curve.ts";
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
}

/** The comparison of two curves. */
export interface CurveDiff {
  /** Iterations present in both curves (with a value in both). */
  compared: number;
  /** Of those, iterations where every common column is bit-identical. */
  identical: number;
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

function valued(curve: LrCurve): Map<number, number> {
  const out = new Map<number, number>();
  curve.iterations.forEach((it, i) => {
    if (!Number.isNaN(curve.columns[0]?.values[i] ?? NaN)) out.set(it, i);
  });
  return out;
}

function span(its: number[]): [number, number] | undefined {
  return its.length ? [its[0]!, its[its.length - 1]!] : undefined;
}

/**
 * Compares two curves iteration by iteration (bit for bit, `Object.is`), column by column.
 *
 * @param a The first curve.
 * @param b The second curve.
 * @returns The runs of differences and what only one curve has.
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
  const ia = valued(a);
  const ib = valued(b);
  const common = [...ia.keys()].filter((it) => ib.has(it)).sort((x, y) => x - y);
  const namesA = a.columns.map((c) => c.name);
  const namesB = b.columns.map((c) => c.name);
  const columns = namesA.filter((n) => namesB.includes(n));
  const differences: CurveDifference[] = [];
  const differing = new Set<number>();
  for (const name of columns) {
    const ca = a.columns.find((c) => c.name === name)!.values;
    const cb = b.columns.find((c) => c.name === name)!.values;
    let run: CurveDifference | undefined;
    let prev = -2;
    for (const it of common) {
      const x = ca[ia.get(it)!]!;
      const y = cb[ib.get(it)!]!;
      if (Object.is(x, y)) {
        run = undefined;
        continue;
      }
      differing.add(it);
      const abs = Math.abs(x - y);
      const rel = abs / Math.max(Math.abs(x), Math.abs(y));
      const ulp = ulpDistance(x, y);
      if (run && prev === it - 1) {
        run.to = it;
        run.a = [Math.min(run.a[0], x), Math.max(run.a[1], x)];
        run.b = [Math.min(run.b[0], y), Math.max(run.b[1], y)];
        run.maxAbs = Math.max(run.maxAbs, abs);
        run.maxRel = Math.max(run.maxRel, rel);
        run.maxUlp = Math.max(run.maxUlp, ulp);
      } else {
        run = {
          from: it,
          to: it,
          column: name,
          a: [x, x],
          b: [y, y],
          maxAbs: abs,
          maxRel: rel,
          maxUlp: ulp,
        };
        differences.push(run);
      }
      prev = it;
    }
  }
  differences.sort((x, y) => x.from - y.from || x.column.localeCompare(y.column));
  return finish(
    splitConstant(differences, a, b, ia, ib),
    ia,
    ib,
    common,
    differing,
    namesA,
    namesB,
  );
}

/**
 * Splits runs where both curves are piecewise constant (steps) into one run per pair of values,
 * so that "×10 until 80000, then ×100" reads as two runs; smooth runs stay whole.
 */
function splitConstant(
  runs: CurveDifference[],
  a: LrCurve,
  b: LrCurve,
  ia: Map<number, number>,
  ib: Map<number, number>,
): CurveDifference[] {
  const out: CurveDifference[] = [];
  for (const run of runs) {
    const ca = a.columns.find((c) => c.name === run.column)!.values;
    const cb = b.columns.find((c) => c.name === run.column)!.values;
    const pieces: CurveDifference[] = [];
    for (let it = run.from; it <= run.to && pieces.length <= 10; it++) {
      const x = ca[ia.get(it)!]!;
      const y = cb[ib.get(it)!]!;
      const last = pieces[pieces.length - 1];
      if (last && last.a[0] === x && last.b[0] === y) last.to = it;
      else {
        const abs = Math.abs(x - y);
        pieces.push({
          from: it,
          to: it,
          column: run.column,
          a: [x, x],
          b: [y, y],
          maxAbs: abs,
          maxRel: abs / Math.max(Math.abs(x), Math.abs(y)),
          maxUlp: ulpDistance(x, y),
        });
      }
    }
    if (pieces.length <= 10 && pieces.every((p) => p.to > p.from)) out.push(...pieces);
    else out.push(run);
  }
  return out;
}

function finish(
  differences: CurveDifference[],
  ia: Map<number, number>,
  ib: Map<number, number>,
  common: number[],
  differing: Set<number>,
  namesA: string[],
  namesB: string[],
): CurveDiff {
  const onlyA = span([...ia.keys()].filter((it) => !ib.has(it)).sort((x, y) => x - y));
  const onlyB = span([...ib.keys()].filter((it) => !ia.has(it)).sort((x, y) => x - y));
  return {
    compared: common.length,
    identical: common.length - differing.size,
    differences,
    onlyInA: namesA.filter((n) => !namesB.includes(n)),
    onlyInB: namesB.filter((n) => !namesA.includes(n)),
    ...(onlyA ? { iterationsOnlyInA: onlyA } : {}),
    ...(onlyB ? { iterationsOnlyInB: onlyB } : {}),
  };
}
