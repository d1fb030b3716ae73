/**
 * Property tests of the PyTorch scheduler family: monotonicity of the decaying schedules, bounds,
 * resume identity at a random step for every class, and bad input.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fc, isTypedError, ulpOf } from "../../../testing/props.ts";
import * as lrspec from "../../../mod.ts";
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  type LRScheduler,
  MultiplicativeLR,
  MultiStepLR,
  OneCycleLR,
  type Optimizer,
  PolynomialLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
} from "../../../mod.ts";

const runs = (divisor: number) =>
  Math.max(20, Math.floor(fc.readConfigureGlobal().numRuns! / divisor));
/** Normal learning rates (subnormals lose the precision the tolerances assume). */
const lr = fc.double({ min: 1e-8, max: 10, noNaN: true });
const lrs = fc.array(lr, { minLength: 1, maxLength: 4 });
const sgd = (base: number[]): Optimizer => ({
  paramGroups: base.map((x) => ({ lr: x, momentum: 0.9 })),
});
const decay = fc.double({ min: 0.01, max: 1, noNaN: true });

function lrTrace(s: LRScheduler, o: Optimizer, steps: number): number[][] {
  const out = [o.paramGroups.map((g) => g.lr)];
  for (let i = 0; i < steps; i++) {
    s.step();
    out.push(o.paramGroups.map((g) => g.lr));
  }
  return out;
}

/** Non-increasing, allowing `tol(lr)` of rounding at each step. */
function assertNonIncreasing(
  t: number[][],
  label: string,
  tol: (x: number) => number = () => 0,
  from = 1,
  to = t.length,
): void {
  for (let i = Math.max(1, from); i < to; i++) {
    t[i]!.forEach((x, g) =>
      assert.ok(
        x <= t[i - 1]![g]! + tol(t[i - 1]![g]!),
        `${label}: step ${i} group ${g}: ${t[i - 1]![g]} → ${x}`,
      )
    );
  }
}

test("decaying torch schedulers never increase", async (t) => {
  await t.test("StepLR, MultiStepLR, ExponentialLR with gamma <= 1 (exact: x·gamma <= x)", () => {
    fc.assert(
      fc.property(
        lrs,
        decay,
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 6 }),
        (base, gamma, stepSize, milestones) => {
          for (
            const make of [
              (o: Optimizer) => new StepLR({ optimizer: o, stepSize, gamma }),
              (o: Optimizer) => new MultiStepLR({ optimizer: o, milestones, gamma }),
              (o: Optimizer) => new ExponentialLR({ optimizer: o, gamma }),
            ]
          ) {
            const o = sgd(base);
            assertNonIncreasing(lrTrace(make(o), o, 120), make.toString());
          }
        },
      ),
      { numRuns: runs(5) },
    );
  });
  await t.test("LinearLR from a higher to a lower factor; PolynomialLR with power > 0 (until totalIters)", () => {
    fc.assert(
      fc.property(
        lrs,
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        (base, a, b, totalIters, power) => {
          const o1 = sgd(base);
          const linear = new LinearLR({
            optimizer: o1,
            startFactor: Math.max(a, b),
            endFactor: Math.min(a, b),
            totalIters,
          });
          // LinearLR's recursion multiplies by a ratio that is <= 1 only up to rounding.
          assertNonIncreasing(
            lrTrace(linear, o1, totalIters + 10),
            "LinearLR",
            (x) => 4 * ulpOf(x),
          );
          const o2 = sgd(base);
          assertNonIncreasing(
            lrTrace(new PolynomialLR({ optimizer: o2, totalIters, power }), o2, totalIters),
            "PolynomialLR",
            (x) => 4 * ulpOf(x),
          );
        },
      ),
      { numRuns: runs(5) },
    );
  });
  await t.test("CosineAnnealingLR up to TMax, within 2 ULP a step (etaMin + (lr − etaMin) may round up)", () => {
    fc.assert(
      fc.property(
        lrs,
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0, max: 1e-6, noNaN: true }),
        (base, TMax, etaMin) => {
          fc.pre(etaMin <= Math.min(...base)); // otherwise the cosine rises from base to etaMin
          const o = sgd(base);
          const tr = lrTrace(new CosineAnnealingLR({ optimizer: o, TMax, etaMin }), o, TMax);
          assertNonIncreasing(tr, "CosineAnnealingLR", (x) => 2 * ulpOf(x));
          tr.forEach((row) =>
            row.forEach((x, g) => assert.ok(x >= etaMin - 1e-12 && x <= base[g]! * (1 + 1e-12)))
          );
        },
      ),
      { numRuns: runs(5) },
    );
  });
  await t.test("OneCycleLR rises to maxLr, then anneals (two-phase, cos or linear)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 400 }),
        fc.double({ min: 0.05, max: 0.9, noNaN: true }),
        fc.constantFrom("cos" as const, "linear" as const),
        fc.array(fc.double({ min: 1e-4, max: 5, noNaN: true }), { minLength: 1, maxLength: 3 }),
        (totalSteps, pctStart, annealStrategy, maxLr) => {
          // torch's first phase ends at step pct·total − 1, a float: the steps up to it rise, the
          // steps after it fall; the peak is on one side or the other of that boundary.
          const end = pctStart * totalSteps - 1;
          fc.pre(end >= 1);
          const o = sgd(maxLr.map(() => 0.1));
          const tr = lrTrace(
            new OneCycleLR({ optimizer: o, maxLr, totalSteps, pctStart, annealStrategy }),
            o,
            totalSteps - 1,
          );
          const tol = (x: number) => 4 * ulpOf(x);
          for (let i = 1; i < tr.length; i++) {
            tr[i]!.forEach((x, g) => {
              const prev = tr[i - 1]![g]!;
              if (i <= end) assert.ok(x >= prev - tol(prev), `rising at ${i}`);
              else if (i - 1 > end) assert.ok(x <= prev + tol(prev), `annealing at ${i}`);
              assert.ok(x <= maxLr[g]! * (1 + 1e-12) && x > 0);
            });
          }
        },
      ),
      { numRuns: runs(5) },
    );
  });
  await t.test("ReduceLROnPlateau never raises the rate and never goes below minLr", () => {
    fc.assert(
      fc.property(
        lrs,
        fc.array(
          fc.oneof(
            fc.double({ min: -10, max: 10, noNaN: true }),
            fc.constantFrom(NaN, Infinity, -Infinity),
          ),
          { minLength: 1, maxLength: 200 },
        ),
        fc.record({
          mode: fc.constantFrom("min" as const, "max" as const),
          factor: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
          patience: fc.integer({ min: 0, max: 5 }),
          threshold: fc.double({ min: 0, max: 0.1, noNaN: true }),
          thresholdMode: fc.constantFrom("rel" as const, "abs" as const),
          cooldown: fc.integer({ min: 0, max: 3 }),
          minLr: fc.double({ min: 0, max: 1e-3, noNaN: true }),
        }),
        (base, metrics, options) => {
          const o = sgd(base);
          const s = new ReduceLROnPlateau({ optimizer: o, ...options });
          let prev = o.paramGroups.map((g) => g.lr);
          for (const m of metrics) {
            s.step(m);
            const now = o.paramGroups.map((g) => g.lr);
            now.forEach((x, g) => {
              assert.ok(x <= prev[g]!, "never increases");
              assert.ok(x >= Math.min(options.minLr, base[g]!), "never below minLr");
            });
            prev = now;
          }
        },
      ),
      { numRuns: runs(5) },
    );
  });
});

test("cycling schedulers stay within their bounds", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.double({ min: 1e-4, max: 1, noNaN: true }),
          fc.double({ min: 1e-4, max: 1, noNaN: true }),
        ),
        { minLength: 1, maxLength: 3 },
      ),
      fc.integer({ min: 1, max: 60 }),
      fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
      fc.constantFrom("triangular" as const, "triangular2" as const, "exp_range" as const),
      fc.double({ min: 0.9, max: 1, noNaN: true }),
      (pairs, stepSizeUp, stepSizeDown, mode, gamma) => {
        const baseLr = pairs.map(([a, b]) => Math.min(a, b));
        const maxLr = pairs.map(([a, b]) => Math.max(a, b));
        const o = sgd(baseLr);
        const s = new CyclicLR({
          optimizer: o,
          baseLr,
          maxLr,
          stepSizeUp,
          stepSizeDown,
          mode,
          gamma,
          baseMomentum: 0.8,
          maxMomentum: 0.9,
        });
        for (let i = 0; i < 300; i++) {
          o.paramGroups.forEach((g, k) => {
            const tol = 4 * ulpOf(maxLr[k]!);
            assert.ok(g.lr >= baseLr[k]! - tol && g.lr <= maxLr[k]! + tol, `lr ${g.lr} at ${i}`);
            assert.ok(
              (g.momentum as number) >= 0.8 - 1e-12 && (g.momentum as number) <= 0.9 + 1e-12,
              `momentum at ${i}`,
            );
          });
          s.step();
        }
      },
    ),
    { numRuns: runs(5) },
  );
  fc.assert(
    fc.property(
      lrs,
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 1, max: 3 }),
      fc.double({ min: 0, max: 1e-4, noNaN: true }),
      (base, T0, TMult, etaMin) => {
        fc.pre(etaMin <= Math.min(...base));
        const o = sgd(base);
        const s = new CosineAnnealingWarmRestarts({ optimizer: o, T0, TMult, etaMin });
        for (let i = 0; i < 200; i++) {
          o.paramGroups.forEach((g, k) =>
            assert.ok(g.lr >= etaMin - 1e-15 && g.lr <= base[k]! * (1 + 1e-12))
          );
          s.step();
        }
      },
    ),
    { numRuns: runs(5) },
  );
});

/** A factory for every torch class, from generated options; `steps` bounds a valid run. */
type Factory = { name: string; steps: number; make: (o: Optimizer) => LRScheduler };
const factories: fc.Arbitrary<Factory> = fc.oneof(
  fc.tuple(fc.double({ min: 0.9, max: 1, noNaN: true })).map(([k]): Factory => ({
    name: "LambdaLR",
    steps: 200,
    make: (o) => new LambdaLR({ optimizer: o, lrLambda: (e: number) => k ** e }),
  })),
  fc.tuple(fc.double({ min: 0.9, max: 1, noNaN: true })).map(([k]): Factory => ({
    name: "MultiplicativeLR",
    steps: 200,
    make: (o) => new MultiplicativeLR({ optimizer: o, lrLambda: () => k }),
  })),
  fc.tuple(fc.integer({ min: 1, max: 20 }), decay).map(([stepSize, gamma]): Factory => ({
    name: "StepLR",
    steps: 200,
    make: (o) => new StepLR({ optimizer: o, stepSize, gamma }),
  })),
  fc.tuple(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 5 }), decay).map((
    [milestones, gamma],
  ): Factory => ({
    name: "MultiStepLR",
    steps: 200,
    make: (o) => new MultiStepLR({ optimizer: o, milestones, gamma }),
  })),
  fc.tuple(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.integer({ min: 0, max: 50 })).map((
    [factor, totalIters],
  ): Factory => ({
    name: "ConstantLR",
    steps: 100,
    make: (o) => new ConstantLR({ optimizer: o, factor, totalIters }),
  })),
  fc.tuple(
    fc.double({ min: 0.01, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.integer({ min: 0, max: 50 }),
  ).map(
    ([startFactor, endFactor, totalIters]): Factory => ({
      name: "LinearLR",
      steps: 100,
      make: (o) => new LinearLR({ optimizer: o, startFactor, endFactor, totalIters }),
    }),
  ),
  decay.map((gamma): Factory => ({
    name: "ExponentialLR",
    steps: 200,
    make: (o) => new ExponentialLR({ optimizer: o, gamma }),
  })),
  fc.tuple(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.1, max: 3, noNaN: true })).map((
    [totalIters, power],
  ): Factory => ({
    name: "PolynomialLR",
    steps: totalIters + 10,
    make: (o) => new PolynomialLR({ optimizer: o, totalIters, power }),
  })),
  fc.tuple(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0, max: 1e-3, noNaN: true })).map((
    [TMax, etaMin],
  ): Factory => ({
    name: "CosineAnnealingLR",
    steps: 3 * TMax + 5,
    make: (o) => new CosineAnnealingLR({ optimizer: o, TMax, etaMin }),
  })),
  fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 3 })).map((
    [T0, TMult],
  ): Factory => ({
    name: "CosineAnnealingWarmRestarts",
    steps: 150,
    make: (o) => new CosineAnnealingWarmRestarts({ optimizer: o, T0, TMult }),
  })),
  fc.tuple(
    fc.integer({ min: 1, max: 30 }),
    fc.constantFrom("triangular" as const, "triangular2" as const, "exp_range" as const),
  ).map(
    ([stepSizeUp, mode]): Factory => ({
      name: "CyclicLR",
      steps: 200,
      make: (o) =>
        new CyclicLR({
          optimizer: o,
          baseLr: 0.001,
          maxLr: 0.1,
          stepSizeUp,
          mode,
          gamma: 0.99,
          baseMomentum: 0.8,
          maxMomentum: 0.9,
        }),
    }),
  ),
  fc.tuple(
    fc.integer({ min: 20, max: 200 }),
    fc.boolean(),
    fc.constantFrom("cos" as const, "linear" as const),
  ).map(
    ([totalSteps, threePhase, annealStrategy]): Factory => ({
      name: "OneCycleLR",
      steps: totalSteps - 1,
      make: (o) =>
        new OneCycleLR({ optimizer: o, maxLr: 0.1, totalSteps, threePhase, annealStrategy }),
    }),
  ),
  fc.tuple(fc.integer({ min: 1, max: 40 }), decay).map(([m, gamma]): Factory => ({
    name: "SequentialLR",
    steps: 100,
    make: (o) =>
      new SequentialLR({
        optimizer: o,
        schedulers: [
          new ConstantLR({ optimizer: o, factor: 0.5, totalIters: m }),
          new ExponentialLR({ optimizer: o, gamma }),
        ],
        milestones: [m],
      }),
  })),
  fc.tuple(decay, fc.integer({ min: 1, max: 20 })).map(([gamma, stepSize]): Factory => ({
    name: "ChainedScheduler",
    steps: 100,
    make: (o) =>
      new ChainedScheduler({
        schedulers: [
          new ExponentialLR({ optimizer: o, gamma }),
          new StepLR({ optimizer: o, stepSize, gamma: 0.5 }),
        ],
      }),
  })),
);

test("resume: every torch class continues bit-identically from a JSON state dict at a random step", () => {
  fc.assert(
    fc.property(
      factories,
      lrs,
      fc.double({ min: 0, max: 1, noNaN: true }),
      ({ name, steps, make }, base, frac) => {
        const k = Math.floor(frac * steps);
        const a = sgd(base);
        const sa = make(a);
        for (let i = 0; i < k; i++) sa.step();
        const state = JSON.parse(JSON.stringify(sa.stateDict()));
        const groups = JSON.parse(JSON.stringify(a.paramGroups)); // torch users restore the optimizer too
        const b = sgd(base);
        const sb = make(b);
        b.paramGroups.splice(0, b.paramGroups.length, ...groups);
        sb.loadStateDict(state);
        for (let i = k; i < steps; i++) {
          sa.step();
          sb.step();
          assert.deepEqual(b.paramGroups, a.paramGroups, `${name}: step ${i + 1}`);
          assert.deepEqual(sb.getLastLr(), sa.getLastLr());
        }
      },
    ),
    { numRuns: runs(4) },
  );
});

test("resume: ReduceLROnPlateau continues bit-identically on the same metrics", () => {
  fc.assert(
    fc.property(
      lrs,
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 100 }),
      fc.nat(),
      (base, metrics, cut) => {
        const k = cut % metrics.length;
        const a = sgd(base);
        const sa = new ReduceLROnPlateau({ optimizer: a, patience: 2, cooldown: 1, factor: 0.5 });
        metrics.slice(0, k).forEach((m) => sa.step(m));
        const state = JSON.parse(JSON.stringify(sa.stateDict()));
        const b = sgd(base);
        b.paramGroups.splice(0, b.paramGroups.length, ...JSON.parse(JSON.stringify(a.paramGroups)));
        const sb = new ReduceLROnPlateau({ optimizer: b, patience: 2, cooldown: 1, factor: 0.5 });
        sb.loadStateDict(state);
        for (const m of metrics.slice(k)) {
          sa.step(m);
          sb.step(m);
          assert.deepEqual(b.paramGroups, a.paramGroups);
        }
      },
    ),
    { numRuns: runs(4) },
  );
});

/** Wild values for torch options. */
const wild: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -1,
    0,
    -0,
    1e308,
    0.5,
    2,
    1000,
    2 ** 53 + 2,
    "1",
    "",
    true,
    null,
    undefined,
    [],
    {},
    [NaN],
    [3, 1],
    () => NaN,
  ),
  fc.double(),
  fc.integer({ min: -10, max: 100_000 }),
);
const maybe = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: wild });

test("torch classes: bad options fail clearly; accepted ones step to finite LRs or throw RangeError", async (t) => {
  const small = fc.double({ min: 0, max: 2, noNaN: true });
  const iters = fc.integer({ min: 0, max: 50 });
  const specs: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
    StepLR: { stepSize: iters, gamma: small },
    MultiStepLR: { milestones: fc.array(iters, { maxLength: 4 }), gamma: small },
    ConstantLR: { factor: small, totalIters: iters },
    LinearLR: { startFactor: small, endFactor: small, totalIters: iters },
    ExponentialLR: { gamma: small },
    PolynomialLR: { totalIters: iters, power: small },
    CosineAnnealingLR: { TMax: iters, etaMin: small },
    CosineAnnealingWarmRestarts: {
      T0: iters,
      TMult: fc.integer({ min: 0, max: 3 }),
      etaMin: small,
    },
    CyclicLR: {
      baseLr: small,
      maxLr: small,
      stepSizeUp: iters,
      stepSizeDown: fc.option(iters, { nil: null }),
      mode: fc.constantFrom("triangular", "triangular2", "exp_range", "sawtooth"),
      gamma: small,
      cycleMomentum: fc.boolean(),
      baseMomentum: small,
      maxMomentum: small,
    },
    OneCycleLR: {
      maxLr: small,
      totalSteps: fc.option(iters, { nil: null }),
      epochs: fc.option(iters, { nil: null }),
      stepsPerEpoch: fc.option(iters, { nil: null }),
      pctStart: small,
      annealStrategy: fc.constantFrom("cos", "linear", "exp"),
      divFactor: small,
      finalDivFactor: small,
      threePhase: fc.boolean(),
    },
    LambdaLR: { lrLambda: fc.constantFrom((e: number) => 0.9 ** e, () => NaN, () => "1", 3) },
    MultiplicativeLR: { lrLambda: fc.constantFrom(() => 0.95, () => Infinity, null) },
  };
  for (const [cls, spec] of Object.entries(specs)) {
    await t.test(cls, () => {
      const Ctor = (lrspec as unknown as Record<string, new (o: unknown) => LRScheduler>)[cls]!;
      const options = fc.record(
        Object.fromEntries(Object.entries(spec).map(([k, a]) => [k, maybe(a)])),
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(options, lrs, fc.constantFrom(-1, -1, -1, 5), (o, base, lastEpoch) => {
          const optimizer = sgd(base);
          let s: LRScheduler;
          try {
            s = new Ctor({ ...o, optimizer, lastEpoch });
          } catch (e) {
            assert.ok(isTypedError(e), `${cls}: untyped error ${String(e)}`);
            assert.ok(
              (e as Error).message.startsWith(`${cls}:`),
              `${cls}: ${(e as Error).message}`,
            );
            return;
          }
          for (let i = 0; i < 80; i++) {
            assert.ok(
              optimizer.paramGroups.every((g) => Number.isFinite(g.lr)),
              `${cls}: non-finite lr at ${i}`,
            );
            try {
              s.step();
            } catch (e) {
              assert.ok(e instanceof RangeError, `${cls}: step() threw ${String(e)}`);
              break;
            }
          }
        }),
        { numRuns: runs(2) },
      );
    });
  }
});
