import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  type TorchVersion,
} from "../../../mod.ts";
import { series, sgd } from "../../../testing/schedulers.ts";

// Expected values were produced by torch 1.13's own classes.

test("SequentialLR", async (t) => {
  await t.test("rewinds its schedulers, restarts the next one with step(0)", () => {
    const optimizer = sgd(1);
    const a = new LinearLR({ optimizer, startFactor: 0.5, totalIters: 2 });
    const b = new CosineAnnealingLR({ optimizer, TMax: 3 });
    const s = new SequentialLR({ optimizer, schedulers: [a, b], milestones: [2] });
    assert.deepEqual(series(optimizer, s, 6), [
      0.5,
      0.75,
      1,
      0.75,
      0.2500000000000001,
      0,
      0.24999999999999994,
    ]);
    assert.deepEqual([a.lastEpoch, b.lastEpoch, s.lastEpoch], [1, 4, 6]);
    assert.deepEqual(s.getLastLr(), [0.24999999999999994]);
    assert.deepEqual(s.schedulers, [a, b]);
    assert.deepEqual(s.milestones, [2]);
  });
  await t.test("milestones [0, 1]: the middle scheduler never steps", () => {
    const run = (torch: TorchVersion) => {
      const optimizer = sgd(1);
      const s = new SequentialLR({
        optimizer,
        schedulers: [
          new ConstantLR({ optimizer, factor: 0.5, totalIters: 2, torch }),
          new ExponentialLR({ optimizer, gamma: 0.9, torch }),
          new StepLR({ optimizer, stepSize: 2, gamma: 0.5, torch }),
        ],
        milestones: [0, 1],
        torch,
      });
      return series(optimizer, s, 5);
    };
    // torch 2.11: ConstantLR takes the initial step (0.5); 2.13: ExponentialLR, the scheduler in
    // charge at step 0, takes it and keeps the rate (issue #185872). Then StepLR restarts at 1.
    assert.deepEqual(run("2.11"), [0.5, 1, 1, 0.5, 0.5, 0.25]);
    assert.deepEqual(run("2.13"), [1, 1, 1, 0.5, 0.5, 0.25]);
  });
  await t.test("torch 2.13, milestones [0]: the second scheduler starts at construction", () => {
    const run = (torch: TorchVersion) => {
      const optimizer = sgd(1);
      const s = new SequentialLR({
        optimizer,
        schedulers: [
          new ConstantLR({ optimizer, factor: 0.5, totalIters: 2, torch }),
          new ExponentialLR({ optimizer, gamma: 0.9, torch }),
        ],
        milestones: [0],
        torch,
      });
      return [...series(optimizer, s, 3), s.getLastLr()[0]];
    };
    assert.deepEqual(run("2.11"), [0.5, 0.45, 0.405, 0.36450000000000005, 0.36450000000000005]);
    assert.deepEqual(run("2.13"), [1, 0.9, 0.81, 0.7290000000000001, 0.7290000000000001]);
  });
  await t.test("torch 2.13, milestones [0, 0, 1]: every scheduler before the last 0 is skipped", () => {
    // PR #185986's own test case: the third scheduler starts at the uncorrupted rate.
    const optimizer = sgd(1);
    const s = new SequentialLR({
      optimizer,
      schedulers: [
        new ConstantLR({ optimizer, factor: 0.1, totalIters: 5 }),
        new ConstantLR({ optimizer, factor: 0.2, totalIters: 5 }),
        new LinearLR({ optimizer, startFactor: 0.5, totalIters: 2 }),
        new ExponentialLR({ optimizer, gamma: 0.5 }),
      ],
      milestones: [0, 0, 1],
    });
    assert.deepEqual(series(optimizer, s, 3), [0.5, 1, 0.5, 0.25]);
  });
  await t.test("torch 1.13, milestone [0]: the next scheduler keeps the previous factor", () => {
    const optimizer = sgd(1);
    const torch = "1.13";
    const s = new SequentialLR({
      optimizer,
      schedulers: [
        new ConstantLR({ optimizer, factor: 0.5, totalIters: 2, torch }),
        new ExponentialLR({ optimizer, gamma: 0.9, torch }),
      ],
      milestones: [0],
      torch,
    });
    assert.deepEqual(series(optimizer, s, 4), [0.5, 0.5, 0.45, 0.405, 0.36450000000000005]);
  });
  await t.test("validation mirrors torch's errors", () => {
    const optimizer = sgd(1);
    const a = new ConstantLR({ optimizer });
    const b = new ExponentialLR({ optimizer, gamma: 0.9 });
    assert.throws(() => new SequentialLR({ optimizer, schedulers: [a, b], milestones: [2, 4] }), {
      name: "RangeError",
      message: /number of schedulers 2 and the number of milestones to be equal to 2/,
    });
    const other = new ExponentialLR({ optimizer: sgd(1), gamma: 0.9 });
    assert.throws(() => new SequentialLR({ optimizer, schedulers: [a, other], milestones: [2] }), {
      name: "TypeError",
      message: /got scheduler ExponentialLR at index 1 with another optimizer/,
    });
    assert.throws(
      () => new SequentialLR({ optimizer, schedulers: [a, {} as never], milestones: [1] }),
      TypeError,
    );
    const nested = new ChainedScheduler({ schedulers: [a] });
    assert.doesNotThrow(
      () => new SequentialLR({ optimizer, schedulers: [a, nested], milestones: [1] }),
      "torch 2.11 nests combinators",
    );
    const old = new ConstantLR({ optimizer, torch: "1.13" });
    const nested113 = new ChainedScheduler({ schedulers: [old], torch: "1.13" });
    assert.throws(
      () =>
        new SequentialLR({
          optimizer,
          schedulers: [old, nested113],
          milestones: [1],
          torch: "1.13",
        }),
      { name: "TypeError", message: /cannot be nested here with torch 1.13/ },
    );
    assert.throws(
      () => new SequentialLR({ optimizer, schedulers: [], milestones: [] }),
      RangeError,
    );
    const s = new SequentialLR({ optimizer, schedulers: [a, b], milestones: [2] });
    assert.throws(() => s.step(3), TypeError);
    assert.throws(() => s.getLr(), TypeError);
  });
  await t.test("resume: the children's states travel in the state dict", () => {
    const make = () => {
      const optimizer = sgd(0.1, 0.05);
      const s = new SequentialLR({
        optimizer,
        schedulers: [
          new LambdaLR({ optimizer, lrLambda: (e) => (e + 1) / 5 }),
          new CosineAnnealingLR({ optimizer, TMax: 20 }),
        ],
        milestones: [4],
      });
      return { optimizer, s };
    };
    const a = make();
    for (let i = 0; i < 9; i++) a.s.step();
    const state = JSON.parse(JSON.stringify(a.s.stateDict()));
    assert.deepEqual(Object.keys(state), ["_milestones", "lastEpoch", "_lastLr", "_schedulers"]);
    const b = make();
    b.optimizer.paramGroups = JSON.parse(JSON.stringify(a.optimizer.paramGroups));
    b.s.loadStateDict(state);
    for (let i = 0; i < 30; i++) {
      a.s.step();
      b.s.step();
      assert.deepEqual(b.optimizer.paramGroups, a.optimizer.paramGroups);
    }
    assert.throws(() => b.s.loadStateDict({ _schedulers: [] }), TypeError);
  });
});

test("ChainedScheduler", async (t) => {
  await t.test("steps every scheduler: the factors multiply", () => {
    const optimizer = sgd(1);
    const s = new ChainedScheduler({
      schedulers: [
        new StepLR({ optimizer, stepSize: 2, gamma: 0.5 }),
        new ExponentialLR({ optimizer, gamma: 0.9 }),
      ],
    });
    assert.deepEqual(series(optimizer, s, 4), [
      1,
      0.9,
      0.405,
      0.36450000000000005,
      0.16402500000000003,
    ]);
    assert.equal(s.lastEpoch, 4);
    assert.equal(s.optimizer, optimizer);
  });
  await t.test("validation mirrors torch's errors", () => {
    const optimizer = sgd(1);
    const a = new ConstantLR({ optimizer });
    const other = new ExponentialLR({ optimizer: sgd(1), gamma: 0.9 });
    assert.throws(() => new ChainedScheduler({ schedulers: [a, other] }), {
      name: "TypeError",
      message: /expects all schedulers to belong to the same optimizer/,
    });
    assert.throws(() => new ChainedScheduler({ schedulers: [a], optimizer: sgd(1) }), TypeError);
    assert.throws(() => new ChainedScheduler({ schedulers: [] }), RangeError);
    assert.throws(
      () => new ChainedScheduler({ schedulers: [new ReduceLROnPlateau({ optimizer }) as never] }),
      TypeError,
    );
    const s = new ChainedScheduler({ schedulers: [a] });
    assert.throws(() => s.step(1), TypeError);
  });
  await t.test("resume", () => {
    const make = () => {
      const optimizer = sgd(0.1, 0.05);
      const s = new ChainedScheduler({
        schedulers: [
          new LinearLR({ optimizer, startFactor: 0.1, totalIters: 5 }),
          new CosineAnnealingLR({ optimizer, TMax: 12 }),
        ],
      });
      return { optimizer, s };
    };
    const a = make();
    for (let i = 0; i < 7; i++) a.s.step();
    const state = JSON.parse(JSON.stringify(a.s.stateDict()));
    const b = make();
    b.optimizer.paramGroups = JSON.parse(JSON.stringify(a.optimizer.paramGroups));
    b.s.loadStateDict(state);
    for (let i = 0; i < 30; i++) {
      a.s.step();
      b.s.step();
      assert.deepEqual(b.optimizer.paramGroups, a.optimizer.paramGroups);
    }
  });
});
