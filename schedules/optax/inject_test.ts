import { test } from "node:test";
import assert from "node:assert/strict";
import {
  constantSchedule,
  cosineDecaySchedule,
  WrappedSchedule,
  type WrappedScheduleState,
} from "./mod.ts";

test("WrappedSchedule: init, update, call", async (t) => {
  await t.test("init() is count 0; update() adds one; call() is the schedule at the count", () => {
    const schedule = cosineDecaySchedule({ initValue: 0.1, decaySteps: 10 });
    const wrapped = new WrappedSchedule(schedule);
    assert.equal(wrapped.scheduleFn, schedule);
    let state = wrapped.init();
    assert.deepEqual(state, { count: 0 });
    for (let count = 0; count < 15; count++) {
      assert.equal(state.count, count);
      assert.ok(Object.is(wrapped.call(state), schedule(count)), `count ${count}`);
      state = wrapped.update(state);
    }
  });
  await t.test("safe_increment: the count stops at the int32 maximum", () => {
    const wrapped = new WrappedSchedule(constantSchedule({ value: 0.5 }));
    assert.deepEqual(wrapped.update({ count: 2147483646 }), { count: 2147483647 });
    assert.deepEqual(wrapped.update({ count: 2147483647 }), { count: 2147483647 });
    assert.deepEqual(wrapped.update({ count: -2147483648 }), { count: -2147483647 });
  });
  await t.test("states are not mutated; extra arguments are ignored", () => {
    const wrapped = new WrappedSchedule(constantSchedule({ value: 0.5 }));
    const state: WrappedScheduleState = Object.freeze({ count: 3 });
    assert.deepEqual(wrapped.update(state, { loss: 1 }), { count: 4 });
    assert.equal(state.count, 3);
    assert.equal(wrapped.call(state, { loss: 1 }), 0.5);
  });
  await t.test("validation", () => {
    assert.throws(() => new WrappedSchedule(0.1 as never), TypeError);
    const wrapped = new WrappedSchedule(constantSchedule({ value: 0.5 }));
    assert.throws(() => wrapped.call(null as never), TypeError);
    assert.throws(() => wrapped.update({ count: "1" } as never), TypeError);
    for (const count of [1.5, 2147483648, -2147483649, Number.NaN]) {
      assert.throws(() => wrapped.update({ count }), RangeError, String(count));
      assert.throws(() => wrapped.call({ count }), RangeError, String(count));
    }
  });
});
