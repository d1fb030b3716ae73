/**
 * The flag a Megatron user wrote for each option of the scheduler that
 * `getOptimizerParamScheduler` (training.ts) builds from the arguments (`minLr` ← `--min-lr`), for
 * front ends that place the scheduler's errors (`OptimizerParamScheduler`'s assertions) on the
 * user's flag. Not part of the public API (`mod.ts` does not export it).
 *
 * @module
 */

import { snakeCase } from "../../names.ts";
import type { MegatronArgs } from "./arguments.ts";

/** Scheduler options taken from one argument as it is (the argument's `dest`). */
const FROM_ARGUMENT: Readonly<Record<string, keyof MegatronArgs>> = {
  initLr: "lrWarmupInit",
  maxLr: "lr",
  minLr: "minLr",
  lrDecayStyle: "lrDecayStyle",
  lrWsdDecayStyle: "lrWsdDecayStyle",
  startWd: "startWeightDecay",
  endWd: "endWeightDecay",
  wdIncrStyle: "weightDecayIncrStyle",
};

/**
 * The flag that sets a scheduler option, as `get_optimizer_param_scheduler` derives it: the
 * steps are samples, from iterations (`--lr-warmup-iters` × global batch) or samples, the warmup
 * also from a fraction.
 *
 * @param option The scheduler's option (`OptionProblem.option`: `lrWarmupSteps`).
 * @param args The arguments the scheduler was built from.
 * @returns The flag (`--lr-warmup-iters`), or undefined for an option no flag sets.
 */
export function schedulerOptionFlag(option: string, args: MegatronArgs): string | undefined {
  const samples = !(args.trainSamples === null || args.trainSamples === 0);
  const dest = Object.hasOwn(FROM_ARGUMENT, option)
    ? FROM_ARGUMENT[option]
    : option === "wdIncrSteps"
    ? (samples ? "trainSamples" : "trainIters")
    : option === "lrWarmupSteps"
    ? (args.lrWarmupFraction !== null
      ? "lrWarmupFraction"
      : samples
      ? "lrWarmupSamples"
      : "lrWarmupIters")
    : option === "lrDecaySteps"
    ? (samples
      ? (args.lrDecaySamples === null ? "trainSamples" : "lrDecaySamples")
      : (args.lrDecayIters === null ? "trainIters" : "lrDecayIters"))
    : option === "wsdDecaySteps"
    ? (samples ? "lrWsdDecaySamples" : "lrWsdDecayIters")
    : undefined;
  return dest === undefined ? undefined : `--${snakeCase(dest).replaceAll("_", "-")}`;
}
