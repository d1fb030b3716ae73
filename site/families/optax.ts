/**
 * optax: every schedule of `optax/schedules/`, a function of the step count, in JAX's float32
 * (the default) or in float64.
 *
 * @module
 */

import * as optax from "../../schedules/optax/mod.ts";
import { type Family, pythonCall } from "./family.ts";
import { stepFunctionRunner } from "./runners.ts";

/** The optax family. */
export const OPTAX: Family = {
  id: "optax",
  title: "optax",
  upstream: "optax.schedules (optax 0.2.8), float32 as JAX computes by default, or float64",
  docs: "schedules/optax/mod.ts",
  filter: { is: ["Schedule"], supplied: [] },
  exports: optax,
  runner: stepFunctionRunner({ steps: "1000" }),
  examples: {
    constantSchedule: { value: "0.001" },
    polynomialSchedule: {
      initValue: "0.001",
      endValue: "0",
      power: "2",
      transitionSteps: "800",
      transitionBegin: "100",
    },
    linearSchedule: { initValue: "0", endValue: "0.001", transitionSteps: "500" },
    piecewiseConstantSchedule: {
      initValue: "0.001",
      boundariesAndScales: '{"300": 0.5, "600": 0.1}',
    },
    exponentialDecay: {
      initValue: "0.001",
      transitionSteps: "100",
      decayRate: "0.8",
      staircase: "true",
    },
    cosineDecaySchedule: { initValue: "0.001", decaySteps: "1000", alpha: "0.1" },
    piecewiseInterpolateSchedule: {
      interpolateType: "cosine",
      initValue: "0.001",
      boundariesAndScales: '{"200": 2, "600": 0.1}',
    },
    linearOnecycleSchedule: { transitionSteps: "1000", peakValue: "0.001" },
    cosineOnecycleSchedule: { transitionSteps: "1000", peakValue: "0.001" },
    warmupConstantSchedule: { initValue: "0", peakValue: "0.001", warmupSteps: "100" },
    warmupCosineDecaySchedule: {
      initValue: "0",
      peakValue: "0.001",
      warmupSteps: "100",
      decaySteps: "1000",
      endValue: "0.00001",
    },
    warmupExponentialDecaySchedule: {
      initValue: "0",
      peakValue: "0.001",
      warmupSteps: "100",
      transitionSteps: "100",
      decayRate: "0.7",
    },
    sgdrSchedule: {
      cosineKwargs:
        '[{"initValue": 0, "peakValue": 0.001, "warmupSteps": 50, "decaySteps": 300}, {"initValue": 0, "peakValue": 0.0005, "warmupSteps": 50, "decaySteps": 700}]',
    },
  },
  python: (name, options) => {
    const snake = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
    return pythonCall(`optax.${snake}`, [], options);
  },
  first: "warmupCosineDecaySchedule",
};
