/**
 * `deno task site:screenshots`: the README's pictures of the playground (`docs/playground*.png`),
 * taken in headless Chromium from a fresh build. Look at them before committing.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import process from "node:process";
import { buildSite, drive, haveBrowser, ROOT, type Scenario, serve } from "./browser.ts";
import { defaultState, encodeState, type PageState } from "./state.ts";

const ZOO = `${ROOT}fixtures/detectron2-configs/configs`;
const WORK = `${ROOT}.tmp/site-screenshots`;

/** A query for a state (fields at their initial texts need not be given). */
function query(state: Partial<PageState> & Pick<PageState, "curves">): Promise<string> {
  const full: PageState = { ...defaultState("detectron2/config", {}), ...state };
  return encodeState(full, () => undefined).then((q) => `?${q}`);
}

const trainer = (type: string) =>
  JSON.stringify(
    {
      learning_rate: 2e-5,
      per_device_train_batch_size: 16,
      num_train_epochs: 3,
      warmup_steps: 0.03,
      lr_scheduler_type: type,
      lr_scheduler_kwargs: { min_lr_rate: 0.1 },
    },
    null,
    2,
  );

async function scenarios(): Promise<Scenario[]> {
  const shot = (name: string, extra: Record<string, unknown> = {}) => ({
    screenshot: `${ROOT}docs/${name}.png`,
    ...extra,
  });
  const config = readFileSync(`${ZOO}/COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml`, "utf8");
  const config1x = readFileSync(`${ZOO}/COCO-Detection/faster_rcnn_R_50_FPN_1x.yaml`, "utf8");
  const base = readFileSync(`${ZOO}/Base-RCNN-FPN.yaml`, "utf8");
  const yaml = (text: string, file: string) => ({
    id: "detectron2/yaml",
    values: { yaml: text, file },
    files: { "Base-RCNN-FPN.yaml": base },
  });
  const golden = await (async () => {
    const { getCfg, lrCurve } = await import("../mod.ts");
    const { pyFloatRepr } = await import("../config/python.ts");
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, {
      LR_SCHEDULER_NAME: "WarmupCosineLR",
      MAX_ITER: 3000,
      WARMUP_ITERS: 200,
      BASE_LR: 0.02,
    });
    const values = lrCurve(cfg).columns[0]!.values;
    const rows = [...values].map((x, i) => `${i},${pyFloatRepr(x)}`);
    const mine = rows.slice();
    mine[1800] = `1800,${pyFloatRepr(values[1800]! * (1 + 2 ** -52))}`;
    return {
      golden: `iter,lr\n${rows.join("\n")}\n`,
      mine: `iter,lr\n${mine.join("\n")}\n`,
      cfg:
        "a.SOLVER.LR_SCHEDULER_NAME=WarmupCosineLR&a.SOLVER.MAX_ITER=3000&a.SOLVER.WARMUP_ITERS=200&a.SOLVER.BASE_LR=0.02",
    };
  })();
  return [
    {
      name: "default",
      steps: [
        { viewport: [1400, 960] },
        { goto: "" },
        shot("playground", { hoverAt: [0.86, 0.5] }),
      ],
    },
    {
      name: "zoo",
      steps: [
        { viewport: [1400, 960] },
        {
          goto: await query({
            curves: [
              yaml(config, "faster_rcnn_R_50_FPN_3x.yaml"),
              yaml(config1x, "faster_rcnn_R_50_FPN_1x.yaml"),
              {
                id: "detectron2/config",
                values: {
                  "SOLVER.LR_SCHEDULER_NAME": "WarmupCosineLR",
                  "SOLVER.BASE_LR": "0.02",
                  "SOLVER.MAX_ITER": "270000",
                },
                files: {},
              },
            ],
            log: true,
          }),
        },
        shot("playground-yaml", { hoverAt: [0.8, 0.5] }),
      ],
    },
    {
      name: "families",
      steps: [
        { viewport: [1400, 960] },
        {
          goto: await query({
            curves: [
              {
                id: "detectron2/config",
                values: {
                  "SOLVER.LR_SCHEDULER_NAME": "WarmupCosineLR",
                  "SOLVER.BASE_LR": "0.1",
                  "SOLVER.MAX_ITER": "1000",
                  "SOLVER.WARMUP_ITERS": "100",
                },
                files: {},
              },
              {
                id: "torch/OneCycleLR",
                values: { maxLr: "0.1", totalSteps: "1000", steps: "999" },
                files: {},
              },
              {
                id: "hf/getCosineWithHardRestartsScheduleWithWarmup",
                values: {
                  numWarmupSteps: "50",
                  numTrainingSteps: "1000",
                  numCycles: "2",
                  lr: "0.1",
                },
                files: {},
              },
              {
                id: "timm/CosineLRScheduler",
                values: {
                  tInitial: "300",
                  cycleLimit: "4",
                  cycleDecay: "0.5",
                  warmupT: "30",
                  warmupLrInit: "0.001",
                  steps: "1000",
                },
                files: {},
              },
              {
                id: "optax/warmupExponentialDecaySchedule",
                values: {
                  peakValue: "0.1",
                  transitionSteps: "150",
                  decayRate: "0.5",
                  staircase: "true",
                },
                files: {},
              },
            ],
            selected: 3,
          }),
        },
        shot("playground-families", { hoverAt: [0.4, 0.5] }),
      ],
    },
    {
      name: "compare",
      steps: [
        { viewport: [1400, 1100] },
        {
          goto: await query({
            curves: [
              {
                id: "hf/Trainer",
                values: { args: trainer("cosine_with_min_lr"), datasetSize: "5691" },
                files: {},
              },
              {
                id: "hf/Trainer",
                values: { args: trainer("cosine_warmup_with_min_lr"), datasetSize: "5691" },
                files: {},
              },
            ],
            tab: "compare",
            log: true,
          }),
        },
        shot("playground-compare"),
      ],
    },
    {
      name: "verify",
      steps: [
        { viewport: [1400, 1330] },
        { goto: `?a=detectron2%2Fconfig&${golden.cfg}&tab=verify` },
        { upload: "#verify-golden", files: [{ name: "golden.csv", text: golden.golden }] },
        { waitUntil: "lrspecPlayground.app.state.verify.golden" },
        { upload: "#verify-candidate", files: [{ name: "my_port.csv", text: golden.mine }] },
        { waitFor: "#verify-report" },
        shot("playground-verify"),
      ],
    },
  ];
}

if (!haveBrowser()) {
  process.stderr.write("no browser: apt-get install chromium\n");
  process.exit(2);
}
buildSite(`${WORK}/dist`);
const server = await serve(`${WORK}/dist`);
try {
  const results = drive(server.url, await scenarios(), WORK);
  let failed = false;
  for (const r of results.values()) {
    const problems = [...(r.failure ? [r.failure] : []), ...r.errors];
    process.stdout.write(`${r.name}: ${problems.length ? problems.join("; ") : "ok"}\n`);
    failed ||= problems.length > 0;
  }
  if (failed) process.exitCode = 1;
} finally {
  server.close();
}
