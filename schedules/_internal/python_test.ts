import { test } from "node:test";
import assert from "node:assert/strict";
import { libm, RUNTIME_LIBM } from "../math.ts";
import { bisectRight, bisectRightF64, floatPow, listIndex, pyMax, trueDiv } from "./python.ts";

test("bisectRight: Python's bisect.bisect_right", async (t) => {
  const a = [10, 20, 20, 30];
  const expected = [0, 1, 1, 3, 3, 4, 4];
  const xs = [5, 10, 15, 20, 25, 30, 35];
  await t.test("counts the entries <= x (ties go right)", () => {
    assert.deepEqual(xs.map((x) => bisectRight(a, x)), expected);
    assert.equal(bisectRight([], 1), 0);
  });
  await t.test("bisectRightF64 agrees on a Float64Array", () => {
    assert.deepEqual(xs.map((x) => bisectRightF64(Float64Array.from(a), x)), expected);
    assert.equal(bisectRightF64(new Float64Array(0), 1), 0);
  });
});

test("listIndex: Python's list indexing", async (t) => {
  await t.test("a non-negative index in range is itself", () => {
    assert.deepEqual([0, 1, 2].map((i) => listIndex(i, 3)), [0, 1, 2]);
  });
  await t.test("a negative index counts from the end", () => {
    assert.deepEqual([-1, -2, -3].map((i) => listIndex(i, 3)), [2, 1, 0]);
  });
  await t.test("out of range on either side is -1 (Python's IndexError)", () => {
    assert.deepEqual([3, 4, -4, -10].map((i) => listIndex(i, 3)), [-1, -1, -1, -1]);
    assert.equal(listIndex(0, 0), -1);
  });
});

test("trueDiv raises where Python raises ZeroDivisionError", () => {
  assert.equal(trueDiv("X", 1, 3), 1 / 3);
  assert.equal(trueDiv("X", 0, -2), -0);
  for (const b of [0, -0]) {
    assert.throws(() => trueDiv("X", 1, b), {
      name: "RangeError",
      message: "X: float division by zero (torch raises ZeroDivisionError)",
    });
  }
});

test("floatPow: Python's x ** y on floats", async (t) => {
  await t.test("Python's special cases, errors instead of NaN/Infinity", () => {
    assert.equal(floatPow("X", 0.5, 2), 0.25);
    assert.equal(floatPow("X", 0, 0), 1);
    assert.equal(floatPow("X", 0, 1.5), 0);
    assert.equal(floatPow("X", -2, 3), -8);
    assert.throws(() => floatPow("X", 0, -1), { name: "RangeError", message: /negative power/ });
    assert.throws(() => floatPow("X", -8, 1 / 3), { name: "RangeError", message: /complex/ });
    assert.throws(() => floatPow("X", 10, 400), { name: "RangeError", message: /overflows/ });
  });
  await t.test("goes through the libm seam", () => {
    libm.pow = () => 42;
    try {
      assert.equal(floatPow("X", 0.3, 0.7), 42);
      assert.equal(floatPow("X", 0.3, 0), 1, "y = 0 is 1 without calling pow, as Python");
    } finally {
      libm.pow = RUNTIME_LIBM.pow;
    }
  });
});

test("pyMax keeps the first argument unless the second is greater (-0 vs 0)", () => {
  assert.ok(Object.is(pyMax(-0, 0), -0));
  assert.ok(Object.is(pyMax(0, -0), 0));
  assert.equal(pyMax(1, 2), 2);
  assert.equal(pyMax(2, 1), 2);
});
