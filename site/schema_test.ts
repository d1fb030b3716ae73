import { test } from "node:test";
import assert from "node:assert/strict";
import {
  classify,
  DocIndex,
  type DocType,
  familySchema,
  firstParagraph,
  interfaceFields,
  typeText,
} from "./schema.ts";
import { docJson } from "./docs.ts";

const kw = (value: string): DocType => ({ kind: "keyword", value, repr: value });
const lit = (s: string): DocType => ({
  kind: "literal",
  value: { kind: "string", string: s },
  repr: s,
});
const union = (...value: DocType[]): DocType => ({ kind: "union", value });
const ref = (typeName: string, typeParams?: DocType[]): DocType => ({
  kind: "typeRef",
  value: typeParams ? { typeName, typeParams } : { typeName },
  repr: typeName,
});
const array = (of: DocType): DocType => ({ kind: "array", value: of });
const readonly = (t: DocType): DocType => ({
  kind: "typeOperator",
  value: { operator: "readonly", tsType: t },
});
const EMPTY = new DocIndex({ nodes: {} });

test("classify: what a documented type accepts on a form", async (t) => {
  await t.test("keywords", () => {
    assert.deepEqual(classify(kw("number"), EMPTY).accepts, ["number"]);
    assert.deepEqual(classify(union(kw("number"), kw("null")), EMPTY).accepts, ["number", "null"]);
    assert.deepEqual(classify(union(kw("number"), kw("undefined")), EMPTY).accepts, ["number"]);
    assert.ok(classify(kw("unknown"), EMPTY).accepts.includes("array"));
    assert.equal(classify(kw("symbol"), EMPTY).unsupported, "symbol");
  });
  await t.test("literal unions pick from a list", () => {
    const c = classify(union(lit("cos"), lit("linear")), EMPTY);
    assert.deepEqual(c.literals, ["cos", "linear"]);
    assert.deepEqual(c.accepts, []);
    assert.equal(c.unsupported, undefined);
  });
  await t.test("arrays of values, not of functions or schedulers", () => {
    assert.deepEqual(classify(readonly(array(kw("number"))), EMPTY).accepts, ["array"]);
    assert.deepEqual(classify(ref("ReadonlyArray", [kw("number")]), EMPTY).accepts, ["array"]);
    const fn: DocType = { kind: "fnOrConstructor", value: {} };
    assert.equal(classify(array(fn), EMPTY).unsupported, "an array of functions");
    assert.equal(
      classify(union(fn, readonly(array(fn))), EMPTY).unsupported,
      "a function or an array of functions",
    );
    assert.equal(
      classify(array(ref("LRScheduler")), EMPTY).unsupported,
      "an array of LRSchedulers",
    );
    assert.deepEqual(
      classify(union(kw("number"), fn), EMPTY).accepts,
      ["number"],
      "a member a form can hold makes the field form-able",
    );
  });
  await t.test("records and type aliases", () => {
    const record = ref("Readonly", [ref("Record", [kw("number"), kw("number")])]);
    assert.deepEqual(classify(record, EMPTY).accepts, ["object"]);
    const index = new DocIndex({
      nodes: {
        m: {
          symbols: [{
            name: "Mode",
            declarations: [{ kind: "typeAlias", def: { tsType: union(lit("min"), lit("max")) } }],
          }],
        },
      },
    });
    assert.deepEqual(classify(ref("Mode"), index).literals, ["min", "max"]);
    assert.equal(classify(ref("Optimizer"), index).unsupported, "an Optimizer");
  });
  await t.test("typeText", () => {
    assert.equal(
      typeText(union(kw("number"), readonly(array(kw("number"))))),
      "number | readonly number[]",
    );
    assert.equal(typeText(lit("cos")), '"cos"');
    assert.equal(typeText(undefined), "unknown");
  });
});

test("firstParagraph", () => {
  assert.equal(firstParagraph("One\nline.\n\nMore."), "One line.");
  assert.equal(firstParagraph(undefined), "");
});

test("familySchema: torch's docs as forms", () => {
  const schema = familySchema(docJson("schedules/torch/mod.ts"), {
    is: ["LRScheduler"],
    supplied: ["optimizer"],
    exclude: { ConstantLR: "an exclusion, with its reason" },
  });
  const step = schema.schedules.find((s) => s.name === "StepLR")!;
  assert.equal(step.kind, "class");
  assert.equal(step.options, "StepLROptions");
  assert.match(step.summary, /gamma/);
  const byName = Object.fromEntries(step.fields.map((f) => [f.name, f]));
  assert.equal(byName.optimizer, undefined, "supplied by the page");
  assert.equal(byName.stepSize!.optional, false);
  assert.deepEqual(byName.stepSize!.type.accepts, ["number"]);
  assert.equal(byName.gamma!.default, "0.1");
  assert.equal(byName.lastEpoch!.default, "-1", "inherited from LRSchedulerOptions");
  assert.deepEqual(byName.torch!.type.literals, ["1.13", "2.11", "2.13"], "torch's release");
  const names = schema.schedules.map((s) => s.name);
  assert.ok(names.includes("OneCycleLR") && !names.includes("ConstantLR"), names.join(" "));
  assert.ok(!names.includes("LambdaLR"));
  const why = Object.fromEntries(schema.unlisted.map((u) => [u.name, u.why]));
  assert.equal(why.LambdaLR, "`lrLambda` is a function or an array of functions");
  assert.equal(why.SequentialLR, "`schedulers` is an array of LRSchedulers");
  assert.equal(why.ConstantLR, "an exclusion, with its reason");
  assert.match(schema.summary, /torch/);
});

test("interfaceFields: a generated config's `Default:` and a missing interface", () => {
  const index = new DocIndex(docJson("schedules/detectron2/mod.ts"));
  const solver = interfaceFields("SolverConfig", index);
  const baseLr = solver.find((f) => f.name === "BASE_LR")!;
  assert.equal(baseLr.default, "0.001");
  assert.ok(!/Default:/.test(baseLr.doc), baseLr.doc);
  assert.equal(solver.find((f) => f.name === "STEPS")!.default, "[30000]");
  assert.throws(() => interfaceFields("NoSuchOptions", index), /no interface NoSuchOptions/);
});
