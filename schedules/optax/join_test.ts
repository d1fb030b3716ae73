import { test } from "node:test";
import assert from "node:assert/strict";
import { constantSchedule, joinSchedules, linearSchedule, type Schedule } from "./mod.ts";

const f = Math.fround;

test("optax _join_test.py: JoinTest.test_join_schedules", () => {
  const s = joinSchedules({
    schedules: [
      constantSchedule({ value: 1.0 }),
      constantSchedule({ value: 2.0 }),
      constantSchedule({ value: 1.0 }),
    ],
    boundaries: [3, 6],
  });
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map(s), [1, 1, 1, 2, 2, 2, 1]);
});

test("joinSchedules", async (t) => {
  const recording = (name: string, seen: string[]): Schedule => (count) => {
    seen.push(`${name}(${count})`);
    return count;
  };
  await t.test("each later schedule gets the steps since its boundary", () => {
    const seen: string[] = [];
    const s = joinSchedules({
      schedules: [recording("a", seen), recording("b", seen), recording("c", seen)],
      boundaries: [10, 25],
      dtype: "float64",
    });
    assert.deepEqual([0, 9, 10, 24, 25, 100].map(s), [0, 9, 0, 14, 0, 75]);
    assert.deepEqual(seen, ["a(0)", "a(9)", "b(0)", "b(14)", "c(0)", "c(75)"]);
  });
  await t.test("unsorted boundaries: the last boundary reached wins, as optax's where chain", () => {
    const s = joinSchedules({
      schedules: [() => 0, () => 1, () => 2],
      boundaries: [10, 5],
      dtype: "float64",
    });
    assert.deepEqual([4, 5, 9, 10, 11].map(s), [0, 2, 2, 2, 2]);
  });
  await t.test("float32 (the default): jnp.where returns a float32 array", () => {
    const s = joinSchedules({
      schedules: [constantSchedule({ value: 0.1 }), constantSchedule({ value: 0.2 })],
      boundaries: [5],
    });
    assert.deepEqual([0, 5].map(s), [f(0.1), f(0.2)]);
    const x64 = joinSchedules({
      schedules: [constantSchedule({ value: 0.1 }), constantSchedule({ value: 0.2 })],
      boundaries: [5],
      dtype: "float64",
    });
    assert.deepEqual([0, 5].map(x64), [0.1, 0.2]);
  });
  await t.test("no boundaries: the first schedule's value itself (no jnp.where)", () => {
    const s = joinSchedules({ schedules: [constantSchedule({ value: 0.1 })], boundaries: [] });
    assert.equal(s(3), 0.1);
  });
  await t.test("float32: step − boundary wraps around in int32", () => {
    const s = joinSchedules({
      schedules: [() => 0, (c) => (c < 0 ? -1 : 1)],
      boundaries: [-10],
    });
    assert.equal(s(2 ** 31 - 1), -1, "2^31 − 1 − (−10) wraps to −2^31 + 9");
    assert.equal(s(2 ** 31 - 11), 1);
  });
  await t.test("validation", () => {
    const one = constantSchedule({ value: 1 });
    assert.throws(() => joinSchedules({ schedules: [], boundaries: [] }), /must not be empty/);
    assert.throws(
      () => joinSchedules({ schedules: [one, one], boundaries: [] }),
      /one entry fewer than `schedules`: got 0 boundaries for 2 schedules/,
    );
    assert.throws(
      () => joinSchedules({ schedules: [one], boundaries: [3] }),
      /got 1 boundaries for 1 schedules/,
    );
    assert.throws(
      () => joinSchedules({ schedules: [one, 3 as never], boundaries: [1] }),
      TypeError,
    );
    assert.throws(() => joinSchedules({ schedules: [one, one], boundaries: [1.5] }), RangeError);
    assert.throws(
      () => joinSchedules({ schedules: [one, one], boundaries: [2 ** 31] }),
      /within int32/,
    );
    assert.throws(() => joinSchedules({ schedules: one as never, boundaries: [] }), TypeError);
  });
  await t.test("a schedule returning garbage", () => {
    const s = joinSchedules({ schedules: [() => "1" as never, () => NaN], boundaries: [5] });
    assert.throws(() => s(0), { name: "TypeError", message: /schedules\[0\] returned "1"/ });
    assert.throws(() => s(5), { name: "RangeError", message: /NaN/ });
  });
  await t.test("the count is checked", () => {
    const s = joinSchedules({
      schedules: [linearSchedule({ initValue: 1, endValue: 0, transitionSteps: 3 })],
      boundaries: [],
    });
    assert.throws(() => s(0.5), RangeError);
  });
});
