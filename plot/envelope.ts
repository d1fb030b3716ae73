/**
 * What a chart needs of a curve of any length: its points at the change points, exactly, and
 * the first, smallest, largest and last value of each pixel column elsewhere — O(plot width +
 * change points) points, time and memory for constant and monotone stretches.
 *
 * @module
 */

import { type CurveRuns, RUN_CHUNK } from "../curve/runs.ts";

/** Options of {@linkcode curveEnvelope}. */
export interface CurveEnvelopeOptions {
  /**
   * The column (index into `curve.columns`).
   * @default {0}
   */
  column?: number;
  /**
   * The first iteration drawn.
   * @default {0}
   */
  from?: number;
  /**
   * One past the last iteration drawn.
   * @default {curve.rows}
   */
  to?: number;
  /**
   * How many columns (buckets of iterations) to keep the first, smallest, largest and last value
   * of: about the plot's width in pixels, or more.
   * @default {1600}
   */
  buckets?: number;
  /**
   * The most rows of computed, not provably monotone runs read value by value. On a
   * random-access curve ({@linkcode CurveRuns.random}), from the first such run that does not fit
   * in what is left of them on, those runs are sampled instead: `samples` rows per bucket, evenly
   * spaced, its first and last among them (`sampled` in the result says how many rows were not
   * read). `Infinity` reads every row.
   * @default {Infinity}
   */
  exactRows?: number;
  /**
   * Rows read per bucket of a computed run when sampling.
   * @default {8}
   */
  samples?: number;
}

/** Points of a curve, ascending in x (iterations); a NaN y leaves a gap. */
export interface CurvePoints {
  /** Iterations. */
  x: number[];
  /** Values. */
  y: number[];
  /** Rows of computed runs not read (sampled between): set only when sampling. */
  sampled?: number;
}

/**
 * The points that draw a curve exactly at any width up to `buckets` pixels: every constant run
 * from its first iteration to the next run's first, where the next value starts on the same x
 * (so a step is a vertical drop exactly where it is, at any zoom), and every bucket of a
 * computed run by its first, smallest, largest and last value — read from the bucket's two ends
 * on a monotone run (O(1)), value by value otherwise. A bucket that would hold more than four
 * points (more steps than buckets: 10⁶ milestones) keeps its first, smallest, largest and last,
 * so the points stay O(buckets) whatever the number of runs. The first raising iteration, if
 * drawn, becomes a gap.
 *
 * @param curve The curve.
 * @param options The column, the iterations, the resolution.
 * @returns The points.
 * @throws {RangeError} If the range is empty or `buckets` is not a positive integer.
 *
 * @example A multistep schedule in four points, at any length
 * ```ts
 * import { curveEnvelope, getCfg, lrCurveRuns } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const cfg = getCfg();
 * Object.assign(cfg.SOLVER, { STEPS: [60000], MAX_ITER: 90000, WARMUP_ITERS: 0 });
 * const { x, y } = curveEnvelope(lrCurveRuns(cfg));
 * assert.deepEqual(x, [0, 60000, 60000, 90000]);
 * assert.deepEqual(y, [0.001, 0.001, 0.0001, 0.0001]);
 * // 10⁹ iterations: the same four points (detectron2's WHERE_EPSILON moves the step by 1000).
 * cfg.SOLVER.STEPS = [6e8];
 * cfg.SOLVER.MAX_ITER = 1e9;
 * assert.deepEqual(curveEnvelope(lrCurveRuns(cfg)).x, [0, 599999000, 599999000, 1e9]);
 * ```
 */
export function curveEnvelope(curve: CurveRuns, options: CurveEnvelopeOptions = {}): CurvePoints {
  const column = options.column ?? 0;
  const from = options.from ?? 0;
  const to = options.to ?? curve.rows;
  const buckets = options.buckets ?? 1600;
  if (!(to > from) || !Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
    throw new RangeError(`curveEnvelope: an empty range of iterations: [${from}, ${to})`);
  }
  const samples = options.samples ?? 8;
  if (!Number.isSafeInteger(samples) || samples < 2) {
    throw new RangeError(`curveEnvelope: \`samples\` must be an integer >= 2: got ${samples}`);
  }
  if (!Number.isSafeInteger(buckets) || buckets < 1) {
    throw new RangeError(`curveEnvelope: \`buckets\` must be a positive integer: got ${buckets}`);
  }
  const width = (to - from) / buckets;
  /** One past the last iteration of the bucket that holds `i`. */
  const bucketEnd = (i: number) =>
    Math.max(i + 1, from + Math.ceil((Math.floor((i - from) / width) + 1) * width));
  const x: number[] = [];
  const y: number[] = [];
  // The points of the current bucket: kept as they come up to four; past that (more change
  // points than buckets: 10⁶ milestones), only its first, smallest, largest and last — O(buckets)
  // points and memory whatever the number of runs.
  let bucket = NaN;
  let count = 0;
  let lastI = NaN, lastV = NaN;
  const bi: number[] = [], bv: number[] = []; // the first four
  let loK = 0, loI = 0, loV = Infinity, hiK = 0, hiI = 0, hiV = -Infinity;
  const flush = () => {
    if (count <= 4) {
      for (let k = 0; k < count; k++) (x.push(bi[k]!), y.push(bv[k]!));
    } else {
      // In the order they came (a step's two values share an x), each once.
      const keep = [[0, bi[0]!, bv[0]!], [loK, loI, loV], [hiK, hiI, hiV], [
        count - 1,
        lastI,
        lastV,
      ]] as const;
      let previous = -1;
      for (const [k, i, v] of [...keep].sort((a, b) => a[0] - b[0])) {
        if (k !== previous) (x.push(i), y.push(v));
        previous = k;
      }
    }
    count = 0;
    bi.length = 0;
    bv.length = 0;
    loV = Infinity;
    hiV = -Infinity;
  };
  const push = (i: number, v: number) => {
    if (i === lastI && Object.is(v, lastV)) return;
    const b = Math.floor((i - from) / width);
    if (b !== bucket || v !== v) {
      flush();
      bucket = v !== v ? NaN : b; // a gap (NaN) stands alone
    }
    if (count < 4) (bi.push(i), bv.push(v));
    if (v < loV) (loK = count, loI = i, loV = v);
    if (v > hiV) (hiK = count, hiI = i, hiV = v);
    count++;
    lastI = i;
    lastV = v;
  };
  const one = new Float64Array(1);
  const chunk = new Float64Array(Math.min(RUN_CHUNK, to - from));
  // A computed, not monotone run is read row by row while it fits in what is left of
  // `exactRows`; past that, on a random-access curve, it is sampled (no pass to count first: a
  // curve of 10⁶ steps would pay for it).
  let budget = curve.random === true ? options.exactRows ?? Infinity : Infinity;
  const perBucket = samples;
  let sample = false;
  let skipped = 0;
  for (const run of curve.runs(from, to)) {
    const a = Math.max(run.start, from);
    const b = Math.min(run.end, to);
    if (run.constant) {
      // A value holds until the next row's: drawn up to that row, where the curve drops
      // vertically (a step is a step at any zoom, in every family).
      const v = run.values[column]!;
      push(a, v);
      const end = b < to ? b : b - 1;
      if (end > a) push(end, v);
      continue;
    }
    const at = (i: number) => {
      run.fill(column, i, i + 1, one);
      return one[0]!;
    };
    if (!run.monotone && !sample) {
      if (b - a > budget) sample = true;
      else budget -= b - a;
    }
    for (let s = a; s < b;) {
      const e = Math.min(b, bucketEnd(s));
      if (run.monotone) {
        push(s, at(s));
        if (e - 1 > s) push(e - 1, at(e - 1));
      } else if (sample && e - s > perBucket) {
        // `perBucket` rows, evenly spaced, the bucket's first and last among them.
        let iMin = s, iMax = s, vMin = Infinity, vMax = -Infinity;
        const first = at(s);
        let last = first;
        for (let k = 0; k < perBucket; k++) {
          const i = s + Math.round((k * (e - 1 - s)) / (perBucket - 1));
          const v = k === 0 ? first : at(i);
          if (v < vMin) [vMin, iMin] = [v, i];
          if (v > vMax) [vMax, iMax] = [v, i];
          last = v;
        }
        skipped += e - s - perBucket;
        push(s, first);
        const [p, q] = iMin < iMax ? [iMin, iMax] : [iMax, iMin];
        if (p > s) push(p, p === iMin ? vMin : vMax);
        if (q > s && q < e - 1) push(q, q === iMin ? vMin : vMax);
        push(e - 1, last);
      } else {
        let iMin = s, iMax = s, vMin = Infinity, vMax = -Infinity, first = NaN, last = NaN;
        for (let c = s; c < e; c += chunk.length) {
          const d = Math.min(e, c + chunk.length);
          run.fill(column, c, d, chunk);
          if (c === s) first = chunk[0]!;
          for (let k = 0; k < d - c; k++) {
            const v = chunk[k]!;
            if (v < vMin) [vMin, iMin] = [v, c + k];
            if (v > vMax) [vMax, iMax] = [v, c + k];
          }
          last = chunk[d - c - 1]!;
        }
        push(s, first);
        const [p, q] = iMin < iMax ? [iMin, iMax] : [iMax, iMin];
        if (p > s) push(p, p === iMin ? vMin : vMax);
        if (q > s && q < e - 1) push(q, q === iMin ? vMin : vMax);
        if (e - 1 > s) push(e - 1, last);
      }
      s = e;
    }
  }
  const error = curve.error;
  if (error && error.iteration >= from && error.iteration < to) push(error.iteration, NaN);
  flush();
  return sample ? { x, y, sampled: skipped } : { x, y };
}
