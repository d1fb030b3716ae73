/**
 * Section 1 — the cost of one call: `at()` of every fvcore class, `WarmupParamScheduler`
 * compositions, `LRMultiplier.step()` with 1 and 4 groups, the legacy detectron2 schedulers and
 * every torch scheduler that `mod.ts` exports (found at run time). Every group measures the two
 * baselines — one `Math.cos` call and a constant closure — and reports ratios to them.
 *
 * @module
 */

import * as lrspec from "../mod.ts";
import {
  buildLrScheduler,
  CompositeParamScheduler,
  ConstantParamScheduler,
  CosineParamScheduler,
  ExponentialParamScheduler,
  getCfg,
  LinearParamScheduler,
  LRMultiplier,
  LRScheduler,
  MultiStepParamScheduler,
  type Optimizer,
  PolynomialDecayParamScheduler,
  StepParamScheduler,
  StepWithFixedGammaParamScheduler,
  WarmupCosineLR,
  WarmupMultiStepLR,
  WarmupParamScheduler,
  WarmupPolyLR,
} from "../mod.ts";
import { type BenchSpec, type Context, type GroupSpec, measureGroup } from "./_harness.ts";
import { atCall, constCall, cosCall, stepCall, type Stepper } from "./_bodies.ts";

/** The two baselines every per-call group measures. */
export function baselines(): BenchSpec[] {
  return [
    { name: "Math.cos(x)", baseline: "cos", body: cosCall() },
    { name: "() => constant", baseline: "const", body: constCall() },
  ];
}

const N = 90_000;

/** detectron2's 1x multistep multiplier (values, milestones, MAX_ITER 90k). */
export function multistep1x(): MultiStepParamScheduler {
  return new MultiStepParamScheduler({
    values: [1, 0.1, 0.01],
    milestones: [60000, 80000],
    numUpdates: N,
  });
}

/** detectron2's 1x schedule with its default linear warmup (1000 iterations, factor 0.001). */
export function warmup1x(): WarmupParamScheduler {
  return new WarmupParamScheduler({
    scheduler: multistep1x(),
    warmupFactor: 0.001,
    warmupLength: 1000 / N,
  });
}

/** A detectron2 config: 1x multistep or cosine, 90k iterations. */
export function cfg1x(name: "WarmupMultiStepLR" | "WarmupCosineLR"): ReturnType<typeof getCfg> {
  const cfg = getCfg();
  cfg.SOLVER.LR_SCHEDULER_NAME = name;
  cfg.SOLVER.BASE_LR = 0.02;
  cfg.SOLVER.STEPS = [60000, 80000];
  cfg.SOLVER.MAX_ITER = N;
  return cfg;
}

/** An optimizer with `groups` groups (lr 0.02·(i+1), momentum 0.9, Adam-style betas unset). */
export function optimizerWith(groups: number): Optimizer {
  return {
    paramGroups: Array.from({ length: groups }, (_, i) => ({ lr: 0.02 * (i + 1), momentum: 0.9 })),
  };
}

/** Rewinds any scheduler through its state dict, and puts the groups' `lr` back. */
export function stepper(scheduler: LRScheduler, period: number): Stepper {
  const state = scheduler.stateDict();
  const groups = scheduler.optimizer.paramGroups;
  const lrs = groups.map((g) => g.lr);
  return {
    scheduler,
    period,
    rewind() {
      scheduler.loadStateDict(state);
      for (let i = 0; i < groups.length; i++) groups[i]!.lr = lrs[i]!;
    },
  };
}

/** LRMultiplier.step() through the base class's path (getLr() allocating, then applyLrs()). */
class BaseClassPathLRMultiplier extends LRMultiplier {
  /** The same values; overriding getLr() routes step() through LRScheduler.step(). */
  override getLr(): number[] {
    return super.getLr();
  }
}

/**
 * How to build each torch scheduler class, keyed by class name. Option spellings the port may
 * use are tried in order (constructors reject unknown keys), so this table works whatever
 * camelCase the torch port settles on for `T_max`, `T_0`, …
 */
const TORCH_FACTORIES: Record<
  string,
  {
    attempts: (opt: Optimizer, lib: Record<string, unknown>) => unknown[];
    step?: string;
    extra?: unknown;
  }
> = {
  LambdaLR: { attempts: (optimizer) => [{ optimizer, lrLambda: (e: number) => 0.99999 ** e }] },
  MultiplicativeLR: { attempts: (optimizer) => [{ optimizer, lrLambda: () => 0.99999 }] },
  StepLR: { attempts: (optimizer) => [{ optimizer, stepSize: 30000, gamma: 0.1 }] },
  MultiStepLR: {
    attempts: (optimizer) => [{ optimizer, milestones: [60000, 80000], gamma: 0.1 }],
  },
  ConstantLR: { attempts: (optimizer) => [{ optimizer, factor: 0.5, totalIters: 1000 }] },
  LinearLR: {
    attempts: (optimizer) => [{ optimizer, startFactor: 0.001, endFactor: 1, totalIters: 1000 }],
  },
  ExponentialLR: { attempts: (optimizer) => [{ optimizer, gamma: 0.99999 }] },
  PolynomialLR: { attempts: (optimizer) => [{ optimizer, totalIters: N, power: 0.9 }] },
  CosineAnnealingLR: {
    attempts: (optimizer) => [
      { optimizer, tMax: N, etaMin: 0 },
      { optimizer, TMax: N, etaMin: 0 },
      { optimizer, T_max: N, eta_min: 0 },
    ],
  },
  CosineAnnealingWarmRestarts: {
    attempts: (optimizer) => [
      { optimizer, t0: 1000, tMult: 2 },
      { optimizer, T0: 1000, TMult: 2 },
      { optimizer, T_0: 1000, T_mult: 2 },
    ],
  },
  CyclicLR: {
    attempts: (optimizer) => [
      { optimizer, baseLr: 0.001, maxLr: 0.1, stepSizeUp: 2000 },
      { optimizer, baseLr: 0.001, maxLr: 0.1, stepSizeUp: 2000, cycleMomentum: false },
    ],
  },
  OneCycleLR: {
    attempts: (optimizer) => [
      { optimizer, maxLr: 0.1, totalSteps: N + 10 },
      { optimizer, maxLr: 0.1, totalSteps: N + 10, cycleMomentum: false },
    ],
  },
  SequentialLR: {
    attempts: (optimizer, lib) => {
      const make = (name: string, o: Record<string, unknown>) =>
        new (lib[name] as new (o: unknown) => unknown)({ optimizer, ...o });
      const seq = (cosine: Record<string, unknown>) => ({
        optimizer,
        schedulers: [
          make("LinearLR", { startFactor: 0.001, endFactor: 1, totalIters: 1000 }),
          make("CosineAnnealingLR", cosine),
        ],
        milestones: [1000],
      });
      return [
        () => seq({ tMax: N - 1000 }),
        () => seq({ TMax: N - 1000 }),
      ];
    },
  },
  ChainedScheduler: {
    attempts: (optimizer, lib) => {
      const parts = () => [
        new (lib.ConstantLR as new (o: unknown) => unknown)({
          optimizer,
          factor: 0.5,
          totalIters: 1000,
        }),
        new (lib.ExponentialLR as new (o: unknown) => unknown)({ optimizer, gamma: 0.99999 }),
      ];
      return [
        () => ({ schedulers: parts() }),
        () => parts(),
        () => ({ optimizer, schedulers: parts() }),
      ];
    },
  },
  ReduceLROnPlateau: {
    attempts: (optimizer) => [{ optimizer, mode: "min", factor: 0.5, patience: 10 }],
    step: "s.step(extra[k & 1023])",
    extra: Array.from({ length: 1024 }, (_, i) => 1 + Math.sin(i) * 0.1),
  },
};

/** torch scheduler names this benchmark knows how to build. */
const TORCH_CLASSES: readonly string[] = Object.keys(TORCH_FACTORIES);

/** Builds a torch scheduler of class `name` from `lib` (mod.ts), or explains why it cannot. */
export function buildTorch(
  name: string,
  lib: Record<string, unknown> = lrspec as unknown as Record<string, unknown>,
): { scheduler: LRScheduler } | { missing: string } {
  const C = lib[name];
  if (typeof C !== "function") return { missing: "not available in this build" };
  const factory = TORCH_FACTORIES[name];
  if (factory === undefined) return { missing: "no benchmark factory for this class" };
  const errors: string[] = [];
  const optimizer = optimizerWith(1);
  let attempts: unknown[];
  try {
    attempts = factory.attempts(optimizer, lib);
  } catch (error) {
    return { missing: `cannot build its parts: ${(error as Error).message}` };
  }
  for (const attempt of attempts) {
    try {
      const args = typeof attempt === "function" ? attempt() : attempt;
      const scheduler = new (C as new (o: unknown) => LRScheduler)(args);
      return { scheduler };
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  return { missing: `could not construct it: ${errors[errors.length - 1] ?? "no attempt"}` };
}

/** Every class exported by mod.ts that extends LRScheduler but is not detectron2's. */
function torchClassesIn(lib: Record<string, unknown>): string[] {
  const detectron2 = new Set([
    "LRMultiplier",
    "WarmupMultiStepLR",
    "WarmupCosineLR",
    "WarmupPolyLR",
  ]);
  return Object.entries(lib)
    .filter(([name, v]) =>
      typeof v === "function" && v.prototype instanceof LRScheduler && !detectron2.has(name)
    )
    .map(([name]) => name);
}

/** The groups of section 1 (the torch group lists what this build exports). */
export function perCallGroups(
  log: (line: string) => void = () => {},
  lib: Record<string, unknown> = lrspec as unknown as Record<string, unknown>,
): {
  groups: GroupSpec[];
  unavailable: Record<string, string>;
} {
  const section = "percall";
  const groups: GroupSpec[] = [];
  groups.push({
    section,
    title: "fvcore ParamScheduler.at(where)",
    unit: "per call",
    benches: [
      ...baselines(),
      { name: "ConstantParamScheduler", body: atCall(new ConstantParamScheduler({ value: 0.1 })) },
      {
        name: "CosineParamScheduler",
        body: atCall(new CosineParamScheduler({ startValue: 1, endValue: 0 })),
      },
      {
        name: "ExponentialParamScheduler",
        body: atCall(new ExponentialParamScheduler({ startValue: 2, decay: 0.02 })),
      },
      {
        name: "LinearParamScheduler",
        body: atCall(new LinearParamScheduler({ startValue: 0.0001, endValue: 0.01 })),
      },
      { name: "MultiStepParamScheduler (1x)", body: atCall(multistep1x()) },
      {
        name: "PolynomialDecayParamScheduler",
        body: atCall(new PolynomialDecayParamScheduler({ baseValue: 0.1, power: 0.9 })),
      },
      {
        name: "StepParamScheduler",
        // fvcore's StepParamScheduler raises from where = 1 - 1e-6: sample [0, 0.999)
        body: atCall(
          new StepParamScheduler({ numUpdates: 120, values: [0.1, 0.01, 0.001, 1e-4] }),
          0.999,
        ),
      },
      {
        name: "StepWithFixedGammaParamScheduler",
        body: atCall(
          new StepWithFixedGammaParamScheduler({
            baseValue: 0.1,
            numDecays: 3,
            gamma: 0.1,
            numUpdates: 120,
          }),
          0.999,
        ),
      },
      {
        name: "CompositeParamScheduler (3 segments)",
        body: atCall(
          new CompositeParamScheduler({
            schedulers: [
              new LinearParamScheduler({ startValue: 0, endValue: 1 }),
              new CosineParamScheduler({ startValue: 1, endValue: 0.1 }),
              new ConstantParamScheduler({ value: 0.1 }),
            ],
            lengths: [0.1, 0.6, 0.3],
            intervalScaling: ["rescaled", "fixed", "rescaled"],
          }),
        ),
      },
    ],
  });

  groups.push({
    section,
    title: "WarmupParamScheduler.at(where) compositions",
    unit: "per call",
    benches: [
      ...baselines(),
      { name: "linear warmup + multistep (detectron2 1x)", body: atCall(warmup1x()) },
      {
        name: "linear warmup + cosine (fixed)",
        body: atCall(
          new WarmupParamScheduler({
            scheduler: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
            warmupFactor: 0.001,
            warmupLength: 1000 / N,
          }),
        ),
      },
      {
        name: "linear warmup + cosine (rescaled)",
        body: atCall(
          new WarmupParamScheduler({
            scheduler: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
            warmupFactor: 0.001,
            warmupLength: 1000 / N,
            rescaleInterval: true,
          }),
        ),
      },
      {
        name: "constant warmup + multistep",
        body: atCall(
          new WarmupParamScheduler({
            scheduler: multistep1x(),
            warmupFactor: 0.001,
            warmupLength: 1000 / N,
            warmupMethod: "constant",
          }),
        ),
      },
    ],
  });

  const lrMultiplier = (groups: number, name: "WarmupMultiStepLR" | "WarmupCosineLR") => {
    const s = buildLrScheduler(cfg1x(name), optimizerWith(groups));
    return stepper(s, N);
  };
  const baseClassPath = (groups: number) => {
    const optimizer = optimizerWith(groups);
    const s = new BaseClassPathLRMultiplier({ optimizer, multiplier: warmup1x(), maxIter: N });
    return stepper(s, N);
  };
  groups.push({
    section,
    title: "LRMultiplier.step() (buildLrScheduler, 90k iterations)",
    unit: "per step",
    benches: [
      ...baselines(),
      { name: "multistep 1x, 1 group", body: stepCall(lrMultiplier(1, "WarmupMultiStepLR")) },
      { name: "multistep 1x, 4 groups", body: stepCall(lrMultiplier(4, "WarmupMultiStepLR")) },
      { name: "cosine, 1 group", body: stepCall(lrMultiplier(1, "WarmupCosineLR")) },
      { name: "cosine, 4 groups", body: stepCall(lrMultiplier(4, "WarmupCosineLR")) },
      {
        name: "multistep 1x, 4 groups, base-class step()",
        body: stepCall(baseClassPath(4)),
        meta: { note: "LRScheduler.step(): getLr() allocates, then applyLrs()" },
      },
    ],
  });

  groups.push({
    section,
    title: "legacy detectron2 schedulers .step()",
    unit: "per step",
    benches: [
      ...baselines(),
      {
        name: "WarmupMultiStepLR",
        body: stepCall(
          stepper(
            new WarmupMultiStepLR({ optimizer: optimizerWith(1), milestones: [60000, 80000] }),
            N,
          ),
        ),
      },
      {
        name: "WarmupCosineLR",
        body: stepCall(
          stepper(new WarmupCosineLR({ optimizer: optimizerWith(1), maxIters: N }), N),
        ),
      },
      {
        name: "WarmupPolyLR",
        body: stepCall(stepper(new WarmupPolyLR({ optimizer: optimizerWith(1), maxIters: N }), N)),
      },
    ],
  });

  // torch: whatever this build exports.
  const names = [...new Set([...TORCH_CLASSES, ...torchClassesIn(lib)])];
  const benches: BenchSpec[] = [...baselines()];
  const unavailable: Record<string, string> = {};
  for (const name of names) {
    const built = buildTorch(name, lib);
    if ("missing" in built) {
      unavailable[name] = built.missing;
      continue;
    }
    const st = stepper(built.scheduler, N - 1);
    const factory = TORCH_FACTORIES[name];
    if (factory?.step !== undefined) {
      st.stepSource = factory.step;
      st.extra = factory.extra;
    }
    benches.push({ name: `${name}.step()`, body: stepCall(st) });
  }
  for (const [name, why] of Object.entries(unavailable)) log(`  · torch ${name}: ${why}`);
  if (benches.length > 2) {
    groups.push({
      section,
      title: "torch schedulers .step() (1 group)",
      unit: "per step",
      benches,
    });
  } else {
    log("  · no torch scheduler class in this build: torch .step() group skipped");
  }
  return { groups, unavailable };
}

/** Runs section 1. */
export async function runPerCall(ctx: Context): Promise<void> {
  const { groups, unavailable } = perCallGroups(ctx.log);
  ctx.sections.torch = { unavailable };
  for (const g of groups) await measureGroup(ctx, g);
}
