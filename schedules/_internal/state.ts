/**
 * A deep copy of plain state (arrays and plain objects; other values kept as they are), as the
 * schedulers' `stateDict()`/`loadStateDict()` copy what they hand out and take in. Private to
 * `schedules/`.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { show } from "./validate.ts";

/** A deep copy of plain state: arrays and plain objects are copied, other values kept. */
export function copyState<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyState) as T;
  if (
    typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyState(v)])) as T;
  }
  return value;
}

/** A state value's kind: `number` stands for bigints too (timm and torch seeds). */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "bigint") return "number";
  return typeof value;
}

function describe(kind: string): string {
  return kind === "array" ? "an array" : kind === "object" ? "an object" : `a ${kind}`;
}

/** Checks one restored value against the value it replaces; `at` names it in messages. */
function checkValue(
  owner: string,
  at: string,
  current: unknown,
  value: unknown,
  finite: boolean,
): void {
  const want = kindOf(current);
  const got = kindOf(value);
  if (want !== "null" && want !== got) {
    throw optionError(
      TypeError,
      owner,
      `state.${at}`,
      value,
      `state \`${at}\` must be ${describe(want)}: got ${show(value)}`,
    );
  }
  if (typeof value === "number" && (finite ? value - value !== 0 : Number.isNaN(value))) {
    throw optionError(
      RangeError,
      owner,
      `state.${at}`,
      value,
      `state \`${at}\` must be ${finite ? "finite" : "a number, not NaN"}: got ${show(value)}`,
    );
  }
  if (got === "array" && want === "array" && (current as unknown[]).length > 0) {
    const model = (current as unknown[])[0];
    (value as unknown[]).forEach((item, i) =>
      checkValue(owner, `${at}[${i}]`, model, item, finite)
    );
  }
}

/**
 * Checks a state about to be restored against the scheduler's own state: each value of the same
 * kind as the one it replaces (a number for a number, an array of numbers for an array of
 * numbers, …; bigints count as numbers, NaN is refused), so that `loadStateDict` fails at once,
 * naming the key, instead of a later step failing deep inside (`_lastLr: null`,
 * `baseLrs: "garbage"`).
 *
 * @param owner The scheduler, for messages.
 * @param current Its state now (`stateDict()`).
 * @param incoming The state to restore.
 * @param options `optional`: keys whose values may change kind (`null` ↔ number ↔ array of
 * numbers); `finite`: numbers must be finite (schedulers whose constructor requires it).
 * @throws {TypeError} For a value of the wrong kind.
 * @throws {RangeError} For a NaN.
 */
export function checkStateValues(
  owner: string,
  current: Readonly<Record<string, unknown>>,
  incoming: Readonly<Record<string, unknown>>,
  options: { optional?: readonly string[]; finite?: boolean } = {},
): void {
  const { optional = [], finite = false } = options;
  for (const [key, value] of Object.entries(incoming)) {
    if (!(key in current)) continue;
    if (optional.includes(key)) {
      const ok = value === null || (typeof value === "number" && !Number.isNaN(value)) ||
        typeof value === "bigint" ||
        (Array.isArray(value) && value.every((x) => typeof x === "number" && !Number.isNaN(x)));
      if (!ok) {
        throw optionError(
          TypeError,
          owner,
          `state.${key}`,
          value,
          `state \`${key}\` must be null, a number or an array of numbers: got ${show(value)}`,
        );
      }
      continue;
    }
    checkValue(owner, key, current[key], value, finite);
  }
}

/**
 * Checks that each per-group list of a state about to be restored (`baseLrs`, `_lastLr`, …) has
 * one entry per parameter group, before anything is restored: a state saved with another
 * optimizer would otherwise step some groups and leave the others, or read past the list.
 * Lists that are absent (or not arrays: {@linkcode checkStateValues} says so) are passed over.
 *
 * @param owner The scheduler, for messages.
 * @param state The state to restore.
 * @param keys Its per-group lists.
 * @param groups How many parameter groups the optimizer has.
 * @throws {RangeError} `Owner: state \`key\` has N entries for G parameter groups`, with
 * `{ owner, option: "state.key", value: the list }` in its `cause`.
 */
export function checkStateGroups(
  owner: string,
  state: Readonly<Record<string, unknown>>,
  keys: readonly string[],
  groups: number,
): void {
  for (const key of keys) {
    const list = state[key];
    if (Array.isArray(list) && list.length !== groups) {
      throw optionError(
        RangeError,
        owner,
        `state.${key}`,
        list,
        `state \`${key}\` has ${list.length} entries for ${groups} parameter groups`,
      );
    }
  }
}
