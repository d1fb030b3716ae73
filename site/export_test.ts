// The playground's Export CSV is `lrspec curve`'s output, byte for byte, for every family the
// CLI reads (the same file through the page's form and through the command line), and for the
// families the CLI does not read, a CSV numbered as the view numbers its rows that `lrspec
// verify` accepts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { main } from "../cli/main.ts";
import { verifyCsv } from "../verify/verify.ts";
import { curveCsv } from "./curves.ts";
import { siteSchema } from "./docs.ts";
import { siteSchedules } from "./families/mod.ts";
import * as optax from "../schedules/optax/mod.ts";
import { pyFloatRepr } from "../schedules/python.ts";

const ROOT = new URL("..", import.meta.url).pathname;
mkdirSync(`${ROOT}.tmp`, { recursive: true });
const defs = siteSchedules(siteSchema());
const initial = (id: string) =>
  Object.fromEntries(defs.get(id)!.fields.map((f) => [f.name, f.example ?? ""]));

async function lrspecCurve(...args: string[]): Promise<string> {
  let out = "", err = "";
  const code = await main(["curve", ...args], {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
  });
  assert.equal(code, 0, err);
  return out;
}

/** What the page's Export CSV button writes for a schedule, its form's values and files. */
function exported(
  id: string,
  values: Record<string, string>,
  files: Record<string, string> = {},
): string {
  const curve = defs.get(id)!.build({ values: { ...initial(id), ...values }, files });
  return curveCsv(curve.view);
}

/** A config's `_BASE_` files (and theirs), by path, as the page's "_BASE_ files" field holds them. */
function bases(path: string, out: Record<string, string> = {}): Record<string, string> {
  const base = /^_BASE_:\s*"?([^"\n]+)"?/m.exec(readFileSync(path, "utf8"))?.[1];
  if (base === undefined) return out;
  const file = new URL(base, `file://${path}`).pathname;
  out[file] = readFileSync(file, "utf8");
  return bases(file, out);
}

test("Export CSV is `lrspec curve`, byte for byte: detectron2", async (t) => {
  for (const name of ["multistep", "cosine", "step-fixed-gamma", "poly"]) {
    await t.test(name, async () => {
      const path = `${ROOT}docs/configs/${name}.yaml`;
      const text = readFileSync(path, "utf8");
      const csv = exported("detectron2/yaml", { yaml: text, file: path }, bases(path));
      assert.equal(csv, await lrspecCurve(path));
    });
  }
  await t.test("the SOLVER form is get_cfg() with --opts", async () => {
    const csv = exported("detectron2/config", {
      "SOLVER.MAX_ITER": "300",
      "SOLVER.STEPS": "(100, 200)",
    });
    const path = `${ROOT}docs/configs/multistep.yaml`;
    const cli = await lrspecCurve(
      path,
      "--opts",
      "SOLVER.BASE_LR",
      "0.001",
      "SOLVER.STEPS",
      "(100, 200)",
      "SOLVER.MAX_ITER",
      "300",
      "SOLVER.WARMUP_ITERS",
      "1000",
      "SOLVER.IMS_PER_BATCH",
      "16",
    );
    assert.equal(csv.split("\n")[0], "iter,lr");
    assert.equal(csv.split("\n").length, cli.split("\n").length);
  });
});

test("Export CSV is `lrspec curve`, byte for byte: Hugging Face (step from 1)", async (t) => {
  const cases = [["training_args.json", "5691", false], ["sft.yaml", "2000", true]] as const;
  for (const [file, size, extra] of cases) {
    await t.test(file, async () => {
      const path = `${ROOT}docs/configs/hf/${file}`;
      const csv = exported("hf/Trainer", {
        args: readFileSync(path, "utf8"),
        datasetSize: size,
        allowExtraKeys: extra ? "true" : "",
      });
      const cli = await lrspecCurve(
        "--hf",
        path,
        "--dataset-size",
        size,
        ...(extra ? ["--allow-new-keys"] : []),
      );
      assert.match(csv, /^step,lr\n1,/);
      assert.equal(csv, cli);
    });
  }
});

test("Export CSV is `lrspec curve`, byte for byte: timm (epochs, updates)", async (t) => {
  await t.test("resnet50-a3 (epochs)", async () => {
    const path = `${ROOT}docs/configs/timm/resnet50-a3/args.yaml`;
    const csv = exported("timm/train", { args: readFileSync(path, "utf8") });
    assert.match(csv, /^epoch,lr\n0,/);
    assert.equal(csv, await lrspecCurve("--timm", path));
  });
  await t.test("vit-small-updates (updates)", async () => {
    const path = `${ROOT}docs/configs/timm/vit-small-updates/args.yaml`;
    const csv = exported("timm/train", {
      args: readFileSync(path, "utf8"),
      updatesPerEpoch: "1251",
    });
    assert.match(csv, /^update,lr\n0,/);
    assert.equal(csv, await lrspecCurve("--timm", path, "--updates-per-epoch", "1251"));
  });
});

test("Export CSV is `lrspec curve`, byte for byte: Keras (a serialize() JSON)", async (t) => {
  const path = `${ROOT}.tmp/keras-export.json`;
  const json = defs.get("keras/json")!.fields.find((f) => f.name === "json")!.example!;
  writeFileSync(path, json);
  await t.test("the example, jax", async () => {
    assert.equal(exported("keras/json", {}), await lrspecCurve("--keras", path));
  });
  await t.test("torch, 300 steps", async () => {
    const csv = exported("keras/json", { backend: '"torch"', steps: "300" });
    assert.equal(csv, await lrspecCurve("--keras", path, "--backend", "torch", "--steps", "300"));
  });
});

test("Export CSV is `lrspec curve`, byte for byte: mmengine (iter,epoch, a group per lr_mult)", async (t) => {
  // DINO's optim_wrapper (backbone lr_mult 0.1) and an epoch loop; and an iteration loop (one
  // epoch: no epoch column).
  const dino = {
    train_cfg: { type: "EpochBasedTrainLoop", max_epochs: 3, val_interval: 1 },
    param_scheduler: [
      { type: "LinearLR", start_factor: 0.001, by_epoch: false, begin: 0, end: 25 },
      { type: "MultiStepLR", begin: 0, end: 3, by_epoch: true, milestones: [2], gamma: 0.1 },
    ],
    optim_wrapper: {
      type: "OptimWrapper",
      optimizer: { type: "AdamW", lr: 0.0001, weight_decay: 0.0001 },
      clip_grad: { max_norm: 0.1, norm_type: 2 },
      paramwise_cfg: { custom_keys: { backbone: { lr_mult: 0.1 } } },
    },
    train_dataloader: { batch_size: 2 },
  };
  const iters = {
    train_cfg: { type: "IterBasedTrainLoop", max_iters: 40 },
    param_scheduler: [{ type: "PolyLR", eta_min: 1e-4, power: 0.9, by_epoch: false, end: 40 }],
    optim_wrapper: { type: "OptimWrapper", optimizer: { type: "SGD", lr: 0.01 } },
  };
  const cases: [string, object, string[], string][] = [
    [
      "dino, 8 GPUs",
      dino,
      ["--dataset-size", "150", "--num-gpus", "8"],
      "iter,epoch,lr,lr_backbone",
    ],
    ["dino, --epoch-length 7", dino, ["--epoch-length", "7"], "iter,epoch,lr,lr_backbone"],
    ["an IterBasedTrainLoop", iters, ["--epoch-length", "7"], "iter,lr"],
  ];
  for (const [name, cfg, args, header] of cases) {
    await t.test(name, async () => {
      const path = `${ROOT}.tmp/export-mmengine.json`;
      writeFileSync(path, JSON.stringify(cfg));
      const values: Record<string, string> = { config: JSON.stringify(cfg) };
      for (let i = 0; i < args.length; i += 2) {
        const key = { "--dataset-size": "datasetSize", "--num-gpus": "numGpus" }[args[i]!];
        values[key ?? "epochLength"] = args[i + 1]!;
      }
      if (values.datasetSize !== undefined) values.epochLength = "";
      const csv = exported("mmengine/config", values);
      assert.equal(csv.split("\n")[0], header);
      assert.equal(csv, await lrspecCurve("--mmengine", path, ...args));
      const report = verifyCsv(csv, csv);
      assert.ok(report.ok && report.exact === report.values && report.values > 1);
    });
  }
});

test("Export CSV of the families the CLI does not read: numbered as their view, verifiable", async (t) => {
  const cases: [string, string][] = [
    ["torch/StepLR", "step,lr"],
    ["fvcore/CosineParamScheduler", "iter,value"],
    ["optax/cosineDecaySchedule", "step,lr"],
    ["optax/WrappedSchedule/cosineDecaySchedule", "step,lr"],
    ["timm/CosineLRScheduler", "epoch,lr"],
    ["hf/getCosineScheduleWithWarmup", "step,lr"],
    ["detectron2/WarmupMultiStepLR", "iter,lr"],
    ["keras/CosineDecay", "step,lr"],
  ];
  for (const [id, header] of cases) {
    await t.test(id, () => {
      assert.ok(defs.has(id), `the page offers ${id}`);
      const csv = exported(id, {});
      assert.equal(csv.split("\n")[0], header);
      const report = verifyCsv(csv, csv);
      assert.ok(report.ok && report.exact === report.values && report.values > 1);
    });
  }
});

test("Export CSV of optax's WrappedSchedule: the library's init/update/call loop, byte for byte", async (t) => {
  // The CLI reads no optax schedule: the bar is the library's own loop, as inject_hyperparams
  // steps it, written as `lrspec curve` writes a curve.
  type Make = (options: Record<string, unknown>) => optax.Schedule;
  const cases: [string, Record<string, string>, Record<string, unknown>, number][] = [
    ["linearSchedule", {}, { initValue: 0, endValue: 0.001, transitionSteps: 500 }, 1000],
    [
      "warmupCosineDecaySchedule",
      { peakValue: "0.003", warmupSteps: "150", exponent: "2", steps: "1200" },
      {
        initValue: 0,
        peakValue: 0.003,
        warmupSteps: 150,
        decaySteps: 1000,
        endValue: 0.00001,
        exponent: 2,
      },
      1200,
    ],
    [
      "exponentialDecay",
      { staircase: "", dtype: "float64", steps: "300" },
      { initValue: 0.001, transitionSteps: 100, decayRate: 0.8, dtype: "float64" },
      300,
    ],
    [
      "piecewiseConstantSchedule",
      { steps: "700" },
      { initValue: 0.001, boundariesAndScales: { 300: 0.5, 600: 0.1 } },
      700,
    ],
  ];
  for (const [name, values, options, steps] of cases) {
    await t.test(name, () => {
      const id = `optax/WrappedSchedule/${name}`;
      const csv = exported(id, values);
      const wrapped = new optax.WrappedSchedule(
        (optax[name as keyof typeof optax] as unknown as Make)(options),
      );
      const rows = ["step,lr"];
      let state = wrapped.init();
      for (let i = 0; i <= steps; i++) {
        rows.push(`${i},${pyFloatRepr(wrapped.call(state))}`);
        state = wrapped.update(state);
      }
      assert.equal(csv, rows.join("\n") + "\n");
      const report = verifyCsv(csv, csv);
      assert.ok(report.ok && report.exact === steps + 1);
      if (options.dtype !== "float64") {
        // In float32 (JAX's default) the wrapped values are the schedule's own, bit for bit.
        assert.equal(csv, exported(`optax/${name}`, values));
      }
    });
  }
});
