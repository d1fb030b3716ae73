/**
 * Port of detectron2's `build_lr_scheduler` (`detectron2/solver/build.py`, detectron2 commit
 * 02b5c4e), extended with DeepLab's `WarmupPolyLR` as DeepLab's own `build_lr_scheduler`
 * (`projects/DeepLab/deeplab/build_solver.py`) does.
 *
 * @module
 */

import { libm } from "../math.ts";
import { optionError } from "../errors.ts";
import { boolean, finite, finiteArray, integer, oneOf, show } from "../_internal/validate.ts";
import type { SolverConfig } from "./config.ts";
import { WarmupPolyLR } from "./deeplab_lr_scheduler.ts";
import { LRMultiplier, type WarmupMethod, WarmupParamScheduler } from "./lr_scheduler.ts";
import {
  CosineParamScheduler,
  MultiStepParamScheduler,
  type ParamScheduler,
  type PythonVersion,
  StepWithFixedGammaParamScheduler,
} from "../fvcore/param_scheduler.ts";
import type { LRScheduler, TorchVersion } from "../torch/optim/lr_scheduler.ts";
import type { Optimizer } from "../optimizer.ts";

/** The `SOLVER.LR_SCHEDULER_NAME` values {@linkcode buildLrScheduler} knows. */
export const LR_SCHEDULER_NAMES: readonly string[] = Object.freeze([
  "WarmupMultiStepLR",
  "WarmupCosineLR",
  "WarmupStepWithFixedGammaLR",
  "WarmupPolyLR",
]);

/** The solver keys {@linkcode buildLrScheduler} reads. */
export type LrSchedulerSolverConfig = Pick<
  SolverConfig,
  | "LR_SCHEDULER_NAME"
  | "MAX_ITER"
  | "BASE_LR"
  | "BASE_LR_END"
  | "GAMMA"
  | "STEPS"
  | "NUM_DECAYS"
  | "WARMUP_FACTOR"
  | "WARMUP_ITERS"
  | "WARMUP_METHOD"
  | "RESCALE_INTERVAL"
  | "POLY_LR_POWER"
  | "POLY_LR_CONSTANT_ENDING"
>;

/** Options of {@linkcode buildLrScheduler}. */
export interface BuildLrSchedulerOptions {
  /**
   * Receives detectron2's warnings (STEPS beyond MAX_ITER).
   * @default {console.warn}
   */
  onWarning?: (message: string) => void;
  /**
   * The Python whose `sum()` fvcore's `CompositeParamScheduler` uses (passed to
   * {@linkcode WarmupParamScheduler}; its two lengths sum alike under both releases).
   * @default {"3.12"}
   */
  python?: PythonVersion;
  /**
   * The torch release whose `LRScheduler` base the scheduler follows (passed to
   * {@linkcode LRMultiplier} and {@linkcode WarmupPolyLR}; their values are the same under both).
   * @default {"2.13"}
   */
  torch?: TorchVersion;
}

/**
 * The multiplier schedule that detectron2's `build_lr_scheduler` wraps in an
 * {@linkcode LRMultiplier}: the main fvcore schedule with `WarmupParamScheduler` around it.
 * (`WarmupPolyLR` is a torch-style scheduler and has none.)
 *
 * @param solver The `SOLVER` node.
 * @param options Where warnings go.
 * @returns The multiplier as a function of training progress.
 * @throws {RangeError | TypeError} As {@linkcode buildLrScheduler}.
 */
export function buildLrMultiplier(
  solver: LrSchedulerSolverConfig,
  options: BuildLrSchedulerOptions = {},
): WarmupParamScheduler {
  const owner = "buildLrScheduler";
  if (typeof solver !== "object" || solver === null) {
    throw optionError(
      TypeError,
      owner,
      "cfg.SOLVER",
      solver,
      `\`cfg.SOLVER\` must be an object: got ${show(solver)}`,
    );
  }
  const name = solver.LR_SCHEDULER_NAME;
  const maxIter = integer(
    owner,
    "cfg.SOLVER.MAX_ITER",
    solver.MAX_ITER,
    "a positive integer up to 2^53 - 1",
    (x) => x > 0 && Number.isSafeInteger(x),
  );
  let sched: ParamScheduler;
  if (name === "WarmupMultiStepLR") {
    const all = finiteArray(owner, "cfg.SOLVER.STEPS", solver.STEPS);
    const steps = all.filter((x) => x <= maxIter);
    if (steps.length !== all.length) {
      (options.onWarning ?? console.warn)(
        "SOLVER.STEPS contains values larger than SOLVER.MAX_ITER. These values will be ignored.",
      );
    }
    const gamma = finite(owner, "cfg.SOLVER.GAMMA", solver.GAMMA);
    sched = new MultiStepParamScheduler({
      values: Array.from({ length: steps.length + 1 }, (_, k) => libm.powi(gamma, k)),
      milestones: steps,
      numUpdates: maxIter,
    });
  } else if (name === "WarmupCosineLR") {
    const baseLr = finite(owner, "cfg.SOLVER.BASE_LR", solver.BASE_LR);
    const baseLrEnd = finite(owner, "cfg.SOLVER.BASE_LR_END", solver.BASE_LR_END);
    if (baseLr === 0) {
      throw optionError(
        RangeError,
        owner,
        "cfg.SOLVER.BASE_LR",
        baseLr,
        `float division by zero: BASE_LR_END / BASE_LR with BASE_LR = 0 ` +
          `(Python raises ZeroDivisionError)`,
      );
    }
    const endValue = baseLrEnd / baseLr;
    if (!(endValue >= 0.0 && endValue <= 1.0)) {
      throw optionError(
        RangeError,
        owner,
        "cfg.SOLVER.BASE_LR_END",
        baseLrEnd,
        `BASE_LR_END / BASE_LR must be in [0, 1]: got ${endValue} ` +
          `(BASE_LR_END=${baseLrEnd}, BASE_LR=${baseLr}; detectron2 AssertionError)`,
      );
    }
    sched = new CosineParamScheduler({ startValue: 1, endValue });
  } else if (name === "WarmupStepWithFixedGammaLR") {
    sched = new StepWithFixedGammaParamScheduler({
      baseValue: 1.0,
      gamma: finite(owner, "cfg.SOLVER.GAMMA", solver.GAMMA),
      numDecays: finite(owner, "cfg.SOLVER.NUM_DECAYS", solver.NUM_DECAYS),
      numUpdates: maxIter,
    });
  } else {
    const list = LR_SCHEDULER_NAMES.map((n) => JSON.stringify(n)).join(", ");
    throw optionError(
      RangeError,
      owner,
      "cfg.SOLVER.LR_SCHEDULER_NAME",
      name,
      `Unknown LR scheduler: ${show(name)} (expected one of ${list})`,
    );
  }
  const warmupIters = finite(owner, "cfg.SOLVER.WARMUP_ITERS", solver.WARMUP_ITERS);
  return new WarmupParamScheduler({
    scheduler: sched,
    warmupFactor: finite(owner, "cfg.SOLVER.WARMUP_FACTOR", solver.WARMUP_FACTOR),
    warmupLength: Math.min(warmupIters / maxIter, 1.0),
    warmupMethod: oneOf<WarmupMethod>(owner, "cfg.SOLVER.WARMUP_METHOD", solver.WARMUP_METHOD, [
      "linear",
      "constant",
    ]),
    rescaleInterval: boolean(owner, "cfg.SOLVER.RESCALE_INTERVAL", solver.RESCALE_INTERVAL),
    ...(options.python === undefined ? {} : { python: options.python }),
  });
}

/**
 * Builds the learning-rate scheduler a detectron2 config describes. Port of detectron2
 * `build_lr_scheduler` (with DeepLab's `WarmupPolyLR`).
 *
 * | `LR_SCHEDULER_NAME` | multiplier |
 * | --- | --- |
 * | `WarmupMultiStepLR` | `MultiStepParamScheduler` with values `GAMMA ** k` at `STEPS <= MAX_ITER` |
 * | `WarmupCosineLR` | `CosineParamScheduler(1, BASE_LR_END / BASE_LR)` |
 * | `WarmupStepWithFixedGammaLR` | `StepWithFixedGammaParamScheduler(1, NUM_DECAYS, GAMMA, MAX_ITER)` |
 * | `WarmupPolyLR` | DeepLab's {@linkcode WarmupPolyLR} (a torch-style scheduler, not a multiplier) |
 *
 * The first three are wrapped in `WarmupParamScheduler(…, WARMUP_FACTOR,
 * min(WARMUP_ITERS / MAX_ITER, 1), WARMUP_METHOD, RESCALE_INTERVAL)` and driven by an
 * {@linkcode LRMultiplier} over `MAX_ITER` iterations.
 *
 * `GAMMA ** k` is glibc's `pow`, as Python computes it (under `setLibm("runtime")`: correctly
 * rounded, which equals glibc's for every gamma in the conformance fixtures; the runtime's `**`
 * does not on Bun and Node 20).
 *
 * @param cfg A config with a `SOLVER` node, e.g. from {@linkcode getCfg}.
 * @param optimizer The optimizer whose groups are scheduled (their `lr` is set in place).
 * @param options Where warnings go; the Python and torch releases to follow.
 * @returns The scheduler, already at iteration 0.
 * @throws {RangeError} For an unknown `LR_SCHEDULER_NAME`, a step equal to `MAX_ITER`
 * (fvcore rejects it: detectron2 issue #4375), `BASE_LR_END / BASE_LR` outside [0, 1], and every
 * other condition under which detectron2 raises.
 * @throws {TypeError} If a config value has the wrong type.
 *
 * @example detectron2's 1x schedule
 * ```ts
 * import { buildLrScheduler, getCfg } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const cfg = getCfg();
 * cfg.SOLVER.BASE_LR = 0.02;
 * cfg.SOLVER.STEPS = [60000, 80000];
 * cfg.SOLVER.MAX_ITER = 90000;
 * const optimizer = { paramGroups: [{ lr: cfg.SOLVER.BASE_LR }] };
 * const scheduler = buildLrScheduler(cfg, optimizer);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.02 * 0.001); // warmup starts at WARMUP_FACTOR
 * for (let iter = 0; iter < 60000; iter++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.002);
 * ```
 */
export function buildLrScheduler(
  cfg: { SOLVER: LrSchedulerSolverConfig },
  optimizer: Optimizer,
  options: BuildLrSchedulerOptions = {},
): LRScheduler {
  const owner = "buildLrScheduler";
  if (typeof cfg !== "object" || cfg === null) {
    throw optionError(
      TypeError,
      owner,
      "cfg",
      cfg,
      `\`cfg\` must be a config object: got ${show(cfg)}`,
    );
  }
  const solver = cfg.SOLVER;
  const torch = options.torch === undefined ? {} : { torch: options.torch };
  if (solver?.LR_SCHEDULER_NAME === "WarmupPolyLR") {
    return new WarmupPolyLR({
      optimizer,
      maxIters: solver.MAX_ITER,
      warmupFactor: solver.WARMUP_FACTOR,
      warmupIters: solver.WARMUP_ITERS,
      warmupMethod: solver.WARMUP_METHOD as "linear" | "constant",
      power: solver.POLY_LR_POWER,
      constantEnding: solver.POLY_LR_CONSTANT_ENDING,
      ...torch,
    });
  }
  const multiplier = buildLrMultiplier(solver, options);
  return new LRMultiplier({ optimizer, multiplier, maxIter: solver.MAX_ITER, ...torch });
}
