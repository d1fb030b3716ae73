/**
 * optax: every schedule of `optax/schedules/`, a function of the step count, in JAX's float32
 * (the default) or in float64 — and `WrappedSchedule` around each of them (the stateful
 * schedule `inject_hyperparams` steps), its form the wrapped schedule's.
 *
 * @module
 */

import * as optax from "../../schedules/optax/mod.ts";
import type { SiteSchema } from "../schema.ts";
import { curveView } from "../../views/view.ts";
import { steppedValues } from "../curves.ts";
import {
  countSetting,
  type Family,
  familySchedules,
  pageField,
  pythonCall,
  type Runner,
  type ScheduleDef,
} from "./family.ts";
import { MAX_STEPPED, stepFunctionRunner } from "./runners.ts";
import { snakeCase } from "../../schedules/names.ts";

/**
 * A schedule's options as its Python call takes them: `sgdrSchedule`'s `cosineKwargs` are
 * `warmup_cosine_decay_schedule` keyword arguments, snake_case like the call's own.
 */
function pythonOptions(options: Record<string, unknown>): Record<string, unknown> {
  const cycles = options.cosineKwargs;
  if (!Array.isArray(cycles)) return options;
  return {
    ...options,
    cosineKwargs: cycles.map((cycle) =>
      typeof cycle === "object" && cycle !== null && !Array.isArray(cycle)
        ? Object.fromEntries(Object.entries(cycle).map(([k, v]) => [snakeCase(k), v]))
        : cycle
    ),
  };
}

/**
 * The schedules whose float64 value optax's `WrappedSchedule` gives: with `jax_enable_x64` optax
 * still hands the schedule an int32 count, and the others then compute partly in float32 (see
 * `schedules/optax/inject.ts`).
 */
const WRAPPED_FLOAT64_EXACT = [
  "constantSchedule",
  "cosineDecaySchedule",
  "piecewiseConstantSchedule",
];

/**
 * optax's `WrappedSchedule` around the schedule `make` returns: `state = wrapped.init()`, row `i`
 * is `wrapped(state)` after `i` calls of `state = wrapped.update(state)` — the learning rate
 * `inject_hyperparams` gives optimizer update `i`.
 */
const wrappedRunner: Runner = {
  page: [
    pageField(
      "steps",
      "The optimizer updates drawn: row i is `wrapped(state)` after i calls of `wrapped.update` (rows 0 … steps).",
      "1000",
    ),
  ],
  view(make, opts, page, schedule) {
    const steps = countSetting(page, "steps", MAX_STEPPED);
    const wrapped = new optax.WrappedSchedule(make(opts) as optax.Schedule);
    const runs = steppedValues({
      column: "lr",
      rows: steps + 1,
      start: () => {
        // The value is computed by step(), so the first raising update is found as torch's are.
        let state = wrapped.init();
        let value = wrapped.call(state);
        return {
          values: (out) => (out[0] = value),
          step: () => {
            state = wrapped.update(state);
            value = wrapped.call(state);
          },
        };
      },
    });
    const notes = opts.dtype === "float64" && !WRAPPED_FLOAT64_EXACT.includes(schedule.path)
      ? [
        `float64: optax's WrappedSchedule hands \`${
          snakeCase(schedule.path)
        }\` an int32 count even with \`jax_enable_x64\`, and parts of it then compute in float32: this curve is the float64 \`schedule(step)\`, not optax's wrapped value. Wrap the float32 schedule to reproduce optax exactly.`,
      ]
      : [];
    return curveView(runs, {
      family: schedule.family,
      path: `WrappedSchedule(${schedule.path})`,
      unit: "step",
      notes: [...runs.warnings, ...notes],
    });
  },
};

/** `WrappedSchedule` around each of optax's schedules: each one's form, in one Schedule entry. */
function wrappedSchedules(schema: SiteSchema): ScheduleDef[] {
  const { sources: _, ...optaxSchedules } = OPTAX;
  const inner = familySchedules({
    ...optaxSchedules,
    runner: wrappedRunner,
    python: (name, options) =>
      [
        `wrapped = optax.schedules.WrappedSchedule(${
          pythonCall(`optax.${snakeCase(name)}`, [], pythonOptions(options))
        })`,
        "state = wrapped.init()",
        "lr = wrapped(state)  # row i: after i updates",
        "state = wrapped.update(state)",
      ].join("\n"),
  }, schema);
  const choices = Object.fromEntries(
    inner.map((def) => [def.name, `optax/WrappedSchedule/${def.name}`]),
  );
  return inner.map((def) => ({
    ...def,
    id: `optax/WrappedSchedule/${def.name}`,
    name: `WrappedSchedule(${def.name})`,
    summary:
      `optax's \`WrappedSchedule\` (optax 0.2.8): the stateful schedule \`inject_hyperparams\` steps — \`init()\` a count of 0, \`update(state)\` adds 1, \`wrapped(state)\` is \`schedule_fn(count)\` — around \`${def.name}\`: ${def.summary}`,
    variant: {
      group: "WrappedSchedule",
      field: {
        name: "scheduleFn",
        doc:
          "The wrapped schedule (optax's `schedule_fn`); its options follow. In float32 (JAX's default) the wrapped values are the schedule's own, bit for bit.",
      },
      choice: def.name,
      choices,
    },
  }));
}

/** The optax family. */
export const OPTAX: Family = {
  id: "optax",
  title: "optax",
  upstream:
    "optax.schedules (optax 0.2.8) and its WrappedSchedule, float32 as JAX computes by default, or float64",
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
  python: (name, options) => pythonCall(`optax.${snakeCase(name)}`, [], pythonOptions(options)),
  sources: wrappedSchedules,
  first: "warmupCosineDecaySchedule",
};
