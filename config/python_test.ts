import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  fromJs,
  literalEval,
  optionProblem,
  pyClassName,
  pyFloatRepr,
  pyRepr,
  pyStr,
  pyStrRepr,
  type PyValue,
  toJs,
} from "../mod.ts";

const lit = (text: string): [string, string] => {
  const v = literalEval(text);
  return [v.type, v.type === "str" ? v.value : pyRepr(v)];
};

test("literalEval", async (t) => {
  await t.test("numbers, as Python's literal_eval reads them", () => {
    assert.deepEqual(lit("0.01"), ["float", "0.01"]);
    assert.deepEqual(lit("16"), ["int", "16"]);
    assert.deepEqual(lit("-3"), ["int", "-3"]);
    assert.deepEqual(lit("- 3"), ["int", "-3"]);
    assert.deepEqual(lit("+8"), ["int", "8"]);
    assert.deepEqual(lit("1e-3"), ["float", "0.001"]);
    assert.deepEqual(lit("1_000"), ["int", "1000"]);
    assert.deepEqual(lit("0x1F"), ["int", "31"]);
    assert.deepEqual(lit("0o17"), ["int", "15"]);
    assert.deepEqual(lit("0b101"), ["int", "5"]);
    assert.deepEqual(lit("5."), ["float", "5.0"]);
    assert.deepEqual(lit(".5"), ["float", "0.5"]);
    assert.deepEqual(lit("1e400"), ["float", "inf"]);
    assert.ok(Object.is((literalEval("-0.0") as { value: number }).value, -0));
    assert.deepEqual(lit("1+2j"), ["complex", "(1+2j)"]);
  });
  await t.test("malformed numbers stay strings (Python: SyntaxError)", () => {
    for (const text of ["017", "1__0", "1_", "0b2", "1.5e", "90k", "1x", "--1", "-True"]) {
      assert.deepEqual(lit(text), ["str", text], text);
    }
  });
  await t.test("containers and constants", () => {
    assert.deepEqual(lit("(60000, 80000)"), ["tuple", "(60000, 80000)"]);
    assert.deepEqual(lit("('coco_2017_train',)"), ["tuple", "('coco_2017_train',)"]);
    assert.deepEqual(lit("1000, 2000"), ["tuple", "(1000, 2000)"]);
    assert.deepEqual(lit("()"), ["tuple", "()"]);
    assert.deepEqual(lit("(1)"), ["int", "1"]);
    assert.deepEqual(lit("[[0.5, 1.0, 2.0]]"), ["list", "[[0.5, 1.0, 2.0]]"]);
    assert.deepEqual(lit("[1, 2,]"), ["list", "[1, 2]"]);
    assert.deepEqual(lit("True"), ["bool", "True"]);
    assert.deepEqual(lit("None"), ["None", "None"]);
    assert.deepEqual(lit("{'a': 1}"), ["dict", "{'a': 1}"]);
    assert.deepEqual(lit("set()"), ["set", "set()"]);
    assert.deepEqual(lit("(1,\n 2)  # comment"), ["tuple", "(1, 2)"]);
  });
  await t.test("strings: quotes, prefixes, escapes, concatenation", () => {
    assert.deepEqual(literalEval("'abc'"), { type: "str", value: "abc" });
    assert.deepEqual(literalEval('"it\'s"'), { type: "str", value: "it's" });
    assert.deepEqual(literalEval("'a' \"b\""), { type: "str", value: "ab" });
    assert.deepEqual(literalEval("r'\\n'"), { type: "str", value: "\\n" });
    assert.deepEqual(literalEval("'\\x41\\u00e9\\101\\q'"), { type: "str", value: "AéA\\q" });
    assert.deepEqual(lit("b'x'"), ["bytes", "b'x'"]);
    assert.deepEqual(lit("f'x'"), ["str", "f'x'"]);
    assert.deepEqual(lit("'unterminated"), ["str", "'unterminated"]);
  });
  await t.test("anything that is not a literal is kept as the string itself", () => {
    for (
      const text of [
        "SyncBN",
        "build_resnet_fpn_backbone",
        "detectron2://ImageNetPretrained/MSRA/R-50.pkl",
        "./output",
        "",
        "1+2",
        "0.1 + 0.2",
        "[1, 2][0]",
        "lambda: 0",
        "not True",
        "p2,p3",
        "inf",
        "\n  1",
      ]
    ) {
      assert.deepEqual(literalEval(text), { type: "str", value: text }, JSON.stringify(text));
    }
  });
  await t.test("Python's TypeError for unhashable keys propagates, as in yacs", () => {
    assert.throws(() => literalEval("{[1]: 2}"), TypeError);
    assert.throws(() => literalEval("{[1]}"), /unhashable type: 'list'/);
  });
  await t.test("\\N{...} escapes are refused rather than misread", () => {
    assert.throws(() => literalEval("'\\N{BULLET}'"), SyntaxError);
  });
  await t.test("rejects a non-string", () => {
    assert.throws(() => literalEval(1 as unknown as string), TypeError);
  });
});

test("pyFloatRepr", async (t) => {
  await t.test("Python's repr, including the switch to exponents", () => {
    const cases: [number, string][] = [
      [0.02, "0.02"],
      [2e-5, "2e-05"],
      [0.0001, "0.0001"],
      [1e16, "1e+16"],
      [1234567890123456, "1234567890123456.0"],
      [90000, "90000.0"],
      [-1.5e-7, "-1.5e-07"],
      [0.30000000000000004, "0.30000000000000004"],
      [1.7976931348623157e308, "1.7976931348623157e+308"],
      [5e-324, "5e-324"],
      [-0, "-0.0"],
      [0, "0.0"],
      [Infinity, "inf"],
      [-Infinity, "-inf"],
      [NaN, "nan"],
    ];
    for (const [x, repr] of cases) assert.equal(pyFloatRepr(x), repr, String(x));
  });
  await t.test("reads back as the same double (property)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        assert.ok(Object.is(Number(pyFloatRepr(x)), x), `${x} -> ${pyFloatRepr(x)}`);
      }),
      { numRuns: 2000 },
    );
  });
});

test("pyRepr, pyStr, pyClassName", async (t) => {
  await t.test("strings pick their quotes like Python", () => {
    assert.equal(pyStrRepr("abc"), "'abc'");
    assert.equal(pyStrRepr("it's"), `"it's"`);
    assert.equal(pyStrRepr(`it's "x"`), `'it\\'s "x"'`);
    assert.equal(pyStrRepr("a\nb\t\x01é"), "'a\\nb\\t\\x01é'");
  });
  await t.test("containers", () => {
    const v: PyValue = {
      type: "list",
      value: [{ type: "tuple", value: [{ type: "int", value: 1 }] }, { type: "None", value: null }],
    };
    assert.equal(pyRepr(v), "[(1,), None]");
    assert.equal(pyStr({ type: "str", value: "x" }), "x");
    assert.equal(pyStr(v), "[(1,), None]");
  });
  await t.test("class names as yacs prints them", () => {
    assert.equal(pyClassName("float"), "<class 'float'>");
    assert.equal(pyClassName("None"), "<class 'NoneType'>");
    assert.equal(pyClassName("node"), "<class 'detectron2.config.config.CfgNode'>");
  });
});

test("toJs and fromJs", async (t) => {
  await t.test("round trip of plain config data", () => {
    const data = { A: 1, B: 0.5, C: "x", D: [1, [2]], E: null, F: true, G: { H: [] } };
    assert.deepEqual(toJs(fromJs(data)), data);
    assert.equal(fromJs(1).type, "int");
    assert.equal(fromJs(1.5).type, "float");
    assert.equal(fromJs(-0).type, "float");
  });
  await t.test("a key named __proto__ stays data", () => {
    const node: PyValue = {
      type: "node",
      value: new Map([["__proto__", { type: "int", value: 1 } as PyValue]]),
    };
    const js = toJs(node) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(js), Object.prototype);
    assert.deepEqual(Object.keys(js), ["__proto__"]);
  });
  await t.test("values a config cannot hold are refused", () => {
    assert.throws(() => toJs(literalEval("{1: 2}")), TypeError);
    assert.throws(() => fromJs(undefined), TypeError);
  });
  await t.test("with a key: the error names it, and carries it as data", () => {
    const solver = { type: "node", value: new Map([["STEPS", literalEval("[1000, {'a': 1}]")]]) };
    const node = { type: "node", value: new Map([["SOLVER", solver as PyValue]]) } as PyValue;
    assert.throws(
      () => toJs(node, ""),
      (e: Error) => {
        assert.ok(e instanceof TypeError);
        assert.equal(
          e.message,
          "SOLVER.STEPS[1]: a Python dict cannot be a config value: {'a': 1}",
        );
        assert.deepEqual(optionProblem(e), {
          owner: "CfgNode",
          option: "cfg.SOLVER.STEPS[1]",
          value: "{'a': 1}",
        });
        return true;
      },
    );
  });
});
