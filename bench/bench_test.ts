// Smoke test of the benchmark suite: every module imports, every benchmark body runs once, the
// fitting and argument parsing work, the torch table picks up classes by name, and a two-step
// training run completes on tfjs's cpu backend. (The benchmarks themselves are `deno task bench`.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { LRScheduler, type Optimizer } from "../mod.ts";
import { fitGrowth, runOnce } from "./_harness.ts";
import { parseArgs, SECTIONS } from "./main.ts";
import { buildTorch, perCallGroups } from "./percall.ts";
import { samplingGroups } from "./sampling.ts";
import { scanGroup, SCANS } from "./scaling.ts";
import "./detectron2.ts";
import { loadBackend, type Model, trainAB } from "./train.ts";

test("every benchmark body runs once", async (t) => {
  await t.test("per-call groups", () => {
    const { groups } = perCallGroups();
    assert.ok(groups.length >= 4);
    for (const g of groups) {
      assert.ok(
        g.benches.some((b) => b.baseline === "cos"),
        `${g.title} has the Math.cos baseline`,
      );
      assert.ok(
        g.benches.some((b) => b.baseline === "const"),
        `${g.title} has the constant baseline`,
      );
      for (const b of g.benches) runOnce(b.body);
    }
  });
  await t.test("sampling groups", () => {
    for (const g of samplingGroups()) for (const b of g.benches) runOnce(b.body);
  });
  await t.test("scaling scans, at their smallest size", () => {
    for (const scan of SCANS) {
      for (const b of scanGroup(scan).benches) {
        runOnce(b.body, b.range ? { [b.range.arg]: b.range.start } : {});
      }
    }
  });
});

test("fitGrowth recovers exponents and per-doubling slopes", () => {
  const linear = fitGrowth([10, 100, 1000].map((x) => ({ x, y: 3 * x })));
  assert.ok(Math.abs(linear.exponent - 1) < 1e-12);
  const log = fitGrowth([8, 64, 512].map((x) => ({ x, y: 10 + 2 * Math.log2(x) })));
  assert.ok(Math.abs(log.perDoublingNs - 2) < 1e-12);
});

test("the command line", () => {
  assert.deepEqual(parseArgs([]).sections, [...SECTIONS]);
  const o = parseArgs(["--long", "--filter", "cursor", "--sections", "percall,train", "--no-json"]);
  assert.equal(o.long, true);
  assert.ok(o.filter?.test("ScheduleCursor.next()"));
  assert.deepEqual(o.sections, ["percall", "train"]);
  assert.equal(o.out, null);
  assert.throws(() => parseArgs(["--sections", "gpu"]), RangeError);
  assert.throws(() => parseArgs(["--bogus"]), RangeError);
});

test("torch classes are found by name, whatever this build exports", () => {
  class StepLR extends LRScheduler {
    constructor(o: { optimizer: Optimizer; stepSize: number; gamma?: number }) {
      super("StepLR", { optimizer: o.optimizer });
      this.initialStep();
    }
    getLr(): number[] {
      return this.optimizer.paramGroups.map((g) => g.lr);
    }
  }
  class CosineAnnealingLR extends LRScheduler {
    constructor(o: { optimizer: Optimizer; TMax: number }) {
      if (!("TMax" in o)) throw new TypeError("unknown option");
      super("CosineAnnealingLR", { optimizer: o.optimizer });
      this.initialStep();
    }
    getLr(): number[] {
      return this.optimizer.paramGroups.map((g) => g.lr);
    }
  }
  const lib = { StepLR, CosineAnnealingLR, LRScheduler };
  assert.ok("scheduler" in buildTorch("StepLR", lib));
  assert.ok("scheduler" in buildTorch("CosineAnnealingLR", lib)); // second spelling
  assert.deepEqual(buildTorch("OneCycleLR", lib), { missing: "not available in this build" });
  const lines: string[] = [];
  const { groups, unavailable } = perCallGroups((l) => lines.push(l), lib);
  const torch = groups.find((g) => g.title.startsWith("torch"));
  assert.deepEqual(torch?.benches.map((b) => b.name).slice(2), [
    "StepLR.step()",
    "CosineAnnealingLR.step()",
  ]);
  assert.equal(unavailable.MultiStepLR, "not available in this build");
  for (const b of torch!.benches) runOnce(b.body);
});

// Bun applies its 5 s default to node:test tests unless the test names its own timeout.
test("a short A/B training run on tfjs's cpu backend", { timeout: 120_000 }, async () => {
  const loaded = await loadBackend("cpu");
  assert.ok(!("skipped" in loaded));
  if ("skipped" in loaded) return;
  const tf = loaded.tf;
  const tiny = (): Model => {
    const x = tf.randomNormal([4, 3]);
    const w = tf.variable(tf.randomNormal([3, 2]));
    return {
      name: "tiny",
      variables: [w],
      loss: () => x.matMul(w).square().mean(),
      dispose: () => tf.dispose([x, w]),
    };
  };
  const r = await trainAB(loaded, tiny, 10, () => {});
  assert.equal(r.backend, "cpu");
  assert.ok(r.stepMsConstant > 0 && r.replay.cosine.schedulerNs > 0);
  assert.ok(r.totalPct >= 0);
  assert.deepEqual(Object.keys(await loadBackend("tfjs-node-gpu")), ["skipped"]);
});
