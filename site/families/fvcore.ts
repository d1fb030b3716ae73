/**
 * fvcore's `ParamScheduler`s: pure functions of the training progress `where` ∈ [0, 1].
 *
 * @module
 */

import * as fvcore from "../../schedules/fvcore/mod.ts";
import { type Family, pythonCall } from "./family.ts";
import { paramSchedulerRunner } from "./runners.ts";

/** The fvcore family. */
export const FVCORE: Family = {
  id: "fvcore",
  title: "fvcore",
  upstream: "fvcore.common.param_scheduler (fvcore 3378afe)",
  docs: "schedules/fvcore/mod.ts",
  filter: { is: ["ParamScheduler"], supplied: [] },
  exports: fvcore,
  runner: paramSchedulerRunner(),
  examples: {
    ConstantParamScheduler: { value: "0.1" },
    CosineParamScheduler: { startValue: "1", endValue: "0" },
    ExponentialParamScheduler: { startValue: "1", decay: "2" },
    LinearParamScheduler: { startValue: "1", endValue: "0" },
    MultiStepParamScheduler: { values: "1, 0.1, 0.01", milestones: "600, 800", numUpdates: "1000" },
    PolynomialDecayParamScheduler: { baseValue: "1", power: "2" },
    StepParamScheduler: { numUpdates: "1000", values: "1, 0.5, 0.25" },
    StepWithFixedGammaParamScheduler: {
      baseValue: "1",
      numDecays: "3",
      gamma: "0.1",
      numUpdates: "1000",
    },
  },
  python: (name, options) => pythonCall(`fvcore.common.param_scheduler.${name}`, [], options),
  first: "CosineParamScheduler",
};
