/**
 * Helpers shared by the ports of `torch.optim.lr_scheduler` (private to the package).
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { copyState } from "../../_internal/state.ts";
import { finite, oneOf, show } from "../../_internal/validate.ts";

/** A torch release (`lr_scheduler.ts`'s public `TorchVersion`, which is this same union). */
type TorchVersion = "1.13" | "2.11" | "2.13";

/** The options every `LRScheduler` subclass accepts besides its own. */
export const BASE_KEYS: readonly ["optimizer", "lastEpoch", "verbose", "torch"] = [
  "optimizer",
  "lastEpoch",
  "verbose",
  "torch",
];

/** The torch releases whose schedulers lrspec reproduces. */
export const TORCH_VERSIONS: readonly TorchVersion[] = ["1.13", "2.11", "2.13"];

/**
 * Validates the `torch` option (default `"2.13"`) and, for torch 2.11 and 2.13, rejects `verbose`: torch
 * 2.7 removed the parameter (PR #147301), so torch 2.11 and 2.13 raise `TypeError` for it.
 */
export function requireTorch(
  owner: string,
  options: { torch?: unknown; verbose?: unknown },
): TorchVersion {
  const torch = oneOf(owner, "torch", options.torch ?? "2.13", TORCH_VERSIONS);
  if (torch !== "1.13" && options.verbose !== undefined) {
    throw optionError(
      TypeError,
      owner,
      "verbose",
      options.verbose,
      `unexpected option \`verbose\`: torch 2.7 removed it (PR #147301) and torch 2.11 and 2.13 ` +
        `raises TypeError; it prints only with torch: "1.13"`,
    );
  }
  return torch;
}

/** A function of the epoch (torch's `lr_lambda`, `scale_fn`). */
export type EpochFunction = (epoch: number) => number;

/**
 * torch's `_format_param`: a scalar is repeated for every group; a list must have one value per
 * group (torch `ValueError` otherwise, with each release's message). Returns a fresh array.
 */
export function formatParam(
  owner: string,
  name: string,
  value: unknown,
  groups: number,
  torch: TorchVersion,
): number[] {
  if (Array.isArray(value)) {
    if (value.length !== groups) {
      throw new RangeError(
        torch === "1.13"
          ? `${owner}: expected ${groups} values for \`${name}\`, got ${value.length} (torch ValueError)`
          : `${owner}: \`${name}\` must have the same length as optimizer.paramGroups. \`${name}\` ` +
            `has ${value.length} values, paramGroups has ${groups}. (torch ValueError)`,
        { cause: { owner: owner, option: name, value: value } },
      );
    }
    return value.map((v, i) => finite(owner, `${name}[${i}]`, v));
  }
  const x = finite(owner, name, value);
  return new Array<number>(groups).fill(x);
}

/**
 * torch's handling of `lr_lambda` in `LambdaLR` / `MultiplicativeLR`: one function for every
 * group, or a list with one function per group (torch `ValueError` otherwise).
 */
export function requireLambdas(owner: string, value: unknown, groups: number): EpochFunction[] {
  if (Array.isArray(value)) {
    if (value.length !== groups) {
      throw optionError(
        RangeError,
        owner,
        "lrLambda",
        value,
        `Expected ${groups} lr_lambdas, but got ${value.length} (torch ValueError)`,
      );
    }
    return value.map((f, i) => requireFunction(owner, `lrLambda[${i}]`, f));
  }
  const f = requireFunction(owner, "lrLambda", value);
  return new Array<EpochFunction>(groups).fill(f);
}

function requireFunction(owner: string, name: string, value: unknown): EpochFunction {
  if (typeof value !== "function") {
    throw optionError(
      TypeError,
      owner,
      name,
      value,
      `\`${name}\` must be a function: got ${show(value)}`,
    );
  }
  return value as EpochFunction;
}

/** Calls a user function and checks that it returned a finite number (lrspec never writes NaN). */
export function callFactor(owner: string, name: string, f: EpochFunction, x: number): number {
  const y: unknown = f(x);
  if (typeof y !== "number") {
    throw optionError(
      TypeError,
      owner,
      name,
      f,
      `\`${name}\` returned ${show(y)} for ${x}, not a number`,
    );
  }
  if (!Number.isFinite(y)) {
    throw optionError(RangeError, owner, name, f, `\`${name}\` returned ${show(y)} for ${x}`);
  }
  return y;
}

/** Reads a numeric key of a parameter group (torch `KeyError` when it is missing). */
export function groupNumber(
  owner: string,
  group: Record<string, unknown>,
  index: number,
  key: string,
): number {
  const value = group[key];
  if (typeof value !== "number") {
    throw optionError(
      TypeError,
      owner,
      `optimizer.paramGroups[${index}].${key}`,
      value,
      `\`paramGroups[${index}].${key}\` must be a number: got ${show(value)}` +
        (value === undefined ? " (torch raises KeyError)" : ""),
    );
  }
  return value;
}

/**
 * Own enumerable properties of a function (the state of a "callable object"), or `null` for a
 * plain function — what torch saves for each `lr_lambda`.
 */
export function functionState(f: EpochFunction): Record<string, unknown> | null {
  const entries = Object.entries(f);
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

/** Python's `"%.5d" % epoch` for an integer epoch, `"%.2f" % epoch` otherwise. */
export function formatEpoch(epoch: number): string {
  if (!Number.isInteger(epoch)) return epoch.toFixed(2);
  const digits = String(Math.abs(epoch)).padStart(5, "0");
  return epoch < 0 ? `-${digits}` : digits;
}

/**
 * torch's `state_dict()`: every attribute of `scheduler` except the optimizer (and functions,
 * which torch cannot serialise either), copied.
 */
export function attributeState(scheduler: object): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(scheduler)) {
    if (key === "optimizer" || typeof value === "function") continue;
    state[key] = copyState(value);
  }
  return state;
}

/**
 * Checks a state to load: an object whose keys are all in `keys` (the keys of the scheduler's own
 * state dict, never the optimizer). Returns it.
 *
 * @throws {TypeError} If `state` is not an object or has a key outside `keys`.
 */
export function requireStateKeys(
  owner: string,
  keys: readonly string[],
  state: unknown,
): Record<string, unknown> {
  if (typeof state !== "object" || state === null || Array.isArray(state)) {
    throw optionError(
      TypeError,
      owner,
      "state",
      state,
      `state must be an object: got ${show(state)}`,
    );
  }
  for (const key of Object.keys(state)) {
    if (key === "optimizer" || !keys.includes(key)) {
      throw optionError(
        TypeError,
        owner,
        `state.${key}`,
        (state as Record<string, unknown>)[key],
        `unknown state key \`${key}\``,
      );
    }
  }
  return state as Record<string, unknown>;
}
