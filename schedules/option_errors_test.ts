// Option errors are data in every family: a sample of the errors each family throws, constructed
// or raised later (Python's ZeroDivisionError at a step), each with the owner (an explicit
// upstream name), the option and the value in `error.cause` — what the CLI and the page place
// through the family's key tables, without reading the message. The messages stay upstream's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { optionProblem } from "./errors.ts";
import * as deepspeed from "./deepspeed/mod.ts";
import * as detectron2 from "./detectron2/mod.ts";
import * as fvcore from "./fvcore/mod.ts";
import * as hf from "./hf/mod.ts";
import * as keras from "./keras/mod.ts";
import * as megatron from "./megatron/mod.ts";
import * as mmengine from "./mmengine/mod.ts";
import * as optax from "./optax/mod.ts";
import * as timm from "./timm/mod.ts";
import * as torch from "./torch/mod.ts";

const groups = () => ({ paramGroups: [{ lr: 0.1 }] });
const hfOptimizer = () => ({ paramGroups: [{ lr: 1e-3 }], defaults: { lr: 1e-3 } });

type Case = [
  name: string,
  make: () => unknown,
  owner: string,
  option: string,
  value: unknown,
  /** The message is upstream's own words, without the owner. */
  upstreamWords?: true,
];

const CASES: Record<string, Case[]> = {
  deepspeed: [
    [
      "OneCycle: cycleFirstStepSize 0",
      () =>
        new deepspeed.OneCycle({
          optimizer: groups(),
          cycleMinLr: 0.1,
          cycleMaxLr: 1,
          cycleFirstStepSize: 0,
        }),
      "OneCycle",
      "cycleFirstStepSize",
      0,
    ],
    [
      "getLastLr() before the first step (DeepSpeed asserts)",
      () => new deepspeed.WarmupLR({ optimizer: groups(), lastBatchIteration: 5 }).getLastLr(),
      "WarmupLR",
      "getLastLr()",
      undefined,
    ],
    [
      "a config whose scheduler type DeepSpeed does not know",
      () => deepspeed.schedulerFromConfig({ scheduler: { type: "NopeLR", params: {} } }, groups()),
      "schedulerFromConfig",
      "scheduler.type",
      "NopeLR",
    ],
  ],
  detectron2: [
    [
      "WarmupPolyLR: maxIters 0",
      () => new detectron2.WarmupPolyLR({ optimizer: groups(), maxIters: 0 }),
      "WarmupPolyLR",
      "maxIters",
      0,
    ],
    [
      "WarmupMultiStepLR: milestones out of order",
      () => new detectron2.WarmupMultiStepLR({ optimizer: groups(), milestones: [3, 1, 2] }),
      "WarmupMultiStepLR",
      "milestones",
      [3, 1, 2],
    ],
    [
      "getWarmupFactorAtIter: an unknown method (message as detectron2's)",
      () => detectron2.getWarmupFactorAtIter("cos" as never, 0, 10, 0.1),
      "getWarmupFactorAtIter",
      "method",
      "cos",
      true,
    ],
    [
      "autoScaleWorkers: IMS_PER_BATCH not divisible by REFERENCE_WORLD_SIZE",
      () => {
        const cfg = detectron2.getCfg();
        Object.assign(cfg.SOLVER, { IMS_PER_BATCH: 10, REFERENCE_WORLD_SIZE: 4 });
        return detectron2.autoScaleWorkers(cfg, 8);
      },
      "autoScaleWorkers",
      "cfg.SOLVER.IMS_PER_BATCH",
      10,
    ],
  ],
  fvcore: [
    [
      "MultiStepParamScheduler: no values",
      () => new fvcore.MultiStepParamScheduler({ values: [], numUpdates: 10 }),
      "MultiStepParamScheduler",
      "values",
      [],
    ],
    [
      "StepWithFixedGammaParamScheduler: gamma overflows",
      () =>
        new fvcore.StepWithFixedGammaParamScheduler({
          baseValue: 1,
          numDecays: 2,
          gamma: 1e308,
          numUpdates: 10,
        }),
      "StepWithFixedGammaParamScheduler",
      "gamma",
      1e308,
    ],
    [
      "CompositeParamScheduler: lengths that do not sum to 1",
      () =>
        new fvcore.CompositeParamScheduler({
          schedulers: [new fvcore.ConstantParamScheduler({ value: 1 })],
          lengths: [0.5],
          intervalScaling: ["rescaled"],
        }),
      "CompositeParamScheduler",
      "lengths",
      [0.5],
    ],
    [
      "ConstantParamScheduler: where past the end",
      () => new fvcore.ConstantParamScheduler({ value: 1 }).at(1),
      "ConstantParamScheduler",
      "where",
      1,
    ],
  ],
  hf: [
    [
      "schedulerType: an unknown name (transformers' words)",
      () => hf.schedulerType("cosin"),
      "SchedulerType",
      "name",
      "cosin",
      true,
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
      "TrainingArguments: lr_scheduler_kwargs, a string that is not JSON",
      () => hf.trainingArguments({ lr_scheduler_kwargs: "{min_lr: 0}" }),
      "TrainingArguments",
      "lr_scheduler_kwargs",
      "{min_lr: 0}",
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
  keras: [
    [
      "a schedule called with a step that is not an int32",
      () =>
        new keras.ExponentialDecay({
          initialLearningRate: 0.1,
          decaySteps: 10,
          decayRate: 0.5,
        }).call(0.5),
      "ExponentialDecay",
      "step",
      0.5,
    ],
    [
      "deserialize: an unknown class (Keras' words)",
      () => keras.deserialize({ class_name: "Nope", config: {} }),
      "deserialize",
      "class_name",
      "Nope",
    ],
  ],
  megatron: [
    [
      "--min-lr above --lr (validate_args)",
      () => megatron.parseMegatronArgs("--micro-batch-size 1 --train-iters 10 --lr 0.1 --min-lr 1"),
      "parseMegatronArgs",
      "--min-lr",
      1,
    ],
  ],
  mmengine: [
    [
      "LinearLR renamed by a minifier: still LinearLR (not new.target.name)",
      () => {
        const ut = class extends mmengine.LinearLR {};
        return new ut({ optimizer: groups(), startFactor: 2 });
      },
      "LinearLR",
      "startFactor",
      2,
    ],
    [
      "MomentumScheduler renamed: its owner stays",
      () => {
        const ct = class extends mmengine.ConstantMomentum {};
        return new ct({
          optimizer: { paramGroups: [{ lr: 0.1, momentum: 0.9 }], defaults: { momentum: 0.9 } },
          factor: 2,
        });
      },
      "ConstantMomentum",
      "factor",
      2,
    ],
    [
      "OneCycleLR: pctStart outside [0, 1]",
      () =>
        new mmengine.OneCycleLR({ optimizer: groups(), etaMax: 1, totalSteps: 10, pctStart: 2 }),
      "OneCycleLR",
      "pctStart",
      2,
    ],
    [
      "buildSchedulerFromCfg: a type not in the registry (mmengine's words)",
      () => mmengine.buildSchedulerFromCfg({ type: "NopeLR" }, { optimizer: groups() } as never),
      "build_scheduler_from_cfg",
      "type",
      "NopeLR",
      true,
    ],
  ],
  optax: [
    [
      "linearOnecycleSchedule: transition_steps 0 (optax's words)",
      () => optax.linearOnecycleSchedule({ transitionSteps: 0, peakValue: 1 }),
      "linearOnecycleSchedule",
      "transitionSteps",
      0,
    ],
    [
      "cosineOnecycleSchedule: divFactor 0 (Python's ZeroDivisionError)",
      () => optax.cosineOnecycleSchedule({ transitionSteps: 10, peakValue: 1, divFactor: 0 }),
      "cosineOnecycleSchedule",
      "divFactor",
      0,
    ],
    [
      "sgdrSchedule: a cycle's unknown option, owned by sgdrSchedule",
      () => optax.sgdrSchedule({ cosineKwargs: [{ nope: 1 } as never] }),
      "sgdrSchedule",
      "cosineKwargs[0].nope",
      1,
      true,
    ],
    [
      "joinSchedules: no schedules",
      () => optax.joinSchedules({ schedules: [], boundaries: [] }),
      "joinSchedules",
      "schedules",
      [],
    ],
    [
      "a schedule called with a count that is not an integer",
      () => optax.constantSchedule({ value: 1 })(0.5),
      "constantSchedule",
      "count",
      0.5,
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
  torch: [
    [
      "ConstantLR: factor above 1 (torch's words)",
      () => new torch.ConstantLR({ optimizer: groups(), factor: 2 }),
      "ConstantLR",
      "factor",
      2,
    ],
    [
      "OneCycleLR: pctStart outside [0, 1]",
      () => new torch.OneCycleLR({ optimizer: groups(), maxLr: 1, totalSteps: 10, pctStart: 2 }),
      "OneCycleLR",
      "pctStart",
      2,
    ],
    [
      "OneCycleLR: divFactor 0 (torch's ZeroDivisionError)",
      () =>
        new torch.OneCycleLR({
          optimizer: groups(),
          maxLr: 1,
          totalSteps: 10,
          divFactor: 0,
          cycleMomentum: false,
        }),
      "OneCycleLR",
      "divFactor",
      0,
    ],
    [
      "CyclicLR: stepSizeUp 0 divides by zero at the first rate",
      () => new torch.CyclicLR({ optimizer: groups(), baseLr: 0.1, maxLr: 1, stepSizeUp: 0 }),
      "CyclicLR",
      "stepSizeUp",
      0,
    ],
    [
      "SequentialLR: milestones one short",
      () => {
        const optimizer = groups();
        const a = new torch.ConstantLR({ optimizer });
        const b = new torch.ConstantLR({ optimizer });
        return new torch.SequentialLR({ optimizer, schedulers: [a, b], milestones: [] });
      },
      "SequentialLR",
      "milestones",
      [],
    ],
    [
      "ReduceLROnPlateau: getLr() (torch's NotImplementedError)",
      () => new torch.ReduceLROnPlateau({ optimizer: groups() }).getLr(),
      "ReduceLROnPlateau",
      "getLr()",
      undefined,
    ],
    [
      "SequentialLR, ChainedScheduler: getLr() (torch's NotImplementedError)",
      () => {
        const optimizer = groups();
        const a = new torch.ConstantLR({ optimizer });
        const b = new torch.ConstantLR({ optimizer });
        const chained = new torch.ChainedScheduler({ schedulers: [a, b], optimizer });
        assert.deepEqual(
          optionProblem(catching(() => chained.getLr())),
          { owner: "ChainedScheduler", option: "getLr()", value: undefined },
        );
        return new torch.SequentialLR({ optimizer, schedulers: [a, b], milestones: [1] }).getLr();
      },
      "SequentialLR",
      "getLr()",
      undefined,
    ],
    [
      "ReduceLROnPlateau: factor 1",
      () => new torch.ReduceLROnPlateau({ optimizer: groups(), factor: 1 }),
      "ReduceLROnPlateau",
      "factor",
      1,
    ],
    [
      "TorchGenerator: a seed that is not an integer",
      () => new torch.TorchGenerator().manualSeed(0.5),
      "TorchGenerator",
      "seed",
      0.5,
    ],
  ],
};

function catching(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

for (const [family, cases] of Object.entries(CASES)) {
  test(`${family}: option errors carry owner, option and value (error.cause)`, async (t) => {
    for (const [name, make, owner, option, value, upstreamWords] of cases) {
      await t.test(name, () => {
        assert.throws(make, (e: unknown) => {
          assert.ok(
            e instanceof TypeError || e instanceof RangeError || e instanceof SyntaxError,
            String(e),
          );
          assert.deepEqual(optionProblem(e), { owner, option, value }, String(e));
          const message = (e as Error).message;
          assert.ok(upstreamWords || message.startsWith(`${owner}: `), message);
          return true;
        });
      });
    }
  });
}

// Every throw of the library carries its data: scanned in the source, so that a throw without
// owner and option cannot come back. A throw passes when it builds its error with optionError
// or arithmeticError, gives a `cause`, rethrows what it caught (`throw error`), or is one of
// lrspec's own invariants (`new Error("unreachable: …")`, reported as an internal error).
test("every throw in schedules/ carries its data (owner, option, value) or is an invariant", () => {
  const root = fileURLToPath(new URL(".", import.meta.url));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".ts") && !name.endsWith("_test.ts")) files.push(path);
    }
  };
  walk(root);
  const naked: string[] = [];
  let checked = 0;
  for (const path of files) {
    const text = readFileSync(path, "utf8");
    for (const statement of throwStatements(text)) {
      checked++;
      const ok = /\b(?:optionError|arithmeticError)\(|\bcause\b/.test(statement.text) ||
        /^throw\s+[A-Za-z_$][\w$]*\s*$/.test(statement.text) ||
        /^throw new Error\(\s*[`"]unreachable: /.test(statement.text);
      if (!ok) {
        naked.push(`${relative(root, path)}:${statement.line}: ${statement.text.slice(0, 120)}`);
      }
    }
  }
  assert.deepEqual(naked, [], "throws without owner/option data");
  assert.ok(checked >= 300, `${checked} throws checked`);
});

test("the scan finds a throw without data (it can fail)", () => {
  const found = throwStatements(
    'x();\n// throw new Error("in a comment")\n  throw new TypeError(`a ${b(")")}`, {});\n',
  );
  assert.deepEqual(found, [{ line: 3, text: 'throw new TypeError(`a ${b(")")}`, {})' }]);
});

/** The `throw` statements of a TypeScript text (not in comments), to their end, with lines. */
function throwStatements(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const re = /\bthrow\b/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const lineStart = text.lastIndexOf("\n", m.index) + 1;
    if (/\/\/|^\s*\*|\/\*/.test(text.slice(lineStart, m.index))) continue;
    // To the `;` (or the closing bracket) at depth 0, strings and template literals skipped.
    let depth = 0;
    let i = m.index;
    const quotes: string[] = [];
    for (; i < text.length; i++) {
      const c = text[i]!;
      const q = quotes[quotes.length - 1];
      if (q !== undefined && q !== "}") {
        if (c === "\\") i++;
        else if (c === q) quotes.pop();
        else if (q === "`" && c === "$" && text[i + 1] === "{") {
          quotes.push("}");
          i++;
        }
        continue;
      }
      if (c === '"' || c === "'" || c === "`") quotes.push(c);
      else if (c === "}" && q === "}") quotes.pop();
      else if ("([{".includes(c)) depth++;
      else if (")]}".includes(c)) {
        if (depth === 0) break;
        depth--;
      } else if (c === ";" && depth === 0) break;
    }
    out.push({
      line: text.slice(0, m.index).split("\n").length,
      text: text.slice(m.index, i).replace(/\s+/g, " ").trim(),
    });
  }
  return out;
}
