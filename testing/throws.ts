/**
 * `throwsWith(fn, ErrorClass, /message/)`: `fn` throws an instance of exactly that class whose
 * message matches. (node:assert's `throws` takes a class or a pattern, not both.)
 *
 * @module
 */

import assert from "node:assert/strict";

/** Asserts that `fn` throws a `type` (the exact class) whose message matches `message`. */
export function throwsWith(
  fn: () => unknown,
  type: abstract new (...args: never[]) => Error,
  message: RegExp = /(?:)/,
): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof Error, `threw a non-Error: ${String(error)}`);
    assert.equal(error.constructor, type, `threw ${error.constructor.name}: ${error.message}`);
    assert.match(error.message, message);
    return true;
  });
}
