import { test } from "node:test";
import assert from "node:assert/strict";
import { getGreedySchedule, GreedyLR, type Optimizer, StreamingAverage } from "../../mod.ts";

// Expected values were printed by transformers 5.17.0's own GreedyLR (optimization.py) on the
// same metrics; every value here is plain IEEE arithmetic (factors of 0.5).

function opt(...lrs: number[]): Optimizer {
  return { paramGroups: lrs.map((lr) => ({ lr })) };
}

/** lr of group 0 after construction and after `step(m)` for each metric. */
function run(s: GreedyLR, metrics: number[]): number[] {
  const out = [s.optimizer.paramGroups[0]!.lr];
  for (const m of metrics) {
    s.step(m);
    out.push(s.optimizer.paramGroups[0]!.lr);
  }
  return out;
}

test("GreedyLR defaults", async (t) => {
  await t.test("every option's upstream default", () => {
    const s = new GreedyLR({ optimizer: opt(0.1, 0.2) });
    const state = s.stateDict();
    assert.deepEqual(
      {
        factor: state.factor,
        patience: state.patience,
        threshold: state.threshold,
        thresholdMode: state.thresholdMode,
        cooldown: state.cooldown,
        warmup: state.warmup,
        minLrs: state.minLrs,
        maxLrs: state.maxLrs,
        eps: state.eps,
        verbose: state.verbose,
        smooth: state.smooth,
        windowSize: state.windowSize,
        resetStart: state.resetStart,
        mode: state.mode,
        best: state.best,
        lastEpoch: state.lastEpoch,
      },
      {
        factor: 0.95,
        patience: 10,
        threshold: 1e-6,
        thresholdMode: "abs",
        cooldown: 0,
        warmup: 0,
        minLrs: [1e-3, 1e-3],
        maxLrs: [1.0, 1.0],
        eps: 1e-8,
        verbose: false,
        smooth: false,
        windowSize: 50,
        resetStart: 500,
        mode: "min",
        best: Infinity,
        lastEpoch: 0,
      },
    );
    assert.equal(state._streamingAvg, undefined, "no smoothing window unless smooth");
  });
  await t.test("patience 10 and factor 0.95: the 11th improvement divides by 0.95", () => {
    const o = opt(0.1);
    const s = new GreedyLR({ optimizer: o });
    const lrs = run(s, Array.from({ length: 11 }, (_, i) => 1 - i * 0.01));
    assert.deepEqual(lrs.slice(0, 11), new Array(11).fill(0.1));
    assert.equal(lrs[11], Math.min(0.1 / 0.95, 1.0));
  });
  await t.test("no step before the first metric: getLastLr is the initial lrs", () => {
    assert.deepEqual(new GreedyLR({ optimizer: opt(0.3) }).getLastLr(), [0.3]);
  });
});

test("GreedyLR branches", async (t) => {
  await t.test("increase after more than `patience` improvements, capped at maxLr", () => {
    const s = new GreedyLR({
      optimizer: opt(0.1),
      factor: 0.5,
      patience: 1,
      minLr: 0.01,
      maxLr: 0.4,
    });
    assert.deepEqual(run(s, [1.0, 0.9, 0.8, 0.7, 0.6, 0.5]), [0.1, 0.1, 0.2, 0.2, 0.4, 0.4, 0.4]);
  });
  await t.test("reduce after more than `patience` plateau steps, floored at minLr", () => {
    const s = new GreedyLR({
      optimizer: opt(0.1),
      factor: 0.5,
      patience: 1,
      minLr: 0.01,
      maxLr: 0.4,
      resetStart: 2,
    });
    assert.deepEqual(
      run(s, [1.0, 0.9, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]),
      [0.1, 0.1, 0.2, 0.2, 0.4, 0.4, 0.2, 0.2, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125],
    );
  });
  await t.test("reset: after resetStart reductions with every group at minLr", () => {
    const s = new GreedyLR({
      optimizer: opt(0.1),
      factor: 0.5,
      patience: 0,
      minLr: 0.05,
      resetStart: 2,
    });
    assert.deepEqual(run(s, new Array(7).fill(1.0)), [0.1, 0.2, 0.1, 0.05, 0.1, 0.2, 0.1, 0.05]);
  });
  await t.test("reset with smoothing: the window starts empty again", () => {
    // transformers 5.17's own GreedyLR (torch 2.13 SGD, one group at lr 0.1) on these metrics:
    // a reset that kept the old window would fall at 0.1 after step 14 instead of rising.
    const s = new GreedyLR({
      optimizer: opt(0.1),
      factor: 0.5,
      patience: 0,
      minLr: 0.05,
      resetStart: 2,
      smooth: true,
      windowSize: 3,
    });
    const metrics = [1, 1, 1, 1, 1, 3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 5, 5, 0.1, 0.1, 0.1];
    assert.deepEqual(
      run(s, metrics),
      [0.1, 0.2, 0.1, 0.05, 0.1, 0.2, 0.1, 0.05, 0.1, 0.2, 0.1, 0.05, 0.1, 0.2, 0.1, 0.2, 0.4, 0.8],
    );
  });
  await t.test("an increase restores resetStart", () => {
    const s = new GreedyLR({
      optimizer: opt(0.1),
      factor: 0.5,
      patience: 0,
      minLr: 0.05,
      resetStart: 2,
    });
    run(s, [1.0, 1.0, 1.0]); // up, down, down to the minimum: resetStart 1
    assert.equal(s.resetStart, 1);
    s.step(0.5); // an improvement: up again
    assert.equal(s.resetStart, 2);
  });
  await t.test("cooldown after a reduction and warmup after an increase skip the counting", () => {
    const s = new GreedyLR({
      optimizer: opt(0.1),
      factor: 0.5,
      patience: 0,
      cooldown: 2,
      warmup: 1,
      minLr: 0,
    });
    assert.deepEqual(
      run(s, [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.4, 0.3]),
      [0.1, 0.2, 0.2, 0.1, 0.1, 0.1, 0.2, 0.2, 0.4],
    );
  });
  await t.test("mode max", () => {
    const s = new GreedyLR({
      optimizer: opt(0.1),
      mode: "max",
      factor: 0.5,
      patience: 0,
      minLr: 0,
    });
    assert.deepEqual(run(s, [1.0, 2.0, 2.0, 3.0]), [0.1, 0.2, 0.4, 0.2, 0.4]);
  });
  await t.test("smooth: the streaming average is compared; threshold mode rel", () => {
    const s = new GreedyLR({
      optimizer: opt(0.1),
      factor: 0.5,
      patience: 0,
      smooth: true,
      windowSize: 2,
      thresholdMode: "rel",
      threshold: 0.1,
    });
    assert.deepEqual(run(s, [1.0, 0.95, 0.5, 0.5, 0.6, 2.0]), [0.1, 0.2, 0.1, 0.2, 0.4, 0.2, 0.1]);
  });
  await t.test("isBetter: the four mode/threshold combinations", () => {
    const make = (mode: "min" | "max", thresholdMode: "rel" | "abs") =>
      new GreedyLR({ optimizer: opt(0.1), mode, thresholdMode, threshold: 0.1 });
    assert.equal(make("min", "rel").isBetter(0.89, 1), true);
    assert.equal(make("min", "rel").isBetter(0.9, 1), false);
    assert.equal(make("min", "abs").isBetter(0.89, 1), true);
    assert.equal(make("min", "abs").isBetter(0.95, 1), false);
    assert.equal(make("max", "rel").isBetter(1.11, 1), true);
    assert.equal(make("max", "rel").isBetter(1.1, 1), false);
    assert.equal(make("max", "abs").isBetter(1.11, 1), true);
    assert.equal(make("max", "abs").isBetter(1.05, 1), false);
  });
  await t.test("a change of no more than eps is skipped", () => {
    const s = new GreedyLR({ optimizer: opt(0.1), factor: 0.5, patience: 0, eps: 0.2, minLr: 0 });
    s.step(1.0);
    assert.equal(s.optimizer.paramGroups[0]!.lr, 0.1, "0.2 − 0.1 is not > 0.2");
  });
  await t.test("per-group minLr and maxLr lists", () => {
    const o = opt(0.1, 0.1);
    const s = new GreedyLR({ optimizer: o, factor: 0.5, patience: 0, maxLr: [0.15, 1] });
    s.step(1);
    assert.deepEqual(o.paramGroups.map((g) => g.lr), [0.15, 0.2]);
  });
  await t.test("epoch: recorded as lastEpoch; lastEpoch + 1 by default", () => {
    const s = new GreedyLR({ optimizer: opt(0.1) });
    s.step(1);
    assert.equal(s.lastEpoch, 1);
    s.step(1, 10);
    assert.equal(s.lastEpoch, 10);
  });
  await t.test("verbose prints each change as upstream", () => {
    const logged: string[] = [];
    const original = console.log;
    console.log = (line: string) => logged.push(line);
    try {
      const s = new GreedyLR({
        optimizer: opt(0.1),
        factor: 0.5,
        patience: 0,
        minLr: 0.05,
        resetStart: 1,
        verbose: true,
      });
      run(s, [1.0, 1.0, 1.0]);
    } finally {
      console.log = original;
    }
    assert.deepEqual(logged, [
      "Epoch 1: increasing learning rate of group 0 to 2.0000e-01.",
      "Epoch 2: reducing learning rate of group 0 to 1.0000e-01.",
      "Epoch 3: reducing learning rate of group 0 to 5.0000e-02.",
      "Scheduler reset to initial state.",
    ]);
  });
});

test("GreedyLR errors, in upstream's order", () => {
  assert.throws(() => new GreedyLR({ optimizer: opt(0.1), factor: 1.0 }), {
    name: "RangeError",
    message: /Factor should be < 1\.0\./,
  });
  assert.throws(() => new GreedyLR({ optimizer: {} as never, factor: 1.5 }), RangeError);
  assert.throws(() => new GreedyLR({ optimizer: {} as never }), TypeError);
  assert.throws(() => new GreedyLR({ optimizer: opt(0.1, 0.2), minLr: [0.1] }), {
    name: "RangeError",
    message: /expected 2 min_lrs, got 1/,
  });
  assert.throws(() => new GreedyLR({ optimizer: opt(0.1), maxLr: [0.1, 1] }), {
    name: "RangeError",
    message: /expected 1 max_lrs, got 2/,
  });
  assert.throws(() => new GreedyLR({ optimizer: opt(0.1), mode: "median" as never }), {
    name: "RangeError",
    message: /mode is unknown/,
  });
  assert.throws(() => new GreedyLR({ optimizer: opt(0.1), thresholdMode: "log" as never }), {
    name: "RangeError",
    message: /threshold mode is unknown/,
  });
  assert.throws(() => new GreedyLR({ optimizer: opt(0.1), patience: 1.5 }), RangeError);
  assert.throws(() => new GreedyLR({ optimizer: opt(0.1), min_lr: 0 } as never), TypeError);
  const zero = new GreedyLR({ optimizer: opt(0.1), factor: 0, patience: 0 });
  assert.throws(() => zero.step(1), { name: "RangeError", message: /ZeroDivisionError/ });
  assert.throws(() => new GreedyLR({ optimizer: opt(0.1) }).step("1" as never), TypeError);
});

test("GreedyLR state dict: a JSON checkpoint resumes bit for bit", () => {
  const make = () =>
    new GreedyLR({
      optimizer: opt(0.1, 0.3),
      factor: 0.7,
      patience: 1,
      smooth: true,
      windowSize: 3,
    });
  const metrics = [1, 0.9, 0.95, 0.97, 0.96, 0.8, 0.7, 0.72, 0.71, 0.73, 0.6, 0.61, 0.62];
  const a = make();
  for (const m of metrics.slice(0, 5)) a.step(m);
  const state = JSON.parse(JSON.stringify(a.stateDict()));
  const b = make();
  b.loadStateDict(state);
  assert.deepEqual(b.optimizer.paramGroups, a.optimizer.paramGroups, "_lastLr written back");
  for (const m of metrics.slice(5)) {
    a.step(m);
    b.step(m);
    assert.deepEqual(b.getLastLr(), a.getLastLr());
  }
  assert.deepEqual(b.stateDict(), a.stateDict());
  const fresh = new GreedyLR({ optimizer: opt(0.1) });
  fresh.loadStateDict(JSON.parse(JSON.stringify(fresh.stateDict())));
  assert.equal(fresh.best, Infinity, "a null best (JSON's Infinity) is the mode's worst");
  assert.throws(() => fresh.loadStateDict({ bogus: 1 }), TypeError);
});

test("getGreedySchedule is GreedyLR(optimizer, **kwargs)", () => {
  const s = getGreedySchedule({ optimizer: opt(0.1), factor: 0.5, patience: 0, minLr: 0 });
  assert.ok(s instanceof GreedyLR);
  s.step(1);
  assert.deepEqual(s.getLastLr(), [0.2]);
});

test("StreamingAverage", async (t) => {
  await t.test("running sum over the window, as upstream adds and subtracts", () => {
    const avg = new StreamingAverage(3);
    assert.deepEqual([0.1, 0.2, 0.3, 0.4, 0.5].map((v) => avg.streamavg(v)), [
      0.1,
      0.15000000000000002,
      0.20000000000000004,
      0.3,
      0.39999999999999997,
    ]);
    assert.deepEqual(avg.stateDict(), { windowSize: 3, values: [0.3, 0.4, 0.5], sum: 1.2 });
  });
  await t.test("a window of 0 divides by zero (Python ZeroDivisionError)", () => {
    assert.throws(() => new StreamingAverage(0).streamavg(1), RangeError);
    assert.throws(() => new StreamingAverage(-1), RangeError);
  });
  await t.test("loadStateDict keeps what the state lacks", () => {
    const avg = new StreamingAverage(2);
    avg.loadStateDict({ values: [1, 2], sum: 3 });
    assert.equal(avg.windowSize, 2);
    assert.equal(avg.streamavg(3), 2.5);
  });
});
