import { test } from "node:test";
import assert from "node:assert/strict";
import { createSchedulerV2, explainTimmSchedule, timmTrainSchedule } from "../../mod.ts";
import { libm } from "../math.ts";

// The lr_base rule is timm train.py's (commit aa4b585, lines 837–845).

test("timmTrainSchedule: the learning rate", async (t) => {
  await t.test("args.lr set: used as it is", () => {
    const s = timmTrainSchedule({ sched: "cosine", lr: 0.4, batch_size: 1024 });
    assert.equal(s.lr, 0.4);
    assert.equal(s.lrRule.lr, 0.4);
  });
  await t.test("lr unset: lr_base · global batch / lr_base_size, linear for sgd", () => {
    const s = timmTrainSchedule({ lr: null, lr_base: 0.1, batch_size: 128, grad_accum_steps: 2 }, {
      worldSize: 4,
    });
    assert.equal(s.lrRule.globalBatchSize, 1024);
    assert.equal(s.lr, 0.1 * (1024 / 256));
    assert.equal(s.lrRule.lrBaseScale, "linear");
  });
  await t.test("lr 0 counts as unset (Python's `not args.lr`)", () => {
    assert.equal(timmTrainSchedule({ lr: 0, batch_size: 512 }).lr, 0.2);
  });
  await t.test("sqrt scaling for optimizers named ada* or lamb, or when asked", () => {
    for (const opt of ["adamw", "AdaBelief", "lamb", "nvnovograd_lamb"]) {
      const s = timmTrainSchedule({ lr: null, opt, batch_size: 64, lr_base: 5e-4 });
      assert.equal(s.lr, 5e-4 * libm.pow(64 / 256, 0.5), opt);
      assert.equal(s.lrRule.lrBaseScale, "sqrt");
    }
    const sgdSqrt = timmTrainSchedule({
      lr: null,
      opt: "sgd",
      lr_base_scale: "sqrt",
      batch_size: 64,
    });
    assert.equal(sgdSqrt.lr, 0.1 * libm.pow(0.25, 0.5));
    const lin = timmTrainSchedule({
      lr: null,
      opt: "adamw",
      lr_base_scale: "linear",
      batch_size: 64,
    });
    assert.equal(lin.lr, 0.1 * 0.25);
  });
  await t.test("train.py's defaults fill a partial args.yaml: batch 128, lr_base 0.1, 300 epochs", () => {
    const s = timmTrainSchedule({});
    assert.equal(s.lr, 0.05);
    assert.equal(s.numEpochs, 300);
    assert.equal(s.kwargs.cycleDecay, 0.5); // train.py's --lr-cycle-decay default
  });
});

test("timmTrainSchedule: a negative learning rate is refused, as torch's optimizers do", () => {
  assert.throws(() => timmTrainSchedule({ sched: "cosine", lr: -0.1 }), {
    name: "RangeError",
    message:
      "timmTrainSchedule: `args.lr` gives a negative learning rate: -0.1 (torch's optimizers raise ValueError: Invalid learning rate: -0.1)",
  });
  assert.throws(
    () => timmTrainSchedule({ sched: "cosine", lr: null, lr_base: -1e308, batch_size: 256 }),
    /`args.lr_base` gives a negative learning rate: -1e\+308/,
  );
  // Zero is a learning rate torch accepts (the lr_base rule applies when `lr` is 0).
  assert.equal(timmTrainSchedule({ sched: "cosine", lr: null, lr_base: 0 }).lr, 0);
});

test("timmTrainSchedule: a run too long to hold is refused before anything is allocated", () => {
  assert.throws(
    () => timmTrainSchedule({ sched: "cosine", epochs: 10, cooldown_epochs: 2147483648 }),
    {
      name: "RangeError",
      message:
        "timmTrainSchedule: 2147483658 epochs make 2147483658 rows (`args.epochs` + `args.cooldown_epochs`); lrspec computes timm's schedule row by row in memory, up to 20000000 rows",
    },
  );
  assert.throws(
    () =>
      timmTrainSchedule({ sched: "cosine", epochs: 40_000, sched_on_updates: true }, {
        updatesPerEpoch: 626,
      }),
    /40000 epochs of 626 updates make 25040000 rows/,
  );
});

test("timmTrainSchedule: groups", async (t) => {
  await t.test("a weight decay makes two groups (no decay, decay), both at lr", () => {
    const s = timmTrainSchedule({ lr: 0.1, weight_decay: 0.05 });
    assert.deepEqual(s.groups, [{ lr: 0.1, weightDecay: 0 }, { lr: 0.1, weightDecay: 0.05 }]);
    assert.equal(s.lrs.length, 2);
  });
  await t.test("weight_decay 0: one group; lrScales: one group per scale", () => {
    assert.equal(timmTrainSchedule({ lr: 0.1, weight_decay: 0 }).groups.length, 1);
    const s = timmTrainSchedule({ lr: 0.1, epochs: 5, warmup_epochs: 0 }, { lrScales: [0.5, 1] });
    assert.deepEqual(s.groups.map((g) => g.lrScale), [0.5, 1]);
    assert.deepEqual([s.lrs[0]![0], s.lrs[1]![0]], [0.05, 0.1]);
  });
  await t.test("lrScales: []: no parameter group, refused as torch's optimizer refuses it", () => {
    assert.throws(
      () => timmTrainSchedule({ lr: 0.1 }, { lrScales: [] }),
      (e: unknown) =>
        e instanceof RangeError && /empty parameter list/.test(e.message) &&
        JSON.stringify(e.cause) ===
          JSON.stringify({ owner: "timmTrainSchedule", option: "lrScales", value: [] }),
    );
  });
});

test("timmTrainSchedule: the curve", async (t) => {
  await t.test("per epoch: the rate each epoch trains with, stepped as train.py steps", () => {
    const args = { sched: "cosine", lr: 0.1, epochs: 20, warmup_epochs: 3, weight_decay: 0 };
    const s = timmTrainSchedule(args);
    assert.equal(s.unit, "epoch");
    const optimizer = { paramGroups: [{ lr: 0.1 }] };
    const [sched, n] = createSchedulerV2({
      optimizer,
      sched: "cosine",
      numEpochs: 20,
      warmupEpochs: 3,
      cycleDecay: 0.5,
    });
    const expected: number[] = [];
    for (let e = 0; e < n; e++) {
      expected.push(optimizer.paramGroups[0]!.lr);
      sched!.step(e + 1);
    }
    assert.deepEqual(Array.from(s.lrs[0]!), expected);
    assert.deepEqual(Array.from(s.t), Array.from({ length: 20 }, (_, i) => i));
  });
  await t.test("per update (sched_on_updates): every update, t = epoch · updatesPerEpoch + u", () => {
    const s = timmTrainSchedule(
      {
        sched: "step",
        lr: 0.1,
        epochs: 3,
        warmup_epochs: 0,
        decay_epochs: 1,
        sched_on_updates: true,
        weight_decay: 0,
      },
      { updatesPerEpoch: 4 },
    );
    assert.equal(s.unit, "update");
    assert.deepEqual(Array.from(s.t), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.deepEqual(Array.from(s.epoch), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    // decay every 4 updates; update n trains with the rate of step_update(n)
    assert.deepEqual(Array.from(s.lrs[0]!), [
      0.1,
      0.1,
      0.1,
      0.1,
      0.1 * 0.1,
      0.1 * 0.1,
      0.1 * 0.1,
      0.1 * 0.1,
      0.1 * libm.pow(0.1, 2),
      0.1 * libm.pow(0.1, 2),
      0.1 * libm.pow(0.1, 2),
      0.1 * libm.pow(0.1, 2),
    ]);
  });
  await t.test("per update without updatesPerEpoch: timm's assertion", () => {
    assert.throws(
      () => timmTrainSchedule({ sched_on_updates: true }),
      /updates_per_epoch must be set/,
    );
  });
  await t.test("start_epoch: the loop starts there, after step(start_epoch)", () => {
    const s = timmTrainSchedule({
      sched: "step",
      lr: 0.1,
      epochs: 10,
      decay_epochs: 2,
      warmup_epochs: 0,
      start_epoch: 4,
    });
    assert.equal(s.startEpoch, 4);
    assert.deepEqual(Array.from(s.t), [4, 5, 6, 7, 8, 9]);
    assert.equal(s.lrs[0]![0], 0.1 * libm.pow(0.1, 2));
  });
  await t.test("plateau: the metrics, on the epochs train.py evaluates (val_interval)", () => {
    const args = {
      sched: "plateau",
      lr: 0.1,
      epochs: 6,
      warmup_epochs: 0,
      patience_epochs: 0,
      eval_metric: "loss",
      weight_decay: 0,
    };
    const flat = [1, 1, 1, 1, 1, 1];
    const every = timmTrainSchedule(args, { metrics: flat });
    assert.deepEqual(Array.from(every.lrs[0]!).map((x) => Number(x.toPrecision(3))), [
      0.1,
      0.1,
      0.01,
      0.001,
      1e-4,
      1e-5,
    ]);
    const second = timmTrainSchedule({ ...args, val_interval: 2 }, { metrics: flat });
    // metrics only after epochs 1, 3, 5 (epoch + 1 even): one reduction at the second of them
    assert.deepEqual(Array.from(second.lrs[0]!).map((x) => Number(x.toPrecision(3))), [
      0.1,
      0.1,
      0.1,
      0.1,
      0.01,
      0.01,
    ]);
    const none = timmTrainSchedule(args);
    assert.deepEqual(Array.from(none.lrs[0]!), [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
  });
  await t.test("an unknown sched: no scheduler, the rate stays", () => {
    const s = timmTrainSchedule({ sched: "constant", lr: 0.1, epochs: 3, weight_decay: 0 });
    assert.equal(s.scheduler, null);
    assert.deepEqual(Array.from(s.lrs[0]!), [0.1, 0.1, 0.1]);
  });
  await t.test("options are checked", () => {
    assert.throws(
      () => timmTrainSchedule({}, { updates: 3 } as never),
      /did you mean|unknown option/,
    );
    assert.throws(() => timmTrainSchedule({}, { worldSize: 0 }), RangeError);
    assert.throws(() => timmTrainSchedule({ lr: "0.1" }), TypeError);
  });
});

test("explainTimmSchedule", () => {
  const text = explainTimmSchedule(
    timmTrainSchedule({
      sched: "cosine",
      lr: null,
      epochs: 100,
      warmup_epochs: 5,
      batch_size: 512,
      cooldown_epochs: 10,
    }),
  );
  assert.match(
    text,
    /^timm cosine schedule: lr 0\.2 \(lr_base 0\.1 × \(global batch 512 \/ lr_base_size 256\), linear scaling\)/,
  );
  assert.match(text, /warmup: 5 epochs from warmup_lr 1e-05/);
  assert.match(text, /cosine decay to min_lr 0 over 100 epochs, then 10 cooldown epochs/);
  assert.match(text, /stepped per epoch; 110 epochs/);
  const ms = explainTimmSchedule(
    timmTrainSchedule({ sched: "multistep", lr: 0.1, decay_milestones: [30, 60] }),
  );
  assert.match(ms, /at milestones 30, 60 \(timm decays one step early: from epoch 29, 59\)/);
  const none = explainTimmSchedule(timmTrainSchedule({ sched: "nope", lr: 0.1, epochs: 2 }));
  assert.match(none, /no scheduler/);
});
