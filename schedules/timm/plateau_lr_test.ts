import { test } from "node:test";
import assert from "node:assert/strict";
import { type Optimizer, PlateauLRScheduler, TorchGenerator } from "../../mod.ts";
import { sgd } from "../../testing/schedulers.ts";

// Expected values were produced by timm's PlateauLRScheduler (torch 1.13's ReduceLROnPlateau);
// they are plain IEEE arithmetic and torch draws, the same on every runtime.

const lrs = (o: Optimizer) => o.paramGroups.map((g) => g.lr);

function run(o: Optimizer, s: PlateauLRScheduler, calls: [number, number | null][]): number[][] {
  return calls.map(([epoch, metric]) => {
    s.step(epoch, metric);
    return lrs(o);
  });
}

test("PlateauLRScheduler: defaults", async (t) => {
  await t.test("mode default max: a larger metric is an improvement", () => {
    const optimizer = sgd(0.1);
    const s = new PlateauLRScheduler({ optimizer, patienceT: 0 });
    assert.equal(s.lrScheduler.mode, "max");
    run(optimizer, s, [[1, 0.5], [2, 0.6], [3, 0.7]]);
    assert.deepEqual(lrs(optimizer), [0.1]);
    run(optimizer, s, [[4, 0.7]]);
    assert.deepEqual(lrs(optimizer), [0.1 * 0.1]); // decayRate default 0.1
  });
  await t.test("patienceT default 10, threshold 1e-4, cooldownT 0, lrMin 0", () => {
    const s = new PlateauLRScheduler({ optimizer: sgd(0.1) });
    const p = s.lrScheduler;
    assert.deepEqual([p.patience, p.threshold, p.cooldown, p.minLrs, p.factor], [
      10,
      1e-4,
      0,
      [0],
      0.1,
    ]);
  });
  await t.test("warmupT 0: step(0) sets warmupLrInit (0) — timm's train.py steps from epoch 1", () => {
    const optimizer = sgd(0.1);
    const s = new PlateauLRScheduler({ optimizer });
    assert.deepEqual(lrs(optimizer), [0.1]);
    s.step(0, 1.0);
    assert.deepEqual(lrs(optimizer), [0]);
  });
  await t.test("noiseSeed default null: 42; noiseType default normal", () => {
    const s = new PlateauLRScheduler({ optimizer: sgd(0.1), noiseRangeT: 0 });
    assert.equal(s.noiseSeed, 42);
    assert.equal(s.noiseType, "normal");
  });
  await t.test("no tInEpochs option; stepUpdate does nothing", () => {
    assert.throws(
      () => new PlateauLRScheduler({ optimizer: sgd(0.1), tInEpochs: true } as never),
      TypeError,
    );
    const optimizer = sgd(0.1);
    const s = new PlateauLRScheduler({ optimizer });
    s.stepUpdate(5, 1.0);
    assert.deepEqual(lrs(optimizer), [0.1]);
    assert.throws(() => s.getLr(3), /should not be called/);
  });
});

test("PlateauLRScheduler: branches", async (t) => {
  await t.test("warmup: epoch <= warmupT is linear; then the plateau scheduler on the metric", () => {
    const optimizer = sgd(0.1);
    const s = new PlateauLRScheduler({
      optimizer,
      patienceT: 1,
      mode: "min",
      warmupT: 2,
      warmupLrInit: 0.01,
    });
    assert.deepEqual(lrs(optimizer), [0.01]);
    const out = run(optimizer, s, [[0, 1.0], [1, 0.9], [2, 0.9], [3, 0.9], [4, 0.9], [5, 0.9]]);
    assert.deepEqual(out, [[0.01], [0.05500000000000001], [0.1], [0.1], [0.1], [
      0.010000000000000002,
    ]]);
    assert.deepEqual(s.stateDict(), { best: 0.9, lastEpoch: 3 });
  });
  await t.test("a null metric does not step the plateau scheduler", () => {
    const optimizer = sgd(0.1);
    const s = new PlateauLRScheduler({ optimizer, patienceT: 0 });
    run(optimizer, s, [[1, 0.5], [2, null], [3, null], [4, null]]);
    assert.equal(s.lrScheduler.lastEpoch, 1);
    assert.deepEqual(lrs(optimizer), [0.1]);
  });
  await t.test("noise on top of the plateau rate, undone before the next plateau step", () => {
    const optimizer = sgd(0.1);
    const s = new PlateauLRScheduler({
      optimizer,
      patienceT: 0,
      mode: "min",
      noiseRangeT: 2,
      noisePct: 0.5,
    });
    const out = run(optimizer, s, [[1, 1.0], [2, 1.0], [3, 1.0], [4, 1.0], [5, 1.0]]);
    assert.deepEqual(out, [
      [0.1],
      [0.010589450262486937],
      [0.0010311757586896422],
      [8.681762814521792e-05],
      [1.3524523973464971e-05],
    ]);
    assert.deepEqual(s.restoreLr, [0.000010000000000000004]);
  });
  await t.test("uniform noise: 2 · (rand − 0.5) · noisePct", () => {
    const optimizer = sgd(0.2);
    const s = new PlateauLRScheduler({
      optimizer,
      noiseRangeT: 0,
      noiseType: "uniform",
      noisePct: 0.5,
    });
    s.step(3, null);
    const u = new TorchGenerator().manualSeed(45).rand();
    assert.deepEqual(lrs(optimizer), [0.2 + 0.2 * (2 * (u - 0.5) * 0.5)]);
  });
  await t.test("lrScale applies to the warmup (update_groups), not to the plateau's own reductions", () => {
    const optimizer: Optimizer = { paramGroups: [{ lr: 0.1, lrScale: 0.5 }] };
    const s = new PlateauLRScheduler({ optimizer, warmupT: 1, patienceT: 0, mode: "min" });
    s.step(1, 1.0);
    assert.deepEqual(lrs(optimizer), [0.05]);
    run(optimizer, s, [[2, 1.0], [3, 1.0]]);
    assert.deepEqual(lrs(optimizer), [0.05 * 0.1]);
  });
  await t.test("stateDict holds best and lastEpoch only; loadStateDict restores them", () => {
    const a = new PlateauLRScheduler({ optimizer: sgd(0.1), mode: "min" });
    a.step(1, 0.8);
    const state = JSON.parse(JSON.stringify(a.stateDict()));
    const b = new PlateauLRScheduler({ optimizer: sgd(0.1), mode: "min" });
    b.loadStateDict(state);
    assert.deepEqual([b.lrScheduler.best, b.lrScheduler.lastEpoch], [0.8, 1]);
    const fresh = new PlateauLRScheduler({ optimizer: sgd(0.1), mode: "min" });
    fresh.loadStateDict(JSON.parse(JSON.stringify(fresh.stateDict()))); // best Infinity → null
    assert.equal(fresh.lrScheduler.best, Infinity);
    fresh.loadStateDict({ best: 0.5 }); // lastEpoch is optional
    assert.deepEqual([fresh.lrScheduler.best, fresh.lrScheduler.lastEpoch], [0.5, 0]);
    assert.throws(() => fresh.loadStateDict({ best: "x" }), TypeError);
  });
});

test("PlateauLRScheduler: torch's errors", () => {
  assert.throws(
    () => new PlateauLRScheduler({ optimizer: sgd(0.1), decayRate: 1.0 }),
    /Factor should be < 1.0/,
  );
  assert.throws(
    () => new PlateauLRScheduler({ optimizer: sgd(0.1), mode: "sideways" as never }),
    /mode is unknown/,
  );
  assert.throws(
    () => new PlateauLRScheduler({ optimizer: sgd(0.1, 0.2), lrMin: [0] }),
    /expected 2 values/,
  );
});
