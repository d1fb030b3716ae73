/**
 * The CLI's Keras source (`--keras FILE`): a Keras schedule's `serialize()` JSON (or an optimizer
 * config holding one as its `"learning_rate"`) read from disk and opened as the Keras view
 * (`views/keras.ts`) with `--steps` and `--backend`.
 *
 * @module
 */

import { kerasView } from "../views/keras.ts";
import { BACKENDS } from "../schedules/keras/mod.ts";
import type { Backend } from "../schedules/keras/mod.ts";
import { positiveOption } from "./hf.ts";
import { readSettingsText } from "./_read.ts";
import type { SourceKind } from "./source_kind.ts";

/** `--keras FILE`: a Keras schedule JSON. */
export const KERAS_SOURCE: SourceKind = {
  id: "keras",
  flag: "keras",
  what: "a Keras schedule JSON (keras.optimizers.schedules.serialize())",
  files: "--keras files",
  arg: "schedule.json",
  rows: "step,lr for Keras' iterations 0..N-1, float32",
  rowsMore: "the rate a Keras optimizer reads at that iteration (--steps N; default the whole " +
    "schedule; --backend)",
  explains: "the schedule's formula with its values, the backend whose float32 it follows, " +
    "the rate at the first and the last step",
  help: "a Keras 3 schedule as keras.optimizers.schedules.serialize() writes it\n" +
    '({"class_name": …, "config": …}, as in a .keras file), or an optimizer config\n' +
    'with such a "learning_rate"; one row per optimizer step (iterations 0, 1, …),\n' +
    "float32 as Keras computes it",
  options: [
    {
      name: "steps",
      type: "string",
      perFile: true,
      help: "N  --keras: optimizer steps to show (default: the whole schedule)",
    },
    {
      name: "backend",
      type: "string",
      perFile: true,
      help: "B  --keras: the Keras backend whose float32 arithmetic to emulate:\n" +
        "numpy, jax (default) or torch",
    },
  ],
  recognize: (text) =>
    /"class_name"\s*:\s*"(?:ExponentialDecay|PiecewiseConstantDecay|PolynomialDecay|InverseTimeDecay|CosineDecay|CosineDecayRestarts)"/
      .test(text),
  open(path, context) {
    const backend = context.value("backend") ?? "jax";
    if (!(BACKENDS as readonly string[]).includes(backend)) {
      throw context.usage(
        `--backend must be one of ${BACKENDS.join(", ")}: got ${JSON.stringify(backend)}`,
      );
    }
    const steps = positiveOption(context, "steps", context.value("steps"));
    const text = readSettingsText(path);
    return [
      kerasView(text, {
        path,
        backend: backend as Backend,
        ...(steps === undefined ? {} : { steps }),
        ...(context.label === undefined ? {} : { label: context.label }),
      }),
    ];
  },
};
