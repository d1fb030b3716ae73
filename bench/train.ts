/**
 * Section 5 — inside a real training step (TensorFlow.js). Trains a 784-256-10 MLP (batch 128)
 * and a small conv net (batch 32) with SGD, the learning rate driven every step by
 * `buildLrScheduler` through the `@lrspec/lrspec/tfjs` adapter, interleaved A/B against a
 * constant-LR arm in the same process; then replays the scheduler and the LR updates alone over
 * the same steps. Reports step time, the scheduler's share and the LR-update share.
 *
 * Backends, in order of preference (each loaded dynamically, skipped with a reason when absent):
 * `@tensorflow/tfjs-node-gpu` (CUDA), `@tensorflow/tfjs-node`, WebGPU (`navigator.gpu`, Deno),
 * wasm, cpu.
 *
 * @module
 */

import process from "node:process";
import { buildLrScheduler, getCfg, type LRScheduler, type Optimizer } from "../mod.ts";
import { tfjsOptimizer } from "../adapters/tfjs.ts";
import { addTarget, type Context, selected } from "./_harness.ts";

// deno-lint-ignore no-explicit-any
type Tf = any;
// deno-lint-ignore no-explicit-any
type Tensor = any;

/** The backends, in order of preference. */
const BACKENDS = ["tfjs-node-gpu", "tfjs-node", "webgpu", "wasm", "cpu"] as const;

/** Whether a backend computes on a GPU (its target is 0.1 % of a step, not 0.01 %). */
const GPU_BACKENDS = new Set(["tfjs-node-gpu", "webgpu"]);

/** Nanosecond clock. */
const now: () => number = (() => {
  const bun = (globalThis as { Bun?: { nanoseconds(): number } }).Bun;
  if (bun) return () => bun.nanoseconds();
  return () => performance.now() * 1e6;
})();

/** A loaded backend. */
export interface Loaded {
  name: string;
  tf: Tf;
  /** What the backend runs on, for the report. */
  device: string;
}

let tfCore: Tf | undefined;

async function tfjs(): Promise<Tf> {
  tfCore ??= await import("@tensorflow/tfjs");
  return tfCore;
}

/** Loads and activates a backend, or says why it cannot. */
export async function loadBackend(name: string): Promise<Loaded | { skipped: string }> {
  try {
    if (name === "tfjs-node-gpu" || name === "tfjs-node") {
      const spec = `@tensorflow/${name}`;
      let tf: Tf;
      try {
        tf = await import(spec);
      } catch (error) {
        return {
          skipped:
            `${spec} is not installed/loadable (${(error as Error).message.split("\n")[0]}); ` +
            "its installer downloads libtensorflow from a host this machine cannot reach",
        };
      }
      if (!(await tf.setBackend("tensorflow"))) {
        return { skipped: "tensorflow backend did not initialise" };
      }
      await tf.ready();
      return {
        name,
        tf,
        device: name === "tfjs-node-gpu" ? "CUDA GPU (libtensorflow)" : "CPU (libtensorflow)",
      };
    }
    const tf = await tfjs();
    if (name === "webgpu") {
      const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } })
        .navigator?.gpu;
      if (gpu === undefined) return { skipped: "navigator.gpu is not available in this runtime" };
      const adapter = await gpu.requestAdapter() as {
        info?: { description?: string; isFallbackAdapter?: boolean };
      } | null;
      if (adapter === null) return { skipped: "navigator.gpu has no adapter" };
      await import("@tensorflow/tfjs-backend-webgpu");
      if (!(await tf.setBackend("webgpu"))) {
        return { skipped: "the webgpu backend did not initialise" };
      }
      await tf.ready();
      const info = adapter.info;
      const device = `WebGPU: ${info?.description || "unknown adapter"}` +
        (info?.isFallbackAdapter ? " (software fallback adapter)" : "");
      return { name, tf, device };
    }
    if (name === "wasm") {
      await import("@tensorflow/tfjs-backend-wasm");
      if (!(await tf.setBackend("wasm"))) return { skipped: "the wasm backend did not initialise" };
      await tf.ready();
      return { name, tf, device: "CPU (WebAssembly)" };
    }
    if (name === "cpu") {
      await tf.setBackend("cpu");
      await tf.ready();
      return { name, tf, device: "CPU (plain JavaScript)" };
    }
    return { skipped: `unknown backend ${name}` };
  } catch (error) {
    return { skipped: `failed: ${(error as Error).message.split("\n")[0]}` };
  }
}

/** A model: its variables and a loss over a fixed synthetic batch. */
export interface Model {
  name: string;
  variables: Tensor[];
  loss(): Tensor;
  dispose(): void;
}

/** The MLP: 784-256-10, batch 128, synthetic data. */
function mlp(tf: Tf): Model {
  const x = tf.randomNormal([128, 784]);
  const y = tf.oneHot(tf.randomUniform([128], 0, 10, "int32"), 10);
  const w1 = tf.variable(tf.randomNormal([784, 256], 0, 0.05));
  const b1 = tf.variable(tf.zeros([256]));
  const w2 = tf.variable(tf.randomNormal([256, 10], 0, 0.05));
  const b2 = tf.variable(tf.zeros([10]));
  return {
    name: "MLP 784-256-10, batch 128",
    variables: [w1, b1, w2, b2],
    loss: () => tf.losses.softmaxCrossEntropy(y, tf.relu(x.matMul(w1).add(b1)).matMul(w2).add(b2)),
    dispose: () => tf.dispose([x, y, w1, b1, w2, b2]),
  };
}

/** The conv net: 3x3x8 conv, maxpool, dense 10, batch 32. */
function convNet(tf: Tf): Model {
  const x = tf.randomNormal([32, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([32], 0, 10, "int32"), 10);
  const k = tf.variable(tf.randomNormal([3, 3, 1, 8], 0, 0.1));
  const w = tf.variable(tf.randomNormal([13 * 13 * 8, 10], 0, 0.05));
  return {
    name: "conv 3x3x8 + maxpool + dense 10, batch 32",
    variables: [k, w],
    loss: () => {
      const h = tf.maxPool(tf.relu(tf.conv2d(x, k, 1, "valid")), 2, 2, "valid");
      return tf.losses.softmaxCrossEntropy(y, h.reshape([32, -1]).matMul(w));
    },
    dispose: () => tf.dispose([x, y, k, w]),
  };
}

/** detectron2's cosine schedule with warmup, over `steps` iterations: a new LR every step. */
function schedulerFor(optimizer: Optimizer, steps: number, name = "WarmupCosineLR"): LRScheduler {
  const cfg = getCfg();
  cfg.SOLVER.LR_SCHEDULER_NAME = name;
  cfg.SOLVER.BASE_LR = 0.05;
  cfg.SOLVER.MAX_ITER = steps;
  cfg.SOLVER.STEPS = [Math.floor(steps * 0.6), Math.floor(steps * 0.85)];
  cfg.SOLVER.WARMUP_ITERS = Math.floor(steps / 10);
  return buildLrScheduler(cfg, optimizer);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** One training step: minimize, and wait for the loss (so that GPU work is finished). */
async function trainStep(model: Model, optimizer: Tensor): Promise<void> {
  const cost = optimizer.minimize(model.loss, true, model.variables);
  await cost.data();
  cost.dispose();
}

/** Result of one backend × model run. */
export interface TrainResult {
  backend: string;
  device: string;
  model: string;
  gpu: boolean;
  steps: number;
  stepMsScheduled: number;
  stepMsConstant: number;
  abDifferencePct: number;
  abNoisePct: number;
  /**
   * Timed inside the training loop, right after each step (caches cold, GC pauses included);
   * medians, less the cost of reading the clock.
   */
  inSitu: {
    schedulerNs: number;
    updateNs: number;
    schedulerMeanNs: number;
    updateMeanNs: number;
    /** The same measurement around one Math.cos call and a constant closure (B arm). */
    baselineNs: number;
  };
  replay: {
    cosine: { schedulerNs: number; updateNs: number; lrUpdatesPerStep: number };
    multistep: { schedulerNs: number; updateNs: number; lrUpdatesPerStep: number };
    /** Cosine with tfjs's Adam: its learning rate is a plain field, no tensor per update. */
    cosineAdam: { schedulerNs: number; updateNs: number; lrUpdatesPerStep: number };
  };
  schedulerPct: number;
  updatePct: number;
  totalPct: number;
  /** In-situ shares of the constant arm's step time, % (scheduler, LR update, trivial baseline). */
  inSituPct: { scheduler: number; update: number; baseline: number };
}

/** The median cost of reading the clock (subtracted from in-situ timings). */
function clockCost(): number {
  const xs: number[] = [];
  for (let i = 0; i < 1001; i++) {
    const t0 = now();
    xs.push(now() - t0);
  }
  return median(xs);
}

/** Times `fn` over `count` repetitions until at least `minNs` passed; returns ns per repetition. */
function timeLoop(setup: () => () => void, count: number, minNs = 20e6, rounds = 5): number {
  // Warm up first (the JIT, tfjs's tensor bookkeeping): steady state is what a long training
  // run sees; the in-situ timings show the cold start.
  for (let spent = 0; spent < minNs / 2;) {
    const run = setup();
    const t0 = now();
    run();
    spent += now() - t0;
  }
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let total = 0, reps = 0;
    while (total < minNs / rounds) {
      const run = setup(); // outside the timing
      const t0 = now();
      run();
      total += now() - t0;
      reps += count;
    }
    samples.push(total / reps);
  }
  return median(samples);
}

/** Replays the scheduler alone, and scheduler + adapter sync, over `steps` iterations. */
export function replay(
  tf: Tf,
  steps: number,
  name: string,
  optimizer: "sgd" | "adam" = "sgd",
): { schedulerNs: number; updateNs: number; lrUpdatesPerStep: number } {
  const plain = timeLoop(() => {
    const s = schedulerFor({ paramGroups: [{ lr: 0.05 }] }, steps, name);
    return () => {
      for (let i = 0; i < steps; i++) s.step();
    };
  }, steps);
  // One tfjs optimizer for the whole measurement (fresh schedulers on it, outside the timing):
  // creating and disposing optimizers is not part of a training step.
  const opt = optimizer === "sgd" ? tf.train.sgd(0.05) : tf.train.adam(0.05);
  const adapter = tfjsOptimizer(opt);
  let updates = 0;
  const withSync = timeLoop(() => {
    const s = schedulerFor(adapter, steps, name);
    adapter.sync();
    const before = adapter.stats.lrUpdates;
    return () => {
      for (let i = 0; i < steps; i++) {
        s.step();
        adapter.sync();
      }
      updates = adapter.stats.lrUpdates - before;
    };
  }, steps);
  opt.dispose();
  return {
    schedulerNs: plain,
    updateNs: Math.max(0, withSync - plain),
    lrUpdatesPerStep: updates / steps,
  };
}

let coldSink = 0;
const coldConstant = () => 0.5;
/** The in-situ baseline: one Math.cos call and a constant closure (results kept in a sink). */
function coldBaseline(i: number): number {
  return Math.cos(i) + coldConstant() + coldSink * 0;
}

/** Trains one model on one backend: interleaved A (scheduled) / B (constant) blocks. */
export async function trainAB(
  loaded: Loaded,
  makeModel: (tf: Tf) => Model,
  steps: number,
  log: (s: string) => void,
): Promise<TrainResult> {
  if (!(steps >= 10)) throw new RangeError(`trainAB: steps must be >= 10: got ${steps}`);
  const { tf } = loaded;
  const model = makeModel(tf);
  const optA = tf.train.sgd(0.05);
  const adapter = tfjsOptimizer(optA);
  const scheduler = schedulerFor(adapter, steps + 1);
  adapter.sync();
  const optB = tf.train.sgd(0.05);
  const block = Math.max(1, Math.min(10, Math.floor(steps / 6)));
  const warm = Math.max(2, Math.floor(steps / 10));
  for (let i = 0; i < warm; i++) {
    await trainStep(model, optB);
    await trainStep(model, optA);
  }
  const a: number[] = [], b: number[] = [], blockA: number[] = [], blockB: number[] = [];
  const schedNs: number[] = [], syncNs: number[] = [], coldNs: number[] = [];
  let doneA = 0, doneB = 0;
  for (let k = 0; doneA < steps || doneB < steps; k++) {
    const order = k % 2 === 0 ? ["A", "B"] : ["B", "A"]; // ABBA: cancels slow drifts
    for (const arm of order) {
      const times: number[] = [];
      for (let i = 0; i < block && (arm === "A" ? doneA : doneB) < steps; i++) {
        const t0 = now();
        if (arm === "A") {
          await trainStep(model, optA);
          const t1 = now();
          scheduler.step();
          const t2 = now();
          adapter.sync();
          const t3 = now();
          schedNs.push(t2 - t1);
          syncNs.push(t3 - t2);
          doneA++;
        } else {
          await trainStep(model, optB);
          // The same clock around a trivial call: what any code pays right after a step.
          const t1 = now();
          coldSink = coldBaseline(doneB);
          const t2 = now();
          coldNs.push(t2 - t1);
          doneB++;
        }
        times.push(now() - t0);
      }
      if (times.length === 0) continue;
      (arm === "A" ? a : b).push(...times);
      (arm === "A" ? blockA : blockB).push(median(times));
    }
  }
  const stepA = median(a), stepB = median(b);
  const clockNs = clockCost();
  const diffs = blockA.map((
    x,
    i,
  ) => (blockB[i] === undefined ? NaN : (x - blockB[i]!) / stepB * 100))
    .filter((x) => x === x);
  const cosine = replay(tf, steps, "WarmupCosineLR");
  const multistep = replay(tf, steps, "WarmupMultiStepLR");
  const cosineAdam = replay(tf, steps, "WarmupCosineLR", "adam");
  optA.dispose();
  optB.dispose();
  model.dispose();
  const schedulerPct = cosine.schedulerNs / stepB * 100;
  const updatePct = cosine.updateNs / stepB * 100;
  const result: TrainResult = {
    backend: loaded.name,
    device: loaded.device,
    model: model.name,
    gpu: GPU_BACKENDS.has(loaded.name),
    steps,
    stepMsScheduled: stepA / 1e6,
    stepMsConstant: stepB / 1e6,
    abDifferencePct: (stepA - stepB) / stepB * 100,
    abNoisePct: diffs.length > 1 ? Math.sqrt(mean(diffs.map((d) => (d - mean(diffs)) ** 2))) : NaN,
    inSitu: {
      schedulerNs: Math.max(0, median(schedNs) - clockNs),
      updateNs: Math.max(0, median(syncNs) - clockNs),
      schedulerMeanNs: mean(schedNs),
      updateMeanNs: mean(syncNs),
      baselineNs: Math.max(0, median(coldNs) - clockNs),
    },
    replay: { cosine, multistep, cosineAdam },
    schedulerPct,
    updatePct,
    totalPct: schedulerPct + updatePct,
    inSituPct: { scheduler: NaN, update: NaN, baseline: NaN },
  };
  result.inSituPct = {
    scheduler: result.inSitu.schedulerNs / stepB * 100,
    update: result.inSitu.updateNs / stepB * 100,
    baseline: result.inSitu.baselineNs / stepB * 100,
  };
  log(
    `  ${loaded.name.padEnd(13)} ${model.name.padEnd(42)} step ${(stepB / 1e6).toFixed(2)} ms ` +
      `(scheduled arm ${(stepA / 1e6).toFixed(2)} ms, A−B ${
        result.abDifferencePct.toFixed(2)
      } % ± ${result.abNoisePct.toFixed(2)} % block noise)\n` +
      `  ${"".padEnd(56)}scheduler ${cosine.schedulerNs.toFixed(0)} ns = ${
        schedulerPct.toExponential(2)
      } %, ` +
      `LR update ${cosine.updateNs.toFixed(0)} ns/step = ${updatePct.toExponential(2)} % ` +
      `(cosine: a new LR every step, SGD); multistep: ${multistep.schedulerNs.toFixed(0)} + ${
        multistep.updateNs.toFixed(0)
      } ns; ` +
      `cosine with Adam: ${cosineAdam.schedulerNs.toFixed(0)} + ${
        cosineAdam.updateNs.toFixed(0)
      } ns; ` +
      `in situ (cold caches, medians) ${result.inSitu.schedulerNs.toFixed(0)} + ${
        result.inSitu.updateNs.toFixed(0)
      } ns = ${result.inSituPct.scheduler.toFixed(3)} % + ${
        result.inSituPct.update.toFixed(3)
      } % ` +
      `(a Math.cos + constant-closure call there: ${result.inSitu.baselineNs.toFixed(0)} ns = ` +
      `${result.inSituPct.baseline.toFixed(3)} %)`,
  );
  return result;
}

/** Runs section 5. */
export async function runTraining(
  ctx: Context,
  options: { steps?: number; backends?: string[] } = {},
): Promise<void> {
  if (!selected(ctx, "train tfjs training TensorFlow.js")) return;
  const wanted = options.backends ?? [...BACKENDS];
  const status: Record<string, string> = {};
  const loaded: Loaded[] = [];
  const env = process.env;
  if (
    typeof (globalThis as { Deno?: unknown }).Deno !== "undefined" &&
    env.XDG_RUNTIME_DIR === undefined
  ) {
    ctx.log("  (WebGPU on Linux/Vulkan may need XDG_RUNTIME_DIR set)");
  }
  const mlpSteps = options.steps ?? (ctx.long ? 300 : 60);
  const convSteps = options.steps ?? (ctx.long ? 100 : 16);
  const results: TrainResult[] = [];
  let cpuReferenceDone = false;
  ctx.log("▸ TensorFlow.js training, backends in order of preference:");
  for (const name of BACKENDS) {
    if (!wanted.includes(name)) {
      status[name] = "not requested";
      continue;
    }
    // Quick mode: the preferred available backend, plus one CPU backend for the CPU target.
    const isGpu = GPU_BACKENDS.has(name);
    if (!ctx.long && loaded.length > 0 && (cpuReferenceDone || isGpu)) {
      status[name] ??= "skipped in quick mode (use --long)";
      ctx.log(`  · ${name}: ${status[name]}`);
      continue;
    }
    const l = await loadBackend(name);
    if ("skipped" in l) {
      status[name] = l.skipped;
      ctx.log(`  · ${name}: ${l.skipped}`);
      continue;
    }
    status[name] = `used: ${l.device}`;
    ctx.log(`  ✓ ${name}: ${l.device}`);
    loaded.push(l);
    await l.tf.setBackend(
      l.name === "tfjs-node" || l.name === "tfjs-node-gpu" ? "tensorflow" : l.name,
    );
    results.push(await trainAB(l, mlp, mlpSteps, ctx.log));
    let conv = false;
    if (l.name !== "wasm") {
      results.push(await trainAB(l, convNet, convSteps, ctx.log));
      conv = true;
    } else {
      ctx.log(`  · wasm: no conv net (the wasm backend lacks Conv2DBackpropFilter)`);
    }
    if (!isGpu) cpuReferenceDone = true;
    // Quick mode: a conv net on cpu too when the CPU reference (wasm) cannot train it.
    if (!ctx.long && !isGpu && !conv && wanted.includes("cpu")) {
      const c = await loadBackend("cpu");
      if (!("skipped" in c)) {
        status.cpu = `used (conv net only): ${c.device}`;
        results.push(await trainAB(c, convNet, convSteps, ctx.log));
      }
    }
  }
  ctx.sections.train = { backends: status, runs: results };
  const cpuRuns = results.filter((r) => !r.gpu);
  const gpuRuns = results.filter((r) => r.gpu);
  for (const [runs, bound, kind] of [[cpuRuns, 0.01, "CPU"], [gpuRuns, 0.1, "GPU"]] as const) {
    if (runs.length === 0) {
      addTarget(ctx, {
        id: `T5-${kind.toLowerCase()}-share`,
        description: `scheduler + LR update share of a ${kind} training step, %`,
        measured: null,
        bound,
        op: "<=",
        note: kind === "GPU" ? "no GPU backend available here" : "no CPU backend ran",
      });
      continue;
    }
    const share = (r: TrainResult, k: "multistep" | "cosineAdam") =>
      (r.replay[k].schedulerNs + r.replay[k].updateNs) / (r.stepMsConstant * 1e6) * 100;
    for (
      const [k, label] of [["multistep", "1x multistep (detectron2's default), SGD"], [
        "cosineAdam",
        "cosine, Adam",
      ]] as const
    ) {
      const w = runs.reduce((x, r) => (share(r, k) > share(x, k) ? r : x));
      addTarget(ctx, {
        id: `T5-${kind.toLowerCase()}-share-${k}`,
        description:
          `scheduler + LR update share of a ${kind} training step, %, ${label} (worst: ${w.backend} ${
            w.model.split(",")[0]
          })`,
        measured: share(w, k),
        bound,
        op: "<=",
      });
    }
    const worst = runs.reduce((w, r) => (r.totalPct > w.totalPct ? r : w));
    addTarget(ctx, {
      id: `T5-${kind.toLowerCase()}-share`,
      description:
        `scheduler + LR update share of a ${kind} training step, %, cosine (a new LR every step), SGD (worst: ${worst.backend} ${
          worst.model.split(",")[0]
        })`,
      measured: worst.totalPct,
      bound,
      op: "<=",
      note:
        `step ${
          worst.stepMsConstant.toFixed(2)
        } ms; of which tfjs's SGD setLearningRate (a new tensor): ` +
        `${worst.replay.cosine.updateNs.toFixed(0)} ns, lrspec: ${
          worst.replay.cosine.schedulerNs.toFixed(0)
        } ns`,
    });
  }
}
