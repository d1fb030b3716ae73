import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CosineLRScheduler,
  createSchedulerV2,
  MultiStepLRScheduler,
  PlateauLRScheduler,
  PolyLRScheduler,
  schedulerKwargs,
  StepLRScheduler,
  TanhLRScheduler,
} from "../../mod.ts";
import { sgd } from "../../testing/schedulers.ts";

// Epoch counts and scheduler attributes were produced by timm's create_scheduler_v2.

test("createSchedulerV2: defaults", async (t) => {
  await t.test("sched cosine over 300 epochs, warmup_lr 1e-5 (unused: warmupEpochs 0), cycleDecay 0.1", () => {
    const optimizer = sgd(0.1);
    const [s, numEpochs] = createSchedulerV2({ optimizer });
    assert.ok(s instanceof CosineLRScheduler);
    assert.equal(numEpochs, 300);
    assert.deepEqual(
      [s.tInitial, s.lrMin, s.warmupT, s.warmupLrInit, s.warmupPrefix, s.tInEpochs],
      [300, 0, 0, 1e-5, false, true],
    );
    assert.deepEqual([s.cycleMul, s.cycleDecay, s.cycleLimit, s.kDecay], [1, 0.1, 1, 1]);
    assert.deepEqual([s.noiseRangeT, s.noisePct, s.noiseStd, s.noiseSeed], [null, 0.67, 1, 42]);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
  });
  await t.test("step: decayEpochs 90, decayRate 0.1; multistep: milestones [90, 180, 270]", () => {
    const [step] = createSchedulerV2({ optimizer: sgd(0.1), sched: "step" });
    assert.ok(step instanceof StepLRScheduler);
    assert.deepEqual([step.decayT, step.decayRate], [90, 0.1]);
    const [ms] = createSchedulerV2({ optimizer: sgd(0.1), sched: "multistep" });
    assert.ok(ms instanceof MultiStepLRScheduler);
    assert.deepEqual(ms.decayT, [90, 180, 270]);
  });
  await t.test("plateau: patienceEpochs 10, mode max, cooldown 0", () => {
    const [p] = createSchedulerV2({ optimizer: sgd(0.1), sched: "plateau" });
    assert.ok(p instanceof PlateauLRScheduler);
    const r = p.lrScheduler;
    assert.deepEqual([r.patience, r.mode, r.cooldown, r.factor], [10, "max", 0, 0.1]);
  });
});

test("createSchedulerV2: branches", async (t) => {
  await t.test("cycle schedulers: epochs = cycle length (+ warmup prefix) + cooldown", () => {
    const e = (o: object) => createSchedulerV2({ optimizer: sgd(0.1), ...o })[1];
    assert.equal(e({ numEpochs: 10, warmupEpochs: 2, warmupPrefix: true, cooldownEpochs: 3 }), 15);
    assert.equal(e({ sched: "tanh", numEpochs: 10, cycleLimit: 2, cycleMul: 1.5 }), 25);
    assert.equal(e({ sched: "poly", numEpochs: 10, cooldownEpochs: 4 }), 14);
  });
  await t.test("per update: t scaled by updatesPerEpoch, epochs floored back", () => {
    const [s, numEpochs] = createSchedulerV2({
      optimizer: sgd(0.1),
      numEpochs: 10,
      stepOnEpochs: false,
      updatesPerEpoch: 7,
      cooldownEpochs: 1,
      warmupEpochs: 2,
    });
    assert.equal(numEpochs, 11); // (70 + 7) // 7
    assert.ok(s instanceof CosineLRScheduler);
    assert.deepEqual([s.tInitial, s.warmupT, s.tInEpochs], [70, 14, false]);
    const [st] = createSchedulerV2({
      optimizer: sgd(0.1),
      sched: "step",
      decayEpochs: 2.5,
      stepOnEpochs: false,
      updatesPerEpoch: 4,
    });
    assert.equal((st as StepLRScheduler).decayT, 10);
    const [ms] = createSchedulerV2({
      optimizer: sgd(0.1),
      sched: "multistep",
      decayMilestones: [3, 6],
      stepOnEpochs: false,
      updatesPerEpoch: 4,
    });
    assert.deepEqual((ms as MultiStepLRScheduler).decayT, [12, 24]);
  });
  await t.test("non-cycle schedulers: numEpochs, + warmupEpochs with warmupPrefix", () => {
    assert.equal(
      createSchedulerV2({ optimizer: sgd(0.1), sched: "step", numEpochs: 10, warmupEpochs: 2 })[1],
      10,
    );
    assert.equal(
      createSchedulerV2({
        optimizer: sgd(0.1),
        sched: "step",
        numEpochs: 10,
        warmupEpochs: 2,
        warmupPrefix: true,
      })[1],
      12,
    );
  });
  await t.test("noise: fractions of tInitial; a one-entry list is a start", () => {
    const [a] = createSchedulerV2({
      optimizer: sgd(0.1),
      numEpochs: 10,
      noise: [0.3],
      stepOnEpochs: false,
      updatesPerEpoch: 4,
    });
    assert.equal(a!.noiseRangeT, 12); // timm: 12.0
    const [b] = createSchedulerV2({ optimizer: sgd(0.1), numEpochs: 10, noise: [0.25, 0.75] });
    assert.deepEqual(b!.noiseRangeT, [2.5, 7.5]);
    const [c] = createSchedulerV2({ optimizer: sgd(0.1), numEpochs: 10, noise: 0.5 });
    assert.equal(c!.noiseRangeT, 5);
  });
  await t.test("poly takes decayRate as its power; tanh gets no kDecay; plateau no warmupPrefix", () => {
    const [p] = createSchedulerV2({ optimizer: sgd(0.1), sched: "poly", decayRate: 2.0 });
    assert.ok(p instanceof PolyLRScheduler);
    assert.deepEqual([p.power, p.cycleDecay], [2, 0.1]);
    const [t2] = createSchedulerV2({ optimizer: sgd(0.1), sched: "tanh", kDecay: 3 });
    assert.ok(t2 instanceof TanhLRScheduler);
    const [pl] = createSchedulerV2({ optimizer: sgd(0.1), sched: "plateau", warmupPrefix: true });
    assert.ok(pl instanceof PlateauLRScheduler);
  });
  await t.test("an unknown sched: no scheduler (timm returns None), epochs as for step", () => {
    const optimizer = sgd(0.1);
    const [s, n] = createSchedulerV2({
      optimizer,
      sched: "nope",
      numEpochs: 10,
      warmupEpochs: 2,
      warmupPrefix: true,
    });
    assert.deepEqual([s, n], [null, 12]);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
  });
});

test("createSchedulerV2: timm's assertions", () => {
  assert.throws(
    () => createSchedulerV2({ optimizer: sgd(0.1), stepOnEpochs: false }),
    /updates_per_epoch must be set to number of dataloader batches/,
  );
  assert.throws(
    () =>
      createSchedulerV2({
        optimizer: sgd(0.1),
        sched: "plateau",
        stepOnEpochs: false,
        updatesPerEpoch: 5,
      }),
    /Plateau LR only supports step per epoch\./,
  );
  assert.throws(
    () => createSchedulerV2({ optimizer: sgd(0.1), num_epochs: 5 } as never),
    /did you mean `numEpochs`/,
  );
});

test("schedulerKwargs", async (t) => {
  await t.test("missing keys take timm's getattr fallbacks (not train.py's defaults)", () => {
    assert.deepEqual(schedulerKwargs({ sched: "step" }), {
      sched: "step",
      numEpochs: 100,
      decayEpochs: 30,
      decayMilestones: [30, 60],
      warmupEpochs: 5,
      cooldownEpochs: 0,
      patienceEpochs: 10,
      decayRate: 0.1,
      minLr: 0,
      warmupLr: 1e-5,
      warmupPrefix: false,
      noise: null,
      noisePct: 0.67,
      noiseStd: 1,
      noiseSeed: 42,
      cycleMul: 1,
      cycleDecay: 0.1,
      cycleLimit: 1,
      kDecay: 1,
      plateauMode: "max",
      stepOnEpochs: true,
    });
  });
  await t.test("args keys map to keywords; sched_on_updates → stepOnEpochs false", () => {
    const k = schedulerKwargs({
      sched: "cosine",
      epochs: 300,
      lr_noise: [0.4, 0.9],
      seed: 7,
      lr_cycle_decay: 0.5,
      sched_on_updates: true,
    });
    assert.deepEqual([k.numEpochs, k.noise, k.noiseSeed, k.cycleDecay, k.stepOnEpochs], [
      300,
      [0.4, 0.9],
      7,
      0.5,
      false,
    ]);
  });
  await t.test("plateauMode: decreasingMetric when given, else 'loss' in eval_metric", () => {
    assert.equal(schedulerKwargs({ sched: "plateau", eval_metric: "val_loss" }).plateauMode, "min");
    assert.equal(schedulerKwargs({ sched: "plateau", eval_metric: "top5" }).plateauMode, "max");
    assert.equal(
      schedulerKwargs({ sched: "plateau", eval_metric: "loss" }, false).plateauMode,
      "max",
    );
    assert.equal(
      schedulerKwargs({ sched: "plateau", eval_metric: "top1" }, true).plateauMode,
      "min",
    );
  });
  await t.test("no sched: timm's AttributeError; a wrong type is named", () => {
    assert.throws(() => schedulerKwargs({ epochs: 10 }), /no attribute 'sched'/);
    assert.throws(
      () => schedulerKwargs({ sched: "cosine", epochs: "10" }),
      /`epochs` must be a number/,
    );
  });
});
