// The README's and docs' pictures, and charts of every kind the CLI draws, rendered by a real
// browser (Debian's headless Chromium, through scripts/render-svgs.mjs): each must parse, keep
// its text inside the picture and apart, and draw its curves. Screenshots go to .tmp/browser/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { main } from "../cli/main.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = `${ROOT}.tmp/browser`;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ZOO = "fixtures/detectron2-configs/configs";
const R50_3X = `${ZOO}/COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml`;

/** Charts the CLI draws that docs/ does not show: every magnitude, zooms, insets, overlaps. */
async function drawCharts(): Promise<string[]> {
  mkdirSync(OUT, { recursive: true });
  const billion = `${OUT}/billion.yaml`;
  writeFileSync(billion, "SOLVER:\n  STEPS: (600000000, 800000000)\n  MAX_ITER: 1000000000\n");
  const charts: [string, string[]][] = [
    ["billion", [billion]],
    ["billion-log", [billion, "--log"]],
    ["range", [R50_3X, "--range", "200k:260k"]],
    ["identical", [R50_3X, "--num-workers", "16", "--num-workers", "4"]],
    ["narrow", [R50_3X, `${ZOO}/COCO-Detection/retinanet_R_50_FPN_1x.yaml`, "--width", "420"]],
    ["images", [R50_3X, "--x", "images", "--log"]],
    ["acc-test", [`${ZOO}/quick_schedules/mask_rcnn_R_50_FPN_training_acc_test.yaml`]],
  ];
  const files: string[] = [];
  for (const [name, args] of charts) {
    const out = `${OUT}/${name}.svg`;
    let err = "";
    const code = await main(["plot", ...args, "--out", out], {
      stdout: () => {},
      stderr: (s) => (err += s),
    });
    assert.equal(code, 0, `${name}: ${err}`);
    files.push(out);
  }
  return files;
}

// bun's node:test ignores bunfig's timeout: a browser start takes seconds on a loaded machine.
test("the pictures, rendered in headless Chromium", { timeout: 180_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) {
      assert.fail(`no browser at ${CHROMIUM}: .ci/run installs Debian's chromium`);
    }
    t.skip(`no browser at ${CHROMIUM} (apt-get install chromium; in CI it is required)`);
    return;
  }
  const docs = readdirSync(`${ROOT}docs`).filter((f) => f.endsWith(".svg")).map((f) => `docs/${f}`);
  assert.ok(docs.length >= 7, docs.join(" "));
  const files = [...docs, ...(await drawCharts())];
  const r = spawnSync("node", ["scripts/render-svgs.mjs", OUT, ...files], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 180_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { file: string; screenshot: string; problems: string[] }[];
  assert.equal(report.length, files.length);
  for (const { file, screenshot, problems } of report) {
    assert.deepEqual(problems, [], file);
    assert.ok(existsSync(screenshot), screenshot);
  }
});
