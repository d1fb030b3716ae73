import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ConstantMomentum,
  CosineAnnealingMomentum,
  CosineRestartMomentum,
  ExponentialMomentum,
  LinearMomentum,
  MultiStepMomentum,
  PolyMomentum,
  ReduceOnPlateauMomentum,
  StepMomentum,
} from "../../mod.ts";
import type { Optimizer } from "../../../optimizer.ts";

const sgd = (): Optimizer => ({
  paramGroups: [{ lr: 0.1, momentum: 0.9 }],
  defaults: { lr: 0.1, momentum: 0.9 },
});
const adam = (): Optimizer => ({
  paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }],
  defaults: { lr: 0.001, betas: [0.9, 0.999] },
});

test("Momentum schedulers: SGD's momentum", () => {
  const o = sgd();
  const s = new StepMomentum({ optimizer: o, stepSize: 1, gamma: 0.5 });
  assert.equal(s.useBetas, false);
  assert.equal(s.paramName, "momentum");
  assert.equal(o.paramGroups[0]!.initialMomentum, 0.9);
  s.step();
  assert.equal(o.paramGroups[0]!.momentum, 0.45);
  assert.equal(o.paramGroups[0]!.lr, 0.1);
});

test("Momentum schedulers: Adam's betas[0] through `momentum`, written back each step", () => {
  const o = adam();
  const s = new ExponentialMomentum({ optimizer: o, gamma: 0.5 });
  assert.equal(s.useBetas, true);
  assert.deepEqual(o.paramGroups[0]!.betas, [0.9, 0.999]);
  s.step();
  assert.equal(o.paramGroups[0]!.momentum, 0.45);
  assert.deepEqual(o.paramGroups[0]!.betas, [0.45, 0.999]);
});

test("Momentum schedulers: an optimizer without momentum or betas throws (ValueError)", () => {
  const o: Optimizer = { paramGroups: [{ lr: 0.1 }], defaults: { lr: 0.1 } };
  assert.throws(() => new LinearMomentum({ optimizer: o }), {
    name: "RangeError",
    message: /must support momentum/,
  });
  assert.throws(() => new LinearMomentum({ optimizer: { paramGroups: [{ lr: 1 }] } }), RangeError);
});

test("Momentum schedulers: every class builds on both optimizers", () => {
  for (const make of [sgd, adam]) {
    const all = [
      new ConstantMomentum({ optimizer: make(), end: 3 }),
      new CosineAnnealingMomentum({ optimizer: make(), tMax: 3 }),
      new CosineRestartMomentum({ optimizer: make(), periods: [3], etaMin: 0.8 }),
      new ExponentialMomentum({ optimizer: make(), gamma: 0.9 }),
      new LinearMomentum({ optimizer: make(), end: 3 }),
      new MultiStepMomentum({ optimizer: make(), milestones: [1] }),
      new PolyMomentum({ optimizer: make(), end: 3 }),
      new StepMomentum({ optimizer: make(), stepSize: 1 }),
    ];
    for (const s of all) {
      s.step();
      const g = s.optimizer.paramGroups[0]!;
      if (Array.isArray(g.betas)) assert.equal(g.betas[0], g.momentum, s.constructor.name);
    }
    const plateau = new ReduceOnPlateauMomentum({ optimizer: make(), patience: 0 });
    plateau.step({ loss: 1 });
    plateau.step({ loss: 1 });
    const g = plateau.optimizer.paramGroups[0]!;
    assert.ok(Math.abs((g.momentum as number) - 0.09) < 1e-15);
    if (Array.isArray(g.betas)) assert.equal(g.betas[0], g.momentum);
  }
});
