// Megatron's errors as data, for the front ends that place them: where each option was written
// (the flag's spelling and offset), the offset in every error of the argument line, a parameter
// group's option by its index and the flag that sets it, a checkpoint's key and the scheduler's
// option it disagrees with.
import { test } from "node:test";
import assert from "node:assert/strict";
import { optionProblem } from "../../errors.ts";
import { OptimizerParamScheduler, parseMegatronArgs } from "../mod.ts";
import { schedulerOptionDest, schedulerOptionFlag } from "./flags.ts";
import { launchScript, lineAt, shellWords } from "./shell.ts";

const BASE = "--micro-batch-size 1 --train-iters 100 --lr 1e-4";

function causeOf(f: () => unknown): Record<string, unknown> {
  try {
    f();
  } catch (error) {
    return (error as Error).cause as Record<string, unknown>;
  }
  assert.fail("no error");
}

test("shellWords: each word's offset; lineAt", () => {
  const text = `a 'b c'\n  "d"e \\\n f # g\n--x=1`;
  assert.deepEqual(shellWords(text, "t"), [
    { word: "a", offset: 0 },
    { word: "b c", offset: 2 },
    { word: "de", offset: 10 },
    { word: "f", offset: 18 },
    { word: "--x=1", offset: 24 },
  ]);
  assert.deepEqual([0, 7, 8, 24].map((o) => lineAt(text, o)), [1, 1, 2, 4]);
  const cause = causeOf(() => shellWords('--a 1\n--lr-decay-style "cos', "t"));
  assert.deepEqual(cause, {
    owner: "t",
    option: "--lr-decay-style",
    value: '"cos',
    offset: 23,
  });
  assert.equal(causeOf(() => shellWords("--a=1 'x", "t")).option, "line");
  assert.equal(causeOf(() => shellWords("--a='x", "t")).option, "--a");
});

test("parseMegatronArgs: every error of the line carries its option's offset", () => {
  const text = `${BASE}\n--lr-warmup-iters x\n`;
  assert.deepEqual(causeOf(() => parseMegatronArgs(text)), {
    owner: "parseMegatronArgs",
    option: "--lr-warmup-iters",
    value: "x",
    offset: text.indexOf("--lr-warmup-iters"),
  });
  // validate_args: where the flag was last written.
  const twice = `${BASE} --min-lr 0\n--min-lr 1\n`;
  const cause = causeOf(() => parseMegatronArgs(twice));
  assert.equal(cause.option, "--min-lr");
  assert.equal(cause.offset, twice.lastIndexOf("--min-lr"));
  // A default (not written): no offset; words given as a list: none.
  assert.equal("offset" in causeOf(() => parseMegatronArgs("--micro-batch-size 1 --lr 1")), false);
  assert.equal(
    "offset" in causeOf(() => parseMegatronArgs([...BASE.split(" "), "--min-lr", "1"])),
    false,
  );
});

test("parseMegatronArgs: written — each given option as written, where", () => {
  const text = `${BASE}\n--override-opt_param-scheduler --lr 2e-4`;
  const { written } = parseMegatronArgs(text);
  assert.deepEqual(written.overrideOptParamScheduler, {
    flag: "--override-opt_param-scheduler",
    offset: text.indexOf("--override"),
  });
  assert.deepEqual(written.lr, { flag: "--lr", offset: text.lastIndexOf("--lr ") });
  assert.equal(written.minLr, undefined);
  assert.deepEqual(parseMegatronArgs(BASE.split(" ")).written.lr, { flag: "--lr", offset: null });
});

test("a parameter group's option names the group by index, and the flag that sets it", () => {
  const optimizer = { paramGroups: [{ lr: 0 }, { lr: 0, maxLr: Number.NaN }] };
  const make = () =>
    new OptimizerParamScheduler({
      optimizer,
      initLr: 0,
      maxLr: 1,
      minLr: 0,
      lrWarmupSteps: 0,
      lrDecaySteps: 10,
      lrDecayStyle: "linear",
      startWd: 0,
      endWd: 0,
      wdIncrSteps: 10,
      wdIncrStyle: "constant",
    });
  assert.deepEqual(optionProblem(catchError(make)), {
    owner: "OptimizerParamScheduler",
    option: "optimizer.paramGroups[1].maxLr",
    value: Number.NaN,
  });
  const { args } = parseMegatronArgs(`${BASE} --decoupled-lr 5e-4`);
  // Groups: default, decoupled (embedding and output layer), no-wd.
  assert.equal(schedulerOptionFlag("optimizer.paramGroups[1].maxLr", args), "--decoupled-lr");
  assert.equal(schedulerOptionFlag("optimizer.paramGroups[1].minLr", args), "--min-lr");
  assert.equal(schedulerOptionFlag("optimizer.paramGroups[2].maxLr", args), "--lr");
  assert.equal(schedulerOptionFlag("optimizer.paramGroups[0].minLr", args), "--min-lr");
  const both = parseMegatronArgs(`${BASE} --decoupled-lr 5e-4 --decoupled-min-lr 1e-5`).args;
  assert.equal(schedulerOptionFlag("optimizer.paramGroups[1].minLr", both), "--decoupled-min-lr");
  assert.equal(schedulerOptionFlag("optimizer.paramGroups[3].maxLr", args), undefined);
  assert.equal(
    schedulerOptionFlag("useCheckpointOptParamScheduler", args),
    "--use-checkpoint-opt_param-scheduler",
  );
  assert.equal(schedulerOptionDest("overrideOptParamScheduler", args), "overrideOptParamScheduler");
});

test("loadStateDict: a checkpoint's key as found, and the scheduler's option it disagrees with", () => {
  const make = () =>
    new OptimizerParamScheduler({
      optimizer: { paramGroups: [{ lr: 0 }] },
      initLr: 0,
      maxLr: 1e-3,
      minLr: 0,
      lrWarmupSteps: 0,
      lrDecaySteps: 10,
      lrDecayStyle: "linear",
      startWd: 0,
      endWd: 0,
      wdIncrSteps: 10,
      wdIncrStyle: "constant",
      useCheckpointOptParamScheduler: false,
    });
  const old = { startLr: 2e-3, minLr: 0, warmupIter: 0, endIter: 10, decayStyle: "linear" };
  assert.deepEqual(causeOf(() => make().loadStateDict({ ...old, numIters: 0 })), {
    owner: "OptimizerParamScheduler",
    option: "state.startLr",
    value: 2e-3,
    schedulerOption: "maxLr",
    schedulerValue: 1e-3,
  });
  // A value taken from the checkpoint and refused: its key as found.
  const s = new OptimizerParamScheduler({
    optimizer: { paramGroups: [{ lr: 0 }] },
    initLr: 0,
    maxLr: 1e-3,
    minLr: 0,
    lrWarmupSteps: 0,
    lrDecaySteps: 10,
    lrDecayStyle: "linear",
    startWd: 0,
    endWd: 0,
    wdIncrSteps: 10,
    wdIncrStyle: "constant",
  });
  assert.deepEqual(
    optionProblem(catchError(() => s.loadStateDict({ ...old, endIter: "x", numIters: 0 }))),
    { owner: "OptimizerParamScheduler", option: "state.endIter", value: "x" },
  );
});

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  assert.fail("no error");
}

test("launchScript: the arrays' words and the command's, each back at its offset in the script", () => {
  assert.equal(launchScript("--lr 1 \\\n --train-iters 2\n"), undefined); // no array: as it is
  const text = 'N=4\nA=(\n  --lr 1e-3 # peak\n  --x "$N"\n)\npython train.py ${A[@]} --min-lr 0\n';
  const script = launchScript(text)!;
  assert.deepEqual(script.arrays, ["A"]);
  assert.equal(script.text, "'--lr' '1e-3' '--x' '4' '--min-lr' '0'");
  const at = (word: string) => script.offset(script.text.indexOf(`'${word}'`));
  assert.equal(at("--lr"), text.indexOf("--lr"));
  assert.equal(at("4"), text.indexOf('"$N"'));
  assert.equal(at("--min-lr"), text.indexOf("--min-lr"));
  assert.equal(launchScript("A=(\n --lr 'x\n)\n"), undefined); // a quote that does not close
});
