/**
 * Validation of the optimizer a scheduler is given (private to `schedules/`).
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { finiteWhere, show } from "./validate.ts";
import type { Optimizer, ParamGroup } from "../optimizer.ts";

/**
 * Validates an optimizer: an object whose `paramGroups` is a non-empty array of groups, each
 * with a finite `lr >= 0`.
 *
 * @param owner The class name used in error messages.
 * @param value The candidate optimizer.
 * @returns The optimizer, unchanged.
 * @throws {TypeError} If `value` has no `paramGroups` array or a group is not an object.
 * @throws {RangeError} If there are no groups or an `lr` is negative or not finite.
 */
export function requireOptimizer(owner: string, value: unknown): Optimizer {
  const groups = (value as { paramGroups?: unknown } | null | undefined)?.paramGroups;
  if (typeof value !== "object" || value === null || !Array.isArray(groups)) {
    throw optionError(
      TypeError,
      owner,
      "optimizer",
      value,
      `\`optimizer\` must be an object with a \`paramGroups\` array: got ${show(value)}`,
    );
  }
  if (groups.length === 0) {
    throw optionError(
      RangeError,
      owner,
      "optimizer.paramGroups",
      groups,
      `\`optimizer.paramGroups\` must not be empty`,
    );
  }
  groups.forEach((group: unknown, i) => {
    if (typeof group !== "object" || group === null) {
      throw optionError(
        TypeError,
        owner,
        `optimizer.paramGroups[${i}]`,
        group,
        `\`optimizer.paramGroups[${i}]\` must be an object: got ${show(group)}`,
      );
    }
    finiteWhere(
      owner,
      `optimizer.paramGroups[${i}].lr`,
      (group as ParamGroup).lr,
      ">= 0",
      (x) => x >= 0,
    );
  });
  return value as Optimizer;
}
