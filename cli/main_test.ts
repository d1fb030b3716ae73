import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { verifyCsv } from "../verify/verify.ts";
import { run, spawnLrspec as lrspec } from "../testing/cli.ts";
import { main } from "./main.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONFIGS = "fixtures/detectron2-configs/configs";
const INSTANT = `${CONFIGS}/quick_schedules/mask_rcnn_R_50_FPN_instant_test.yaml`;
const R50_1X = `${CONFIGS}/COCO-Detection/faster_rcnn_R_50_FPN_1x.yaml`;
const R50_3X = `${CONFIGS}/COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml`;
const TMP = `${ROOT}.tmp`;

test("lrspec curve (spawned)", async (t) => {
  await t.test("CSV of every iteration, bit-identical to detectron2's", () => {
    const r = lrspec("curve", INSTANT, "--past-end");
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines[0], "iter,lr,error");
    assert.equal(lines.length, 43); // header, 0..40, and 41 where detectron2 raises
    assert.equal(lines[1], "0,5e-06,"); // WARMUP_ITERS 1000 > MAX_ITER 40: warmup all along
    assert.equal(lines[42], "41,,RangeError");
    const golden = readFileSync(
      `${ROOT}fixtures/configs/curve/mask_rcnn_R_50_FPN_instant_test.csv`,
      "utf8",
    );
    const report = verifyCsv(golden, r.stdout);
    assert.ok(
      report.ok && report.exact === report.values && report.values === 41,
      JSON.stringify(report),
    );
  });
  await t.test("--opts, --num-workers and the bias column", () => {
    const r = lrspec(
      "curve",
      INSTANT,
      "--num-workers",
      "2",
      "--opts",
      "SOLVER.REFERENCE_WORLD_SIZE",
      "4",
      "SOLVER.BIAS_LR_FACTOR",
      "2.0",
    );
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines[0], "iter,lr,lr_bias");
    assert.equal(lines.length, 82); // MAX_ITER 40 → 80 on half the workers
    assert.equal(lines[81], "80,0.00025,0.0005");
  });
  await t.test("errors: one line on stderr, exit status 2", () => {
    const cases: [string[], RegExp][] = [
      [["curve", "no/such.yaml"], /^lrspec: error: cannot read no\/such\.yaml: no such file$/],
      [
        ["curve", "fixtures/configs/inputs/error-syntax.yaml"],
        /error-syntax\.yaml:3:12: mapping values are not allowed here/,
      ],
      [
        ["curve", "fixtures/configs/inputs/error-unknown-key.yaml"],
        /error-unknown-key\.yaml:3: Non-existent config key: SOLVER\.MAX_ITERS/,
      ],
      [
        ["curve", R50_1X, "--opts", "SOLVER.BASE_LR", "1"],
        /Type mismatch \(<class 'float'> vs\. <class 'int'>\)/,
      ],
      [["curve", "fixtures/configs/inputs/error-cycle-a.yaml"], /_BASE_ cycle/],
      [["frobnicate"], /unknown command "frobnicate"/],
    ];
    for (const [args, pattern] of cases) {
      const r = lrspec(...args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout, "");
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, pattern);
    }
  });
});

test("lrspec explain, diff, verify, plot", async (t) => {
  await t.test("explain", async () => {
    const r = await run("explain", R50_3X);
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout.split("\n")[0],
      "linear warmup over 1000 iterations from 2e-05 to 0.02, ×0.1 at 210000 and 250000, ends at 270000",
    );
  });
  await t.test("diff: where and by how much, exit 1 when different", async () => {
    const r = await run("diff", R50_1X, R50_3X);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /90001 iterations in both: \d+ bit-identical, 30001 different, \d+ by rounding only/,
    );
    assert.match(r.stdout, /iterations 60000–79999: A 0\.002, B 0\.02 \(B\/A = 10\)/);
    assert.match(r.stdout, /iterations 80000–90000: A 0\.0002, B 0\.02 \(B\/A = 100\)/);
    assert.match(r.stdout, /only B has iterations 90001–270000/);
    const same = await run("diff", R50_1X, R50_1X);
    assert.equal(same.code, 0);
    assert.match(same.stdout, /the curves are identical/);
  });
  await t.test("verify: the conformance verify mode", () => {
    const golden = "fixtures/configs/curve/mask_rcnn_R_50_FPN_instant_test.csv";
    const ok = lrspec("verify", "--golden", golden, "--candidate", golden);
    assert.equal(ok.status, 0);
    assert.match(ok.stdout, /PASS/);
    const bad = lrspec(
      "verify",
      "--golden",
      golden,
      "--candidate",
      "fixtures/configs/curve/opts/no-warmup.csv",
    );
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /first divergence at 0/);
  });
  await t.test("plot: an SVG with marks and legend, on stdout or in a file", async () => {
    const r = await run("plot", R50_1X, R50_3X, "--log", "--label", "1x", "--label", "3x");
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith("<svg"));
    assert.match(r.stdout, />×0\.1 at 210k</);
    assert.match(r.stdout, />3x</);
    assert.match(r.stdout, /\(log scale\)/);
    mkdirSync(TMP, { recursive: true });
    const out = `${TMP}/plot_test.svg`;
    const w = await run("plot", INSTANT, "--out", out);
    assert.equal(w.code, 0);
    assert.equal(w.stdout, "");
    assert.match(readFileSync(out, "utf8"), /mask_rcnn_R_50_FPN_instant_test/);
    const bad = await run("plot", INSTANT, "--label", "a", "--label", "b");
    assert.equal(bad.code, 2);
  });
  await t.test("accumulate and golden-script", async () => {
    const r = await run("accumulate", R50_1X, "--num-workers", "1", "--micro-batch", "2");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /K = 16 \/ \(1 × 2\) = 8 micro-batches/);
    assert.match(r.stdout, /run 720000 micro-batches/);
    const bad = await run("accumulate", R50_1X, "--num-workers", "3", "--micro-batch", "1");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not even a multiple of 3/);
    const script = await run("golden-script");
    assert.match(
      script.stdout,
      /from detectron2\.solver import build_lr_scheduler, build_optimizer/,
    );
  });
  await t.test("progress on stderr only when it is a terminal", async () => {
    let stderr = "";
    let stdout = "";
    const code = await main(["curve", R50_3X], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      stderrIsTTY: true,
    });
    assert.equal(code, 0);
    assert.match(
      stderr,
      /\rfixtures\/.*faster_rcnn_R_50_FPN_3x\.yaml: 270,001\/270,001 rows \(100%\)/,
    );
    assert.equal(stdout.split("\n").length, 270003);
    assert.equal((await run("curve", R50_3X)).stderr, "");
  });
  await t.test("help and version", async () => {
    assert.equal((await run("--help")).code, 0);
    assert.equal((await run()).code, 2);
    assert.match((await run("--version")).stdout, /^lrspec \d+\.\d+\.\d+/);
  });
});
