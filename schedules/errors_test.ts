import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CosineLRScheduler,
  MultiStepParamScheduler,
  optionProblem,
  StepLR,
} from "../mod.ts";
import { camelCase, sameName, snakeCase } from "./names.ts";

const optimizer = () => ({ paramGroups: [{ lr: 0.1 }] });

test("option errors carry owner, option and value as data (error.cause)", async (t) => {
  await t.test("a constructor's option", () => {
    assert.throws(
      () => new StepLR({ optimizer: optimizer(), stepSize: 0 }),
      (e: unknown) => {
        assert.ok(e instanceof RangeError);
        assert.deepEqual(optionProblem(e), { owner: "StepLR", option: "stepSize", value: 0 });
        return true;
      },
    );
  });
  await t.test("an unknown option: the key and its value", () => {
    assert.throws(
      () => new StepLR({ optimizer: optimizer(), stepSize: 3, step_size: 3 } as never),
      (e: unknown) => {
        assert.deepEqual(optionProblem(e), { owner: "StepLR", option: "step_size", value: 3 });
        return true;
      },
    );
  });
  await t.test("not an option error: undefined", () => {
    assert.equal(optionProblem(new RangeError("x")), undefined);
    assert.equal(optionProblem("x"), undefined);
  });
});

test("owners are explicit names: a renamed class (as a minifier renames it) keeps them", () => {
  // The site bundle is minified: `class StepLR` becomes `class ut`; messages must still say StepLR.
  const ut = class extends StepLR {};
  const s = new ut({ optimizer: optimizer(), stepSize: 2 });
  assert.equal(s.owner, "StepLR");
  assert.throws(() => s.step(-1), /^RangeError: StepLR: `epoch` must be an integer >= 0/);
  const ct = class extends CosineLRScheduler {};
  const c = new ct({ optimizer: optimizer(), tInitial: 10 });
  assert.equal(c.owner, "CosineLRScheduler");
  assert.throws(() => c.step(NaN), /^RangeError: CosineLRScheduler: `epoch`/);
  assert.throws(() => c.loadStateDict({ nope: 1 }), /^TypeError: CosineLRScheduler: unknown/);
});

test("did you mean: every upstream keyword finds its option (T_max → TMax, T_0 → T0)", () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () => new CosineAnnealingLR({ optimizer: optimizer(), T_max: 10 } as never),
      /unknown option `T_max` \(did you mean `TMax`\?\)/,
    ],
    [
      () => new CosineAnnealingWarmRestarts({ optimizer: optimizer(), T_0: 10 } as never),
      /unknown option `T_0` \(did you mean `T0`\?\)/,
    ],
    [
      () => new StepLR({ optimizer: optimizer(), step_size: 10 } as never),
      /unknown option `step_size` \(did you mean `stepSize`\?\)/,
    ],
    [
      () => new MultiStepParamScheduler({ values: [1], num_updates: 10 } as never),
      /unknown option `num_updates` \(did you mean `numUpdates`\?\)/,
    ],
  ];
  for (const [make, message] of cases) assert.throws(make, message);
});

test("names: upstream keyword ↔ option, one home", () => {
  for (
    const [kw, option] of [
      ["step_size", "stepSize"],
      ["T_max", "TMax"],
      ["T_0", "T0"],
      ["T_mult", "TMult"],
      ["eta_min", "etaMin"],
      ["num_warmup_steps", "numWarmupSteps"],
      ["warmup_t", "warmupT"],
      ["t_initial", "tInitial"],
      ["min_lr_rate", "minLrRate"],
    ]
  ) {
    assert.equal(camelCase(kw!), option, kw);
    assert.equal(snakeCase(option!), kw, option);
    assert.ok(sameName(kw!, option!));
  }
  assert.ok(!sameName("stepSize", "gamma"));
});
