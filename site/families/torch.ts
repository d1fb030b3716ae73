/**
 * PyTorch's `torch.optim.lr_scheduler`: every scheduler whose options a form can hold, made on an
 * SGD optimizer and stepped.
 *
 * @module
 */

import * as torch from "../../schedules/torch/mod.ts";
import { type Family, pythonCall } from "./family.ts";
import { lrSchedulerRunner } from "./runners.ts";

/** The torch family. */
export const TORCH: Family = {
  id: "torch",
  title: "PyTorch",
  upstream:
    "torch.optim.lr_scheduler and swa_utils.SWALR (torch 2.13, or 2.11 / 1.13 with `torch`)",
  docs: "schedules/torch/mod.ts",
  filter: {
    is: ["LRScheduler"],
    supplied: ["optimizer"],
    exclude: {
      ReduceLROnPlateau:
        "it steps on a validation metric (`step(metrics)`), which a schedule's form does not have",
    },
  },
  hidden: ["lastEpoch", "verbose"],
  exports: torch,
  runner: lrSchedulerRunner({ lr: "0.1", steps: "100" }),
  examples: {
    StepLR: { stepSize: "30" },
    MultiStepLR: { milestones: "30, 80" },
    ExponentialLR: { gamma: "0.95" },
    CosineAnnealingLR: { TMax: "100" },
    CosineAnnealingWarmRestarts: { T0: "10", TMult: "2", steps: "150" },
    CyclicLR: { baseLr: "0.001", maxLr: "0.1", stepSizeUp: "20", steps: "200" },
    OneCycleLR: { maxLr: "0.1", totalSteps: "100", steps: "99" },
    SWALR: { swaLr: "0.05", annealEpochs: "10", steps: "30" },
  },
  python: (name, options) =>
    pythonCall(
      `torch.optim.${name === "SWALR" ? "swa_utils" : "lr_scheduler"}.${name}`,
      ["optimizer"],
      options,
    ),
  first: "StepLR",
};
