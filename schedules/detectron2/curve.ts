/**
 * The learning-rate curve a detectron2 config produces: every parameter group's learning rate at
 * each iteration, stepped exactly as detectron2's trainer steps its scheduler — in memory
 * ({@linkcode lrCurve}) or as runs ({@linkcode lrCurveRuns}, the curve of any length at the cost
 * of its change points).
 *
 * @module
 */

import { optionError } from "../errors.ts";
import {
  buildLrScheduler,
  type BuildLrSchedulerOptions,
  type LrSchedulerSolverConfig,
} from "./build.ts";
import type { SolverConfig } from "./defaults.ts";
import { LRMultiplier } from "./lr_scheduler.ts";
import { sampleLr } from "./sample_lr.ts";
import { ScheduleCursor } from "../fast/cursor.ts";
import type { LRScheduler } from "../torch/optim/lr_scheduler.ts";
import type { CurveError, LrCurve } from "../../curve/curve.ts";
import { cursorCurveRuns, type CurveRuns, errorAt, steppedRuns } from "../../curve/runs.ts";

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
    throw optionError(
      TypeError,
      "paramGroupLrs",
      "cfg.SOLVER.BASE_LR",
      baseLr,
      `\`cfg.SOLVER.BASE_LR\` must be a number: got ${show(baseLr)}`,
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
      throw optionError(
        RangeError,
        "lrCurve",
        "iterations",
        options.iterations,
        `\`iterations\` must be ascending non-negative integers: got ${show(it)} at index ${i}`,
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
        error = errorAt(iter + 1, e);
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

/** Options of {@linkcode lrCurveRuns}. */
export interface LrCurveRunsOptions {
  /**
   * The number of iterations: the default covers `0 … MAX_ITER` (iteration `MAX_ITER` is the
   * learning rate after the last step of training); `MAX_ITER + 2` adds one step past it.
   * @default {MAX_ITER + 1}
   */
  rows?: number;
  /**
   * The Python and torch releases `buildLrScheduler` follows (see its options).
   * @default {{ python: "3.12", torch: "2.13" }}
   */
  releases?: Pick<BuildLrSchedulerOptions, "python" | "torch">;
}

/**
 * The learning-rate curve of a detectron2 config as runs: the same values, and the same first
 * raising iteration, as {@linkcode lrCurve} (which steps the scheduler), computed without
 * stepping for `LRMultiplier` schedules — constant stretches come from `ScheduleCursor.runs`,
 * other values from `sampleLr`, both bit-identical to stepping. `WarmupPolyLR` and any other
 * scheduler is stepped ({@linkcode steppedRuns}).
 *
 * @param cfg A config with a `SOLVER` node.
 * @param options The number of rows.
 * @returns The curve's runs; the first raising iteration is found when it is made, by probing
 * the ends of each computed run (a schedule raises from some iteration of a run to its end).
 * @throws {RangeError | TypeError} If the scheduler cannot be built (as
 * {@linkcode buildLrScheduler}), or `rows` is not a positive safe integer.
 *
 * @example The 1x schedule's runs
 * ```ts
 * import { getCfg, lrCurveRuns } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const cfg = getCfg();
 * Object.assign(cfg.SOLVER, { BASE_LR: 0.02, STEPS: [60000, 80000], MAX_ITER: 90000 });
 * const curve = lrCurveRuns(cfg);
 * const runs = [...curve.runs(0, curve.rows)].map((r) => [r.start, r.end, r.constant]);
 * assert.deepEqual(runs, [[0, 1000, false], [1000, 60000, true], [60000, 80000, true], [80000, 90001, true]]);
 * ```
 */
export function lrCurveRuns(
  cfg: { SOLVER: CurveSolverConfig },
  options: LrCurveRunsOptions = {},
): CurveRuns {
  const groups = paramGroupLrs(cfg);
  const maxIter = cfg.SOLVER.MAX_ITER;
  const warnings: string[] = [];
  const optimizer = { paramGroups: groups.map((g) => ({ lr: g.lr })) };
  // detectron2's own checks first: a bad MAX_ITER is the config's error, not the row count's.
  const scheduler = buildLrScheduler(cfg, optimizer, {
    ...options.releases,
    onWarning: (w) => warnings.push(w),
  });
  const rows = options.rows ?? maxIter + 1;
  if (!Number.isSafeInteger(rows) || rows < 1) {
    throw optionError(
      RangeError,
      "lrCurveRuns",
      "rows",
      rows,
      `\`rows\` must be a positive safe integer: got ${rows}`,
    );
  }
  const columns = groups.map((g) => g.name);
  if (scheduler instanceof LRMultiplier && scheduler.getLr === LRMultiplier.prototype.getLr) {
    return multiplierRuns(scheduler, columns, rows, warnings);
  }
  return steppedRuns({
    columns,
    rows,
    warnings,
    start: () => {
      const fresh = { paramGroups: groups.map((g) => ({ lr: g.lr })) };
      const s: LRScheduler = buildLrScheduler(cfg, fresh, {
        ...options.releases,
        onWarning: () => {},
      });
      return {
        values: (out) => fresh.paramGroups.forEach((g, i) => (out[i] = g.lr)),
        step: () => s.step(),
      };
    },
  });
}

/** The runs of an `LRMultiplier`: `runAt` for constant stretches, `sampleLr` for the rest. */
function multiplierRuns(
  scheduler: LRMultiplier,
  columns: readonly string[],
  rows: number,
  warnings: readonly string[],
): CurveRuns {
  const baseLrs = scheduler.baseLrs.slice();
  const cursor = new ScheduleCursor(scheduler.multiplier, { numUpdates: scheduler.maxIter });
  // The error step() throws for such a rate (torch's LRScheduler: lrspec refuses to write it).
  const check = (out: Float64Array, n: number, from: number, group: number) => {
    for (let k = 0; k < n; k++) {
      if (out[k]! - out[k]! !== 0) {
        throw optionError(
          RangeError,
          "LRMultiplier",
          `optimizer.paramGroups[${group}].lr`,
          out[k],
          `the learning rate of group ${group} would be ${show(out[k])} at iteration ${
            from + k
          } (torch would write it; lrspec refuses)`,
        );
      }
    }
  };
  return cursorCurveRuns({
    cursor,
    columns,
    rows,
    warnings,
    constant: (v) => baseLrs.map((b) => b * v),
    fill: (c, a, b, out) => {
      sampleLr(scheduler, { from: a, to: b, group: c, out });
      check(out, b - a, a, c);
    },
    errorAt: (iteration) => {
      // The error stepping raises there: a fresh scheduler stepped to it.
      try {
        new LRMultiplier({
          optimizer: { paramGroups: baseLrs.map((lr) => ({ lr, initialLr: lr })) },
          multiplier: scheduler.multiplier,
          maxIter: scheduler.maxIter,
          lastIter: iteration - 1,
        });
      } catch (e) {
        return errorAt(iteration, e);
      }
      return undefined;
    },
  });
}
