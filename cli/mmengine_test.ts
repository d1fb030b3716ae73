// `--mmengine FILE`: an mmengine config read as mmengine's Config.fromfile reads it (a .py, in
// the Pyodide sandbox) or a .json dump, as the curve mmengine's Runner trains with. The .py test
// compares every row with mmengine's own Runner.train() on the same MMDetection file
// (fixtures/mmengine, runner/mmdet/schedule_1x: 60 iterations per epoch).
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { startPythonConfigLoader } from "../config/pyodide/load.ts";
import { readFixture } from "../conformance/runner.ts";
import { MMENGINE_SOURCE } from "./mmengine.ts";
import type { OpenContext } from "./source_kind.ts";
import { failure, lrspecArgs, REPO_ROOT, run } from "../testing/cli.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TMP = `${ROOT}.tmp/mmengine`;
mkdirSync(TMP, { recursive: true });
const CONFIGS = `${ROOT}fixtures/configs-py/mmdet/configs`;

const SCHEDULE_1X = {
  train_cfg: { type: "EpochBasedTrainLoop", max_epochs: 12, val_interval: 1 },
  param_scheduler: [
    { type: "LinearLR", start_factor: 0.001, by_epoch: false, begin: 0, end: 500 },
    { type: "MultiStepLR", begin: 0, end: 12, by_epoch: true, milestones: [8, 11], gamma: 0.1 },
  ],
  optim_wrapper: { type: "OptimWrapper", optimizer: { type: "SGD", lr: 0.02, momentum: 0.9 } },
  auto_scale_lr: { enable: false, base_batch_size: 16 },
  train_dataloader: { batch_size: 2 },
};

function json(name: string, value: unknown): string {
  const path = `${TMP}/${name}`;
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** mmengine's own rates (fixtures/mmengine): iteration → lr0. */
function golden(id: string): number[] {
  const [, ...lines] = readFixture(`${ROOT}fixtures/mmengine/${id}.csv`).trimEnd().split("\n");
  return lines.map((l) => Number(l.split(",")[3]));
}

/** mmengine's own runner.epoch at each iteration (fixtures/mmengine). */
function goldenEpochs(id: string): number[] {
  const [, ...lines] = readFixture(`${ROOT}fixtures/mmengine/${id}.csv`).trimEnd().split("\n");
  return lines.map((l) => Number(l.split(",")[2]));
}

test("lrspec curve --mmengine CONFIG.json --epoch-length L: iter,epoch,lr", async () => {
  const r = await run("curve", "--mmengine", json("1x.json", SCHEDULE_1X), "--epoch-length", "60");
  assert.equal(r.code, 0, r.stderr);
  const [header, ...rows] = r.stdout.trimEnd().split("\n");
  assert.equal(header, "iter,epoch,lr");
  assert.deepEqual(rows.map((l) => Number(l.split(",")[2])), golden("runner/mmdet/schedule_1x"));
  // The epoch is runner.epoch as mmengine's EpochBasedTrainLoop counts it.
  assert.deepEqual(
    rows.map((l) => Number(l.split(",")[1])),
    goldenEpochs("runner/mmdet/schedule_1x"),
  );
  assert.equal(rows[59]!.split(",")[1], "0");
  assert.equal(rows[60]!.split(",")[1], "1");
  assert.match(r.stderr, /auto_scale_lr is present but not enabled/);
});

test("lrspec explain --mmengine: the schedulers and the traps", async () => {
  const path = json("iter.json", {
    train_cfg: { type: "IterBasedTrainLoop", max_iters: 100 },
    optim_wrapper: { type: "OptimWrapper", optimizer: { type: "SGD", lr: 0.01 } },
    param_scheduler: [
      { type: "LinearLR", start_factor: 0.1, by_epoch: false, end: 200 },
      { type: "MultiStepLR", milestones: [1], by_epoch: true },
    ],
  });
  const r = await run("explain", "--mmengine", path);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /IterBasedTrainLoop/);
  assert.match(
    r.stdout,
    /trap: param_scheduler\[1\] MultiStepLR is by_epoch in an IterBasedTrainLoop/,
  );
  assert.match(r.stdout, /trap: param_scheduler\[0\] LinearLR \(a warmup\) ends at 200 iterations/);
});

test("--mmengine: usage errors", async () => {
  const path = json("1x-usage.json", SCHEDULE_1X);
  assert.match(
    await failure("curve", "--mmengine", path),
    /needs len\(train_dataloader\): give --epoch-length L, or --dataset-size N/,
  );
  assert.match(
    await failure("curve", "--mmengine", path, "--epoch-length", "0"),
    /--epoch-length must be a positive integer/,
  );
  assert.match(
    await failure("curve", "--mmengine", path, "--epoch-length", "5", "--dataset-size", "9"),
    /not both/,
  );
});

function context(values: Record<string, string>, flags: string[] = []): OpenContext {
  return {
    command: "curve",
    value: (name) => values[name],
    flag: (name) => flags.includes(name),
    values: (name) => (values[name] === undefined ? [] : [values[name]!]),
    opts: [],
    label: undefined,
    note: () => {},
    usage: (message) => new Error(message),
  };
}

const DINO = "dino/dino-4scale_r50_8xb2-12e_coco.py";

// bun's node:test ignores bunfig's timeout; the interpreter takes seconds to start.
const SLOW = { timeout: 600_000 };

test(
  "--mmengine CONFIG.py: MMDetection's schedule_1x.py, as mmengine's Runner trains it",
  SLOW,
  async () => {
    await startPythonConfigLoader(); // Bun: start the worker before blocking on it
    const [view] = MMENGINE_SOURCE.open(
      `${CONFIGS}/_base_/schedules/schedule_1x.py`,
      context({ "epoch-length": "60" }),
    );
    const values = new Float64Array(view!.rows);
    for (const run of view!.runs(0, view!.rows)) {
      run.fill(
        0,
        run.start,
        run.end,
        values.subarray(run.start),
      );
    }
    assert.deepEqual([...values], golden("runner/mmdet/schedule_1x"));
    const [dino] = MMENGINE_SOURCE.open(
      `${CONFIGS}/${DINO}`,
      context({ "dataset-size": "117266", "num-gpus": "8" }),
    );
    assert.equal(dino!.rows, 12 * 7330);
    assert.deepEqual(dino!.columns, ["lr", "lr_backbone"]);
    // Its _base_ files are inputs of the run, as the config is: --out cannot replace one. (On a
    // copy: a regression must not overwrite the vendored file.)
    const copy = `${TMP}/configs`;
    for (const rel of [DINO, "_base_/default_runtime.py", "_base_/datasets/coco_detection.py"]) {
      mkdirSync(dirname(`${copy}/${rel}`), { recursive: true });
      copyFileSync(`${CONFIGS}/${rel}`, `${copy}/${rel}`);
    }
    const base = `${copy}/_base_/default_runtime.py`;
    const before = readFileSync(base, "utf8");
    const args = ["curve", "--mmengine", `${copy}/${DINO}`, "--epoch-length", "5", "--out", base];
    const refused = await run(...args);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /error: cannot write .*default_runtime\.py: it is an input/);
    assert.equal(readFileSync(base, "utf8"), before);
  },
);

test(
  "lrspec curve --mmengine CONFIG.py, spawned as a user runs it: the interpreter starts, the CLI ends",
  SLOW,
  () => {
    // The CLI blocks on the Pyodide worker while it reads a .py (loadSync); a worker that is not
    // started before that never starts on Deno (`deno run cli/main.ts` hung): main() starts it.
    const r = spawnSync(
      process.execPath,
      lrspecArgs(
        "curve",
        "--mmengine",
        "fixtures/configs-py/mmdet/configs/_base_/schedules/schedule_1x.py",
        "--epoch-length",
        "60",
      ),
      { cwd: REPO_ROOT, encoding: "utf8", timeout: 180_000 },
    );
    assert.equal(r.signal, null, `killed after 180 s (a hang?): ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    const [header, ...rows] = r.stdout.trimEnd().split("\n");
    assert.match(header!, /^iter,/);
    const lr = header!.split(",").indexOf("lr");
    assert.deepEqual(rows.map((l) => Number(l.split(",")[lr])), golden("runner/mmdet/schedule_1x"));
  },
);
