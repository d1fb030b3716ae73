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
import { megatronParamGroups } from "./training.ts";

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
 * The argument (`dest`) that sets a scheduler option, as `get_optimizer_param_scheduler` and
 * Megatron's parameter groups derive it: the steps are samples, from iterations
 * (`--lr-warmup-iters` × global batch) or samples, the warmup also from a fraction; a group's
 * `maxLr` / `minLr` (`optimizer.paramGroups[1].maxLr`) from `--lr` / `--min-lr`, or for the
 * embedding and output layer's group from `--decoupled-lr` / `--decoupled-min-lr`.
 *
 * @param option The scheduler's option (`OptionProblem.option`: `lrWarmupSteps`).
 * @param args The arguments the scheduler was built from.
 * @returns The argument (`lrWarmupIters`), or undefined for an option no argument sets.
 */
export function schedulerOptionDest(
  option: string,
  args: MegatronArgs,
): keyof MegatronArgs | undefined {
  const samples = !(args.trainSamples === null || args.trainSamples === 0);
  const group = /^optimizer\.paramGroups\[(\d+)\]\.(maxLr|minLr)$/.exec(option);
  if (group) {
    const name = megatronParamGroups(args)[Number(group[1])]?.name;
    if (name === undefined) return undefined;
    if (name !== "decoupled") return group[2] === "maxLr" ? "lr" : "minLr";
    return group[2] === "maxLr"
      ? "decoupledLr"
      : args.decoupledMinLr === null
      ? "minLr"
      : "decoupledMinLr";
  }
  return Object.hasOwn(FROM_ARGUMENT, option)
    ? FROM_ARGUMENT[option]
    : option === "useCheckpointOptParamScheduler" || option === "overrideOptParamScheduler"
    ? option
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
}

/**
 * The flag that sets a scheduler option ({@linkcode schedulerOptionDest}), in Megatron's
 * spelling (`--lr-warmup-iters`; `--use-checkpoint-opt_param-scheduler`, as its help writes it).
 *
 * @param option The scheduler's option (`OptionProblem.option`: `lrWarmupSteps`).
 * @param args The arguments the scheduler was built from.
 * @returns The flag (`--lr-warmup-iters`), or undefined for an option no flag sets.
 */
export function schedulerOptionFlag(option: string, args: MegatronArgs): string | undefined {
  const dest = schedulerOptionDest(option, args);
  return dest === undefined ? undefined : destFlag(dest);
}

/** The flag of an argument (`lrWarmupIters` → `--lr-warmup-iters`), in Megatron's spelling. */
export function destFlag(dest: string): string {
  const flag = `--${snakeCase(dest).replaceAll("_", "-")}`;
  return flag.replace(/-opt-param-scheduler$/, "-opt_param-scheduler");
}

/**
 * The scheduler's option a key of its state dict restores (`startLr`, an old checkpoint's
 * name, → `maxLr`), as `load_state_dict` reads them.
 */
export const STATE_KEY_OPTION: Readonly<Record<string, string>> = {
  startLr: "maxLr",
  maxLr: "maxLr",
  minLr: "minLr",
  warmupIter: "lrWarmupSteps",
  warmupSteps: "lrWarmupSteps",
  lrWarmupSteps: "lrWarmupSteps",
  endIter: "lrDecaySteps",
  decaySteps: "lrDecaySteps",
  lrDecaySteps: "lrDecaySteps",
  decayStyle: "lrDecayStyle",
  lrDecayStyle: "lrDecayStyle",
  numIters: "numSteps",
  numSteps: "numSteps",
  startWd: "startWd",
  endWd: "endWd",
  wdIncrSteps: "wdIncrSteps",
  wdIncrStyle: "wdIncrStyle",
};
