import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CosineAnnealingLR,
  ExponentialLR,
  type Optimizer,
  StepLR,
  SWALR,
  swaLrs,
  type TorchVersion,
} from "../../../mod.ts";
import { series, sgd } from "../../../testing/schedulers.ts";

// Expected values: torch 2.13.0 (the local CPU wheel) and Debian's torch 1.13.1 on this project's
// machine, printed with repr(); the golden suites (fixtures/torch, fixtures/torch-2.13: swalr/,
// swa/) cover the rest.

const groups = (...lrs: number[]): Optimizer => ({ paramGroups: lrs.map((lr) => ({ lr })) });

test("SWALR: each option and branch", async (t) => {
  await t.test("defaults: cos over 10 epochs, then swa_lr held", () => {
    const optimizer = sgd(0.1);
    const s = new SWALR({ optimizer, swaLr: 0.05 });
    assert.equal(s.annealEpochs, 10);
    assert.equal(s.annealStrategy, "cos");
    assert.deepEqual(series(optimizer, s, 12), [
      0.1,
      0.09877641290737885,
      0.0952254248593737,
      0.08969463130731184,
      0.0827254248593737,
      0.07500000000000001,
      0.06727457514062632,
      0.06030536869268818,
      0.05477457514062632,
      0.05122358709262116,
      0.05,
      0.05,
      0.05,
    ]);
  });
  await t.test("annealStrategy cos and linear over 3 epochs", () => {
    const run = (annealStrategy: "cos" | "linear") => {
      const optimizer = sgd(0.1);
      return series(
        optimizer,
        new SWALR({ optimizer, swaLr: 0.05, annealEpochs: 3, annealStrategy }),
        4,
      );
    };
    assert.deepEqual(run("cos"), [0.1, 0.08750000000000001, 0.06250000000000001, 0.05, 0.05]);
    assert.deepEqual(run("linear"), [0.1, 0.08333333333333334, 0.06666666666666668, 0.05, 0.05]);
  });
  await t.test("annealEpochs 0: step = max(1, step), so the constructor already writes swaLr", () => {
    const optimizer = groups(0.1, 0.2);
    const s = new SWALR({ optimizer, swaLr: 0.01, annealEpochs: 0 });
    assert.deepEqual(optimizer.paramGroups.map((g) => g.lr), [0.01, 0.01]);
    s.step();
    assert.deepEqual(s.getLastLr(), [0.01, 0.01]);
  });
  await t.test("swaLr per group, written into each group as swaLr", () => {
    const optimizer = groups(0.1, 0.01);
    const s = new SWALR({
      optimizer,
      swaLr: [0.05, 0.02],
      annealEpochs: 2,
      annealStrategy: "linear",
    });
    assert.deepEqual(optimizer.paramGroups.map((g) => g.swaLr), [0.05, 0.02]);
    const rows = [];
    for (let i = 0; i < 3; i++) {
      rows.push(optimizer.paramGroups.map((g) => g.lr));
      s.step();
    }
    rows.push(optimizer.paramGroups.map((g) => g.lr));
    assert.deepEqual(rows, [[0.1, 0.01], [0.07500000000000001, 0.015], [0.05, 0.02], [0.05, 0.02]]);
  });
  await t.test("it anneals from the current rate: a change from outside is followed", () => {
    const optimizer = sgd(0.1);
    const s = new SWALR({ optimizer, swaLr: 0.05, annealEpochs: 2, annealStrategy: "linear" });
    optimizer.paramGroups[0]!.lr = 0.3; // another scheduler's rate
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.175); // halfway from 0.3 to 0.05
  });
  await t.test("step(epoch) sets lastEpoch only: SWALR counts its own steps", () => {
    const a = sgd(0.1);
    const b = sgd(0.1);
    const sa = new SWALR({ optimizer: a, swaLr: 0.05, annealEpochs: 4 });
    const sb = new SWALR({ optimizer: b, swaLr: 0.05, annealEpochs: 4 });
    sa.step(50);
    sb.step();
    assert.equal(a.paramGroups[0]!.lr, b.paramGroups[0]!.lr);
    assert.equal(sa.lastEpoch, 50);
  });
  await t.test("the static arithmetic of torch's _linear_anneal, _cosine_anneal, _get_initial_lr", () => {
    assert.equal(SWALR._linearAnneal(0.25), 0.25);
    assert.equal(SWALR._cosineAnneal(0), 0);
    assert.equal(SWALR._cosineAnneal(1), 1);
    assert.equal(SWALR._cosineAnneal(0.5), 0.49999999999999994); // Python: (1 - cos(pi / 2)) / 2
    assert.equal(SWALR._getInitialLr(0.3, 0.05, 1), 0.05, "alpha 1: swa_lr itself");
    assert.equal(SWALR._getInitialLr(0.0875, 0.05, 0.25), (0.0875 - 0.25 * 0.05) / (1 - 0.25));
  });
  await t.test("lastEpoch resumes from initialLr (and keeps the resumed rate at the initial step)", () => {
    const optimizer: Optimizer = { paramGroups: [{ lr: 0.08, initialLr: 0.1 }] };
    const s = new SWALR({ optimizer, swaLr: 0.05, annealEpochs: 6, lastEpoch: 30 });
    assert.equal(s.lastEpoch, 31);
    assert.deepEqual(s.baseLrs, [0.1]);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.08);
  });
});

test("SWALR: errors mirror torch's, nothing is written when an option is wrong", async (t) => {
  await t.test("annealStrategy (torch ValueError; 1.13's 'must by one of')", () => {
    const optimizer = sgd(0.1);
    assert.throws(
      () => new SWALR({ optimizer, swaLr: 0.05, annealStrategy: "exp" as never }),
      { name: "RangeError", message: /annealStrategy.*"exp".*must be one of 'cos' or 'linear'/ },
    );
    assert.throws(
      () => new SWALR({ optimizer, swaLr: 0.05, annealStrategy: "exp" as never, torch: "1.13" }),
      { name: "RangeError", message: /must by one of/ },
    );
    assert.equal(
      optimizer.paramGroups[0]!.swaLr,
      undefined,
      "torch writes swa_lr first; lrspec not",
    );
  });
  await t.test("annealEpochs: an integer >= 0 (torch ValueError)", () => {
    for (const annealEpochs of [-1, 2.5]) {
      assert.throws(() => new SWALR({ optimizer: sgd(0.1), swaLr: 0.05, annealEpochs }), {
        name: "RangeError",
        message: /annealEpochs.*anneal_epochs must be equal or greater than 0/,
      });
    }
    assert.throws(
      () => new SWALR({ optimizer: sgd(0.1), swaLr: 0.05, annealEpochs: true as never }),
      TypeError,
    );
  });
  await t.test("swaLr: finite, and a list has one value per group (each release's message)", () => {
    assert.throws(() => new SWALR({ optimizer: sgd(0.1), swaLr: Number.NaN }), RangeError);
    assert.throws(() => new SWALR({ optimizer: sgd(0.1), swaLr: "0.05" as never }), TypeError);
    assert.throws(() => new SWALR({ optimizer: groups(0.1, 0.2, 0.3), swaLr: [0.05, 0.01] }), {
      name: "RangeError",
      message: /swa_lr has 2 values, param_groups has 3\. \(torch ValueError\)/,
    });
    assert.throws(
      () => new SWALR({ optimizer: groups(0.1, 0.2, 0.3), swaLr: [0.05, 0.01], torch: "1.13" }),
      { name: "RangeError", message: /swa_lr has 2, optimizer\.param_groups has 3/ },
    );
  });
  await t.test("unknown options, verbose with torch 2, a group added later (torch KeyError)", () => {
    assert.throws(
      () => new SWALR({ optimizer: sgd(0.1), swaLr: 0.05, annealEpoch: 3 } as never),
      TypeError,
    );
    assert.throws(() => new SWALR({ optimizer: sgd(0.1), swaLr: 0.05, verbose: true }), TypeError);
    const optimizer = sgd(0.1);
    const s = new SWALR({ optimizer, swaLr: 0.05 });
    optimizer.paramGroups.push({ lr: 0.2 });
    assert.throws(() => s.step(), { name: "TypeError", message: /swaLr.*KeyError/ });
  });
});

test("SWALR: state dict of each release, resume", async (t) => {
  const keys = (torch: TorchVersion) =>
    Object.keys(new SWALR({ optimizer: sgd(0.1), swaLr: 0.05, torch }).stateDict()).sort();
  await t.test("torch 2.11 and 2.13 save _annealStrategy; 1.13 saves anneal_func (left out)", () => {
    for (const torch of ["2.11", "2.13"] as const) {
      assert.deepEqual(keys(torch), [
        "_annealStrategy",
        "_getLrCalledWithinStep",
        "_isInitial",
        "_lastLr",
        "_stepCount",
        "annealEpochs",
        "baseLrs",
        "lastEpoch",
      ]);
    }
    assert.deepEqual(keys("1.13"), [
      "_getLrCalledWithinStep",
      "_lastLr",
      "_stepCount",
      "annealEpochs",
      "baseLrs",
      "lastEpoch",
      "verbose",
    ]);
  });
  await t.test("a resumed scheduler continues with identical values", () => {
    for (const torch of ["1.13", "2.13"] as const) {
      const a = sgd(0.1);
      const s = new SWALR({ optimizer: a, swaLr: 0.05, annealEpochs: 8, torch });
      for (let i = 0; i < 3; i++) s.step();
      const state = JSON.parse(JSON.stringify(s.stateDict()));
      const b: Optimizer = JSON.parse(JSON.stringify(a));
      const r = new SWALR({ optimizer: b, swaLr: 0.05, annealEpochs: 8, torch });
      r.loadStateDict(state);
      assert.deepEqual(series(b, r, 6).slice(1), series(a, s, 6).slice(1), torch);
    }
  });
  await t.test("torch 2: loading sets the saved strategy (_set_anneal_func)", () => {
    const saved = new SWALR({ optimizer: sgd(0.1), swaLr: 0.05, annealStrategy: "linear" });
    const s = new SWALR({ optimizer: sgd(0.1), swaLr: 0.05 });
    s.loadStateDict(saved.stateDict());
    assert.equal(s.annealStrategy, "linear");
    assert.throws(() => s.loadStateDict({ _annealStrategy: "exp" }), RangeError);
    assert.throws(() => s.loadStateDict({ annealEpochs: -2 }), RangeError);
    const old = new SWALR({ optimizer: sgd(0.1), swaLr: 0.05, torch: "1.13" });
    assert.throws(() => old.loadStateDict({ _annealStrategy: "linear" }), TypeError);
  });
});

test("swaLrs: the SWA switch of torch's recipe", async (t) => {
  await t.test("the scheduler until swaStart, SWALR after (i > swaStart)", () => {
    const run = (swaStart: number) => {
      const optimizer = sgd(1);
      return swaLrs({
        scheduler: new StepLR({ optimizer, stepSize: 2, gamma: 0.5 }),
        swaScheduler: new SWALR({
          optimizer,
          swaLr: 0.1,
          annealEpochs: 2,
          annealStrategy: "linear",
        }),
        swaStart,
        epochs: 6,
      }).map((r) => r[0]);
    };
    // StepLR steps at the end of epochs 0..2 (1, 0.5, 0.5 after them), SWALR from the end of 3.
    assert.deepEqual(run(2), [1, 1, 0.5, 0.5, 0.3, 0.1, 0.1]);
    assert.deepEqual(run(-1), [1, 0.55, 0.1, 0.1, 0.1, 0.1, 0.1]);
    assert.deepEqual(run(10), [1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]);
  });
  await t.test("one row per epoch and one after the last, every group", () => {
    const optimizer = groups(0.1, 0.2);
    const rows = swaLrs({
      scheduler: new CosineAnnealingLR({ optimizer, TMax: 10 }),
      swaScheduler: new SWALR({ optimizer, swaLr: 0.01 }),
      swaStart: 4,
      epochs: 0,
    });
    assert.deepEqual(rows, [[0.1, 0.2]]);
  });
  await t.test("validation", () => {
    const optimizer = sgd(0.1);
    const scheduler = new ExponentialLR({ optimizer, gamma: 0.9 });
    const swaScheduler = new SWALR({ optimizer, swaLr: 0.05 });
    const other = new SWALR({ optimizer: sgd(0.1), swaLr: 0.05 });
    assert.throws(() => swaLrs({ scheduler, swaScheduler: other, swaStart: 1, epochs: 3 }), {
      name: "TypeError",
      message: /share one optimizer/,
    });
    assert.throws(
      () => swaLrs({ scheduler, swaScheduler: scheduler as never, swaStart: 1, epochs: 3 }),
      TypeError,
    );
    assert.throws(() => swaLrs({ scheduler, swaScheduler, swaStart: -2, epochs: 3 }), RangeError);
    assert.throws(() => swaLrs({ scheduler, swaScheduler, swaStart: 1, epochs: 1.5 }), RangeError);
  });
});
