import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CosineParamScheduler,
  getWarmupFactorAtIter,
  LinearParamScheduler,
  LRMultiplier,
  MultiStepParamScheduler,
  type Optimizer,
  StepWithFixedGammaParamScheduler,
  WarmupCosineLR,
  WarmupMultiStepLR,
  WarmupParamScheduler,
} from "../../mod.ts";

const multistep1x = () =>
  new MultiStepParamScheduler({
    values: [1, 0.1, 0.01],
    milestones: [60000, 80000],
    numUpdates: 90000,
  });

test("WarmupParamScheduler", async (t) => {
  await t.test("linear warmup meets the main schedule at the end of warmup (fixed interval)", () => {
    const main = new CosineParamScheduler({ startValue: 1, endValue: 0 });
    const s = new WarmupParamScheduler({ scheduler: main, warmupFactor: 0.001, warmupLength: 0.1 });
    assert.equal(s.at(0), 0.001);
    assert.equal(s.warmupMethod, "linear");
    assert.equal(s.rescaleInterval, false);
    // The warmup ramps to main.at(0.1), and the main schedule continues at the global where.
    assert.equal(s.at(0.1 - 1e-6), s.schedulers[0]!.at((0.1 - 1e-6) / 0.1));
    assert.equal(s.at(0.5), main.at(0.5));
  });
  await t.test("rescaleInterval runs the main schedule from its start after warmup", () => {
    const main = new CosineParamScheduler({ startValue: 1, endValue: 0 });
    const s = new WarmupParamScheduler({
      scheduler: main,
      warmupFactor: 0.5,
      warmupLength: 0.2,
      rescaleInterval: true,
    });
    assert.equal(s.at(1), 0);
    assert.equal(s.at(0.6), main.at((0.6 - (1.0 - 0.8)) / 0.8));
    assert.deepEqual(s.intervalScaling, ["rescaled", "rescaled"]);
  });
  await t.test("constant warmup holds warmupFactor * scheduler(0)", () => {
    const s = new WarmupParamScheduler({
      scheduler: multistep1x(),
      warmupFactor: 0.25,
      warmupLength: 1000 / 90000,
      warmupMethod: "constant",
    });
    assert.equal(s.at(0), 0.25);
    assert.equal(s.at(500 / 90000), 0.25);
    assert.equal(s.at(1000 / 90000), 1);
  });
  await t.test("unknown warmup method, typos and bad schedulers are rejected", () => {
    const scheduler = multistep1x();
    assert.throws(
      () =>
        new WarmupParamScheduler({
          scheduler,
          warmupFactor: 0.1,
          warmupLength: 0.1,
          warmupMethod: "exp" as never,
        }),
      {
        name: "RangeError",
        message: /`warmupMethod` must be one of "linear", "constant": got "exp"/,
      },
    );
    assert.throws(
      () =>
        new WarmupParamScheduler(
          { scheduler, warmupFactor: 0.1, warmupLength: 0.1, rescale_interval: true } as never,
        ),
      { name: "TypeError", message: /did you mean `rescaleInterval`/ },
    );
    assert.throws(
      () =>
        new WarmupParamScheduler({ scheduler: 3 as never, warmupFactor: 0.1, warmupLength: 0.1 }),
      TypeError,
    );
  });
  await t.test("a main schedule that raises at the warmup end raises at construction (detectron2 IndexError)", () => {
    const step = new StepWithFixedGammaParamScheduler({
      baseValue: 1,
      gamma: 0.5,
      numDecays: 3,
      numUpdates: 100,
    });
    assert.throws(
      () => new WarmupParamScheduler({ scheduler: step, warmupFactor: 0.1, warmupLength: 1 }),
      RangeError,
    );
  });
});

test("LRMultiplier", async (t) => {
  const cosine = new CosineParamScheduler({ startValue: 1, endValue: 0 });
  await t.test("torch's initial step: records initialLr, writes lr, lastEpoch 0", () => {
    const optimizer = { paramGroups: [{ lr: 0.02 }, { lr: 0.04, momentum: 0.9 }] };
    const s = new LRMultiplier({ optimizer, multiplier: cosine, maxIter: 10 });
    assert.equal(s.lastEpoch, 0);
    assert.deepEqual(s.baseLrs, [0.02, 0.04]);
    assert.deepEqual(optimizer.paramGroups, [{ lr: 0.02, initialLr: 0.02 }, {
      lr: 0.04,
      momentum: 0.9,
      initialLr: 0.04,
    }]);
    assert.deepEqual(s.getLastLr(), [0.02, 0.04]);
  });
  await t.test("the last step of a run reaches where = 1 exactly", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new LRMultiplier({ optimizer, multiplier: cosine, maxIter: 7 });
    for (let i = 0; i < 7; i++) s.step();
    assert.equal(s.lastEpoch, 7);
    assert.equal(optimizer.paramGroups[0]!.lr, 0);
  });
  await t.test("lr = initialLr * multiplier(lastEpoch / maxIter), per group", () => {
    const optimizer = { paramGroups: [{ lr: 0.3 }, { lr: 0.1 }] };
    const s = new LRMultiplier({ optimizer, multiplier: cosine, maxIter: 9 });
    for (let i = 1; i <= 9; i++) {
      s.step();
      assert.deepEqual(s.getLastLr(), [0.3 * cosine.at(i / 9), 0.1 * cosine.at(i / 9)]);
    }
  });
  await t.test("a multiplier that raises past the end makes step() raise", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new LRMultiplier({ optimizer, multiplier: multistep1x(), maxIter: 2 });
    s.step();
    s.step();
    assert.throws(() => s.step(), RangeError);
  });
  await t.test("state dict is {baseLrs, lastEpoch} and resuming continues identically", () => {
    const make = () => ({ paramGroups: [{ lr: 0.02 }, { lr: 0.01 }] });
    const a = make();
    const sa = new LRMultiplier({ optimizer: a, multiplier: cosine, maxIter: 50 });
    for (let i = 0; i < 20; i++) sa.step();
    const state = sa.stateDict();
    assert.deepEqual(Object.keys(state), ["baseLrs", "lastEpoch"]);
    const b = make();
    const sb = new LRMultiplier({ optimizer: b, multiplier: cosine, maxIter: 50 });
    sb.loadStateDict(JSON.parse(JSON.stringify(state)));
    for (let i = 0; i < 30; i++) {
      sa.step();
      sb.step();
      assert.deepEqual(b.paramGroups.map((g) => g.lr), a.paramGroups.map((g) => g.lr));
    }
    assert.throws(() => sb.loadStateDict({ lastEpoch: 1.5 }), RangeError);
    assert.throws(() => sb.loadStateDict({ last_epoch: 1 }), TypeError);
  });
  await t.test("resuming with lastIter needs initialLr in every group (torch KeyError)", () => {
    assert.throws(
      () =>
        new LRMultiplier({
          optimizer: { paramGroups: [{ lr: 1 }] },
          multiplier: cosine,
          maxIter: 10,
          lastIter: 4,
        }),
      { name: "TypeError", message: /param 'initialLr' is not specified in paramGroups\[0\]/ },
    );
    const optimizer = { paramGroups: [{ lr: 123, initialLr: 1 }] };
    const s = new LRMultiplier({ optimizer, multiplier: cosine, maxIter: 10, lastIter: 4 });
    assert.equal(s.lastEpoch, 5);
    assert.equal(optimizer.paramGroups[0]!.lr, cosine.at(0.5));
  });
  await t.test("validation", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    assert.throws(() => new LRMultiplier({ optimizer, multiplier: cosine, maxIter: 0 }), {
      name: "RangeError",
      message: "LRMultiplier: `maxIter` must be a positive integer up to 2^53 - 1: got 0",
    });
    assert.throws(
      () => new LRMultiplier({ optimizer, multiplier: (() => 1) as never, maxIter: 10 }),
      TypeError,
    );
    assert.throws(
      () => new LRMultiplier({ optimizer: { paramGroups: [] }, multiplier: cosine, maxIter: 10 }),
      RangeError,
    );
    assert.throws(
      () => new LRMultiplier({ optimizer: {} as never, multiplier: cosine, maxIter: 10 }),
      TypeError,
    );
    assert.throws(
      () =>
        new LRMultiplier({
          optimizer: { paramGroups: [{ lr: NaN }] },
          multiplier: cosine,
          maxIter: 10,
        }),
      { name: "RangeError", message: /paramGroups\[0\]\.lr/ },
    );
  });
  await t.test("a second scheduler on the same optimizer keeps the first initialLr (setdefault)", () => {
    const optimizer = { paramGroups: [{ lr: 0.5 }] };
    new LRMultiplier({
      optimizer,
      multiplier: new LinearParamScheduler({ startValue: 0.1, endValue: 1 }),
      maxIter: 4,
    });
    assert.equal(optimizer.paramGroups[0]!.lr, 0.05);
    const second = new LRMultiplier({ optimizer, multiplier: cosine, maxIter: 4 });
    assert.deepEqual(second.baseLrs, [0.5]);
  });
});

test("getWarmupFactorAtIter", () => {
  assert.equal(getWarmupFactorAtIter("linear", 0, 1000, 0.001), 0.001);
  assert.equal(getWarmupFactorAtIter("linear", 500, 1000, 0.001), 0.001 * (1 - 0.5) + 0.5);
  assert.equal(getWarmupFactorAtIter("constant", 999, 1000, 0.001), 0.001);
  assert.equal(getWarmupFactorAtIter("constant", 1000, 1000, 0.001), 1);
  assert.equal(
    getWarmupFactorAtIter("exp" as never, 1000, 1000, 0.001),
    1,
    "detectron2 checks the method only during warmup",
  );
  assert.throws(() => getWarmupFactorAtIter("exp" as never, 10, 1000, 0.001), {
    name: "RangeError",
    message: /Unknown warmup method: "exp"/,
  });
});

test("WarmupMultiStepLR", async (t) => {
  await t.test("warmup then gamma ** (number of milestones passed)", () => {
    const optimizer = { paramGroups: [{ lr: 0.1 }] };
    const s = new WarmupMultiStepLR({
      optimizer,
      milestones: [3, 5],
      gamma: 0.1,
      warmupIters: 2,
      warmupFactor: 0.5,
    });
    const lrs = [optimizer.paramGroups[0]!.lr];
    for (let i = 0; i < 6; i++) {
      s.step();
      lrs.push(optimizer.paramGroups[0]!.lr);
    }
    assert.deepEqual(lrs, [
      0.1 * 0.5,
      0.1 * (0.5 * (1 - 0.5) + 0.5),
      0.1,
      0.1 * 0.1,
      0.1 * 0.1,
      0.1 * 0.010000000000000002,
      0.1 * 0.010000000000000002,
    ]);
  });
  await t.test("a repeated milestone applies gamma twice; unsorted milestones are rejected", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new WarmupMultiStepLR({ optimizer, milestones: [1, 1], warmupIters: 0 });
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.010000000000000002);
    assert.throws(() => new WarmupMultiStepLR({ optimizer, milestones: [5, 3] }), {
      name: "RangeError",
      message: /increasing integers: got \[5, 3\] at index 1/,
    });
  });
  await t.test("defaults: gamma 0.1, warmup factor 0.001 over 1000 linear iterations", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new WarmupMultiStepLR({ optimizer, milestones: [] });
    assert.deepEqual([s.gamma, s.warmupFactor, s.warmupIters, s.warmupMethod], [
      0.1,
      0.001,
      1000,
      "linear",
    ]);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.001);
  });
  await t.test("stateDict/loadStateDict resume identically", () => {
    const make = () => {
      const optimizer = { paramGroups: [{ lr: 0.2 }, { lr: 0.1 }] };
      return {
        optimizer,
        s: new WarmupMultiStepLR({ optimizer, milestones: [10, 20], warmupIters: 5 }),
      };
    };
    const a = make();
    for (let i = 0; i < 8; i++) a.s.step();
    const b = make();
    b.s.loadStateDict(JSON.parse(JSON.stringify(a.s.stateDict())));
    for (let i = 0; i < 20; i++) {
      a.s.step();
      b.s.step();
      assert.deepEqual(b.s.getLastLr(), a.s.getLastLr());
    }
  });
});

test("WarmupCosineLR multiplies the half cosine by the warmup factor", () => {
  const optimizer = { paramGroups: [{ lr: 0.1 }] };
  const s = new WarmupCosineLR({ optimizer, maxIters: 10, warmupIters: 2, warmupFactor: 0.1 });
  assert.equal(optimizer.paramGroups[0]!.lr, 0.1 * 0.1 * 0.5 * (1 + Math.cos(0)));
  for (let i = 0; i < 10; i++) s.step();
  assert.equal(optimizer.paramGroups[0]!.lr, 0.1 * 1 * 0.5 * (1 + Math.cos(Math.PI)));
  s.step(); // past maxIters the cosine rises again, as upstream
  assert.ok(optimizer.paramGroups[0]!.lr > 0);
  assert.throws(() => new WarmupCosineLR({ optimizer, maxIters: 0 }), RangeError);
});

// ---- Defaults and branches: each case names the class and what it aims at ----

test("WarmupParamScheduler defaults", async (t) => {
  const main = new CosineParamScheduler({ startValue: 1, endValue: 0 });
  const s = new WarmupParamScheduler({ scheduler: main, warmupFactor: 0.1, warmupLength: 0.2 });
  await t.test("warmupMethod omitted: linear, from factor · at(0) to the warmup-end value", () => {
    const start = 0.1 * main.at(0);
    const end = main.at(0.2);
    for (const w of [0, 0.05, 0.1, 0.15]) {
      const u = w / 0.2;
      assert.equal(s.at(w), end * u + start * (1 - u), `where=${w}`);
    }
    assert.notEqual(s.at(0.1), start, "not the constant warmup");
  });
  await t.test("rescaleInterval omitted: false — the main schedule continues at the global where", () => {
    for (const w of [0.3, 0.5, 1]) assert.equal(s.at(w), main.at(w), `where=${w}`);
    const warmup = s.schedulers[0] as LinearParamScheduler;
    assert.equal(warmup.endValue, main.at(0.2), "warmup ends at main.at(warmupLength)");
  });
});

test("WarmupParamScheduler branches", async (t) => {
  const main = new LinearParamScheduler({ startValue: 1, endValue: 0.5 });
  await t.test("rescaleInterval: true — warmup ends at main.at(0), main rescaled after it", () => {
    const s = new WarmupParamScheduler({
      scheduler: main,
      warmupFactor: 0.1,
      warmupLength: 0.2,
      rescaleInterval: true,
    });
    assert.equal((s.schedulers[0] as LinearParamScheduler).endValue, main.at(0));
    assert.equal(s.at(0.6), main.at((0.6 - (1 - 0.8)) / 0.8));
  });
  await t.test("warmupMethod: constant — factor · main.at(0) throughout warmup", () => {
    const s = new WarmupParamScheduler({
      scheduler: main,
      warmupFactor: 0.1,
      warmupLength: 0.2,
      warmupMethod: "constant",
    });
    for (const w of [0, 0.1, 0.19]) assert.equal(s.at(w), 0.1 * main.at(0), `where=${w}`);
  });
  await t.test("warmupLength 0: no warmup from where = 0 on; below, fvcore's division by zero", () => {
    const s = new WarmupParamScheduler({ scheduler: main, warmupFactor: 0.1, warmupLength: 0 });
    assert.equal(s.at(0), main.at(0));
    assert.throws(() => s.at(-0.5), { message: /division by zero/ });
  });
  await t.test("errors name WarmupParamScheduler, also those of its composite", () => {
    assert.throws(
      () => new WarmupParamScheduler({ scheduler: main, warmupFactor: 0.1, warmupLength: 1e300 }),
      { message: /^WarmupParamScheduler: the sum of all values in `lengths`/ },
    );
  });
});

test("LRMultiplier defaults and branches", async (t) => {
  const cosine = new CosineParamScheduler({ startValue: 1, endValue: 0 });
  await t.test("lastIter omitted: -1 — a fresh start at iteration 0, initialLr recorded", () => {
    const optimizer = { paramGroups: [{ lr: 0.5 } as { lr: number; initialLr?: number }] };
    const s = new LRMultiplier({ optimizer, multiplier: cosine, maxIter: 4 });
    assert.equal(s.lastEpoch, 0);
    assert.equal(optimizer.paramGroups[0]!.initialLr, 0.5);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.5 * cosine.at(0));
  });
  await t.test("step(): a multiplier outside [-1, 1] takes the checked path, same values", () => {
    const optimizer = { paramGroups: [{ lr: 0.5 }] };
    const s = new LRMultiplier({
      optimizer,
      multiplier: new LinearParamScheduler({ startValue: 1, endValue: 4 }),
      maxIter: 4,
    });
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.5 * (4 * 0.25 + 1 * (1 - 0.25)));
  });
  await t.test("step(): a multiplier returning NaN throws before writing, naming LRMultiplier", () => {
    let value = 1;
    const optimizer = { paramGroups: [{ lr: 0.5 }] };
    const s = new LRMultiplier({ optimizer, multiplier: { at: () => value }, maxIter: 4 });
    value = NaN;
    assert.throws(() => s.step(), {
      name: "RangeError",
      message: "LRMultiplier: multiplier returned NaN at where=0.25, not a finite number",
    });
    assert.equal(optimizer.paramGroups[0]!.lr, 0.5);
    assert.equal(s.lastEpoch, 1, "lastEpoch has advanced, as in the base class");
  });
  await t.test("step(): verbose takes the base class's path (and prints)", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new LRMultiplier({ optimizer, multiplier: cosine, maxIter: 4 });
    s.verbose = true;
    const logged: unknown[] = [];
    const saved = console.log;
    console.log = (...args: unknown[]) => void logged.push(args);
    try {
      s.step();
    } finally {
      console.log = saved;
    }
    assert.equal(optimizer.paramGroups[0]!.lr, cosine.at(0.25));
    assert.equal(logged.length, 1);
  });
  await t.test("loadStateDict(): only the keys given are restored", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new LRMultiplier({ optimizer, multiplier: cosine, maxIter: 4 });
    s.loadStateDict({ baseLrs: [3] });
    assert.deepEqual([s.baseLrs, s.lastEpoch], [[3], 0]);
    s.loadStateDict({ lastEpoch: 2 });
    assert.deepEqual([s.baseLrs, s.lastEpoch], [[3], 2]);
    assert.throws(() => s.loadStateDict({ lastEpoch: -2 }), { message: /an integer >= -1/ });
  });
});

test("getWarmupFactorAtIter branches", async (t) => {
  await t.test("iter >= warmupIters: 1, from warmupIters itself on", () => {
    assert.equal(getWarmupFactorAtIter("linear", 1000, 1000, 0.001), 1);
    assert.equal(getWarmupFactorAtIter("linear", 999, 1000, 0.001), 0.001 * (1 - 0.999) + 0.999);
  });
  await t.test("linear: factor · (1 − alpha) + alpha, alpha = iter / warmupIters", () => {
    const alpha = 3 / 7;
    assert.equal(getWarmupFactorAtIter("linear", 3, 7, 0.25), 0.25 * (1 - alpha) + alpha);
  });
  await t.test("constant: the factor", () => {
    assert.equal(getWarmupFactorAtIter("constant", 0, 7, 0.25), 0.25);
  });
});

test("legacy warmup defaults (WarmupMultiStepLR, WarmupCosineLR): 0.001 over 1000 linear iterations, lastEpoch -1", async (t) => {
  for (
    const [name, make] of [
      [
        "WarmupMultiStepLR",
        (optimizer: Optimizer) => new WarmupMultiStepLR({ optimizer, milestones: [5000] }),
      ],
      [
        "WarmupCosineLR",
        (optimizer: Optimizer) => new WarmupCosineLR({ optimizer, maxIters: 5000 }),
      ],
    ] as const
  ) {
    await t.test(name, () => {
      const optimizer = { paramGroups: [{ lr: 1 }] };
      const s = make(optimizer);
      assert.equal(s.lastEpoch, 0, "a fresh start");
      assert.equal(optimizer.paramGroups[0]!.lr, 0.001, "iteration 0: the warmup factor");
      for (let i = 0; i < 500; i++) s.step();
      const cos = name === "WarmupCosineLR" ? 0.5 * (1 + Math.cos(Math.PI * 500 / 5000)) : 1;
      assert.equal(optimizer.paramGroups[0]!.lr, (0.001 * (1 - 0.5) + 0.5) * cos, "linear ramp");
      for (let i = 500; i < 1000; i++) s.step();
      const end = name === "WarmupCosineLR" ? 0.5 * (1 + Math.cos(Math.PI * 1000 / 5000)) : 1;
      assert.equal(optimizer.paramGroups[0]!.lr, end, "warmup over at 1000");
    });
  }
});

test("WarmupMultiStepLR branches", async (t) => {
  await t.test("gamma omitted: 0.1", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new WarmupMultiStepLR({ optimizer, milestones: [1], warmupIters: 0 });
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
  });
  await t.test("gamma changed after construction (a loaded state): powers recomputed", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new WarmupMultiStepLR({ optimizer, milestones: [1, 2], warmupIters: 0 });
    s.step();
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.010000000000000002);
    s.gamma = 0.5;
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.25);
  });
  await t.test("equal milestones are allowed (non-decreasing), as detectron2", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    assert.doesNotThrow(() => new WarmupMultiStepLR({ optimizer, milestones: [2, 2, 3] }));
  });
});
