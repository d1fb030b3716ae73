import { test } from "node:test";
import assert from "node:assert/strict";
import {
  array,
  boolean,
  checkSchedulerValue,
  finite,
  finiteArgument,
  finiteArray,
  finiteWhere,
  fn,
  integer,
  iterationRange,
  oneOf,
  requireOptions,
  requireScheduler,
  show,
} from "./validate.ts";

test("show renders values for error messages", () => {
  assert.equal(show("a"), '"a"');
  assert.equal(show(-0), "-0");
  assert.equal(show(1.5), "1.5");
  assert.equal(show(3n), "3n");
  assert.equal(show(function named() {}), "function named");
  assert.equal(show(() => 1), "function (anonymous)");
  assert.equal(show([1, "x"]), '[1, "x"]');
  assert.equal(show([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), "[1, 2, 3, 4, 5, 6, 7, 8, … 2 more]");
  assert.equal(show(null), "null");
  assert.equal(show(undefined), "undefined");
  assert.equal(show({ a: 1 }), "{…}");
  assert.equal(show(new Map()), "Map {…}");
});

test("requireOptions: the key list is exhaustive by type (the compiler checks it)", () => {
  const options: { a?: number; b?: number } = { a: 1 };
  assert.equal(requireOptions("X", options, ["a", "b"]), options);
  // @ts-expect-error: `b` is an option of the type, missing from the list
  assert.equal(requireOptions("X", options, ["a"]), options);
  // A state dict (any key) is not checked.
  const state: Record<string, unknown> = { lastEpoch: 3 };
  assert.equal(requireOptions("X state", state, ["lastEpoch"]), state);
});

test("requireOptions: a plain object with known keys, returned as typed", async (t) => {
  await t.test("returns the very object", () => {
    const o = { a: 1 };
    assert.equal(requireOptions<{ a?: number }>("X", o, ["a"]), o);
  });
  await t.test("not an object: TypeError", () => {
    for (const bad of [null, 3, "x", [1]]) {
      assert.throws(() => requireOptions("X", bad as never, []), {
        name: "TypeError",
        message: /^X: options must be an object: got /,
      });
    }
  });
  await t.test("an unknown key, with the camelCase hint when it is a snake_case known key", () => {
    assert.throws(
      () =>
        requireOptions<{ startValue?: number }>("X", { start_value: 1 } as never, ["startValue"]),
      {
        name: "TypeError",
        message:
          "X: unknown option `start_value` (did you mean `startValue`?); expected `startValue`",
      },
    );
    assert.throws(() => requireOptions<{ a?: number }>("X", { b: 1 } as never, ["a"]), {
      name: "TypeError",
      message: "X: unknown option `b`; expected `a`",
    });
  });
});

test("number checks: finite, finiteWhere, integer", () => {
  assert.equal(finite("X", "v", 2), 2);
  assert.throws(() => finite("X", "v", "2"), {
    name: "TypeError",
    message: 'X: `v` must be a number: got "2"',
  });
  assert.throws(() => finite("X", "v", NaN), {
    name: "RangeError",
    message: "X: `v` must be finite: got NaN",
  });
  assert.equal(finiteWhere("X", "v", 1, "> 0", (x) => x > 0), 1);
  assert.throws(() => finiteWhere("X", "v", 0, "> 0", (x) => x > 0), {
    name: "RangeError",
    message: "X: `v` must be > 0: got 0",
  });
  assert.equal(integer("X", "v", -3), -3, "default: any integer");
  assert.throws(() => integer("X", "v", 1.5), { message: "X: `v` must be an integer: got 1.5" });
  assert.throws(() => integer("X", "v", 0, "positive", (x) => x > 0), {
    message: "X: `v` must be positive: got 0",
  });
});

test("boolean, oneOf, array, finiteArray", () => {
  assert.equal(boolean("X", "b", false), false);
  assert.throws(() => boolean("X", "b", 0), {
    name: "TypeError",
    message: "X: `b` must be a boolean: got 0",
  });
  assert.equal(oneOf("X", "m", "a", ["a", "b"]), "a");
  assert.throws(() => oneOf("X", "m", 1, ["a"]), {
    name: "TypeError",
    message: "X: `m` must be a string: got 1",
  });
  assert.throws(() => oneOf("X", "m", "c", ["a", "b"], " (upstream: ValueError)"), {
    name: "RangeError",
    message: 'X: `m` must be one of "a", "b": got "c" (upstream: ValueError)',
  });
  const input = [1, 2];
  const copy = array("X", "xs", input);
  assert.deepEqual(copy, [1, 2]);
  assert.notEqual(copy, input, "a copy");
  assert.throws(() => array("X", "xs", "12"), {
    name: "TypeError",
    message: 'X: `xs` must be an array: got "12"',
  });
  assert.throws(() => finiteArray("X", "xs", [1, Infinity]), {
    name: "RangeError",
    message: "X: `xs[1]` must be finite: got Infinity",
  });
});

test("call-time checks: finiteArgument, requireScheduler, checkSchedulerValue", () => {
  finiteArgument("X", "where", 0.5);
  assert.throws(() => finiteArgument("X", "where", Infinity), {
    name: "RangeError",
    message: "X: `where` must be a finite number: got Infinity",
  });
  assert.throws(() => finiteArgument("X", "where", "1" as never), { name: "TypeError" });
  const s = { at: () => 1 };
  assert.equal(requireScheduler("X", "s", s), s);
  for (const bad of [null, [], { at: 1 }, () => 1]) {
    assert.throws(() => requireScheduler("X", "s", bad), {
      name: "TypeError",
      message: /^X: `s` must be a ParamScheduler \(an object with an at\(where\) method\)/,
    });
  }
  assert.equal(checkSchedulerValue("X", "s", 0.5, 2), 2);
  assert.throws(() => checkSchedulerValue("X", "s", 0.5, Infinity), {
    name: "RangeError",
    message: "X: s returned Infinity at where=0.5, not a finite number",
  });
});

test("iterationRange: defaults, bounds and the output buffer", async (t) => {
  await t.test("from omitted: 0; to omitted: the default; out omitted: a new array", () => {
    const r = iterationRange("X", {}, 7);
    assert.deepEqual([r.from, r.to, r.out.length], [0, 7, 7]);
  });
  await t.test("the caller's out is used, when long enough", () => {
    const out = new Float64Array(10);
    assert.equal(iterationRange("X", { from: 2, to: 5, out }, 7).out, out);
  });
  await t.test("errors name the owner and the option", () => {
    assert.throws(() => iterationRange("X", { from: 3, to: 2 }, 7), {
      name: "RangeError",
      message: "X: `to` must be >= `from`: got from=3, to=2",
    });
    assert.throws(() => iterationRange("X", { from: 2 ** 53 }, 7), {
      message: /^X: `from` must be a safe integer/,
    });
    assert.throws(() => iterationRange("X", { out: new Float64Array(2) }, 7), {
      name: "RangeError",
      message: "X: `out` must hold at least 7 values: got length 2",
    });
    assert.throws(() => iterationRange("X", { out: new Float32Array(7) as never }, 7), {
      name: "TypeError",
      message: "X: `out` must be a Float64Array: got Float32Array {…}",
    });
  });
});

test("fn: a function, returned as the caller's function type", () => {
  const f = (x: number) => x + 1;
  assert.equal(fn<(x: number) => number>("Owner", "scaleFn", f), f);
  assert.throws(() => fn("Owner", "scaleFn", 1), {
    name: "TypeError",
    message: "Owner: `scaleFn` must be a function: got 1",
  });
});
