// Checks the npm package as Node users get it: built JavaScript + declarations, importable by
// name on plain Node (no TypeScript loader), and nothing but the library's build in the tarball
// (no TypeScript sources: every runtime gets dist/). testing/npm_package_test.ts installs the
// packed tarball into a fresh project and runs and type-checks consumers on Deno, Bun and Node.
// Run after `npm run build`.
import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import process from "node:process";

// The package by name (Node's self-reference to this package.json's exports, i.e. the build), at
// run time: `deno check scripts/` does not resolve dist/'s declarations outside node_modules.
const load = (specifier) => import(specifier);
const { buildLrScheduler, getCfg, CosineParamScheduler } = await load("lrspec");
const cfg = getCfg();
const optimizer = { paramGroups: [{ lr: 0.02 }] };
const scheduler = buildLrScheduler(cfg, optimizer);
for (let i = 0; i < 30000; i++) scheduler.step();
assert.equal(
  optimizer.paramGroups[0].lr,
  0.02 * 0.1,
  "the built package computes detectron2's default schedule",
);
assert.equal(new CosineParamScheduler({ startValue: 1, endValue: 0 }).at(1), 0);

// Every subpath resolves on plain Node and exports what its family holds.
const fvcore = await load("lrspec/fvcore");
assert.equal(typeof fvcore.MultiStepParamScheduler, "function");
const detectron2 = await load("lrspec/detectron2");
assert.equal(typeof detectron2.buildLrScheduler, "function");
const torch = await load("lrspec/torch");
assert.equal(typeof torch.OneCycleLR, "function");
const hf = await load("lrspec/hf");
assert.equal(typeof hf.getScheduler, "function");
const optax = await load("lrspec/optax");
assert.equal(optax.linearSchedule({ initValue: 1, endValue: 0, transitionSteps: 4 })(1), 0.75);
const timm = await load("lrspec/timm");
assert.equal(typeof timm.createSchedulerV2, "function");
assert.equal(new timm.TorchGenerator().manualSeed(0).rand(), 0.49625658988952637); // torch.rand(1)
const verify = await load("lrspec/verify");
assert.equal(verify.verifyCsv("iter,lr\n0,0.5\n", "iter,lr\n0,0.5\n").ok, true);

// The config subpath and the CLI, as `npx lrspec` runs it.
const { loadConfig } = await load("lrspec/config");
assert.equal(typeof loadConfig, "function");
const explained = execFileSync(process.execPath, [
  "bin/lrspec.mjs",
  "explain",
  "fixtures/detectron2-configs/configs/COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml",
], { encoding: "utf8" });
assert.match(
  explained,
  /^linear warmup over 1000 iterations from 2e-05 to 0\.02, ×0\.1 at 210000 and 250000/,
);
// A Trainer's TrainingArguments and a timm args.yaml, through the built CLI.
const lrspecCurve = (...args) =>
  execFileSync(process.execPath, ["bin/lrspec.mjs", "curve", ...args], { encoding: "utf8" })
    .trimEnd().split("\n");
const hfRows = lrspecCurve("--hf", "docs/configs/hf/training_args.json", "--dataset-size", "5691");
assert.deepEqual(
  [hfRows[0], hfRows.length, hfRows[34]],
  ["step,lr", 1069, "34,2e-05"],
  "curve --hf",
);
const timmRows = lrspecCurve("--timm", "docs/configs/timm/resnet50-a3/args.yaml");
assert.deepEqual([timmRows[0], timmRows.length], ["epoch,lr", 101], "curve --timm");

const [pack] = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8" }),
);
const files = pack.files.map((f) => f.path);
for (
  const required of [
    "dist/mod.js",
    "dist/mod.d.ts",
    "dist/schedules/fvcore/param_scheduler.js",
    "dist/verify/mod.js",
    "bin/lrspec.mjs",
    "README.md",
    "LICENSE",
  ]
) {
  assert.ok(files.includes(required), `the tarball contains ${required}`);
}
for (const f of files) {
  assert.ok(
    !/_test\.|^fixtures\/|^bench\/|^testing\/|^scripts\/|conformance\/|(?<!\.d)\.ts$/.test(f),
    `the tarball must not contain ${f}`,
  );
}
console.log(`npm package ok: ${files.length} files, ${(pack.size / 1024).toFixed(0)} KiB packed`);
