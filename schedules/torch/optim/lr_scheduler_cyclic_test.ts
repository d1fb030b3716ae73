import { test } from "node:test";
import assert from "node:assert/strict";
import { CyclicLR, OneCycleLR, type Optimizer } from "../../../mod.ts";
import { assertResumes, series, sgd } from "../../../testing/schedulers.ts";

// Expected values were produced by torch 1.13's own classes.

test("CyclicLR", async (t) => {
  await t.test("triangular2 with momentum cycling (torch's values)", () => {
    const make = () => {
      const optimizer = sgd(1);
      return {
        optimizer,
        s: new CyclicLR({ optimizer, baseLr: 0.1, maxLr: 1, stepSizeUp: 2, mode: "triangular2" }),
      };
    };
    const a = make();
    assert.deepEqual(series(a.optimizer, a.s, 9), [
      0.1,
      0.55,
      1,
      0.55,
      0.1,
      0.325,
      0.55,
      0.325,
      0.1,
      0.21250000000000002,
    ]);
    const b = make();
    assert.deepEqual(series(b.optimizer, b.s, 9, (o) => o.paramGroups[0]!.momentum), [
      0.9,
      0.8500000000000001,
      0.8,
      0.8500000000000001,
      0.9,
      0.875,
      0.8500000000000001,
      0.875,
      0.9,
      0.8875000000000001,
    ]);
  });
  await t.test("exp_range scales on iterations; cycleMomentum false needs no momentum", () => {
    const optimizer: Optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new CyclicLR({
      optimizer,
      baseLr: 0.1,
      maxLr: 1,
      stepSizeUp: 3,
      mode: "exp_range",
      gamma: 0.9,
      cycleMomentum: false,
    });
    assert.equal(s.scaleMode, "iterations");
    assert.deepEqual(series(optimizer, s, 6), [
      0.1,
      0.3700000000000001,
      0.586,
      0.7561000000000001,
      0.4936600000000002,
      0.2771469999999999,
      0.1,
    ]);
    assert.equal("momentum" in optimizer.paramGroups[0]!, false);
  });
  await t.test("a custom scale function replaces mode (even an invalid one)", () => {
    const optimizer = sgd(1);
    const seen: number[] = [];
    const s = new CyclicLR({
      optimizer,
      baseLr: 0,
      maxLr: 1,
      stepSizeUp: 1,
      mode: "whatever" as never,
      scaleFn: (x) => {
        seen.push(x);
        return 0.5;
      },
      scaleMode: "iterations",
    });
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.5);
    assert.deepEqual(seen, [0, 0, 1, 1], "called for the lr and the momentum of each step");
  });
  await t.test("an existing initialLr drives the initial step only (torch's setdefault)", () => {
    const optimizer: Optimizer = { paramGroups: [{ lr: 0.5, initialLr: 0.5, momentum: 0.9 }] };
    const s = new CyclicLR({ optimizer, baseLr: 0.1, maxLr: 1, stepSizeUp: 2 });
    assert.deepEqual(series(optimizer, s, 3), [0.5, 0.55, 1, 0.55]);
    assert.deepEqual(s.baseLrs, [0.1]);
  });
  await t.test("validation mirrors torch's errors", () => {
    assert.throws(
      () => new CyclicLR({ optimizer: sgd(1), baseLr: 0.1, maxLr: 1, mode: "cosine" as never }),
      {
        name: "RangeError",
        message: /`mode` must be one of "triangular", "triangular2", "exp_range": got "cosine"/,
      },
    );
    assert.throws(
      () => new CyclicLR({ optimizer: sgd(1, 1), baseLr: 0.1, maxLr: [1, 2, 3], torch: "1.13" }),
      {
        name: "RangeError",
        message: "CyclicLR: expected 2 values for `maxLr`, got 3 (torch ValueError)",
      },
    );
    assert.throws(
      () =>
        new CyclicLR({
          optimizer: { paramGroups: [{ lr: 1, betas: [0.9, 0.999] }] },
          baseLr: 0.1,
          maxLr: 1,
          torch: "1.13",
        }),
      { name: "TypeError", message: /optimizer must support momentum/ },
    );
    assert.throws(
      () =>
        new CyclicLR({ optimizer: sgd(1), baseLr: 0.1, maxLr: 1, stepSizeUp: 0, stepSizeDown: 3 }),
      { name: "RangeError", message: /ZeroDivisionError/ },
    );
    assert.throws(
      () => new CyclicLR({ optimizer: sgd(1), baseLr: 0.1, maxLr: 1, scaleMode: "epoch" as never }),
      RangeError,
    );
    const optimizer = sgd(0.7);
    assert.throws(() => new CyclicLR({ optimizer, baseLr: 0.1, maxLr: [1, 2] }), RangeError);
    assert.equal(
      optimizer.paramGroups[0]!.lr,
      0.7,
      "a rejected construction leaves the groups alone",
    );
  });
  await t.test("resume", () => {
    assertResumes(() => {
      const optimizer = sgd(0.1, 0.1);
      return {
        optimizer,
        s: new CyclicLR({
          optimizer,
          baseLr: [0.001, 0.01],
          maxLr: 0.1,
          stepSizeUp: 4,
          stepSizeDown: 7,
          mode: "triangular2",
        }),
      };
    }, 13);
  });
});

test("OneCycleLR", async (t) => {
  await t.test("cos, two phases, with momentum; one extra step then an error", () => {
    const make = () => {
      const optimizer = sgd(1);
      return { optimizer, s: new OneCycleLR({ optimizer, maxLr: 1, totalSteps: 10 }) };
    };
    const a = make();
    assert.deepEqual(a.optimizer.paramGroups[0], {
      lr: 0.040000000000000036,
      momentum: 0.95,
      initialLr: 0.04,
      maxLr: 1,
      minLr: 0.000004,
      maxMomentum: 0.95,
      baseMomentum: 0.85,
    });
    assert.deepEqual(series(a.optimizer, a.s, 10), [
      0.040000000000000036,
      0.52,
      1,
      0.9504846320134737,
      0.8117456539497631,
      0.6112620219362893,
      0.38874197806371075,
      0.18825834605023697,
      0.049519367986526286,
      4e-6,
      0.04951936798652623, // step totalSteps: extrapolated, rising again
    ]);
    assert.throws(() => a.s.step(), {
      name: "RangeError",
      message:
        "OneCycleLR: Tried to step 11 times. The specified number of total steps is 10 (torch " +
        "ValueError)",
    });
    const b = make();
    assert.deepEqual(series(b.optimizer, b.s, 10, (o) => o.paramGroups[0]!.momentum), [
      0.95,
      0.8999999999999999,
      0.85,
      0.854951556604879,
      0.8688255099070633,
      0.8888739533021842,
      0.9111260466978157,
      0.9311744900929366,
      0.945048443395121,
      0.95,
      0.945048443395121,
    ]);
  });
  await t.test("three phases, linear: the extra step extrapolates below zero", () => {
    const optimizer = sgd(1);
    const s = new OneCycleLR({
      optimizer,
      maxLr: 1,
      totalSteps: 10,
      threePhase: true,
      annealStrategy: "linear",
    });
    assert.deepEqual(series(optimizer, s, 10), [
      0.04,
      0.52,
      1,
      0.52,
      0.040000000000000036,
      0.032000799999999996,
      0.024001599999999998,
      0.0160024,
      0.008003199999999995,
      3.9999999999970615e-6,
      -0.007995200000000001,
    ]);
  });
  await t.test("Adam: beta1 is cycled, beta2 kept, the betas array replaced", () => {
    const betas = [0.9, 0.999];
    const optimizer: Optimizer = { paramGroups: [{ lr: 1, betas }] };
    const s = new OneCycleLR({ optimizer, maxLr: 1, totalSteps: 10 });
    assert.equal(s.useBeta1, true);
    assert.deepEqual(series(optimizer, s, 3, (o) => o.paramGroups[0]!.betas), [
      [0.95, 0.999],
      [0.8999999999999999, 0.999],
      [0.85, 0.999],
      [0.854951556604879, 0.999],
    ]);
    assert.deepEqual(betas, [0.9, 0.999], "the caller's array is not modified");
  });
  await t.test("epochs × stepsPerEpoch", () => {
    const s = new OneCycleLR({ optimizer: sgd(1), maxLr: 1, epochs: 3, stepsPerEpoch: 7 });
    assert.equal(s.totalSteps, 21);
  });
  await t.test("validation mirrors torch's errors", () => {
    const optimizer = sgd(1);
    assert.throws(() => new OneCycleLR({ optimizer, maxLr: 1 }), {
      name: "TypeError",
      message: /You must define either totalSteps OR \(epochs AND stepsPerEpoch\)/,
    });
    assert.throws(() => new OneCycleLR({ optimizer, maxLr: 1, epochs: 3 }), TypeError);
    for (const totalSteps of [0, 2.5, -1]) {
      assert.throws(() => new OneCycleLR({ optimizer, maxLr: 1, totalSteps }), {
        name: "RangeError",
        message: /Expected positive integer totalSteps/,
      });
    }
    assert.throws(() => new OneCycleLR({ optimizer, maxLr: 1, totalSteps: 10, pctStart: 1.5 }), {
      name: "RangeError",
      message: /Expected float between 0 and 1 pctStart, but got 1.5/,
    });
    assert.throws(
      () => new OneCycleLR({ optimizer, maxLr: 1, totalSteps: 10, annealStrategy: "exp" as never }),
      RangeError,
    );
    assert.throws(
      () => new OneCycleLR({ optimizer: { paramGroups: [{ lr: 1 }] }, maxLr: 1, totalSteps: 10 }),
      { name: "TypeError", message: /optimizer must support momentum/ },
    );
    assert.throws(() => new OneCycleLR({ optimizer, maxLr: 1, totalSteps: 10, pctStart: 0.1 }), {
      name: "RangeError",
      message: /ZeroDivisionError/,
    }, "a zero-length first phase divides by zero at the initial step");
  });
  await t.test("resuming with lastEpoch needs the group keys torch reads (KeyError)", () => {
    const optimizer: Optimizer = { paramGroups: [{ lr: 1, initialLr: 0.04, momentum: 0.9 }] };
    assert.throws(() => new OneCycleLR({ optimizer, maxLr: 1, totalSteps: 10, lastEpoch: 3 }), {
      name: "TypeError",
      message: /`paramGroups\[0\].maxLr` must be a number: got undefined \(torch raises KeyError\)/,
    });
  });
  await t.test("resume", () => {
    assertResumes(() => {
      const optimizer = sgd(0.1, 0.1);
      return {
        optimizer,
        s: new OneCycleLR({ optimizer, maxLr: [0.1, 0.01], totalSteps: 60, threePhase: true }),
      };
    }, 15);
  });
});
