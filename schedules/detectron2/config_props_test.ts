/** Property tests of detectron2's auto_scale_workers port. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fc } from "../../testing/props.ts";
import { autoScaleWorkers, getCfg, roundHalfEven } from "../../mod.ts";

const config = fc.record({
  reference: fc.integer({ min: 1, max: 64 }),
  perWorker: fc.integer({ min: 1, max: 16 }),
  baseLr: fc.double({ min: 1e-6, max: 1, noNaN: true }),
  maxIter: fc.integer({ min: 1, max: 1_000_000 }),
  warmup: fc.integer({ min: 0, max: 5000 }),
  steps: fc.array(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 4 }),
  checkpoint: fc.integer({ min: 1, max: 100_000 }),
  evalPeriod: fc.integer({ min: 0, max: 100_000 }),
}).map((c) => {
  const cfg = getCfg();
  Object.assign(cfg.SOLVER, {
    REFERENCE_WORLD_SIZE: c.reference,
    IMS_PER_BATCH: c.reference * c.perWorker,
    BASE_LR: c.baseLr,
    MAX_ITER: c.maxIter,
    WARMUP_ITERS: c.warmup,
    STEPS: c.steps,
    CHECKPOINT_PERIOD: c.checkpoint,
  });
  cfg.TEST.EVAL_PERIOD = c.evalPeriod;
  return { cfg, perWorker: c.perWorker };
});

test("autoScaleWorkers keeps the per-worker batch size and scales the rest by numWorkers / reference", () => {
  fc.assert(fc.property(config, fc.integer({ min: 1, max: 256 }), ({ cfg, perWorker }, workers) => {
    const before = JSON.stringify(cfg);
    const out = autoScaleWorkers(cfg, workers);
    assert.equal(JSON.stringify(cfg), before, "the input is not modified");
    assert.equal(out.SOLVER.IMS_PER_BATCH, perWorker * workers);
    assert.equal(
      out.SOLVER.IMS_PER_BATCH / workers,
      cfg.SOLVER.IMS_PER_BATCH / cfg.SOLVER.REFERENCE_WORLD_SIZE,
    );
    assert.equal(out.SOLVER.REFERENCE_WORLD_SIZE, workers);
    const scale = workers / cfg.SOLVER.REFERENCE_WORLD_SIZE;
    if (workers !== cfg.SOLVER.REFERENCE_WORLD_SIZE) {
      assert.equal(out.SOLVER.BASE_LR, cfg.SOLVER.BASE_LR * scale);
      assert.equal(out.SOLVER.MAX_ITER, roundHalfEven(cfg.SOLVER.MAX_ITER / scale));
      assert.deepEqual(out.SOLVER.STEPS, cfg.SOLVER.STEPS.map((s) => roundHalfEven(s / scale)));
    }
    assert.equal(out.SOLVER.WARMUP_FACTOR, cfg.SOLVER.WARMUP_FACTOR);
    assert.equal(out.SOLVER.GAMMA, cfg.SOLVER.GAMMA);
    assert.deepEqual(
      autoScaleWorkers(out, workers),
      out,
      "scaling again to the same size is the identity",
    );
  }));
});

test("autoScaleWorkers is the identity (a copy) when REFERENCE_WORLD_SIZE is 0", () => {
  fc.assert(fc.property(config, fc.integer({ min: 1, max: 256 }), ({ cfg }, workers) => {
    cfg.SOLVER.REFERENCE_WORLD_SIZE = 0;
    const out = autoScaleWorkers(cfg, workers);
    assert.deepEqual(out, cfg);
    assert.notEqual(out, cfg);
  }));
});

test("roundHalfEven agrees with Python's round on halves and non-halves", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -1e9, max: 1e9 }),
      fc.constantFrom(0, 0.25, 0.5, 0.75),
      (n, f) => {
        const x = n + f;
        const r = roundHalfEven(x);
        if (f === 0.5) return r % 2 === 0 && Math.abs(r - x) === 0.5;
        return r === Math.round(x);
      },
    ),
  );
});
