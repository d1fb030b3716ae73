// A CommonJS consumer of the packed npm package: `require` of the ES module, as Node ≥ 20.19 and
// ≥ 22.12 load it (require(esm)), type-checked by tsc with `module: nodenext`.
import lrspec = require("lrspec");
import torch = require("lrspec/torch");
import cli = require("lrspec/cli");
import config = require("lrspec/config");

const optimizer = { paramGroups: [{ lr: 0.02 }] };
const scheduler: lrspec.LRScheduler = lrspec.buildLrScheduler(lrspec.getCfg(), optimizer);
for (let i = 0; i < 30000; i++) scheduler.step();
console.log(`detectron2 ${optimizer.paramGroups[0]!.lr}`);
const torchOptimizer = { paramGroups: [{ lr: 1 }] };
const step = new torch.StepLR({ optimizer: torchOptimizer, stepSize: 2, gamma: 0.5 });
step.step();
step.step();
console.log(`torch ${torchOptimizer.paramGroups[0]!.lr}`);
console.log(`cli ${typeof cli.main} ${typeof config.loadConfig}`);

/** The declarations are the library's, not `any` (never called). */
export function typeErrors(): void {
  // @ts-expect-error `stepSize` is a number
  new torch.StepLR({ optimizer: torchOptimizer, stepSize: "2" });
}
