import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildParamScheduler,
  buildSchedulerFromCfg,
  buildTrainLoop,
  dataloaderLength,
  LinearLR,
  optionName,
  PARAM_SCHEDULERS,
  Runner,
  type RunnerCheckpoint,
  scaleLr,
} from "../mod.ts";
import { buildOptimWrapper } from "../mod.ts";

const sgd = { type: "OptimWrapper", optimizer: { type: "SGD", lr: 0.1, momentum: 0.9 } };

function lrs(runner: Runner): number[][] {
  return [...runner.train()].map((r) => r.lrs);
}

test("PARAM_SCHEDULERS holds mmengine's 29 registered classes", () => {
  assert.equal(Object.keys(PARAM_SCHEDULERS).length, 29);
  assert.equal(PARAM_SCHEDULERS.LinearLR, LinearLR);
  assert.equal(PARAM_SCHEDULERS.ReduceOnPlateauLR!.buildIterFromEpoch, undefined);
});

test("optionName: mmengine keywords to lrspec options", () => {
  assert.equal(optionName("T_max"), "tMax");
  assert.equal(optionName("eta_min_ratio"), "etaMinRatio");
  assert.equal(optionName("by_epoch"), "byEpoch");
});

test("buildTrainLoop: type or by_epoch", () => {
  assert.deepEqual(buildTrainLoop({ type: "EpochBasedTrainLoop", max_epochs: 12 }, 10), {
    type: "EpochBasedTrainLoop",
    maxEpochs: 12,
    maxIters: 120,
    epochLength: 10,
  });
  assert.deepEqual(buildTrainLoop({ by_epoch: false, max_iters: 90 }, 10).maxEpochs, 1);
  assert.throws(() => buildTrainLoop({ type: "X", by_epoch: true }, 1), /Only one of/);
  assert.throws(() => buildTrainLoop({ max_epochs: 1 }, 1), /KeyError/);
  assert.throws(() => buildTrainLoop({ by_epoch: true, max_epochs: 1.5 }, 1), /integer/);
  assert.throws(() => buildTrainLoop({ type: "CustomLoop" }, 1), /not supported/);
});

test("dataloaderLength: DefaultSampler rounds up per process; drop_last; InfiniteSampler", () => {
  assert.equal(dataloaderLength({ datasetSize: 10, batchSize: 4 }), 3);
  assert.equal(dataloaderLength({ datasetSize: 10, batchSize: 4, dropLast: true }), 2);
  assert.equal(dataloaderLength({ datasetSize: 10, worldSize: 3, batchSize: 2 }), 2);
  assert.equal(
    dataloaderLength({ datasetSize: 10, worldSize: 3, batchSize: 2, sampler: "InfiniteSampler" }),
    5,
  );
  assert.throws(() => dataloaderLength({ datasetSize: 0, batchSize: 1 }), RangeError);
});

test("scaleLr: only when enabled; real groups only, not the pseudo-group", () => {
  const w = buildOptimWrapper({
    ...sgd,
    paramwise_cfg: { custom_keys: { backbone: { lr_mult: 0.5 } } },
  });
  assert.equal(scaleLr(w, { base_batch_size: 16 }, { batchSize: 2, worldSize: 4 }), null);
  assert.equal(
    scaleLr(w, { enable: true, base_batch_size: 16 }, { batchSize: 2, worldSize: 4 }),
    0.5,
  );
  assert.deepEqual(w.paramGroups.map((g) => g.lr), [0.05, 0.05, 0.025, 0.1]);
  assert.throws(() => scaleLr(w, { enable: true }, { batchSize: 2 }), /base_batch_size/);
});

test("buildSchedulerFromCfg: type names, snake_case keywords, convert_to_iter_based", () => {
  const optimizer = buildOptimWrapper(sgd);
  const s = buildSchedulerFromCfg(
    { type: "mmdet.CosineAnnealingLR", T_max: 2, by_epoch: true, convert_to_iter_based: true },
    { optimizer, epochLength: 5 },
  );
  assert.deepEqual([s.constructor.name, (s as unknown as { tMax: number }).tMax, s.byEpoch], [
    "CosineAnnealingLR",
    10,
    false,
  ]);
  assert.throws(() => buildSchedulerFromCfg({ type: "WarmupLR" }, { optimizer, epochLength: 1 }), {
    name: "RangeError",
    message: /not in the param scheduler registry/,
  });
  assert.throws(
    () =>
      buildSchedulerFromCfg({ type: "ReduceOnPlateauLR", convert_to_iter_based: true }, {
        optimizer,
        epochLength: 1,
      }),
    /build_iter_from_epoch/,
  );
  assert.throws(
    () =>
      buildSchedulerFromCfg({ type: "LinearLR", by_epoch: false, convert_to_iter_based: true }, {
        optimizer,
        epochLength: 1,
      }),
    /Only epoch-based/,
  );
  const p = buildSchedulerFromCfg(
    { type: "StepParamScheduler", param_name: "weight_decay", step_size: 1 },
    {
      optimizer: buildOptimWrapper({ optimizer: { type: "SGD", lr: 0.1 } }),
      epochLength: 1,
    },
  );
  assert.equal(p.paramName, "weightDecay");
});

test("buildParamScheduler: the default end is max_epochs (by_epoch) or max_iters", () => {
  const loop = buildTrainLoop({ by_epoch: true, max_epochs: 3 }, 7);
  const [a, b] = buildParamScheduler(
    [{ type: "ConstantLR" }, { type: "ConstantLR", by_epoch: false }],
    buildOptimWrapper(sgd),
    loop,
  );
  assert.deepEqual([a!.end, b!.end], [3, 21]);
  assert.equal(buildParamScheduler({ type: "ConstantLR" }, buildOptimWrapper(sgd), loop).length, 1);
  assert.throws(() => buildParamScheduler(["x"], buildOptimWrapper(sgd), loop), /dict/);
});

test("Runner: epoch loop — iteration schedulers after each iteration, epoch ones after each epoch", () => {
  const cfg = {
    train_cfg: { by_epoch: true, max_epochs: 2 },
    optim_wrapper: sgd,
    param_scheduler: [
      { type: "LinearLR", start_factor: 0.5, by_epoch: false, end: 3 },
      { type: "StepLR", step_size: 1, gamma: 0.1 },
    ],
  };
  const rows = [...new Runner({ cfg, epochLength: 3 }).train()];
  assert.deepEqual(rows.map((r) => [r.iter, r.epoch]), [[0, 0], [1, 0], [2, 0], [3, 1], [4, 1], [
    5,
    1,
  ]]);
  const v = rows.map((r) => r.lrs[0]!);
  assert.equal(v[0], 0.1 * 0.5);
  assert.equal(v[3], v[2]! * 0.1);
});

test("Runner: an iteration loop steps by_epoch schedulers only after training", () => {
  const cfg = {
    train_cfg: { type: "IterBasedTrainLoop", max_iters: 6 },
    optim_wrapper: sgd,
    param_scheduler: [{ type: "MultiStepLR", milestones: [1], by_epoch: true, end: 5 }],
  };
  const runner = new Runner({ cfg, epochLength: 2 });
  assert.deepEqual(lrs(runner).flat(), [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
  assert.equal(runner.optimWrapper.paramGroups[0]!.lr, 0.1 * 0.1, "stepped once, at the end");
  // Without `end`, the default is max_epochs = 1 for an iteration loop: it never moves at all.
  const { end: _, ...noEnd } = cfg.param_scheduler[0]!;
  const silent = new Runner({ cfg: { ...cfg, param_scheduler: [noEnd] }, epochLength: 2 });
  lrs(silent);
  assert.equal(silent.paramSchedulers[0]!.end, 1);
  assert.equal(silent.optimWrapper.paramGroups[0]!.lr, 0.1);
});

test("Runner: --auto-scale-lr enables auto_scale_lr", () => {
  const cfg = {
    train_cfg: { by_epoch: true, max_epochs: 1 },
    optim_wrapper: sgd,
    auto_scale_lr: { enable: false, base_batch_size: 16 },
    train_dataloader: { batch_size: 2 },
  };
  assert.equal(new Runner({ cfg, epochLength: 1, worldSize: 4 }).lrScale, null);
  const r = new Runner({ cfg, epochLength: 1, worldSize: 4, autoScaleLr: true });
  assert.equal(r.lrScale, 0.5);
  assert.equal(r.optimWrapper.paramGroups[0]!.lr, 0.05);
});

test("Runner: resume at an epoch boundary gives the uninterrupted values", () => {
  const cfg = {
    train_cfg: { by_epoch: true, max_epochs: 4 },
    optim_wrapper: { ...sgd, paramwise_cfg: { custom_keys: { backbone: { lr_mult: 0.1 } } } },
    param_scheduler: [
      { type: "LinearLR", start_factor: 0.01, by_epoch: false, end: 5 },
      { type: "CosineAnnealingLR", by_epoch: true, convert_to_iter_based: true, eta_min: 0 },
    ],
  };
  let saved: RunnerCheckpoint | undefined;
  const all = [...new Runner({ cfg, epochLength: 3 }).train((at, save) => {
    if (at.epoch === 2) saved = JSON.parse(JSON.stringify(save()));
  })];
  const resumed = new Runner({ cfg, epochLength: 3 });
  resumed.resume(saved!);
  assert.deepEqual([...resumed.train()], all.slice(6));
});

test("Runner: errors", () => {
  assert.throws(
    () => new Runner({ cfg: { train_cfg: { by_epoch: true, max_epochs: 1 } }, epochLength: 0 }),
    /epochLength/,
  );
  assert.throws(
    () => new Runner({ cfg: { train_cfg: { by_epoch: true, max_epochs: 1 } }, epochLength: 1 }),
    /optim_wrapper/,
  );
});
