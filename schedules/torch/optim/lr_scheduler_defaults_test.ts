import { test } from "node:test";
import assert from "node:assert/strict";
import * as lrspec from "../../../mod.ts";
import type { Optimizer } from "../../../mod.ts";

// Every defaulted option of every torch scheduler: a scheduler built without the option behaves
// exactly as one given torch's default (the keyword default of `torch/optim/lr_scheduler.py`,
// the same in torch 1.13, 2.11 and 2.13), over 40 steps of both releases — values, momentum and state.

type Options = Record<string, unknown>;

interface DefaultsCase {
  /** The class. */
  name: string;
  /** The options it needs besides the optimizer. */
  base: Options;
  /** torch's defaults. */
  defaults: Options;
  /** `step()`'s argument for the i-th step (ReduceLROnPlateau's metric). */
  arg?: (i: number) => number;
}

const CASES: DefaultsCase[] = [
  { name: "LambdaLR", base: { lrLambda: (e: number) => 0.9 ** e }, defaults: { lastEpoch: -1 } },
  { name: "MultiplicativeLR", base: { lrLambda: () => 0.9 }, defaults: { lastEpoch: -1 } },
  { name: "StepLR", base: { stepSize: 3 }, defaults: { gamma: 0.1, lastEpoch: -1 } },
  { name: "MultiStepLR", base: { milestones: [2, 5, 5, 9] }, defaults: { gamma: 0.1 } },
  { name: "ConstantLR", base: {}, defaults: { factor: 1 / 3, totalIters: 5 } },
  { name: "LinearLR", base: {}, defaults: { startFactor: 1 / 3, endFactor: 1, totalIters: 5 } },
  { name: "ExponentialLR", base: { gamma: 0.9 }, defaults: { lastEpoch: -1 } },
  { name: "PolynomialLR", base: {}, defaults: { totalIters: 5, power: 1 } },
  { name: "CosineAnnealingLR", base: { TMax: 7 }, defaults: { etaMin: 0 } },
  { name: "CosineAnnealingWarmRestarts", base: { T0: 4 }, defaults: { TMult: 1, etaMin: 0 } },
  {
    name: "CyclicLR",
    base: { baseLr: 0.01, maxLr: 0.1 },
    defaults: {
      stepSizeUp: 2000,
      stepSizeDown: null,
      mode: "triangular",
      gamma: 1,
      scaleMode: "cycle",
      cycleMomentum: true,
      baseMomentum: 0.8,
      maxMomentum: 0.9,
    },
  },
  {
    name: "OneCycleLR",
    base: { maxLr: 1, totalSteps: 40 },
    defaults: {
      epochs: null,
      stepsPerEpoch: null,
      pctStart: 0.3,
      annealStrategy: "cos",
      cycleMomentum: true,
      baseMomentum: 0.85,
      maxMomentum: 0.95,
      divFactor: 25,
      finalDivFactor: 1e4,
      threePhase: false,
    },
  },
  {
    name: "ReduceLROnPlateau",
    base: {},
    defaults: {
      mode: "min",
      factor: 0.1,
      patience: 10,
      threshold: 1e-4,
      thresholdMode: "rel",
      cooldown: 0,
      minLr: 0,
      eps: 1e-8,
    },
    arg: (i) => [1, 0.99995, 0.5, 0.6][i % 4]! + (i > 20 ? 1 : 0),
  },
];

const sgd = (): Optimizer => ({
  paramGroups: [{ lr: 0.1, momentum: 0.9 }, { lr: 0.2, momentum: 0.9 }],
});

function build(name: string, optimizer: Optimizer, options: Options): lrspec.LRScheduler {
  const ctor = (lrspec as unknown as Record<string, new (o: Options) => lrspec.LRScheduler>)[name]!;
  return new ctor({ optimizer, ...options });
}

/** Groups and state after construction and after each of 40 steps. */
function trace(c: DefaultsCase, options: Options): unknown[] {
  const optimizer = sgd();
  const s = build(c.name, optimizer, options);
  const out: unknown[] = [];
  for (let i = 0; i <= 40; i++) {
    if (i > 0) {
      if (c.arg) (s as lrspec.ReduceLROnPlateau).step(c.arg(i));
      else s.step();
    }
    out.push(JSON.parse(JSON.stringify({ groups: optimizer.paramGroups, state: s.stateDict() })));
  }
  return out;
}

for (const c of CASES) {
  test(`${c.name}: every default is torch's`, async (t) => {
    for (const torch of ["1.13", "2.11", "2.13"] as const) {
      for (const [key, value] of Object.entries(c.defaults)) {
        await t.test(`torch ${torch}: omitting \`${key}\` = ${JSON.stringify(value)}`, () => {
          assert.deepEqual(
            trace(c, { ...c.base, torch }),
            trace(c, { ...c.base, torch, [key]: value }),
            `${c.name}: the default of ${key}`,
          );
        });
      }
    }
  });
}

test("base options: `torch` defaults to 2.13, `verbose` (torch 1.13) to false", () => {
  for (const c of CASES) {
    assert.deepEqual(trace(c, c.base), trace(c, { ...c.base, torch: "2.13" }), c.name);
    assert.deepEqual(
      trace(c, { ...c.base, torch: "1.13" }),
      trace(c, { ...c.base, torch: "1.13", verbose: false }),
      `${c.name}: verbose`,
    );
  }
});

test("combinators: SequentialLR lastEpoch -1, ChainedScheduler's optimizer its children's", () => {
  const make = (extra: Options, chainedExtra: Options) => {
    const optimizer = sgd();
    const s = new lrspec.SequentialLR({
      optimizer,
      schedulers: [
        new lrspec.LinearLR({ optimizer, totalIters: 3 }),
        new lrspec.ChainedScheduler({
          schedulers: [new lrspec.ExponentialLR({ optimizer, gamma: 0.9 })],
          ...(chainedExtra.optimizer === true ? { optimizer } : {}),
        }),
      ],
      milestones: [100],
      ...extra,
    });
    const out: number[] = [];
    for (let i = 0; i < 20; i++) {
      s.step();
      out.push(optimizer.paramGroups[1]!.lr);
    }
    return out;
  };
  assert.deepEqual(make({}, {}), make({ lastEpoch: -1 }, { optimizer: true }));
});
