import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CompositeParamScheduler,
  ConstantParamScheduler,
  CosineParamScheduler,
  ExponentialParamScheduler,
  LinearParamScheduler,
  MultiStepParamScheduler,
  ParamScheduler,
  PolynomialDecayParamScheduler,
  StepParamScheduler,
  StepWithFixedGammaParamScheduler,
  WHERE_EPSILON,
} from "../../mod.ts";

/** The next double below a positive finite x. */
function nextDown(x: number): number {
  const f = new Float64Array([x]);
  const i = new BigInt64Array(f.buffer);
  i[0]! -= 1n;
  return f[0]!;
}

test("WHERE_EPSILON is fvcore's 1e-6, also as a class attribute", () => {
  assert.equal(WHERE_EPSILON, 1e-6);
  assert.equal(ParamScheduler.WHERE_EPSILON, 1e-6);
});

test("ConstantParamScheduler", async (t) => {
  const s = new ConstantParamScheduler({ value: 0.42 });
  await t.test("holds its value below 1", () => {
    for (const w of [0, 0.3, 1 - 1e-12]) assert.equal(s.at(w), 0.42);
  });
  await t.test("raises at where >= 1, as fvcore", () => {
    assert.throws(() => s.at(1), { name: "RangeError", message: /must be in \[0, 1\]: got 1/ });
    assert.throws(() => s.at(2), RangeError);
  });
  await t.test("rejects non-finite where and bad options", () => {
    assert.throws(() => s.at(NaN), {
      name: "RangeError",
      message: /`where` must be a finite number: got NaN/,
    });
    assert.throws(() => new ConstantParamScheduler({ value: "1" as unknown as number }), {
      name: "TypeError",
      message: 'ConstantParamScheduler: `value` must be a number: got "1"',
    });
    assert.throws(() => new ConstantParamScheduler({ value: Infinity }), RangeError);
    assert.throws(() => new ConstantParamScheduler(null as never), TypeError);
  });
  await t.test("rejects unknown options, suggesting the camelCase name", () => {
    assert.throws(
      () => new LinearParamScheduler({ start_value: 1, endValue: 0 } as never),
      {
        name: "TypeError",
        message: /unknown option `start_value` \(did you mean `startValue`\?\)/,
      },
    );
  });
});

test("CosineParamScheduler", async (t) => {
  await t.test("endpoints and midpoint", () => {
    const s = new CosineParamScheduler({ startValue: 0.1, endValue: 0.0001 });
    assert.equal(s.at(0), 0.1);
    assert.equal(s.at(1), 0.0001);
    // fvcore: end + 0.5 * (start - end) * (1 + cos(pi * where))
    assert.equal(s.at(0.5), 0.0001 + 0.5 * (0.1 - 0.0001) * (1 + Math.cos(Math.PI * 0.5)));
  });
  await t.test("increasing cosine (warmup direction) and past where = 1", () => {
    const s = new CosineParamScheduler({ startValue: 0, endValue: 1 });
    assert.ok(s.at(0.25) < s.at(0.75));
    assert.ok(Number.isFinite(s.at(1.5))); // fvcore does not raise past 1
  });
  await t.test("rejects a range that overflows", () => {
    assert.throws(() => new CosineParamScheduler({ startValue: 1.5e308, endValue: -1.5e308 }), {
      name: "RangeError",
      message: /overflows/,
    });
  });
});

test("ExponentialParamScheduler", async (t) => {
  await t.test("start * decay ** where", () => {
    const s = new ExponentialParamScheduler({ startValue: 2.0, decay: 0.02 });
    assert.equal(s.at(0), 2);
    assert.equal(s.at(1), 0.04);
    assert.equal(s.at(0.5), 2 * 0.02 ** 0.5);
  });
  await t.test("decay 0 is 0 after the start, and raises for negative where as Python does", () => {
    const s = new ExponentialParamScheduler({ startValue: 1, decay: 0 });
    assert.equal(s.at(0), 1);
    assert.equal(s.at(0.1), 0);
    assert.throws(() => s.at(-0.1), { name: "RangeError", message: /negative power/ });
  });
  await t.test("rejects a negative decay (a complex number in Python)", () => {
    assert.throws(() => new ExponentialParamScheduler({ startValue: 1, decay: -0.5 }), {
      name: "RangeError",
      message: "ExponentialParamScheduler: `decay` must be >= 0: got -0.5",
    });
  });
});

test("LinearParamScheduler: end * where + start * (1 - where)", () => {
  const s = new LinearParamScheduler({ startValue: 0.0001, endValue: 0.01 });
  assert.equal(s.at(0), 0.0001);
  assert.equal(s.at(1), 0.01);
  assert.equal(s.at(0.3), 0.01 * 0.3 + 0.0001 * (1 - 0.3));
  // Not the algebraically equal start + (end - start) * where:
  assert.notEqual(0.01 * 0.3 + 0.0001 * 0.7, 0.0001 + (0.01 - 0.0001) * 0.3);
  assert.throws(() => new LinearParamScheduler({ startValue: 2, endValue: 2 }).at(1e308), {
    name: "RangeError",
    message: /NaN/,
  });
});

test("MultiStepParamScheduler", async (t) => {
  const explicit = new MultiStepParamScheduler({
    values: [1, 0.1, 0.01],
    milestones: [30, 60],
    numUpdates: 90,
  });
  await t.test("values change at the milestones (as iterations / numUpdates)", () => {
    assert.equal(explicit.at(29 / 90), 1);
    assert.equal(explicit.at(30 / 90), 0.1);
    assert.equal(explicit.at(59 / 90), 0.1);
    assert.equal(explicit.at(60 / 90), 0.01);
    assert.equal(explicit.at(1), 0.01);
  });
  await t.test("WHERE_EPSILON: the change happens at milestone/numUpdates - 1e-6", () => {
    const edge = 30 / 90 - WHERE_EPSILON;
    assert.equal(explicit.at(edge), 0.1);
    let below = edge;
    for (let i = 0; i < 64 && Math.trunc((below + WHERE_EPSILON) * 90) >= 30; i++) {
      below = nextDown(below);
    }
    assert.ok(
      Math.trunc((below + WHERE_EPSILON) * 90) < 30,
      "found the last where before the change",
    );
    assert.equal(explicit.at(below), 1);
  });
  await t.test("all four fvcore spellings define the same schedule", () => {
    const others = [
      new MultiStepParamScheduler({ values: [1, 0.1, 0.01], numUpdates: 90 }),
      new MultiStepParamScheduler({ values: [1, 0.1, 0.01], milestones: [30, 60, 90] }),
      new MultiStepParamScheduler({ values: [1, 0.1, 0.01], milestones: [3, 6, 9] }),
    ];
    assert.deepEqual(others[0]!.milestones, [30, 60]);
    assert.equal(others[1]!.numUpdates, 90);
    for (let i = 0; i <= 90; i++) {
      for (const o of others) assert.equal(o.at(i / 90), explicit.at(i / 90), `step ${i}`);
    }
  });
  await t.test("equispaced milestones use ceil(numUpdates / values.length)", () => {
    const s = new MultiStepParamScheduler({ values: [1, 0.5, 0.25, 0.125], numUpdates: 10 });
    assert.deepEqual(s.milestones, [3, 6, 9]);
  });
  await t.test("raises past where = 1, not at 1", () => {
    assert.throws(() => explicit.at(1 + 1e-12), { name: "RangeError", message: /\[0, 1\]/ });
  });
  await t.test("fvcore's construction errors", () => {
    const cases: [unknown, ErrorConstructor, RegExp][] = [
      [{ values: [1, 0.1] }, TypeError, /cannot both be undefined/],
      [
        { values: [1, 0.1], milestones: [90], numUpdates: 90 },
        RangeError,
        /smaller than total number of updates: numUpdates=90, milestones\[0\]=90/,
      ],
      [
        { values: [1, 0.1, 0.01], milestones: [60, 30], numUpdates: 90 },
        RangeError,
        /strictly increasing: got \[60, 30\] at index 1/,
      ],
      [{ values: [1, 0.1], milestones: [0], numUpdates: 90 }, RangeError, /strictly increasing/],
      [
        { values: [1, 0.1, 0.01], milestones: [30], numUpdates: 90 },
        RangeError,
        /requires a list of 2 milestones/,
      ],
      [{ values: [1, 0.1, 0.01], numUpdates: 2 }, RangeError, /at least the length of `values`/],
      [{ values: [], numUpdates: 2 }, RangeError, /must not be empty/],
      [{ values: [1, NaN], numUpdates: 2 }, RangeError, /`values\[1\]` must be finite/],
      [{ values: "1,2", numUpdates: 2 }, TypeError, /`values` must be an array/],
    ];
    for (const [options, type, message] of cases) {
      assert.throws(() => new MultiStepParamScheduler(options as never), {
        name: type.name,
        message,
      }, JSON.stringify(options));
    }
  });
  await t.test("never aliases the caller's arrays", () => {
    const values = [1, 0.1];
    const milestones = [5];
    const s = new MultiStepParamScheduler({ values, milestones, numUpdates: 10 });
    values[0] = 7;
    milestones[0] = 9;
    assert.equal(s.at(0), 1);
    assert.ok(Object.isFrozen(s.values) && Object.isFrozen(s.milestones));
  });
});

test("PolynomialDecayParamScheduler", async (t) => {
  await t.test("base * (1 - where) ** power", () => {
    const s = new PolynomialDecayParamScheduler({ baseValue: 0.1, power: 0.9 });
    assert.equal(s.at(0), 0.1);
    assert.equal(s.at(1), 0);
  });
  await t.test("Python's errors: 0 ** negative, complex results past 1", () => {
    const neg = new PolynomialDecayParamScheduler({ baseValue: 1, power: -0.5 });
    assert.throws(() => neg.at(1), { name: "RangeError", message: /negative power/ });
    const frac = new PolynomialDecayParamScheduler({ baseValue: 1, power: 0.9 });
    assert.throws(() => frac.at(1.5), { name: "RangeError", message: /complex/ });
    const integer = new PolynomialDecayParamScheduler({ baseValue: 1, power: 2 });
    assert.equal(integer.at(1.5), 0.25);
  });
});

test("StepParamScheduler", async (t) => {
  const s = new StepParamScheduler({ numUpdates: 120, values: [0.1, 0.01, 0.001, 0.0001] });
  await t.test("equal shares of the schedule", () => {
    assert.equal(s.at(0), 0.1);
    assert.equal(s.at(29 / 120), 0.1);
    assert.equal(s.at(30 / 120), 0.01);
    assert.equal(s.at(119 / 120), 0.0001);
  });
  await t.test("the index runs past the end at where >= 1 - WHERE_EPSILON (fvcore IndexError)", () => {
    assert.throws(() => s.at(1 - WHERE_EPSILON), {
      name: "RangeError",
      message: /index out of range/,
    });
    assert.throws(() => s.at(1), RangeError);
  });
  await t.test("negative indices count from the end, as Python lists do", () => {
    assert.equal(s.at(-0.25), 0.1); // trunc(-0.999996) = 0
    assert.equal(s.at(-0.3), 0.0001); // trunc(-1.199996) = -1 → values[-1]
    assert.throws(() => s.at(-1.5), RangeError);
  });
  await t.test("validation", () => {
    assert.throws(() => new StepParamScheduler({ numUpdates: 0, values: [1] }), {
      name: "RangeError",
      message: "StepParamScheduler: `numUpdates` must be > 0: got 0",
    });
    assert.throws(() => new StepParamScheduler({ numUpdates: 3, values: [] }), RangeError);
  });
});

test("StepWithFixedGammaParamScheduler builds values by repeated multiplication", () => {
  const s = new StepWithFixedGammaParamScheduler({
    baseValue: 0.1,
    gamma: 0.1,
    numDecays: 3,
    numUpdates: 120,
  });
  assert.deepEqual(s.values, [0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1, 0.1 * 0.1 * 0.1 * 0.1]);
  assert.equal(s.at(90 / 120), 0.1 * 0.1 * 0.1 * 0.1);
  assert.throws(() => s.at(1), RangeError);
  for (
    const bad of [{ gamma: 0 }, { baseValue: -1 }, { numDecays: 0 }, { numDecays: 1.5 }, {
      numUpdates: 0,
    }]
  ) {
    assert.throws(
      () =>
        new StepWithFixedGammaParamScheduler({
          baseValue: 0.1,
          gamma: 0.1,
          numDecays: 3,
          numUpdates: 120,
          ...bad,
        }),
      RangeError,
      JSON.stringify(bad),
    );
  }
});

test("CompositeParamScheduler", async (t) => {
  const constant = new ConstantParamScheduler({ value: 0.42 });
  const cosine = new CosineParamScheduler({ startValue: 0.42, endValue: 1e-4 });
  await t.test("rescaled segments start and end at their own values", () => {
    const s = new CompositeParamScheduler({
      schedulers: [constant, cosine],
      intervalScaling: ["rescaled", "rescaled"],
      lengths: [0.3, 0.7],
    });
    assert.equal(s.at(0.1), 0.42);
    assert.equal(s.at(1), 1e-4);
    // fvcore's rescaled position: (where - (running_total - length)) / length
    assert.equal(s.at(0.65), cosine.at((0.65 - (1.0 - 0.7)) / 0.7));
  });
  await t.test("fixed segments see the global where", () => {
    const s = new CompositeParamScheduler({
      schedulers: [constant, cosine],
      intervalScaling: ["rescaled", "fixed"],
      lengths: [0.3, 0.7],
    });
    assert.equal(s.at(0.65), cosine.at(0.65));
  });
  await t.test("the last length is corrected on a copy when the sum is not exactly 1", () => {
    const lengths = [0.7, 0.2, 0.1];
    const s = new CompositeParamScheduler({
      schedulers: [constant, constant, cosine],
      intervalScaling: ["rescaled", "rescaled", "rescaled"],
      lengths,
      python: "3.11", // Python 3.12's compensated sum() gives exactly 1.0 here: no correction
    });
    assert.equal(0.7 + 0.2 + 0.1, 0.9999999999999999);
    assert.deepEqual(s.lengths, [0.7, 0.2, 1.0 - (0.7 + 0.2)]);
    assert.equal(s.lengths[2], 0.10000000000000009);
    assert.deepEqual(lengths, [0.7, 0.2, 0.1], "the caller's array is untouched");
  });
  await t.test("a zero-length rescaled segment divides by zero when selected", () => {
    const s = new CompositeParamScheduler({
      schedulers: [constant, cosine],
      intervalScaling: ["rescaled", "rescaled"],
      lengths: [0, 1],
    });
    assert.equal(s.at(0), 0.42);
    assert.throws(() => s.at(-0.5), { name: "RangeError", message: /division by zero/ });
  });
  await t.test("validation", () => {
    const base = {
      schedulers: [constant, cosine],
      intervalScaling: ["rescaled", "rescaled"],
      lengths: [0.3, 0.7],
    };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ lengths: [0.3, 0.6] }, /sum of all values in `lengths` must be 1/],
      [{ lengths: [1] }, /same length/],
      [{ schedulers: [], lengths: [], intervalScaling: [] }, /at least one scheduler/],
      [
        { intervalScaling: ["rescaled", "stretched"] },
        /`intervalScaling\[1\]` must be one of "rescaled", "fixed": got "stretched"/,
      ],
      [{ intervalScaling: ["rescaled"] }, /one entry per scheduler/],
      [{ schedulers: [constant, {}] }, /`schedulers\[1\]` must be a ParamScheduler/],
    ];
    for (const [patch, message] of cases) {
      assert.throws(
        () => new CompositeParamScheduler({ ...base, ...patch } as never),
        { message },
        JSON.stringify(patch),
      );
    }
  });
  await t.test("binary and linear segment search agree (negative lengths force the linear scan)", () => {
    const schedulers = [0, 1, 2, 3].map((v) => new ConstantParamScheduler({ value: v }));
    const monotone = new CompositeParamScheduler({
      schedulers,
      intervalScaling: ["fixed", "fixed", "fixed", "fixed"],
      lengths: [0.25, 0.25, 0.25, 0.25],
    });
    for (let i = 0; i < 100; i++) {
      assert.equal(monotone.at(i / 100), Math.min(3, Math.floor((i / 100 + 1e-6) / 0.25 - 1e-9)));
    }
    const wobbly = new CompositeParamScheduler({
      schedulers,
      intervalScaling: ["fixed", "fixed", "fixed", "fixed"],
      lengths: [0.5, -0.25, 0.5, 0.25],
    });
    assert.equal(wobbly.at(0.3), 0);
    assert.equal(wobbly.at(0.6), 2); // totals 0.5, 0.25, 0.75: first total >= 0.6 is index 2
  });
  await t.test("accepts any object with at(where)", () => {
    const s = new CompositeParamScheduler({
      schedulers: [{ at: (w: number) => w * 2 }],
      intervalScaling: ["fixed"],
      lengths: [1],
    });
    assert.equal(s.at(0.25), 0.5);
  });
});
