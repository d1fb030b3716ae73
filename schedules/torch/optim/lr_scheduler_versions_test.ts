import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  LRScheduler,
  MultiplicativeLR,
  OneCycleLR,
  type Optimizer,
  PolynomialLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  type TorchVersion,
} from "../../../mod.ts";
import { series, sgd } from "../../../testing/schedulers.ts";

// What differs between torch 1.13 and torch 2.11, branch by branch. torch 1.13 values were
// produced by Debian's torch 1.13.1 on this project's machine; torch 2.11 values follow torch
// 2.11's lr_scheduler.py (the golden suite fixtures/torch-2.11 covers the rest), computed with
// the same Python float operations.

const resumed = (lr: number, initialLr: number): Optimizer => ({
  paramGroups: [{ lr, initialLr, momentum: 0.9 }],
});

test("torch option: default 2.13, validation, verbose", async (t) => {
  await t.test("a scheduler built without `torch` reproduces torch 2.13", () => {
    const optimizer = resumed(0.01, 0.1);
    const s = new ExponentialLR({ optimizer, gamma: 0.9, lastEpoch: 99 });
    assert.equal(s.torch, "2.13");
    assert.equal(optimizer.paramGroups[0]!.lr, 0.01, "2.13 keeps the resumed rate");
    const o211 = resumed(0.01, 0.1);
    new ExponentialLR({ optimizer: o211, gamma: 0.9, lastEpoch: 99, torch: "2.11" });
    assert.equal(o211.paramGroups[0]!.lr, 0.01, "2.11 keeps the resumed rate");
    const old = resumed(0.01, 0.1);
    new ExponentialLR({ optimizer: old, gamma: 0.9, lastEpoch: 99, torch: "1.13" });
    assert.equal(old.paramGroups[0]!.lr, 0.009000000000000001, "1.13 multiplies once more");
    for (
      const s of [
        new StepLR({ optimizer: sgd(1), stepSize: 2 }),
        new ReduceLROnPlateau({ optimizer: sgd(1) }),
        new ChainedScheduler({ schedulers: [new ConstantLR({ optimizer: sgd(1) })] }),
      ]
    ) assert.equal(s.torch, "2.13", s.constructor.name);
  });
  await t.test("unknown releases and wrong types are rejected", () => {
    assert.throws(() => new StepLR({ optimizer: sgd(1), stepSize: 1, torch: "2.0" as never }), {
      name: "RangeError",
      message: /StepLR: `torch` must be one of "1.13", "2.11", "2.13": got "2.0"/,
    });
    assert.throws(
      () => new StepLR({ optimizer: sgd(1), stepSize: 1, torch: 2.11 as never }),
      TypeError,
    );
  });
  await t.test("verbose: torch 1.13 only (torch 2.7 removed it: TypeError)", () => {
    assert.throws(() => new StepLR({ optimizer: sgd(1), stepSize: 1, verbose: false }), {
      name: "TypeError",
      message: /StepLR: unexpected option `verbose`: torch 2.7 removed it/,
    });
    assert.throws(() => new ReduceLROnPlateau({ optimizer: sgd(1), verbose: true }), TypeError);
    const optimizer = sgd(1);
    const a = new ConstantLR({ optimizer });
    assert.throws(
      () => new SequentialLR({ optimizer, schedulers: [a], milestones: [], verbose: false }),
      TypeError,
    );
    const s = new StepLR({ optimizer: sgd(1), stepSize: 1, verbose: false, torch: "1.13" });
    assert.equal(s.verbose, false);
  });
});

test("LRScheduler base, torch 1.13 vs 2.11", async (t) => {
  await t.test("state-dict keys of each release", () => {
    const keys = (torch: TorchVersion) =>
      Object.keys(new StepLR({ optimizer: sgd(0.1), stepSize: 2, torch }).stateDict()).sort();
    // torch 1.13.1: ['_get_lr_called_within_step', '_last_lr', '_step_count', 'base_lrs',
    // 'gamma', 'last_epoch', 'step_size', 'verbose'].
    assert.deepEqual(keys("1.13"), [
      "_getLrCalledWithinStep",
      "_lastLr",
      "_stepCount",
      "baseLrs",
      "gamma",
      "lastEpoch",
      "stepSize",
      "verbose",
    ]);
    // torch 2.11: no verbose (PR #147301), `_is_initial` (PR #149312).
    assert.deepEqual(keys("2.11"), [
      "_getLrCalledWithinStep",
      "_isInitial",
      "_lastLr",
      "_stepCount",
      "baseLrs",
      "gamma",
      "lastEpoch",
      "stepSize",
    ]);
    const s = new StepLR({ optimizer: sgd(0.1), stepSize: 2 });
    assert.equal(s.stateDict()._isInitial, false, "false outside the constructor's step");
    assert.throws(() => s.loadStateDict({ verbose: false }), {
      name: "TypeError",
      message: /unknown state key `verbose`/,
    });
    const old = new StepLR({ optimizer: sgd(0.1), stepSize: 2, torch: "1.13" });
    assert.throws(() => old.loadStateDict({ _isInitial: false }), TypeError);
  });
  await t.test("strict zip: torch 2.11 throws when the groups and rates differ in number", () => {
    const make = (torch: TorchVersion) => {
      const optimizer = sgd(0.1);
      const s = new LambdaLR({ optimizer, lrLambda: () => 0.5, torch });
      optimizer.paramGroups.push({ lr: 0.7 });
      return { optimizer, s };
    };
    const old = make("1.13");
    old.s.step();
    // torch 1.13.1: [0.05, 0.7] (zip stops at the shorter list).
    assert.deepEqual(old.optimizer.paramGroups.map((g) => g.lr), [0.05, 0.7]);
    const now = make("2.11");
    assert.throws(() => now.s.step(), {
      name: "RangeError",
      message: /zip\(\) argument 2 is shorter than argument 1.*torch 2.11 raises ValueError/,
    });
  });
  await t.test("updateLr: torch 2's _update_lr does not count the step", () => {
    const s = new StepLR({ optimizer: sgd(1), stepSize: 2, gamma: 0.5 });
    const count = () => s.stateDict()._stepCount;
    assert.equal(count(), 1);
    s.updateLr(4);
    assert.deepEqual([count(), s.lastEpoch, s.getLastLr()], [1, 4, [0.25]]);
    s.step();
    assert.equal(count(), 2);
  });
});

test("LinearLR startFactor 0: torch 2.11 rejects it at construction, 1.13 at the first step", () => {
  assert.throws(() => new LinearLR({ optimizer: sgd(0.1), startFactor: 0 }), {
    name: "RangeError",
    message: /LinearLR: Starting multiplicative factor expected to be greater than 0 .* got 0 /,
  });
  const old = new LinearLR({ optimizer: sgd(0.1), startFactor: 0, torch: "1.13" });
  assert.throws(() => old.step(), { name: "RangeError", message: /ZeroDivisionError/ });
});

test("recursive schedulers at the initial step of a resume (torch 2.11 _isInitial)", async (t) => {
  await t.test("MultiplicativeLR", () => {
    const run = (torch: TorchVersion) => {
      const optimizer = resumed(0.1, 0.4);
      return series(
        optimizer,
        new MultiplicativeLR({ optimizer, lrLambda: () => 0.5, lastEpoch: 3, torch }),
        2,
      );
    };
    assert.deepEqual(run("1.13"), [0.05, 0.025, 0.0125]);
    assert.deepEqual(run("2.11"), [0.1, 0.05, 0.025]);
  });
  await t.test("LinearLR", () => {
    const run = (torch: TorchVersion) => {
      const optimizer = resumed(0.04, 0.1);
      const s = new LinearLR({ optimizer, startFactor: 0.2, totalIters: 10, lastEpoch: 3, torch });
      return series(optimizer, s, 2);
    };
    assert.deepEqual(run("1.13"), [0.04727272727272728, 0.05454545454545455, 0.06181818181818182]);
    assert.deepEqual(run("2.11"), [0.04, 0.04615384615384615, 0.0523076923076923]);
  });
  await t.test("PolynomialLR", () => {
    const run = (torch: TorchVersion) => {
      const optimizer = resumed(0.5, 1);
      const s = new PolynomialLR({ optimizer, totalIters: 4, power: 2, lastEpoch: 1, torch });
      return series(optimizer, s, 3);
    };
    assert.deepEqual(run("1.13"), [0.2222222222222222, 0.05555555555555555, 0, 0]);
    assert.deepEqual(run("2.11"), [0.5, 0.125, 0, 0]);
  });
  await t.test("CosineAnnealingLR: 2.11 keeps the rate instead of the _stepCount == 1 jump", () => {
    const run = (torch: TorchVersion) => {
      const optimizer = resumed(0.05, 0.1);
      const s = new CosineAnnealingLR({ optimizer, TMax: 30, etaMin: 1e-4, lastEpoch: 10, torch });
      return series(optimizer, s, 2);
    };
    assert.deepEqual(run("1.13"), [0.07036649532163623, 0.06548539886902863, 0.06043518895634708]);
    assert.deepEqual(run("2.11"), [0.05, 0.04653367210261131, 0.042947247683842664]);
  });
  await t.test("CosineAnnealingLR, torch 2.11: the _stepCount == 1 branch after a reset", () => {
    const optimizer = resumed(0.05, 0.1);
    const s = new CosineAnnealingLR({ optimizer, TMax: 30, etaMin: 1e-4, lastEpoch: 10 });
    s.loadStateDict({ _stepCount: 0 });
    s.step(); // lastEpoch 12, _stepCount 1: the closed form from initialLr
    const closed = 1e-4 + (0.1 - 1e-4) * (1 + Math.cos(12 * Math.PI / 30)) / 2;
    assert.equal(optimizer.paramGroups[0]!.lr, closed);
  });
});

test("CosineAnnealingWarmRestarts: T_cur after a restart", () => {
  const run = (torch: TorchVersion) => {
    const optimizer = sgd(1);
    const s = new CosineAnnealingWarmRestarts({ optimizer, T0: 10, torch });
    s.loadStateDict({ TCur: 25 });
    s.step();
    return [s.TCur, s.Ti, optimizer.paramGroups[0]!.lr];
  };
  // torch 1.13.1: T_cur 26 - 10 = 16; torch 2.11: 26 % 10 = 6.
  assert.deepEqual(run("1.13"), [16, 10, 0.6545084971874736]);
  assert.deepEqual(run("2.11"), [6, 10, 0.34549150281252633]);
});

test("SequentialLR, torch 1.13 vs 2.11", async (t) => {
  await t.test("MultiplicativeLR at a milestone: _update_lr(0) applies lrLambda(0)", () => {
    const run = (torch: TorchVersion) => {
      const optimizer = sgd(1);
      const s = new SequentialLR({
        optimizer,
        schedulers: [
          new ConstantLR({ optimizer, factor: 0.5, totalIters: 2, torch }),
          new MultiplicativeLR({ optimizer, lrLambda: () => 0.5, torch }),
        ],
        milestones: [2],
        torch,
      });
      return series(optimizer, s, 4);
    };
    assert.deepEqual(run("1.13"), [0.5, 0.5, 0.5, 0.25, 0.125]);
    assert.deepEqual(run("2.11"), [0.5, 0.5, 0.25, 0.125, 0.0625]);
  });
  await t.test("the restart counts a step in torch 1.13 (step(0)), not in 2.11", () => {
    const count = (torch: TorchVersion) => {
      const optimizer = sgd(1);
      const next = new StepLR({ optimizer, stepSize: 3, torch });
      const s = new SequentialLR({
        optimizer,
        schedulers: [new ConstantLR({ optimizer, torch }), next],
        milestones: [1],
        torch,
      });
      s.step();
      return next.stateDict()._stepCount;
    };
    assert.equal(count("1.13"), 2);
    assert.equal(count("2.11"), 1);
  });
  await t.test("milestone [0]: the next scheduler's epoch-0 step is not its initial one", () => {
    const run = (torch: TorchVersion, make: (o: Optimizer) => LRScheduler) => {
      const optimizer = sgd(1);
      const first = new ConstantLR({ optimizer, factor: 0.5, totalIters: 2, torch });
      const s = new SequentialLR({
        optimizer,
        schedulers: [first, make(optimizer)],
        milestones: [0],
        torch,
      });
      return series(optimizer, s, 5);
    };
    const poly = (torch: TorchVersion) => (optimizer: Optimizer) =>
      new PolynomialLR({ optimizer, totalIters: 4, power: 1, torch });
    assert.deepEqual(run("1.13", poly("1.13")), [0.5, 0.5, 0.375, 0.25, 0.125, 0]);
    assert.deepEqual(run("2.11", poly("2.11")), [0.5, 0.4, 0.30000000000000004, 0.2, 0.1, 0]);
    const cos = (torch: TorchVersion) => (optimizer: Optimizer) =>
      new CosineAnnealingLR({ optimizer, TMax: 4, torch });
    assert.deepEqual(run("1.13", cos("1.13")).slice(0, 4), [0.5, 0.5, 0.42677669529663687, 0.25]);
    assert.deepEqual(run("2.11", cos("2.11")).slice(0, 3), [0.5, 0.585786437626905, 0.5]);
  });
  await t.test("torch 2.11 nests combinators (recursive undo)", () => {
    const optimizer = sgd(1);
    const chained = new ChainedScheduler({
      schedulers: [
        new ConstantLR({ optimizer, factor: 0.5, totalIters: 2 }),
        new ExponentialLR({ optimizer, gamma: 0.9 }),
      ],
    });
    const s = new SequentialLR({
      optimizer,
      schedulers: [chained, new ExponentialLR({ optimizer, gamma: 0.8 })],
      milestones: [3],
    });
    assert.deepEqual(series(optimizer, s, 4), [0.45, 0.405, 0.7290000000000001, 1, 0.8]);
    // A combinator after the first: torch's _update_lr(0) reaches LRScheduler.get_lr, which raises.
    const o2 = sgd(1);
    const late = new SequentialLR({
      optimizer: o2,
      schedulers: [
        new ConstantLR({ optimizer: o2 }),
        new ChainedScheduler({ schedulers: [new ExponentialLR({ optimizer: o2, gamma: 0.9 })] }),
      ],
      milestones: [1],
    });
    assert.throws(() => late.step(), { name: "TypeError", message: /NotImplementedError/ });
  });
  await t.test("validation of each release", () => {
    const optimizer = sgd(1);
    assert.throws(() => new SequentialLR({ optimizer, schedulers: [], milestones: [] }), {
      name: "RangeError",
      message: /expects at least one scheduler/,
    });
    assert.throws(
      () =>
        new SequentialLR({
          optimizer,
          schedulers: [new ConstantLR({ optimizer }), new ReduceLROnPlateau({ optimizer })],
          milestones: [1],
        }),
      { name: "TypeError", message: /does not support `ReduceLROnPlateau`/ },
    );
    assert.throws(
      () =>
        new SequentialLR({
          optimizer,
          schedulers: [new ConstantLR({ optimizer, torch: "1.13" })],
          milestones: [],
        }),
      { name: "TypeError", message: /reproduces torch 1.13, but this SequentialLR torch 2.13/ },
    );
    const old = new ConstantLR({ optimizer, torch: "1.13" });
    const s = new SequentialLR({
      optimizer,
      schedulers: [old],
      milestones: [],
      verbose: true,
      torch: "1.13",
    });
    assert.equal(s.torch, "1.13");
  });
});

test("ChainedScheduler, torch 1.13 vs 2.11", () => {
  const optimizer = sgd(1);
  const a = new ConstantLR({ optimizer, factor: 0.5 });
  const chain = new ChainedScheduler({ schedulers: [a], optimizer });
  assert.equal(chain.optimizer, optimizer);
  assert.throws(() => new ChainedScheduler({ schedulers: [a], optimizer: sgd(1) }), {
    name: "TypeError",
    message: /got scheduler ConstantLR at index 0 with another optimizer/,
  });
  const old = new ConstantLR({ optimizer, torch: "1.13" });
  assert.throws(
    () => new ChainedScheduler({ schedulers: [old], optimizer, torch: "1.13" }),
    { name: "TypeError", message: /torch 1.13's ChainedScheduler takes only the schedulers/ },
  );
  assert.throws(() => new ChainedScheduler({ schedulers: [old] }), {
    name: "TypeError",
    message: /reproduces torch 1.13, but this ChainedScheduler torch 2.13/,
  });
  assert.throws(() => new ChainedScheduler({ schedulers: [], torch: "1.13" }), {
    name: "RangeError",
    message: /IndexError/,
  });
  assert.throws(() => new ChainedScheduler({ schedulers: [] }), {
    name: "RangeError",
    message: /ValueError/,
  });
  assert.throws(
    () => new ChainedScheduler({ schedulers: [new ReduceLROnPlateau({ optimizer })] as never }),
    TypeError,
  );
});

test("CyclicLR, torch 1.13 vs 2.11", async (t) => {
  await t.test("torch 2.11 cycles Adam's beta1; torch 1.13 rejects Adam", () => {
    const adam = (): Optimizer => ({ paramGroups: [{ lr: 0.1, betas: [0.9, 0.999] }] });
    assert.throws(
      () => new CyclicLR({ optimizer: adam(), baseLr: 0.001, maxLr: 0.1, torch: "1.13" }),
      { name: "TypeError", message: /optimizer must support momentum with/ },
    );
    const optimizer = adam();
    const s = new CyclicLR({ optimizer, baseLr: 0.001, maxLr: 0.1, stepSizeUp: 2000 });
    assert.equal(s.useBeta1, true);
    const beta1 = (o: Optimizer) => (o.paramGroups[0]!.betas as number[])[0]!;
    // fixtures/torch-2.11 cyclic/error-adam: rows 0 and 1.
    assert.deepEqual(series(optimizer, s, 1), [0.001, 0.0010495000000000166]);
    assert.deepEqual(series(optimizer, s, 0, beta1), [0.89995]);
    assert.deepEqual(optimizer.paramGroups[0]!.betas, [0.89995, 0.999]);
    assert.equal(optimizer.paramGroups[0]!.maxMomentum, 0.9);
    assert.equal(optimizer.paramGroups[0]!.baseMomentum, 0.8);
    assert.throws(
      () =>
        new CyclicLR({
          optimizer: { paramGroups: [{ lr: 1 }] },
          baseLr: 0.001,
          maxLr: 0.1,
        }),
      { name: "TypeError", message: /optimizer must support momentum or beta1/ },
    );
  });
  await t.test("momentum boundaries at construction and on resume", () => {
    const fresh = (torch: TorchVersion) => {
      const optimizer = sgd(0.5);
      new CyclicLR({ optimizer, baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, torch });
      return optimizer.paramGroups[0]!;
    };
    // Both end the initial step at maxMomentum; only torch 2.11 writes the boundaries.
    assert.equal(fresh("1.13").momentum, 0.9);
    assert.equal(fresh("1.13").maxMomentum, undefined);
    assert.deepEqual(
      [fresh("2.11").momentum, fresh("2.11").maxMomentum, fresh("2.11").baseMomentum],
      [0.9, 0.9, 0.8],
    );
    const resume = (torch: TorchVersion) => {
      const optimizer: Optimizer = { paramGroups: [{ lr: 0.5, initialLr: 0.01, momentum: 0.85 }] };
      const s = new CyclicLR({
        optimizer,
        baseLr: 0.01,
        maxLr: 0.1,
        stepSizeUp: 4,
        lastEpoch: 1,
        torch,
      });
      return [optimizer.paramGroups[0]!.lr, optimizer.paramGroups[0]!.momentum, s.baseMomentums];
    };
    // torch 1.13.1: lr 0.05500000000000001, momentum 0.875, base_momentums [0.85] (read back
    // from the group); torch 2.11: base_momentums = the option.
    assert.deepEqual(resume("1.13"), [0.05500000000000001, 0.875, [0.85]]);
    assert.deepEqual(resume("2.11"), [0.05500000000000001, 0.8500000000000001, [0.8]]);
  });
  await t.test("state dict keys and _scaleFnCustom", () => {
    const keys = (torch: TorchVersion, cycleMomentum: boolean) =>
      Object.keys(
        new CyclicLR({ optimizer: sgd(0.1), baseLr: 0.01, maxLr: 0.1, cycleMomentum, torch })
          .stateDict(),
      ).sort();
    // torch 1.13.1 (less `_scale_fn_custom` / `_scale_fn_ref`, which hold functions).
    assert.deepEqual(keys("1.13", true), [
      "_getLrCalledWithinStep",
      "_lastLr",
      "_stepCount",
      "baseLrs",
      "baseMomentums",
      "cycleMomentum",
      "gamma",
      "lastEpoch",
      "maxLrs",
      "maxMomentums",
      "mode",
      "scaleMode",
      "stepRatio",
      "totalSize",
      "verbose",
    ]);
    assert.deepEqual(keys("1.13", false), [
      "_getLrCalledWithinStep",
      "_lastLr",
      "_stepCount",
      "baseLrs",
      "cycleMomentum",
      "gamma",
      "lastEpoch",
      "maxLrs",
      "mode",
      "scaleMode",
      "stepRatio",
      "totalSize",
      "verbose",
    ]);
    const now = keys("2.11", true);
    assert.ok(
      now.includes("useBeta1") && now.includes("_scaleFnCustom") && !now.includes("verbose"),
    );
    assert.ok(!keys("2.11", false).includes("useBeta1"));
    const scale = Object.assign((x: number) => scale.k / x, { k: 1 });
    const s = new CyclicLR({ optimizer: sgd(0.1), baseLr: 0.01, maxLr: 0.1, scaleFn: scale });
    assert.deepEqual(s.stateDict()._scaleFnCustom, { k: 1 });
    s.loadStateDict({ _scaleFnCustom: { k: 0.5 } });
    assert.equal(scale.k, 0.5);
    assert.equal(
      new CyclicLR({ optimizer: sgd(0.1), baseLr: 0.01, maxLr: 0.1 }).stateDict()._scaleFnCustom,
      null,
    );
  });
  await t.test("list-length errors keep each release's message", () => {
    assert.throws(() => new CyclicLR({ optimizer: sgd(1, 1), baseLr: 0.1, maxLr: [1, 2, 3] }), {
      name: "RangeError",
      message: /`maxLr` must have the same length as optimizer.paramGroups. `maxLr` has 3 values/,
    });
  });
});

test("OneCycleLR, torch 1.13 vs 2.11: messages", () => {
  const past = (torch: TorchVersion) => {
    const s = new OneCycleLR({ optimizer: sgd(1), maxLr: 1, totalSteps: 2, torch });
    s.step();
    s.step();
    try {
      s.step();
    } catch (e) {
      return (e as Error).message;
    }
    return "";
  };
  assert.match(past("1.13"), /Tried to step 4 times/);
  assert.match(past("2.11"), /Tried to step 3 times/);
  assert.throws(
    () =>
      new OneCycleLR({
        optimizer: { paramGroups: [{ lr: 1 }] },
        maxLr: 1,
        totalSteps: 5,
        torch: "1.13",
      }),
    { name: "TypeError", message: /optimizer must support momentum with/ },
  );
  assert.throws(
    () => new OneCycleLR({ optimizer: { paramGroups: [{ lr: 1 }] }, maxLr: 1, totalSteps: 5 }),
    { name: "TypeError", message: /optimizer must support momentum or beta1 with/ },
  );
});

test("ReduceLROnPlateau, torch 1.13 vs 2.11", async (t) => {
  await t.test("an LRScheduler; getLr throws as torch's inherited get_lr", () => {
    const s = new ReduceLROnPlateau({ optimizer: sgd(0.1) });
    assert.ok(s instanceof LRScheduler);
    assert.deepEqual([s.lastEpoch, s.getLastLr()], [0, [0.1]]);
    assert.equal(s.optimizer.paramGroups[0]!.initialLr, undefined, "no initial_lr, as torch");
    assert.throws(() => s.getLr(), { name: "TypeError", message: /NotImplementedError/ });
  });
  await t.test("state-dict keys of each release", () => {
    const keys = (torch: TorchVersion, steps: number) => {
      const s = new ReduceLROnPlateau({ optimizer: sgd(0.1), torch });
      for (let i = 0; i < steps; i++) s.step(1);
      return Object.keys(s.stateDict()).sort();
    };
    // torch 1.13.1 before a step: no `_last_lr`.
    assert.deepEqual(keys("1.13", 0), [
      "best",
      "cooldown",
      "cooldownCounter",
      "eps",
      "factor",
      "lastEpoch",
      "minLrs",
      "mode",
      "modeWorse",
      "numBadEpochs",
      "patience",
      "threshold",
      "thresholdMode",
      "verbose",
    ]);
    assert.ok(keys("1.13", 1).includes("_lastLr"));
    assert.deepEqual(keys("2.11", 0), [
      "_lastLr",
      "best",
      "cooldown",
      "cooldownCounter",
      "defaultMinLr",
      "eps",
      "factor",
      "lastEpoch",
      "minLrs",
      "mode",
      "modeWorse",
      "numBadEpochs",
      "patience",
      "threshold",
      "thresholdMode",
    ]);
  });
  await t.test("a group added later: 2.11 follows a scalar minLr, rejects a list", () => {
    const grow = (torch: TorchVersion, minLr: number | number[]) => {
      const optimizer = sgd(1);
      const s = new ReduceLROnPlateau({ optimizer, patience: 0, minLr, torch });
      optimizer.paramGroups.push({ lr: 2 });
      s.step(1);
      s.step(2);
      return [s.minLrs, optimizer.paramGroups.map((g) => g.lr)];
    };
    assert.deepEqual(grow("2.11", 0.5), [[0.5, 0.5], [0.5, 0.5]]);
    assert.throws(() => grow("2.11", [0.5]), { name: "RangeError", message: /RuntimeError/ });
    assert.throws(() => grow("1.13", 0.5), { name: "RangeError", message: /IndexError/ });
    assert.equal(new ReduceLROnPlateau({ optimizer: sgd(1), minLr: [0] }).defaultMinLr, null);
  });
});
