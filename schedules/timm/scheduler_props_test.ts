/**
 * Property tests of the timm family: checkpoint/resume identity (noise included), step = getLr
 * + noise + lrScale, the cycle schedulers' bounds, MultiStep's early decay, and the generator's
 * seeding (only the low 32 bits seed the engine; negative seeds are their 64-bit pattern).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fc } from "../../testing/props.ts";
import {
  CosineLRScheduler,
  MultiStepLRScheduler,
  type Optimizer,
  PolyLRScheduler,
  type Scheduler,
  StepLRScheduler,
  TanhLRScheduler,
  TorchGenerator,
} from "../../mod.ts";

const lr = fc.double({ min: 1e-6, max: 2, noNaN: true });
const groups = fc.array(
  fc.record({
    lr,
    scale: fc.option(fc.double({ min: 0.01, max: 1, noNaN: true }), { nil: undefined }),
  }),
  { minLength: 1, maxLength: 3 },
);
const optimizerOf = (gs: { lr: number; scale: number | undefined }[]): Optimizer => ({
  paramGroups: gs.map((
    g,
  ) => (g.scale === undefined ? { lr: g.lr } : { lr: g.lr, lrScale: g.scale })),
});
const noise = fc.option(
  fc.oneof(
    fc.integer({ min: 0, max: 40 }),
    fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 60 })).map((
      [a, b],
    ) => [a, a + b]),
  ),
  { nil: null },
);
const common = fc.record({
  warmupT: fc.integer({ min: 0, max: 10 }),
  warmupLrInit: fc.double({ min: 0, max: 1e-3, noNaN: true }),
  noiseRangeT: noise,
  noisePct: fc.double({ min: 0.05, max: 1, noNaN: true }),
  noiseSeed: fc.integer({ min: -1000, max: 2 ** 40 }),
});
const cycles = fc.record({
  tInitial: fc.integer({ min: 1, max: 60 }),
  lrMin: fc.double({ min: 0, max: 1e-4, noNaN: true }),
  cycleMul: fc.constantFrom(1, 1, 1.5, 2),
  cycleDecay: fc.double({ min: 0.1, max: 1, noNaN: true }),
  cycleLimit: fc.integer({ min: 1, max: 4 }),
  warmupPrefix: fc.boolean(),
});

type Make = (o: Optimizer) => Scheduler;
const makers: fc.Arbitrary<Make> = fc.oneof(
  fc.tuple(cycles, common, fc.constantFrom(1, 0.5, 2)).map(([c, n, kDecay]) => (o: Optimizer) =>
    new CosineLRScheduler({ optimizer: o, ...c, ...n, kDecay })
  ),
  fc.tuple(cycles, common).map(([c, n]) => (o: Optimizer) =>
    new TanhLRScheduler({ optimizer: o, ...c, ...n })
  ),
  fc.tuple(cycles, common, fc.constantFrom(0.5, 1, 2)).map(([c, n, power]) => (o: Optimizer) =>
    new PolyLRScheduler({ optimizer: o, ...c, ...n, power })
  ),
  fc.tuple(
    common,
    fc.double({ min: 0.5, max: 20, noNaN: true }),
    fc.double({ min: 0.1, max: 1, noNaN: true }),
  )
    .map(([n, decayT, decayRate]) => (o: Optimizer) =>
      new StepLRScheduler({ optimizer: o, ...n, decayT, decayRate })
    ),
  fc.tuple(common, fc.uniqueArray(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 4 }))
    .map(([n, ms]) => (o: Optimizer) =>
      new MultiStepLRScheduler({
        optimizer: o,
        ...n,
        decayT: ms.sort((a, b) => a - b),
        decayRate: 0.5,
      })
    ),
);

test("timm schedulers: a checkpoint through JSON resumes bit for bit, noise included", () => {
  fc.assert(
    fc.property(makers, groups, fc.integer({ min: 1, max: 60 }), (make, gs, k) => {
      const a = optimizerOf(gs);
      const s = make(a);
      for (let e = 0; e < k; e++) s.step(e);
      const state = JSON.parse(JSON.stringify(s.stateDict()));
      const b = optimizerOf(gs);
      const twin = make(b);
      b.paramGroups = JSON.parse(JSON.stringify(a.paramGroups));
      twin.loadStateDict(state);
      for (let e = k; e < k + 40; e++) {
        s.step(e);
        twin.step(e);
        assert.deepEqual(b.paramGroups, a.paramGroups, `epoch ${e}`);
      }
    }),
  );
});

test("timm schedulers: step(t) writes getLr(t) · (1 + noise) · lrScale, and only that", () => {
  fc.assert(
    fc.property(makers, groups, fc.integer({ min: 0, max: 200 }), (make, gs, t) => {
      const o = optimizerOf(gs);
      const s = make(o);
      const values = s.getLr(t);
      const noise = s.isApplyNoise(t) ? s.calculateNoise(t) : 0;
      s.step(t);
      o.paramGroups.forEach((g, i) => {
        const v = s.isApplyNoise(t) ? values[i]! + values[i]! * noise : values[i]!;
        assert.equal(g.lr, g.lrScale === undefined ? v : v * (g.lrScale as number), `group ${i}`);
      });
      assert.deepEqual(s.getLr(t), values); // pure
    }),
  );
});

test("cycle schedulers (no noise): every value lies between lrMin and the peaks", () => {
  fc.assert(
    fc.property(
      cycles,
      lr,
      fc.integer({ min: 0, max: 300 }),
      fc.integer({ min: 0, max: 2 }),
      (c, base, t, which) => {
        const o = { paramGroups: [{ lr: base }] };
        const s = which === 0
          ? new CosineLRScheduler({ optimizer: o, ...c })
          : which === 1
          ? new TanhLRScheduler({ optimizer: o, ...c })
          : new PolyLRScheduler({ optimizer: o, ...c });
        const [v] = s.getLr(t);
        // peaks fall by cycleDecay per cycle: the last cycle's may be below lrMin
        const lo = Math.min(c.lrMin, base * c.cycleDecay ** (c.cycleLimit - 1));
        const hi = Math.max(c.lrMin, base);
        const slack = 4 * Number.EPSILON * hi;
        assert.ok(v! >= lo - slack && v! <= hi + slack, `t ${t}: ${v} outside [${lo}, ${hi}]`);
      },
    ),
  );
});

test("MultiStepLRScheduler decays one step before each (sorted) milestone", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }),
      (ms) => {
        const sorted = ms.slice().sort((a, b) => a - b);
        const s = new MultiStepLRScheduler({
          optimizer: { paramGroups: [{ lr: 1 }] },
          decayT: sorted,
          decayRate: 0.5,
        });
        for (const m of sorted) {
          assert.equal(s.getCurrDecaySteps(m - 1), sorted.filter((x) => x <= m).length);
          assert.equal(s.getCurrDecaySteps(m - 2), sorted.filter((x) => x <= m - 1).length);
        }
      },
    ),
  );
});

test("TorchGenerator: seeds equal mod 2^32 draw alike; a negative seed is its 64-bit pattern", () => {
  const seed = fc.bigInt({ min: 0n, max: 2n ** 32n - 1n });
  fc.assert(
    fc.property(
      seed,
      fc.bigInt({ min: 0n, max: 2n ** 32n - 1n }),
      fc.integer({ min: 1, max: 12 }),
      (s, high, n) => {
        const a = new TorchGenerator().manualSeed(s);
        const b = new TorchGenerator().manualSeed(s + (high << 32n));
        for (let i = 0; i < n; i++) {
          assert.equal(b.randn(), a.randn());
          assert.equal(b.rand(), a.rand());
        }
      },
    ),
  );
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 63n), max: -1n }), (s) => {
      const a = new TorchGenerator().manualSeed(s);
      const b = new TorchGenerator().manualSeed(s + 2n ** 64n);
      assert.equal(a.initialSeed(), b.initialSeed());
      assert.equal(a.randn(), b.randn());
    }),
  );
});
