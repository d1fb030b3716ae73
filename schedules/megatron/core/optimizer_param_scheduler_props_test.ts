/**
 * Property tests of Megatron's OptimizerParamScheduler: every rate lies between the smallest of
 * `initLr`/`minLr` and the group's `maxLr` (WSD's every annealing shape included), the weight
 * decay between `startWd` and `endWd`, and a checkpoint resume (stateDict, a fresh scheduler,
 * loadStateDict) continues with the same bits.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fc } from "../../../testing/props.ts";
import {
  LR_DECAY_STYLES,
  LR_WSD_DECAY_STYLES,
  OptimizerParamScheduler,
  type OptimizerParamSchedulerOptions,
} from "../mod.ts";

type Opts = Omit<OptimizerParamSchedulerOptions, "optimizer">;

const options: fc.Arbitrary<Opts> = fc.record({
  maxLr: fc.double({ min: 1e-6, max: 1, noNaN: true }),
  minFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  initFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  decay: fc.integer({ min: 1, max: 5000 }),
  warmupFrac: fc.double({ min: 0, max: 0.99, noNaN: true }),
  wsdFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  style: fc.constantFrom(...LR_DECAY_STYLES),
  wsdStyle: fc.constantFrom(...LR_WSD_DECAY_STYLES),
  wdIncr: fc.constantFrom("constant", "linear", "cosine") as fc.Arbitrary<
    "constant" | "linear" | "cosine"
  >,
  startWd: fc.double({ min: 0, max: 0.2, noNaN: true }),
  wdSpan: fc.double({ min: 0, max: 0.2, noNaN: true }),
}).map((r) => ({
  initLr: r.initFrac * r.maxLr,
  maxLr: r.maxLr,
  minLr: r.minFrac * r.maxLr,
  lrWarmupSteps: Math.floor(r.warmupFrac * r.decay),
  lrDecaySteps: r.decay,
  lrDecayStyle: r.style,
  wsdDecaySteps: Math.floor(r.wsdFrac * r.decay),
  lrWsdDecayStyle: r.wsdStyle,
  startWd: r.startWd,
  endWd: r.wdIncr === "constant" ? r.startWd : r.startWd + r.wdSpan,
  wdIncrSteps: r.decay,
  wdIncrStyle: r.wdIncr,
}));

const increment = fc.integer({ min: 1, max: 64 });

test("every rate is within [min(initLr, minLr), maxLr]; weight decay within [startWd, endWd]", () => {
  fc.assert(
    fc.property(options, increment, (o, inc) => {
      const optimizer = { paramGroups: [{ lr: 0 }] };
      const s = new OptimizerParamScheduler({ ...o, optimizer });
      const lo = Math.min(o.initLr, o.minLr);
      for (let k = 0; k * inc <= o.lrDecaySteps + 2 * inc; k++) {
        const g = optimizer.paramGroups[0]! as { lr: number; weightDecay?: number };
        assert.ok(g.lr >= lo && g.lr <= o.maxLr * (1 + 1e-15), `step ${k}: lr ${g.lr}`);
        const wd = g.weightDecay!;
        assert.ok(wd >= o.startWd && wd <= o.endWd * (1 + 1e-15), `step ${k}: wd ${wd}`);
        s.step(inc);
      }
    }),
    { numRuns: 200 },
  );
});

test("a checkpoint resume continues with the same bits", () => {
  fc.assert(
    fc.property(options, increment, fc.double({ min: 0, max: 1, noNaN: true }), (o, inc, at) => {
      const a = { paramGroups: [{ lr: 0 }] };
      const s = new OptimizerParamScheduler({ ...o, optimizer: a });
      const n = Math.ceil((o.lrDecaySteps + inc) / inc);
      const cut = Math.floor(at * n);
      for (let k = 0; k < cut; k++) s.step(inc);
      const b = { paramGroups: [{ lr: 0 }] };
      const r = new OptimizerParamScheduler({ ...o, optimizer: b });
      r.loadStateDict(s.stateDict());
      for (let k = cut; k < n; k++) {
        assert.ok(Object.is(a.paramGroups[0]!.lr, b.paramGroups[0]!.lr), `step ${k}`);
        s.step(inc);
        r.step(inc);
      }
    }),
    { numRuns: 200 },
  );
});
