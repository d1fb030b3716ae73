/**
 * What the page does with a curve besides drawing it: read one value (the hover read-out), write
 * the CSV `lrspec curve` writes, and make the difference of two curves as a curve of its own —
 * all on the runs of `curve/runs.ts`, so constant stretches cost nothing.
 *
 * Pure: no DOM.
 *
 * @module
 */

import {
  type CurveRun,
  type CurveRuns,
  errorAt,
  RUN_CHUNK,
  type Stepper,
  valuesRuns,
} from "../curve/runs.ts";
import type { CurveError } from "../curve/curve.ts";
import { pyFloatRepr } from "../schedules/python.ts";
import { ulpDistance } from "../schedules/math.ts";
import { type CurveDiff, diffRuns } from "../curve/diff.ts";
import { grouped } from "../curve/format.ts";

/**
 * The most computed rows the compare panel compares value by value (constant stretches are
 * compared whole whatever their length): `lrspec diff`'s budget without `--exact`.
 */
export const COMPARE_EXACT_ROWS: number = 1 << 18;

/**
 * The most computed rows the compare panel's difference chart reads value by value before it
 * samples (random-access curves only): `lrspec plot`'s budget.
 */
export const COMPARE_CHART_EXACT_ROWS: number = 1 << 20;

/** How many of the rows past {@linkcode COMPARE_EXACT_ROWS} the compare panel samples. */
export const COMPARE_SAMPLES: number = 4096;

/** Sampled differences up to this many ULPs are rounding (as `lrspec diff` counts them). */
const COMPARE_ROUNDING_ULPS = 4;

/**
 * The compare panel's comparison: {@linkcode diffRuns} with `lrspec diff`'s bounded budget, so a
 * 10⁹-row comparison costs what the CLI's does, not a pass over every row.
 *
 * @param a The first curve (its headline column).
 * @param b The second.
 * @returns The comparison; its `unchecked` says what was not compared exactly.
 */
export function compareRuns(a: CurveRuns, b: CurveRuns): CurveDiff {
  return diffRuns(a, b, {
    exactRows: COMPARE_EXACT_ROWS,
    samples: COMPARE_SAMPLES,
    roundingUlps: COMPARE_ROUNDING_ULPS,
  });
}

/**
 * What a bounded comparison left out, in words, as `lrspec diff` says it: which rows were not
 * compared exactly, and what sampling them found (or why they were not sampled).
 *
 * @param d The comparison.
 * @param unit What a row is called (`iteration`, `step`, `row`).
 * @param off What the first row is numbered.
 * @returns The sentence, or `undefined` when every row was compared exactly.
 */
export function uncheckedText(d: CurveDiff, unit: string, off: number): string | undefined {
  const u = d.unchecked;
  if (!u) return undefined;
  const range = u.from === u.to
    ? `${unit} ${u.from + off}`
    : `${unit}s ${u.from + off}–${u.to + off}`;
  const rest = `${grouped(d.compared - u.rows)} ${unit}s compared exactly (constant stretches ` +
    `whole, computed ${unit}s one by one up to ${grouped(COMPARE_EXACT_ROWS)}); ` +
    `${grouped(u.rows)} not compared exactly (${range}` +
    `${u.rows < u.to - u.from + 1 ? ", between constant stretches" : ""})`;
  if (u.sampled === 0) {
    return `${rest}: not sampled either (a curve can only be stepped from the start).`;
  }
  const every = u.sampled > 1 ? `, about every ${grouped(Math.round(u.rows / u.sampled))}th` : "";
  const found = u.differing === 0
    ? "all identical"
    : `${grouped(u.differing)} differ (${grouped(u.rounding)} by rounding only, ≤ ` +
      `${COMPARE_ROUNDING_ULPS} ULP), the first at ${unit} ${u.firstDifference! + off}` +
      (u.largest
        ? `, the largest |A − B| ${pyFloatRepr(u.largest.abs)} at ${u.largest.at + off}`
        : "");
  return `${rest}: ${grouped(u.sampled)} of them sampled${every}: ${found}.`;
}

/** Curves up to this many rows are held in memory once read value by value (hover). */
const MATERIALIZE_UP_TO = 4_000_000;

/** Reads single values of a curve: O(1) after one pass for curves that fit in memory. */
export class ValueReader {
  #columns: Float64Array[] | undefined;
  readonly #curve: CurveRuns;

  /** @param curve The curve. */
  constructor(curve: CurveRuns) {
    this.#curve = curve;
  }

  /**
   * The value of a column at an iteration, or NaN where there is none (past the end, at or after
   * the first raising iteration).
   *
   * @param iteration The iteration.
   * @param column The column.
   * @returns The value.
   */
  at(iteration: number, column = 0): number {
    const curve = this.#curve;
    if (!(iteration >= 0 && iteration < curve.rows) || !Number.isInteger(iteration)) return NaN;
    if (curve.rows <= MATERIALIZE_UP_TO) {
      this.#columns ??= materialize(curve);
      return this.#columns[column]![iteration]!;
    }
    const out = new Float64Array(1);
    for (const run of curve.runs(iteration, iteration + 1)) {
      run.fill(column, iteration, iteration + 1, out);
      return out[0]!;
    }
    return NaN;
  }
}

/**
 * Every value of every column (NaN from the first raising iteration on).
 *
 * @param curve The curve.
 * @returns One array per column.
 */
export function materialize(curve: CurveRuns): Float64Array[] {
  const out = curve.columns.map(() => new Float64Array(curve.rows).fill(NaN));
  for (const run of curve.runs(0, curve.rows)) {
    curve.columns.forEach((_, c) => {
      run.fill(c, run.start, run.end, out[c]!.subarray(run.start, run.end));
    });
  }
  return out;
}

/**
 * The curve as `lrspec curve` writes it, byte for byte: `<index>,<columns>` and one row per
 * row, numbered as the view numbers them (`iter` from 0, the Trainer's `step` from 1, timm's
 * `epoch`), then the epoch where the view counts epochs (mmengine: `iter,epoch,lr,…`), values in
 * Python's `repr` (the fixtures' format); from the first raising row on, empty values and an
 * `error` column with the error's class.
 *
 * @param curve The curve: a view (its `indexColumn`, `firstIndex` and `rowsPerEpoch`), or bare
 * runs (`iter` from 0).
 * @returns The CSV text.
 */
export function curveCsv(
  curve: CurveRuns & {
    readonly indexColumn?: string;
    readonly firstIndex?: number;
    readonly rowsPerEpoch?: number;
  },
): string {
  const error = curve.error;
  const first = curve.firstIndex ?? 0;
  const keyName = curve.indexColumn ?? "iter";
  const perEpoch = curve.rowsPerEpoch;
  // `iter,epoch,…` where the view counts epochs (mmengine), as `lrspec curve` writes it.
  const at = perEpoch === undefined
    ? (i: number) => String(i + first)
    : (i: number) => `${i + first},${Math.floor(i / perEpoch)}`;
  const header = [
    keyName,
    ...(perEpoch === undefined ? [] : ["epoch"]),
    ...curve.columns,
    ...(error ? ["error"] : []),
  ].join(",");
  const parts: string[] = [header + "\n"];
  const width = curve.columns.length;
  const buffers = curve.columns.map(() => new Float64Array(RUN_CHUNK));
  for (const run of curve.runs(0, curve.rows)) {
    if (run.constant) {
      const tail = run.values.map(pyFloatRepr).join(",") + (error ? ",\n" : "\n");
      for (let i = run.start; i < run.end; i++) parts.push(`${at(i)},${tail}`);
      continue;
    }
    for (let a = run.start; a < run.end; a += RUN_CHUNK) {
      const b = Math.min(run.end, a + RUN_CHUNK);
      for (let c = 0; c < width; c++) run.fill(c, a, b, buffers[c]!);
      const rows: string[] = [];
      for (let k = 0; k < b - a; k++) {
        let row = at(a + k);
        for (let c = 0; c < width; c++) row += "," + pyFloatRepr(buffers[c]![k]!);
        rows.push(error ? row + ",\n" : row + "\n");
      }
      parts.push(rows.join(""));
    }
  }
  if (error) {
    const empty = ",".repeat(width);
    for (let i = error.iteration; i < curve.rows; i++) {
      parts.push(`${at(i)}${empty},${error.name}\n`);
    }
  }
  return parts.join("");
}

/** What {@linkcode differenceRuns} plots: `|a − b|`, or the distance in ULPs. */
export type DifferenceMode = "difference" | "ulp";

function constantRun(start: number, end: number, value: number): CurveRun {
  return {
    start,
    end,
    constant: true,
    monotone: true,
    values: [value],
    fill: (_c, from, to, out) => void out.fill(value, 0, to - from),
  };
}

/**
 * The difference of two curves as a curve: `|a − b|`, or the distance in ULPs (adjacent doubles
 * are 1 apart), iteration by iteration over the iterations both have a value at. Where both
 * curves are constant, so is the difference (one run).
 *
 * @param a The first curve.
 * @param b The second.
 * @param mode `difference` (`|a − b|`) or `ulp`.
 * @param columnA A's column.
 * @param columnB B's column.
 * @returns The difference's runs (one column, `|a-b|` or `ulp`).
 */
export function differenceRuns(
  a: CurveRuns,
  b: CurveRuns,
  mode: DifferenceMode,
  columnA = 0,
  columnB = 0,
): CurveRuns {
  const op = mode === "ulp"
    ? (x: number, y: number) => ulpDistance(x, y)
    : (x: number, y: number) => Math.abs(x - y);
  const rows = Math.min(a.rows, b.rows);
  const errors = [a.error, b.error].filter((e): e is CurveError => e !== undefined)
    .sort((x, y) => x.iteration - y.iteration);
  const error = errors[0] && errors[0].iteration < rows ? errors[0] : undefined;
  const limit = error ? error.iteration : rows;
  function* runs(from: number, to: number): Generator<CurveRun> {
    to = Math.min(to, limit);
    if (from >= to) return;
    const ia = a.runs(from, to)[Symbol.iterator]();
    const ib = b.runs(from, to)[Symbol.iterator]();
    let ra = ia.next();
    let rb = ib.next();
    let i = from;
    const bufA = new Float64Array(RUN_CHUNK);
    const bufB = new Float64Array(RUN_CHUNK);
    while (!ra.done && !rb.done && i < to) {
      const x = ra.value, y = rb.value;
      const end = Math.min(x.end, y.end, to);
      if (x.constant && y.constant) {
        yield constantRun(i, end, op(x.values[columnA]!, y.values[columnB]!));
      } else {
        yield {
          start: i,
          end,
          constant: false,
          monotone: false,
          values: [],
          fill(_c, s, e, out) {
            for (let p = s; p < e; p += RUN_CHUNK) {
              const q = Math.min(e, p + RUN_CHUNK);
              x.fill(columnA, p, q, bufA);
              y.fill(columnB, p, q, bufB);
              for (let k = 0; k < q - p; k++) out[p - s + k] = op(bufA[k]!, bufB[k]!);
            }
          },
        };
      }
      i = end;
      if (x.end <= end) ra = ia.next();
      if (y.end <= end) rb = ib.next();
    }
  }
  return {
    columns: [mode === "ulp" ? "ulp" : "|a-b|"],
    rows,
    error,
    warnings: [],
    // Computing nothing to iterate when neither curve does: the chart may sample it.
    ...(a.random === true && b.random === true ? { random: true } : {}),
    runs,
  };
}

/**
 * A curve's headline column alone, named `lr`: what two curves of different families (an fvcore
 * multiplier's `value`, torch's `lr`) are compared on.
 *
 * @param curve The curve.
 * @returns The same runs with one column.
 */
export function headline(curve: CurveRuns): CurveRuns {
  return {
    columns: ["lr"],
    rows: curve.rows,
    error: curve.error,
    warnings: curve.warnings,
    ...(curve.random === undefined ? {} : { random: curve.random }),
    *runs(from, to) {
      for (const run of curve.runs(from, to)) {
        yield {
          start: run.start,
          end: run.end,
          constant: run.constant,
          monotone: run.monotone,
          values: run.values.slice(0, 1),
          fill: (_c, a, b, out) => run.fill(0, a, b, out),
        };
      }
    },
  };
}

/**
 * A schedule that can only be stepped, stepped once into memory: the values of `steppedRuns`
 * (`curve/runs.ts`) and the same first raising iteration, in one pass instead of one to find the
 * error and another per drawing — the page draws, hovers and exports the same curve many times.
 *
 * @param options One column's name, the rows, a fresh stepper at iteration 0.
 * @returns The curve.
 */
export function steppedValues(
  options: { column: string; rows: number; start: () => Stepper },
): CurveRuns {
  const { rows } = options;
  const values = new Float64Array(rows);
  const row = [NaN];
  const stepper = options.start();
  let error: CurveError | undefined;
  stepper.values(row);
  values[0] = row[0]!;
  for (let i = 1; i < rows; i++) {
    try {
      stepper.step();
    } catch (e) {
      error = errorAt(i, e);
      break;
    }
    stepper.values(row);
    values[i] = row[0]!;
  }
  return valuesRuns(error ? values.subarray(0, error.iteration) : values, {
    column: options.column,
    rows,
    ...(error ? { error } : {}),
  });
}
