/**
 * Keras 3: every schedule of `keras.optimizers.schedules` as a form (its keyword arguments and
 * the backend to emulate), and a `serialize()` JSON — what a `.keras` file stores — read as
 * `lrspec curve --keras` reads it.
 *
 * @module
 */

import * as keras from "../../schedules/keras/mod.ts";
import { kerasView } from "../../views/keras.ts";
import { curveView } from "../../views/view.ts";
import { steppedValues } from "../curves.ts";
import {
  countSetting,
  type Family,
  type Field,
  pageField,
  pythonCall,
  type Runner,
  type ScheduleDef,
  siteCurve,
  viewFieldError,
} from "./family.ts";
import { MAX_STEPPED } from "./runners.ts";

/** A Keras schedule: row `i` is `schedule.call(i)` (the optimizer's `iterations` = i). */
const kerasRunner: Runner = {
  page: [
    pageField("steps", "The last optimizer step drawn (rows `iterations = 0 … steps`).", "1000"),
  ],
  view(make, options, page, schedule) {
    const steps = countSetting(page, "steps", MAX_STEPPED);
    const s = make(options) as keras.LearningRateSchedule;
    const runs = steppedValues({
      column: "lr",
      rows: steps + 1,
      start: () => {
        let step = 0;
        let value = s.call(0);
        return {
          values: (out) => (out[0] = value),
          step: () => void (value = s.call(++step)),
        };
      },
    });
    return curveView(runs, { ...schedule, unit: "step" });
  },
};

const EXAMPLE_JSON = `{
  "module": "keras.optimizers.schedules",
  "class_name": "CosineDecay",
  "config": {
    "initial_learning_rate": 0.0,
    "decay_steps": 1000,
    "alpha": 0.0,
    "name": "CosineDecay",
    "warmup_target": 0.001,
    "warmup_steps": 100
  },
  "registered_name": null
}`;

/** A `serialize()` JSON, as `lrspec curve --keras` reads it. */
function jsonSource(): ScheduleDef {
  const fields: Field[] = [
    {
      name: "json",
      doc:
        "`keras.optimizers.schedules.serialize(schedule)` (as in a `.keras` file's optimizer config), or an optimizer config with such a `learning_rate`.",
      type: { repr: "string", accepts: ["string"], literals: [] },
      example: EXAMPLE_JSON,
      control: "textarea",
      required: true,
      page: false,
    },
    {
      name: "backend",
      doc: "The Keras backend whose float32 arithmetic to emulate.",
      type: {
        repr: '"numpy" | "jax" | "torch"',
        accepts: ["string"],
        literals: ['"numpy"', '"jax"', '"torch"'],
      },
      default: '"jax"',
      control: "select",
      choices: ["", '"numpy"', '"jax"', '"torch"'],
      required: false,
      page: false,
    },
    pageField("steps", "Optimizer steps drawn (empty: the whole schedule).", ""),
  ];
  return {
    id: "keras/json",
    family: "keras",
    name: "json",
    summary:
      "A Keras schedule's `serialize()` JSON, as `lrspec curve --keras` reads it: Keras' float32 rate at every optimizer step.",
    fields,
    legend: (values) => {
      try {
        return String((JSON.parse(values.json ?? "") as { class_name?: unknown }).class_name);
      } catch {
        return "Keras schedule";
      }
    },
    build(input) {
      const backend = (input.values.backend ?? "").replace(/"/g, "") || "jax";
      const steps = (input.values.steps ?? "").trim();
      try {
        const view = kerasView(input.values.json ?? "", {
          path: "schedule.json",
          backend: backend as keras.Backend,
          ...(steps === "" ? {} : { steps: Number(steps) }),
        });
        return siteCurve(view);
      } catch (error) {
        throw viewFieldError(error, () => "json", "json", {}, {
          backend: "backend",
          steps: "steps",
        });
      }
    },
  };
}

/** The Keras family. */
export const KERAS: Family = {
  id: "keras",
  title: "Keras",
  upstream: "keras.optimizers.schedules (Keras 3.15.1), float32 as the numpy, jax or torch backend",
  docs: "schedules/keras/mod.ts",
  filter: { is: ["LearningRateSchedule"], supplied: [] },
  hidden: ["name"],
  exports: keras,
  runner: kerasRunner,
  examples: {
    ExponentialDecay: { initialLearningRate: "0.1", decaySteps: "100", decayRate: "0.96" },
    PiecewiseConstantDecay: { boundaries: "300, 600", values: "0.1, 0.01, 0.001" },
    PolynomialDecay: { initialLearningRate: "0.1", decaySteps: "1000" },
    InverseTimeDecay: { initialLearningRate: "0.1", decaySteps: "100", decayRate: "0.5" },
    CosineDecay: {
      initialLearningRate: "0",
      decaySteps: "1000",
      warmupTarget: "0.001",
      warmupSteps: "100",
    },
    CosineDecayRestarts: { initialLearningRate: "0.1", firstDecaySteps: "100", steps: "700" },
  },
  python: (name, options) => {
    const snake: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(options)) {
      if (k === "backend") continue;
      snake[k.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()] = v;
    }
    return pythonCall(`keras.optimizers.schedules.${name}`, [], snake);
  },
  sources: () => [jsonSource()],
  first: "CosineDecay",
};
