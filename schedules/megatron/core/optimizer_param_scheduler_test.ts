import { test } from "node:test";
import assert from "node:assert/strict";
import { throwsWith } from "../../../testing/throws.ts";
import {
  type MegatronParamGroup,
  OptimizerParamScheduler,
  type OptimizerParamSchedulerOptions,
} from "../mod.ts";
import { libm } from "../../math.ts";

// Expected values: Megatron's formulas written out at hand-picked steps, with the runtime's libm.

type Opts = Omit<OptimizerParamSchedulerOptions, "optimizer">;
const BASE: Opts = {
  initLr: 0,
  maxLr: 1e-3,
  minLr: 1e-5,
  lrWarmupSteps: 10,
  lrDecaySteps: 100,
  lrDecayStyle: "cosine",
  startWd: 0.1,
  endWd: 0.1,
  wdIncrSteps: 100,
  wdIncrStyle: "constant",
};

function make(over: Partial<Opts> = {}, groups: MegatronParamGroup[] = [{ lr: 0 }]) {
  const optimizer = { paramGroups: groups.map((g) => ({ ...g })) };
  const s = new OptimizerParamScheduler({ ...BASE, ...over, optimizer });
  const at = (n: number, j = 0) => {
    s.numSteps = n;
    return s.getLr(optimizer.paramGroups[j]!);
  };
  return { s, optimizer, at };
}

test("OptimizerParamScheduler: construction writes step 0", async (t) => {
  await t.test("lr and weightDecay of every group; defaults of the flags", () => {
    const { s, optimizer } = make({ initLr: 1e-4 }, [{ lr: 5 }, { lr: 5, wdMult: 0 }]);
    assert.equal(s.numSteps, 0);
    assert.equal(optimizer.paramGroups[0]!.lr, 1e-4);
    assert.equal(optimizer.paramGroups[0]!.weightDecay, 0.1);
    assert.equal(optimizer.paramGroups[1]!.weightDecay, 0);
    assert.equal(s.useCheckpointOptParamScheduler, true);
    assert.equal(s.overrideOptParamScheduler, false);
    assert.equal(s.wsdDecaySteps, null);
    assert.equal(s.lrWsdDecayStyle, null);
  });
  await t.test("does not copy the optimizer; writes in place", () => {
    const optimizer = { paramGroups: [{ lr: 7 }] };
    const s = new OptimizerParamScheduler({ ...BASE, optimizer });
    assert.equal(s.optimizer, optimizer);
    assert.equal(optimizer.paramGroups[0]!.lr, 0);
  });
});

test("OptimizerParamScheduler: warmup (inclusive) and decay styles", async (t) => {
  await t.test("linear warmup from initLr, n <= W inclusive", () => {
    const { at } = make({ initLr: 1e-4 });
    assert.equal(at(0), 1e-4);
    assert.equal(at(3), 1e-4 + (1e-3 - 1e-4) * 3 / 10);
    assert.equal(at(10), 1e-4 + (1e-3 - 1e-4) * 10 / 10);
  });
  await t.test("lrWarmupSteps 0: no warmup branch", () => {
    const { at } = make({ lrWarmupSteps: 0, lrDecayStyle: "linear" });
    assert.equal(at(0), 1e-5 + 1.0 * (1e-3 - 1e-5));
  });
  await t.test("constant: maxLr after warmup, even past lrDecaySteps", () => {
    const { at } = make({ lrDecayStyle: "constant" });
    assert.equal(at(11), 1e-3);
    assert.equal(at(1000), 1e-3);
  });
  await t.test("linear", () => {
    const { at } = make({ lrDecayStyle: "linear" });
    assert.equal(at(55), 1e-5 + (1.0 - 45 / 90) * (1e-3 - 1e-5));
    assert.equal(at(100), 1e-5);
  });
  await t.test("cosine", () => {
    const { at } = make();
    assert.equal(at(40), 1e-5 + 0.5 * (libm.cos(Math.PI * (30 / 90)) + 1.0) * (1e-3 - 1e-5));
  });
  await t.test("past lrDecaySteps: minLr", () => {
    assert.equal(make().at(101), 1e-5);
  });
  await t.test("inverse-square-root: max(min, max·W^0.5/n^0.5), then minLr past decay", () => {
    const { at } = make({ lrDecayStyle: "inverse-square-root", minLr: 1e-4 });
    assert.equal(at(40), 1e-3 * libm.pow(10, 0.5) / libm.pow(40, 0.5));
    assert.equal(
      at(99),
      1e-4 > 1e-3 * libm.pow(10, 0.5) / libm.pow(99, 0.5)
        ? 1e-4
        : 1e-3 * libm.pow(10, 0.5) / libm.pow(99, 0.5),
    );
    assert.equal(at(101), 1e-4);
    const z = make({ lrDecayStyle: "inverse-square-root", lrWarmupSteps: 0, minLr: 0 });
    assert.equal(z.at(0), 1e-3); // max(W, 1) and max(n, 1)
  });
  await t.test("per-group maxLr / minLr override the scheduler's", () => {
    const { at } = make({ lrDecayStyle: "linear" }, [{ lr: 0 }, { lr: 0, maxLr: 2e-3, minLr: 0 }]);
    assert.equal(at(5, 1), 0 + (2e-3 - 0) * 5 / 10); // warmup toward the group's maxLr
    assert.equal(at(55, 1), 0 + (1.0 - 45 / 90) * 2e-3);
    assert.equal(at(200, 1), 0);
  });
  await t.test("a fractional warmup", () => {
    const { at } = make({ lrWarmupSteps: 2.5, lrDecayStyle: "linear" });
    assert.equal(at(2), 0 + 1e-3 * 2 / 2.5);
    assert.equal(at(3), 1e-5 + (1.0 - 0.5 / 97.5) * (1e-3 - 1e-5));
  });
});

test("OptimizerParamScheduler: WSD", async (t) => {
  const wsd = (style: NonNullable<Opts["lrWsdDecayStyle"]> | null) =>
    make({ lrDecayStyle: "WSD", wsdDecaySteps: 30, lrWsdDecayStyle: style });
  await t.test("stable until lrDecaySteps − wsdDecaySteps (inclusive)", () => {
    assert.equal(wsd("linear").at(70), 1e-5 + 1.0 * (1e-3 - 1e-5));
  });
  const d = 1e-3 - 1e-5;
  await t.test("linear", () => assert.equal(wsd("linear").at(80), 1e-5 + (1.0 - 10 / 30) * d));
  await t.test("cosine", () =>
    assert.equal(wsd("cosine").at(80), 1e-5 + 0.5 * (libm.cos(Math.PI * (10 / 30)) + 1.0) * d));
  await t.test("exponential", () =>
    assert.equal(wsd("exponential").at(80), 1e-5 + (2.0 * libm.pow(0.5, 10 / 30) - 1.0) * d));
  await t.test("minus_sqrt", () =>
    assert.equal(wsd("minus_sqrt").at(80), 1e-5 + (1.0 - libm.sqrt(10 / 30)) * d));
  await t.test("each reaches minLr at lrDecaySteps", () => {
    for (const style of ["linear", "cosine", "exponential", "minus_sqrt"] as const) {
      assert.equal(wsd(style).at(100), 1e-5 + 0 * d, style);
    }
  });
  await t.test("no lrWsdDecayStyle: throws once annealing starts (assert coeff is not None)", () => {
    const { at } = wsd(null);
    assert.equal(at(70), 1e-3);
    throwsWith(() => at(71), RangeError, /lrWsdDecayStyle/);
  });
  await t.test("a style switched to WSD by a checkpoint, without wsdDecaySteps: TypeError", () => {
    const { s, optimizer } = make({ lrDecayStyle: "linear" });
    s.lrDecayStyle = "WSD";
    s.numSteps = 50;
    throwsWith(() => s.getLr(optimizer.paramGroups[0]!), TypeError, /wsdDecaySteps/);
  });
});

test("OptimizerParamScheduler: weight decay", async (t) => {
  const wd = (style: Opts["wdIncrStyle"], group: MegatronParamGroup = { lr: 0 }) => {
    const { s, optimizer } = make({ startWd: 0, endWd: 0.1, wdIncrStyle: style, wdIncrSteps: 80 }, [
      group,
    ]);
    return (n: number) => {
      s.numSteps = n;
      return s.getWd(optimizer.paramGroups[0]);
    };
  };
  await t.test("linear", () => assert.equal(wd("linear")(20), 0 + (20 / 80) * 0.1));
  await t.test("cosine", () =>
    assert.equal(wd("cosine")(20), 0 + 0.5 * (libm.cos(Math.PI * (1 - 20 / 80)) + 1.0) * 0.1));
  await t.test("past wdIncrSteps: endWd", () => assert.equal(wd("linear")(81), 0.1));
  await t.test("the group's startWd / endWd", () =>
    assert.equal(wd("linear", { lr: 0, startWd: 0.05, endWd: 0.25 })(40), 0.05 + 0.5 * 0.2));
  await t.test("getWd() without a group uses the scheduler's", () => {
    const { s } = make({ startWd: 0, endWd: 0.1, wdIncrStyle: "linear", wdIncrSteps: 80 });
    s.numSteps = 40;
    assert.equal(s.getWd(), 0.05);
  });
  await t.test("wdMult multiplies what step() writes", () => {
    const { s, optimizer } = make({}, [{ lr: 0, wdMult: 0.5 }]);
    s.step(1);
    assert.equal(optimizer.paramGroups[0]!.weightDecay, 0.1 * 0.5);
  });
  await t.test("constant with startWd != endWd: the assertion, at construction (step 0)", () => {
    throwsWith(() => make({ startWd: 0, endWd: 0.1 }), RangeError, /start_wd == end_wd/);
  });
  await t.test("wdIncrSteps 0 with a non-constant style: ZeroDivisionError as RangeError", () => {
    throwsWith(
      () => make({ startWd: 0, endWd: 0.1, wdIncrStyle: "linear", wdIncrSteps: 0 }),
      RangeError,
      /wdIncrSteps/,
    );
  });
});

test("OptimizerParamScheduler: step(increment)", async (t) => {
  await t.test("adds the increment (samples) and writes every group", () => {
    const { s, optimizer } = make({ lrDecayStyle: "linear" });
    s.step(32);
    assert.equal(s.numSteps, 32);
    assert.equal(optimizer.paramGroups[0]!.lr, 1e-5 + (1.0 - 22 / 90) * (1e-3 - 1e-5));
  });
  await t.test("a negative count below 0 hits the decay-ratio assertion (no warmup)", () => {
    const { s } = make({ lrWarmupSteps: 0 });
    throwsWith(() => s.step(-1), RangeError, /decay_ratio >= 0.0/);
  });
  await t.test("rejects a non-finite increment", () => {
    throwsWith(() => make().s.step(NaN), RangeError);
  });
  await t.test("an unsupported decay style throws at the first step past warmup", () => {
    const { s } = make({ lrDecayStyle: "polynomial" as "linear" });
    s.step(10);
    throwsWith(() => s.step(1), RangeError, /"polynomial" decay style is not supported/);
  });
});

test("OptimizerParamScheduler: Megatron's constructor assertions", async (t) => {
  const cases: [string, Partial<Opts>, RegExp][] = [
    ["minLr < 0", { minLr: -1 }, /min_lr >= 0.0/],
    ["maxLr < minLr", { maxLr: 1e-6 }, /max_lr >= min_lr/],
    ["initLr > maxLr", { initLr: 1 }, /init_lr <= max_lr/],
    ["lrDecaySteps <= 0", { lrDecaySteps: 0, lrWarmupSteps: -1 }, /lr_decay_steps > 0/],
    ["lrWarmupSteps >= lrDecaySteps", { lrWarmupSteps: 100 }, /lr_warmup_steps < lr_decay_steps/],
    ["WSD without wsdDecaySteps", { lrDecayStyle: "WSD" }, /wsd_decay_steps is not None/],
    ["startWd < 0", { startWd: -1, endWd: 0 }, /start_wd >= 0.0/],
    ["endWd < startWd", { startWd: 0.2 }, /end_wd >= start_wd/],
    [
      "override with use-checkpoint",
      { overrideOptParamScheduler: true },
      /both override and use-checkpoint/,
    ],
  ];
  for (const [name, over, message] of cases) {
    await t.test(name, () => throwsWith(() => make(over), RangeError, message));
  }
  await t.test("types and unknown keys", () => {
    throwsWith(() => make({ maxLr: "1" as unknown as number }), TypeError);
    throwsWith(() => make({ wdIncrStyle: "exp" as "linear" }), RangeError);
    throwsWith(() => make({ lrWsdDecayStyle: "sqrt" as "linear" }), RangeError);
    throwsWith(
      () => make({ lr_decay_style: "linear" } as Partial<Opts>),
      TypeError,
      /lrDecayStyle/,
    );
  });
});

test("OptimizerParamScheduler: stateDict / loadStateDict", async (t) => {
  const saved = () => {
    const { s } = make();
    for (let i = 0; i < 12; i++) s.step(2);
    return s.stateDict();
  };
  await t.test("stateDict holds Megatron's ten keys", () => {
    assert.deepEqual(Object.keys(saved()).sort(), [
      "endWd",
      "lrDecaySteps",
      "lrDecayStyle",
      "lrWarmupSteps",
      "maxLr",
      "minLr",
      "numSteps",
      "startWd",
      "wdIncrSteps",
      "wdIncrStyle",
    ]);
  });
  await t.test("use-checkpoint (the class default): the checkpoint's values, then step(numSteps)", () => {
    const { s, optimizer } = make({ maxLr: 5e-4, lrDecayStyle: "linear" });
    s.loadStateDict(saved());
    assert.equal(s.maxLr, 1e-3);
    assert.equal(s.lrDecayStyle, "cosine");
    assert.equal(s.numSteps, 24);
    assert.equal(optimizer.paramGroups[0]!.lr, make().at(24));
  });
  await t.test("override: keeps the class values, restores the count", () => {
    const { s } = make({
      maxLr: 5e-4,
      overrideOptParamScheduler: true,
      useCheckpointOptParamScheduler: false,
    });
    s.loadStateDict(saved());
    assert.equal(s.maxLr, 5e-4);
    assert.equal(s.numSteps, 24);
  });
  await t.test("neither flag: values must match (Megatron's assertion)", () => {
    const { s } = make({ maxLr: 5e-4, useCheckpointOptParamScheduler: false });
    throwsWith(() => s.loadStateDict(saved()), RangeError, /learning rate do not match/);
    const same = make({ useCheckpointOptParamScheduler: false });
    same.s.loadStateDict(saved());
    assert.equal(same.s.numSteps, 24);
  });
  await t.test("the count adds to the current one (as upstream's step(increment=num_steps))", () => {
    const { s } = make();
    s.step(5);
    s.loadStateDict(saved());
    assert.equal(s.numSteps, 29);
  });
  await t.test("older checkpoints' names; weight decay only with startWd", () => {
    const { s } = make({ startWd: 0, endWd: 0, wdIncrStyle: "constant" });
    s.loadStateDict({
      startLr: 2e-3,
      minLr: 0,
      warmupIter: 4,
      endIter: 80,
      decayStyle: "linear",
      numIters: 30,
    });
    assert.deepEqual([s.maxLr, s.lrWarmupSteps, s.lrDecaySteps, s.numSteps], [2e-3, 4, 80, 30]);
    assert.equal(s.endWd, 0);
  });
  await t.test("a missing key is a TypeError (KeyError); the input is not mutated", () => {
    const state = saved();
    delete state.minLr;
    const copy = structuredClone(state);
    throwsWith(() => make().s.loadStateDict(state), TypeError, /minLr/);
    assert.deepEqual(state, copy);
  });
});
