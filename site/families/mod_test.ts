import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_SCHEDULE,
  FAMILIES,
  FieldError,
  optionField,
  readFields,
  registryProblems,
  siteSchedules,
  sliderFor,
} from "./mod.ts";
import { splitOpts } from "./detectron2.ts";
import { readTrainingArguments } from "./hf.ts";
import { siteSchema } from "../docs.ts";
import { materialize } from "../curves.ts";
import { getCfg, lrCurve, optionProblem, sample, StepLR } from "../../mod.ts";
import type { FieldSpec } from "../schema.ts";
import { linearSchedule } from "../../schedules/optax/mod.ts";

const schema = siteSchema();
const defs = siteSchedules(schema);
const initial = (id: string) =>
  Object.fromEntries(defs.get(id)!.fields.map((f) => [f.name, f.example ?? ""]));

test("the registry fits the docs: every family has schedules, every example an option", () => {
  assert.deepEqual(registryProblems(schema), []);
  for (const family of FAMILIES) {
    assert.ok([...defs.values()].some((d) => d.family === family.id), family.id);
  }
  assert.ok(defs.has(DEFAULT_SCHEDULE));
});

test("every schedule on the page draws its example with the library", async (t) => {
  for (const def of defs.values()) {
    await t.test(def.id, () => {
      const curve = def.build({ values: initial(def.id), files: {} });
      assert.ok(curve.runs.rows > 1, `${def.id}: ${curve.runs.rows} rows`);
      const values = materialize(curve.runs)[0]!;
      const end = curve.runs.error?.iteration ?? values.length;
      for (let i = 0; i < end; i++) assert.ok(Number.isFinite(values[i]), `${def.id}: row ${i}`);
      assert.ok(def.summary.length > 0, "a summary");
    });
  }
});

test("what is left off a form, and why", () => {
  const why = (family: string) =>
    Object.fromEntries(schema.families[family]!.unlisted.map((u) => [u.name, u.why]));
  assert.match(why("torch").ReduceLROnPlateau!, /validation metric/);
  assert.match(why("torch").LambdaLR!, /`lrLambda` is a function/);
  assert.match(why("detectron2").LRMultiplier!, /build_lr_scheduler/);
  assert.match(why("fvcore").CompositeParamScheduler!, /`schedulers`/);
});

test("the default view: detectron2's get_cfg(), as detectron2 trains it", () => {
  const curve = defs.get(DEFAULT_SCHEDULE)!.build({ values: initial(DEFAULT_SCHEDULE), files: {} });
  const expected = lrCurve(getCfg()).columns[0]!.values;
  const got = materialize(curve.runs)[0]!;
  assert.equal(got.length, expected.length);
  for (let i = 0; i < got.length; i++) assert.ok(Object.is(got[i], expected[i]), `iteration ${i}`);
  assert.deepEqual(curve.marks, [{ iteration: 1000, what: "warmup" }, {
    iteration: 30000,
    what: "×0.1",
  }]);
  assert.match(curve.explain, /^linear warmup over 1000 iterations/);
});

test("runners: torch's protocol, fvcore's, and the page's settings", async (t) => {
  await t.test("torch: made on SGD(lr, momentum=0.9), stepped `steps` times", () => {
    const values = { ...initial("torch/StepLR"), stepSize: "3", lr: "0.5", steps: "7" };
    const curve = defs.get("torch/StepLR")!.build({ values, files: {} });
    const optimizer = { paramGroups: [{ lr: 0.5, momentum: 0.9 }] };
    const s = new StepLR({ optimizer, stepSize: 3 });
    const expected = [optimizer.paramGroups[0]!.lr];
    for (let i = 0; i < 7; i++) {
      s.step();
      expected.push(optimizer.paramGroups[0]!.lr);
    }
    assert.deepEqual([...materialize(curve.runs)[0]!], expected);
    assert.equal(curve.explain, "torch.optim.lr_scheduler.StepLR(optimizer, step_size=3)");
  });
  await t.test("torch: a bad page setting names it", () => {
    const values = { ...initial("torch/StepLR"), steps: "0" };
    assert.throws(
      () => defs.get("torch/StepLR")!.build({ values, files: {} }),
      (e: unknown) =>
        e instanceof FieldError && e.field === "steps" && /`steps` must be/.test(e.message),
    );
    assert.throws(
      () =>
        defs.get("torch/StepLR")!.build({ values: { ...values, steps: "5", lr: "x" }, files: {} }),
      (e: unknown) => e instanceof FieldError && e.field === "lr",
    );
  });
  await t.test("torch: the library's error, about its option (as data: owner, option, value)", () => {
    assert.throws(
      () =>
        defs.get("torch/StepLR")!.build({
          values: { ...initial("torch/StepLR"), stepSize: "-1" },
          files: {},
        }),
      (e: unknown) => {
        assert.match(String(e), /StepLR: `stepSize`/);
        assert.deepEqual(optionProblem(e), { owner: "StepLR", option: "stepSize", value: -1 });
        return true;
      },
    );
  });
  await t.test("fvcore: scale · at(i / iterations), as sample() writes it", () => {
    const id = "fvcore/CosineParamScheduler";
    const values = { ...initial(id), iterations: "50", scale: "0.1" };
    const curve = defs.get(id)!.build({ values, files: {} });
    const { CosineParamScheduler } = FAMILIES.find((f) => f.id === "fvcore")!.exports as {
      CosineParamScheduler: new (o: unknown) => { at(w: number): number };
    };
    const expected = sample(new CosineParamScheduler({ startValue: 1, endValue: 0 }), {
      numUpdates: 50,
      scale: 0.1,
    });
    assert.deepEqual([...materialize(curve.runs)[0]!], [...expected]);
    assert.deepEqual(curve.runs.columns, ["value"]);
  });
});

test("detectron2 sources: the SOLVER form, a YAML config with its bases", async (t) => {
  await t.test("the form's keys go through detectron2's --opts", () => {
    const values = {
      ...initial(DEFAULT_SCHEDULE),
      "SOLVER.STEPS": "(10, 20)",
      "SOLVER.MAX_ITER": "30",
    };
    const curve = defs.get(DEFAULT_SCHEDULE)!.build({ values, files: {} });
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, { STEPS: [10, 20], MAX_ITER: 30 });
    assert.deepEqual([...materialize(curve.runs)[0]!], [...lrCurve(cfg).columns[0]!.values]);
    assert.throws(
      () => defs.get(DEFAULT_SCHEDULE)!.build({ values: { "SOLVER.BASE_LR": "1" }, files: {} }),
      (e: unknown) =>
        e instanceof FieldError && e.field === "SOLVER.BASE_LR" && /Type mismatch/.test(e.message),
    );
  });
  await t.test("the form's errors: beside the field, in the field's words (not --opts)", () => {
    const form = (values: Record<string, string>) => () =>
      defs.get(DEFAULT_SCHEDULE)!.build({ values, files: {} });
    const cases: [Record<string, string>, string, RegExp][] = [
      [
        { "SOLVER.BASE_LR": "1" },
        "SOLVER.BASE_LR",
        /^Type mismatch \(<class 'float'> vs\. <class 'int'>\) .* for config key: SOLVER\.BASE_LR$/,
      ],
      [{ "SOLVER.MAX_ITER": "-5" }, "SOLVER.MAX_ITER", /^SOLVER\.MAX_ITER must be /],
      [{ "SOLVER.STEPS": "(20, 10)" }, "SOLVER.STEPS", /^SOLVER\.STEPS /],
      [
        { "SOLVER.WARMUP_METHOD": "'cos'" },
        "SOLVER.WARMUP_METHOD",
        /^SOLVER\.WARMUP_METHOD must be /,
      ],
    ];
    for (const [values, field, message] of cases) {
      assert.throws(form(values), (e: unknown) => {
        assert.ok(e instanceof FieldError, String(e));
        assert.equal(e.field, field, e.message);
        assert.match(e.message, message);
        assert.doesNotMatch(e.message, /--opts|get_cfg\(\)/);
        return true;
      });
    }
  });
  await t.test("WarmupPolyLR needs DeepLab's keys: added when the form uses them", () => {
    const values = { "SOLVER.LR_SCHEDULER_NAME": "WarmupPolyLR", "SOLVER.MAX_ITER": "100" };
    const curve = defs.get(DEFAULT_SCHEDULE)!.build({ values, files: {} });
    assert.equal(curve.runs.rows, 101);
  });
  await t.test("workers: auto_scale_workers", () => {
    const values = { "SOLVER.REFERENCE_WORLD_SIZE": "8", workers: "16", "SOLVER.MAX_ITER": "1000" };
    const curve = defs.get(DEFAULT_SCHEDULE)!.build({ values, files: {} });
    assert.equal(curve.runs.rows, 501, "twice the workers, half the iterations");
    assert.throws(
      () => defs.get(DEFAULT_SCHEDULE)!.build({ values: { workers: "x" }, files: {} }),
      (e: unknown) => e instanceof FieldError && e.field === "workers",
    );
    const note = defs.get(DEFAULT_SCHEDULE)!.build({ values: { workers: "4" }, files: {} }).notes;
    assert.match(note.join("\n"), /REFERENCE_WORLD_SIZE is 0/);
  });
  await t.test("yaml: _BASE_ files by name; errors beside the YAML", () => {
    const yaml = defs.get("detectron2/yaml")!;
    // The hint "add it with \"_BASE_ files\"" names the field as the form labels it.
    assert.equal(yaml.fields.find((f) => f.name === "bases")!.label, "_BASE_ files");
    const text = '_BASE_: "../Base.yaml"\nSOLVER:\n  MAX_ITER: 100\n';
    assert.throws(
      () => yaml.build({ values: { yaml: text, file: "configs/x.yaml" }, files: {} }),
      (e: unknown) =>
        e instanceof FieldError && e.field === "yaml" && /Base\.yaml was not added/.test(e.message),
    );
    const curve = yaml.build({
      values: { yaml: text, file: "configs/x.yaml", opts: "SOLVER.STEPS (50,)" },
      files: { "Base.yaml": "SOLVER:\n  BASE_LR: 0.02\n  WARMUP_ITERS: 10\n" },
    });
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, { BASE_LR: 0.02, WARMUP_ITERS: 10, MAX_ITER: 100, STEPS: [50] });
    assert.deepEqual([...materialize(curve.runs)[0]!], [...lrCurve(cfg).columns[0]!.values]);
    assert.equal(
      yaml.legend!({ file: "configs/x.yaml", opts: "SOLVER.STEPS (50,)" }),
      "configs/x.yaml SOLVER.STEPS (50,)",
    );
    assert.throws(
      () => yaml.build({ values: { yaml: "SOLVER:\n  MAX_ITERS: 1\n" }, files: {} }),
      (e: unknown) =>
        e instanceof FieldError && e.field === "yaml" && /Non-existent config key/.test(e.message),
    );
    assert.throws(
      () =>
        yaml.build({
          values: { yaml: "SOLVER:\n  MAX_ITER: 10\n", opts: "SOLVER.BASE_LR" },
          files: {},
        }),
      (e: unknown) => e instanceof FieldError && e.field === "opts",
    );
    // A bad --opts key or value: beside the opts field (found from the error's data).
    for (const opts of ["SOLVER.MAX_ITERS 10", "SOLVER.MAX_ITER 1.5"]) {
      assert.throws(
        () => yaml.build({ values: { yaml: "SOLVER:\n  MAX_ITER: 10\n", opts }, files: {} }),
        (e: unknown) =>
          e instanceof FieldError && e.field === "opts" && /^--opts: /.test(e.message),
        opts,
      );
    }
  });
  await t.test("splitOpts: as a shell, brackets kept together", () => {
    assert.deepEqual(splitOpts("SOLVER.STEPS (1, 2) SOLVER.BASE_LR \"0.1\"  X 'a b'"), [
      "SOLVER.STEPS",
      "(1, 2)",
      "SOLVER.BASE_LR",
      "0.1",
      "X",
      "a b",
    ]);
    assert.deepEqual(splitOpts(""), []);
    assert.deepEqual(splitOpts('A ""'), ["A", ""]);
  });
});

test("hf: TrainingArguments as JSON, or YAML as PyYAML reads it", () => {
  assert.deepEqual(readTrainingArguments('{"learning_rate": 2e-5}'), { learning_rate: 2e-5 });
  assert.deepEqual(readTrainingArguments("learning_rate: 2.0e-5\nnum_train_epochs: 1\n"), {
    learning_rate: 2e-5,
    num_train_epochs: 1,
  });
  assert.deepEqual(readTrainingArguments("learning_rate: 2e-5\n"), { learning_rate: "2e-5" });
  assert.throws(() => readTrainingArguments("[1, 2]"), /expected a mapping/);
  const trainer = defs.get("hf/Trainer")!;
  // As `lrspec --hf` says it: PyYAML's cause and the fix, beside the text, with the line.
  assert.throws(
    () =>
      trainer.build({
        values: { ...initial("hf/Trainer"), args: "num_train_epochs: 1\nlearning_rate: 2e-5\n" },
        files: {},
      }),
    (e: unknown) =>
      e instanceof FieldError && e.field === "args" &&
      /^TrainingArguments:2: learning_rate is the string "2e-5": PyYAML/.test(e.message) &&
      /write 2\.0e-5/.test(e.message),
  );
  assert.throws(
    () =>
      trainer.build({
        values: { ...initial("hf/Trainer"), args: '{"lr_scheduler_type": "x"}' },
        files: {},
      }),
    (e: unknown) => e instanceof FieldError && e.field === "args",
  );
  assert.throws(
    () => trainer.build({ values: { ...initial("hf/Trainer"), datasetSize: "-1" }, files: {} }),
    (e: unknown) => e instanceof FieldError && e.field === "datasetSize",
  );
  assert.equal(trainer.legend!(initial("hf/Trainer")), "Trainer cosine, 5691 examples");
});

test("timm's train form names the process count as the CLI does", () => {
  const field = defs.get("timm/train")!.fields.find((f) => f.name === "worldSize")!;
  assert.equal(field.label, "worldSize (--num-processes)");
});

test("a form's order: required, own, inherited, the family's last", () => {
  const names = (id: string) => defs.get(id)!.fields.map((f) => f.name);
  assert.deepEqual(names("torch/StepLR"), ["stepSize", "gamma", "torch", "lr", "steps"]);
  const cosine = names("timm/CosineLRScheduler");
  assert.equal(cosine[0], "tInitial");
  assert.deepEqual(cosine.slice(-7), [
    "tInEpochs",
    "noiseRangeT",
    "noisePct",
    "noiseStd",
    "noiseSeed",
    "lr",
    "steps",
  ]);
});

test("fields: options, selects, sliders, page settings", () => {
  const spec = (type: FieldSpec["type"], dflt?: string): FieldSpec => ({
    owner: "XOptions",
    name: "x",
    doc: "",
    optional: true,
    ...(dflt !== undefined ? { default: dflt } : {}),
    type,
  });
  const mode = optionField(spec({ repr: "", accepts: [], literals: ["cos", "linear"] }, '"cos"'));
  assert.equal(mode.control, "select");
  assert.deepEqual(mode.choices, ["", "cos", "linear"]);
  const flag = optionField(spec({ repr: "", accepts: ["boolean"], literals: [] }, "false"));
  assert.deepEqual(flag.choices, ["", "true", "false"]);
  const n = optionField(spec({ repr: "", accepts: ["number"], literals: [] }, "0.1"));
  assert.equal(n.control, "text");
  assert.deepEqual(n.slider, { min: 0, max: 0.2, step: 0.0002 });
  assert.deepEqual(sliderFor(spec({ repr: "", accepts: ["number"], literals: [] }, "30")), {
    min: 0,
    max: 60,
    step: 1,
  });
  assert.equal(
    sliderFor(spec({ repr: "", accepts: ["number", "array"], literals: [] }, "1")),
    undefined,
  );
  assert.equal(sliderFor(spec({ repr: "", accepts: ["number"], literals: [] }, "null")), undefined);
  const fields = defs.get("torch/StepLR")!.fields;
  const { options, page } = readFields(fields, { stepSize: "3", gamma: "" });
  assert.deepEqual(options, { stepSize: 3 }, "an empty field is omitted: the library's default");
  assert.deepEqual(page, { lr: 0.1, steps: 100 }, "page settings take their defaults");
});

test("optax's WrappedSchedule: around each of optax's schedules, its form the schedule's", async (t) => {
  const plain = [...defs.values()].filter((d) => d.family === "optax" && !d.variant);
  const wrapped = [...defs.values()].filter((d) => d.variant?.group === "WrappedSchedule");
  assert.deepEqual(
    wrapped.map((d) => d.variant!.choice),
    plain.map((d) => d.name),
    "one WrappedSchedule per optax schedule",
  );
  for (const def of wrapped) {
    const inner = defs.get(`optax/${def.variant!.choice}`)!;
    assert.equal(def.id, `optax/WrappedSchedule/${inner.name}`);
    assert.equal(def.name, `WrappedSchedule(${inner.name})`);
    assert.equal(def.variant!.field.name, "scheduleFn");
    assert.equal(def.variant!.choices[inner.name], def.id);
    assert.deepEqual(
      def.fields.map((f) => [f.name, f.example, f.default, f.page]),
      inner.fields.map((f) => [f.name, f.example, f.default, f.page]),
      `${def.id}: the wrapped schedule's own form`,
    );
  }
  await t.test("the curve: init, then call and update, as inject_hyperparams steps it", () => {
    const curve = defs.get("optax/WrappedSchedule/linearSchedule")!.build({
      values: { ...initial("optax/WrappedSchedule/linearSchedule"), steps: "5" },
      files: {},
    });
    assert.equal(curve.view.indexColumn, "step");
    assert.equal(curve.view.path, "WrappedSchedule(linearSchedule)");
    // In float32 the wrapped values are the schedule's own at counts 0, 1, …, bit for bit.
    const f = linearSchedule({ initValue: 0, endValue: 0.001, transitionSteps: 500 });
    const values = [...materialize(curve.runs)[0]!];
    assert.deepEqual(values, [0, 1, 2, 3, 4, 5].map((i) => f(i)));
    assert.ok(values.every((v) => Math.fround(v) === v) && values[5]! > 0);
    assert.equal(
      curve.explain.split("\n").slice(-4).join("\n"),
      [
        "wrapped = optax.schedules.WrappedSchedule(optax.linear_schedule(init_value=0, end_value=0.001, transition_steps=500))",
        "state = wrapped.init()",
        "lr = wrapped(state)  # row i: after i updates",
        "state = wrapped.update(state)",
      ].join("\n"),
    );
    assert.deepEqual(curve.notes, []);
  });
  await t.test("float64: a note where optax's wrapped value is not the float64 schedule's", () => {
    const note = (name: string) =>
      defs.get(`optax/WrappedSchedule/${name}`)!.build({
        values: { ...initial(`optax/WrappedSchedule/${name}`), dtype: "float64" },
        files: {},
      }).notes;
    assert.match(note("linearSchedule").join("\n"), /`linear_schedule` an int32 count/);
    assert.match(note("linearSchedule").join("\n"), /Wrap the float32 schedule/);
    for (const exact of ["constantSchedule", "cosineDecaySchedule", "piecewiseConstantSchedule"]) {
      assert.deepEqual(note(exact), [], exact);
    }
  });
  await t.test("the library's error, about the wrapped schedule's option (the page's field)", () => {
    const def = defs.get("optax/WrappedSchedule/linearSchedule")!;
    assert.throws(
      () =>
        def.build({
          values: { ...initial(def.id), transitionSteps: "-1.5" },
          files: {},
        }),
      (e) =>
        e instanceof RangeError && /^linearSchedule: `transitionSteps`/.test(e.message) &&
        optionProblem(e)?.option === "transitionSteps" &&
        def.fields.some((f) => f.name === optionProblem(e)?.option),
    );
  });
});

test("optax's upstream call: sgdr_schedule's cosine_kwargs in snake_case, as optax takes them", () => {
  for (const id of ["optax/sgdrSchedule", "optax/WrappedSchedule/sgdrSchedule"]) {
    const explain = defs.get(id)!.build({ values: initial(id), files: {} }).explain;
    assert.match(
      explain,
      /optax\.sgdr_schedule\(cosine_kwargs=\[\{'init_value': 0, 'peak_value': 0\.001, 'warmup_steps': 50, 'decay_steps': 300\}, \{'init_value': 0, /,
      id,
    );
  }
});
