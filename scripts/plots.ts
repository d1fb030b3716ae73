/**
 * `deno task plots`: regenerates the README's charts in `docs/` with the CLI (the same
 * `lrspec plot` / `lrspec accumulate` commands a user would run).
 *
 * @module
 */

import process from "node:process";
import { main } from "../cli/main.ts";

const ZOO = "fixtures/detectron2-configs/configs";
const DEEPLAB =
  "fixtures/detectron2-configs/projects/DeepLab/configs/Cityscapes-SemanticSegmentation/deeplab_v3_plus_R_103_os16_mg124_poly_90k_bs16.yaml";

const COMMANDS: string[][] = [
  [
    "plot",
    "docs/configs/multistep.yaml",
    "docs/configs/cosine.yaml",
    "docs/configs/step-fixed-gamma.yaml",
    "docs/configs/poly.yaml",
    "--label",
    "WarmupMultiStepLR (STEPS 60k, 80k; GAMMA 0.1)",
    "--label",
    "WarmupCosineLR (BASE_LR_END 0.0002)",
    "--label",
    "WarmupStepWithFixedGammaLR (GAMMA 0.5, NUM_DECAYS 4)",
    "--label",
    "WarmupPolyLR (DeepLab, POLY_LR_POWER 0.9)",
    "--title",
    "Schedule families: BASE_LR 0.02, 90k iterations, 1000 warmup",
    "--out",
    "docs/families.svg",
  ],
  [
    "plot",
    "docs/configs/multistep.yaml",
    "docs/configs/cosine.yaml",
    "docs/configs/step-fixed-gamma.yaml",
    "docs/configs/poly.yaml",
    "--log",
    "--no-marks",
    "--label",
    "WarmupMultiStepLR",
    "--label",
    "WarmupCosineLR",
    "--label",
    "WarmupStepWithFixedGammaLR",
    "--label",
    "WarmupPolyLR",
    "--title",
    "The same four schedules on a log scale",
    "--out",
    "docs/families-log.svg",
  ],
  [
    "plot",
    `${ZOO}/COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml`,
    "--out",
    "docs/faster_rcnn_R_50_FPN_3x.svg",
  ],
  [
    "plot",
    `${ZOO}/COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml`,
    `${ZOO}/COCO-Detection/faster_rcnn_R_50_FPN_1x.yaml`,
    "--range",
    "0:3000",
    "--label",
    "faster_rcnn_R_50_FPN_3x",
    "--label",
    "faster_rcnn_R_50_FPN_1x",
    "--title",
    "The warmup, zoomed: --range 0:3000",
    "--out",
    "docs/warmup-range.svg",
  ],
  [
    "plot",
    `${ZOO}/COCO-Detection/faster_rcnn_R_50_FPN_1x.yaml`,
    `${ZOO}/COCO-Detection/retinanet_R_50_FPN_3x.yaml`,
    `${ZOO}/LVISv1-InstanceSegmentation/mask_rcnn_R_50_FPN_1x.yaml`,
    `${ZOO}/Misc/scratch_mask_rcnn_R_50_FPN_9x_gn.yaml`,
    `${ZOO}/Misc/cascade_mask_rcnn_X_152_32x8d_FPN_IN5k_gn_dconv.yaml`,
    DEEPLAB,
    "--log",
    "--no-marks",
    "--title",
    "A few model-zoo configs as they are (log scale)",
    "--out",
    "docs/model-zoo.svg",
  ],
  [
    "plot",
    `${ZOO}/COCO-Detection/faster_rcnn_R_50_FPN_1x.yaml`,
    "--num-workers",
    "16",
    "--num-workers",
    "8",
    "--num-workers",
    "2",
    "--x",
    "images",
    "--label",
    "R50-FPN 1x",
    "--title",
    "auto_scale_workers from 8 GPUs to 16 and 2 (batch ∝ GPUs)",
    "--out",
    "docs/multi-gpu.svg",
    "--opts",
    "SOLVER.REFERENCE_WORLD_SIZE",
    "8",
  ],
  [
    "accumulate",
    `${ZOO}/COCO-Detection/faster_rcnn_R_50_FPN_1x.yaml`,
    "--num-workers",
    "1",
    "--micro-batch",
    "2",
    "--plot",
    "docs/accumulation.svg",
    "--opts",
    "SOLVER.REFERENCE_WORLD_SIZE",
    "8",
  ],
];

let failed = 0;
for (const args of COMMANDS) {
  process.stdout.write(`lrspec ${args.join(" ")}\n`);
  const code = await main(args, {
    stdout: (s) => process.stdout.write(s.startsWith("<svg") ? "" : s),
    stderr: (s) => process.stderr.write(s),
  });
  if (code !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
