// `lrspec plot` of curves that count different things (issue 19): an mmengine config trained by
// epochs beside timm's epochs is drawn in epochs (its iterations ÷ its epoch length); a curve of
// iterations that says nothing of epochs is refused beside epochs (was drawn at the same x, the
// axis labelled "iteration / epoch").
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { failure, run } from "../testing/cli.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TMP = `${ROOT}.tmp/plot-units`;
mkdirSync(TMP, { recursive: true });
const TIMM = "docs/configs/timm/resnet50-a3/args.yaml"; // 100 epochs, one row each
const D2 = "docs/configs/cosine.yaml";
const MMDET = `${TMP}/1x.json`;
writeFileSync(
  MMDET,
  JSON.stringify({
    train_cfg: { type: "EpochBasedTrainLoop", max_epochs: 12, val_interval: 1 },
    param_scheduler: [
      { type: "LinearLR", start_factor: 0.001, by_epoch: false, begin: 0, end: 500 },
      { type: "MultiStepLR", begin: 0, end: 12, by_epoch: true, milestones: [8, 11], gamma: 0.1 },
    ],
    optim_wrapper: { type: "OptimWrapper", optimizer: { type: "SGD", lr: 0.02, momentum: 0.9 } },
    train_dataloader: { batch_size: 2 },
  }),
);

/** The texts of an SVG (axis label, subtitle, ticks, legend). */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

test("plot: iterations with an epoch length beside epochs, drawn in epochs", async () => {
  const r = await run("plot", "--mmengine", MMDET, "--epoch-length", "60", "--timm", TIMM);
  assert.equal(r.code, 0, r.stderr);
  const t = texts(r.stdout);
  assert.ok(t.includes("epoch"), `the x axis counts epochs: ${t.join("|")}`);
  assert.ok(!t.some((x) => /iteration \/ epoch/.test(x)), "no mixed axis label");
  assert.ok(
    t.some((x) => x.includes(`${MMDET}: iterations drawn as epochs (60 iterations an epoch)`)),
    t.join("|"),
  );
  // mmengine's step to ×0.1 at epoch 8 (iteration 480) is marked at x = 8 on the epoch axis.
  const ticks = [...r.stdout.matchAll(/<g class="x-ticks"[^>]*>([\s\S]*?)<\/g>/g)][0]![1]!;
  const last = Math.max(...[...ticks.matchAll(/>([\d.,k]+)</g)].map((m) => Number(m[1])));
  assert.ok(last >= 80 && last <= 100, `the axis ends at timm's 100 epochs: ${last}`);
});

test("plot: epochs beside iterations of unknown epoch length, refused", async () => {
  const message = await failure("plot", D2, "--timm", TIMM);
  assert.match(
    message,
    /args\.yaml \(epochs\) and .*cosine\.yaml \(iterations\) count different things/,
  );
  // Curves of one count (or of several per-step counts) are drawn as before.
  const r = await run(
    "plot",
    D2,
    "--hf",
    "docs/configs/hf/training_args.json",
    "--dataset-size",
    "5000",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.ok(texts(r.stdout).includes("iteration / optimizer step (global_step)"));
});
