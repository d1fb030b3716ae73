/**
 * detectron2's configuration defaults (`detectron2/config/defaults.py`, as `get_cfg()` returns
 * them at detectron2 commit 02b5c4e) and `DefaultTrainer.auto_scale_workers`.
 *
 * Configs are plain objects with detectron2's own keys (`cfg.SOLVER.MAX_ITER`), so a YAML config
 * or a Python `cfg.dump()` maps onto them key for key.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { roundHalfEven } from "../math.ts";
import { finite, integer, show } from "../_internal/validate.ts";
import {
  DEFAULT_CONFIG,
  type Detectron2Config,
  type SolverConfig,
  type TestConfig,
} from "./defaults.ts";

export type * from "./defaults.ts";

/** A deep copy of plain config data (objects, arrays and primitives). */
export function cloneConfig<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneConfig) as T;
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneConfig(v);
    return out as T;
  }
  return value;
}

/**
 * detectron2's default config: a fresh deep copy of `get_cfg()`'s values on every call, so it can
 * be modified freely.
 *
 * It contains every key of detectron2's `get_cfg()` (MODEL, INPUT, DATASETS, SOLVER, TEST, …)
 * plus DeepLab's `SOLVER.POLY_LR_POWER` (0.9) and `SOLVER.POLY_LR_CONSTANT_ENDING` (0), which
 * detectron2 adds only in DeepLab's `add_deeplab_config`, so that `WarmupPolyLR` can be built.
 *
 * @returns A new config object.
 *
 * @example Change the schedule as a detectron2 user would
 * ```ts
 * import { getCfg } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const cfg = getCfg();
 * assert.equal(cfg.SOLVER.MAX_ITER, 40000);
 * cfg.SOLVER.STEPS = [60000, 80000];
 * cfg.SOLVER.MAX_ITER = 90000;
 * assert.deepEqual(getCfg().SOLVER.STEPS, [30000]); // defaults untouched
 * ```
 */
export function getCfg(): Detectron2Config {
  return cloneConfig(DEFAULT_CONFIG);
}

/** The part of a config that {@linkcode autoScaleWorkers} reads and scales. */
export interface ScalableConfig {
  /** The solver options. */
  SOLVER: Pick<
    SolverConfig,
    | "IMS_PER_BATCH"
    | "BASE_LR"
    | "MAX_ITER"
    | "WARMUP_ITERS"
    | "STEPS"
    | "CHECKPOINT_PERIOD"
    | "REFERENCE_WORLD_SIZE"
  >;
  /** The test options. */
  TEST: Pick<TestConfig, "EVAL_PERIOD">;
}

/**
 * Port of detectron2 `DefaultTrainer.auto_scale_workers`: rescales a config written for
 * `SOLVER.REFERENCE_WORLD_SIZE` workers to `numWorkers`, keeping the per-worker batch size.
 *
 * ```text
 * scale             = numWorkers / REFERENCE_WORLD_SIZE
 * IMS_PER_BATCH     = round(IMS_PER_BATCH · scale)
 * BASE_LR           = BASE_LR · scale                    (linear scaling rule)
 * MAX_ITER, WARMUP_ITERS, STEPS[i], CHECKPOINT_PERIOD, TEST.EVAL_PERIOD = round(x / scale)
 * REFERENCE_WORLD_SIZE = numWorkers
 * ```
 *
 * `round` is Python's: halves go to the even neighbour (`round(2.5) == 2`). `WARMUP_FACTOR`,
 * `GAMMA` and `BASE_LR_END` are not scaled, as in detectron2.
 *
 * Unlike detectron2, which returns the very same object when no scaling applies
 * (`REFERENCE_WORLD_SIZE` is 0 or equals `numWorkers`), this always returns a new deep copy and
 * never modifies `cfg`.
 *
 * @param cfg The config (only `SOLVER` and `TEST.EVAL_PERIOD` are read).
 * @param numWorkers The number of workers (GPUs) actually used.
 * @returns A new config.
 * @throws {RangeError} If `IMS_PER_BATCH` is not divisible by `REFERENCE_WORLD_SIZE`
 * (detectron2's assertion "Invalid REFERENCE_WORLD_SIZE in config!"), or `numWorkers` is not a
 * positive integer.
 *
 * @example detectron2's docstring example
 * ```ts
 * import { autoScaleWorkers, getCfg } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const cfg = getCfg();
 * Object.assign(cfg.SOLVER, {
 *   IMS_PER_BATCH: 16, BASE_LR: 0.1, REFERENCE_WORLD_SIZE: 8, MAX_ITER: 5000,
 *   STEPS: [4000], CHECKPOINT_PERIOD: 1000,
 * });
 * const scaled = autoScaleWorkers(cfg, 16);
 * assert.equal(scaled.SOLVER.IMS_PER_BATCH, 32);
 * assert.equal(scaled.SOLVER.BASE_LR, 0.2);
 * assert.equal(scaled.SOLVER.MAX_ITER, 2500);
 * assert.deepEqual(scaled.SOLVER.STEPS, [2000]);
 * ```
 */
export function autoScaleWorkers<T extends ScalableConfig>(cfg: T, numWorkers: number): T {
  const owner = "autoScaleWorkers";
  integer(owner, "numWorkers", numWorkers, "a positive integer", (x) => x > 0);
  if (
    typeof cfg !== "object" || cfg === null || typeof cfg.SOLVER !== "object" || cfg.SOLVER === null
  ) {
    throw optionError(
      TypeError,
      owner,
      "cfg",
      cfg,
      `\`cfg\` must be a config with a SOLVER node: got ${show(cfg)}`,
    );
  }
  const out = cloneConfig(cfg);
  const solver = out.SOLVER;
  const oldWorldSize = integer(
    owner,
    "cfg.SOLVER.REFERENCE_WORLD_SIZE",
    solver.REFERENCE_WORLD_SIZE,
    "an integer >= 0",
    (x) => x >= 0,
  );
  if (oldWorldSize === 0 || oldWorldSize === numWorkers) return out;
  const ims = integer(owner, "cfg.SOLVER.IMS_PER_BATCH", solver.IMS_PER_BATCH);
  if (ims % oldWorldSize !== 0) {
    throw optionError(
      RangeError,
      owner,
      "cfg.SOLVER.IMS_PER_BATCH",
      ims,
      `Invalid REFERENCE_WORLD_SIZE in config! IMS_PER_BATCH=${ims} is not divisible ` +
        `by REFERENCE_WORLD_SIZE=${oldWorldSize}`,
    );
  }
  const scale = numWorkers / oldWorldSize;
  const scaled = (name: string, x: unknown): number =>
    roundHalfEven(finite(owner, name, x) / scale);
  solver.IMS_PER_BATCH = roundHalfEven(ims * scale);
  solver.BASE_LR = finite(owner, "cfg.SOLVER.BASE_LR", solver.BASE_LR) * scale;
  solver.MAX_ITER = scaled("cfg.SOLVER.MAX_ITER", solver.MAX_ITER);
  solver.WARMUP_ITERS = scaled("cfg.SOLVER.WARMUP_ITERS", solver.WARMUP_ITERS);
  if (!Array.isArray(solver.STEPS)) {
    throw optionError(
      TypeError,
      owner,
      "cfg.SOLVER.STEPS",
      solver.STEPS,
      `\`cfg.SOLVER.STEPS\` must be an array: got ${show(solver.STEPS)}`,
    );
  }
  solver.STEPS = solver.STEPS.map((s, i) => scaled(`cfg.SOLVER.STEPS[${i}]`, s));
  out.TEST.EVAL_PERIOD = scaled("cfg.TEST.EVAL_PERIOD", out.TEST?.EVAL_PERIOD);
  solver.CHECKPOINT_PERIOD = scaled("cfg.SOLVER.CHECKPOINT_PERIOD", solver.CHECKPOINT_PERIOD);
  solver.REFERENCE_WORLD_SIZE = numWorkers; // maintain invariant
  return out;
}
