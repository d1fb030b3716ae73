/**
 * Construction-time validation shared by every port. Each check throws a `TypeError` for a value
 * of the wrong type or shape and a `RangeError` for a value out of range, with a message that
 * names the class, the option and the offending value.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { sameName } from "../names.ts";

/** Renders a value for an error message: strings quoted, arrays and objects abbreviated. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map(show);
    if (value.length > 8) items.push(`… ${value.length - 8} more`);
    return `[${items.join(", ")}]`;
  }
  if (value === null || typeof value !== "object") return String(value);
  const name = value.constructor?.name;
  return name && name !== "Object" ? `${name} {…}` : "{…}";
}

/**
 * `unknown` when `K` lists every key of `T`; otherwise a type no list satisfies, naming the keys
 * it lacks — so an option added to an options interface cannot be forgotten in its constructor's
 * `requireOptions` list (the list is checked by the compiler, not by a test).
 */
export type Exhaustive<T, K extends readonly unknown[]> = string extends keyof T ? unknown // a state dict: any key
  : [Exclude<keyof T & string, K[number]>] extends [never] ? unknown
  : {
    "requireOptions: these options are missing from the list": Exclude<keyof T & string, K[number]>;
  };

/**
 * Throws unless `options` is a plain object whose keys are all in `known`, and returns it with
 * its declared type (the values are still to be validated: a JavaScript caller may pass
 * anything). An unknown key is usually a typo or an upstream snake_case name
 * (`rescale_interval`, `T_max`); the message suggests the option's spelling (`TMax`), and the
 * error's `cause` carries the owner, the key and its value.
 */
export function requireOptions<
  T extends object,
  const K extends readonly (keyof T & string)[] = readonly (keyof T & string)[],
>(
  owner: string,
  options: T,
  known: K & Exhaustive<T, K>,
): T {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw optionError(
      TypeError,
      owner,
      "options",
      options,
      `options must be an object: got ${show(options)}`,
    );
  }
  const names: readonly string[] = known;
  for (const key of Object.keys(options)) {
    if (!names.includes(key)) {
      const near = names.find((k) => sameName(k, key));
      const hint = near !== undefined ? ` (did you mean \`${near}\`?)` : "";
      const list = names.map((k) => `\`${k}\``).join(", ");
      throw optionError(
        TypeError,
        owner,
        key,
        (options as Record<string, unknown>)[key],
        `unknown option \`${key}\`${hint}; expected ${list}`,
      );
    }
  }
  return options;
}

/** A finite number. */
export function finite(owner: string, name: string, value: unknown): number {
  if (typeof value !== "number") {
    throw optionError(
      TypeError,
      owner,
      name,
      value,
      `\`${name}\` must be a number: got ${show(value)}`,
    );
  }
  if (!Number.isFinite(value)) {
    throw optionError(
      RangeError,
      owner,
      name,
      value,
      `\`${name}\` must be finite: got ${show(value)}`,
    );
  }
  return value;
}

/** A finite number satisfying `test`, described by `what` ("> 0", ">= 0", ...). */
export function finiteWhere(
  owner: string,
  name: string,
  value: unknown,
  what: string,
  test: (x: number) => boolean,
): number {
  const x = finite(owner, name, value);
  if (!test(x)) {
    throw optionError(
      RangeError,
      owner,
      name,
      value,
      `\`${name}\` must be ${what}: got ${show(x)}`,
    );
  }
  return x;
}

/** An integer (a number with no fractional part) satisfying `test`. */
export function integer(
  owner: string,
  name: string,
  value: unknown,
  what = "an integer",
  test: (x: number) => boolean = () => true,
): number {
  const x = finite(owner, name, value);
  if (!Number.isInteger(x) || !test(x)) {
    throw optionError(
      RangeError,
      owner,
      name,
      value,
      `\`${name}\` must be ${what}: got ${show(x)}`,
    );
  }
  return x;
}

/** A boolean. */
export function boolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw optionError(
      TypeError,
      owner,
      name,
      value,
      `\`${name}\` must be a boolean: got ${show(value)}`,
    );
  }
  return value;
}

/** One of the allowed strings. */
export function oneOf<T extends string>(
  owner: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
  mirrors = "",
): T {
  if (typeof value !== "string") {
    throw optionError(
      TypeError,
      owner,
      name,
      value,
      `\`${name}\` must be a string: got ${show(value)}`,
    );
  }
  if (!(allowed as readonly string[]).includes(value)) {
    const list = allowed.map((a) => JSON.stringify(a)).join(", ");
    throw optionError(
      RangeError,
      owner,
      name,
      value,
      `\`${name}\` must be one of ${list}: got ${show(value)}${mirrors}`,
    );
  }
  return value as T;
}

/** An array (any array-like that `Array.isArray` accepts); returns a shallow copy. */
export function array(owner: string, name: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) {
    throw optionError(
      TypeError,
      owner,
      name,
      value,
      `\`${name}\` must be an array: got ${show(value)}`,
    );
  }
  return value.slice();
}

/** An array of finite numbers; returns a copy. */
export function finiteArray(owner: string, name: string, value: unknown): number[] {
  const items = array(owner, name, value);
  items.forEach((item, i) => finite(owner, `${name}[${i}]`, item));
  return items as number[];
}

/** A function. */
export function fn<F>(owner: string, name: string, value: unknown): F {
  if (typeof value !== "function") {
    throw optionError(
      TypeError,
      owner,
      name,
      value,
      `\`${name}\` must be a function: got ${show(value)}`,
    );
  }
  return value as F;
}

/** Throws a RangeError for a non-finite or non-number progress/iteration argument at call time. */
export function finiteArgument(owner: string, name: string, value: number): void {
  if (typeof value !== "number" || value - value !== 0) {
    const error = typeof value === "number" ? RangeError : TypeError;
    throw optionError(
      error,
      owner,
      name,
      value,
      `\`${name}\` must be a finite number: got ${show(value)}`,
    );
  }
}

/** Throws a TypeError unless `value` has an `at` method. */
export function requireScheduler(
  owner: string,
  name: string,
  value: unknown,
): { at(where: number): number } {
  if (
    typeof value !== "object" || value === null || Array.isArray(value) ||
    typeof (value as { at?: unknown }).at !== "function"
  ) {
    throw optionError(
      TypeError,
      owner,
      name,
      value,
      `\`${name}\` must be a ParamScheduler (an object with an at(where) method): got ${
        show(value)
      }`,
    );
  }
  return value as { at(where: number): number };
}

/** Checks the value a (possibly duck-typed) child scheduler returned. */
export function checkSchedulerValue(
  owner: string,
  what: string,
  where: number,
  value: unknown,
): number {
  if (typeof value !== "number" || value - value !== 0) {
    throw optionError(
      RangeError,
      owner,
      what,
      value,
      `${what} returned ${show(value)} at where=${show(where)}, not a finite number`,
    );
  }
  return value;
}

/**
 * A window `[from, to)` of safe-integer iterations and the `Float64Array` its values go to: `out`
 * (at least `to − from` long) or a new array.
 */
export function iterationRange(
  owner: string,
  o: { from?: number; to?: number; out?: Float64Array },
  defaultTo: number,
): { from: number; to: number; out: Float64Array } {
  const safe = (x: number) => Number.isSafeInteger(x);
  const from = integer(owner, "from", o.from ?? 0, "a safe integer", safe);
  const to = integer(owner, "to", o.to ?? defaultTo, "a safe integer", safe);
  if (to < from) {
    throw optionError(
      RangeError,
      owner,
      "to",
      to,
      `\`to\` must be >= \`from\`: got from=${from}, to=${to}`,
    );
  }
  if (o.out === undefined) return { from, to, out: new Float64Array(to - from) };
  if (!(o.out instanceof Float64Array)) {
    throw optionError(
      TypeError,
      owner,
      "out",
      o.out,
      `\`out\` must be a Float64Array: got ${show(o.out)}`,
    );
  }
  if (o.out.length < to - from) {
    throw optionError(
      RangeError,
      owner,
      "out",
      o.out,
      `\`out\` must hold at least ${to - from} values: got length ${o.out.length}`,
    );
  }
  return { from, to, out: o.out };
}
