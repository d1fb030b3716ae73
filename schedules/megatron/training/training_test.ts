import { test } from "node:test";
import assert from "node:assert/strict";
import { throwsWith } from "../../../testing/throws.ts";
import {
  getOptimizerParamScheduler,
  megatronParamGroups,
  megatronTrainSchedule,
  parseMegatronArgs,
  splitShellWords,
} from "../mod.ts";

const LINE = "--micro-batch-size 2 --global-batch-size 16 --train-iters 100 --lr 1e-3";

test("parseMegatronArgs: Megatron's argparse defaults", () => {
  const { args, ignored, given } = parseMegatronArgs(
    "--micro-batch-size 1 --train-iters 10 --lr 1",
  );
  assert.deepEqual(ignored, []);
  assert.deepEqual(given.sort(), ["lr", "microBatchSize", "trainIters"]);
  assert.deepEqual(args, {
    lr: 1,
    minLr: 0,
    decoupledLr: null,
    decoupledMinLr: null,
    lrDecayStyle: "linear",
    lrWsdDecayStyle: "exponential",
    lrDecayIters: null,
    lrDecaySamples: null,
    lrWsdDecayIters: null,
    lrWsdDecaySamples: null,
    lrWarmupFraction: null,
    lrWarmupIters: 0,
    lrWarmupSamples: 0,
    lrWarmupInit: 0,
    overrideOptParamScheduler: false,
    useCheckpointOptParamScheduler: false,
    weightDecay: 0.01,
    startWeightDecay: 0.01,
    endWeightDecay: 0.01,
    weightDecayIncrStyle: "constant",
    microBatchSize: 1,
    globalBatchSize: 1,
    trainIters: 10,
    trainSamples: null,
    iterationsToSkip: [],
    tensorModelParallelSize: 1,
    pipelineModelParallelSize: 1,
    contextParallelSize: 1,
    dataParallelSize: 1,
  });
});

test("parseMegatronArgs: the argument line", async (t) => {
  await t.test("shell words: quotes, continuations, comments, --name=value", () => {
    assert.deepEqual(splitShellWords(`a 'b c' "d"e \\\n f # g\n--x=1`), [
      "a",
      "b c",
      "de",
      "f",
      "--x=1",
    ]);
    const { args } = parseMegatronArgs(`${LINE} --min-lr=1e-5 \\\n --lr-decay-style "cosine"`);
    assert.equal(args.minLr, 1e-5);
    assert.equal(args.lrDecayStyle, "cosine");
  });
  await t.test("words before the first option and unrelated options are skipped", () => {
    const { ignored } = parseMegatronArgs(
      `torchrun --nproc-per-node 8 pretrain_gpt.py --num-layers 2 --bf16 ${LINE} --tokenizer-type X`,
    );
    assert.deepEqual(ignored, ["--nproc-per-node", "--num-layers", "--bf16", "--tokenizer-type"]);
  });
  await t.test("the parallel sizes and the world size give the data-parallel size", () => {
    const { args } = parseMegatronArgs(
      "--micro-batch-size 2 --train-iters 5 --lr 1 --tensor-model-parallel-size 2 " +
        "--pipeline-model-parallel-size 2",
      { worldSize: 16 },
    );
    assert.equal(args.dataParallelSize, 4);
    assert.equal(args.globalBatchSize, 8);
  });
  await t.test("sample-based training: trainIters = trainSamples // globalBatchSize", () => {
    const { args } = parseMegatronArgs("--micro-batch-size 4 --train-samples 1003 --lr 1");
    assert.equal(args.trainIters, 250);
  });
  await t.test("iterations to skip, both flag spellings", () => {
    const { args } = parseMegatronArgs(
      `${LINE} --iterations-to-skip 3 4 --use-checkpoint-opt_param-scheduler`,
    );
    assert.deepEqual(args.iterationsToSkip, [3, 4]);
    assert.equal(args.useCheckpointOptParamScheduler, true);
  });
  await t.test("errors", () => {
    const bad: [string, ErrorConstructor | RangeErrorConstructor, RegExp][] = [
      [`${LINE} --lr-decay-style poly`, SyntaxError, /invalid choice "poly"/],
      [`${LINE} --lr-warmup-iters 1.5`, SyntaxError, /an integer/],
      [`${LINE} --min-lr $MIN_LR`, SyntaxError, /shell variable/],
      [`${LINE} --lr-decay-styel cosine`, RangeError, /did you mean `--lr-decay-style`/],
      [`${LINE} --warmup 10`, RangeError, /no longer valid/],
      [`${LINE} --rampup-batch-size 16 8 3000`, RangeError, /not supported/],
      [`${LINE} --train-samples 10`, RangeError, /expected iteration-based training/],
      [`${LINE} --lr-warmup-samples 10`, RangeError, /iteration-based learning rate warmup/],
      [`${LINE} --lr-warmup-fraction 0.1 --lr-warmup-iters 3`, RangeError, /only specify one/],
      [`${LINE} --min-lr 1`, RangeError, /min-lr/],
      [`${LINE} --start-weight-decay 0`, RangeError, /non-constant/],
      [`${LINE} --weight-decay-incr-style linear`, RangeError, /start-weight-decay/],
      [
        "--micro-batch-size 3 --global-batch-size 16 --train-iters 1 --lr 1",
        RangeError,
        /divisible/,
      ],
      ["--micro-batch-size 1 --lr 1", RangeError, /train-iters or train-samples/],
      ["--train-iters 1 --lr 1", TypeError, /micro-batch-size/],
      ["--micro-batch-size 1 --train-iters 1", TypeError, /--lr/],
      [`${LINE} --lr`, SyntaxError, /expects a value/],
    ];
    for (const [line, type, message] of bad) {
      throwsWith(() => parseMegatronArgs(line), type, message);
    }
  });
});

test("getOptimizerParamScheduler: training.py's mapping", async (t) => {
  await t.test("iteration-based: everything in samples", () => {
    const { args } = parseMegatronArgs(
      `${LINE} --lr-warmup-iters 5 --lr-decay-iters 80 --lr-decay-style WSD --lr-wsd-decay-iters 20`,
    );
    const s = getOptimizerParamScheduler(args);
    assert.deepEqual(
      [s.lrWarmupSteps, s.lrDecaySteps, s.wsdDecaySteps, s.wdIncrSteps],
      [80, 1280, 320, 1600],
    );
    assert.equal(s.lrWsdDecayStyle, "exponential");
    assert.equal(s.useCheckpointOptParamScheduler, false);
  });
  await t.test("lrDecayIters defaults to trainIters; a fraction of the decay samples", () => {
    const { args } = parseMegatronArgs(`${LINE} --lr-warmup-fraction 0.013`);
    const s = getOptimizerParamScheduler(args);
    assert.equal(s.lrDecaySteps, 1600);
    assert.equal(s.lrWarmupSteps, 0.013 * 1600);
  });
  await t.test("sample-based", () => {
    const { args } = parseMegatronArgs(
      "--micro-batch-size 2 --train-samples 1000 --lr 1 --lr-warmup-samples 100 " +
        "--lr-decay-samples 900 --lr-decay-style WSD --lr-wsd-decay-samples 300",
    );
    const s = getOptimizerParamScheduler(args);
    assert.deepEqual(
      [s.lrWarmupSteps, s.lrDecaySteps, s.wsdDecaySteps, s.wdIncrSteps],
      [100, 900, 300, 1000],
    );
  });
});

test("megatronParamGroups: Megatron's groups and order", () => {
  const { args } = parseMegatronArgs(`${LINE} --min-lr 1e-5 --decoupled-lr 5e-4`);
  assert.deepEqual(megatronParamGroups(args), [
    { name: "default", lr: 1e-3, maxLr: 1e-3, minLr: 1e-5, wdMult: 1 },
    { name: "decoupled", lr: 1e-3, maxLr: 5e-4, minLr: 1e-5, wdMult: 1 },
    { name: "no-wd", lr: 1e-3, maxLr: 1e-3, minLr: 1e-5, wdMult: 0 },
  ]);
  const d = parseMegatronArgs(`${LINE} --decoupled-lr 5e-4 --decoupled-min-lr 0`).args;
  assert.equal(megatronParamGroups(d)[1]!.minLr, 0);
});

test("megatronTrainSchedule: train_step's stepping", async (t) => {
  const { args } = parseMegatronArgs(`${LINE} --lr-warmup-iters 10`);
  await t.test("one step(globalBatchSize) per iteration; row i is iteration i's update", () => {
    const run = megatronTrainSchedule(args);
    assert.equal(run.increment, 16);
    assert.equal(run.iterations.length, 100);
    assert.equal(run.lr[0]![0], 0);
    assert.equal(run.lr[0]![1], 1e-3 * 16 / 160);
    assert.equal(run.scheduler.numSteps, 1600);
  });
  await t.test("an unsuccessful update does not step; the iteration still counts", () => {
    const run = megatronTrainSchedule(args, { skippedIterations: [1, 2] });
    assert.deepEqual([...run.skipped.slice(0, 3)], [1, 1, 0]);
    assert.deepEqual([...run.lr[0]!.slice(0, 4)], [0, 0, 0, 1e-3 * 16 / 160]);
    assert.equal(run.scheduler.numSteps, 98 * 16);
  });
  await t.test("--iterations-to-skip: no step, flag 2", () => {
    const a = parseMegatronArgs(`${LINE} --iterations-to-skip 1`).args;
    const run = megatronTrainSchedule(a);
    assert.equal(run.skipped[0], 2);
    assert.equal(run.lr[0]![1], run.lr[0]![0]);
  });
  await t.test("a resume continues from the checkpoint's count", () => {
    const full = megatronTrainSchedule(args);
    const saved = getOptimizerParamScheduler(args);
    for (let i = 0; i < 40; i++) saved.step(16);
    const resumed = megatronTrainSchedule(args, {
      resume: { iteration: 40, state: saved.stateDict() },
    });
    assert.equal(resumed.firstIteration, 41);
    assert.deepEqual([...resumed.lr[0]!], [...full.lr[0]!.slice(40)]);
    throwsWith(
      () => megatronTrainSchedule(args, { resume: { iteration: 101, state: {} } }),
      RangeError,
    );
  });
});
