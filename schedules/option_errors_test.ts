// Option errors are data in every family: a sample of the errors each family throws, constructed
// or raised later (Python's ZeroDivisionError at a step), each with the owner (an explicit
// upstream name), the option and the value in `error.cause` — what the CLI and the page place
// through the family's key tables, without reading the message. The messages stay upstream's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { optionProblem } from "./errors.ts";
import * as hf from "./hf/mod.ts";
import * as timm from "./timm/mod.ts";

const groups = () => ({ paramGroups: [{ lr: 0.1 }] });
const hfOptimizer = () => ({ paramGroups: [{ lr: 1e-3 }], defaults: { lr: 1e-3 } });

type Case = [name: string, make: () => unknown, owner: string, option: string, value: unknown];

const CASES: Record<string, Case[]> = {
  hf: [
    [
      "schedulerType: an unknown name",
      () => hf.schedulerType("cosin"),
      "SchedulerType",
      "name",
      "cosin",
    ],
    [
      "polynomial: lr_end above the initial lr",
      () =>
        hf.getPolynomialDecayScheduleWithWarmup({
          optimizer: hfOptimizer(),
          numWarmupSteps: 0,
          numTrainingSteps: 10,
          lrEnd: 0.1,
        }),
      "getPolynomialDecayScheduleWithWarmup",
      "lrEnd",
      0.1,
    ],
    [
      "wsd: neither num_training_steps nor num_stable_steps",
      () => hf.getWsdSchedule({ optimizer: hfOptimizer(), numWarmupSteps: 0, numDecaySteps: 2 }),
      "getWsdSchedule",
      "numTrainingSteps",
      undefined,
    ],
    [
      "TrainingArguments: parallelism_config",
      () => hf.trainingArguments({ parallelism_config: {} }),
      "TrainingArguments",
      "parallelism_config",
      {},
    ],
    [
      "TrainingArguments: plateau without an eval strategy",
      () => hf.trainingArguments({ lr_scheduler_type: "reduce_lr_on_plateau" }),
      "TrainingArguments",
      "lr_scheduler_type",
      "reduce_lr_on_plateau",
    ],
  ],
  timm: [
    [
      "StepLRScheduler: decayT 0 divides by zero at a step (timm's ZeroDivisionError)",
      () => new timm.StepLRScheduler({ optimizer: groups(), decayT: 0 }).getLr(3),
      "StepLRScheduler",
      "decayT",
      0,
    ],
    [
      "TanhLRScheduler: cycleMul -1, log of a negative number",
      () => new timm.TanhLRScheduler({ optimizer: groups(), tInitial: 10, cycleMul: -1 }).getLr(5),
      "TanhLRScheduler",
      "cycleMul",
      -1,
    ],
    [
      "timmTrainSchedule: lr_base_size 0",
      () => timm.timmTrainSchedule({ sched: "cosine", lr: null, lr_base_size: 0 }),
      "timmTrainSchedule",
      "args.lr_base_size",
      0,
    ],
    [
      "timm scheduler: noise seed not an integer",
      () => new timm.CosineLRScheduler({ optimizer: groups(), tInitial: 10, noiseSeed: 0.5 }),
      "CosineLRScheduler",
      "noiseSeed",
      0.5,
    ],
    [
      "createSchedulerV2: plateau per update",
      () =>
        timm.createSchedulerV2({
          optimizer: groups(),
          sched: "plateau",
          stepOnEpochs: false,
          updatesPerEpoch: 10,
        }),
      "createSchedulerV2",
      "stepOnEpochs",
      false,
    ],
  ],
};

for (const [family, cases] of Object.entries(CASES)) {
  test(`${family}: option errors carry owner, option and value (error.cause)`, async (t) => {
    for (const [name, make, owner, option, value] of cases) {
      await t.test(name, () => {
        assert.throws(make, (e: unknown) => {
          assert.ok(e instanceof TypeError || e instanceof RangeError, String(e));
          assert.deepEqual(optionProblem(e), { owner, option, value }, String(e));
          assert.ok((e as Error).message.includes(owner), (e as Error).message);
          return true;
        });
      });
    }
  });
}
