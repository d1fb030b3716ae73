import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ConstantLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  MultiplicativeLR,
  MultiStepLR,
  type Optimizer,
  PolynomialLR,
  StepLR,
} from "../../../mod.ts";
import { assertResumes, series, sgd } from "../../../testing/schedulers.ts";

// Expected values below were produced by torch 1.13's own classes (see fixtures/generate_torch.py
// for the full golden suite); these tests pin the behaviours one by one.

test("LRScheduler base behaviour", async (t) => {
  await t.test("initial step: initialLr recorded, lastEpoch 0, getLastLr", () => {
    const optimizer = sgd(0.1, 0.2);
    const s = new StepLR({ optimizer, stepSize: 3 });
    assert.equal(s.lastEpoch, 0);
    assert.deepEqual(s.baseLrs, [0.1, 0.2]);
    assert.deepEqual(optimizer.paramGroups.map((g) => g.initialLr), [0.1, 0.2]);
    assert.deepEqual(s.getLastLr(), [0.1, 0.2]);
    const last = s.getLastLr();
    last[0] = 99;
    assert.deepEqual(s.getLastLr(), [0.1, 0.2], "getLastLr returns a copy");
  });
  await t.test("a second scheduler keeps the first one's initialLr (setdefault)", () => {
    const optimizer = sgd(1);
    new ExponentialLR({ optimizer, gamma: 0.5 }).step();
    const second = new StepLR({ optimizer, stepSize: 2 });
    assert.deepEqual(second.baseLrs, [1]);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.5);
  });
  await t.test("resuming with lastEpoch needs initialLr in every group (torch KeyError)", () => {
    assert.throws(() => new StepLR({ optimizer: sgd(0.1), stepSize: 10, lastEpoch: 9 }), {
      name: "TypeError",
      message: /param 'initialLr' is not specified in paramGroups\[0\] when resuming/,
    });
    const optimizer: Optimizer = { paramGroups: [{ lr: 0.1, initialLr: 0.1 }] };
    const s = new StepLR({ optimizer, stepSize: 10, lastEpoch: 9 });
    assert.equal(s.lastEpoch, 10);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.1 * 0.1, "the initial step lands on a decay");
  });
  await t.test("validation of the shared options", () => {
    assert.throws(() => new StepLR({ optimizer: sgd(0.1), stepSize: 1, lastEpoch: -2 }), {
      name: "RangeError",
      message: "StepLR: `lastEpoch` must be an integer >= -1: got -2",
    });
    assert.throws(() => new StepLR({ optimizer: { paramGroups: [] }, stepSize: 1 }), RangeError);
    assert.throws(() => new StepLR({ optimizer: {} as never, stepSize: 1 }), TypeError);
    assert.throws(
      () => new StepLR({ optimizer: sgd(0.1), stepSize: 1, verbose: "yes" as never }),
      TypeError,
    );
    assert.throws(() => new StepLR({ optimizer: sgd(0.1), step_size: 1 } as never), {
      name: "TypeError",
      message: /unknown option `step_size` \(did you mean `stepSize`\?\)/,
    });
    const s = new StepLR({ optimizer: sgd(0.1), stepSize: 1 });
    assert.throws(() => s.step(1.5), RangeError);
    assert.throws(() => s.step(-1), RangeError);
  });
  await t.test("verbose prints torch 1.13's messages", () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      const s = new StepLR({ optimizer: sgd(0.1), stepSize: 1, verbose: true, torch: "1.13" });
      s.step(3);
    } finally {
      console.log = log;
    }
    assert.deepEqual(lines, [
      "Adjusting learning rate of group 0 to 1.0000e-01.",
      "Epoch 00003: adjusting learning rate of group 0 to 1.0000e-04.",
    ]);
  });
  await t.test("a learning rate that would be NaN throws instead of being written", () => {
    const optimizer = sgd(0.1);
    const s = new MultiplicativeLR({ optimizer, lrLambda: () => Infinity });
    assert.throws(() => s.step(), { name: "RangeError", message: /returned Infinity/ });
    assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
  });
  await t.test("loadStateDict rejects unknown keys", () => {
    const s = new StepLR({ optimizer: sgd(0.1), stepSize: 1 });
    assert.throws(() => s.loadStateDict({ step_size: 3 }), {
      name: "TypeError",
      message: "StepLR: unknown state key `step_size`",
    });
    assert.throws(() => s.loadStateDict([] as never), TypeError);
  });
});

test("LambdaLR", async (t) => {
  await t.test("lr = initialLr * lambda(epoch), one lambda per group", () => {
    const optimizer = sgd(0.05, 0.1);
    const s = new LambdaLR({
      optimizer,
      lrLambda: [(e) => Math.floor(e / 30), (e) => (e + 1) / 10],
    });
    assert.deepEqual(s.getLastLr(), [0, 0.1 * (1 / 10)]);
    for (let i = 0; i < 30; i++) s.step();
    assert.deepEqual(s.getLastLr(), [0.05, 0.1 * (31 / 10)]);
    s.step(5); // no closed form: get_lr at epoch 5
    assert.deepEqual(s.getLastLr(), [0, 0.1 * (6 / 10)]);
  });
  await t.test("validation: one function or one per group (torch ValueError)", () => {
    assert.throws(() => new LambdaLR({ optimizer: sgd(0.1, 0.2), lrLambda: [() => 1] }), {
      name: "RangeError",
      message: /Expected 2 lr_lambdas, but got 1/,
    });
    assert.throws(() => new LambdaLR({ optimizer: sgd(0.1), lrLambda: 0.5 as never }), TypeError);
    assert.throws(
      () => new LambdaLR({ optimizer: sgd(0.1), lrLambda: () => "x" as never }),
      { name: "TypeError", message: /returned "x"/ },
    );
    assert.throws(() => new LambdaLR({ optimizer: sgd(0.1), lrLambda: () => NaN }), RangeError);
  });
  await t.test("state dict: null for plain functions, own fields for stateful ones", () => {
    const stateful = Object.assign((e: number) => stateful.scale * e, { scale: 2 });
    const s = new LambdaLR({ optimizer: sgd(1, 1), lrLambda: [(e) => e, stateful] });
    const state = s.stateDict();
    assert.deepEqual(state.lrLambdas, [null, { scale: 2 }]);
    stateful.scale = 5;
    s.loadStateDict(state);
    assert.equal(stateful.scale, 2, "loading restores the function's fields");
    assert.deepEqual(JSON.parse(JSON.stringify(state)), state, "the state is plain data");
  });
  await t.test("resume from the state dict continues identically", () => {
    assertResumes(
      () => {
        const optimizer = sgd(0.1, 0.3);
        return { optimizer, s: new LambdaLR({ optimizer, lrLambda: (e) => 0.97 ** e }) };
      },
      17,
      40,
    );
  });
});

test("MultiplicativeLR", async (t) => {
  await t.test("multiplies the current lr from epoch 1 on", () => {
    const optimizer = sgd(1);
    const s = new MultiplicativeLR({ optimizer, lrLambda: (e) => (e % 2 === 0 ? 0.5 : 1) });
    assert.deepEqual(series(optimizer, s, 4), [1, 1, 0.5, 0.5, 0.25]);
    s.step(2); // no closed form: multiplies once by lambda(2)
    assert.equal(optimizer.paramGroups[0]!.lr, 0.125);
  });
  await t.test("follows outside changes to lr (chainable)", () => {
    const optimizer = sgd(1);
    const s = new MultiplicativeLR({ optimizer, lrLambda: () => 0.5 });
    optimizer.paramGroups[0]!.lr = 10;
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 5);
  });
  await t.test("validation and resume", () => {
    assert.throws(
      () => new MultiplicativeLR({ optimizer: sgd(0.1), lrLambda: [() => 1, () => 1] }),
      { name: "RangeError", message: /Expected 1 lr_lambdas, but got 2/ },
    );
    assertResumes(
      () => {
        const optimizer = sgd(0.1, 0.3);
        return { optimizer, s: new MultiplicativeLR({ optimizer, lrLambda: () => 0.99 }) };
      },
      11,
      30,
    );
  });
});

test("StepLR", async (t) => {
  await t.test("torch's values: recursive decays, closed form only for step(epoch)", () => {
    const optimizer = sgd(1);
    const s = new StepLR({ optimizer, stepSize: 2, gamma: 0.1 });
    assert.deepEqual(series(optimizer, s, 6), [
      1,
      1,
      0.1,
      0.1,
      0.010000000000000002,
      0.010000000000000002,
      0.0010000000000000002,
    ]);
    s.step(4);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.010000000000000002);
    assert.equal(s.lastEpoch, 4);
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.010000000000000002);
  });
  await t.test("recursive is not closed form: 0.1·0.1·0.1·0.1·0.1 ≠ 0.1·0.1**4", () => {
    const optimizer = sgd(0.1);
    const s = new StepLR({ optimizer, stepSize: 1, gamma: 0.1 });
    for (let i = 0; i < 4; i++) s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 1.0000000000000004e-5);
    s.step(4);
    assert.equal(optimizer.paramGroups[0]!.lr, 1.0000000000000003e-5);
  });
  await t.test("defaults and validation", () => {
    const s = new StepLR({ optimizer: sgd(1), stepSize: 30 });
    assert.equal(s.gamma, 0.1);
    for (const stepSize of [0, -1, 2.5]) {
      assert.throws(() => new StepLR({ optimizer: sgd(1), stepSize }), {
        name: "RangeError",
        message: `StepLR: \`stepSize\` must be a positive integer: got ${stepSize}`,
      });
    }
    assert.throws(() => new StepLR({ optimizer: sgd(1), stepSize: 1, gamma: NaN }), RangeError);
    assert.throws(() => new StepLR({ optimizer: sgd(1) } as never), TypeError);
  });
  await t.test("resume", () => {
    assertResumes(
      () => {
        const optimizer = sgd(0.1, 0.02);
        return { optimizer, s: new StepLR({ optimizer, stepSize: 3, gamma: 0.7 }) };
      },
      10,
      20,
    );
  });
});

test("MultiStepLR", async (t) => {
  await t.test("repeated milestones apply gamma ** count (Counter)", () => {
    const optimizer = sgd(1);
    const s = new MultiStepLR({ optimizer, milestones: [2, 2, 4], gamma: 0.5 });
    assert.deepEqual(s.milestones, { "2": 2, "4": 1 });
    assert.deepEqual(series(optimizer, s, 5), [1, 1, 0.25, 0.25, 0.125, 0.125]);
    s.step(3);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.25);
    s.step(4);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.125);
  });
  await t.test("a milestone at 0 decays at the initial step; order does not matter", () => {
    const optimizer = sgd(1);
    const s = new MultiStepLR({ optimizer, milestones: [3, 0, 3] });
    assert.deepEqual(series(optimizer, s, 4), [
      0.1,
      0.1,
      0.1,
      0.0010000000000000002,
      0.0010000000000000002,
    ]);
  });
  await t.test("validation and resume", () => {
    assert.throws(() => new MultiStepLR({ optimizer: sgd(1), milestones: [1.5] }), {
      name: "RangeError",
      message: "MultiStepLR: `milestones[0]` must be an integer: got 1.5",
    });
    assert.throws(() => new MultiStepLR({ optimizer: sgd(1), milestones: 3 as never }), TypeError);
    const input = [5, 5];
    new MultiStepLR({ optimizer: sgd(1), milestones: input });
    assert.deepEqual(input, [5, 5], "the caller's list is not modified");
    assertResumes(
      () => {
        const optimizer = sgd(0.1, 0.02);
        return { optimizer, s: new MultiStepLR({ optimizer, milestones: [3, 12, 12, 20] }) };
      },
      6,
      20,
    );
  });
});

test("ConstantLR", async (t) => {
  await t.test("factor until totalIters, then lr · (1.0 / factor)", () => {
    const optimizer = sgd(0.1);
    const s = new ConstantLR({ optimizer, factor: 1 / 3, totalIters: 3 });
    assert.deepEqual(series(optimizer, s, 4), [
      0.03333333333333333,
      0.03333333333333333,
      0.03333333333333333,
      0.1,
      0.1,
    ]);
    s.step(2);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.03333333333333333);
  });
  await t.test("factor 0 throws at totalIters (torch ZeroDivisionError)", () => {
    const optimizer = sgd(0.1);
    const s = new ConstantLR({ optimizer, factor: 0, totalIters: 2 });
    s.step();
    assert.throws(() => s.step(), {
      name: "RangeError",
      message: /float division by zero \(torch raises ZeroDivisionError\)/,
    });
  });
  await t.test("validation (torch ValueError) and resume", () => {
    for (const factor of [1.5, -0.1]) {
      assert.throws(() => new ConstantLR({ optimizer: sgd(1), factor }), {
        name: "RangeError",
        message: /Constant multiplicative factor expected to be between 0 and 1/,
      });
    }
    assert.throws(() => new ConstantLR({ optimizer: sgd(1), totalIters: -1 }), RangeError);
    const d = new ConstantLR({ optimizer: sgd(1) });
    assert.deepEqual([d.factor, d.totalIters], [1 / 3, 5]);
    assertResumes(
      () => {
        const optimizer = sgd(0.1, 0.02);
        return { optimizer, s: new ConstantLR({ optimizer, factor: 0.2, totalIters: 5 }) };
      },
      2,
      10,
    );
  });
});

test("LinearLR", async (t) => {
  await t.test("torch's recursive ramp and its closed form", () => {
    const optimizer = sgd(0.1);
    const s = new LinearLR({ optimizer, startFactor: 0.25, endFactor: 0.75, totalIters: 3 });
    assert.deepEqual(series(optimizer, s, 4), [
      0.025,
      0.041666666666666664,
      0.05833333333333333,
      0.07499999999999998,
      0.07499999999999998,
    ]);
    s.step(2);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.05833333333333333);
  });
  await t.test("startFactor 0 throws at the first step (torch 1.13 ZeroDivisionError)", () => {
    const s = new LinearLR({ optimizer: sgd(0.1), startFactor: 0, totalIters: 4, torch: "1.13" });
    assert.throws(() => s.step(), { name: "RangeError", message: /ZeroDivisionError/ });
  });
  await t.test("validation (torch ValueError) and resume", () => {
    assert.throws(() => new LinearLR({ optimizer: sgd(1), startFactor: 1.5, torch: "1.13" }), {
      name: "RangeError",
      message: /Starting multiplicative factor expected to be between 0 and 1: got 1.5/,
    });
    assert.throws(() => new LinearLR({ optimizer: sgd(1), startFactor: 1.5 }), {
      name: "RangeError",
      message: /Starting multiplicative factor expected to be greater than 0 and less or equal/,
    });
    assert.throws(() => new LinearLR({ optimizer: sgd(1), endFactor: -0.5 }), {
      name: "RangeError",
      message: /Ending multiplicative factor expected to be between 0 and 1: got -0.5/,
    });
    const z = new LinearLR({ optimizer: sgd(1), totalIters: 0 });
    assert.throws(() => z.step(3), RangeError, "the closed form divides by totalIters");
    assertResumes(
      () => {
        const optimizer = sgd(0.1, 0.02);
        return { optimizer, s: new LinearLR({ optimizer, startFactor: 0.1, totalIters: 9 }) };
      },
      4,
      10,
    );
  });
});

test("ExponentialLR", async (t) => {
  await t.test("recursive decay and closed form gamma ** epoch", () => {
    const optimizer = sgd(1);
    const s = new ExponentialLR({ optimizer, gamma: 0.9 });
    assert.deepEqual(series(optimizer, s, 3), [1, 0.9, 0.81, 0.7290000000000001]);
    s.step(5);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.5904900000000001);
  });
  await t.test("validation and resume", () => {
    assert.throws(() => new ExponentialLR({ optimizer: sgd(1) } as never), {
      name: "TypeError",
      message: "ExponentialLR: `gamma` must be a number: got undefined",
    });
    assert.throws(() => new ExponentialLR({ optimizer: sgd(1), gamma: 1e308 }).step(3), {
      name: "RangeError",
      message: /overflows/,
    });
    assertResumes(
      () => {
        const optimizer = sgd(0.1, 0.02);
        return { optimizer, s: new ExponentialLR({ optimizer, gamma: 0.95 }) };
      },
      7,
      10,
    );
  });
});

test("PolynomialLR", async (t) => {
  await t.test("recursive ratio ** power and the closed form", () => {
    const optimizer = sgd(1);
    const s = new PolynomialLR({ optimizer, totalIters: 4, power: 2 });
    assert.deepEqual(series(optimizer, s, 5), [1, 0.5625, 0.25, 0.0625, 0, 0]);
    s.step(2);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.25);
  });
  await t.test("a negative power throws at totalIters (torch: 0.0 ** negative)", () => {
    const optimizer = sgd(0.1);
    const s = new PolynomialLR({ optimizer, totalIters: 3, power: -1 });
    s.step();
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.3);
    assert.throws(() => s.step(), {
      name: "RangeError",
      message: /0.0 cannot be raised to a negative power/,
    });
  });
  await t.test("defaults, validation and resume", () => {
    const d = new PolynomialLR({ optimizer: sgd(1) });
    assert.deepEqual([d.totalIters, d.power], [5, 1]);
    assert.throws(() => new PolynomialLR({ optimizer: sgd(1), totalIters: 1.5 }), RangeError);
    assertResumes(
      () => {
        const optimizer = sgd(0.1, 0.02);
        return { optimizer, s: new PolynomialLR({ optimizer, totalIters: 20, power: 0.9 }) };
      },
      8,
      20,
    );
  });
});
