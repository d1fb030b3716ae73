// Plots people read: tick and marker labels right at every magnitude, identical curves told
// apart, a title that counts what is drawn, --range, and the warmup inset.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { main } from "./main.ts";
import { formatTick } from "../plot/svg.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TMP = `${ROOT}.tmp/plot`;
mkdirSync(TMP, { recursive: true });
const CONFIGS = "fixtures/detectron2-configs/configs";
const ACC_TEST = `${CONFIGS}/quick_schedules/mask_rcnn_R_50_FPN_training_acc_test.yaml`;
const VOC = `${CONFIGS}/PascalVOC-Detection/faster_rcnn_R_50_FPN.yaml`;
const R50_3X = `${CONFIGS}/COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml`;

async function plot(...args: string[]): Promise<string> {
  let stdout = "";
  let stderr = "";
  const code = await main(["plot", ...args], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
  });
  assert.equal(code, 0, stderr);
  return stdout;
}

function config(name: string, maxIter: number, solver = ""): string {
  const path = `${TMP}/${name}.yaml`;
  const steps = `(${Math.round(maxIter * 0.75)},)`;
  writeFileSync(path, `SOLVER:\n  STEPS: ${steps}\n  MAX_ITER: ${maxIter}\n${solver}`);
  return path;
}

/** The number a compact label stands for: "5.5k" → 5500, "1.2M" → 1200000, "1e9", "2,500". */
function labelValue(label: string): number {
  const m = /^(-?[\d.,]+(?:e\d+)?)(k|M)?$/.exec(label);
  assert.ok(m, `not a number label: ${JSON.stringify(label)}`);
  return Number(m[1]!.replace(/,/g, "")) * (m[2] === "k" ? 1e3 : m[2] === "M" ? 1e6 : 1);
}

/** The x-axis tick labels of the main chart with their pixel positions. */
function xTicks(svg: string): { x: number; value: number; label: string }[] {
  const group = /<g class="x-ticks"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!;
  return [...group.matchAll(/<text x="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({
    x: Number(m[1]),
    label: m[2]!,
    value: labelValue(m[2]!),
  }));
}

/** Tick labels stand for values that are evenly spaced along the axis, as drawn. */
function assertTicksConsistent(svg: string, where: string): void {
  const ticks = xTicks(svg);
  assert.ok(ticks.length >= 3, `${where}: ${ticks.length} ticks`);
  const [a, b] = [ticks[0]!, ticks[ticks.length - 1]!];
  const perPixel = (b.value - a.value) / (b.x - a.x);
  for (const t of ticks) {
    const expected = a.value + (t.x - a.x) * perPixel;
    assert.ok(
      Math.abs(t.value - expected) <= Math.abs(perPixel) * 1.5,
      `${where}: tick "${t.label}" at x=${t.x} should read about ${expected}`,
    );
  }
}

test("formatTick: compact and exact at every magnitude", () => {
  const cases: [number, string][] = [
    [0, "0"],
    [500, "500"],
    [1000, "1k"],
    [5500, "5.5k"],
    [6000, "6k"],
    [90000, "90k"],
    [1.2e6, "1.2M"],
    [2.5e8, "250M"],
    [1e9, "1e9"],
    [2.5e9, "2.5e9"],
    [0.02, "0.02"],
    [0.0025, "0.0025"],
    [2e-5, "2e-5"],
  ];
  for (const [x, text] of cases) assert.equal(formatTick(x), text, String(x));
});

test("tick and marker labels read right on real configs and at every magnitude", async () => {
  const acc = await plot(ACC_TEST);
  assertTicksConsistent(acc, "training_acc_test");
  assert.match(acc, />×0\.1 at 5\.5k</);
  assert.match(acc, />×0\.1 at 5\.8k</);
  assert.doesNotMatch(acc, />×0\.1 at 55</);
  assertTicksConsistent(await plot(VOC), "PascalVOC");
  for (const maxIter of [9000, 1_200_000, 30_000_000, 1_000_000_000]) {
    const svg = await plot(config(`magnitude-${maxIter}`, maxIter));
    assertTicksConsistent(svg, `MAX_ITER ${maxIter}`);
    // A marker names its iteration exactly (WHERE_EPSILON can move a step by a few).
    const marks = /<g class="marks"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!;
    const mark = />×0\.1 at ([^<]+)</.exec(marks)![1]!;
    assert.ok(Math.abs(labelValue(mark) - maxIter * 0.75) <= 1e-6 * maxIter + 2, mark);
  }
});

test("identical curves: told apart by dashes, and the legend says so", async () => {
  // REFERENCE_WORLD_SIZE 0: --num-workers changes nothing, the two curves coincide.
  const svg = await plot(R50_3X, "--num-workers", "16", "--num-workers", "4");
  assert.match(svg, /identical to [^<]*16 workers/);
  const dashes = [...svg.matchAll(/<path d="M[^"]*" stroke="(#[0-9a-f]+)"([^>]*)>/g)].map((m) => [
    m[1],
    /stroke-dasharray="([^"]+)"/.exec(m[2]!)?.[1],
    /stroke-dashoffset="([^"]+)"/.exec(m[2]!)?.[1],
  ]);
  const main = dashes.filter((d) => d[0] === "#1f77b4" || d[0] === "#d62728");
  assert.ok(main.some((d) => d[0] === "#d62728" && d[1] !== undefined), JSON.stringify(main));
  // The title counts the curves drawn.
  const title = /<text [^>]*font-weight="600"[^>]*>([^<]*)</.exec(svg)![1]!;
  assert.match(title, /^2 learning-rate curves/);
});

test("--range A:B zooms; a short warmup gets an inset", async () => {
  const zoomed = await plot(R50_3X, "--range", "0:3000");
  const ticks = xTicks(zoomed);
  assert.ok(ticks.every((t) => t.value >= 0 && t.value <= 3000), JSON.stringify(ticks));
  assert.match(zoomed, />warmup 1000</);
  assert.doesNotMatch(zoomed, /class="inset"/);
  assert.doesNotMatch(zoomed, /×0\.1 at 210k/); // outside the range
  const suffixed = await plot(R50_3X, "--range", "200k:260k");
  assert.match(suffixed, />×0\.1 at 210k</);
  assert.doesNotMatch(suffixed, />warmup 1000</);
  // 1000 warmup iterations of 270,000 (0.4 %): an inset shows them.
  const full = await plot(R50_3X);
  assert.match(full, /<g class="inset"/);
  assert.match(full, /warmup, iterations 0–/);
  // 100 of 6,000 (1.7 %) too; 1000 of 9000 (11 %) is visible as it is.
  assert.match(await plot(ACC_TEST), /<g class="inset"/);
  const visible = await plot(config("visible-warmup", 9000));
  assert.doesNotMatch(visible, /<g class="inset"/);
  assert.doesNotMatch(await plot(R50_3X, "--no-inset"), /<g class="inset"/);
  let err = "";
  const io = { stdout: () => {}, stderr: (s: string) => (err += s) };
  assert.equal(await main(["plot", R50_3X, "--range", "5:1"], io), 2);
  assert.match(err, /--range must be A:B with A < B/);
});
