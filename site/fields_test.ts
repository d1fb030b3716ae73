import { test } from "node:test";
import assert from "node:assert/strict";
import { docParts, fieldValue, pythonValue, snakeCase } from "./fields.ts";
import type { FieldType } from "./schema.ts";

const type = (accepts: string[], literals: (string | number | boolean)[] = []): FieldType => ({
  repr: "",
  accepts,
  literals,
});
const NUMBER = type(["number"]);

test("fieldValue: what a field's text stands for, by its documented type", async (t) => {
  await t.test("empty: the option is omitted", () => {
    assert.equal(fieldValue("", NUMBER), undefined);
    assert.equal(fieldValue("   ", type(["string"])), undefined);
  });
  await t.test("numbers as people and Python write them", () => {
    assert.equal(fieldValue("0.1", NUMBER), 0.1);
    assert.equal(fieldValue(" 1e-3 ", NUMBER), 0.001);
    assert.equal(fieldValue("-5", NUMBER), -5);
    assert.equal(fieldValue(".5", NUMBER), 0.5);
    assert.equal(fieldValue("1 / 3", NUMBER), 1 / 3, "`@default {1 / 3}`");
    assert.equal(fieldValue("inf", NUMBER), Infinity);
    assert.equal(fieldValue("-Infinity", NUMBER), -Infinity);
    assert.ok(Number.isNaN(fieldValue("nan", NUMBER)));
    assert.equal(fieldValue("30", type(["bigint"])), 30);
  });
  await t.test("text that is not a number reaches the library as it is", () => {
    assert.equal(fieldValue("abc", NUMBER), "abc");
    assert.equal(fieldValue("1/", NUMBER), "1/");
    assert.equal(fieldValue("0.1", type(["string"])), "0.1", "a string option keeps its text");
  });
  await t.test("booleans and null, only where the type takes them", () => {
    const b = type(["boolean"]);
    assert.equal(fieldValue("true", b), true);
    assert.equal(fieldValue("False", b), false);
    assert.equal(fieldValue("yes", b), "yes");
    assert.equal(fieldValue("null", type(["number", "null"])), null);
    assert.equal(fieldValue("None", type(["number", "null"])), null);
    assert.equal(fieldValue("null", NUMBER), "null");
  });
  await t.test("lists: JSON, Python's tuples, or bare commas", () => {
    const list = type(["array"]);
    assert.deepEqual(fieldValue("[30, 80]", list), [30, 80]);
    assert.deepEqual(fieldValue("(30, 80)", list), [30, 80]);
    assert.deepEqual(fieldValue("(30,)", list), [30]);
    assert.deepEqual(fieldValue("30, 80", list), [30, 80]);
    assert.deepEqual(fieldValue("[[0, 1], [2, 3]]", list), [[0, 1], [2, 3]]);
    assert.deepEqual(fieldValue("['a', None, True]", list), ["a", null, true]);
    assert.equal(fieldValue("[30,", list), "[30,", "not a list: the library says so");
    const either = type(["number", "array"]);
    assert.equal(fieldValue("0.1", either), 0.1);
    assert.deepEqual(fieldValue("0.1, 0.2", either), [0.1, 0.2]);
  });
  await t.test("objects", () => {
    assert.deepEqual(fieldValue('{"100": 0.5}', type(["object", "null"])), { "100": 0.5 });
    assert.deepEqual(fieldValue("{'a': 1}", type(["object"])), { a: 1 });
  });
  await t.test("literals", () => {
    const mode = type([], ["triangular", "exp_range"]);
    assert.equal(fieldValue("exp_range", mode), "exp_range");
    assert.equal(fieldValue("other", mode), "other");
    assert.equal(fieldValue("2", type([], [1, 2])), 2);
  });
});

test("snakeCase: upstream's keyword names", () => {
  assert.deepEqual(
    ["numWarmupSteps", "TMax", "T0", "TMult", "etaMin", "tInitial", "warmupLrInit", "gamma"].map(
      snakeCase,
    ),
    [
      "num_warmup_steps",
      "T_max",
      "T_0",
      "T_mult",
      "eta_min",
      "t_initial",
      "warmup_lr_init",
      "gamma",
    ],
  );
});

test("pythonValue: values as a Python call writes them", () => {
  assert.deepEqual(
    [null, true, false, "cos", "it's", 0.1, Infinity, -Infinity, NaN, [30, 80], { 100: 0.5 }].map(
      pythonValue,
    ),
    [
      "None",
      "True",
      "False",
      "'cos'",
      "'it\\'s'",
      "0.1",
      "float('inf')",
      "-float('inf')",
      "float('nan')",
      "[30, 80]",
      "{100: 0.5}",
    ],
  );
});

test("docParts: backquotes and JSDoc links as code, never shown raw", () => {
  assert.deepEqual(docParts("Joins with {@linkcode joinSchedules} at `boundaries`."), [
    { text: "Joins with ", code: false },
    { text: "joinSchedules", code: true },
    { text: " at ", code: false },
    { text: "boundaries", code: true },
    { text: ".", code: false },
  ]);
  assert.deepEqual(docParts("see {@link sample | the sampler}"), [
    { text: "see ", code: false },
    { text: "the sampler", code: true },
  ]);
  assert.deepEqual(docParts("plain"), [{ text: "plain", code: false }]);
});
