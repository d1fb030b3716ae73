/**
 * Gradient accumulation for detectron2 schedules.
 *
 * A detectron2 schedule counts **optimizer steps** (iterations of `IMS_PER_BATCH` images), not
 * forward/backward passes. When a GPU cannot hold its share of the batch, train on micro-batches
 * and accumulate gradients over `K` of them before each optimizer step:
 *
 * ```text
 * IMS_PER_BATCH = numWorkers × microBatch × K          (images per optimizer step, unchanged)
 * micro-batches per worker = K × MAX_ITER
 * scheduler.step() once every K micro-batches          (BASE_LR, STEPS, WARMUP_ITERS unchanged)
 * ```
 *
 * Worked example: `faster_rcnn_R_50_FPN_1x.yaml` (IMS_PER_BATCH 16, BASE_LR 0.02, 90k iterations,
 * steps at 60k and 80k; written for 8 GPUs × 2 images) on **one GPU that fits 2 images**:
 * `K = 16 / (1 × 2) = 8`. Run 720,000 micro-batches; the optimizer and the scheduler step after
 * every 8th, 90,000 times. The learning rate is 0.02 after warmup and drops at optimizer step
 * 60,000 = micro-batch 480,000 — the curve of the config, stretched 8× in micro-batches. Stepping
 * the scheduler on every micro-batch instead would finish the whole schedule after 90,000
 * micro-batches (1/8 of training) and then raise. `autoScaleWorkers(cfg, 1)` is the other option
 * (with `REFERENCE_WORLD_SIZE: 8`): batch 2, `BASE_LR` 0.0025, 720,000 iterations — the linear
 * scaling rule, a different schedule from the one the config was tuned with.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { cloneConfig, type ScalableConfig } from "./config.ts";
import { integer, requireOptions, show } from "../_internal/validate.ts";
import type { StateDict } from "../optimizer.ts";

/** Options of {@linkcode gradientAccumulation}. */
export interface GradientAccumulationOptions {
  /** The number of workers (GPUs) you train on. */
  numWorkers: number;
  /** The images one worker processes in one forward/backward pass. */
  microBatch: number;
}

/** How to run a config with gradient accumulation. */
export interface GradientAccumulationPlan<T> {
  /** `K`: micro-batches per optimizer step on each worker. */
  accumulationSteps: number;
  /** Images per optimizer step: the config's `IMS_PER_BATCH`, unchanged. */
  imsPerBatch: number;
  /** Images per micro-step over all workers: `numWorkers × microBatch`. */
  imagesPerMicroStep: number;
  /** Forward/backward passes per worker over the whole schedule: `K × MAX_ITER`. */
  microSteps: number;
  /**
   * The config to train with: the same schedule, with `REFERENCE_WORLD_SIZE` set to
   * `numWorkers` (when it is not 0) so that detectron2's `auto_scale_workers`, which the trainer
   * calls with the real number of workers, leaves it as it is.
   */
  cfg: T;
}

/**
 * Plans gradient accumulation for a config: the accumulation factor `K` such that
 * `numWorkers × microBatch × K = IMS_PER_BATCH`, and the config to use — whose schedule
 * (`BASE_LR`, `MAX_ITER`, `STEPS`, `WARMUP_ITERS`) is unchanged, because each optimizer step still
 * sees `IMS_PER_BATCH` images. Step the scheduler once per `K` micro-batches
 * ({@linkcode AccumulatingScheduler}).
 *
 * @param cfg The config (only `SOLVER` and `TEST.EVAL_PERIOD` are read).
 * @param options Workers and the per-worker micro-batch.
 * @returns The plan; `cfg` is a new copy.
 * @throws {RangeError} If `IMS_PER_BATCH` is not a multiple of `numWorkers × microBatch` (the
 * message lists micro-batches that would work), or an option is not a positive integer.
 *
 * @example One GPU with room for 2 images, for a config written for 16 images per step
 * ```ts
 * import { getCfg, gradientAccumulation } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const cfg = getCfg();
 * Object.assign(cfg.SOLVER, { IMS_PER_BATCH: 16, BASE_LR: 0.02, MAX_ITER: 90000, REFERENCE_WORLD_SIZE: 8 });
 * const plan = gradientAccumulation(cfg, { numWorkers: 1, microBatch: 2 });
 * assert.equal(plan.accumulationSteps, 8);
 * assert.equal(plan.microSteps, 720000);
 * assert.equal(plan.cfg.SOLVER.BASE_LR, 0.02); // the schedule is the config's
 * assert.equal(plan.cfg.SOLVER.REFERENCE_WORLD_SIZE, 1); // auto_scale_workers(cfg, 1) is a no-op
 * ```
 */
export function gradientAccumulation<T extends ScalableConfig>(
  cfg: T,
  options: GradientAccumulationOptions,
): GradientAccumulationPlan<T> {
  const owner = "gradientAccumulation";
  const o = requireOptions(owner, options, ["numWorkers", "microBatch"]);
  const positive = (x: number) => x > 0;
  const numWorkers = integer(owner, "numWorkers", o.numWorkers, "a positive integer", positive);
  const microBatch = integer(owner, "microBatch", o.microBatch, "a positive integer", positive);
  if (typeof cfg !== "object" || cfg === null || typeof cfg.SOLVER !== "object") {
    throw optionError(
      TypeError,
      owner,
      "cfg",
      cfg,
      `\`cfg\` must be a config with a SOLVER node: got ${show(cfg)}`,
    );
  }
  const ims = integer(
    owner,
    "cfg.SOLVER.IMS_PER_BATCH",
    cfg.SOLVER.IMS_PER_BATCH,
    "a positive integer",
    positive,
  );
  const maxIter = integer(owner, "cfg.SOLVER.MAX_ITER", cfg.SOLVER.MAX_ITER);
  const perMicroStep = numWorkers * microBatch;
  if (ims % perMicroStep !== 0) {
    const fits: number[] = [];
    if (ims % numWorkers === 0) {
      for (let m = 1; m <= ims / numWorkers; m++) if ((ims / numWorkers) % m === 0) fits.push(m);
    }
    throw optionError(
      RangeError,
      owner,
      "cfg.SOLVER.IMS_PER_BATCH",
      ims,
      `IMS_PER_BATCH=${ims} is not a multiple of numWorkers × microBatch = ` +
        `${numWorkers} × ${microBatch} = ${perMicroStep}` +
        (fits.length
          ? `; on ${numWorkers} workers, microBatch can be ${fits.join(", ")}`
          : `; IMS_PER_BATCH is not even a multiple of ${numWorkers} workers`),
    );
  }
  const out = cloneConfig(cfg);
  if (out.SOLVER.REFERENCE_WORLD_SIZE !== 0) out.SOLVER.REFERENCE_WORLD_SIZE = numWorkers;
  const k = ims / perMicroStep;
  return {
    accumulationSteps: k,
    imsPerBatch: ims,
    imagesPerMicroStep: perMicroStep,
    microSteps: k * maxIter,
    cfg: out,
  };
}

/** Anything with a torch-style `step()`, e.g. what {@linkcode buildLrScheduler} returns. */
export interface SteppableScheduler {
  /** Advances the schedule by one optimizer step. */
  step(): void;
  /** The scheduler's resumable state, if it has one. */
  stateDict?(): StateDict;
  /** Restores a state from {@linkcode SteppableScheduler.stateDict}. */
  loadStateDict?(state: StateDict): void;
}

/** Options of {@linkcode AccumulatingScheduler}. */
export interface AccumulatingSchedulerOptions {
  /** The scheduler of the optimizer steps (e.g. from {@linkcode buildLrScheduler}). */
  scheduler: SteppableScheduler;
  /** `K`: micro-batches per optimizer step ({@linkcode gradientAccumulation}). */
  accumulationSteps: number;
  /**
   * Micro-batches already done, when resuming.
   * @default {0}
   */
  microStep?: number;
}

/**
 * Steps a learning-rate scheduler once per `K` micro-batches: call {@linkcode step} after every
 * micro-batch; the optimizer step belongs to the micro-batches where
 * {@linkcode isOptimizerStep} is true.
 *
 * @example The training loop
 * ```ts
 * import { AccumulatingScheduler, buildLrScheduler, getCfg, gradientAccumulation } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const base = getCfg();
 * Object.assign(base.SOLVER, { IMS_PER_BATCH: 16, BASE_LR: 0.02, MAX_ITER: 90, STEPS: [60], WARMUP_ITERS: 10 });
 * const plan = gradientAccumulation(base, { numWorkers: 1, microBatch: 4 });
 * const optimizer = { paramGroups: [{ lr: plan.cfg.SOLVER.BASE_LR }] };
 * const acc = new AccumulatingScheduler({
 *   scheduler: buildLrScheduler(plan.cfg, optimizer),
 *   accumulationSteps: plan.accumulationSteps,
 * });
 * const lrs: number[] = [];
 * for (let micro = 0; micro < plan.microSteps; micro++) {
 *   // forward + backward on micro-batch `micro` (gradients add up) ...
 *   if (acc.isOptimizerStep) lrs.push(optimizer.paramGroups[0]!.lr); // optimizer.step(); zero_grad()
 *   acc.step();
 * }
 * assert.equal(lrs.length, 90); // one learning rate per optimizer step, as in the config
 * assert.equal(lrs[60], 0.002);
 * ```
 */
export class AccumulatingScheduler {
  /** The wrapped scheduler. */
  readonly scheduler: SteppableScheduler;
  /** `K`: micro-batches per optimizer step. */
  readonly accumulationSteps: number;
  #microStep: number;

  /**
   * Wraps a scheduler.
   *
   * @param options `{ scheduler, accumulationSteps, microStep? }`.
   * @throws {TypeError} If `scheduler` has no `step()`.
   * @throws {RangeError} If `accumulationSteps` is not a positive integer or `microStep` not a
   * non-negative integer.
   */
  constructor(options: AccumulatingSchedulerOptions) {
    const owner = "AccumulatingScheduler";
    const o = requireOptions(owner, options, ["scheduler", "accumulationSteps", "microStep"]);
    const scheduler = o.scheduler;
    if (typeof scheduler?.step !== "function") {
      throw optionError(
        TypeError,
        owner,
        "scheduler",
        scheduler,
        `\`scheduler\` must have a step() method: got ${show(scheduler)}`,
      );
    }
    this.scheduler = scheduler;
    this.accumulationSteps = integer(
      owner,
      "accumulationSteps",
      o.accumulationSteps,
      "a positive integer",
      (x) => x > 0,
    );
    this.#microStep = integer(
      owner,
      "microStep",
      o.microStep ?? 0,
      "an integer >= 0",
      (x) => x >= 0,
    );
  }

  /** Micro-batches done (calls to {@linkcode step}). */
  get microStep(): number {
    return this.#microStep;
  }

  /** Optimizer steps done: `floor(microStep / K)`, the iteration detectron2 counts. */
  get optimizerStep(): number {
    return Math.floor(this.#microStep / this.accumulationSteps);
  }

  /**
   * Whether the current micro-batch (number `microStep`) is the last of its accumulation group:
   * apply the optimizer step (with the learning rate the groups hold now) before calling
   * {@linkcode step}.
   */
  get isOptimizerStep(): boolean {
    return (this.#microStep + 1) % this.accumulationSteps === 0;
  }

  /**
   * Records one micro-batch; every `K`-th call steps the wrapped scheduler.
   *
   * @returns Whether the wrapped scheduler stepped.
   */
  step(): boolean {
    const stepping = this.isOptimizerStep;
    if (stepping) this.scheduler.step();
    this.#microStep++;
    return stepping;
  }

  /**
   * The resumable state: the micro-step count and the wrapped scheduler's state.
   *
   * @returns Plain data.
   */
  stateDict(): StateDict {
    return {
      microStep: this.#microStep,
      accumulationSteps: this.accumulationSteps,
      scheduler: this.scheduler.stateDict?.() ?? null,
    };
  }

  /**
   * Restores {@linkcode stateDict}'s output.
   *
   * @param state A state from {@linkcode stateDict}.
   * @throws {RangeError} If the state was saved with another `accumulationSteps`.
   * @throws {TypeError} If the state is malformed.
   */
  loadStateDict(state: StateDict): void {
    const owner = "AccumulatingScheduler.loadStateDict";
    if (state?.accumulationSteps !== this.accumulationSteps) {
      throw optionError(
        RangeError,
        owner,
        "state.accumulationSteps",
        state?.accumulationSteps,
        `saved with accumulationSteps=${show(state?.accumulationSteps)}, this has ` +
          `${this.accumulationSteps}`,
      );
    }
    const micro = integer(owner, "microStep", state.microStep, "an integer >= 0", (x) => x >= 0);
    if (state.scheduler !== null && state.scheduler !== undefined) {
      if (typeof this.scheduler.loadStateDict !== "function") {
        throw optionError(
          TypeError,
          owner,
          "state.scheduler",
          state.scheduler,
          `the wrapped scheduler has no loadStateDict()`,
        );
      }
      this.scheduler.loadStateDict(state.scheduler as StateDict);
    }
    this.#microStep = micro;
  }
}
