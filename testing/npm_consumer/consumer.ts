// A consumer of the packed npm package, as a user writes one: installed from the tarball into a
// fresh project, type-checked with the project's default strict settings, then run. Each check
// prints one line; testing/npm_package_test.ts compares the lines with what lrspec computes.
import { buildLrScheduler, CosineParamScheduler, getCfg, type LRScheduler, VERSION } from "lrspec";
import { MultiStepParamScheduler } from "lrspec/fvcore";
import { buildLrScheduler as build2 } from "lrspec/detectron2";
import { StepLR } from "lrspec/torch";
import { getScheduler } from "lrspec/hf";
import { linearSchedule } from "lrspec/optax";
import { CosineLRScheduler, TorchGenerator } from "lrspec/timm";
import { verifyCsv } from "lrspec/verify";
import { loadConfig } from "lrspec/config";
import { main } from "lrspec/cli";
import { tfjsEffectiveLr } from "lrspec/tfjs";
import { megatronTrainSchedule, parseMegatronArgs } from "lrspec/megatron";
import { deepspeedSchedule } from "lrspec/deepspeed";

const optimizer = { paramGroups: [{ lr: 0.02 }] };
const scheduler: LRScheduler = buildLrScheduler(getCfg(), optimizer);
for (let i = 0; i < 30000; i++) scheduler.step();
const lr: number = optimizer.paramGroups[0]!.lr;
console.log(`detectron2 ${lr} ${build2 === buildLrScheduler}`);
console.log(`cosine ${new CosineParamScheduler({ startValue: 1, endValue: 0 }).at(0.5)}`);
const multi = new MultiStepParamScheduler({ values: [1, 0.1], milestones: [5], numUpdates: 10 });
console.log(`multistep ${multi.at(0.6)}`);
const torchOptimizer = { paramGroups: [{ lr: 1 }] };
const step = new StepLR({ optimizer: torchOptimizer, stepSize: 2, gamma: 0.5 });
step.step();
step.step();
console.log(`torch ${torchOptimizer.paramGroups[0]!.lr}`);
const hfOptimizer = { paramGroups: [{ lr: 1 }] };
getScheduler({ name: "linear", optimizer: hfOptimizer, numWarmupSteps: 0, numTrainingSteps: 4 })
  .step();
console.log(`hf ${hfOptimizer.paramGroups[0]!.lr}`);
console.log(`optax ${linearSchedule({ initValue: 1, endValue: 0, transitionSteps: 4 })(1)}`);
console.log(`timm ${new TorchGenerator().manualSeed(0).rand()} ${typeof CosineLRScheduler}`);
console.log(`verify ${verifyCsv("iter,lr\n0,0.5\n", "iter,lr\n0,0.5\n").ok}`);
const yaml = "SOLVER:\n  BASE_LR: 0.5\n  MAX_ITER: 100\n  STEPS: (50,)\n";
const { cfg } = loadConfig("my.yaml", { readFile: () => yaml, resolveBase: (b) => b });
console.log(`config ${cfg.SOLVER.BASE_LR} ${cfg.SOLVER.MAX_ITER}`);
let out = "";
const code: number = await main(["--version"], { stdout: (s) => (out += s), stderr: () => {} });
console.log(`cli ${code} ${out.trim() === `lrspec ${VERSION}`}`);
console.log(`tfjs ${tfjsEffectiveLr(0.1)}`);
const { args } = parseMegatronArgs(
  "--micro-batch-size 4 --global-batch-size 256 --train-iters 1000 --lr 3e-4 --min-lr 3e-5 " +
    "--lr-warmup-iters 100 --lr-decay-style WSD --lr-wsd-decay-style linear --lr-wsd-decay-iters 200",
  { worldSize: 8 },
);
const megatron = megatronTrainSchedule(args);
console.log(`megatron ${megatron.increment} ${megatron.lr[0]![500]}`);
const deepspeed = deepspeedSchedule({
  train_batch_size: 256,
  optimizer: { type: "AdamW", params: { lr: 1e-4, betas: [0.9, 0.95] } },
  scheduler: { type: "WarmupCosineLR", params: { total_num_steps: 500, warmup_num_steps: 50 } },
}, { steps: 500, overflowSteps: [1, 2] });
console.log(`deepspeed ${deepspeed.lr[0]![0]} ${deepspeed.lr[0]![2]}`);

// The declarations are the library's, not `any`: a wrong option is a type error (never called).
export function typeErrors(): void {
  // @ts-expect-error `stepSize` is a number
  new StepLR({ optimizer: torchOptimizer, stepSize: "2" });
  // @ts-expect-error `lrspec/torch` has no `getCfg`
  void import("lrspec/torch").then((m) => m.getCfg);
}
