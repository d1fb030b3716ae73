// Every option error is data: each schedule of every family on the page (every class and function
// the docs list) is built with each option set, in turn, to values a careless config holds
// (negative, zero, huge, NaN, empty or unsorted lists, the wrong type). Whatever the library
// throws must carry its owner (an explicit upstream name, not a minified class name) and the
// option in `error.cause`, so the page and the CLI place it without reading its message — and the
// page shows it beside the field that holds the option, nested ones too (`milestones[1]` beside
// `milestones`, `optimizer.paramGroups[0].lr` beside the `lr` the page made the optimizer with).
import { test } from "node:test";
import assert from "node:assert/strict";
import { siteSchema } from "./docs.ts";
import { errorField, FieldError, siteSchedules } from "./families/mod.ts";
import { optionProblem } from "../mod.ts";

const defs = siteSchedules(siteSchema());

const BAD = [
  "-1",
  "0",
  "0.5",
  "1e308",
  "-1e308",
  "NaN",
  "[]",
  "[-1]",
  "[3, 1, 2]",
  "null",
  '"x"',
  "{}",
  // An element or member that is wrong: `milestones[0]`, `cosineKwargs[0].peakValue`.
  "[{}]",
  "[1e308]",
  '{"-5": 1}',
];

/**
 * The errors about a schedule as a whole — a value it derives, not an option the form holds —
 * shown at the top of the form: `family option` (the option as the library names it).
 */
const WHOLE = [
  "keras step", // CosineDecayRestarts: the rate at step 0 is NaN
  "optax a boundary step", // cosineOnecycleSchedule: transitionSteps · pctStart is not finite
  "optax boundariesAndScales", // cosineOnecycleSchedule: the scales its factors make
  "optax count", // the value at count 0 is NaN
];

// bun's node:test ignores bunfig's timeout: ~4 s here, more on a loaded machine.
test("every library error about an option carries owner and option (error.cause)", {
  timeout: 120_000,
}, () => {
  const naked: string[] = [];
  const owners = new Set<string>();
  const top = new Set<string>(), nested = new Set<string>();
  let thrown = 0;
  for (const def of defs.values()) {
    // The families' own forms (a config, a file) are placed by their views, tested with them.
    if (def.fields.some((f) => f.control === "textarea" || f.control === "files")) continue;
    const initial = Object.fromEntries(def.fields.map((f) => [f.name, f.example ?? ""]));
    for (const field of def.fields) {
      if (field.page) continue;
      for (const text of BAD) {
        try {
          def.build({ values: { ...initial, [field.name]: text }, files: {} });
        } catch (error) {
          if (error instanceof FieldError) continue; // the page's own reading of the text
          thrown++;
          const problem = optionProblem(error);
          if (problem === undefined) {
            naked.push(`${def.id} ${field.name}=${text}: ${String(error)}`);
            continue;
          }
          owners.add(problem.owner);
          const message = (error as Error).message;
          if (!/^[A-Za-z_]\w*$/.test(problem.owner) || !message.includes(problem.owner)) {
            naked.push(`${def.id} ${field.name}=${text}: owner ${problem.owner}: ${message}`);
          }
          if (problem.option === "") naked.push(`${def.id} ${field.name}=${text}: no option`);
          const at = errorField(def, error);
          if (at === undefined) top.add(`${def.family} ${problem.option}`);
          else if (!def.fields.some((f) => f.name === at)) {
            naked.push(`${def.id} ${field.name}=${text}: placed beside no field (${at})`);
          }
          if (/[.[]/.test(problem.option) && at !== undefined) {
            nested.add(`${problem.option} ${at}`);
          }
        }
      }
    }
  }
  assert.deepEqual(naked, [], "errors without owner/option data");
  assert.deepEqual([...top].sort(), WHOLE, "errors shown at the top of the form, not at a field");
  // The nested options are placed beside the field that holds them.
  for (
    const expected of [
      "milestones[0] milestones", // torch MultiStepLR, fvcore, mmengine
      "optimizer.paramGroups[0].lr lr", // torch, detectron2, hf, mmengine, DeepSpeed: the page's lr
      "cosineKwargs[0].initValue cosineKwargs", // optax sgdrSchedule
      "decayT[0] decayT", // timm
      "cycleMinLr[0] cycleMinLr", // DeepSpeed OneCycle (upstream: cycle_min_lr)
      "warmupMinLr[0] warmupMinLr", // DeepSpeed WarmupLR (upstream: min_lr)
      "boundaries[0] boundaries", // Keras PiecewiseConstantDecay
      "restartWeights[0] restartWeights", // mmengine CosineRestartLR
    ]
  ) assert.ok(nested.has(expected), `${expected}: ${[...nested].join("; ")}`);
  assert.ok(thrown >= 1000, `${thrown} errors checked`);
  assert.ok(owners.size >= 40, `${owners.size} owners`);
});

test("the file forms place an error beside the field holding the file or setting it is about", () => {
  const fieldOfBuild = (id: string, values: Record<string, string>) => {
    const def = defs.get(id)!;
    const initial = Object.fromEntries(def.fields.map((f) => [f.name, f.example ?? ""]));
    try {
      def.build({ values: { ...initial, ...values }, files: {} });
    } catch (error) {
      return { field: errorField(def, error), message: (error as Error).message };
    }
    assert.fail(`${id}: no error`);
  };
  // DeepSpeed's per-group lists: the key as written in the file, on its line (was
  // `config:5: scheduler.params.min_lr`: the option named as upstream's message names it).
  const config = `{
  "optimizer": { "type": "AdamW", "params": { "lr": 0.001 } },
  "scheduler": {
    "type": "WarmupDecayLR",
    "params": {
      "warmup_min_lr": [0, 0],
      "total_num_steps": 100
    }
  }
}`;
  assert.deepEqual(fieldOfBuild("deepspeed/config", { config, trainingArgs: "" }), {
    field: "config",
    message:
      "config:6: scheduler.params.warmup_min_lr: expected 1 value for minLr, got 2 (DeepSpeed's ValueError) (WarmupLR)",
  });
  // The Trainer's arguments beside a ds_config.json are a field of their own.
  assert.equal(
    fieldOfBuild("deepspeed/config", { trainingArgs: '{"learning_rate": 1,' }).field,
    "trainingArgs",
  );
  assert.equal(fieldOfBuild("deepspeed/config", { trainingArgs: "[1]" }).field, "trainingArgs");
  assert.deepEqual(
    fieldOfBuild("deepspeed/config", { trainingArgs: '{"learning_rate": "x"}' }),
    { field: "trainingArgs", message: 'trainingArgs: learning_rate must be a number: got "x"' },
  );
  // detectron2's config form: an element of a list key beside the key (was beside `workers`).
  assert.deepEqual(fieldOfBuild("detectron2/config", { "SOLVER.STEPS": "(3000, 'x')" }), {
    field: "SOLVER.STEPS",
    message: 'SOLVER.STEPS[1] must be a number: got "x"',
  });
  assert.deepEqual(fieldOfBuild("detectron2/config", { "SOLVER.STEPS": "[{'a': 1}]" }), {
    field: "SOLVER.STEPS",
    message: "SOLVER.STEPS[0]: a Python dict cannot be a config value: {'a': 1}",
  });
  assert.equal(
    fieldOfBuild("detectron2/config", { "SOLVER.BIAS_LR_FACTOR": "-1.0" }).field,
    "SOLVER.BIAS_LR_FACTOR",
  );
  // mmengine's page settings, beside themselves (were beside the config).
  for (const name of ["epochLength", "numGpus"]) {
    assert.deepEqual(fieldOfBuild("mmengine/config", { [name]: "-3" }), {
      field: name,
      message: `\`${name}\` must be a positive integer: got "-3"`,
    });
  }
});

test("a page setting's error goes beside that setting, not beside the file it is read with", () => {
  const fieldOfBuild = (id: string, values: Record<string, string>) => {
    const def = defs.get(id)!;
    const initial = Object.fromEntries(def.fields.map((f) => [f.name, f.example ?? ""]));
    try {
      def.build({ values: { ...initial, ...values }, files: {} });
    } catch (error) {
      return errorField(def, error);
    }
    assert.fail(`${id}: no error for ${JSON.stringify(values)}`);
  };
  // Each was shown beside the file's text area (timm's args, Megatron's args, the Trainer's
  // arguments, Keras' JSON): the view wraps the library's error, whose data names the setting.
  assert.equal(fieldOfBuild("timm/train", { updatesPerEpoch: "-1" }), "updatesPerEpoch");
  assert.equal(fieldOfBuild("timm/train", { worldSize: "0" }), "worldSize");
  assert.equal(fieldOfBuild("timm/train", { lrScales: "[]" }), "lrScales");
  assert.equal(fieldOfBuild("megatron/train", { worldSize: "0" }), "worldSize");
  assert.equal(fieldOfBuild("deepspeed/config", { datasetSize: "-5" }), "datasetSize");
  assert.equal(fieldOfBuild("deepspeed/config", { numProcesses: "0" }), "numProcesses");
  assert.equal(fieldOfBuild("deepspeed/config", { trainingArgs: "", steps: "0" }), "steps");
  assert.equal(fieldOfBuild("keras/json", { steps: "-1" }), "steps");
  assert.equal(fieldOfBuild("keras/json", { steps: "1e12" }), "steps");
  assert.equal(fieldOfBuild("keras/json", { backend: '"tensorflow"' }), "backend");
});
