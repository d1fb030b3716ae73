import { test } from "node:test";
import assert from "node:assert/strict";
import { buildOptimWrapper, defaultParamNames, OptimWrapper } from "../../mod.ts";

const sgdCfg = { type: "OptimWrapper", optimizer: { type: "SGD", lr: 0.02, momentum: 0.9 } };

test("OptimWrapper: one group, no pseudo-group", () => {
  const w = new OptimWrapper({ optimizer: { paramGroups: [{ lr: 0.1 }] } });
  assert.equal(w.baseParamSettings, null);
  assert.equal(w.paramGroups.length, 1);
  assert.deepEqual(w.getLr(), { lr: [0.1] });
  assert.deepEqual(w.defaults, {});
});

test("OptimWrapper: several groups need defaults.lr; the pseudo-group is a copy of the defaults", () => {
  assert.throws(
    () => new OptimWrapper({ optimizer: { paramGroups: [{ lr: 0.1 }, { lr: 0.2 }] } }),
    /defaults\.lr/,
  );
  const defaults = { lr: 0.1, momentum: 0.9 };
  const w = new OptimWrapper({ optimizer: { paramGroups: [{ lr: 0.1 }, { lr: 0.2 }], defaults } });
  assert.deepEqual(w.baseParamSettings, { lr: 0.1, momentum: 0.9 });
  w.paramGroups[2]!.lr = 0.5;
  assert.equal(defaults.lr, 0.1, "the defaults are not aliased");
  const state = w.stateDict();
  const w2 = new OptimWrapper({ optimizer: { paramGroups: [{ lr: 0 }, { lr: 0 }], defaults } });
  w2.loadStateDict(state);
  assert.deepEqual(w2.getLr(), { baseLr: [0.5], lr: [0.1, 0.2] });
  assert.throws(() => w2.loadStateDict({ paramGroups: [], baseParamSettings: null }), RangeError);
});

test("buildOptimWrapper: without paramwise_cfg, one group with the optimizer's defaults", () => {
  const w = buildOptimWrapper(sgdCfg);
  assert.deepEqual(w.optimizer.paramGroups, [{ lr: 0.02, momentum: 0.9, weightDecay: 0 }]);
  assert.equal(w.baseParamSettings, null);
  assert.deepEqual(defaultParamNames(sgdCfg), ["weight"]);
});

test("buildOptimWrapper: optimizer defaults (torch's lr defaults, momentum, betas)", () => {
  const adamw = buildOptimWrapper({ optimizer: { type: "AdamW" } });
  assert.deepEqual(adamw.defaults, { lr: 1e-3, betas: [0.9, 0.999], weightDecay: 1e-2 });
  const sgd = buildOptimWrapper({ optimizer: { type: "SGD", lr: 0.1 } });
  assert.deepEqual(sgd.defaults, { lr: 0.1, momentum: 0, weightDecay: 0 });
  assert.throws(() => buildOptimWrapper({ optimizer: { type: "SGD" } }), /lr is required/);
  assert.deepEqual(buildOptimWrapper({ optimizer: { type: "Lion", lr: 1 } }).defaults, { lr: 1 });
});

test("buildOptimWrapper: custom_keys — longest key first, then alphabetical; lr_mult default 1", () => {
  const w = buildOptimWrapper({
    ...sgdCfg,
    paramwise_cfg: {
      custom_keys: {
        "backbone": { lr_mult: 0.1 },
        "backbone.layer4": { lr_mult: 0.5 },
        "neck": {},
      },
      bias_lr_mult: 2,
    },
  }, {
    paramNames: [
      "head.weight",
      "head.bias",
      "backbone.layer1.weight",
      "backbone.layer4.bias",
      "neck.w",
    ],
  });
  assert.deepEqual(w.paramGroups.map((g) => g.lr), [
    0.02,
    0.02 * 2,
    0.02 * 0.1,
    0.02 * 0.5,
    0.02,
    0.02,
  ]);
});

test("buildOptimWrapper: decay_mult scales the weight decay of a custom key's groups", () => {
  const w = buildOptimWrapper({
    optimizer: { type: "SGD", lr: 0.1, weight_decay: 1e-4 },
    paramwise_cfg: { custom_keys: { backbone: { lr_mult: 0.1, decay_mult: 0.5 } } },
  }, { paramNames: ["backbone.w", "head.w"] });
  assert.deepEqual(w.optimizer.paramGroups.map((g) => g.weightDecay), [1e-4 * 0.5, 1e-4]);
});

test("buildOptimWrapper: default parameter names with paramwise_cfg give a pseudo-group", () => {
  const cfg = { ...sgdCfg, paramwise_cfg: { custom_keys: { backbone: { lr_mult: 0.1 } } } };
  assert.deepEqual(defaultParamNames(cfg), ["weight", "bias", "backbone.weight"]);
  assert.deepEqual(buildOptimWrapper(cfg).paramGroups.map((g) => g.lr), [0.02, 0.02, 0.002, 0.02]);
});

test("buildOptimWrapper: mmengine's config errors", () => {
  assert.throws(
    () =>
      buildOptimWrapper({
        ...sgdCfg,
        paramwise_cfg: { custom_keys: { backbone: { decay_mult: 0 } } },
      }),
    /base_wd should not be None/,
  );
  assert.throws(
    () => buildOptimWrapper({ ...sgdCfg, paramwise_cfg: { norm_decay_mult: 0 } }),
    /base_wd/,
  );
  assert.throws(
    () => buildOptimWrapper({ ...sgdCfg, paramwise_cfg: { custom_keys: [] } }),
    /custom_keys must be a dict/,
  );
  assert.throws(
    () =>
      buildOptimWrapper({
        optimizer: { type: "AdamW" },
        paramwise_cfg: { custom_keys: { backbone: { lr_mult: 0.1 } } },
      }, { paramNames: ["backbone.w"] }),
    /needs optim_wrapper\.optimizer\.lr/,
  );
  assert.throws(
    () => buildOptimWrapper({ ...sgdCfg, constructor: "LayerDecayOptimizerConstructor" }),
    /not supported/,
  );
  assert.throws(() => buildOptimWrapper({ ...sgdCfg, type: "OptimWrapperDict" }), /not supported/);
});
