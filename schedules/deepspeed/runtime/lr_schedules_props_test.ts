/**
 * Property tests of DeepSpeed's schedulers: WarmupLR, WarmupDecayLR and WarmupCosineLR stay within
 * [0, the peak] (WarmupLR's warmup never decreases), OneCycle within [cycleMinLr, cycleMaxLr] during
 * its cycle; a resume through `stateDict`/`loadStateDict` continues with the same bits.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fc } from "../../../testing/props.ts";
import { OneCycle, type Optimizer, WarmupCosineLR, WarmupDecayLR, WarmupLR } from "../mod.ts";

const adam = (lr: number): Optimizer => ({
  paramGroups: [{ lr, betas: [0.9, 0.999] }],
  defaults: { lr, betas: [0.9, 0.999] },
});
const peak = fc.double({ min: 1e-6, max: 1, noNaN: true });
const warmup = fc.integer({ min: 1, max: 300 });
const total = fc.integer({ min: 1, max: 600 });
const type = fc.constantFrom("log", "linear");

test("warmup schedulers stay within [0, peak]; WarmupLR's warmup never decreases", () => {
  fc.assert(
    fc.property(peak, warmup, total, type, (p, w, t, wt) => {
      const o1 = adam(p);
      const o2 = adam(p);
      const o3 = adam(p);
      const a = new WarmupLR({ optimizer: o1, warmupNumSteps: w, warmupType: wt });
      const b = new WarmupDecayLR({
        optimizer: o2,
        totalNumSteps: t,
        warmupNumSteps: w,
        warmupMaxLr: p,
        warmupType: wt,
      });
      const c = new WarmupCosineLR({
        optimizer: o3,
        totalNumSteps: t,
        warmupNumSteps: w,
        warmupType: wt,
      });
      let prev = -Infinity;
      for (let k = 0; k < t + w + 5; k++) {
        for (const o of [o1, o2, o3]) {
          const lr = o.paramGroups[0]!.lr;
          assert.ok(lr >= 0 && lr <= p * (1 + 1e-15), `step ${k}: ${lr}`);
        }
        assert.ok(o1.paramGroups[0]!.lr >= prev);
        prev = o1.paramGroups[0]!.lr;
        a.step();
        b.step();
        c.step();
      }
    }),
    { numRuns: 150 },
  );
});

test("OneCycle stays within its bounds during the cycle; a resume continues with the same bits", () => {
  fc.assert(
    fc.property(
      peak,
      fc.integer({ min: 1, max: 50 }),
      fc.integer({ min: 0, max: 50 }),
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 0, max: 120 }),
      (p, first, second, stairs, cut) => {
        const options = {
          cycleMinLr: p / 10,
          cycleMaxLr: p,
          cycleFirstStepSize: first,
          cycleSecondStepSize: second,
          cycleFirstStairCount: stairs,
          decayStepSize: 3,
          decayLrRate: 0.1,
        };
        const o = adam(p);
        const s = new OneCycle({ optimizer: o, ...options });
        for (let k = 0; k < cut; k++) {
          const lr = o.paramGroups[0]!.lr;
          if (k < first + second) assert.ok(lr >= p / 10 * (1 - 1e-15) && lr <= p * (1 + 1e-15));
          s.step();
        }
        const r = adam(p);
        const resumed = new OneCycle({ optimizer: r, ...options, lastBatchIteration: 0 });
        resumed.loadStateDict(s.stateDict());
        for (let k = 0; k < 40; k++) {
          s.step();
          resumed.step();
          assert.ok(Object.is(o.paramGroups[0]!.lr, r.paramGroups[0]!.lr));
          assert.deepEqual(o.paramGroups[0]!.betas, r.paramGroups[0]!.betas);
        }
      },
    ),
    { numRuns: 150 },
  );
});
