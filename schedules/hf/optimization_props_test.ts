/**
 * Property tests of the Hugging Face family: every schedule stays in [0, lr], warmups rise, the
 * decays fall, restarts end at 0; the Trainer's counts cover the dataset and do not depend on
 * how the devices are organised; bad input throws typed errors.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fc, isTypedError, ulpOf } from "../../testing/props.ts";
import {
  getScheduler,
  LambdaLR,
  type LambdaSchedulerType,
  type Optimizer,
  SCHEDULER_TYPES,
  setInitialTrainingValues,
  trainerLrs,
  trainerSchedule,
  trainingArguments,
} from "../../mod.ts";

const lr = fc.double({ min: 1e-8, max: 10, noNaN: true });
const steps = fc.integer({ min: 0, max: 60 });
const rate01 = fc.double({ min: 0, max: 1, noNaN: true });

/** A name with kwargs that keep its factor within [0, 1] (upstream's intended ranges). */
const named: fc.Arbitrary<[LambdaSchedulerType, Record<string, unknown>]> = fc.oneof(
  fc.constant(["linear", {}] as [LambdaSchedulerType, Record<string, unknown>]),
  fc.constant(["constant", {}] as [LambdaSchedulerType, Record<string, unknown>]),
  fc.constant(["constant_with_warmup", {}] as [LambdaSchedulerType, Record<string, unknown>]),
  fc.record({ numCycles: fc.double({ min: -3, max: 3, noNaN: true }) }).map((
    k,
  ) => ["cosine", k] as [LambdaSchedulerType, Record<string, unknown>]),
  fc.record({ numCycles: fc.integer({ min: 1, max: 5 }) }).map((
    k,
  ) => ["cosine_with_restarts", k] as [LambdaSchedulerType, Record<string, unknown>]),
  fc.record({ power: fc.double({ min: 0.1, max: 4, noNaN: true }), lrEnd: fc.constant(0) }).map((
    k,
  ) => ["polynomial", k] as [LambdaSchedulerType, Record<string, unknown>]),
  fc.record({ timescale: fc.integer({ min: 1, max: 1000 }) }).map((
    k,
  ) => ["inverse_sqrt", k] as [LambdaSchedulerType, Record<string, unknown>]),
  fc.record({ minLrRate: rate01, numCycles: fc.double({ min: 0, max: 3, noNaN: true }) }).map((
    k,
  ) => ["cosine_with_min_lr", k] as [LambdaSchedulerType, Record<string, unknown>]),
  fc.record({ minLrRate: rate01, warmupLrRate: fc.option(rate01, { nil: null }) }).map((
    k,
  ) => ["cosine_warmup_with_min_lr", k] as [LambdaSchedulerType, Record<string, unknown>]),
  fc.record({
    numDecaySteps: steps,
    numStableSteps: steps,
    warmupType: fc.constantFrom("linear", "cosine", "1-sqrt"),
    decayType: fc.constantFrom("linear", "cosine", "1-sqrt"),
    minLrRatio: rate01,
  }).map((k) => ["warmup_stable_decay", k] as [LambdaSchedulerType, Record<string, unknown>]),
);

function trace(name: LambdaSchedulerType, kwargs: object, base: number, w: number, n: number) {
  const optimizer: Optimizer = { paramGroups: [{ lr: base }], defaults: { lr: base } };
  const s = getScheduler({
    name,
    optimizer,
    numWarmupSteps: w,
    numTrainingSteps: n,
    schedulerSpecificKwargs: { ...kwargs },
  });
  const out = [optimizer.paramGroups[0]!.lr];
  for (let i = 0; i < n + 5; i++) {
    s.step();
    out.push(optimizer.paramGroups[0]!.lr);
  }
  return out;
}

test("every schedule stays within [0, lr] (up to the rounding of (1 − r) + r)", () => {
  fc.assert(
    fc.property(named, lr, steps, steps, ([name, kwargs], base, w, n) => {
      fc.pre(name !== "polynomial" || w !== n); // upstream's ZeroDivisionError at step N
      const lrs = trace(name, kwargs, base, w, n);
      lrs.forEach((x, s) => {
        assert.ok(x >= 0 && x <= base + 2 * ulpOf(base), `${name}: step ${s}: ${x} vs lr ${base}`);
      });
    }),
  );
});

test("the warmup rises; linear, polynomial and half-cosine decays fall; restarts end at 0", () => {
  fc.assert(
    fc.property(named, lr, steps, steps, ([name, kwargs], base, w, n) => {
      fc.pre(name !== "polynomial" || w !== n); // upstream's ZeroDivisionError at step N
      const lrs = trace(name, kwargs, base, w, n);
      const tol = 2 * ulpOf(base);
      if (name !== "constant" && name !== "warmup_stable_decay") {
        for (let s = 1; s < Math.min(w, lrs.length); s++) {
          assert.ok(lrs[s]! >= lrs[s - 1]!, `${name}: warmup rises at step ${s}`);
        }
      }
      const falls = name === "linear" || name === "polynomial" ||
        (name === "cosine_with_min_lr" && (kwargs.numCycles as number) <= 0.5) ||
        (name === "cosine" && (kwargs.numCycles as number) >= 0 &&
          (kwargs.numCycles as number) <= 0.5);
      if (falls) {
        for (let s = w + 1; s <= n; s++) {
          assert.ok(lrs[s]! <= lrs[s - 1]! + tol, `${name}: decays at step ${s}`);
        }
      }
      if (name === "cosine_with_restarts" && n > w) {
        for (let s = n; s < lrs.length; s++) assert.equal(lrs[s], 0, `restarts: 0 at step ${s}`);
      }
    }),
  );
});

test("getScheduler: arbitrary options throw TypeError/RangeError or give finite rates", () => {
  const anything = fc.oneof(
    fc.double(),
    fc.integer({ min: -5, max: 100 }),
    fc.constantFrom(null, undefined, "cosine", "1-sqrt", [], {}, true, Infinity, NaN),
  );
  fc.assert(
    fc.property(
      fc.constantFrom(...SCHEDULER_TYPES, "bogus"),
      anything,
      anything,
      fc.dictionary(
        fc.constantFrom(
          "numCycles",
          "lrEnd",
          "power",
          "timescale",
          "minLr",
          "minLrRate",
          "warmupLrRate",
          "numDecaySteps",
          "numStableSteps",
          "warmupType",
          "decayType",
          "minLrRatio",
          "factor",
          "patience",
          "mode",
          "bogus",
        ),
        anything,
      ),
      (name, w, n, kwargs) => {
        const optimizer: Optimizer = { paramGroups: [{ lr: 0.1 }], defaults: { lr: 0.1 } };
        try {
          const s = getScheduler({
            name: name as never,
            optimizer,
            numWarmupSteps: w as never,
            numTrainingSteps: n as never,
            schedulerSpecificKwargs: kwargs,
          });
          for (let i = 0; i < 30; i++) {
            if (s instanceof LambdaLR) s.step();
            else s.step(1 - i / 100);
            assert.ok(Number.isFinite(optimizer.paramGroups[0]!.lr));
          }
        } catch (e) {
          if (!isTypedError(e)) throw e;
        }
      },
    ),
  );
});

const trainer = fc.record({
  per_device_train_batch_size: fc.integer({ min: 1, max: 64 }),
  gradient_accumulation_steps: fc.integer({ min: 1, max: 16 }),
  num_train_epochs: fc.integer({ min: 1, max: 5 }),
  dataloader_drop_last: fc.boolean(),
  warmup_steps: fc.oneof(
    fc.double({ min: 0, max: 0.999, noNaN: true }),
    fc.integer({ min: 0, max: 50 }),
  ),
});

test("Trainer counts: every example is seen each epoch, integer epochs multiply", () => {
  fc.assert(
    fc.property(
      trainer,
      fc.integer({ min: 1, max: 100_000 }),
      fc.integer({ min: 1, max: 16 }),
      (args, n, p) => {
        const b = args.per_device_train_batch_size;
        fc.pre(!args.dataloader_drop_last || n >= b * p);
        const v = setInitialTrainingValues(trainingArguments(args), {
          datasetSize: n,
          numProcesses: p,
        });
        const len = v.lenDataloader!;
        if (!args.dataloader_drop_last) {
          assert.ok(len * b * p >= n, "the processes' batches cover the dataset");
          assert.ok((len - 1) * b * p < n, "with less than one round of padding");
        } else {
          assert.ok(len * b * p <= n, "drop_last never repeats examples");
        }
        assert.equal(v.numUpdateStepsPerEpoch, Math.ceil(len / args.gradient_accumulation_steps));
        assert.equal(v.maxSteps, args.num_train_epochs * v.numUpdateStepsPerEpoch);
        assert.equal(v.totalTrainBatchSize, b * args.gradient_accumulation_steps * p);
      },
    ),
  );
});

test("Trainer counts: P processes of batch B step like one DataParallel process of batch B·P", () => {
  fc.assert(
    fc.property(
      trainer,
      fc.integer({ min: 1, max: 100_000 }),
      fc.integer({ min: 1, max: 16 }),
      (args, n, p) => {
        fc.pre(!args.dataloader_drop_last || n >= args.per_device_train_batch_size * p);
        const ddp = setInitialTrainingValues(trainingArguments(args), {
          datasetSize: n,
          numProcesses: p,
        });
        const dpArgs = {
          ...args,
          per_device_train_batch_size: args.per_device_train_batch_size * p,
        };
        const dp = setInitialTrainingValues(trainingArguments(dpArgs), { datasetSize: n });
        assert.equal(dp.lenDataloader, ddp.lenDataloader, "ceil(ceil(N/B)/P) = ceil(N/(B·P))");
        assert.equal(dp.maxSteps, ddp.maxSteps);
      },
    ),
  );
});

test("Trainer schedule: warmup within the run, one finite rate in [0, lr] per step", () => {
  fc.assert(
    fc.property(
      trainer,
      fc.integer({ min: 1, max: 5000 }),
      fc.constantFrom("linear", "cosine", "constant_with_warmup", "inverse_sqrt", "polynomial"),
      (args, n, type) => {
        const plan = trainerSchedule({ ...args, lr_scheduler_type: type, learning_rate: 1e-3 }, {
          datasetSize: n + args.per_device_train_batch_size,
        });
        if (args.warmup_steps < 1) assert.ok(plan.numWarmupSteps <= plan.maxSteps);
        const lrs = trainerLrs(plan);
        assert.equal(lrs.length, plan.maxSteps);
        for (const x of lrs) assert.ok(x >= 0 && x <= 1e-3 + 2 * ulpOf(1e-3));
      },
    ),
    { numRuns: Math.max(20, Math.floor(fc.readConfigureGlobal().numRuns! / 4)) },
  );
});
