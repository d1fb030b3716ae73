// The mmengine view: a config dict (as Config.fromfile gives it) as the CLI's and the page's
// curve — each row checked against the library's Runner — and the traps explain() names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mmengineView } from "./mmengine.ts";
import { placeOf } from "./view.ts";
import { Runner } from "../schedules/mmengine/mod.ts";

const schedule1x = {
  train_cfg: { type: "EpochBasedTrainLoop", max_epochs: 12, val_interval: 1 },
  param_scheduler: [
    { type: "LinearLR", start_factor: 0.001, by_epoch: false, begin: 0, end: 500 },
    { type: "MultiStepLR", begin: 0, end: 12, by_epoch: true, milestones: [8, 11], gamma: 0.1 },
  ],
  optim_wrapper: {
    type: "OptimWrapper",
    optimizer: { type: "SGD", lr: 0.02, momentum: 0.9, weight_decay: 0.0001 },
  },
  auto_scale_lr: { enable: false, base_batch_size: 16 },
  train_dataloader: { batch_size: 2, sampler: { type: "DefaultSampler", shuffle: true } },
};

function columns(view: ReturnType<typeof mmengineView>): Float64Array[] {
  const out = view.columns.map(() => new Float64Array(view.rows));
  for (const run of view.runs(0, view.rows)) {
    view.columns.forEach((_, c) => run.fill(c, run.start, run.end, out[c]!.subarray(run.start)));
  }
  return out;
}

test("mmengineView: every row is the Runner's rate for that iteration", () => {
  const view = mmengineView(schedule1x, { path: "schedule_1x.py", epochLength: 100 });
  assert.deepEqual(view.columns, ["lr"]);
  assert.equal(view.rows, 1200);
  assert.equal(view.indexColumn, "iter");
  const expected = [...new Runner({ cfg: schedule1x, epochLength: 100 }).train()].map((r) =>
    r.lrs[0]!
  );
  assert.deepEqual([...columns(view)[0]!], expected);
  assert.equal(view.warmupEnd, 499);
  assert.deepEqual(view.marks.map((m) => m.iteration), [499, 800, 1100]);
  assert.match(view.summary, /12 epochs × 100 iterations per epoch = 1,200 iterations/);
});

test("mmengineView: --dataset-size and --num-gpus give len(train_dataloader)", () => {
  const view = mmengineView(schedule1x, { path: "x.py", datasetSize: 117266, numGpus: 8 });
  assert.equal(view.rows, 12 * 7330);
  assert.match(view.notes[0]!, /len\(train_dataloader\) = 7,330/);
  assert.ok(!view.notes.some((n) => /auto_scale_lr/.test(n)), "8 × 2 = 16: nothing to scale");
});

test("mmengineView: an epoch loop needs len(train_dataloader)", () => {
  assert.throws(() => mmengineView(schedule1x, { path: "x.py" }), /--epoch-length L/);
});

test("mmengineView: groups with their own rate get their own column; base_lr when scaled", () => {
  const dino = {
    ...schedule1x,
    param_scheduler: [{ type: "MultiStepLR", milestones: [11], by_epoch: true }],
    optim_wrapper: {
      type: "OptimWrapper",
      optimizer: { type: "AdamW", lr: 0.0001, weight_decay: 0.0001 },
      paramwise_cfg: { custom_keys: { backbone: { lr_mult: 0.1 } } },
    },
  };
  const plain = mmengineView(dino, { path: "dino.py", epochLength: 3 });
  assert.deepEqual(plain.columns, ["lr", "lr_backbone"]);
  const scaled = mmengineView(dino, {
    path: "dino.py",
    epochLength: 3,
    numGpus: 4,
    autoScaleLr: true,
  });
  assert.deepEqual(scaled.columns, ["lr", "lr_backbone", "base_lr"]);
  const [lr, backbone, base] = columns(scaled);
  assert.deepEqual([lr![0], backbone![0], base![0]], [0.0001 * 0.5, 0.0001 * 0.1 * 0.5, 0.0001]);
  assert.match(scaled.explain(), /auto_scale_lr: × 0\.5/);
});

test("mmengineView: trap — a by_epoch scheduler in an IterBasedTrainLoop", () => {
  const cfg = {
    train_cfg: { type: "IterBasedTrainLoop", max_iters: 50 },
    optim_wrapper: { type: "OptimWrapper", optimizer: { type: "SGD", lr: 0.01 } },
    param_scheduler: [{ type: "MultiStepLR", milestones: [20], by_epoch: true }],
  };
  const view = mmengineView(cfg, { path: "iter.py" });
  assert.ok(columns(view)[0]!.every((v) => v === 0.01), "the rate never changes");
  assert.match(view.explain(), /trap: .*by_epoch in an IterBasedTrainLoop.*never moves at all/);
});

test("mmengineView: trap — a warmup longer than the run", () => {
  const cfg = {
    ...schedule1x,
    train_cfg: { by_epoch: true, max_epochs: 2 },
    param_scheduler: [{ type: "LinearLR", start_factor: 0.001, by_epoch: false, end: 500 }],
  };
  const view = mmengineView(cfg, { path: "short.py", epochLength: 100 });
  assert.match(
    view.explain(),
    /trap: .*LinearLR \(a warmup\) ends at 500 iterations, after the run \(200\)/,
  );
  assert.equal(view.warmupEnd, 0);
});

test("mmengineView: trap — auto_scale_lr present but not enabled", () => {
  const view = mmengineView(schedule1x, { path: "x.py", epochLength: 10, numGpus: 4 });
  assert.match(
    view.explain(),
    /trap: auto_scale_lr is present but not enabled.*4 GPU\(s\) × 2 = 8, ratio 0\.5.*--auto-scale-lr/,
  );
  const enabled = mmengineView(schedule1x, {
    path: "x.py",
    epochLength: 10,
    numGpus: 4,
    autoScaleLr: true,
  });
  assert.ok(!/trap: auto_scale_lr/.test(enabled.explain()));
  assert.equal(columns(enabled)[0]![0], 0.02 * 0.5 * 0.001);
});

test("mmengineView: a mid-run error ends the curve there; config errors name the key", () => {
  const cfg = {
    ...schedule1x,
    param_scheduler: [{ type: "OneCycleLR", eta_max: 0.1, total_steps: 20, by_epoch: false }],
  };
  const view = mmengineView(cfg, { path: "x.py", epochLength: 10 });
  assert.equal(view.error?.iteration, 21);
  assert.match(view.error!.message, /Tried to step 22 times/);
  assert.throws(
    () =>
      mmengineView({ ...schedule1x, param_scheduler: [{ type: "WarmupLR" }] }, {
        path: "x.py",
        epochLength: 1,
      }),
    /WarmupLR is not in the param scheduler registry/,
  );
  assert.throws(() => mmengineView({}, { path: "x.py" }), /no train_cfg/);
});

test("mmengineView: a Runner error is placed at its top-level key from its data", () => {
  const cases: [Record<string, unknown>, boolean, string][] = [
    [{ auto_scale_lr: { enable: true } }, true, "auto_scale_lr"],
    [{ train_cfg: { type: "EpochBasedTrainLoop", max_epochs: 1.5 } }, false, "train_cfg"],
    [
      { optim_wrapper: { type: "OptimWrapper", optimizer: { type: "Nope" } } },
      false,
      "optim_wrapper",
    ],
    [{ param_scheduler: [{ type: "LinearLR", start_factor: 2 }] }, false, "param_scheduler"],
  ];
  for (const [change, autoScaleLr, key] of cases) {
    assert.throws(
      () =>
        mmengineView({ ...schedule1x, ...change }, { path: "x.py", epochLength: 10, autoScaleLr }),
      (e: unknown) => {
        assert.equal(placeOf(e)?.key, key, String(e));
        return true;
      },
    );
  }
});
