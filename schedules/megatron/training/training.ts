/**
 * Megatron-LM's `megatron/training/training.py` (Megatron-LM d98e8a6), the parts that decide the
 * schedule: {@linkcode getOptimizerParamScheduler} (arguments → scheduler),
 * {@linkcode megatronParamGroups} (the groups `megatron/core/optimizer/__init__.py` builds) and
 * {@linkcode megatronTrainSchedule} (the stepping of `train` / `train_step`, resumes and skipped
 * iterations included).
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { show } from "../../_internal/validate.ts";
import type { Optimizer, StateDict } from "../../optimizer.ts";
import {
  type MegatronParamGroup,
  OptimizerParamScheduler,
} from "../core/optimizer_param_scheduler.ts";
import type { MegatronArgs } from "./arguments.ts";

/**
 * The scheduler Megatron builds from its arguments: a port of `get_optimizer_param_scheduler`
 * (training.py). Steps are samples:
 *
 * ```text
 * iteration-based (trainIters):  lrDecaySteps = (lrDecayIters ?? trainIters) · globalBatchSize
 *                                wdIncrSteps = trainIters · globalBatchSize
 *                                wsdDecaySteps = lrWsdDecayIters · globalBatchSize (or null)
 *                                lrWarmupSteps = lrWarmupFraction · lrDecaySteps
 *                                             or lrWarmupIters · globalBatchSize
 * sample-based (trainSamples):   lrDecaySteps = lrDecaySamples ?? trainSamples
 *                                wdIncrSteps = trainSamples, wsdDecaySteps = lrWsdDecaySamples
 *                                lrWarmupSteps = lrWarmupFraction · lrDecaySteps
 *                                             or lrWarmupSamples
 * ```
 *
 * `initLr = lrWarmupInit`, `maxLr = lr`, `minLr = minLr`, `startWd`/`endWd` =
 * `startWeightDecay`/`endWeightDecay`, `wdIncrStyle = weightDecayIncrStyle`, the two checkpoint
 * flags and `lrWsdDecayStyle` as given. A fractional warmup is a fraction of the decay *samples*:
 * it need not be a whole number of iterations.
 *
 * @param args Parsed arguments ({@linkcode parseMegatronArgs}).
 * @param optimizer The optimizer (default: {@linkcode megatronParamGroups}`(args)`).
 * @throws {RangeError} Where the scheduler's constructor asserts.
 */
export function getOptimizerParamScheduler(
  args: MegatronArgs,
  optimizer: Optimizer = { paramGroups: megatronParamGroups(args) },
): OptimizerParamScheduler {
  let lrDecaySteps: number, wdIncrSteps: number, lrWarmupSteps: number;
  let wsdDecaySteps: number | null;
  if (args.trainSamples === null || args.trainSamples === 0) {
    // Iteration-based training (training.py: `if args.train_iters:`).
    const lrDecayIters = args.lrDecayIters ?? args.trainIters;
    lrDecaySteps = lrDecayIters * args.globalBatchSize;
    wdIncrSteps = args.trainIters * args.globalBatchSize;
    wsdDecaySteps = args.lrWsdDecayIters === null
      ? null
      : args.lrWsdDecayIters * args.globalBatchSize;
    lrWarmupSteps = args.lrWarmupFraction !== null
      ? args.lrWarmupFraction * lrDecaySteps
      : args.lrWarmupIters * args.globalBatchSize;
  } else {
    lrDecaySteps = args.lrDecaySamples ?? args.trainSamples;
    wdIncrSteps = args.trainSamples;
    wsdDecaySteps = args.lrWsdDecaySamples;
    lrWarmupSteps = args.lrWarmupFraction !== null
      ? args.lrWarmupFraction * lrDecaySteps
      : args.lrWarmupSamples;
  }
  return new OptimizerParamScheduler({
    optimizer,
    initLr: args.lrWarmupInit,
    maxLr: args.lr,
    minLr: args.minLr,
    lrWarmupSteps,
    lrDecaySteps,
    lrDecayStyle: args.lrDecayStyle,
    startWd: args.startWeightDecay,
    endWd: args.endWeightDecay,
    wdIncrSteps,
    wdIncrStyle: args.weightDecayIncrStyle,
    useCheckpointOptParamScheduler: args.useCheckpointOptParamScheduler,
    overrideOptParamScheduler: args.overrideOptParamScheduler,
    wsdDecaySteps,
    lrWsdDecayStyle: args.lrWsdDecayStyle,
  });
}

/** A parameter group of {@linkcode megatronParamGroups}, with its role. */
export interface NamedMegatronParamGroup extends MegatronParamGroup {
  /**
   * `"default"` (weights), `"decoupled"` (embedding and output layer, with `--decoupled-lr`) or
   * `"no-wd"` (biases and 1-D parameters: `wdMult` 0).
   */
  name: "default" | "decoupled" | "no-wd";
}

/**
 * The parameter groups Megatron's optimizer gives a GPT model (`_get_param_groups` with
 * `get_standard_config_overrides`, `megatron/core/optimizer/__init__.py`), in Megatron's order
 * (no override first, then the overrides sorted): weights (`maxLr = lr`, `minLr`, `wdMult` 1);
 * with `--decoupled-lr`, the embedding and output layer (`maxLr = decoupledLr`,
 * `minLr = decoupledMinLr ?? minLr`); biases and 1-D parameters (`wdMult` 0: weight decay 0).
 * Expert-parallel copies of these groups, which have the same schedule, are not listed.
 * Every group's `lr` starts at `--lr`, as Megatron builds them; the scheduler overwrites it.
 */
export function megatronParamGroups(args: MegatronArgs): NamedMegatronParamGroup[] {
  const group = (
    name: NamedMegatronParamGroup["name"],
    maxLr: number,
    minLr: number,
    wdMult = 1,
  ) => ({
    name,
    lr: args.lr,
    maxLr,
    minLr,
    wdMult,
  });
  const groups = [group("default", args.lr, args.minLr)];
  if (args.decoupledLr !== null) {
    groups.push(group("decoupled", args.decoupledLr, args.decoupledMinLr ?? args.minLr));
  }
  groups.push(group("no-wd", args.lr, args.minLr, 0.0));
  return groups;
}

/** Options of {@linkcode megatronTrainSchedule}. */
export interface MegatronTrainOptions {
  /**
   * Iterations (1-based) whose optimizer step is not successful (`update_successful` false:
   * an fp16 loss-scale overflow, a NaN gradient): the iteration counts, the scheduler does not
   * step.
   * @default {[]}
   */
  skippedIterations?: readonly number[];
  /**
   * Resume from a checkpoint saved after `iteration` iterations: the scheduler is built from
   * `args`, then `loadStateDict(state)` (with `args`' override / use-checkpoint flags), and
   * training continues at `iteration + 1`.
   * @default {undefined}
   */
  resume?: { iteration: number; state: StateDict };
}

/** What {@linkcode megatronTrainSchedule} returns: one row per iteration. */
export interface MegatronTrainSchedule {
  /** The groups, in order (`lr[g]`, `weightDecay[g]`). */
  groups: NamedMegatronParamGroup[];
  /** Samples per successful update (`num_microbatches · micro_batch_size · dp`). */
  increment: number;
  /** The first iteration run (1, or the resumed iteration + 1). */
  firstIteration: number;
  /** The iterations, `firstIteration..trainIters`. */
  iterations: Float64Array;
  /** Per group, the rate each iteration's update uses. */
  lr: Float64Array[];
  /** Per group, the weight decay each iteration's update uses. */
  weightDecay: Float64Array[];
  /**
   * Per iteration: 0 when its update stepped the scheduler, 1 when the update was not
   * successful, 2 when Megatron skipped the iteration entirely (`--iterations-to-skip`).
   */
  skipped: Uint8Array;
  /** The scheduler after the last iteration (`stateDict()` is what a checkpoint saves). */
  scheduler: OptimizerParamScheduler;
}

/**
 * The learning rate and weight decay of every iteration of a Megatron training run, stepped as
 * `train` (training.py) steps: the scheduler is built by {@linkcode getOptimizerParamScheduler}
 * (its constructor writes step 0's rates, which iteration 1 trains with); iteration `i`'s update
 * uses the groups' current `lr` and `weightDecay`; after a successful update `train_step` calls
 * `step(increment)` with `increment = num_microbatches · micro_batch_size · data_parallel_size`
 * (= the global batch size); an unsuccessful update and an iteration in `--iterations-to-skip`
 * do not step. The `learning rate:` Megatron logs at iteration `i` is read after that step: it is
 * the rate of iteration `i + 1` (the rate of the row below).
 *
 * @param args Parsed arguments ({@linkcode parseMegatronArgs}).
 * @param options Skipped updates and a resume.
 * @throws {RangeError} Where Megatron asserts or raises, at the same iteration.
 *
 * @example The rate iteration 1 uses, and the first after warmup
 * ```ts
 * import { megatronTrainSchedule, parseMegatronArgs } from "@lrspec/lrspec/megatron";
 * import assert from "node:assert/strict";
 *
 * const { args } = parseMegatronArgs(
 *   "--micro-batch-size 2 --global-batch-size 16 --train-iters 100 --lr 1e-3 --lr-warmup-iters 10",
 * );
 * const run = megatronTrainSchedule(args);
 * assert.equal(run.lr[0]![0], 0); // iteration 1: lr-warmup-init
 * assert.equal(run.lr[0]![10], 1e-3); // iteration 11: the peak (the warmup test is inclusive)
 * assert.equal(run.lr[0]![99], 1e-3 * (1 - 89 / 90)); // iteration 100: linear decay
 * ```
 */
export function megatronTrainSchedule(
  args: MegatronArgs,
  options: MegatronTrainOptions = {},
): MegatronTrainSchedule {
  const groups = megatronParamGroups(args);
  const scheduler = getOptimizerParamScheduler(args, { paramGroups: groups });
  let start = 0;
  if (options.resume !== undefined) {
    start = options.resume.iteration;
    if (!Number.isSafeInteger(start) || start < 0 || start > args.trainIters) {
      throw optionError(
        RangeError,
        "megatronTrainSchedule",
        "resume.iteration",
        start,
        `\`resume.iteration\` must be an integer in [0, ${args.trainIters}]: ` +
          `got ${show(start)}`,
      );
    }
    scheduler.loadStateDict(options.resume.state);
  }
  const skippedUpdates = new Set(options.skippedIterations ?? []);
  const skippedIterations = new Set(args.iterationsToSkip);
  const increment = args.globalBatchSize;
  const n = args.trainIters - start;
  const iterations = new Float64Array(n);
  const lr = groups.map(() => new Float64Array(n));
  const weightDecay = groups.map(() => new Float64Array(n));
  const skipped = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const iteration = start + k + 1;
    iterations[k] = iteration;
    groups.forEach((g, j) => {
      lr[j]![k] = g.lr;
      weightDecay[j]![k] = g.weightDecay ?? 0;
    });
    if (skippedIterations.has(iteration)) skipped[k] = 2;
    else if (skippedUpdates.has(iteration)) skipped[k] = 1;
    else scheduler.step(increment);
  }
  return {
    groups,
    increment,
    firstIteration: start + 1,
    iterations,
    lr,
    weightDecay,
    skipped,
    scheduler,
  };
}
