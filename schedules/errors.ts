/**
 * What failed, as data: the errors the ports throw for a bad option carry its owner (the
 * upstream name of the class or function, `StepLR`), the option (`stepSize`, or a path such as
 * `optimizer.paramGroups[0].lr` and `cfg.SOLVER.STEPS`) and the value, in `error.cause`, so that
 * a front end maps the option to the file, line and key the user wrote without reading the
 * message. Owners are explicit strings, never `constructor.name` (a minifier renames classes).
 *
 * @module
 */

/** What an option error is about (`error.cause` of the errors the ports throw). */
export interface OptionProblem {
  /** The class or function, by its upstream name (`StepLR`, `buildLrScheduler`). */
  readonly owner: string;
  /**
   * The option as the port names it (`stepSize`, `milestones`, `cfg.SOLVER.MAX_ITER`), or, for
   * a method called where upstream raises whatever the options (`getLr()` of a combinator,
   * `getLastLr()` before the first step), the method with `()`: a misuse of the API, not a value.
   */
  readonly option: string;
  /** The value it was given. */
  readonly value: unknown;
}

/**
 * The owner, option and value an error of the library is about, when it says.
 *
 * @param error What was thrown.
 * @returns Its {@linkcode OptionProblem}, or undefined (not an option error, or not ours).
 *
 * @example
 * ```ts
 * import { optionProblem, StepLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * try {
 *   new StepLR({ optimizer: { paramGroups: [{ lr: 0.1 }] }, stepSize: 0 });
 * } catch (error) {
 *   assert.deepEqual(optionProblem(error), { owner: "StepLR", option: "stepSize", value: 0 });
 * }
 * ```
 */
export function optionProblem(error: unknown): OptionProblem | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = (error as { cause?: unknown }).cause;
  if (typeof cause !== "object" || cause === null) return undefined;
  const c = cause as Partial<OptionProblem>;
  return typeof c.owner === "string" && typeof c.option === "string" && "value" in c
    ? { owner: c.owner, option: c.option, value: c.value }
    : undefined;
}

/**
 * Makes the error the ports throw for a bad option: `` `${owner}: ${message}` ``, of the given
 * class, with the {@linkcode OptionProblem} as its `cause`.
 *
 * @param kind `TypeError` (a wrong type or shape) or `RangeError` (out of range).
 * @param owner The class or function, by its upstream name.
 * @param option The option.
 * @param value Its value.
 * @param message What is wrong, after the owner (`` `stepSize` must be a positive integer: got 0 ``).
 * @returns The error, to throw.
 */
export function optionError(
  kind: TypeErrorConstructor | RangeErrorConstructor,
  owner: string,
  option: string,
  value: unknown,
  message: string,
): TypeError | RangeError {
  const problem: OptionProblem = { owner, option, value };
  return new kind(`${owner}: ${message}`, { cause: problem });
}
