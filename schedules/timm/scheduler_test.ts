import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type Optimizer,
  Scheduler,
  type SchedulerOptions,
  StepLRScheduler,
  TorchGenerator,
} from "../../mod.ts";
import { sgd } from "../../testing/schedulers.ts";

// Expected values: timm's formulas evaluated by hand, or produced by timm (said where).

/** A minimal timm scheduler: the base values, halved every 10 units of t. */
class Halving extends Scheduler {
  constructor(options: SchedulerOptions) {
    super("Halving", options);
  }
  getLr(t: number): number[] {
    return this.baseValues.map((v) => v * 0.5 ** Math.floor(t / 10));
  }
}

const lrs = (o: Optimizer) => o.paramGroups.map((g) => g.lr);

test("Scheduler: construction", async (t) => {
  await t.test("initialize (default true): initialLr recorded unless present, groups set to base", () => {
    const optimizer: Optimizer = { paramGroups: [{ lr: 0.1 }, { lr: 0.2, initialLr: 0.05 }] };
    const s = new Halving({ optimizer, paramGroupField: "lr" });
    assert.deepEqual(optimizer.paramGroups.map((g) => g.initialLr), [0.1, 0.05]);
    assert.deepEqual(s.baseValues, [0.1, 0.05]);
    assert.deepEqual(lrs(optimizer), [0.1, 0.05]); // update_groups(base_values)
  });
  await t.test("initialize: false requires initialLr in every group (timm KeyError)", () => {
    const optimizer: Optimizer = { paramGroups: [{ lr: 0.3, initialLr: 0.1 }] };
    const s = new Halving({ optimizer, paramGroupField: "lr", initialize: false });
    assert.deepEqual(s.baseValues, [0.1]);
    assert.deepEqual(lrs(optimizer), [0.1]);
    assert.throws(
      () => new Halving({ optimizer: sgd(0.3), paramGroupField: "lr", initialize: false }),
      (e: Error) => e instanceof TypeError && /initialLr missing .*KeyError/.test(e.message),
    );
  });
  await t.test("initialize: a group without the field is refused (timm KeyError)", () => {
    const optimizer = { paramGroups: [{ lr: 0.1 }] };
    assert.throws(
      () => new Halving({ optimizer, paramGroupField: "weightDecay" }),
      /weightDecay missing/,
    );
  });
  await t.test("paramGroupField other than lr: initial<Field> and lrScale apply to it", () => {
    const optimizer: Optimizer = { paramGroups: [{ lr: 0.1, weightDecay: 4, lrScale: 0.5 }] };
    const s = new Halving({ optimizer, paramGroupField: "weightDecay" });
    assert.equal(optimizer.paramGroups[0]!.initialWeightDecay, 4);
    assert.equal(optimizer.paramGroups[0]!.weightDecay, 2);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
    s.step(10);
    assert.equal(optimizer.paramGroups[0]!.weightDecay, 1);
  });
  await t.test("options are validated before the optimizer is touched", () => {
    const optimizer = sgd(0.1);
    assert.throws(
      () => new Halving({ optimizer, paramGroupField: "lr", noiseType: "gaussian" as "normal" }),
      RangeError,
    );
    assert.equal(optimizer.paramGroups[0]!.initialLr, undefined);
    assert.throws(
      () => new Halving({ optimizer, paramGroupField: "lr", tInEpochs: 1 as never }),
      TypeError,
    );
    assert.throws(
      () => new Halving({ optimizer: {} as Optimizer, paramGroupField: "lr" }),
      TypeError,
    );
  });
});

test("Scheduler: stepping", async (t) => {
  await t.test("tInEpochs default true: step(epoch) updates, stepUpdate does nothing", () => {
    const optimizer = sgd(0.1);
    const s = new Halving({ optimizer, paramGroupField: "lr" });
    assert.equal(s.tInEpochs, true);
    s.stepUpdate(25);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
    s.step(25);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.025);
  });
  await t.test("tInEpochs false: stepUpdate(numUpdates) updates, step does nothing", () => {
    const optimizer = sgd(0.1);
    const s = new Halving({ optimizer, paramGroupField: "lr", tInEpochs: false });
    s.step(25);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
    s.stepUpdate(25);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.025);
  });
  await t.test("the metric is stored by step and stepUpdate (timm's self.metric), null by default", () => {
    const s = new Halving({ optimizer: sgd(0.1), paramGroupField: "lr" });
    assert.equal(s.metric, null);
    s.step(1, 0.5);
    assert.equal(s.metric, 0.5);
    s.stepUpdate(1);
    assert.equal(s.metric, null);
  });
  await t.test("a non-finite epoch is refused", () => {
    const s = new Halving({ optimizer: sgd(0.1), paramGroupField: "lr" });
    assert.throws(() => s.step(NaN), RangeError);
    assert.throws(() => s.stepUpdate(Infinity), RangeError);
  });
  await t.test("updateGroups: one value for all groups, lrScale where present, zip to the shorter", () => {
    const optimizer: Optimizer = { paramGroups: [{ lr: 1 }, { lr: 1, lrScale: 0.25 }, { lr: 1 }] };
    const s = new Halving({ optimizer, paramGroupField: "lr" });
    assert.deepEqual(lrs(optimizer), [1, 0.25, 1]);
    s.updateGroups(0.5);
    assert.deepEqual(lrs(optimizer), [0.5, 0.125, 0.5]);
    s.updateGroups([0.2, 0.4]); // Python's zip stops at the shorter list
    assert.deepEqual(lrs(optimizer), [0.2, 0.1, 0.5]);
    assert.throws(() => s.updateGroups([Infinity]), RangeError);
    assert.deepEqual(lrs(optimizer), [0.2, 0.1, 0.5]);
  });
});

test("Scheduler: noise", async (t) => {
  const make = (options: Partial<SchedulerOptions>) =>
    new Halving({ optimizer: sgd(0.1), paramGroupField: "lr", ...options });
  await t.test("noiseRangeT default null: no noise anywhere", () => {
    const s = make({});
    assert.equal(s.noiseRangeT, null);
    assert.equal(s.isApplyNoise(0), false);
    assert.equal(s.isApplyNoise(1e9), false);
  });
  await t.test("noiseRangeT a number: noise from that t on", () => {
    const s = make({ noiseRangeT: 5 });
    assert.deepEqual([4, 5, 100].map((t) => s.isApplyNoise(t)), [false, true, true]);
  });
  await t.test("noiseRangeT [start, end]: start <= t < end; fewer than two entries refused", () => {
    const s = make({ noiseRangeT: [5, 7] });
    assert.deepEqual([4, 5, 6, 7].map((t) => s.isApplyNoise(t)), [false, true, true, false]);
    assert.throws(() => make({ noiseRangeT: [5] }), /IndexError/);
  });
  await t.test("noiseSeed default 42 (null too); noiseType default normal: the first draw below noisePct", () => {
    const s = make({ noiseRangeT: 0 });
    assert.equal(s.noiseSeed, 42);
    assert.equal(make({ noiseRangeT: 0, noiseSeed: null }).noiseSeed, 42);
    assert.equal(s.noiseType, "normal");
    assert.equal(s.noisePct, 0.67);
    assert.equal(s.noiseStd, 1.0); // stored, never used (timm)
    // seed 42 + 4: torch's first draw, -0.1318…, is within 0.67
    assert.equal(s.calculateNoise(4), new TorchGenerator().manualSeed(46).randn());
  });
  await t.test("normal noise is redrawn until |noise| < noisePct (timm's while loop)", () => {
    // torch with seed 40 draws 0.9307138919830322, then -0.34817102551460266 (timm: the second).
    const s = make({ noiseRangeT: 0, noiseSeed: 0, noisePct: 0.5 });
    assert.equal(s.calculateNoise(40), -0.34817102551460266);
  });
  await t.test("uniform noise: 2 · (rand − 0.5) · noisePct", () => {
    const s = make({ noiseRangeT: 0, noiseType: "uniform", noisePct: 0.5 });
    const u = new TorchGenerator().manualSeed(42 + 3).rand();
    assert.equal(s.calculateNoise(3), 2 * (u - 0.5) * 0.5);
    assert.equal(s.calculateNoise(3), -0.3130524754524231); // timm's value
  });
  await t.test("step applies the noise as v + v · noise, inside the range only", () => {
    const optimizer = sgd(0.1, 0.2);
    const s = new Halving({
      optimizer,
      paramGroupField: "lr",
      noiseRangeT: [5, 10],
      noisePct: 0.3,
    });
    s.step(5);
    const noise = s.calculateNoise(5);
    assert.equal(noise, 0.2941133975982666); // timm's value for seed 42 + 5
    assert.deepEqual(lrs(optimizer), [0.1 + 0.1 * noise, 0.2 + 0.2 * noise]);
    s.step(10);
    assert.deepEqual(lrs(optimizer), [0.05, 0.1]);
  });
  await t.test("the seed is noiseSeed + t in exact integers: bigint seeds, 64-bit sums, overflow", () => {
    const big = make({ noiseRangeT: 0, noiseSeed: 2n ** 63n - 5n, noisePct: 2 });
    assert.equal(big.calculateNoise(3), new TorchGenerator().manualSeed(2n ** 63n - 2n).randn());
    const sum = make({ noiseRangeT: 0, noiseSeed: 2 ** 53, noisePct: 2 });
    assert.equal(sum.calculateNoise(1), new TorchGenerator().manualSeed(2n ** 53n + 1n).randn());
    const over = make({ noiseRangeT: 0, noiseSeed: 2n ** 64n - 3n });
    assert.throws(() => over.calculateNoise(3), /Overflow when unpacking long/);
    const negative = make({ noiseRangeT: 0, noiseSeed: -6, noisePct: 2 });
    assert.equal(negative.calculateNoise(1), new TorchGenerator().manualSeed(-5).randn());
    assert.throws(() => make({ noiseRangeT: 0 }).calculateNoise(1.5), TypeError);
    assert.throws(() => make({ noiseSeed: 0.5 }), TypeError);
  });
  await t.test("normal noise with noisePct <= 0 would never end: refused", () => {
    assert.throws(() => make({ noiseRangeT: 0, noisePct: 0 }), /redraws forever/);
    make({ noiseRangeT: 0, noisePct: 0, noiseType: "uniform" });
    make({ noisePct: 0 }); // no noise range: the limit is never used
  });
});

test("Scheduler: state dict", async (t) => {
  await t.test("every attribute except the optimizer, copied; loadStateDict restores it", () => {
    const optimizer = sgd(0.1);
    const s = new StepLRScheduler({ optimizer, decayT: 3, decayRate: 0.5, noiseRangeT: [2, 8] });
    const state = s.stateDict();
    assert.deepEqual(Object.keys(state).sort(), [
      "_initialParamGroupField",
      "baseValues",
      "decayRate",
      "decayT",
      "metric",
      "noisePct",
      "noiseRangeT",
      "noiseSeed",
      "noiseStd",
      "noiseType",
      "paramGroupField",
      "tInEpochs",
      "warmupLrInit",
      "warmupPrefix",
      "warmupSteps",
      "warmupT",
    ]);
    (state.noiseRangeT as number[])[0] = 99; // a copy
    assert.deepEqual(s.noiseRangeT, [2, 8]);
    const twin = new StepLRScheduler({ optimizer: sgd(0.1), decayT: 30 });
    twin.loadStateDict(JSON.parse(JSON.stringify(s.stateDict())));
    assert.deepEqual(twin.stateDict(), s.stateDict());
    assert.deepEqual(twin.getLr(7), s.getLr(7));
  });
  await t.test("loadStateDict refuses keys the scheduler does not have", () => {
    const s = new StepLRScheduler({ optimizer: sgd(0.1), decayT: 3 });
    assert.throws(() => s.loadStateDict({ optimizer: {} }), TypeError);
    assert.throws(() => s.loadStateDict({ lastEpoch: 3 }), /unknown state key `lastEpoch`/);
    assert.throws(() => s.loadStateDict(null as never), TypeError);
  });
  await t.test("loadStateDict checks the shape and values of what it is given", () => {
    const s = new StepLRScheduler({ optimizer: sgd(0.1), decayT: 3, noiseRangeT: 2 });
    const before = s.stateDict();
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ baseValues: "garbage" }, /state `baseValues` must be an array: got "garbage"/],
      [{ baseValues: [0.1, null] }, /state `baseValues\[1\]` must be a number: got null/],
      [{ baseValues: [0.1, 0.2] }, /`baseValues` has 2 entries for 1 parameter groups/],
      [{ noisePct: -5 }, /`noisePct` must be > 0 for normal noise: got -5/],
      [{ noisePct: 1e-300 }, /`noisePct` 1e-300 is too small for normal noise/],
      [{ noisePct: "0.5" }, /state `noisePct` must be a number/],
      [{ decayRate: Infinity }, /state `decayRate` must be finite/],
      [{ noiseType: "cauchy" }, /noiseType/],
      [{ tInEpochs: 1 }, /state `tInEpochs` must be a boolean/],
      [{ noiseRangeT: [1] }, /`noiseRangeT` must have two entries/],
    ];
    for (const [state, message] of bad) {
      assert.throws(() => s.loadStateDict(state), message, JSON.stringify(state));
      // Nothing was restored from a refused state.
      assert.deepEqual(s.stateDict(), before);
    }
    // An optional attribute may go from a number to null and back; a bigint seed is a seed.
    s.loadStateDict({ noiseRangeT: null, metric: 0.5, noiseSeed: 2n ** 70n });
    assert.equal(s.noiseRangeT, null);
    s.loadStateDict({ noiseRangeT: [1, 4], metric: null, noiseSeed: 7 });
    assert.deepEqual(s.noiseRangeT, [1, 4]);
  });
});

test("Scheduler: normal noise that cannot be drawn is refused, not a hang", async (t) => {
  await t.test("at construction: a limit timm would redraw for ~1e300 times", () => {
    assert.throws(
      () =>
        new StepLRScheduler({
          optimizer: sgd(0.1),
          decayT: 3,
          noiseRangeT: 0,
          noisePct: 1e-300,
          noiseSeed: 1,
        }),
      {
        name: "RangeError",
        message:
          /StepLRScheduler: `noisePct` 1e-300 is too small for normal noise: timm would redraw about 1\.3e\+300 times per step/,
      },
    );
  });
  await t.test("the bound: 1.26e-6 draws in under ~10^6 tries, and still matches timm", () => {
    const s = new StepLRScheduler({
      optimizer: sgd(0.1),
      decayT: 3,
      noiseRangeT: 0,
      noisePct: 1.26e-6,
    });
    assert.ok(Math.abs(s.calculateNoise(0)) < 1.26e-6);
    assert.throws(
      () =>
        new StepLRScheduler({ optimizer: sgd(0.1), decayT: 3, noiseRangeT: 0, noisePct: 1.25e-6 }),
      RangeError,
    );
    // Uniform noise has no redraws: any limit is fine.
    const u = new Halving({
      optimizer: sgd(0.1),
      paramGroupField: "lr",
      noiseRangeT: 0,
      noisePct: 1e-300,
      noiseType: "uniform",
    });
    assert.ok(Math.abs(u.calculateNoise(3)) < 1e-300);
  });
});
