import { test } from "node:test";
import assert from "node:assert/strict";
import { libm } from "../math.ts";
import {
  CompositeParamScheduler,
  ConstantParamScheduler,
  CosineParamScheduler,
  ExponentialParamScheduler,
  LinearParamScheduler,
  MultiStepParamScheduler,
  ParamScheduler,
  PolynomialDecayParamScheduler,
  type SchedulePlan,
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

// ---- Branch by branch: each case names the class and the branch of fvcore's code it aims at ----

/** The kinds of the pieces a plan resolves `wheres` to, and its pieces. */
function planAt(s: { plan(): SchedulePlan }, wheres: number[]): string[] {
  const plan = s.plan();
  return wheres.map((w) => {
    const p = plan.piece === undefined ? 0 : plan.piece(w);
    const piece = plan.resolve(p);
    const what = piece.kind === "value"
      ? `value ${piece.value}`
      : piece.kind === "formula"
      ? `formula${piece.monotone ? " monotone" : ""}${piece.fill ? " fill" : ""}`
      : piece.kind === "stage"
      ? `stage ${piece.start} ${piece.length}`
      : piece.kind;
    return `${p}: ${what}`;
  });
}

test("ConstantParamScheduler branches", async (t) => {
  const s = new ConstantParamScheduler({ value: 0.42 });
  await t.test("where < 1 (negative where included): the value", () => {
    for (const w of [-3, 0, 1 - 2 ** -53]) assert.equal(s.at(w), 0.42, `where=${w}`);
  });
  await t.test("where >= 1: raises (fvcore RuntimeError), at 1 exactly", () => {
    assert.throws(() => s.at(1), RangeError);
  });
  await t.test("plan(): one value piece below 1, opaque from 1 on", () => {
    assert.equal(s.plan().at, ConstantParamScheduler.prototype.at);
    assert.deepEqual(planAt(s, [-1, 0.5, 1 - 2 ** -53, 1, 7]), [
      "0: value 0.42",
      "0: value 0.42",
      "0: value 0.42",
      "1: opaque",
      "1: opaque",
    ]);
  });
});

test("CosineParamScheduler branches", async (t) => {
  const s = new CosineParamScheduler({ startValue: 0.9, endValue: 0.07 });
  await t.test("formula: end + (0.5 · (start − end)) · (1 + cos(π · where)), in fvcore's order", () => {
    for (let i = -10; i <= 1010; i++) {
      const w = i / 1000;
      const expected = 0.07 + 0.5 * (0.9 - 0.07) * (1 + libm.cos(Math.PI * w));
      assert.ok(Object.is(s.at(w), expected), `where=${w}: ${s.at(w)} != ${expected}`);
    }
  });
  await t.test("plan(): the formula with a fill loop, monotone on [0, 1] only", () => {
    assert.equal(s.plan().at, CosineParamScheduler.prototype.at);
    assert.deepEqual(planAt(s, [-0.1, 0, 1, 1.1]), [
      "-1: formula fill",
      "0: formula monotone fill",
      "0: formula monotone fill",
      "1: formula fill",
    ]);
    const piece = s.plan().resolve(0);
    assert.ok(piece.kind === "formula");
    assert.equal(piece.formula(0.3), s.at(0.3));
    const out = new Float64Array(5).fill(-1);
    assert.equal(piece.fill!(out, 1, 4, 2, 10), 4, "writes out[1..4) and returns 4");
    assert.deepEqual([...out], [-1, s.at(0.2), s.at(0.3), s.at(0.4), -1]);
  });
});

test("ExponentialParamScheduler branches", async (t) => {
  await t.test("decay = 0, where < 0: raises (Python ZeroDivisionError)", () => {
    const s = new ExponentialParamScheduler({ startValue: 1, decay: 0 });
    assert.throws(() => s.at(-1e-300), { name: "RangeError", message: /negative power/ });
  });
  await t.test("decay = 0, where = -0 or 0: 0.0 ** 0 is 1 (no raise)", () => {
    const s = new ExponentialParamScheduler({ startValue: 3, decay: 0 });
    assert.equal(s.at(-0), 3);
    assert.equal(s.at(0), 3);
  });
  await t.test("a value that overflows: raises (Python OverflowError) instead of Infinity", () => {
    const s = new ExponentialParamScheduler({ startValue: 1e300, decay: 1e5 });
    assert.equal(s.at(1), 1e300 * 1e5);
    assert.throws(() => s.at(2), { name: "RangeError", message: /OverflowError/ });
  });
  await t.test("construction: startValue · max(1, decay) must not overflow", () => {
    assert.throws(() => new ExponentialParamScheduler({ startValue: 1e300, decay: 1e10 }), {
      name: "RangeError",
      message: "ExponentialParamScheduler: `startValue` * `decay` overflows: got 1e+300 and " +
        "10000000000",
    });
    assert.equal(new ExponentialParamScheduler({ startValue: 1e308, decay: 0.5 }).at(0), 1e308);
  });
  await t.test("plan(): the formula, monotone on [0, 1] only", () => {
    const s = new ExponentialParamScheduler({ startValue: 2, decay: 0.02 });
    assert.equal(s.plan().at, ExponentialParamScheduler.prototype.at);
    assert.deepEqual(planAt(s, [-5, 0, 1, 5]), [
      "-1: formula",
      "0: formula monotone",
      "0: formula monotone",
      "1: formula",
    ]);
  });
});

test("LinearParamScheduler branches", async (t) => {
  const s = new LinearParamScheduler({ startValue: 0.3, endValue: 0.7 });
  await t.test("formula: end · where + start · (1 − where), in fvcore's order", () => {
    for (let i = -10; i <= 1010; i++) {
      const w = i / 1000;
      assert.ok(Object.is(s.at(w), 0.7 * w + 0.3 * (1 - w)), `where=${w}`);
    }
  });
  await t.test("a value that overflows: raises instead of returning Infinity", () => {
    assert.throws(() => new LinearParamScheduler({ startValue: 0, endValue: 1e300 }).at(1e10), {
      name: "RangeError",
      message: /OverflowError/,
    });
  });
  await t.test("plan(): the formula, monotone on [0, 1] only (beyond, the terms cancel)", () => {
    assert.equal(s.plan().at, LinearParamScheduler.prototype.at);
    assert.deepEqual(planAt(s, [-5, 0.5, 5]), ["-1: formula", "0: formula monotone", "1: formula"]);
  });
});

test("MultiStepParamScheduler branches", async (t) => {
  const s = new MultiStepParamScheduler({
    values: [1, 0.1, 0.01],
    milestones: [30, 60],
    numUpdates: 90,
  });
  await t.test("default numUpdates: the last milestone (removed from the milestones)", () => {
    const d = new MultiStepParamScheduler({ values: [1, 0.1, 0.01], milestones: [30, 60, 90] });
    assert.equal(d.numUpdates, 90);
    assert.deepEqual(d.milestones, [30, 60]);
    for (let i = 0; i <= 90; i++) assert.equal(d.at(i / 90), s.at(i / 90), `step ${i}`);
  });
  await t.test("default milestones: ceil(numUpdates / values.length) · (i + 1)", () => {
    const d = new MultiStepParamScheduler({ values: [1, 0.1, 0.01], numUpdates: 100 });
    assert.deepEqual(d.milestones, [34, 68]);
    assert.equal(d.at(33 / 100), 1);
    assert.equal(d.at(34 / 100), 0.1);
  });
  await t.test("bisect_right: a milestone starts its range (epoch == milestone → next value)", () => {
    assert.equal(s.at(29 / 90), 1);
    assert.equal(s.at(30 / 90), 0.1);
  });
  await t.test("WHERE_EPSILON: epoch_num = trunc((where + 1e-6) · numUpdates)", () => {
    const big = new MultiStepParamScheduler({
      values: [1, 0.5],
      milestones: [2_000_000],
      numUpdates: 4_000_000,
    });
    // (1999996 / 4e6 + 1e-6) · 4e6 = 2000000: the change happens 4 updates early, as in fvcore.
    assert.equal(big.at(1_999_995 / 4_000_000), 1);
    assert.equal(big.at(1_999_996 / 4_000_000), 0.5);
  });
  await t.test("where = 1: the last value; where > 1: raises (fvcore RuntimeError)", () => {
    assert.equal(s.at(1), 0.01);
    assert.throws(() => s.at(1 + 2 ** -52), { name: "RangeError", message: /must be in \[0, 1\]/ });
  });
  await t.test("plan(): a value piece per range, opaque past where = 1", () => {
    assert.equal(s.plan().at, MultiStepParamScheduler.prototype.at);
    assert.deepEqual(planAt(s, [-1, 29 / 90, 30 / 90, 1, 1 + 2 ** -52]), [
      "0: value 1",
      "0: value 1",
      "1: value 0.1",
      "2: value 0.01",
      "3: opaque",
    ]);
  });
});

test("PolynomialDecayParamScheduler branches", async (t) => {
  await t.test("formula: base · (1 − where) ** power", () => {
    const s = new PolynomialDecayParamScheduler({ baseValue: 0.1, power: 0.9 });
    assert.equal(s.at(0.5), 0.1 * 0.5 ** 0.9);
  });
  await t.test("1 − where = 0 with power < 0: raises (Python ZeroDivisionError)", () => {
    const s = new PolynomialDecayParamScheduler({ baseValue: 1, power: -2 });
    assert.throws(() => s.at(1), { name: "RangeError", message: /negative power/ });
  });
  await t.test("1 − where = 0 with power = 0: 0.0 ** 0 is 1", () => {
    assert.equal(new PolynomialDecayParamScheduler({ baseValue: 0.5, power: 0 }).at(1), 0.5);
  });
  await t.test("1 − where < 0 with a non-integer power: raises (Python: complex)", () => {
    const s = new PolynomialDecayParamScheduler({ baseValue: 1, power: 2.5 });
    assert.throws(() => s.at(1 + 2 ** -52), { name: "RangeError", message: /complex/ });
  });
  await t.test("1 − where < 0 with an integer power: a real power, sign included", () => {
    assert.equal(new PolynomialDecayParamScheduler({ baseValue: 1, power: 3 }).at(3), -8);
    assert.equal(new PolynomialDecayParamScheduler({ baseValue: 1, power: -1 }).at(3), -0.5);
  });
  await t.test("a value that overflows: raises (Python OverflowError)", () => {
    const s = new PolynomialDecayParamScheduler({ baseValue: 1, power: -20 });
    assert.throws(() => s.at(1 - 2 ** -53), { name: "RangeError", message: /OverflowError/ });
  });
  await t.test("plan(): the formula, monotone on [0, 1] only", () => {
    const s = new PolynomialDecayParamScheduler({ baseValue: 1, power: 2 });
    assert.equal(s.plan().at, PolynomialDecayParamScheduler.prototype.at);
    assert.deepEqual(planAt(s, [-1, 0, 1, 1 + 2 ** -52]), [
      "-1: formula",
      "0: formula monotone",
      "0: formula monotone",
      "1: formula",
    ]);
  });
});

test("StepParamScheduler branches", async (t) => {
  const s = new StepParamScheduler({ numUpdates: 120, values: [0.1, 0.01, 0.001, 0.0001] });
  await t.test("index = trunc((where + WHERE_EPSILON) · values.length): changes 1e-6 early", () => {
    assert.equal(s.at(0.25 - 1.0000001e-6), 0.1);
    assert.equal(s.at(0.25 - 1e-6), 0.01);
  });
  await t.test("a negative index counts from the end (Python list indexing)", () => {
    assert.equal(s.at(-0.3), 0.0001); // index -1
    assert.equal(s.at(-0.9), 0.01); // index -3
  });
  await t.test("index < -values.length: raises (fvcore IndexError)", () => {
    assert.equal(s.at(-1.1), 0.1, "index -4 is values[0]");
    assert.throws(() => s.at(-1.3), { name: "RangeError", message: /index -5 of 4 values/ });
  });
  await t.test("index >= values.length: raises (fvcore IndexError)", () => {
    assert.throws(() => s.at(1 - 1e-6), { name: "RangeError", message: /index 4 of 4 values/ });
  });
  await t.test("numUpdates is only validated, as in fvcore", () => {
    const other = new StepParamScheduler({ numUpdates: 0.5, values: [0.1, 0.01, 0.001, 0.0001] });
    for (const w of [0, 0.3, 0.6, 0.9]) assert.equal(other.at(w), s.at(w));
  });
  await t.test("plan(): a value piece per index (negative ones too), opaque out of range", () => {
    assert.equal(s.plan().at, StepParamScheduler.prototype.at);
    assert.deepEqual(planAt(s, [-1.3, -0.3, 0, 0.5, 1 - 1e-6]), [
      "-5: opaque",
      "-1: value 0.0001",
      "0: value 0.1",
      "2: value 0.001",
      "4: opaque",
    ]);
  });
});

test("StepWithFixedGammaParamScheduler branches", async (t) => {
  await t.test("values by repeated multiplication, not gamma ** k", () => {
    const s = new StepWithFixedGammaParamScheduler({
      baseValue: 1,
      gamma: 0.3,
      numDecays: 3,
      numUpdates: 8,
    });
    assert.equal(s.values[3], 0.027); // ((1 · 0.3) · 0.3) · 0.3
    assert.notEqual(s.values[3], 0.026999999999999996, "not 0.3 ** 3 (correctly rounded)");
  });
  await t.test("a decay that overflows while the values are built: raises", () => {
    assert.throws(
      () =>
        new StepWithFixedGammaParamScheduler({
          baseValue: 1e300,
          gamma: 1e5,
          numDecays: 3,
          numUpdates: 10,
        }),
      {
        name: "RangeError",
        message: "StepWithFixedGammaParamScheduler: `baseValue` * `gamma` ** 2 overflows: got " +
          "baseValue=1e+300, gamma=100000",
      },
    );
  });
  await t.test("numDecays above 100,000 is refused (fvcore would build the list)", () => {
    assert.throws(
      () =>
        new StepWithFixedGammaParamScheduler({
          baseValue: 1,
          gamma: 0.5,
          numDecays: 100_001,
          numUpdates: 10,
        }),
      { name: "RangeError", message: /at most 100000/ },
    );
  });
  await t.test("plan(): the step plan of its values, describing its own at", () => {
    const s = new StepWithFixedGammaParamScheduler({
      baseValue: 2,
      gamma: 0.5,
      numDecays: 1,
      numUpdates: 8,
    });
    assert.equal(s.plan().at, StepWithFixedGammaParamScheduler.prototype.at);
    assert.deepEqual(planAt(s, [0, 0.6, 1]), ["0: value 2", "1: value 1", "2: opaque"]);
  });
});

test("CompositeParamScheduler branches", async (t) => {
  const c = (value: number) => new ConstantParamScheduler({ value });
  const s = new CompositeParamScheduler({
    schedulers: [
      c(1),
      new LinearParamScheduler({ startValue: 0, endValue: 1 }),
      new LinearParamScheduler({ startValue: 3, endValue: 5 }),
    ],
    intervalScaling: ["rescaled", "fixed", "rescaled"],
    lengths: [0.25, 0.25, 0.5],
  });
  await t.test("segment: the first with where + WHERE_EPSILON <= running total (ties stay)", () => {
    assert.equal(s.at(0.25 - 1e-6), 1, "where + ε = 0.25 exactly: still segment 0");
    assert.equal(s.at(0.25 - 1e-6 + 2 ** -54), 0.25 - 1e-6 + 2 ** -54, "just past: segment 1");
  });
  await t.test("past the last total: the last segment", () => {
    assert.equal(s.at(1), 5);
    assert.equal(s.at(1.5), 7, "(1.5 − 0.5) / 0.5 = 2 in the last segment");
  });
  await t.test("fixed: the global where; rescaled: (where − start) / length", () => {
    assert.equal(s.at(0.4), 0.4);
    const r = new CompositeParamScheduler({
      schedulers: [c(1), new LinearParamScheduler({ startValue: 0, endValue: 1 })],
      intervalScaling: ["rescaled", "rescaled"],
      lengths: [0.3, 0.7],
    });
    assert.equal(r.at(0.65), (0.65 - (1 - 0.7)) / 0.7);
  });
  await t.test("a child returning a non-finite value: raises, naming the child", () => {
    const bad = new CompositeParamScheduler({
      schedulers: [{ at: () => NaN }, { at: () => "x" as unknown as number }],
      intervalScaling: ["fixed", "rescaled"],
      lengths: [0.5, 0.5],
    });
    assert.throws(() => bad.at(0.1), {
      name: "RangeError",
      message:
        "CompositeParamScheduler: schedulers[0] returned NaN at where=0.1, not a finite number",
    });
    assert.throws(() => bad.at(0.9), { message: /schedulers\[1\] returned "x" at where=0\.8/ });
  });
  await t.test("owners are explicit: a renamed subclass (a minifier's) keeps the upstream name", () => {
    // WarmupParamScheduler passes its own name (its tests); a class renamed by a minifier, or a
    // user's subclass, is not named by its constructor.name.
    const ut = class extends CompositeParamScheduler {};
    assert.throws(
      () => new ut({ schedulers: [c(1)], intervalScaling: ["fixed"], lengths: [0.5] }),
      { message: /^CompositeParamScheduler: the sum of all values/ },
    );
  });
  await t.test("plan(): a stage per segment, (0, 1) for fixed ones, opaque for length 0", () => {
    assert.equal(s.plan().at, CompositeParamScheduler.prototype.at);
    assert.deepEqual(planAt(s, [0, 0.4, 0.9]), [
      "0: stage 0 0.25",
      "1: stage 0 1",
      "2: stage 0.5 0.5",
    ]);
    const zero = new CompositeParamScheduler({
      schedulers: [c(1), c(2)],
      intervalScaling: ["rescaled", "rescaled"],
      lengths: [0, 1],
    });
    assert.deepEqual(planAt(zero, [-1, 0.5]), ["0: opaque", "1: stage 0 1"]);
  });
  await t.test("plan() of a subclass overriding segmentAt: opaque", () => {
    class Reversed extends CompositeParamScheduler {
      override segmentAt(where: number): number {
        return super.segmentAt(1 - where);
      }
    }
    const r = new Reversed({
      schedulers: [c(1), c(2)],
      intervalScaling: ["fixed", "fixed"],
      lengths: [0.5, 0.5],
    });
    assert.deepEqual(planAt(r, [0, 0.9]), ["0: opaque", "0: opaque"]);
  });
});
