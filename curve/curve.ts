/**
 * The learning-rate curve a detectron2 config produces: every parameter group's learning rate at
 * each iteration, stepped exactly as detectron2's trainer steps its scheduler.
 *
 * @module
 */

import {
  buildLrScheduler,
  type BuildLrSchedulerOptions,
  type LrSchedulerSolverConfig,
} from "../schedules/detectron2/build.ts";
import type { SolverConfig } from "../schedules/detectron2/defaults.ts";

/** A value as an error message shows it. */
function show(value: unknown): string {
  return typeof value === "number" || value === undefined ? String(value) : JSON.stringify(value);
}

/** The solver keys {@linkcode lrCurve} reads. */
export type CurveSolverConfig =
  & LrSchedulerSolverConfig
  & Pick<SolverConfig, "BASE_LR" | "BIAS_LR_FACTOR">;

/** One distinct parameter-group learning rate of detectron2's optimizer. */
export interface ParamGroupLr {
  /** The column name: `lr` (weights) or `lr_bias` (biases, when `BIAS_LR_FACTOR != 1`). */
  name: string;
  /** The group's initial learning rate. */
  lr: number;
}

/**
 * The distinct learning rates of the parameter groups that detectron2's `build_optimizer` makes
 * (`get_default_optimizer_params`): `BASE_LR` for weights, and `BASE_LR * BIAS_LR_FACTOR` for
 * biases when `BIAS_LR_FACTOR` is not 1. Groups that differ only in weight decay share a learning
 * rate and are not repeated.
 *
 * @param cfg A config with `SOLVER.BASE_LR` and `SOLVER.BIAS_LR_FACTOR`.
 * @returns The groups, weights first.
 * @throws {TypeError} If `BASE_LR` is not a number.
 *
 * @example
 * ```ts
 * import { getCfg, paramGroupLrs } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const cfg = getCfg();
 * cfg.SOLVER.BIAS_LR_FACTOR = 2.0;
 * assert.deepEqual(paramGroupLrs(cfg), [{ name: "lr", lr: 0.001 }, { name: "lr_bias", lr: 0.002 }]);
 * ```
 */
export function paramGroupLrs(
  cfg: { SOLVER: Pick<SolverConfig, "BASE_LR" | "BIAS_LR_FACTOR"> },
): ParamGroupLr[] {
  const baseLr = cfg?.SOLVER?.BASE_LR;
  if (typeof baseLr !== "number") {
    throw new TypeError(
      `paramGroupLrs: \`cfg.SOLVER.BASE_LR\` must be a number: got ${show(baseLr)}`,
    );
  }
  const groups: ParamGroupLr[] = [{ name: "lr", lr: baseLr }];
  const factor = cfg.SOLVER.BIAS_LR_FACTOR as number | null;
  if (typeof factor === "number" && factor !== 1.0) {
    const bias = baseLr * factor;
    if (bias !== baseLr) groups.push({ name: "lr_bias", lr: bias });
  }
  return groups;
}

/** Where stepping the scheduler raised, as detectron2 would at that iteration. */
export interface CurveError {
  /** The first iteration whose learning rate does not exist. */
  iteration: number;
  /** The error's class name (`RangeError`). */
  name: string;
  /** Its message. */
  message: string;
}

/** A learning-rate curve. */
export interface LrCurve {
  /** `SOLVER.MAX_ITER`. */
  maxIter: number;
  /** The iterations recorded, ascending. */
  iterations: number[];
  /** One column per distinct parameter-group learning rate ({@linkcode paramGroupLrs}). */
  columns: { name: string; baseLr: number; values: Float64Array }[];
  /** Set when the scheduler raised: values from that iteration on are `NaN`. */
  error?: CurveError;
  /** What detectron2 would have logged while building the scheduler. */
  warnings: string[];
}

/** Options of {@linkcode lrCurve}. */
export interface LrCurveOptions {
  /**
   * The iterations to record, ascending.
   * @default {every iteration from 0 to MAX_ITER}
   */
  iterations?: readonly number[];
  /**
   * Called as the scheduler advances (about every 2^16 iterations, and at the end).
   * @default {undefined}
   */
  onProgress?: (done: number, total: number) => void;
  /**
   * The Python and torch releases {@linkcode buildLrScheduler} follows (see its options).
   * @default {{ python: "3.12", torch: "2.13" }}
   */
  releases?: Pick<BuildLrSchedulerOptions, "python" | "torch">;
}

/**
 * The learning rate of every parameter group at each iteration, as detectron2 trains with it:
 * {@linkcode buildLrScheduler} on an optimizer with the groups of {@linkcode paramGroupLrs},
 * the rates of iteration `i` read before the `i`-th `scheduler.step()` (detectron2's
 * `LRScheduler` hook). Iteration `MAX_ITER` is the rate after the last step of training.
 *
 * @param cfg A config (`getCfg()`, or one loaded from YAML).
 * @param options Which iterations to record; a progress callback.
 * @returns The curve. If stepping raises (detectron2 raises there too, e.g.
 * `WarmupStepWithFixedGammaLR` at the last step), `error` says where and the values from there on
 * are `NaN`.
 * @throws {RangeError | TypeError} If the scheduler cannot be built (as
 * {@linkcode buildLrScheduler}), or `iterations` is not ascending non-negative integers.
 *
 * @example The 1x schedule
 * ```ts
 * import { getCfg, lrCurve } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const cfg = getCfg();
 * Object.assign(cfg.SOLVER, { BASE_LR: 0.02, STEPS: [60000, 80000], MAX_ITER: 90000 });
 * const curve = lrCurve(cfg, { iterations: [0, 1000, 60000, 80000] });
 * assert.deepEqual([...curve.columns[0]!.values], [0.02 * 0.001, 0.02, 0.002, 0.00020000000000000004]);
 * ```
 */
export function lrCurve(cfg: { SOLVER: CurveSolverConfig }, options: LrCurveOptions = {}): LrCurve {
  const groups = paramGroupLrs(cfg);
  const maxIter = cfg.SOLVER.MAX_ITER;
  const iterations = options.iterations
    ? [...options.iterations]
    : Array.from({ length: maxIter + 1 }, (_, i) => i);
  iterations.forEach((it, i) => {
    if (!Number.isInteger(it) || it < 0 || (i > 0 && it <= iterations[i - 1]!)) {
      throw new RangeError(
        `lrCurve: \`iterations\` must be ascending non-negative integers: got ${
          show(it)
        } at index ${i}`,
      );
    }
  });
  const warnings: string[] = [];
  const optimizer = { paramGroups: groups.map((g) => ({ lr: g.lr })) };
  const scheduler = buildLrScheduler(cfg, optimizer, {
    ...options.releases,
    onWarning: (w) => warnings.push(w),
  });
  const columns = groups.map((g) => ({
    name: g.name,
    baseLr: g.lr,
    values: new Float64Array(iterations.length).fill(NaN),
  }));
  const last = iterations[iterations.length - 1] ?? 0;
  let error: CurveError | undefined;
  let iter = 0;
  for (let row = 0; row < iterations.length; row++) {
    const target = iterations[row]!;
    while (iter < target) {
      try {
        scheduler.step();
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        error = { iteration: iter + 1, name: err.constructor.name, message: err.message };
        break;
      }
      iter++;
      if (options.onProgress && (iter & 0xffff) === 0) options.onProgress(iter, last);
    }
    if (error) break;
    for (let g = 0; g < columns.length; g++) {
      columns[g]!.values[row] = optimizer.paramGroups[g]!.lr;
    }
  }
  options.onProgress?.(error ? error.iteration : last, last);
  return { maxIter, iterations, columns, ...(error ? { error } : {}), warnings };
}

/** Options of {@linkcode sampledIterations}. */
export interface SampledIterationsOptions {
  /**
   * Iterations to keep a window around (warmup end, steps).
   * @default {[]}
   */
  marks?: readonly number[];
  /**
   * Schedules up to this long are kept whole.
   * @default {5000}
   */
  fullUpTo?: number;
  /**
   * Half-width of the window around each mark and at both ends.
   * @default {40}
   */
  window?: number;
  /**
   * About how many evenly spaced iterations to keep besides the windows.
   * @default {1000}
   */
  strideCount?: number;
  /**
   * Iterations past `maxIter` to include.
   * @default {0}
   */
  extraEnd?: number;
}

/**
 * The iterations the golden fixtures record for a schedule: all of them for short schedules; for
 * long ones, windows around each mark and at both ends plus an even stride (the generator's
 * `sampled_iterations`).
 *
 * @param maxIter `SOLVER.MAX_ITER`.
 * @param options Marks, sizes.
 * @returns The iterations, ascending.
 *
 * @example
 * ```ts
 * import { sampledIterations } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sampledIterations(40).length, 41);
 * assert.ok(sampledIterations(90000, { marks: [60000] }).includes(59999));
 * ```
 */
export function sampledIterations(
  maxIter: number,
  options: SampledIterationsOptions = {},
): number[] {
  const { marks = [], fullUpTo = 5000, window = 40, strideCount = 1000, extraEnd = 0 } = options;
  const last = maxIter + extraEnd;
  if (maxIter <= fullUpTo) return Array.from({ length: last + 1 }, (_, i) => i);
  const its = new Set<number>();
  const range = (a: number, b: number) => {
    for (let i = a; i <= b; i++) its.add(i);
  };
  range(0, Math.min(window, last));
  for (const m of marks) range(Math.max(0, m - window), Math.min(last, m + window));
  const stride = Math.max(1, Math.floor(maxIter / strideCount));
  for (let i = 0; i <= last; i += stride) its.add(i);
  range(Math.max(0, last - window), last);
  return [...its].sort((a, b) => a - b);
}
