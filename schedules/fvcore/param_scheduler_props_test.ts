/**
 * Property tests of the fvcore ports: monotonicity, continuity (Lipschitz bounds and jump sets),
 * bounds and identities, over generated parameters. Tolerances are stated where floating point
 * makes an exact statement false, with the reason.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fc, ulpOf, value, where, wherePair } from "../../testing/props.ts";
import {
  CompositeParamScheduler,
  ConstantParamScheduler,
  CosineParamScheduler,
  ExponentialParamScheduler,
  LinearParamScheduler,
  MultiStepParamScheduler,
  type ParamSchedulerLike,
  PolynomialDecayParamScheduler,
  StepParamScheduler,
  StepWithFixedGammaParamScheduler,
  WarmupParamScheduler,
  WHERE_EPSILON,
} from "../../mod.ts";
import { pySum } from "../_internal/python.ts";

/** Rounding slack of the interpolating formulas: a few ULPs of the largest magnitude involved. */
const slack = (...xs: number[]) => 8 * ulpOf(Math.max(...xs.map(Math.abs)));

const startEnd = fc.tuple(value(), value()).filter(([s, e]) => Number.isFinite(s - e));
const decreasingValues = fc.array(fc.double({ min: 1e-6, max: 10, noNaN: true }), {
  minLength: 1,
  maxLength: 12,
})
  .map((xs) => xs.sort((a, b) => b - a));

/** Milestones strictly inside (0, n), sorted and distinct. */
const milestonesFor = (n: number, count: number) =>
  fc.uniqueArray(fc.integer({ min: 1, max: n - 1 }), { minLength: count, maxLength: count }).map((
    m,
  ) => m.sort((a, b) => a - b));

const multiStep = fc.integer({ min: 2, max: 2000 }).chain((n) =>
  fc.integer({ min: 0, max: Math.min(8, n - 1) }).chain((k) =>
    fc.record({
      numUpdates: fc.constant(n),
      milestones: milestonesFor(n, k),
      values: fc.array(fc.double({ min: 1e-6, max: 10, noNaN: true }), {
        minLength: k + 1,
        maxLength: k + 1,
      })
        .map((xs) => xs.sort((a, b) => b - a)),
    })
  )
);

test("monotonicity", async (t) => {
  await t.test("cosine decays (or rises) monotonically: exact, given a monotone libm cos", () => {
    fc.assert(fc.property(startEnd, wherePair, ([s, e], [a, b]) => {
      const c = new CosineParamScheduler({ startValue: s, endValue: e });
      return s >= e ? c.at(a) >= c.at(b) : c.at(a) <= c.at(b);
    }));
  });
  await t.test("linear is monotone up to 8 ULP: end·w + start·(1−w) rounds each term separately", () => {
    fc.assert(fc.property(startEnd, wherePair, ([s, e], [a, b]) => {
      const l = new LinearParamScheduler({ startValue: s, endValue: e });
      return s >= e ? l.at(a) >= l.at(b) - slack(s, e) : l.at(a) <= l.at(b) + slack(s, e);
    }));
  });
  await t.test("exponential with decay < 1 decays; with decay > 1 grows (for startValue > 0)", () => {
    fc.assert(
      fc.property(
        value(1e-3, 1e3),
        fc.double({ min: 1e-6, max: 100, noNaN: true }),
        wherePair,
        (s, d, [a, b]) => {
          const x = new ExponentialParamScheduler({ startValue: s, decay: d });
          return d <= 1 ? x.at(a) >= x.at(b) : x.at(a) <= x.at(b);
        },
      ),
    );
  });
  await t.test("polynomial decay with power > 0 decays (for baseValue > 0)", () => {
    fc.assert(
      fc.property(
        value(1e-3, 1e3),
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        wherePair,
        (base, p, [a, b]) => {
          const x = new PolynomialDecayParamScheduler({ baseValue: base, power: p });
          return x.at(a) >= x.at(b);
        },
      ),
    );
  });
  await t.test("multistep with non-increasing values never increases", () => {
    fc.assert(fc.property(multiStep, wherePair, (o, [a, b]) => {
      const m = new MultiStepParamScheduler(o);
      return m.at(a) >= m.at(b);
    }));
  });
  await t.test("step and step-with-fixed-gamma (gamma <= 1) never increase before the end", () => {
    const below = wherePair.filter(([, b]) => b < 1 - 2 * WHERE_EPSILON);
    fc.assert(fc.property(decreasingValues, below, (values, [a, b]) => {
      const s = new StepParamScheduler({ numUpdates: 100, values });
      return s.at(a) >= s.at(b);
    }));
    fc.assert(fc.property(
      fc.double({ min: 1e-6, max: 10, noNaN: true }),
      fc.double({ min: 1e-3, max: 1, noNaN: true }),
      fc.integer({ min: 1, max: 10 }),
      below,
      (base, gamma, numDecays, [a, b]) => {
        const s = new StepWithFixedGammaParamScheduler({
          baseValue: base,
          gamma,
          numDecays,
          numUpdates: 1000,
        });
        return s.at(a) >= s.at(b);
      },
    ));
  });
  await t.test("a composite of decaying parts decays within each segment", () => {
    const part = fc.oneof(
      startEnd.map(([s, e]) =>
        new CosineParamScheduler({ startValue: Math.max(s, e), endValue: Math.min(s, e) })
      ),
      startEnd.map(([s, e]) =>
        new LinearParamScheduler({ startValue: Math.max(s, e), endValue: Math.min(s, e) })
      ),
      value().map((v) => new ConstantParamScheduler({ value: v })),
    );
    const composite = fc.array(
      fc.tuple(
        part,
        fc.integer({ min: 1, max: 100 }),
        fc.constantFrom("rescaled" as const, "fixed" as const),
      ),
      {
        minLength: 1,
        maxLength: 6,
      },
    ).map((parts) => {
      const total = parts.reduce((a, [, w]) => a + w, 0);
      return new CompositeParamScheduler({
        schedulers: parts.map(([p]) => p),
        lengths: parts.map(([, w]) => w / total),
        intervalScaling: parts.map(([, , s]) => s),
      });
    });
    fc.assert(fc.property(composite, wherePair.filter(([, b]) => b < 1), (c, [a, b]) => {
      fc.pre(c.segmentAt(a) === c.segmentAt(b));
      const i = c.segmentAt(a);
      const part = c.schedulers[i] as
        | CosineParamScheduler
        | LinearParamScheduler
        | ConstantParamScheduler;
      const tol = part instanceof LinearParamScheduler ? slack(part.startValue, part.endValue) : 0;
      return c.at(a) >= c.at(b) - tol;
    }));
  });
  await t.test("linear warmup rises from warmupFactor·s(0) to the main schedule", () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0.001, max: 0.5, noNaN: true }),
      wherePair,
      (factor, length, [a, b]) => {
        const s = new WarmupParamScheduler({
          scheduler: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
          warmupFactor: factor,
          warmupLength: length,
        });
        fc.pre(s.segmentAt(b) === 0 && factor * s.scheduler.at(0) <= s.scheduler.at(length));
        return s.at(a) <= s.at(b) + slack(1);
      },
    ));
  });
});

test("continuity", async (t) => {
  await t.test("cosine is Lipschitz with constant π/2·|start − end|", () => {
    fc.assert(fc.property(startEnd, wherePair, ([s, e], [a, b]) => {
      const c = new CosineParamScheduler({ startValue: s, endValue: e });
      return Math.abs(c.at(a) - c.at(b)) <=
        (Math.PI / 2) * Math.abs(s - e) * (b - a) + slack(s, e, s - e);
    }));
  });
  await t.test("linear is Lipschitz with constant |end − start|", () => {
    fc.assert(fc.property(startEnd, wherePair, ([s, e], [a, b]) => {
      const l = new LinearParamScheduler({ startValue: s, endValue: e });
      return Math.abs(l.at(a) - l.at(b)) <= Math.abs(e - s) * (b - a) + slack(s, e);
    }));
  });
  await t.test("exponential is Lipschitz with constant |start·ln(decay)|·max(1, decay)", () => {
    fc.assert(
      fc.property(
        value(-1e3, 1e3),
        fc.double({ min: 1e-6, max: 100, noNaN: true }),
        wherePair,
        (s, d, [a, b]) => {
          const x = new ExponentialParamScheduler({ startValue: s, decay: d });
          const k = Math.abs(s * Math.log(d)) * Math.max(1, d);
          return Math.abs(x.at(a) - x.at(b)) <= k * (b - a) * (1 + 1e-12) + slack(s, s * d);
        },
      ),
    );
  });
  await t.test("polynomial decay with power >= 1 is Lipschitz with constant |base|·power", () => {
    fc.assert(
      fc.property(
        value(-1e3, 1e3),
        fc.double({ min: 1, max: 10, noNaN: true }),
        wherePair,
        (base, p, [a, b]) => {
          const x = new PolynomialDecayParamScheduler({ baseValue: base, power: p });
          return Math.abs(x.at(a) - x.at(b)) <=
            Math.abs(base) * p * (b - a) * (1 + 1e-12) + slack(base);
        },
      ),
    );
  });
  await t.test("multistep (numUpdates < 10^6) jumps exactly at its milestones, nowhere else", () => {
    fc.assert(
      fc.property(multiStep.filter((o) => new Set(o.values).size === o.values.length), (o) => {
        const m = new MultiStepParamScheduler(o);
        const jumps: number[] = [];
        let prev = m.at(0);
        for (let i = 1; i <= o.numUpdates; i++) {
          const v = m.at(i / o.numUpdates);
          if (v !== prev) jumps.push(i);
          prev = v;
        }
        assert.deepEqual(jumps, o.milestones);
      }),
      { numRuns: Math.max(20, Math.floor(fc.readConfigureGlobal().numRuns! / 10)) },
    );
  });
  // (i/n + 1e-6)·n lands just below or just above i + 10⁻⁶·n, so the jump is ⌈10⁻⁶·n⌉ or
  // ⌈10⁻⁶·n⌉ − 1 updates early: 10 at n = 10^7 (the fixture long-10m), 0 at n = 10^6 exactly.
  await t.test("multistep (numUpdates >= 10^6): each jump comes ⌈10⁻⁶·n⌉ or ⌈10⁻⁶·n⌉ − 1 updates early (WHERE_EPSILON)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000_000, max: 200_000_000 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (n, frac) => {
          const milestone = Math.floor(n * frac);
          const m = new MultiStepParamScheduler({
            values: [1, 0.5],
            milestones: [milestone],
            numUpdates: n,
          });
          const early = 1e-6 * n;
          const lo = milestone - Math.ceil(early) - 2;
          let jump = -1;
          for (let i = lo; i <= milestone; i++) {
            if (m.at(i / n) === 0.5) {
              jump = i;
              break;
            }
          }
          assert.ok(m.at(lo / n) === 1, "still before the jump at the window start");
          assert.ok(
            jump >= milestone - Math.ceil(early) && jump <= milestone - Math.ceil(early) + 1,
            `jump at ${jump} for milestone ${milestone}, n=${n}`,
          );
        },
      ),
    );
  });
  await t.test("step jumps exactly at multiples of numUpdates / values.length", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 300 }), (k, q) => {
        const values = Array.from({ length: k }, (_, i) => 1 / (i + 1));
        const s = new StepParamScheduler({ numUpdates: k * q, values });
        const n = k * q;
        const jumps: number[] = [];
        for (let i = 1; i < n; i++) if (s.at(i / n) !== s.at((i - 1) / n)) jumps.push(i);
        assert.deepEqual(jumps, Array.from({ length: k - 1 }, (_, j) => (j + 1) * q));
      }),
    );
  });
  await t.test("WarmupParamScheduler (fixed interval) meets the main schedule at the end of warmup", () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0.01, max: 0.9, noNaN: true }),
      startEnd,
      fc.double({ min: 1e-9, max: 1e-3, noNaN: true }),
      (factor, length, [s, e], delta) => {
        const main = new CosineParamScheduler({ startValue: s, endValue: e });
        const w = new WarmupParamScheduler({
          scheduler: main,
          warmupFactor: factor,
          warmupLength: length,
        });
        assert.equal(
          w.at(length),
          main.at(length),
          "at the end of warmup the main schedule takes over",
        );
        assert.equal(w.schedulers[0]!.at(1), main.at(length), "the warmup ramp ends exactly on it");
        const before = length * (1 - delta);
        const gap = Math.abs(main.at(length) - factor * main.at(0));
        // Within WHERE_EPSILON of the end of warmup the main schedule already applies.
        const bound = w.segmentAt(before) === 0
          ? gap * delta * (1 + 1e-6)
          : (Math.PI / 2) * Math.abs(s - e) * (length - before);
        assert.ok(Math.abs(w.at(before) - main.at(length)) <= bound + slack(s, e, gap));
      },
    ));
  });
});

test("bounds and identities", async (t) => {
  await t.test("cosine and linear stay between start and end (up to rounding)", () => {
    fc.assert(fc.property(startEnd, where, ([s, e], w) => {
      const lo = Math.min(s, e) - slack(s, e), hi = Math.max(s, e) + slack(s, e);
      const c = new CosineParamScheduler({ startValue: s, endValue: e }).at(w);
      const l = new LinearParamScheduler({ startValue: s, endValue: e }).at(w);
      return c >= lo && c <= hi && l >= lo && l <= hi;
    }));
  });
  await t.test("exponential stays between start and start·decay; polynomial between 0 and base", () => {
    fc.assert(
      fc.property(
        value(0, 1e3),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        where,
        (s, d, p, w) => {
          const x = new ExponentialParamScheduler({ startValue: s, decay: d }).at(w);
          const y = new PolynomialDecayParamScheduler({ baseValue: s, power: p }).at(w);
          return x >= Math.min(s, s * d) && x <= Math.max(s, s * d) && y >= 0 && y <= s;
        },
      ),
    );
  });
  await t.test("piecewise-constant values come from the given list, nothing else", () => {
    fc.assert(
      fc.property(
        multiStep,
        where,
        (o, w) => o.values.includes(new MultiStepParamScheduler(o).at(w)),
      ),
    );
  });
  await t.test("multistep is scale-invariant in (milestones, numUpdates) away from rounding boundaries", () => {
    fc.assert(fc.property(multiStep, fc.integer({ min: 2, max: 50 }), where, (o, k, w) => {
      const x = (w + WHERE_EPSILON) * o.numUpdates;
      fc.pre(Math.abs(x - Math.round(x)) > 1e-6);
      const a = new MultiStepParamScheduler(o);
      const b = new MultiStepParamScheduler({
        ...o,
        milestones: o.milestones.map((m) => m * k),
        numUpdates: o.numUpdates * k,
      });
      return a.at(w) === b.at(w);
    }));
  });
  await t.test("the four ways of spelling a multistep schedule agree", () => {
    fc.assert(fc.property(multiStep, where, (o, w) => {
      const explicit = new MultiStepParamScheduler(o);
      const trailing = new MultiStepParamScheduler({
        values: o.values,
        milestones: [...o.milestones, o.numUpdates],
      });
      return explicit.at(w) === trailing.at(w);
    }));
  });
  await t.test("a composite never mutates its inputs and copies the corrected lengths", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 20 }),
        (ws) => {
          const total = ws.reduce((a, b) => a + b, 0);
          const lengths = ws.map((w) => w / total);
          const copy = lengths.slice();
          const c = new CompositeParamScheduler({
            schedulers: ws.map((w) => new ConstantParamScheduler({ value: w })),
            lengths,
            intervalScaling: ws.map(() => "fixed" as const),
          });
          assert.deepEqual(lengths, copy);
          const sumHead = pySum(c.lengths.slice(0, -1), "3.12"); // the default python
          const sum = pySum(copy, "3.12");
          assert.equal(c.lengths.at(-1), sum === 1 ? copy.at(-1) : 1 - sumHead);
        },
      ),
    );
  });
});

/** A random schedule of any fvcore family, for properties that hold for all of them. */
export const anySchedule: fc.Arbitrary<ParamSchedulerLike> = fc.oneof(
  startEnd.map(([s, e]) => new CosineParamScheduler({ startValue: s, endValue: e })),
  startEnd.map(([s, e]) => new LinearParamScheduler({ startValue: s, endValue: e })),
  value().map((v) => new ConstantParamScheduler({ value: v })),
  multiStep.map((o) => new MultiStepParamScheduler(o)),
  fc.tuple(value(-1e3, 1e3), fc.double({ min: 0, max: 10, noNaN: true })).map(([s, d]) =>
    new ExponentialParamScheduler({ startValue: s, decay: d })
  ),
  fc.tuple(value(-1e3, 1e3), fc.double({ min: 0, max: 10, noNaN: true })).map(([b, p]) =>
    new PolynomialDecayParamScheduler({ baseValue: b, power: p })
  ),
);

test("every valid schedule is finite on [0, 1) and deterministic", () => {
  fc.assert(fc.property(anySchedule, where.filter((w) => w < 1), (s, w) => {
    const v = s.at(w);
    return Number.isFinite(v) && Object.is(v, s.at(w));
  }));
});
