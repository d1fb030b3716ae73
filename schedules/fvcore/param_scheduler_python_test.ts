import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CompositeParamScheduler,
  ConstantParamScheduler,
  LinearParamScheduler,
} from "./param_scheduler.ts";

// fvcore: `if sum(lengths) != 1.0: lengths[-1] = 1.0 - sum(lengths[:-1])`, with the Python's
// sum(): sum([0.7, 0.2, 0.1]) is 1.0 on CPython 3.12 and 0.9999999999999999 on 3.11
// (fixtures/detectron2-py3.12 fvcore/composite-three-corrected is the golden proof).
const three = (python?: "3.11" | "3.12") =>
  new CompositeParamScheduler({
    schedulers: [
      new ConstantParamScheduler({ value: 1 }),
      new ConstantParamScheduler({ value: 0.5 }),
      new LinearParamScheduler({ startValue: 0.5, endValue: 0 }),
    ],
    lengths: [0.7, 0.2, 0.1],
    intervalScaling: ["rescaled", "rescaled", "rescaled"],
    ...(python === undefined ? {} : { python }),
  });

test("CompositeParamScheduler python option", async (t) => {
  await t.test("without `python`: Python 3.12's compensated sum (no correction here)", () => {
    const s = three();
    assert.equal(s.python, "3.12");
    assert.deepEqual(s.lengths, [0.7, 0.2, 0.1]);
  });
  await t.test("python 3.11: left-to-right sum, the last length corrected", () => {
    const s = three("3.11");
    assert.equal(s.python, "3.11");
    assert.deepEqual(s.lengths, [0.7, 0.2, 0.10000000000000009]); // 1.0 - 0.8999999999999999
    // The rescaled last segment differs, hence the values (the golden case differs in 157 rows).
    assert.notEqual(three("3.11").at(0.95), three("3.12").at(0.95));
  });
  await t.test("two lengths sum alike under both releases", () => {
    const two = (python: "3.11" | "3.12") =>
      new CompositeParamScheduler({
        schedulers: [
          new ConstantParamScheduler({ value: 1 }),
          new ConstantParamScheduler({ value: 0.5 }),
        ],
        lengths: [0.3, 0.7],
        intervalScaling: ["rescaled", "fixed"],
        python,
      }).lengths;
    assert.deepEqual(two("3.11"), two("3.12"));
  });
  await t.test("validation", () => {
    assert.throws(() => three("3.13" as never), {
      name: "RangeError",
      message: /CompositeParamScheduler: `python` must be one of "3.11", "3.12": got "3.13"/,
    });
    assert.throws(() => three(3.12 as never), TypeError);
  });
});
