/**
 * Port of the part of Hugging Face transformers' `src/transformers/trainer_utils.py`
 * (transformers 5.17.0) that names the schedules: {@linkcode SchedulerType}.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { show } from "../_internal/validate.ts";

/**
 * Every value of transformers' `SchedulerType` enum, in its order (`trainer_utils.py` line 561):
 * the names `get_scheduler` and `TrainingArguments.lr_scheduler_type` accept.
 */
export const SCHEDULER_TYPES = [
  "linear",
  "cosine",
  "cosine_with_restarts",
  "polynomial",
  "constant",
  "constant_with_warmup",
  "inverse_sqrt",
  "reduce_lr_on_plateau",
  "cosine_with_min_lr",
  "cosine_warmup_with_min_lr",
  "warmup_stable_decay",
  "greedy",
] as const;

/** A schedule name of transformers' `SchedulerType` (`"linear"`, `"cosine"`, …). */
export type SchedulerType = typeof SCHEDULER_TYPES[number];

/**
 * transformers' `SchedulerType(name)`: the name itself when it is one of
 * {@linkcode SCHEDULER_TYPES}.
 *
 * @example
 * ```ts
 * import { schedulerType } from "@lrspec/lrspec/hf";
 * import assert from "node:assert/strict";
 *
 * assert.equal(schedulerType("cosine"), "cosine");
 * assert.throws(() => schedulerType("cosine_annealing"), RangeError);
 * ```
 *
 * @param name The candidate name.
 * @returns The name, typed.
 * @throws {TypeError} If `name` is not a string.
 * @throws {RangeError} If it is not a `SchedulerType` value, with upstream's message
 * (`ExplicitEnum._missing_`, `utils/generic.py` line 573: transformers raises `ValueError`).
 */
export function schedulerType(name: unknown): SchedulerType {
  if (typeof name !== "string") {
    throw optionError(
      TypeError,
      "SchedulerType",
      "name",
      name,
      `the name must be a string: got ${show(name)}`,
    );
  }
  if (!(SCHEDULER_TYPES as readonly string[]).includes(name)) {
    const list = SCHEDULER_TYPES.map((n) => `'${n}'`).join(", ");
    throw new RangeError(
      `${name} is not a valid SchedulerType, please select one of [${list}] ` +
        `(transformers raises ValueError)`,
      { cause: { owner: "SchedulerType", option: "name", value: name } },
    );
  }
  return name as SchedulerType;
}
