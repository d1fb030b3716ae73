// `CONFIG.py`: detectron2 LazyConfigs through the CLI. Every `.py` of detectron2's configs/ and
// projects/ViTDet/configs/ that defines lr_multiplier (the configs-py suite's 45 files) opened as
// `curve` opens it, compared with detectron2's own values at the suite's iterations; then the
// commands themselves (curve, explain, plot, diff) and their errors on a few of them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { startPythonConfigLoader } from "../config/pyodide/load.ts";
import { openLazyConfig } from "./lazyconfig.ts";
import { pythonOverrides } from "./_python.ts";
import type { OpenContext } from "./sources.ts";
import { failure, run } from "../testing/cli.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SUITE = `${ROOT}fixtures/configs-py`;
const D2 = `${SUITE}/detectron2`;
const TMP = `${ROOT}.tmp/lazyconfig`;
mkdirSync(TMP, { recursive: true });

interface Case {
  config: string;
  maxIter: number;
  lr: number;
  iterations: number[];
  values: number[];
}

const CASES = (JSON.parse(gunzipSync(readFileSync(`${SUITE}/manifest.json.gz`)).toString()) as {
  cases: (Case & { kind: string })[];
}).cases.filter((c) => c.kind === "lazyconfig");

function context(values: Record<string, string> = {}, opts: string[] = []): OpenContext {
  return {
    command: "curve",
    value: (name) => values[name],
    flag: () => false,
    values: () => [],
    opts,
    label: undefined,
    note: () => {},
    usage: (message) => new Error(message),
  };
}

// bun's node:test ignores bunfig's timeout; the interpreter takes seconds to start.
const SLOW = { timeout: 600_000 };

test("pythonOverrides: KEY=VALUE tokens, and yacs-style pairs joined", () => {
  assert.deepEqual(pythonOverrides(["train.max_iter=10", "optimizer.lr", "0.1"]), [
    "train.max_iter=10",
    "optimizer.lr=0.1",
  ]);
  assert.deepEqual(pythonOverrides(["a"]), ["a="]);
});

test(
  "every detectron2 LazyConfig with lr_multiplier: the curve is detectron2's",
  SLOW,
  async () => {
    await startPythonConfigLoader(); // Bun: start the worker before blocking on it
    assert.equal(CASES.length, 45);
    const one = new Float64Array(1);
    for (const c of CASES) {
      const view = openLazyConfig(`${SUITE}/${c.config}`, context({ detectron2: D2 }));
      assert.equal(view.rows, c.maxIter + 1, c.config);
      assert.deepEqual(view.columns, ["lr"]);
      const runs = [...view.runs(0, view.rows)];
      c.iterations.forEach((it, k) => {
        const run = runs.find((r) => r.start <= it && it < r.end)!;
        run.fill(0, it, it + 1, one);
        assert.ok(
          Object.is(one[0], c.values[k]),
          `${c.config} iter ${it}: ${one[0]} vs ${c.values[k]}`,
        );
      });
    }
  },
);

test("lrspec curve | explain | plot | diff CONFIG.py", SLOW, async (t) => {
  await startPythonConfigLoader();
  const retina = CASES.find((c) => c.config.endsWith("COCO-Detection/retinanet_R_50_FPN_1x.py"))!;
  const lvis = CASES.find((c) => c.config.endsWith("LVIS/mask_rcnn_vitdet_b_100ep.py"))!;

  await t.test("curve: every row detectron2 recorded, in the CSV", async () => {
    for (const [c, extra] of [[retina, []], [lvis, ["--detectron2", D2]]] as const) {
      const r = await run("curve", `${SUITE}/${c.config}`, ...extra);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trimEnd().split("\n");
      assert.equal(lines[0], "iter,lr");
      assert.equal(lines.length, c.maxIter + 2);
      c.iterations.forEach((it, k) => {
        const [i, v] = lines[it + 1]!.split(",");
        assert.equal(Number(i), it);
        assert.ok(Object.is(Number(v), c.values[k]), `${c.config} iter ${it}: ${v}`);
      });
    }
  });

  await t.test("--opts: detectron2's overrides, and what they do to the milestones", async () => {
    const path = `${SUITE}/${retina.config}`;
    const r = await run("curve", path, "--opts", "train.max_iter=1000", "optimizer.lr", "0.1");
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 1002);
    assert.equal(lines[500], "499,0.1");
    // fvcore's milestones count in steps of the last one (90000): 60000/90000 of 1000 iterations.
    assert.equal(lines[667 + 1], "667,0.010000000000000002");
    const e = await run("explain", path, "--opts", "train.max_iter=1000");
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.stdout, /1000 iterations \(train\.max_iter\), lr 0\.01 \(optimizer\.lr/);
    assert.match(e.stdout, /fall near iterations 667, 889/);
    assert.match(e.stdout, /WarmupParamScheduler\(scheduler=MultiStepParamScheduler/);
  });

  await t.test("explain names ViTDet's layer-wise decay", async () => {
    const r = await run("explain", `${SUITE}/${lvis.config}`, "--detectron2", D2);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /lr_factor_func is functools\.partial\(.*get_vit_lr_decay_rate/);
  });

  await t.test("plot draws it; diff compares two", async () => {
    const svg = `${TMP}/retina.svg`;
    const p = await run("plot", `${SUITE}/${retina.config}`, "--out", svg);
    assert.equal(p.code, 0, p.stderr);
    assert.match(readFileSync(svg, "utf8"), /^<svg[\s\S]*warmup[\s\S]*<\/svg>\s*$/);
    const d = await run(
      "diff",
      `${SUITE}/${retina.config}`,
      `${SUITE}/${retina.config}`,
      "--opts-b",
      "optimizer.lr=0.02",
    );
    assert.equal(d.code, 1, d.stderr);
    assert.match(d.stdout, /differ/);
  });

  await t.test("errors name the file and line, or the key", async () => {
    const bad = `${TMP}/imports_os.py`;
    writeFileSync(bad, "lr_multiplier = {}\nimport os\n");
    assert.match(
      await failure("curve", bad),
      /imports_os\.py:2: ImportError: lrspec sandbox: import of `os` is not allowed/,
    );
    const none = `${TMP}/no_multiplier.py`;
    writeFileSync(none, "train = dict(max_iter=10)\n");
    assert.match(await failure("curve", none), /no_multiplier\.py: .*`lr_multiplier`/);
    const mm = `${TMP}/mm.py`;
    writeFileSync(mm, "_base_ = './x.py'\nparam_scheduler = []\n");
    // The sources table's wrong-file hint (or the LazyConfig source's own check) names --mmengine.
    assert.match(await failure("curve", mm), /looks like an mmengine .*config.*use --mmengine/);
    assert.match(
      await failure("curve", `${SUITE}/${retina.config}`, "--num-workers", "8"),
      /--num-workers is for YAML configs/,
    );
  });
});
